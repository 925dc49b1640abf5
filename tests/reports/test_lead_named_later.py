"""A lead named months after the plan began owes the weeks from its naming on, not from the plan's
start: the streak (escalations, lights), the week's compliance, the figures' 未报送 counts and the
year-end tally all count from the day the owner link was made (task_departments.assigned_on)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from tests.reports.conftest import W23
from tests.rules import CADENCE
from wufei.cadence.periods import month
from wufei.cadence.windows import windows_between
from wufei.escalation.ladder import Ladder
from wufei.escalation.service import scan
from wufei.figures.world import build_world
from wufei.notices.models import NoticeIntent
from wufei.reports.service import compliance, expected_rows, missing_streaks
from wufei.ruleset import Ruleset
from wufei.tasks.assignment import assign_owners
from wufei.tasks.models import Role, TaskDepartment

NAMED = date(2024, 5, 22)  # a Wednesday: the week of 27 May is the first the lead owes
FIRST_OWED = date(2024, 5, 27)
AS_OF = date(2024, 6, 12)  # W23's window closed on 7 June


def _waiting_then_named(session, hengshui):
    """`hengshui.other` as if the plan had left it without a lead until the office named 市生态环境局."""
    task = hengshui.other
    task.assignments.clear()
    task.awaiting_assignment = True
    session.flush()
    assign_owners(session, task_id=task.id, lead_ids=[hengshui.ecology.id], actor="web:office", on=NAMED)
    session.flush()
    return task


def test_the_imported_owners_are_responsible_from_the_plans_start(session, hengshui):
    links = session.scalars(select(TaskDepartment).where(TaskDepartment.task_id == hengshui.task.id)).all()
    assert {link.assigned_on for link in links} == {hengshui.plan.issued_on}


def test_a_lead_named_later_owes_the_weeks_from_its_naming_on(session, hengshui, calendar):
    task = _waiting_then_named(session, hengshui)
    [link] = task.assignments
    assert (link.role, link.assigned_on) == (Role.LEAD, NAMED)
    owed = [w.week_start for w in windows_between(FIRST_OWED, AS_OF, calendar, CADENCE)]
    assert owed == [FIRST_OWED, W23]

    [row] = expected_rows(session, cadence=CADENCE, task_ids=[task.id])
    assert row.start == NAMED
    streaks = missing_streaks(session, as_of=AS_OF, calendar=calendar, cadence=CADENCE, task_ids=[task.id])
    assert streaks == {task.id: 2}  # not every week since October 2022

    def missing(week):
        rows = compliance(session, week_start=week, calendar=calendar, cadence=CADENCE, as_of=AS_OF)
        return {r["department_id"]: r["missing_task_ids"] for r in rows}

    assert task.id not in missing(date(2024, 5, 20)).get(hengshui.ecology.id, [])
    assert task.id in missing(FIRST_OWED)[hengshui.ecology.id]


def test_the_figures_count_the_named_lead_from_its_naming(session, hengshui, calendar):
    task = _waiting_then_named(session, hengshui)
    world = build_world(
        session,
        scope="衡水市",
        jurisdiction=None,
        plans=[hengshui.plan],
        period=month(2024, 5),
        as_of=AS_OF,
        calendar=calendar,
        rules=Ruleset.load(),
    )
    misses = [
        week for week, task_id, _kind in world.reporting(session).misses[hengshui.ecology.id] if task_id == task.id
    ]
    assert misses == [FIRST_OWED]  # May's weeks before the naming are not 未报送


def test_the_escalation_raises_only_the_named_weeks(session, hengshui, calendar):
    task = _waiting_then_named(session, hengshui)
    scan(session, as_of=AS_OF, calendar=calendar, cadence=CADENCE, ladder=Ladder.load(), task_ids=[task.id])
    intents = session.scalars(
        select(NoticeIntent).where(NoticeIntent.task_id == task.id, NoticeIntent.kind == "report_missing")
    ).all()
    assert intents and {i.payload["streak"] for i in intents} == {2}
    assert {i.payload["streak_since"] for i in intents} == {"2024-W22"}


def test_a_co_lead_added_later_is_counted_from_its_own_day_the_first_lead_from_the_plans(session, hengshui, calendar):
    task = hengshui.task  # led by 市生态环境局 as the plan printed it, supported by 市行政审批局
    [link] = [a for a in task.assignments if a.department_id == hengshui.approvals.id]
    link.role, link.assigned_on = Role.LEAD, NAMED  # made a co-lead on 22 May
    session.flush()

    def missing(week):
        rows = compliance(session, week_start=week, calendar=calendar, cadence=CADENCE, as_of=AS_OF)
        return {r["department_id"] for r in rows if task.id in r["missing_task_ids"]}

    assert missing(date(2024, 5, 20)) == {hengshui.ecology.id}
    assert missing(FIRST_OWED) == {hengshui.ecology.id, hengshui.approvals.id}
    world = build_world(
        session,
        scope="衡水市",
        jurisdiction=None,
        plans=[hengshui.plan],
        period=month(2024, 5),
        as_of=AS_OF,
        calendar=calendar,
        rules=Ruleset.load(),
    )
    misses = world.reporting(session).misses

    def weeks(department_id):
        return [week for week, task_id, _ in misses.get(department_id, []) if task_id == task.id]

    assert weeks(hengshui.approvals.id) == [FIRST_OWED]
    assert weeks(hengshui.ecology.id) == [date(2024, 5, 6), date(2024, 5, 13), date(2024, 5, 20), FIRST_OWED]


def test_a_co_lead_added_later_is_reminded_and_escalated_from_its_own_day_once(session, hengshui, calendar):
    """review23d: the task's streak (from the plan's start) was sent to every current lead, so a
    co-lead named on 22 May got a reminder for a week before its naming the next morning and an
    escalation 已连续N周 keyed by a week of 2022. Each lead counts from its own day, and its
    escalation is raised once, keyed by its own streak's first week, however many scans run."""
    task = hengshui.task
    [link] = [a for a in task.assignments if a.department_id == hengshui.approvals.id]
    link.role, link.assigned_on = Role.LEAD, NAMED  # made a co-lead on 22 May
    session.flush()
    ladder = Ladder.load()
    day = NAMED
    while day <= date(2024, 6, 18):  # W22, W23 and W24 (closed on 14 June) missed by both leads
        scan(session, as_of=day, calendar=calendar, cadence=CADENCE, ladder=ladder, task_ids=[task.id])
        day += timedelta(days=1)
    again = scan(
        session, as_of=date(2024, 6, 18), calendar=calendar, cadence=CADENCE, ladder=ladder, task_ids=[task.id]
    )
    assert again.created == 0

    def intents(department_id):
        rows = session.scalars(
            select(NoticeIntent).where(
                NoticeIntent.task_id == task.id,
                NoticeIntent.department_id == department_id,
                NoticeIntent.kind == "report_missing",
            )
        ).all()
        return sorted((i.step, i.period, i.payload["streak"], i.payload["streak_since"]) for i in rows)

    assert intents(hengshui.approvals.id) == [
        ("missing_1", "2024-W22", 1, "2024-W22"),
        ("missing_1", "2024-W23", 2, "2024-W22"),
        ("missing_1", "2024-W24", 3, "2024-W22"),
        ("missing_3", "2024-W22", 3, "2024-W22"),
    ]
    ecology = intents(hengshui.ecology.id)
    [(_, first_week, streak, _)] = [row for row in ecology if row[0] == "missing_3"]
    assert first_week < "2024-W01" and streak > 80  # the first lead's streak from the plan's start, as before
    assert [row[1] for row in ecology if row[0] == "missing_1"][-3:] == ["2024-W22", "2024-W23", "2024-W24"]


def test_an_escalation_raised_to_a_lead_about_weeks_before_its_naming_is_withdrawn_saying_so(
    session, hengshui, calendar
):
    """What a scan before the fix left: the co-lead's escalation keyed by the task's first week of
    2022. Once the lead is counted from its own day the next scan resolves it, telling why, and
    raises the lead's own when its streak reaches the step."""
    task = hengshui.task
    [link] = [a for a in task.assignments if a.department_id == hengshui.approvals.id]
    link.role = Role.LEAD  # counted from the plan's start, as every lead was
    session.flush()
    ladder = Ladder.load()
    scan(session, as_of=date(2024, 6, 5), calendar=calendar, cadence=CADENCE, ladder=ladder, task_ids=[task.id])
    [stale] = session.scalars(
        select(NoticeIntent).where(
            NoticeIntent.task_id == task.id,
            NoticeIntent.department_id == hengshui.approvals.id,
            NoticeIntent.step == "missing_3",
        )
    ).all()
    assert stale.period < "2024-W01"

    link.assigned_on = NAMED
    session.flush()
    result = scan(
        session, as_of=date(2024, 6, 18), calendar=calendar, cadence=CADENCE, ladder=ladder, task_ids=[task.id]
    )
    session.refresh(stale)
    assert (stale.resolved_on, stale.resolution) == (
        date(2024, 6, 18),
        "该牵头单位自2024年5月22日起负责，此前各周不计其未报送",
    )
    assert result.resolved == 1
    escalations = session.scalars(
        select(NoticeIntent.period).where(
            NoticeIntent.task_id == task.id,
            NoticeIntent.department_id == hengshui.approvals.id,
            NoticeIntent.step == "missing_3",
            NoticeIntent.resolved_on.is_(None),
        )
    ).all()
    assert escalations == ["2024-W22"]

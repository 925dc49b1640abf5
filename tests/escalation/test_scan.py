"""The daily scan on the Hengshui plan: who is told what, once, and what recovery ends."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import hengshui_plan_id
from wufei.cadence.config import CadenceConfig
from wufei.calendar.workdays import WorkCalendar
from wufei.escalation.ladder import Ladder
from wufei.escalation.service import scan
from wufei.extensions.models import Extension, ExtensionStatus
from wufei.notices.models import NoticeIntent
from wufei.notices.service import list_intents
from wufei.reports.models import Report
from wufei.reports.service import open_tasks
from wufei.tasks.models import Role, Task

CALENDAR = WorkCalendar()
# Weekly reporting starts in 2099: these scans see deadlines only.
NO_REPORTING = CadenceConfig.from_dict({"weekly_report": {"reporting_since": "2099-01-01"}})
DUE_2022, DUE_2023, DUE_2025 = date(2022, 12, 31), date(2023, 12, 31), date(2025, 12, 31)


@pytest.fixture
def session(hengshui_session):  # every test here starts from the Hengshui plan, imported once for the run
    return hengshui_session


@pytest.fixture
def plan(session):
    tasks = list(session.scalars(select(Task).where(Task.plan_id == hengshui_plan_id(session)).order_by(Task.id)))
    return {t.id: t for t in tasks}


def _run(session, as_of, cadence=NO_REPORTING, **kwargs):
    # The ladder is read where the run starts: here (an office's copy in WUFEI_CONFIG_DIR when set).
    return scan(session, as_of=as_of, calendar=CALENDAR, cadence=cadence, ladder=Ladder.load(), **kwargs)


def _led(tasks, due):
    return {t.id for t in tasks.values() if t.due_date == due and t.departments(Role.LEAD)}


def _by_step(session, **filters):
    grouped: dict[str, list[NoticeIntent]] = {}
    for intent in list_intents(session, **filters):
        grouped.setdefault(intent.step, []).append(intent)
    return grouped


def test_a_week_before_the_2023_deadline_each_lead_liaison_is_reminded(session, plan):
    result = _run(session, date(2023, 12, 21))  # the 7th working day before 31 December 2023
    steps = _by_step(session)

    due_soon = steps["before_due_7"]
    assert {i.task_id for i in due_soon} == _led(plan, DUE_2023) and len(_led(plan, DUE_2023)) == 10
    expected = {(t, d.id) for t in _led(plan, DUE_2023) for d in plan[t].departments(Role.LEAD)}
    assert {(i.task_id, i.department_id) for i in due_soon} == expected
    assert {(i.audience, i.kind, i.period) for i in due_soon} == {("liaison", "due_soon", "2023-12-31")}
    assert "before_due_1" not in steps
    # Nothing yet about 2025; nothing ever about ongoing tasks.
    assert not {i.task_id for i in list_intents(session)} & (_led(plan, DUE_2025) | _led(plan, None))
    assert result.counts["before_due_7"] == len(expected) == result.created_by_step["before_due_7"]
    assert result.tasks == len(open_tasks(session, as_of=date(2023, 12, 21))) == 78


def test_tasks_a_year_overdue_carry_every_slip_to_the_right_people(session, plan):
    _run(session, date(2023, 12, 21))
    steps = _by_step(session)
    overdue = _led(plan, DUE_2022)
    assert len(overdue) == 7
    for step in ("after_due_1", "after_due_7", "after_due_30"):
        assert {i.task_id for i in steps[step]} == overdue

    [sludge] = [t for t in plan.values() if t.title == "衡水市污泥集中处置项目工程一期项目"]
    lead = sludge.departments(Role.LEAD)[0]
    supporting = sludge.departments(Role.SUPPORTING)[0]
    mine = _by_step(session, task_id=sludge.id)
    assert {(i.audience, i.department_id) for i in mine["after_due_1"]} == {
        ("liaison", lead.id),
        ("liaison", supporting.id),
    }
    assert {(i.audience, i.department_id) for i in mine["after_due_7"]} == {("leader", lead.id), ("office", None)}
    assert {(i.audience, i.department_id, i.kind) for i in mine["after_due_30"]} == {
        ("group", None, "group_escalation")
    }

    [red] = [i for i in mine["after_due_7"] if i.audience == "leader"]
    assert red.key == f"after_due_7|task:{sludge.id}|due:2022-12-31|leader|dept:{lead.id}"
    payload = red.payload
    assert payload["step_title"] == "红色督办单" and payload["kind"] == "red_slip"
    assert (payload["task_id"], payload["number"], payload["deadline_raw"]) == (sludge.id, "25", "2022年底")
    assert payload["plan"] == "衡政办字〔2022〕57号" and payload["due_date"] == "2022-12-31"
    # Saturday 31 December 2022 rolled over to Tuesday 3 January (元旦 on Monday 2 January): working
    # days from 4 January to 21 December 2023, both counted
    assert payload["days_overdue"] == 242
    assert "已逾期242个工作日" in payload["action"]
    assert "（完成期限2022年12月31日，节假日顺延至2023年1月3日）" in payload["action"]
    assert payload["recipient"] == "lead_leader" and payload["role"] == "lead"


def test_a_deadline_earlier_than_the_plan_itself_brings_no_slips(session, plan):
    # 2021年底 in a plan issued in October 2022: listed as done before the plan, not overdue.
    before_plan = _led(plan, date(2021, 12, 31))
    assert len(before_plan) == 6
    _run(session, date(2023, 12, 21))
    assert not {i.task_id for i in list_intents(session)} & before_plan


def test_the_working_day_before_the_deadline_reminds_lead_and_supporting_liaisons(session, plan):
    _run(session, date(2023, 12, 29))  # Friday; the 31st is a Sunday
    steps = _by_step(session)
    expected = {
        (t, d.id)
        for t in _led(plan, DUE_2023)
        for d in plan[t].departments(Role.LEAD) + plan[t].departments(Role.SUPPORTING)
    }
    assert {(i.task_id, i.department_id) for i in steps["before_due_1"]} == expected
    assert any(d.id == dep for t, dep in expected for d in plan[t].departments(Role.SUPPORTING))
    # A scan that did not run on the 21st still sends the first reminder.
    assert {i.task_id for i in steps["before_due_7"]} == _led(plan, DUE_2023)


def test_a_second_scan_creates_nothing(session, plan):
    first = _run(session, date(2023, 12, 21))
    count = session.scalar(select(func.count()).select_from(NoticeIntent))
    assert first.created == count > 0 and first.already_existing == 0

    again = _run(session, date(2023, 12, 21))
    assert again.created == 0 and again.created_ids == []
    assert again.already_existing == first.created
    assert again.counts == first.counts

    next_day = _run(session, date(2023, 12, 22))
    assert next_day.created == 0  # the same steps still apply: same keys
    assert session.scalar(select(func.count()).select_from(NoticeIntent)) == count


def test_completing_a_task_resolves_its_intents_and_stops_new_ones(session, plan):
    _run(session, date(2023, 12, 21))
    done, other = sorted(_led(plan, DUE_2022))[:2]
    plan[done].completed_on = date(2023, 12, 22)
    session.flush()

    result = _run(session, date(2023, 12, 25))
    assert result.resolutions == {"已完成": result.resolved} and result.resolved == len(
        list_intents(session, task_id=done)
    )
    assert {(i.resolved_on, i.resolution) for i in list_intents(session, task_id=done)} == {
        (date(2023, 12, 25), "已完成")
    }
    assert {i.resolved_on for i in list_intents(session, task_id=other)} == {None}

    later = _run(session, date(2024, 3, 1))
    assert later.resolved == 0
    assert all(i.created_on == date(2023, 12, 21) for i in list_intents(session, task_id=done))


def test_an_approved_extension_ends_the_old_deadline_intents_and_brings_fresh_keys(session, plan):
    task_id = sorted(_led(plan, DUE_2023))[0]
    lead = plan[task_id].departments(Role.LEAD)[0]
    _run(session, date(2023, 12, 29))
    # Sunday 31 December rolled over to Tuesday 2 January: the day after, a yellow slip
    assert "after_due_1" not in _run(session, date(2024, 1, 2)).created_by_step
    yellow = _run(session, date(2024, 1, 3))
    assert yellow.created_by_step["after_due_1"] > 0
    assert "after_due_1" in _by_step(session, task_id=task_id)

    session.add(
        Extension(
            task_id=task_id,
            department_id=lead.id,
            requested_on=date(2023, 12, 28),
            reason="设备到货延迟",
            original_due_date=DUE_2023,
            requested_due_date=date(2024, 3, 29),
            status=ExtensionStatus.APPROVED,
            decided_on=date(2024, 1, 3),
            decided_by="办公室",
        )
    )
    session.flush()

    result = _run(session, date(2024, 1, 4))
    old = list_intents(session, task_id=task_id)
    assert {i.period for i in old} == {"2023-12-31"}
    assert {(i.resolved_on, i.resolution) for i in old} == {(date(2024, 1, 4), "已延期")}
    assert result.resolutions == {"已延期": len(old)}
    # The other tasks due that day stay overdue.
    others = [i for i in list_intents(session, step="after_due_1") if i.task_id != task_id]
    assert others and {i.resolved_on for i in others} == {None}

    # Seven working days before the new deadline: a fresh reminder under a new key.
    fresh = _run(session, date(2024, 3, 20))
    [reminder] = list_intents(session, task_id=task_id, since=date(2024, 3, 20))
    assert reminder.step == "before_due_7" and reminder.period == "2024-03-29"
    assert reminder.key == f"before_due_7|task:{task_id}|due:2024-03-29|liaison|dept:{lead.id}"
    assert reminder.payload["original_due_date"] == "2023-12-31"
    assert "2024年3月29日" in reminder.payload["action"]
    assert reminder.id in fresh.created_ids


def _file(session, task, week_start):
    wednesday = week_start + timedelta(days=2)  # on time: windows close on Friday at 17:00
    session.add(
        Report(
            task_id=task.id,
            department_id=task.departments(Role.LEAD)[0].id,
            week_start=week_start,
            progress=50,
            submitted_at=datetime.combine(wednesday, time(1), tzinfo=UTC),
        )
    )


def test_missed_weekly_reports_remind_the_liaison_then_the_leader_and_the_office(session, plan):
    cadence = CadenceConfig.from_dict({"weekly_report": {"reporting_since": "2024-05-06"}})  # W19 … W22 closed by June
    led = sorted(_led(plan, DUE_2025))
    always, lapsed, never = plan[led[0]], plan[led[1]], plan[led[2]]
    for week in (date(2024, 5, 6), date(2024, 5, 13), date(2024, 5, 20), date(2024, 5, 27)):
        _file(session, always, week)
    _file(session, lapsed, date(2024, 5, 20))
    session.flush()

    _run(session, date(2024, 6, 3), cadence=cadence)
    missing = _by_step(session, kind="report_missing")
    by_task = Counter((i.task_id, i.step) for i in missing["missing_1"] + missing["missing_3"])
    assert (always.id, "missing_1") not in by_task
    assert (lapsed.id, "missing_1") in by_task and (lapsed.id, "missing_3") not in by_task
    assert (never.id, "missing_3") in by_task
    [liaison] = [i for i in missing["missing_1"] if i.task_id == lapsed.id]
    assert (liaison.audience, liaison.department_id, liaison.period) == (
        "liaison",
        lapsed.departments(Role.LEAD)[0].id,
        "2024-W22",
    )
    assert liaison.payload["week_cn"] == "2024年第22周" and "2024年第22周" in liaison.payload["action"]
    escalated = [i for i in missing["missing_3"] if i.task_id == never.id]
    assert {i.audience for i in escalated} == {"leader", "office"}
    assert escalated[0].payload["streak"] == 4


def test_a_friday_scan_does_not_count_that_fridays_week_as_missed(session, plan):
    cadence = CadenceConfig.from_dict({"weekly_report": {"reporting_since": "2024-05-06"}})
    _run(session, date(2024, 5, 31), cadence=cadence)  # W22 closes at 17:00 today
    missing = list_intents(session, kind="report_missing")
    assert {i.period for i in missing if i.step == "missing_1"} == {"2024-W21"}
    assert all(i.payload["week"] == "2024-W21" for i in missing)


def test_a_later_missed_week_brings_new_missing_notices(session, plan):
    cadence = CadenceConfig.from_dict({"weekly_report": {"reporting_since": "2024-05-06"}})
    first = _run(session, date(2024, 6, 3), cadence=cadence)
    again = _run(session, date(2024, 6, 4), cadence=cadence)
    assert again.created == 0
    later = _run(session, date(2024, 6, 11), cadence=cadence)  # W23 has closed unreported too
    assert later.created_by_step["missing_1"] == first.created_by_step["missing_1"]
    assert {i.period for i in list_intents(session, since=date(2024, 6, 11))} == {"2024-W23"}


def test_the_office_can_replace_the_ladder_through_the_config_dir(session, plan, tmp_path, monkeypatch):
    (tmp_path / "ladder.yaml").write_text(
        "steps:\n"
        "  - {id: overdue_3, anchor: due, offset_workdays: 3, audience: [office], kind: overdue, title: 逾期提醒}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("WUFEI_CONFIG_DIR", str(tmp_path))
    assert [s.id for s in Ladder.load().steps] == ["overdue_3"]
    _run(session, date(2024, 1, 5))  # 3rd working day after 2 January (31 December 2023 rolled over)
    assert set(_by_step(session)) == {"overdue_3"}
    assert {i.task_id for i in list_intents(session)} == _led(plan, DUE_2022) | _led(plan, DUE_2023)


def test_the_leader_hears_once_per_streak_while_the_liaison_is_reminded_every_week(session, plan):
    cadence = CadenceConfig.from_dict({"weekly_report": {"reporting_since": "2024-05-06"}})
    never = plan[sorted(_led(plan, DUE_2025))[2]]
    _run(session, date(2024, 6, 3), cadence=cadence)  # W19–W22 missed: streak 4, first seen now
    _run(session, date(2024, 6, 11), cadence=cadence)  # W23 missed too: streak 5
    mine = [i for i in list_intents(session, kind="report_missing") if i.task_id == never.id]
    liaison = sorted(i.period for i in mine if i.step == "missing_1")
    escalated = {(i.period, i.audience) for i in mine if i.step == "missing_3"}
    assert liaison == ["2024-W22", "2024-W23"]
    assert escalated == {("2024-W19", "leader"), ("2024-W19", "office")}


def file_report(session, task, week, at, cadence):
    from wufei.reports.service import submit_report

    [lead] = task.departments(Role.LEAD)
    return submit_report(
        session,
        task_id=task.id,
        department_id=lead.id,
        week_start=week,
        progress=30,
        done_text="补报进展",
        problems=None,
        next_steps=None,
        at=datetime.combine(at, time(9), tzinfo=cadence.timezone),
        actor="test",
        calendar=CALENDAR,
        cadence=cadence,
    )


def test_a_report_filed_for_a_reminded_week_answers_that_weeks_reminder_only(session, plan):
    """The liaison's 未报送提醒 of a week is answered (已补报) when that week's report is filed,
    late; the escalation about the streak (keyed by its first week) stays, even when the first
    week's report is filed: one late report does not end a streak of weeks without a report on time."""
    cadence = CadenceConfig.from_dict({"weekly_report": {"reporting_since": "2024-05-06"}})
    never = plan[sorted(_led(plan, DUE_2025))[2]]
    _run(session, date(2024, 6, 3), cadence=cadence)  # W19–W22 missed: streak 4
    _run(session, date(2024, 6, 11), cadence=cadence)  # W23 missed too
    file_report(session, never, date(2024, 6, 3), date(2024, 6, 12), cadence)  # W23
    file_report(session, never, date(2024, 5, 6), date(2024, 6, 12), cadence)  # W19, the streak's first week
    mine = {(i.step, i.period): i for i in list_intents(session, kind="report_missing") if i.task_id == never.id}
    answered = mine[("missing_1", "2024-W23")]
    assert (answered.resolved_on, answered.resolution) == (date(2024, 6, 12), "已补报")
    assert mine[("missing_1", "2024-W22")].resolved_on is None  # W22 is still unreported
    assert mine[("missing_3", "2024-W19")].resolved_on is None


def test_a_week_filed_late_before_the_scan_gets_no_reminder_but_counts_as_missed(session, plan):
    """A report filed after Friday's deadline but before the next scan: the week still counts
    in the streak (late reports do not break it by default), but nobody is asked for it."""
    cadence = CadenceConfig.from_dict({"weekly_report": {"reporting_since": "2024-05-06"}})
    never = plan[sorted(_led(plan, DUE_2025))[2]]
    _run(session, date(2024, 6, 3), cadence=cadence)
    file_report(session, never, date(2024, 6, 3), date(2024, 6, 11), cadence)  # W23, before the scan at 09:00
    _run(session, date(2024, 6, 11), cadence=cadence)
    mine = [i for i in list_intents(session, kind="report_missing") if i.task_id == never.id]
    assert {i.period for i in mine if i.step == "missing_1"} == {"2024-W22"}
    others = {i.task_id for i in list_intents(session, kind="report_missing") if i.period == "2024-W23"}
    assert others and never.id not in others  # the others' W23 reminders are made as before
    from wufei.reports.service import missing_streaks

    streak = missing_streaks(session, as_of=date(2024, 6, 10), calendar=CALENDAR, cadence=cadence, task_ids=[never.id])
    assert streak[never.id] == 5  # W19–W23: the late W23 counts


def test_a_streaks_escalation_is_resolved_when_a_report_on_time_ends_the_streak(session, plan):
    """The leader's escalation is about a streak of weeks (keyed by its first week): once a week's
    report comes in on time the streak is over, and the escalation with it (已恢复按时报送; one not
    yet delivered is not sent). The weeks still unreported keep their own reminders; another
    task's escalation about a streak still running stays; a new streak escalates anew."""
    cadence = CadenceConfig.from_dict({"weekly_report": {"reporting_since": "2024-05-06"}})
    never, other = (plan[t] for t in sorted(_led(plan, DUE_2025))[2:4])
    _run(session, date(2024, 6, 3), cadence=cadence)  # W19–W22 missed: streak 4, escalated (W19)
    on_time = file_report(session, never, date(2024, 6, 3), date(2024, 6, 6), cadence)  # W23, on Thursday
    assert on_time.late is False
    _run(session, date(2024, 6, 11), cadence=cadence)  # W23 closed: never's streak is over
    mine = {(i.step, i.period): i for i in list_intents(session, kind="report_missing") if i.task_id == never.id}
    for audience_intent in (i for (step, _), i in mine.items() if step == "missing_3"):
        assert (audience_intent.resolved_on, audience_intent.resolution) == (date(2024, 6, 11), "已恢复按时报送")
    assert mine[("missing_1", "2024-W22")].resolved_on is None  # W22 itself is still unreported
    theirs = [
        i for i in list_intents(session, kind="report_missing") if i.task_id == other.id and i.step == "missing_3"
    ]
    assert theirs and all(i.resolved_on is None for i in theirs)  # other's W19– streak goes on

    for day in (date(2024, 6, 17), date(2024, 6, 24), date(2024, 7, 1)):  # W24–W26 missed: a new streak
        _run(session, day, cadence=cadence)
    escalations = {
        (i.period, i.resolved_on)
        for i in list_intents(session, kind="report_missing")
        if i.task_id == never.id and i.step == "missing_3"
    }
    assert escalations == {("2024-W19", date(2024, 6, 11)), ("2024-W24", None)}


def test_where_a_late_report_breaks_a_streak_the_escalation_ends_as_reported_not_on_time(session, plan):
    """With `late_report_breaks_missing_streak: true` a late report ends the streak too: the
    escalation is 已恢复报送, never 已恢复按时报送 about a report that was late."""
    cadence = CadenceConfig.from_dict(
        {"weekly_report": {"reporting_since": "2024-05-06", "late_report_breaks_missing_streak": True}}
    )
    never = plan[sorted(_led(plan, DUE_2025))[2]]
    _run(session, date(2024, 6, 3), cadence=cadence)  # W19–W22 missed: escalated (W19)
    late = file_report(session, never, date(2024, 6, 3), date(2024, 6, 11), cadence)  # W23, after Friday
    assert late.late is True
    _run(session, date(2024, 6, 12), cadence=cadence)  # the streak is walked as of the day before
    escalations = [
        i for i in list_intents(session, kind="report_missing") if i.task_id == never.id and i.step == "missing_3"
    ]
    assert escalations and {(i.resolved_on, i.resolution) for i in escalations} == {(date(2024, 6, 12), "已恢复报送")}


def test_moving_reporting_since_later_withdraws_the_reminders_about_the_weeks_before_it(session, plan):
    """The office went live on 6 May, then moved cadence.yaml's reporting_since to 3 June: the
    reminders and escalations about May's weeks are resolved, saying why, and never raised again."""
    led = sorted(_led(plan, DUE_2025))
    never = plan[led[2]]
    _run(
        session, date(2024, 6, 3), cadence=CadenceConfig.from_dict({"weekly_report": {"reporting_since": "2024-05-06"}})
    )
    raised = [i for i in list_intents(session, kind="report_missing") if i.task_id == never.id]
    assert {i.period for i in raised} == {"2024-W22", "2024-W19"}  # the week's reminder, the streak's escalation

    moved = CadenceConfig.from_dict({"weekly_report": {"reporting_since": "2024-06-03"}})
    result = _run(session, date(2024, 6, 4), cadence=moved)
    reason = "报送自2024年6月3日起计，此前各周无需报送，不再催报"
    assert result.created == 0 and result.resolutions[reason] >= len(raised)
    session.expire_all()
    assert {(i.resolved_on, i.resolution) for i in raised} == {(date(2024, 6, 4), reason)}
    open_before = session.scalar(
        select(func.count())
        .select_from(NoticeIntent)
        .where(
            NoticeIntent.kind == "report_missing", NoticeIntent.resolved_on.is_(None), NoticeIntent.period < "2024-W23"
        )
    )
    assert open_before == 0

    later = _run(session, date(2024, 6, 11), cadence=moved)  # W23, the first week owed, closed unreported
    new = [i for i in list_intents(session, kind="report_missing") if i.task_id == never.id and i.resolved_on is None]
    assert {(i.step, i.period) for i in new} == {("missing_1", "2024-W23")} and later.created

"""Lights computed and recorded over the Hengshui plan (issued 2022-10-07), with reports set up."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.conftest import hengshui_plan_id
from tests.lights.factories import file_report, lead_of, tasks_of
from tests.rules import CADENCE
from wufei.cadence.config import CadenceConfig
from wufei.calendar.workdays import WorkCalendar
from wufei.extensions.service import decide_extension, request_extension
from wufei.lights.models import Light, LightRecord, LightState
from wufei.lights.rules import LightRules
from wufei.lights.service import (
    compute_lights,
    light_history,
    lights_as_dicts,
    record_lights,
    scan_lights,
    task_states,
)
from wufei.reports.models import ReportStatus
from wufei.tasks.milestones import ensure_milestones, set_milestone
from wufei.tasks.models import Milestone, Role, Task

CAL = WorkCalendar()
RULES = LightRules()
DAY = date(2023, 6, 30)  # a Friday: the week of 26 June closes at 17:00
LAST_WEEK, WEEK_BEFORE = date(2023, 6, 26), date(2023, 6, 19)


@pytest.fixture
def session(hengshui_session):  # every test here starts from the Hengshui plan, imported once for the run
    return hengshui_session


@pytest.fixture
def plan_id(session):
    return hengshui_plan_id(session)


def lights(session, plan_id, day=DAY, **kw):
    return compute_lights(
        session, as_of=day, calendar=CAL, rules=RULES, plan_ids=[plan_id], **{"cadence": CADENCE, **kw}
    )


def test_every_task_of_the_plan_gets_a_light_and_those_awaiting_an_owner_say_so(session, plan_id):
    results = lights(session, plan_id)
    tasks = list(session.scalars(select(Task).where(Task.plan_id == plan_id)))
    led = {t.id for t in tasks if not t.awaiting_assignment and t.departments(Role.LEAD)}
    assert len(led) == 78 and len(tasks) == 112
    assert set(results) == {t.id for t in tasks}  # nobody leads 34 of them: lit all the same
    # Nobody has reported since the plan was issued: every led task is red for missing reports.
    assert {results[i].light for i in led} == {Light.RED}
    assert all("missing_reports" in results[i].rules for i in led)
    # A task waiting for its lead owes no report yet; it is yellow until its deadline passes.
    waiting = [results[t.id] for t in tasks if t.id not in led]
    assert {r.light for r in waiting} == {Light.YELLOW}
    assert all(r.rules == ("awaiting_assignment",) for r in waiting)
    assert waiting[0].reason == "待指定牵头单位，指定后纳入周报送"


def test_a_task_awaiting_an_owner_turns_red_when_its_deadline_passes(session, plan_id):
    waiting = session.scalar(
        select(Task).where(Task.plan_id == plan_id, Task.awaiting_assignment.is_(True)).order_by(Task.id)
    )
    [late] = lights(session, plan_id, day=date(2026, 3, 2), task_ids=[waiting.id]).values()
    assert late.light == Light.RED and late.rules == ("overdue", "awaiting_assignment")
    assert late.reason.endswith("；待指定牵头单位，指定后纳入周报送")
    off = LightRules(awaiting_assignment=None)
    [plain] = compute_lights(
        session, as_of=DAY, calendar=CAL, cadence=CADENCE, rules=off, task_ids=[waiting.id]
    ).values()
    assert plain.light == Light.GREEN


def test_a_task_due_at_the_end_of_2023_lights_by_its_reported_progress(session, plan_id):
    task = tasks_of(session, plan_id, kind="fixed", due=date(2023, 12, 31))[0]
    state = task_states(session, as_of=DAY, calendar=CAL, task_ids=[task.id], cadence=CADENCE)[task.id]
    assert (state.start, state.due, state.original_due, state.progress) == (
        date(2022, 10, 7),
        date(2023, 12, 31),
        date(2023, 12, 31),
        None,
    )
    assert state.missing_streak > 30  # every closed week since the plan was issued
    report = file_report(session, task, LAST_WEEK, 20)
    [red] = lights(session, plan_id, task_ids=[task.id]).values()
    assert (red.light, red.reason) == (Light.RED, "进度20%，落后序时进度39个百分点")

    report.progress = 40
    session.flush()
    assert lights(session, plan_id, task_ids=[task.id])[task.id].light == Light.YELLOW
    report.progress = 60
    session.flush()
    assert lights(session, plan_id, task_ids=[task.id])[task.id].reason == "按计划推进"


def test_a_returned_report_does_not_count_as_progress(session, plan_id):
    task = tasks_of(session, plan_id, kind="fixed", due=date(2023, 12, 31))[0]
    file_report(session, task, WEEK_BEFORE, 40)
    file_report(session, task, LAST_WEEK, 90, status=ReportStatus.RETURNED)
    result = lights(session, plan_id, task_ids=[task.id])[task.id]
    assert "进度40%" in result.reason


def test_an_ongoing_task_turns_yellow_after_two_silent_weeks_and_recovers_with_a_report(session, plan_id):
    task = tasks_of(session, plan_id, kind="ongoing")[0]
    file_report(session, task, date(2023, 6, 12), 30)
    # Friday 30 June: the week due at 17:00 that day is not missed yet (the scan runs at 08:30)
    quiet = lights(session, plan_id, task_ids=[task.id])[task.id]
    assert (quiet.light, quiet.reason) == (Light.YELLOW, "连续1周未按时报送进展")
    monday = lights(session, plan_id, date(2023, 7, 3), task_ids=[task.id])[task.id]
    assert (monday.light, monday.reason) == (Light.YELLOW, "连续2周未按时报送进展")
    file_report(session, task, LAST_WEEK, 35)
    assert lights(session, plan_id, task_ids=[task.id])[task.id].light == Light.GREEN


def test_the_annual_task_counts_only_this_years_progress(session, plan_id):
    [task] = tasks_of(session, plan_id, kind="annual")
    file_report(session, task, date(2022, 12, 26), 100)
    file_report(session, task, date(2023, 1, 2), 100, version=1)
    day = date(2023, 1, 6)
    result = lights(session, plan_id, day, task_ids=[task.id])[task.id]
    assert result.light == Light.GREEN
    # A year later the 2023 reports no longer speak for 2024.
    later = compute_lights(
        session,
        as_of=date(2024, 7, 1),
        calendar=CAL,
        rules=RULES,
        task_ids=[task.id],
        cadence=CadenceConfig.from_dict({"weekly_report": {"reporting_since": "2024-07-01"}}),
    )[task.id]
    assert later.reason == "尚未报送进度（按0%计），落后序时进度50个百分点"


def test_generated_milestones_make_a_long_task_red_when_a_year_end_target_is_missed(session, plan_id):
    task = tasks_of(session, plan_id, kind="fixed", due=date(2025, 12, 31))[0]
    ensure_milestones(session, plan_ids=[plan_id])
    file_report(session, task, date(2024, 1, 1), 30)  # 2023年度目标 is 38%
    day = date(2024, 1, 5)
    result = lights(session, plan_id, day, task_ids=[task.id])[task.id]
    assert result.light == Light.RED and result.rules == ("milestone_missed",)
    assert result.reason == "未完成2023年度目标（应于2023年12月31日达到38%，当前进度30%）"


def test_an_approved_extension_turns_an_overdue_task_green(session, plan_id):
    task = tasks_of(session, plan_id, kind="fixed", due=date(2023, 12, 31))[0]
    file_report(session, task, date(2023, 12, 25), 80)
    day = date(2024, 1, 4)  # the Sunday deadline rolled over to Tuesday 2 January: overdue from the 3rd
    assert lights(session, plan_id, day, task_ids=[task.id])[task.id].rules[0] == "overdue"

    lead = next(a.department_id for a in task.assignments if a.role == "lead")
    extension = request_extension(
        session,
        task_id=task.id,
        department_id=lead,
        requested_on=date(2023, 12, 20),
        new_due=date(2024, 6, 30),
        reason="设备到货推迟",
        actor="test",
    )
    decide_extension(session, extension_id=extension.id, approve=True, note=None, decided_on=day, actor="office")
    after = lights(session, plan_id, day, task_ids=[task.id])[task.id]
    assert (after.light, after.reason) == (Light.GREEN, "按计划推进")
    # The light of the day before the decision is still judged on the old date.
    assert lights(session, plan_id, date(2024, 1, 3), task_ids=[task.id])[task.id].rules[0] == "overdue"


def test_recording_lights_twice_writes_nothing_the_second_time(session, plan_id):
    results = lights(session, plan_id)
    assert record_lights(session, as_of=DAY, results=results) == len(results)
    assert record_lights(session, as_of=DAY, results=results) == 0
    assert record_lights(session, as_of=date(2023, 7, 3), results=lights(session, plan_id, date(2023, 7, 3))) == 0
    count = session.scalar(select(func.count()).select_from(LightRecord))
    assert count == len(results)


def test_the_history_keeps_each_change_of_a_tasks_light(session, plan_id):
    task = tasks_of(session, plan_id, kind="fixed", due=date(2023, 12, 31))[0]
    report = file_report(session, task, LAST_WEEK, 20)
    assert record_lights(session, as_of=DAY, results=lights(session, plan_id, task_ids=[task.id])) == 1

    report.progress = 45  # caught up partly: red → yellow
    session.flush()
    monday = date(2023, 7, 3)
    assert record_lights(session, as_of=monday, results=lights(session, plan_id, monday, task_ids=[task.id])) == 1
    assert record_lights(session, as_of=monday, results=lights(session, plan_id, monday, task_ids=[task.id])) == 0

    history = light_history(session, task_id=task.id)
    assert [(h.as_of, h.light, h.rules) for h in history] == [(DAY, "red", "lag"), (monday, "yellow", "lag")]
    assert history[0].reason == "进度20%，落后序时进度39个百分点"
    assert history[0].milestone_id is None


def test_a_backdated_run_compares_with_the_record_in_force_on_that_day(session, plan_id):
    task = tasks_of(session, plan_id, kind="fixed", due=date(2023, 12, 31))[0]
    file_report(session, task, LAST_WEEK, 60)
    results = lights(session, plan_id, task_ids=[task.id])
    record_lights(session, as_of=DAY, results=results)
    earlier = lights(session, plan_id, date(2023, 6, 1), task_ids=[task.id])  # red: no report before June 26
    assert earlier[task.id].light == Light.RED
    assert record_lights(session, as_of=date(2023, 6, 1), results=earlier) == 1
    assert record_lights(session, as_of=DAY, results=results) == 0


def test_lights_as_dicts_gives_the_light_reason_and_rules_for_json(session, plan_id):
    task = tasks_of(session, plan_id, kind="fixed", due=date(2023, 12, 31))[0]
    file_report(session, task, LAST_WEEK, 40)
    rows = lights_as_dicts(lights(session, plan_id, task_ids=[task.id]))
    assert rows == {task.id: {"light": "yellow", "reason": "进度40%，落后序时进度19个百分点", "rules": ["lag"]}}


def test_task_states_load_in_a_fixed_number_of_queries(session, plan_id):
    from sqlalchemy import event

    ensure_milestones(session, plan_ids=[plan_id])
    statements = []

    def count(*_args):
        statements.append(1)

    connection = session.connection()
    event.listen(connection, "before_cursor_execute", count)
    try:
        states = task_states(session, as_of=DAY, calendar=CAL, plan_ids=[plan_id], cadence=CADENCE)
    finally:
        event.remove(connection, "before_cursor_execute", count)
    assert len(states) == 112  # those awaiting an owner too
    assert len(statements) <= 6


def test_long_id_lists_are_filtered_without_an_oversized_in_clause(session, plan_id, monkeypatch):
    import wufei.extensions.service as extensions
    import wufei.lights.service as service

    monkeypatch.setattr(service, "_IN_LIMIT", 3)
    monkeypatch.setattr(extensions, "_IN_LIMIT", 3)
    picked = [t.id for t in tasks_of(session, plan_id, kind="fixed", due=date(2023, 12, 31))[:5]]
    results = lights(session, plan_id, task_ids=picked)
    assert sorted(results) == sorted(picked)
    assert record_lights(session, as_of=DAY, results=results) == 5
    assert record_lights(session, as_of=DAY, results=results) == 0
    assert set(extensions.effective_due_dates(session, as_of=DAY, task_ids=picked)) == set(picked)


def _scan(session, plan_id, day, **kw):
    return scan_lights(session, as_of=day, calendar=CAL, cadence=CADENCE, rules=RULES, plan_ids=[plan_id], **kw)


def test_the_scan_judges_again_exactly_the_tasks_whose_inputs_changed(session, plan_id):
    wednesday, thursday = date(2023, 6, 28), date(2023, 6, 29)  # no window closes between them
    ensure_milestones(session, plan_ids=[plan_id])  # as the daily scan does first
    everyone = _scan(session, plan_id, wednesday)
    assert everyone.judged == sum(everyone.counts.values()) > 50
    _scan(session, plan_id, thursday)  # what the date alone moves by Thursday
    assert _scan(session, plan_id, thursday).judged == 0  # nothing changed since

    reported, moved, extended = tasks_of(session, plan_id, kind="fixed", due=date(2023, 12, 31))[:3]
    file_report(session, reported, date(2023, 6, 26), 55)
    milestone = session.scalars(select(Milestone).where(Milestone.task_id == moved.id)).first()
    set_milestone(
        session,
        task_id=moved.id,
        due_date=milestone.due_date,
        expected_progress=(milestone.expected_progress + 7) % 100,
        title=milestone.title,
        actor="office",
    )
    extension = request_extension(
        session,
        task_id=extended.id,
        department_id=lead_of(extended),
        requested_on=date(2023, 6, 20),
        new_due=date(2024, 6, 30),
        reason="设备到货推迟",
        actor="test",
    )
    decide_extension(session, extension_id=extension.id, approve=True, note=None, decided_on=thursday, actor="office")
    before = dict(session.execute(select(LightState.task_id, LightState.inputs)).tuples().all())

    again = _scan(session, plan_id, thursday)
    after = dict(session.execute(select(LightState.task_id, LightState.inputs)).tuples().all())
    assert again.judged == 3
    assert {task_id for task_id in after if after[task_id] != before[task_id]} == {reported.id, moved.id, extended.id}
    # the same lights as judging every task
    full = _scan(session, plan_id, thursday, full=True)
    assert full.judged == everyone.judged and full.counts == again.counts
    judged = lights(session, plan_id, thursday)
    states = dict(session.execute(select(LightState.task_id, LightState.light)).tuples().all())
    assert states == {task_id: result.light for task_id, result in judged.items()}


def test_the_scan_judges_once_per_state_keyed_by_every_field_but_the_task():
    # scan_lights judges tasks with the same state once: the key must cover every other field.
    from dataclasses import fields, replace

    from wufei.lights.rules import MilestonePoint, TaskState
    from wufei.lights.service import _state_key

    state = TaskState(
        task_id=1,
        deadline_kind="fixed",
        start=date(2023, 1, 1),
        due=date(2024, 6, 30),
        original_due=date(2024, 3, 31),
        completed_on=None,
        progress=40,
        progress_week=date(2023, 12, 25),
        missing_streak=1,
        milestones=(MilestonePoint(date(2024, 3, 31), 50, "节点"),),
        awaiting=False,
    )
    assert _state_key(replace(state, task_id=2)) == _state_key(state)
    others = {
        "deadline_kind": "annual",
        "start": date(2022, 1, 1),
        "due": date(2024, 7, 31),
        "original_due": date(2024, 6, 30),
        "completed_on": date(2024, 1, 2),
        "progress": 41,
        "progress_week": date(2024, 1, 1),
        "missing_streak": 2,
        "milestones": (),
        "awaiting": True,
    }
    assert set(others) == {f.name for f in fields(TaskState)} - {"task_id"}
    for name, value in others.items():
        assert _state_key(replace(state, **{name: value})) != _state_key(state), name

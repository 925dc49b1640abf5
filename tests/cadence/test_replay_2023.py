"""A year of supervision replayed for Hengshui with generated department behaviour (the replay
shared with tests/lights/test_incremental_scan.py: tests/replay_2023.py).

The expectations below were worked out by hand from the behaviours in wufei/simulate.py
and the 2023 calendar before the replay ran. The plan was issued on 2022-10-07, so a task
due 2023-12-31 runs 450 days and its 序时进度 on day d is (d − 2022-10-07) / 450.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from wufei.cadence.config import CadenceConfig
from wufei.cadence.windows import reporting_window
from wufei.calendar.service import load_calendar
from wufei.db import make_sessionmaker
from wufei.escalation.ladder import Ladder
from wufei.escalation.service import scan
from wufei.extensions.models import Extension
from wufei.lights.rules import LightRules
from wufei.lights.service import compute_lights
from wufei.notices.models import NoticeIntent
from wufei.reports.models import Report
from wufei.simulate import behaviour_of
from wufei.tasks.models import Task

pytestmark = pytest.mark.slow  # the year is replayed once for the run (minutes): tests/replay_2023.py

PLAN = "衡政办字〔2022〕57号"


@pytest.fixture(scope="module")
def year(replay_2023):
    """The engine of the year replayed once for the run (tests/replay_2023.py), the office's
    configuration in force for the judgements below."""
    with replay_2023.configured():
        yield replay_2023.engine


def _task(session, list_kind: str, number: str) -> Task:
    return session.scalar(select(Task).where(Task.list_kind == list_kind, Task.number == number))


def _light(session, task: Task, day: date):
    return compute_lights(
        session,
        as_of=day,
        calendar=load_calendar(session),
        cadence=CadenceConfig.load(),
        rules=LightRules.load(),
        task_ids=[task.id],
    )[task.id]


def _intents(session, task: Task, step: str | None = None) -> list[NoticeIntent]:
    query = select(NoticeIntent).where(NoticeIntent.task_id == task.id)
    if step:
        query = query.where(NoticeIntent.step == step)
    return list(session.scalars(query.order_by(NoticeIntent.id)))


def test_the_behaviours_are_the_ones_the_expectations_were_written_for(year):
    with make_sessionmaker(year)() as session:
        assert behaviour_of(_task(session, "market", "9")) == "early"
        assert behaviour_of(_task(session, "project", "26")) == "stalled"
        assert behaviour_of(_task(session, "regulation", "2")) == "late"
        assert behaviour_of(_task(session, "project", "19")) == "silent"
        assert behaviour_of(_task(session, "market", "6")) == "steady"


def test_a_task_done_early_is_done_from_the_day_its_full_report_was_filed(year):
    # early: twice the expectation reaches 100% once half the time has passed (2023-05-20);
    # the first Wednesday after is 24 May; the office accepts it the next morning.
    with make_sessionmaker(year)() as session:
        task = _task(session, "market", "9")
        assert task.completed_on == date(2023, 5, 24)
        assert _light(session, task, date(2023, 5, 23)).light == "green"
        assert _light(session, task, date(2023, 6, 1)).light == "done"
        assert _intents(session, task) == []  # never late, never due soon


def test_a_task_finished_in_december_hears_nothing_about_its_deadline(year):
    # steady: expectation + 5 reaches 100% at 95% of the time (9 December): done 13 December,
    # before the 7-working-days reminder of 21 December.
    with make_sessionmaker(year)() as session:
        task = _task(session, "market", "6")
        assert task.completed_on == date(2023, 12, 13)
        assert [i.step for i in _intents(session, task) if i.step.startswith(("before_due", "after_due"))] == []


def test_late_reports_are_counted_late_and_the_task_still_finishes(year):
    # late: each week's report is filed the next Monday 09:00, after Friday 17:00.
    with make_sessionmaker(year)() as session:
        task = _task(session, "regulation", "2")
        reports = list(session.scalars(select(Report).where(Report.task_id == task.id)))
        calendar = load_calendar(session)
        cadence = CadenceConfig.load()
        windowed = [r for r in reports if reporting_window(r.week_start, calendar, cadence) is not None]
        assert len(windowed) > 40 and all(r.late for r in windowed)
        # A week without a reporting window (the Spring Festival week) cannot be late.
        assert all(not r.late for r in reports if r not in windowed)
        assert task.completed_on == date(2023, 12, 11)


def test_a_silent_department_turns_yellow_then_red_and_its_leader_hears_once(year):
    # silent: the last report is for W13 (filed 29 March). W14 closes 7 April, W15 14 April,
    # W16 21 April: one missed week by 10 April (yellow), three by the next working day, which
    # is Sunday 23 April (a 调休 working day before the Labour Day holiday).
    with make_sessionmaker(year)() as session:
        task = _task(session, "project", "19")
        assert _light(session, task, date(2023, 4, 3)).light == "green"
        tenth = _light(session, task, date(2023, 4, 10))
        assert tenth.light == "yellow" and "missing_reports" in tenth.rules
        red = _light(session, task, date(2023, 4, 24))
        assert red.light == "red" and "连续3周未按时报送" in red.reason
        escalations = _intents(session, task, "missing_3")
        assert {(i.period, i.audience) for i in escalations} == {("2023-W14", "leader"), ("2023-W14", "office")}
        assert escalations[0].created_on == date(2023, 4, 23)
        reminders = _intents(session, task, "missing_1")
        assert reminders[0].period == "2023-W14" and reminders[0].created_on == date(2023, 4, 10)
        assert len(reminders) > 30  # every missed week until the year ended


def test_a_silent_task_past_its_deadline_gets_a_yellow_slip_on_the_first_working_day(year):
    # due 2023-12-31 (a Sunday): the working day after is 2 January 2024, to which the deadline
    # rolls over (lights/rules.yaml deadline_rolls_over_holidays): overdue from 3 January. The
    # escalation ladder counts its steps from the same day: no slip on 2 January (the replay's
    # last day), a yellow one on 3 January.
    with make_sessionmaker(year)() as session:
        task = _task(session, "project", "19")
        result = _light(session, task, date(2024, 1, 2))
        assert (
            "overdue" not in result.rules
            and "当日为完成期限（完成期限12月31日为节假日，顺延至1月2日）" in result.reason
        )
        result = _light(session, task, date(2024, 1, 3))
        assert result.light == "red" and "overdue" in result.rules
        assert "已逾期1个工作日" in result.reason
        assert _intents(session, task, "after_due_1") == []
        calendar, cadence = load_calendar(session), CadenceConfig.load()
        scan(session, as_of=date(2024, 1, 3), calendar=calendar, ladder=Ladder.load(), cadence=cadence)
        slips = _intents(session, task, "after_due_1")  # rolled back when the session closes
        assert slips and {i.created_on for i in slips} == {date(2024, 1, 3)}
        assert {i.kind for i in slips} == {"yellow_slip"}
        assert "本任务已超过完成期限（2023年12月31日，节假日顺延至2024年1月2日）" in slips[0].payload["action"]


def test_the_extended_task_is_not_overdue_and_keeps_its_original_date(year):
    # stalled, due 2023-12-31: asks on 18 December (10 working days before) for 92 more days,
    # approved on 19 December, before the 7-day reminder (21 December) would have gone out.
    with make_sessionmaker(year)() as session:
        task = _task(session, "project", "26")
        [extension] = session.scalars(select(Extension))
        assert extension.task_id == task.id and extension.status == "approved"
        assert (extension.requested_on, extension.decided_on) == (date(2023, 12, 18), date(2023, 12, 19))
        assert (extension.original_due_date, extension.requested_due_date) == (date(2023, 12, 31), date(2024, 4, 1))
        assert task.due_date == date(2023, 12, 31)
        result = _light(session, task, date(2024, 1, 2))
        assert "overdue" not in result.rules and result.light in ("yellow", "green")
        assert [i.step for i in _intents(session, task) if i.step.startswith(("before_due", "after_due"))] == []


def test_lagging_tasks_miss_their_2023_milestone(year):
    # lagging tasks due 2025-12-31 report half the expectation: their 2023 milestone (38%) is missed.
    with make_sessionmaker(year)() as session:
        lagging = [
            t
            for t in session.scalars(select(Task).where(Task.due_date == date(2025, 12, 31)))
            if t.assignments and not t.awaiting_assignment and behaviour_of(t) == "lagging"
        ]
        assert lagging
        lights = compute_lights(
            session,
            as_of=date(2024, 1, 2),
            calendar=load_calendar(session),
            cadence=CadenceConfig.load(),
            rules=LightRules.load(),
            task_ids=[t.id for t in lagging],
        )
        assert all(r.light == "red" and "milestone_missed" in r.rules for r in lights.values())


def test_one_report_was_returned_and_refiled_as_a_second_version(year):
    with make_sessionmaker(year)() as session:
        [returned] = session.scalars(select(Report).where(Report.status == "returned"))
        assert returned.week_start == date(2023, 3, 6) and returned.review_note
        [refiled] = session.scalars(
            select(Report).where(
                Report.task_id == returned.task_id, Report.week_start == returned.week_start, Report.version == 2
            )
        )
        assert refiled.status == "accepted"
        assert len(_intents(session, returned.task, "report_returned")) == 1


def test_the_cadence_stored_every_month_quarter_and_half_year(year):
    from wufei.figures.models import PeriodFigures

    with make_sessionmaker(year)() as session:
        periods = {(f.kind, f.period) for f in session.scalars(select(PeriodFigures))}
    assert {("monthly", f"2023-{m:02d}") for m in range(1, 12)} <= periods
    assert {("quarterly", "2023-Q1"), ("quarterly", "2023-Q2"), ("quarterly", "2023-Q3")} <= periods
    assert ("half_year", "2023-H1") in periods and ("annual", "2022") in periods


def test_departments_report_whole_numbers_of_things_counted_one_by_one(year):
    from wufei.indicators.models import Indicator, IndicatorReport
    from wufei.simulate import COUNTED_UNITS

    with make_sessionmaker(year)() as session:
        rows = session.execute(
            select(Indicator.unit, IndicatorReport.value).join(Indicator, Indicator.id == IndicatorReport.indicator_id)
        ).all()
    counted = [value for unit, value in rows if (unit or "").strip() in COUNTED_UNITS]
    assert counted and all(value == int(value) for value in counted)  # 19个 factories, never 18.9
    assert any(value != int(value) for unit, value in rows if unit == "%")  # rates keep their decimals

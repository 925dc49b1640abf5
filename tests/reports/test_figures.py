"""latest_progress, missing_streaks and compliance: the bulk queries lights and escalation use."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import event

from tests.reports.conftest import W23, at
from tests.rules import CADENCE
from wufei.cadence.config import CadenceConfig
from wufei.reports.service import compliance, latest_progress, missing_streaks, open_tasks, review_report, submit_report

W22, W24 = W23 - timedelta(weeks=1), W23 + timedelta(weeks=1)


@pytest.fixture
def file(session, hengshui, calendar, cadence):
    def _file(task, week, when, progress=50):
        return submit_report(
            session,
            task_id=task.id,
            department_id=hengshui.ecology.id,
            week_start=week,
            progress=progress,
            done_text="推进",
            problems=None,
            next_steps=None,
            at=when,
            actor="联络员",
            calendar=calendar,
            cadence=cadence,
        )

    return _file


@pytest.fixture
def count_queries(session):
    statements: list[str] = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(session.connection(), "before_cursor_execute", before)
    yield statements
    event.remove(session.connection(), "before_cursor_execute", before)


def test_latest_progress_is_the_newest_week_not_returned_and_filed_by_the_day(session, hengshui, file):
    file(hengshui.task, W22, at(date(2024, 5, 29)), progress=30)
    newer = file(hengshui.task, W23, at(date(2024, 6, 5)), progress=45)
    file(hengshui.other, W23, at(date(2024, 6, 5)), progress=70)
    ids = [hengshui.task.id, hengshui.other.id, hengshui.foreign.id]
    assert latest_progress(session, as_of=date(2024, 6, 4), task_ids=ids, cadence=CADENCE) == {
        hengshui.task.id: (30, W22)
    }
    assert latest_progress(session, as_of=date(2024, 6, 5), task_ids=ids, cadence=CADENCE) == {
        hengshui.task.id: (45, W23),
        hengshui.other.id: (70, W23),
    }
    review_report(
        session,
        report_id=newer.id,
        accept=False,
        reason="数据有误",
        actor="办公室",
        at=at(date(2024, 6, 6)),
        cadence=CADENCE,
    )
    assert latest_progress(session, as_of=date(2024, 6, 6), task_ids=ids, cadence=CADENCE)[hengshui.task.id] == (
        30,
        W22,
    )
    file(hengshui.task, W23, at(date(2024, 6, 6), 16), progress=44)
    assert latest_progress(session, as_of=date(2024, 6, 6), task_ids=ids, cadence=CADENCE)[hengshui.task.id] == (
        44,
        W23,
    )


def test_latest_progress_runs_one_query_for_all_tasks(session, hengshui, file, count_queries):
    file(hengshui.task, W23, at(date(2024, 6, 5)))
    session.flush()
    count_queries.clear()
    result = latest_progress(session, as_of=date(2024, 6, 30), cadence=CADENCE)
    assert result[hengshui.task.id] == (50, W23)
    assert len(count_queries) == 1


def test_latest_progress_of_no_tasks_is_empty(session):
    assert latest_progress(session, as_of=date(2024, 6, 30), task_ids=[], cadence=CADENCE) == {}


def test_missing_streaks_count_the_closed_weeks_since_the_last_on_time_report(
    session, hengshui, calendar, cadence, file
):
    file(hengshui.task, W22, at(date(2024, 5, 31), 16))  # on time
    file(hengshui.other, W22, at(date(2024, 5, 31), 16))
    file(hengshui.other, W23, at(date(2024, 6, 8), 9))  # late: still missing by its due time
    file(hengshui.other, W24, at(date(2024, 6, 13)))  # on time
    ids = [hengshui.task.id, hengshui.other.id]
    # Friday 14 June after 17:00: W23 and W24 closed; `task` filed neither.
    assert missing_streaks(session, as_of=date(2024, 6, 14), calendar=calendar, cadence=cadence, task_ids=ids) == {
        hengshui.task.id: 2,
        hengshui.other.id: 0,
    }
    # On Thursday the 13th only W23 had closed.
    assert missing_streaks(session, as_of=date(2024, 6, 13), calendar=calendar, cadence=cadence, task_ids=ids) == {
        hengshui.task.id: 1,
        hengshui.other.id: 1,
    }


def test_a_late_report_breaks_the_streak_when_the_cadence_file_says_so(session, hengshui, calendar, cadence, file):
    file(hengshui.task, W23, at(date(2024, 6, 11), 9))  # late
    lenient = CadenceConfig.from_dict({"weekly_report": {"late_report_breaks_missing_streak": True}})
    args = {"as_of": date(2024, 6, 12), "calendar": calendar, "task_ids": [hengshui.task.id]}
    assert missing_streaks(session, cadence=cadence, **args)[hengshui.task.id] >= 1
    assert missing_streaks(session, cadence=lenient, **args)[hengshui.task.id] == 0
    # A report filed after as_of does not count, even leniently.
    assert missing_streaks(session, cadence=lenient, **{**args, "as_of": date(2024, 6, 10)})[hengshui.task.id] >= 1


def test_missing_streaks_start_with_the_plan_and_skip_holiday_weeks(session, hengshui, calendar, cadence):
    # 衡政办字〔2022〕57号 was issued on Friday 7 October 2022: the first expected week starts Monday the 10th.
    streak = missing_streaks(
        session, as_of=date(2022, 10, 28), calendar=calendar, cadence=cadence, task_ids=[hengshui.task.id]
    )
    assert streak == {hengshui.task.id: 3}  # weeks of 10, 17 and 24 October
    # The 2023 National Day week (2-8 October) has no window: the streak runs across it.
    before = missing_streaks(
        session, as_of=date(2023, 9, 28), calendar=calendar, cadence=cadence, task_ids=[hengshui.task.id]
    )[hengshui.task.id]
    after = missing_streaks(
        session, as_of=date(2023, 10, 13), calendar=calendar, cadence=cadence, task_ids=[hengshui.task.id]
    )[hengshui.task.id]
    assert after == before + 1


def test_reporting_since_in_the_cadence_file_limits_the_streak(session, hengshui, calendar, cadence):
    started = CadenceConfig.from_dict({"weekly_report": {"reporting_since": "2024-06-03"}})
    assert missing_streaks(
        session, as_of=date(2024, 6, 14), calendar=calendar, cadence=started, task_ids=[hengshui.task.id]
    ) == {hengshui.task.id: 2}


def test_completed_and_unknown_tasks_have_no_streak(session, hengshui, calendar, cadence):
    hengshui.task.completed_on = date(2024, 6, 1)
    session.flush()
    assert missing_streaks(
        session, as_of=date(2024, 6, 14), calendar=calendar, cadence=cadence, task_ids=[hengshui.task.id, 987654]
    ) == {hengshui.task.id: 0, 987654: 0}


def test_missing_streaks_of_all_open_tasks_take_a_few_queries(
    session, hengshui, calendar, cadence, file, count_queries
):
    file(hengshui.task, W23, at(date(2024, 6, 5)))
    session.flush()
    count_queries.clear()
    streaks = missing_streaks(session, as_of=date(2024, 6, 14), calendar=calendar, cadence=cadence)
    assert len(count_queries) <= 3
    assert set(streaks) == {t.id for t in open_tasks(session, as_of=date(2024, 6, 14))}
    assert streaks[hengshui.task.id] == 1 and streaks[hengshui.other.id] > 50


def test_compliance_counts_each_lead_department_for_the_week(session, hengshui, calendar, cadence, file):
    file(hengshui.task, W23, at(date(2024, 6, 7), 16))
    file(hengshui.other, W23, at(date(2024, 6, 8), 9))  # late
    rows = compliance(session, week_start=W23, calendar=calendar, cadence=cadence, as_of=date(2024, 6, 10))
    ecology = next(r for r in rows if r["department_id"] == hengshui.ecology.id)
    expected = len(hengshui.led_by_ecology())
    assert (ecology["department"], ecology["week"]) == ("市生态环境局", "2024-W23")
    assert (ecology["expected"], ecology["filed"], ecology["on_time"], ecology["late"]) == (expected, 2, 1, 1)
    assert ecology["missing"] == expected - 2 and hengshui.task.id not in ecology["missing_task_ids"]
    assert ecology["late_task_ids"] == [hengshui.other.id]
    assert all(r["filed"] == 0 and r["missing"] == r["expected"] for r in rows if r is not ecology)
    assert [r["missing"] for r in rows] == sorted((r["missing"] for r in rows), reverse=True)


def test_compliance_ignores_reports_after_as_of_and_weeks_without_a_window(session, hengshui, calendar, cadence, file):
    file(hengshui.task, W23, at(date(2024, 6, 12)))
    rows = compliance(session, week_start=W23, calendar=calendar, cadence=cadence, as_of=date(2024, 6, 11))
    assert next(r for r in rows if r["department_id"] == hengshui.ecology.id)["filed"] == 0
    assert (
        compliance(session, week_start=date(2024, 2, 12), calendar=calendar, cadence=cadence, as_of=date(2024, 2, 28))
        == []
    )


def test_a_task_completed_during_the_week_without_a_report_is_not_expected(session, hengshui, calendar, cadence):
    before = compliance(session, week_start=W23, calendar=calendar, cadence=cadence, as_of=date(2024, 6, 10))
    hengshui.task.completed_on = date(2024, 6, 4)
    session.flush()
    after = compliance(session, week_start=W23, calendar=calendar, cadence=cadence, as_of=date(2024, 6, 10))
    count = {r["department_id"]: r["expected"] for r in before}[hengshui.ecology.id]
    assert {r["department_id"]: r["expected"] for r in after}[hengshui.ecology.id] == count - 1


def test_compliance_before_the_plan_was_issued_expects_nothing(session, hengshui, calendar, cadence):
    assert (
        compliance(session, week_start=date(2022, 9, 26), calendar=calendar, cadence=cadence, as_of=date(2022, 10, 5))
        == []
    )

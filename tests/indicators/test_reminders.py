"""Indicator values through the escalation ladder: a reminder before a period's report date, 逾期未报
after it, 落后序时进度 by the latest value; each step once, and what recovery ends."""

from __future__ import annotations

from datetime import date

from tests.rules import CADENCE
from wufei.calendar.workdays import WorkCalendar
from wufei.escalation.ladder import Ladder
from wufei.indicators.reminders import remind_indicators
from wufei.notices.service import list_intents

from .test_reporting import report

CALENDAR = WorkCalendar()
Q2_DUE = date(2024, 7, 15)  # 30 June + 15 days (tracking.yaml's due_days.quarterly)


def _remind(session, rules, day):
    return remind_indicators(
        session, as_of=day, calendar=CALENDAR, ladder=Ladder.load(), tracking=rules, cadence=CADENCE
    )


def _about(session, indicator, period=None):
    """(step, audience, department id) of the intents about one indicator (and period)."""
    return {
        (i.step, str(i.audience), i.department_id): i
        for i in list_intents(session)
        if i.payload.get("indicator_id") == indicator.id and (period is None or i.period == period)
    }


def test_the_lead_is_reminded_before_the_report_date_once_and_the_reminder_ends_when_the_value_is_in(
    session, rules, hengshui_indicators
):
    h = hengshui_indicators
    first = CALENDAR.add_workdays(Q2_DUE, -5)  # the ladder's indicator_due_5
    _remind(session, rules, CALENDAR.previous_workday(first))
    assert not _about(session, h.reuse, "2024-Q2")

    result = _remind(session, rules, first)
    [(key, intent)] = _about(session, h.reuse, "2024-Q2").items()
    assert key == ("indicator_due_5", "liaison", h.ecology.id)
    assert intent.kind == "indicator_due" and intent.task_id is None
    assert intent.payload["workdays_left"] == 5 and intent.payload["period_cn"] == "2024年第2季度"
    assert intent.payload["action"] == "请于2024年7月15日前报送，注明统计来源和口径，附佐证材料。"
    assert result.created_by_step["indicator_due_5"] >= 1

    again = _remind(session, rules, CALENDAR.next_workday(first))  # still before the date: nothing new
    assert len(_about(session, h.reuse, "2024-Q2")) == 1 and "indicator_due_5" not in again.created_by_step

    report(session, rules, h.reuse, h.ecology, "2024-Q2", "58", date(2024, 7, 10))
    after = _remind(session, rules, date(2024, 7, 11))
    assert intent.resolution == "已报送" and after.resolutions["已报送"] >= 1
    _remind(session, rules, CALENDAR.add_workdays(Q2_DUE, 12))  # reported: never overdue
    assert set(_about(session, h.reuse, "2024-Q2")) == {key}


def test_an_unreported_value_is_overdue_to_the_liaison_then_to_its_leader_and_the_office(
    session, rules, hengshui_indicators
):
    h = hengshui_indicators
    report(session, rules, h.reuse, h.ecology, "2024-Q1", "59", date(2024, 4, 8))  # on its trajectory
    _remind(session, rules, Q2_DUE)  # the report date itself: still the reminder
    assert set(_about(session, h.reuse, "2024-Q2")) == {("indicator_due_5", "liaison", h.ecology.id)}

    _remind(session, rules, CALENDAR.add_workdays(Q2_DUE, 1))
    overdue = _about(session, h.reuse, "2024-Q2")[("indicator_overdue_1", "liaison", h.ecology.id)]
    assert overdue.kind == "indicator_overdue" and overdue.payload["days_overdue"] == 1
    assert ("indicator_overdue_10", "leader", h.ecology.id) not in _about(session, h.reuse)

    tenth = CALENDAR.add_workdays(Q2_DUE, 10)
    _remind(session, rules, tenth)
    _remind(session, rules, tenth)  # twice the same day: once
    assert set(_about(session, h.reuse, "2024-Q2")) == {
        ("indicator_due_5", "liaison", h.ecology.id),
        ("indicator_overdue_1", "liaison", h.ecology.id),
        ("indicator_overdue_10", "leader", h.ecology.id),
        ("indicator_overdue_10", "office", None),
    }
    office = _about(session, h.reuse, "2024-Q2")[("indicator_overdue_10", "office", None)]
    assert (office.payload["days_overdue"], office.payload["due_date_cn"]) == (10, "2024年7月15日")
    assert not _about(session, h.reuse, "2024-Q1")  # reported in time, on track: nothing


def test_a_value_behind_its_trajectory_is_escalated_once_by_its_light_and_ends_with_a_newer_value(
    session, rules, hengshui_indicators
):
    h = hengshui_indicators
    report(session, rules, h.reuse, h.ecology, "2024-Q2", "50", date(2024, 7, 5))  # far behind 49 → 60
    result = _remind(session, rules, date(2024, 7, 9))
    behind = _about(session, h.reuse, "2024-Q2")
    assert set(behind) == {
        ("indicator_behind", "liaison", h.ecology.id),
        ("indicator_behind_red", "leader", h.ecology.id),
        ("indicator_behind_red", "office", None),
    }
    told = behind[("indicator_behind", "liaison", h.ecology.id)]
    assert told.kind == "indicator_behind" and told.payload["reason"].startswith("落后序时进度")
    assert "2024年第2季度50%" in told.payload["reason"]
    assert result.created_by_step["indicator_behind_red"] >= 2
    assert "indicator_behind" not in _remind(session, rules, date(2024, 7, 10)).created_by_step

    report(session, rules, h.reuse, h.ecology, "2024-Q3", "60", date(2024, 10, 8))  # meets the target
    later = _remind(session, rules, date(2024, 10, 9))
    assert {i.resolution for i in behind.values()} == {"已报送新一期数值"}
    assert later.resolutions["已报送新一期数值"] >= 3
    assert not _about(session, h.reuse, "2024-Q3")


def test_an_annual_indicator_is_owed_once_a_year_to_its_own_lead(session, rules, hengshui_indicators):
    h = hengshui_indicators
    _remind(session, rules, date(2025, 2, 5))  # the 2024 value was due by 31 January 2025
    owed = _about(session, h.intensity, "2024")
    leads = {d for (step, audience, d) in owed if audience == "liaison"}
    assert ("indicator_overdue_1", "liaison") in {(s, a) for (s, a, _) in owed}
    assert leads == {a.department_id for a in h.intensity.assignments if str(a.role) == "lead"}
    assert all(i.payload["period_cn"] == "2024年" for i in owed.values())

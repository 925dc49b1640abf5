"""Weekly reporting windows on China's working-day calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from wufei.cadence.config import CadenceConfig, ConfigError, RunDay
from wufei.cadence.windows import closed_weeks, last_closed_week, reporting_window, windows_between
from wufei.calendar.workdays import DayKind, UnknownYearWarning, WorkCalendar
from wufei.chinese import WeekError, chinese_week, parse_week, week_label, week_start

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(scope="module")
def cadence():
    return CadenceConfig.load()


@pytest.fixture
def calendar():
    return WorkCalendar()


def test_the_shipped_cadence_file_has_the_weekly_and_periodic_points(cadence):
    assert cadence.timezone == SHANGHAI
    assert cadence.weekly.due_time == time(17, 0) and cadence.weekly.due_weekday == 4
    assert cadence.evidence.max_bytes == 20 * 1024 * 1024 and "pdf" in cadence.evidence.allowed_types
    assert cadence.run_day("quarterly_circular") == RunDay(5, (1, 4, 7, 10))
    assert cadence.province_due == (1, 31)
    assert cadence.run_day("monthly_dispatch") == RunDay(3, ())
    assert sorted(cadence.run_day("half_year_review").months) == [1, 7]
    assert cadence.run_day("annual_assessment") == RunDay(15, (1,))


def test_an_office_file_changes_only_the_keys_it_writes(tmp_path, monkeypatch):
    (tmp_path / "cadence.yaml").write_text(
        "weekly_report:\n  due_time: '12:00'\nannual_assessment:\n  months: [2]\n", encoding="utf-8"
    )
    monkeypatch.setenv("WUFEI_CONFIG_DIR", str(tmp_path))
    office = CadenceConfig.load()
    assert (office.weekly.due_time, office.weekly.due_weekday) == (time(12, 0), 4)
    assert office.run_day("annual_assessment") == RunDay(15, (2,))  # `months` wins over the shipped `month`
    assert office.timezone == SHANGHAI


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"weekly_report": {"due_tme": "17:00"}}, "不认识的设置：due_tme"),
        ({"weekly_report": {"due_time": "五点"}}, "due_time"),
        ({"weekly_report": {"opens": "someday"}}, "monday"),
        ({"weekly_report": {"if_due_day_is_holiday": "skip"}}, "previous_workday"),
        ({"monthly_dispatch": {"workday_of_month": 0}}, "workday_of_month"),
        ({"timezone": "Mars/Olympus"}, "时区"),
        ({"annual_assessment": {"province_due": "31-01"}}, "01-31"),
    ],
)
def test_a_cadence_file_that_cannot_be_used_is_refused_naming_the_key(overrides, message):
    with pytest.raises(ConfigError, match=message):
        CadenceConfig.from_dict(overrides)


def test_week_start_label_and_chinese_name_round_trip():
    assert week_start(date(2024, 6, 7)) == date(2024, 6, 3)
    assert week_start(date(2024, 6, 9)) == date(2024, 6, 3)  # Sunday belongs to the week before
    assert week_label(date(2024, 6, 3)) == "2024-W23"
    assert chinese_week(date(2024, 6, 3)) == "2024年第23周"
    assert parse_week("2024-W23") == date(2024, 6, 3)
    assert parse_week("2024w5") == date(2024, 1, 29)
    assert week_label(date(2024, 12, 30)) == "2025-W01"  # ISO year
    assert parse_week(week_label(date(2024, 12, 30))) == date(2024, 12, 30)


@pytest.mark.parametrize("label", ["2024-23", "第23周", "", "2024-W54"])
def test_a_bad_week_label_is_a_chinese_error_quoting_it(label):
    with pytest.raises(WeekError, match="周"):
        parse_week(label)


def test_an_ordinary_week_opens_monday_and_closes_friday_at_five_in_shanghai(calendar, cadence):
    window = reporting_window(date(2024, 6, 3), calendar, cadence)
    assert window.opens_on == date(2024, 6, 3)
    assert window.due_at == datetime(2024, 6, 7, 17, 0, tzinfo=SHANGHAI)
    assert window.due_at.utcoffset().total_seconds() == 8 * 3600
    assert window.remind_on == date(2024, 6, 6)
    assert window.is_late(datetime(2024, 6, 7, 17, 1, tzinfo=SHANGHAI))
    assert not window.is_late(datetime(2024, 6, 7, 9, 0, tzinfo=ZoneInfo("UTC")))  # 17:00 in Shanghai


def test_a_holiday_monday_opens_the_window_on_tuesday(calendar, cadence):
    window = reporting_window(date(2024, 6, 10), calendar, cadence)  # 端午节 on Monday the 10th
    assert window.opens_on == date(2024, 6, 11)
    assert window.due_at.date() == date(2024, 6, 14)


def test_the_national_day_2024_week_closes_on_its_only_working_day(calendar, cadence):
    # 30 September (Monday) is worked, 1-7 October are off.
    window = reporting_window(date(2024, 9, 30), calendar, cadence)
    assert window.opens_on == date(2024, 9, 30)
    assert window.due_at == datetime(2024, 9, 30, 17, 0, tzinfo=SHANGHAI)
    assert window.remind_on == date(2024, 9, 30)  # not before the window opened
    after = reporting_window(date(2024, 10, 7), calendar, cadence)
    assert (after.opens_on, after.due_at.date()) == (date(2024, 10, 8), date(2024, 10, 11))


def test_a_week_worked_only_on_tiaoxiu_weekend_days_has_no_window(calendar, cadence):
    assert reporting_window(date(2023, 10, 2), calendar, cadence) is None  # National Day 2023, Sat/Sun worked
    assert reporting_window(date(2024, 2, 12), calendar, cadence) is None  # Spring Festival 2024, Sunday 18th worked


def test_a_week_without_any_working_day_has_no_window(cadence):
    calendar = WorkCalendar({date(2024, 9, 30): DayKind.HOLIDAY})
    assert reporting_window(date(2024, 9, 30), calendar, cadence) is None
    assert reporting_window(date(2020, 1, 27), WorkCalendar(), cadence) is None  # 2020 extended Spring Festival


def test_the_spring_festival_eve_week_closes_on_friday_the_9th(calendar, cadence):
    window = reporting_window(date(2024, 2, 5), calendar, cadence)
    assert window.due_at.date() == date(2024, 2, 9)
    assert window.remind_on == date(2024, 2, 8)


def test_a_holiday_friday_moves_the_due_day_back_to_thursday(calendar, cadence):
    # 2024-04-05 (Friday) is 清明节.
    window = reporting_window(date(2024, 4, 1), calendar, cadence)
    assert window.due_at.date() == date(2024, 4, 3)  # Thursday the 4th is off too
    assert window.remind_on == date(2024, 4, 2)


def test_the_next_workday_policy_moves_a_holiday_due_day_forward(calendar, cadence):
    config = CadenceConfig.from_dict({"weekly_report": {"if_due_day_is_holiday": "next_workday"}})
    window = reporting_window(date(2024, 4, 1), calendar, config)
    assert window.due_at.date() == date(2024, 4, 7)  # Sunday, 调休


def test_the_due_time_and_weekday_come_from_the_cadence_file(calendar, cadence):
    config = CadenceConfig.from_dict({"weekly_report": {"due_weekday": "thursday", "due_time": "12:00"}})
    window = reporting_window(date(2024, 6, 3), calendar, config)
    assert window.due_at == datetime(2024, 6, 6, 12, 0, tzinfo=SHANGHAI)


def test_a_week_must_start_on_monday(calendar, cadence):
    with pytest.raises(WeekError, match="星期一"):
        reporting_window(date(2024, 6, 4), calendar, cadence)


def test_closed_weeks_skip_the_holiday_weeks_and_end_at_the_last_due_time(calendar, cadence):
    weeks = closed_weeks(date(2024, 2, 23), calendar, cadence, since=date(2024, 1, 31))
    # Week of 19 February closes on Friday the 23rd at 17:00: before the end of that day.
    assert weeks == [date(2024, 1, 29), date(2024, 2, 5), date(2024, 2, 19)]
    assert closed_weeks(date(2024, 2, 22), calendar, cadence, since=date(2024, 1, 29))[-1] == date(2024, 2, 5)


def test_closed_weeks_around_national_day_2024(calendar, cadence):
    weeks = closed_weeks(date(2024, 10, 10), calendar, cadence, since=date(2024, 9, 23))
    assert weeks == [date(2024, 9, 23), date(2024, 9, 30)]


def test_the_last_closed_week_skips_the_weeks_without_a_window(calendar, cadence):
    # Friday 23 February 2024, 17:00 closes W08; the Spring Festival week (W07) has no window.
    assert last_closed_week(date(2024, 2, 22), calendar, cadence) == date(2024, 2, 5)
    assert last_closed_week(date(2024, 2, 23), calendar, cadence) == date(2024, 2, 19)


def test_calendars_with_the_same_office_days_share_a_week_and_others_do_not(cadence):
    # Loaded afresh for each run, equal calendars work a week out once; an office day set apart
    # (Friday 6 December 2024 declared a holiday) gives that calendar its own window.
    week = date(2024, 12, 2)
    first = reporting_window(week, WorkCalendar(), cadence)
    assert reporting_window(week, WorkCalendar(), cadence) is first
    holiday = WorkCalendar({date(2024, 12, 6): DayKind.HOLIDAY})
    assert reporting_window(week, holiday, cadence).due_at == datetime(2024, 12, 5, 17, tzinfo=SHANGHAI)
    assert first.due_at == datetime(2024, 12, 6, 17, tzinfo=SHANGHAI)
    assert reporting_window(week, WorkCalendar({date(2024, 12, 6): DayKind.HOLIDAY}), cadence).due_at.day == 5


def test_equal_calendars_share_the_windows_between_two_days_and_others_do_not(cadence):
    # A run loads its calendar afresh: the weeks since a plan began are walked once for equal calendars.
    first = windows_between(date(2024, 1, 1), date(2024, 12, 31), WorkCalendar(), cadence)
    again = windows_between(date(2024, 1, 1), date(2024, 12, 31), WorkCalendar(), cadence)
    assert len(first) == 51 and all(a is b for a, b in zip(again, first, strict=True))  # W07 has no window
    holiday = WorkCalendar({date(2024, 12, 6): DayKind.HOLIDAY})
    own = windows_between(date(2024, 1, 1), date(2024, 12, 31), holiday, cadence)
    assert [w.due_at.day for w in own if w.week_start == date(2024, 12, 2)] == [5]
    assert [w.due_at.day for w in first if w.week_start == date(2024, 12, 2)] == [6]
    # Each window's close in UTC, as reports' times are read, is kept with it.
    assert first[-1].due_at_utc == first[-1].due_at and first[-1].due_at_utc.tzinfo is UTC


def test_windows_into_a_year_the_national_calendar_does_not_know_warn_on_each_calendar(cadence):
    for _ in range(2):
        with pytest.warns(UnknownYearWarning, match="2029年"):
            windows = windows_between(date(2029, 6, 4), date(2029, 6, 30), WorkCalendar(), cadence)
        assert [w.due_at.date() for w in windows][:1] == [date(2029, 6, 8)]


def test_a_week_of_a_year_the_national_calendar_does_not_know_warns_on_each_calendar(cadence):
    week = date(2029, 6, 4)  # chinese_calendar knows no 2029
    for _ in range(2):
        with pytest.warns(UnknownYearWarning, match="2029年"):
            assert reporting_window(week, WorkCalendar(), cadence).due_at.date() == date(2029, 6, 8)

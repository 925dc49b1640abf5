"""China's working-day calendar: the national arrangement, office overrides, unknown years."""

from __future__ import annotations

import warnings
from datetime import date, timedelta

import chinese_calendar
import pytest

from wufei.calendar.workdays import DayKind, UnknownYearWarning, WorkCalendar, national_year


@pytest.fixture
def calendar() -> WorkCalendar:
    return WorkCalendar()


def test_the_2024_spring_festival_is_off_and_its_two_tiaoxiu_sundays_are_worked(calendar):
    assert calendar.is_workday(date(2024, 2, 4))  # Sunday, 调休
    assert calendar.is_workday(date(2024, 2, 18))  # Sunday, 调休
    assert not any(calendar.is_workday(date(2024, 2, d)) for d in range(10, 18))  # 2月10日至17日放假
    assert calendar.is_workday(date(2024, 2, 9))  # 除夕 is officially a working day in 2024


def test_saturday_12_october_2024_is_a_working_day_after_national_day(calendar):
    assert calendar.is_workday(date(2024, 10, 12))
    assert not calendar.is_workday(date(2024, 10, 7))  # Monday, still National Day
    assert not calendar.is_workday(date(2024, 10, 13))  # an ordinary Sunday


def test_an_office_override_wins_over_the_national_arrangement():
    calendar = WorkCalendar({date(2024, 10, 12): DayKind.HOLIDAY, date(2024, 6, 8): "workday"})
    assert not calendar.is_workday(date(2024, 10, 12))
    assert calendar.is_workday(date(2024, 6, 8))  # an ordinary Saturday made a working day


def test_an_unknown_year_warns_once_and_falls_back_to_weekdays_less_the_statutory_holidays():
    calendar = WorkCalendar()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        off = [
            date(2027, 1, 1),  # 元旦, a Friday
            date(2027, 2, 5),  # 除夕
            date(2027, 2, 8),  # 正月初三, a Monday
            date(2027, 4, 5),  # 清明, a Monday
            date(2027, 5, 1),  # 劳动节 (a Saturday), the 2nd a Sunday
            date(2027, 6, 9),  # 端午, a Wednesday
            date(2027, 9, 15),  # 中秋, a Wednesday
            date(2027, 10, 1),  # 国庆, a Friday
            date(2027, 2, 6),  # a Saturday
        ]
        assert [day for day in off if calendar.is_workday(day)] == []
        assert calendar.is_workday(date(2027, 2, 9))  # 初四: no 调休 assumed
        assert calendar.is_workday(date(2027, 10, 4))  # a Monday after 10.1–10.3
    unknown = [w for w in caught if issubclass(w.category, UnknownYearWarning)]
    assert len(unknown) == 1 and "2027年" in str(unknown[0].message)
    assert "wufei calendar import" in str(unknown[0].message)
    assert calendar.unknown_years == {2027} and calendar.assumed(2027) and not calendar.assumed(2026)
    assert not WorkCalendar({date(2027, 2, 6): "workday"}).assumed(2027)  # the office entered the year


def test_an_override_in_an_unknown_year_is_used_without_a_warning():
    calendar = WorkCalendar({date(2027, 2, 6): DayKind.WORKDAY})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert calendar.is_workday(date(2027, 2, 6))


def test_add_workdays_skips_the_spring_festival_and_counts_the_tiaoxiu_sunday(calendar):
    assert calendar.add_workdays(date(2024, 2, 8), 2) == date(2024, 2, 18)  # Fri 9th, then Sunday 18th
    assert calendar.add_workdays(date(2024, 2, 19), -1) == date(2024, 2, 18)
    assert calendar.add_workdays(date(2024, 6, 5), 0) == date(2024, 6, 5)


def test_previous_workday_before_national_day_2024_is_the_monday_it_began(calendar):
    assert calendar.previous_workday(date(2024, 10, 7)) == date(2024, 9, 30)
    assert calendar.previous_workday(date(2024, 9, 30)) == date(2024, 9, 29)  # Sunday, 调休
    assert calendar.previous_workday(date(2024, 9, 30), include=True) == date(2024, 9, 30)


def test_workdays_between_counts_the_end_but_not_the_start(calendar):
    assert calendar.workdays_between(date(2024, 6, 7), date(2024, 6, 11)) == 1  # Mon 10th is 端午节
    assert calendar.workdays_between(date(2024, 9, 27), date(2024, 10, 8)) == 3  # 29th, 30th, 8th
    assert calendar.workdays_between(date(2024, 10, 8), date(2024, 9, 27)) == -3
    assert calendar.workdays_between(date(2024, 9, 30), date(2024, 10, 8)) == 1  # the holiday between
    assert calendar.workdays_between(date(2024, 10, 7), date(2024, 10, 8)) == 1


def test_the_first_working_day_of_october_2024_is_the_8th(calendar):
    assert calendar.nth_workday_of_month(2024, 10, 1) == date(2024, 10, 8)
    assert calendar.nth_workday_of_month(2024, 10, 5) == date(2024, 10, 12)  # Saturday, 调休
    assert calendar.nth_workday_of_month(2024, 2, 1) == date(2024, 2, 1)


def _counted_day_by_day(calendar: WorkCalendar, start: date, end: date) -> int:
    return sum(calendar.is_workday(start + timedelta(days=n)) for n in range(1, (end - start).days + 1))


def test_workdays_between_agrees_with_counting_day_by_day_across_years_and_overrides():
    calendar = WorkCalendar({date(2024, 6, 8): "workday", date(2025, 1, 2): "holiday", date(2026, 12, 31): "holiday"})
    pairs = [
        (date(2023, 12, 29), date(2024, 1, 2)),
        (date(2022, 3, 1), date(2026, 12, 31)),
        (date(2024, 6, 7), date(2024, 6, 8)),
        (date(2024, 2, 29), date(2025, 3, 1)),
        (date(2025, 1, 1), date(2025, 1, 1)),
    ]
    for start, end in pairs:
        assert calendar.workdays_between(start, end) == _counted_day_by_day(calendar, start, end)
        assert calendar.workdays_between(end, start) == -_counted_day_by_day(calendar, start, end)


def _added_day_by_day(calendar: WorkCalendar, day: date, n: int) -> date:
    for _ in range(abs(n)):
        day += timedelta(days=1 if n > 0 else -1)
        while not calendar.is_workday(day):
            day += timedelta(days=1 if n > 0 else -1)
    return day


def test_add_workdays_agrees_with_walking_day_by_day_across_years_and_overrides():
    calendar = WorkCalendar({date(2024, 6, 8): "workday", date(2025, 1, 2): "holiday", date(2026, 12, 31): "holiday"})
    days = [date(2023, 12, 29), date(2024, 1, 1), date(2024, 6, 7), date(2024, 6, 8), date(2024, 12, 31)]
    for day in days:
        for n in (-400, -260, -11, -3, -2, -1, 1, 2, 3, 10, 250, 450):
            assert calendar.add_workdays(day, n) == _added_day_by_day(calendar, day, n), (day, n)


def test_add_workdays_into_an_unknown_year_warns_as_is_workday_does():
    calendar = WorkCalendar()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        # Thu 31st, then (Friday the 1st is 元旦) Monday to Thursday
        assert calendar.add_workdays(date(2026, 12, 30), 5) == date(2027, 1, 7)
    assert [str(w.message)[:6] for w in caught if issubclass(w.category, UnknownYearWarning)] == ["2027年的"]


def test_workdays_between_into_an_unknown_year_warns_as_is_workday_does():
    calendar = WorkCalendar()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert calendar.workdays_between(date(2026, 12, 30), date(2027, 1, 5)) == _counted_day_by_day(
            calendar, date(2026, 12, 30), date(2027, 1, 5)
        )
    assert [str(w.message)[:6] for w in caught if issubclass(w.category, UnknownYearWarning)] == ["2027年的"]


def test_the_national_arrangement_is_read_from_the_package_once_per_year(monkeypatch):
    WorkCalendar().is_workday(date(2024, 5, 6))  # the year is now known to the process

    def refuse(day):
        raise AssertionError(f"chinese_calendar asked again about {day}")

    monkeypatch.setattr(chinese_calendar, "is_workday", refuse)
    calendar = WorkCalendar()  # as each run loads its own
    assert calendar.is_workday(date(2024, 5, 6)) and not calendar.is_workday(date(2024, 5, 1))
    assert calendar.workdays_between(date(2024, 1, 1), date(2024, 12, 31)) == national_year(2024)[1:].count(
        True
    )  # (1 Jan, 31 Dec]

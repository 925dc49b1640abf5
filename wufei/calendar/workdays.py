"""China's working-day calendar: office overrides first, then `chinese_calendar`, then weekdays.

`chinese_calendar` knows the years the State Council has published (2004–2026 in 1.11.0) and
raises NotImplementedError beyond them. For an unknown year the office imports the State
Council's notice (`wufei calendar import`) or enters days as overrides (`wufei calendar set
2027-02-06 workday`); days it has not entered fall back to Monday–Friday less the statutory
holidays (wufei.calendar.statutory, without 调休), with a warning naming the year and the import.
Pure: no database here.
"""

from __future__ import annotations

import warnings
from bisect import bisect_left
from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from enum import StrEnum
from functools import cache
from itertools import accumulate

import chinese_calendar

from wufei.calendar.statutory import statutory_holidays


class DayKind(StrEnum):
    WORKDAY = "workday"
    HOLIDAY = "holiday"  # any day off: weekend, statutory holiday


class UnknownYearWarning(UserWarning):
    pass


def unknown_year_message(year: int) -> str:
    """For people: what a year without a known arrangement is counted as, and how to fix it."""
    return (
        f"{year}年的节假日安排尚未导入，暂按周一至周五扣除法定节假日（元旦、春节、清明、劳动节、端午、中秋、国庆）"
        f"计工作日，不含调休；国务院办公厅通知发布后请用 wufei calendar import 导入"
    )


@cache
def national_year(year: int) -> tuple[bool, ...] | None:
    """Whether each day of `year` is worked by the national arrangement (index: day of the year
    - 1), or None when `chinese_calendar` does not know the year. Once per process: the package
    validates its argument on every call (~40 µs), and replaying a year asks millions of times."""
    first = date(year, 1, 1)
    try:
        chinese_calendar.is_workday(first)
    except NotImplementedError:
        return None
    return tuple(chinese_calendar.is_workday(first + timedelta(days=n)) for n in range(_days_in(year)))


def _days_in(year: int) -> int:
    return (date(year + 1, 1, 1) - date(year, 1, 1)).days


def _index(day: date) -> int:
    return day.toordinal() - _first_ordinal(day.year)  # `timetuple().tm_yday` costs ten times as much


@cache
def _first_ordinal(year: int) -> int:
    return date(year, 1, 1).toordinal()


class WorkCalendar:
    """Answers are computed a year at a time and kept: a calendar is built per run, asked often."""

    def __init__(self, overrides: Mapping[date, DayKind | str] | None = None):
        self.overrides = {day: DayKind(kind) for day, kind in (overrides or {}).items()}
        self.unknown_years: set[int] = set()
        self._assumed: set[int] = set()  # years neither the package nor (wholly) the office knows
        self._years: dict[int, tuple[bool, ...]] = {}  # each day worked, overrides applied
        self._running: dict[int, tuple[int, ...]] = {}  # working days from 1 January through each day

    def is_workday(self, day: date) -> bool:
        worked = self._year(day.year)[_index(day)]
        if day.year in self._assumed and day not in self.overrides:
            self._unknown(day.year)
        return worked

    def _year(self, year: int) -> tuple[bool, ...]:
        if year not in self._years:
            national = national_year(year)
            if national is None:
                self._assumed.add(year)
                first = date(year, 1, 1)
                off = statutory_holidays(year)
                national = tuple(
                    (day := first + timedelta(days=n)).weekday() < 5 and day not in off for n in range(_days_in(year))
                )
            worked = list(national)
            for day, kind in self.overrides.items():
                if day.year == year:
                    worked[_index(day)] = kind == DayKind.WORKDAY
            self._years[year] = tuple(worked)
        return self._years[year]

    def _through(self, day: date) -> int:
        """Working days from 1 January of `day`'s year through `day`."""
        return self._running_of(day.year)[_index(day)]

    def _running_of(self, year: int) -> tuple[int, ...]:
        """Working days from 1 January of `year` through each of its days."""
        if year not in self._running:
            self._running[year] = tuple(accumulate(self._year(year)))
        return self._running[year]

    def _unknown(self, year: int) -> None:
        if year not in self.unknown_years:
            self.unknown_years.add(year)
            warnings.warn(unknown_year_message(year), UnknownYearWarning, stacklevel=3)

    def assumed(self, year: int) -> bool:
        """Whether `year` is counted by the fallback (`statutory`): neither `chinese_calendar` knows
        it nor has the office entered any day of it."""
        return national_year(year) is None and not any(day.year == year for day in self.overrides)

    def next_workday(self, day: date, *, include: bool = False) -> date:
        """The first working day after `day` (or `day` itself when include and it is one)."""
        day = day if include else day + timedelta(days=1)
        while not self.is_workday(day):
            day += timedelta(days=1)
        return day

    def previous_workday(self, day: date, *, include: bool = False) -> date:
        day = day if include else day - timedelta(days=1)
        while not self.is_workday(day):
            day -= timedelta(days=1)
        return day

    def add_workdays(self, day: date, n: int) -> date:
        """`n` working days after `day` (before it when n < 0); n = 0 is `day` itself. Found in
        the years' running counts, not by walking day by day: the escalation ladder asks for every
        due date and step on every scan."""
        if n == 0:
            return day
        year = day.year
        # the result's place among its year's working days (1 = the first), counted from `day`'s year
        if n > 0:
            place = self._through(day) + n
            while place > self._running_of(year)[-1]:
                place -= self._running_of(year)[-1]
                year += 1
        else:
            place = self._through(day) - self._year(year)[_index(day)] + n + 1
            while place < 1:
                year -= 1
                place += self._running_of(year)[-1]
        found = date(year, 1, 1) + timedelta(days=bisect_left(self._running_of(year), place))
        self._warn_if_assumed(min(day, found), max(day, found))
        return found

    def workdays_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: 1 from Friday to the next Monday; negative if end < start."""
        if end < start:
            return -self.workdays_between(end, start)
        count = self._through(end) - self._through(start)
        for year in range(start.year, end.year):
            count += self._through(date(year, 12, 31))
        self._warn_if_assumed(start + timedelta(days=1), end)
        return count

    def _warn_if_assumed(self, first: date, last: date) -> None:
        """The warning `is_workday` gives, for a count over the days first..last that did not ask
        it day by day (every year counted is loaded by now)."""
        if not self._assumed:
            return
        for year in sorted(self._assumed & set(range(first.year, last.year + 1))):
            days = each_day(max(first, date(year, 1, 1)), min(last, date(year, 12, 31)))
            if any(day not in self.overrides for day in days):
                self._unknown(year)

    def nth_workday_of_month(self, year: int, month: int, n: int) -> date:
        """The n-th working day of a month (1-based)."""
        first = date(year, month, 1)
        return self.add_workdays(self.previous_workday(first), n) if n > 0 else first

    def workday_on_or_before(self, day: date) -> date:
        return self.previous_workday(day, include=True)


def assumed_note(years: list[int]) -> str:
    """What a bulletin says of years counted by the fallback (the command line says
    `unknown_year_message`)."""
    named = "、".join(f"{year}年" for year in years)
    return f"{named}节假日安排尚未导入（wufei calendar import），按周一至周五扣除法定节假日计算，未含调休"


def each_day(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)

"""China's working-day calendar: office overrides first, then `chinese_calendar`, then weekdays.

`chinese_calendar` knows the years the State Council has published (2004–2026 in 1.11.0) and
raises NotImplementedError beyond them. For an unknown year the office enters the official
calendar as overrides (`wufei calendar set 2027-02-06 workday`); days it has not entered
fall back to Monday–Friday, with a warning naming the year. Pure: no database here.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from datetime import date, timedelta
from enum import StrEnum

import chinese_calendar


class DayKind(StrEnum):
    WORKDAY = "workday"
    HOLIDAY = "holiday"  # any day off: weekend, statutory holiday


class UnknownYearWarning(UserWarning):
    pass


class WorkCalendar:
    def __init__(self, overrides: Mapping[date, DayKind | str] | None = None):
        self.overrides = {day: DayKind(kind) for day, kind in (overrides or {}).items()}
        self.unknown_years: set[int] = set()
        self._known: dict[date, bool] = {}  # chinese_calendar costs ~80 µs a call; scans ask often

    def is_workday(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day] == DayKind.WORKDAY
        if day not in self._known:
            try:
                self._known[day] = chinese_calendar.is_workday(day)
            except NotImplementedError:
                self._unknown(day.year)
                return day.weekday() < 5
        return self._known[day]

    def _unknown(self, year: int) -> None:
        if year not in self.unknown_years:
            self.unknown_years.add(year)
            warnings.warn(
                f"{year}年的法定节假日安排未知（chinese_calendar 与办公室设置均无），按周一至周五计工作日；"
                f"请用 wufei calendar set 录入当年安排",
                UnknownYearWarning,
                stacklevel=3,
            )

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
        """`n` working days after `day` (before it when n < 0); n = 0 is `day` itself."""
        step = 1 if n >= 0 else -1
        for _ in range(abs(n)):
            day = self.next_workday(day) if step > 0 else self.previous_workday(day)
        return day

    def workdays_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: 1 from Friday to the next Monday; negative if end < start."""
        if end < start:
            return -self.workdays_between(end, start)
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_workday(day)
        return count

    def nth_workday_of_month(self, year: int, month: int, n: int) -> date:
        """The n-th working day of a month (1-based)."""
        first = date(year, month, 1)
        return self.add_workdays(self.previous_workday(first), n) if n > 0 else first

    def workday_on_or_before(self, day: date) -> date:
        return self.previous_workday(day, include=True)

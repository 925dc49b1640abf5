"""Which day a cadence point runs on (wufei/cadence/schedule.py), and the days a point's run may
skip without reading the calendar (`may_run_on`)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from wufei.cadence import schedule
from wufei.cadence.config import CadenceConfig, RunDay
from wufei.calendar.workdays import DayKind, WorkCalendar

FIRST, LAST = date(2023, 1, 1), date(2025, 12, 31)
DAYS = [FIRST + timedelta(days=n) for n in range((LAST - FIRST).days + 1)]
# The office worked every day: each month's n-th working day is its n-th day, the earliest it can be.
EVERY_DAY_WORKED = WorkCalendar(dict.fromkeys(DAYS, DayKind.WORKDAY))


@pytest.mark.parametrize("calendar", [WorkCalendar(), EVERY_DAY_WORKED], ids=["national", "every_day_worked"])
@pytest.mark.parametrize("section", ["monthly_dispatch", "quarterly_circular", "half_year_review", "annual_assessment"])
def test_a_point_never_skips_its_run_day_unread(calendar, section):
    rule = CadenceConfig.load().run_day(section)
    run_days = [day for day in DAYS if schedule.runs_on(rule, day, calendar)]
    assert len(run_days) == 3 * (12 if not rule.months else len(rule.months))
    assert all(schedule.may_run_on(rule, day) for day in run_days)


def test_the_days_ruled_out_unread_are_the_months_without_a_run_and_the_days_before_the_nth():
    quarterly = RunDay(5, (1, 4, 7, 10))
    assert [d.day for d in DAYS[:40] if schedule.may_run_on(quarterly, d)] == list(range(5, 32))
    assert not any(schedule.may_run_on(quarterly, d) for d in DAYS if d.month not in (1, 4, 7, 10))
    every_month = RunDay(3, ())
    assert [schedule.may_run_on(every_month, date(2024, 6, day)) for day in (1, 2, 3, 30)] == [False, False, True, True]

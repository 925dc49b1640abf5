"""Which day a cadence point runs on. Cron cannot say "the 3rd working day" or follow 调休, so
the flows are scheduled daily and ask here. Pure: inputs are arguments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from wufei.cadence.config import CadenceConfig, RunDay
from wufei.cadence.periods import Period
from wufei.calendar.workdays import WorkCalendar


def run_day(rule: RunDay, year: int, month: int, calendar: WorkCalendar) -> date | None:
    """The day a point with this run-day rule runs in that month, or None if it does not run then."""
    if not rule.runs_in(month):
        return None
    return calendar.nth_workday_of_month(year, month, rule.workday_of_month)


def runs_on(rule: RunDay, day: date, calendar: WorkCalendar) -> bool:
    return run_day(rule, day.year, day.month, calendar) == day


def may_run_on(rule: RunDay, day: date) -> bool:
    """False when `day` cannot be the run day whatever the calendar says: a month the point does
    not run in, or a day before the month's n-th working day can fall (on its n-th day at the
    earliest). A point's run skips such a day without reading the calendar: in a replay most
    of the days of a quarterly, half-year or annual point."""
    return rule.runs_in(day.month) and day.day >= rule.workday_of_month


@dataclass(frozen=True)
class RunTime:
    """When a point runs: its run day (cadence.yaml) at its deployment's time of day (prefect.yaml)."""

    rule: RunDay
    at: time

    def day_for(self, period: Period, calendar: WorkCalendar) -> date:
        """The run day reporting on `period`: in the month after it ends (that month's first day
        when the point does not run then, as an office's file may say)."""
        following = period.end + timedelta(days=1)
        return run_day(self.rule, following.year, following.month, calendar) or following

    def moment_for(self, period: Period, calendar: WorkCalendar, cadence: CadenceConfig) -> datetime:
        return self.moment(self.day_for(period, calendar), cadence)

    def moment(self, day: date, cadence: CadenceConfig) -> datetime:
        return datetime.combine(day, self.at, tzinfo=cadence.timezone)

"""Which day each cadence point runs on. Cron cannot say "the 3rd working day" or follow
调休, so the flows are scheduled daily and ask here. Pure: inputs are arguments."""

from __future__ import annotations

from datetime import date
from typing import Any

from wufei.calendar.workdays import WorkCalendar

MONTHLY, QUARTERLY, HALF_YEAR, ANNUAL = "monthly", "quarterly", "half_year", "annual"

_DEFAULTS: dict[str, dict[str, Any]] = {
    MONTHLY: {"workday_of_month": 3},
    QUARTERLY: {"workday_of_month": 5, "months": [1, 4, 7, 10]},
    HALF_YEAR: {"workday_of_month": 10, "months": [1, 7]},
    ANNUAL: {"workday_of_month": 15, "month": 1},
}
_CONFIG_KEYS = {
    MONTHLY: "monthly_dispatch",
    QUARTERLY: "quarterly_circular",
    HALF_YEAR: "half_year_review",
    ANNUAL: "annual_assessment",
}


def point_config(kind: str, cadence: dict[str, Any] | None) -> dict[str, Any]:
    return {**_DEFAULTS[kind], **((cadence or {}).get(_CONFIG_KEYS[kind]) or {})}


def run_day(kind: str, year: int, month: int, calendar: WorkCalendar, cadence: dict[str, Any] | None) -> date | None:
    """The day the cadence point `kind` runs in that month, or None if it does not run then."""
    config = point_config(kind, cadence)
    months = config.get("months") or ([config["month"]] if "month" in config else list(range(1, 13)))
    if month not in months:
        return None
    return calendar.nth_workday_of_month(year, month, int(config["workday_of_month"]))


def runs_on(kind: str, day: date, calendar: WorkCalendar, cadence: dict[str, Any] | None) -> bool:
    return run_day(kind, day.year, day.month, calendar, cadence) == day

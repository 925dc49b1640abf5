"""Prefect flows of the supervision cadence: 周报送、月调度、季通报、半年观摩、年终考核.

Thin on purpose: each flow finds its day and calls one function of wufei.cadence.runs.
The day is the scheduled start time in Asia/Shanghai (so a run fired late after a
restart still works on the day it was meant for), or `as_of` to replay a past date.
Every run is idempotent, so a retried or doubled run changes nothing twice.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from prefect import flow, get_run_logger
from prefect.runtime import flow_run

from wufei.cadence import runs, schedule
from wufei.db import make_engine

TIMEZONE = ZoneInfo("Asia/Shanghai")


def run_day(as_of: str | None) -> date:
    if as_of:
        return date.fromisoformat(as_of)
    scheduled = flow_run.scheduled_start_time
    return (scheduled or datetime.now(TIMEZONE)).astimezone(TIMEZONE).date()


def _run(name: str, work, as_of: str | None) -> dict[str, Any]:
    day = run_day(as_of)
    engine = make_engine()
    try:
        result = work(engine, day)
    finally:
        engine.dispose()
    get_run_logger().info("%s for %s: %s", name, day.isoformat(), result)
    return result


@flow(name="daily-scan", retries=2, retry_delay_seconds=30)
def daily_scan(as_of: str | None = None) -> dict[str, Any]:
    """Lights and the escalation ladder for every open task (working days only)."""
    return _run("daily-scan", runs.daily_scan, as_of)


@flow(name="weekly-report", retries=2, retry_delay_seconds=30)
def weekly_report(as_of: str | None = None) -> dict[str, Any]:
    """Open the reporting window, remind before it closes, count the week that closed."""
    return _run("weekly-report", runs.weekly_report, as_of)


@flow(name="monthly-dispatch", retries=2, retry_delay_seconds=30)
def monthly_dispatch(as_of: str | None = None, force: bool = False) -> dict[str, Any]:
    """月调度: the month's figures, on its working day of the month."""
    return _run("monthly-dispatch", lambda e, d: runs.period_run(e, schedule.MONTHLY, d, force=force), as_of)


@flow(name="quarterly-circular", retries=2, retry_delay_seconds=30)
def quarterly_circular(as_of: str | None = None, force: bool = False) -> dict[str, Any]:
    """季通报: scores and ranks of departments and county-level units."""
    return _run("quarterly-circular", lambda e, d: runs.period_run(e, schedule.QUARTERLY, d, force=force), as_of)


@flow(name="half-year-review", retries=2, retry_delay_seconds=30)
def half_year_review(as_of: str | None = None, force: bool = False) -> dict[str, Any]:
    """半年观摩: the projects to visit and their state."""
    return _run("half-year-review", lambda e, d: runs.period_run(e, schedule.HALF_YEAR, d, force=force), as_of)


@flow(name="annual-assessment", retries=2, retry_delay_seconds=30)
def annual_assessment(as_of: str | None = None, force: bool = False) -> dict[str, Any]:
    """年终考核: the year's figures per department."""
    return _run("annual-assessment", lambda e, d: runs.period_run(e, schedule.ANNUAL, d, force=force), as_of)

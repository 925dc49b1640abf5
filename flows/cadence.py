"""Prefect flows of the supervision cadence: 周报送、月调度、季通报、半年观摩、年终考核.

Thin on purpose: each flow finds its day and calls one function of wufei.cadence.runs.
The day is the scheduled start time in Asia/Shanghai (so a run fired late after a
restart still works on the day it was meant for), or `as_of` to replay a past date.
Every run is idempotent, so a retried or doubled run changes nothing twice.

Each flow takes an optional `jurisdiction`: one city of a province. `province-daily-scan`
fans the daily scan out as one `daily-scan` deployment run per city, so that the workers of
a work pool share a province (docs/province.md).
"""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from prefect import flow, get_run_logger
from prefect.runtime import flow_run

from wufei.bulletins.service import write_cadence_bulletins
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
def daily_scan(as_of: str | None = None, jurisdiction: str | None = None) -> dict[str, Any]:
    """Lights and the escalation ladder for every open task, or one jurisdiction's (working days only)."""
    return _run("daily-scan", lambda e, d: runs.daily_scan(e, d, jurisdiction=jurisdiction), as_of)


@flow(name="weekly-report", retries=2, retry_delay_seconds=30)
def weekly_report(as_of: str | None = None, jurisdiction: str | None = None) -> dict[str, Any]:
    """Open the reporting window, remind before it closes, count the week that closed."""
    return _run("weekly-report", lambda e, d: runs.weekly_report(e, d, jurisdiction=jurisdiction), as_of)


def _period(kind: str, force: bool, jurisdiction: str | None):
    """The period's figures, then, when they were due, its bulletins (WUFEI_BULLETIN_DIR)."""

    def work(engine, day: date) -> dict[str, Any]:
        result = runs.period_run(engine, kind, day, force=force, jurisdiction=jurisdiction)
        if not result.get("skipped"):
            result["bulletins"] = [
                str(path)
                for path in write_cadence_bulletins(
                    engine, kind=kind, period=result["period"], as_of=day, jurisdiction=jurisdiction
                )
            ]
        return result

    return work


@flow(name="monthly-dispatch", retries=2, retry_delay_seconds=30)
def monthly_dispatch(as_of: str | None = None, force: bool = False, jurisdiction: str | None = None) -> dict[str, Any]:
    """月调度: the month's figures, on its working day of the month."""
    return _run("monthly-dispatch", _period(schedule.MONTHLY, force, jurisdiction), as_of)


@flow(name="quarterly-circular", retries=2, retry_delay_seconds=30)
def quarterly_circular(
    as_of: str | None = None, force: bool = False, jurisdiction: str | None = None
) -> dict[str, Any]:
    """季通报: scores and ranks of departments and county-level units."""
    return _run("quarterly-circular", _period(schedule.QUARTERLY, force, jurisdiction), as_of)


@flow(name="half-year-review", retries=2, retry_delay_seconds=30)
def half_year_review(as_of: str | None = None, force: bool = False, jurisdiction: str | None = None) -> dict[str, Any]:
    """半年观摩: the projects to visit and their state."""
    return _run("half-year-review", _period(schedule.HALF_YEAR, force, jurisdiction), as_of)


@flow(name="annual-assessment", retries=2, retry_delay_seconds=30)
def annual_assessment(as_of: str | None = None, force: bool = False, jurisdiction: str | None = None) -> dict[str, Any]:
    """年终考核: the year's figures per department."""
    return _run("annual-assessment", _period(schedule.ANNUAL, force, jurisdiction), as_of)


# No retries here: each city's run retries itself, and a retried fan-out would only find the
# same runs again (their idempotency keys name this run, the day and the city).
@flow(name="province-daily-scan")
async def province_daily_scan(
    as_of: str | None = None,
    province: str | None = None,
    deployment: str = "daily-scan/daily-scan",
    poll_seconds: float = 5,
) -> dict[str, Any]:
    """The daily scan of a province, one `deployment` run per city, all at once: the pool's workers
    share them. The cities are `runs.jurisdictions_to_scan` (every plan in exactly one run; with
    `province`, its cities and, if it has plans of its own, the province). Fails when a city's run
    does not complete; returns each city's state."""
    from prefect.deployments.flow_runs import arun_deployment

    day = run_day(as_of)
    engine = make_engine()
    try:
        cities = runs.jurisdictions_to_scan(engine, within=province)
    finally:
        engine.dispose()
    logger = get_run_logger()
    logger.info("province-daily-scan for %s: %d jurisdictions", day.isoformat(), len(cities))
    parent = flow_run.id or "local"
    finished = await asyncio.gather(
        *[
            arun_deployment(
                deployment,
                parameters={"as_of": day.isoformat(), "jurisdiction": city},
                flow_run_name=f"daily-scan {city} {day.isoformat()}",
                timeout=None,
                poll_interval=poll_seconds,
                idempotency_key=f"{parent}|{day.isoformat()}|{city}",
            )
            for city in cities
        ]
    )
    states = {city: run.state.name if run.state else "Unknown" for city, run in zip(cities, finished)}
    failed = sorted(city for city, run in zip(cities, finished) if not (run.state and run.state.is_completed()))
    if failed:
        raise RuntimeError(f"daily-scan did not complete for {', '.join(failed)}: {states}")
    return {
        "as_of": day.isoformat(),
        "jurisdictions": states,
        "flow_runs": {city: str(run.id) for city, run in zip(cities, finished)},
    }

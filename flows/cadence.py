"""Prefect flows of the daily cadence: the daily scan (每日扫描) and the weekly report (周报送).

Thin on purpose: each flow finds its day, loads the rules once and calls the function of
wufei.points.runs that the CLI calls too. The day is the scheduled start time in the cadence
time zone (cadence.yaml `timezone`), so a run fired late after a restart still works on the day
it was meant for, or `as_of` to replay a past date. Every run is idempotent, so a retried or
doubled run changes nothing twice.

The period points' flows (月调度、季通报、半年观摩、年终考核) are in flows/points.py: loading them
loads every point's bulletin builder (charts, matplotlib), which a daily scan's process, started
once per city and day by a work pool's worker, does not need (docs/province.md). Keep this module's
imports to what the scan and the weekly report use.

Each flow takes an optional `jurisdiction`: one city of a province. `fan-out` (flows/fanout.py)
starts one run per city of any of them, so that the workers of a work pool share a province or
the nation (docs/province.md).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from prefect import flow, get_run_logger
from prefect.runtime import flow_run

from wufei.db import make_engine
from wufei.points import runs
from wufei.ruleset import Ruleset


def run_day(as_of: str | None, rules: Ruleset) -> date:
    if as_of:
        return date.fromisoformat(as_of)
    scheduled = flow_run.scheduled_start_time
    return rules.cadence.today(scheduled or datetime.now(rules.cadence.timezone))


def run(name: str, work: Callable[[Any, date, Ruleset], dict[str, Any]], as_of: str | None) -> dict[str, Any]:
    """`work(engine, day, rules)` on the run's day, logged."""
    rules = Ruleset.load()
    day = run_day(as_of, rules)
    engine = make_engine()
    try:
        result = work(engine, day, rules)
    finally:
        engine.dispose()
    get_run_logger().info("%s for %s: %s", name, day.isoformat(), result)
    return result


@flow(name="daily-scan", retries=2, retry_delay_seconds=30)
def daily_scan(as_of: str | None = None, jurisdiction: str | None = None) -> dict[str, Any]:
    """Lights and the escalation ladder for every open task, or one jurisdiction's (working days only)."""
    return run("daily-scan", lambda e, d, r: runs.daily_scan(e, d, rules=r, jurisdiction=jurisdiction), as_of)


@flow(name="weekly-report", retries=2, retry_delay_seconds=30)
def weekly_report(as_of: str | None = None, jurisdiction: str | None = None) -> dict[str, Any]:
    """Open the reporting window, remind before it closes, count the week that closed."""
    return run("weekly-report", lambda e, d, r: runs.weekly_report(e, d, rules=r, jurisdiction=jurisdiction), as_of)

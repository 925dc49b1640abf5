"""Prefect flows of the supervision cadence: 周报送、月调度、季通报、半年观摩、年终考核.

Thin on purpose: each flow finds its day, loads the rules once and calls the function of
wufei.points.runs that the CLI calls too. The day is the scheduled start time in the cadence
time zone (cadence.yaml `timezone`), so a run fired late after a restart still works on the day
it was meant for, or `as_of` to replay a past date. Every run is idempotent, so a retried or
doubled run changes nothing twice.

One flow per cadence point of the registry (wufei.points.registry) that runs by itself, named
after its command (monthly-dispatch …) and bound here under that name with underscores, so
prefect.yaml's entrypoints (`flows/cadence.py:monthly_dispatch`) find it.

Each flow takes an optional `jurisdiction`: one city of a province. `fan-out` (flows/fanout.py)
starts one run per city of any of them, so that the workers of a work pool share a province or
the nation (docs/province.md).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from prefect import Flow, flow, get_run_logger
from prefect.runtime import flow_run

from wufei.db import make_engine
from wufei.points import registry, runs
from wufei.points.registry import CadencePoint
from wufei.ruleset import Ruleset


def run_day(as_of: str | None, rules: Ruleset) -> date:
    if as_of:
        return date.fromisoformat(as_of)
    scheduled = flow_run.scheduled_start_time
    return rules.cadence.today(scheduled or datetime.now(rules.cadence.timezone))


def _run(name: str, work: Callable[[Any, date, Ruleset], dict[str, Any]], as_of: str | None) -> dict[str, Any]:
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
    return _run("daily-scan", lambda e, d, r: runs.daily_scan(e, d, rules=r, jurisdiction=jurisdiction), as_of)


@flow(name="weekly-report", retries=2, retry_delay_seconds=30)
def weekly_report(as_of: str | None = None, jurisdiction: str | None = None) -> dict[str, Any]:
    """Open the reporting window, remind before it closes, count the week that closed."""
    return _run("weekly-report", lambda e, d, r: runs.weekly_report(e, d, rules=r, jurisdiction=jurisdiction), as_of)


def point_flow(point: CadencePoint) -> Flow[..., dict[str, Any]]:
    """The flow of a cadence point: on its working day (or any day with `force`), the period's
    figures, then its bulletins (WUFEI_BULLETIN_DIR) and those of its followers."""
    name = point.command or point.name

    def run(as_of: str | None = None, force: bool = False, jurisdiction: str | None = None) -> dict[str, Any]:
        return _run(
            name,
            lambda e, d, r: runs.run_point(e, point, d, rules=r, force=force, jurisdiction=jurisdiction),
            as_of,
        )

    run.__name__ = run.__qualname__ = name.replace("-", "_")
    run.__doc__ = point.description or point.title
    return flow(name=name, retries=2, retry_delay_seconds=30)(run)


POINT_FLOWS = {point.command: point_flow(point) for point in registry.scheduled() if point.command}
globals().update({flow_.fn.__name__: flow_ for flow_ in POINT_FLOWS.values()})

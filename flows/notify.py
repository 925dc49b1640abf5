"""The delivery flow: the day's notice digests through Apprise, and the retries that are due.

Thin on purpose: it finds its day and calls wufei.notify.runs.scheduled_delivery, where the
claims, the per-service records and the exactly-once rule live. Scheduled after the daily scan
and the weekly report (flows/deployments.py) on every day; digests go out on working days only,
retries every time. Idempotent: a digest is claimed once by its unique key, so a retried,
doubled or late run sends nothing twice, and a run that died mid-send is left visible
(`wufei notices --json`) for the next run to resolve.

The run's claims carry its flow run id. When the run crashed (its process killed, its machine
lost: Prefect marks it Crashed when its heartbeats stop, flows/crashes.py) and is retried, the
retry releases the claims its dead attempt held and sends what never left at once, instead of
waiting out the 10-minute lease; a message that was on the wire stays `unknown`.
"""

from __future__ import annotations

from typing import Any

from prefect import flow, get_run_logger
from prefect.runtime import flow_run

from flows.cadence import run_day
from wufei.db import make_engine
from wufei.notify import runs
from wufei.ruleset import Ruleset


@flow(name="deliver-notices", retries=2, retry_delay_seconds=60)
def deliver_notices(as_of: str | None = None, concurrency: int = 4, jurisdiction: str | None = None) -> dict[str, Any]:
    """Retry due failures, then send the day's digests (one per department, audience and channel tag);
    with `jurisdiction` (a city, as the cadence flows take it), only the intents about its tasks or
    addressed to its departments, so a nation's delivery can fan out per city."""
    rules = Ruleset.load()
    day = run_day(as_of, rules)
    engine = make_engine()
    try:
        holder = str(flow_run.id) if flow_run.id else None
        result = runs.scheduled_delivery(
            engine, day, cadence=rules.cadence, concurrency=concurrency, holder=holder, jurisdiction=jurisdiction
        )
    finally:
        engine.dispose()
    get_run_logger().info("deliver-notices for %s (%s): %s", day.isoformat(), jurisdiction or "全部", result)
    return result

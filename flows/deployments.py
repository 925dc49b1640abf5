"""The cadence deployments, from the registry of cadence points: what `wufei serve` runs, and
what prefect.yaml declares for `prefect deploy --all` (a test keeps the two in step).

Schedules are daily in the cadence time zone (cadence.yaml `timezone`): whether today is the day
(the 3rd working day of the month, a day after 调休 …) is decided in code from the calendar.
"""

from __future__ import annotations

from typing import Any

from prefect import Flow, serve
from prefect.schedules import Cron

from flows import cadence, notify
from wufei.cadence.config import CadenceConfig
from wufei.points import registry

DAILY_SCAN_CRON = "30 8 * * *"


def deployments() -> dict[str, tuple[Flow[..., Any], str]]:
    """name → (flow, cron): the daily scan and weekly report, each cadence point that runs by
    itself, and the delivery after the scan and the weekly report (later runs retry)."""
    return {
        "daily-scan": (cadence.daily_scan, DAILY_SCAN_CRON),
        "weekly-report": (cadence.weekly_report, "0 9 * * *"),
        **{
            point.command: (
                cadence.POINT_FLOWS.get(point.command) or cadence.point_flow(point),
                point.cron or "0 10 * * *",
            )
            for point in registry.scheduled()
            if point.command
        },
        "deliver-notices": (notify.deliver_notices, "15 9,11,14,16 * * *"),
    }


def runner_deployments() -> list[Any]:
    timezone = CadenceConfig.load().timezone_name
    return [
        flow.to_deployment(name=name, schedule=Cron(cron, timezone=timezone), tags=["wufei", "cadence"])
        for name, (flow, cron) in deployments().items()
    ]


def serve_all() -> None:
    """Run every cadence flow on its schedule from this process (needs a Prefect server)."""
    # Missed runs fire at once after a restart; the flows are idempotent, so no pause.
    serve(*runner_deployments(), pause_on_shutdown=False)

"""The cadence deployments: one place for names and schedules, used by `wufei serve`.

prefect.yaml declares the same deployments for `prefect deploy --all`; a test keeps the
two in step. Schedules are daily in Asia/Shanghai: whether today is the day (the 3rd
working day of the month, a day after 调休 …) is decided in code from the calendar.
"""

from __future__ import annotations

from prefect import serve
from prefect.schedules import Cron

from flows import cadence, notify

TIMEZONE = "Asia/Shanghai"

DEPLOYMENTS = {
    # name: (flow, cron)
    "daily-scan": (cadence.daily_scan, "30 8 * * *"),
    "weekly-report": (cadence.weekly_report, "0 9 * * *"),
    "monthly-dispatch": (cadence.monthly_dispatch, "0 10 * * *"),
    "quarterly-circular": (cadence.quarterly_circular, "15 10 * * *"),
    "half-year-review": (cadence.half_year_review, "30 10 * * *"),
    "annual-assessment": (cadence.annual_assessment, "45 10 * * *"),
    "deliver-notices": (
        notify.deliver_notices,
        "15 9,11,14,16 * * *",
    ),  # after daily-scan and weekly-report; later runs retry
}


def runner_deployments():
    return [
        flow.to_deployment(name=name, schedule=Cron(cron, timezone=TIMEZONE), tags=["wufei", "cadence"])
        for name, (flow, cron) in DEPLOYMENTS.items()
    ]


def serve_all() -> None:
    """Run every cadence flow on its schedule from this process (needs a Prefect server)."""
    # Missed runs fire at once after a restart; the flows are idempotent, so no pause.
    serve(*runner_deployments(), pause_on_shutdown=False)

"""Prefect flows of the period points: 月调度、季通报、半年观摩、年终考核.

One flow per cadence point of the registry (wufei.points.registry) that runs by itself, named
after its command (monthly-dispatch …) and bound here under that name with underscores, so
prefect.yaml's entrypoints (`flows/points.py:monthly_dispatch`) find it. Loading this module loads
the registry, hence every point's bulletin builder (charts, matplotlib): the period runs need them,
the daily scan does not (flows/cadence.py).

Each flow takes an optional `jurisdiction` (one city) and `force` (any day, not only the point's
working day), as flows/cadence.py's do; like them it is idempotent.
"""

from __future__ import annotations

from typing import Any

from prefect import Flow, flow

from flows.cadence import run
from wufei.points import registry, runs
from wufei.points.registry import CadencePoint


def point_flow(point: CadencePoint) -> Flow[..., dict[str, Any]]:
    """The flow of a cadence point: on its working day (or any day with `force`), the period's
    figures, then its bulletins (WUFEI_BULLETIN_DIR) and those of its followers."""
    name = point.command or point.name

    def run_point(as_of: str | None = None, force: bool = False, jurisdiction: str | None = None) -> dict[str, Any]:
        return run(
            name,
            lambda e, d, r: runs.run_point(e, point, d, rules=r, force=force, jurisdiction=jurisdiction),
            as_of,
        )

    run_point.__name__ = run_point.__qualname__ = name.replace("-", "_")
    run_point.__doc__ = point.description or point.title
    return flow(name=name, retries=2, retry_delay_seconds=30)(run_point)


POINT_FLOWS = {point.command: point_flow(point) for point in registry.scheduled() if point.command}
globals().update({flow_.fn.__name__: flow_ for flow_ in POINT_FLOWS.values()})

"""A cadence command fanned out over a province or the whole nation: one deployment run per city.

Thin on purpose: `wufei.points.runs.fan_out` says which jurisdictions get a run (every plan in
exactly one) and with which parameters, or that the day has nothing to do; this flow starts the
runs of the command's own deployment (`<command>/<command>`, prefect.yaml) in the work pool,
where whichever worker has a free slot takes the next one, waits for them, and fails naming the
cities whose run did not complete. After a period point's cities it issues the province
roll-ups, which the scoped city runs leave out (`runs.issue_rollups`); after the cities'
deliveries of a nation it sends what no city run may send (the office's and the group's own
notices, tied to no task and no department) by one unscoped delivery. docs/province.md.

No retries here: each city's run retries itself, and a retried fan-out only finds the runs it
already started (their idempotency keys name this run, the command, the day and the city).
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

from prefect import flow, get_run_logger
from prefect.runtime import flow_run

from flows.cadence import run_day
from wufei.db import make_engine
from wufei.points import runs
from wufei.ruleset import Ruleset

if TYPE_CHECKING:
    from prefect.client.schemas.objects import State

PAGE = 200  # flow runs a query returns at most (the server's PREFECT_API_DEFAULT_LIMIT)


@flow(name="fan-out")
async def fan_out(
    command: str = runs.DAILY_SCAN,
    as_of: str | None = None,
    province: str | None = None,
    force: bool = False,
    poll_seconds: float = 5,
) -> dict[str, Any]:
    """`command` (daily-scan, weekly-report, monthly-dispatch …, deliver-notices) for every city
    with plans, or `province`'s, one run each, all at once; returns each city's final state."""
    from prefect.deployments.flow_runs import arun_deployment

    rules = Ruleset.load()
    day = run_day(as_of, rules)
    engine = make_engine()
    try:
        planned = runs.fan_out(engine, command, day, rules=rules, within=province, force=force)
    finally:
        engine.dispose()
    logger = get_run_logger()
    result: dict[str, Any] = {"command": command, "as_of": day.isoformat()}
    if planned.skipped:
        logger.info("fan-out %s for %s: skipped (%s)", command, day.isoformat(), planned.skipped)
        return result | {"skipped": planned.skipped}
    logger.info("fan-out %s for %s: %d jurisdictions", command, day.isoformat(), len(planned.runs))
    holder = str(flow_run.id) if flow_run.id else None  # this run, claiming the notices of no city
    parent = holder or "local"
    cities = list(planned.runs)
    started = await asyncio.gather(
        *[
            arun_deployment(
                f"{command}/{command}",
                parameters=parameters,
                flow_run_name=f"{command} {city} {day.isoformat()}",
                timeout=0,  # started only: _wait_for polls them all at once
                idempotency_key=f"{parent}|{command}|{day.isoformat()}|{city}",
            )
            for city, parameters in planned.runs.items()
        ]
    )
    final = await _wait_for([run.id for run in started], poll_seconds)
    states = {city: final[run.id].name for city, run in zip(cities, started)}
    failed = sorted(city for city, run in zip(cities, started) if not final[run.id].is_completed())
    if failed:
        raise RuntimeError(f"{command} did not complete for {', '.join(failed)}: {states}")
    after = await asyncio.to_thread(_after_cities, command, day, rules, province, holder)
    return (
        result
        | {"jurisdictions": states, "flow_runs": {city: str(run.id) for city, run in zip(cities, started)}}
        | after
    )


async def _wait_for(ids: list[UUID], poll_seconds: float) -> dict[UUID, State]:
    """The final state of each run of `ids`, once each has one: polled together every `poll_seconds`: one
    query an interval for those still going (a page per 200), not one per city (the server's CPU
    answering a nation's cities one by one was a third of theirs)."""
    from prefect import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    finished: dict[UUID, State] = {}
    async with get_client() as client:
        while waiting := [flow_run_id for flow_run_id in ids if flow_run_id not in finished]:
            for page in range(0, len(waiting), PAGE):
                chunk = waiting[page : page + PAGE]
                found = await client.read_flow_runs(
                    flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=chunk)), limit=len(chunk)
                )
                finished |= {run.id: run.state for run in found if run.state and run.state.is_final()}
            if len(finished) < len(ids):
                await asyncio.sleep(poll_seconds)
    return finished


def _after_cities(command: str, day: date, rules: Ruleset, province: str | None, holder: str | None) -> dict[str, Any]:
    """What the whole needs once every city's run is done: a period point's province roll-ups; the
    notices of no city, when the nation's delivery fanned out (a province's leaves them to the
    nation's, or to an unscoped deliver-notices run)."""
    engine = make_engine()
    try:
        if command == runs.DELIVER_NOTICES:
            if province is not None:
                return {}
            from wufei.notify.runs import scheduled_delivery

            return {"unscoped": scheduled_delivery(engine, day, cadence=rules.cadence, holder=holder)}
        issued = runs.issue_rollups(engine, command, day, rules=rules, within=province)
    finally:
        engine.dispose()
    return {"rollups": [str(path) for item in issued for path in item.paths]}

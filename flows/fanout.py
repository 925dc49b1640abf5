"""A cadence command fanned out over a province or the whole nation: one deployment run per city.

Thin on purpose: `wufei.points.runs.fan_out` says which jurisdictions get a run (every plan in
exactly one) and with which parameters, or that the day has nothing to do; this flow starts the
runs of the command's own deployment (`<command>/<command>`, prefect.yaml) in the work pool, a
window of them at a time (AHEAD), where whichever worker has a free slot takes the next one,
waits for them, and fails naming the cities whose run did not complete. After a period point's
cities it issues the province roll-ups, which the scoped city runs leave out
(`runs.issue_rollups`); after the cities' deliveries of a nation it sends what no city run may
send (the office's and the group's own notices, tied to no task and no department) by one
unscoped delivery. docs/province.md.

No retries here: each city's run retries itself, and a retried fan-out only finds the runs it
already started (their idempotency keys name this run, the command, the day and the city).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
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
# City runs started and not finished at most. Every poll of every worker reads all the pool's
# scheduled runs (Prefect 3.8's workers ask for no limit; the server answers up to 200, as full
# objects): with a nation's 300 queued at once, answering those polls cost the Prefect server about
# as much CPU as the city runs themselves. Keep it above the pool's slots, so none waits for work.
AHEAD = 24


@flow(name="fan-out")
async def fan_out(
    command: str = runs.DAILY_SCAN,
    as_of: str | None = None,
    province: str | None = None,
    force: bool = False,
    poll_seconds: float = 5,
    ahead: int = AHEAD,
) -> dict[str, Any]:
    """`command` (daily-scan, weekly-report, monthly-dispatch …, deliver-notices) for every city
    with plans, or `province`'s, one run each, `ahead` of them at a time (AHEAD; below 1: all at
    once); returns each city's final state."""
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

    async def start(city: str, parameters: dict[str, Any]) -> UUID:
        started = await arun_deployment(
            f"{command}/{command}",
            parameters=parameters,
            flow_run_name=f"{command} {city} {day.isoformat()}",
            timeout=0,  # started only: _run_all polls them all at once
            idempotency_key=f"{parent}|{command}|{day.isoformat()}|{city}",
        )
        return started.id

    started, final = await _run_all(planned.runs, start, poll_seconds, ahead)
    states = {city: final[city].name for city in planned.runs}
    failed = sorted(city for city in planned.runs if not final[city].is_completed())
    if failed:
        raise RuntimeError(f"{command} did not complete for {', '.join(failed)}: {states}")
    after = await asyncio.to_thread(_after_cities, command, day, rules, province, holder)
    return (
        result | {"jurisdictions": states, "flow_runs": {city: str(run_id) for city, run_id in started.items()}} | after
    )


async def _run_all(
    planned: dict[str, dict[str, Any]],
    start: Callable[[str, dict[str, Any]], Awaitable[UUID]],
    poll_seconds: float,
    ahead: int,
) -> tuple[dict[str, UUID], dict[str, State]]:
    """Start each city's run, at most `ahead` of them unfinished at once (all at once when
    `ahead` < 1), and wait for them; (city → its run, city → its final state). The runs are polled
    together every `poll_seconds`, one query an interval for those still going (a page per 200),
    not one per city (the server's CPU answering a nation's cities one by one was a third of
    theirs); a run finishing makes room for the next city at once."""
    from prefect import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    waiting = list(planned.items())
    started: dict[str, UUID] = {}
    going: dict[UUID, str] = {}  # run → city
    final: dict[str, State] = {}
    async with get_client() as client:
        while waiting or going:
            room = len(waiting) if ahead < 1 else ahead - len(going)
            batch, waiting = waiting[:room], waiting[room:]
            ids = await asyncio.gather(*[start(city, parameters) for city, parameters in batch])
            for (city, _parameters), run_id in zip(batch, ids):
                started[city], going[run_id] = run_id, city
            done = 0
            unfinished = list(going)
            for page in range(0, len(unfinished), PAGE):
                chunk = unfinished[page : page + PAGE]
                found = await client.read_flow_runs(
                    flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=chunk)), limit=len(chunk)
                )
                for run in found:
                    if run.state and run.state.is_final():
                        final[going.pop(run.id)] = run.state
                        done += 1
            if going and not (done and waiting):
                await asyncio.sleep(poll_seconds)
    return started, final


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

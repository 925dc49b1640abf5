"""The work pool `wufei` (`wufei work-pool`): a process pool whose workers start each flow run's
engine through the worker's fork server, `<this virtualenv's python> -m flows.forkserver`.

Prefect 3.8's process worker, on a pool with no `command`, puts a supervisor process in front of
each run's engine (`prefect.runner._workspace_supervisor`: Prefect imported once more, about 1.5 s
of CPU a run, to resolve the workspace). wufei's deployments need none of it (the pull step only
sets the working directory, which the engine runs itself). And the engine's own start, Prefect and
the flow modules imported afresh, was most of a city run's CPU: the pool's command is a small
client that has the engine forked from a process that imported them once (flows/forkserver.py;
docs/province.md, "Workers"; bench/nation.py). The engine sends the heartbeats the crash
automations watch (flows/crashes.py), and dies with its client, so a run killed with its worker is
still marked Crashed and run again (tests/flows/test_crashed_runs.py).

The command names the interpreter of the installation that makes the pool: workers must have
wufei installed at the same path (docs/province.md). Run again after moving the installation.
"""

from __future__ import annotations

import shlex
import sys
from typing import Any

import httpx

POOL = "wufei"


def engine_command(python: str | None = None) -> str:
    """What a worker runs for each flow run: the engine, forked by the worker's fork server of
    `python` (this interpreter)."""
    return shlex.join([python or sys.executable, "-m", "flows.forkserver"])


def with_engine_command(template: dict[str, Any], command: str) -> dict[str, Any]:
    """`template` (a process pool's base job template) with `command` as its default command;
    everything else in it is kept."""
    changed = {**template, "variables": {**template["variables"]}}
    properties = changed["variables"]["properties"] = {**template["variables"]["properties"]}
    properties["command"] = {**properties["command"], "default": command}
    return changed


async def ensure_work_pool(name: str = POOL, python: str | None = None) -> str:
    """Create the process pool `name` whose command is the engine's, or set that command on the pool
    of that name (the rest of its job template kept). Returns "created", "updated" or "unchanged"."""
    from prefect.settings import get_current_settings

    api = get_current_settings().api.url
    if not api:  # Prefect would start a temporary server of its own and make the pool there
        raise PoolError("未设置 PREFECT_API_URL：请设置为 Prefect 服务器的地址，如 http://server:4200/api")
    command = engine_command(python)
    try:
        return await _ensure(name, command)
    except httpx.HTTPError as error:
        reason = type(error).__name__
        raise PoolError(f"无法连接 Prefect 服务器 {api}（{reason}）：请确认服务器已启动、地址无误") from None


async def _ensure(name: str, command: str) -> str:
    from prefect import get_client
    from prefect.client.schemas.actions import WorkPoolCreate, WorkPoolUpdate
    from prefect.exceptions import ObjectNotFound
    from prefect.workers.process import ProcessWorker

    async with get_client() as client:
        try:
            pool = await client.read_work_pool(name)
        except ObjectNotFound:
            template = with_engine_command(ProcessWorker.get_default_base_job_template(), command)
            await client.create_work_pool(WorkPoolCreate(name=name, type="process", base_job_template=template))
            return "created"
        if pool.type != "process":
            raise PoolError(f"工作池 {name} 的类型是 {pool.type}，不是 process：请换一个名称，或先删除它")
        template = with_engine_command(pool.base_job_template, command)
        if template == pool.base_job_template:
            return "unchanged"
        await client.update_work_pool(name, WorkPoolUpdate(base_job_template=template))
        return "updated"


class PoolError(RuntimeError):
    """The pool cannot be made here; the message is Chinese and says why."""

"""`wufei work-pool` (flows/pool.py) on the test server: the process pool whose command starts each
run's engine with this virtualenv's interpreter, made, left alone when it is so already, and set on
a pool an operator made before (the rest of its job template kept). A worker of this pool running a
deployed flow: tests/flows/test_prefect_deploy.py; killed in the middle of a run, which is then
marked Crashed and run again: tests/flows/test_crashed_runs.py."""

from __future__ import annotations

import asyncio
import shlex
import sys
import uuid

import pytest
from click.testing import CliRunner

from flows.pool import PoolError, ensure_work_pool
from wufei.cli import main as wufei


def _pool(name: str):
    from prefect import get_client

    async def read():
        async with get_client() as client:
            return await client.read_work_pool(name)

    return asyncio.run(read())


def _create(name: str, type_: str, template: dict) -> None:
    from prefect import get_client
    from prefect.client.schemas.actions import WorkPoolCreate

    async def create():
        async with get_client() as client:
            await client.create_work_pool(WorkPoolCreate(name=name, type=type_, base_job_template=template))

    asyncio.run(create())


def _command(pool) -> str:
    return pool.base_job_template["variables"]["properties"]["command"]["default"]


def test_the_pool_starts_each_run_s_engine_with_this_python(prefect_server):
    from prefect.workers.process import ProcessWorker

    name = f"wufei-{uuid.uuid4().hex[:6]}"
    made = CliRunner().invoke(wufei, ["work-pool", "--name", name])
    assert made.exit_code == 0, made.output
    engine = shlex.join([sys.executable, "-m", "flows.forkserver"])
    assert made.output.strip() == f"工作池 {name} 已建立：worker 为每个流程运行执行 {engine}"
    pool = _pool(name)
    assert pool.type == "process" and _command(pool) == engine
    default = ProcessWorker.get_default_base_job_template()
    assert pool.base_job_template["job_configuration"] == default["job_configuration"]  # {{ command }} and the rest

    again = CliRunner().invoke(wufei, ["work-pool", "--name", name])
    assert again.exit_code == 0 and "已是最新" in again.output, again.output
    assert _pool(name).base_job_template == pool.base_job_template


def test_a_pool_made_before_gets_the_engine_command_and_keeps_its_own_settings(prefect_server):
    """`prefect work-pool create wufei --type process` (no command) and an office's own default
    environment: the pool is updated, not replaced."""
    from prefect.workers.process import ProcessWorker

    name = f"wufei-{uuid.uuid4().hex[:6]}"
    template = ProcessWorker.get_default_base_job_template()
    template["variables"]["properties"]["env"]["default"] = {"WUFEI_HOME": "/srv/wufei"}
    _create(name, "process", template)
    assert _command(_pool(name)) is None

    assert asyncio.run(ensure_work_pool(name, python="/srv/wufei/.venv/bin/python")) == "updated"
    pool = _pool(name)
    assert _command(pool) == "/srv/wufei/.venv/bin/python -m flows.forkserver"
    assert pool.base_job_template["variables"]["properties"]["env"]["default"] == {"WUFEI_HOME": "/srv/wufei"}


def test_a_pool_of_another_type_or_no_server_is_refused_saying_what_to_do(prefect_server):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    name = f"wufei-{uuid.uuid4().hex[:6]}"
    _create(name, "kubernetes", {})
    with pytest.raises(PoolError, match=f"工作池 {name} 的类型是 kubernetes，不是 process"):
        asyncio.run(ensure_work_pool(name))

    with temporary_settings(updates={PREFECT_API_URL: None}):
        refused = CliRunner().invoke(wufei, ["work-pool"])
    assert refused.exit_code == 1 and "未设置 PREFECT_API_URL" in refused.output, refused.output

    with temporary_settings(updates={PREFECT_API_URL: "http://127.0.0.1:9/api"}):
        unreachable = CliRunner().invoke(wufei, ["work-pool"])
    assert unreachable.exit_code == 1, unreachable.output
    assert "无法连接 Prefect 服务器 http://127.0.0.1:9/api" in unreachable.output, unreachable.output

"""A small nation (3 provinces × 3 cities) on a Prefect server backed by PostgreSQL with two
process workers, on loopback.

What docs/province.md tells an operator to do, done for real: `prefect server start` on a
fresh PostgreSQL database, a process work pool, `prefect deploy` from prefect.yaml, two
`prefect worker start` processes, then the `fan-out` runs of the daily scan, the delivery and
the monthly dispatch for the whole nation, each starting one run per city (the scan two at a
time, the others all at once). Checks that every city's run completed, that the scan's never had
more than two unfinished, that both workers ran cities, that the wufei database (PostgreSQL) holds each city's
lights, notices, sent digests and monthly figures exactly once (a later unscoped scan finds nothing left to
write), and that the province roll-ups were issued after their cities.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import exists, func, select

from tests.conftest import on_server
from tests.flows.conftest import api_client, make_work_pool
from tests.rules import RULESET
from wufei import migrate
from wufei.db import make_engine, make_sessionmaker
from wufei.departments.registry import Registry
from wufei.figures.models import PeriodFigures
from wufei.generate import plans
from wufei.importers.service import import_paths
from wufei.lights.models import LightRecord
from wufei.notices.models import NoticeIntent, NoticeKind
from wufei.notify.models import Dispatch, DispatchIntent
from wufei.plans.models import Jurisdiction, Plan
from wufei.points import runs
from wufei.tasks.models import Task

pytestmark = [pytest.mark.slow, pytest.mark.postgresql]

ROOT = Path(__file__).resolve().parents[2]
PREFECT = str(Path(sys.executable).parent / "prefect")
PROVINCES, CITIES = 3, 9
SCAN_DAY = "2024-01-02"


def _postgres_server() -> str:
    """The test server (the PostgreSQL pass of `make test`; the SQLite pass deselects this module)."""
    configured = os.environ.get("WUFEI_TEST_DATABASE_URL", "")
    assert configured.startswith("postgresql"), "set WUFEI_TEST_DATABASE_URL=$(scripts/postgres.sh)"
    return configured.rstrip("/")


@pytest.fixture
def postgres_databases():
    """Two fresh databases on the loopback server: Prefect's and wufei's (kept apart)."""
    server = _postgres_server()
    suffix = uuid.uuid4().hex[:8]
    names = [f"prefect_nation_{suffix}", f"wufei_nation_{suffix}"]
    on_server(server, *(f'CREATE DATABASE "{name}"' for name in names))
    try:
        yield server, names[0], names[1]
    finally:
        on_server(server, *(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' for name in names))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _prefect(*args: str, env: dict[str, str], timeout: int = 120) -> str:
    done = subprocess.run(
        [PREFECT, "--no-prompt", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _wait_healthy(api: str, server: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.poll() is None, f"prefect server exited:\n{log.read_text()[-3000:]}"
        try:
            if api_client().get(f"{api}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"prefect server not healthy after {timeout} s:\n{log.read_text()[-3000:]}")


def _flow_runs(api: str) -> list[dict]:
    response = api_client().post(f"{api}/flow_runs/filter", json={"limit": 200}, timeout=10)
    response.raise_for_status()
    return response.json()


def _flow_run(api: str, flow_run_id: str) -> dict:
    response = api_client().get(f"{api}/flow_runs/{flow_run_id}", timeout=10)
    response.raise_for_status()
    return response.json()


def _create_run(api: str, deployment: str, parameters: dict) -> str:
    found = api_client().get(f"{api}/deployments/name/{deployment}", timeout=10)
    found.raise_for_status()
    created = api_client().post(
        f"{api}/deployments/{found.json()['id']}/create_flow_run", json={"parameters": parameters}, timeout=10
    )
    created.raise_for_status()
    return created.json()["id"]


def _nation(engine, folder: Path) -> tuple[list[str], list[str]]:
    """A small generated nation (3 provinces × 3 cities × 20 tasks), imported from its plan
    workbooks. Returns (provinces, cities)."""
    migrate.upgrade(engine)
    spec = plans.national(seed=11, provinces=PROVINCES, cities=CITIES, tasks=20, indicators=3)
    files = plans.write_files(spec, folder)
    registry = Registry.load(plans.shipped_registry_files() + files.registries)
    results = import_paths(engine, files.workbooks, registry=registry)
    assert all(r.ok for r in results), [r.error for r in results]
    return [province.name for province in spec], [city.name for province in spec for city in province.cities]


def _counts_by_city(engine) -> dict[str, tuple[int, int, int]]:
    """city → (light records, tasks with a light record, notice intents about its tasks)."""
    with make_sessionmaker(engine)() as session:

        def per_city(column, model, distinct=False):
            counted = func.count(func.distinct(column)) if distinct else func.count(column)
            return dict(
                session.execute(
                    select(Jurisdiction.name, counted)
                    .select_from(model)
                    .join(Task, Task.id == model.task_id)
                    .join(Plan, Plan.id == Task.plan_id)
                    .join(Jurisdiction, Jurisdiction.id == Plan.jurisdiction_id)
                    .group_by(Jurisdiction.name)
                ).all()
            )

        lights = per_city(LightRecord.id, LightRecord)
        lit = per_city(LightRecord.task_id, LightRecord, distinct=True)
        intents = per_city(NoticeIntent.id, NoticeIntent)
    return {city: (lights.get(city, 0), lit.get(city, 0), intents.get(city, 0)) for city in lights}


def _run_to_end(api: str, deployment: str, parameters: dict, logs: dict[str, Path]) -> tuple[dict, list[dict]]:
    """Start a run of `deployment`, wait for it to finish; (the run, the runs it started)."""
    parent_id = _create_run(api, deployment, parameters)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        parent = _flow_run(api, parent_id)
        if parent["state_type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED"):
            break
        time.sleep(1)
    else:
        raise AssertionError(
            f"{deployment} did not finish: {parent}\n" + "\n".join(p.read_text()[-2000:] for p in logs.values())
        )
    assert parent["state_type"] == "COMPLETED", (parent, {name: logs[name].read_text()[-3000:] for name in logs})
    command = parameters["command"]
    children = [run for run in _flow_runs(api) if run["name"].startswith(f"{command} ") and run["id"] != parent_id]
    return parent, children


def _most_unfinished_at_a_creation(runs_: list[dict]) -> int:
    """The most of `runs_` created and not finished when one of them was created (itself included)."""
    created = {run["id"]: datetime.fromisoformat(run["created"]) for run in runs_}
    ended = {run["id"]: datetime.fromisoformat(run["end_time"]) for run in runs_}
    return max(
        sum(1 for other in runs_ if created[other["id"]] <= created[run["id"]] < ended[other["id"]]) for run in runs_
    )


def test_a_nation_fans_out_each_command_one_run_per_city_over_two_workers(postgres_databases, tmp_path):
    server, prefect_db, wufei_db = postgres_databases
    wufei_url = f"{server}/{wufei_db}"
    engine = make_engine(wufei_url)
    provinces, cities = _nation(engine, tmp_path / "nation")
    bulletins = tmp_path / "bulletins"

    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    prefect_db_url = server.replace("postgresql://", "postgresql+asyncpg://", 1) + f"/{prefect_db}"
    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "PREFECT_API_URL": api,
        "PREFECT_SERVER_DATABASE_CONNECTION_URL": prefect_db_url,
        "PREFECT_API_DATABASE_CONNECTION_URL": prefect_db_url,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
        "PREFECT_WORKER_QUERY_SECONDS": "1",
        "WUFEI_HOME": str(ROOT),
        "WUFEI_DATABASE_URL": wufei_url,
        "WUFEI_BULLETIN_DIR": str(bulletins),
        "WUFEI_OUTBOX_DIR": str(tmp_path / "outbox"),
    }
    processes: list[subprocess.Popen] = []
    logs: dict[str, Path] = {}

    def start(name: str, *args: str) -> subprocess.Popen:
        logs[name] = tmp_path / f"{name}.log"
        process = subprocess.Popen(
            [PREFECT, *args],
            cwd=ROOT,
            env=env,
            stdout=logs[name].open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        processes.append(process)
        return process

    try:
        # No scheduler and no UI: the test creates its runs itself (an office's server keeps both).
        server_process = start(
            "server", "server", "start", "--host", "127.0.0.1", "--port", str(port), "--no-services", "--no-ui"
        )
        _wait_healthy(api, server_process, logs["server"])
        # The pool the project ships: each run's engine started by the worker itself (no supervisor).
        # What `wufei work-pool` runs (its command: tests/flows/test_pool.py), in this process: a
        # `wufei work-pool` process cost 2.0-2.6 s of CPU, this 1.6-1.7 s (none where Prefect is loaded).
        assert make_work_pool(api) == "created"
        # Two slots each: the fan-out holds one while it waits, the cities share the other three.
        # (Started before the deploy: they start up while it runs.)
        for worker in ("worker-a", "worker-b"):
            start(worker, "worker", "start", "--pool", "wufei", "--name", worker, "--limit", "2")
        commands = ("daily-scan", "deliver-notices", "monthly-dispatch")
        deployed = [name for command in commands for name in (command, f"{command}-by-city")]
        _prefect("deploy", *[arg for name in deployed for arg in ("--name", name)], env=env)

        # What `prefect deployment run fan-out/daily-scan-by-city --param …` does, through the API
        # (the CLI costs seconds of imports).
        # Two cities at a time (the nation's default window is wider than these 9 cities).
        _scan, scans = _run_to_end(
            api,
            "fan-out/daily-scan-by-city",
            {"command": "daily-scan", "as_of": SCAN_DAY, "poll_seconds": 1, "ahead": 2},
            logs,
        )
        _delivery, deliveries = _run_to_end(
            api,
            "fan-out/deliver-notices-by-city",
            {"command": "deliver-notices", "as_of": SCAN_DAY, "poll_seconds": 1},
            logs,
        )
        _dispatch, dispatches = _run_to_end(
            api,
            "fan-out/monthly-dispatch-by-city",
            {"command": "monthly-dispatch", "as_of": SCAN_DAY, "force": True, "poll_seconds": 1},
            logs,
        )
        worker_logs = {name: logs[name].read_text() for name in ("worker-a", "worker-b")}
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                process.terminate()
        for process in reversed(processes):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()

    for children in (scans, deliveries, dispatches):
        assert len(children) == CITIES
        assert all(run["state_type"] == "COMPLETED" for run in children), children
        assert sorted(run["parameters"]["jurisdiction"] for run in children) == sorted(cities)
        assert all(run["parameters"]["as_of"] == SCAN_DAY for run in children)
    assert all(run["parameters"]["force"] is True for run in dispatches)
    # The scan's window: when each city's run was created, at most two were unfinished, itself included.
    assert _most_unfinished_at_a_creation(scans) == 2
    every = scans + deliveries + dispatches
    ran = {name: [run["id"] for run in every if run["id"] in text_] for name, text_ in worker_logs.items()}
    assert all(ran.values()), f"each worker should have run cities: {ran}"

    counts = _counts_by_city(engine)
    assert sorted(counts) == sorted(cities)
    for city, (lights, lit, intents) in counts.items():
        assert lights == lit > 0, city  # one light record per task: each city scanned once
        assert intents > 0, city
    # Nothing is missing or doubled: a later unscoped full scan of the day (every task judged and run
    # through the ladder again, not only those whose inputs changed) writes nothing new.
    again = runs.daily_scan(engine, date.fromisoformat(SCAN_DAY), rules=RULESET, full=True)
    assert again["lights_changed"] == 0
    assert again["escalation"]["created"] == 0 and again["escalation"]["already_existing"] > 0
    assert _counts_by_city(engine) == counts

    # Every digest the scans owed was sent once, by its city's run (none left to the unscoped one).
    with make_sessionmaker(engine)() as session:
        statuses = session.execute(select(Dispatch.status, func.count()).group_by(Dispatch.status)).all()
        keys = session.scalars(select(Dispatch.key)).all()
        # (the monthly dispatch, run after the delivery, owes its 通报已生成 notices to the next one)
        unsent = session.scalar(
            select(func.count())
            .select_from(NoticeIntent)
            .where(
                NoticeIntent.kind != NoticeKind.BULLETIN_READY,
                ~exists().where(DispatchIntent.intent_id == NoticeIntent.id),
            )
        )
    assert dict(statuses) == {"sent": len(keys)} and len(keys) == len(set(keys)) > 0, statuses
    assert unsent == 0
    assert len(list((tmp_path / "outbox").rglob("*"))) >= len(keys)

    # Each city's monthly figures once, and its bulletin; each province's roll-up after its cities.
    with make_sessionmaker(engine)() as session:
        monthly = session.execute(
            select(PeriodFigures.scope, PeriodFigures.period).where(PeriodFigures.kind == "monthly")
        )
        assert sorted(scope for scope, _period in monthly) == sorted(cities)
    for name in cities + provinces:
        assert list((bulletins / name).glob("*.docx")), f"no bulletin for {name}: {sorted(bulletins.iterdir())}"
    engine.dispose()

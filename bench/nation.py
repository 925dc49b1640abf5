"""The nation on one pool: a generated nation on PostgreSQL, a Prefect server, 4 process workers.

Builds (once; the database is kept and reused by name) a generated nation: the national list's
provincial units (wufei.generate.plans.national), WUFEI_BENCH_NATION_CITIES cities (default 300)
of WUFEI_BENCH_CITY_TASKS tasks (300), imported from their plan workbooks, with weekly reports
from the plans' issue (early 2021) to WUFEI_BENCH_REPORTS_UNTIL (2025-12-31: five years). Then
starts a Prefect server on its own PostgreSQL database, a process work pool and
WUFEI_BENCH_WORKERS workers (4, each running WUFEI_BENCH_WORKER_LIMIT flow runs at once, 1), and
runs, for the first working days after the reports end, as docs/province.md tells an operator:

1. the national daily scan: `fan-out/daily-scan-by-city`, one `daily-scan` run per city,
2. the delivery of what the scan owes: `fan-out/deliver-notices-by-city`, one run per city
   (Apprise to an outbox folder),
3. the monthly dispatch for every city: `fan-out/monthly-dispatch-by-city` (forced), then the
   province roll-ups in the fan-out run.

For each it prints the end-to-end wall time (creating the run to its end), the city runs'
summed run time, and the peak memory of each worker: its whole process tree (the worker and the
flow-run processes it started) and the largest single flow-run process, sampled from /proc
every 0.2 s.

    .venv/bin/python bench/nation.py          # the full nation: the build alone takes an hour or more
    WUFEI_BENCH_NATION_CITIES=60 WUFEI_BENCH_REPORTS_UNTIL=2021-12-31 .venv/bin/python bench/nation.py
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import env_int, postgres_server  # noqa: E402

from wufei import migrate  # noqa: E402
from wufei.cadence.config import CadenceConfig  # noqa: E402
from wufei.calendar.workdays import WorkCalendar  # noqa: E402
from wufei.db import make_engine  # noqa: E402
from wufei.generate import plans  # noqa: E402
from wufei.generate.load import import_files  # noqa: E402
from wufei.generate.reports import load_weekly_reports  # noqa: E402

PREFECT = str(Path(sys.executable).parent / "prefect")
PAGE = os.sysconf("SC_PAGE_SIZE")


def _sizes() -> dict[str, Any]:
    return {
        "cities": env_int("WUFEI_BENCH_NATION_CITIES", 300),
        "tasks": env_int("WUFEI_BENCH_CITY_TASKS", 300),
        "until": date.fromisoformat(os.environ.get("WUFEI_BENCH_REPORTS_UNTIL", "2025-12-31")),
        "workers": env_int("WUFEI_BENCH_WORKERS", 4),
        "limit": env_int("WUFEI_BENCH_WORKER_LIMIT", 1),
    }


def _admin(server: str):
    return create_engine(
        server.replace("postgresql://", "postgresql+psycopg://", 1) + "/postgres", isolation_level="AUTOCOMMIT"
    )


def _build(server: str, sizes: dict[str, Any], folder: Path) -> str:
    """The nation's database, built once and kept (named after its sizes); its URL."""
    name = f"wufei_nation_{sizes['cities']}x{sizes['tasks']}_{sizes['until']:%Y%m%d}"
    url = f"{server}/{name}"
    admin = _admin(server)
    with admin.connect() as connection:
        exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
        if exists:
            engine = make_engine(url)
            with engine.connect() as check:
                built = check.execute(text("SELECT to_regclass('nation_built') IS NOT NULL")).scalar()
            engine.dispose()
            if built:
                print(f"nation database {name}: reused")
                return url
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    engine = make_engine(url)
    migrate.upgrade(engine)
    started = time.perf_counter()
    spec = plans.national(seed=1, cities=sizes["cities"], tasks=sizes["tasks"], indicators=20)
    results = import_files(engine, plans.write_files(spec, folder))
    imported = time.perf_counter() - started
    tasks = sum(s.counts.get("tasks", 0) for r in results for s in r.plans)
    loaded = load_weekly_reports(engine, cadence=CadenceConfig.load(), seed=1, until=sizes["until"])
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE nation_built (built_at timestamp DEFAULT now())"))
    engine.dispose()
    print(
        f"nation database {name}: {len(spec)} provincial units, {sizes['cities']} cities, {tasks:,} tasks "
        f"imported in {imported:.0f} s; {loaded.get('reports', 0):,} weekly reports loaded, "
        f"{time.perf_counter() - started:.0f} s in all"
    )
    return url


# --- memory: a worker's process tree, sampled from /proc ------------------------------------------


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(child) for child in handle.read().split()]
    except OSError:
        pass
    return found


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * PAGE
    except OSError:
        return 0


class TreeSampler:
    """Peak RSS of each worker's process tree and of its largest flow-run process."""

    def __init__(self, workers: dict[str, int]) -> None:
        self.workers = workers
        self.tree_peak = dict.fromkeys(workers, 0)
        self.run_peak = dict.fromkeys(workers, 0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        while not self._stop.wait(0.2):
            for name, pid in self.workers.items():
                descendants, stack = [], _children(pid)
                while stack:
                    child = stack.pop()
                    descendants.append(child)
                    stack += _children(child)
                sizes = [_rss(child) for child in descendants]
                self.tree_peak[name] = max(self.tree_peak[name], _rss(pid) + sum(sizes))
                self.run_peak[name] = max([self.run_peak[name], *sizes])


# --- the pool ----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _create_run(api: str, deployment: str, parameters: dict[str, Any]) -> str:
    found = httpx.get(f"{api}/deployments/name/{deployment}", timeout=10).raise_for_status()
    created = httpx.post(
        f"{api}/deployments/{found.json()['id']}/create_flow_run", json={"parameters": parameters}, timeout=10
    ).raise_for_status()
    return created.json()["id"]


def _wait(api: str, run_id: str, timeout: float = 6 * 3600) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = httpx.get(f"{api}/flow_runs/{run_id}", timeout=10).raise_for_status().json()
        if run["state_type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED"):
            return run
        time.sleep(1)
    raise TimeoutError(f"flow run {run_id} did not finish in {timeout:.0f} s")


def _city_runs(api: str, command: str, day: str) -> list[dict[str, Any]]:
    runs: list[dict[str, Any]] = []
    while True:
        page = httpx.post(
            f"{api}/flow_runs/filter",
            json={"flow_runs": {"name": {"like_": f"{command} "}}, "limit": 200, "offset": len(runs)},
            timeout=30,
        ).raise_for_status()
        batch = [run for run in page.json() if run["name"].endswith(day)]
        runs += batch
        if len(page.json()) < 200:
            return runs


def main() -> None:
    sizes = _sizes()
    server = postgres_server()
    if server is None:
        return
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        url = _build(server, sizes, tmp / "nation")
        day = sizes["until"] + timedelta(days=1)
        calendar = WorkCalendar()
        while not calendar.is_workday(day):
            day += timedelta(days=1)
        prefect_db = f"prefect_nation_{os.getpid()}"
        admin = _admin(server)
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{prefect_db}"'))
        port = _free_port()
        api = f"http://127.0.0.1:{port}/api"
        prefect_url = server.replace("postgresql://", "postgresql+asyncpg://", 1) + f"/{prefect_db}"
        env = {
            **os.environ,
            "PREFECT_HOME": str(tmp / "prefect-home"),
            "PREFECT_API_URL": api,
            "PREFECT_SERVER_DATABASE_CONNECTION_URL": prefect_url,
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_UI_ENABLED": "false",
            "PREFECT_WORKER_QUERY_SECONDS": "1",
            "PREFECT_LOGGING_LEVEL": "WARNING",
            "WUFEI_HOME": str(ROOT),
            "WUFEI_DATABASE_URL": url,
            "WUFEI_BULLETIN_DIR": str(tmp / "bulletins"),
            "WUFEI_OUTBOX_DIR": str(tmp / "outbox"),
        }
        processes: list[subprocess.Popen] = []

        def start(name: str, *args: str) -> subprocess.Popen:
            process = subprocess.Popen(
                [PREFECT, *args],
                cwd=ROOT,
                env=env,
                stdout=(tmp / f"{name}.log").open("w"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            processes.append(process)
            return process

        try:
            start("server", "server", "start", "--host", "127.0.0.1", "--port", str(port), "--no-services", "--no-ui")
            deadline = time.monotonic() + 120
            while True:
                try:
                    if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    if time.monotonic() > deadline:
                        raise
                time.sleep(0.5)
            subprocess.run(
                [PREFECT, "--no-prompt", "work-pool", "create", "wufei", "--type", "process"],
                env=env,
                check=True,
                capture_output=True,
            )
            commands = ["daily-scan", "deliver-notices", "monthly-dispatch"]
            names = [arg for command in commands for arg in ("--name", command, "--name", f"{command}-by-city")]
            subprocess.run(
                [PREFECT, "--no-prompt", "deploy", *names], cwd=ROOT, env=env, check=True, capture_output=True
            )
            workers = {
                f"worker-{n + 1}": start(
                    f"worker-{n + 1}",
                    "worker",
                    "start",
                    "--pool",
                    "wufei",
                    "--name",
                    f"worker-{n + 1}",
                    "--limit",
                    str(sizes["limit"]),
                ).pid
                for n in range(sizes["workers"])
            }
            print(
                f"{sizes['workers']} process workers × {sizes['limit']} slot(s); day {day.isoformat()}; "
                f"PostgreSQL for wufei and Prefect; load average {os.getloadavg()[0]:.1f}"
            )
            print(f"{'what':<34}{'wall':>9}{'city runs':>11}{'summed':>10}  peak RSS per worker (tree / largest run)")
            for command, extra in (("daily-scan", {}), ("deliver-notices", {}), ("monthly-dispatch", {"force": True})):
                with TreeSampler(workers) as sampler:
                    started = time.perf_counter()
                    run_id = _create_run(
                        api, f"fan-out/{command}-by-city", {"command": command, "as_of": day.isoformat(), **extra}
                    )
                    finished = _wait(api, run_id)
                    wall = time.perf_counter() - started
                cities = _city_runs(api, command, day.isoformat())
                summed = sum(run.get("total_run_time") or 0 for run in cities)
                memory = ", ".join(
                    f"{sampler.tree_peak[name] / 2**20:.0f}/{sampler.run_peak[name] / 2**20:.0f} MiB"
                    for name in workers
                )
                state = "" if finished["state_type"] == "COMPLETED" else f"  ({finished['state_type']})"
                print(f"{command + ' (fan-out)':<34}{wall:>8.1f}s{len(cities):>11}{summed:>9.0f}s  {memory}{state}")
        finally:
            for process in reversed(processes):
                if process.poll() is None:
                    process.terminate()
            for process in reversed(processes):
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{prefect_db}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()

"""The nation on one pool: a generated nation on PostgreSQL, a Prefect server, 4 process workers.

Builds (once; the database is kept as a template and reused by name) a generated nation: the
national list's provincial units (wufei.generate.plans.national), WUFEI_BENCH_NATION_CITIES cities
(default 300) of WUFEI_BENCH_CITY_TASKS tasks (300), imported from their plan workbooks, with
weekly reports from the plans' issue (early 2021) to WUFEI_BENCH_REPORTS_UNTIL (2025-12-31: five
years; loaded by COPY). Each run works on a copy of it (CREATE DATABASE … TEMPLATE), so every
run's scan is a first day's. Then starts a Prefect server on its own PostgreSQL database, a process
work pool and WUFEI_BENCH_WORKERS workers (4, each running WUFEI_BENCH_WORKER_LIMIT flow runs at
once, 1), and runs, for the first working day after the reports end, as docs/province.md tells an
operator (WUFEI_BENCH_NATION_COMMANDS, comma-separated, picks some):

1. the national daily scan: `fan-out/daily-scan-by-city`, one `daily-scan` run per city,
2. the delivery of what the scan owes: `fan-out/deliver-notices-by-city`, one run per city
   (Apprise to an outbox folder),
3. the monthly dispatch for every city: `fan-out/monthly-dispatch-by-city` (forced), then the
   province roll-ups in the fan-out run.

For each it prints the end-to-end wall time (creating the run to its end); the city runs' summed
run time and their median start-up (the worker taking the run to its flow starting); the CPU of
the city runs' processes (exact, from the workers' reaped children and their fork servers' own and
reaped children's, less the fan-out run's processes, sampled), with and without the fork servers'
own (their imports, once per worker); the peak memory of each worker: its whole process tree (the
worker, its fork server and the flow-run processes, in PSS) and the largest single flow-run
process (RSS), sampled from /proc every 0.2 s; and the load average, since the machine is shared.
The pool is the one `wufei work-pool` makes (each run's engine forked by the worker's fork server,
flows/forkserver.py); WUFEI_BENCH_SUPERVISOR=1 makes Prefect's default, with the supervisor process Prefect 3.8 puts in
front of each engine, to compare (docs/province.md, "Workers"). WUFEI_BENCH_FANOUT_AHEAD sets the
fan-out's window (city runs unfinished at once, flows/fanout.py; 0: all at once, as before it).

    .venv/bin/python bench/nation.py          # the full nation (docs/province.md has its times)
    .venv/bin/python bench/run.py nation.py   # 31 cities, a year of reports: what `make bench` runs
    WUFEI_BENCH_NATION_CITIES=8 WUFEI_BENCH_REPORTS_UNTIL=2021-03-31 .venv/bin/python bench/nation.py
"""

from __future__ import annotations

import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import env_int, postgres_server  # noqa: E402

from flows.forkserver import SERVER_NAME  # noqa: E402
from wufei import migrate  # noqa: E402
from wufei.cadence.config import CadenceConfig  # noqa: E402
from wufei.calendar.workdays import WorkCalendar  # noqa: E402
from wufei.db import make_engine  # noqa: E402
from wufei.generate import plans  # noqa: E402
from wufei.generate.load import import_files  # noqa: E402
from wufei.generate.reports import load_weekly_reports  # noqa: E402

PREFECT = str(Path(sys.executable).parent / "prefect")
COMMANDS = {"daily-scan": {}, "deliver-notices": {}, "monthly-dispatch": {"force": True}}  # in this order
PAGE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")


def _sizes() -> dict[str, Any]:
    return {
        "cities": env_int("WUFEI_BENCH_NATION_CITIES", 300),
        "tasks": env_int("WUFEI_BENCH_CITY_TASKS", 300),
        "until": date.fromisoformat(os.environ.get("WUFEI_BENCH_REPORTS_UNTIL", "2025-12-31")),
        "workers": env_int("WUFEI_BENCH_WORKERS", 4),
        "limit": env_int("WUFEI_BENCH_WORKER_LIMIT", 1),
        "commands": os.environ.get("WUFEI_BENCH_NATION_COMMANDS", ",".join(COMMANDS)).split(","),
        # the fan-out's window (flows/fanout.py, AHEAD unless set; 0: every city's run at once, as before)
        "ahead": {"ahead": int(os.environ["WUFEI_BENCH_FANOUT_AHEAD"])}
        if "WUFEI_BENCH_FANOUT_AHEAD" in os.environ
        else {},
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
    import_load = os.getloadavg()[0]
    loading = time.perf_counter()
    loaded = load_weekly_reports(engine, cadence=CadenceConfig.load(), seed=1, until=sizes["until"])
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE nation_built (built_at timestamp DEFAULT now())"))
    engine.dispose()
    print(
        f"nation database {name}: {len(spec)} provincial units, {sizes['cities']} cities, {tasks:,} tasks "
        f"imported from their workbooks in {imported:.0f} s (load {import_load:.1f}); "
        f"{loaded.get('reports', 0):,} weekly reports loaded in {time.perf_counter() - loading:.0f} s "
        f"(load {os.getloadavg()[0]:.1f}); {time.perf_counter() - started:.0f} s in all",
        flush=True,
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


def _cpu(pid: int) -> tuple[float, float]:
    """CPU seconds (user + system) of process `pid` itself, and of its finished children it has
    waited for (theirs included): for a worker, every flow-run process it started."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0, 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS, (int(fields[13]) + int(fields[14])) / TICKS


def _tree_cpu(pid: int) -> float:
    """CPU seconds of a process and of its live descendants (the Prefect server and its API process)."""
    total, stack = 0.0, [pid]
    while stack:
        current = stack.pop()
        total += sum(_cpu(current))
        stack += _children(current)
    return total


def _pss(pid: int) -> int:
    """A process's proportional set size: the pages it shares with others (a fork server's child
    with its server) counted in part, so that a tree's sum is what it holds."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * PAGE
    except OSError:
        return 0


class TreeSampler:
    """Peak RSS of each worker's process tree and of its largest flow-run process; the CPU of the
    flow-run processes each worker started (exact, from the worker's reaped children: the pool's
    command, flows/forkserver.py's client) and of its fork server (exact: its own, its imports once,
    and its reaped children, the runs' engines), and of each run's processes by the pid of the
    process the worker started (the run's `infrastructure_pid`), sampled every 0.2 s."""

    def __init__(self, workers: dict[str, int]) -> None:
        self.workers = workers
        self.tree_peak = dict.fromkeys(workers, 0)
        self.run_peak = dict.fromkeys(workers, 0)
        self.run_cpu: dict[tuple[int, int], float] = {}  # (the run's process, a top process) → its tree's CPU
        self.servers: dict[str, int] = {}  # worker → its fork server's pid
        self.loads: list[float] = []  # the 1-minute load average, sampled
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> TreeSampler:
        self._find_servers()
        self._cpu_before = {name: _cpu(pid)[1] for name, pid in self.workers.items()}
        self._server_before = {name: sum(_cpu(pid)) for name, pid in self.servers.items()}
        self._server_own_before = {name: _cpu(pid)[0] for name, pid in self.servers.items()}
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        time.sleep(1)  # the last flow-run processes are reaped by their worker and fork server
        self._find_servers()
        self.runs_cpu = {
            name: _cpu(pid)[1]
            - self._cpu_before[name]
            + (sum(_cpu(self.servers[name])) - self._server_before.get(name, 0.0) if name in self.servers else 0.0)
            for name, pid in self.workers.items()
        }
        # the fork servers' own CPU: their imports (once, the first command) and their loop
        self.servers_own_cpu = sum(
            _cpu(pid)[0] - self._server_own_before.get(name, 0.0) for name, pid in self.servers.items()
        )

    def _find_servers(self) -> None:
        if len(self.servers) == len(self.workers):
            return
        names = {str(pid): name for name, pid in self.workers.items()}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                with contextlib.suppress(OSError):
                    if Path(f"/proc/{entry}/comm").read_text().strip() == SERVER_NAME:
                        worker = Path(f"/proc/{entry}/cmdline").read_bytes().decode().split("\0")[-2]
                        if worker in names:
                            self.servers[names[worker]] = int(entry)

    def _loop(self) -> None:
        while not self._stop.wait(0.2):
            self.loads.append(os.getloadavg()[0])
            self._find_servers()
            for name, pid in self.workers.items():
                every = []
                for top in [*_children(pid), *_children(self.servers.get(name, 0))]:
                    tree, stack = [top], _children(top)
                    while stack:
                        child = stack.pop()
                        tree.append(child)
                        stack += _children(child)
                    own, reaped = _cpu(top)
                    used = own + reaped + sum(_cpu(child)[0] for child in tree[1:])
                    run = _forked_for(top) or top  # a fork server's child counts for its client
                    self.run_cpu[(run, top)] = max(self.run_cpu.get((run, top), 0.0), used)
                    every += tree
                server = self.servers.get(name)
                tree = [pid, *([server] if server else []), *every]
                self.tree_peak[name] = max(self.tree_peak[name], sum(_pss(member) for member in tree))
                self.run_peak[name] = max([self.run_peak[name], *(_rss(child) for child in every)])

    def cpu_of_run(self, pid: int) -> float:
        """CPU of the run whose worker started process `pid`: it, and the engine forked for it."""
        return sum(used for (run, _), used in self.run_cpu.items() if run == pid)


def _digests_sent(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT count(*) FROM dispatches WHERE status = 'sent'")).scalar_one()
    finally:
        engine.dispose()


def _forked_for(pid: int) -> int | None:
    """The client pid a fork server's child runs for (its name, `run-<pid>`), or None."""
    try:
        with open(f"/proc/{pid}/comm") as handle:
            name = handle.read().strip()
    except OSError:
        return None
    return int(name[4:]) if name.startswith("run-") and name[4:].isdigit() else None


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


def _make_pool(env: dict[str, str]) -> None:
    """The pool `wufei` as shipped (`wufei work-pool`: each flow run's engine started directly by
    the worker); with WUFEI_BENCH_SUPERVISOR=1, Prefect's default process pool, whose workers put
    the workspace supervisor process in front of each run's engine, to compare."""
    if os.environ.get("WUFEI_BENCH_SUPERVISOR", "") in ("", "0"):
        command = [str(Path(sys.executable).parent / "wufei"), "work-pool"]
    else:
        command = [PREFECT, "--no-prompt", "work-pool", "create", "wufei", "--type", "process"]
        print("pool: Prefect's default (the supervisor process, then the engine)")
    subprocess.run(command, env=env, check=True, capture_output=True)


def _start_up(api: str, run: dict[str, Any]) -> float:
    """Seconds from the worker taking the run (Pending) to its flow starting (Running): the
    flow-run process's start-up (the supervisor, the engine, the entrypoint's imports)."""
    states = httpx.get(f"{api}/flow_run_states/", params={"flow_run_id": run["id"]}, timeout=30).raise_for_status()
    stamps = {state["type"]: state["timestamp"] for state in sorted(states.json(), key=lambda s: s["timestamp"])}
    if "PENDING" not in stamps or "RUNNING" not in stamps:
        return float("nan")
    return (datetime.fromisoformat(stamps["RUNNING"]) - datetime.fromisoformat(stamps["PENDING"])).total_seconds()


def main() -> None:
    sizes = _sizes()
    server = postgres_server()
    if server is None:
        return
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        built = _build(server, sizes, tmp / "nation")
        # Each run works on a copy: the built nation stays as it was built, and every run's scan is a first day's.
        copy = f"{built.rsplit('/', 1)[1]}_run_{os.getpid()}"
        url = f"{server}/{copy}"
        day = sizes["until"] + timedelta(days=1)
        calendar = WorkCalendar()
        while not calendar.is_workday(day):
            day += timedelta(days=1)
        prefect_db = f"prefect_nation_{os.getpid()}"
        admin = _admin(server)
        with admin.connect() as connection:
            started = time.perf_counter()
            connection.execute(text(f'CREATE DATABASE "{copy}" TEMPLATE "{built.rsplit("/", 1)[1]}"'))
            print(f"copied for this run in {time.perf_counter() - started:.0f} s")
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
            server_pid = start(
                "server", "server", "start", "--host", "127.0.0.1", "--port", str(port), "--no-services", "--no-ui"
            ).pid
            deadline = time.monotonic() + 120
            while True:
                try:
                    if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    if time.monotonic() > deadline:
                        raise
                time.sleep(0.5)
            _make_pool(env)
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
                f"fan-out window {sizes['ahead'].get('ahead', 'as shipped')}; "
                f"PostgreSQL for wufei and Prefect; load average {os.getloadavg()[0]:.1f}"
            )
            print(
                "per command: end-to-end wall; the city runs, their run time summed and their median start-up\n"
                "(the worker taking a run to its flow starting); the CPU of the city runs' processes (the pool's\n"
                "command, the engine, the workers' fork servers: their imports once, counted in the first command) in\n"
                "all and per run, and per run without the fork servers' own; the fan-out run's and the Prefect\n"
                "server's; peak memory per worker (its process tree and fork server, PSS / its largest flow-run\n"
                "process, RSS: a forked engine's counts the pages it shares with its fork server);\n"
                "the 1-minute load average during the command (lowest–highest) and at its end"
            )
            for command in sizes["commands"]:
                extra = COMMANDS[command]
                server_before = _tree_cpu(server_pid)
                with TreeSampler(workers) as sampler:
                    started = time.perf_counter()
                    run_id = _create_run(
                        api,
                        f"fan-out/{command}-by-city",
                        {"command": command, "as_of": day.isoformat(), **extra, **sizes["ahead"]},
                    )
                    finished = _wait(api, run_id)
                    wall = time.perf_counter() - started
                load = os.getloadavg()[0]
                during = f"{min(sampler.loads, default=load):.1f}–{max(sampler.loads, default=load):.1f}"
                server_cpu = _tree_cpu(server_pid) - server_before
                cities = _city_runs(api, command, day.isoformat())
                summed = sum(run.get("total_run_time") or 0 for run in cities)
                start_up = statistics.median(_start_up(api, run) for run in cities) if cities else float("nan")
                # The fan-out's own process polls its cities for as long as they run: left out.
                fan_out_cpu = sampler.cpu_of_run(int(finished.get("infrastructure_pid") or 0))
                cpu = sum(sampler.runs_cpu.values()) - fan_out_cpu
                memory = ", ".join(
                    f"{sampler.tree_peak[name] / 2**20:.0f}/{sampler.run_peak[name] / 2**20:.0f}" for name in workers
                )
                state = "" if finished["state_type"] == "COMPLETED" else f"  ({finished['state_type']})"
                sent = f"; digests sent in all {_digests_sent(url):,}" if command == "deliver-notices" else ""
                print(
                    f"{command} (fan-out): wall {wall:.1f} s, {len(cities)} city runs, run time {summed:.0f} s summed, "
                    f"start-up {start_up:.1f} s (median); CPU {cpu:.0f} s, "
                    f"{cpu / max(len(cities), 1):.2f} s a city run, "
                    f"{(cpu - sampler.servers_own_cpu) / max(len(cities), 1):.2f} s without the fork servers' own "
                    f"{sampler.servers_own_cpu:.1f} s (fan-out {fan_out_cpu:.0f} s, "
                    f"Prefect server {server_cpu:.0f} s); "
                    f"peak PSS/RSS {memory} MiB; load {during}, {load:.1f} at the end{sent}{state}",
                    flush=True,
                )
        finally:
            # The workers, then the server. Workers here did not exit on SIGTERM until killed, and
            # 30 s each, one after another, was 2 min of teardown under the benchmarks' lock: one
            # deadline for a group.
            for group in (processes[1:], processes[:1]):
                for process in group:
                    if process.poll() is None:
                        process.terminate()
                deadline = time.monotonic() + 30
                for process in group:
                    try:
                        process.wait(timeout=max(0.1, deadline - time.monotonic()))
                    except subprocess.TimeoutExpired:
                        process.kill()
                        process.wait()
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{prefect_db}" WITH (FORCE)'))
                connection.execute(text(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()

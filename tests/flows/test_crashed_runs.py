"""A worker killed with kill -9 in the middle of a deliver-notices run, on a real Prefect server:
the run does not stay `Running`. What an office does (docs/province.md), on loopback: `prefect
server start` with its services, a process work pool, `prefect deploy` from prefect.yaml (whose
build step makes the crash automations, flows/crashes.py), a `prefect worker start` whose run
sends three digests through a real SMTP server that holds the first one. While the first message
is on the wire the worker and its flow process are killed (-9, the machine lost: nobody reports
anything; the run's engine, which the worker's fork server forked for the pool's command, dies
with that command, flows/forkserver.py). Then: the server marks the run Crashed (its heartbeats
stopped), schedules it again, a restarted worker runs it, the retry releases the dead attempt's
claims (long before their 10-minute lease runs out) and sends the two digests that never left;
the one on the wire is `unknown`, for the office. The SMTP server counts each message once."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from tests.conftest import fresh_database_url
from tests.flows.conftest import api_client, make_work_pool, only_server_services
from tests.flows.prefect_database import ON_A_COPY, copy_prefect_database
from tests.notify.conftest import free_port, intent
from wufei import migrate
from wufei.db import make_engine, make_sessionmaker, transaction
from wufei.departments.models import Department
from wufei.notices.service import create_intents
from wufei.notify.models import Delivery, Dispatch
from wufei.plans.models import Jurisdiction

pytestmark = [pytest.mark.slow, pytest.mark.faults]

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
HEARTBEAT = 30  # seconds: Prefect's minimum; the automation takes a run for dead after two missed beats


class HoldingSmtp:
    """A real SMTP server that logs each message on arrival and holds its answer while `hold` is
    set (the message is on the wire: taken, not yet acknowledged)."""

    def __init__(self):
        self.arrivals: list[str] = []
        self.hold = threading.Event()
        outer = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                content = (envelope.original_content or envelope.content).decode("utf-8", "replace")
                subject = next((line for line in content.splitlines() if line.startswith("Subject:")), "")
                outer.arrivals.append(subject)
                while outer.hold.is_set():
                    await asyncio.sleep(0.1)
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def url(self) -> str:
        return f"mailto://127.0.0.1:{self.port}?from=office@wufei.test&to=office@wufei.test&format=text"

    def close(self):
        self.hold.clear()
        self.controller.stop()


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def _forked_engines(worker: int) -> list[int]:
    """The engines the worker's fork server forked for the worker's processes (flows/forkserver.py
    names each `run-<its client's pid>`)."""
    clients = {f"run-{pid}" for pid in _descendants(worker)}
    found = []
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError):
            if entry.name.isdigit() and (entry / "comm").read_text().strip() in clients:
                found.append(int(entry.name))
    return found


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _kill_tree(process: subprocess.Popen) -> list[str]:
    """kill -9 the worker and every process under it (its flow run's), at once: no one reports.
    Returns the command lines of the processes killed."""
    victims = [process.pid, *_descendants(process.pid)]
    command_lines = [_command_line(pid) for pid in victims]
    for pid in victims:
        with contextlib.suppress(ProcessLookupError):  # gone already
            os.kill(pid, signal.SIGKILL)
    process.wait(30)
    return command_lines


def _states(api: str, flow_run_id: str) -> list[tuple[str, str]]:
    response = api_client().get(f"{api}/flow_run_states/", params={"flow_run_id": flow_run_id}, timeout=10)
    response.raise_for_status()
    return [(state["type"], state["name"]) for state in sorted(response.json(), key=lambda s: s["timestamp"])]


def _heartbeats(api: str, flow_run_id: str) -> int:
    found = api_client().post(
        f"{api}/events/filter",
        json={
            "filter": {
                "event": {"name": ["prefect.flow-run.heartbeat"]},
                "resource": {"id": [f"prefect.flow-run.{flow_run_id}"]},
            }
        },
        timeout=10,
    )
    found.raise_for_status()
    return len(found.json()["events"])


def _wait(condition, *, timeout: float, what: str, logs: dict[str, Path]):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.5)
    tails = "\n".join(f"--- {name}\n{path.read_text()[-3000:]}" for name, path in logs.items() if path.exists())
    raise AssertionError(f"{what} (after {timeout:.0f} s)\n{tails}")


@pytest.fixture
def notices_database(tmp_path):
    """Three departments with one notice each: three digests for the run to send."""
    url = fresh_database_url(tmp_path)
    engine = make_engine(url)
    migrate.upgrade(engine)
    with transaction(engine) as session:
        city = Jurisdiction(name="测试市", level="city")
        units = [
            Department(jurisdiction=city, name=n, kind="bureau") for n in ("市生态环境局", "市商务局", "市农业农村局")
        ]
        session.add_all(units)
        session.flush()
        create_intents(session, [intent(f"k{d.id}", "overdue", d.id, title=f"{d.name}的任务") for d in units])
    yield engine, url
    engine.dispose()


def test_a_killed_worker_s_run_ends_crashed_and_its_retry_sends_the_rest_once(notices_database, tmp_path):
    engine, url = notices_database
    smtp = HoldingSmtp()
    config = tmp_path / "apprise.yaml"
    config.write_text(f"urls:\n  - {smtp.url()}:\n      - tag: fallback\n", encoding="utf-8")
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")} | {
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "PREFECT_API_URL": api,
        "PREFECT_SERVER_DATABASE_CONNECTION_URL": copy_prefect_database(tmp_path / "prefect.db"),
        **ON_A_COPY,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
        # What crash handling needs of the server's services: the triggers (the two automations and their
        # actions) and the event persister (the heartbeats the test reads back). Not the scheduler: the
        # test creates its one run itself.
        **only_server_services("triggers", "event_persister"),
        "PREFECT_WORKER_QUERY_SECONDS": "1",
        "PREFECT_FLOWS_HEARTBEAT_FREQUENCY": str(HEARTBEAT),  # the workers' runs and the deploy step alike
        "WUFEI_HOME": str(ROOT),
        "WUFEI_DATABASE_URL": url,
        "WUFEI_APPRISE_CONFIG": str(config),
    }
    processes: list[subprocess.Popen] = []
    logs: dict[str, Path] = {}

    def start(name: str, *args: str) -> subprocess.Popen:
        logs[name] = tmp_path / f"{name}.log"
        process = subprocess.Popen(
            [str(BIN / "prefect"), *args],
            cwd=ROOT,
            env=env,
            stdout=logs[name].open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        processes.append(process)
        return process

    def prefect(*args: str) -> str:
        done = subprocess.run(
            [str(BIN / "prefect"), "--no-prompt", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def healthy() -> bool:
        assert processes[0].poll() is None, logs["server"].read_text()[-3000:]
        try:
            return api_client().get(f"{api}/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        start("server", "server", "start", "--host", "127.0.0.1", "--port", str(port), "--no-ui")
        _wait(healthy, timeout=120, what="prefect server did not start", logs=logs)
        # The pool the project ships: each run's engine started directly, no supervisor.
        # What `wufei work-pool` runs (its command: tests/flows/test_pool.py), in this process: a
        # `wufei work-pool` process cost 2.0-2.6 s of CPU, this 1.6-1.7 s (none where Prefect is loaded).
        assert make_work_pool(api) == "created"
        deployed = prefect("deploy", "--name", "deliver-notices")
        assert "ensure_crash_handling" in deployed, deployed  # prefect.yaml's build step ran

        from flows.crashes import CRASH_ZOMBIES, RETRY_CRASHED  # Prefect: imported here, not at collection

        automations = api_client().post(f"{api}/automations/filter", json={}, timeout=10).json()
        by_name = {a["name"]: a for a in automations}
        assert set(by_name) == {CRASH_ZOMBIES, RETRY_CRASHED}
        assert by_name[CRASH_ZOMBIES]["trigger"]["within"] == 2 * HEARTBEAT  # two missed beats
        deployment = api_client().get(f"{api}/deployments/name/deliver-notices/deliver-notices", timeout=10).json()
        created = api_client().post(
            f"{api}/deployments/{deployment['id']}/create_flow_run",
            json={"parameters": {"as_of": "2024-06-03", "concurrency": 1}},
            timeout=10,
        )
        created.raise_for_status()
        run_id = created.json()["id"]

        smtp.hold.set()
        worker = start("worker-a", "worker", "start", "--pool", "wufei", "--name", "worker-a")
        _wait(lambda: smtp.arrivals, timeout=180, what="the first message never arrived", logs=logs)
        _wait(
            lambda: _heartbeats(api, run_id), timeout=20, what="no heartbeat of the run reached the server", logs=logs
        )
        engines = _forked_engines(worker.pid)
        assert engines, "the run's engine was not forked by the worker's fork server"
        killed_at = time.monotonic()
        victims = _kill_tree(worker)
        # the worker and its flow run's process, started by the worker itself (the pool's command, no
        # supervisor): the fork server's client, whose engine dies with it (the server kills it at once)
        assert " worker start " in victims[0], victims
        pool_command = re.compile(rf"{re.escape(str(BIN))}/python3? -m flows\.forkserver $")
        assert any(pool_command.match(line) for line in victims[1:]), victims
        assert not any("_workspace_supervisor" in line for line in victims), victims
        _wait(
            lambda: not any(Path(f"/proc/{pid}").exists() for pid in engines),
            timeout=10,
            what="the run's engine outlived its killed client",
            logs=logs,
        )
        assert len(smtp.arrivals) == 1  # one on the wire, two never started
        smtp.hold.clear()

        with make_sessionmaker(engine)() as session:
            statuses = sorted(
                (
                    dispatch.status,
                    tuple(session.scalars(select(Delivery.status).where(Delivery.dispatch_id == dispatch.id))),
                )
                for dispatch in session.scalars(select(Dispatch))
            )
        assert statuses == [("claimed", ()), ("claimed", ()), ("claimed", ("sending",))]
        assert api_client().get(f"{api}/flow_runs/{run_id}", timeout=10).json()["state_type"] == "RUNNING"  # a zombie

        # Nobody reports the death: the missing heartbeats do. Crashed, then scheduled again.
        _wait(
            lambda: ("CRASHED", "Crashed") in _states(api, run_id),
            timeout=4 * HEARTBEAT + 60,
            what="the killed run was never marked Crashed",
            logs=logs,
        )
        crashed_after = time.monotonic() - killed_at
        _wait(
            lambda: _states(api, run_id)[-1] == ("SCHEDULED", "AwaitingRetry"),
            timeout=60,
            what="the crashed run was not scheduled again",
            logs=logs,
        )
        start("worker-b", "worker", "start", "--pool", "wufei", "--name", "worker-b")  # as systemd restarts it
        _wait(
            lambda: (
                api_client().get(f"{api}/flow_runs/{run_id}", timeout=10).json()["state_type"]
                in ("COMPLETED", "FAILED", "CRASHED")
            ),
            timeout=180,
            what="the retried run did not finish",
            logs=logs,
        )
        run = api_client().get(f"{api}/flow_runs/{run_id}", timeout=10).json()
        assert run["state_type"] == "COMPLETED", (_states(api, run_id), logs["worker-b"].read_text()[-3000:])
        assert run["run_count"] == 2
        assert time.monotonic() - killed_at < 600  # before the claims' 10-minute lease ran out: released
        assert crashed_after <= 4 * HEARTBEAT + 60

        # Each digest arrived once: the one on the wire is not resent (unknown, for the office).
        assert len(smtp.arrivals) == 3 and len(set(smtp.arrivals)) == 3, smtp.arrivals
        with make_sessionmaker(engine)() as session:
            assert sorted(session.scalars(select(Dispatch.status))) == ["sent", "sent", "unknown"]
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in reversed(processes):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        smtp.close()

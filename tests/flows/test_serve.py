"""`wufei serve` refuses to serve where nothing would run: no PREFECT_API_URL (Prefect would start a
temporary server without a scheduler), a server that does not answer, a server whose scheduler
schedules nothing, a server where `prefect deploy --all` put the same flows for workers; its own
deployments are `<flow>/wufei-serve`, never prefect.yaml's `<flow>/<flow>`. Each case runs the
real command in a process of its own against real Prefect servers.

Backend-independent (run once, in the SQLite pass): `wufei serve` talks to the Prefect server
only; no run of its deployments is due while these tests serve, so no flow opens the database.
The flows themselves run on both databases in tests/flows/test_cadence_flows.py."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import fresh_database_url
from tests.flows.conftest import api_client, only_server_services
from tests.flows.prefect_database import ON_A_COPY, copy_prefect_database
from wufei import migrate
from wufei.db import make_engine

pytestmark = [pytest.mark.slow, pytest.mark.backend_independent]  # two Prefect servers, several CLI processes

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def env(tmp_path):
    url = fresh_database_url(tmp_path)
    migrate.upgrade(make_engine(url))
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    return clean | {
        "WUFEI_DATABASE_URL": url,
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    }


def _serve(env: dict[str, str], *args: str, timeout: float = 90) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "wufei"), "serve", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def test_without_prefect_api_url_it_refuses_instead_of_starting_a_temporary_server(env):
    done = _serve(env)
    assert done.returncode == 1 and "未设置 PREFECT_API_URL" in done.stderr, done.stderr


def test_a_server_that_does_not_answer_is_named(env):
    api = f"http://127.0.0.1:{_free_port()}/api"
    done = _serve(env | {"PREFECT_API_URL": api})
    assert done.returncode == 1 and f"无法连接 Prefect 服务器 {api}" in done.stderr, done.stderr


@pytest.fixture
def server(tmp_path):
    """`prefect server start` on loopback with its scheduler (looping every second)."""
    port = _free_port()
    home = tmp_path / "server-home"
    log = (tmp_path / "server.log").open("w")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")} | {
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "1",
        **only_server_services("scheduler"),  # what `wufei serve` watches for; none of the others
        "PREFECT_SERVER_DATABASE_CONNECTION_URL": copy_prefect_database(tmp_path / "prefect.db"),
        **ON_A_COPY,
    }
    process = subprocess.Popen(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    api = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + 120
    while True:
        assert process.poll() is None, (tmp_path / "server.log").read_text()[-3000:]
        try:
            if api_client().get(f"{api}/health", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, "prefect server did not start"
        time.sleep(0.5)
    yield api
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(30)
    log.close()


def _deployment(api: str, name: str) -> int:
    return api_client().get(f"{api}/deployments/name/{name}", timeout=10).status_code


def _scheduled(api: str, name: str) -> int:
    flow, deployment = name.split("/")
    response = api_client().post(
        f"{api}/flow_runs/count",
        json={"flows": {"name": {"any_": [flow]}}, "deployments": {"name": {"any_": [deployment]}}},
        timeout=10,
    )
    return int(response.json())


def test_it_serves_under_its_own_names_on_a_server_with_a_scheduler(env, server):
    process = subprocess.Popen(
        [str(BIN / "wufei"), "serve", "--scheduler-wait", "40"],
        cwd=ROOT,
        env=env | {"PREFECT_API_URL": server},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while _deployment(server, "daily-scan/wufei-serve") != 200 or _scheduled(server, "daily-scan/wufei-serve") == 0:
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "no scheduled run of daily-scan/wufei-serve"
            time.sleep(1)
        assert _deployment(server, "daily-scan/daily-scan") == 404  # prefect.yaml's name stays free
        time.sleep(3)
        assert process.poll() is None  # the scheduler answered: it keeps serving
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(30)

    # `prefect deploy --all` on the same server afterwards: a second `wufei serve` refuses to double every run.
    flow = api_client().post(f"{server}/flows/", json={"name": "daily-scan"}, timeout=10).json()
    api_client().post(f"{server}/deployments/", json={"name": "daily-scan", "flow_id": flow["id"]}, timeout=10)
    done = _serve(env | {"PREFECT_API_URL": server})
    assert done.returncode == 1 and "已有 prefect deploy 创建的部署（daily-scan/daily-scan" in done.stderr, done.stderr


def test_a_server_whose_scheduler_schedules_nothing_stops_it_with_an_error(env, tmp_path):
    """The server runs without its services (`prefect server start --no-services`). The shortest
    wait: the watcher may give up before the runner has started (its deployments just created),
    and `wufei serve` must still stop saying why (it was once killed silently by its own SIGTERM)."""
    port = _free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")} | {
        "PREFECT_HOME": str(tmp_path / "quiet-home"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_DATABASE_CONNECTION_URL": copy_prefect_database(tmp_path / "quiet.db"),
        **ON_A_COPY,
    }
    quiet = subprocess.Popen(
        [str(BIN / "prefect"), "server", "start", "--no-services", "--host", "127.0.0.1", "--port", str(port)],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    api = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if api_client().get(f"{api}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert quiet.poll() is None and time.monotonic() < deadline, "prefect server did not start"
            time.sleep(0.5)
        # No clock (a loaded machine takes minutes to import Prefect and create the deployments): the
        # message names the wait it kept, so a serve ignoring --scheduler-wait fails here too.
        done = _serve(env | {"PREFECT_API_URL": api}, "--scheduler-wait", "1", timeout=600)
        assert done.returncode == 1 and "在 1 秒内没有为 wufei serve 的部署安排任何运行" in done.stderr, done.stderr
        assert _deployment(api, "daily-scan/wufei-serve") == 200
    finally:
        os.killpg(quiet.pid, signal.SIGTERM)
        quiet.wait(30)

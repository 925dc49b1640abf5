"""`prefect deploy --all` from prefect.yaml, then a process worker of the shipped pool (`wufei
work-pool`: each run's engine forked by the worker's fork server, flows/forkserver.py) runs a
deployed flow.

The same steps an office runs on its server (see README), against the test server.

Backend-independent (run once, in the SQLite pass): what it proves is prefect.yaml and a process
worker; the deployed flow's work on the database is tested on both databases elsewhere (the daily
scan's flow in test_cadence_flows.py, a process worker's flow run on PostgreSQL in
test_crashed_runs.py)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from flows.pool import ensure_work_pool
from tests.flows.conftest import api_client
from wufei.db import make_sessionmaker
from wufei.lights.models import LightRecord

ROOT = Path(__file__).resolve().parents[2]
PREFECT = str(Path(sys.executable).parent / "prefect")

pytestmark = pytest.mark.backend_independent


def _prefect(*args: str, env: dict[str, str], timeout: int = 180) -> str:
    done = subprocess.run(
        [PREFECT, "--no-prompt", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_deploy_all_and_a_process_worker_runs_the_daily_scan(prefect_server, flow_database):
    from prefect.settings import PREFECT_API_URL

    env = {
        **os.environ,
        "PREFECT_API_URL": PREFECT_API_URL.value(),
        "WUFEI_HOME": str(ROOT),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    }
    asyncio.run(ensure_work_pool())  # `wufei work-pool` (tests/flows/test_pool.py): the engine as the pool's command
    _prefect("deploy", "--all", env=env)
    # What `prefect deployment ls` and `prefect deployment run daily-scan/daily-scan --param …` do, through
    # the API (each CLI command costs seconds of imports).
    api, base = api_client(), PREFECT_API_URL.value()
    listed = {deployment["name"] for deployment in api.post(f"{base}/deployments/filter", json={}).json()}
    assert {
        "daily-scan",
        "weekly-report",
        "monthly-dispatch",
        "quarterly-circular",
        "half-year-review",
        "annual-assessment",
    } <= listed, listed
    scan = api.get(f"{base}/deployments/name/daily-scan/daily-scan").json()
    api.post(
        f"{base}/deployments/{scan['id']}/create_flow_run", json={"parameters": {"as_of": "2024-01-02"}}
    ).raise_for_status()
    _prefect("worker", "start", "--pool", "wufei", "--run-once", env=env, timeout=240)
    with make_sessionmaker(flow_database)() as session:
        assert session.scalar(select(func.count()).select_from(LightRecord)) > 0

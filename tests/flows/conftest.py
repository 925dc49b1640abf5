"""A database with the Hengshui plan that the flows reach through WUFEI_DATABASE_URL (the Prefect
test server, `prefect_server`, is in tests/conftest.py)."""

from __future__ import annotations

import functools
import time
from typing import Any

import pytest

from tests.conftest import copy_database
from wufei.db import make_engine


@pytest.fixture
def flow_database(tmp_path, monkeypatch, hengshui_template):
    """A copy of the migrated database with the Hengshui plan (imported once for the run)."""
    url = copy_database(hengshui_template, tmp_path)
    engine = make_engine(url)
    monkeypatch.setenv("WUFEI_DATABASE_URL", url)
    monkeypatch.setenv("WUFEI_BULLETIN_DIR", str(tmp_path / "bulletins"))
    yield engine
    engine.dispose()


# The services of `prefect server start` (Prefect 3.8), by the name of their PREFECT_SERVER_SERVICES_<NAME>_ENABLED
# setting; the triggers service runs the automations' actions too.
SERVER_SERVICES = (
    "cancellation_cleanup",
    "cleanup_reconciler",
    "db_vacuum",
    "event_logger",
    "event_persister",
    "foreman",
    "late_runs",
    "pause_expirations",
    "repossessor",
    "scheduler",
    "task_run_recorder",
    "triggers",
)


def only_server_services(*kept: str) -> dict[str, str]:
    """The environment of a test's `prefect server start` that runs only the services `kept`: each one
    off is a loop the server no longer runs for nothing while the test waits (and, for the late runs
    service, a run the test scheduled that it can no longer relabel `Late` under the test's feet)."""
    assert set(kept) <= set(SERVER_SERVICES), kept
    return {
        f"PREFECT_SERVER_SERVICES_{name.upper()}_ENABLED": "true" if name in kept else "false"
        for name in SERVER_SERVICES
    }


@functools.cache
def api_client() -> Any:
    """One HTTP client for a test's many calls to a Prefect API it started: `httpx.get` makes a new
    client each call, loading the CA bundle (about 25 ms of CPU against 0.5 ms). httpx is imported
    here, not at collection.

    It asks again when the server answers 503, as Prefect's own client does: a Prefect server on
    SQLite answers 503 ("errors clients can retry on", prefect/server/api/server.py) when its
    database is busy, e.g. while its services write events beside a test's request."""
    import httpx

    class RetryBusy(httpx.HTTPTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            for wait in (0.5, 1, 2, 4, 8):
                response = super().handle_request(request)
                if response.status_code != 503:
                    return response
                response.close()
                time.sleep(wait)
            return super().handle_request(request)

    return httpx.Client(timeout=10, transport=RetryBusy())


def make_work_pool(api: str) -> str:
    """`ensure_work_pool` (what `wufei work-pool` runs) against the Prefect server at `api`, in this
    process: "created", "updated" or "unchanged"."""
    import asyncio

    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.pool import ensure_work_pool

    with temporary_settings({PREFECT_API_URL: api}):
        return asyncio.run(ensure_work_pool())

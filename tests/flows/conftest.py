"""One Prefect test server for all engine tests (it takes ~10 s to start), and a database
with the Hengshui plan that the flows reach through WUFEI_DATABASE_URL."""

from __future__ import annotations

import os

import pytest

from tests.conftest import fresh_database_url
from tests.seed_files import HENGSHUI_PLAN
from wufei import migrate
from wufei.db import make_engine
from wufei.importers.service import import_paths


@pytest.fixture(scope="session")
def prefect_server():
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=60):
        yield


@pytest.fixture
def flow_database(tmp_path, monkeypatch):
    url = fresh_database_url(tmp_path)
    engine = make_engine(url)
    migrate.upgrade(engine)
    [result] = import_paths(engine, [HENGSHUI_PLAN])
    assert result.ok, result.error
    monkeypatch.setenv("WUFEI_DATABASE_URL", url)
    monkeypatch.setenv("WUFEI_BULLETIN_DIR", str(tmp_path / "bulletins"))
    yield engine
    engine.dispose()

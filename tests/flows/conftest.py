"""A database with the Hengshui plan that the flows reach through WUFEI_DATABASE_URL (the Prefect
test server, `prefect_server`, is in tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.conftest import fresh_database_url
from tests.seed_files import HENGSHUI_PLAN
from wufei import migrate
from wufei.db import make_engine
from wufei.importers.service import import_paths


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

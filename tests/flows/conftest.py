"""A database with the Hengshui plan that the flows reach through WUFEI_DATABASE_URL (the Prefect
test server, `prefect_server`, is in tests/conftest.py)."""

from __future__ import annotations

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

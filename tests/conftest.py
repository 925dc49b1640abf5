"""Test databases: SQLite by default, PostgreSQL when WUFEI_TEST_DATABASE_URL names a server.

The schema is built by running the migrations, and each test runs inside a
transaction that is rolled back, so tests never see each other's rows.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from wufei import migrate
from wufei.db import make_engine
from wufei.departments.registry import Registry
from wufei.importers.service import load_source, read_source


def _server_url() -> str | None:
    return os.environ.get("WUFEI_TEST_DATABASE_URL") or None


def fresh_database_url(tmp_dir: Path) -> str:
    """A new empty database on the configured backend."""
    server = _server_url()
    if server is None:
        return f"sqlite:///{tmp_dir / f'wufei-{uuid.uuid4().hex[:8]}.db'}"
    name = f"wufei_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(
        server.replace("postgresql://", "postgresql+psycopg://", 1) + "/postgres", isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{server}/{name}"


@pytest.fixture(scope="session")
def engine(tmp_path_factory) -> Iterator[Engine]:
    engine = make_engine(fresh_database_url(tmp_path_factory.mktemp("db")))
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def fresh_engine(tmp_path) -> Iterator[Engine]:
    """An empty, unmigrated database of its own (for migration and CLI tests)."""
    engine = make_engine(fresh_database_url(tmp_path))
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with rolled_back(engine) as session:
        yield session


@contextmanager
def rolled_back(engine: Engine) -> Iterator[Session]:
    """A session whose work, commits included (savepoints), is rolled back at the end."""
    with engine.connect() as connection:
        transaction = connection.begin()
        session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
        try:
            yield session
        finally:
            session.close()
            transaction.rollback()


def seeded_database(directory: Path, registry: Registry, paths: list[Path]) -> Engine:
    """A migrated database of its own with `paths` imported and committed, for a folder or module
    whose tests all start from the same documents: override `session` there with
    `rolled_back(that engine)`, and each test shares the import but never another test's rows."""
    engine = make_engine(fresh_database_url(directory))
    migrate.upgrade(engine)
    with engine.begin() as connection:
        session = Session(bind=connection)
        for path in paths:
            load_source(session, _parsed(path), registry=registry, actor="test", path=str(path))
        session.flush()
        session.close()
    return engine


@pytest.fixture(scope="session")
def hengshui_engine(tmp_path_factory, registry) -> Iterator[Engine]:
    """The Hengshui plan (衡政办字〔2022〕57号) imported once for the run; modules whose tests all
    start from it use `hengshui_session` as their `session`."""
    from tests.seed_files import HENGSHUI_PLAN

    engine = seeded_database(tmp_path_factory.mktemp("hengshui"), registry, [HENGSHUI_PLAN])
    yield engine
    engine.dispose()


@pytest.fixture
def hengshui_session(hengshui_engine) -> Iterator[Session]:
    with rolled_back(hengshui_engine) as session:
        yield session


def hengshui_plan_id(session: Session) -> int:
    from wufei.plans.models import Plan

    return session.scalar(select(Plan.id).where(Plan.doc_number == "衡政办字〔2022〕57号"))


@pytest.fixture(scope="session")
def prefect_server():
    """One Prefect test server for every engine test of the run (it takes ~10 s to start). Here, not
    in tests/flows/conftest.py: a session fixture imported into another folder's module starts a
    second server."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=60):
        yield


@pytest.fixture(scope="session")
def registry() -> Registry:
    return Registry.load()


@pytest.fixture
def load(session, registry):
    """Parse and load a file inside the test's transaction; returns the plan summaries."""

    def _load(path: Path):
        summaries, _ = load_source(session, _parsed(path), registry=registry, actor="test", path=str(path))
        session.flush()
        return summaries

    return _load


_PARSED: dict[tuple[str, bytes], Any] = {}


def _parsed(path: Path):
    """A file parsed once per content for the whole run (loading never changes what was read);
    a test that rewrites a file gets its new content parsed."""
    key = (str(path), hashlib.sha256(Path(path).read_bytes()).digest())
    if key not in _PARSED:
        _PARSED[key] = read_source(path)
    return _PARSED[key]

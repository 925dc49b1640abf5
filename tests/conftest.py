"""Test databases: SQLite by default, PostgreSQL when WUFEI_TEST_DATABASE_URL names a server.

The schema is built by running the migrations, and each test runs inside a
transaction that is rolled back, so tests never see each other's rows.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import os
import re
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, event, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import Pool

from wufei import migrate
from wufei.db import make_engine
from wufei.departments.registry import Registry
from wufei.importers.service import load_source, read_source

pytest_plugins = ("tests.replay_2023",)  # the 2023 replay, once for the run


def _server_url() -> str | None:
    return os.environ.get("WUFEI_TEST_DATABASE_URL") or None


def fresh_database_url(tmp_dir: Path) -> str:
    """A new empty database on the configured backend."""
    server = _server_url()
    if server is None:
        return f"sqlite:///{tmp_dir / f'wufei-{uuid.uuid4().hex[:8]}.db'}"
    name = f"wufei_test_{uuid.uuid4().hex[:10]}"
    on_server(server, f'CREATE DATABASE "{name}"')
    _CREATED.append(name)
    return f"{server}/{name}"


def copy_database(template_url: str, tmp_dir: Path) -> str:
    """A new database holding what `template_url` holds (the template's engines disposed): the
    SQLite file backed up, or PostgreSQL's CREATE DATABASE … TEMPLATE. For a fixture that would
    otherwise migrate and import the same documents for every test."""
    server = _server_url()
    if server is None:
        url = fresh_database_url(tmp_dir)
        source = sqlite3.connect(template_url.removeprefix("sqlite:///"))
        target = sqlite3.connect(url.removeprefix("sqlite:///"))
        with source, target:
            source.backup(target)
        source.close()
        target.close()
        return url
    name = f"wufei_test_{uuid.uuid4().hex[:10]}"
    template = template_url.rsplit("/", 1)[1]
    on_server(server, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    _CREATED.append(name)
    return f"{server}/{name}"


_CREATED: list[str] = []  # this process's databases on the PostgreSQL server, dropped when it ends


def on_server(server: str, *statements: str) -> None:
    """Run statements on the server's maintenance database, outside a transaction."""
    admin = create_engine(
        server.replace("postgresql://", "postgresql+psycopg://", 1) + "/postgres", isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        for statement in statements:
            connection.execute(text(statement))
    admin.dispose()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Drop the databases this process made (about 10 MB each, 140 a PostgreSQL pass), so that a
    developer's server does not grow with every run. FORCE: a connection a test leaked must not
    keep its database."""
    server = _server_url()
    if server is not None and _CREATED:
        on_server(server, *(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' for name in _CREATED))
        _CREATED.clear()


@pytest.fixture(scope="session")
def hengshui_template(tmp_path_factory) -> str:
    """The URL of a migrated database with the Hengshui plan imported, built once for the run and
    never opened again: copy it with `copy_database` (tests/flows' `flow_database` does)."""
    from tests.seed_files import HENGSHUI_PLAN
    from wufei.importers.service import import_paths

    url = fresh_database_url(tmp_path_factory.mktemp("hengshui-template"))
    engine = make_engine(url)
    migrate.upgrade(engine)
    [result] = import_paths(engine, [HENGSHUI_PLAN])
    assert result.ok, result.error
    engine.dispose()
    return url


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
    """One Prefect test server for every engine test of the run. Here, not in tests/flows/conftest.py:
    a session fixture imported into another folder's module starts a second server.

    Its database is a copy of a migrated one (tests/flows/prefect_database.py): the harness puts it
    in a temporary folder of its own making, which is made here with the copy already in it."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    import tempfile

    import prefect.testing.utilities as harness
    from prefect.settings import PREFECT_SERVER_REGISTER_BLOCKS_ON_START, temporary_settings

    from tests.flows.prefect_database import copy_prefect_database

    def folder_with_database() -> str:
        folder = tempfile.mkdtemp()
        copy_prefect_database(Path(folder) / "prefect-test.db")  # the name prefect_test_harness gives it
        return folder

    with (
        pytest.MonkeyPatch.context() as patch,
        temporary_settings({PREFECT_SERVER_REGISTER_BLOCKS_ON_START: False}),  # in the copy already
    ):
        patch.setattr(harness, "mkdtemp", folder_with_database)
        with harness.prefect_test_harness(server_startup_timeout=180):  # a cap: a loaded machine starts it slowly
            patch.undo()
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


# Database-free tests (importer grammar, corpus, pure rules, readers) need not run on both backends:
# a test is marked `nodb` when none of its fixtures (all of them, through every fixture they use) and
# nothing in its module reaches a database. `make test` runs them once (test-nodb) and deselects them
# from the SQLite and PostgreSQL passes. While a `nodb` test runs, checking out a database connection
# fails it, so a test the marking misjudges shows itself instead of silently skipping a backend.
_DATABASE_WORDS = re.compile(
    r"\b(engine|session|Session|make_engine|create_engine|fresh_database_url|seeded_database|rolled_back|"
    r"import_paths|migrate|DATABASE_URL|WUFEI_DATABASE_URL|sqlite|postgres\w*)\b"
)
_MODULE_DATABASE_WORDS = re.compile(
    r"\b(make_engine|create_engine|fresh_database_url|seeded_database|rolled_back|import_paths|DATABASE_URL|"
    r"WUFEI_DATABASE_URL)\b"
)


@functools.cache
def _fixture_touches_database(function: Any) -> bool:
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return True
    body = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith("@"))
    return bool(_DATABASE_WORDS.search(body))


@functools.cache
def _module_touches_database(path: str) -> bool:
    return bool(_MODULE_DATABASE_WORDS.search(Path(path).read_text(encoding="utf-8")))


def touches_database(item: pytest.Item) -> bool:
    if not isinstance(item, pytest.Function) or _module_touches_database(str(item.path)):
        return True
    for name in item.fixturenames:
        for definition in item._fixtureinfo.name2fixturedefs.get(name, ()):
            if definition.baseid == "" and definition.func.__module__.startswith("_pytest"):
                continue  # pytest's own (tmp_path, monkeypatch, request, ...)
            if _fixture_touches_database(definition.func):
                return True
    return False


# Shared expensive fixtures: under pytest-xdist (`make test` splits the PostgreSQL pass over two
# workers, --dist loadgroup) the tests that use one run on one worker, so it is set up once.
_SHARED_BY_GROUP = ("prefect_server", "replay_2023")

# The groups that take longest, longest first (the durations `make test` prints, on a loaded 2-core
# machine): handed out before the other slow groups (marked `slow`), and those before the rest.
_LONGEST_FIRST = (
    "replay_2023",
    "tests/flows/test_nation_workers.py",
    "prefect_server",
    "tests/flows/test_crashed_runs.py",
    "tests/flows/test_serve.py",
    "tests/test_readme.py",
    "tests/web/test_every_route.py",
    "tests/importers/test_readers_pdf.py",
)


def _xdist_group(item: pytest.Item) -> str:
    """A module's tests stay together (its module fixtures are built once); the users of a shared
    session fixture form one group across modules."""
    for name in _SHARED_BY_GROUP:
        if name in getattr(item, "fixturenames", ()):
            return name
    return item.nodeid.split("::", 1)[0]


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if not touches_database(item):
            item.add_marker(pytest.mark.nodb)
    if getattr(config.option, "loadgroup", False):  # set by pytest-xdist in its workers for --dist loadgroup
        for item in items:
            item.add_marker(pytest.mark.xdist_group(_xdist_group(item)))
        # The longest groups first (xdist hands out groups in this order with --no-loadscope-reorder),
        # so the last one to finish is a short one and both workers end together.
        slow = {_xdist_group(item) for item in items if item.get_closest_marker("slow")} | set(_SHARED_BY_GROUP)

        def order(item: pytest.Item) -> int:
            group = _xdist_group(item)
            if group in _LONGEST_FIRST:
                return _LONGEST_FIRST.index(group)
            return len(_LONGEST_FIRST) + (group not in slow)

        items.sort(key=order)


_GUARDED: list[str] = []  # the nodb test running now, if any
_CHECKOUTS: list[str] = []


@event.listens_for(Pool, "checkout")
def _no_database_in_nodb_tests(*_: Any) -> None:
    if _GUARDED:
        _CHECKOUTS.append(_GUARDED[-1])
        raise RuntimeError(f"{_GUARDED[-1]} is marked nodb but checked out a database connection")


@contextmanager
def _guarded(item: pytest.Item) -> Iterator[None]:
    """Setup and call only: a later test's teardown may close a module's or the run's database."""
    if item.get_closest_marker("nodb") is None:
        yield
        return
    _GUARDED.append(item.nodeid)
    try:
        yield
    finally:
        _GUARDED.pop()
    if item.nodeid in _CHECKOUTS:  # even when the test caught the error
        pytest.fail(f"{item.nodeid} is marked nodb but checked out a database connection", pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item):
    with _guarded(item):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    with _guarded(item):
        return (yield)

"""What the benchmarks share: sizes from the environment and the PostgreSQL server to measure on."""

from __future__ import annotations

import os
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent


def env_int(name: str, default: int) -> int:
    """An integer setting such as WUFEI_BENCH_TASKS=100,000 (commas and underscores allowed)."""
    value = os.environ.get(name, "").replace(",", "").replace("_", "").strip()
    return int(value) if value else default


def postgres_server() -> str | None:
    """WUFEI_BENCH_POSTGRES (a server URL without a database), else the loopback server
    scripts/postgres.sh starts; None, with the reason printed, when there is none."""
    server = os.environ.get("WUFEI_BENCH_POSTGRES")
    if server:
        return server.rstrip("/")
    try:
        done = subprocess.run([str(ROOT / "scripts" / "postgres.sh")], capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.SubprocessError) as exc:
        print(f"PostgreSQL unavailable: scripts/postgres.sh could not run ({exc}); PostgreSQL figures skipped")
        return None
    if done.returncode != 0 or not done.stdout.strip():
        print(
            f"PostgreSQL unavailable: scripts/postgres.sh failed ({done.stderr.strip()[-300:]}); "
            f"PostgreSQL figures skipped"
        )
        return None
    return done.stdout.strip().splitlines()[-1].rstrip("/")


@contextmanager
def databases(default: str = "sqlite,postgresql") -> Iterator[list[tuple[str, Callable[[], str]]]]:
    """The backends WUFEI_BENCH_DATABASES names (else `default`): a list of (label, new_url), where
    new_url() makes one more empty database there (SQLite files in a temporary folder, PostgreSQL
    databases on the loopback server); all are removed afterwards."""
    wanted = os.environ.get("WUFEI_BENCH_DATABASES", default).split(",")
    with tempfile.TemporaryDirectory() as tmp:
        made: list[str] = []
        server = postgres_server() if "postgresql" in wanted else None
        admin = (
            create_engine(
                server.replace("postgresql://", "postgresql+psycopg://", 1) + "/postgres", isolation_level="AUTOCOMMIT"
            )
            if server
            else None
        )

        def new_sqlite() -> str:
            return f"sqlite:///{tmp}/bench-{uuid.uuid4().hex[:6]}.db"

        def new_postgres() -> str:
            name = f"wufei_bench_{uuid.uuid4().hex[:8]}"
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            made.append(name)
            return f"{server}/{name}"

        backends = []
        if "sqlite" in wanted:
            backends.append(("SQLite", new_sqlite))
        if admin is not None:
            backends.append(("PostgreSQL", new_postgres))
        try:
            yield [(label, new) for label, new in backends]
        finally:
            if admin is not None:
                with admin.connect() as connection:
                    for name in made:
                        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()

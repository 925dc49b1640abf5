"""Shared by the province benchmarks: sizes from the environment, the databases to run on (a
temporary SQLite file; a fresh database on the PostgreSQL server of WUFEI_BENCH_POSTGRES or
scripts/postgres.sh), and measuring a function in a child process (wall time and peak RSS).

Sizes: WUFEI_BENCH_CITIES (default 14), WUFEI_BENCH_CITY_TASKS (300), WUFEI_BENCH_REPORTS_UNTIL
(2025-12-31: five years of weekly reports; the plans are issued early in 2021).
WUFEI_BENCH_DATABASES=sqlite or postgresql runs one only."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import uuid
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from sqlalchemy import create_engine, text  # noqa: E402

from common import env_int, postgres_server  # noqa: E402

MIB = 1024  # ru_maxrss is in KiB


def sizes() -> dict[str, Any]:
    until = os.environ.get("WUFEI_BENCH_REPORTS_UNTIL", "2025-12-31")
    return {"cities": env_int("WUFEI_BENCH_CITIES", 14), "tasks": env_int("WUFEI_BENCH_CITY_TASKS", 300),
            "reports_until": date.fromisoformat(until) if until != "none" else None}


@contextmanager
def databases() -> Iterator[tuple[str, str, Any]]:
    """Yields (label, url, new_url) per backend; new_url() makes one more empty database there."""
    wanted = os.environ.get("WUFEI_BENCH_DATABASES", "sqlite,postgresql").split(",")
    with tempfile.TemporaryDirectory() as tmp:
        made: list[str] = []
        server = postgres_server() if "postgresql" in wanted else None
        admin = (create_engine(server.replace("postgresql://", "postgresql+psycopg://", 1) + "/postgres",
                               isolation_level="AUTOCOMMIT") if server else None)

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


def in_child(script: str, *args: str) -> subprocess.Popen:
    """Start `script --child args…` (its last stdout line is JSON)."""
    out = tempfile.TemporaryFile("w+")
    process = subprocess.Popen([sys.executable, script, "--child", *args], stdout=out)
    process.out = out  # type: ignore[attr-defined]
    return process


def wait_child(process: subprocess.Popen) -> tuple[dict[str, Any], int]:
    """(the child's JSON, its peak RSS in KiB), from os.wait4 (the per-child getrusage)."""
    _, status, usage = os.wait4(process.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    process.returncode = code
    process.out.seek(0)  # type: ignore[attr-defined]
    output = process.out.read()  # type: ignore[attr-defined]
    if code != 0:
        raise RuntimeError(f"benchmark child {process.args[2:]} failed (exit {code}): {output[-500:]}")
    return json.loads(output.strip().splitlines()[-1]), usage.ru_maxrss

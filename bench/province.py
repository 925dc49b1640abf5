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
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import databases, env_int  # noqa: E402,F401  (databases: for the province benchmarks)

MIB = 1024  # ru_maxrss is in KiB


def sizes() -> dict[str, Any]:
    until = os.environ.get("WUFEI_BENCH_REPORTS_UNTIL", "2025-12-31")
    return {
        "cities": env_int("WUFEI_BENCH_CITIES", 14),
        "tasks": env_int("WUFEI_BENCH_CITY_TASKS", 300),
        "reports_until": date.fromisoformat(until) if until != "none" else None,
    }


def in_child(script: str, *args: str) -> subprocess.Popen:
    """Start `script --child args…` (its last stdout line is JSON)."""
    out = tempfile.TemporaryFile("w+")  # noqa: SIM115 (closed by the caller that reads it)
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

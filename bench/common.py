"""What the benchmarks share: sizes from the environment and the PostgreSQL server to measure on."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

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
        print(f"PostgreSQL unavailable: scripts/postgres.sh failed ({done.stderr.strip()[-300:]}); "
              f"PostgreSQL figures skipped")
        return None
    return done.stdout.strip().splitlines()[-1].rstrip("/")

"""How near the floor any first-day scan can come on SQLite: a set-based lower bound.

Issue 17 asks the first-day scan for at most 3x the floor (bench/floor/daily_scan.sqlite.sql: read
each open task's row, newest report and next milestone; write one row per task). The first day must
also read the newest report filed on time (the missing-report streak) and write three kinds of
rows: the light's state, its first history row and the escalation's intents.
`bench/floor/first_day_lower_bound.sqlite.sql` does only that, all in SQL, with fewer intents than
the real ladder makes; whatever the design, the scan costs at least what it costs. Both are timed
in turns (three each, CPU of this process: SQLite runs in it) on copies of the daily-scan data
(bench/daily_scan.py's build, kept under out/bench/ as WUFEI_BENCH_KEEP=1 keeps it), and the
ratio of the medians printed. WUFEI_BENCH_TASKS sets the size (default 100,000; 20,000 builds in
about half a minute).
"""

from __future__ import annotations

import os
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import env_int  # noqa: E402
from daily_scan import FIRST_DAY, _built  # noqa: E402

FLOOR = (HERE / "floor" / "daily_scan.sqlite.sql").read_text(encoding="utf-8")
LOWER_BOUND = (HERE / "floor" / "first_day_lower_bound.sqlite.sql").read_text(encoding="utf-8")
FLOOR_TABLE = (
    "CREATE TABLE IF NOT EXISTS bench_floor (task_id INTEGER, as_of TEXT, progress INTEGER, week_start TEXT, "
    "milestone_due TEXT, milestone_expected INTEGER)"
)


def _statements(script: str) -> list[str]:
    body = "\n".join(line for line in script.splitlines() if not line.startswith("--"))
    return [part.strip() for part in body.split("\n;\n") if part.strip()]


def _timed(path: Path, statements: list[str]) -> tuple[float, float, dict[str, int]]:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    before, started = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    for statement in statements:
        connection.execute(statement, {"day": FIRST_DAY.isoformat()} if ":day" in statement else {})
    connection.commit()
    after, wall = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter() - started
    counts = {
        table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("light_states", "light_history", "notice_intents")
    }
    connection.close()
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, wall, counts


def main() -> None:
    count = env_int("WUFEI_BENCH_TASKS", 100_000)
    os.environ["WUFEI_BENCH_KEEP"] = "1"
    work = Path(tempfile.mkdtemp(prefix="wufei-lower-bound-"))
    try:
        data = work / "data.db"
        print(_built("SQLite", f"sqlite:///{data}", count), flush=True)
        runs: dict[str, list[float]] = {"floor": [], "lower bound": []}
        for _ in range(3):
            for name, statements in (("floor", [FLOOR_TABLE, FLOOR]), ("lower bound", _statements(LOWER_BOUND))):
                copy = work / f"{name.replace(' ', '_')}.db"
                shutil.copyfile(data, copy)
                cpu, wall, counts = _timed(copy, statements)
                runs[name].append(cpu)
                written = "" if name == "floor" else f"; rows written {counts}"
                print(f"  {name}: CPU {cpu:.3f} s, wall {wall:.3f} s{written}", flush=True)
                copy.unlink()
        floor, lower = statistics.median(runs["floor"]), statistics.median(runs["lower bound"])
        print(
            f"first-day scan, set-based lower bound, {count:,} tasks (SQLite): CPU {lower:.3f} s against the "
            f"floor's {floor:.3f} s: {lower / floor:.2f}x (issue 17 asks the scan for at most 3x)"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

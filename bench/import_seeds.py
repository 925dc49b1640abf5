"""Importing all five seed documents into a fresh SQLite database (issue: well under 2 s).

Prints the parse-only time and the whole import (parse + load + commit) as the median of
several runs, each into a new database file, then the peak Python memory of one more run
(measured apart: tracemalloc slows the code it watches).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wufei import migrate  # noqa: E402
from wufei.db import make_engine  # noqa: E402
from wufei.departments.registry import Registry  # noqa: E402
from wufei.importers.service import import_paths, read_source  # noqa: E402

SEEDS = sorted((ROOT / "examples" / "seeds").glob("*.txt"))
RUNS = 5


def import_once(registry: Registry, *, trace: bool = False) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/bench.db")
        migrate.upgrade(engine)
        if trace:
            tracemalloc.start()
        started = time.perf_counter()
        results = import_paths(engine, SEEDS, registry=registry)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] if trace else 0
        tracemalloc.stop()
        engine.dispose()
    assert all(r.ok for r in results), [r.error for r in results if not r.ok]
    return elapsed, peak


def main() -> None:
    registry = Registry.load()
    parse_times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        for path in SEEDS:
            read_source(path)
        parse_times.append(time.perf_counter() - started)
    import_times = [import_once(registry)[0] for _ in range(RUNS)]
    _, peak = import_once(registry, trace=True)
    print(
        f"import five seeds (SQLite): {statistics.median(import_times):.3f} s median of {RUNS} "
        f"(parse only {statistics.median(parse_times):.3f} s); peak Python memory {peak / 2**20:.1f} MiB"
    )


if __name__ == "__main__":
    main()

"""The preview of the five seed documents against a fresh SQLite database, beside their import.

A preview reads and loads exactly as an import does (owners resolved, deadlines and targets
read, doubts found) inside a transaction it rolls back, so it should cost about what the
import costs. Prints medians of several runs: the import (reference), the preview, writing the
preview as the import workbook, and importing that workbook into another fresh database.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wufei import migrate  # noqa: E402
from wufei.db import make_engine  # noqa: E402
from wufei.departments.registry import Registry  # noqa: E402
from wufei.exporters.preview import write_preview_workbook  # noqa: E402
from wufei.importers.service import import_paths, preview_paths  # noqa: E402

SEEDS = sorted((ROOT / "examples" / "seeds").glob("*.txt"))
RUNS = 5


def timed(step: Callable[[Path, object, Registry], None], registry: Registry) -> float:
    """One run of `step(folder, engine, registry)` against a fresh database; seconds."""
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/bench.db")
        migrate.upgrade(engine)
        started = time.perf_counter()
        step(Path(tmp), engine, registry)
        elapsed = time.perf_counter() - started
        engine.dispose()
    return elapsed


def do_import(folder: Path, engine, registry: Registry) -> None:
    assert all(r.ok for r in import_paths(engine, SEEDS, registry=registry))


def do_preview(folder: Path, engine, registry: Registry) -> None:
    previews = preview_paths(engine, SEEDS, registry=registry)
    assert all(p.committable for p in previews)


def main() -> None:
    registry = Registry.load()
    imports = [timed(do_import, registry) for _ in range(RUNS)]
    previews = [timed(do_preview, registry) for _ in range(RUNS)]
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/preview.db")
        migrate.upgrade(engine)
        shown = preview_paths(engine, SEEDS, registry=registry)
        records = sum(p.records for p in shown)
        doubts = sum(p.open_doubts for p in shown)
        writes, workbook = [], Path(tmp) / "预览.xlsx"
        for _ in range(RUNS):
            started = time.perf_counter()
            write_preview_workbook(workbook, shown)
            writes.append(time.perf_counter() - started)
        engine.dispose()

        def import_workbook(folder: Path, engine, registry: Registry) -> None:
            [result] = import_paths(engine, [workbook], registry=registry)
            assert result.ok, result.error

        workbook_imports = [timed(import_workbook, registry) for _ in range(RUNS)]
    median = statistics.median
    print(
        f"five seeds, {records} records, {doubts} open doubts (SQLite, median of {RUNS}): "
        f"import {median(imports):.3f} s; preview {median(previews):.3f} s; "
        f"preview workbook written {median(writes):.3f} s; that workbook imported {median(workbook_imports):.3f} s"
    )


if __name__ == "__main__":
    main()

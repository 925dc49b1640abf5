"""The 无废细胞台账 at a city's scale: seed 000's 735 cells entered from one workbook (all rows
checked, then registered in one transaction), and the registry's figures by category and county
on a day (each cell's state read from its history), on a fresh SQLite database.

Prints the import time and the figures' time, each the median of several runs; CELLS_TIMES
(default 1) multiplies the table (10: 7,350 cells, a province's city with many villages)."""

from __future__ import annotations

import itertools
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import env_int  # noqa: E402
from openpyxl import load_workbook  # noqa: E402
from sqlalchemy import select  # noqa: E402

from wufei import migrate  # noqa: E402
from wufei.cells.ledger import import_cells_workbook, write_cells_workbook  # noqa: E402
from wufei.cells.rules import CellRules  # noqa: E402
from wufei.db import make_engine, make_sessionmaker, transaction  # noqa: E402
from wufei.departments.registry import Registry  # noqa: E402
from wufei.figures.cells import cell_figures  # noqa: E402
from wufei.importers.service import import_paths  # noqa: E402
from wufei.plans.models import Jurisdiction  # noqa: E402

SEED_000 = [("无废学校", 30), ("无废景区", 1), ("无废乡村", 218), ("无废小区", 400), ("无废机关", 21)]
SEED_000 += [("无废事业单位", 25), ("无废工厂", 1), ("无废商场", 20), ("无废医院", 19)]
COUNTIES = ["桃城区", "冀州区", "枣强县", "武邑县", "武强县", "饶阳县", "安平县", "故城县", "景县", "阜城县", "深州市"]
RUNS = 3


def run_once(times: int) -> tuple[float, float, int]:
    rules = CellRules.load()
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/bench.db")
        migrate.upgrade(engine)
        import_paths(engine, [ROOT / "examples" / "seeds" / "衡环办函〔2025〕28号.txt"], registry=Registry.load())
        path = Path(tmp) / "台账.xlsx"
        with make_sessionmaker(engine)() as session:
            city = session.scalar(select(Jurisdiction).where(Jurisdiction.name == "衡水市"))
            write_cells_workbook(session, path, jurisdiction=city, as_of=date(2025, 3, 1), empty=True)
        book = load_workbook(path)
        sheet = book["无废细胞台账"]
        counties, line = itertools.cycle(COUNTIES), 5
        for copy in range(times):
            for category, count in SEED_000:
                for n in range(count):
                    row = [None, f"{category}{copy}-{n}", category, next(counties), None, None, "命名", "2024-12-31"]
                    for column, value in enumerate(row, start=1):
                        sheet.cell(row=line, column=column, value=value)
                    line += 1
        book.save(path)
        started = time.perf_counter()
        with transaction(engine) as session:
            added, _ = import_cells_workbook(
                session, path, jurisdiction=None, today=date(2025, 3, 1), actor="bench", rules=rules
            )
        imported = time.perf_counter() - started
        started = time.perf_counter()
        with make_sessionmaker(engine)() as session:
            figures = cell_figures(session, jurisdiction="衡水市", day=date(2025, 3, 1), rules=rules)
        computed = time.perf_counter() - started
        assert figures is not None and figures.total.named == len(added)
        engine.dispose()
    return imported, computed, len(added)


def main() -> None:
    times = env_int("CELLS_TIMES", 1)
    runs = [run_once(times) for _ in range(RUNS)]
    cells = runs[0][2]
    print(f"无废细胞台账导入 {cells} 个：{statistics.median(r[0] for r in runs):.2f} s（{RUNS} 次中位数）")
    print(f"按类别、县市区统计 {cells} 个：{statistics.median(r[1] for r in runs) * 1000:.0f} ms")


if __name__ == "__main__":
    main()

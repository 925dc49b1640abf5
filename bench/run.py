"""Run every benchmark in bench/ and print its figures."""

from __future__ import annotations

import os
import runpy
import sys
from pathlib import Path

BENCHES = [
    "commands.py",
    "import_seeds.py",
    "import_pdf.py",
    "ocr.py",
    "convert.py",
    "places.py",
    "import_preview.py",
    "import_grammar.py",
    "import_text.py",
    "daily_scan.py",
    "scan_lower_bound.py",
    "monthly_bulletin.py",
    "cells.py",
    "notify_smtp.py",
    "province_import.py",
    "province_scan.py",
    "import_fidelity.py",
    "wild.py",
    "nation.py",
]

# bench/nation.py by itself runs the full nation (300 cities × 300 tasks, five years of weekly
# reports: docs/province.md has its times). Here it runs one a benchmark run can afford: 31 cities
# of the national list (over 16 provincial units), a year of reports.
# WUFEI_BENCH_NATION_FULL=1 runs the full nation here too; any WUFEI_BENCH_* size set wins.
AFFORDABLE = {
    "nation.py": {"WUFEI_BENCH_NATION_CITIES": "31", "WUFEI_BENCH_REPORTS_UNTIL": "2021-12-31"},
    "scan_lower_bound.py": {"WUFEI_BENCH_TASKS": "20000"},  # a ratio: the size barely moves it
}

if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    for name in sys.argv[1:] or BENCHES:
        print(f"== {name}", flush=True)
        if os.environ.get("WUFEI_BENCH_NATION_FULL", "") in ("", "0"):
            for setting, value in AFFORDABLE.get(name, {}).items():
                os.environ.setdefault(setting, value)
        sys.argv = [str(here / name)]  # each benchmark sees no arguments of run.py's
        runpy.run_path(str(here / name), run_name="__main__")

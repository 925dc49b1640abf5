"""Run every benchmark in bench/ and print its figures."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

BENCHES = [
    "commands.py",
    "import_seeds.py",
    "daily_scan.py",
    "monthly_bulletin.py",
    "notify_smtp.py",
    "province_import.py",
    "province_scan.py",
]

if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    for name in sys.argv[1:] or BENCHES:
        print(f"== {name}", flush=True)
        runpy.run_path(str(here / name), run_name="__main__")

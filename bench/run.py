"""Run every benchmark in bench/ and print its figures."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

BENCHES = [
    "commands.py",
    "import_seeds.py",
    "import_pdf.py",
    "places.py",
    "import_preview.py",
    "import_grammar.py",
    "import_text.py",
    "daily_scan.py",
    "monthly_bulletin.py",
    "cells.py",
    "notify_smtp.py",
    "province_import.py",
    "province_scan.py",
    "import_fidelity.py",
]

if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    for name in sys.argv[1:] or BENCHES:
        print(f"== {name}", flush=True)
        sys.argv = [str(here / name)]  # each benchmark sees no arguments of run.py's
        runpy.run_path(str(here / name), run_name="__main__")

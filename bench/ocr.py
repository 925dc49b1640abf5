"""Reading a scan by OCR: CPU seconds per page and the fields matched on a known scan, at 200 and 300 dpi.

The scan is tests/importers/unseen4/sc_neijiang_fenjie.pdf (two pages: a notice and a ruled table of five
tasks going on over the page) rasterised at 200 dpi into an image-only PDF, as tests/importers/test_ocr.py
makes it. The reader renders each page again at the resolution measured (wufei.importers.readers.ocr.DPI) and
reads it with tesseract; the resolutions are measured in turns, `ROUNDS` times. CPU time is this process's
and tesseract's (getrusage of the children). Fields matched: title, leads, supporting and deadline of each
task against the file's expected.yaml (20 in all).

    .venv/bin/python bench/ocr.py [rounds]
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.importers.test_ocr import TABLE_PDF, expected_tasks, scanned_pdf  # noqa: E402
from wufei.importers.readers import ocr  # noqa: E402
from wufei.importers.service import read_source  # noqa: E402

RESOLUTIONS = (200, 300)


def cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def matched(scan: Path) -> int:
    [plan] = read_source(scan).plans
    count = 0
    for task, wanted in zip(plan.tasks, expected_tasks(TABLE_PDF)):
        count += task.title == wanted["title"]
        count += list(task.leads or ()) == wanted["leads"]
        count += list(task.supporting or ()) == wanted["supporting"]
        count += task.deadline_raw == wanted["deadline"]
    return count


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    with tempfile.TemporaryDirectory() as folder:
        scan = scanned_pdf(TABLE_PDF, Path(folder) / "scan.pdf")
        print(f"load {os.getloadavg()[0]:.2f}")
        for round_ in range(1, rounds + 1):
            for dpi in RESOLUTIONS:
                ocr.DPI = dpi
                before = cpu()
                fields = matched(scan)
                spent = cpu() - before
                print(f"round {round_} {dpi} dpi: {spent / 2:.2f} s CPU per page, fields matched {fields}/20")
        print(f"load {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()

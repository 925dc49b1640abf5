"""Reading a scan by OCR: CPU seconds per page and the fields matched on a known scan, at 200 and 300 dpi,
scanned askew, turned, and pasted as pictures into a Word file.

The scan is tests/importers/unseen4/sc_neijiang_fenjie.pdf (two pages: a notice and a ruled table of five
tasks going on over the page) rasterised at 200 dpi into an image-only PDF, as tests/importers/test_ocr.py
makes it; the skewed scans are the same pages turned by 1, -3 and 8 degrees (BICUBIC, white corners). The
reader renders each page again at the resolution measured (wufei.importers.readers.ocr.DPI) and reads it with
tesseract; the skewed scans are read at 300 dpi, and so are the pages turned by 90 and 180 degrees (a page scanned
on its side, upside down) and the Word file whose table is pasted as two pictures (the pages as 200-dpi PNGs,
printed 15 cm wide, after a heading paragraph). Each is measured in turns, `ROUNDS` times. CPU time is this
process's and tesseract's (getrusage of the children). Fields matched: title, leads, supporting and deadline of
each task against the file's expected.yaml (20 in all). The skew estimate alone (`ocr.skew_of` on each page
drawn at 300 dpi) is timed where the code has one, so its cost on a straight page is seen apart. Where the code
keeps an upload's read (wufei.importers.kept), the straight scan is read twice as the web page reads it (kept
in a folder, as an upload's): the second read's CPU is what showing the preview again costs.

    .venv/bin/python bench/ocr.py [rounds]

It runs against main's code too (copy it into a worktree of main): what main lacks is skipped.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.importers.test_ocr import SCAN_DPI, TABLE_PDF, expected_tasks, page_images, scanned_pdf  # noqa: E402
from wufei.importers.readers import ocr  # noqa: E402
from wufei.importers.service import read_source  # noqa: E402

RESOLUTIONS = (200, 300)
SKEWS = (1.0, -3.0, 8.0)  # degrees
TURNS = (90, 180)  # degrees


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


def skewed_pdf(angle: float, out: Path) -> Path:
    turned = [image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255) for image in page_images(TABLE_PDF)]
    turned[0].save(out, save_all=True, append_images=turned[1:], resolution=SCAN_DPI)
    return out


def turned_pdf(angle: int, out: Path) -> Path:
    turned = [image.rotate(angle, expand=True) for image in page_images(TABLE_PDF)]
    turned[0].save(out, save_all=True, append_images=turned[1:], resolution=SCAN_DPI)
    return out


def pictured_docx(out: Path) -> Path:
    """A Word file: a heading paragraph, then the table's two pages pasted as pictures."""
    import io

    import docx
    from docx.shared import Cm

    document = docx.Document()
    document.add_paragraph("附件：任务分解表")
    for image in page_images(TABLE_PDF):
        data = io.BytesIO()
        image.save(data, "PNG", dpi=(SCAN_DPI, SCAN_DPI))
        document.add_picture(data, width=Cm(15))
    document.save(out)
    return out


def timed(path: Path) -> tuple[float, int]:
    before = cpu()
    try:
        fields = matched(path)
    except Exception as exc:  # main refuses what it cannot read: no fields
        print(f"  ({type(exc).__name__}: {exc})")
        fields = 0
    return cpu() - before, fields


def estimate_seconds() -> str:
    """CPU seconds per page of the skew estimate on the straight pages drawn at 300 dpi, and the angles found."""
    document = pdfium.PdfDocument(str(TABLE_PDF))
    pages = [np.asarray(page.render(scale=300 / 72, grayscale=True).to_pil().convert("L")) for page in document]
    document.close()
    before = time.process_time()
    angles = [ocr.skew_of(page) for page in pages]
    spent = (time.process_time() - before) / len(pages)
    return f"{spent:.3f} s CPU per page, angles {angles} (straight under {ocr.STRAIGHT})"


def kept_seconds(scan: Path, folder: Path) -> str:
    """CPU seconds of the first and the second read of the scan with its read kept in `folder`."""
    spent = []
    for _ in range(2):
        before = cpu()
        read_source(scan, keep_in=folder)
        spent.append(cpu() - before)
    return f"first {spent[0]:.2f} s, again {spent[1]:.3f} s CPU for the 2 pages"


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    with tempfile.TemporaryDirectory() as folder:
        scan = scanned_pdf(TABLE_PDF, Path(folder) / "scan.pdf")
        skewed = {angle: skewed_pdf(angle, Path(folder) / f"skewed{angle}.pdf") for angle in SKEWS}
        turned = {angle: turned_pdf(angle, Path(folder) / f"turned{angle}.pdf") for angle in TURNS}
        word = pictured_docx(Path(folder) / "pictured.docx")
        print(f"load {os.getloadavg()[0]:.2f}")
        for round_ in range(1, rounds + 1):
            for dpi in RESOLUTIONS:
                ocr.DPI = dpi
                before = cpu()
                fields = matched(scan)
                spent = cpu() - before
                print(f"round {round_} {dpi} dpi: {spent / 2:.2f} s CPU per page, fields matched {fields}/20")
            ocr.DPI = 300
            for angle, path in skewed.items():
                spent, fields = timed(path)
                print(f"round {round_} skewed {angle:+} deg: {spent / 2:.2f} s CPU per page, fields {fields}/20")
            for angle, path in turned.items():
                spent, fields = timed(path)
                print(f"round {round_} turned {angle} deg: {spent / 2:.2f} s CPU per page, fields {fields}/20")
            spent, fields = timed(word)
            print(f"round {round_} Word file of 2 pictures: {spent / 2:.2f} s CPU per picture, fields {fields}/20")
            if hasattr(ocr, "skew_of"):
                print(f"round {round_} skew estimate: {estimate_seconds()}")
            if "keep_in" in read_source.__code__.co_varnames:
                kept = Path(folder) / f"upload{round_}"
                kept.mkdir()
                print(f"round {round_} read kept: {kept_seconds(scan, kept)}")
        print(f"load {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()

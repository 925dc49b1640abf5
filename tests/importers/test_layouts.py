"""A slice of bench/layouts.py's matrix: the same records laid out as publishers do, written in each format,
imported through read_source and scored; each cell must stay at or above the field accuracy measured.

The whole matrix (every layout, format and record set) is `.venv/bin/python bench/layouts.py`. Here: one task
set with deadlines (遂宁), one with labelled owners (立山) and one indicator set (江苏) in the layouts that lost
most in some format before the readers were fixed; the browser's copy through headless Chromium; one PDF
through LibreOffice (marked `libreoffice`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.importers.layouts.matrix import Cell, run, score_file, write_files
from wufei.importers.readers.pdf import read_pdf

TASK_SETS = ["sc_suining_2016", "ln_lishan_2023"]
INDICATOR_SETS = ["js_lianggeshuaixian_2013"]
SOME_SETS = ["sc_suining_2016", "js_lianggeshuaixian_2013"]
LAYOUTS = ["no_number", "groups", "two_row_header", "multiline", "deadlines", "prose_brackets", "unit_in_name"]

# Field accuracy measured for the slice, the same in every format (bench/layouts.py --sets sc_suining_2016
# ln_lishan_2023 js_lianggeshuaixian_2013): what is lost is lost in Word too (立山's 「各街道、区市场局」 is
# one name to the owner grammar; prose_brackets joins the paragraph after the last item to it).
FLOORS = {
    "no_number": 0.980,
    "groups": 0.980,
    "two_row_header": 0.980,
    "multiline": 0.980,
    "deadlines": 0.988,
    "prose_brackets": 0.941,
    "unit_in_name": 1.0,
}


def _check(cells: dict[tuple[str, str], Cell]) -> None:
    low = []
    for key, cell in sorted(cells.items()):
        summary = cell.corpus.summary()
        assert not summary["refused"], (key, [d.error for d in cell.scores if d.refused])
        if (cell.accuracy or 0.0) < FLOORS[key[0]] or summary["records_matched"] < summary["records_expected"]:
            misses = [m for d in cell.scores for m in d.misses]
            low.append((key, cell.accuracy, summary["records_matched"], summary["records_expected"], misses[:3]))
    assert not low, low


def test_every_layout_in_word_web_page_and_spreadsheets_keeps_its_records(tmp_path: Path):
    cells = run(LAYOUTS, tmp_path, formats=["docx", "html", "xlsx", "csv"], sets=[*TASK_SETS, *INDICATOR_SETS])
    assert len(cells) == 4 * len(LAYOUTS) - 2  # prose has no spreadsheet
    _check(cells)


def test_every_layout_copied_from_its_web_page_by_a_browser_keeps_its_records(tmp_path: Path):
    cells = run(LAYOUTS, tmp_path, formats=["txt"], sets=[*TASK_SETS, *INDICATOR_SETS])
    assert len(cells) == len(LAYOUTS)
    _check(cells)


@pytest.mark.libreoffice
def test_a_pdf_printed_by_libreoffice_repeating_title_and_two_header_rows_keeps_rows_broken_over_pages(
    tmp_path: Path,
):
    [(path, expected)] = write_files(["two_row_header"], tmp_path, formats=["pdf"], sets=["sc_suining_2016"]).values()
    [table] = read_pdf(path).tables
    assert {row.where.split("页")[0] for row in table.rows} == {"第1", "第2"}  # one table over two pages
    score = score_file(path, expected)
    assert score.total().share == 1.0, score.misses
    assert (score.tasks_found, score.tasks_matched) == (11, 11)


def test_the_files_are_the_same_each_time_they_are_written(tmp_path: Path):
    first, second = tmp_path / "1", tmp_path / "2"
    first.mkdir()
    second.mkdir()
    for folder in (first, second):
        write_files(["groups", "unit_column"], folder, formats=["docx", "html", "xlsx", "csv"], sets=SOME_SETS)
    names = sorted(p.name for p in first.iterdir())
    assert len(names) == 2 * 4
    assert all((first / name).read_bytes() == (second / name).read_bytes() for name in names)

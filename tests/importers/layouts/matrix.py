"""Write every (layout, record set) in every format, import each file as `wufei import --preview` does
(`read_source`), and score it against its records with the corpus's scorer (bench/fidelity.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.fidelity import CorpusScore, DocumentScore, Expected, score_document
from tests.importers.layouts.formats import (
    FORMATS,
    SHEET_FORMATS,
    Browser,
    write_csv,
    write_docx,
    write_html,
    write_pdfs,
    write_xlsx,
)
from tests.importers.layouts.layouts import LAYOUT_BY_NAME, Layout
from tests.importers.layouts.records import indicator_sets, record_set, task_sets
from wufei.importers.records import ImportError_
from wufei.importers.service import read_source


@dataclass
class Cell:
    """One layout in one format: the documents of every record set it took."""

    layout: str
    format: str
    scores: list[DocumentScore] = field(default_factory=list)

    @property
    def corpus(self) -> CorpusScore:
        return CorpusScore(self.scores)

    @property
    def accuracy(self) -> float | None:
        return self.corpus.total().share


def sets_for(layout: Layout, wanted: Sequence[str] | None = None) -> list[str]:
    names = indicator_sets() if layout.kind == "indicators" else task_sets()
    return [n for n in names if wanted is None or n in wanted]


def formats_for(layout: Layout, wanted: Sequence[str] | None = None) -> list[str]:
    names = [f for f in FORMATS if layout.kind != "prose" or f not in SHEET_FORMATS]
    return [f for f in names if wanted is None or f in wanted]


def write_files(
    layouts: Sequence[str], folder: Path, *, formats: Sequence[str] | None = None, sets: Sequence[str] | None = None
) -> dict[tuple[str, str, str], tuple[Path, Expected]]:
    """(layout, format, record set) -> the written file and the records a person reads in it."""
    out: dict[tuple[str, str, str], tuple[Path, Expected]] = {}
    word_for_pdf: list[tuple[str, str, Path, Expected]] = []
    html_for_text: list[tuple[str, str, Path, Expected]] = []
    for name in layouts:
        layout = LAYOUT_BY_NAME[name]
        for set_name in sets_for(layout, sets):
            records = record_set(set_name)
            if not (records.indicators if layout.kind == "indicators" else records.tasks):
                continue
            page, records_read = layout.build(records)
            stem = f"{name}__{set_name}"
            expected = Expected(
                doc_id=stem,
                file=stem,
                plan={},
                tasks=records_read.get("tasks", []),
                indicators=records_read.get("indicators", []),
            )
            fmts = formats_for(layout, formats)
            if "docx" in fmts or "pdf" in fmts:
                docx_path = write_docx(page, folder / f"{stem}.docx")
                if "docx" in fmts:
                    out[(name, "docx", set_name)] = (docx_path, expected)
                if "pdf" in fmts:
                    word_for_pdf.append((name, set_name, docx_path, expected))
            if "html" in fmts or "txt" in fmts:
                html_path = write_html(page, folder / f"{stem}.html")
                if "html" in fmts:
                    out[(name, "html", set_name)] = (html_path, expected)
                if "txt" in fmts:
                    html_for_text.append((name, set_name, html_path, expected))
            if "xlsx" in fmts:
                out[(name, "xlsx", set_name)] = (write_xlsx(page, folder / f"{stem}.xlsx"), expected)
            if "csv" in fmts:
                out[(name, "csv", set_name)] = (write_csv(page, folder / f"{stem}.csv"), expected)
    if word_for_pdf:
        pdf_dir = folder / "pdf"
        pdf_dir.mkdir(exist_ok=True)
        pdfs = write_pdfs([source for _, _, source, _ in word_for_pdf], pdf_dir)
        for (name, set_name, _, expected), pdf in zip(word_for_pdf, pdfs, strict=True):
            out[(name, "pdf", set_name)] = (pdf, expected)
    if html_for_text:
        with Browser() as browser:
            for name, set_name, html_path, expected in html_for_text:
                text = browser.copy_text(html_path, folder / f"{html_path.stem}.txt")
                out[(name, "txt", set_name)] = (text, expected)
    return out


def score_file(path: Path, expected: Expected) -> DocumentScore:
    try:
        plans = read_source(path).plans
    except ImportError_ as exc:
        return score_document(expected, None, error=str(exc))
    except Exception as exc:  # a reader that crashes refuses the file just the same
        return score_document(expected, None, error=f"crashed: {type(exc).__name__}: {exc}")
    return score_document(expected, plans)


def run(
    layouts: Sequence[str], folder: Path, *, formats: Sequence[str] | None = None, sets: Sequence[str] | None = None
) -> dict[tuple[str, str], Cell]:
    """Layout × format -> its cell of the matrix."""
    files = write_files(layouts, folder, formats=formats, sets=sets)
    cells: dict[tuple[str, str], Cell] = {}
    for (name, fmt, _), (path, expected) in sorted(files.items()):
        cell = cells.setdefault((name, fmt), Cell(name, fmt))
        cell.scores.append(score_file(path, expected))
    return cells

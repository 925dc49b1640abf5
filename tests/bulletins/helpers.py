"""Reading the written documents back as a user's tools would: text, tables, cells."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path


def by_suffix(paths: list[Path], suffix: str) -> Path:
    return next(p for p in paths if p.name.endswith(suffix))


def docx_paragraphs(path: Path) -> list[str]:
    from docx import Document

    return [p.text for p in Document(str(path)).paragraphs]


def docx_tables(path: Path) -> list[list[list[str]]]:
    from docx import Document

    return [[[cell.text for cell in row.cells] for row in table.rows] for table in Document(str(path)).tables]


def docx_text(path: Path) -> str:
    return (
        "\n".join(docx_paragraphs(path))
        + "\n"
        + "\n".join("|".join(row) for table in docx_tables(path) for row in table)
    )


def xlsx_sheets(path: Path) -> dict[str, list[list[object]]]:
    from openpyxl import load_workbook

    book = load_workbook(str(path), read_only=True)
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}


def xlsx_number_formats(path: Path, sheet: str, *, row: int) -> list[str]:
    """The number format of each cell of one row (1-based), as a spreadsheet shows the value."""
    from openpyxl import load_workbook

    book = load_workbook(str(path))
    return [cell.number_format for cell in book[sheet][row]]


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.tables: list[list[list[str]]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script", "title"):
            self._skip += 1
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("style", "script", "title"):
            self._skip -= 1
        if tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None
        elif tag in ("p", "h1", "h2", "h3", "div", "figcaption", "tr"):
            self.parts.append("\n")

    def handle_data(self, data):
        if self._skip:
            return
        self.parts.append(data)
        if self._cell is not None:
            self._cell.append(data)


def html_text(path: Path) -> tuple[str, list[list[list[str]]]]:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    text = re.sub(r"\n\s*\n+", "\n", "".join(parser.parts))
    return text, parser.tables


def md_tables(path: Path) -> list[list[list[str]]]:
    tables, current = [], None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("|"):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
            if all(re.fullmatch(r"-+:?", c) for c in cells):
                continue
            if current is None:
                current = []
                tables.append(current)
            current.append(cells)
        else:
            current = None
    return tables

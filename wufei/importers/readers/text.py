"""Plain text as extracted or copied from a published document (.txt, .md): saved from a web page, copied
from a browser, or printed by `pdftotext -layout` (form feeds between pages)."""

from __future__ import annotations

import re
from pathlib import Path

from wufei.importers.document import Document
from wufei.importers.records import ImportError_
from wufei.importers.text.normalize import with_chinese_stops
from wufei.importers.text.table_lines import page_furniture
from wufei.importers.text.tables import find_tables

# Lines end at a line break only: str.splitlines would also break at a form feed (a page break in
# text from a PDF) and at other separators an editor shows inside a line, shifting every line number.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def read_lines(path: Path) -> list[str]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        lines = _LINE_BREAK.split(text)
        if lines and lines[-1] == "":
            lines.pop()  # the break that ends the last line
        return lines
    raise ImportError_(str(path), "文件编码无法识别（应为 UTF-8 或 GB18030）")


def read_text(path: Path) -> Document:
    # A document typed with English punctuation has its sentences closed by 。 in its tables' cells too (a forum's
    # copy of a table: 做好…规划设置要求.做好…工作.), as its paragraphs have when they are read.
    lines = with_chinese_stops(read_lines(path))
    tables = find_tables(lines)  # form feeds tell it where pages break
    page_breaks = {k for k, line in enumerate(lines) if "\f" in line}
    lines = [line.replace("\f", "") for line in lines]
    if page_breaks:
        # Text from a PDF: page numbers, running heads and footers are no part of the body (their lines are
        # kept empty, so lines keep their numbers).
        for k in page_furniture(lines, page_breaks):
            lines[k] = ""
    return Document(
        path=str(path),
        format="text",
        lines=lines,
        tables=tables,
        doubts=[doubt for table in tables for doubt in table.doubts],
    )

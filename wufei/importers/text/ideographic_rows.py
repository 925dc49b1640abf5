"""A table typed as plain text with ideographic spaces (U+3000, the full-width space a Chinese input method
types) between its columns, one row a line:

    序号　重点任务　责任单位　完成时限
    1　推进秸秆“五化”综合利用　市农业农村局、市发展改革委　2025年11月底前

Read as tab-separated rows: the header line's pieces must read as a header (known words), and the lines
under it with two pieces or more, up to a blank line, are its rows (a row may leave its last cells empty;
one with more pieces than the header, names parted by an ideographic space inside a cell, is kept and
flagged by the rows' reader). An ideographic space at a line's start is indentation, not a column; a run
of them is one separator (typists align columns with several).
"""

from __future__ import annotations

import re

from wufei.importers.headers import is_header_row

MIN_COLUMNS = 3
_SEPARATOR = re.compile("\u3000+")


def ideographic_rows(lines: list[str]) -> list[str]:
    """The lines with every ideographic-space table's rows rewritten with tabs between the cells."""
    out = list(lines)
    i = 0
    while i < len(lines):
        header = _pieces(lines[i])
        if header is None or len(header) < MIN_COLUMNS or not is_header_row(header, minimum=MIN_COLUMNS, strict=True):
            i += 1
            continue
        out[i] = "\t".join(header)
        j = i + 1
        while j < len(lines) and (row := _pieces(lines[j])) is not None and len(row) >= 2:
            out[j] = "\t".join(row)
            j += 1
        i = j
    return out


def _pieces(line: str) -> list[str] | None:
    """The pieces of a line parted by ideographic spaces, or None for a line that is not such a row."""
    text = line.strip(" \u3000\u00a0\f\r")
    if "\t" in line or "\u3000" not in text:
        return None
    return _SEPARATOR.split(text)

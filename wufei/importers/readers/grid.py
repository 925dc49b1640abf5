"""A real table (Word, web page, PDF, spreadsheet) as a `Table`: header found by meaning, title rows above it
kept as the caption, headers repeated on each page dropped, every row labelled the way a person finds it.

Readers fill merged cells from their anchor before they get here (a cell spanning rows or columns is
printed once but belongs to each), except a row that is one cell across the whole width: that is a
heading inside the table (一、制度体系) and keeps its text in the first column only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from wufei.importers.document import GRID, Row, Table
from wufei.importers.headers import column_role, is_header_row
from wufei.importers.text.normalize import normalize_cell
from wufei.importers.text.tables import caption_above

# A header is looked for in the first rows only; rows above it are the table's title.
HEADER_SEARCH_ROWS = 6
_YEAR_LABEL = re.compile(r"^[（(]?\d{4}\s*年?[)）]?$")
# Parts of a period under a merged header cell: 一季度, 上半年, 3月, 第一阶段, 2023年上半年
_PERIOD_LABEL = re.compile(
    r"^(?:\d{4}\s*年)?(?:第?[一二三四1-4]季度|[上下]半年|全年|年中|年底|\d{1,2}月(?:份|底)?"
    r"|[一二三四五六七八九十]{1,2}月(?:份)?|第[一二三四五六七八九十\d]+(?:阶段|季|年度|批))$"
)
_LABEL_MAX = 12  # a sub-header label is short
_SENTENCE = re.compile(r"[。；，,;]")


@dataclass
class GridRow:
    """One row of a real table: the printed text of each grid column ("\\n" where a line broke), None when
    empty; `where` names it (表2第5行); `marked_header` when the format marks it as a header row (Word's
    w:tblHeader, HTML's <th> or <thead>), which helps when its words are not known ones."""

    cells: list[str | None]
    where: str
    marked_header: bool = False


def clean_raw(text: str | None) -> str | None:
    """Cell text as printed, lines trimmed (a space a line breaks at is kept: it may part two names);
    None when nothing is printed."""
    if text is None:
        return None
    lines = [_trim(line) for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines).rstrip() or None


def _trim(line: str) -> str:
    trimmed = line.strip(" \t\u3000\u00a0\r")
    return trimmed + " " if trimmed and line.rstrip("\r") != line.rstrip(" \t\u3000\u00a0\r") else trimmed


def square(rows: list[GridRow]) -> list[GridRow]:
    """Rows padded to one width; columns empty in every row dropped."""
    width = max((len(r.cells) for r in rows), default=0)
    for row in rows:
        row.cells = [clean_raw(c) for c in row.cells] + [None] * (width - len(row.cells))
    keep = [k for k in range(width) if any(r.cells[k] is not None for r in rows)]
    for row in rows:
        row.cells = [row.cells[k] for k in keep]
    return rows


def is_layout_grid(rows: list[GridRow]) -> bool:
    """A box drawn around text (one column or one row), not a table of records."""
    width = max((len(r.cells) for r in rows), default=0)
    return width < 2 or len(rows) < 2


def grid_text(rows: list[GridRow]) -> list[str]:
    """The text of a layout grid as lines, each cell's lines in reading order."""
    lines: list[str] = []
    for row in rows:
        seen: list[str] = []
        for cell in row.cells:
            if cell is not None and (not seen or seen[-1] != cell):
                seen.append(cell)
        for cell in seen:
            lines.extend(line for line in cell.split("\n") if line.strip())
    return lines


def grid_table(
    rows: list[GridRow],
    *,
    line: int,
    where: str,
    lines_above: list[str] | None = None,
    floor: int = 0,
    typed_breaks: bool = True,
) -> Table:
    """The table of a grid whose rows are already squared (see `square`) and not a layout grid.

    `lines_above` are the body lines up to the table's placeholder line (`line`); title lines just above
    it, and below index `floor` (the previous table's placeholder), join the caption. When no row reads as
    a header, the first row is taken as one, so the interpreter can say the header was not understood
    instead of the table vanishing.
    """
    top = _header_index(rows)
    header_at = top if top is not None else _first_row_of_cells(rows)
    header = [normalize_cell(c) or "" for c in rows[header_at].cells]
    header_rows = 1
    if top is not None and header_at + 1 < len(rows):
        upper = _unmerged_upper(rows[header_at], rows[header_at + 1]) or rows[header_at]
        if _is_sub_header(upper, rows[header_at + 1]):
            header = _combine_header(upper, rows[header_at + 1])
            header_rows = 2
    caption = _caption(rows[:header_at])
    if lines_above is not None:
        caption = caption_above(lines_above, len(lines_above) - 1, floor) + caption
    header_texts = [[normalize_cell(c) for c in r.cells] for r in rows[header_at : header_at + header_rows]]
    data: list[Row] = []
    for row in rows[header_at + header_rows :]:
        cells = [normalize_cell(c) for c in row.cells]
        if cells in header_texts or (row.marked_header and data):
            continue  # the header printed again at the top of the next page
        if not any(cells):
            continue
        data.append(Row(cells=cells, line=line, raw=list(row.cells), where=row.where, typed_breaks=typed_breaks))
    return Table(header=header, rows=data, caption=caption, start_line=line, end_line=line, layout=GRID, where=where)


def _header_index(rows: list[GridRow]) -> int | None:
    for k, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if is_header_row(_distinct([normalize_cell(c) for c in row.cells])):
            return k
    marked = [k for k, row in enumerate(rows[:HEADER_SEARCH_ROWS]) if row.marked_header]
    return marked[-1] if marked and marked == list(range(len(marked))) else None


def _first_row_of_cells(rows: list[GridRow]) -> int:
    """Where a table without a header row starts: after its title rows (one text across the table),
    so a table laid out sideways (主要指标 | names … over 目标值 | values …) keeps its first row whole."""
    for k, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if len({c for c in _distinct([normalize_cell(c) for c in row.cells]) if c}) > 1:
            return k
    return 0


def _distinct(cells: list[str | None]) -> list[str | None]:
    """Cells with the copies a merged header cell left in the columns it spans removed."""
    out: list[str | None] = []
    for cell in cells:
        if cell is None or not out or out[-1] != cell:
            out.append(cell)
    return out


def _is_sub_header(top: GridRow, below: GridRow) -> bool:
    """Whether the row under a header finishes it: 目标值 spanning 2025年 | 2030年, 责任单位 over
    牵头单位 | 配合单位, 工作目标 over 一季度 … 四季度 (a merged cell above, header words, years or
    periods below, no data). A row repeating the header's other cells (their merge filled downwards)
    finishes it whatever short labels it puts under the merged cell."""
    upper = [normalize_cell(c) for c in top.cells]
    lower = [normalize_cell(c) for c in below.cells]
    spans = any(a is not None and a == b for a, b in pairwise(upper))
    if not spans:
        return False
    changed = [b for a, b in zip(upper, lower) if b is not None and b != a]
    if not changed:
        return False
    if all(_is_label(b) for b in changed):
        return True
    repeated = sum(1 for a, b in zip(upper, lower) if a is not None and a == b)
    return repeated >= 2 and all(len(b) <= _LABEL_MAX and not _SENTENCE.search(b) for b in changed)


def _unmerged_upper(top: GridRow, below: GridRow) -> GridRow | None:
    """The upper row of a two-row header saved without its merges (CSV: a merged cell's text in its first
    cell only), its merged cells' text put back over the labels under them: 责任单位 | (empty) over
    牵头单位 | 配合单位. None when the rows are not such a header (the lower row holds only labels, and each
    label under an empty cell has the merged cell's first label to its left)."""
    upper = [normalize_cell(c) for c in top.cells]
    lower = [normalize_cell(c) for c in below.cells]
    if not any(a is None and b is not None for a, b in zip(upper, lower)):
        return None
    if not all(_is_label(b) for b in lower if b is not None):
        return None
    filled = list(top.cells)
    anchor: str | None = None
    for k, (a, b) in enumerate(zip(upper, lower)):
        if a is not None:
            anchor = top.cells[k] if b is not None else None
        elif b is not None:
            if anchor is None:
                return None
            filled[k] = anchor
        else:
            anchor = None
    return GridRow(cells=filled, where=top.where, marked_header=top.marked_header)


def _is_label(text: str) -> bool:
    return bool(_YEAR_LABEL.match(text) or _PERIOD_LABEL.match(text)) or column_role(text) is not None


def _combine_header(top: GridRow, below: GridRow) -> list[str]:
    header: list[str] = []
    upper = [normalize_cell(c) for c in top.cells]
    for k, (a, b) in enumerate(zip(upper, (normalize_cell(c) for c in below.cells))):
        if b is None or b == a:
            header.append(a or "")
        elif a is None:
            header.append(b)
        elif _YEAR_LABEL.match(b) or (column_role(b) is None and _spans(upper, k)):
            header.append(f"{a}（{b.strip('（）()')}）")  # 工作目标（一季度）: the part of a merged column
        else:
            header.append(b)  # 牵头单位 under 责任单位: the lower word names the column
    return header


def _spans(cells: list[str | None], k: int) -> bool:
    """Whether the cell at k is one of a merged cell's copies (the same text beside it)."""
    return cells[k] is not None and any(0 <= j < len(cells) and cells[j] == cells[k] for j in (k - 1, k + 1))


def _caption(rows: list[GridRow]) -> list[str]:
    caption: list[str] = []
    for row in rows:
        for text in _distinct([normalize_cell(c) for c in row.cells]):
            if text and text not in caption:
                caption.append(text)
    return caption

"""A web page's table as a text copy of the page keeps it (a search engine's or a reader view's copy), one row a
line, its cells parted by ` | ` and the row padded with bars to the table's width:

    项目名称 | 疫情期间区域病媒防治环境卫生清洁等费用 | ||||
    绩效指标 | 一级指标 | 二级指标 | 三级指标 | 指标值 | |
    产出指标 | 数量指标 | 清扫保洁道路面积 | 1346.0088万平方米 | ||
    清扫保洁道路条数 | 485条 | ||||

The cells a spanning cell covers are left out of the rows below it, as a page's `<tr>` leaves them out: a row with
fewer cells than its header lacks its first cells (the group columns a cell above spans), so its cells are the
header's last ones. A form's side label before the header (绩效指标 spanning every row of the table beside it)
is no column: the rows under it leave it out too. Read as tab-separated rows, lines keeping their numbers; a
Markdown pipe table (its lines opened by `|`, an alignment row under its header) is `pipe_rows`'s.
"""

from __future__ import annotations

import re

from wufei.importers.headers import column_role, is_header_row
from wufei.importers.text.normalize import normalize_cell

# A cell boundary: a bar with a space on at least one side, or a run of padding bars.
_BAR = re.compile(r"\s*\|+\s*")
# Rows a run needs to be a table rather than a line that happens to hold a bar (a site's `繁体 | IPV6` banner).
MIN_ROWS = 3
# Words a header needs besides a side label.
MIN_HEADER_CELLS = 3


def bar_rows(lines: list[str]) -> tuple[list[str], set[int]]:
    """The lines with every bar-parted table's rows rewritten with tabs between the cells, and the indices of
    those rows: each is a whole row, so a line after the last one is no rest of its last cell."""
    out = list(lines)
    whole: set[int] = set()
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and _cells(lines[j]) is not None:
            j += 1
        if j - i >= MIN_ROWS:
            _rewrite(lines, out, i, j)
            whole.update(range(i, j))
        i = max(j, i + 1)
    return out, whole


def _rewrite(lines: list[str], out: list[str], start: int, end: int) -> None:
    width = None
    for k in range(start, end):
        cells = _cells(lines[k]) or []
        if width is None and (header := _header(cells)) is not None:
            cells, width = header, len(header)
        elif width is not None and len(cells) < width:
            cells = [""] * (width - len(cells)) + cells
        out[k] = "\t".join(cells)


def _header(cells: list[str]) -> list[str] | None:
    """The row's header cells if it reads as a table's header, without a side label before them."""
    words = [normalize_cell(cell) or "" for cell in cells]
    if len(words) > MIN_HEADER_CELLS and column_role(words[0], strict=True) is None:
        return cells[1:] if is_header_row(words[1:], strict=True) else None
    return cells if is_header_row(words, strict=True) else None


def _cells(line: str) -> list[str] | None:
    """The cells of a bar-parted row (its padding bars dropped), or None when the line is none."""
    text = line.strip(" \u3000\u00a0\r")
    if not text or text.startswith("|") or "|" not in text:
        return None
    if " |" not in text and "| " not in text:
        return None  # a bar inside a word (a file name, a formula), not between cells
    cells = [cell.strip() for cell in _BAR.split(text)]
    while cells and not cells[-1]:
        cells.pop()
    return cells if cells else None

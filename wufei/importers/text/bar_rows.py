"""A web page's table as a text copy of the page keeps it (a search engine's, a reader view's or a forum's copy), one
row a line, its cells parted by ` | ` (the row padded with bars to the table's width) or by ` , `:

    项目名称 | 疫情期间区域病媒防治环境卫生清洁等费用 | ||||
    绩效指标 | 一级指标 | 二级指标 | 三级指标 | 指标值 | |
    产出指标 | 数量指标 | 清扫保洁道路面积 | 1346.0088万平方米 | ||
    清扫保洁道路条数 | 485条 | ||||

    8 , 市园林局 , 指导、组织、督促本行业开展垃圾分类工作. ,,
    , 监督园林绿化产生单位对绿化垃圾进行分类收集. ,

The cells a spanning cell covers are left out of the rows below it, as a page's `<tr>` leaves them out: a row with
fewer cells than the table lacks its first cells (the group columns a cell above spans, the number and unit of a
row with several duty lines), so its cells are the table's last ones and the first are filled from the row above,
as every reader fills a merged cell from its anchor. A form's side label before the header
(绩效指标 spanning every row of the table beside it) is no column: the rows under it leave it out too. A run of
numbered rows without a header (a copy that starts below it) is a table all the same, its columns read by what
they hold. Read as tab-separated rows, lines keeping their numbers; a Markdown pipe table (its lines opened by
`|`, an alignment row under its header) is `pipe_rows`'s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from wufei.importers.headers import column_role, is_header_row
from wufei.importers.text.normalize import normalize_cell
from wufei.importers.text.table_lines import row_number

# A cell boundary: a bar with a space on at least one side, or a run of padding bars.
_BAR = re.compile(r"\s*\|+\s*")
# A comma between cells has a space on both sides; a comma inside a cell's sentence has none (造成污染的,按照…).
# A run of spaces is tried from its first space only, never given back (\s++): from each of its spaces the search
# read the rest of the run again, quadratic on a space-padded line. The same matches.
_COMMA = re.compile(r"(?<!\s)\s++,+\s+")
_COMMA_END = re.compile(r"(?<!\s)\s*+,+$")
# Rows a run needs to be a table rather than a line that happens to hold a bar (a site's `繁体 | IPV6` banner).
MIN_ROWS = 3
# Words a header needs besides a side label.
MIN_HEADER_CELLS = 3


@dataclass
class PartedRows:
    lines: list[str]
    whole_rows: set[int] = field(default_factory=set)  # each holds a whole row: the line after is no rest of it
    headerless: dict[int, int] = field(default_factory=dict)  # first row of a table without a header: its width


def bar_rows(lines: list[str]) -> PartedRows:
    """The lines with every bar- or comma-parted table's rows rewritten with tabs between the cells."""
    parted = PartedRows(list(lines))
    i = 0
    while i < len(lines):
        j = i
        kind = _kind(lines[i])
        while j < len(lines) and kind is not None and _kind(lines[j]) == kind:
            j += 1
        if j - i >= MIN_ROWS:
            _rewrite(lines, parted, i, j, kind)
        i = max(j, i + 1)
    return parted


def _rewrite(lines: list[str], parted: PartedRows, start: int, end: int, kind: str | None) -> None:
    rows = [_cells(lines[k], kind) for k in range(start, end)]
    header_at = next((k for k, cells in enumerate(rows) if _header(cells) is not None), None)
    if header_at is not None:
        rows[header_at] = _header(rows[header_at]) or []
        _fill_spans(rows, header_at + 1, len(rows[header_at]))
    else:
        numbered = [k for k, cells in enumerate(rows) if len(cells) > 2 and row_number(cells[0]) is not None]
        if _consecutive([row_number(rows[k][0]) for k in numbered]):
            first = numbered[0]
            rows, start = rows[first:], start + first
            parted.headerless[start] = max(len(cells) for cells in rows)
            _fill_spans(rows, 0, parted.headerless[start])
        elif kind == ",":
            return  # commas in a few lines of prose, not a table
    for k, cells in enumerate(rows):
        parted.lines[start + k] = "\t".join(cells)
        parted.whole_rows.add(start + k)


def _fill_spans(rows: list[list[str]], first: int, width: int) -> None:
    """Rows from `first` on with the cells a spanning cell above covers filled from it, as readers fill a merged
    cell from its anchor: a row shorter than the table takes its first cells from the row above."""
    for k in range(first, len(rows)):
        missing = width - len(rows[k])
        if missing > 0:
            above = rows[k - 1] if k > first else [""] * width
            rows[k] = above[:missing] + rows[k]


def _consecutive(numbers: list[int | None]) -> bool:
    """Whether the rows' numbers run on one by one (6, 7, 8 …), at least MIN_ROWS of them."""
    return len(numbers) >= MIN_ROWS and all(
        b is not None and a is not None and b == a + 1 for a, b in pairwise(numbers)
    )


def _header(cells: list[str]) -> list[str] | None:
    """The row's header cells if it reads as a table's header, without a side label before them."""
    words = [normalize_cell(cell) or "" for cell in cells]
    if len(words) > MIN_HEADER_CELLS and column_role(words[0], strict=True) is None:
        return cells[1:] if is_header_row(words[1:], strict=True) else None
    return cells if is_header_row(words, strict=True) else None


def _kind(line: str) -> str | None:
    """Which separator parts the line's cells (`|` or `,`), or None when the line is no such row."""
    text = line.strip(" \u3000\u00a0\r")
    if not text or text.startswith("|"):
        return None
    if "|" in text and (" |" in text or "| " in text):
        return "|"  # a bar inside a word (a file name, a formula) is no boundary
    if _COMMA.search(text) or (text.startswith(", ") and _COMMA_END.search(text)):
        return ","
    return None


def _cells(line: str, kind: str | None) -> list[str]:
    """The cells of a parted row, its padding separators at the end dropped; a row opened by its separator
    lacks its first cell (the line continues the row above: its cells are the last ones)."""
    text = line.strip(" \u3000\u00a0\r")
    if kind == "|":
        cells = [cell.strip() for cell in _BAR.split(text)]
    else:
        text = _COMMA_END.sub("", text.removeprefix(","))
        cells = [cell.strip() for cell in _COMMA.split(text)]
    while cells and not cells[-1]:
        cells.pop()
    while cells and not cells[0]:
        cells.pop(0)
    return cells

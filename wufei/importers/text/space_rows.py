"""A table copied one row per line with its cells parted by single spaces (a web page's table pasted as
text): ``序号 类别 主要任务 牵头单位 参与单位`` over ``1 加强水资源保 护 严守…红线 市水利局 市发改委``.

The header's words are known and each row starts with its number. A cell the page wrapped keeps a space
where it broke (``加强水资源保 护``), so a row has more pieces than the header has columns; two spaces
in a row leave an empty (merged) cell. The pieces are put back into the header's columns the way a
page wraps text: a cell breaks where its line is full, so the piece before a break is at least as long
as the piece after it, and no break follows a full stop, the row's number or the end of a unit's name
before another's. Of all the ways to share the
pieces out, the one needing the fewest unlikely breaks is taken; a row that still needs one is
kept as read and named in the table's doubt.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import pairwise

from wufei.importers.document import SPACED, Row, Table
from wufei.importers.headers import column_role, is_header_row
from wufei.importers.records import Doubt
from wufei.importers.text.normalize import normalize_cell
from wufei.importers.text.table_lines import line_list, next_text_line

MIN_COLUMNS = 4  # fewer single-spaced words are a sentence as often as a header
MAX_HEADER_WORD = 10
_NUMBER = re.compile(r"^\d{1,3}$")
_SENTENCE_END = ("。", "；", ";", "！", "？")
_UNLIKELY = 1
_UNIT_END = ("局", "委", "厅", "办", "府", "会", "中心", "公司", "等")
_UNIT_START = ("市", "省", "区", "县", "各", "州")


def space_header(lines: list[str], i: int) -> list[str] | None:
    """The header words of a single-space table starting at line i, or None."""
    line = lines[i].strip(" \u3000\u00a0")
    if "\t" in line or "  " in line:
        return None
    words = line.split(" ")
    if len(words) < MIN_COLUMNS or any(len(word) > MAX_HEADER_WORD for word in words):
        return None
    if column_role(words[0], strict=True) != "number" or not is_header_row(words, minimum=3, strict=True):
        return None
    j = next_text_line(lines, i + 1)
    if j is None or _row_start(lines[j]) != 1:
        return None
    return words


def read_space_table(lines: list[str], i: int, header: list[str]) -> tuple[Table, int]:
    """The table under the header at line i, and the index of the first line after it."""
    width = len(header)
    rows: list[Row] = []
    uncertain: list[int] = []
    expected = 1
    j = i + 1
    last = i
    while (k := next_text_line(lines, j)) is not None and _row_start(lines[k]) == expected:
        pieces = lines[k].strip(" \u3000\u00a0").split(" ")
        cells, sure = fit_pieces(pieces, width)
        if not sure:
            uncertain.append(k + 1)
        raw: list[str | None] = [cell or None for cell in cells]
        rows.append(Row(cells=[normalize_cell(cell) for cell in cells], line=k + 1, raw=raw))
        expected += 1
        last, j = k, k + 1
    table = Table(header=header, rows=rows, caption=[], start_line=i + 1, end_line=last + 1, layout=SPACED)
    if uncertain:
        table.doubts.append(
            Doubt(
                "table",
                f"{line_list(uncertain)}的单元格以空格分隔，未能确定分列，已按最可能的分法读取，请核对",
                lines[uncertain[0] - 1].strip(),
            )
        )
    return table, last + 1


def fit_pieces(pieces: list[str], width: int) -> tuple[list[str], bool]:
    """The pieces of a row shared out into `width` cells (see the module docstring), and whether the
    sharing needed no unlikely break."""
    if len(pieces) <= width:
        return pieces + [""] * (width - len(pieces)), len(pieces) == width
    cost, cuts = _best(tuple(pieces), width)
    cells, start = [], 0
    for end in cuts:
        cells.append("".join(pieces[start:end]))
        start = end
    return cells, cost == 0


def _best(pieces: tuple[str, ...], width: int) -> tuple[int, list[int]]:
    @cache
    def best(start: int, columns: int) -> tuple[int, tuple[int, ...]]:
        if columns == 1:
            return _group_cost(pieces[start:], first=start == 0), (len(pieces),)
        options = []
        for end in range(start + 1, len(pieces) - columns + 2):
            here = _group_cost(pieces[start:end], first=start == 0)
            if here >= 10**6:
                continue
            rest, cuts = best(end, columns - 1)
            options.append((here + rest, (end, *cuts)))
        return min(options, default=(10**6, ()))

    cost, cuts = best(0, width)
    return cost, list(cuts)


def _group_cost(group: tuple[str, ...], *, first: bool) -> int:
    """How unlikely it is that these pieces are one cell a page wrapped."""
    if len(group) == 1:
        return 0
    if any(not piece for piece in group) or first:
        return 10**6  # an empty cell or the row's number is never part of a wrapped cell
    return sum(_UNLIKELY for a, b in pairwise(group) if _unlikely_break(a, b))


def _unlikely_break(before: str, after: str) -> bool:
    """Whether a page would not have wrapped a cell between these pieces: the line before it was shorter
    than the one after, it ended a sentence, or one unit's name ended and another's begins."""
    names = before.endswith(_UNIT_END) and after.startswith(_UNIT_START)
    return len(before) < len(after) or before.endswith(_SENTENCE_END) or names


def _row_start(line: str) -> int | None:
    first = line.strip(" \u3000\u00a0").split(" ")[0]
    return int(first) if _NUMBER.match(first) and " " in line.strip() else None

"""Tables as `pdftotext -layout` prints them: columns parted by runs of spaces, cells wrapped over lines.

    序号   一级指标   二级指标   三级指标          现状值(2020 年)   目标值(2025 年) …
    1      固体废物   工业源头   一般工业固体废物   0.52             0.51
           源头减量   减量       产生强度★

A column is where its header word stands, and starts where the cells under it start (a header word may
be centred over cells that start further left). pdftotext lays every page out anew, so the columns are
found again on each page: under the header repeated at its top, or near where they stood on the page
before. A row starts at the line where its number stands in the 序号 column (cells print from their
top); every line below it adds to its cells, column by column, until the next number. A line without a
number that fills most columns, all of them already filled above, is a row of its own (a second row
under a merged 序号); in a table without a 序号 column, such a line, or one after a blank line, starts
each row. Page numbers, running heads and footers (`table_lines.page_furniture`) and the header repeated on each
page are dropped, and
a row broken over a page goes on under the repeated header. The table ends at a note (注：), at text that
does not keep to the columns, or at a different header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from wufei.importers.document import SPACED, Row, Table
from wufei.importers.headers import column_role, column_roles, header_key, is_header_row
from wufei.importers.records import Doubt
from wufei.importers.text.normalize import join_lines, normalize_cell
from wufei.importers.text.table_lines import (
    TERMINATOR,
    continues_header,
    is_heading,
    line_list,
    page_furniture,
    row_number,
)

MIN_COLUMNS = 3
# Columns are parted by at least this many spaces; a single space stays inside a cell (0.012 (2021 年)).
_GAP = re.compile(r" {2,}")
# How far (in characters) a cell may stand left of where its column was measured, or run into the next.
TOLERANCE = 2
# How far a column may move from one page to the next.
PAGE_DRIFT = 8
# Lines under a header line that may finish its words (现状值（2020 / 年）).
MAX_HEADER_LINES = 3
# Lines looked at past a line that runs across the columns, for the next row's number.
LOOK_AHEAD = 3
# Columns of short values, which do not wrap: new text in them under a row is a row of its own.
_VALUE_ROLES = {"baseline", "target", "unit", "count"}


@dataclass(frozen=True)
class Chunk:
    start: int
    end: int
    text: str


@dataclass
class SpacedHeader:
    cells: list[str]
    starts: list[int]  # where each header word starts on its line
    ends: list[int]
    end: int  # index of the line after the header


def chunks(line: str) -> list[Chunk]:
    """The pieces of a line parted by runs of spaces, with where they stand."""
    line = line.replace("\t", " ").replace("\u3000", " ")
    return [Chunk(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+(?: \S+)*", line)]


def spaced_header(lines: list[str], i: int) -> SpacedHeader | None:
    """The header of a space-parted table standing on this line (its words finished on the lines below)."""
    line = lines[i]
    if "\t" in line or "  " not in line.strip():
        return None
    pieces = chunks(line)
    if len(pieces) < MIN_COLUMNS:
        return None
    texts = [normalize_cell(p.text) or "" for p in pieces]
    if column_role(texts[0]) is None:
        return None
    header = SpacedHeader(texts, [p.start for p in pieces], [p.end for p in pieces], i + 1)
    _finish_header(lines, header)
    if column_role(header.cells[0]) != "number" and not is_header_row(header.cells):
        return None
    return header


def _finish_header(lines: list[str], header: SpacedHeader) -> None:
    """Join header words broken over the lines below: 现状值（2020 / 年）, 完成 / 时限."""
    for j in range(header.end, min(header.end + MAX_HEADER_LINES, len(lines))):
        pieces = chunks(lines[j])
        if not pieces or "\t" in lines[j] or any(row_number(p.text) is not None for p in pieces):
            return
        columns = [_Grid(header.starts).column(p) for p in pieces]
        texts = [normalize_cell(p.text) or "" for p in pieces]
        if any(k is None for k in columns) or not all(
            continues_header(header.cells[k], text) for k, text in zip(columns, texts) if k is not None
        ):
            return
        for k, text in zip(columns, texts):
            if k is not None:
                header.cells[k] += text
        header.end = j + 1


# ------------------------------------------------------------------ grid


@dataclass
class _Grid:
    """Where each column starts on one page."""

    bounds: list[int]

    def column(self, piece: Chunk) -> int | None:
        """The column a piece keeps to, or None when it runs across the start of the next one."""
        k = 0
        for j, bound in enumerate(self.bounds):
            if bound <= piece.start + TOLERANCE:
                k = j
        following = self.bounds[k + 1] if k + 1 < len(self.bounds) else None
        if following is not None and piece.end > following + TOLERANCE:
            return None
        return k

    def nearest(self, piece: Chunk) -> int:
        return min(range(len(self.bounds)), key=lambda k: abs(self.bounds[k] - piece.start))


def _page_lines(lines: list[str], start: int, page_breaks: set[int]) -> list[list[Chunk]]:
    """The lines from `start` to the end of its page that may be table lines (more than one piece)."""
    end = min((b for b in page_breaks if b > start), default=len(lines))
    table_lines = []
    for j in range(start, end):
        if TERMINATOR.match(lines[j]):
            break
        pieces = chunks(lines[j])
        if len(pieces) > 1:
            table_lines.append(pieces)
    return table_lines


def _cell_starts(table_lines: list[list[Chunk]]) -> tuple[set[int], set[int]]:
    """Positions some cell covers, and positions where a cell starts after free space."""
    covered: set[int] = set()
    for pieces in table_lines:
        for piece in pieces:
            covered.update(range(piece.start, piece.end))
    starts = {x for x in covered if x - 1 not in covered}
    return covered, starts


def _header_grid(lines: list[str], header: SpacedHeader, page_breaks: set[int]) -> _Grid:
    """Columns under a header line: each starts after the last free position before its header word."""
    covered, _ = _cell_starts(_page_lines(lines, header.end, page_breaks))
    bounds = [0]
    for k in range(1, len(header.starts)):
        low, high = header.ends[k - 1], header.starts[k]
        free = [x for x in range(low, high) if x not in covered]
        bounds.append(free[-1] + 1 if free else high)
    return _Grid(bounds)


def _drifted_grid(lines: list[str], top: int, page_breaks: set[int], previous: _Grid) -> _Grid:
    """Columns on a page without a header: each where a cell starts nearest to where it stood before."""
    _, starts = _cell_starts(_page_lines(lines, top, page_breaks))
    bounds = [0]
    for bound in previous.bounds[1:]:
        near = [x for x in starts if abs(x - bound) <= PAGE_DRIFT and x > bounds[-1]]
        bounds.append(min(near, key=lambda x: abs(x - bound)) if near else max(bound, bounds[-1] + 1))
    return _Grid(bounds)


# ------------------------------------------------------------------ rows


@dataclass
class _Row:
    line: int  # 0-based
    parts: list[list[str]]
    heading: bool = False

    def filled(self) -> set[int]:
        return {k for k, parts in enumerate(self.parts) if parts}


@dataclass
class _Reading:
    rows: list[_Row] = field(default_factory=list)
    unnumbered: list[int] = field(default_factory=list)  # 1-based lines of rows without a number
    skipped: list[tuple[int, int, int]] = field(default_factory=list)  # (line, number expected, number found)
    across: list[int] = field(default_factory=list)  # 1-based lines whose text ran across columns
    cut_short: int | None = None  # 1-based line of text in columns that ended the table


def find_spaced_table(lines: list[str], start: int, header: SpacedHeader, page_breaks: set[int]) -> tuple[Table, int]:
    """The table whose header stands at `start`, and the index of the line after it."""
    width = len(header.cells)
    roles = column_roles(header.cells)
    number_column = roles.index("number") if "number" in roles else None
    furniture = page_furniture(lines, page_breaks)
    grid = _header_grid(lines, header, page_breaks)
    reading = _Reading()
    last_text = header.end - 1
    expected = 1
    blank_before = False
    i = header.end
    while i < len(lines):
        line = lines[i]
        if i in page_breaks:
            grid = _drifted_grid(lines, i, page_breaks, grid)
        repeated = spaced_header(lines, i) if line.strip() else None
        if repeated is not None:
            if [header_key(c) for c in repeated.cells] != [header_key(c) for c in header.cells]:
                break  # a different table starts here
            grid = _header_grid(lines, repeated, page_breaks)  # the header repeated at the top of a page
            i = repeated.end
            continue
        if not line.strip() or i in furniture:
            blank_before = True
            i += 1
            continue
        if TERMINATOR.match(line):
            break
        pieces = chunks(line)
        if len(pieces) == 1 and is_heading(line):
            if not _goes_on(lines, i + 1, grid, number_column, expected):
                break  # the body goes on
            reading.rows.append(_Row(i, [[pieces[0].text]] + [[] for _ in range(width - 1)], heading=True))
            last_text, i = i, i + 1
            continue
        placed = [(grid.column(p), p) for p in pieces]
        number = _number(placed, number_column)
        if any(k is None for k, _ in placed):
            if not _goes_on(lines, i + 1, grid, number_column, expected):
                reading.cut_short = i + 1 if len(pieces) > 1 else None
                break  # text across the columns: the table has ended
            reading.across.append(i + 1)
            placed = [(grid.nearest(p) if k is None else k, p) for k, p in placed]
        elif number_column is not None and number is None and any(k == number_column for k, _ in placed):
            reading.cut_short = i + 1 if len(pieces) > 1 else None
            break  # text where only numbers stand: what follows the table
        if number is not None:
            if number != expected:
                reading.skipped.append((i + 1, expected, number))
            expected = number + 1
            reading.rows.append(_Row(i, [[] for _ in range(width)]))
        elif _starts_row(reading, placed, roles, number_column, blank_before):
            reading.rows.append(_Row(i, [[] for _ in range(width)]))
            if number_column is not None:
                reading.unnumbered.append(i + 1)
        elif not reading.rows or reading.rows[-1].heading:
            break  # text under the header, or under a heading, that starts no row
        row = reading.rows[-1]
        for k, piece in placed:
            if k is not None:
                row.parts[k].append(piece.text)
        last_text, blank_before = i, False
        i += 1
    table = Table(
        header=header.cells,
        rows=[_make_row(row, width) for row in reading.rows],
        caption=[],
        start_line=start + 1,
        end_line=last_text + 1,
        layout=SPACED,
    )
    table.doubts = _doubts(reading)
    return table, last_text + 1


def _number(placed: list[tuple[int | None, Chunk]], number_column: int | None) -> int | None:
    if number_column is None:
        return None
    return next((row_number(piece.text) for k, piece in placed if k == number_column), None)


def _starts_row(
    reading: _Reading,
    placed: list[tuple[int | None, Chunk]],
    roles: list[str | None],
    number_column: int | None,
    blank_before: bool,
) -> bool:
    """Whether a line without a number starts a row. It fills most columns, all filled in the row above, and
    values among them (现状值, 目标值, 单位: short, they do not wrap), or, without value columns, all but one
    column. In a table without numbers, the first line and a line after a blank line start rows too."""
    columns = {k for k, _ in placed if k is not None}
    if number_column is None and (blank_before or not reading.rows or reading.rows[-1].heading):
        return True
    if not reading.rows or not columns <= reading.rows[-1].filled():
        return False
    width = len(roles)
    value_columns = {k for k, role in enumerate(roles) if role in _VALUE_ROLES}
    if value_columns:
        return len(columns) >= max(MIN_COLUMNS, (width + 1) // 2) and len(columns & value_columns) >= 2
    return len(columns) >= max(MIN_COLUMNS, width - 1)


def _goes_on(lines: list[str], i: int, grid: _Grid, number_column: int | None, expected: int) -> bool:
    """Whether the next row's number follows within a few lines: then a line running across the columns is
    inside the table (a merged cell, a long word) and is kept."""
    if number_column is None:
        return False
    seen = 0
    while i < len(lines) and seen < LOOK_AHEAD:
        if lines[i].strip():
            seen += 1
            if _number([(grid.column(p), p) for p in chunks(lines[i])], number_column) == expected:
                return True
        i += 1
    return False


def _make_row(row: _Row, width: int) -> Row:
    cells = [normalize_cell(_join(parts)) if parts else None for parts in row.parts[:width]]
    raw = ["\n".join(parts) if parts else None for parts in row.parts[:width]]
    return Row(cells=cells, line=row.line + 1, raw=raw)


def _join(parts: list[str]) -> str:
    """A cell's lines joined: Chinese text wraps anywhere, Latin text only where a space was (GB/T 36132)."""
    text = parts[0]
    for part in parts[1:]:
        latin = text[-1:].isascii() and text[-1:].isalnum() and part[:1].isascii() and part[:1].isalnum()
        text += (" " if latin else "") + part
    return join_lines([text])


# ---------------------------------------------------------------- doubts


def _doubts(reading: _Reading) -> list[Doubt]:
    doubts: list[Doubt] = []
    if reading.unnumbered:
        doubts.append(
            Doubt(
                "table",
                f"{line_list(reading.unnumbered)}没有序号：已作为上一序号下的另一行（序号为合并单元格），请核对",
                None,
            )
        )
    for line, expected, found in reading.skipped:
        doubts.append(
            Doubt("table", f"第{line}行序号从{expected - 1}跳到{found}：其间可能有行缺少序号，请核对", str(found))
        )
    if reading.across:
        doubts.append(
            Doubt("table", f"{line_list(reading.across)}的文字跨过了列的边界：已按位置归入最近的列，请核对", None)
        )
    if reading.cut_short is not None:
        # Text in several columns that is no row: rows may have been printed out of their columns.
        doubts.append(
            Doubt(
                "table",
                f"第{reading.cut_short}行起的文字与表头的列对不上，表格只读到此行之前；其后若还有表格行，"
                "未能读取，请核对",
                None,
            )
        )
    elif not reading.rows:
        doubts.append(Doubt("table", "表头下没有读到任何一行，请核对", None))
    return doubts

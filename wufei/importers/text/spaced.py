"""Tables as `pdftotext -layout` prints them: columns parted by runs of spaces, cells wrapped over lines.

    序号   一级指标   二级指标   三级指标          现状值(2020 年)   目标值(2025 年) …
    1      固体废物   工业源头   一般工业固体废物   0.52             0.51
           源头减量   减量       产生强度★

A column is where its header word stands, and starts where the cells under it start (a header word may
be centred over cells that start further left; header words broken over lines, above or below the
header line, are joined). pdftotext lays every page out anew, so the columns are found again on each
page: under the header repeated at its top, or near where they stood on the page before.

A row starts at the line where its number stands in the 序号 column (cells print from their top);
every line below it adds to its cells, column by column, until the next number. A line without a
number that fills most columns, all of them already filled above, is a row of its own (a second row
under a merged 序号); in a table without a 序号 column, such a line, or one after a blank line, starts
each row. Cells centred in their rows print the number on a row's middle line, with lines of the row
above it: then the rows are cut where their columns come out even around their numbers, and the table
says its rows were reckoned.

Page numbers, running heads and footers (`table_lines.page_furniture`) and the header repeated on each
page are dropped, and a row broken over a page goes on under the repeated header. The table ends at a
note (注：), at text that does not keep to the columns, or at a different header.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Collection
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
# A piece of a line: runs of two or more spaces part columns; a single space stays inside a cell
# (0.012 (2021 年)).
_CHUNK = re.compile(r"\S+(?: \S+)*")
# How far (in characters) a cell may stand left of where its column was measured, or run into the next.
TOLERANCE = 2
# How far a column may move from one page to the next.
PAGE_DRIFT = 8
# Lines a header row may take (现状值（2020 / 年）), and how long a header word is at most.
MAX_HEADER_LINES = 3
MAX_HEADER_WORD = 16
# Lines looked at past a line that runs across the columns, for the next row's number.
LOOK_AHEAD = 3
# Lines a row may print above its number (cells centred in their rows).
MAX_CENTRED_LINES = 30
# Lines by which the columns of a centred row may differ above and below its number before its cut is doubted.
UNEVEN = 3
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
    starts: list[int]  # where each column's header words start
    ends: list[int]
    end: int  # index of the line after the header
    top: int  # index of the header's first line


@dataclass
class _HeaderColumn:
    start: int
    end: int
    above: list[str] = field(default_factory=list)  # words on lines above the header line, top down
    words: list[str] = field(default_factory=list)  # on the header line and below

    def take(self, piece: Chunk, *, above: bool) -> None:
        (self.above.insert(0, piece.text) if above else self.words.append(piece.text))
        self.start, self.end = min(self.start, piece.start), max(self.end, piece.end)

    def text(self) -> str:
        return normalize_cell("".join([*self.above, *self.words])) or ""

    def overlaps(self, piece: Chunk) -> bool:
        return piece.start < self.end + TOLERANCE and self.start < piece.end + TOLERANCE


def chunks(line: str) -> list[Chunk]:
    """The pieces of a line parted by runs of spaces, with where they stand."""
    line = line.replace("\t", " ").replace("\u3000", " ")
    return [Chunk(m.start(), m.end(), m.group()) for m in _CHUNK.finditer(line)]


def spaced_header(lines: list[str], i: int, page_breaks: Collection[int] = ()) -> SpacedHeader | None:
    """The header of a space-parted table whose header line is this one. Header cells broken over lines are
    joined, whether they run on below the line (现状值（2020 / 年）) or, centred in a taller header row, stand
    above and below it with nothing on the line itself."""
    line = lines[i]
    if "\t" in line or "  " not in line.strip():
        return None
    pieces = chunks(line)
    if len(pieces) < MIN_COLUMNS or column_role(normalize_cell(pieces[0].text), strict=True) is None:
        return None
    columns = [_HeaderColumn(p.start, p.end, words=[p.text]) for p in pieces]
    top = i
    while top - 1 >= 0 and i - top < MAX_HEADER_LINES - 1 and top not in page_breaks:
        if not _header_words(lines[top - 1], columns, above=True):
            break
        top -= 1
    end = i + 1
    while end < len(lines) and end - i <= MAX_HEADER_LINES - 1 and end not in page_breaks:
        if not _header_words(lines[end], columns, above=False):
            break
        end += 1
    # Words above the line that started a column of their own and got nothing below are no header's.
    columns = [c for c in columns if c.words or column_role(c.text(), strict=True) is not None]
    cells = [c.text() for c in columns]
    if column_role(cells[0], strict=True) != "number" and not is_header_row([*cells], strict=True):
        return None
    return SpacedHeader(cells, [c.start for c in columns], [c.end for c in columns], end, top)


def _header_words(line: str, columns: list[_HeaderColumn], *, above: bool) -> bool:
    """Take a line next to the header line into its columns, if it holds header words only (short, no row
    number, each finishing a column's words or starting a new column): whether it was taken."""
    pieces = chunks(line)
    if not pieces or "\t" in line or TERMINATOR.match(line):
        return False
    if any(row_number(p.text) is not None or len(p.text) > MAX_HEADER_WORD for p in pieces):
        return False
    placed: list[tuple[_HeaderColumn | None, Chunk]] = []
    for piece in pieces:
        near = [c for c in columns if c.overlaps(piece)]
        if len(near) > 1:
            return False  # a piece across two columns: a title, not header words
        column = near[0] if near else None
        text = normalize_cell(piece.text) or ""
        if column is not None and not above and not continues_header(column.text(), text):
            return False
        if column is None and not above and column_role(text, strict=True) is None and not text.startswith(("（", "(")):
            return False
        placed.append((column, piece))
    for column, piece in placed:
        if column is None:
            column = _HeaderColumn(piece.start, piece.end)
            columns.append(column)
            columns.sort(key=lambda c: c.start)
        column.take(piece, above=above)
    return True


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
    line: int  # 0-based index of its first line
    lines: list[tuple[int, list[tuple[int, str]]]] = field(default_factory=list)  # (line, [(column, text)])
    number_line: int | None = None  # where its number stands
    heading: bool = False
    pending: bool = False  # lines above a number not seen yet (cells centred in their rows)

    def add(self, i: int, placed: list[tuple[int, str]]) -> None:
        self.lines.append((i, placed))

    def filled(self) -> set[int]:
        return {k for _, placed in self.lines for k, _ in placed}

    def parts(self, width: int) -> list[list[str]]:
        parts: list[list[str]] = [[] for _ in range(width)]
        for _, placed in self.lines:
            for k, text in placed:
                parts[k].append(text)
        return parts


@dataclass
class _Reading:
    rows: list[_Row] = field(default_factory=list)
    unnumbered: list[int] = field(default_factory=list)  # 1-based lines of rows without a number
    skipped: list[tuple[int, int, int]] = field(default_factory=list)  # (line, number expected, number found)
    across: list[int] = field(default_factory=list)  # 1-based lines whose text ran across columns
    centred: bool = False  # rows print their number in their middle line, cells centred
    uneven: list[int] = field(default_factory=list)  # 1-based first lines of centred rows cut unsurely
    cut_short: int | None = None  # 1-based line of text in columns that ended the table


def find_spaced_table(lines: list[str], start: int, header: SpacedHeader, page_breaks: set[int]) -> tuple[Table, int]:
    """The table whose header stands at `start`, and the index of the line after it."""
    width = len(header.cells)
    roles = column_roles(header.cells, strict=True)
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
            repeated = _header_at_page_top(lines, i, page_breaks, furniture)
        else:
            repeated = spaced_header(lines, i, page_breaks) if line.strip() else None
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
            reading.rows.append(_Row(i, [(i, [(0, pieces[0].text)])], heading=True))
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
        cells = [(k, p.text) for k, p in placed if k is not None]
        last = reading.rows[-1] if reading.rows else None
        if number is not None:
            if number != expected:
                reading.skipped.append((i + 1, expected, number))
            expected = number + 1
            if last is not None and last.pending:
                last.pending = False  # the lines above belong to this number's row
            else:
                reading.rows.append(_Row(i))
            reading.rows[-1].number_line = i
        elif last is None or last.heading:
            if number_column is None:
                reading.rows.append(_Row(i))
            elif _goes_on(lines, i, grid, number_column, expected, within=MAX_CENTRED_LINES):
                # Lines above the first number: cells centred in their rows, the number in the middle.
                reading.centred = True
                reading.rows.append(_Row(i, pending=True))
            else:
                break  # text under the header, or under a heading, that starts no row
        elif not reading.centred and _starts_row(reading, placed, roles, number_column, blank_before):
            reading.rows.append(_Row(i))
            if number_column is not None:
                reading.unnumbered.append(i + 1)
        reading.rows[-1].add(i, cells)
        last_text, blank_before = i, False
        i += 1
    if reading.centred:
        pages = sorted({0, *page_breaks})
        reading.rows, reading.uneven = _centred_rows(reading.rows, lambda i: bisect_right(pages, i))
    table = Table(
        header=header.cells,
        rows=[_make_row(row, width) for row in reading.rows if row.lines],
        caption=[],
        start_line=header.top + 1,
        end_line=last_text + 1,
        layout=SPACED,
    )
    table.doubts = _doubts(reading)
    return table, last_text + 1


def _header_at_page_top(lines: list[str], top: int, page_breaks: set[int], furniture: set[int]) -> SpacedHeader | None:
    """The header repeated at the top of a page, whose words may stand on lines above its header line."""
    for j in range(top, min(top + MAX_HEADER_LINES + 2, len(lines))):
        header = spaced_header(lines, j, page_breaks) if lines[j].strip() else None
        if header is not None:
            between = range(top, header.top)
            return header if all(not lines[k].strip() or k in furniture for k in between) else None
    return None


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


def _goes_on(
    lines: list[str], i: int, grid: _Grid, number_column: int | None, expected: int, *, within: int = LOOK_AHEAD
) -> bool:
    """Whether the next row's number follows within a few lines: then a line running across the columns is
    inside the table (a merged cell, a long word) and is kept."""
    if number_column is None:
        return False
    seen = 0
    while i < len(lines) and seen < within:
        if lines[i].strip():
            seen += 1
            if _number([(grid.column(p), p) for p in chunks(lines[i])], number_column) == expected:
                return True
        i += 1
    return False


def _centred_rows(rows: list[_Row], page_of: Callable[[int], int]) -> tuple[list[_Row], list[int]]:
    """Rows whose cells are centred, cut again: a row's number stands in its middle line, so each column of
    a row has about as many lines above the number as below it. Between two numbers, the cut is where the
    columns of both rows come out most even (over all cuts, rows taken together). Also the rows that came
    out uneven all the same (1-based first lines): their cut is a guess."""
    cut: list[_Row] = []
    uneven: list[int] = []
    group: list[_Row] = []
    for row in [*rows, _Row(-1, heading=True)]:
        if not row.heading:
            group.append(row)
            continue
        recut = _recut(group, page_of)
        cut += recut
        for new in recut:
            entries = new.lines
            centre = next((k for k, (i, _) in enumerate(entries) if i == new.number_line), None)
            if centre is not None and _unevenness(entries, 0, centre, len(entries), page_of) > UNEVEN:
                uneven.append(new.line + 1)
        group = []
        if row.line >= 0:
            cut.append(row)
    return cut, uneven


def _recut(rows: list[_Row], page_of: Callable[[int], int]) -> list[_Row]:
    entries = [entry for row in rows for entry in row.lines]
    numbers = [k for k, (i, _) in enumerate(entries) if any(i == row.number_line for row in rows)]
    if len(numbers) < 2:
        return rows
    # best[j][c]: the least unevenness of rows 0..j when row j ends before entry c.
    best: list[dict[int, tuple[float, int]]] = []
    for j, centre in enumerate(numbers):
        if j + 1 < len(numbers):
            # The next row starts on its number's page (a row is laid out from the top of a new page).
            following = page_of(entries[numbers[j + 1]][0])
            ends = [e for e in range(centre + 1, numbers[j + 1] + 1) if page_of(entries[e][0]) == following]
        else:
            ends = [len(entries)]
        starts = best[j - 1] if j else {0: (0.0, -1)}
        best.append({})
        for end in ends:
            best[j][end] = min(
                (starts[start][0] + _unevenness(entries, start, centre, end, page_of), start) for start in starts
            )
    bounds = [len(entries)]
    for j in range(len(numbers) - 1, 0, -1):
        bounds.append(best[j][bounds[-1]][1])
    bounds.append(0)
    bounds.reverse()
    recut = []
    for j, number in enumerate(numbers):
        lines = entries[bounds[j] : bounds[j + 1]]
        recut.append(_Row(lines[0][0], lines, number_line=entries[number][0]))
    return recut


def _unevenness(
    entries: list[tuple[int, list[tuple[int, str]]]], start: int, centre: int, end: int, page_of: Callable[[int], int]
) -> float:
    """How far a row's columns are from as many lines above its number (entry `centre`) as below; nothing for
    a row broken over pages (laid out from the top of each part)."""
    above: dict[int, int] = {}
    below: dict[int, int] = {}
    if page_of(entries[end - 1][0]) != page_of(entries[centre][0]):
        return 0.0
    for k in range(start, end):
        if k == centre:
            continue
        side = above if k < centre else below
        for column, _ in entries[k][1]:
            side[column] = side.get(column, 0) + 1
    return sum(abs(above.get(c, 0) - below.get(c, 0)) for c in {*above, *below})


def _make_row(row: _Row, width: int) -> Row:
    parts_of = row.parts(width)
    cells = [normalize_cell(_join(parts)) if parts else None for parts in parts_of]
    raw = ["\n".join(parts) if parts else None for parts in parts_of]
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
    if reading.centred:
        # Where one row ends and the next begins is reckoned, not printed: always say so.
        uneven = f"；{line_list(reading.uneven)}起的行上下不对称，分界尤其可能有误" if reading.uneven else ""
        doubts.append(Doubt("table", f"单元格在行内垂直居中，行与行的分界按序号居中推算{uneven}，请核对各行", None))
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

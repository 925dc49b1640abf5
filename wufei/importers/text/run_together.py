"""A table whose rows a copy ran together on one line, cells parted only by spaces (a forum post or a news
site's repost of a table that lost its borders): ``序号 任务 牵头单位 配合单位 完成时限 1 建成… 市城管局 市发改委、
市住建局 2024年10月底前 2 开展… …``, on one long line or a few.

The header is a run of known header words starting with 序号 (after any caption on its line) and followed by the
first row's number, or standing alone over a line holding rows 1 and 2; each row starts with the next number and
takes the pieces up to the number after it. A row with more pieces than the header has columns is shared out the
way `space_rows.fit_pieces` shares a wrapped row; one it cannot share cleanly is kept as read and named in the
table's doubt. A row number missing or glued to its text (``3建设…``) would leave every later row in the row before
it: the next higher number starts a row again (see `_rows`), and a row still holding far more pieces than columns
is kept as read, not shared out, and flagged as rows merged.

A phone page's copy puts the header's words before every row's cells (序号 1 任务 … 牵头单位 … 序号 2 …): the
labels are the header words found again after 序号 2, each cell the pieces between its label and the next.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from wufei.importers.document import SPACED, Row, Table
from wufei.importers.headers import column_role, is_header_row
from wufei.importers.records import Doubt
from wufei.importers.text.normalize import normalize_cell
from wufei.importers.text.space_rows import MAX_HEADER_WORD, MIN_COLUMNS, fit_pieces
from wufei.importers.text.table_lines import is_blank, line_list, next_text_line

_NUMBER = re.compile(r"^\d{1,5}$")  # a row number: tables of thousands of rows exist
_SPACES = re.compile(r"[ \u3000\u00a0]+")
_SKIP = 3  # a row number lost may be followed by the next two; farther is a number among the words
_MERGED_PIECES = 3  # a row of more than three pieces a column holds rows run into it


def run_together_header(lines: list[str], i: int) -> list[str] | None:
    """The header words on line i when rows follow them on the same line, or None. Words before 序号 are the
    table's caption run on before it (附件：某某分工表 序号 任务 …)."""
    pieces = _pieces(lines[i])
    if "\t" in lines[i] or len(pieces) <= MIN_COLUMNS:
        return None
    start = next((k for k, piece in enumerate(pieces) if column_role(piece, strict=True) == "number"), None)
    if start is None:
        return None
    pieces = pieces[start:]
    width = next((k for k, piece in enumerate(pieces) if piece == "1"), None)
    if width is None:
        # The header alone on its line, the rows run together on the next: 1 … 2 … on one line. A line after
        # that opening with 2 makes it a table one row a line (round 9's), row 1 holding a number among its words.
        width = len(pieces)
        j = next_text_line(lines, i + 1)
        following = _pieces(lines[j]) if j is not None else []
        second = next((k for k, piece in enumerate(following) if piece == "2" and k >= width), None)
        if following[:1] != ["1"] or second is None or len(following) < second + width:
            return None
        after = next_text_line(lines, j + 1) if j is not None else None
        if after is not None and _pieces(lines[after])[:1] == ["2"]:
            return None
    elif len(pieces) < 2 * width:
        return None
    header = pieces[:width]
    if width < MIN_COLUMNS or any(len(word) > MAX_HEADER_WORD for word in header):
        return None
    return header if is_header_row(header, minimum=3, strict=True) else None


def labelled_header(lines: list[str], i: int) -> list[str] | None:
    """The labels of rows run together each with its header's words before its cells (a phone page's copy:
    ``序号 1 任务 建成… 牵头单位 市城管局 配合单位 … 序号 2 任务 …``), from line i, or None."""
    pieces = _pieces(lines[i])
    if "\t" in lines[i]:
        return None
    first = next((k for k in range(len(pieces) - 1) if pieces[k + 1] == "1" and _is_number_label(pieces[k])), None)
    if first is None:
        return None
    label = pieces[first]
    second = next((k for k in range(first + 2, len(pieces) - 1) if pieces[k] == label and pieces[k + 1] == "2"), None)
    if second is None:
        return None
    again = set(pieces[second + 2 :])
    words = [p for p in pieces[first + 2 : second] if p in again and column_role(p, strict=True) is not None]
    header = [label, *dict.fromkeys(words)]
    if len(header) < MIN_COLUMNS - 1 or not is_header_row(header, minimum=3, strict=True):
        return None
    return header


def read_labelled(lines: list[str], i: int, header: list[str]) -> tuple[Table, int]:
    """The rows under their labels from line i on, over the following lines while each opens with the number
    label; and the index of the first line after the table."""
    label, labels = header[0], header[1:]
    pieces = _pieces(lines[i])
    stream = [(i, piece) for piece in pieces[pieces.index(label) :]]
    last, j = i, i + 1
    while (k := next_text_line(lines, j)) is not None and _pieces(lines[k])[:1] == [label]:
        stream += [(k, piece) for piece in _pieces(lines[k])]
        last, j = k, k + 1
    found: list[tuple[int, list[list[str]]]] = []  # each row's line and its cells' pieces
    expected, column = 1, 0
    for n, (line, piece) in enumerate(stream):
        following = stream[n + 1][1] if n + 1 < len(stream) else None
        if piece == label and following == str(expected):
            found.append((line, [[] for _ in header]))
            expected, column = expected + 1, 0
        elif found and column < len(labels) and piece == labels[column]:
            column += 1  # the next label: its cell follows
        elif found:
            found[-1][1][column].append(piece)
    rows = []
    for line, parts in found:
        cells = ["".join(part) for part in parts]
        rows.append(Row(cells=[normalize_cell(cell) for cell in cells], line=line + 1, raw=[c or None for c in cells]))
    table = Table(header=header, rows=rows, caption=[], start_line=i + 1, end_line=last + 1, layout=SPACED)
    return table, last + 1


def _is_number_label(word: str) -> bool:
    return column_role(word, strict=True) == "number"


def read_run_together(lines: list[str], i: int, header: list[str]) -> tuple[Table, int]:
    """The rows after the header on line i, over the following lines while each opens with the next
    row's number; and the index of the first line after the table."""
    width = len(header)
    pieces = _pieces(lines[i])
    start = pieces.index(header[0])
    stream = [(i, piece) for piece in pieces[start + width :]]
    expected = _count_on(1, (piece for _, piece in stream))  # a running count: a file of many lines stays linear
    last, j = i, i + 1
    while j < len(lines) and (is_blank(lines[j]) or _opens_row(_pieces(lines[j]), expected, width)):
        if not is_blank(lines[j]):
            line_pieces = _pieces(lines[j])
            opening = int(line_pieces[0]) if _NUMBER.match(line_pieces[0]) else expected
            stream += [(j, piece) for piece in line_pieces]
            expected = _count_on(max(expected, opening), line_pieces)
            last = j
        j += 1
    rows: list[Row] = []
    uncertain: list[int] = []
    merged: list[int] = []
    cut, skipped = _rows(stream, width)
    for line, row in cut:
        if len(row) > _MERGED_PIECES * width:
            # Far more pieces than cells: rows whose numbers are missing ran into this one. Sharing them out
            # would cost time growing with the cube of the pieces and still be a guess; kept as read.
            cells, sure = _as_read(row, width), False
            merged.append(line + 1)
        else:
            cells, sure = fit_pieces(row, width)
        if not sure:
            uncertain.append(line + 1)
        rows.append(Row(cells=[normalize_cell(cell) for cell in cells], line=line + 1, raw=[c or None for c in cells]))
    table = Table(header=header, rows=rows, caption=[], start_line=i + 1, end_line=last + 1, layout=SPACED)
    if skipped or merged:
        numbers = "、".join(str(number) for number in skipped)
        missing = f"序号{numbers}未单独出现（缺失或与文字连写），" if skipped else ""
        where = line_list(sorted(set(merged or [line + 1 for line, _ in cut])))
        # The table's place goes before the message (表格「…」：); the message names the rows.
        message = f"各行连在一起，{missing}{where}前后几行可能已并为一行读取，请逐行核对并拆分"
        table.doubts.append(Doubt("table", message, lines[(merged or [i + 1])[0] - 1].strip()[:80]))
    elif uncertain:
        where = line_list(sorted(set(uncertain)))
        message = f"各行连在一起、单元格以空格分隔，{where}已按最可能的分法读取，请核对"
        table.doubts.append(Doubt("table", message, lines[uncertain[0] - 1].strip()[:80]))
    return table, last + 1


def _count_on(expected: int, pieces: Iterable[str]) -> int:
    """The next row number expected after these pieces, counting up from `expected`."""
    for piece in pieces:
        if piece == str(expected):
            expected += 1
    return expected


def _opens_row(pieces: list[str], expected: int, width: int) -> bool:
    """Whether a line opens the next row: with its number, a little beyond it (a row number lost), or with it
    glued to a row's worth of text (``3完成… 区生态环境分局 区工信局 2025年全年``)."""
    if not pieces:
        return False
    if _NUMBER.match(pieces[0]):
        return expected <= int(pieces[0]) < expected + _SKIP
    glued = re.match(rf"{expected}(?=[\u4e00-\u9fff])", pieces[0]) is not None
    return glued and len(pieces) >= width - 1


def _rows(stream: list[tuple[int, str]], width: int) -> tuple[list[tuple[int, list[str]]], list[int]]:
    """The stream of pieces cut before each next row number (a number piece once the row has its cells), and
    the row numbers skipped. A row number missing or glued to its text (``3建设…``) would otherwise leave every
    later row in the one before it: once a row has its cells, a number a little beyond the expected one starts
    the next row when the expected one does not follow soon (a number among a row's words is followed by the
    expected one)."""
    rows: list[tuple[int, list[str]]] = []
    skipped: list[int] = []
    expected = 1
    for n, (line, piece) in enumerate(stream):
        full = not rows or len(rows[-1][1]) >= width
        number = int(piece) if _NUMBER.match(piece) else None
        if full and number == expected:
            rows.append((line, [piece]))
            expected += 1
        elif (
            rows
            and full
            and number is not None
            and expected < number < expected + _SKIP
            and all(later != str(expected) for _, later in stream[n + 1 : n + 1 + 2 * width])
        ):
            rows.append((line, [piece]))
            skipped += range(expected, number)
            expected = number + 1
        elif rows:
            rows[-1][1].append(piece)
    return rows, skipped


def _as_read(pieces: list[str], width: int) -> list[str]:
    """A row too long to share out: its number, then its words in the task's cell, its last pieces (owners,
    deadline) in the last cells."""
    tail = width - 2
    return [pieces[0], "".join(pieces[1 : len(pieces) - tail]), *pieces[len(pieces) - tail :]]


def _pieces(line: str) -> list[str]:
    return [piece for piece in _SPACES.split(line.strip(" \u3000\u00a0")) if piece]

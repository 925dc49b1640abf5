"""A table whose header and rows a copy ran together on one line, cells parted only by spaces, without 序号 and
without row numbers (a forum post of a 职责清单):
``工作任务和内容 责任单位 配合单位 完成时间 负责…宣传. 县委宣传部 持续开展 负责…考核. 县委县政府 督查室 持续开展 …``.

With no number to cut the rows, the task cell does: it is the first column, a sentence closed by its full stop, and
the short pieces after it, up to the next sentence, are the row's other cells. Those are owner columns and a
deadline column last; the deadline cell starts at the first piece that opens with a date or a period
(``7月底前制定 扬尘治理方案``: the page wrapped it) and the owner pieces before it are names, a piece that cannot
stand alone as one (``县交通 运输局``, ``县委县政府 督查室``: a name opened by its level, then one without) being the
wrapped end of the name before it. Which owner column a name was in is lost with the empty cells, so the first
name goes to the first owner column and the rest to the next; the table says so in a doubt.
"""

from __future__ import annotations

import re

from wufei.departments.owners import looks_like_unit
from wufei.importers.document import SPACED, Row, Table
from wufei.importers.headers import column_roles, is_header_row
from wufei.importers.records import Doubt
from wufei.importers.text.column_content import looks_like_deadline
from wufei.importers.text.normalize import normalize_cell
from wufei.importers.text.space_rows import MAX_HEADER_WORD, MIN_COLUMNS
from wufei.importers.text.table_lines import is_blank

_SPACES = re.compile(r"[ \u3000\u00a0]+")
_STOPS = ("。", ".", "；", ";", "！", "？")
_SENTENCE_MARKS = re.compile(r"[，,。；;：:]")
_CELL_PIECE_MAX = 20  # an owner's or a deadline's piece; a longer one, or one with a comma, is a task's sentence
_DATE_OPENING = re.compile(r"^(?:\d{4}年)?(?:\d{1,2}月(?:底|末|中旬|上旬|下旬)?|\d{4}年(?:底|内)?)前?")
_OWNER_ROLES = {"owners", "lead", "supporting", "implementers"}
_LEVELS = ("省", "市", "区", "县", "州", "旗", "镇", "乡", "各")
_MIN_ROWS = 2
_MAX_COLUMNS = 8  # a task, owner columns and a deadline: a longer run of short words is no such header


def unnumbered_header(lines: list[str], i: int) -> tuple[list[str], int] | None:
    """The header words on line i and the index of the first piece after them, when a table without row numbers
    runs on after them, or None. Words before the header are the table's caption (附件 某某职责清单)."""
    if "\t" in lines[i]:
        return None
    pieces = line_pieces(lines[i])
    if not any(column_roles([piece], strict=True)[0] in _OWNER_ROLES for piece in pieces):
        return None
    for start in range(len(pieces)):
        end = start
        while (
            end < len(pieces)
            and end - start < _MAX_COLUMNS
            and len(pieces[end]) <= MAX_HEADER_WORD
            and not pieces[end].endswith(_STOPS)
        ):
            end += 1
        # The header is the longest run of short words from here that reads as one; a task's sentence follows it.
        for stop in range(end, start + MIN_COLUMNS - 1, -1):
            header = pieces[start:stop]
            if _is_task_header(header):
                return header, stop
    return None


def read_unnumbered(lines: list[str], i: int, header: list[str], first: int) -> tuple[Table, int] | None:
    """The rows after the header on line i, over the text lines that follow while they hold pieces of rows; and
    the index of the first line after the table. None when the pieces do not make rows of this shape."""
    stream = [(i, piece) for piece in line_pieces(lines[i])[first:]]
    last, j = i, i + 1
    while j < len(lines) and (is_blank(lines[j]) or len(line_pieces(lines[j])) >= 2 or not _closed(stream)):
        if not is_blank(lines[j]):
            stream += [(j, piece) for piece in line_pieces(lines[j])]
            last = j
        j += 1
    cut = _rows(stream)
    if len(cut) < _MIN_ROWS or not all(task[-1].endswith(_STOPS) and rest for _, task, rest in cut):
        return None
    roles = column_roles(header[1:], strict=True)
    owner_columns = [k + 1 for k, role in enumerate(roles) if role in _OWNER_ROLES]
    deadline_column = len(header) - 1 if roles[-1] == "deadline" else None
    rows: list[Row] = []
    for line, task, rest in cut:
        owners, deadline = _split_deadline(rest) if deadline_column is not None else (rest, [])
        names = _names(owners)
        if not names or not all(looks_like_unit(name) for name in names):
            return None
        # 组织安全生产检查. : an ASCII full stop closing the task is its 。, no part of its name.
        sentence = "".join(task)
        cells = [sentence[:-1] + "。" if sentence.endswith(".") else sentence, *[""] * (len(header) - 1)]
        for column, name in zip(owner_columns, names):
            cells[column] = name
        if len(names) > len(owner_columns):
            cells[owner_columns[-1]] = "、".join(names[len(owner_columns) - 1 :])
        if deadline_column is not None:
            cells[deadline_column] = "".join(deadline)
        raw: list[str | None] = [cell or None for cell in cells]
        rows.append(Row(cells=[normalize_cell(cell) for cell in cells], line=line + 1, raw=raw))
    table = Table(header=header, rows=rows, caption=[], start_line=i + 1, end_line=last + 1, layout=SPACED)
    # The table's name (第1行的表格, or its title) is put before the message where the table's doubts are named.
    message = "各行连在一起、没有序号，已按句号分行、按单位名称和完成时限分列读取，请逐行核对"
    table.doubts.append(Doubt("table", message, lines[i].strip()[:80]))
    return table, last + 1


def _is_task_header(header: list[str]) -> bool:
    """A header whose first column holds the task (no 序号 before it) and whose others are owner columns and, last,
    a deadline column: the only columns a row's short pieces after its sentence can fill."""
    if len(header) < MIN_COLUMNS - 1 or not is_header_row(header, minimum=3, strict=True):
        return False
    first, *others = column_roles(header, strict=True)
    if first not in (None, "task", "task_name", "content") or not others:
        return False
    owners = [role for role in others if role in _OWNER_ROLES]
    tail = others[:-1] if others[-1] == "deadline" else others
    return bool(owners) and all(role in _OWNER_ROLES for role in tail)


def _rows(stream: list[tuple[int, str]]) -> list[tuple[int, list[str], list[str]]]:
    """Each row's line, its task's pieces (up to the one closing the sentence) and the short pieces after it."""
    rows: list[tuple[int, list[str], list[str]]] = []
    for line, piece in stream:
        if rows and not rows[-1][1][-1].endswith(_STOPS):
            rows[-1][1].append(piece)  # the task's sentence goes on to its full stop
        elif rows and _is_cell_piece(piece):
            rows[-1][2].append(piece)
        else:
            rows.append((line, [piece], []))
    return rows


def _closed(stream: list[tuple[int, str]]) -> bool:
    return not stream or stream[-1][1].endswith(_STOPS) or _is_cell_piece(stream[-1][1])


def _is_cell_piece(piece: str) -> bool:
    return len(piece) <= _CELL_PIECE_MAX and not _SENTENCE_MARKS.search(piece) and not piece.endswith(_STOPS)


def _split_deadline(pieces: list[str]) -> tuple[list[str], list[str]]:
    """The owner pieces and the deadline's: the deadline opens at the first piece opening with a date or period."""
    for k, piece in enumerate(pieces):
        opening = _DATE_OPENING.match(piece)
        if looks_like_deadline(piece) or (opening and opening.group() and looks_like_deadline(opening.group())):
            return pieces[:k], pieces[k:]
    return pieces, []


def _names(pieces: list[str]) -> list[str]:
    """Owner pieces as names, a piece that ends no name, or that lacks the level the name before it opened with,
    joined to its neighbour as the page wrapped it."""
    names: list[str] = []
    for piece in pieces:
        wrapped = names and names[-1].startswith(_LEVELS) and not piece.startswith(_LEVELS)
        if names and (wrapped or not looks_like_unit(names[-1])):
            names[-1] += piece
        else:
            names.append(piece)
    return names


def line_pieces(line: str) -> list[str]:
    """A line's pieces between its spaces, as the header and rows are cut (not at an em space inside a piece)."""
    return [piece for piece in _SPACES.split(line.strip(" \u3000\u00a0")) if piece]

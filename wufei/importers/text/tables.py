"""Find tables in text extracted from published documents.

Two flattened layouts are recognised, from the text itself:

* cells on their own lines: every cell is a line starting with a TAB (sometimes
  a space then a TAB); a line without a tab continues the cell above; a bare TAB
  is an empty (merged) cell; blank lines usually separate rows but also occur
  inside rows, so cells are grouped into rows by the header's column count;
* tab-separated rows: one row per line, cells split by TAB.

In both, a header is a run of cells starting with 序号. A header repeated at a
page break continues the table it repeats.
"""

from __future__ import annotations

import re

from wufei.importers.document import CELLS, ROWS, Row, Table
from wufei.importers.text.normalize import join_lines, normalize_cell

NUMBER_HEADER = "序号"
MAX_CAPTION_LINES = 3
# A caption line is a title, not a paragraph of body text.
MAX_CAPTION_CHARS = 60

_INTEGER = re.compile(r"^\d+$")
# Text that closes a table even when it touches the last cell: a note, the next attachment.
_TERMINATOR = re.compile(r"^\s*(注\s*[:：]|附件\s*\d*\s*$|附表\s*\d*\s*$)")
_ATTACHMENT_LABEL = re.compile(r"^\s*(附件|附表)\s*\d*\s*[:：]?\s*$")
_PAGE_NUMBER = re.compile(r"^\s*([-—–－]\s*\d+\s*[-—–－]|第\s*\d+\s*页(\s*[/，,]?\s*共\s*\d+\s*页)?)\s*$")


def find_tables(lines: list[str]) -> list[Table]:
    """Every table in a document's lines (index 0 is line 1)."""
    lines = [line.rstrip("\r\n") for line in lines]
    tables: list[Table] = []
    i = 0
    previous_end = 0  # index just past the previous table
    while i < len(lines):
        if _row_header(lines[i]) is not None:
            table, i_next = _parse_rows_table(lines, i)
        elif _cell_header(lines, i) is not None:
            table, i_next = _parse_cells_table(lines, i)
        else:
            i += 1
            continue
        table.caption = caption_above(lines, i, previous_end)
        tables.append(table)
        previous_end = i_next
        i = i_next
    return tables


# ---------------------------------------------------------------- line kinds


def _cell_text(line: str) -> str | None:
    """The text of a one-cell line (after its leading tab), or None if the line is not a cell."""
    stripped = line.lstrip(" \u3000\u00a0")
    if not stripped.startswith("\t"):
        return None
    return stripped[1:]


def is_blank(line: str) -> bool:
    """A line with nothing on it; unlike normalize.is_blank, a lone TAB is an empty cell, not a blank."""
    return not line.strip(" \u3000\u00a0")


def _is_page_number(line: str) -> bool:
    return bool(_PAGE_NUMBER.match(line))


def _next_text_line(lines: list[str], i: int) -> int | None:
    """Index of the first non-blank, non-page-number line at or after i."""
    while i < len(lines):
        if not is_blank(lines[i]) and not _is_page_number(lines[i]):
            return i
        i += 1
    return None


def _normalize(parts: list[str]) -> str | None:
    return normalize_cell(join_lines(parts))


# ------------------------------------------------------- tab-separated rows


def _split_row(line: str) -> list[str]:
    return line.split("\t")


def _row_header(line: str) -> list[str] | None:
    """The header of a tab-separated table if this line is one."""
    if "\t" not in line or _cell_text(line) is not None:
        return None
    cells = [normalize_cell(c) or "" for c in _split_row(line)]
    while cells and not cells[-1]:
        cells.pop()
    if len(cells) < 3 or cells[0] != NUMBER_HEADER:
        return None
    return cells


def _parse_rows_table(lines: list[str], start: int) -> tuple[Table, int]:
    header = _row_header(lines[start]) or []
    width = len(header)
    rows: list[Row] = []
    raw_rows: list[list[list[str]]] = []  # cell parts per row, to join continuation lines
    row_lines: list[int] = []
    last_text = start
    blank_before = False
    i = start + 1
    while i < len(lines):
        line = lines[i]
        if is_blank(line) or _is_page_number(line):
            blank_before = True
            i += 1
            continue
        if "\t" in line:
            repeated = _row_header(line)
            if repeated is not None:
                if repeated != header:
                    break  # a different table starts here
                i += 1  # the header repeated at a page break
                last_text = i - 1
                blank_before = False
                continue
            cells = _fit(_split_row(line), width)
            if any(c.strip() for c in cells):
                raw_rows.append([[c] for c in cells])
                row_lines.append(i + 1)
            last_text = i
            blank_before = False
            i += 1
            continue
        # A line without tabs right under a row is the rest of that row's last cell;
        # after a blank line it is the text that follows the table.
        if blank_before or not raw_rows or _TERMINATOR.match(line):
            break
        last_filled = max((k for k, parts in enumerate(raw_rows[-1]) if "".join(parts).strip()), default=width - 1)
        raw_rows[-1][last_filled].append(line)
        last_text = i
        i += 1
    for parts_row, line_no in zip(raw_rows, row_lines):
        rows.append(_make_row(parts_row, line_no, width))
    table = Table(header=header, rows=rows, caption=[], start_line=start + 1, end_line=last_text + 1, layout=ROWS)
    return table, last_text + 1


def _fit(cells: list[str], width: int) -> list[str]:
    """Pad a short row; fold cells beyond the header into the last column."""
    while len(cells) > width and not cells[-1].strip():
        cells = cells[:-1]
    if len(cells) > width:
        cells = [*cells[: width - 1], " ".join(c for c in cells[width - 1 :] if c.strip())]
    return cells + [""] * (width - len(cells))


def _make_row(parts_row: list[list[str]], line_no: int, width: int) -> Row:
    cells: list[str | None] = [_normalize(parts) for parts in parts_row]
    raw: list[str | None] = ["\n".join(parts) if "".join(parts).strip() else None for parts in parts_row]
    cells += [None] * (width - len(cells))
    raw += [None] * (width - len(raw))
    return Row(cells=cells, line=line_no, raw=raw)


# ------------------------------------------------------ one cell per line


def _cell_header(lines: list[str], start: int) -> tuple[list[str], int] | None:
    """The header of a one-cell-per-line table starting at this line, and the index after it.

    The header runs from the 序号 cell to the first blank line, non-cell line
    that is not a continuation, or integer cell (a first row without a blank line above).
    """
    text = _cell_text(lines[start])
    if text is None or normalize_cell(text) != NUMBER_HEADER:
        return None
    parts: list[list[str]] = [[text]]
    i = start + 1
    while i < len(lines):
        line = lines[i]
        if is_blank(line):
            break
        text = _cell_text(line)
        if text is None:
            if _TERMINATOR.match(line):
                break
            parts[-1].append(line)  # a header cell broken over lines: 现状值 / （2020年）
        else:
            if _INTEGER.match(normalize_cell(text) or ""):
                break
            parts.append([text])
        i += 1
    header = [_normalize(p) or "" for p in parts]
    if len(header) < 3:
        return None
    return header, i


def _parse_cells_table(lines: list[str], start: int) -> tuple[Table, int]:
    header, i = _cell_header(lines, start) or ([], start + 1)
    width = len(header)
    cells: list[tuple[int, list[str]]] = []  # (line index, parts) of every cell in order
    last_text = i - 1
    blank_before = False
    while i < len(lines):
        line = lines[i]
        if is_blank(line) or _is_page_number(line):
            blank_before = True
            i += 1
            continue
        text = _cell_text(line)
        if text is not None:
            repeated = _cell_header(lines, i)
            if repeated is not None:
                if repeated[0] != header:
                    break  # a different table starts here
                i = repeated[1]  # the header repeated at a page break
                last_text = i - 1
                blank_before = False
                continue
            cells.append((i, [text]))
            last_text = i
            blank_before = False
            i += 1
            continue
        if not cells or _TERMINATOR.match(line):
            break
        # A line without a tab continues the last cell when it touches it, or, after
        # blank lines, when the table goes on with more cells (blank lines also fall
        # inside rows: 99.1 / blank / （2021年）). Otherwise the table has ended.
        if blank_before and not _table_goes_on(lines, i + 1):
            break
        cells[-1][1].append(line)
        last_text = i
        blank_before = False
        i += 1
    rows = _group_cells(cells, width)
    table = Table(header=header, rows=rows, caption=[], start_line=start + 1, end_line=last_text + 1, layout=CELLS)
    return table, last_text + 1


def _table_goes_on(lines: list[str], i: int) -> bool:
    """Whether the next text line is a data cell of the same table."""
    j = _next_text_line(lines, i)
    if j is None:
        return False
    text = _cell_text(lines[j])
    return text is not None and _cell_header(lines, j) is None


def _group_cells(cells: list[tuple[int, list[str]]], width: int) -> list[Row]:
    """Cut the cell sequence into rows of the header's width."""
    rows: list[Row] = []
    for k in range(0, len(cells), width):
        chunk = cells[k : k + width]
        row = _make_row([parts for _, parts in chunk], chunk[0][0] + 1, width)
        if any(c is not None for c in row.cells):
            rows.append(row)
    return rows


# ------------------------------------------------------------------ captions


def caption_above(lines: list[str], start: int, floor: int) -> list[str]:
    """Up to three title lines just above a header (index `start`), not above index `floor`, stopping at body
    text or an 附件 label."""
    caption: list[str] = []
    i = start - 1
    while i >= floor and len(caption) < MAX_CAPTION_LINES:
        line = lines[i]
        i -= 1
        if is_blank(line) or _is_page_number(line):
            continue
        text = normalize_cell(line)
        if text is None or "\t" in line or text.startswith("注") or len(text) > MAX_CAPTION_CHARS:
            break
        caption.append(text)
        if _ATTACHMENT_LABEL.match(line):
            break
    caption.reverse()
    return caption

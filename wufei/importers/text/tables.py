"""Find tables in text extracted from published documents or copied from a web page.

Four flattened layouts are recognised, from the text itself:

* tab-separated rows: one row per line, cells split by TAB;
* cells on their own lines, each after a TAB (sometimes a space then a TAB): a line
  without a tab continues the cell above; a bare TAB is an empty (merged) cell; blank
  lines usually separate rows but also occur inside rows, so cells are grouped into rows
  by the header's column count;
* cells on their own lines without the tab (a page copied from a browser): rows are cut
  by the header's width and the shape of the data (see `cell_rows`);
* columns parted by runs of spaces, as `pdftotext -layout` prints a table (see `spaced`);
* columns parted by ideographic spaces, as a table is typed (read as tab-separated, see `ideographic_rows`).

A header is a run of cells most of which are known header words (`headers.yaml`), wherever
序号 stands or whether it is there at all; a header cell broken over lines (现状值 /
（2020年）) is joined. A header repeated at a page break continues the table it repeats. Tab-separated
rows numbered from 1 under a line of short words nobody knows take that line as their header too: the
table reader then reads the columns by what they hold.
Rows that cannot be cut cleanly are kept as read and reported as the table's doubts.
"""

from __future__ import annotations

import re

from wufei.importers.document import CELLS, ROWS, Row, Table
from wufei.importers.headers import column_role, column_roles, header_key, is_header_row
from wufei.importers.records import Doubt
from wufei.importers.text.bar_rows import bar_rows
from wufei.importers.text.cell_rows import Grouping, Piece, group_cells
from wufei.importers.text.ideographic_rows import ideographic_rows
from wufei.importers.text.normalize import join_lines, normalize_cell
from wufei.importers.text.pipe_rows import pipe_rows
from wufei.importers.text.run_together import (
    labelled_header,
    read_labelled,
    read_run_together,
    run_together_header,
)
from wufei.importers.text.space_rows import read_space_table, space_header
from wufei.importers.text.spaced import chunks, find_spaced_table, spaced_header
from wufei.importers.text.table_lines import (
    ATTACHMENT_LABEL,
    HEADING_MAX_CHARS,
    TERMINATOR,
    continues_header,
    is_blank,
    is_heading,
    is_page_number,
    line_list,
    next_text_line,
    row_number,
)
from wufei.importers.text.unnumbered_rows import read_unnumbered, unnumbered_header

MAX_CAPTION_LINES = 3
# A caption line is a title, not a paragraph of body text.
MAX_CAPTION_CHARS = 60
# Header words are short: 现状值（2020年）, 数据来源部门.
MAX_HEADER_CELL_CHARS = 16
MIN_HEADER_CELLS = 3
_NUMBERED_WORD = re.compile(r"[一二三四五六七八九十]+|\d+")
# Words of a header cell spanning a series of columns below it (目标值 over 2024年 2025年).
_GROUP_WORDS = ("目标", "进度", "计划", "安排", "节点", "分解")
# Known words a header of bare lines (no tabs) needs, unless it starts with 序号 right above the first row.
BARE_HEADER_MINIMUM = 3
# Of the gaps between a table's lines, the share with a blank line for a copy that puts one after every line.
DOUBLE_SPACED_SHARE = 0.9
# Roles of columns before 序号 that name groups of rows rather than a row's own cells.
GROUP_ROLES = ("level1", "level2", "category", "task_name")


def find_tables(lines: list[str]) -> list[Table]:
    """Every table in a document's lines (index 0 is line 1). A form feed (a page break in text from a PDF)
    may start a line."""
    parted = bar_rows(pipe_rows([line.rstrip("\r\n") for line in lines]))
    whole_rows = parted.whole_rows
    lines = ideographic_rows(parted.lines)
    page_breaks = {k for k, line in enumerate(lines) if "\f" in line}
    lines = [line.replace("\f", "") for line in lines]
    tables: list[Table] = []
    i = 0
    previous_end = 0  # index just past the previous table
    while i < len(lines):
        if i in parted.headerless:
            # Numbered rows a copy kept without their header: read by what their columns hold.
            width = parted.headerless[i]
            table, i_next = _parse_rows_table(lines, i, [""] * width, whole_rows=whole_rows, headerless=True)
        elif _row_header(lines[i]) is not None:
            table, i_next = _parse_rows_table(lines, i, whole_rows=whole_rows)
        elif (unknown := _unknown_row_header(lines, i)) is not None:
            table, i_next = _parse_rows_table(lines, i, unknown, whole_rows=whole_rows)
        elif _cell_header(lines, i) is not None:
            table, i_next = _parse_cells_table(lines, i)
        elif (labels := labelled_header(lines, i)) is not None:
            table, i_next = read_labelled(lines, i, labels)
        elif (run_on := run_together_header(lines, i)) is not None:
            table, i_next = read_run_together(lines, i, run_on)
        elif (words := space_header(lines, i)) is not None:
            table, i_next = read_space_table(lines, i, words)
        elif (spaced := spaced_header(lines, i, page_breaks)) is not None:
            table, i_next = find_spaced_table(lines, i, spaced, page_breaks)
        elif (bare := _bare_header(lines, i)) is not None and (parsed := _parse_bare_table(lines, i, bare)):
            table, i_next = parsed
        elif (unnumbered := unnumbered_header(lines, i)) is not None and (
            read := read_unnumbered(lines, i, *unnumbered)
        ):
            table, i_next = read
        else:
            i += 1
            continue
        header_top = table.start_line - 1
        table.caption = caption_above(lines, header_top, previous_end)
        table.doubts = [_named(doubt, table) for doubt in table.doubts]
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


def _normalize(parts: list[str]) -> str | None:
    return normalize_cell(join_lines(parts))


def _header_prefix(cells: list[str], *, complete: bool, minimum: int = 2) -> tuple[list[str], int] | None:
    """The header among a run of cells, and how many of the cells it takes: all of them when the first row's
    number follows the run (`complete`), otherwise up to the last known header word, so the first cells of
    a row without a number are not taken for header words. A run starting with 序号 and followed by the
    first row's number is a header whatever its other words; any other needs `minimum` known words and
    most of its words known. None when it does not read as a header."""
    if not cells or column_role(cells[0], strict=True) is None:
        return None
    used = len(cells)
    if not complete:
        used = max(k for k, cell in enumerate(cells) if column_role(cell, strict=True) is not None) + 1
    header = _nest_series(cells[:used])
    if len(header) < MIN_HEADER_CELLS:
        return None
    if not (complete and column_role(header[0], strict=True) == "number") and not is_header_row(
        [*header], minimum=minimum, strict=True
    ):
        return None
    return header, used


def _nest_series(cells: list[str]) -> list[str]:
    """A two-row header flattened into one run puts the words of its second row last: 工作绩效目标 … 一季度
    二季度 三季度 四季度. A series at the end (words alike but for a number) goes under the one word of the
    first row that names a group of columns (目标, 进度, 计划 …): 工作绩效目标（一季度）…; lead and supporting
    words last go in place of the one owners word of the first row (责任单位 over 牵头单位 | 配合单位)."""
    roles = [column_role(cell, strict=True) for cell in cells]
    parts = 0
    while parts < len(cells) - 1 and roles[-1 - parts] in ("lead", "supporting"):
        parts += 1
    owners = [k for k in range(len(cells) - parts) if roles[k] == "owners"]
    if parts >= 2 and len(owners) == 1:
        k = owners[0]
        return [*cells[:k], *cells[len(cells) - parts :], *cells[k + 1 : len(cells) - parts]]
    series = 0
    while series < len(cells) - 1 and _series_key(cells[-1 - series]) == _series_key(cells[-1]):
        series += 1
    if series < 2 or column_role(cells[-1], strict=True) is not None or _series_key(cells[-1]) == cells[-1]:
        return cells
    top = cells[: len(cells) - series]
    spanning = [k for k, cell in enumerate(top) if k and any(word in cell for word in _GROUP_WORDS)]
    if len(spanning) != 1:
        return cells
    k = spanning[0]
    return [*top[:k], *(f"{top[k]}（{sub}）" for sub in cells[len(top) :]), *top[k + 1 :]]


def _series_key(text: str) -> str:
    return _NUMBERED_WORD.sub("#", text)


def _starts_rows(lines: list[str], i: int) -> bool:
    """Whether the next text line at or after i is a row's number (after its tab, if any); headings of groups
    of rows (一、…) may stand before it."""
    j = next_text_line(lines, i)
    while j is not None and is_heading(lines[j]):
        j = next_text_line(lines, j + 1)
    if j is None:
        return False
    text = _cell_text(lines[j])
    return row_number(lines[j] if text is None else text) is not None


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
    if len(cells) < MIN_HEADER_CELLS or column_role(cells[0], strict=True) is None:
        return None
    if column_role(cells[0], strict=True) != "number" and not is_header_row(list(cells), strict=True):
        return None
    return cells


def _unknown_row_header(lines: list[str], i: int) -> list[str] | None:
    """A tab-separated line of short words nobody knows heading numbered tab-separated rows of its width
    (编次 / 工作事宜 / 主抓 …, then 1 / … / …): a header all the same, for the table reader to read its
    columns by what they hold."""
    if "\t" not in lines[i] or _cell_text(lines[i]) is not None:
        return None
    cells = [normalize_cell(c) or "" for c in _split_row(lines[i])]
    while cells and not cells[-1]:
        cells.pop()
    if len(cells) < MIN_HEADER_CELLS or any(len(c) > MAX_HEADER_CELL_CHARS or row_number(c) is not None for c in cells):
        return None
    j = next_text_line(lines, i + 1)
    if j is None or "\t" not in lines[j]:
        return None
    first = [normalize_cell(c) for c in _split_row(lines[j])]
    if row_number(first[0] or "") != 1 or abs(len(first) - len(cells)) > 1:
        return None
    return cells


def _row_header_more(header: list[str], line: str) -> list[str] | None:
    """The header with a second header line joined (\\t\\t（2020年）\\t（2025年）), or None if the line is no
    such continuation."""
    if "\t" not in line:
        return None
    cells = [normalize_cell(c) for c in _split_row(line)]
    texts = [(k, c) for k, c in enumerate(cells) if c]
    if not texts or len(cells) > len(header) or any(row_number(c) is not None for _, c in texts):
        return None
    if not all(continues_header(header[k], c) for k, c in texts):
        return None
    joined = list(header)
    for k, c in texts:
        joined[k] = header[k] + c
    return joined


def _parse_rows_table(
    lines: list[str],
    start: int,
    header: list[str] | None = None,
    *,
    whole_rows: frozenset[int] | set[int] = frozenset(),
    headerless: bool = False,
) -> tuple[Table, int]:
    """A tab-separated table from its header on; `whole_rows` are lines that each hold a whole row (a bar-parted
    copy's), so the line after the last of them is no rest of its last cell; a `headerless` table's rows start at
    `start`."""
    unknown = header is not None  # a header of unknown words over rows numbered from 1
    header = header or _row_header(lines[start]) or []
    header_end = start if headerless else start + 1
    if not headerless and header_end < len(lines) and (more := _row_header_more(header, lines[header_end])) is not None:
        header, header_end = more, header_end + 1
    width = len(header)
    rows: list[Row] = []
    raw_rows: list[list[list[str]]] = []  # cell parts per row, to join continuation lines
    row_lines: list[int] = []
    too_wide: list[tuple[int, str]] = []
    printed = 0  # cells the last row printed (before padding)
    numbered = unknown or column_role(header[0], strict=True) == "number"
    last_text = header_end - 1
    blank_before = False
    i = header_end
    while i < len(lines):
        line = lines[i]
        if is_blank(line) or is_page_number(line):
            blank_before = True
            i += 1
            continue
        if "\t" in line:
            repeated = _row_header(line)
            if repeated is not None:
                if [header_key(c) for c in repeated] != [header_key(c) for c in header]:
                    break  # a different table starts here
                i += 1  # the header repeated at a page break
                if i < len(lines) and _row_header_more(repeated, lines[i]) is not None:
                    i += 1
                last_text = i - 1
                blank_before = False
                continue
            split = _split_row(line)
            if numbered and raw_rows and not blank_before and _finishes_row(split, printed, width):
                # A browser copies a cell's line break as a line break: this line finishes the row above.
                raw_rows[-1][printed - 1].append(split[0])
                for k, cell in enumerate(split[1:], start=printed):
                    raw_rows[-1][k] = [cell]
                printed += len(split) - 1
                last_text, i = i, i + 1
                continue
            if sum(1 for c in split if c.strip()) > width:
                too_wide.append((i + 1, line.strip()))
            cells = _fit(split, width)
            if any(c.strip() for c in cells):
                raw_rows.append([[c] for c in cells])
                row_lines.append(i + 1)
                printed = len(split)
            last_text = i
            blank_before = False
            i += 1
            continue
        # A line without tabs right under a row is the rest of that row's last cell;
        # after a blank line it is the text that follows the table.
        if blank_before or not raw_rows or TERMINATOR.match(line) or row_lines[-1] - 1 in whole_rows:
            break
        last_filled = max((k for k, parts in enumerate(raw_rows[-1]) if "".join(parts).strip()), default=width - 1)
        raw_rows[-1][last_filled].append(line)
        last_text = i
        i += 1
    for parts_row, line_no in zip(raw_rows, row_lines):
        rows.append(_make_row(parts_row, line_no, width))
    table = Table(header=header, rows=rows, caption=[], start_line=start + 1, end_line=last_text + 1, layout=ROWS)
    if too_wide:
        table.doubts.append(
            Doubt(
                "table",
                f"{line_list([n for n, _ in too_wide])}的单元格多于表头的{width}列：多出的已并入最后一列，请核对",
                too_wide[0][1],
            )
        )
    return table, last_text + 1


def _finishes_row(split: list[str], printed: int, width: int) -> bool:
    """Whether a tab-separated line is the rest of a row whose cell broke over lines: the row above printed
    fewer cells than the header has, this line does not start with a row's number, and both fit the header."""
    return 0 < printed < width and row_number(split[0]) is None and printed + len(split) - 1 <= width


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
    """The header of a one-cell-per-line table (cells after a tab) starting at this line, and the index after it.

    The header runs from its first cell to the first blank line, non-cell line that is not a
    continuation, or integer cell (a first row without a blank line above).
    """
    text = _cell_text(lines[start])
    if text is None or column_role(normalize_cell(text), strict=True) is None:
        return None
    parts: list[list[str]] = [[text]]
    ends: list[int] = [start + 1]  # index after each header cell
    complete = False
    i = start + 1
    while i < len(lines):
        line = lines[i]
        if is_blank(line):
            break
        text = _cell_text(line)
        if text is None:
            if TERMINATOR.match(line):
                break
            parts[-1].append(line)  # a header cell broken over lines: 现状值 / （2020年）
            ends[-1] = i + 1
        else:
            if row_number(text) is not None:
                complete = True
                break
            parts.append([text])
            ends.append(i + 1)
        i += 1
    complete = complete or _starts_rows(lines, i)
    found = _header_prefix([_normalize(p) or "" for p in parts], complete=complete)
    if found is None:
        return None
    return found[0], ends[found[1] - 1]


def _parse_cells_table(lines: list[str], start: int) -> tuple[Table, int]:
    header, i = _cell_header(lines, start) or ([], start + 1)
    width = len(header)
    cells: list[tuple[int, list[str]]] = []  # (line index, parts) of every cell in order
    last_text = i - 1
    blank_before = False
    while i < len(lines):
        line = lines[i]
        if is_blank(line) or is_page_number(line):
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
        if not cells or TERMINATOR.match(line):
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
    table.doubts = _cell_count_doubts(header, cells)
    return table, last_text + 1


def _table_goes_on(lines: list[str], i: int) -> bool:
    """Whether the next text line is a data cell of the same table."""
    j = next_text_line(lines, i)
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


def _cell_count_doubts(header: list[str], cells: list[tuple[int, list[str]]]) -> list[Doubt]:
    """Where tab-marked cells do not fill rows of the header's width: a row starting with something other
    than its number (cells left out shifted the rest), or a last row cut short."""
    width = len(header)
    doubts: list[Doubt] = []
    if column_role(header[0], strict=True) == "number":
        shifted = [
            (line + 1, _normalize(parts) or "")
            for line, parts in cells[::width]
            if (text := _normalize(parts)) is not None and row_number(text) is None
        ]
        if shifted:
            doubts.append(
                Doubt(
                    "table",
                    f"{line_list([n for n, _ in shifted])}的首列不是序号：表格有单元格缺失，其后的单元格未按"
                    f"表头的{width}列对齐，已按单元格顺序保留，请核对",
                    shifted[0][1],
                )
            )
    if cells and len(cells) % width:
        line, parts = cells[len(cells) - len(cells) % width]
        doubts.append(
            Doubt(
                "table",
                f"表格共{len(cells)}个单元格，不是表头{width}列的整数倍：第{line + 1}行起的最后一行不完整，请核对",
                _normalize(parts),
            )
        )
    return doubts


# ------------------------------------------- one cell per line, no tab marks


def _bare_header(lines: list[str], start: int) -> tuple[list[str], int] | None:
    """The header of a table of bare cells (one per line, no tab) starting at this line, and the index after it.

    Header cells are short known words, one per line, a word broken over lines joined; blank lines may
    fall between them. The header ends where the data starts: at the first row's number, or at a blank
    line followed by something that is not a header word.
    """
    first = normalize_cell(lines[start])
    if first is None or "\t" in lines[start] or column_role(first, strict=True) is None:
        return None
    cells: list[str] = []
    ends: list[int] = []
    complete = False
    i = start
    while i < len(lines):
        line = lines[i]
        if is_blank(line):
            j = next_text_line(lines, i)
            if j is None or not _may_be_header_word(lines[j]):
                break
            i = j
            continue
        text = normalize_cell(line)
        if "\t" in line or text is None or TERMINATOR.match(line) or is_heading(line):
            break
        if row_number(text) is not None:
            complete = True
            break
        if len(text) > MAX_HEADER_CELL_CHARS:
            break
        if cells and continues_header(cells[-1], text):
            cells[-1] += text
            ends[-1] = i + 1
        else:
            cells.append(text)
            ends.append(i + 1)
        i += 1
    # Bare lines are free text: a header of them needs more known words than one marked by tabs.
    complete = complete or _starts_rows(lines, i)
    found = _header_prefix(cells, complete=complete, minimum=BARE_HEADER_MINIMUM)
    if found is None:
        return None
    return found[0], ends[found[1] - 1]


def _may_be_header_word(line: str) -> bool:
    """A short line that is no row number, heading or sentence: a header word, known or not (试点任务)."""
    text = normalize_cell(line)
    if text is None or "\t" in line or is_heading(line) or row_number(text) is not None:
        return False
    return len(text) <= MAX_HEADER_CELL_CHARS and not text.endswith(("。", "；", "：", ":"))


def _parse_bare_table(lines: list[str], start: int, found: tuple[list[str], int]) -> tuple[Table, int] | None:
    """The table under a header of bare lines; None when text follows the header yet none of it makes a
    row (bare lines are free text: the header was words of a paragraph or of another layout)."""
    header, i = found
    pieces: list[Piece] = []
    headings: list[Row] = []  # 一、制度体系 inside the table, between rows
    while i < len(lines):
        line = lines[i]
        if is_blank(line) or is_page_number(line):
            # A cell printed as &nbsp; copies as a line of U+00A0: an empty cell, not a blank between lines.
            pieces.append(Piece(i, line if "\u00a0" in line else None))
            i += 1
            continue
        if "\t" in line or TERMINATOR.match(line) or spaced_header(lines, i) is not None:
            break
        repeated = _bare_header(lines, i)
        if repeated is not None:
            if repeated[0] != header or _starts_over(lines, repeated[1], pieces) or _leaves_text(header, pieces):
                break  # a different table starts here (the same header under a title of its own)
            i = repeated[1]  # the header repeated at a page break
            continue
        if _opens_with_section(lines, i, pieces):
            # 强化科技创新支撑能力。 across the table above its first (一) or row: a section's name, no row.
            blank: list[str | None] = [None] * (len(header) - 1)
            headings.append(Row(cells=[normalize_cell(line), *blank], line=i + 1, raw=[line, *blank]))
            i += 1
            continue
        if is_heading(line) and (not pieces or pieces[-1].text is None):
            label = _group_label(lines, i + 1)
            j = next_text_line(lines, (label if label is not None else i) + 1)
            if j is None or row_number(lines[j]) is None:
                break  # the body goes on
            text = line if label is None else f"{line.strip()}{lines[label].strip()}"
            empty: list[str | None] = [None] * (len(header) - 1)
            headings.append(Row(cells=[normalize_cell(text), *empty], line=i + 1, raw=[text, *empty]))
            i = (label if label is not None else i) + 1
            continue
        pieces.append(Piece(i, line))
        i += 1
    single = _single_spaced(pieces)
    double_spaced = len(single) < len(pieces)
    pieces = [Piece(p.line, None) if p.text is not None and is_blank(p.text) else p for p in single]
    grouping = _group_rows(header, pieces, double_spaced=double_spaced)
    used = pieces[: grouping.used]
    rows = sorted(grouping.rows + [h for h in headings if not used or h.line <= used[-1].line + 1], key=_line)
    last = max([p.line for p in used if p.text is not None] + [h.line - 1 for h in rows], default=found[1] - 1)
    if not rows and any(piece.text is not None for piece in pieces):
        return None
    table = Table(header=header, rows=rows, caption=[], start_line=start + 1, end_line=last + 1, layout=CELLS)
    table.doubts = _grouping_doubts(grouping, len(header))
    if not rows:
        table.doubts.append(Doubt("table", "表头下没有读到任何一行，请核对", None))
    return table, last + 1


def _group_label(lines: list[str], i: int) -> int | None:
    """The index of a group's name standing on its own line under its number ((一) / 制度与保障机制完善, the
    merged cells of the columns before 序号), when a row's number follows it; None otherwise."""
    j = next_text_line(lines, i)
    if j is None or not (_may_be_header_word(lines[j]) or _is_heading_text(lines[j])):
        return None
    after = next_text_line(lines, j + 1)
    return j if after is not None and row_number(lines[after]) is not None else None


def _opens_with_section(lines: list[str], i: int, pieces: list[Piece]) -> bool:
    """Whether line i, the first text under a header, is a section's name across the table: a heading's text
    followed by a heading or a row's number."""
    if any(piece.text is not None for piece in pieces) or not _is_heading_text(lines[i]):
        return False
    j = next_text_line(lines, i + 1)
    return j is not None and (is_heading(lines[j]) or row_number(lines[j]) is not None)


def _is_heading_text(line: str) -> bool:
    """A heading's text closed by its full stop ((一) / 加强战略科技力量建设。): one short sentence, no clause in it."""
    text = normalize_cell(line)
    return text is not None and len(text) <= HEADING_MAX_CHARS and re.fullmatch(r"[^，,；;：:。]+。", text) is not None


def _single_spaced(pieces: list[Piece]) -> list[Piece]:
    """The pieces of a table copied with a blank line after every line (cell or line of a cell): one blank
    line is nothing there, and each further blank line an empty cell. Other pieces are kept as they are."""
    gaps: list[int] = []  # blank lines between consecutive text lines
    run = 0
    seen_text = False
    for piece in pieces:
        if piece.text is None:
            run += 1
            continue
        if seen_text:
            gaps.append(run)
        seen_text, run = True, 0
    if len(gaps) < MIN_HEADER_CELLS or sum(1 for gap in gaps if gap >= 1) < DOUBLE_SPACED_SHARE * len(gaps):
        return pieces
    single: list[Piece] = []
    run_pieces: list[Piece] = []
    for piece in pieces:
        if piece.text is None:
            run_pieces.append(piece)
            continue
        single += run_pieces[1:]
        run_pieces = []
        single.append(piece)
    return single + run_pieces[1:]


def _group_rows(header: list[str], pieces: list[Piece], *, double_spaced: bool = False) -> Grouping:
    """Rows of a table whose 序号 is not its first column: the columns before it are groups (领域, 任务) printed
    once as a heading above their rows, so rows are cut from the number on and the group columns left empty."""
    roles = column_roles(header, strict=True)
    if "number" not in roles[1:] or not all(role in GROUP_ROLES for role in roles[: roles.index("number")]):
        return group_cells(header, pieces, double_spaced=double_spaced)
    first = roles.index("number")
    grouping = group_cells(header[first:], pieces, double_spaced=double_spaced)
    empty: list[str | None] = [None] * first
    grouping.rows = [Row(cells=[*empty, *row.cells], line=row.line, raw=[*empty, *row.raw]) for row in grouping.rows]
    return grouping


def _starts_over(lines: list[str], i: int, pieces: list[Piece]) -> bool:
    """Whether rows numbered again from 1 follow a header like this table's: the next table's."""
    j = next_text_line(lines, i)
    numbered = any(row_number(p.text) is not None for p in pieces)
    return numbered and j is not None and row_number(lines[j]) == 1


def _leaves_text(header: list[str], pieces: list[Piece]) -> bool:
    """Whether text stands between the last row and a header like this table's: a title of the next table."""
    texts = [k for k, piece in enumerate(pieces) if piece.text is not None]
    return bool(texts) and group_cells(header, pieces).used <= texts[-1]


def _line(row: Row) -> int:
    return row.line


def _grouping_doubts(grouping: Grouping, width: int) -> list[Doubt]:
    doubts: list[Doubt] = []
    if grouping.unnumbered:
        lines = [line for line, _ in grouping.unnumbered]
        doubts.append(
            Doubt(
                "table",
                f"{line_list(lines)}没有序号：已按表头的{width}列切为上一序号下的另一行（序号为合并单元格），请核对",
                grouping.unnumbered[0][1],
            )
        )
    for line, expected, found in grouping.skipped:
        doubts.append(
            Doubt(
                "table",
                f"第{line}行序号从{expected - 1}跳到{found}：其间可能有行缺少序号或单元格错位，请核对",
                str(found),
            )
        )
    for first, last in grouping.rough:
        stretch = f"第{first}行" if first == last else f"第{first}–{last}行"
        doubts.append(
            Doubt("table", f"{stretch}的单元格与表头的{width}列对不齐，已按最接近的方式切分，请核对每个单元格", None)
        )
    return doubts


def _named(doubt: Doubt, table: Table) -> Doubt:
    """A table's doubt saying which table: its title, or the line its header stands on."""
    titles = [line for line in table.caption if not ATTACHMENT_LABEL.match(line)]
    name = f"表格「{titles[-1]}」" if titles else f"第{table.start_line}行的表格"
    return Doubt(doubt.field, f"{name}：{doubt.message}", doubt.text)


# ------------------------------------------------------------------ captions


def caption_above(lines: list[str], start: int, floor: int) -> list[str]:
    """Up to three title lines just above a header (index `start`), not above index `floor`, stopping at body
    text or an 附件 label."""
    caption: list[str] = []
    i = start - 1
    while i >= floor and len(caption) < MAX_CAPTION_LINES:
        line = lines[i]
        i -= 1
        if is_blank(line) or is_page_number(line):
            continue
        text = normalize_cell(line)
        if text is None or "\t" in line or text.startswith("注") or len(text) > MAX_CAPTION_CHARS:
            break
        if len(chunks(line)) >= MIN_HEADER_CELLS:
            break  # cells parted by spaces: a table's line, not a title
        caption.append(text)
        if ATTACHMENT_LABEL.match(line):
            break
    caption.reverse()
    return caption

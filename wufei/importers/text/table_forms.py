"""Tables that are not a header over rows: forms of label/value rows and tables with a header further down.

Offices publish one record as a form (公示表, 督办单): rows of a short label and its value
(反馈问题 | … / 整改措施 | … / 责任单位 | … / 完成时限 | …), sometimes two pairs to a row. Such a form
is one record whose header is its labels; `as_form` turns it into that one-row table (several when
the labels repeat: forms stacked in one table), so the table reader reads it like any other. A form
whose labels name no task and no owner (索引号 / 发布日期, 姓名 / 电话) is no record: `form_labels`
tells it apart from a table of data, which may be read by content.

A performance-target form (项目支出绩效目标表) prints label/value rows first and its indicator table
below them (一级指标 / 二级指标 / 三级指标 / 指标值): `split_at_header` cuts a table at a row that reads
as a header, so each part is read for what it is.
"""

from __future__ import annotations

from collections.abc import Sequence

from wufei.importers.headers import column_roles, header_key, is_header_row
from wufei.importers.text.column_content import looks_like_number
from wufei.importers.text.normalize import normalize_cell
from wufei.importers.text.tables import Row, Table

LABEL_MAX = 12  # characters: a form's label, not a value
COLON_LABEL_MAX = 24  # a label closed by its colon
MIN_PAIRS = 3  # label/value pairs, so a two-column table of data is not taken for a form
_TEXT_ROLES = {"task_name", "content"}
_WHO_WHEN_ROLES = {"lead", "owners", "supporting", "entity", "deadline"}


def _items(cells: Sequence[str | None]) -> list[str]:
    """A row's filled cells, a cell repeated across merged columns once."""
    items: list[str] = []
    previous: str | None = None
    for cell in cells:
        text = normalize_cell(cell)
        if text and text != previous:
            items.append(text)
        previous = text
    return items


def _label(text: str) -> str | None:
    """The label a form's cell prints, without the colon that may close it (重点工作：), or None when the cell
    reads as a value. A colon marks a label, so a longer one counts (进展情况、存在问题及下一步工作建议：)."""
    bare = text.rstrip("：: ").strip()
    limit = COLON_LABEL_MAX if bare != text.strip() else LABEL_MAX
    return bare if len(bare) <= limit and header_key(bare) and not looks_like_number(bare) else None


def form_pairs(table: Table) -> list[tuple[str, str, str | None]] | None:
    """(label, value, where) of every pair when the table is a form of label/value rows (one or two
    pairs to a row; a last label without its value is skipped), else None."""
    if is_header_row(table.header):
        return None  # a header over rows of data (姓名 / 职务 / 电话), however short its cells
    pairs: list[tuple[str, str, str | None]] = []
    rows: list[tuple[Sequence[str | None], str | None]] = [
        (table.header, table.where),
        *((row.cells, row.where) for row in table.rows),
    ]
    odd = 0
    for cells, where in rows:
        items = _items(cells)
        if not items:
            continue
        odd += len(items) % 2
        labels = [_label(label) for label in items[::2]]
        if len(items) > 4 or not all(labels):
            return None
        # A label standing last without its value (left blank, or merged into the label) pairs with nothing.
        pairs += [(labels[k // 2] or "", items[k + 1], where) for k in range(0, len(items) - 1, 2)]
    # Rows of three (姓名 / 职务 / 电话 and the people under it) are a list, not labels with values.
    return pairs if len(pairs) >= MIN_PAIRS and odd * 3 <= len(rows) else None


def form_labels_name_a_task(labels: list[str]) -> bool:
    """Whether a form's labels name a task's text and who or by when (整改措施 + 责任单位)."""
    roles = set(column_roles(labels))
    return bool(roles & _TEXT_ROLES) and bool(roles & _WHO_WHEN_ROLES)


def as_form(table: Table) -> Table | None:
    """A form of label/value rows naming a task, as a table of one row per form (its labels the
    header); a label met again starts the next form. None when the table is no such form."""
    pairs = form_pairs(table)
    if pairs is None or not form_labels_name_a_task([label for label, _, _ in pairs]):
        return None
    forms: list[list[tuple[str, str, str | None]]] = [[]]
    for pair in pairs:
        if any(header_key(pair[0]) == header_key(seen) for seen, _, _ in forms[-1]):
            forms.append([])
        forms[-1].append(pair)
    header: list[str] = []
    for form in forms:
        for label, _, _ in form:
            if all(header_key(label) != header_key(known) for known in header):
                header.append(label)
    rows = []
    for form in forms:
        values = {header_key(label): value for label, value, _ in form}
        cells = [values.get(header_key(label)) for label in header]
        rows.append(Row(cells=cells, line=table.start_line, raw=list(cells), where=form[0][2] or table.where))
    return Table(
        header=header,
        rows=rows,
        caption=table.caption,
        start_line=table.start_line,
        end_line=table.end_line,
        layout=table.layout,
        where=table.where,
        doubts=table.doubts,
    )


def split_at_header(table: Table) -> list[Table]:
    """The table cut at each row below its first that reads as a header (a form's label/value rows over
    its indicator table): the rows above, then a table under each such header. One table when none."""
    parts: list[Table] = []
    header = table.header
    rows: list[Row] = []
    for row in table.rows:
        if is_header_row(_items(row.cells), minimum=3) and is_header_row(row.cells, minimum=3):
            parts.append(_part(table, header, rows))
            header, rows = [cell or "" for cell in row.cells], []
            continue
        rows.append(row)
    if not parts:
        return [table]
    parts.append(_part(table, header, rows))
    return parts


def _part(table: Table, header: list[str], rows: list[Row]) -> Table:
    return Table(
        header=header,
        rows=rows,
        caption=table.caption,
        start_line=table.start_line,
        end_line=table.end_line,
        layout=table.layout,
        where=table.where,
        doubts=table.doubts,
    )

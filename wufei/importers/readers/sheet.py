"""Spreadsheets with the publisher's own headers (.xlsx, .csv; .xls and .et through LibreOffice) as documents.

Every sheet becomes a table: its header row found by meaning, the title rows above it kept as
the caption (and as the document's lines, so the title is found), merged cells filled from their
anchor. A formula cell gives the value Excel saved with it; one saved without a value is kept
empty with a doubt naming the cell. Hidden sheets, columns and rows are no part of the book as
shown (a row hidden by hand is a task taken out; a doubt names the rows), but rows a filter hides or
a collapsed outline group folds away are still read, and a merged cell's anchor in a hidden row still
fills the rows shown. Workbooks in wufei's own ledger shape (sheets 方案/任务/指标 …, columns 方案 …) are not read
here but by `wufei.importers.spreadsheet` (see `is_ledger`).

CSV comes in UTF-8 (with or without a BOM) or, from Excel on Chinese Windows, GBK: read as GB18030.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wufei.importers import sheet_schema as S
from wufei.importers.document import Document, Table
from wufei.importers.readers.grid import GridRow, grid_table, is_layout_grid, square
from wufei.importers.readers.office import libreoffice_copy
from wufei.importers.records import Doubt, ImportError_
from wufei.importers.spreadsheet import Workbook, read_workbook

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    import openpyxl

# A ledger sheet always names its plan in a 方案 column (or is the 方案 / 部门 sheet itself).
_LEDGER_MARKERS = ({"方案"}, {"方案名称"}, {"名称", "地区"})


def decode_csv(path: Path) -> str:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportError_(str(path), "CSV 文件编码无法识别（应为 UTF-8 或 GBK/GB18030）")


def csv_rows(path: Path) -> list[list[str]]:
    try:
        return list(csv.reader(io.StringIO(decode_csv(path), newline="")))
    except csv.Error as exc:
        log.info("csv cannot read %s: %s", path, exc)
        raise ImportError_(str(path), "CSV 文件格式有误（有单元格过长，或引号不成对）") from exc


def is_ledger(path: Path) -> bool:
    """Whether a spreadsheet is wufei's own import workbook (or one of its sheets as CSV)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows = csv_rows(path)
        headers = {cell.strip() for cell in rows[0]} if rows else set()
        return any(marker <= headers for marker in _LEDGER_MARKERS)
    if suffix in (".xlsx", ".xlsm"):
        # A publisher's workbook may name its sheets 指标 and 任务 too: only the markers in a sheet's first
        # row tell wufei's own workbook from it.
        book = _open(path, read_only=True)
        for name in set(book.sheetnames) & set(S.COLUMNS):
            first = next(book[name].iter_rows(max_row=1, values_only=True), ())
            headers = {str(cell).strip() for cell in first if cell is not None}
            if any(marker <= headers for marker in _LEDGER_MARKERS):
                return True
    return False


def _open(path: Path, *, read_only: bool = False, data_only: bool = True) -> openpyxl.Workbook:
    import openpyxl  # here: a command that opens no workbook need not load it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return openpyxl.load_workbook(path, read_only=read_only, data_only=data_only)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError) as exc:
        log.info("openpyxl cannot open %s: %r", path, exc)
        raise ImportError_(str(path), "无法打开 Excel 文件，文件可能已损坏或不是 .xlsx 格式") from exc


def read_sheet(path: Path) -> Document:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows = csv_rows(path)
        if not any(any(c.strip() for c in row) for row in rows):
            raise ImportError_(str(path), "文件为空")
        grids = [(path.stem, [[c or None for c in row] for row in rows])]
        return _document(path, "csv", grids, [])
    return _read_workbook(path, "xlsx")


def read_converted_sheet(path: Path) -> Workbook | Document:
    """An old Excel (.xls) or WPS (.et) spreadsheet: converted to .xlsx by LibreOffice, then read as wufei's
    import workbook or as a publisher's table. Every message names the file as given."""
    with libreoffice_copy(path, "xlsx") as copy:
        try:
            if is_ledger(copy):
                workbook = read_workbook(copy)
                for plan in workbook.plans:
                    plan.path = str(path)
                return workbook
            document = _read_workbook(copy, path.suffix.lower().lstrip("."))
        except ImportError_ as exc:
            raise ImportError_(str(path), exc.message, line=exc.line, cell=exc.cell, text=exc.text) from exc
    document.path = str(path)
    return document


def _read_workbook(path: Path, format: str) -> Document:
    values = _open(path)
    formulas = _open(path, data_only=False)
    grids: list[tuple[str, list[list[str | None]]]] = []
    doubts: list[Doubt] = []
    shared: dict[str, list[_MergedDown]] = {}  # sheet → its cells merged down
    for sheet in values.worksheets:
        if sheet.sheet_state != "visible":
            continue
        formula_sheet = formulas[sheet.title]
        hidden = _hidden_columns(sheet)
        hidden_rows = _hidden_rows(sheet)
        skipped: list[int] = []  # hidden rows holding something
        grid: list[list[str | None]] = []
        for row in sheet.iter_rows():
            cells: list[str | None] = []
            if row and row[0].row in hidden_rows:
                if any(cell.value is not None for cell in row):
                    skipped.append(row[0].row)
                grid.append([None] * len(row))
                continue
            for cell in row:
                # A hidden column is no part of the table as shown (superseded dates, a helper column): empty.
                cells.append(None if cell.column in hidden else _text(cell.value, cell.number_format))
                if cell.value is None:
                    source = formula_sheet[cell.coordinate].value
                    if isinstance(source, str) and source.startswith("="):
                        doubts.append(
                            Doubt(
                                "record",
                                f"工作表「{sheet.title}」{cell.coordinate} 是公式，文件中没有保存计算结果，"
                                "请在 Excel 中打开并保存后重新导入或核对",
                                source,
                            )
                        )
            grid.append(cells)
        if skipped:
            doubts.append(Doubt("record", f"工作表「{sheet.title}」{_row_ranges(skipped)}是隐藏行，未导入，请核对"))
        for merged in sheet.merged_cells.ranges:
            anchor = grid[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= len(grid) else None
            if merged.min_row in hidden_rows and merged.min_col not in hidden:
                # The anchor's row is hidden (a task taken out), not the value it gives the rows shown under it.
                anchor_cell = sheet.cell(merged.min_row, merged.min_col)
                anchor = _text(anchor_cell.value, anchor_cell.number_format)
            whole_row = merged.min_col == 1 and merged.max_col >= max((len(r) for r in grid), default=0)
            for r in range(merged.min_row, merged.max_row + 1):
                if r in hidden_rows:
                    continue
                for c in range(merged.min_col, merged.max_col + 1):
                    if r - 1 < len(grid) and c - 1 < len(grid[r - 1]) and (r, c) != (merged.min_row, merged.min_col):
                        # A title or heading across the whole sheet is printed once, not in every column.
                        grid[r - 1][c - 1] = None if whole_row and merged.min_row == merged.max_row else anchor
            filled = [r for r in range(merged.min_row + 1, merged.max_row + 1) if r not in hidden_rows]
            if merged.min_col == merged.max_col and filled and anchor:
                merged_down = _MergedDown(merged.coord, merged.min_row, filled, anchor, merged.min_row in hidden_rows)
                shared.setdefault(sheet.title, []).append(merged_down)
        grids.append((sheet.title, grid))
    return _document(path, format, grids, doubts, shared)


@dataclass(frozen=True)
class _MergedDown:
    """A cell merged down over rows: its range (A3:A5), the anchor's row, the rows shown that took its value."""

    cells: str
    first: int
    filled: list[int]
    anchor: str
    anchor_hidden: bool  # the anchor's row is hidden: its value still fills the rows shown


def _merged_doubts(name: str, table: Table, shared: list[_MergedDown]) -> list[Doubt]:
    """A cell merged down over data rows (one 牵头单位 for two tasks) was copied into each row from
    its anchor: right as a rule, but a person checks it (a header merged over two rows is not data)."""
    numbers = [int(found[1]) for row in table.rows if row.where and (found := re.search(r"第(\d+)行$", row.where))]
    if not numbers:
        return []
    doubts = []
    for merged in shared:
        if merged.first < min(numbers) and not merged.anchor_hidden:
            continue
        rows = _row_ranges(merged.filled, through="至")
        message = f"工作表「{name}」{merged.cells} 是合并单元格：{rows}的该列已按首格「{merged.anchor}」填入，请核对"
        doubts.append(Doubt("record", message, merged.anchor))
    return doubts


def _hidden_columns(sheet: Any) -> set[int]:
    """Numbers (1 = A) of the columns a sheet hides; a dimension may stand for a run of columns."""
    return {
        k
        for dimension in sheet.column_dimensions.values()
        if dimension.hidden and dimension.min is not None
        for k in range(dimension.min, (dimension.max or dimension.min) + 1)
    }


def _hidden_rows(sheet: Any) -> set[int]:
    """Numbers (1 = first) of the rows a sheet hides by hand. A filter hides rows too, and marks them hidden
    in the file just the same: with a filter's condition set on the sheet, its hidden rows are still read
    (the list is whole; the filter only narrowed the view of whoever saved it). So are the rows of a
    collapsed outline group (outlineLevel > 0): folded away for reading, not taken out."""
    if sheet.auto_filter.ref and sheet.auto_filter.filterColumn:
        return set()
    return {
        number for number, dimension in sheet.row_dimensions.items() if dimension.hidden and not dimension.outlineLevel
    }


_RANGES_SHOWN = 10  # a doubt names this many runs of hidden rows at most (a sheet may hide thousands)


def _row_ranges(numbers: list[int], through: str = "-") -> str:
    """Row numbers as runs (第4-503行、第600行), the first `_RANGES_SHOWN` of them, then how many in all."""
    runs: list[list[int]] = []
    for number in sorted(numbers):
        if runs and number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    shown = "、".join(
        f"第{first}行" if first == last else f"第{first}{through}{last}行" for first, last in runs[:_RANGES_SHOWN]
    )
    return shown if len(runs) <= _RANGES_SHOWN else f"{shown}等（共{len(numbers)}行）"


# A date format's parts: quoted text, an escaped character, a run of y, m or d, anything else.
_DATE_FORMAT_PART = re.compile(r'"([^"]*)"|\\(.)|(y+|m+|d+)|(.)', re.IGNORECASE)


def _date_as_shown(value: Any, number_format: str | None) -> str:
    """A date cell as its number format shows it (yyyy/m/d → 2025/6/30, yyyy.m → 2025.6). Other formats show
    the date the Chinese way (2025年6月30日): one with times, month or day names, or a two-digit year, and
    one not ordered year, month, day (Excel's built-in short date, stored as mm-dd-yy, shows as the
    reader's locale has it: 2025/6/30 in a Chinese one)."""
    chinese = f"{value.year}年{value.month}月{value.day}日"
    fmt = (number_format or "").split(";")[0]
    if not fmt or re.search(r"[hs\[@]|general|m{3,}|d{3,}", fmt, re.IGNORECASE):
        return chinese
    order = "".join(token[0].lower() for _, _, token, _ in _DATE_FORMAT_PART.findall(fmt) if token)
    if order not in ("ym", "ymd") or not re.search("yyyy", fmt, re.IGNORECASE):
        return chinese
    shown = []
    for quoted, escaped, token, other in _DATE_FORMAT_PART.findall(fmt):
        if token:
            kind, width = token[0].lower(), len(token)
            number = {"y": value.year if width > 2 else value.year % 100, "m": value.month, "d": value.day}[kind]
            shown.append(f"{number:0{min(width, 2)}d}" if kind != "y" or width <= 2 else str(number))
        else:
            shown.append(quoted or escaped or other)
    return "".join(shown)


def _text(value: object, number_format: str | None = None) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "strftime") and hasattr(value, "year"):
        return _date_as_shown(value, number_format)
    text = str(value).replace("\r\n", "\n").replace("_x000D_", "")
    return text if text.strip() else None


def _document(
    path: Path,
    format: str,
    grids: list[tuple[str, list[list[str | None]]]],
    doubts: list[Doubt],
    shared: dict[str, list[_MergedDown]] | None = None,
) -> Document:
    lines: list[str] = []
    tables: list[Table] = []
    for name, grid in grids:
        rows = square([GridRow(cells=list(r), where=f"工作表「{name}」第{k}行") for k, r in enumerate(grid, start=1)])
        rows = [r for r in rows if any(c is not None for c in r.cells)]
        if not rows:
            continue
        if is_layout_grid(rows):
            lines.extend(c for r in rows for c in r.cells if c)
            continue
        table = grid_table(rows, line=0, where=f"工作表「{name}」")
        doubts.extend(_merged_doubts(name, table, (shared or {}).get(name, [])))
        lines.extend(table.caption)  # the sheet's title rows, so the document's title is found
        lines.append("")
        table.start_line = table.end_line = len(lines)
        for row in table.rows:
            row.line = table.start_line
        tables.append(table)
    if not any(line.strip() for line in lines):
        # No title rows: the file name often is the title (某市重点任务分工表.xlsx).
        lines.insert(0, path.stem)
        for table in tables:
            table.start_line = table.end_line = table.start_line + 1
            for row in table.rows:
                row.line = table.start_line
    return Document(path=str(path), format=format, lines=lines, tables=tables, doubts=doubts)

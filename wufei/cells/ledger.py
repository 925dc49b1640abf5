"""The 无废细胞台账 workbook: one row per cell of a city, written from the registry (or empty, as the
template) and read back all rows or none, each error naming its row and column.

A row without 编号 registers a new cell in the state it gives (申报 when blank) on its 状态日期; a
row with 编号 updates that cell: a different 状态 is a change the state machine must allow, a
different 责任部门 or 地址 is recorded as such."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from sqlalchemy.orm import Session

from wufei.audit.service import record
from wufei.cells.models import Cell
from wufei.cells.registry import (
    CellError,
    Lookups,
    add_cell,
    advance,
    get_cell,
    list_cells,
    set_department,
)
from wufei.cells.rules import STATE_NAMES, CellRuleError, CellRules, CellState, parse_state
from wufei.chinese import chinese_date
from wufei.plans.models import Jurisdiction

log = logging.getLogger(__name__)

SHEET, META = "无废细胞台账", "_wufei"
ID, NAME, CATEGORY, COUNTY, ADDRESS, DEPARTMENT = "编号", "细胞名称", "类别", "县（市、区）", "地址", "责任部门"
STATE, STATE_ON, REASON, NOTE = "状态", "状态日期", "退回原因", "说明"
COLUMNS = [ID, NAME, CATEGORY, COUNTY, ADDRESS, DEPARTMENT, STATE, STATE_ON, REASON, NOTE]
REQUIRED = [ID, NAME, CATEGORY, COUNTY, STATE, STATE_ON]
WIDTHS = {ID: 8, NAME: 30, CATEGORY: 14, COUNTY: 12, ADDRESS: 30, DEPARTMENT: 26, STATE: 9, STATE_ON: 12}
HEADER_ROW = 4
_HEAD = PatternFill("solid", fgColor="D9E1F2")


class CellLedgerError(CellError):
    """A workbook with bad cells; `errors` lists each as (row, column, message)."""

    def __init__(self, path: Path, errors: list[tuple[int, str, str]]):
        self.path, self.errors = path, errors
        lines = "\n".join(f"  第{r}行 {c}列：{m}" if r else f"  {m}" for r, c, m in errors)
        super().__init__(f"无废细胞台账「{path.name}」有{len(errors)}处错误，未写入任何内容：\n{lines}")


def write_cells_workbook(
    session: Session, path: Path, *, jurisdiction: Jurisdiction, as_of: date, empty: bool = False
) -> int:
    """The city's cells (`empty`: the template, headers only). Returns the number of rows."""
    cells = [] if empty else list_cells(session, jurisdiction_ids=[jurisdiction.id])
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet["A1"] = f"{jurisdiction.name}“无废细胞”台账"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = f"导出日期：{chinese_date(as_of)}；共{len(cells)}个"
    sheet["A3"] = (
        "填写说明：新登记的细胞“编号”留空；状态为 申报、创建中、评估、命名、退回 之一（留空为申报），"
        "状态日期写成 2024-05-31；退回须写退回原因；责任部门留空时为该类别的牵头部门。"
        "已有编号的行修改状态时，须符合 申报→创建中→评估→命名（或退回）的顺序。"
    )
    for row in (1, 2, 3):
        sheet.merge_cells(f"A{row}:{get_column_letter(len(COLUMNS))}{row}")
    sheet["A3"].alignment = Alignment(wrap_text=True)
    sheet.row_dimensions[3].height = 45
    for index, header in enumerate(COLUMNS, start=1):
        head = sheet.cell(row=HEADER_ROW, column=index, value=header)
        head.font, head.fill = Font(bold=True), _HEAD
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(header, 20)
    for offset, cell in enumerate(cells):
        values = {
            ID: cell.id,
            NAME: cell.name,
            CATEGORY: cell.category,
            COUNTY: cell.county,
            ADDRESS: cell.address,
            DEPARTMENT: cell.department.name,
            STATE: STATE_NAMES[CellState(cell.state)],
            STATE_ON: cell.state_on,
            REASON: cell.return_reason,
            NOTE: cell.note,
        }
        for index, header in enumerate(COLUMNS, start=1):
            written = sheet.cell(row=HEADER_ROW + 1 + offset, column=index, value=values[header])
            if header == STATE_ON:
                written.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=2)
    meta = book.create_sheet(META)
    meta.append(["jurisdiction", jurisdiction.name])
    meta.sheet_state = "hidden"
    book.save(path)
    return len(cells)


@dataclass
class _Row:
    line: int
    cell_id: int | None
    values: dict[str, str | None]
    state: CellState
    on: date


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _day(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    for separator in ("年", "月"):
        text = text.replace(separator, "-")
    text = text.removesuffix("日")
    parts = text.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    raise ValueError(text)


def import_cells_workbook(
    session: Session, path: Path, *, jurisdiction: Jurisdiction | None, today: date, actor: str, rules: CellRules
) -> tuple[list[Cell], list[Cell]]:
    """Register and update the workbook's cells; any error writes nothing. Returns (added, changed).
    The city is the workbook's own (written on export) unless `jurisdiction` is given."""
    path = Path(path)
    try:
        book = load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        log.info("openpyxl cannot open %s: %r", path, exc)  # its English to the log, not to the user
        raise CellLedgerError(path, [(0, "", "无法读取表格：文件可能已损坏或不是 .xlsx 格式")]) from exc
    if SHEET not in book.sheetnames:
        raise CellLedgerError(path, [(0, "", f"缺少工作表「{SHEET}」，请用 wufei template cells 生成台账模板后填写")])
    if jurisdiction is None:
        from wufei.cells.registry import jurisdiction_named

        meta = (
            {r[0]: r[1] for r in book[META].iter_rows(max_col=2, values_only=True)} if META in book.sheetnames else {}
        )
        if not meta.get("jurisdiction"):
            raise CellLedgerError(path, [(0, "", "台账未写明所属地区，请用 --jurisdiction 指定，如 衡水市")])
        jurisdiction = jurisdiction_named(session, str(meta["jurisdiction"]))
    sheet = book[SHEET]
    headers = [_text(c.value) for c in sheet[HEADER_ROW]]
    missing = [h for h in REQUIRED if h not in headers]
    if missing:
        raise CellLedgerError(path, [(HEADER_ROW, "", f"第{HEADER_ROW}行表头缺少列：{'、'.join(missing)}")])
    column = {h: headers.index(h) + 1 for h in COLUMNS if h in headers}

    def where(header: str) -> str:
        return f"{get_column_letter(column[header])}（{header}）"

    errors: list[tuple[int, str, str]] = []
    rows: list[_Row] = []
    for line in range(HEADER_ROW + 1, sheet.max_row + 1):
        values = {h: _text(sheet.cell(row=line, column=c).value) for h, c in column.items() if h != STATE_ON}
        raw_day = sheet.cell(row=line, column=column[STATE_ON]).value
        if not any(values.values()) and raw_day is None:
            continue
        before = len(errors)
        cell_id = None
        if values.get(ID):
            try:
                cell_id = int(str(values[ID]))
            except ValueError:
                errors.append((line, where(ID), f"编号应为数字（新登记的细胞留空）：「{values[ID]}」"))
        for header in (NAME, CATEGORY, COUNTY):
            if not values.get(header):
                errors.append((line, where(header), f"请填写{header}"))
        state = CellState.APPLIED
        if values.get(STATE):
            try:
                state = parse_state(str(values[STATE]))
            except CellRuleError as exc:
                errors.append((line, where(STATE), str(exc)))
        on = today
        if raw_day is not None and str(raw_day).strip():
            try:
                on = _day(raw_day)
            except ValueError:
                errors.append((line, where(STATE_ON), f"日期应写成 2024-05-31：「{raw_day}」"))
        if on > today:
            errors.append((line, where(STATE_ON), f"状态日期晚于今天（{today.isoformat()}）：{on.isoformat()}"))
        if len(errors) == before:
            rows.append(_Row(line, cell_id, values, state, on))
    if errors:
        raise CellLedgerError(path, errors)
    added: list[Cell] = []
    changed: list[Cell] = []
    lookups = Lookups.of(session, jurisdiction)
    whole = session.begin_nested()
    for row in rows:
        try:
            with session.begin_nested():
                if row.cell_id is None:
                    added.append(_add(session, row, jurisdiction, actor, rules, lookups))
                else:
                    cell = _update(session, row, jurisdiction, actor)
                    if cell is not None:
                        changed.append(cell)
        except CellError as exc:
            errors.append((row.line, where(_FIELDS.get(exc.field or "", ID if row.cell_id else NAME)), str(exc)))
    if errors:
        whole.rollback()
        raise CellLedgerError(path, errors)
    whole.commit()
    return added, changed


_FIELDS = {
    "name": NAME,
    "category": CATEGORY,
    "county": COUNTY,
    "department": DEPARTMENT,
    "state": STATE,
    "state_on": STATE_ON,
    "reason": REASON,
}


def _add(
    session: Session, row: _Row, jurisdiction: Jurisdiction, actor: str, rules: CellRules, lookups: Lookups
) -> Cell:
    v = row.values
    return add_cell(
        session,
        jurisdiction=jurisdiction,
        name=v[NAME] or "",
        category=v[CATEGORY] or "",
        county=v[COUNTY] or "",
        address=v.get(ADDRESS),
        department=v.get(DEPARTMENT),
        note=v.get(NOTE),
        on=row.on,
        actor=actor,
        rules=rules,
        initial=row.state,
        reason=v.get(REASON),
        lookups=lookups,
    )


def _update(session: Session, row: _Row, jurisdiction: Jurisdiction, actor: str) -> Cell | None:
    assert row.cell_id is not None
    cell = get_cell(session, row.cell_id)
    if cell.jurisdiction_id != jurisdiction.id:
        raise CellError(f"找不到细胞 {row.cell_id}（{jurisdiction.name}）", "id")
    v = row.values
    if (v[NAME], v[COUNTY]) != (cell.name, cell.county):
        raise CellError(f"编号{cell.id}是{cell.county}「{cell.name}」，与本行的细胞名称或县（市、区）不符", "id")
    touched = False
    if v.get(DEPARTMENT) and v[DEPARTMENT] != cell.department.name:
        set_department(session, cell_id=cell.id, department=v[DEPARTMENT] or "", actor=actor)
        touched = True
    if ADDRESS in v and v[ADDRESS] != cell.address:  # a workbook without the column leaves it
        record(
            session,
            actor=actor,
            action="update",
            entity="cells",
            entity_id=cell.id,
            entity_key=f"cell:{cell.id}",
            changes={"address": [cell.address, v.get(ADDRESS)]},
            source="import",
        )
        cell.address = v.get(ADDRESS)
        touched = True
    if row.state != cell.state:
        advance(session, cell_id=cell.id, to=row.state, on=row.on, actor=actor, reason=v.get(REASON))
        touched = True
    return cell if touched else None

"""The ledger (台账) as a workbook, and the empty import template.

Both use the columns of wufei.importers.sheet_schema, so an export imported
into an empty database gives back the same records. Open doubts go into each row's 待确认
columns, the cells they are about highlighted and commented, so that an export edited in
Excel and imported again settles them (see sheet_schema).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from wufei.cells.models import CellCount
from wufei.departments.models import Department
from wufei.doubts.models import DoubtStatus, ImportDoubt
from wufei.importers import sheet_schema as S
from wufei.importers.records import DOUBT_FIELDS, Doubt
from wufei.indicators.models import Indicator
from wufei.plans.models import Plan, PlanKind
from wufei.tasks.models import ListKind, Role, Task

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_WIDE = {"任务名称", "项目名称", "主要内容", "三级指标", "指标解释", "责任原文", "方案名称", "配合单位", S.DOUBTS}
_DOUBT_FILL = PatternFill("solid", fgColor="FFE699")
DOUBTS_KEY = "_doubts"  # a row's open doubts (list of Doubt), written into its 待确认 columns


def write_template(path: Path) -> None:
    book = Workbook()
    book.remove(book.active)
    for sheet in S.COLUMNS:
        write_sheet(book, sheet, [S.EXAMPLE_ROWS[sheet]])
    write_readme(book)
    book.save(path)


def write_readme(book: Workbook) -> None:
    """The 填写说明 sheet: every sheet's columns with what to write in them."""
    notes = book.create_sheet(S.README)
    notes.append(["工作表", "列", "说明"])
    for sheet, columns in S.COLUMNS.items():
        for header, description in columns.items():
            notes.append([sheet, header, description])
    style_sheet(notes, ["工作表", "列", "说明"])


def export_ledger(session: Session, path: Path, *, plan_ids: Iterable[int] | None = None) -> dict[str, int]:
    plans = list(
        session.scalars(
            _by_plan(select(Plan).options(selectinload(Plan.jurisdiction)), Plan.id, plan_ids).order_by(Plan.id)
        )
    )
    ids = [p.id for p in plans]
    tasks = list(
        session.scalars(
            select(Task)
            .where(Task.plan_id.in_(ids))
            .options(selectinload(Task.plan), selectinload(Task.assignments))
            .order_by(Task.plan_id, Task.id)
        )
    )
    indicators = list(
        session.scalars(
            select(Indicator)
            .where(Indicator.plan_id.in_(ids))
            .options(selectinload(Indicator.plan), selectinload(Indicator.assignments), selectinload(Indicator.values))
            .order_by(Indicator.plan_id, Indicator.id)
        )
    )
    cells = list(
        session.scalars(
            select(CellCount)
            .where(CellCount.plan_id.in_(ids))
            .options(selectinload(CellCount.plan))
            .order_by(CellCount.plan_id, CellCount.id)
        )
    )
    jurisdictions = {p.jurisdiction_id for p in plans}
    departments = list(
        session.scalars(
            select(Department)
            .where(Department.jurisdiction_id.in_(jurisdictions))
            .options(
                selectinload(Department.jurisdiction), selectinload(Department.aliases), selectinload(Department.parent)
            )
            .order_by(Department.jurisdiction_id, Department.id)
        )
    )
    names = {d.id: d.name for d in departments}
    names.update(_names_outside(session, tasks, indicators, names))
    doubts = _open_doubts(session, ids)

    def with_doubts(row: dict[str, Any], key: tuple[str, int]) -> dict[str, Any]:
        return {**row, DOUBTS_KEY: doubts.get(key, [])}

    book = Workbook()
    book.remove(book.active)
    write_sheet(book, S.PLANS, [with_doubts(_plan_row(p), ("plan", p.id)) for p in plans])
    write_sheet(
        book,
        S.TASKS,
        [with_doubts(_task_row(t, names), ("task", t.id)) for t in tasks if t.list_kind != ListKind.PROJECT],
    )
    write_sheet(
        book,
        S.PROJECTS,
        [with_doubts(_project_row(t, names), ("task", t.id)) for t in tasks if t.list_kind == ListKind.PROJECT],
    )
    write_sheet(book, S.INDICATORS, [with_doubts(_indicator_row(i, names), ("indicator", i.id)) for i in indicators])
    write_sheet(book, S.CELLS, [with_doubts(_cell_row(c), ("cell", c.id)) for c in cells])
    write_sheet(book, S.DEPARTMENTS, [_department_row(d) for d in departments])
    book.save(path)
    return {
        "plans": len(plans),
        "tasks": sum(t.list_kind != ListKind.PROJECT for t in tasks),
        "projects": sum(t.list_kind == ListKind.PROJECT for t in tasks),
        "indicators": len(indicators),
        "cells": len(cells),
        "departments": len(departments),
    }


def _open_doubts(session: Session, plan_ids: list[int]) -> dict[tuple[str, int], list[Doubt]]:
    """Open doubts by (record type, record id)."""
    found: dict[tuple[str, int], list[Doubt]] = {}
    for row in session.scalars(
        select(ImportDoubt)
        .where(ImportDoubt.plan_id.in_(plan_ids), ImportDoubt.status == DoubtStatus.OPEN)
        .order_by(ImportDoubt.id)
    ):
        found.setdefault((row.record_type, row.record_id), []).append(Doubt(row.field, row.message, row.text))
    return found


def _by_plan(query, column, plan_ids):
    return query if plan_ids is None else query.where(column.in_(list(plan_ids)))


def _names_outside(session: Session, tasks, indicators, known: dict[int, str]) -> dict[int, str]:
    """Units of another jurisdiction (a city plan naming a provincial bureau)."""
    ids = {a.department_id for item in (*tasks, *indicators) for a in item.assignments} - set(known)
    if not ids:
        return {}
    return {d.id: d.name for d in session.scalars(select(Department).where(Department.id.in_(ids)))}


def _plan_ref(plan: Plan) -> str:
    return plan.doc_number or plan.title


def _plan_row(plan: Plan) -> dict[str, Any]:
    return {
        "方案名称": plan.title,
        "文号": plan.doc_number,
        "地区": plan.jurisdiction.name,
        "类型": S.PLAN_KIND_NAMES[PlanKind(plan.kind)],
        "印发单位": plan.issuer,
        "印发日期": plan.issued_on.isoformat() if plan.issued_on else None,
        "起始年": plan.period_start,
        "截止年": plan.period_end,
        "无废细胞计划数": plan.cells_planned_total,
        "无废细胞建成数": plan.cells_built_total,
    }


def _owners(item, names: dict[int, str], role: Role) -> str:
    return S.join_names([names[a.department_id] for a in item.assignments if a.role == role])


def _deadline_columns(task: Task) -> dict[str, Any]:
    return {
        "完成期限": task.deadline_raw,
        "完成情况": task.ledger_status,
        "截止日期": task.due_date.isoformat() if task.due_date else None,
        "期限类型": task.deadline_kind,
    }


def _task_row(task: Task, names: dict[int, str]) -> dict[str, Any]:
    return {
        "方案": _plan_ref(task.plan),
        "清单": S.LIST_NAMES[ListKind(task.list_kind)],
        "序号": task.number,
        "分组": task.list_name,
        "任务类别": task.category,
        "任务名称": task.title,
        "主要内容": task.content,
        "牵头单位": _owners(task, names, Role.LEAD),
        "配合单位": _owners(task, names, Role.SUPPORTING),
        "落实单位": _owners(task, names, Role.IMPLEMENTER),
        "责任原文": task.owners_raw,
        "落实原文": task.implementers_raw,
        **_deadline_columns(task),
    }


def _project_row(task: Task, names: dict[int, str]) -> dict[str, Any]:
    return {
        "方案": _plan_ref(task.plan),
        "序号": task.number,
        "分组": task.list_name,
        "任务类别": task.category,
        "项目名称": task.title,
        "责任主体": task.responsible_entity,
        "主要内容": task.content,
        "牵头单位": _owners(task, names, Role.LEAD),
        "配合单位": _owners(task, names, Role.SUPPORTING),
        "责任原文": task.owners_raw,
        **_deadline_columns(task),
    }


def _indicator_row(indicator: Indicator, names: dict[int, str]) -> dict[str, Any]:
    own_values = [v for v in indicator.values if v.source == indicator.plan.title[:200]]
    return {
        "方案": _plan_ref(indicator.plan),
        "序号": indicator.number,
        "一级指标": indicator.level1,
        "二级指标": indicator.level2,
        "三级指标": indicator.name,
        "标识": indicator.marks,
        "指标类型": indicator.category,
        "现状值": indicator.baseline_raw,
        "现状值年份": indicator.baseline_year,
        "目标值": indicator.target_raw,
        "目标年份": indicator.target_year,
        "单位": indicator.unit,
        "数据来源": indicator.data_source,
        "指标属性": S.ATTRIBUTE_NAMES.get(indicator.attribute or "", indicator.attribute),
        "牵头单位": _owners(indicator, names, Role.LEAD),
        "配合单位": _owners(indicator, names, Role.SUPPORTING),
        "责任原文": indicator.owners_raw,
        "指标解释": indicator.definition,
        "实际值": "；".join(f"{v.year}年：{v.value_raw}" for v in own_values) or None,
        "预计完成情况": next((v.forecast for v in own_values if v.forecast), None),
    }


def _cell_row(cell: CellCount) -> dict[str, Any]:
    return {
        "方案": _plan_ref(cell.plan),
        "序号": cell.number,
        "类别": cell.category,
        "数量": cell.count_raw,
        "推进情况": cell.status,
        "牵头部门": cell.lead_raw,
    }


def _department_row(department: Department) -> dict[str, Any]:
    return {
        "地区": department.jurisdiction.name,
        "名称": department.name,
        "类型": department.kind,
        "别名": S.join_names([a.alias for a in department.aliases]),
        "上级单位": department.parent.name if department.parent else None,
    }


def write_sheet(book: Workbook, name: str, rows: list[dict[str, Any]]) -> None:
    """One sheet of rows; a row's DOUBTS_KEY doubts fill its 待确认 columns and mark their cells."""
    headers = list(S.COLUMNS[name])
    sheet = book.create_sheet(name)
    sheet.append(headers)
    for row in rows:
        doubts = row.get(DOUBTS_KEY) or []
        values = {**row, **S.doubt_cells(name, row, doubts)} if doubts else row
        sheet.append([values.get(h) for h in headers])
        if doubts:
            _mark_doubts(sheet, headers, name, doubts)
    style_sheet(sheet, headers)
    if S.DOUBT_RECORD in headers:
        sheet.column_dimensions[get_column_letter(headers.index(S.DOUBT_RECORD) + 1)].hidden = True


def _mark_doubts(sheet, headers: list[str], name: str, doubts: list[Doubt]) -> None:
    """Highlight the cells in doubt (and 待确认) on the last row, each with its doubts as a comment."""
    notes: dict[str, list[str]] = {}
    for doubt in doubts:
        columns = S.DOUBT_COLUMNS.get(name, {}).get(doubt.field) or ()
        label = DOUBT_FIELDS.get(doubt.field, doubt.field)
        for header in columns or (S.DOUBTS,):
            notes.setdefault(header, []).append(f"待确认（{label}）：{doubt.message}")
    row = sheet.max_row
    for header, lines in notes.items():
        cell = sheet.cell(row=row, column=headers.index(header) + 1)
        cell.fill = _DOUBT_FILL
        if header != S.DOUBTS:
            cell.comment = Comment("\n".join(lines), "wufei")
    doubt_cell = sheet.cell(row=row, column=headers.index(S.DOUBTS) + 1)
    doubt_cell.fill = _DOUBT_FILL
    doubt_cell.alignment = Alignment(wrap_text=True, vertical="top")


def style_sheet(sheet, headers: list[str]) -> None:
    for index, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = 40 if header in _WIDE else 14
    sheet.freeze_panes = "A2"

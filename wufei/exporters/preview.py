"""A preview as the import workbook: the records as read, in the ledger workbook's sheets and
columns, each row's open doubts in its 待确认 columns and its doubtful cells highlighted.

Owners are written as the document names them (not the departments they resolve to), so that
importing the workbook resolves them again exactly as importing the document would: the same
records come back, with whatever the office changed in Excel.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook

from wufei.exporters.ledger import DOUBTS_KEY, write_readme, write_sheet
from wufei.importers import sheet_schema as S
from wufei.importers.preview import FilePreview, PlanView, RecordView
from wufei.importers.records import CellRecord, Doubt, IndicatorRecord, ListKind, ParsedPlan, TaskRecord
from wufei.plans.service import owners_of


def write_preview_workbook(path: Path, previews: list[FilePreview]) -> dict[str, int]:
    """Every readable plan of the previews in one workbook; returns rows written per sheet."""
    rows: dict[str, list[dict[str, Any]]] = {sheet: [] for sheet in S.COLUMNS}
    for preview in previews:
        for view in preview.plans:
            if view.parsed is not None:
                _plan_rows(view, view.parsed, rows)
        for department in preview.department_rows:
            rows[S.DEPARTMENTS].append(
                {
                    "地区": department.jurisdiction,
                    "名称": department.name,
                    "类型": department.kind,
                    "别名": S.join_names(department.aliases),
                    "上级单位": department.parent,
                }
            )
    book = Workbook()
    book.remove(book.active)
    for sheet, sheet_rows in rows.items():
        write_sheet(book, sheet, sheet_rows)
    write_readme(book)
    book.save(path)
    return {sheet: len(sheet_rows) for sheet, sheet_rows in rows.items()}


def _open(doubts) -> list[Doubt]:
    return [Doubt(d.field, d.message, d.text) for d in doubts if d.open]


def _plan_rows(view: PlanView, plan: ParsedPlan, rows: dict[str, list[dict[str, Any]]]) -> None:
    ref = plan.doc_number or plan.title
    if plan.plan_fields_known:
        own = [*view.doubts, *(d for f in view.fields for d in f.doubts)]
        rows[S.PLANS].append({**_plan_row(plan), DOUBTS_KEY: _open(own)})
    for record, shown in zip(plan.tasks, view.tasks, strict=True):
        sheet = S.PROJECTS if record.list_kind == ListKind.PROJECT else S.TASKS
        row = _project_row(ref, record) if sheet == S.PROJECTS else _task_row(ref, record)
        rows[sheet].append({**row, DOUBTS_KEY: _record_doubts(shown)})
    for indicator, shown in zip(plan.indicators, view.indicators, strict=True):
        rows[S.INDICATORS].append({**_indicator_row(ref, indicator), DOUBTS_KEY: _record_doubts(shown)})
    for cell, shown in zip(plan.cells, view.cells, strict=True):
        rows[S.CELLS].append({**_cell_row(ref, cell), DOUBTS_KEY: _record_doubts(shown)})


def _record_doubts(view: RecordView) -> list[Doubt]:
    return _open(view.all_doubts)


def _plan_row(plan: ParsedPlan) -> dict[str, Any]:
    return {
        "方案名称": plan.title,
        "文号": plan.doc_number,
        "地区": plan.jurisdiction,
        "类型": S.PLAN_KIND_NAMES[plan.kind],
        "印发单位": plan.issuer,
        "印发日期": plan.issued_on.isoformat() if plan.issued_on else None,
        "起始年": plan.period_start,
        "截止年": plan.period_end,
        "无废细胞计划数": plan.cells_planned_total,
        "无废细胞建成数": plan.cells_built_total,
    }


def _owner_columns(record: TaskRecord | IndicatorRecord) -> dict[str, Any]:
    owners = owners_of(record)
    return {
        "牵头单位": S.join_names(owners.get("leads", ())) or None,
        "配合单位": S.join_names(owners.get("supporting", ())) or None,
        "责任原文": record.owners_raw,
    }


def _task_row(ref: str, record: TaskRecord) -> dict[str, Any]:
    return {
        "方案": ref,
        "清单": S.LIST_NAMES[record.list_kind],
        "序号": record.number,
        "分组": record.list_name,
        "任务类别": record.category,
        "任务名称": record.title,
        "主要内容": record.content,
        **_owner_columns(record),
        "落实单位": S.join_names(owners_of(record).get("implementers", ())) or None,
        "落实原文": record.implementers_raw,
        "完成期限": record.deadline_raw,
        "完成情况": record.status,
    }


def _project_row(ref: str, record: TaskRecord) -> dict[str, Any]:
    return {
        "方案": ref,
        "序号": record.number,
        "分组": record.list_name,
        "任务类别": record.category,
        "项目名称": record.title,
        "责任主体": record.responsible_entity,
        "主要内容": record.content,
        **_owner_columns(record),
        "完成期限": record.deadline_raw,
        "完成情况": record.status,
    }


def _indicator_row(ref: str, record: IndicatorRecord) -> dict[str, Any]:
    return {
        "方案": ref,
        "序号": record.number,
        "一级指标": record.level1,
        "二级指标": record.level2,
        "三级指标": record.name,
        "标识": record.marks,
        "指标类型": record.category,
        "现状值": record.baseline_raw,
        "现状值年份": record.baseline_year_default,
        "目标值": record.target_raw,
        "目标年份": record.target_year,
        "单位": record.unit,
        "数据来源": record.data_source,
        "指标属性": record.attribute_raw,
        **_owner_columns(record),
        "指标解释": record.definition,
        "实际值": "；".join(f"{year}年：{raw}" for year, raw in sorted(record.observed.items())) or None,
        "预计完成情况": record.forecast_raw,
    }


def _cell_row(ref: str, record: CellRecord) -> dict[str, Any]:
    return {
        "方案": ref,
        "序号": record.number,
        "类别": record.category,
        "数量": record.count_raw,
        "推进情况": record.status,
        "牵头部门": record.lead_raw,
    }

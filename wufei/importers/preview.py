"""What an import would store, field by field, with every field a person must check.

`plan_view` turns a parsed plan and (when the loader ran) what the loader made of it into plain
views: the plan's own fields, then each task, indicator and cell with its fields as understood
(names as written and the departments they stand for, the deadline as printed and the due date
read from it, the target as printed) and the doubts on each field. The command line, the JSON
output, the portal and the preview workbook all show these views; nothing here touches the
database.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from wufei.importers.records import DOUBT_FIELDS, Doubt, ListKind, ParsedPlan
from wufei.importers.sheet_schema import LIST_NAMES, PLAN_KIND_NAMES
from wufei.plans.service import ImportSummary, LoadedRecord, owners_of
from wufei.tasks.ledger_status import describe, read_status

DEADLINE_KINDS = {"fixed": "按期完成", "annual": "每年年底", "ongoing": "持续推进"}
ATTRIBUTE_NAMES = {"binding": "约束性", "expected": "预期性"}
TYPE_NAMES = {"plan": "方案", "task": "任务", "project": "项目", "indicator": "指标", "cell": "无废细胞"}
CHANGE_NAMES = {"created": "新增", "updated": "更新", "unchanged": "不变"}
STATUS_NAMES = {"open": "待确认", "confirmed": "已确认", "corrected": "已更正"}
FORMAT_NAMES = {"text": "文本", "docx": "Word", "doc": "Word", "wps": "WPS", "pdf": "PDF", "html": "网页"}
FORMAT_NAMES |= {"xlsx": "Excel", "csv": "CSV", "workbook": "导入工作簿", "ofd": "OFD", "image": "图片（文字识别）"}


@dataclass
class DoubtView:
    field: str
    message: str
    text: str | None
    status: str = "open"  # open / confirmed / corrected: what was decided about it before

    @property
    def open(self) -> bool:
        return self.status == "open"

    def as_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "field_cn": DOUBT_FIELDS.get(self.field, self.field),
            "message": self.message,
            "text": self.text,
            "status": self.status,
            "status_cn": STATUS_NAMES.get(self.status, self.status),
        }


@dataclass
class FieldView:
    key: str  # leads, deadline, target … (a DOUBT_FIELDS key where one applies)
    label: str  # 牵头单位
    value: str  # as understood; "" when empty
    resolved: str | None = None  # what the value stands for, when it differs: departments, a due date
    doubts: list[DoubtView] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return any(d.open for d in self.doubts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "value": self.value,
            "resolved": self.resolved,
            "doubts": [d.as_dict() for d in self.doubts],
        }


@dataclass
class RecordView:
    kind: str  # task / project / indicator / cell
    index: int  # position among the plan's records of its list (tasks, indicators or cells)
    label: str  # 制度体系 3, 指标 10
    where: str | None
    fields: list[FieldView]
    doubts: list[DoubtView] = field(default_factory=list)  # about the record, not one of its fields
    change: str | None = None  # created / updated / unchanged; None when the loader did not run

    @property
    def all_doubts(self) -> list[DoubtView]:
        return [*self.doubts, *(d for f in self.fields for d in f.doubts)]

    @property
    def open_doubts(self) -> int:
        return sum(1 for d in self.all_doubts if d.open)

    def field(self, key: str) -> FieldView | None:
        return next((f for f in self.fields if f.key == key), None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "kind_cn": TYPE_NAMES[self.kind],
            "label": self.label,
            "where": self.where,
            "change": self.change,
            "fields": [f.as_dict() for f in self.fields],
            "doubts": [d.as_dict() for d in self.doubts],
        }


@dataclass
class PlanView:
    index: int
    title: str
    fields: list[FieldView]
    doubts: list[DoubtView]
    tasks: list[RecordView]
    indicators: list[RecordView]
    cells: list[RecordView]
    warnings: list[str]
    error: str | None = None  # the loader refused it: nothing of this plan would be stored
    change: str | None = None
    parsed: ParsedPlan | None = field(default=None, repr=False)  # the records as read, for the workbook

    @property
    def records(self) -> list[RecordView]:
        return [*self.tasks, *self.indicators, *self.cells]

    @property
    def all_doubts(self) -> list[DoubtView]:
        own = [*self.doubts, *(d for f in self.fields for d in f.doubts)]
        return own + [d for r in self.records for d in r.all_doubts]

    @property
    def open_doubts(self) -> int:
        return sum(1 for d in self.all_doubts if d.open)

    def doubt_counts(self) -> Counter:
        """Open doubts by the Chinese name of their field."""
        return Counter(DOUBT_FIELDS.get(d.field, d.field) for d in self.all_doubts if d.open)

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "change": self.change,
            "error": self.error,
            "fields": [f.as_dict() for f in self.fields],
            "doubts": [d.as_dict() for d in self.doubts],
            "tasks": [r.as_dict() for r in self.tasks],
            "indicators": [r.as_dict() for r in self.indicators],
            "cells": [r.as_dict() for r in self.cells],
            "warnings": self.warnings,
            "counts": {
                "tasks": len(self.tasks),
                "indicators": len(self.indicators),
                "cells": len(self.cells),
                "records": len(self.records),
                "doubts": self.open_doubts,
            },
        }


@dataclass
class FilePreview:
    file: str
    ok: bool  # readable; a plan the loader refused still shows, with its error
    plans: list[PlanView] = field(default_factory=list)
    departments: int = 0
    error: str | None = None
    department_rows: list = field(default_factory=list, repr=False)  # a workbook's 部门 rows, as read

    @property
    def records(self) -> int:
        return sum(len(p.records) for p in self.plans)

    @property
    def open_doubts(self) -> int:
        return sum(p.open_doubts for p in self.plans)

    @property
    def committable(self) -> bool:
        return self.ok and all(p.error is None for p in self.plans)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "ok": self.ok,
            "error": self.error,
            "departments": self.departments,
            "records": self.records,
            "doubts": self.open_doubts,
            "plans": [p.as_dict() for p in self.plans],
        }


# --- building the views ---------------------------------------------------------------------


def plan_view(
    index: int, parsed: ParsedPlan, summary: ImportSummary | None = None, error: str | None = None
) -> PlanView:
    """The plan as parsed; with the loader's summary, as it would be stored (owners resolved,
    deadlines read, the loader's doubts and what was already decided about each)."""
    by_kind: dict[str, list[LoadedRecord]] = {"task": [], "indicator": [], "cell": []}
    for record in summary.records if summary else ():
        by_kind[str(record.record_type)].append(record)
    plan_doubts = _doubt_views(summary.plan_doubts, summary.plan_statuses) if summary else _doubt_views(parsed.doubts)
    fields = _plan_fields(parsed)
    view = PlanView(
        index=index,
        title=parsed.title,
        fields=fields,
        doubts=_place(plan_doubts, fields),
        tasks=[_task_view(i, r, _at(by_kind["task"], i)) for i, r in enumerate(parsed.tasks)],
        indicators=[_indicator_view(i, r, _at(by_kind["indicator"], i)) for i, r in enumerate(parsed.indicators)],
        cells=[_cell_view(i, r, _at(by_kind["cell"], i)) for i, r in enumerate(parsed.cells)],
        warnings=_new_warnings(summary.warnings if summary else parsed.warnings, plan_doubts, summary),
        error=error,
        change=_plan_change(summary),
        parsed=parsed,
    )
    return view


def _new_warnings(warnings: list[str], plan_doubts: list[DoubtView], summary: ImportSummary | None) -> list[str]:
    """The warnings no doubt already says (the loader warns of each doubtful owner, with its lines)."""
    messages = {d.message for d in plan_doubts}
    if summary is not None:
        messages |= {d.message for r in summary.records for d in r.doubts}
    return [w for w in warnings if not any(m in w for m in messages)]


def _at(records: list[LoadedRecord], index: int) -> LoadedRecord | None:
    # The loader keeps the parser's order within each kind of record.
    return records[index] if index < len(records) else None


def _plan_change(summary: ImportSummary | None) -> str | None:
    if summary is None:
        return None
    for change in ("created", "updated"):
        if summary.changes.get(change):
            return change
    return "unchanged"


def _doubt_views(doubts: list[Doubt], statuses: list[str] | None = None) -> list[DoubtView]:
    statuses = statuses or []
    return [
        DoubtView(d.field, d.message, d.text, statuses[i] if i < len(statuses) else "open")
        for i, d in enumerate(doubts)
    ]


def _place(doubts: list[DoubtView], fields: list[FieldView]) -> list[DoubtView]:
    """Put each doubt on its field; return those about the record as a whole."""
    keys = {f.key: f for f in fields}
    rest = []
    for doubt in doubts:
        target = keys.get(doubt.field)
        if target is None:
            rest.append(doubt)
        else:
            target.doubts.append(doubt)
    return rest


def _record_doubts(record, loaded: LoadedRecord | None) -> list[DoubtView]:
    if loaded is not None:
        return _doubt_views(loaded.doubts, loaded.statuses)
    return _doubt_views(record.doubts)


def _plan_fields(parsed: ParsedPlan) -> list[FieldView]:
    period = ""
    if parsed.period_start or parsed.period_end:
        period = f"{parsed.period_start or '？'}—{parsed.period_end or '？'}年"
    return [
        FieldView("title", "方案名称", parsed.title or ""),
        FieldView("doc_number", "文号", parsed.doc_number or ""),
        FieldView("jurisdiction", "地区", parsed.jurisdiction or ""),
        FieldView("kind", "类型", PLAN_KIND_NAMES.get(parsed.kind, str(parsed.kind))),
        FieldView("issuer", "印发单位", parsed.issuer or ""),
        FieldView("issued_on", "印发日期", cn_date(parsed.issued_on)),
        FieldView("period", "规划期", period),
        FieldView("format", "文件格式", FORMAT_NAMES.get(parsed.format, parsed.format)),
    ]


def _owner_fields(record, loaded: LoadedRecord | None, roles: tuple[str, ...]) -> list[FieldView]:
    owners = loaded.owners if loaded is not None else owners_of(record)
    fields = []
    for role in roles:
        names = owners.get(role, ())
        value = "、".join(names)
        resolved = None
        if loaded is not None:
            departments = "、".join(loaded.departments.get(role, []))
            resolved = departments if departments != value else None
        fields.append(FieldView(role, DOUBT_FIELDS[role], value, resolved))
    return fields


def _deadline_field(record, loaded: LoadedRecord | None) -> FieldView:
    resolved = None
    if loaded is not None:
        kind = loaded.fields.get("deadline_kind")
        due = loaded.fields.get("due_date")
        note = loaded.fields.get("deadline_note")
        kind_name = DEADLINE_KINDS.get(kind, kind) if kind else None
        resolved = "；".join(filter(None, [cn_date(due) if due else None, kind_name, note]))
        resolved = None if resolved == record.deadline_raw else resolved
    return FieldView("deadline", "完成期限", record.deadline_raw or "", resolved)


def _task_view(index: int, record, loaded: LoadedRecord | None) -> RecordView:
    project = record.list_kind == ListKind.PROJECT
    list_name = LIST_NAMES.get(record.list_kind, str(record.list_kind))
    group = f"（{record.list_name}）" if record.list_name not in (None, list_name) else ""
    fields = [
        FieldView("list", "清单", list_name + group),
        FieldView("number", "序号", record.number or ""),
        FieldView("title", "项目名称" if project else "任务名称", record.title or ""),
    ]
    if record.category:
        fields.append(FieldView("category", "任务类别", record.category))
    if record.content:
        fields.append(FieldView("content", "主要内容", record.content))
    if project:
        fields.append(FieldView("responsible_entity", "责任主体", record.responsible_entity or ""))
    fields += _owner_fields(record, loaded, ("leads", "supporting", "implementers"))
    if record.owners_raw:
        fields.append(FieldView("owners_raw", "责任原文", record.owners_raw))
    fields.append(_deadline_field(record, loaded))
    if record.status:
        fields.append(FieldView("status", "完成情况", record.status, describe(read_status(record.status))))
    return RecordView(
        kind="project" if project else "task",
        index=index,
        label=f"{list_name} {record.number}",
        where=record.where or f"第{record.line}行",
        fields=fields,
        doubts=_place(_record_doubts(record, loaded), fields),
        change=loaded.change if loaded else None,
    )


def _indicator_view(index: int, record, loaded: LoadedRecord | None) -> RecordView:
    attribute = record.attribute_raw
    if loaded is not None and loaded.fields.get("attribute"):
        attribute = ATTRIBUTE_NAMES.get(loaded.fields["attribute"], loaded.fields["attribute"])
    target_resolved = None
    if loaded is not None:
        target_resolved = _target_text(loaded.fields)
    fields = [
        FieldView("number", "序号", record.number or ""),
        FieldView("title", "三级指标", record.name or ""),
        FieldView("marks", "标识", record.marks or ""),
        FieldView("unit", "单位", record.unit or ""),
        FieldView("baseline", "现状值", record.baseline_raw or ""),
        FieldView("target", "目标值", record.target_raw or "", target_resolved),
        FieldView("attribute", "指标属性", attribute or ""),
        *_owner_fields(record, loaded, ("leads", "supporting")),
    ]
    if record.level1 or record.level2:
        fields.insert(1, FieldView("levels", "一级/二级指标", " / ".join(filter(None, [record.level1, record.level2]))))
    return RecordView(
        kind="indicator",
        index=index,
        label=f"指标 {record.number}",
        where=record.where or f"第{record.line}行",
        fields=fields,
        doubts=_place(_record_doubts(record, loaded), fields),
        change=loaded.change if loaded else None,
    )


def _target_text(fields: dict[str, Any]) -> str | None:
    kind = fields.get("target_kind")
    if kind == "numeric":
        comparator = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}.get(fields.get("target_comparator") or "", "")
        value = _number(fields.get("target_value"))
        high = fields.get("target_value_high")
        return f"数值 {comparator}{value}" + (f"～{_number(high)}" if high is not None else "")
    if kind == "qualitative":
        return "文字目标" + ("" if fields.get("target_qualitative") else "（未能识别含义）")
    return None


def _number(value) -> str:
    return format(value.normalize(), "f") if hasattr(value, "normalize") else str(value)


def _cell_view(index: int, record, loaded: LoadedRecord | None) -> RecordView:
    lead = record.lead_raw or ""
    resolved = None
    if loaded is not None:
        departments = "、".join(loaded.departments.get("leads", []))
        resolved = departments if departments and departments != lead else None
    fields = [
        FieldView("title", "类别", record.category or ""),
        FieldView("count", "数量", record.count_raw or ""),
        FieldView("status", "推进情况", record.status or ""),
        FieldView("leads", "牵头部门", lead, resolved),
    ]
    return RecordView(
        kind="cell",
        index=index,
        label=f"无废细胞 {record.category}",
        where=record.where or f"第{record.line}行",
        fields=fields,
        doubts=_place(_record_doubts(record, loaded), fields),
        change=loaded.change if loaded else None,
    )


def cn_date(day: date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""

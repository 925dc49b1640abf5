"""Loading a parsed plan into the ledger: validate everything, then upsert by natural key.

Re-importing the same file changes nothing; a corrected file updates what
changed and each change lands in the audit trail. A fatal problem (a duplicate
number in a workbook, a missing name) raises ImportError_ before anything is
written. A field that cannot be read with confidence is not fatal: the record is
kept with what was understood and a `Doubt` on the field (an unreadable or
relative deadline: raw text, no due date; an unreadable target: kept as text; an
owner the registry does not know). After `import_plan` every record of the
ParsedPlan carries its doubts, those of the text and those found here. Services
never commit.

A deadline naming several dates (2022年底前完成A，2025年底前完成B) is due on the last;
the earlier ones become the task's milestones (source `document`), which keep the
yearly generated ones away and which the office may change like its own. So do the
earlier deadlines of a task's parts printed apart (one row per responsible unit).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session, selectinload

from wufei.audit import service as audit
from wufei.audit.models import AuditEntry
from wufei.cells.models import CellCount
from wufei.db import table_of
from wufei.departments.owners import parse_owners, split_names
from wufei.departments.registry import Registry
from wufei.departments.service import OwnerResolver, ensure_jurisdiction
from wufei.doubts.models import DoubtStatus, RecordType
from wufei.doubts.service import RecordDoubts, sync_import_doubts
from wufei.importers.records import CellRecord, Doubt, ImportError_, IndicatorRecord, ParsedPlan, TaskRecord
from wufei.indicators.models import Indicator, IndicatorDepartment, IndicatorValue
from wufei.indicators.targets import Target, TargetKind, direction_from_name, parse_baseline, parse_target
from wufei.lights.rules import expected_progress, round_half_up
from wufei.plans.models import Plan
from wufei.plans.queries import plan_start
from wufei.tasks.deadlines import Checkpoint, Deadline, DeadlineError, DeadlineKind, parse_deadline
from wufei.tasks.ledger_status import Standing, StatusReading, done_message, read_status, unclear_message
from wufei.tasks.models import Milestone, Role, Task, TaskDepartment, task_reference

ATTRIBUTES = {"约束性": "binding", "预期性": "expected"}
ROLE_FIELDS = {Role.LEAD: "leads", Role.SUPPORTING: "supporting", Role.IMPLEMENTER: "implementers"}
NO_LEAD = "未写明牵头单位，待办公室指定"
# The record columns (and owner roles) behind each doubt field: a doubt on a field the import
# changed counts as corrected.
DOUBT_COLUMNS = {
    "title": {"title", "name", "category"},
    "leads": {"lead", "owners_raw", "lead_raw", "lead_department_id"},
    "supporting": {"supporting", "owners_raw"},
    "implementers": {"implementer", "implementers_raw"},
    "deadline": {"deadline_raw"},
    "status": {"ledger_status"},
    "baseline": {"baseline_raw"},
    "target": {"target_raw"},
    "unit": {"unit"},
    "count": {"count_raw"},
    "jurisdiction": {"jurisdiction_id"},
    "period": {"period_start", "period_end"},
}


@dataclass
class LoadedRecord:
    """One record as the import stored it: what the preview shows and the doubts belong to."""

    record_type: RecordType
    id: int
    key: tuple[str, ...]
    fields: dict[str, Any]  # the validated columns (due date, deadline kind, parsed target …)
    owners: dict[str, tuple[str, ...]]  # role → names as written
    departments: dict[str, list[str]]  # role → the departments those names stand for
    doubts: list[Doubt]  # the parser's and the loader's
    change: str  # created / updated / unchanged
    changed: set[str] = field(default_factory=set)  # columns (and owner roles) this import changed
    statuses: list[str] = field(default_factory=list)  # each doubt's status once stored


NOTE_UNREADABLE = "期限无法识别，待确认"
DOCUMENT = "document"  # milestones named by the plan itself (a deadline with several dates)
# Column widths (wufei.db Name = 200, task titles 500): longer text is cut, with a doubt.
_NAME_MAX, _TITLE_MAX = 200, 500


@dataclass
class ImportSummary:
    file: str
    plan_id: int
    plan_title: str
    doc_number: str | None
    counts: dict[str, int]
    changes: Counter = field(default_factory=Counter)  # created / updated / deleted / unchanged
    warnings: list[str] = field(default_factory=list)
    records: list[LoadedRecord] = field(default_factory=list)
    plan_doubts: list[Doubt] = field(default_factory=list)
    plan_statuses: list[str] = field(default_factory=list)
    # What the ledger's status column did to the tasks stored (Chinese, one line a task): completions
    # taken from it, and completions recorded in wufei that a ledger saying otherwise left alone.
    ledger: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "plan_id": self.plan_id,
            "plan": self.plan_title,
            "doc_number": self.doc_number,
            "counts": self.counts,
            "changes": dict(self.changes),
            "warnings": self.warnings,
            "ledger": self.ledger,
        }


@dataclass
class _Row:
    """A validated record: column values plus the owners by role."""

    key: tuple[str, ...]
    fields: dict[str, Any]
    owners: dict[Role, tuple[str, ...]]
    line: int
    values: list[dict[str, Any]] = field(default_factory=list)  # indicator values
    doubts: list[Doubt] = field(default_factory=list)
    record: Any = None  # the record it came from, to hang doubts on
    checkpoints: tuple[Checkpoint, ...] = ()  # earlier dates of a task's deadline: its milestones
    standing: StatusReading | None = None  # a task's status by its ledger


def import_plan(
    session: Session,
    parsed: ParsedPlan,
    *,
    registry: Registry,
    actor: str = "import",
    source: str | None = None,
    today: date | None = None,
) -> ImportSummary:
    """`today`: the import's day, on which a task its ledger marks done without a date is completed (by
    default `import_day()`)."""
    source = source or parsed.path
    existing_plan = None if parsed.plan_fields_known else _existing_plan(session, parsed)
    if existing_plan is not None:  # deadlines are read against the plan's own period
        parsed.period_start, parsed.period_end = existing_plan.period_start, existing_plan.period_end
        parsed.issued_on = existing_plan.issued_on
    tasks = _with_doubts(parsed.tasks, [_task_row(parsed, r) for r in parsed.tasks])
    indicators = _with_doubts(parsed.indicators, _indicator_rows(parsed))
    cells = _with_doubts(parsed.cells, _cell_rows(parsed))
    _check_unique(parsed, tasks, "任务")
    _check_unique(parsed, indicators, "指标")

    place_doubts = [d.message for d in parsed.doubts if d.field == "jurisdiction"]
    if existing_plan is None:
        jurisdiction = ensure_jurisdiction(
            session, registry, parsed.jurisdiction, path=parsed.path, reason="；".join(place_doubts) or None
        )
        plan, plan_change, plan_changed = _upsert_plan(session, parsed, jurisdiction.id, actor, source)
    else:
        plan, plan_change, plan_changed = existing_plan, "unchanged", set()
        jurisdiction = ensure_jurisdiction(session, registry, plan.jurisdiction.name, path=parsed.path)
    resolver = OwnerResolver(session, registry, jurisdiction)
    summary = ImportSummary(
        file=parsed.path,
        plan_id=plan.id,
        plan_title=plan.title,
        doc_number=plan.doc_number,
        counts={},
        warnings=list(parsed.warnings) + [f"{parsed.path}：地区待确认：{message}" for message in place_doubts],
    )
    summary.changes[plan_change] += 1

    sync = _Sync(session, plan, resolver, actor, source, summary, parsed.complete, today or import_day())
    task_ids = sync.children(Task, TaskDepartment, tasks, ("list_kind", "number"), "task_id")
    sync.milestones(tasks, task_ids)
    sync.ledger(tasks, task_ids, today)
    sync.children(Indicator, IndicatorDepartment, indicators, ("number", "seq"), "indicator_id")
    sync.cells(cells)
    summary.warnings.extend(resolver.warnings)
    mismatch = _cell_total_doubt(parsed, cells)
    summary.warnings.extend(f"{parsed.path}：{d.message}" for d in mismatch)
    _store_doubts(session, parsed, plan, summary, plan_changed, actor, source, mismatch)
    summary.warnings.extend(_other_targets_warning(parsed))

    by_kind = Counter(str(row.fields["list_kind"]) for row in tasks)
    summary.counts = {f"tasks_{kind}": n for kind, n in sorted(by_kind.items())}
    summary.counts["tasks"] = len(tasks)
    summary.counts["awaiting_assignment"] = sum(1 for row in tasks if row.fields["awaiting_assignment"])
    summary.counts["indicators"] = len(indicators)
    summary.counts["indicator_values"] = sum(len(row.values) for row in indicators)
    summary.counts["cells"] = len(cells)
    summary.counts["completed_by_ledger"] = sync.completed_by_ledger
    statuses = [*summary.plan_statuses, *(s for r in summary.records for s in r.statuses)]
    summary.counts["doubts"] = sum(1 for status in statuses if status == DoubtStatus.OPEN)
    return summary


def import_day() -> date:
    """The day of an import run now: WUFEI_TODAY when fixed (the demo, tests, as the portal reads it), else
    the local date of the cadence's time zone."""
    fixed = os.environ.get("WUFEI_TODAY", "").strip()
    if fixed:
        return date.fromisoformat(fixed)
    from wufei.cadence.config import CadenceConfig

    return CadenceConfig.load().today()


def _with_doubts(records, rows: list[_Row]) -> list[_Row]:
    """Each row carries its record's doubts (the parser's) with the validation's, once each."""
    for record, row in zip(records, rows, strict=True):
        row.doubts = list(dict.fromkeys([*record.doubts, *row.doubts]))
    return rows


def _store_doubts(
    session: Session,
    parsed: ParsedPlan,
    plan: Plan,
    summary: ImportSummary,
    plan_changed: set[str],
    actor: str,
    source: str,
    plan_doubts: list[Doubt],
) -> None:
    """Every record's doubts into the doubts table; the plan's own (the parser's and `plan_doubts`,
    the loader's) only when the source describes the plan."""
    entries = [RecordDoubts(r.record_type, r.id, r.doubts, _doubt_fields(r.changed)) for r in summary.records]
    if parsed.plan_fields_known:
        summary.plan_doubts = list(dict.fromkeys([*parsed.doubts, *plan_doubts]))
        entries.insert(0, RecordDoubts(RecordType.PLAN, plan.id, summary.plan_doubts, _doubt_fields(plan_changed)))
    stored = sync_import_doubts(session, plan_id=plan.id, records=entries, actor=actor, source=source)
    if parsed.plan_fields_known:
        summary.plan_statuses = [str(row.status) for row in stored.pop(0)]
    for record, rows in zip(summary.records, stored, strict=True):
        record.statuses = [str(row.status) for row in rows]


def _doubt_fields(columns: set[str]) -> frozenset[str]:
    return frozenset(name for name, behind in DOUBT_COLUMNS.items() if behind & columns)


def _cell_total_doubt(parsed: ParsedPlan, cells: list[_Row]) -> list[Doubt]:
    total = sum(row.fields["count"] or 0 for row in cells)
    if cells and parsed.cells_built_total is not None and total != parsed.cells_built_total:
        message = f"无废细胞各类数量合计 {total} 个，与文中所述建成总数 {parsed.cells_built_total} 个不一致"
        return [Doubt("count", message, str(parsed.cells_built_total))]
    return []


def _other_targets_warning(parsed: ParsedPlan) -> list[str]:
    """Targets beside the final one have no column yet: say so rather than drop them silently."""
    kept = [i for i in parsed.indicators if i.other_targets]
    if not kept:
        return []
    labels = "、".join(dict.fromkeys(label for i in kept for label in i.other_targets))
    return [f"{parsed.path}：{len(kept)}项指标另列有{labels}，仅导入最终目标值，其余见导入预览"]


# --- validation: records to rows, raising ImportError_ on the first fatal problem -------------


def _task_row(parsed: ParsedPlan, record: TaskRecord) -> _Row:
    deadline = _deadline(parsed, record)
    standing = _standing(record)
    owners = _owners(record.owners_raw, record.leads, record.supporting, record.implementers_raw, record.implementers)
    title = _required(parsed, record.title, record.line, "任务名称")
    content = record.content
    if len(title) > _TITLE_MAX:
        title, content = title[:_TITLE_MAX], title[_TITLE_MAX:] + (content or "")
        _doubt(record, "title", f"任务名称超过{_TITLE_MAX}字，其余部分已移入主要内容，请精简名称", title[:40])
    fields = {
        "list_kind": str(record.list_kind),
        "list_name": _fit(record, "title", record.list_name),
        "category": _fit(record, "title", record.category),
        "number": record.number,
        "title": title,
        "content": content,
        "owners_raw": record.owners_raw,
        "responsible_entity": _fit(record, "leads", record.responsible_entity),
        "implementers_raw": _fit(record, "implementers", record.implementers_raw),
        "deadline_raw": _fit(record, "deadline", record.deadline_raw),
        "deadline_kind": str(deadline.kind),
        "due_date": deadline.due_date,
        "deadline_note": deadline.note,
        "awaiting_assignment": not owners.get(Role.LEAD),
        "source_line": record.line,
        "ledger_status": _fit(record, "status", record.status),
        "ledger_progress": standing.progress if standing and standing.standing is Standing.OPEN else None,
    }
    return _Row(
        key=(str(record.list_kind), record.number),
        fields=fields,
        owners=owners,
        line=record.line,
        record=record,
        checkpoints=deadline.checkpoints + _part_checkpoints(parsed, record),
        standing=standing,
    )


def _standing(record: TaskRecord) -> StatusReading | None:
    """The ledger's status of a task; a completion taken from it, and a status not to be guessed, each with a
    doubt a person decides (the same on every import of the same cell)."""
    standing = read_status(record.status, today=import_day())
    if standing is None or record.status is None:
        return None
    if standing.standing is Standing.DONE:
        _doubt(record, "status", done_message(record.status, standing), record.status)
    elif standing.standing is Standing.UNCLEAR:
        _doubt(record, "status", unclear_message(record.status), record.status)
    return standing


def _part_checkpoints(parsed: ParsedPlan, record: TaskRecord) -> tuple[Checkpoint, ...]:
    """The dates of a task's parts printed apart (市商务局：2025年6月底前, one row per unit): those before the
    task's due date become its milestones like the earlier dates of its deadline; an unreadable one is none."""
    points = []
    for text in record.part_deadlines:
        try:
            due = parse_deadline(
                text.split("：", 1)[-1],
                plan_start=parsed.period_start,
                plan_end=parsed.period_end,
                issued_on=parsed.issued_on,
            ).due_date
        except DeadlineError:
            continue
        if due is not None:
            points.append(Checkpoint(due, text))
    return tuple(points)


def _deadline(parsed: ParsedPlan, record: TaskRecord) -> Deadline:
    """The task's deadline; what cannot be read is kept as text, without a due date, with a doubt."""
    try:
        deadline = parse_deadline(
            record.deadline_raw, plan_start=parsed.period_start, plan_end=parsed.period_end, issued_on=parsed.issued_on
        )
    except DeadlineError as exc:
        _doubt(record, "deadline", f"{exc}，请填写具体完成日期或期限类型", record.deadline_raw)
        return Deadline(DeadlineKind.FIXED, None, record.deadline_raw, NOTE_UNREADABLE)
    if deadline.doubt:
        _doubt(record, "deadline", deadline.doubt, record.deadline_raw)
    return deadline


def _doubt(record: Any, field_key: str, message: str, text: str | None = None) -> None:
    """Hang a doubt on a record once (importing the same ParsedPlan twice adds nothing)."""
    doubt = Doubt(field_key, message, text)
    if record is not None and doubt not in record.doubts:
        record.doubts.append(doubt)


def _fit(record: Any, field_key: str, text: str | None, limit: int = _NAME_MAX) -> str | None:
    if text is None or len(text) <= limit:
        return text
    _doubt(record, field_key, f"内容超过{limit}字，已截断，请核对原文", text[:40])
    return text[: limit - 1] + "…"


def _indicator_rows(parsed: ParsedPlan) -> list[_Row]:
    seq_by_number: Counter = Counter()
    rows = []
    for record in parsed.indicators:
        seq_by_number[record.number] += 1
        rows.append(_indicator_row(parsed, record, seq_by_number[record.number]))
    return rows


def _indicator_row(parsed: ParsedPlan, record: IndicatorRecord, seq: int) -> _Row:
    name = _required(parsed, record.name, record.line, "指标名称")
    target = _target(record, name)
    baseline = parse_baseline(record.baseline_raw, default_year=record.baseline_year_default)
    attribute = ATTRIBUTES.get(record.attribute_raw or "", record.attribute_raw)
    fields = {
        "number": record.number,
        "seq": seq,
        "level1": record.level1,
        "level2": record.level2,
        "name": name,
        "marks": record.marks or "",
        "category": record.category,
        "unit": None if record.unit in (None, "/") else _fit(record, "unit", record.unit, 64),
        "data_source": _fit(record, "record", record.data_source),
        "attribute": _fit(record, "record", attribute, 64),
        "definition": record.definition,
        "owners_raw": record.owners_raw,
        "baseline_raw": _fit(record, "baseline", record.baseline_raw),
        "baseline_value": baseline.value,
        "baseline_text": baseline.text,
        "baseline_year": baseline.year,
        "target_raw": _fit(record, "target", record.target_raw),
        "target_kind": str(target.kind),
        "target_comparator": target.comparator,
        "target_value": target.value,
        "target_value_high": target.value_high,
        "target_qualitative": str(target.qualitative) if target.qualitative else None,
        "target_year": target.year or record.target_year,
        "direction": str(target.direction),
        "source_line": record.line,
    }
    values = []
    for year, raw in sorted(record.observed.items()):
        observed = parse_baseline(raw, default_year=year)
        values.append(
            {
                "year": year,
                "value": observed.value,
                "value_raw": raw,
                "forecast": record.forecast_raw,
                "source": parsed.title[:200],
            }
        )
    owners = _owners(record.owners_raw, record.leads, record.supporting, None, None)
    return _Row(
        key=(record.number, str(seq)), fields=fields, owners=owners, line=record.line, values=values, record=record
    )


def _target(record: IndicatorRecord, name: str) -> Target:
    """The target; one that is not a number nor a known phrase is kept as text with a doubt."""
    try:
        target = parse_target(record.target_raw, name=name)
    except ValueError as exc:
        _doubt(
            record,
            "target",
            f"目标值无法识别（{exc}），已按文字保存；如为分地区或分阶段的多个目标，请拆分或指定考核目标",
            record.target_raw,
        )
        return Target(TargetKind.QUALITATIVE, None, None, None, None, direction_from_name(name), record.target_raw)
    if target.kind is TargetKind.QUALITATIVE and target.qualitative is None:
        _doubt(
            record,
            "target",
            f"目标值「{record.target_raw}」不是数值，也不是常见的定性目标，请确认如何判断是否完成",
            record.target_raw,
        )
    return target


_COUNT = re.compile(r"^\s*(\d+)\s*(\D*)$")


def _cell_rows(parsed: ParsedPlan) -> list[_Row]:
    rows: list[_Row] = []
    seen: Counter = Counter()
    for record in parsed.cells:
        seen[record.category] += 1
        if seen[record.category] > 1:  # one row per category: a repeated one is told apart, and said
            printed = record.category
            record.category = f"{printed}（{seen[printed]}）"
            _doubt(record, "record", f"无废细胞类别「{printed}」重复，已暂记为「{record.category}」，请核对", printed)
        rows.append(_cell_row(parsed, record))
    return rows


def _cell_row(parsed: ParsedPlan, record: CellRecord) -> _Row:
    match = _COUNT.match(record.count_raw or "")
    if not match:
        _doubt(record, "count", "无废细胞数量无法识别为数字，请填写", record.count_raw)
    fields = {
        "number": record.number,
        "category": _fit(record, "record", record.category),
        "count": int(match.group(1)) if match else None,
        "unit": _fit(record, "unit", match.group(2) or None, 64) if match else None,
        "count_raw": _fit(record, "count", record.count_raw, 64),
        "status": record.status,
        "lead_raw": record.lead_raw,
        "source_line": record.line,
    }
    owners: dict[Role, tuple[str, ...]] = {Role.LEAD: (record.lead_raw,)} if record.lead_raw else {}
    return _Row(key=(str(fields["category"]),), fields=fields, owners=owners, line=record.line, record=record)


def owners_of(record: TaskRecord | IndicatorRecord | CellRecord) -> dict[str, tuple[str, ...]]:
    """A record's owner names as written, by doubt field (leads / supporting / implementers),
    read the way the loader reads them."""
    if isinstance(record, CellRecord):
        return {"leads": (record.lead_raw,)} if record.lead_raw else {}
    implementers = (record.implementers_raw, record.implementers) if isinstance(record, TaskRecord) else (None, None)
    owners = _owners(record.owners_raw, record.leads, record.supporting, *implementers)
    return {ROLE_FIELDS[role]: names for role, names in owners.items()}


def _names_by_role(assignments: Iterable[TaskDepartment]) -> dict[str, list[str]]:
    """The department names per role (a doubt field: leads / supporting / implementers), in order."""
    names: dict[str, list[str]] = {}
    for link in sorted(assignments, key=lambda a: a.position):
        names.setdefault(ROLE_FIELDS[Role(link.role)], []).append(link.department.name)
    return names


def _owners(raw: str | None, leads, supporting, implementers_raw, implementers) -> dict[Role, tuple[str, ...]]:
    if leads is not None or supporting is not None:
        owners = {Role.LEAD: tuple(leads or ()), Role.SUPPORTING: tuple(supporting or ())}
    else:
        spec = parse_owners(raw)
        owners = {Role.LEAD: spec.leads, Role.SUPPORTING: spec.supporting}
    if implementers is not None:
        owners[Role.IMPLEMENTER] = tuple(implementers)
    elif implementers_raw:
        owners[Role.IMPLEMENTER] = split_names(implementers_raw)
    return owners


def _required(parsed: ParsedPlan, value: str | None, line: int, cell: str) -> str:
    if not value or not value.strip():
        raise ImportError_(parsed.path, f"{cell}不能为空", line=line, cell=cell)
    return value


def _check_unique(parsed: ParsedPlan, rows: list[_Row], what: str) -> None:
    seen: dict[tuple[str, ...], int] = {}
    for row in rows:
        if row.key in seen:
            raise ImportError_(
                parsed.path,
                f"{what}序号重复（与第{seen[row.key]}行相同）",
                line=row.line,
                cell="序号",
                text="/".join(row.key),
            )
        seen[row.key] = row.line


# --- writing ------------------------------------------------------------------------------------


def _existing_plan(session: Session, parsed: ParsedPlan) -> Plan:
    ref = parsed.doc_number or parsed.title
    plan = session.scalar(select(Plan).where((Plan.doc_number == ref) | (Plan.title == ref)))
    if plan is None:
        raise ImportError_(parsed.path, "方案不存在：请先导入该方案，或在「方案」工作表中填写它", text=ref)
    return plan


def _upsert_plan(
    session: Session, parsed: ParsedPlan, jurisdiction_id: int, actor: str, source: str
) -> tuple[Plan, str, set[str]]:
    if parsed.doc_number:
        plan = session.scalar(select(Plan).where(Plan.doc_number == parsed.doc_number))
    else:
        plan = session.scalar(select(Plan).where(Plan.jurisdiction_id == jurisdiction_id, Plan.title == parsed.title))
    fields = {
        "jurisdiction_id": jurisdiction_id,
        "title": parsed.title,
        "kind": str(parsed.kind),
        "doc_number": parsed.doc_number,
        "issuer": parsed.issuer,
        "issued_on": parsed.issued_on,
        "period_start": parsed.period_start,
        "period_end": parsed.period_end,
        "cells_planned_total": parsed.cells_planned_total,
        "cells_built_total": parsed.cells_built_total,
    }
    key = parsed.doc_number or parsed.title
    if plan is None:
        plan = Plan(**fields)
        session.add(plan)
        session.flush()
        audit.record(
            session,
            actor=actor,
            action="create",
            entity="plans",
            entity_id=plan.id,
            entity_key=key,
            changes={k: [None, audit.jsonable(v)] for k, v in fields.items()},
            source=source,
        )
        return plan, "created", set(fields)
    changes = audit.apply_changes(plan, fields)
    if changes:
        audit.record(
            session,
            actor=actor,
            action="update",
            entity="plans",
            entity_id=plan.id,
            entity_key=key,
            changes=changes,
            source=source,
        )
        return plan, "updated", set(changes)
    return plan, "unchanged", set()


def _forget_light_states(session: Session, task_ids: list[int]) -> None:
    """The daily scan's kept judgements of these tasks (`LightState`), whose departments changed:
    its next run judges them and looks at their escalation again, as for new tasks (the kept
    fingerprint leaves the departments out). Read only here: an import that changes no owners
    does not load the lights' models."""
    from wufei.lights.models import LightState

    for start in range(0, len(task_ids), 5000):  # ids per IN list
        session.execute(delete(LightState).where(LightState.task_id.in_(task_ids[start : start + 5000])))


class _Sync:
    """Brings one plan's children in line with the validated rows."""

    def __init__(
        self,
        session: Session,
        plan: Plan,
        resolver: OwnerResolver,
        actor: str,
        source: str,
        summary: ImportSummary,
        complete: bool,
        today: date,
    ):
        self.session, self.plan, self.resolver = session, plan, resolver
        # Owners a re-import names on a task stored before are responsible from the import's day; those
        # of a task the document brings new, as printed in the plan, from the plan's start.
        self.today = today
        self.owners_since = plan_start(plan.issued_on, plan.period_start, today)
        self.actor, self.source, self.summary = actor, source, summary
        self.complete = complete  # whether records missing from the source are removed
        self.entries: list[dict[str, Any]] = []  # audit entries not yet written (`_write_audit`)
        self.completed_by_ledger = 0

    def children(
        self, model, link_model, rows: list[_Row], key_fields: tuple[str, str], link_fk: str
    ) -> dict[tuple[str, ...], int]:
        """Create, update and (for a complete source) delete the plan's children; the rows' ids by key.

        Records already stored are updated through their objects; new ones, most of a first import,
        go in as a few multi-row INSERTs (the records, their departments, their values, the audit
        entries) rather than a unit-of-work object each."""
        loads = [selectinload(model.assignments).selectinload(link_model.department)]
        if model is Indicator:
            loads.append(selectinload(Indicator.values))
        existing = {
            tuple(str(getattr(obj, f)) for f in key_fields): obj
            for obj in self.session.scalars(select(model).where(model.plan_id == self.plan.id).options(*loads))
        }
        entity = model.__tablename__
        record_type = RecordType.TASK if model is Task else RecordType.INDICATOR
        done: list[tuple[str, Any, _Row, dict[str, Any], dict[str, list[str]]]] = []
        created: list[tuple[_Row, dict[int, tuple[Role, int, str | None]]]] = []
        new_owners: list[int] = []  # tasks stored before whose departments change
        assigned = self._assigned_by_office(existing.values()) if model is Task else set()
        for row in rows:
            wanted, departments = self._owners_wanted(row)
            obj = existing.pop(row.key, None)
            if model is Task and not departments.get(ROLE_FIELDS[Role.LEAD]):
                if obj is not None and obj.id in assigned:
                    # The document still names no lead and the office named the owners since (指定牵头单位):
                    # its naming stands, as a rename does; a file naming a lead replaces it.
                    wanted = {a.department_id: (a.role, a.position, a.source_name) for a in obj.assignments}
                    departments = _names_by_role(obj.assignments)
                    row.fields["awaiting_assignment"] = False
                else:
                    # Named leads that stand for nobody yet (有关县市区人民政府) wait for the office, visibly.
                    row.fields["awaiting_assignment"] = True
            self._add_owner_doubts(row, needs_lead=model is Task)
            if obj is None:
                changes = {k: [None, audit.jsonable(v)] for k, v in row.fields.items() if v is not None}
                changes.update(self._owner_changes({}, wanted, self.resolver.names))
                for value in row.values:
                    changes[f"value_{value['year']}"] = [None, value["value_raw"]]
                created.append((row, wanted))
                done.append(("create", None, row, changes, departments))
                continue
            changes = audit.apply_changes(obj, row.fields)
            owners = self._sync_owners(obj, link_model, wanted)
            if owners and model is Task:
                new_owners.append(obj.id)
            changes.update(owners)
            if model is Indicator:
                changes.update(self._sync_values(obj, row.values))
            done.append(("update", obj, row, changes, departments))
        if self.complete:
            for key, obj in existing.items():
                self._delete(entity, obj, "/".join(key))
        self.session.flush()  # the updates and deletes; then the new records, ids in the rows' order
        if new_owners:
            _forget_light_states(self.session, new_owners)
        new_ids = iter(self._insert_created(model, link_model, link_fk, created))
        ids: dict[tuple[str, ...], int] = {}
        for action, obj, row, changes, departments in done:
            record_id = obj.id if obj is not None else next(new_ids)
            ids[row.key] = record_id
            self._audit(action, entity, record_id, self._key(row), changes)
            self._loaded(record_type, record_id, row, action, changes, departments)
        self._write_audit()
        return ids

    def _insert_created(
        self, model, link_model, link_fk: str, created: list[tuple[_Row, dict[int, tuple[Role, int, str | None]]]]
    ) -> list[int]:
        """The new records, their department links and (indicators) values; their ids in order."""
        if not created:
            return []
        table = table_of(model)
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        ids = list(
            self.session.execute(statement, [{"plan_id": self.plan.id, **row.fields} for row, _ in created]).scalars()
        )
        links = [
            {
                link_fk: record_id,
                "department_id": department_id,
                "role": role,
                "position": position,
                "source_name": source_name,
                **({"assigned_on": self.owners_since} if link_model is TaskDepartment else {}),
            }
            for record_id, (_row, wanted) in zip(ids, created, strict=True)
            for department_id, (role, position, source_name) in wanted.items()
        ]
        if links:
            self.session.execute(insert(table_of(link_model)), links)
        values = [
            {"indicator_id": record_id, **value}
            for record_id, (row, _wanted) in zip(ids, created, strict=True)
            for value in row.values
        ]
        if values:
            self.session.execute(insert(table_of(IndicatorValue)), values)
        return ids

    def milestones(self, rows: list[_Row], task_ids: dict[tuple[str, ...], int]) -> None:
        """The earlier dates of each task's deadline as its milestones (source `document`).

        Expected progress is the elapsed share of the task by then (序时进度). Milestones the
        office set or removed are never touched or brought back; document milestones the
        document no longer names go. Audited under `document:<task>|<date>` keys, so that
        generation does not take the import's own removals for the office's.
        """
        start = plan_start(self.plan.issued_on, self.plan.period_start)
        # One query each for the tasks with document milestones and the office's removals.
        documented = set(
            self.session.scalars(
                select(Milestone.task_id)
                .join(Task, Task.id == Milestone.task_id)
                .where(Task.plan_id == self.plan.id, Milestone.source == DOCUMENT)
            )
        )
        removed = set(
            self.session.scalars(
                select(AuditEntry.entity_key).where(AuditEntry.entity == "milestones", AuditEntry.action == "delete")
            )
        )
        needed = [task_ids[row.key] for row in rows if row.checkpoints or task_ids[row.key] in documented]
        if not needed:
            return
        tasks = {
            task.id: task
            for task in self.session.scalars(
                select(Task).where(Task.id.in_(needed)).options(selectinload(Task.milestones))
            )
        }
        created: list[Milestone] = []
        for row in rows:
            task = tasks.get(task_ids[row.key])
            if task is None:
                continue
            wanted = {
                point.due_date: point
                for point in row.checkpoints
                if task.due_date is not None
                and point.due_date < task.due_date
                and f"task:{task.id}|{point.due_date.isoformat()}" not in removed
            }
            current = {m.due_date: m for m in task.milestones}
            for day, milestone in current.items():
                if milestone.source == DOCUMENT and day not in wanted:
                    task.milestones.remove(milestone)
                    self._audit_milestone("delete", milestone, {"title": [milestone.title, None]})
            for day, point in wanted.items():
                title = point.text[:_NAME_MAX] or f"{day.year}年{day.month}月{day.day}日节点"
                due = task.due_date
                progress = round_half_up(expected_progress(start, due, day)) if start and due else 50
                existing = current.get(day)
                if existing is None:
                    added = Milestone(due_date=day, title=title, expected_progress=progress, source=DOCUMENT)
                    task.milestones.append(added)
                    created.append(added)
                elif existing.source == DOCUMENT:
                    changes = audit.apply_changes(existing, {"title": title, "expected_progress": progress})
                    if changes:
                        self._audit_milestone("update", existing, changes)
        self.session.flush()
        for milestone in created:
            changes = {"due_date": [None, milestone.due_date.isoformat()], "title": [None, milestone.title]}
            self._audit_milestone("create", milestone, changes)
        self._write_audit()

    def ledger(self, rows: list[_Row], task_ids: dict[tuple[str, ...], int], today: date | None) -> None:
        """What the ledger's status column says of the tasks stored: a task it marks done is completed (on
        the date it gives, else on the import's day), unless wufei has it completed already; a completion
        recorded in wufei is never undone by a ledger saying otherwise (the summary says so). A percentage
        counts from the import that brought or changed it (`ledger_progress_on`)."""
        rows = [row for row in rows if row.standing is not None]
        if not rows:
            return
        tasks = {
            task.id: task
            for task in self.session.scalars(
                select(Task).where(Task.plan_id == self.plan.id, Task.ledger_status.is_not(None))
            )
        }
        loaded = {r.id: r for r in self.summary.records if r.record_type == RecordType.TASK}
        day = today or import_day()
        for row in rows:
            task = tasks.get(task_ids[row.key])
            standing = row.standing
            if task is None or standing is None:
                continue
            record = loaded[task.id]
            progress_on = task.ledger_progress_on
            if task.ledger_progress is None:
                progress_on = None
            elif "ledger_progress" in record.changed or progress_on is None:
                progress_on = day
            changes = audit.apply_changes(task, {"ledger_progress_on": progress_on})
            label = f"{task_reference(task.list_kind, task.number)}「{task.title[:40]}」"
            if standing.standing is Standing.DONE and task.completed_on is None:
                completed = min(standing.completed_on or day, day)
                changes.update(audit.apply_changes(task, {"completed_on": completed}))
                self.completed_by_ledger += 1
                self.summary.ledger.append(
                    f"{label}台账标注“{task.ledger_status}”，已按已完成导入，完成日期{_cn_day(completed)}"
                )
            elif standing.standing is not Standing.DONE and task.completed_on and "ledger_status" in record.changed:
                self.summary.ledger.append(
                    f"{label}台账标注“{task.ledger_status}”，系统中已于{_cn_day(task.completed_on)}完成，完成记录未改动"
                )
            if changes:
                if record.change == "unchanged":
                    record.change = "updated"
                    self.summary.changes["unchanged"] -= 1
                    self.summary.changes["updated"] += 1
                record.changed |= set(changes)
                self.entries.append(
                    audit.entry(self.actor, "update", "tasks", task.id, self._key(row), changes, self.source)
                )
        self._write_audit()

    def _audit_milestone(self, action: str, milestone: Milestone, changes: dict[str, Any]) -> None:
        key = f"document:{milestone.task_id}|{milestone.due_date.isoformat()}"
        self.entries.append(audit.entry(self.actor, action, "milestones", milestone.id, key, changes, self.source))

    def cells(self, rows: list[_Row]) -> None:
        existing: dict[tuple[str, ...], CellCount] = {
            (c.category,): c for c in self.session.scalars(select(CellCount).where(CellCount.plan_id == self.plan.id))
        }
        done = []
        for row in rows:
            lead = self.resolver.departments(row.owners.get(Role.LEAD, ()), Role.LEAD, line=row.line)
            fields = dict(row.fields, lead_department_id=lead[0][0].id if lead else None)
            self._add_owner_doubts(row, needs_lead=False)
            departments = {ROLE_FIELDS[Role.LEAD]: [department.name for department, _ in lead[:1]]}
            obj = existing.pop(row.key, None)
            if obj is None:
                obj = CellCount(plan_id=self.plan.id, **fields)
                self.session.add(obj)
                changes = {k: [None, audit.jsonable(v)] for k, v in fields.items() if v is not None}
                done.append(("create", obj, row, changes, departments))
            else:
                done.append(("update", obj, row, audit.apply_changes(obj, fields), departments))
        if self.complete:
            for key, obj in existing.items():
                self._delete("cell_counts", obj, "/".join(key))
        self.session.flush()
        for action, obj, row, changes, departments in done:
            self._audit(action, "cell_counts", obj.id, self._key(row), changes)
            self._loaded(RecordType.CELL, obj.id, row, action, changes, departments)
        self._write_audit()

    def _loaded(
        self,
        record_type: RecordType,
        record_id: int,
        row: _Row,
        action: str,
        changes: dict[str, Any],
        departments: dict[str, list[str]],
    ) -> None:
        change = "created" if action == "create" else "updated" if changes else "unchanged"
        self.summary.records.append(
            LoadedRecord(
                record_type=record_type,
                id=record_id,
                key=row.key,
                fields=row.fields,
                owners={ROLE_FIELDS[role]: names for role, names in row.owners.items()},
                departments=departments,
                doubts=row.doubts,
                change=change,
                changed=set(changes),
            )
        )

    def _add_owner_doubts(self, row: _Row, *, needs_lead: bool) -> None:
        """The owner doubts go with the row (to be stored) and with the parsed record it came from."""
        for doubt in self._owner_doubts(row, needs_lead=needs_lead):
            if doubt not in row.doubts:
                row.doubts.append(doubt)
            _doubt(row.record, doubt.field, doubt.message, doubt.text)

    def _owner_doubts(self, row: _Row, *, needs_lead: bool) -> list[Doubt]:
        """The owner names a person must check (unknown, to be picked, guessed), and a task without a lead."""
        doubts = [
            Doubt(ROLE_FIELDS[role], finding, name)
            for role in ROLE_FIELDS
            for name in row.owners.get(role, ())
            if (finding := self.resolver.finding(name)) is not None
        ]
        if (
            needs_lead
            and row.fields.get("awaiting_assignment")
            and not any(d.field == "leads" for d in [*row.doubts, *doubts])
        ):
            doubts.append(Doubt("leads", NO_LEAD, row.fields.get("owners_raw")))
        return doubts

    def _assigned_by_office(self, tasks: Iterable[Task]) -> set[int]:
        """The stored tasks whose owners the office named (wufei.tasks.assignment, audited so)."""
        ids = [task.id for task in tasks if not task.awaiting_assignment]
        if not ids:
            return set()
        return set(
            self.session.scalars(
                select(AuditEntry.entity_id).where(
                    AuditEntry.entity == "tasks", AuditEntry.source == "assign owners", AuditEntry.entity_id.in_(ids)
                )
            )
        )

    def _owners_wanted(self, row: _Row) -> tuple[dict[int, tuple[Role, int, str | None]], dict[str, list[str]]]:
        """The department links a row asks for (id → role, position, name as written), and the
        department names per role (a doubt field: leads / supporting / implementers)."""
        wanted: dict[int, tuple[Role, int, str | None]] = {}
        departments: dict[str, list[str]] = {}
        for role in (Role.LEAD, Role.SUPPORTING, Role.IMPLEMENTER):
            for department, source_name in self.resolver.departments(row.owners.get(role, ()), role, line=row.line):
                # A unit named twice keeps its first (stronger) role.
                if department.id not in wanted:
                    wanted[department.id] = (Role(role), len(wanted), source_name)
                    departments.setdefault(ROLE_FIELDS[role], []).append(department.name)
        return wanted, departments

    def _sync_owners(self, obj, link_model, wanted: dict[int, tuple[Role, int, str | None]]) -> dict[str, list[Any]]:
        current = {a.department_id: (a.role, a.position, a.source_name) for a in obj.assignments}
        if current == wanted:
            return {}
        names = {**self.resolver.names, **{a.department_id: a.department.name for a in obj.assignments}}
        changes = self._owner_changes(current, wanted, names)
        for link in list(obj.assignments):
            if link.department_id not in wanted:
                obj.assignments.remove(link)
        kept = {link.department_id: link for link in obj.assignments}
        dated = link_model is TaskDepartment
        for department_id, (role, position, source_name) in wanted.items():
            link = kept.get(department_id)
            if link is None:
                link = link_model(department_id=department_id, role=role, position=position, source_name=source_name)
                if dated:
                    link.assigned_on = self.today
                obj.assignments.append(link)
            else:
                if dated and link.role != role:  # made lead (or no longer): responsible so from today
                    link.assigned_on = self.today
                link.role, link.position, link.source_name = role, position, source_name
        return changes

    @staticmethod
    def _owner_changes(
        current: dict[int, tuple[Role, int, str | None]],
        wanted: dict[int, tuple[Role, int, str | None]],
        names: dict[int, str],
    ) -> dict[str, list[Any]]:
        """The owner names by role before and after, for the roles whose names change."""
        if current == wanted:
            return {}
        old = _owner_summary(sorted(current.items(), key=lambda item: item[1][1]), names)
        new = _owner_summary(wanted.items(), names)
        return {
            role: [old.get(role, []), new.get(role, [])]
            for role in set(old) | set(new)
            if old.get(role) != new.get(role)
        }

    def _sync_values(self, indicator: Indicator, values: list[dict[str, Any]]) -> dict[str, list[Any]]:
        current = {(v.year, v.source): v for v in indicator.values}
        changes: dict[str, list[Any]] = {}
        for fields in values:
            value = current.pop((fields["year"], fields["source"]), None)
            if value is None:
                indicator.values.append(IndicatorValue(**fields))
                changes[f"value_{fields['year']}"] = [None, fields["value_raw"]]
            else:
                for name, pair in audit.apply_changes(value, fields).items():
                    changes[f"value_{fields['year']}_{name}"] = pair
        # Values recorded by people (not this document) stay; only this document's own are replaced.
        for (year, source), value in current.items():
            if source == self.plan.title[:200]:
                indicator.values.remove(value)
                changes[f"value_{year}"] = [value.value_raw, None]
        return changes

    def _delete(self, entity: str, obj, key: str) -> None:
        self.session.delete(obj)
        self._audit(
            "delete",
            entity,
            obj.id,
            key,
            {
                "title": [
                    getattr(obj, "title", None) or getattr(obj, "name", None) or getattr(obj, "category", None),
                    None,
                ]
            },
        )

    def _audit(self, action: str, entity: str, entity_id: int, key: str, changes: dict[str, Any]) -> None:
        if not changes:
            self.summary.changes["unchanged"] += 1
            return
        self.summary.changes[{"create": "created", "update": "updated", "delete": "deleted"}[action]] += 1
        self.entries.append(audit.entry(self.actor, action, entity, entity_id, key, changes, self.source))

    def _write_audit(self) -> None:
        """The audit entries gathered so far, in one multi-row INSERT after what is pending."""
        if self.entries:
            self.session.flush()
            audit.record_many(self.session, self.entries)
            self.entries = []

    def _key(self, row: _Row) -> str:
        return f"{self.plan.doc_number or self.plan.title}/" + "/".join(row.key)


def _cn_day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _owner_summary(
    assignments: Iterable[tuple[int, tuple[str, int, str | None]]], names: dict[int, str]
) -> dict[str, list[str]]:
    summary: dict[str, list[str]] = {}
    for department_id, (role, _position, _source) in assignments:
        summary.setdefault(role, []).append(names.get(department_id, str(department_id)))
    return summary

"""Loading a parsed plan into the ledger: validate everything, then upsert by natural key.

Re-importing the same file changes nothing; a corrected file updates what
changed and each change lands in the audit trail. A fatal problem raises
ImportError_ before anything is written. Services never commit.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from wufei.audit import service as audit
from wufei.cells.models import CellCount
from wufei.departments.owners import parse_owners, split_names
from wufei.departments.registry import Registry
from wufei.departments.service import OwnerResolver, ensure_jurisdiction
from wufei.importers.records import CellRecord, ImportError_, IndicatorRecord, ParsedPlan, TaskRecord
from wufei.indicators.models import Indicator, IndicatorDepartment, IndicatorValue
from wufei.indicators.targets import parse_baseline, parse_target
from wufei.plans.models import Plan
from wufei.tasks.deadlines import DeadlineError, parse_deadline
from wufei.tasks.models import Role, Task, TaskDepartment

ATTRIBUTES = {"约束性": "binding", "预期性": "expected"}


@dataclass
class ImportSummary:
    file: str
    plan_id: int
    plan_title: str
    doc_number: str | None
    counts: dict[str, int]
    changes: Counter = field(default_factory=Counter)  # created / updated / deleted / unchanged
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "plan_id": self.plan_id,
            "plan": self.plan_title,
            "doc_number": self.doc_number,
            "counts": self.counts,
            "changes": dict(self.changes),
            "warnings": self.warnings,
        }


@dataclass
class _Row:
    """A validated record: column values plus the owners by role."""

    key: tuple[str, ...]
    fields: dict[str, Any]
    owners: dict[Role, tuple[str, ...]]
    line: int
    values: list[dict[str, Any]] = field(default_factory=list)  # indicator values


def import_plan(
    session: Session, parsed: ParsedPlan, *, registry: Registry, actor: str = "import", source: str | None = None
) -> ImportSummary:
    source = source or parsed.path
    existing_plan = None if parsed.plan_fields_known else _existing_plan(session, parsed)
    if existing_plan is not None:  # deadlines are read against the plan's own period
        parsed.period_start, parsed.period_end = existing_plan.period_start, existing_plan.period_end
        parsed.issued_on = existing_plan.issued_on
    tasks = [_task_row(parsed, r) for r in parsed.tasks]
    indicators = _indicator_rows(parsed)
    cells = [_cell_row(parsed, r) for r in parsed.cells]
    _check_unique(parsed, tasks, "任务")
    _check_unique(parsed, indicators, "指标")

    if existing_plan is None:
        jurisdiction = ensure_jurisdiction(session, registry, parsed.jurisdiction, path=parsed.path)
        plan, plan_change = _upsert_plan(session, parsed, jurisdiction.id, actor, source)
    else:
        plan, plan_change = existing_plan, "unchanged"
        jurisdiction = ensure_jurisdiction(session, registry, plan.jurisdiction.name, path=parsed.path)
    resolver = OwnerResolver(session, registry, jurisdiction)
    summary = ImportSummary(
        file=parsed.path,
        plan_id=plan.id,
        plan_title=plan.title,
        doc_number=plan.doc_number,
        counts={},
        warnings=list(parsed.warnings),
    )
    summary.changes[plan_change] += 1

    sync = _Sync(session, plan, resolver, actor, source, summary, parsed.complete)
    sync.children(Task, TaskDepartment, tasks, ("list_kind", "number"), "task_id")
    sync.children(Indicator, IndicatorDepartment, indicators, ("number", "seq"), "indicator_id")
    sync.cells(cells)
    summary.warnings.extend(resolver.warnings)
    summary.warnings.extend(_cell_total_warning(parsed, cells))

    by_kind = Counter(str(row.fields["list_kind"]) for row in tasks)
    summary.counts = {f"tasks_{kind}": n for kind, n in sorted(by_kind.items())}
    summary.counts["tasks"] = len(tasks)
    summary.counts["awaiting_assignment"] = sum(1 for row in tasks if row.fields["awaiting_assignment"])
    summary.counts["indicators"] = len(indicators)
    summary.counts["indicator_values"] = sum(len(row.values) for row in indicators)
    summary.counts["cells"] = len(cells)
    return summary


def _cell_total_warning(parsed: ParsedPlan, cells: list[_Row]) -> list[str]:
    total = sum(row.fields["count"] for row in cells)
    if cells and parsed.cells_built_total is not None and total != parsed.cells_built_total:
        return [
            f"{parsed.path}：无废细胞各类数量合计 {total} 个，与文中所述建成总数 {parsed.cells_built_total} 个不一致"
        ]
    return []


# --- validation: records to rows, raising ImportError_ on the first fatal problem -------------


def _task_row(parsed: ParsedPlan, record: TaskRecord) -> _Row:
    try:
        deadline = parse_deadline(
            record.deadline_raw, plan_start=parsed.period_start, plan_end=parsed.period_end, issued_on=parsed.issued_on
        )
    except DeadlineError as exc:
        raise ImportError_(
            parsed.path,
            f"任务「{record.title}」的完成期限无法识别（{exc}）",
            line=record.line,
            cell="完成期限",
            text=record.deadline_raw,
        ) from exc
    owners = _owners(record.owners_raw, record.leads, record.supporting, record.implementers_raw, record.implementers)
    fields = {
        "list_kind": str(record.list_kind),
        "list_name": record.list_name,
        "category": record.category,
        "number": record.number,
        "title": _required(parsed, record.title, record.line, "任务名称"),
        "content": record.content,
        "owners_raw": record.owners_raw,
        "responsible_entity": record.responsible_entity,
        "implementers_raw": record.implementers_raw,
        "deadline_raw": record.deadline_raw,
        "deadline_kind": str(deadline.kind),
        "due_date": deadline.due_date,
        "deadline_note": deadline.note,
        "awaiting_assignment": not owners.get(Role.LEAD),
        "source_line": record.line,
    }
    return _Row(key=(str(record.list_kind), record.number), fields=fields, owners=owners, line=record.line)


def _indicator_rows(parsed: ParsedPlan) -> list[_Row]:
    seq_by_number: Counter = Counter()
    rows = []
    for record in parsed.indicators:
        seq_by_number[record.number] += 1
        rows.append(_indicator_row(parsed, record, seq_by_number[record.number]))
    return rows


def _indicator_row(parsed: ParsedPlan, record: IndicatorRecord, seq: int) -> _Row:
    name = _required(parsed, record.name, record.line, "指标名称")
    try:
        target = parse_target(record.target_raw, name=name)
        baseline = parse_baseline(record.baseline_raw, default_year=record.baseline_year_default)
    except ValueError as exc:
        raise ImportError_(
            parsed.path,
            f"指标「{name}」的现状值或目标值无法识别（{exc}）",
            line=record.line,
            cell="目标值",
            text=record.target_raw,
        ) from exc
    attribute = ATTRIBUTES.get(record.attribute_raw or "", record.attribute_raw)
    fields = {
        "number": record.number,
        "seq": seq,
        "level1": record.level1,
        "level2": record.level2,
        "name": name,
        "marks": record.marks or "",
        "category": record.category,
        "unit": None if record.unit in (None, "/") else record.unit,
        "data_source": record.data_source,
        "attribute": attribute,
        "definition": record.definition,
        "owners_raw": record.owners_raw,
        "baseline_raw": record.baseline_raw,
        "baseline_value": baseline.value,
        "baseline_text": baseline.text,
        "baseline_year": baseline.year,
        "target_raw": record.target_raw,
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
    return _Row(key=(record.number, str(seq)), fields=fields, owners=owners, line=record.line, values=values)


_COUNT = re.compile(r"^\s*(\d+)\s*(\D*)$")


def _cell_row(parsed: ParsedPlan, record: CellRecord) -> _Row:
    match = _COUNT.match(record.count_raw or "")
    if not match:
        raise ImportError_(parsed.path, "无废细胞数量无法识别", line=record.line, cell="数量", text=record.count_raw)
    fields = {
        "number": record.number,
        "category": record.category,
        "count": int(match.group(1)),
        "unit": match.group(2) or None,
        "count_raw": record.count_raw,
        "status": record.status,
        "lead_raw": record.lead_raw,
        "source_line": record.line,
    }
    owners: dict[Role, tuple[str, ...]] = {Role.LEAD: (record.lead_raw,)} if record.lead_raw else {}
    return _Row(key=(record.category,), fields=fields, owners=owners, line=record.line)


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
) -> tuple[Plan, str]:
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
        return plan, "created"
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
        return plan, "updated"
    return plan, "unchanged"


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
    ):
        self.session, self.plan, self.resolver = session, plan, resolver
        self.actor, self.source, self.summary = actor, source, summary
        self.complete = complete  # whether records missing from the source are removed

    def children(self, model, link_model, rows: list[_Row], key_fields: tuple[str, str], link_fk: str) -> None:
        loads = [selectinload(model.assignments).selectinload(link_model.department)]
        if model is Indicator:
            loads.append(selectinload(Indicator.values))
        existing = {
            tuple(str(getattr(obj, f)) for f in key_fields): obj
            for obj in self.session.scalars(select(model).where(model.plan_id == self.plan.id).options(*loads))
        }
        entity = model.__tablename__
        done: list[tuple[str, Any, _Row, dict[str, Any]]] = []
        for row in rows:
            obj = existing.pop(row.key, None)
            if obj is None:
                obj = model(plan_id=self.plan.id, **row.fields)
                self.session.add(obj)
                action, changes = (
                    "create",
                    {k: [None, audit.jsonable(v)] for k, v in row.fields.items() if v is not None},
                )
            else:
                action, changes = "update", audit.apply_changes(obj, row.fields)
            changes.update(self._sync_owners(obj, link_model, row))
            if model is Indicator:
                changes.update(self._sync_values(obj, row.values))
            done.append((action, obj, row, changes))
        if self.complete:
            for key, obj in existing.items():
                self._delete(entity, obj, "/".join(key))
        self.session.flush()  # one round of inserts; ids are known from here on
        for action, obj, row, changes in done:
            self._audit(action, entity, obj.id, self._key(row), changes)

    def cells(self, rows: list[_Row]) -> None:
        existing: dict[tuple[str, ...], CellCount] = {
            (c.category,): c for c in self.session.scalars(select(CellCount).where(CellCount.plan_id == self.plan.id))
        }
        done = []
        for row in rows:
            lead = self.resolver.departments(row.owners.get(Role.LEAD, ()), Role.LEAD, line=row.line)
            fields = dict(row.fields, lead_department_id=lead[0][0].id if lead else None)
            obj = existing.pop(row.key, None)
            if obj is None:
                obj = CellCount(plan_id=self.plan.id, **fields)
                self.session.add(obj)
                done.append(
                    ("create", obj, row, {k: [None, audit.jsonable(v)] for k, v in fields.items() if v is not None})
                )
            else:
                done.append(("update", obj, row, audit.apply_changes(obj, fields)))
        if self.complete:
            for key, obj in existing.items():
                self._delete("cell_counts", obj, "/".join(key))
        self.session.flush()
        for action, obj, row, changes in done:
            self._audit(action, "cell_counts", obj.id, self._key(row), changes)

    def _sync_owners(self, obj, link_model, row: _Row) -> dict[str, list[Any]]:
        wanted: dict[int, tuple[Role, int, str | None]] = {}
        for role in (Role.LEAD, Role.SUPPORTING, Role.IMPLEMENTER):
            for department, source_name in self.resolver.departments(row.owners.get(role, ()), role, line=row.line):
                # A unit named twice keeps its first (stronger) role.
                wanted.setdefault(department.id, (Role(role), len(wanted), source_name))
        current = {a.department_id: (a.role, a.position, a.source_name) for a in obj.assignments}
        if current == wanted:
            return {}
        names = {**self.resolver.names, **{a.department_id: a.department.name for a in obj.assignments}}
        old = _owner_summary(sorted(current.items(), key=lambda item: item[1][1]), names)
        for link in list(obj.assignments):
            if link.department_id not in wanted:
                obj.assignments.remove(link)
        kept = {link.department_id: link for link in obj.assignments}
        for department_id, (role, position, source_name) in wanted.items():
            link = kept.get(department_id)
            if link is None:
                obj.assignments.append(
                    link_model(department_id=department_id, role=role, position=position, source_name=source_name)
                )
            else:
                link.role, link.position, link.source_name = role, position, source_name
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
        audit.record(
            self.session,
            actor=self.actor,
            action=action,
            entity=entity,
            entity_id=entity_id,
            entity_key=key,
            changes=changes,
            source=self.source,
        )

    def _key(self, row: _Row) -> str:
        return f"{self.plan.doc_number or self.plan.title}/" + "/".join(row.key)


def _owner_summary(
    assignments: Iterable[tuple[int, tuple[str, int, str | None]]], names: dict[int, str]
) -> dict[str, list[str]]:
    summary: dict[str, list[str]] = {}
    for department_id, (role, _position, _source) in assignments:
        summary.setdefault(role, []).append(names.get(department_id, str(department_id)))
    return summary

"""Everything a ledger says, read back from the database, for round-trip comparisons."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from wufei.cells.models import CellCount
from wufei.departments.models import Department
from wufei.indicators.models import Indicator
from wufei.plans.models import Plan
from wufei.tasks.models import Task


def ledger_records(session: Session) -> dict[str, list]:
    """Everything a ledger says, without ids, row numbers or where a name was first written."""

    def owners(item):
        return [(a.department.jurisdiction.name, a.department.name, a.role) for a in item.assignments]

    def text(value) -> str:  # a number as written, whether it came back from the database or not
        return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)

    plans = {p.id: p.doc_number or p.title for p in session.scalars(select(Plan))}
    task_fields = (
        "list_kind",
        "number",
        "list_name",
        "category",
        "title",
        "content",
        "owners_raw",
        "responsible_entity",
        "implementers_raw",
        "deadline_raw",
        "deadline_kind",
        "due_date",
        "deadline_note",
        "awaiting_assignment",
    )
    indicator_fields = (
        "number",
        "seq",
        "level1",
        "level2",
        "name",
        "marks",
        "category",
        "unit",
        "data_source",
        "attribute",
        "definition",
        "owners_raw",
        "baseline_raw",
        "baseline_value",
        "baseline_text",
        "baseline_year",
        "target_raw",
        "target_kind",
        "target_comparator",
        "target_value",
        "target_value_high",
        "target_qualitative",
        "target_year",
        "direction",
    )
    return {
        "plans": sorted(
            (
                p.title,
                p.doc_number,
                p.kind,
                p.issuer,
                p.issued_on,
                p.period_start,
                p.period_end,
                p.cells_planned_total,
                p.cells_built_total,
                p.jurisdiction.name,
            )
            for p in session.scalars(select(Plan))
        ),
        "tasks": sorted(
            (plans[t.plan_id], *(getattr(t, f) for f in task_fields), owners(t))
            for t in session.scalars(select(Task).options(selectinload(Task.assignments)))
        ),
        "indicators": sorted(
            (
                plans[i.plan_id],
                *(text(getattr(i, f)) for f in indicator_fields),
                owners(i),
                [(v.year, text(v.value), v.value_raw, v.forecast, v.source) for v in i.values],
            )
            for i in session.scalars(select(Indicator))
        ),
        "cells": sorted(
            (
                plans[c.plan_id],
                c.number,
                c.category,
                c.count,
                c.unit,
                c.count_raw,
                c.status,
                c.lead_raw,
                c.lead_department.name if c.lead_department else None,
            )
            for c in session.scalars(select(CellCount))
        ),
        # aliases sorted: a collection still in memory keeps insertion order, a reloaded one the mapping's order
        "departments": sorted(
            (d.jurisdiction.name, d.name, d.kind, tuple(sorted(a.alias for a in d.aliases)))
            for d in session.scalars(select(Department))
        ),
    }

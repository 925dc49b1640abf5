"""Compare what two documents say, whatever format each came from (lines and `where` labels differ)."""

from __future__ import annotations

from wufei.importers.records import ParsedPlan


def plan_fields(plan: ParsedPlan) -> tuple:
    return (
        plan.title,
        plan.jurisdiction,
        plan.kind,
        plan.doc_number,
        plan.issuer,
        plan.issued_on,
        plan.period_start,
        plan.period_end,
        plan.cells_planned_total,
        plan.cells_built_total,
    )


def task_fields(plan: ParsedPlan) -> list[tuple]:
    return [
        (
            t.list_kind,
            t.number,
            t.title,
            t.list_name,
            t.category,
            t.content,
            t.owners_raw,
            t.responsible_entity,
            t.implementers_raw,
            t.deadline_raw,
            t.leads,
            t.supporting,
        )
        for t in plan.tasks
    ]


def indicator_fields(plan: ParsedPlan) -> list[tuple]:
    return [
        (
            i.number,
            i.name,
            i.level1,
            i.level2,
            i.marks,
            i.baseline_raw,
            i.baseline_year_default,
            i.target_raw,
            i.target_year,
            i.unit,
            i.data_source,
            i.owners_raw,
            i.attribute_raw,
            i.definition,
            i.category,
            i.forecast_raw,
            tuple(sorted(i.observed.items())),
        )
        for i in plan.indicators
    ]


def cell_fields(plan: ParsedPlan) -> list[tuple]:
    return [(c.number, c.category, c.count_raw, c.status, c.lead_raw) for c in plan.cells]


def assert_same_records(expected: ParsedPlan, actual: ParsedPlan) -> None:
    assert plan_fields(actual) == plan_fields(expected)
    assert len(actual.tasks) == len(expected.tasks)
    assert task_fields(actual) == task_fields(expected)
    assert len(actual.indicators) == len(expected.indicators)
    assert indicator_fields(actual) == indicator_fields(expected)
    assert cell_fields(actual) == cell_fields(expected)

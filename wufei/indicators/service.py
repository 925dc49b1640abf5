"""Reading indicators for listings. Services take a Session and never commit."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from wufei.audit.service import jsonable
from wufei.indicators.models import Indicator, IndicatorDepartment
from wufei.tasks.models import Role

# What a listing of indicators shows of each: its plan, its values and its departments, loaded with it.
WITH_PLAN_VALUES_OWNERS = (
    selectinload(Indicator.plan),
    selectinload(Indicator.values),
    selectinload(Indicator.assignments).selectinload(IndicatorDepartment.department),
)


def list_indicators(
    session: Session,
    *,
    plan_ids: list[int] | None = None,
    department_ids: list[int] | None = None,
    role: Role | None = None,
) -> list[Indicator]:
    query = select(Indicator).options(*WITH_PLAN_VALUES_OWNERS)
    if plan_ids is not None:
        query = query.where(Indicator.plan_id.in_(plan_ids))
    if department_ids is not None:
        link = select(IndicatorDepartment.indicator_id).where(IndicatorDepartment.department_id.in_(department_ids))
        if role:
            link = link.where(IndicatorDepartment.role == role)
        query = query.where(Indicator.id.in_(link))
    return list(session.scalars(query.order_by(Indicator.plan_id, Indicator.id)))


def indicator_as_dict(indicator: Indicator) -> dict[str, Any]:
    return {
        "id": indicator.id,
        "plan": indicator.plan.doc_number or indicator.plan.title,
        "number": indicator.number,
        "level1": indicator.level1,
        "level2": indicator.level2,
        "name": indicator.name,
        "marks": indicator.marks,
        "unit": indicator.unit,
        "attribute": indicator.attribute,
        "baseline": {
            "raw": indicator.baseline_raw,
            "value": jsonable(indicator.baseline_value),
            "text": indicator.baseline_text,
            "year": indicator.baseline_year,
        },
        "target": {
            "raw": indicator.target_raw,
            "kind": indicator.target_kind,
            "comparator": indicator.target_comparator,
            "value": jsonable(indicator.target_value),
            "value_high": jsonable(indicator.target_value_high),
            "qualitative": indicator.target_qualitative,
            "year": indicator.target_year,
        },
        "direction": indicator.direction,
        "leads": [a.department.name for a in indicator.assignments if a.role == Role.LEAD],
        "supporting": [a.department.name for a in indicator.assignments if a.role == Role.SUPPORTING],
        "data_source": indicator.data_source,
        "values": [
            {"year": v.year, "value": jsonable(v.value), "raw": v.value_raw, "forecast": v.forecast, "source": v.source}
            for v in indicator.values
        ],
        "has_definition": bool(indicator.definition),
    }

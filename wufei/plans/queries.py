"""Finding a plan by what a user types (a department: wufei/departments/naming.py), and the definitions
every part shares: which tasks are supervised, which plans a jurisdiction answers for, when a plan starts."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Date, Select, bindparam, exists, or_, select
from sqlalchemy.orm import Session, aliased

from wufei.plans.models import Jurisdiction, JurisdictionLevel, Plan, PlanKind
from wufei.plans.work import ZERO_WASTE_MARK
from wufei.tasks.models import Role, Task, TaskDepartment


class NotFound(LookupError):
    pass


def find_plans(session: Session, ref: str) -> list[Plan]:
    """By id, document number, exact title, or a part of the title."""
    if ref.isdigit():
        plan = session.get(Plan, int(ref))
        return [plan] if plan else []
    exact = list(session.scalars(select(Plan).where(or_(Plan.doc_number == ref, Plan.title == ref))))
    if exact:
        return exact
    return list(session.scalars(select(Plan).where(Plan.title.contains(ref)).order_by(Plan.id)))


# --- shared definitions: what is supervised, which plans a jurisdiction answers for, when a plan starts


# An alias: the query may select from task_departments itself (the links of supervised tasks). Made
# once: a new alias per query costs half a millisecond, and the scans build thousands of queries.
_LEAD_LINK = aliased(TaskDepartment)


def _has_lead() -> Any:
    return exists().where(_LEAD_LINK.task_id == Task.id, _LEAD_LINK.role == Role.LEAD).correlate(Task)


def plan_tasks(query: Select[Any]) -> Select[Any]:
    """Tasks of plans (not of evaluations or progress replies). `query` selects from Task; the plan
    is joined here. The lights judge these: a task nobody leads yet is lit too, as awaiting a lead."""
    return query.join(Plan, Plan.id == Task.plan_id).where(Plan.kind == PlanKind.PLAN)


def supervised_tasks(query: Select[Any]) -> Select[Any]:
    """Only supervised tasks: tasks of plans that are assigned (not waiting for the office to name a
    lead) and have a lead department. They report weekly, are escalated and are scored."""
    return plan_tasks(query).where(Task.awaiting_assignment.is_(False), _has_lead())


def is_supervised(plan_kind: PlanKind | str, awaiting_assignment: bool, has_lead: bool) -> bool:
    """`supervised_tasks` for a task already read: of a plan, assigned, with a lead department."""
    return plan_kind == PlanKind.PLAN and not awaiting_assignment and has_lead


def awaiting_lead() -> Any:
    """A column expression: the task waits for the office to name its lead."""
    return or_(Task.awaiting_assignment, ~_has_lead())


def jurisdiction_named(session: Session, name: str) -> Jurisdiction:
    """An unknown name is an error, not an empty scope: a misspelt city must not pass for a city
    with nothing to do."""
    found = session.scalar(select(Jurisdiction).where(Jurisdiction.name == name))
    if found is None:
        raise ValueError(f"未知的行政区划：{name}")
    return found


def scope_plans(session: Session, jurisdiction: str | None, *, until: date | None = None) -> list[Plan]:
    """The plans under supervision (kind `plan`) a jurisdiction answers for: its own and those of
    the counties directly under it (a city's supervision covers its counties' plans; a province's
    only its own, its cities are scopes of their own); every jurisdiction's without one. `until`:
    only plans issued by that day (or without an issue date). In id order; none for a name no
    jurisdiction has (`scope_plan_ids` refuses one)."""
    return list(session.scalars(*scope_query(jurisdiction, until=until)))


def scope_query(jurisdiction: str | None, *, until: date | None = None) -> tuple[Select, dict[str, Any]]:
    """`scope_plans`' statement (SELECT plans, built once) and its parameters."""
    query = _SCOPE[(jurisdiction is not None, until is not None)]
    params = {"place": jurisdiction, "until": until}
    return query, {key: value for key, value in params.items() if value is not None}


def _scope_query(place: bool, until: bool) -> Select:
    query = select(Plan).where(Plan.kind == PlanKind.PLAN)
    if place:
        named = select(Jurisdiction.id).where(Jurisdiction.name == bindparam("place")).scalar_subquery()
        counties = select(Jurisdiction.id).where(
            Jurisdiction.parent_id == named, Jurisdiction.level == JurisdictionLevel.COUNTY
        )
        query = query.where((Plan.jurisdiction_id == named) | Plan.jurisdiction_id.in_(counties))
    if until:
        query = query.where(Plan.issued_on.is_(None) | (Plan.issued_on <= bindparam("until", type_=Date)))
    return query.order_by(Plan.id)


# `scope_plans`' statements (with a jurisdiction's name bound, with a day bound), built once: the
# figures of every run and every page of the portal ask.
_SCOPE = {(place, until): _scope_query(place, until) for place in (False, True) for until in (False, True)}


def scope_plan_ids(session: Session, jurisdiction: str | None) -> list[int] | None:
    """The ids of `scope_plans`; None (every plan, no filter needed) without a jurisdiction. An
    unknown name is an error here (the scans and the portal)."""
    if jurisdiction is None:
        return None
    jurisdiction_named(session, jurisdiction)
    return [plan.id for plan in scope_plans(session, jurisdiction)]


def supervising_jurisdictions(session: Session) -> list[str]:
    """Jurisdictions that have plans under supervision, by name: the scopes the cadence computes
    figures and issues bulletins for."""
    return list(
        session.scalars(
            select(Jurisdiction.name)
            .join(Plan, Plan.jurisdiction_id == Jurisdiction.id)
            .where(Plan.kind == PlanKind.PLAN)
            .distinct()
            .order_by(Jurisdiction.name)
        )
    )


def supervises_zero_waste(session: Session) -> bool:
    """Whether the office supervises a 无废城市 plan (or none yet: wufei's own words): what its
    messages call their office and system (wufei.plans.work)."""
    any_plan = session.scalar(select(exists().where(Plan.id.is_not(None))))
    return not any_plan or bool(session.scalar(select(exists().where(Plan.title.contains(ZERO_WASTE_MARK)))))


def office_name(session: Session) -> str:
    """Who units report to, as messages and the ladder's actions name it ({office})."""
    return "领导小组办公室" if supervises_zero_waste(session) else "督查室"


_NUMBER_YEAR = re.compile(r"[〔\[(（](\d{4})[〕\])）]")


def known_issue_day(issued_on: date | None, doc_number: str | None) -> date | None:
    """When a document was out at the latest known: its date, else the first day of its number's
    year (衡环办函〔2025〕28号: 2025-01-01); None when neither tells."""
    if issued_on is not None:
        return issued_on
    match = _NUMBER_YEAR.search(doc_number or "")
    return date(int(match.group(1)), 1, 1) if match else None


def issued_by(issued_on: date | None, doc_number: str | None, day: date) -> bool | None:
    """Whether a document was out by `day` (衡环办函〔2025〕28号 was not out in 2024); None when
    neither its date nor its number tells. Figures for a day cite no later document."""
    known = known_issue_day(issued_on, doc_number)
    return known <= day if known is not None else None


Document = TypeVar("Document")


def newest_out_by(
    documents: Iterable[Document], day: date, facts: Callable[[Document], tuple[date | None, str | None, int]]
) -> Document | None:
    """The newest of `documents` out by `day` (`facts`: its issue date, number and id): by its date,
    else its number's year (a reply of 2023 imported after one of 2024 is the older), then the last
    imported; one whose date nothing tells counts as out, older than any dated one."""

    def known(document: Document) -> tuple[date, int]:
        issued_on, doc_number, id_ = facts(document)
        return known_issue_day(issued_on, doc_number) or date.min, id_

    out = [d for d in documents if issued_by(*facts(d)[:2], day) is not False]
    return max(out, key=known, default=None)


def plan_start(issued_on: date | None, period_start: int | None, imported_on: date | None = None) -> date | None:
    """When a plan starts (序时进度 and weekly reporting count from it): its issue date, else
    1 January of its first year, else the day it was imported; None when none is known."""
    if issued_on is not None:
        return issued_on
    if period_start is not None:
        return date(period_start, 1, 1)
    return imported_on

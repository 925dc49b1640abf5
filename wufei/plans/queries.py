"""Finding a plan by what a user types (a department: wufei/departments/naming.py)."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from wufei.plans.models import Plan


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

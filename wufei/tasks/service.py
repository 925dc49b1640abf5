"""Reading tasks for listings and exports. Services take a Session and never commit."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from wufei.tasks.models import Role, Task, TaskDepartment


def list_tasks(
    session: Session,
    *,
    plan_ids: list[int] | None = None,
    department_ids: list[int] | None = None,
    role: Role | None = None,
    list_kind: str | None = None,
    awaiting_assignment: bool | None = None,
) -> list[Task]:
    query = select(Task).options(
        selectinload(Task.plan), selectinload(Task.assignments).selectinload(TaskDepartment.department)
    )
    if plan_ids is not None:
        query = query.where(Task.plan_id.in_(plan_ids))
    if list_kind:
        query = query.where(Task.list_kind == list_kind)
    if awaiting_assignment is not None:
        query = query.where(Task.awaiting_assignment.is_(awaiting_assignment))
    if department_ids is not None:
        link = select(TaskDepartment.task_id).where(TaskDepartment.department_id.in_(department_ids))
        if role:
            link = link.where(TaskDepartment.role == role)
        query = query.where(Task.id.in_(link))
    return list(session.scalars(query.order_by(Task.plan_id, Task.id)))


def _names(task: Task, role: Role) -> list[str]:
    return [a.department.name for a in task.assignments if a.role == role]


def task_as_dict(task: Task) -> dict[str, Any]:
    return {
        "id": task.id,
        "plan": task.plan.doc_number or task.plan.title,
        "plan_id": task.plan_id,
        "list_kind": task.list_kind,
        "list_name": task.list_name,
        "category": task.category,
        "number": task.number,
        "title": task.title,
        "content": task.content,
        "leads": _names(task, Role.LEAD),
        "supporting": _names(task, Role.SUPPORTING),
        "implementers": _names(task, Role.IMPLEMENTER),
        "responsible_entity": task.responsible_entity,
        "owners_raw": task.owners_raw,
        "deadline_raw": task.deadline_raw,
        "due_date": task.due_date.isoformat() if task.due_date else None,
        "deadline_kind": task.deadline_kind,
        "deadline_note": task.deadline_note,
        "awaiting_assignment": task.awaiting_assignment,
    }

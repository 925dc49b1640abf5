"""Extension requests (延期申请): a lead department asks before the deadline, the office decides.

The deadline in force on a day is the due date of the latest extension approved on or before
that day, else the plan's date. Lights always use it; the year-end assessment uses the original
date unless the rules say `assessment_uses: extended`. Services take a Session and never commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from wufei.audit.service import apply_changes, record
from wufei.chinese import chinese_date
from wufei.departments.models import Department
from wufei.extensions.models import Extension, ExtensionStatus
from wufei.lights.rules import LightRules
from wufei.notices.models import Audience, NoticeIntent, NoticeKind
from wufei.tasks.deadlines import DeadlineKind
from wufei.tasks.models import Role, Task, TaskDepartment

ENTITY = "extensions"
_IN_LIMIT = 5000  # more ids than this are filtered in Python (PostgreSQL takes 65,535 parameters at most)
STATUS_NAMES = {
    ExtensionStatus.PENDING: "待审批",
    ExtensionStatus.APPROVED: "已同意",
    ExtensionStatus.REFUSED: "未同意",
}
# Notices about the old deadline that an approved extension ends before they are delivered.
_DEADLINE_NOTICES = (NoticeKind.DUE_SOON, NoticeKind.OVERDUE)


class ExtensionError(ValueError):
    """A request or decision that cannot be made; the message is Chinese."""


# --- the deadline in force -------------------------------------------------------------------


def latest_approved_extensions(as_of: date):
    """Per task, the requested date of the latest extension approved on or before `as_of`."""
    ranked = (
        select(
            Extension.task_id,
            Extension.requested_due_date,
            func.row_number()
            .over(partition_by=Extension.task_id, order_by=(Extension.decided_on.desc(), Extension.id.desc()))
            .label("rank"),
        )
        .where(Extension.status == ExtensionStatus.APPROVED, Extension.decided_on <= as_of)
        .subquery()
    )
    return select(ranked.c.task_id, ranked.c.requested_due_date).where(ranked.c.rank == 1).subquery()


def effective_due_query(as_of: date) -> Select:
    """SELECT task id, effective due date for every task (join or filter it further)."""
    latest = latest_approved_extensions(as_of)
    due = func.coalesce(latest.c.requested_due_date, Task.due_date).label("effective_due")
    return select(Task.id.label("task_id"), due).outerjoin(latest, latest.c.task_id == Task.id)


def effective_due_dates(
    session: Session, *, as_of: date, task_ids: Iterable[int] | None = None
) -> dict[int, date | None]:
    """The deadline in force on `as_of` for each task (None for ongoing and annual tasks). One query."""
    query = effective_due_query(as_of)
    wanted = set(task_ids) if task_ids is not None else None
    if wanted is not None and len(wanted) <= _IN_LIMIT:
        query = query.where(Task.id.in_(list(wanted)))
    return {task_id: due for task_id, due in session.execute(query) if wanted is None or task_id in wanted}


def assessment_due_date(
    task: Task, extensions: Iterable[Extension], rules: LightRules | None = None, *, as_of: date | None = None
) -> date | None:
    """The deadline the year-end assessment judges the task by (pure).

    `original`: the plan's date whatever was approved; `extended`: the latest approved extension
    (decided on or before `as_of` when given), else the plan's date.
    """
    rules = rules or LightRules()
    if rules.assessment_uses == "original":
        return task.due_date
    approved = [
        e
        for e in extensions
        if e.task_id == task.id
        and e.status == ExtensionStatus.APPROVED
        and e.decided_on is not None
        and (as_of is None or e.decided_on <= as_of)
    ]
    if not approved:
        return task.due_date
    return max(approved, key=lambda e: (e.decided_on, e.id or 0)).requested_due_date


# --- requests and decisions ------------------------------------------------------------------


def _key(extension: Extension) -> str:
    return f"extension:{extension.id}|task:{extension.task_id}"


def request_extension(
    session: Session, *, task_id: int, department_id: int, requested_on: date, new_due: date, reason: str, actor: str
) -> Extension:
    """A lead department asks, on or before the deadline in force, to move it to `new_due`."""
    task = session.get(Task, task_id)
    if task is None:
        raise ExtensionError(f"找不到任务：{task_id}")
    if task.deadline_kind == DeadlineKind.ONGOING:
        raise ExtensionError("持续推进的任务没有完成期限，不能申请延期")
    if task.deadline_kind == DeadlineKind.ANNUAL:
        raise ExtensionError("年度任务每年12月31日考核，不能申请延期")
    if task.completed_on is not None and task.completed_on <= requested_on:
        raise ExtensionError(f"任务已于{chinese_date(task.completed_on)}完成，无需延期")
    department = session.get(Department, department_id)
    if department is None:
        raise ExtensionError(f"找不到部门：{department_id}")
    is_lead = session.scalar(
        select(TaskDepartment.id).where(
            TaskDepartment.task_id == task_id,
            TaskDepartment.department_id == department_id,
            TaskDepartment.role == Role.LEAD,
        )
    )
    if is_lead is None:
        raise ExtensionError(f"只有牵头单位可以申请延期：{department.name}不是该任务的牵头单位")
    reason = (reason or "").strip()
    if not reason:
        raise ExtensionError("请填写延期理由")
    pending = _pending_of(session, task_id)
    if pending is not None:
        raise ExtensionError(_pending_text(pending))
    current = effective_due_dates(session, as_of=requested_on, task_ids=[task_id]).get(task_id)
    if current is None:
        raise ExtensionError("该任务没有完成期限，不能申请延期")
    if requested_on > current:
        raise ExtensionError(f"已过完成期限，不能申请延期（完成期限为{chinese_date(current)}）")
    if new_due <= current:
        raise ExtensionError(f"延期后的完成期限应晚于现行期限（{chinese_date(current)}）")

    extension = Extension(
        task_id=task_id,
        department_id=department_id,
        requested_on=requested_on,
        reason=reason,
        original_due_date=current,
        requested_due_date=new_due,
        status=ExtensionStatus.PENDING,
    )
    try:
        with session.begin_nested():  # a request filed at the same moment wins the database's one pending slot
            session.add(extension)
            session.flush()
    except IntegrityError:
        raise ExtensionError(_pending_text(_pending_of(session, task_id))) from None
    record(
        session,
        actor=actor,
        action="create",
        entity=ENTITY,
        entity_id=extension.id,
        entity_key=_key(extension),
        changes={
            "task_id": [None, task_id],
            "department_id": [None, department_id],
            "requested_on": [None, requested_on.isoformat()],
            "reason": [None, reason],
            "original_due_date": [None, current.isoformat()],
            "requested_due_date": [None, new_due.isoformat()],
            "status": [None, str(ExtensionStatus.PENDING)],
        },
    )
    return extension


def _pending_of(session: Session, task_id: int) -> int | None:
    return session.scalar(
        select(Extension.id).where(Extension.task_id == task_id, Extension.status == ExtensionStatus.PENDING)
    )


def _pending_text(pending: int | None) -> str:
    number = f"（编号{pending}）" if pending is not None else ""
    return f"该任务已有待审批的延期申请{number}，请等待办公室审批"


def decide_extension(
    session: Session, *, extension_id: int, approve: bool, note: str | None, decided_on: date, actor: str
) -> Extension:
    """The office approves or refuses; the lead's liaison is told (a notice intent)."""
    extension = session.get(
        Extension,
        extension_id,
        options=[selectinload(Extension.task).selectinload(Task.plan), selectinload(Extension.department)],
    )
    if extension is None:
        raise ExtensionError(f"找不到延期申请：{extension_id}")
    if extension.status != ExtensionStatus.PENDING:
        raise ExtensionError(f"延期申请{extension_id}{STATUS_NAMES[ExtensionStatus(extension.status)]}，不能重复审批")
    if decided_on < extension.requested_on:
        raise ExtensionError(f"审批日期不能早于申请日期（{chinese_date(extension.requested_on)}）")
    note = (note or "").strip() or None
    if not approve and note is None:
        raise ExtensionError("不同意延期时请填写理由")

    status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    changes = apply_changes(
        extension, {"status": str(status), "decided_on": decided_on, "decided_by": actor, "decision_note": note}
    )
    session.flush()
    record(
        session,
        actor=actor,
        action="update",
        entity=ENTITY,
        entity_id=extension.id,
        entity_key=_key(extension),
        changes=changes,
    )
    _notify_liaison(session, extension)
    if approve:
        _resolve_deadline_notices(session, extension)
    return extension


def _notify_liaison(session: Session, extension: Extension) -> NoticeIntent:
    key = f"extension_decided|extension:{extension.id}"
    existing = session.scalar(select(NoticeIntent).where(NoticeIntent.key == key))
    if existing is not None:
        return existing
    intent = NoticeIntent(
        key=key,
        kind=NoticeKind.EXTENSION_DECIDED,
        step="decided",
        audience=Audience.LIAISON,
        department_id=extension.department_id,
        task_id=extension.task_id,
        period=extension.original_due_date.isoformat(),
        created_on=extension.decided_on,
        payload=decision_payload(extension),
    )
    session.add(intent)
    session.flush()
    return intent


def decision_payload(extension: Extension) -> dict[str, Any]:
    task = extension.task
    approved = extension.status == ExtensionStatus.APPROVED
    old, new = extension.original_due_date, extension.requested_due_date
    if approved:
        message = f"延期申请已同意：任务「{task.title}」的完成期限由{chinese_date(old)}延至{chinese_date(new)}。"
    else:
        message = f"延期申请未同意：任务「{task.title}」的完成期限仍为{chinese_date(old)}。"
    if extension.decision_note:
        message += f"{'意见' if approved else '理由'}：{extension.decision_note}"
    return {
        "extension_id": extension.id,
        "task_id": task.id,
        "task_number": task.number,
        "task_title": task.title,
        "plan": task.plan.doc_number or task.plan.title,
        "department_id": extension.department_id,
        "department": extension.department.name,
        "requested_on": extension.requested_on.isoformat(),
        "old_due_date": old.isoformat(),
        "new_due_date": new.isoformat(),
        "decision": str(extension.status),
        "approved": approved,  # the message's next step: the new deadline, or the old one kept
        "new_due_date_cn": chinese_date(new),
        "decision_text": "同意延期" if approved else "不同意延期",
        "note": extension.decision_note,
        "decided_on": extension.decided_on.isoformat() if extension.decided_on else None,
        "decided_by": extension.decided_by,
        "message": message,
    }


def _resolve_deadline_notices(session: Session, extension: Extension) -> None:
    """Due-soon and overdue notices about the old date, not yet resolved, end with the approval."""
    session.execute(
        update(NoticeIntent)
        .where(
            NoticeIntent.task_id == extension.task_id,
            NoticeIntent.kind.in_([str(k) for k in _DEADLINE_NOTICES]),
            NoticeIntent.period == extension.original_due_date.isoformat(),
            NoticeIntent.resolved_on.is_(None),
        )
        .values(
            resolved_on=extension.decided_on, resolution=f"已批准延期至{chinese_date(extension.requested_due_date)}"
        )
        .execution_options(synchronize_session=False)
    )


# --- listing ---------------------------------------------------------------------------------


def list_extensions(
    session: Session,
    *,
    task_ids: Iterable[int] | None = None,
    status: str | None = None,
    department_ids: Iterable[int] | None = None,
    until: date | None = None,
) -> list[Extension]:
    """`until`: only the requests made by that day (a page of a replay day shows none made later)."""
    query = select(Extension).options(
        selectinload(Extension.task).selectinload(Task.plan), selectinload(Extension.department)
    )
    if task_ids is not None:
        query = query.where(Extension.task_id.in_(list(task_ids)))
    if status is not None:
        query = query.where(Extension.status == status)
    if department_ids is not None:
        query = query.where(Extension.department_id.in_(list(department_ids)))
    if until is not None:
        query = query.where(Extension.requested_on <= until)
    return list(session.scalars(query.order_by(Extension.id)))


def extension_as_dict(extension: Extension) -> dict[str, Any]:
    return {
        "id": extension.id,
        "task_id": extension.task_id,
        "task_title": extension.task.title,
        "department_id": extension.department_id,
        "department": extension.department.name,
        "requested_on": extension.requested_on.isoformat(),
        "reason": extension.reason,
        "original_due_date": extension.original_due_date.isoformat(),
        "requested_due_date": extension.requested_due_date.isoformat(),
        "status": extension.status,
        "status_text": STATUS_NAMES[ExtensionStatus(extension.status)],
        "decided_on": extension.decided_on.isoformat() if extension.decided_on else None,
        "decided_by": extension.decided_by,
        "decision_note": extension.decision_note,
    }

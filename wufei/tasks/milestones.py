"""Milestones (节点) of long tasks: generated yearly checkpoints, and the office's own.

A FIXED task spanning more than one calendar year gets one milestone per 31 December before
its due year, expecting the elapsed share of the task (序时进度) by then, so a five-year task
can fall behind before its last year. The office may set, change or remove milestones; those
it sets are marked `office` and generation never touches them, and a task whose milestones the
office removed is not given generated ones again.

`default_milestones` is pure; the service functions take a Session and never commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from wufei.audit.models import AuditEntry
from wufei.audit.service import apply_changes, record
from wufei.chinese import chinese_date
from wufei.db import table_of
from wufei.extensions.models import Extension, ExtensionStatus
from wufei.lights.rules import MilestonePoint, expected_progress, round_half_up
from wufei.plans.models import Plan
from wufei.plans.queries import plan_start
from wufei.tasks.deadlines import DeadlineKind
from wufei.tasks.models import Milestone, Task

GENERATED, OFFICE = "generated", "office"
ENTITY = "milestones"


class MilestoneError(ValueError):
    """A milestone edit that cannot be made; the message is Chinese."""


# --- pure ------------------------------------------------------------------------------------


def default_milestones(start: date | None, due: date | None) -> list[MilestonePoint]:
    """One milestone per 31 December from the start year up to the year before the due year."""
    if start is None or due is None or due.year <= start.year:
        return []
    points = []
    for year in range(start.year, due.year):
        day = date(year, 12, 31)
        if day <= start:
            continue
        points.append(MilestonePoint(day, round_half_up(expected_progress(start, due, day)), f"{year}年度目标"))
    return points


# --- service ---------------------------------------------------------------------------------


def _key(task_id: int, due_date: date) -> str:
    return f"task:{task_id}|{due_date.isoformat()}"


def _tasks_cleared_by_office(session: Session) -> set[int]:
    """Tasks the office removed milestones from: generation leaves them alone."""
    keys = session.scalars(
        select(AuditEntry.entity_key).where(AuditEntry.entity == ENTITY, AuditEntry.action == "delete")
    )
    cleared = set()
    for key in keys:
        head = key.split("|", 1)[0]
        if head.startswith("task:") and head[5:].isdigit():
            cleared.add(int(head[5:]))
    return cleared


def ensure_milestones(session: Session, *, plan_ids: list[int] | None = None, actor: str = "system") -> int:
    """Create the generated milestones of every FIXED task that has none; returns how many.

    Set-based: one query for the tasks without milestones, one bulk insert. Idempotent, and safe
    beside another generation at the same moment: the unique (task_id, due_date) decides row by
    row, and only the rows this call inserted are counted and audited.
    """
    has_any = exists().where(Milestone.task_id == Task.id)
    query = (
        select(Task.id, Task.due_date, Plan.issued_on, Plan.period_start)
        .join(Plan, Plan.id == Task.plan_id)
        .where(Task.deadline_kind == DeadlineKind.FIXED, Task.due_date.is_not(None), ~has_any)
    )
    if plan_ids is not None:
        query = query.where(Task.plan_id.in_(plan_ids))
    cleared = _tasks_cleared_by_office(session)
    rows: list[dict[str, Any]] = []
    for task_id, due, issued_on, period_start in session.execute(query):
        if task_id in cleared:
            continue
        points = default_milestones(plan_start(issued_on, period_start), due)
        rows += [
            {
                "task_id": task_id,
                "due_date": p.due_date,
                "expected_progress": p.expected_progress,
                "title": p.title,
                "source": GENERATED,
            }
            for p in points
        ]
    insert = _insert_ignoring_duplicates(session)
    created = session.execute(insert.returning(insert.table.c.task_id), rows).all() if rows else []
    if created:  # the audit says what this run wrote: a scan racing it wrote nothing, and records nothing
        record(
            session,
            actor=actor,
            action="generate",
            entity=ENTITY,
            entity_id=None,
            entity_key="plans:" + (",".join(map(str, plan_ids)) if plan_ids is not None else "all"),
            changes={"tasks": len({task_id for (task_id,) in created}), "milestones": len(created)},
        )
    return len(created)


def _insert_ignoring_duplicates(session: Session):
    """Two generations racing on the same task must not fail on (task_id, due_date)."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table_of(Milestone)).on_conflict_do_nothing(index_elements=["task_id", "due_date"])
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table_of(Milestone)).on_conflict_do_nothing(index_elements=["task_id", "due_date"])
    raise NotImplementedError(f"不支持的数据库：{dialect}（应为 SQLite 或 PostgreSQL）")


def _task(session: Session, task_id: int) -> Task:
    task = session.get(Task, task_id)
    if task is None:
        raise MilestoneError(f"找不到任务：{task_id}")
    return task


def set_milestone(
    session: Session, *, task_id: int, due_date: date, expected_progress: int, title: str, actor: str
) -> Milestone:
    """The office sets (creates or changes) a milestone; it becomes an office milestone."""
    task = _task(session, task_id)
    if task.deadline_kind == DeadlineKind.ONGOING:
        raise MilestoneError("持续推进的任务按报送情况评价，不设节点")
    if not 0 <= expected_progress <= 100:
        raise MilestoneError(f"节点预期进度应在0到100之间：{expected_progress}")
    title = (title or "").strip()
    if not title:
        raise MilestoneError("请填写节点名称")
    if task.deadline_kind == DeadlineKind.FIXED and task.due_date is not None:
        latest = session.scalar(
            select(func.max(Extension.requested_due_date)).where(
                Extension.task_id == task_id, Extension.status == ExtensionStatus.APPROVED
            )
        )
        last_day = max(task.due_date, latest or task.due_date)
        if due_date > last_day:
            raise MilestoneError(f"节点日期（{chinese_date(due_date)}）晚于任务完成期限（{chinese_date(last_day)}）")
    milestone = session.scalar(select(Milestone).where(Milestone.task_id == task_id, Milestone.due_date == due_date))
    fields = {"expected_progress": expected_progress, "title": title, "source": OFFICE}
    if milestone is None:
        milestone = Milestone(task_id=task_id, due_date=due_date, **fields)
        session.add(milestone)
        session.flush()
        record(
            session,
            actor=actor,
            action="create",
            entity=ENTITY,
            entity_id=milestone.id,
            entity_key=_key(task_id, due_date),
            changes={"due_date": [None, due_date.isoformat()], **{k: [None, v] for k, v in fields.items()}},
        )
        return milestone
    changes = apply_changes(milestone, fields)
    if changes:
        session.flush()
        record(
            session,
            actor=actor,
            action="update",
            entity=ENTITY,
            entity_id=milestone.id,
            entity_key=_key(task_id, due_date),
            changes=changes,
        )
    return milestone


def remove_milestone(session: Session, *, task_id: int, due_date: date, actor: str) -> None:
    """The office removes a milestone (generated or its own); generation will not bring it back."""
    _task(session, task_id)
    milestone = session.scalar(select(Milestone).where(Milestone.task_id == task_id, Milestone.due_date == due_date))
    if milestone is None:
        raise MilestoneError(f"任务{task_id}没有{chinese_date(due_date)}的节点")
    record(
        session,
        actor=actor,
        action="delete",
        entity=ENTITY,
        entity_id=milestone.id,
        entity_key=_key(task_id, due_date),
        changes={
            "due_date": [due_date.isoformat(), None],
            "expected_progress": [milestone.expected_progress, None],
            "title": [milestone.title, None],
            "source": [milestone.source, None],
        },
    )
    session.delete(milestone)
    session.flush()


def list_milestones(session: Session, *, task_ids: Iterable[int]) -> list[Milestone]:
    ids = list(task_ids)
    return list(
        session.scalars(
            select(Milestone).where(Milestone.task_id.in_(ids)).order_by(Milestone.task_id, Milestone.due_date)
        )
    )


def milestone_as_dict(milestone: Milestone) -> dict[str, Any]:
    return {
        "id": milestone.id,
        "task_id": milestone.task_id,
        "due_date": milestone.due_date.isoformat(),
        "expected_progress": milestone.expected_progress,
        "title": milestone.title,
        "source": milestone.source,
    }

"""Rows the light, milestone and extension tests set up: seed tasks picked by deadline, reports."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from wufei.reports.models import Report, ReportStatus
from wufei.tasks.models import Role, Task, TaskDepartment

SHANGHAI = ZoneInfo("Asia/Shanghai")


def tasks_of(session, plan_id: int, *, kind: str, due: date | None = None, led: bool = True) -> list[Task]:
    """Tasks of a plan with this deadline kind (and due date), that have a lead department."""
    query = select(Task).where(Task.plan_id == plan_id, Task.deadline_kind == kind, Task.awaiting_assignment.is_(False))
    if due is not None:
        query = query.where(Task.due_date == due)
    tasks = list(session.scalars(query.order_by(Task.id)))
    return [t for t in tasks if any(a.role == Role.LEAD for a in t.assignments) == led]


def lead_of(task: Task) -> int:
    return next(a.department_id for a in task.assignments if a.role == Role.LEAD)


def supporter_of(session, task: Task) -> int:
    return session.scalar(
        select(TaskDepartment.department_id)
        .where(TaskDepartment.task_id == task.id, TaskDepartment.role == Role.SUPPORTING)
        .limit(1)
    )


def file_report(
    session,
    task: Task,
    week: date,
    progress: int,
    *,
    at: datetime | None = None,
    status: str = ReportStatus.SUBMITTED,
    version: int = 1,
) -> Report:
    """A report for the week starting `week`, filed on its Monday morning (on time) unless `at`."""
    at = at or datetime.combine(week, time(10), tzinfo=SHANGHAI)
    report = Report(
        task_id=task.id,
        department_id=lead_of(task),
        week_start=week,
        version=version,
        progress=progress,
        submitted_at=at,
        submitted_by="test",
        status=status,
    )
    session.add(report)
    session.flush()
    return report


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())

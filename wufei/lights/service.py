"""Lights for many tasks at once, and their history. Services take a Session and never commit.

`task_states` gathers everything the pure rules need in a few set-based queries (tasks with
their plan and deadline in force, milestones, latest progress, missing-report streaks), so the
daily scan handles a hundred thousand tasks without a query per task.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wufei.cadence.config import CadenceConfig
from wufei.db import batched, column_rows, insert_rows, newest_of_each, table_of, utcnow
from wufei.extensions.service import latest_approved_extensions
from wufei.lights.models import Light, LightRecord
from wufei.lights.rules import LightResult, LightRules, MemoCalendar, MilestonePoint, TaskState, judge
from wufei.plans.models import Plan
from wufei.plans.queries import awaiting_lead, plan_start, plan_tasks, supervised_tasks
from wufei.tasks.models import Milestone, Task

if TYPE_CHECKING:
    from wufei.calendar.workdays import WorkCalendar

# Up to this many ids go into an IN list; beyond it, queries read everything and filter in Python
# (PostgreSQL takes at most 65,535 parameters in a statement).
_IN_LIMIT = 5000


def _scope(query, *, task_ids: list[int] | None, plan_ids: list[int] | None, include_awaiting: bool):
    """Tasks of plans, of these tasks or plans: every one (a task nobody leads yet is lit too, as
    awaiting a lead) or, without `include_awaiting`, the supervised ones (the period figures count
    the others apart). See wufei.plans.queries."""
    query = plan_tasks(query) if include_awaiting else supervised_tasks(query)
    if task_ids is not None:
        query = query.where(Task.id.in_(task_ids))
    if plan_ids is not None:
        query = query.where(Task.plan_id.in_(plan_ids))
    return query


def task_states(
    session: Session,
    *,
    as_of: date,
    calendar: WorkCalendar,
    cadence: CadenceConfig,
    task_ids: Iterable[int] | None = None,
    plan_ids: Iterable[int] | None = None,
    streaks: Mapping[int, int] | None = None,
    include_awaiting: bool = True,
) -> dict[int, TaskState]:
    """What the light rules need for each task, as of a day.
    `streaks`: the tasks' `missing_streaks` as of the same day, when the caller already has them;
    `include_awaiting`: whether tasks nobody leads yet are included (see `_scope`)."""
    from wufei.reports.service import latest_progress, missing_streaks

    wanted = set(task_ids) if task_ids is not None else None
    task_ids = list(wanted) if wanted is not None and len(wanted) <= _IN_LIMIT else None  # else filtered below
    plan_ids = list(plan_ids) if plan_ids is not None else None

    extension = latest_approved_extensions(as_of)
    tasks = column_rows(
        session,
        _scope(
            select(
                Task.id,
                Task.deadline_kind,
                Task.due_date,
                Task.completed_on,
                Plan.issued_on,
                Plan.period_start,
                extension.c.requested_due_date,
                awaiting_lead(),
            ).outerjoin(extension, extension.c.task_id == Task.id),
            task_ids=task_ids,
            plan_ids=plan_ids,
            include_awaiting=include_awaiting,
        ),
    )
    if wanted is not None and task_ids is None:
        tasks = [row for row in tasks if row[0] in wanted]
    if not tasks:
        return {}

    scope_ids = _scope(select(Task.id), task_ids=task_ids, plan_ids=plan_ids, include_awaiting=include_awaiting)
    milestones: dict[int, list[MilestonePoint]] = defaultdict(list)
    for task_id, due_date, expected, title in column_rows(
        session,
        (
            select(Milestone.task_id, Milestone.due_date, Milestone.expected_progress, Milestone.title)
            .where(Milestone.task_id.in_(scope_ids.scalar_subquery()))
            .order_by(Milestone.task_id, Milestone.due_date)
        ),
    ):
        milestones[task_id].append(MilestonePoint(due_date, expected, title))

    ids = [row[0] for row in tasks]
    narrow = ids if len(ids) <= _IN_LIMIT else None
    progress = latest_progress(session, as_of=as_of, cadence=cadence, task_ids=narrow)
    if streaks is None:
        streaks = missing_streaks(session, as_of=as_of, calendar=calendar, cadence=cadence, task_ids=narrow)

    states: dict[int, TaskState] = {}
    for task_id, kind, due, completed_on, issued_on, period_start, extended_due, awaiting in tasks:
        effective = extended_due or due
        start = plan_start(issued_on, period_start) or date((due or as_of).year, 1, 1)
        reported = progress.get(task_id)
        states[task_id] = TaskState(
            task_id=task_id,
            deadline_kind=kind,
            start=start,
            due=effective,
            original_due=due,
            completed_on=completed_on,
            progress=reported[0] if reported else None,
            progress_week=reported[1] if reported else None,
            missing_streak=streaks.get(task_id, 0),
            milestones=tuple(milestones.get(task_id, ())),
            awaiting=bool(awaiting),
        )
    return states


def compute_lights(
    session: Session,
    *,
    as_of: date,
    calendar: WorkCalendar,
    cadence: CadenceConfig,
    rules: LightRules,
    task_ids: Iterable[int] | None = None,
    plan_ids: Iterable[int] | None = None,
    streaks: Mapping[int, int] | None = None,
    include_awaiting: bool = True,
) -> dict[int, LightResult]:
    """Each task's light on `as_of` (`streaks` and `include_awaiting` as in `task_states`)."""
    states = task_states(
        session,
        as_of=as_of,
        calendar=calendar,
        task_ids=task_ids,
        plan_ids=plan_ids,
        cadence=cadence,
        streaks=streaks,
        include_awaiting=include_awaiting,
    )
    memo = MemoCalendar(calendar)
    return {task_id: judge(state, as_of, memo, rules) for task_id, state in states.items()}


def _latest_records(session: Session, *, as_of: date, task_ids: list[int]) -> dict[int, tuple[str, str]]:
    """Each task's latest task-level record on or before `as_of`: (light, rules). One query,
    reading about one record per task (`newest_of_each`), not the whole history."""
    owners = select(Task.id)
    if len(task_ids) <= _IN_LIMIT:
        owners = owners.where(Task.id.in_(task_ids))
    newest = (
        select(LightRecord.light, LightRecord.rules)
        .where(LightRecord.task_id == Task.id, LightRecord.milestone_id.is_(None), LightRecord.as_of <= as_of)
        .order_by(LightRecord.as_of.desc(), LightRecord.id.desc())
    )
    query = newest_of_each(session, owners, Task, newest, table_of(LightRecord))
    return {task_id: (light, rules) for task_id, light, rules in column_rows(session, query)}


def record_lights(session: Session, *, as_of: date, results: Mapping[int, LightResult]) -> int:
    """Write a history row for each task whose light changed; returns how many were written.

    A change is a different colour or a different set of rules fired, compared with the task's
    latest record on or before `as_of`. The reason's figures (days overdue, points behind) move
    every day and are kept in the row, but do not by themselves make a new row. Idempotent, and
    safe beside another scan of the same day (one row per task and day: a later judgement of the
    same day replaces the day's row, as the newest row won before).
    """
    if not results:
        return 0
    latest = _latest_records(session, as_of=as_of, task_ids=list(results))
    rows: list[dict[str, Any]] = []
    now = utcnow()
    for task_id, result in sorted(results.items()):  # in key order: two scans at once never deadlock
        codes = ",".join(result.rules)
        if latest.get(task_id) == (str(result.light), codes):
            continue
        rows.append(
            {
                "task_id": task_id,
                "milestone_id": None,
                "as_of": as_of,
                "light": str(result.light),
                "rules": codes[:64],
                "reason": result.reason,
                "computed_at": now,
            }
        )
    for batch in batched(rows):  # a task's row of the day, once: a scan at the same time writes the same
        insert_rows(
            session,
            LightRecord.__table__,
            batch,
            unique=("task_id", "as_of"),
            where=LightRecord.milestone_id.is_(None),
            update=("light", "rules", "reason", "computed_at"),
        )
    return len(rows)


def refresh_lights(
    session: Session,
    *,
    task_ids: Iterable[int],
    as_of: date,
    calendar: WorkCalendar,
    cadence: CadenceConfig,
    rules: LightRules,
) -> dict[int, LightResult]:
    """Judge these tasks again and record what changed, as the daily scan does for every task:
    called when a report, a review or a decision is saved, so the task's history never says
    what the change just made untrue until the next scan."""
    lights = compute_lights(
        session, as_of=as_of, calendar=calendar, cadence=cadence, rules=rules, task_ids=list(task_ids)
    )
    record_lights(session, as_of=as_of, results=lights)
    return lights


def light_history(session: Session, *, task_id: int) -> list[LightRecord]:
    return list(
        session.scalars(
            select(LightRecord).where(LightRecord.task_id == task_id).order_by(LightRecord.as_of, LightRecord.id)
        )
    )


def lights_as_dicts(results: Mapping[int, LightResult]) -> dict[int, dict[str, Any]]:
    """{task_id: {"light": "red", "reason": "…", "rules": ["overdue", …]}} for JSON output."""
    return {task_id: result.as_dict() for task_id, result in results.items()}


def count_lights(results: Mapping[int, LightResult]) -> dict[str, int]:
    counts = {str(light): 0 for light in Light}
    for result in results.values():
        counts[str(result.light)] += 1
    return counts

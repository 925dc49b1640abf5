"""Five years of weekly reports for the imported plans of a generated province, loaded in bulk.

What departments do is generated per task, deterministically from the seed and the task's plan
and number (so a city gives the same reports whatever else is loaded): most report steadily,
some late, some patchy, some stop, a few never; most fixed-deadline tasks finish around their
deadline (the task's `completed_on` is set on the day its 100% report was filed). Reports are
written week by week in submission order, as the table fills in real use (on PostgreSQL by COPY);
the last two weeks are not reviewed yet. No audit rows or notices: this is history, not activity.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from datetime import time as dtime
from operator import itemgetter
from typing import Any

from sqlalchemy import bindparam, select, text, update
from sqlalchemy.engine import Engine

from wufei.cadence.config import CadenceConfig
from wufei.cadence.windows import reporting_window
from wufei.calendar.workdays import WorkCalendar
from wufei.db import batched, copy_rows, indexes_built_after, insert_rows, table_of
from wufei.plans.models import Plan
from wufei.reports.models import Report
from wufei.tasks.models import Role, Task, TaskDepartment

BEHAVIOURS = (("steady", 0.70), ("late", 0.08), ("patchy", 0.11), ("stops", 0.08), ("silent", 0.03))


@dataclass
class _Task:
    id: int
    lead: int
    start: date
    kind: str
    due: date | None
    behaviour: str
    pace: float
    stop_on: date = date.max  # files nothing from this week on
    completed_on: date | None = None


def _rng(seed: int, *parts: object) -> random.Random:
    digest = hashlib.sha256("|".join(map(str, (seed, *parts))).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _tasks(engine: Engine, seed: int, plan_ids: list[int] | None, until: date) -> list[_Task]:
    query = (
        select(
            Task.id,
            Plan.doc_number,
            Task.list_kind,
            Task.number,
            Task.deadline_kind,
            Task.due_date,
            Plan.issued_on,
            TaskDepartment.department_id,
        )
        .join(Plan, Plan.id == Task.plan_id)
        .join(TaskDepartment, (TaskDepartment.task_id == Task.id) & (TaskDepartment.role == Role.LEAD))
        .where(Plan.kind == "plan", Task.awaiting_assignment.is_(False))
        .order_by(Task.id, TaskDepartment.position, TaskDepartment.id)
    )
    if plan_ids is not None:
        query = query.where(Task.plan_id.in_(plan_ids))
    tasks: dict[int, _Task] = {}
    with engine.connect() as connection:
        for task_id, doc, list_kind, number, kind, due, issued_on, lead in connection.execute(query):
            if task_id in tasks:
                continue  # the first lead files
            rng = _rng(seed, doc, list_kind, number)
            roll, behaviour = rng.random(), "steady"
            for name, share in BEHAVIOURS:
                if roll < share:
                    behaviour = name
                    break
                roll -= share
            # Three in four keep up with 序时进度 (or run ahead); the rest fall behind by up to half.
            pace = rng.uniform(1.03, 1.3) if rng.random() < 0.75 else rng.uniform(0.5, 1.0)
            task = _Task(task_id, lead, issued_on, kind, due, behaviour, pace)
            span = max((until - issued_on).days, 7)
            if behaviour == "stops":
                task.stop_on = issued_on + timedelta(days=rng.randint(span // 5, span))
            if kind == "fixed" and due is not None and behaviour != "silent" and rng.random() < 0.8:
                finished = due - timedelta(days=rng.randint(0, 90))
                if issued_on < finished <= until and finished < task.stop_on:
                    task.completed_on = finished
            tasks[task_id] = task
    return list(tasks.values())


def _progress(task: _Task, week_end: date) -> int:
    if task.kind == "fixed" and task.due is not None:
        share = (week_end - task.start).days / max((task.due - task.start).days, 1)
    elif task.kind == "annual":
        share = (week_end - date(week_end.year, 1, 1)).days / 365
    else:
        share = min((week_end - task.start).days / 1800, 0.95)
    return max(0, min(99, int(100 * share * task.pace)))


COLUMNS = (  # of the reports table, in the order of `_week_rows`' tuples
    "task_id",
    "department_id",
    "week_start",
    "version",
    "progress",
    "done_text",
    "problems",
    "next_steps",
    "submitted_at",
    "submitted_by",
    "late",
    "status",
    "review_note",
    "reviewed_at",
    "reviewed_by",
)


def _week_rows(tasks: list[_Task], window, seed: int, recent: bool, zone: tzinfo) -> list[tuple[Any, ...]]:
    """The week's reports (tuples of COLUMNS), in submission order."""
    rng = _rng(seed, window.week_start)
    opens = datetime.combine(window.opens_on, dtime(9), tzinfo=zone)
    span = max((window.due_at - opens).total_seconds(), 3600)
    week_start = window.week_start
    week_end = week_start + timedelta(days=6)
    rows = []
    for task in tasks:
        roll = rng.random()  # drawn for every task, so one task's fate does not shift the others'
        if task.start > week_start or task.behaviour == "silent" or week_start >= task.stop_on:
            continue
        if task.completed_on is not None and task.completed_on < week_start:
            continue
        final = task.completed_on is not None and task.completed_on <= week_end
        if not final and (roll < 0.03 or (task.behaviour == "patchy" and roll < 0.4)):
            continue
        if final and task.completed_on is not None:
            at = datetime.combine(task.completed_on, dtime(10, 30), tzinfo=zone)
        elif task.behaviour == "late" and roll > 0.3:
            at = window.due_at + timedelta(days=1 + int(roll * 10) % 4, hours=int(roll * 100) % 6)
        else:
            at = opens + timedelta(seconds=span * roll)
        reviewed = not recent or final
        rows.append(
            (
                task.id,
                task.lead,
                week_start,
                1,
                100 if final else _progress(task, week_end),
                "按计划推进，完成本周工作。",
                None,
                "继续推进。",
                at.astimezone(UTC),
                "联络员",
                at > window.due_at,
                "accepted" if reviewed else "submitted",
                None,
                (at + timedelta(days=1)).astimezone(UTC) if reviewed else None,
                "办公室" if reviewed else None,
            )
        )
    rows.sort(key=itemgetter(8))  # submitted_at
    return rows


def load_weekly_reports(
    engine: Engine,
    *,
    cadence: CadenceConfig,
    seed: int = 1,
    until: date,
    plan_ids: Iterable[int] | None = None,
    since: date | None = None,
) -> dict[str, int]:
    """Write the weekly reports of the plans' tasks (all supervised plans, or `plan_ids`) from each
    plan's issue date (or `since`) to `until`, and mark the tasks completed on the way. Returns
    counts. All in one transaction; on PostgreSQL the reports go in by one COPY (23 million rows
    for the nation). Run it on a database without reports."""
    plan_ids = list(plan_ids) if plan_ids is not None else None
    tasks = _tasks(engine, seed, plan_ids, until)
    if not tasks:
        return {"tasks": 0, "reports": 0, "completed": 0}
    calendar = WorkCalendar()
    first = since or min(task.start for task in tasks)
    monday = first - timedelta(days=first.weekday())
    windows = []
    while monday <= until:
        window = reporting_window(monday, calendar, cadence)
        if window is not None and window.due_at.date() <= until:
            windows.append(window)
        monday += timedelta(days=7)
    recent = len(windows) - 2  # the last two weeks are not reviewed yet
    weeks = (
        _week_rows(tasks, window, seed, recent=index >= recent, zone=cadence.timezone)
        for index, window in enumerate(windows)
    )
    completed = [(t.id, t.completed_on) for t in tasks if t.completed_on is not None]
    table = table_of(Report)
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            with indexes_built_after(connection, table):
                reports = copy_rows(connection, table, COLUMNS, (row for rows in weeks for row in rows))
            ids, days = zip(*completed, strict=True) if completed else ((), ())
            connection.execute(
                text(
                    "UPDATE tasks SET completed_on = done.day"
                    " FROM unnest(CAST(:ids AS integer[]), CAST(:days AS date[])) AS done(id, day)"
                    " WHERE tasks.id = done.id"
                ),
                {"ids": list(ids), "days": list(days)},
            )
        else:
            reports = 0
            for rows in weeks:
                for batch in batched(dict(zip(COLUMNS, row, strict=True)) for row in rows):
                    insert_rows(connection, table, batch)
                reports += len(rows)
            statement = (
                update(table_of(Task))
                .where(table_of(Task).c.id == bindparam("task_id"))
                .values(completed_on=bindparam("done"))
            )
            for batch in batched({"task_id": task_id, "done": done} for task_id, done in completed):
                connection.execute(statement, batch)
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execute(text("ANALYZE reports, tasks"))  # the next scan plans with the loaded rows
            connection.commit()
    return {"tasks": len(tasks), "weeks": len(windows), "reports": reports, "completed": len(completed)}

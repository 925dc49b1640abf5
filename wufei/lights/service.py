"""Lights for many tasks at once, and their history. Services take a Session and never commit.

`task_states` gathers everything the pure rules need in a few set-based queries (tasks with
their plan and deadline in force, milestones, latest progress, missing-report streaks), so the
daily scan handles a hundred thousand tasks without a query per task.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import ColumnElement, FromClause, Select, String, case, cast, func, literal, or_, select, true, update
from sqlalchemy.orm import Session

from wufei.cadence.config import CadenceConfig
from wufei.cadence.windows import lights_streaks, next_light_count
from wufei.db import column_rows, insert_values, newest_of_each, table_of, utcnow
from wufei.extensions.service import latest_approved_extensions
from wufei.lights.models import Light, LightRecord, LightState
from wufei.lights.rules import (
    LightResult,
    LightRules,
    MemoCalendar,
    MilestonePoint,
    TaskState,
    judge,
    recheck_on,
)
from wufei.plans.models import Plan
from wufei.plans.queries import awaiting_lead, plan_start, plan_tasks, supervised_tasks
from wufei.tasks.ledger_status import with_ledger
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
    progress: Mapping[int, tuple[int, date]] | None = None,
) -> dict[int, TaskState]:
    """What the light rules need for each task, as of a day.
    `streaks`: the tasks' streaks the lights of the day count (`lights_streaks`: a window due that
    day is not missed yet), when the caller already has them;
    `include_awaiting`: whether tasks nobody leads yet are included (see `_scope`); `progress`:
    the tasks' `latest_progress` as of the same day, when the caller already has them (a percentage the
    imported ledger gave counts while no report is as new: `with_ledger`)."""
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
                Task.ledger_progress,
                Task.ledger_progress_on,
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

    milestones = _milestones(
        session, _scope(select(Task.id), task_ids=task_ids, plan_ids=plan_ids, include_awaiting=include_awaiting)
    )

    ids = [row[0] for row in tasks]
    narrow = ids if len(ids) <= _IN_LIMIT else None
    if progress is None:
        progress = latest_progress(session, as_of=as_of, cadence=cadence, task_ids=narrow)
    if streaks is None:
        streaks = lights_streaks(
            missing_streaks(session, as_of=as_of, calendar=calendar, cadence=cadence, task_ids=narrow),
            as_of,
            calendar,
            cadence,
        )

    states: dict[int, TaskState] = {}
    for task_id, kind, due, completed_on, issued_on, period_start, extended_due, awaiting, percent, on in tasks:
        effective = extended_due or due
        start = plan_start(issued_on, period_start) or date((due or as_of).year, 1, 1)
        reported = with_ledger(progress.get(task_id), percent, on, as_of)
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
            milestones=milestones.get(task_id, ()),
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
    rows: list[tuple[Any, ...]] = []
    for task_id, result in sorted(results.items()):  # in key order: two scans at once never deadlock
        codes = ",".join(result.rules)
        if latest.get(task_id) == (str(result.light), codes):
            continue
        rows.append((task_id, str(result.light), codes[:64], result.reason))
    # a task's row of the day, once: a scan at the same time writes the same
    insert_values(
        session,
        LightRecord.__table__,
        ("task_id", "light", "rules", "reason"),
        rows,
        constants={"milestone_id": None, "as_of": as_of, "computed_at": utcnow()},
        unique=("task_id", "as_of"),
        where="milestone_id IS NULL",
        update=("light", "rules", "reason", "computed_at"),
    )
    return len(rows)


@dataclass
class LightScan:
    """What `scan_lights` did: every task's light counted, which tasks were judged again, how many
    history rows were written."""

    counts: dict[str, int]
    judged_ids: frozenset[int]
    changed: int

    @property
    def judged(self) -> int:
        return len(self.judged_ids)


class Judging(NamedTuple):
    """A task `tasks_to_judge` gives: the fingerprint of its inputs, its newest report counted
    (progress and week; None without one) and the task's own inputs to its light, read by the same
    query (the scan judges from them without reading the tasks again)."""

    inputs: str
    progress: int | None
    progress_week: date | None
    deadline_kind: str
    due_date: date | None  # as printed in the plan
    completed_on: date | None
    issued_on: date | None  # the plan's
    period_start: int | None  # the plan's
    extended_due: date | None  # the latest approved extension's
    awaiting: bool


def tasks_to_judge(
    session: Session,
    *,
    as_of: date,
    calendar: WorkCalendar,
    cadence: CadenceConfig,
    rules: LightRules,
    plan_ids: Iterable[int] | None = None,
    full: bool = False,
    ladder: object = None,
) -> dict[int, Judging]:
    """task → the fingerprint of its inputs (and its newest report), for the tasks the daily scan
    judges again on `as_of`:
    those whose inputs changed since their last judgement (`LightState`), whose light may change
    with the date by now (`recheck_on`), or never judged; with `full`, every task.

    The inputs are compared in SQL (one query, like reading the rows themselves); only the tasks
    judged again travel to Python. `ladder`: the escalation ladder the same scan applies (a change
    of it, like a change of the rules, judges every task again)."""
    plan_ids = list(plan_ids) if plan_ids is not None else None
    inputs = _inputs_query(
        session, as_of=as_of, calendar=calendar, cadence=cadence, rules=rules, plan_ids=plan_ids, ladder=ladder
    )
    if not full:
        # OFFSET 0 keeps the subquery whole (neither database pulls it up), so that each task's
        # fingerprint is computed once, not once for the SELECT list and again for the comparison.
        computed = inputs.offset(0).subquery("computed")
        state = table_of(LightState)
        inputs = (
            select(*computed.c)
            .outerjoin(state, state.c.task_id == computed.c.id)
            .where(
                or_(
                    state.c.task_id.is_(None),
                    state.c.inputs != computed.c.inputs,
                    state.c.recheck_on <= as_of,
                    state.c.judged_on > as_of,
                )
            )
        )
    return {row[0]: _judging(row, as_of) for row in column_rows(session, inputs)}


def _judging(row: Any, as_of: date) -> Judging:
    """A row of `_inputs_query` as a Judging, its progress the report's or the imported ledger's (`with_ledger`)."""
    _task_id, inputs, progress, week, *facts, ledger_progress, ledger_on = row
    reported = (progress, week) if progress is not None else None
    newest = with_ledger(reported, ledger_progress, ledger_on, as_of)
    return Judging(inputs, *(newest or (None, None)), *facts)


def scan_lights(
    session: Session,
    *,
    as_of: date,
    calendar: WorkCalendar,
    cadence: CadenceConfig,
    rules: LightRules,
    streaks: Mapping[int, int] | None = None,
    plan_ids: Iterable[int] | None = None,
    full: bool = False,
    fingerprints: Mapping[int, Judging] | None = None,
    escalate_on: Callable[[TaskState], date | None] | None = None,
) -> LightScan:
    """The daily scan's lights: judge the tasks `tasks_to_judge` gives (or `fingerprints`, what it
    gave the caller), record what changed, carry the others forward as they are. With `full`,
    judge every task (the result is the same: a test replays a year both ways). `streaks`: the
    missing-report streaks the day's lights count (`lights_streaks`) of (at least) the tasks
    judged, when the caller has them.
    `escalate_on`: a judged task's `LightState.escalate_on` from its state (without it, `as_of`:
    the next scan's escalation looks at the task)."""
    plan_ids = list(plan_ids) if plan_ids is not None else None
    if fingerprints is None:
        fingerprints = tasks_to_judge(
            session, as_of=as_of, calendar=calendar, cadence=cadence, rules=rules, plan_ids=plan_ids, full=full
        )
    results: dict[int, LightResult] = {}
    rows: list[tuple[Any, ...]] = []
    if fingerprints:
        if streaks is None:
            from wufei.reports.service import missing_streaks

            ids = sorted(fingerprints)
            streaks = lights_streaks(
                missing_streaks(
                    session,
                    as_of=as_of,
                    calendar=calendar,
                    cadence=cadence,
                    task_ids=ids if len(ids) <= _IN_LIMIT else None,
                    plan_ids=plan_ids,
                ),
                as_of,
                calendar,
                cadence,
            )
        milestones = _milestones(
            session,
            _scope(
                select(Task.id),
                task_ids=list(fingerprints) if len(fingerprints) <= _IN_LIMIT else None,
                plan_ids=plan_ids,
                include_awaiting=True,
            ),
        )
        results, rows = _judge_states(
            fingerprints,
            milestones,
            streaks,
            as_of=as_of,
            calendar=calendar,
            cadence=cadence,
            rules=rules,
            escalate_on=escalate_on,
        )
    # The history, then the states, each in task order (two scans at once take their locks alike).
    changed = record_lights(session, as_of=as_of, results=results)
    _write_states(session, rows, as_of=as_of)
    return LightScan(counts=_count_lights(session, plan_ids=plan_ids), judged_ids=frozenset(results), changed=changed)


def _judge_states(
    fingerprints: Mapping[int, Judging],
    milestones: Mapping[int, tuple[MilestonePoint, ...]],
    streaks: Mapping[int, int],
    *,
    as_of: date,
    calendar: WorkCalendar,
    cadence: CadenceConfig,
    rules: LightRules,
    escalate_on: Callable[[TaskState], date | None] | None,
) -> tuple[dict[int, LightResult], list[tuple[Any, ...]]]:
    """Each task's light, and its `LightState` row (task, light, rules, recheck_on, inputs,
    escalate_on), in task order: one pass over the rows `tasks_to_judge` read, the state the rules
    read (as `task_states` makes it) put together as a key, and judged once per distinct key: the
    rules read nothing of the task but its state, and tasks share deadlines, progress and streaks
    (the benchmark's 100,000 tasks are 9,775 states)."""
    results: dict[int, LightResult] = {}
    rows: list[tuple[Any, ...]] = []
    memo = MemoCalendar(calendar)
    closes = next_light_count(as_of, calendar, cadence)
    starts: dict[tuple[Any, ...], date | None] = {}  # one plan start per plan
    no_milestones: tuple[MilestonePoint, ...] = ()
    judged: dict[tuple[Any, ...], tuple[LightResult, str, str, str | None, str | None]] = {}
    for task_id in sorted(fingerprints):  # in key order: two scans at once never deadlock
        row = fingerprints[task_id]
        due = row.extended_due or row.due_date
        plan = (row.issued_on, row.period_start)
        start = starts.get(plan, date.min)
        if start == date.min:
            start = starts[plan] = plan_start(row.issued_on, row.period_start)
        if start is None:
            start = date((due or as_of).year, 1, 1)
        reported = row.progress is not None and row.progress_week is not None
        key = (
            row.deadline_kind,
            start,
            due,
            row.due_date,
            row.completed_on,
            row.progress if reported else None,
            row.progress_week if reported else None,
            streaks.get(task_id, 0),
            milestones.get(task_id, no_milestones),
            bool(row.awaiting),
        )
        done = judged.get(key)
        if done is None:
            task_state = TaskState(task_id, *key)
            result = judge(task_state, as_of, memo, rules)
            again = recheck_on(task_state, as_of, rules, next_window_close=closes, calendar=memo)
            escalate = escalate_on(task_state) if escalate_on is not None else as_of
            done = judged[key] = (
                result,
                str(result.light),
                ",".join(result.rules)[:64],
                again.isoformat() if again else None,
                escalate.isoformat() if escalate else None,
            )
        results[task_id] = done[0]
        rows.append((task_id, done[1], done[2], done[3], row.inputs, done[4]))
    return results, rows


def _milestones(session: Session, tasks: Select) -> dict[int, tuple[MilestonePoint, ...]]:
    """task → its milestones in due order, for the tasks `tasks` (a SELECT of task ids) selects."""
    milestones: dict[int, list[MilestonePoint]] = defaultdict(list)
    for task_id, due_date, expected, title in column_rows(
        session,
        (
            select(Milestone.task_id, Milestone.due_date, Milestone.expected_progress, Milestone.title)
            .where(Milestone.task_id.in_(tasks.scalar_subquery()))
            .order_by(Milestone.task_id, Milestone.due_date)
        ),
    ):
        milestones[task_id].append(MilestonePoint(due_date, expected, title))
    return {task_id: tuple(points) for task_id, points in milestones.items()}


def _write_states(session: Session, rows: list[tuple[Any, ...]], *, as_of: date) -> None:
    """Upsert the judged tasks' `LightState` rows (`_judge_states`)."""
    insert_values(
        session,
        LightState.__table__,
        ("task_id", "light", "rules", "recheck_on", "inputs", "escalate_on"),
        rows,
        constants={"judged_on": as_of},
        unique=("task_id",),
        update=("judged_on", "light", "rules", "recheck_on", "inputs", "escalate_on"),
    )


def _count_lights(session: Session, *, plan_ids: list[int] | None) -> dict[str, int]:
    """Every task's light (its state's), counted by colour."""
    counts = column_rows(
        session,
        _scope(
            select(LightState.light, func.count()).select_from(Task).join(LightState, LightState.task_id == Task.id),
            task_ids=None,
            plan_ids=plan_ids,
            include_awaiting=True,
        ).group_by(LightState.light),
    )
    return {str(light): count for light, count in counts}


def _state_key(state: TaskState) -> tuple[Any, ...]:
    """Everything of a task's state but its id: what `judge`, `recheck_on` and the escalation's
    day read (a test checks the fields), in `TaskState`'s order, as `_judge_states` keys its rows."""
    return (
        state.deadline_kind,
        state.start,
        state.due,
        state.original_due,
        state.completed_on,
        state.progress,
        state.progress_week,
        state.missing_streak,
        tuple(state.milestones),
        state.awaiting,
    )


def escalation_due(session: Session, *, as_of: date, plan_ids: Iterable[int] | None = None) -> set[int]:
    """The tasks whose `escalate_on` has come by `as_of` (the ladder can owe them something new by
    the date alone since their escalation was last looked at)."""
    query = select(LightState.task_id).where(LightState.escalate_on <= as_of)
    if plan_ids is not None:
        query = query.join(Task, Task.id == LightState.task_id).where(Task.plan_id.in_(list(plan_ids)))
    return {task_id for (task_id,) in column_rows(session, query)}


def schedule_escalation(session: Session, next_on: Mapping[int, date | None]) -> None:
    """Keep, in each of these tasks' states, the day its escalation must be looked at again (None:
    only when its inputs change). One UPDATE per day and chunk of ids, days and ids in order (two
    scans at once take their locks alike)."""
    by_day: dict[date | None, list[int]] = defaultdict(list)
    for task_id, day in next_on.items():
        by_day[day].append(task_id)
    state = table_of(LightState)
    for day in sorted(by_day, key=lambda d: (d is None, d or date.min)):
        ids = sorted(by_day[day])
        for start in range(0, len(ids), _IN_LIMIT):
            session.execute(
                update(state).where(state.c.task_id.in_(ids[start : start + _IN_LIMIT])).values(escalate_on=day)
            )


def _inputs_query(
    session: Session,
    *,
    as_of: date,
    calendar: WorkCalendar,
    cadence: CadenceConfig,
    rules: LightRules,
    plan_ids: list[int] | None,
    ladder: object = None,
) -> Select:
    """SELECT task id, the fingerprint of what its light and its escalation are judged from on
    `as_of`: the deadline and its kind, the extension in force, completion, the plan's start,
    whether it awaits a lead, its newest report counted (by id: a new version, a return, a new week
    change it), its milestones, and the rules, ladder, cadence and calendar overrides in force (a
    change of those judges every task again). Its departments (the escalation's recipients) are
    left out, an aggregate over every link each day: the only change of them that keeps the task
    (a re-import naming other owners) drops its state instead (`wufei.plans.service`), and naming
    the lead of a task that awaited one changes whether it awaits one."""
    from wufei.reports.models import Report, ReportStatus
    from wufei.reports.service import _utc

    extension = latest_approved_extensions(as_of)
    counted = (
        Report.task_id == Task.id,
        Report.status != ReportStatus.RETURNED,
        Report.submitted_at < _utc(cadence.end_of_day(as_of)),
    )
    newest_first = (Report.week_start.desc(), Report.version.desc())
    newest: FromClause
    joined: ColumnElement[bool]
    if session.get_bind().dialect.name == "postgresql":  # a LATERAL join, as the floor reads it
        newest = (
            select(Report.id, Report.progress, Report.week_start)
            .where(*counted)
            .order_by(*newest_first)
            .limit(1)
            .lateral("newest")
        )
        joined = true()
    else:  # SQLite: the row whose id the correlated subquery finds
        newest = table_of(Report).alias("newest")
        newest_id = select(Report.id).where(*counted).order_by(*newest_first).limit(1).correlate(Task)
        joined = newest.c.id == newest_id.scalar_subquery()
    milestone = table_of(Milestone)
    summary = (
        _text(func.count())
        + ","
        + _text(func.max(milestone.c.id))
        + ","
        + _text(func.sum(milestone.c.expected_progress))
        + ","
        # weighted by id: two milestones changed at once in opposite ways still change it
        + _text(func.sum(milestone.c.expected_progress * milestone.c.id))
        + ","
        + _text(func.min(milestone.c.due_date))
        + ","
        + _text(func.max(milestone.c.due_date))
    )
    milestones: Any = None
    if session.get_bind().dialect.name == "postgresql":  # one aggregate over every milestone, joined
        milestones = select(milestone.c.task_id, summary.label("summary")).group_by(milestone.c.task_id).subquery()
        milestone_summary: Any = milestones.c.summary
    else:  # SQLite: each task's own, through its (task, due date) index (a tenth less than the join)
        milestone_summary = (
            select(case((func.count() == 0, None), else_=summary))  # none: NULL, as the outer join gives
            .where(milestone.c.task_id == Task.id)
            .correlate(Task)
            .scalar_subquery()
        )
    scan_key = hashlib.sha1(
        repr((rules, ladder, cadence, sorted(calendar.overrides.items()))).encode("utf-8"), usedforsecurity=False
    ).hexdigest()[:12]
    fingerprint = literal(scan_key, String)
    for part in (
        Task.deadline_kind,
        Task.due_date,
        Task.completed_on,
        Plan.issued_on,
        Plan.period_start,
        extension.c.requested_due_date,
        case((awaiting_lead(), "1"), else_="0"),
        newest.c.id,
        milestone_summary,
        Task.ledger_progress,
        Task.ledger_progress_on,
    ):
        fingerprint = fingerprint + "|" + _text(part)
    query = (
        plan_tasks(
            select(
                Task.id,
                fingerprint.label("inputs"),
                newest.c.progress,
                newest.c.week_start,
                Task.deadline_kind,
                Task.due_date,
                Task.completed_on,
                Plan.issued_on,
                Plan.period_start,
                extension.c.requested_due_date.label("extended_due"),
                awaiting_lead().label("awaiting"),
                Task.ledger_progress,
                Task.ledger_progress_on,
            )
        )
        .outerjoin(extension, extension.c.task_id == Task.id)
        .outerjoin(newest, joined)
    )
    if milestones is not None:
        query = query.outerjoin(milestones, milestones.c.task_id == Task.id)
    if plan_ids is not None:
        query = query.where(Task.plan_id.in_(plan_ids))
    return query


def _text(value: Any) -> Any:
    return func.coalesce(cast(value, String), "")


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


def light_history(session: Session, *, task_id: int, until: date | None = None) -> list[LightRecord]:
    """A task's light records, oldest first; `until`: those of that day and before."""
    query = select(LightRecord).where(LightRecord.task_id == task_id)
    if until is not None:
        query = query.where(LightRecord.as_of <= until)
    return list(session.scalars(query.order_by(LightRecord.as_of, LightRecord.id)))


def lights_as_dicts(results: Mapping[int, LightResult]) -> dict[int, dict[str, Any]]:
    """{task_id: {"light": "red", "reason": "…", "rules": ["overdue", …]}} for JSON output."""
    return {task_id: result.as_dict() for task_id, result in results.items()}


def count_lights(results: Mapping[int, LightResult]) -> dict[str, int]:
    counts = {str(light): 0 for light in Light}
    for result in results.values():
        counts[str(result.light)] += 1
    return counts

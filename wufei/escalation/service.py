"""The daily escalation scan: every open task against the ladder, as notice intents.

One pass, set-based (a fixed number of queries whatever the number of tasks):

1. open tasks (a lead assigned, not awaiting assignment, not completed on `as_of`, in a plan of
   kind `plan`: the tasks of `wufei.reports.service.open_tasks`, read as columns) with the
   deadline in force (`wufei.extensions.service.effective_due_query`) and their lead and
   supporting departments;
2. recovery: unresolved ladder intents of tasks completed by `as_of` are resolved 已完成;
   unresolved deadline intents about a date that is no longer the task's deadline are resolved
   已延期 (or 期限已调整 when the deadline moved earlier or went away); an unresolved escalation
   about a streak of missed weeks (a `once` missing step, keyed by the streak's first week as it
   was when raised) whose streak is over, a week reported on time, is resolved 已恢复按时报送.
   The streak's first week recomputed today can move while the streak goes on (the office moves
   `reporting_since`, a year's calendar is imported late): the escalation is identified by its
   stored week and kept, and the streak's steps keep that week in their keys, so nothing is raised
   twice, as long as the task has a streak and no report breaking one came for a week from the
   stored one on. Missing-report reminders and escalations about a week before `reporting_since`
   (set or moved past them since) are resolved, saying so (`resolved_before_reporting`): those
   weeks are owed nothing;
3. the deadline steps that apply on `as_of` (`ladder.steps_due`, computed once per due date),
   counted, like the lights, from the deadline rolled over a rest day or holiday to the next
   working day when lights/rules.yaml `deadline_rolls_over_holidays` is on (`rolls_over`): no
   slip on the day a Sunday deadline rolled over to; keys and texts keep the printed date, the
   texts saying the roll-over,
   and the missing-report steps the task's streak of missed weeks has reached
   (`ladder.missing_steps`), each turned into one intent per recipient department (or one for
   the office, one for the group). A lead named after the task's streak began (`assigned_on`)
   owes only the weeks from its naming: it is owed its own, shorter streak's steps, keyed by
   that streak's first week (`_lead_streaks`). A deadline earlier than the plan itself (2021年底 in a plan
   issued in 2022) brings no slips: the task was listed as done before the plan, and the light
   asks the office to confirm it. A reporting week counts as missed once its window closed
   before the scan's day;
4. the intents are inserted with `ON CONFLICT (key) DO NOTHING`: a second scan, or a concurrent
   one, creates nothing twice. Keys carry the due date (or the latest missed week), so an
   extension or a new streak gives fresh intents. Keys the scan already read as stored are not
   offered again (no payload is built for them): that only saves work, the insert decides.

The daily scan (`wufei.points.runs.daily_scan`) passes `task_ids`: the tasks judged again that day
and those whose `LightState.escalate_on` came (`EscalationDays`: a deadline step's next trigger
day, the day after the next reporting window closes); the others owe nothing new, so the steps
above run over those only (`bench/daily_scan.py` measures it). The caller owns the transaction
(never committed here).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Integer, any_, bindparam, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from wufei.cadence.config import CadenceConfig
from wufei.cadence.windows import last_closed_week, next_window_close, reporting_window, windows_between
from wufei.calendar.workdays import WorkCalendar
from wufei.chinese import chinese_date, chinese_week, parse_week, week_label
from wufei.db import column_rows
from wufei.escalation.ladder import RECIPIENT_NAMES, Ladder, Recipient, Step, missing_steps, steps_due
from wufei.extensions.service import effective_due_query
from wufei.lights.rules import rolled_deadline
from wufei.notices.models import Audience, NoticeIntent, NoticeKind
from wufei.notices.service import BATCH, IN_CHUNK, create_intents_bulk, intent_key, resolve_intents
from wufei.plans.models import Plan
from wufei.plans.queries import office_name, plan_start, supervised_tasks
from wufei.reports.models import Report
from wufei.reports.service import last_filed_weeks, missing_streaks
from wufei.tasks.models import Role, Task, TaskDepartment

RESOLVED_DONE = "已完成"
RESOLVED_EXTENDED = "已延期"
RESOLVED_MOVED = "期限已调整"
RESOLVED_RESUMED = "已恢复按时报送"  # the streak an escalation was about ended with a report on time
RESOLVED_REPORTED = "已恢复报送"  # … with a report, late or not (`late_report_breaks_missing_streak`)


def resolved_before_naming(since: date) -> str:
    """Why a lead's escalation about weeks before it was named (`assigned_on`) is withdrawn."""
    return f"该牵头单位自{chinese_date(since)}起负责，此前各周不计其未报送"


def resolved_before_reporting(since: date) -> str:
    """Why a reminder about a week before `reporting_since` is withdrawn (the office reads it)."""
    return f"报送自{chinese_date(since)}起计，此前各周无需报送，不再催报"


@dataclass
class ScanResult:
    as_of: date
    tasks: int = 0  # open tasks scanned
    counts: dict[str, int] = field(default_factory=dict)  # intents owed per step today (new or not)
    created_by_step: dict[str, int] = field(default_factory=dict)
    created: int = 0
    already_existing: int = 0
    resolved: int = 0
    resolutions: dict[str, int] = field(default_factory=dict)  # 已完成 / 已延期 / 期限已调整 / 已恢复按时报送 → count
    created_ids: list[int] = field(default_factory=list)
    # open task → the first day after `as_of` the ladder can owe it something new by the date
    # alone (a deadline step's trigger day, the day after the next reporting window closes)
    next_on: dict[int, date | None] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "tasks": self.tasks,
            "counts": dict(self.counts),
            "created_by_step": dict(self.created_by_step),
            "created": self.created,
            "already_existing": self.already_existing,
            "resolved": self.resolved,
            "resolutions": dict(self.resolutions),
        }


@dataclass(slots=True)
class _OpenTask:
    id: int
    plan: str
    number: str
    title: str
    deadline_raw: str | None
    original_due: date | None
    due: date | None  # in force on as_of
    counted: date | None = None  # `due` rolled over a rest day or holiday (when the rule is on)
    before_plan: bool = False  # the deadline precedes the plan (2021年底 in a 2022 plan)
    leads: list[int] = field(default_factory=list)
    supporting: list[int] = field(default_factory=list)
    lead_since: dict[int, date] = field(default_factory=dict)  # lead → its assigned_on, where stored


def scan(
    session: Session,
    *,
    as_of: date,
    calendar: WorkCalendar,
    ladder: Ladder,
    cadence: CadenceConfig,
    streaks: Mapping[int, int] | None = None,
    plan_ids: Collection[int] | None = None,
    task_ids: Collection[int] | None = None,
    rolls_over: bool = True,
) -> ScanResult:
    """Create today's escalation intents and resolve the ones that no longer hold. `streaks`: the
    tasks' `missing_streaks` as of the day before `as_of`, when the caller already has them.
    `plan_ids`: only these plans' tasks and their intents (one city of a province, so that the
    cities of a province can be scanned at once by several workers: they touch disjoint rows).
    `task_ids`: only these tasks (the daily scan's: those whose inputs changed or whose day came,
    `LightState.escalate_on`); the others owe nothing new today. `rolls_over`: lights/rules.yaml
    `deadline_rolls_over_holidays` (on by default, as there)."""
    result = ScanResult(as_of=as_of)
    plan_ids = sorted(set(plan_ids)) if plan_ids is not None else None
    only = sorted(set(task_ids)) if task_ids is not None else None
    tasks = _open_tasks(session, as_of=as_of, plan_ids=plan_ids, task_ids=only)
    result.tasks = len(tasks)
    rolled: dict[date, date] = {}
    for task in tasks.values():
        if task.due is not None:
            if task.due not in rolled:
                rolled[task.due] = rolled_deadline(task.due, calendar, rolls_over)
            task.counted = rolled[task.due]

    missing: tuple[Mapping[int, int], date] | None = None
    if ladder.missing_steps and tasks:
        missing = _streaks(
            session,
            as_of=as_of,
            calendar=calendar,
            cadence=cadence,
            streaks=streaks,
            plan_ids=plan_ids,
            task_ids=only,
        )
    _add_departments(
        session,
        tasks,
        _owed(tasks, as_of=as_of, calendar=calendar, ladder=ladder, missing=missing),
        plan_ids=plan_ids,
        every_open=only is None,
    )
    week = week_label(missing[1]) if missing else None
    starts: dict[int, date] = {}  # streak → the first week of a streak that long ending with `week`
    once_periods: set[str] = set()  # the periods of the `once` steps owed today
    streak_weeks: dict[int, str | None] | None = None  # task → the first week of its streak today
    lead_streaks: dict[tuple[int, int], int] = {}  # (task, lead) → its own streak, where shorter
    lead_weeks: dict[tuple[int, int], str | None] = {}  # … and its first week (None: no streak)
    if missing:
        lead_streaks = _lead_streaks(tasks, missing[0], missing[1], as_of=as_of, calendar=calendar, cadence=cadence)
        lengths = {streak for task_id, streak in missing[0].items() if streak > 0 and task_id in tasks}
        lengths.update(streak for streak in lead_streaks.values() if streak > 0)
        starts = _streak_starts(missing[1], lengths, calendar, cadence)
        once_periods = {
            week_label(starts[streak])
            for streak in lengths
            if any(step.repeat == "once" for step in missing_steps(streak, ladder))
        }
        streak_weeks = {
            task_id: week_label(starts[streak]) if (streak := missing[0].get(task_id, 0)) > 0 else None
            for task_id in tasks
        }
        lead_weeks = {key: week_label(starts[streak]) if streak > 0 else None for key, streak in lead_streaks.items()}

    held: dict[tuple[int, str, int | None], str] = {}  # (task, once step, unit) → its stored first week
    known = _recover(
        session,
        as_of=as_of,
        ladder=ladder,
        tasks=tasks,
        week=week,
        once_periods=once_periods,
        streak_weeks=streak_weeks,
        lead_weeks=lead_weeks,
        streak_ended=RESOLVED_REPORTED if cadence.weekly.late_report_breaks_missing_streak else RESOLVED_RESUMED,
        result=result,
        plan_ids=plan_ids,
        task_ids=only,
        calendar=calendar,
        cadence=cadence,
        held=held,
    )
    collector = _Collector(session, known=known, as_of=as_of)
    office = office_name(session)
    _deadline_intents(collector, tasks, as_of=as_of, calendar=calendar, ladder=ladder, office=office)
    if missing:
        _missing_intents(
            collector,
            tasks,
            streaks=missing[0],
            lead_streaks=lead_streaks,
            week=missing[1],
            ladder=ladder,
            starts=starts,
            filed_late=_filed_late(session, missing[1]),
            held=held,
            office=office,
        )
    collector.flush()

    result.counts = dict(collector.counts)
    result.created_ids = sorted(i for i, _ in collector.created)
    result.created_by_step = dict(Counter(step for _, step in collector.created))
    result.created = len(collector.created)
    result.already_existing = collector.offered - result.created
    result.next_on = _next_on(
        tasks, as_of=as_of, calendar=calendar, ladder=ladder, cadence=cadence, rolls_over=rolls_over
    )
    return result


def _next_on(
    tasks: Mapping[int, _OpenTask],
    *,
    as_of: date,
    calendar: WorkCalendar,
    ladder: Ladder,
    cadence: CadenceConfig,
    rolls_over: bool,
) -> dict[int, date | None]:
    days = EscalationDays(as_of=as_of, calendar=calendar, ladder=ladder, cadence=cadence, rolls_over=rolls_over)
    return {task.id: days.next_on(task.due, before_plan=task.before_plan) for task in tasks.values()}


class EscalationDays:
    """For an open task, the first day after `as_of` on which the ladder can owe it a notice it is
    not owed on `as_of`, its inputs unchanged: the next trigger day of a deadline step (computed
    once per due date), or the day after the next reporting window closes (a missing week counts
    from the day after its window closed, and a streak that grows is owed anew). None: only a
    change of its inputs can. `due`: the deadline in force as printed; the steps count from it
    rolled over a holiday when `rolls_over` (as `scan`)."""

    def __init__(
        self, *, as_of: date, calendar: WorkCalendar, ladder: Ladder, cadence: CadenceConfig, rolls_over: bool = True
    ):
        self.as_of, self.ladder = as_of, ladder
        self.calendar, self.rolls_over = calendar, rolls_over
        self.after_close: date | None = None
        if ladder.missing_steps:
            close = next_window_close(as_of - timedelta(days=1), calendar, cadence)
            self.after_close = close + timedelta(days=1) if close is not None else None
        self.triggers: dict[date, date | None] = {}

    def next_on(self, due: date | None, *, before_plan: bool) -> date | None:
        day = self.after_close
        if due is not None and not before_plan:
            trigger = self.triggers.get(due, date.min)
            if trigger == date.min:
                counted = rolled_deadline(due, self.calendar, self.rolls_over)
                later = [d for s in self.ladder.due_steps if (d := s.trigger(counted, self.calendar)) > self.as_of]
                trigger = self.triggers[due] = min(later, default=None)
            if trigger is not None and (day is None or trigger < day):
                day = trigger
        return day


class _Collector:
    """Gathers the intents a scan owes, skips the keys it already knows are stored (no payload
    is built for them), and inserts the rest in batches as they come, so memory stays flat.
    The insert's ON CONFLICT DO NOTHING remains the guarantee; the skip only saves work.

    Payloads are JSON text put together from the parts intents share (the task's, the step's,
    the recipient's, each serialised once), not a dict per intent."""

    def __init__(self, session: Session, *, known: set[str], as_of: date):
        self.session, self.known, self.as_of = session, known, as_of
        self.counts: Counter[str] = Counter()
        self.offered = 0  # distinct keys owed today
        self.rows: list[tuple[Any, ...]] = []
        self.created: list[tuple[int, str]] = []
        self.seen: set[str] = set()
        self.task_json: dict[int, str] = {}

    def add(
        self,
        step: Step,
        task: _OpenTask,
        *,
        period: str,
        period_name: str,
        extra: str,
        leads: list[int] | None = None,
        leads_only: bool = False,
    ) -> None:
        """Owe `step` about `task` to its recipients; `extra`: the step's part of the payload (JSON).
        `leads`: the lead departments to owe it to, when not all of the task's; `leads_only`: to
        them and no other recipient."""
        shared: str | None = None
        for recipient in step.audience:
            audience, departments, _role = _AUDIENCE[recipient]
            if leads_only and departments != "leads":
                continue
            if departments == "leads" and leads is not None:
                owed: Collection[int | None] = leads
            else:
                owed = getattr(task, departments) if departments else (None,)
            for department_id in owed:
                key = intent_key(
                    step.id,
                    task_id=task.id,
                    period=period,
                    audience=audience,
                    department_id=department_id,
                    period_name=period_name,
                )
                if key in self.seen:
                    continue
                self.seen.add(key)
                self.counts[step.id] += 1
                self.offered += 1
                if key in self.known:
                    continue
                if shared is None:
                    task_json = self.task_json.get(task.id)
                    if task_json is None:
                        task_json = self.task_json[task.id] = _json(_task_payload(task))
                    shared = f"{task_json[:-1]}, {extra[1:-1]}, "
                payload = shared + _RECIPIENT_JSON[recipient][1:]
                self.rows.append((key, str(step.kind), step.id, str(audience), department_id, task.id, period, payload))
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            self.created.extend(create_intents_bulk(self.session, self.rows, created_on=self.as_of))
            self.rows = []


def _json(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False)


# --- open tasks ---------------------------------------------------------------------------------


def _open_tasks(
    session: Session, *, as_of: date, plan_ids: list[int] | None = None, task_ids: list[int] | None = None
) -> dict[int, _OpenTask]:
    """Open tasks (of `task_ids`, when given) with the deadline in force: one query (on SQLite one
    per 5,000 ids, IN_CHUNK). Their departments are read apart (`_add_departments`), for the tasks
    owed something today only."""
    due = effective_due_query(as_of).subquery()
    # The same tasks as wufei.reports.service.open_tasks (a test checks it), read as columns.
    not_done = (Task.completed_on.is_(None)) | (Task.completed_on > as_of)
    query = (
        supervised_tasks(
            select(
                Task.id,
                Plan.doc_number,
                Plan.title,
                Task.number,
                Task.title,
                Task.deadline_raw,
                Task.due_date,
                due.c.effective_due,
                Plan.issued_on,
                Plan.period_start,
            )
        )
        .join(due, due.c.task_id == Task.id)
        .where(not_done)
        .order_by(Task.id)
    )
    if plan_ids is not None:
        query = query.where(Task.plan_id.in_(plan_ids))
    rows = _rows_of(session, query, Task.id, task_ids)
    return {
        row[0]: _OpenTask(
            id=row[0],
            plan=row[1] or row[2],
            number=row[3],
            title=row[4],
            deadline_raw=row[5],
            original_due=row[6],
            due=row[7],
            before_plan=_before_plan(row[7], row[8], row[9]),
        )
        for row in rows
    }


def _rows_of(session: Session, query, column, ids: list[int] | None) -> list[Any]:
    """The rows of `query` whose `column`, its first, is one of `ids` (every row when None):
    PostgreSQL takes the ids as one array (psycopg parses a long IN list slowly), SQLite one IN
    list per 5,000, or every row, filtered here, when there are more."""
    if ids is None:
        return column_rows(session, query)
    if not ids:
        return []
    if len(ids) > IN_CHUNK and session.get_bind().dialect.name == "sqlite":
        wanted = set(ids)
        return [row for row in column_rows(session, query) if row[0] in wanted]
    if session.get_bind().dialect.name == "postgresql":
        return column_rows(session, query.where(column == any_(bindparam("ids", ids, type_=postgresql.ARRAY(Integer)))))
    return [
        row
        for start in range(0, len(ids), IN_CHUNK)
        for row in column_rows(session, query.where(column.in_(ids[start : start + IN_CHUNK])))
    ]


def _add_departments(
    session: Session,
    tasks: dict[int, _OpenTask],
    task_ids: set[int],
    *,
    plan_ids: list[int] | None = None,
    every_open: bool = True,
) -> None:
    """Fill in the lead and supporting departments of these open tasks, in assignment order, and
    the day each lead was named (`assigned_on`, where stored): one
    query for all open tasks when `tasks` are every open task and most are asked for, else one
    for these (`_rows_of`)."""
    if not task_ids:
        return
    query = (
        select(TaskDepartment.task_id, TaskDepartment.department_id, TaskDepartment.role, TaskDepartment.assigned_on)
        .where(TaskDepartment.role.in_([Role.LEAD, Role.SUPPORTING]))
        .order_by(TaskDepartment.task_id, TaskDepartment.position, TaskDepartment.id)
    )
    if every_open and 2 * len(task_ids) > len(tasks):
        # Every link (of these plans), kept below for the tasks asked for: the open supervised
        # tasks are known already, and asking the database again (a join to the task and its plan
        # and a lead check for each link) cost more than the links themselves.
        if plan_ids is not None:
            query = query.join(Task, Task.id == TaskDepartment.task_id).where(Task.plan_id.in_(plan_ids))
        links = column_rows(session, query)
    else:
        links = _rows_of(session, query, TaskDepartment.task_id, sorted(task_ids))
    # rows of several chunks: each chunk is in assignment order, and a task is in one chunk only
    for task_id, department_id, role, since in links:
        if task_id in task_ids:
            task = tasks[task_id]
            if role == Role.LEAD:
                task.leads.append(department_id)
                if since is not None:
                    task.lead_since[department_id] = since
            else:
                task.supporting.append(department_id)


def _owed(
    tasks: dict[int, _OpenTask],
    *,
    as_of: date,
    calendar: WorkCalendar,
    ladder: Ladder,
    missing: tuple[Mapping[int, int], date] | None,
) -> set[int]:
    """The open tasks owed some step today (the ones whose departments the keys need)."""
    steps: dict[date, bool] = {}
    owed = set()
    for task in tasks.values():
        if task.counted is None or task.before_plan:
            continue
        if task.counted not in steps:
            steps[task.counted] = bool(
                steps_due(due=task.counted, done=False, as_of=as_of, calendar=calendar, ladder=ladder)
            )
        if steps[task.counted]:
            owed.add(task.id)
    if missing:
        owed.update(
            task_id
            for task_id, streak in missing[0].items()
            if streak > 0 and task_id in tasks and missing_steps(streak, ladder)
        )
    return owed


def _before_plan(due: date | None, issued_on: date | None, period_start: int | None) -> bool:
    """A deadline earlier than the plan itself: listed as done before the plan, not overdue. The
    office confirms it (the light says so); the ladder sends no slips about it."""
    start = plan_start(issued_on, period_start)
    return due is not None and start is not None and due < start


# --- recovery -----------------------------------------------------------------------------------


def _recover(
    session: Session,
    *,
    as_of: date,
    ladder: Ladder,
    tasks: dict[int, _OpenTask],
    week: str | None,
    once_periods: Collection[str] = frozenset(),
    streak_weeks: Mapping[int, str | None] | None = None,
    lead_weeks: Mapping[tuple[int, int], str | None] | None = None,
    streak_ended: str = RESOLVED_RESUMED,
    result: ScanResult,
    plan_ids: list[int] | None = None,
    task_ids: list[int] | None = None,
    calendar: WorkCalendar,
    cadence: CadenceConfig,
    held: dict[tuple[int, str, int | None], str],
) -> set[str]:
    """Resolve what no longer holds; return the keys of the unresolved intents that still do
    (deadline steps about the deadline in force, missing steps about `week`, and the `once`
    missing steps about the first weeks of today's streaks, `once_periods`). `streak_weeks`: each
    open task's streak today by its first week (None: no streak); a `once` escalation about
    another streak is resolved `streak_ended`, as that streak ended with a report (on time, unless
    a late one breaks a streak too). One whose week differs from today's first week with no such
    report since is about today's streak, its first week moved (see the module's docstring): kept,
    and its week put in `held` for the steps owed today. `lead_weeks`: (task, lead) → the first
    week of the lead's own streak, for a lead named since the task's began (None: none yet); a
    lead's escalation is judged by it, and one about a week before the lead's naming (raised
    before each lead was counted from its own day) is resolved, saying so. `task_ids`: of these
    tasks only."""
    ladder_steps = [s.id for s in ladder.steps]
    due_steps = {s.id for s in ladder.due_steps}
    resolutions: Counter[str] = Counter()

    completed = select(Task.id).where(Task.completed_on.is_not(None), Task.completed_on <= as_of)
    if plan_ids is not None:
        completed = completed.where(Task.plan_id.in_(plan_ids))
    if task_ids is not None:  # the completed among them, by id
        done = [row[0] for row in _rows_of(session, completed, Task.id, task_ids)]
        resolutions[RESOLVED_DONE] = resolve_intents(
            session, task_ids=done, on=as_of, resolution=RESOLVED_DONE, steps=ladder_steps
        )
    else:
        resolutions[RESOLVED_DONE] = resolve_intents(
            session, task_ids=completed, on=as_of, resolution=RESOLVED_DONE, steps=ladder_steps
        )

    since = cadence.weekly.reporting_since
    if since is not None:
        reason = resolved_before_reporting(since)
        resolutions[reason] = _resolve_before(session, since, ladder=ladder, plan_ids=plan_ids, on=as_of, reason=reason)

    known: set[str] = set()
    stale: dict[str, list[int]] = defaultdict(list)
    wanted: ColumnElement[bool] | None = NoticeIntent.step.in_(sorted(due_steps)) if due_steps else None
    if week is not None and ladder.missing_steps:
        missing = NoticeIntent.step.in_([s.id for s in ladder.missing_steps]) & (NoticeIntent.period == week)
        once = [s.id for s in ladder.missing_steps if s.repeat == "once"]
        if once and once_periods:  # keyed by the streak's first week, not the latest one
            missing = missing | (NoticeIntent.step.in_(once) & NoticeIntent.period.in_(sorted(once_periods)))
        wanted = missing if wanted is None else (wanted | missing)
    if wanted is not None:
        query = select(
            NoticeIntent.task_id, NoticeIntent.id, NoticeIntent.key, NoticeIntent.step, NoticeIntent.period
        ).where(NoticeIntent.resolved_on.is_(None), NoticeIntent.task_id.is_not(None), wanted)
        if plan_ids is not None:  # this city's intents only: another city's scan owns the rest
            query = query.where(NoticeIntent.task_id.in_(select(Task.id).where(Task.plan_id.in_(plan_ids))))
        for task_id, intent_id, key, step, period in _rows_of(session, query, NoticeIntent.task_id, task_ids):
            task = tasks.get(task_id)
            if step not in due_steps or task is None:
                known.add(key)  # a task no longer open keeps its intents as they are
                continue
            if task.due is not None and task.due.isoformat() == period:
                known.add(key)
                continue
            later = task.due is not None and task.due.isoformat() > period
            stale[RESOLVED_EXTENDED if later else RESOLVED_MOVED].append(intent_id)
    once_steps = [s.id for s in ladder.missing_steps if s.repeat == "once"]
    if streak_weeks is not None and once_steps:
        escalations = select(
            NoticeIntent.task_id,
            NoticeIntent.id,
            NoticeIntent.key,
            NoticeIntent.step,
            NoticeIntent.period,
            NoticeIntent.department_id,
        ).where(NoticeIntent.resolved_on.is_(None), NoticeIntent.step.in_(once_steps))
        if plan_ids is not None:
            escalations = escalations.where(NoticeIntent.task_id.in_(select(Task.id).where(Task.plan_id.in_(plan_ids))))
        lead_weeks = lead_weeks or {}

        def expected(task_id: int, department_id: int | None) -> str | None:
            # a lead named since the task's streak began is judged by its own; the others by the task's
            task_week = streak_weeks[task_id]
            return lead_weeks.get((task_id, department_id), task_week) if department_id else task_week

        rows = []
        for row in _rows_of(session, escalations, NoticeIntent.task_id, task_ids):
            task_id, intent_id, _key, _step, period, department_id = row
            if task_id not in streak_weeks or period == expected(task_id, department_id):
                continue
            since = tasks[task_id].lead_since.get(department_id) if department_id else None
            if since is not None and parse_week(period) < since:
                stale[resolved_before_naming(since)].append(intent_id)
            else:
                rows.append(row)
        moved = [
            (task_id, parse_week(period))
            for task_id, _, _, _, period, department_id in rows
            if expected(task_id, department_id) is not None
        ]
        filed: dict[int, date] = {}
        if moved and calendar is not None and cadence is not None:
            filed = last_filed_weeks(
                session,
                task_ids=sorted({task_id for task_id, _ in moved}),
                since=min(week for _, week in moved),
                as_of=as_of - timedelta(days=1),  # the weeks the streaks are counted over
                calendar=calendar,
                cadence=cadence,
            )
        for task_id, intent_id, key, step, period, department_id in rows:
            if expected(task_id, department_id) is not None and filed.get(task_id, date.min) < parse_week(period):
                known.add(key)  # the streak it was raised in goes on, its first week moved
                held[(task_id, step, department_id)] = period
            else:
                stale[streak_ended].append(intent_id)
    for resolution, ids in sorted(stale.items()):
        resolutions[resolution] += resolve_intents(session, intent_ids=ids, on=as_of, resolution=resolution)

    result.resolutions = {k: v for k, v in resolutions.items() if v}
    result.resolved = sum(resolutions.values())
    return known


def _resolve_before(
    session: Session, since: date, *, ladder: Ladder, plan_ids: list[int] | None, on: date, reason: str
) -> int:
    """Resolve the open missing-report reminders and escalations about weeks before `since`
    (`weekly_report.reporting_since`, set or moved after they were raised): those weeks are owed
    nothing, so what is not yet delivered is never sent, and the office sees why. An escalation
    is about its streak's first week (its period). Every task's, whatever `task_ids` the scan
    has: moving the date changes no task's inputs. Week labels sort as the weeks do."""
    first_owed = week_label(since + timedelta(days=(7 - since.weekday()) % 7))  # weeks starting on or after it
    steps = sorted({s.id for s in ladder.missing_steps} | {str(NoticeKind.REPORT_MISSING)})
    query = select(NoticeIntent.id).where(
        NoticeIntent.resolved_on.is_(None),
        NoticeIntent.task_id.is_not(None),
        NoticeIntent.period.contains("-W"),  # a week (2024-W23), not a due date
        NoticeIntent.period < first_owed,
        NoticeIntent.step.in_(steps) | (NoticeIntent.kind == NoticeKind.REPORT_MISSING),
    )
    if plan_ids is not None:  # this city's intents only: another city's scan owns the rest
        query = query.where(NoticeIntent.task_id.in_(select(Task.id).where(Task.plan_id.in_(plan_ids))))
    ids = list(session.scalars(query))
    return resolve_intents(session, intent_ids=ids, on=on, resolution=reason) if ids else 0


# --- deadline steps -----------------------------------------------------------------------------


def _deadline_intents(
    collector: _Collector,
    tasks: dict[int, _OpenTask],
    *,
    as_of: date,
    calendar: WorkCalendar,
    ladder: Ladder,
    office: str,
) -> None:
    by_due: dict[date, list[_OpenTask]] = defaultdict(list)
    for task in tasks.values():
        if task.due is not None and not task.before_plan:
            by_due[task.due].append(task)
    if not by_due:
        return
    for due, due_tasks in sorted(by_due.items()):
        # The steps depend only on the due date: computed once per date, not per task. They count
        # from the deadline rolled over a holiday; the key keeps the printed one.
        counted = due_tasks[0].counted or due
        steps = steps_due(due=counted, done=False, as_of=as_of, calendar=calendar, ladder=ladder)
        if not steps:
            continue
        count = calendar.workdays_between(counted, as_of)  # > 0: overdue, < 0: left
        overdue, left = max(count, 0), max(-count, 0)
        for step in steps:
            values = {
                "due": _due_words(due, counted, before=step.before_due),
                "days_overdue": overdue,
                "workdays_left": left,
                "office": office,
            }
            extra = _json(
                {
                    "days_overdue": overdue,
                    "workdays_left": left,
                    "step": step.id,
                    "kind": step.kind,
                    "step_title": step.title,
                    "action": step.render_action(**values),
                }
            )
            for task in due_tasks:
                collector.add(step, task, period=due.isoformat(), period_name="due", extra=extra)


def _due_words(due: date, counted: date, *, before: bool = False) -> str:
    """A deadline as the ladder's texts name it: 2023年12月31日, or, rolled over a holiday, the
    printed date and the day it counts to (before it: the day it counts to first)."""
    if counted == due:
        return chinese_date(due)
    if before:
        return f"{chinese_date(counted)}（完成期限{chinese_date(due)}为节假日，顺延）"
    return f"{chinese_date(due)}，节假日顺延至{chinese_date(counted)}"


# --- missing-report steps -----------------------------------------------------------------------


def _streaks(
    session: Session,
    *,
    as_of: date,
    calendar: WorkCalendar,
    cadence: CadenceConfig,
    streaks: Mapping[int, int] | None = None,
    plan_ids: list[int] | None = None,
    task_ids: list[int] | None = None,
) -> tuple[Mapping[int, int], date] | None:
    """task → consecutive missed weeks, and the Monday of the latest week counted.

    A week counts once its window closed before the scan's day: a Friday 17:00 deadline is
    judged by the next scan, never by a morning scan of that Friday."""
    closed_by = as_of - timedelta(days=1)
    week = last_closed_week(closed_by, calendar, cadence)
    if week is None:
        return None
    if streaks is None:
        narrow = task_ids if task_ids is not None and len(task_ids) <= IN_CHUNK else None
        streaks = missing_streaks(
            session, as_of=closed_by, calendar=calendar, cadence=cadence, plan_ids=plan_ids, task_ids=narrow
        )
    return streaks, week


def _lead_streaks(
    tasks: Mapping[int, _OpenTask],
    streaks: Mapping[int, int],
    latest: date,
    *,
    as_of: date,
    calendar: WorkCalendar,
    cadence: CadenceConfig,
) -> dict[tuple[int, int], int]:
    """(task, lead) → the lead's own streak, for the leads named after the task's streak began:
    a lead owes the weeks starting on or after its `assigned_on`, so its streak is the task's cut
    to the closed windows from that day to `latest` (reports are the task's: the streaks end
    together). The leads whose streak is the task's are left out."""
    owed: dict[date, int] = {}  # assigned_on → the closed windows it owes, to `latest`
    result: dict[tuple[int, int], int] = {}
    for task_id, streak in streaks.items():
        task = tasks.get(task_id)
        if task is None or streak <= 0 or not task.lead_since:
            continue
        for lead, since in task.lead_since.items():
            if since not in owed:
                windows = windows_between(since, as_of - timedelta(days=1), calendar, cadence)
                owed[since] = sum(1 for w in windows if since <= w.week_start <= latest)
            if owed[since] < streak:
                result[(task_id, lead)] = owed[since]
    return result


def _filed_late(session: Session, week: date) -> set[int]:
    """The tasks whose report for `week` came after its deadline: the week still counts as missed
    (by default), but no reminder asks for a report already filed."""
    return set(session.scalars(select(Report.task_id).where(Report.week_start == week, Report.late.is_(True))))


def _missing_intents(
    collector: _Collector,
    tasks: dict[int, _OpenTask],
    *,
    streaks: Mapping[int, int],
    lead_streaks: Mapping[tuple[int, int], int] | None = None,
    week: date,
    ladder: Ladder,
    starts: Mapping[int, date],
    filed_late: Collection[int] = frozenset(),
    held: Mapping[tuple[int, str, int | None], str] | None = None,
    office: str,
) -> None:
    """`office`: who units report to, for the actions' {office}.
    `starts`: streak → its first week (`_streak_starts`), for every streak of an open task and lead.
    `lead_streaks`: (task, lead) → the lead's own streak where shorter than the task's (named
    since the streak began, `_lead_streaks`): that lead is owed its own streak's steps, keyed by
    its own first week; the office, the group and the supporting units the task's.
    `held`: (task, once step, department or None) → the week its escalation of today's streak is
    keyed by, when that is not the first week recomputed today (`_recover`). `filed_late`: tasks
    whose report for `week` came late, owed the streak's steps but not the week's reminder. The
    week's reminders say so in their payload (`week_reminder`): filing that week's report answers
    them (`wufei.reports.service`)."""
    label, chinese = week_label(week), chinese_week(week)
    by_streak: dict[int, list[tuple[Step, str, str]]] = {}

    def steps_of(streak: int) -> list[tuple[Step, str, str]]:
        if streak not in by_streak:  # steps, keys and wording depend on the streak only
            first = week_label(starts[streak])
            by_streak[streak] = [
                (
                    step,
                    first if step.repeat == "once" else label,
                    _json(
                        {
                            "week": label,
                            "week_cn": chinese,
                            "streak": streak,
                            "streak_since": first,
                            "step": step.id,
                            "kind": step.kind,
                            "step_title": step.title,
                            "action": step.render_action(week=chinese, streak=streak, office=office),
                            **({"week_reminder": True} if step.reminds_of_the_week else {}),
                        }
                    ),
                )
                for step in missing_steps(streak, ladder)
            ]
        return by_streak[streak]

    held = held or {}
    held_tasks = {task_id for task_id, _, _ in held}
    lead_streaks = lead_streaks or {}
    for task_id, streak in sorted(streaks.items()):
        task = tasks.get(task_id)
        if task is None or streak <= 0:
            continue
        late = task_id in filed_late
        own = {lead: s for lead in task.leads if (s := lead_streaks.get((task_id, lead))) is not None}
        if not own and task_id not in held_tasks:  # every recipient on the task's streak, as stored
            for step, period, extra in steps_of(streak):
                if not (step.reminds_of_the_week and late):
                    collector.add(step, task, period=period, period_name="week", extra=extra)
            continue
        for step, period, extra in steps_of(streak):  # the office, the group, the supporting units
            if not (step.reminds_of_the_week and late):
                period = held.get((task_id, step.id, None), period)
                collector.add(step, task, period=period, period_name="week", extra=extra, leads=[])
        for lead in task.leads:  # each lead on its own streak
            mine = own.get(lead, streak)
            for step, period, extra in steps_of(mine) if mine > 0 else ():
                if not (step.reminds_of_the_week and late):
                    period = held.get((task_id, step.id, lead), period)
                    collector.add(
                        step, task, period=period, period_name="week", extra=extra, leads=[lead], leads_only=True
                    )


def _streak_starts(latest: date, streaks: set[int], calendar: WorkCalendar, cadence: CadenceConfig) -> dict[int, date]:
    """streak → the first week of a streak of that many missed weeks ending with `latest`, for
    each of `streaks`, in one walk back (weeks without a reporting window, such as the Spring
    Festival week, are not counted)."""
    starts: dict[int, date] = {1: latest} if 1 in streaks else {}
    start, counted = latest, 1
    longest = max(streaks, default=0)
    while counted < longest:
        start -= timedelta(days=7)
        if reporting_window(start, calendar, cadence) is not None:
            counted += 1
            if counted in streaks:
                starts[counted] = start
    return starts


# --- shared -------------------------------------------------------------------------------------


def _task_payload(task: _OpenTask) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "task_id": task.id,
        "plan": task.plan,
        "number": task.number,
        "title": task.title,
        "deadline_raw": task.deadline_raw,
        "due_date": task.due.isoformat() if task.due else None,
        "due_date_cn": _due_words(task.due, task.counted or task.due) if task.due else None,
    }
    if task.due is not None and task.counted is not None and task.counted != task.due:
        # rolled over a holiday: the day it counts to, and how a reminder before it names it
        payload["counted_due_date"] = task.counted.isoformat()
        payload["due_rolled_cn"] = _due_words(task.due, task.counted, before=True)
    if task.original_due is not None and task.original_due != task.due:
        payload["original_due_date"] = task.original_due.isoformat()
    return payload


_AUDIENCE = {
    Recipient.LEAD_LIAISON: (Audience.LIAISON, "leads", Role.LEAD),
    Recipient.SUPPORTING_LIAISON: (Audience.LIAISON, "supporting", Role.SUPPORTING),
    Recipient.LEAD_LEADER: (Audience.LEADER, "leads", Role.LEAD),
    Recipient.OFFICE: (Audience.OFFICE, None, None),
    Recipient.GROUP: (Audience.GROUP, None, None),
}

# The recipient's part of each payload, serialised once.
_RECIPIENT_JSON = {
    recipient: _json(
        {"recipient": str(recipient), "recipient_name": RECIPIENT_NAMES[recipient], "role": str(role) if role else None}
    )
    for recipient, (_audience, _departments, role) in _AUDIENCE.items()
}

"""The world of one scope for one period: built once per run and shared by every figure, the
snapshot and its ledger rows.

A world holds the scope's plans, their tasks with owners (plain rows, not ORM objects, so it
outlives the transaction that read it), every supervised task's light and deadline in force on
the lights' day (the period's last day, or `as_of` when that is earlier), and, read when first
asked for and kept: the lights on another day (the monthly changes), the weekly reporting of the
period's closed weeks, the period's reports (the ledger) and the indicators of the plans.

Definitions (the same in every figure):
- Scope: the plans a jurisdiction answers for (wufei.plans.queries.scope_plans) issued on or
  before the period's end. Supervised tasks are those the lights judge (supervised_tasks):
  assigned, with a lead department. Tasks still waiting for the office to name a lead are
  counted apart.
- "Overdue" is the lights' rule `overdue` (the deadline in force, approved extensions
  included, has passed and the task is not done). Done: completed on or before the lights'
  day (an annual task: within that year). Done on time: completed on or before the due date
  printed in the plan; a task without a final date is on time when done.
- Reports: the weeks whose Monday falls in the period and whose reporting window closed by the
  end of `as_of`, counted per lead department by the rules of wufei.reports.service.compliance.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from itertools import groupby
from operator import itemgetter
from typing import Any, NamedTuple

from sqlalchemy import BindParameter, Select, bindparam, exists, func, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from wufei.cadence import periods as P
from wufei.cadence.periods import Period
from wufei.cadence.schedule import RunTime
from wufei.cadence.windows import closed_weeks, due_on, reporting_window, run_weeks, windows_between
from wufei.calendar.workdays import WorkCalendar
from wufei.cells.models import Cell, CellCount
from wufei.chinese import chinese_date, week_start
from wufei.db import plain_rows, plain_rows_together
from wufei.departments.models import Department, DepartmentKind
from wufei.extensions.models import Extension, ExtensionStatus
from wufei.indicators.models import Indicator, IndicatorReport
from wufei.indicators.reporting import filed_by
from wufei.indicators.service import WITH_PLAN_VALUES_OWNERS
from wufei.indicators.status import IndicatorStatus, indicator_status
from wufei.lights.models import LIGHT_NAMES, UNSUPERVISED, Light
from wufei.lights.rules import (
    ANNUAL,
    OVERDUE,
    LightResult,
    MemoCalendar,
    MilestonePoint,
    TaskState,
    counted_deadline,
    done_light,
    judge,
)
from wufei.notices.models import NoticeIntent, NoticeKind
from wufei.plans.models import Jurisdiction, Plan, PlanKind
from wufei.plans.queries import is_supervised, plan_start, scope_query
from wufei.reports.models import Report, ReportStatus
from wufei.reports.service import Expected, first_submissions, lead_since, reporting_start
from wufei.ruleset import Ruleset
from wufei.tasks.deadlines import DeadlineKind
from wufei.tasks.ledger_status import with_ledger
from wufei.tasks.models import ListKind, Milestone, Role, Task, TaskDepartment, task_reference

ALL_SCOPE = "全部"  # the scope of figures over every jurisdiction's plans
NOT_JUDGED = "未明确牵头单位，不纳入亮灯"
LOCALITY_KINDS = frozenset({DepartmentKind.COUNTY_GOV, DepartmentKind.ZONE, DepartmentKind.CITY_GOV})
_IN_CHUNK = 5000  # PostgreSQL takes 65,535 parameters in a statement at most


@dataclass(frozen=True)
class PlanRow:
    id: int
    jurisdiction_id: int
    title: str
    doc_number: str | None
    issued_on: date | None
    period_start: int | None
    period_end: int | None
    cells_planned_total: int | None
    cells_built_total: int | None
    kind: PlanKind
    imported_at: datetime | None = None  # read only for a plan with neither issue date nor period
    # Whether the plan has indicators / milestones / approved extensions, when the plan's read said
    # (scope_plan_rows): the world reads none of them for plans that have none. None: not known.
    has_indicators: bool | None = None
    has_milestones: bool | None = None
    has_extensions: bool | None = None
    # Whether the scope's place (every place, for figures over all) has cell counts in a plan / any
    # cell registered, read with its plans (the same on every plan's row): the monthly figures read
    # neither for a place with none. None: not known.
    place_has_cell_counts: bool | None = None
    place_has_cells: bool | None = None

    @property
    def name(self) -> str:
        """How figures name a plan: its document number, else its title."""
        return self.doc_number or self.title

    @classmethod
    def of(cls, plan: Plan) -> PlanRow:
        return cls(
            plan.id,
            plan.jurisdiction_id,
            plan.title,
            plan.doc_number,
            plan.issued_on,
            plan.period_start,
            plan.period_end,
            plan.cells_planned_total,
            plan.cells_built_total,
            plan.kind,
            plan.imported_at if plan.issued_on is None and plan.period_start is None else None,
        )


_PLAN_COLUMNS = (
    Plan.id,
    Plan.jurisdiction_id,
    Plan.title,
    Plan.doc_number,
    Plan.issued_on,
    Plan.period_start,
    Plan.period_end,
    Plan.cells_planned_total,
    Plan.cells_built_total,
    Plan.kind,
    Plan.imported_at,
    # What else the plan has, in the same read: three reads fewer for a plan without them.
    exists().where(Indicator.plan_id == Plan.id).label("has_indicators"),
    exists().where(Task.plan_id == Plan.id, Milestone.task_id == Task.id).label("has_milestones"),
    exists()
    .where(Task.plan_id == Plan.id, Extension.task_id == Task.id, Extension.status == ExtensionStatus.APPROVED)
    .label("has_extensions"),
)
_COUNTED = aliased(Plan)  # a plan with cell counts, apart from the plan read
_NAMED = select(Jurisdiction.id).where(Jurisdiction.name == bindparam("place")).scalar_subquery()
# What the place has, as monthly.cells and cells.cell_figures read it: of the place named, or of any.
_PLACE_HAS = (
    exists().where(CellCount.plan_id == _COUNTED.id, _COUNTED.jurisdiction_id == _NAMED).label("place_has_cell_counts"),
    exists().where(Cell.jurisdiction_id == _NAMED).label("place_has_cells"),
)
_ANY_HAS = (
    select(CellCount.id).exists().label("place_has_cell_counts"),
    select(Cell.id).exists().label("place_has_cells"),
)
_SCOPE_ROWS: dict[Select, Select] = {}  # scope_plans' statements, reading the columns of a PlanRow


def scope_plan_rows(session: Session, jurisdiction: str | None, *, until: date | None = None) -> list[PlanRow]:
    """`wufei.plans.queries.scope_plans` as rows."""
    query, params = scope_query(jurisdiction, until=until)
    if query not in _SCOPE_ROWS:
        _SCOPE_ROWS[query] = query.with_only_columns(
            *_PLAN_COLUMNS, *(_ANY_HAS if jurisdiction is None else _PLACE_HAS)
        )
    rows = []
    for row in plain_rows(session, _SCOPE_ROWS[query], params):
        fields, has = row[:-5], row[-5:]  # has: indicators, milestones, approved extensions; the place's cells
        plan_id, place, title, doc_number, issued_on, period_start, period_end, planned, built, kind, imported = fields
        undated = issued_on is None and period_start is None  # PlanRow.of: the import time only for these
        rows.append(
            PlanRow(
                plan_id,
                place,
                title,
                doc_number,
                issued_on,
                period_start,
                period_end,
                planned,
                built,
                kind,
                imported if undated else None,
                *map(bool, has),
            )
        )
    return rows


@dataclass(frozen=True)
class Owner:
    department_id: int
    name: str
    kind: DepartmentKind
    role: Role


@dataclass(slots=True)  # not frozen: a frozen dataclass takes three times as long to build (a world holds thousands)
class TaskRow:
    id: int
    plan: PlanRow
    list_kind: ListKind
    list_name: str | None
    category: str | None
    number: str
    title: str
    deadline_raw: str | None
    deadline_kind: DeadlineKind
    due_date: date | None  # as printed in the plan
    completed_on: date | None
    responsible_entity: str | None
    awaiting_assignment: bool
    owners: tuple[Owner, ...]  # in assignment order
    # The lead owners among them, apart: the lights, the reporting and the figures ask for them of
    # every task (a task without one is not supervised).
    lead_owners: tuple[Owner, ...]
    # The percentage the imported ledger gave, and the import's day (wufei.tasks.ledger_status.with_ledger).
    ledger_progress: int | None = None
    ledger_progress_on: date | None = None
    # The day each lead owner (in lead_owners' order) was made responsible (TaskDepartment.assigned_on;
    # None: as printed in the plan): it owes the weeks from then on.
    lead_since: tuple[date | None, ...] = ()

    @property
    def reference(self) -> str:
        """The task's number as the figures print it (tasks.models.task_reference)."""
        return task_reference(self.list_kind, self.number)

    @property
    def plan_id(self) -> int:
        return self.plan.id

    def names(self, role: Role) -> list[str]:
        return [owner.name for owner in self.owners if owner.role == role]

    @property
    def leads(self) -> list[str]:
        return [owner.name for owner in self.lead_owners]

    @property
    def supporting(self) -> list[str]:
        return self.names(Role.SUPPORTING)

    def done_on_time(self) -> bool:
        return self.completed_on is not None and (self.due_date is None or self.completed_on <= self.due_date)

    def place(self) -> str | None:
        """Where a project is: the county-level governments named on it (the plans give no address;
        a project's county is named among its owners, e.g. 景县人民政府 → 景县)."""
        places = [o.name.removesuffix("人民政府") for o in self.owners if o.kind in LOCALITY_KINDS]
        return "、".join(places) or None


@dataclass
class Reporting:
    """The weekly reporting of some closed weeks, per lead department."""

    weeks: list[date]
    counts: dict[int, ReportTally]  # department id → its counts over the weeks
    misses: dict[int, list[tuple[date, int, str]]]  # department id → (week, task id, missing | late)

    def of(self, department_id: int) -> ReportTally:
        return self.counts.get(department_id) or ReportTally()


@dataclass
class ReportTally:
    expected: int = 0
    filed: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0

    def add(self, other: ReportTally) -> None:
        self.expected += other.expected
        self.filed += other.filed
        self.on_time += other.on_time
        self.late += other.late
        self.missing += other.missing


@dataclass
class World:
    scope: str
    jurisdiction: str | None
    period: Period
    as_of: date
    day: date  # the day the lights are computed on: min(period end, as_of)
    calendar: WorkCalendar
    rules: Ruleset
    plans: list[PlanRow]
    tasks: dict[int, TaskRow]  # every task of the plans, in plan then id order
    lights: dict[int, LightResult]  # supervised tasks only
    due: dict[int, date | None]  # supervised tasks: the deadline in force on `day`
    runs: RunTime | None = None  # the point's run whose figures these are (which weeks it counts)
    _lights_on: dict[date, dict[int, LightResult]] = field(default_factory=dict, repr=False)
    _light_inputs: LightInputs | None = field(default=None, repr=False)
    _reporting: dict[tuple[date, ...], Reporting] = field(default_factory=dict, repr=False)
    # Read once, when first asked for (not every point needs them).
    _weeks: list[date] | None = field(default=None, repr=False)
    _indicators: list[Indicator] | None = field(default=None, repr=False)
    _indicator_reports: dict[int, list[IndicatorReport]] | None = field(default=None, repr=False)
    _reports: list[Report] | None = field(default=None, repr=False)
    _slips: dict[int, list[Slip]] | None = field(default=None, repr=False)
    _extensions: list[ApprovedExtension] | None = field(default=None, repr=False)
    _supervised: tuple[dict[int, LightResult], list[TaskRow]] | None = field(default=None, repr=False)
    _milestones: list[MilestoneRow] | None = field(default=None, repr=False)
    # The recent reports the lights read first, read with the tasks (one round trip fewer on
    # PostgreSQL): (floor, until, rows), taken by the first Filings.read that asks for them.
    _read_ahead: tuple[date, datetime, list[tuple]] | None = field(default=None, repr=False)

    @property
    def plan_ids(self) -> list[int]:
        return [plan.id for plan in self.plans]

    def supervised(self) -> list[TaskRow]:
        """The tasks the lights judge, in the world's order (kept: the figures ask often)."""
        if self._supervised is None or self._supervised[0] is not self.lights:
            self._supervised = (self.lights, [task for task_id, task in self.tasks.items() if task_id in self.lights])
        return list(self._supervised[1])

    def light(self, task_id: int) -> Light | None:
        result = self.lights.get(task_id)
        return result.light if result else None

    def light_cn(self, task_id: int) -> str:
        light = self.light(task_id)
        return LIGHT_NAMES[light] if light is not None else UNSUPERVISED

    def reason(self, task_id: int) -> str:
        result = self.lights.get(task_id)
        return result.reason if result else NOT_JUDGED

    def done(self, task_id: int) -> bool:
        return self.light(task_id) == Light.DONE

    def overdue(self, task_id: int) -> bool:
        result = self.lights.get(task_id)
        return result is not None and OVERDUE in result.rules

    def assumed_years(self) -> list[int]:
        """The years the figures counted Monday–Friday for want of the year's holiday arrangement
        (WorkCalendar.assumed): the period's, the lights' day's and those of the open tasks'
        deadlines (the rollover, due soon and overdue count their working days)."""
        years = set(range(self.period.start.year, self.period.end.year + 1)) | {self.day.year}
        years |= {due.year for task_id, due in self.due.items() if due is not None and not self.done(task_id)}
        return sorted(year for year in years if self.calendar.assumed(year))

    def period_due(self, task: TaskRow, *, original: bool = False) -> date | None:
        """The date that places a supervised task in a period (year, quarter, month): the deadline
        in force (`original`: as printed in the plan) as written, never rolled over a holiday (a
        task due Sunday 31 December is due in that year, review23d). A deadline before the plan
        was issued is not due until the office acts: a date it set in force counts; a task it
        confirmed done is due the day it was marked done; otherwise None (the light asks the
        office to confirm it)."""
        return self._deadline(task, original)[0]

    def scored_due(self, task: TaskRow, *, original: bool = False) -> date | None:
        """The deadline the scores judge lateness by, as the task's light does (one definition for
        every figure): `period_due`, on a rest day or holiday rolled over to the next working day
        (lights/rules.yaml); a confirmed deadline before the plan is the day it was marked done,
        and so never late."""
        due, dated = self._deadline(task, original)
        return counted_deadline(due, self.calendar, self.rules.lights) if due is not None and dated else due

    def _deadline(self, task: TaskRow, original: bool) -> tuple[date | None, bool]:
        """(period_due, whether it is a deadline rather than the day a confirmation marked done)."""
        due = task.due_date if original else self.due.get(task.id)
        if due is None:
            return None, False
        if before_issue(task, due):
            in_force = self.due.get(task.id)
            if in_force is not None and not before_issue(task, in_force):
                return in_force, True
            return task.completed_on, False
        return due, True

    def done_by(self, task: TaskRow, day: date, *, original: bool = False) -> bool:
        """Done by `day` as the scores count it: completed by then, or, for a task due by `day`
        whose deadline rolled over past it, completed by that deadline as known on `as_of` (due
        Sunday 31 December, done Tuesday 2 January: done, on time, in its year's figures)."""
        done = task.completed_on
        if done is None:
            return False
        if done <= day:
            return True
        due, judged = self.period_due(task, original=original), self.scored_due(task, original=original)
        return due is not None and judged is not None and due <= day < judged and done <= min(judged, self.as_of)

    def due_text(self, task: TaskRow, *, original: bool = False, basis: str = "期限") -> str:
        """How a figure names the deadline it judged by: 期限2024年10月1日（节假日，顺延至2024年10月8日）."""
        printed = task.due_date if original else self.due.get(task.id)
        if printed is None:
            return f"{basis}—"
        judged = self.scored_due(task, original=original)
        if before_issue(task, printed) and judged is not None and judged == task.completed_on:
            return f"{basis}{chinese_date(printed)}早于方案印发，已确认完成"
        if judged is not None and judged != printed:
            return f"{basis}{chinese_date(printed)}（节假日，顺延至{chinese_date(judged)}）"
        return f"{basis}{chinese_date(printed)}"

    def due_in(self, task: TaskRow, start: date, end: date, *, original: bool = False) -> bool:
        """Due in [start, end] by `period_due` (the printed date: a rolled-over deadline stays in
        its period); whether it is late is judged by `scored_due`."""
        due = self.period_due(task, original=original)
        return due is not None and start <= due <= end

    def part(self, plans: Iterable[PlanRow], scope: str) -> World:
        """The slice of this world that belongs to some of its plans (no query)."""
        ids = {plan.id for plan in plans}
        tasks = {task_id: task for task_id, task in self.tasks.items() if task.plan_id in ids}
        return World(
            scope,
            scope,
            self.period,
            self.as_of,
            self.day,
            self.calendar,
            self.rules,
            # The place's cells as read were another place's: not known for this one.
            [replace(plan, place_has_cell_counts=None, place_has_cells=None) for plan in self.plans if plan.id in ids],
            tasks,
            {i: r for i, r in self.lights.items() if i in tasks},
            {i: d for i, d in self.due.items() if i in tasks},
            self.runs,
        )

    # --- read when first asked for, then kept ----------------------------------------------

    def lights_on(self, session: Session, day: date) -> dict[int, LightResult]:
        """Every supervised task's light on another day (the monthly changes)."""
        if day == self.day:
            return self.lights
        if day not in self._lights_on:
            self._lights_on[day] = _lights(session, self, day)[0]
        return self._lights_on[day]

    def light_inputs(self, session: Session) -> LightInputs:
        """What the lights read whatever the day, read once for every day the world is lit on."""
        if self._light_inputs is None:
            self._light_inputs = _light_inputs(session, self)
        return self._light_inputs

    def weeks(self) -> list[date]:
        """Mondays of the weeks the point's run counts (`run_weeks`): each week in exactly one
        run, once its window has closed. A run on another day than its own (`as_of` earlier, a
        forced run) counts what had closed by its time of day; a later one what the run did.
        A world built for no point: the weeks with Monday in the period closed by the end of `as_of`."""
        if self._weeks is None:
            cadence = self.rules.cadence
            if self.runs is None:
                self._weeks = [
                    monday
                    for monday in closed_weeks(self.as_of, self.calendar, cadence, self.period.start)
                    if self.period.start <= monday <= self.period.end
                ]
            else:
                previous = P.previous(self.period)
                since = self.runs.moment_for(previous, self.calendar, cadence)
                scheduled = self.runs.moment_for(self.period, self.calendar, cadence)
                until = min(scheduled, self.runs.moment(self.as_of, cadence))
                self._weeks = run_weeks(self.period, previous, since, until, self.calendar, cadence)
        return self._weeks

    def reporting(self, session: Session) -> Reporting:
        """The reporting of the period's closed weeks (`weeks`)."""
        weeks = tuple(self.weeks())
        if weeks not in self._reporting:
            self._reporting[weeks] = _reporting(session, self, list(weeks))
        return self._reporting[weeks]

    def indicators(self, session: Session) -> list[Indicator]:
        """The indicators of the plans, with their values and owners loaded (ORM objects: read
        within the transaction that built the figures)."""
        if self._indicators is None:
            if self._none_has("has_indicators"):
                self._indicators = []
            else:
                self._indicators = indicator_objects(session, self.plan_ids, probe=not self._all_have("has_indicators"))
        return self._indicators

    @property
    def filed_until(self) -> datetime:
        """The first instant after `as_of` where the office is: what was filed or reviewed before
        it is what the figures see."""
        return self.rules.cadence.end_of_day(self.as_of)

    def indicator_reports(self, session: Session) -> dict[int, list[IndicatorReport]]:
        """indicator id → the values its departments reported by the end of `as_of`, every version
        (one query; the indicators' tracking and their year's status read the same)."""
        if self._indicator_reports is None:
            self._indicator_reports = filed_by(session, [i.id for i in self.indicators(session)], self.filed_until)
        return self._indicator_reports

    def indicator_statuses(self, session: Session, year: int, *, accepted_only: bool = False) -> list[IndicatorStatus]:
        """Each indicator's status up to the end of `year` on the values known at `as_of`, in
        `indicators` order."""
        reports = self.indicator_reports(session)
        return [
            indicator_status(i, year, reports.get(i.id, ()), at=self.filed_until, accepted_only=accepted_only)
            for i in self.indicators(session)
        ]

    def approved_extensions(self, session: Session) -> list[ApprovedExtension]:
        """The approved extensions of every task of the plans, by decision day then id (the lights
        read the supervised tasks', the monthly figures those granted in the period)."""
        if self._extensions is None:
            none = self._none_has("has_extensions")
            rows = [] if none else plain_rows(session, _EXTENSIONS, {"plans": self.plan_ids})
            self._extensions = [ApprovedExtension(*row) for row in rows]
        return self._extensions

    def milestones(self, session: Session) -> list[MilestoneRow]:
        """The milestones of every task of the plans, by task, due date, id."""
        if self._milestones is None:
            none = self._none_has("has_milestones")
            rows = [] if none else plain_rows(session, _MILESTONES, {"plans": self.plan_ids})
            self._milestones = [MilestoneRow(*row) for row in rows]
        return self._milestones

    def place_may_have(self, what: str) -> bool:
        """False when the plans' read said the scope's place has no cell counts in a plan
        (`place_has_cell_counts`) / no cell registered (`place_has_cells`)."""
        return not self.plans or getattr(self.plans[0], what) is not False

    def _none_has(self, what: str) -> bool:
        """No plan of the world has it, as the plans' read said (True for a world without plans)."""
        return all(getattr(plan, what) is False for plan in self.plans)

    def _all_have(self, what: str) -> bool:
        return bool(self.plans) and all(getattr(plan, what) for plan in self.plans)

    def period_reports(self, session: Session) -> list[Report]:
        """The weekly reports of the period's weeks filed by the end of `as_of` (the ledger)."""
        if self._reports is None:
            self._reports = _period_reports(session, self)
        return self._reports


# --- building ------------------------------------------------------------------------------------


def build_world(
    session: Session,
    *,
    scope: str,
    jurisdiction: str | None,
    plans: Iterable[Plan | PlanRow],
    period: Period,
    as_of: date,
    calendar: WorkCalendar,
    rules: Ruleset,
    day: date | None = None,
    runs: RunTime | None = None,
) -> World:
    """The world of these plans: their tasks with owners (two queries) and the supervised tasks'
    lights and deadlines in force on `day` (the lights' own queries); `day` defaults to the
    period's end, or `as_of` when that is earlier."""
    rows = [plan if isinstance(plan, PlanRow) else PlanRow.of(plan) for plan in plans]
    world = World(
        scope=scope,
        jurisdiction=jurisdiction,
        period=period,
        as_of=as_of,
        day=day or min(period.end, as_of),
        calendar=calendar,
        rules=rules,
        plans=rows,
        tasks={},
        lights={},
        due={},
        runs=runs,
    )
    if rows:
        # The lights read the recent reports first: read with the tasks, they cost no round trip.
        floor, until = Filings.bounds(world)
        recent = (_RECENT_FILINGS, {"plans": world.plan_ids, "floor": floor, "until": until})
        world.tasks, filings = _tasks(session, rows, also=recent)
        world._read_ahead = (floor, until, filings)
    world.lights, world.due = _lights(session, world, world.day)
    return world


# The world's reads, built once (building a statement costs about as much as running it here).
_PLANS: BindParameter[Any] = bindparam("plans", expanding=True)
_OWNERS = (
    select(TaskDepartment.task_id, TaskDepartment.department_id, TaskDepartment.role, TaskDepartment.assigned_on)
    .join(Task, Task.id == TaskDepartment.task_id)
    .where(Task.plan_id.in_(_PLANS))
    .order_by(TaskDepartment.task_id, TaskDepartment.position, TaskDepartment.id)
)
# The owning departments apart: a few dozen, where joined to the links they were read once a link.
_DEPARTMENTS = select(Department.id, Department.name, Department.kind).where(
    Department.id.in_(bindparam("departments", expanding=True))
)
# On PostgreSQL joined all the same: there a round trip costs more than the names read once a link.
_NAMED_OWNERS = _OWNERS.join(Department, Department.id == TaskDepartment.department_id).add_columns(
    Department.name, Department.kind
)
_TASKS = (
    select(
        Task.id,
        Task.plan_id,
        Task.list_kind,
        Task.list_name,
        Task.category,
        Task.number,
        Task.title,
        Task.deadline_raw,
        Task.deadline_kind,
        Task.due_date,
        Task.completed_on,
        Task.responsible_entity,
        Task.awaiting_assignment,
        Task.ledger_progress,
        Task.ledger_progress_on,
    )
    .where(Task.plan_id.in_(_PLANS))
    .order_by(Task.plan_id, Task.id)
)


def _tasks(
    session: Session, plans: list[PlanRow], *, also: tuple[Any, dict[str, Any]]
) -> tuple[dict[int, TaskRow], list[tuple]]:
    """The plans' tasks with their owners, and the rows of `also`, a read of its own sent with theirs."""
    by_id = {plan.id: plan for plan in plans}
    ids = {"plans": list(by_id)}
    departments = {}
    if session.get_bind().dialect.name == "postgresql":
        named, rows, also_rows = plain_rows_together(session, [(_NAMED_OWNERS, ids), (_TASKS, ids), also])
        links = []
        for task_id, department_id, role, since, name, kind in named:
            links.append((task_id, department_id, role, since))
            departments[department_id] = (name, kind)
    else:
        links, rows, also_rows = (
            plain_rows(session, statement, params) for statement, params in ((_OWNERS, ids), (_TASKS, ids), also)
        )
        wanted = sorted({link[1] for link in links})
        for start in range(0, len(wanted), _IN_CHUNK):
            for department_id, name, kind in plain_rows(
                session, _DEPARTMENTS, {"departments": wanted[start : start + _IN_CHUNK]}
            ):
                departments[department_id] = (name, kind)
    owners: dict[int, list[Owner]] = defaultdict(list)
    leads: dict[int, list[Owner]] = defaultdict(list)
    since_of: dict[int, list[date | None]] = defaultdict(list)
    shared: dict[tuple[int, Role], Owner] = {}  # one Owner per department and role, as often as it owns
    for task_id, department_id, role, since in links:
        owner = shared.get((department_id, role))
        if owner is None:
            owner = shared[(department_id, role)] = Owner(department_id, *departments[department_id], role)
        owners[task_id].append(owner)
        if role == Role.LEAD:
            leads[task_id].append(owner)
            since_of[task_id].append(since)
    none: tuple[Owner, ...] = ()
    tasks = {
        task_id: TaskRow(
            task_id,
            by_id[plan_id],
            kind,
            name,
            category,
            number,
            title,
            raw,
            deadline,
            due,
            done,
            entity,
            awaiting,
            tuple(owners[task_id]) if task_id in owners else none,
            tuple(leads[task_id]) if task_id in leads else none,
            ledger_progress,
            ledger_on,
            tuple(since_of[task_id]) if task_id in since_of else (),
        )
        for (
            task_id,
            plan_id,
            kind,
            name,
            category,
            number,
            title,
            raw,
            deadline,
            due,
            done,
            entity,
            awaiting,
            ledger_progress,
            ledger_on,
        ) in rows
    }
    return tasks, also_rows


class ApprovedExtension(NamedTuple):
    id: int
    task_id: int
    department: str  # who asked
    requested_on: date
    decided_on: date | None
    original_due_date: date
    new_due_date: date
    reason: str


class MilestoneRow(NamedTuple):
    id: int
    task_id: int
    due_date: date
    expected: int  # percent
    title: str


_EXTENSIONS = (
    select(
        Extension.id,
        Extension.task_id,
        Department.name,
        Extension.requested_on,
        Extension.decided_on,
        Extension.original_due_date,
        Extension.requested_due_date,
        Extension.reason,
    )
    .join(Department, Department.id == Extension.department_id)
    .where(
        Extension.status == ExtensionStatus.APPROVED,
        Extension.task_id.in_(select(Task.id).where(Task.plan_id.in_(_PLANS))),
    )
    .order_by(Extension.decided_on, Extension.id)
)
_MILESTONES = (
    select(Milestone.id, Milestone.task_id, Milestone.due_date, Milestone.expected_progress, Milestone.title)
    .where(Milestone.task_id.in_(select(Task.id).where(Task.plan_id.in_(_PLANS))))
    .order_by(Milestone.task_id, Milestone.due_date, Milestone.id)
)


# A weekly report as the lights and the reporting read it: (task id, week start, progress, returned,
# submitted at (aware, UTC)), a plain tuple as read (a world reads thousands); a task's come newest
# first (latest week, then version), so the version itself is not read.
Filing = tuple[int, date, int, bool, datetime]


_FLOOR_MARGIN = timedelta(weeks=2)


@dataclass
class Answers:
    """What the lights of a day ask of the reports: each supervised task's newest progress (as
    `latest_progress` gives it) and each open task's missing streak (as `missing_streaks`)."""

    progress: dict[int, tuple[int, date]]  # task → (progress, week)
    streaks: dict[int, int]


@dataclass
class Filings:
    """The weekly reports of the world's tasks the lights and the reporting read, each task's
    newest first (latest week, then version), submitted before `until` (the end of `as_of`):
    those of the weeks from `floor` on, read at once, and every one of the tasks in `whole`.

    `floor` is two weeks before the week holding `floor_day`: the day before the period (the
    monthly changes light it) or the lights' day, whichever is earlier. The reports since answer
    most tasks' questions of any day from `floor_day` on; the older reports of the tasks they do
    not answer on `floor_day` (nothing filed since the floor that counts) are read right after,
    in one more read: an answer on a day is one on every later day too."""

    floor_day: date
    floor: date
    until: datetime
    by_task: dict[int, list[Filing]]
    whole: set[int] = field(default_factory=set)
    answers: dict[date, Answers] = field(default_factory=dict)

    @staticmethod
    def bounds(world: World) -> tuple[date, datetime]:
        """The floor and the `until` the world's lights read its reports with first (`read`)."""
        floor_day = min(world.period.start - timedelta(days=1), world.day)
        until = world.rules.cadence.end_of_day(max(world.as_of, world.day)).astimezone(UTC)
        return week_start(floor_day) - _FLOOR_MARGIN, until

    @classmethod
    def read(cls, session: Session, world: World, inputs: LightInputs, until: datetime) -> Filings:
        floor_day = min(world.period.start - timedelta(days=1), world.day)
        floor = week_start(floor_day) - _FLOOR_MARGIN
        filings = cls(floor_day, floor, until, {})
        ahead, world._read_ahead = world._read_ahead, None
        if ahead is not None and ahead[:2] == (floor, until):
            filings._add_rows(ahead[2])
        else:
            filings._add(session, _RECENT_FILINGS, {"plans": world.plan_ids, "floor": floor})
        _answers(session, world, inputs, filings, floor_day)
        return filings

    def read_whole(self, session: Session, task_ids: list[int]) -> None:
        """Read the reports before the floor of these tasks (none is in `whole` yet)."""
        for start in range(0, len(task_ids), _IN_CHUNK):
            self._add(session, _OLDER_FILINGS, {"tasks": task_ids[start : start + _IN_CHUNK], "floor": self.floor})
        self.whole.update(task_ids)

    def _add(self, session: Session, statement: Any, params: dict[str, Any]) -> None:
        self._add_rows(plain_rows(session, statement, {**params, "until": self.until}))

    def _add_rows(self, rows: list[tuple]) -> None:
        """Rows of _FILING, by task, oldest first."""
        by_task = self.by_task
        for task_id, filings in groupby(rows, itemgetter(0)):
            newest_first = list(filings)
            newest_first.reverse()
            known = by_task.get(task_id)
            if known is None:
                by_task[task_id] = newest_first
            else:
                known.extend(newest_first)  # older weeks than those known (read_whole)


_FILING = select(
    Report.task_id,
    Report.week_start,
    Report.progress,
    (Report.status == ReportStatus.RETURNED).label("returned"),  # a flag: no enum to convert
    Report.submitted_at,
).where(Report.submitted_at < bindparam("until", type_=Report.submitted_at.type))
# (task, week, version) is unique: each task's reports oldest week, then oldest version, first, in the
# order of that unique index (read newest first, SQLite sorted every task's reports again), then
# reversed, a task at a time.
_INDEX_ORDER = (Report.task_id, Report.week_start, Report.version)
# The reports of the plans' tasks from the floor's week on; the older ones of some tasks.
_RECENT_FILINGS = _FILING.where(
    Report.task_id.in_(select(Task.id).where(Task.plan_id.in_(_PLANS))),
    Report.week_start >= bindparam("floor", type_=Report.week_start.type),
).order_by(*_INDEX_ORDER)
_OLDER_FILINGS = _FILING.where(
    Report.task_id.in_(bindparam("tasks", expanding=True)),
    Report.week_start < bindparam("floor", type_=Report.week_start.type),
).order_by(*_INDEX_ORDER)


@dataclass
class LightInputs:
    """What the lights of the world's supervised tasks need on any day, read once: the tasks' facts
    come from the world's own rows (which tasks are supervised, when they start reporting); the
    approved extensions, the milestones and the weekly reports (`Filings`) are read."""

    supervised: list[TaskRow]  # in task id order
    extensions: dict[int, list[tuple[date, int, date]]]  # task → approved (decided on, id, new due date)
    milestones: dict[int, tuple[MilestonePoint, ...]]
    expected: list[Expected]  # the supervised tasks owed weekly reports (expected_rows)
    _filings: Filings | None = None
    _memo: MemoCalendar | None = None

    def memo(self, calendar: WorkCalendar) -> MemoCalendar:
        """One memo of working-day counts for every day the world is lit on."""
        if self._memo is None:
            self._memo = MemoCalendar(calendar)
        return self._memo

    def due_on(self, task: TaskRow, day: date) -> date | None:
        """The deadline in force on `day`: the latest extension approved by then, else the plan's."""
        extended = self.extensions.get(task.id)
        if not extended:
            return task.due_date
        approved = [item for item in extended if item[0] <= day]
        return (max(approved)[2] if approved else None) or task.due_date

    def filings(self, session: Session, world: World, before: datetime) -> Filings:
        """The reports, read up to `before` at least (the end of `as_of`, or of a later day asked)."""
        if self._filings is None or self._filings.until < before:
            until = max(before, world.rules.cadence.end_of_day(max(world.as_of, world.day))).astimezone(UTC)
            self._filings = Filings.read(session, world, self, until)
        return self._filings


def _light_inputs(session: Session, world: World) -> LightInputs:
    cadence = world.rules.cadence
    # The figures score lead departments: tasks nobody leads yet are counted apart (without_lead).
    # The supervised tasks and when their reporting starts (expected_rows), from the world's rows.
    supervised = sorted(
        (
            task
            for task in world.tasks.values()
            if is_supervised(task.plan.kind, task.awaiting_assignment, bool(task.lead_owners))
        ),
        key=lambda task: task.id,
    )
    starts: dict[int, date] = {}  # plan → its reporting start
    for plan in world.plans:
        starts[plan.id] = reporting_start(plan.issued_on, plan.period_start, plan.imported_at, cadence)
    rows = [
        Expected(
            task.id,
            lead_since(min(task.lead_since, key=_earliest, default=None), starts[task.plan_id]),
            task.completed_on,
        )
        for task in supervised
    ]
    wanted = {task.id for task in supervised}
    extensions: dict[int, list[tuple[date, int, date]]] = defaultdict(list)
    milestones: dict[int, list[MilestonePoint]] = defaultdict(list)
    for extension in world.approved_extensions(session):
        if extension.task_id in wanted and extension.decided_on is not None:
            extensions[extension.task_id].append((extension.decided_on, extension.id, extension.new_due_date))
    for task_id, due_date, expected, title in (m[1:] for m in world.milestones(session)):
        if task_id in wanted:
            milestones[task_id].append(MilestonePoint(due_date, expected, title))
    return LightInputs(
        supervised,
        dict(extensions),
        {task_id: tuple(points) for task_id, points in milestones.items()},
        rows,
    )


def _earliest(since: date | None) -> date:
    return since or date.min  # a lead printed in the plan (None) is the earliest


def _lights(session: Session, world: World, day: date) -> tuple[dict[int, LightResult], dict[int, date | None]]:
    """The supervised tasks' lights on `day` and their deadlines in force then: the states
    wufei.lights.service.task_states gives, built from the world's inputs (read once for every
    day), with the newest progress and the missing streak found in the world's reports."""
    if not world.plans:
        return {}, {}
    inputs = world.light_inputs(session)
    if not inputs.supervised:
        return {}, {}
    filings = inputs.filings(session, world, world.rules.cadence.end_of_day(day))
    answers = _answers(session, world, inputs, filings, day)
    memo = inputs.memo(world.calendar)
    starts = {plan.id: plan_start(plan.issued_on, plan.period_start) for plan in world.plans}
    progress, streaks, milestones, rules = answers.progress, answers.streaks, inputs.milestones, world.rules.lights
    extensions = inputs.extensions
    lights, due = {}, {}
    none = (None, None)
    for task in inputs.supervised:
        task_id = task.id
        completed_on = task.completed_on
        if completed_on is not None and completed_on <= day and task.deadline_kind != ANNUAL:
            lights[task_id] = done_light(completed_on)  # what judge gives it, without its state
            due[task_id] = inputs.due_on(task, day) if task_id in extensions else task.due_date
            continue
        progress_now, week = progress.get(task_id) or none
        if task.ledger_progress is not None:
            progress_now, week = (
                with_ledger(progress.get(task_id), task.ledger_progress, task.ledger_progress_on, day) or none
            )
        # By position, in TaskState's order: keywords take twice as long, and a bulletin builds one a task and day.
        state = TaskState(
            task_id,
            task.deadline_kind,
            starts[task.plan.id] or date((task.due_date or day).year, 1, 1),  # start
            inputs.due_on(task, day) if task_id in extensions else task.due_date,  # due, as in force
            task.due_date,  # original_due
            completed_on,
            progress_now,
            week,  # progress_week
            streaks.get(task_id, 0),  # missing_streak
            milestones.get(task_id, ()),
        )
        lights[task_id] = judge(state, day, memo, rules)
        due[task_id] = state.due
    return lights, due


def _answers(session: Session, world: World, inputs: LightInputs, filings: Filings, day: date) -> Answers:
    """The day's answers (kept), from the filings; the older reports of the tasks they leave
    unanswered are read first. Progress is wanted of every task a done light does not settle,
    streaks of the open tasks (`missing_streaks`: the closed windows from the task's start after
    the latest one it filed for in time)."""
    if day in filings.answers:
        return filings.answers[day]
    cadence = world.rules.cadence
    # In UTC, as the reports' times are: comparing times of two zones costs ten times as much.
    before = cadence.end_of_day(day).astimezone(UTC)
    late_counts = cadence.weekly.late_report_breaks_missing_streak
    rows = [row for row in inputs.expected if row.completed_on is None or row.completed_on > day]
    windows = windows_between(min(row.start for row in rows), day, world.calendar, cadence) if rows else []
    due_at = {window.week_start: window.due_at_utc for window in windows}

    def newest(task_id: int) -> tuple[int, date] | None:
        for _task, week, progress, returned, submitted_at in filings.by_task.get(task_id, ()):
            if not returned and submitted_at < before:
                return progress, week
        return None

    def last_filed(row: Expected) -> date | None:
        start = row.start
        for _task, week, _progress, _returned, submitted_at in filings.by_task.get(row.task_id, ()):
            if week < start:
                return None  # weeks before the task's start do not count
            due = due_at.get(week)
            if due is not None and submitted_at < before and (late_counts or submitted_at <= due):
                return week
        return None

    # A task done by the day (an annual task: possibly done another year) is lit done whatever it reported.
    wanted = [
        task.id
        for task in inputs.supervised
        if task.completed_on is None or task.completed_on > day or task.deadline_kind == ANNUAL
    ]
    progress = {task_id: newest(task_id) for task_id in wanted}
    filed = {row.task_id: last_filed(row) for row in rows} if windows else {}
    unknown = {task_id for task_id in wanted if progress[task_id] is None and task_id not in filings.whole}
    unknown.update(
        row.task_id
        for row in rows
        if windows and filed[row.task_id] is None and row.start < filings.floor and row.task_id not in filings.whole
    )
    if unknown:
        filings.read_whole(session, sorted(unknown))
        progress.update((task_id, newest(task_id)) for task_id in unknown)
        filed.update((row.task_id, last_filed(row)) for row in rows if windows and row.task_id in unknown)
    weeks = [window.week_start for window in windows]
    one_day = timedelta(days=1)
    still_open = due_on(day, world.calendar, cadence) if windows else 0  # as the scan counts them (`lights_streaks`)
    streaks = {}
    for row in rows if windows else ():
        last = filed[row.task_id]
        missed = len(weeks) - bisect_left(weeks, row.start if last is None else last + one_day)
        streaks[row.task_id] = max(missed - still_open, 0)
    answers = filings.answers[day] = Answers(
        {task_id: answer for task_id, answer in progress.items() if answer is not None}, streaks
    )
    return answers


def _reporting(session: Session, world: World, weeks: list[date]) -> Reporting:
    """The counts and misses per lead department over the weeks.

    The rules are those of wufei.reports.service.compliance (a task is expected in a week that
    starts on or after its plan's start, unless it was completed before the week ended without
    reporting for it; on time = first submitted by the window's close; submissions count up to
    the end of `as_of`; a task with two leads counts for both), applied to all the weeks at once,
    from the world's reports (`Filings`), not a read per week."""
    cadence = world.rules.cadence
    counts: dict[int, ReportTally] = defaultdict(ReportTally)
    misses: dict[int, list[tuple[date, int, str]]] = defaultdict(list)
    windows = [
        (monday, window)
        for monday in sorted(weeks)
        if (window := reporting_window(monday, world.calendar, cadence)) is not None
    ]
    if not windows or not world.plans:
        return Reporting(weeks, dict(counts), dict(misses))
    first, last = windows[0][0], windows[-1][0]
    inputs = world.light_inputs(session)
    rows = [
        row
        for row in inputs.expected
        if row.completed_on is None or row.completed_on >= first  # not completed before the first week
    ]
    before = cadence.end_of_day(world.as_of).astimezone(UTC)  # UTC, as the reports' times are
    filings = inputs.filings(session, world, before)
    submissions: dict[int, dict[date, datetime]] = defaultdict(dict)  # task → week → its first submission
    if first >= filings.floor:
        for task_id, _start, _completed_on in rows:
            filed = submissions[task_id]
            for _task, week, _progress, _returned, submitted_at in filings.by_task.get(task_id, ()):
                if week < first:
                    break  # newest first: the rest are older still
                if week <= last and submitted_at < before:
                    known = filed.get(week)
                    if known is None or submitted_at < known:
                        filed[week] = submitted_at  # of any version
    else:
        for (task_id, week), submitted_at in first_submissions(
            session, task_ids=None, weeks=(first, last), before=before
        ).items():
            submissions[task_id][week] = submitted_at
    weekly = [(monday, monday + timedelta(days=6), window.due_at_utc) for monday, window in windows]
    nothing: dict[date, datetime] = {}
    for task_id, start, completed_on in rows:
        task = world.tasks.get(task_id)
        if task is None or not task.lead_owners:
            continue
        filed = submissions.get(task_id, nothing)
        # A task with two leads counts for both, each from the day it was made responsible: mostly one
        # day, the task's start (its earliest lead's), grouped apart only when they differ.
        by_start: dict[date, list[int]]
        if len(set(task.lead_since)) <= 1:
            by_start = {start: [owner.department_id for owner in task.lead_owners]}
        else:
            by_start = defaultdict(list)
            for owner, since in zip(task.lead_owners, task.lead_since, strict=True):
                by_start[lead_since(since, start)].append(owner.department_id)
        for own_start, leads in by_start.items():
            on_time = late = missing = 0
            missed: list[tuple[date, int, str]] = []
            for monday, week_end, due_at in weekly:
                if own_start > monday or (completed_on is not None and completed_on < monday):
                    continue
                filed_at = filed.get(monday)
                if filed_at is None:
                    if completed_on is not None and completed_on <= week_end:
                        continue  # completed that week without a report for it: nothing owed
                    missing += 1
                    missed.append((monday, task_id, "missing"))
                elif filed_at <= due_at:
                    on_time += 1
                else:
                    late += 1
                    missed.append((monday, task_id, "late"))
            if not (on_time or late or missing):
                continue
            for department_id in leads:
                tally = counts[department_id]
                tally.expected += on_time + late + missing
                tally.filed += on_time + late
                tally.on_time += on_time
                tally.late += late
                tally.missing += missing
                if missed:
                    misses[department_id].extend(missed)
    for items in misses.values():
        items.sort(key=lambda item: (item[0], item[1]))
    return Reporting(weeks, dict(counts), dict(misses))


def _period_reports(session: Session, world: World) -> list[Report]:
    if not world.plans:
        return []
    cutoff = world.rules.cadence.end_of_day(world.as_of).astimezone(UTC)
    return list(
        session.scalars(
            select(Report)
            .join(Task, Task.id == Report.task_id)
            .where(
                Task.plan_id.in_(world.plan_ids),
                Report.week_start.between(world.period.start, world.period.end),
                Report.submitted_at < cutoff,
            )
            .options(selectinload(Report.department))
            .order_by(Report.week_start, Task.plan_id, Report.task_id, Report.version)
        )
    )


_INDICATORS = (
    select(Indicator)
    .where(Indicator.plan_id.in_(_PLANS))
    .options(*WITH_PLAN_VALUES_OWNERS)
    .order_by(Indicator.plan_id, Indicator.id)
)


_ANY_INDICATOR = select(Indicator.id).where(Indicator.plan_id.in_(_PLANS)).limit(1)


def indicator_objects(session: Session, plan_ids: list[int], *, probe: bool = True) -> list[Indicator]:
    # Many scopes have none: a plain look first (loading ORM objects cost five times as much even for
    # none), unless the caller knows they have some.
    if not plan_ids or (probe and not plain_rows(session, _ANY_INDICATOR, {"plans": plan_ids})):
        return []
    return list(session.scalars(_INDICATORS, {"plans": plan_ids}))


def last_reports(
    session: Session, world: World, *, task_ids: list[int], day: date, last_week: date | None = None
) -> dict[int, Report]:
    """task_id → its newest report (latest week, then version) submitted by the end of `day`, not
    returned; with `last_week`, only reports for weeks starting on or before it."""
    if not task_ids:
        return {}
    rank = (
        func.row_number()
        .over(partition_by=Report.task_id, order_by=(Report.week_start.desc(), Report.version.desc()))
        .label("rank")
    )
    conditions = [
        Report.status != ReportStatus.RETURNED,
        Report.submitted_at < world.rules.cadence.end_of_day(day).astimezone(UTC),
    ]
    if last_week is not None:
        conditions.append(Report.week_start <= last_week)
    found: dict[int, Report] = {}
    for start in range(0, len(task_ids), _IN_CHUNK):
        chunk = task_ids[start : start + _IN_CHUNK]
        ranked = select(Report.id, rank).where(Report.task_id.in_(chunk), *conditions).subquery()
        for report in session.scalars(
            select(Report)
            .join(ranked, ranked.c.id == Report.id)
            .where(ranked.c.rank == 1)
            .options(selectinload(Report.department))
        ):
            found[report.task_id] = report
    return found


Day = date  # what a Slip's methods call a date: its field `date` hides the type there


def before_issue(task: TaskRow, due: date) -> bool:
    """A deadline before the plan was issued (2021年底 in a 2022 plan), as the lights judge it."""
    start = plan_start(task.plan.issued_on, task.plan.period_start)
    return start is not None and due < start


@dataclass(frozen=True)
class Slip:
    """A 督办单 issued on a task: counted once whoever it was sent to, dated by its first sending."""

    kind: NoticeKind  # yellow_slip | red_slip
    step: str
    period: str
    date: date

    def replaced_by(self, task: TaskRow, due_in_force: Day | None) -> Day | None:
        """The later deadline an approved extension put in place of the one this slip was sent
        against (a deadline slip's period is that date), as the escalation resolves it 已延期;
        None when the slip's deadline still stands, no extension is in force, or the slip is
        about missed weeks."""
        try:
            sent_against = date.fromisoformat(self.period)
        except ValueError:
            return None  # a week, not a deadline
        if due_in_force is None or due_in_force == task.due_date:
            return None  # no extension in force
        return due_in_force if due_in_force > sent_against else None


SLIP_KINDS = (NoticeKind.YELLOW_SLIP, NoticeKind.RED_SLIP)
SLIP_NAMES = {NoticeKind.YELLOW_SLIP: "黄色督办单", NoticeKind.RED_SLIP: "红色督办单"}


def slips(session: Session, world: World) -> dict[int, list[Slip]]:
    """task_id → the slips issued from the period's start to the lights' day, oldest first. A slip
    sent to several recipients counts once (task, kind, step, period), dated by its first sending.
    A slip stays issued when the task later completes or is extended; only one withdrawn the day
    it was raised does not count."""
    if world._slips is not None:
        return world._slips
    found: dict[int, list[Slip]] = defaultdict(list)
    if world.plan_ids:
        issued = func.min(NoticeIntent.created_on).label("issued_on")
        rows = session.execute(
            select(NoticeIntent.task_id, NoticeIntent.kind, NoticeIntent.step, NoticeIntent.period, issued)
            .where(
                NoticeIntent.kind.in_(SLIP_KINDS),
                NoticeIntent.created_on.between(world.period.start, world.day),
                or_(NoticeIntent.resolved_on.is_(None), NoticeIntent.resolved_on > NoticeIntent.created_on),
                NoticeIntent.task_id.in_(select(Task.id).where(Task.plan_id.in_(world.plan_ids))),
            )
            .group_by(NoticeIntent.task_id, NoticeIntent.kind, NoticeIntent.step, NoticeIntent.period)
        )
        for task_id, kind, step, period, issued_on in rows:
            found[task_id].append(Slip(NoticeKind(kind), step, period, issued_on))
        for items in found.values():
            items.sort(key=lambda s: (s.date, s.kind, s.step, s.period))
    world._slips = dict(found)
    return world._slips

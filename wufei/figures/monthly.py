"""月调度: the month's progress by department, changes since last month, red and yellow tasks,
indicators, zero-waste cells, what falls due next month, extensions granted."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from wufei.assessment.scoring import rate
from wufei.cadence import periods as P
from wufei.cadence.periods import Period, PeriodKind
from wufei.cells.models import CellCount
from wufei.chinese import week_label
from wufei.db import plain_rows
from wufei.figures.cells import CellFigures, cell_figures
from wufei.figures.codec import absent_when_none
from wufei.figures.common import (
    Figures,
    LightChange,
    PeriodInfo,
    PlanRef,
    ReportCounts,
    TaskBrief,
    TaskWithLight,
    Totals,
    WeekReportCounts,
    brief,
    light_name,
    plan_refs,
    totals,
    with_light,
)
from wufei.figures.world import TaskRow, World
from wufei.indicators.reporting import IndicatorTrack, TrackSummary, tracks
from wufei.indicators.status import IndicatorStatus, IndicatorSummary
from wufei.lights.models import Light
from wufei.lights.rules import OVERDUE, LightResult
from wufei.plans.models import Jurisdiction, Plan
from wufei.plans.queries import newest_out_by


@dataclass
class MonthlyReporting:
    weeks: list[str]
    expected: int
    filed: int
    on_time: int
    late: int
    missing: int


@dataclass
class DepartmentProgress:
    department_id: int
    department: str
    kind: str
    lead_tasks: int
    done: int
    done_on_time: int
    done_in_period: int
    overdue: int
    red: int
    yellow: int
    green: int
    reports: WeekReportCounts


@dataclass
class Changes:
    since: date
    newly_overdue_count: int
    closed_count: int
    recovered_count: int
    worsened_count: int
    newly_overdue: list[LightChange]
    closed: list[LightChange]
    recovered: list[LightChange]
    worsened: list[LightChange]


@dataclass
class IndicatorTracking:
    """Each indicator's light, reason and forecast from the values reported by `as_of`."""

    as_of: date
    summary: TrackSummary
    items: list[IndicatorTrack]


@dataclass
class Indicators:
    year: int
    summary: IndicatorSummary
    items: list[IndicatorStatus]


@dataclass
class CellCategory:
    category: str
    count: int | None
    unit: str | None
    status: str | None
    lead: str | None
    target: str | None
    target_indicator: str | None


@dataclass
class Cells:
    source: str
    planned_total: int | None
    built_total: int | None
    categories_sum: int
    completion_rate: float | None
    categories: list[CellCategory]
    notes: list[str]


@dataclass
class MilestoneDue(TaskBrief):
    milestone: str
    due_date: date
    expected_progress: int


@dataclass
class FallingDue:
    period: PeriodInfo
    tasks: list[TaskWithLight]
    milestones: list[MilestoneDue]


@dataclass
class ExtensionGranted(TaskBrief):
    extension_id: int
    department: str
    requested_on: date
    decided_on: date
    original_due_date: date
    new_due_date: date
    reason: str


@dataclass
class MonthlyFigures(Figures):
    kind: str
    kind_cn: str
    period: PeriodInfo
    scope: str
    as_of: date
    lights_as_of: date
    plans: list[PlanRef]
    totals: Totals
    reporting: MonthlyReporting
    departments: list[DepartmentProgress]
    changes: Changes
    attention: list[TaskWithLight]
    indicators: Indicators
    cells: Cells | None
    next_period: FallingDue
    extensions_granted: list[ExtensionGranted]
    tracking: IndicatorTracking | None = absent_when_none()  # figures stored before tracking have none
    cell_registry: CellFigures | None = absent_when_none()  # none while no cell is registered


def indicator_tracking(session: Session, world: World) -> IndicatorTracking:
    rows = tracks(
        session,
        world.indicators(session),
        as_of=world.as_of,
        rules=world.rules.tracking,
        reporting_since=world.rules.cadence.weekly.reporting_since,
        reports=world.indicator_reports(session),
        at=world.filed_until,
    )
    return IndicatorTracking(world.as_of, TrackSummary.of(rows), rows)


def monthly_figures(session: Session, world: World) -> MonthlyFigures:
    """The month of `world.period` as the cadence would report on it on `world.as_of`."""
    period = world.period
    before = P.previous(period)
    before_day = min(before.end, world.as_of)
    weeks = world.weeks()
    reporting = world.reporting(session)
    indicators = world.indicator_statuses(session, period.end.year)
    departments = department_rows(world, period, weeks, reporting_of=reporting.of)
    summed = ReportCounts()
    for row in departments:
        summed.add(
            ReportCounts(
                row.reports.expected, row.reports.filed, row.reports.on_time, row.reports.late, row.reports.missing
            )
        )
    return MonthlyFigures(
        kind=str(PeriodKind.MONTHLY),
        kind_cn=P.KIND_NAMES[PeriodKind.MONTHLY],
        period=PeriodInfo.of(period),
        scope=world.scope,
        as_of=world.as_of,
        lights_as_of=world.day,
        plans=plan_refs(world),
        totals=totals(world, period),
        reporting=MonthlyReporting(
            [week_label(w) for w in weeks], summed.expected, summed.filed, summed.on_time, summed.late, summed.missing
        ),
        departments=departments,
        changes=changes(world, world.lights_on(session, before_day), before_day),
        attention=attention(world),
        indicators=Indicators(period.end.year, IndicatorSummary.of(indicators), indicators),
        cells=cells(session, world, indicators),
        next_period=falling_due(session, world, P.next_period(period)),
        extensions_granted=extensions_granted(session, world, period),
        tracking=indicator_tracking(session, world),
        cell_registry=registry_figures(session, world),
    )


def registry_figures(session: Session, world: World) -> CellFigures | None:
    """The registered cells of the world's place at the end of its day, those named in its period."""
    if not world.place_may_have("place_has_cells"):
        return None  # as cell_figures gives where no cell is registered
    return cell_figures(
        session,
        jurisdiction=world.jurisdiction,
        day=world.day,
        rules=world.rules.cells,
        indicators=world.indicators(session),
        period_start=world.period.start,
    )


def department_rows(world: World, period: Period, weeks: list[date], *, reporting_of) -> list[DepartmentProgress]:
    led: dict[int, list[TaskRow]] = defaultdict(list)
    owners = {}
    for task in world.supervised():
        for owner in task.lead_owners:
            led[owner.department_id].append(task)
            owners[owner.department_id] = owner
    rows = []
    results = world.lights  # every supervised task's
    for department_id, tasks in led.items():
        owner = owners[department_id]
        judged = [results[t.id] for t in tasks]
        done = [t for t, result in zip(tasks, judged, strict=True) if result.light == Light.DONE]
        lights = Counter(result.light for result in judged)
        rows.append(
            DepartmentProgress(
                department_id=department_id,
                department=owner.name,
                kind=str(owner.kind),
                lead_tasks=len(tasks),
                done=len(done),
                done_on_time=sum(1 for t in done if t.done_on_time()),
                done_in_period=sum(1 for t in tasks if t.completed_on and period.start <= t.completed_on <= world.day),
                overdue=sum(1 for result in judged if OVERDUE in result.rules),
                red=lights[Light.RED],
                yellow=lights[Light.YELLOW],
                green=lights[Light.GREEN],
                reports=WeekReportCounts.of(len(weeks), reporting_of(department_id)),
            )
        )
    rows.sort(key=lambda r: (-r.lead_tasks, r.department, r.department_id))
    return rows


_SEVERITY = {"green": 0, "yellow": 1, "red": 2}


def changes(world: World, before: dict[int, LightResult], before_day: date) -> Changes:
    lists: dict[str, list[LightChange]] = {"newly_overdue": [], "closed": [], "recovered": [], "worsened": []}
    for task in world.supervised():
        now = world.lights[task.id]
        was = before.get(task.id)
        if was is not None and was.light == now.light and (OVERDUE not in now.rules or OVERDUE in was.rules):
            continue  # the same light and not newly overdue (most tasks): nothing to list
        now_light, was_light = str(now.light), (str(was.light) if was else None)
        overdue = OVERDUE in now.rules and not (was and OVERDUE in was.rules)
        if now_light == Light.DONE and was_light != Light.DONE:
            change = "closed"
        elif was_light in ("red", "yellow") and now_light == Light.GREEN:
            change = "recovered"
        elif was_light in _SEVERITY and now_light in _SEVERITY and _SEVERITY[now_light] > _SEVERITY[was_light]:
            change = "worsened"
        elif not overdue:
            continue  # most tasks: nothing to list
        else:
            change = None
        entry = LightChange(
            **brief(task),
            from_=was_light,
            to=now_light,
            from_cn=light_name(was_light),
            to_cn=light_name(now_light),
            reason=now.reason,
        )
        if overdue:
            lists["newly_overdue"].append(entry)  # once, in the first list: not also as 灯色变差
        elif change is not None:
            lists[change].append(entry)
    return Changes(
        since=before_day,
        newly_overdue_count=len(lists["newly_overdue"]),
        closed_count=len(lists["closed"]),
        recovered_count=len(lists["recovered"]),
        worsened_count=len(lists["worsened"]),
        **lists,
    )


def attention(world: World) -> list[TaskWithLight]:
    """Red then yellow tasks, earliest deadline first, with the reason and owners."""
    rows = [with_light(world, task) for task in world.supervised() if world.light(task.id) in ("red", "yellow")]
    rows.sort(key=lambda r: (r.light != "red", r.due_date or date.max, r.task_id))
    return rows


def _plain(name: str) -> str:
    return "".join(ch for ch in name if ch not in "“”\"'‘’「」")


# The plans with cell counts, newest first: of the place (its name bound as `place`), or of any.
_CELL_SOURCE = (
    select(Plan.id, Plan.doc_number, Plan.title, Plan.cells_planned_total, Plan.cells_built_total, Plan.issued_on)
    .where(Plan.id.in_(select(CellCount.plan_id)))
    .order_by(Plan.id.desc())
)
_PLACE_CELL_SOURCE = _CELL_SOURCE.join(Jurisdiction, Jurisdiction.id == Plan.jurisdiction_id).where(
    Jurisdiction.name == bindparam("place")
)


def cells(session: Session, world: World, indicators: list[IndicatorStatus]) -> Cells | None:
    """The newest cell counts recorded for the jurisdiction (a progress reply may carry them)
    against the plan total, with each category's target where an indicator names it. A document
    out after the figures' day is not cited (a reply of 2025 says nothing of 2023); one whose date
    is not known is."""
    if not world.place_may_have("place_has_cell_counts"):
        return None  # as found below where no plan of the place has cell counts
    if world.jurisdiction is None:
        found = plain_rows(session, _CELL_SOURCE)
    else:
        found = plain_rows(session, _PLACE_CELL_SOURCE, {"place": world.jurisdiction})
    newest = newest_out_by(found, world.day, lambda row: (row[5], row[1], row[0]))
    if newest is None:
        return None
    source_id, doc_number, title, planned, built_total, _ = newest
    rows = list(session.scalars(select(CellCount).where(CellCount.plan_id == source_id).order_by(CellCount.id)))
    if planned is None:
        planned = next((plan.cells_planned_total for plan in world.plans if plan.cells_planned_total), None)
    counted = sum(row.count or 0 for row in rows)
    built = built_total if built_total is not None else counted
    targets: dict[str, tuple[str, str]] = {}
    for row in rows:
        match = next((i for i in indicators if row.category in _plain(i.name) and i.target.value), None)
        if match is not None and match.target.value is not None:
            targets[row.category] = (match.target.value, match.name)
    notes = []
    if counted != built:
        notes.append(f"各类数量合计{counted}个，与文件所述累计{built}个不一致")
    return Cells(
        source=doc_number or title,
        planned_total=planned,
        built_total=built,
        categories_sum=counted,
        completion_rate=rate(built, planned) if planned else None,
        categories=[
            CellCategory(
                category=row.category,
                count=row.count,
                unit=row.unit,
                status=row.status,
                lead=row.lead_department.name if row.lead_department else row.lead_raw,
                target=targets[row.category][0] if row.category in targets else None,
                target_indicator=targets[row.category][1] if row.category in targets else None,
            )
            for row in rows
        ],
        notes=notes,
    )


def falling_due(session: Session, world: World, window: Period) -> FallingDue:
    tasks = [
        with_light(world, task)
        for task in world.supervised()
        if not world.done(task.id) and world.due_in(task, window.start, window.end)
    ]
    tasks.sort(key=lambda r: (r.due_date or date.max, r.task_id))
    milestones = [
        MilestoneDue(
            **brief(world.tasks[milestone.task_id]),
            milestone=milestone.title,
            due_date=milestone.due_date,
            expected_progress=milestone.expected,
        )
        for milestone in sorted(world.milestones(session), key=lambda m: (m.due_date, m.id))
        if window.start <= milestone.due_date <= window.end
        and milestone.task_id in world.lights
        and not world.done(milestone.task_id)
    ]
    return FallingDue(PeriodInfo.of(window), tasks, milestones)


def extensions_granted(session: Session, world: World, period: Period) -> list[ExtensionGranted]:
    return [
        ExtensionGranted(
            **brief(world.tasks[e.task_id]),
            extension_id=e.id,
            department=e.department,
            requested_on=e.requested_on,
            decided_on=e.decided_on,
            original_due_date=e.original_due_date,
            new_due_date=e.new_due_date,
            reason=e.reason,
        )
        for e in world.approved_extensions(session)  # by decision day, then id
        if e.decided_on is not None and period.start <= e.decided_on <= world.day
    ]

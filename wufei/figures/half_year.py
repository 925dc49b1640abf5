"""半年观摩: the projects to visit (not done: in progress or at risk), at-risk first, each with
owners, company, place, state (light and reason) and last report."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from wufei.cadence import periods as P
from wufei.cadence.periods import PeriodKind
from wufei.chinese import week_label
from wufei.figures.cells import CellFigures
from wufei.figures.codec import absent_when_none
from wufei.figures.common import (
    Figures,
    LightCounts,
    PeriodInfo,
    PlanRef,
    TaskBrief,
    TaskWithLight,
    brief,
    plan_refs,
    with_light,
)
from wufei.figures.monthly import registry_figures
from wufei.figures.world import World, last_reports
from wufei.reports.service import local_time
from wufei.tasks.models import ListKind


@dataclass
class LastReport:
    week: str
    week_start: date
    progress: int
    done_text: str | None
    problems: str | None
    next_steps: str | None
    department: str
    late: bool
    status: str
    submitted_at: datetime


@dataclass
class Site(TaskWithLight):
    company: str | None
    place: str | None
    last_report: LastReport | None


@dataclass
class ProjectTotals:
    projects: int
    supervised: int
    without_lead: int
    to_visit: int
    by_light: LightCounts


@dataclass
class WaitingProject(TaskBrief):
    company: str | None
    deadline_raw: str | None


@dataclass
class HalfYearFigures(Figures):
    kind: str
    kind_cn: str
    period: PeriodInfo
    scope: str
    as_of: date
    lights_as_of: date
    plans: list[PlanRef]
    totals: ProjectTotals
    sites: list[Site]
    without_lead: list[WaitingProject]
    cell_registry: CellFigures | None = absent_when_none()  # none while no cell is registered


_ORDER = {"red": 0, "yellow": 1, "green": 2}


def half_year_figures(session: Session, world: World) -> HalfYearFigures:
    cadence = world.rules.cadence
    projects = [task for task in world.tasks.values() if task.list_kind == ListKind.PROJECT]
    supervised = [task for task in projects if task.id in world.lights]
    visits = [task for task in supervised if not world.done(task.id)]
    last = last_reports(session, world, task_ids=[t.id for t in visits], day=world.day)
    sites = []
    for task in sorted(visits, key=lambda t: (_ORDER[str(world.light(t.id))], world.due.get(t.id) or date.max, t.id)):
        report = last.get(task.id)
        submitted = local_time(report.submitted_at, cadence) if report else None
        sites.append(
            Site(
                **vars(with_light(world, task)),
                company=task.responsible_entity,
                place=task.place(),
                last_report=(
                    LastReport(
                        week=week_label(report.week_start),
                        week_start=report.week_start,
                        progress=report.progress,
                        done_text=report.done_text,
                        problems=report.problems,
                        next_steps=report.next_steps,
                        department=report.department.name,
                        late=report.late,
                        status=str(report.status),
                        submitted_at=submitted,
                    )
                    if report is not None and submitted is not None
                    else None
                ),
            )
        )
    by_light = LightCounts.of(Counter(world.light(t.id) for t in supervised))
    return HalfYearFigures(
        kind=str(PeriodKind.HALF_YEAR),
        kind_cn=P.KIND_NAMES[PeriodKind.HALF_YEAR],
        period=PeriodInfo.of(world.period),
        scope=world.scope,
        as_of=world.as_of,
        lights_as_of=world.day,
        plans=plan_refs(world),
        totals=ProjectTotals(
            projects=len(projects),
            supervised=len(supervised),
            without_lead=len(projects) - len(supervised),
            to_visit=len(sites),
            by_light=by_light,
        ),
        sites=sites,
        without_lead=[
            WaitingProject(**brief(t), company=t.responsible_entity, deadline_raw=t.deadline_raw)
            for t in projects
            if t.id not in world.lights
        ],
        cell_registry=registry_figures(session, world),
    )

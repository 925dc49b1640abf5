"""The cadence points as plain functions over an engine: what each Prefect flow runs.

Each run is one transaction and is safe to repeat: intents carry unique keys, light
history records only changes, figures are upserted by kind, period and scope. The day
is always given (`as_of`), so a past year can be replayed and a late run is harmless.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from wufei.cadence import figures as figure_service
from wufei.cadence import schedule
from wufei.cadence.periods import due_period
from wufei.cadence.windows import ReportingWindow, reporting_window
from wufei.calendar.service import load_calendar
from wufei.chinese import chinese_datetime, week_label, week_start
from wufei.config import load_yaml
from wufei.db import transaction, without_jit
from wufei.escalation.service import scan
from wufei.lights.service import compute_lights, record_lights
from wufei.notices.models import Audience, NoticeKind
from wufei.notices.service import create_intents
from wufei.plans.models import Jurisdiction, JurisdictionLevel, Plan
from wufei.reports.models import Report
from wufei.reports.service import compliance, missing_streaks_on, open_tasks
from wufei.tasks.milestones import ensure_milestones
from wufei.tasks.models import Role

FIGURES = {
    schedule.MONTHLY: figure_service.monthly_figures,
    schedule.QUARTERLY: figure_service.quarterly_figures,
    schedule.HALF_YEAR: figure_service.half_year_figures,
    schedule.ANNUAL: figure_service.annual_figures,
}


def cadence_config() -> dict[str, Any]:
    return load_yaml("cadence", "cadence.yaml")


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Hold the cyclic garbage collector while a scan runs. A scan keeps hundreds of thousands of
    small objects alive (rows, states, results); each time their number grows by a quarter the
    collector walks all of them again: some twenty full collections at 100,000 tasks, a third of
    the scan's Python time. Reference counting still frees everything as usual; the cycles left
    meanwhile are collected once the collector is back."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def daily_scan(engine: Engine, as_of: date, *, jurisdiction: str | None = None) -> dict[str, Any]:
    """Lights for every open task, then the escalation ladder; working days only. With
    `jurisdiction`, only the tasks of that jurisdiction's plans (and of its counties'): a province
    scans each city in its own run, several at once, and they touch disjoint rows."""
    with _no_cyclic_gc():
        return _daily_scan(engine, as_of, jurisdiction)


def _daily_scan(engine: Engine, as_of: date, jurisdiction: str | None) -> dict[str, Any]:
    with transaction(engine) as session:
        calendar = load_calendar(session)
        scope = _scoped({"as_of": as_of.isoformat()}, jurisdiction)
        if not calendar.is_workday(as_of):
            return scope | {"skipped": "非工作日"}
        without_jit(session)
        cadence = cadence_config()
        plan_ids = plans_of(session, jurisdiction)
        milestones = ensure_milestones(session, plan_ids=plan_ids)
        # The lights count the weeks closed by today, the escalation those closed by yesterday:
        # read together, each task's reports are walked once (twice on the day a week's window closes).
        yesterday = as_of - timedelta(days=1)
        streaks = missing_streaks_on(
            session, days=[as_of, yesterday], calendar=calendar, cadence=cadence, plan_ids=plan_ids
        )
        lights = compute_lights(
            session, as_of=as_of, calendar=calendar, cadence=cadence, streaks=streaks[as_of], plan_ids=plan_ids
        )
        changed = record_lights(session, as_of=as_of, results=lights)
        escalation = scan(
            session, as_of=as_of, calendar=calendar, cadence=cadence, streaks=streaks[yesterday], plan_ids=plan_ids
        )
    counts: dict[str, int] = defaultdict(int)
    for result in lights.values():
        counts[str(result.light)] += 1
    return scope | {
        "milestones_created": milestones,
        "lights": dict(counts),
        "lights_changed": changed,
        "escalation": escalation.as_dict(),
    }


def _scoped(result: dict[str, Any], jurisdiction: str | None) -> dict[str, Any]:
    return result | {"jurisdiction": jurisdiction} if jurisdiction else result


def plans_of(session: Session, jurisdiction: str | None) -> list[int] | None:
    """The plans under supervision of a jurisdiction and of the counties directly under it (a
    city's run covers its counties' plans; a province's run only its own plans, its cities run
    apart); None (every plan) without one. An unknown name is an error, not an empty scan: a
    misspelt city must not pass for a city with nothing to do."""
    if jurisdiction is None:
        return None
    found = session.scalar(select(Jurisdiction.id).where(Jurisdiction.name == jurisdiction))
    if found is None:
        raise ValueError(f"未知的行政区划：{jurisdiction}")
    counties = select(Jurisdiction.id).where(
        Jurisdiction.parent_id == found, Jurisdiction.level == JurisdictionLevel.COUNTY
    )
    return list(
        session.scalars(
            select(Plan.id)
            .where(Plan.kind == "plan", (Plan.jurisdiction_id == found) | Plan.jurisdiction_id.in_(counties))
            .order_by(Plan.id)
        )
    )


def jurisdictions_to_scan(engine: Engine, *, within: str | None = None) -> list[str]:
    """The jurisdictions a province fans out over, one run each, covering every plan once
    (`plans_of`): those with plans, less the counties whose city is among them. With `within`,
    that jurisdiction (when it has plans of its own) and those directly under it."""
    with transaction(engine) as session:
        rows = session.execute(
            select(Jurisdiction.name, Jurisdiction.level, Jurisdiction.parent_id, Jurisdiction.id).where(
                Jurisdiction.name.in_(_scopes(session))
            )
        ).all()
        with_plans = {row.id for row in rows}
        units = [row for row in rows if not (row.level == JurisdictionLevel.COUNTY and row.parent_id in with_plans)]
        if within is not None:
            parent = session.scalar(select(Jurisdiction.id).where(Jurisdiction.name == within))
            if parent is None:
                raise ValueError(f"未知的行政区划：{within}")
            units = [row for row in units if parent in (row.id, row.parent_id)]
        return sorted(row.name for row in units)


def weekly_report(engine: Engine, as_of: date, *, jurisdiction: str | None = None) -> dict[str, Any]:
    """周报送: open the window, remind the day before it closes, count the week that closed.
    With `jurisdiction`, that jurisdiction's tasks only, its figures stored under its name."""
    cadence = cadence_config()
    with transaction(engine) as session:
        calendar = load_calendar(session)
        plan_ids = plans_of(session, jurisdiction)
        this_week = week_start(as_of)
        window = reporting_window(this_week, calendar, cadence)
        result: dict[str, Any] = _scoped({"as_of": as_of.isoformat(), "week": week_label(this_week)}, jurisdiction)
        if window is not None and as_of == window.opens_on:
            result["opened"] = _window_notices(
                session, as_of, window, NoticeKind.REPORT_WINDOW_OPEN, only_unfiled=False, plan_ids=plan_ids
            )
        if window is not None and as_of == window.remind_on:
            result["reminded"] = _window_notices(
                session, as_of, window, NoticeKind.REPORT_DUE, only_unfiled=True, plan_ids=plan_ids
            )
        closed = _last_closed_week(as_of, calendar, cadence)
        if closed is not None:
            rows = compliance(
                session, week_start=closed, calendar=calendar, cadence=cadence, as_of=as_of, plan_ids=plan_ids
            )
            figure_service.store_figures(
                session,
                kind="weekly",
                period=week_label(closed),
                scope=jurisdiction or "全部",
                as_of=as_of,
                figures={"departments": rows},
            )
            result["closed"] = {
                "week": week_label(closed),
                "missing": sum(r["missing"] for r in rows),
                "late": sum(r["late"] for r in rows),
            }
    return result


def _last_closed_week(as_of: date, calendar, cadence) -> date | None:
    """The newest reporting week whose window had closed by the end of `as_of`."""
    for weeks_back in range(4):
        start = week_start(as_of) - timedelta(weeks=weeks_back)
        window = reporting_window(start, calendar, cadence)
        if window is not None and window.due_at.date() < as_of:
            return start
    return None


def _window_notices(
    session: Session,
    as_of: date,
    window: ReportingWindow,
    kind: NoticeKind,
    *,
    only_unfiled: bool,
    plan_ids: list[int] | None = None,
) -> int:
    # Keyed per department and week: a department answers to one city, so cities run apart
    # never owe the same notice.
    tasks = open_tasks(session, as_of=as_of, plan_ids=plan_ids)
    filed = set()
    if only_unfiled:
        filed = set(session.scalars(select(Report.task_id).where(Report.week_start == window.week_start)))
    by_department: dict[int, list] = defaultdict(list)
    for task in tasks:
        if task.id in filed:
            continue
        for link in task.assignments:
            if link.role == Role.LEAD:
                by_department[link.department_id].append(task)
    label = window.label
    intents = [
        {
            "key": f"{kind}|{label}|dept:{department_id}",
            "kind": str(kind),
            "step": str(kind),
            "audience": str(Audience.LIAISON),
            "department_id": department_id,
            "task_id": None,
            "period": label,
            "created_on": as_of,
            "payload": {
                "week": label,
                "week_cn": window.chinese,
                "due_at": window.due_at.isoformat(),
                "due_at_cn": chinese_datetime(window.due_at),
                "task_ids": [t.id for t in department_tasks],
                "task_titles": [t.title for t in department_tasks],
            },
        }
        for department_id, department_tasks in sorted(by_department.items())
    ]
    return len(create_intents(session, intents))


def period_run(
    engine: Engine, kind: str, as_of: date, *, force: bool = False, jurisdiction: str | None = None
) -> dict[str, Any]:
    """月调度 / 季通报 / 半年观摩 / 年终考核: on their working day, compute and store the figures
    (of every jurisdiction with plans, or of `jurisdiction` only)."""
    cadence = cadence_config()
    with transaction(engine) as session:
        calendar = load_calendar(session)
        if not force and not schedule.runs_on(kind, as_of, calendar, cadence):
            return _scoped(
                {"as_of": as_of.isoformat(), "kind": kind, "skipped": "今日不是该环节的运行日"}, jurisdiction
            )
        period = due_period(kind, as_of)
        stored = []
        if jurisdiction is not None:
            plans_of(session, jurisdiction)  # an unknown name fails here
        for scope in [jurisdiction] if jurisdiction is not None else _scopes(session):
            figures = FIGURES[kind](session, period=period, as_of=as_of, calendar=calendar, jurisdiction=scope)
            figure_service.store_figures(
                session, kind=kind, period=period.label, scope=scope, as_of=as_of, figures=figures
            )
            stored.append(scope)
    return {"as_of": as_of.isoformat(), "kind": kind, "period": period.label, "scopes": stored}


def _scopes(session: Session) -> list[str]:
    """Jurisdictions that have plans under supervision."""
    return list(
        session.scalars(
            select(Jurisdiction.name)
            .join(Plan, Plan.jurisdiction_id == Jurisdiction.id)
            .where(Plan.kind == "plan")
            .distinct()
            .order_by(Jurisdiction.name)
        )
    )

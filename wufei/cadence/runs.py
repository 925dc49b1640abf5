"""The cadence points as plain functions over an engine: what each Prefect flow runs.

Each run is one transaction and is safe to repeat: intents carry unique keys, light
history records only changes, figures are upserted by kind, period and scope. The day
is always given (`as_of`), so a past year can be replayed and a late run is harmless.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any, Iterator

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from wufei.cadence import figures as figure_service
from wufei.cadence import schedule
from wufei.cadence.periods import due_period
from wufei.cadence.windows import reporting_window, week_label, week_start
from wufei.calendar.service import load_calendar
from wufei.config import load_yaml
from wufei.db import transaction, without_jit
from wufei.escalation.service import scan
from wufei.lights.service import compute_lights, record_lights
from wufei.notices.models import Audience, NoticeKind
from wufei.notices.service import create_intents
from wufei.plans.models import Jurisdiction, Plan
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


def daily_scan(engine: Engine, as_of: date) -> dict[str, Any]:
    """Lights for every open task, then the escalation ladder; working days only."""
    with _no_cyclic_gc():
        return _daily_scan(engine, as_of)


def _daily_scan(engine: Engine, as_of: date) -> dict[str, Any]:
    with transaction(engine) as session:
        calendar = load_calendar(session)
        if not calendar.is_workday(as_of):
            return {"as_of": as_of.isoformat(), "skipped": "非工作日"}
        without_jit(session)
        cadence = cadence_config()
        milestones = ensure_milestones(session)
        # The lights count the weeks closed by today, the escalation those closed by yesterday:
        # read together, each task's reports are walked once (twice on the day a week's window closes).
        yesterday = as_of - timedelta(days=1)
        streaks = missing_streaks_on(session, days=[as_of, yesterday], calendar=calendar, cadence=cadence)
        lights = compute_lights(session, as_of=as_of, calendar=calendar, cadence=cadence, streaks=streaks[as_of])
        changed = record_lights(session, as_of=as_of, results=lights)
        escalation = scan(session, as_of=as_of, calendar=calendar, cadence=cadence, streaks=streaks[yesterday])
    counts: dict[str, int] = defaultdict(int)
    for result in lights.values():
        counts[str(result.light)] += 1
    return {"as_of": as_of.isoformat(), "milestones_created": milestones, "lights": dict(counts),
            "lights_changed": changed, "escalation": escalation.as_dict()}


def weekly_report(engine: Engine, as_of: date) -> dict[str, Any]:
    """周报送: open the window, remind the day before it closes, count the week that closed."""
    cadence = cadence_config()
    with transaction(engine) as session:
        calendar = load_calendar(session)
        this_week = week_start(as_of)
        window = reporting_window(this_week, calendar, cadence)
        result: dict[str, Any] = {"as_of": as_of.isoformat(), "week": week_label(this_week)}
        if window is not None and as_of == window.opens_on:
            result["opened"] = _window_notices(session, as_of, this_week, NoticeKind.REPORT_WINDOW_OPEN,
                                               window.due_at.isoformat(), only_unfiled=False)
        if window is not None and as_of == window.remind_on:
            result["reminded"] = _window_notices(session, as_of, this_week, NoticeKind.REPORT_DUE,
                                                 window.due_at.isoformat(), only_unfiled=True)
        closed = _last_closed_week(as_of, calendar, cadence)
        if closed is not None:
            rows = compliance(session, week_start=closed, calendar=calendar, cadence=cadence, as_of=as_of)
            figure_service.store_figures(session, kind="weekly", period=week_label(closed), scope="全部",
                                         as_of=as_of, figures={"departments": rows})
            result["closed"] = {"week": week_label(closed), "missing": sum(r["missing"] for r in rows),
                                "late": sum(r["late"] for r in rows)}
    return result


def _last_closed_week(as_of: date, calendar, cadence) -> date | None:
    """The newest reporting week whose window had closed by the end of `as_of`."""
    for weeks_back in range(0, 4):
        start = week_start(as_of) - timedelta(weeks=weeks_back)
        window = reporting_window(start, calendar, cadence)
        if window is not None and window.due_at.date() < as_of:
            return start
    return None


def _window_notices(session: Session, as_of: date, week: date, kind: NoticeKind, due_at: str,
                    *, only_unfiled: bool) -> int:
    tasks = open_tasks(session, as_of=as_of)
    filed = set()
    if only_unfiled:
        filed = set(session.scalars(select(Report.task_id).where(Report.week_start == week)))
    by_department: dict[int, list] = defaultdict(list)
    for task in tasks:
        if task.id in filed:
            continue
        for link in task.assignments:
            if link.role == Role.LEAD:
                by_department[link.department_id].append(task)
    label = week_label(week)
    intents = [{
        "key": f"{kind}|{label}|dept:{department_id}", "kind": str(kind), "step": str(kind),
        "audience": str(Audience.LIAISON), "department_id": department_id, "task_id": None,
        "period": label, "created_on": as_of,
        "payload": {"week": label, "due_at": due_at, "task_ids": [t.id for t in department_tasks],
                    "task_titles": [t.title for t in department_tasks]},
    } for department_id, department_tasks in sorted(by_department.items())]
    return len(create_intents(session, intents))


def period_run(engine: Engine, kind: str, as_of: date, *, force: bool = False) -> dict[str, Any]:
    """月调度 / 季通报 / 半年观摩 / 年终考核: on their working day, compute and store the figures."""
    cadence = cadence_config()
    with transaction(engine) as session:
        calendar = load_calendar(session)
        if not force and not schedule.runs_on(kind, as_of, calendar, cadence):
            return {"as_of": as_of.isoformat(), "kind": kind, "skipped": "今日不是该环节的运行日"}
        period = due_period(kind, as_of)
        stored = []
        for scope in _scopes(session):
            figures = FIGURES[kind](session, period=period, as_of=as_of, calendar=calendar, jurisdiction=scope)
            figure_service.store_figures(session, kind=kind, period=period.label, scope=scope, as_of=as_of,
                                         figures=figures)
            stored.append(scope)
    return {"as_of": as_of.isoformat(), "kind": kind, "period": period.label, "scopes": stored}


def _scopes(session: Session) -> list[str]:
    """Jurisdictions that have plans under supervision."""
    return list(session.scalars(select(Jurisdiction.name).join(Plan, Plan.jurisdiction_id == Jurisdiction.id)
                                .where(Plan.kind == "plan").distinct().order_by(Jurisdiction.name)))

"""The cadence as plain functions over an engine: what the CLI, `wufei cadence replay` and the
Prefect flows run, all through the same functions.

Each run is safe to repeat: intents carry unique keys, light history records only changes,
figures are upserted by kind, period and scope, bulletins are rewritten from their locked
snapshots. The day is always given (`as_of`), so a past year can be replayed and a late run is
harmless. The rules (`Ruleset`) are loaded once where the run starts and passed in.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from wufei.bulletins.render import FORMS
from wufei.cadence.config import CadenceConfig
from wufei.cadence.windows import (
    ReportingWindow,
    last_closed_weeks,
    lights_streaks,
    reporting_window,
    windows_to_remind,
)
from wufei.calendar.service import load_calendar
from wufei.calendar.workdays import WorkCalendar, unknown_year_message
from wufei.cells.reminders import remind_stalled_cells
from wufei.chinese import chinese_datetime, week_label, week_start
from wufei.db import transaction, without_jit
from wufei.escalation.service import EscalationDays, scan
from wufei.figures.store import store_figures
from wufei.indicators.reminders import remind_indicators
from wufei.lights.rules import TaskState
from wufei.lights.service import escalation_due, scan_lights, schedule_escalation, tasks_to_judge
from wufei.notices.models import Audience, NoticeKind
from wufei.notices.service import create_intents
from wufei.plans.models import Jurisdiction, JurisdictionLevel, Plan
from wufei.plans.queries import jurisdiction_named, scope_plan_ids, supervising_jurisdictions
from wufei.points import registry
from wufei.points.registry import CadencePoint, Scopes
from wufei.reports.models import Report
from wufei.reports.service import compliance, expected_rows, missing_streaks_on, open_task_leads
from wufei.ruleset import Ruleset
from wufei.tasks.milestones import ensure_milestones

if TYPE_CHECKING:
    from wufei.figures.world import World
    from wufei.points.issue import Issued

DAILY_SCAN, WEEKLY_REPORT = "daily-scan", "weekly-report"
DELIVER_NOTICES = "deliver-notices"  # not a cadence point, but fanned out like one (flows/notify.py)


def commands() -> list[str]:
    """Every cadence point that runs by itself, in the order a day's schedules fire."""
    return [DAILY_SCAN, WEEKLY_REPORT] + [point.command for point in registry.scheduled() if point.command]


def run_command(
    name: str,
    engine: Engine,
    day: date,
    *,
    rules: Ruleset,
    force: bool = False,
    jurisdiction: str | None = None,
    out_dir: Path | str | None = None,
    forms: tuple[str, ...] = FORMS,
) -> dict[str, Any]:
    """One cadence point by its command name (daily-scan, weekly-report, monthly-dispatch …)."""
    if name == DAILY_SCAN:
        return daily_scan(engine, day, rules=rules, jurisdiction=jurisdiction)
    if name == WEEKLY_REPORT:
        return weekly_report(engine, day, rules=rules, jurisdiction=jurisdiction)
    return run_point(
        engine,
        registry.point(name),
        day,
        rules=rules,
        force=force,
        jurisdiction=jurisdiction,
        out_dir=out_dir,
        forms=forms,
    )


# Up to this many tasks' streaks are read by id (an IN list); for more, every task's.
_STREAKS_BY_ID = 5000


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Hold the cyclic garbage collector while a scan or a point's worlds run. A scan keeps
    hundreds of thousands of small objects alive (rows, states, results); each time their number
    grows by a quarter the collector walks all of them again: some twenty full collections at
    100,000 tasks, a third of the scan's Python time. A city's monthly world is thousands of small
    containers: young passes over them took 0.5–0.7 ms of its 15 ms, and now and then a pass of
    the oldest generation walked the whole process (70 ms, landing in one run in fifty).
    Reference counting still frees everything as usual; the cycles left meanwhile are collected
    once the collector is back."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _scoped(result: dict[str, Any], jurisdiction: str | None) -> dict[str, Any]:
    return result | {"jurisdiction": jurisdiction} if jurisdiction else result


# --- the daily scan ----------------------------------------------------------------------------


def daily_scan(
    engine: Engine, as_of: date, *, rules: Ruleset, jurisdiction: str | None = None, full: bool = False
) -> dict[str, Any]:
    """Lights for every task, then the escalation ladder; working days only. With
    `jurisdiction`, only the tasks of the plans it answers for: a province scans each city in its
    own run, several at once, and they touch disjoint rows. The lights are judged again only for
    the tasks whose inputs changed or whose light can change with the date (`scan_lights`); with
    `full`, for every task."""
    with no_cyclic_gc():
        return _daily_scan(engine, as_of, rules, jurisdiction, full)


def _daily_scan(engine: Engine, as_of: date, rules: Ruleset, jurisdiction: str | None, full: bool) -> dict[str, Any]:
    with transaction(engine) as session:
        calendar = load_calendar(session)
        scope = _scoped({"as_of": as_of.isoformat()}, jurisdiction)
        if not calendar.is_workday(as_of):
            return scope | {"skipped": "非工作日"} | _assumed(calendar)
        without_jit(session)
        plan_ids = scope_plan_ids(session, jurisdiction)
        steps = _scan_steps(session, as_of, rules, calendar=calendar, plan_ids=plan_ids, scope=scope, full=full)
        return steps | _assumed(calendar)


def _assumed(calendar: WorkCalendar) -> dict[str, Any]:
    """The years the run counted without a known holiday arrangement, said in the run's result (its
    log line): the office has to import the notice."""
    if not calendar.unknown_years:
        return {}
    return {"calendar": [unknown_year_message(year) for year in sorted(calendar.unknown_years)]}


def _scan_steps(
    session: Session,
    as_of: date,
    rules: Ruleset,
    *,
    calendar: WorkCalendar,
    plan_ids: list[int] | None,
    scope: dict[str, Any],
    full: bool,
) -> dict[str, Any]:
    """The daily scan's steps, in the caller's transaction (`_daily_scan`)."""
    cadence = rules.cadence
    milestones = ensure_milestones(session, plan_ids=plan_ids)
    # Only the tasks whose inputs changed or whose day came are looked at (all with `full`):
    # judged again (lights), and looked at by the ladder (escalation), which also looks at
    # the tasks whose `escalate_on` came.
    fingerprints = tasks_to_judge(
        session,
        as_of=as_of,
        calendar=calendar,
        cadence=cadence,
        rules=rules.lights,
        plan_ids=plan_ids,
        full=full,
        ladder=rules.ladder,
    )
    examined = None if full else sorted(set(fingerprints) | escalation_due(session, as_of=as_of, plan_ids=plan_ids))
    # The lights count the weeks closed by today less a window due today (`lights_streaks`: not
    # missed at the morning's scan), the escalation those closed by yesterday: read together, each
    # task's reports are walked once (twice on the day a week's window closes).
    yesterday = as_of - timedelta(days=1)
    streaks = missing_streaks_on(
        session,
        days=[as_of, yesterday],
        calendar=calendar,
        cadence=cadence,
        plan_ids=plan_ids,
        task_ids=examined if examined is not None and len(examined) <= _STREAKS_BY_ID else None,
    )
    rolls_over = rules.lights.deadline_rolls_over_holidays
    days = EscalationDays(as_of=as_of, calendar=calendar, ladder=rules.ladder, cadence=cadence, rolls_over=rolls_over)

    def escalate_on(state: TaskState) -> date | None:  # the escalation's, for an open task
        if state.awaiting or (state.completed_on is not None and state.completed_on <= as_of):
            return None
        return days.next_on(state.due, before_plan=state.due is not None and state.due < state.start)

    lights = scan_lights(
        session,
        as_of=as_of,
        calendar=calendar,
        cadence=cadence,
        rules=rules.lights,
        streaks=lights_streaks(streaks[as_of], as_of, calendar, cadence),
        plan_ids=plan_ids,
        fingerprints=fingerprints,
        escalate_on=escalate_on,
    )
    escalation = scan(
        session,
        as_of=as_of,
        calendar=calendar,
        ladder=rules.ladder,
        cadence=cadence,
        streaks=streaks[yesterday],
        plan_ids=plan_ids,
        task_ids=examined,
        rolls_over=rolls_over,
    )
    # The judged tasks' states carry their day already; the others looked at (their day came)
    # get the next one. Those not open (completed, awaiting a lead) wait for an input change.
    if examined is not None:
        looked = dict.fromkeys(examined) | escalation.next_on
        schedule_escalation(session, {t: day for t, day in looked.items() if t not in lights.judged_ids})
    beside = _indicators_and_cells(session, as_of, calendar=calendar, rules=rules, plan_ids=plan_ids)
    return scope | {
        "milestones_created": milestones,
        "lights": lights.counts,
        "lights_judged": lights.judged,
        "lights_changed": lights.changed,
        "escalation": escalation.as_dict(),
        **beside,
    }


def _indicators_and_cells(
    session: Session, as_of: date, *, calendar: WorkCalendar, rules: Ruleset, plan_ids: list[int] | None
) -> dict[str, Any]:
    """The scan's step beside the task ladder: indicator values due, overdue or behind their
    trajectory (the ladder's indicator steps), and 无废细胞 stalled in a state (categories.yaml)."""
    indicators = remind_indicators(
        session,
        as_of=as_of,
        calendar=calendar,
        ladder=rules.ladder,
        tracking=rules.tracking,
        cadence=rules.cadence,
        plan_ids=plan_ids,
    )
    cities = (
        None if plan_ids is None else set(session.scalars(select(Plan.jurisdiction_id).where(Plan.id.in_(plan_ids))))
    )
    cells = remind_stalled_cells(session, as_of=as_of, rules=rules.cells, jurisdiction_ids=cities)
    return {"indicator_reminders": indicators.as_dict(), "cell_reminders": cells.as_dict()}


def jurisdictions_to_scan(engine: Engine, *, within: str | None = None) -> list[str]:
    """The jurisdictions a province fans out over, one run each, covering every plan once
    (wufei.plans.queries.scope_plans): those with plans, less the counties whose city is among
    them. With `within`, that jurisdiction (when it has plans of its own) and those directly
    under it."""
    with transaction(engine) as session:
        rows = session.execute(
            select(Jurisdiction.name, Jurisdiction.level, Jurisdiction.parent_id, Jurisdiction.id).where(
                Jurisdiction.name.in_(supervising_jurisdictions(session))
            )
        ).all()
        with_plans = {row.id for row in rows}
        units = [row for row in rows if not (row.level == JurisdictionLevel.COUNTY and row.parent_id in with_plans)]
        if within is not None:
            parent = jurisdiction_named(session, within).id
            units = [row for row in units if parent in (row.id, row.parent_id)]
        return sorted(row.name for row in units)


# --- fanned out over a province or the nation ----------------------------------------------------


@dataclass(frozen=True)
class FanOut:
    """The runs a fan-out of one cadence command starts on `day`: one per jurisdiction, with its
    parameters, or none and why (`skipped`)."""

    command: str
    day: date
    runs: dict[str, dict[str, Any]] = field(default_factory=dict)  # jurisdiction → the run's parameters
    skipped: str | None = None


def fan_out(
    engine: Engine, command: str, day: date, *, rules: Ruleset, within: str | None = None, force: bool = False
) -> FanOut:
    """One run of `command` per jurisdiction (`jurisdictions_to_scan`: every plan in exactly one
    run; `within` a province: its cities and its own plans). Nothing on a day the command would
    skip anyway (a daily scan on a rest day, a period point off its run day unless `force`), so a
    nation's pool does not start three hundred runs to do nothing."""
    daily = (DAILY_SCAN, WEEKLY_REPORT, DELIVER_NOTICES)
    if command not in daily and command not in commands():  # the registry (every bulletin builder) only if needed
        raise ValueError(f"unknown cadence command {command!r} (one of {', '.join([*commands(), DELIVER_NOTICES])})")
    with transaction(engine) as session:
        calendar = load_calendar(session)
        if command == DAILY_SCAN and not calendar.is_workday(day):
            return FanOut(command, day, skipped="非工作日")
        point = None if command in daily else registry.point(command)
        if point is not None and not force and not point.runs_on(day, calendar, rules.cadence):
            return FanOut(command, day, skipped="今日不是该环节的运行日")
    parameters: dict[str, Any] = {"as_of": day.isoformat()} | ({"force": True} if point is not None and force else {})
    return FanOut(
        command,
        day,
        runs={name: parameters | {"jurisdiction": name} for name in jurisdictions_to_scan(engine, within=within)},
    )


def issue_rollups(
    engine: Engine,
    command: str,
    day: date,
    *,
    rules: Ruleset,
    within: str | None = None,
    out_dir: Path | str | None = None,
    forms: tuple[str, ...] = FORMS,
) -> list[Issued]:
    """The province roll-ups a period point's unscoped run issues after its own bulletins (each
    province, or `within`), for a fan-out whose city runs have all completed: the city runs,
    scoped, leave them out."""
    if command in (DAILY_SCAN, WEEKLY_REPORT, DELIVER_NOTICES):
        return []
    from wufei.points.issue import issue_bulletins, scopes  # bulletins: not for a daily scan's process

    point = registry.point(command)
    issued: list[Issued] = []
    for follower in registry.followers(point.name):
        if follower.scopes is not Scopes.PROVINCES:
            continue
        with transaction(engine) as session:
            provinces = scopes(session, follower)
        if within is None or within in provinces:  # a city fanned out alone has no roll-up
            issued += issue_bulletins(
                engine,
                follower,
                period=point.due_period(day),
                rules=rules,
                out_dir=out_dir,
                jurisdiction=within,
                figures_as_of=day,
                notify_on=day,
                forms=forms,
            )
    return issued


# --- the weekly report -------------------------------------------------------------------------


def weekly_report(engine: Engine, as_of: date, *, rules: Ruleset, jurisdiction: str | None = None) -> dict[str, Any]:
    """周报送: open the window, remind the day before it closes, count the week that closed.
    With `jurisdiction`, that jurisdiction's tasks only, its figures stored under its name."""
    cadence = rules.cadence
    with transaction(engine) as session:
        calendar = load_calendar(session)
        plan_ids = scope_plan_ids(session, jurisdiction)
        this_week = week_start(as_of)
        window = reporting_window(this_week, calendar, cadence)
        result: dict[str, Any] = _scoped({"as_of": as_of.isoformat(), "week": week_label(this_week)}, jurisdiction)
        if window is not None and as_of == window.opens_on:
            result["opened"] = _window_notices(
                session, as_of, window, NoticeKind.REPORT_WINDOW_OPEN, cadence, only_unfiled=False, plan_ids=plan_ids
            )
        reminded = [
            _window_notices(session, as_of, due, NoticeKind.REPORT_DUE, cadence, only_unfiled=True, plan_ids=plan_ids)
            for due in windows_to_remind(as_of, calendar, cadence)
        ]
        if reminded:
            result["reminded"] = sum(reminded)
        # Every week that closed yesterday: two close together when a holiday moved one's due day.
        for closed in last_closed_weeks(as_of - timedelta(days=1), calendar, cadence):
            rows = compliance(
                session, week_start=closed, calendar=calendar, cadence=cadence, as_of=as_of, plan_ids=plan_ids
            )
            store_figures(
                session,
                kind="weekly",
                period=week_label(closed),
                scope=jurisdiction or "全部",
                as_of=as_of,
                figures={"departments": rows},
            )
            if "closed" in result:
                result.setdefault("also_closed", []).append(result["closed"])
            result["closed"] = {
                "week": week_label(closed),
                "missing": sum(r["missing"] for r in rows),
                "late": sum(r["late"] for r in rows),
            }
    return result


def _window_notices(
    session: Session,
    as_of: date,
    window: ReportingWindow,
    kind: NoticeKind,
    cadence: CadenceConfig,
    *,
    only_unfiled: bool,
    plan_ids: list[int] | None = None,
) -> int:
    # Keyed per department and week: a department answers to one city, so cities run apart
    # never owe the same notice.
    filed = set()
    if only_unfiled:
        filed = set(session.scalars(select(Report.task_id).where(Report.week_start == window.week_start)))
    # Only the tasks owed this week's report: their plan's reporting has begun (its start, never
    # before cadence.yaml's reporting_since), as the missing-report counts have it.
    owed = {
        row.task_id
        for row in expected_rows(session, cadence=cadence, open_on=as_of, plan_ids=plan_ids)
        if row.start <= window.week_start
    }
    by_department: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for task_id, title, department_id in open_task_leads(session, as_of=as_of, plan_ids=plan_ids):
        if task_id not in filed and task_id in owed:
            by_department[department_id].append((task_id, title))
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
                "task_ids": [task_id for task_id, _ in department_tasks],
                "task_titles": [title for _, title in department_tasks],
            },
        }
        for department_id, department_tasks in sorted(by_department.items())
    ]
    return len(create_intents(session, intents))


# --- the periodic points (月调度、季通报、半年观摩、年终考核) -------------------------------------------


def run_point(
    engine: Engine,
    point: CadencePoint,
    as_of: date,
    *,
    rules: Ruleset,
    force: bool = False,
    jurisdiction: str | None = None,
    out_dir: Path | str | None = None,
    forms: tuple[str, ...] = FORMS,
) -> dict[str, Any]:
    """On the point's working day (or any day with `force`): the period's world of every
    jurisdiction with plans (or of `jurisdiction`), built once, its figures computed and stored,
    then the bulletins issued from the same worlds (`wufei.points.issue.issue_run`: into
    `out_dir`, default WUFEI_BULLETIN_DIR)."""
    from wufei.points.issue import issue_run, world_for  # bulletins: not for a daily scan's process

    skipped = {"as_of": as_of.isoformat(), "kind": point.name, "skipped": "今日不是该环节的运行日"}
    if not force and not point.may_run_on(as_of, rules.cadence):  # whatever the calendar: not read
        return _scoped(skipped, jurisdiction)
    with no_cyclic_gc(), transaction(engine) as session:  # the worlds and their figures; not the bulletins
        calendar = load_calendar(session)
        if not force and not point.runs_on(as_of, calendar, rules.cadence):
            return _scoped(skipped, jurisdiction)
        period = point.due_period(as_of)
        if jurisdiction is not None:
            jurisdiction_named(session, jurisdiction)  # an unknown name fails here
        worlds: dict[str, World] = {}
        for scope in [jurisdiction] if jurisdiction is not None else supervising_jurisdictions(session):
            world = world_for(session, point, scope=scope, period=period, as_of=as_of, calendar=calendar, rules=rules)
            if not world.plans:
                continue  # no plan issued by the period's end (a month before the plan): nothing to report
            store_figures(
                session,
                kind=point.name,
                period=period.label,
                scope=scope,
                as_of=as_of,
                figures=point.figures(session, world),
            )
            worlds[scope] = world
    issued = issue_run(
        engine,
        point,
        period=period,
        as_of=as_of,
        rules=rules,
        out_dir=out_dir,
        jurisdiction=jurisdiction,
        worlds=worlds,
        forms=forms,
    )
    return {
        "as_of": as_of.isoformat(),
        "kind": point.name,
        "period": period.label,
        "scopes": list(worlds),
        "bulletins": [str(path) for item in issued for path in item.paths],
    }

"""What the pages show, gathered from the domain services (no rules of its own).

Each function takes a Session and plain arguments and returns plain data for a template.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from wufei.cadence import periods
from wufei.cadence.config import CadenceConfig
from wufei.cadence.windows import reporting_window
from wufei.calendar.service import load_calendar
from wufei.cells.rules import CellRules
from wufei.chinese import WeekError, chinese_date, chinese_week, parse_week, week_start
from wufei.departments.models import Department, DepartmentAlias
from wufei.departments.naming import qualified_name
from wufei.doubts.service import count_open
from wufei.extensions.models import Extension, ExtensionStatus
from wufei.extensions.service import effective_due_dates, list_extensions
from wufei.figures.cells import cell_figures
from wufei.indicators.models import Indicator, IndicatorDepartment
from wufei.indicators.reporting import TrackSummary, filed_by, tracks
from wufei.indicators.service import WITH_PLAN_VALUES_OWNERS
from wufei.indicators.status import indicator_status
from wufei.indicators.trajectory import TrackingRules
from wufei.lights.rules import OVERDUE, LightResult, LightRules
from wufei.lights.service import compute_lights, count_lights, light_history
from wufei.notices.models import Audience, NoticeIntent, NoticeKind
from wufei.notices.service import KIND_NAMES, list_intents
from wufei.plans.models import Jurisdiction, Plan, PlanKind
from wufei.plans.queries import scope_plan_ids
from wufei.reports.models import Report, ReportInput, ReportStatus
from wufei.reports.service import (
    STATUS_NAMES,
    compliance,
    last_answers,
    latest_progress,
    list_reports,
    open_tasks,
    status_then,
)
from wufei.tasks.ledger_status import with_ledger
from wufei.tasks.milestones import list_milestones
from wufei.tasks.models import LIST_NAMES, Role, Task, TaskDepartment
from wufei.tasks.service import list_tasks

DEADLINE_KIND_NAMES = {"ongoing": "持续推进", "annual": "每年年底"}
ROLE_NAMES = {"lead": "牵头", "supporting": "配合", "implementer": "落实"}
INDICATOR_OFF_TRACK_SHOWN = 15
BULLETINS_SHOWN = 12


def names(task: Task, role: Role) -> list[str]:
    return [a.department.name for a in task.assignments if a.role == role]


def deadline_text(task: Task, due: date | None = None) -> str:
    due = due or task.due_date
    if due is not None:
        return chinese_date(due)
    return DEADLINE_KIND_NAMES.get(task.deadline_kind, task.deadline_raw or "—")


def list_number(task: Task) -> str:
    """`监管体系 3`: the list and the number in it (numbers restart in each list)."""
    return f"{LIST_NAMES[task.list_kind]} {task.number}"


def task_row(
    task: Task,
    light: LightResult | None,
    *,
    due: date | None = None,
    progress: tuple[int, date] | None = None,
    as_of: date | None = None,
) -> dict[str, Any]:
    """A task as the lists show it; `progress`: its newest report's, else (given `as_of`) the
    percentage its imported ledger gave (`with_ledger`), marked as the ledger's."""
    shown = with_ledger(progress, task.ledger_progress, task.ledger_progress_on, as_of) if as_of else progress
    return {
        "id": task.id,
        "title": task.title,
        "number": list_number(task),
        "plan": task.plan.doc_number or task.plan.title,
        "leads": names(task, Role.LEAD),
        "supporting": names(task, Role.SUPPORTING),
        "deadline": deadline_text(task, due),
        "light": str(light.light) if light else None,
        "reason": light.reason if light else "不纳入亮灯（非方案任务）",
        "progress": shown[0] if shown else None,
        "progress_ledger": shown is not None and shown is not progress,  # the ledger's figure, no report
    }


def _tasks(session: Session, task_ids: list[int]) -> dict[int, Task]:
    if not task_ids:
        return {}
    return {
        t.id: t
        for t in session.scalars(
            select(Task)
            .where(Task.id.in_(task_ids))
            .options(selectinload(Task.plan), selectinload(Task.assignments).selectinload(TaskDepartment.department))
        )
    }


# --- the office's and leaders' dashboard -----------------------------------------------------


def jurisdictions(session: Session) -> list[str]:
    """The places whose plans are supervised (衡水市, 保定市 …), for the dashboard's scope links."""
    return list(
        session.scalars(
            select(Jurisdiction.name)
            .join(Plan, Plan.jurisdiction_id == Jurisdiction.id)
            .where(Plan.kind == PlanKind.PLAN)
            .distinct()
            .order_by(Jurisdiction.name)
        )
    )


def dashboard(
    session: Session,
    *,
    today: date,
    cadence: CadenceConfig,
    light_rules: LightRules,
    bulletins_dir: Path,
    jurisdiction: str | None = None,
    tracking_rules: TrackingRules | None = None,
    cell_rules: CellRules | None = None,
) -> dict[str, Any]:
    """Lights overall and by lead department, overdue and newly red tasks, this week's missing
    reports, indicators, bulletins and the imported fields awaiting confirmation (待确认);
    `jurisdiction` limits it to the plans it answers for."""
    calendar = load_calendar(session)
    try:
        plan_ids = scope_plan_ids(session, jurisdiction)
    except ValueError:  # a place the portal does not know has no plans: an empty dashboard
        plan_ids = []
    lights = compute_lights(
        session, as_of=today, calendar=calendar, cadence=cadence, rules=light_rules, plan_ids=plan_ids
    )
    week_ago = compute_lights(
        session,
        as_of=today - timedelta(days=7),
        calendar=calendar,
        cadence=cadence,
        rules=light_rules,
        task_ids=list(lights),
    )
    tasks = _tasks(session, list(lights))
    due = effective_due_dates(session, as_of=today, task_ids=list(lights))

    by_department: dict[int, Counter] = defaultdict(Counter)
    department_names: dict[int, str] = {}
    place_names: dict[int, str] = dict(session.execute(select(Jurisdiction.id, Jurisdiction.name)).tuples().all())
    places: dict[int, str] = {}  # department id → its place (the same names recur: 市生态环境局)
    for task in tasks.values():
        for link in task.assignments:
            if link.role == Role.LEAD:
                by_department[link.department_id][str(lights[task.id].light)] += 1
                department_names[link.department_id] = link.department.name
                places[link.department_id] = place_names.get(link.department.jurisdiction_id, "")
    departments: list[dict[str, Any]] = [
        {
            "id": d,
            "name": department_names[d],
            "place": places[d],
            "red": c["red"],
            "yellow": c["yellow"],
            "green": c["green"],
            "done": c["done"],
            "total": sum(c.values()),
        }
        for d, c in by_department.items()
    ]
    departments.sort(key=lambda r: (-r["red"], -r["yellow"], -r["total"], r["name"]))

    def rows(ids):
        ids = list(ids)
        progress = latest_progress(session, as_of=today, cadence=cadence, task_ids=ids)
        return sorted(
            (task_row(tasks[i], lights[i], due=due.get(i), progress=progress.get(i), as_of=today) for i in ids),
            key=lambda r: (r["deadline"], r["id"]),
        )

    overdue = rows(i for i, r in lights.items() if OVERDUE in r.rules)
    newly_red = rows(
        i for i, r in lights.items() if r.light == "red" and (i not in week_ago or week_ago[i].light != "red")
    )

    monday = week_start(today)
    window = reporting_window(monday, calendar, cadence)
    reporting = (
        [
            {**row, "place": places.get(row["department_id"], "")}
            for row in compliance(session, week_start=monday, calendar=calendar, cadence=cadence, as_of=today)
            if row["missing"] and row["department_id"] in by_department
        ]
        if window
        else []
    )
    return {
        "counts": count_lights(lights),
        "total": len(lights),
        "departments": departments,
        "overdue": overdue,
        "newly_red": newly_red,
        "week_start": monday,
        "window": window,
        "missing": reporting,
        "missing_total": sum(r["missing"] for r in reporting),
        "indicators": indicators(session, year=today.year, plan_ids=plan_ids),
        "tracking": indicator_tracking(
            session, today=today, plan_ids=plan_ids, rules=tracking_rules or TrackingRules(), cadence=cadence
        ),
        "cells": cell_figures(
            session,
            jurisdiction=jurisdiction,
            day=today,
            rules=cell_rules or CellRules(),
            indicators=list(
                session.scalars(
                    select(Indicator).where(Indicator.plan_id.in_(plan_ids))
                    if plan_ids is not None
                    else select(Indicator)
                )
            ),
        ),
        "bulletins": bulletins(bulletins_dir, today=today),
        "jurisdiction": jurisdiction,
        "jurisdictions": jurisdictions(session),
        "doubts_open": count_open(session, plan_ids=plan_ids),
        "waiting": waiting_for_office(session, until=cadence.end_of_day(today)),
        "awaiting": sum(1 for t in tasks.values() if t.awaiting_assignment or not names(t, Role.LEAD)),
        "attention": [d for d in departments if d["red"] or d["yellow"]],
        "quiet": [d for d in departments if not (d["red"] or d["yellow"])],
    }


def indicators(
    session: Session, *, year: int, plan_ids: list[int] | None = None, accepted_only: bool = False
) -> dict[str, Any]:
    """The indicators' status in `year` on every value known now (the public page: `accepted_only`,
    no reported value the office has not accepted)."""
    query = (
        select(Indicator)
        .join(Plan, Plan.id == Indicator.plan_id)
        .where(Plan.kind == PlanKind.PLAN)
        .options(
            selectinload(Indicator.values),
            selectinload(Indicator.assignments).selectinload(IndicatorDepartment.department),
        )
        .order_by(Indicator.plan_id, Indicator.id)
    )
    if plan_ids is not None:
        query = query.where(Plan.id.in_(plan_ids))
    listed = list(session.scalars(query))
    reports = filed_by(session, [i.id for i in listed], None)
    rows = [indicator_status(i, year, reports[i.id], accepted_only=accepted_only) for i in listed]
    statuses = Counter(row.status_cn for row in rows)
    return {
        "year": year,
        "total": len(rows),
        "on_track": sum(1 for r in rows if r.on_track is True),
        "off_track": sum(1 for r in rows if r.on_track is False),
        "statuses": statuses.most_common(),
        "off_track_items": [r for r in rows if r.on_track is False][:INDICATOR_OFF_TRACK_SHOWN],
        "items": rows,
    }


def indicator_tracking(
    session: Session, *, today: date, plan_ids: list[int] | None, rules: TrackingRules, cadence: CadenceConfig
) -> dict[str, Any]:
    """From reported values: how many indicators are behind their trajectory or overdue, and which."""
    query = select(Indicator).join(Plan, Plan.id == Indicator.plan_id).where(Plan.kind == PlanKind.PLAN)
    if plan_ids is not None:
        query = query.where(Plan.id.in_(plan_ids))
    listed = list(session.scalars(query.options(*WITH_PLAN_VALUES_OWNERS).order_by(Indicator.plan_id, Indicator.id)))
    rows = tracks(session, listed, as_of=today, rules=rules, reporting_since=cadence.weekly.reporting_since)
    behind = [r for r in rows if r.standing in ("behind", "overdue")]
    return {"summary": TrackSummary.of(rows), "behind": behind[:INDICATOR_OFF_TRACK_SHOWN]}


FORMS = {".docx": "Word", ".html": "网页", ".md": "Markdown", ".xlsx": "Excel"}


def bulletins(folder: Path, *, today: date, shown: int | None = BULLETINS_SHOWN) -> list[dict[str, Any]]:
    """The newest documents under the bulletins folder (written by the bulletins package): one
    entry per document, titled by its Markdown heading, with its forms (Word, 网页, Markdown, and
    the Excel annex `<stem>-annex.xlsx`) as downloads. Charts are inside the documents. Only those
    of periods over before `today` (`issued_by`): a replay day's page lists no later bulletin."""
    if not folder.is_dir():
        return []
    files = [
        p
        for p in folder.rglob("*")
        if p.is_file() and p.suffix in FORMS and not p.name.startswith(".") and issued_by(p, today)
    ]
    documents: dict[Path, list[Path]] = {}
    for path in files:
        stem = (
            path.with_name(path.name.removesuffix("-annex.xlsx"))
            if path.name.endswith("-annex.xlsx")
            else path.with_suffix("")
        )
        documents.setdefault(stem, []).append(path)
    newest = sorted(documents.items(), key=lambda item: max(p.stat().st_mtime for p in item[1]), reverse=True)
    return [
        {
            "title": _bulletin_title(stem),
            "place": stem.parent.relative_to(folder).as_posix().strip("."),
            "forms": [
                {
                    "label": "Excel附件" if p.name.endswith("-annex.xlsx") else FORMS[p.suffix],
                    "path": p.relative_to(folder).as_posix(),
                    "size": p.stat().st_size,
                }
                for p in sorted(paths, key=lambda p: list(FORMS).index(p.suffix))
            ],
        }
        for stem, paths in newest[:shown]
    ]


def _bulletin_title(stem: Path) -> str:
    markdown = stem.with_suffix(".md")
    if markdown.is_file():
        with markdown.open(encoding="utf-8") as lines:
            for line in lines:
                if line.startswith("# "):
                    return line[2:].strip()
    return stem.name


def download_name(path: Path) -> str:
    """The name a bulletin file downloads as: the document's Chinese title (its Markdown heading)
    with the form's suffix, the Excel annex marked 附件 (衡水市“无废城市”建设2023年度考核结果.docx);
    the file's own name when no title is found."""
    annex = path.name.endswith("-annex.xlsx")
    stem = path.with_name(path.name.removesuffix("-annex.xlsx")) if annex else path.with_suffix("")
    title = _bulletin_title(stem)
    if title == stem.name:
        return path.name
    title = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", title)  # what no file system takes
    return f"{title}（附件）.xlsx" if annex else f"{title}{path.suffix}"


def bulletin_file(folder: Path, relative: str, *, today: date) -> Path | None:
    """The file `relative` names inside the folder, or None (never a path outside it, nor a
    bulletin of a period not over before `today`)."""
    root = folder.resolve()
    target = (root / relative).resolve()
    if not target.is_relative_to(root) or not target.is_file() or not issued_by(target, today):
        return None
    return target


# The period in a bulletin file's name (wufei.bulletins.render.file_stem): monthly-2024-05,
# quarterly-2024-Q2, half-year-2024-H1, annual-2024, their annex and charts (monthly-2024-05-lights.png).
_BULLETIN_PERIOD = re.compile(r"(?:^|-)(\d{4}(?:-(?:\d{2}|Q[1-4]|H[12]|W\d{2}))?)(?=-|\.|$)")


def issued_by(path: Path, today: date) -> bool:
    """Whether the bulletin file could exist on `today`: its period is over by then (a bulletin is
    written after its period). A name without a period says nothing: shown."""
    found = _BULLETIN_PERIOD.search(path.name)
    if found is None:
        return True
    try:
        return periods.parse(found[1]).end < today
    except periods.PeriodError:
        return True


# --- tasks and departments -------------------------------------------------------------------


def task_detail(
    session: Session,
    *,
    task: Task,
    today: date,
    cadence: CadenceConfig,
    light_rules: LightRules,
    department_id: int | None,
) -> dict[str, Any]:
    """A task page; `department_id` limits reports and inputs to one department (a liaison's view)."""
    calendar = load_calendar(session)
    light = compute_lights(
        session, as_of=today, calendar=calendar, cadence=cadence, rules=light_rules, task_ids=[task.id]
    ).get(task.id)
    due = effective_due_dates(session, as_of=today, task_ids=[task.id]).get(task.id)
    until = cadence.end_of_day(today)  # a replay day's page shows nothing filed later
    reports = list_reports(
        session,
        task_id=task.id,
        department_ids=[department_id] if department_id is not None else None,
        filed_before=until,
    )
    inputs = list(
        session.scalars(
            select(ReportInput)
            .options(selectinload(ReportInput.department))
            .where(ReportInput.task_id == task.id, ReportInput.submitted_at < until.astimezone(UTC))
            .order_by(ReportInput.week_start.desc())
        )
    )
    if department_id is not None:
        inputs = [i for i in inputs if i.department_id == department_id]
    return {
        "task": task,
        "row": task_row(task, light, due=due),
        "history": light_history(session, task_id=task.id, until=today),
        "milestones": list_milestones(session, task_ids=[task.id]),
        "extensions": list_extensions(
            session,
            task_ids=[task.id],
            department_ids=[department_id] if department_id is not None else None,
            until=today,
        ),
        "reports": sorted(reports, key=lambda r: (r.week_start, r.version), reverse=True),
        "inputs": list(inputs),
        "status_names": STATUS_NAMES,
        "owners": [(a.department, ROLE_NAMES.get(a.role, a.role)) for a in task.assignments],
    }


def department_tasks(
    session: Session, *, department_id: int, today: date, cadence: CadenceConfig, light_rules: LightRules
) -> dict[str, list[dict[str, Any]]]:
    """The department's tasks as lead and as supporting, with light, reason and latest progress."""
    tasks = list_tasks(session, department_ids=[department_id])
    ids = [t.id for t in tasks]
    calendar = load_calendar(session)
    lights = compute_lights(session, as_of=today, calendar=calendar, cadence=cadence, rules=light_rules, task_ids=ids)
    due = effective_due_dates(session, as_of=today, task_ids=ids)
    progress = latest_progress(session, as_of=today, cadence=cadence, task_ids=ids)
    result: dict[str, list[dict[str, Any]]] = {"lead": [], "supporting": []}
    order = {"red": 0, "yellow": 1, "green": 2, "done": 3, None: 4}
    for task in tasks:
        roles = {a.role for a in task.assignments if a.department_id == department_id}
        role = "lead" if Role.LEAD in roles else "supporting" if Role.SUPPORTING in roles else None
        if role is None or task.plan.kind != PlanKind.PLAN:
            continue
        result[role].append(
            task_row(task, lights.get(task.id), due=due.get(task.id), progress=progress.get(task.id), as_of=today)
        )
    for rows in result.values():
        rows.sort(key=lambda r: (order[r["light"]], r["id"]))
    return result


def department_reporting(
    session: Session, *, department_id: int, today: date, cadence: CadenceConfig, weeks: int = 6
) -> list[dict[str, Any]]:
    """The department's reporting in the last few weeks (expected, on time, late, missing)."""
    calendar = load_calendar(session)
    rows = []
    monday = week_start(today)
    for offset in range(weeks):
        week = monday - timedelta(days=7 * offset)
        found = next(
            (
                r
                for r in compliance(session, week_start=week, calendar=calendar, cadence=cadence, as_of=today)
                if r["department_id"] == department_id
            ),
            None,
        )
        if found is not None:
            rows.append({**found, "week_start": week})
    return rows


ASSIGN_MATCHES_SHOWN = 30


def search_task_place_departments(session: Session, *, task_id: int, text: str) -> list[Department]:
    """Departments of the task's plan's place (not the leadership group) whose name or alias holds
    `text` (市商务局, 商务, an alias), for the office to pick owners from without a list of every unit."""
    text = text.strip()
    if not text:
        return []
    place = select(Plan.jurisdiction_id).join(Task, Task.plan_id == Plan.id).where(Task.id == task_id)
    named = Department.name.contains(text, autoescape=True) | Department.aliases.any(
        DepartmentAlias.alias.contains(text, autoescape=True)
    )
    return list(
        session.scalars(
            select(Department)
            .where(
                Department.jurisdiction_id.in_(place),
                Department.kind.not_in(["group", "unknown"]),
                Department.merged_into_id.is_(None),  # retired: merged into another unit
                named,
            )
            .options(selectinload(Department.jurisdiction))
            .order_by(Department.name)
            .limit(ASSIGN_MATCHES_SHOWN)
        )
    )


def unstored_place_units(session: Session, *, task_id: int, text: str) -> list[str]:
    """Names of the units the registry knows in the task's place (its file, the standard agencies
    for its level) that hold `text` and are not stored yet: a place whose plan named no units has
    none to pick, and the office types one of these (stored when the task is assigned to it)."""
    from wufei.departments.registry import Registry

    text, place = text.strip(), task_place(session, task_id)
    if not text or place is None:
        return []
    stored = set(session.scalars(select(Department.name).where(Department.jurisdiction_id == place.id)))
    return [
        unit.name
        for unit in Registry.load().place_units(place.name)
        if unit.name not in stored and (text in unit.name or any(text in alias for alias in unit.aliases))
    ][:ASSIGN_MATCHES_SHOWN]


def task_place(session: Session, task_id: int) -> Jurisdiction | None:
    """The place of the task's plan."""
    return session.scalar(
        select(Jurisdiction)
        .join(Plan, Plan.jurisdiction_id == Jurisdiction.id)
        .join(Task, Task.plan_id == Plan.id)
        .where(Task.id == task_id)
    )


def departments_of_task_place(session: Session, task_id: int) -> set[int]:
    """Departments of the place whose plan the task belongs to."""
    place = select(Plan.jurisdiction_id).join(Task, Task.plan_id == Plan.id).where(Task.id == task_id)
    return set(session.scalars(select(Department.id).where(Department.jurisdiction_id.in_(place))))


_LEVEL_ORDER = {"province": 0, "city": 1, "county": 2}


def departments_overview(session: Session) -> list[dict[str, Any]]:
    """The units owning tasks, by place (a province before its cities, a city before its
    counties): an office supervising several places has a 市生态环境局 in each."""
    led = select(TaskDepartment.department_id).where(TaskDepartment.role.in_([Role.LEAD, Role.SUPPORTING]))
    units = session.scalars(
        select(Department).where(Department.id.in_(led)).options(selectinload(Department.jurisdiction))
    )
    places: dict[int, dict[str, Any]] = {}
    for unit in units:
        place = unit.jurisdiction
        group = places.setdefault(place.id, {"place": place.name, "level": place.level, "departments": []})
        group["departments"].append(unit)
    for group in places.values():
        group["departments"].sort(key=lambda unit: unit.name)
    return sorted(places.values(), key=lambda group: (_LEVEL_ORDER.get(group["level"], 3), group["place"]))


# --- a liaison's weekly report ---------------------------------------------------------------


def report_form(
    session: Session, *, department_id: int, week: date, today: date, cadence: CadenceConfig, light_rules: LightRules
) -> dict[str, Any]:
    """The week's form: every open task the department leads (prefilled from its last answer, or
    showing this week's report when already filed) and every task it supports (配合情况)."""
    calendar = load_calendar(session)
    as_of = max(today, week)
    lead_tasks = open_tasks(session, as_of=as_of, department_id=department_id)
    answers = last_answers(
        session, department_id=department_id, task_ids=[t.id for t in lead_tasks], as_of=as_of, cadence=cadence
    )
    until = cadence.end_of_day(today)  # a replay day's form shows nothing filed later
    this_week = {
        r.task_id: r for r in list_reports(session, week_start=week, department_ids=[department_id], filed_before=until)
    }  # the latest version wins
    lights = compute_lights(
        session, as_of=today, calendar=calendar, cadence=cadence, rules=light_rules, task_ids=[t.id for t in lead_tasks]
    )
    rows = []
    for task in lead_tasks:
        last, filed = answers.get(task.id), this_week.get(task.id)
        state = "open" if filed is None else "returned" if filed.status == ReportStatus.RETURNED else "filed"
        rows.append(
            {
                "task": task,
                "row": task_row(task, lights.get(task.id)),
                "last": last,
                "filed": filed,
                "state": state,
                "status_cn": STATUS_NAMES[ReportStatus(filed.status)] if filed else None,
            }
        )

    supported = [
        t
        for t in list_tasks(session, department_ids=[department_id], role=Role.SUPPORTING)
        if t.plan.kind == PlanKind.PLAN
        and not t.awaiting_assignment
        and (t.completed_on is None or t.completed_on >= week)
    ]
    inputs = {
        i.task_id: i
        for i in session.scalars(
            select(ReportInput).where(ReportInput.week_start == week, ReportInput.department_id == department_id)
        )
    }
    support_rows = [{"task": t, "input": inputs.get(t.id)} for t in supported]
    returned = [
        r
        for r in list_reports(session, department_ids=[department_id], status=ReportStatus.RETURNED, filed_before=until)
        if _latest_is(session, r, until)
    ]
    return {
        "rows": rows,
        "support_rows": support_rows,
        "window": reporting_window(week, calendar, cadence),
        "returned": returned,
        "missing_weeks": [w for w in missing_weeks(session, department_id) if w != week],
    }


def missing_weeks(session: Session, department_id: int) -> list[date]:
    """The weeks the department was reminded it has not reported and has not filed since (its
    未报送提醒 not yet answered, 已补报): the form is the current week's, and a late report is
    filed on that week's own form."""
    periods = session.scalars(
        select(NoticeIntent.period)
        .where(
            NoticeIntent.kind == NoticeKind.REPORT_MISSING,
            NoticeIntent.audience == Audience.LIAISON,
            NoticeIntent.department_id == department_id,
            NoticeIntent.resolved_on.is_(None),
        )
        .distinct()
    )
    weeks = set()
    for period in periods:
        try:
            weeks.add(parse_week(period))
        except WeekError:  # a streak's notice names its weeks otherwise
            continue
    return sorted(weeks)


def _latest_is(session: Session, report: Report, until: datetime) -> bool:
    """Whether this is the newest version of its task and week filed before `until` (a returned
    one not yet refiled)."""
    newest = session.scalar(
        select(Report.version)
        .where(
            Report.task_id == report.task_id,
            Report.week_start == report.week_start,
            Report.submitted_at < until.astimezone(UTC),
        )
        .order_by(Report.version.desc())
        .limit(1)
    )
    return newest == report.version


REVIEW_PAGE_SIZE = 20


def review_queue(
    session: Session,
    *,
    today: date,
    now: datetime,
    cadence: CadenceConfig,
    light_rules: LightRules,
    department_id: int | None = None,
    light: str | None = None,
    min_age_days: int | None = None,
    page: int = 1,
    page_size: int = REVIEW_PAGE_SIZE,
) -> dict[str, Any]:
    """The reports waiting for review, filtered by department, the task's light today and how many
    days they have waited, one page at a time; a refiled report comes with its previous version
    (and the reason it was returned)."""
    waiting = list_reports(session, status=ReportStatus.SUBMITTED, filed_before=cadence.end_of_day(today))
    lights = compute_lights(
        session,
        as_of=today,
        calendar=load_calendar(session),
        cadence=cadence,
        rules=light_rules,
        task_ids=list({r.task_id for r in waiting}),
    )
    light_of = {task_id: str(result.light) for task_id, result in lights.items()}

    def waited(report: Report) -> int:
        return (now - report.submitted_at).days

    matching = [
        r
        for r in waiting
        if (department_id is None or r.department_id == department_id)
        and (light is None or light_of.get(r.task_id) == light)
        and (min_age_days is None or waited(r) >= min_age_days)
    ]
    pages = max(1, -(-len(matching) // page_size))
    page = min(max(page, 1), pages)
    shown = matching[(page - 1) * page_size : page * page_size]
    previous = {}
    for report in shown:
        if report.version > 1:
            previous[report.id] = session.scalar(
                select(Report).where(
                    Report.task_id == report.task_id,
                    Report.week_start == report.week_start,
                    Report.version == report.version - 1,
                )
            )
    # Qualified (衡水市/市住房和城乡建设局): two cities' units of one name were listed alike.
    names = {r.department_id: qualified_name(r.department) for r in waiting}
    departments = sorted(names.items(), key=lambda d: d[1])
    return {
        "reports": shown,
        "waiting": len(waiting),
        "matching": len(matching),
        "page": page,
        "pages": pages,
        "departments": departments,
        "department_names": names,
        "lights": light_of,
        "waited": {r.id: waited(r) for r in shown},
        "previous": previous,
    }


def waiting_for_office(session: Session, *, until: datetime) -> dict[str, int]:
    """What waits for the office: reports to review and extension requests to decide, of those
    made before `until` (the end of the portal's day)."""
    reports = select(func.count()).where(
        status_then(ReportStatus.SUBMITTED, until), Report.submitted_at < until.astimezone(UTC)
    )
    extensions = select(func.count()).where(
        Extension.status == ExtensionStatus.PENDING, Extension.requested_on < until.date()
    )
    return {"reports": session.scalar(reports) or 0, "extensions": session.scalar(extensions) or 0}


def _chinese_week_of(label: str) -> str:
    try:
        return chinese_week(parse_week(label))
    except WeekError:
        return label


def reminders(session: Session, *, department_id: int, today: date, limit: int = 60) -> list[dict[str, Any]]:
    """The department's notices up to today, newest first, each with the sentence people read."""
    intents = list_intents(session, department_id=department_id, until=today)[-limit:]
    rows = []
    for intent in reversed(intents):
        payload = intent.payload or {}
        text = payload.get("message") or payload.get("action") or ""
        if not text and payload.get("reason"):
            text = f"退回理由：{payload['reason']}"
        if not text and payload.get("task_ids"):
            week = payload.get("week_cn") or _chinese_week_of(payload.get("week") or intent.period)
            text = f"{week}：{len(payload['task_ids'])}项任务待报送"
        rows.append(
            {
                "kind": KIND_NAMES.get(intent.kind, intent.kind),
                "created_on": intent.created_on,
                "period": intent.period,
                "task_id": intent.task_id,
                "task_title": payload.get("task_title") or payload.get("title"),
                "text": text,
                "resolved": intent.resolution,
            }
        )
    return rows

"""The figures of each cadence point (月调度、季通报、半年观摩、年终考核), and keeping them.

Each `*_figures` function reads the ledger for one period and one scope and returns a plain
JSON-safe dict (ISO dates, Chinese labels where people read them); `store_figures` keeps it in
`period_figures`, one row per kind, period and scope. Services take a Session first and never
commit; every read is set-based (a handful of queries whatever the number of tasks).

Definitions, the same in every figure:
- Scope: the plans (kind `plan`, not evaluations or progress replies) of the jurisdiction, issued
  on or before the period's end. Supervised tasks are those the lights judge: assigned, with a
  lead department. Tasks still waiting for the office to name a lead are counted apart.
- Lights are computed (wufei.lights.service.compute_lights) on the period's last day, or on
  `as_of` when that is earlier; "overdue" is the lights' rule `overdue` (the deadline in force,
  approved extensions included, has passed and the task is not done).
- Done: completed on or before that day (an annual task: completed within that year).
  Done on time: completed on or before the due date printed in the plan (`Task.due_date`); a task
  without a final date (ongoing, annual) is on time when done.
- Reports: the weeks whose Monday falls in the period and whose reporting window closed by the
  end of `as_of`, counted per lead department by wufei.reports.service.compliance (reports filed
  up to `as_of` count; after the window closed they are late).
- Units: a department (市直部门 and other bodies) answers for the tasks it leads; a county-level
  unit (县市区政府, 功能区管委会; a city government under a provincial plan), which the plans name
  mostly beside the leads (各县市区人民政府), answers for every task it is named on. The leadership
  group and its office are not ranked.
- Scores follow the declared rules in `circular.yaml` (see `load_rules`); the arithmetic (points,
  rounding half up, shared ranks) and the indicator forecast rule are pure modules in
  `wufei.assessment`. Every score comes with its breakdown: the tasks, report weeks, indicators
  and slips that earned or lost each point.

Besides the four cadence points: `self_assessment_figures` (the city's year-end self-assessment
for the province, seed 004's shape, due 31 January) and `province_figures` (any of the four
rolled up over a province's cities and its own plan: counts summed, rates recomputed).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, selectinload

from wufei.assessment import forecast as forecasting
from wufei.assessment import scoring
from wufei.audit.service import jsonable
from wufei.cadence import periods as P
from wufei.cadence.models import PeriodFigures
from wufei.cadence.periods import Period, PeriodError, PeriodKind
from wufei.cadence.windows import closed_weeks, end_of_day, load_cadence, reporting_window
from wufei.calendar.workdays import WorkCalendar
from wufei.cells.models import CellCount
from wufei.chinese import week_label
from wufei.db import utcnow
from wufei.departments.models import Department, DepartmentKind
from wufei.extensions.models import Extension, ExtensionStatus
from wufei.extensions.service import effective_due_query
from wufei.indicators.models import Indicator, IndicatorDepartment, IndicatorValue
from wufei.lights.models import Light
from wufei.lights.rules import OVERDUE, LightResult, LightRules
from wufei.lights.service import compute_lights
from wufei.notices.models import NoticeIntent, NoticeKind
from wufei.plans.models import Jurisdiction, Plan
from wufei.reports.models import Report, ReportStatus

# The weekly compliance rules, applied to many weeks at once (see _reporting_detail).
from wufei.reports.service import expected_rows, first_submissions, local_time
from wufei.tasks.deadlines import DeadlineKind
from wufei.tasks.models import Milestone, Role, Task, TaskDepartment

PLAN_KIND = "plan"  # wufei.importers.records.PlanKind.PLAN
PROJECT = "project"  # wufei.importers.records.ListKind.PROJECT
ALL_SCOPE = "全部"

LIGHT_NAMES = {"green": "绿灯", "yellow": "黄灯", "red": "红灯", "done": "已完成"}
LOCALITY_KINDS = frozenset({DepartmentKind.COUNTY_GOV, DepartmentKind.ZONE, DepartmentKind.CITY_GOV})
UNRANKED_KINDS = frozenset({DepartmentKind.GROUP})
GROUP_NAMES = {"department": "成员单位", "locality": "县市区及功能区"}
SLIP_KINDS = (NoticeKind.YELLOW_SLIP, NoticeKind.RED_SLIP)

# The shipped rules (circular.yaml says the same, with comments for the office).
DEFAULT_RULES: dict[str, Any] = {
    "quarterly": {
        "weights": {"completion": 40, "on_time": 30, "reporting": 30},
        "deductions": {"red": 5, "yellow": 2},
        "praise": {"top": 3, "min_score": 90},
        "lagging": {"below_score": 60, "red_tasks": 1},
    },
    "annual": {
        "weights": {"completion": 40, "on_time": 20, "reporting": 20, "indicators": 20},
        "deductions": {"yellow_slip": 2, "red_slip": 5},
        "indicator_no_data_counts": 1,
    },
    "self_assessment": {
        "forecast_by_trend": 1,
    },
}


class RulesError(ValueError):
    """Scoring rules that cannot be used; the message is Chinese."""


# --- rules ------------------------------------------------------------------------------------


def load_rules(overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The scoring rules: circular.yaml (the office's copy in WUFEI_CONFIG_DIR, else the shipped
    one) over DEFAULT_RULES, then `overrides`; only known keys, numbers not below 0."""
    from wufei.config import load_yaml

    rules = _merge(DEFAULT_RULES, load_yaml("cadence", "circular.yaml"))
    return _merge(rules, overrides or {})


def _merge(base: Mapping[str, Any], extra: Mapping[str, Any], path: str = "") -> dict[str, Any]:
    merged = {key: (dict(value) if isinstance(value, Mapping) else value) for key, value in base.items()}
    for key, value in extra.items():
        where = f"{path}{key}"
        if key not in base:
            raise RulesError(f"计分规则中有不认识的设置：{where}")
        if isinstance(base[key], Mapping):
            if not isinstance(value, Mapping):
                raise RulesError(f"计分规则 {where} 应为键值映射")
            merged[key] = _merge(base[key], value, f"{where}.")
        else:
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise RulesError(f"计分规则 {where} 应为不小于0的数：{value}")
            merged[key] = value
    return merged


# --- small helpers ----------------------------------------------------------------------------


def _period(period: Period | str, kind: PeriodKind) -> Period:
    period = P.parse(period) if isinstance(period, str) else period
    if period.kind != kind:
        raise PeriodError(f"{P.KIND_NAMES[kind]}需要{kind.value}期间，收到 {period.label}")
    return period


# The scoring arithmetic is pure and lives in wufei.assessment.scoring.
_ratio, _rate, _half_up = scoring.ratio, scoring.rate, scoring.half_up


def _pct(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _num(value: Decimal | None) -> str | None:
    return jsonable(value) if value is not None else None


# --- the world of one scope on one day --------------------------------------------------------


@dataclass
class _World:
    scope: str
    jurisdiction: str | None
    plans: list[Plan]
    tasks: dict[int, Task]  # every task of the scope's plans, owners loaded
    day: date  # the day the lights are computed on
    lights: dict[int, LightResult]  # supervised tasks only
    due: dict[int, date | None]  # the deadline in force on `day`
    names: dict[int, Department] = field(default_factory=dict)

    @property
    def plan_ids(self) -> list[int]:
        return [plan.id for plan in self.plans]

    def supervised(self) -> list[Task]:
        return [task for task_id, task in self.tasks.items() if task_id in self.lights]

    def light(self, task_id: int) -> str | None:
        result = self.lights.get(task_id)
        return str(result.light) if result else None

    def done(self, task_id: int) -> bool:
        return self.light(task_id) == Light.DONE

    def overdue(self, task_id: int) -> bool:
        result = self.lights.get(task_id)
        return result is not None and OVERDUE in result.rules

    def brief(self, task: Task) -> dict[str, Any]:
        return {
            "task_id": task.id,
            "plan": task.plan.doc_number or task.plan.title,
            "list_kind": task.list_kind,
            "number": task.number,
            "title": task.title,
            "leads": _names(task, Role.LEAD),
            "supporting": _names(task, Role.SUPPORTING),
        }

    def with_light(self, task: Task) -> dict[str, Any]:
        result = self.lights.get(task.id)
        light = str(result.light) if result else None
        return {
            **self.brief(task),
            "due_date": _iso(self.due.get(task.id)),
            "deadline_raw": task.deadline_raw,
            "light": light,
            "light_cn": LIGHT_NAMES.get(light, "未纳入督办"),
            "reason": result.reason if result else "未明确牵头单位，不纳入亮灯",
            "rules": list(result.rules) if result else [],
        }


def _names(task: Task, role: Role) -> list[str]:
    return [a.department.name for a in task.assignments if a.role == role]


def _place(task: Task) -> str | None:
    """Where a project is: the county-level governments named on it (the plans give no address;
    a project's county is named among its owners, e.g. 景县人民政府 → 景县)."""
    places = [
        a.department.name.removesuffix("人民政府") for a in task.assignments if a.department.kind in LOCALITY_KINDS
    ]
    return "、".join(places) or None


def _scope_plans(session: Session, jurisdiction: str | None, until: date) -> list[Plan]:
    query = (
        select(Plan)
        .join(Jurisdiction, Jurisdiction.id == Plan.jurisdiction_id)
        .where(Plan.kind == PLAN_KIND, (Plan.issued_on.is_(None)) | (Plan.issued_on <= until))
    )
    if jurisdiction is not None:
        query = query.where(Jurisdiction.name == jurisdiction)
    return list(session.scalars(query.order_by(Plan.id)))


def _world(
    session: Session,
    *,
    jurisdiction: str | None,
    until: date,
    day: date,
    calendar: WorkCalendar,
    cadence: Mapping[str, Any] | None,
    light_rules: LightRules | None,
) -> _World:
    return _world_of_plans(
        session,
        _scope_plans(session, jurisdiction, until),
        scope=jurisdiction or ALL_SCOPE,
        jurisdiction=jurisdiction,
        day=day,
        calendar=calendar,
        cadence=cadence,
        light_rules=light_rules,
    )


def _world_of_plans(
    session: Session,
    plans: list[Plan],
    *,
    scope: str,
    jurisdiction: str | None,
    day: date,
    calendar: WorkCalendar,
    cadence: Mapping[str, Any] | None,
    light_rules: LightRules | None,
) -> _World:
    """Tasks with owners, lights and deadlines in force of the given plans: three queries and the
    lights' own, whatever the number of tasks."""
    plan_ids = [plan.id for plan in plans]
    tasks: dict[int, Task] = {}
    lights: dict[int, LightResult] = {}
    due: dict[int, date | None] = {}
    if plan_ids:
        tasks = {
            task.id: task
            for task in session.scalars(
                select(Task)
                .where(Task.plan_id.in_(plan_ids))
                .options(
                    selectinload(Task.plan), selectinload(Task.assignments).selectinload(TaskDepartment.department)
                )
                .order_by(Task.plan_id, Task.id)
            )
        }
        lights = _lights(
            session, day=day, calendar=calendar, plan_ids=plan_ids, cadence=cadence, light_rules=light_rules
        )
        due = dict(session.execute(effective_due_query(day).where(Task.plan_id.in_(plan_ids))).all())
    names = {a.department_id: a.department for task in tasks.values() for a in task.assignments}
    return _World(scope, jurisdiction, plans, tasks, day, lights, due, names)


def _part(world: _World, plans: list[Plan], scope: str) -> _World:
    """The slice of a world that belongs to some of its plans (no query)."""
    ids = {plan.id for plan in plans}
    tasks = {task_id: task for task_id, task in world.tasks.items() if task.plan_id in ids}
    return _World(
        scope,
        scope,
        plans,
        tasks,
        world.day,
        {i: r for i, r in world.lights.items() if i in tasks},
        {i: d for i, d in world.due.items() if i in tasks},
        world.names,
    )


def _lights(
    session: Session,
    *,
    day: date,
    calendar: WorkCalendar,
    plan_ids: list[int],
    cadence: Mapping[str, Any] | None,
    light_rules: LightRules | None,
) -> dict[int, LightResult]:
    if not plan_ids:
        return {}
    return compute_lights(session, as_of=day, calendar=calendar, rules=light_rules, plan_ids=plan_ids, cadence=cadence)


def _header(kind: PeriodKind, period: Period, world: _World, as_of: date) -> dict[str, Any]:
    return {
        "kind": str(kind),
        "kind_cn": P.KIND_NAMES[kind],
        "period": period.as_dict(),
        "scope": world.scope,
        "as_of": as_of.isoformat(),
        "lights_as_of": world.day.isoformat(),
        "plans": [{"plan_id": plan.id, "title": plan.title, "doc_number": plan.doc_number} for plan in world.plans],
    }


# --- totals -----------------------------------------------------------------------------------


def _totals(world: _World, period: Period) -> dict[str, Any]:
    supervised = world.supervised()
    by_light = dict.fromkeys(LIGHT_NAMES, 0)
    for result in world.lights.values():
        by_light[str(result.light)] += 1
    return {
        "tasks": len(world.tasks),
        "supervised": len(supervised),
        "without_lead": len(world.tasks) - len(supervised),
        "by_light": by_light,
        "overdue": sum(world.overdue(task.id) for task in supervised),
        "due_in_period": sum(1 for task in supervised if (d := world.due.get(task.id)) and d in period),
        "done_in_period": sum(
            1 for task in supervised if task.completed_on and period.start <= task.completed_on <= world.day
        ),
    }


# --- reporting --------------------------------------------------------------------------------


def _weeks(period: Period, as_of: date, calendar: WorkCalendar, cadence: Mapping[str, Any]) -> list[date]:
    """Mondays in the period whose reporting window closed by the end of `as_of`."""
    return [
        monday
        for monday in closed_weeks(as_of, calendar, cadence, period.start)
        if period.start <= monday <= period.end
    ]


def _reporting(
    session: Session, *, weeks: list[date], calendar: WorkCalendar, cadence: Mapping[str, Any], as_of: date
) -> dict[int, dict[str, int]]:
    """department_id → expected, filed, on_time, late, missing summed over the weeks."""
    return _reporting_detail(session, weeks=weeks, calendar=calendar, cadence=cadence, as_of=as_of)[0]


def _reporting_detail(
    session: Session, *, weeks: list[date], calendar: WorkCalendar, cadence: Mapping[str, Any], as_of: date
) -> tuple[dict[int, dict[str, int]], dict[int, list[tuple[date, int, str]]]]:
    """The counts of `_reporting`, and department_id → (week, task_id, missing | late) for every
    report not filed on time, in week then task order.

    The rules are those of wufei.reports.service.compliance (a task is expected in a week that
    starts on or after its plan's start, unless it was completed before the week ended without
    reporting for it; on time = first submitted by the window's close; submissions count up to
    the end of `as_of`; a task with two leads counts for both), applied to all the weeks at once:
    four reads whatever the number of weeks and tasks, not four per week (a year's assessment
    would otherwise spend most of its time here)."""
    totals: dict[int, dict[str, int]] = defaultdict(
        lambda: {"expected": 0, "filed": 0, "on_time": 0, "late": 0, "missing": 0}
    )
    misses: dict[int, list[tuple[date, int, str]]] = defaultdict(list)
    windows = [
        (monday, window)
        for monday in sorted(weeks)
        if (window := reporting_window(monday, calendar, cadence)) is not None
    ]
    if not windows:
        return totals, misses
    first, last = windows[0][0], windows[-1][0]
    rows = expected_rows(session, cadence=cadence, open_from=first)
    submissions = first_submissions(session, task_ids=None, weeks=(first, last), before=end_of_day(as_of, cadence))
    leads: dict[int, list[int]] = defaultdict(list)  # task → its lead departments
    ids = [row.task_id for row in rows]
    for start in range(0, len(ids), 5000):  # PostgreSQL takes 65,535 parameters at most
        for task_id, department_id in session.execute(
            select(TaskDepartment.task_id, TaskDepartment.department_id).where(
                TaskDepartment.role == Role.LEAD, TaskDepartment.task_id.in_(ids[start : start + 5000])
            )
        ):
            leads[task_id].append(department_id)
    for monday, window in windows:
        week_end = monday + timedelta(days=6)
        for row in rows:
            if row.start > monday or (row.completed_on is not None and row.completed_on < monday):
                continue
            filed_at = submissions.get((row.task_id, monday))
            if filed_at is None and row.completed_on is not None and row.completed_on <= week_end:
                continue  # completed that week without a report for it: nothing owed
            status = "missing" if filed_at is None else ("on_time" if filed_at <= window.due_at else "late")
            for department_id in leads.get(row.task_id, ()):
                counts = totals[department_id]
                counts["expected"] += 1
                counts[status] += 1
                if status != "missing":
                    counts["filed"] += 1
                else:
                    misses[department_id].append((monday, row.task_id, status))
                if status == "late":
                    misses[department_id].append((monday, row.task_id, status))
    for items in misses.values():
        items.sort(key=lambda item: (item[0], item[1]))
    return totals, misses


_NO_REPORTS = {"expected": 0, "filed": 0, "on_time": 0, "late": 0, "missing": 0}


# --- per department (monthly) -----------------------------------------------------------------


def _department_rows(
    world: _World, period: Period, reports: Mapping[int, Mapping[str, int]], weeks: list[date]
) -> list[dict[str, Any]]:
    led: dict[int, list[Task]] = defaultdict(list)
    for task in world.supervised():
        for link in task.assignments:
            if link.role == Role.LEAD:
                led[link.department_id].append(task)
    rows = []
    for department_id, tasks in led.items():
        department = world.names[department_id]
        done = [t for t in tasks if world.done(t.id)]
        lights = Counter(world.light(t.id) for t in tasks)
        rows.append(
            {
                "department_id": department_id,
                "department": department.name,
                "kind": department.kind,
                "lead_tasks": len(tasks),
                "done": len(done),
                "done_on_time": sum(1 for t in done if _on_time(t)),
                "done_in_period": sum(
                    1 for t in tasks if t.completed_on and period.start <= t.completed_on <= world.day
                ),
                "overdue": sum(world.overdue(t.id) for t in tasks),
                "red": lights[Light.RED],
                "yellow": lights[Light.YELLOW],
                "green": lights[Light.GREEN],
                "reports": {"weeks": len(weeks), **dict(reports.get(department_id, _NO_REPORTS))},
            }
        )
    rows.sort(key=lambda r: (-r["lead_tasks"], r["department"], r["department_id"]))
    return rows


def _on_time(task: Task) -> bool:
    return task.completed_on is not None and (task.due_date is None or task.completed_on <= task.due_date)


# --- changes between two days -----------------------------------------------------------------


def _changes(world: _World, before: Mapping[int, LightResult], before_day: date) -> dict[str, Any]:
    severity = {"green": 0, "yellow": 1, "red": 2}
    lists: dict[str, list[dict[str, Any]]] = {"newly_overdue": [], "closed": [], "recovered": [], "worsened": []}
    for task in world.supervised():
        now = world.lights[task.id]
        was = before.get(task.id)
        now_light, was_light = str(now.light), (str(was.light) if was else None)
        entry = {
            **world.brief(task),
            "from": was_light,
            "to": now_light,
            "from_cn": LIGHT_NAMES.get(was_light, "未纳入督办"),
            "to_cn": LIGHT_NAMES[now_light],
            "reason": now.reason,
        }
        if OVERDUE in now.rules and not (was and OVERDUE in was.rules):
            lists["newly_overdue"].append(entry)
        if now_light == Light.DONE and was_light != Light.DONE:
            lists["closed"].append(entry)
        elif was_light in ("red", "yellow") and now_light == Light.GREEN:
            lists["recovered"].append(entry)
        elif was_light in severity and now_light in severity and severity[now_light] > severity[was_light]:
            lists["worsened"].append(entry)
    return {"since": before_day.isoformat(), **{f"{key}_count": len(value) for key, value in lists.items()}, **lists}


def _attention(world: _World) -> list[dict[str, Any]]:
    """Red then yellow tasks, earliest deadline first, with the reason and owners."""
    rows = [world.with_light(task) for task in world.supervised() if world.light(task.id) in ("red", "yellow")]
    rows.sort(key=lambda r: (r["light"] != "red", r["due_date"] or "9999", r["task_id"]))
    return rows


# --- indicators -------------------------------------------------------------------------------


def _indicator_objects(session: Session, plan_ids: list[int]) -> list[Indicator]:
    if not plan_ids:
        return []
    return list(
        session.scalars(
            select(Indicator)
            .where(Indicator.plan_id.in_(plan_ids))
            .options(
                selectinload(Indicator.plan),
                selectinload(Indicator.values),
                selectinload(Indicator.assignments).selectinload(IndicatorDepartment.department),
            )
            .order_by(Indicator.plan_id, Indicator.id)
        )
    )


def _indicators(session: Session, plan_ids: list[int], year: int) -> list[dict[str, Any]]:
    return [indicator_status(indicator, year) for indicator in _indicator_objects(session, plan_ids)]


def _meets_target(indicator: Indicator, value: Decimal) -> bool | None:
    if indicator.target_kind != "numeric" or indicator.target_value is None:
        return None
    target, high = indicator.target_value, indicator.target_value_high
    if high is not None:
        return target <= value <= high
    comparator = indicator.target_comparator or ("<=" if indicator.direction == "down" else ">=")
    return {
        ">=": value >= target,
        ">": value > target,
        "<=": value <= target,
        "<": value < target,
        "=": value == target,
    }[comparator]


def indicator_status(indicator: Indicator, year: int) -> dict[str, Any]:
    """An indicator's latest value up to `year` against its target and its direction (pure).

    1. the latest value meets a numeric target (its comparator; a bare number is a level to reach
       in the indicator's direction, ≥ unless it should fall) → 已达到目标值;
    2. else, against the value of the year before it (or the baseline): moving in the good
       direction → 向好, unchanged → 持平, the other way → 变差 (a `hold` indicator: not below → 保持);
    3. else a numeric target not met → 未达到目标值; no value → 暂无数据; no target and no
       direction → 无法判断. On track: 已达到、向好、保持.
    """
    values = sorted(
        (v for v in indicator.values if v.value is not None and v.year <= year),
        key=lambda v: (v.year, v.recorded_at or utcnow(), v.id or 0),
    )
    latest = values[-1] if values else None
    reference = reference_label = None
    if latest is not None:
        earlier = [v for v in values if v.year < latest.year]
        if earlier:
            reference, reference_label = earlier[-1].value, f"{earlier[-1].year}年"
        elif indicator.baseline_value is not None:
            reference = indicator.baseline_value
            reference_label = f"基线（{indicator.baseline_year}年）" if indicator.baseline_year else "基线"

    status, on_track = "no_data", None
    if latest is not None:
        value, direction = latest.value, indicator.direction
        met = _meets_target(indicator, value)
        if met:
            status, on_track = "met", True
        elif direction in ("up", "down") and reference is not None:
            better = value > reference if direction == "up" else value < reference
            status, on_track = (
                ("improving", True) if better else (("flat", False) if value == reference else ("worsening", False))
            )
        elif direction == "hold" and reference is not None:
            status, on_track = ("holding", True) if value >= reference else ("worsening", False)
        elif met is False:
            status, on_track = "not_met", False
        else:
            status = "unknown"
    status_cn = {
        "met": "已达到目标值",
        "improving": f"较{reference_label}向好",
        "flat": f"与{reference_label}持平",
        "worsening": f"较{reference_label}变差",
        "holding": f"不低于{reference_label}",
        "not_met": "未达到目标值",
        "no_data": "暂无数据",
        "unknown": "无法判断（目标与方向不明）",
    }[status]
    unit = indicator.unit or ""
    if latest is not None:
        explanation = (
            f"{latest.year}年{_num(latest.value)}{unit}（"
            f"{'基线' + (indicator.baseline_raw or '') + '，' if indicator.baseline_raw else ''}"
            f"目标{indicator.target_raw or '未列'}）：{status_cn}"
        )
    else:
        explanation = f"暂无{year}年及以前的数值（目标{indicator.target_raw or '未列'}）"
    return {
        "indicator_id": indicator.id,
        "number": indicator.number,
        "name": indicator.name,
        "unit": indicator.unit,
        "marks": indicator.marks,
        "attribute": indicator.attribute,
        "direction": indicator.direction,
        "baseline": {
            "raw": indicator.baseline_raw,
            "value": _num(indicator.baseline_value),
            "year": indicator.baseline_year,
        },
        "target": {
            "raw": indicator.target_raw,
            "kind": indicator.target_kind,
            "comparator": indicator.target_comparator,
            "value": _num(indicator.target_value),
            "value_high": _num(indicator.target_value_high),
            "year": indicator.target_year,
        },
        "latest": (
            {"year": latest.year, "value": _num(latest.value), "source": latest.source, "forecast": latest.forecast}
            if latest
            else None
        ),
        "compared_with": ({"label": reference_label, "value": _num(reference)} if reference is not None else None),
        "status": status,
        "status_cn": status_cn,
        "on_track": on_track,
        "explanation": explanation,
        "leads": [a.department.name for a in indicator.assignments if a.role == Role.LEAD],
    }


def _indicator_summary(rows: list[dict[str, Any]]) -> dict[str, int]:
    counts = Counter(row["status"] for row in rows)
    return {
        "total": len(rows),
        "on_track": sum(1 for r in rows if r["on_track"] is True),
        "off_track": sum(1 for r in rows if r["on_track"] is False),
        **{
            status: counts[status]
            for status in ("met", "improving", "holding", "flat", "worsening", "not_met", "no_data", "unknown")
        },
    }


# --- zero-waste cells -------------------------------------------------------------------------


def _plain(name: str) -> str:
    return "".join(ch for ch in name if ch not in "“”\"'‘’「」")


def _cells(session: Session, world: _World, indicators: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The newest cell counts recorded for the jurisdiction (a progress reply may carry them)
    against the plan total, with each category's target where an indicator names it."""
    query = (
        select(Plan)
        .join(Jurisdiction, Jurisdiction.id == Plan.jurisdiction_id)
        .where(Plan.id.in_(select(CellCount.plan_id)))
    )
    if world.jurisdiction is not None:
        query = query.where(Jurisdiction.name == world.jurisdiction)
    source = session.scalars(query.order_by(Plan.id.desc()).limit(1)).first()
    if source is None:
        return None
    rows = list(session.scalars(select(CellCount).where(CellCount.plan_id == source.id).order_by(CellCount.id)))
    planned = source.cells_planned_total
    if planned is None:
        planned = next((plan.cells_planned_total for plan in world.plans if plan.cells_planned_total), None)
    counted = sum(row.count or 0 for row in rows)
    built = source.cells_built_total if source.cells_built_total is not None else counted
    targets = {}
    for row in rows:
        match = next((i for i in indicators if row.category in _plain(i["name"]) and i["target"]["value"]), None)
        if match:
            targets[row.category] = {"value": match["target"]["value"], "indicator": match["name"]}
    notes = []
    if counted != built:
        notes.append(f"各类数量合计{counted}个，与文件所述累计{built}个不一致")
    return {
        "source": source.doc_number or source.title,
        "planned_total": planned,
        "built_total": built,
        "categories_sum": counted,
        "completion_rate": _rate(built, planned) if planned else None,
        "categories": [
            {
                "category": row.category,
                "count": row.count,
                "unit": row.unit,
                "status": row.status,
                "lead": row.lead_department.name if row.lead_department else row.lead_raw,
                "target": targets.get(row.category, {}).get("value"),
                "target_indicator": targets.get(row.category, {}).get("indicator"),
            }
            for row in rows
        ],
        "notes": notes,
    }


# --- next period, extensions ------------------------------------------------------------------


def _falls_due(session: Session, world: _World, window: Period) -> dict[str, Any]:
    tasks = [
        world.with_light(task)
        for task in world.supervised()
        if not world.done(task.id) and (d := world.due.get(task.id)) and d in window
    ]
    tasks.sort(key=lambda r: (r["due_date"], r["task_id"]))
    open_ids = [task.id for task in world.supervised() if not world.done(task.id)]
    milestones = []
    if open_ids:
        for milestone in session.scalars(
            select(Milestone)
            .where(
                Milestone.task_id.in_(select(Task.id).where(Task.plan_id.in_(world.plan_ids))),
                Milestone.due_date.between(window.start, window.end),
            )
            .order_by(Milestone.due_date, Milestone.id)
        ):
            if milestone.task_id in world.lights and not world.done(milestone.task_id):
                task = world.tasks[milestone.task_id]
                milestones.append(
                    {
                        **world.brief(task),
                        "milestone": milestone.title,
                        "due_date": milestone.due_date.isoformat(),
                        "expected_progress": milestone.expected_progress,
                    }
                )
    return {"period": window.as_dict(), "tasks": tasks, "milestones": milestones}


def _extensions_granted(session: Session, world: _World, period: Period) -> list[dict[str, Any]]:
    if not world.plan_ids:
        return []
    rows = session.scalars(
        select(Extension)
        .join(Task, Task.id == Extension.task_id)
        .where(
            Task.plan_id.in_(world.plan_ids),
            Extension.status == ExtensionStatus.APPROVED,
            Extension.decided_on.between(period.start, world.day),
        )
        .options(selectinload(Extension.department))
        .order_by(Extension.decided_on, Extension.id)
    )
    return [
        {
            **world.brief(world.tasks[e.task_id]),
            "extension_id": e.id,
            "department": e.department.name,
            "requested_on": e.requested_on.isoformat(),
            "decided_on": e.decided_on.isoformat(),
            "original_due_date": e.original_due_date.isoformat(),
            "new_due_date": e.requested_due_date.isoformat(),
            "reason": e.reason,
        }
        for e in rows
    ]


# --- monthly: 月调度 ---------------------------------------------------------------------------


def monthly_figures(
    session: Session,
    *,
    period: Period | str,
    as_of: date,
    calendar: WorkCalendar,
    jurisdiction: str | None = None,
    cadence: Mapping[str, Any] | None = None,
    light_rules: LightRules | None = None,
) -> dict[str, Any]:
    """月调度: the month's progress by department, changes since last month, red and yellow tasks,
    indicators, zero-waste cells, what falls due next month, extensions granted."""
    period = _period(period, PeriodKind.MONTHLY)
    cadence = load_cadence() if cadence is None else cadence
    day = min(period.end, as_of)
    world = _world(
        session,
        jurisdiction=jurisdiction,
        until=period.end,
        day=day,
        calendar=calendar,
        cadence=cadence,
        light_rules=light_rules,
    )
    before = P.previous(period)
    before_day = min(before.end, as_of)
    before_lights = _lights(
        session, day=before_day, calendar=calendar, plan_ids=world.plan_ids, cadence=cadence, light_rules=light_rules
    )
    weeks = _weeks(period, as_of, calendar, cadence)
    reports = _reporting(session, weeks=weeks, calendar=calendar, cadence=cadence, as_of=as_of)
    indicators = _indicators(session, world.plan_ids, period.end.year)
    departments = _department_rows(world, period, reports, weeks)
    return {
        **_header(PeriodKind.MONTHLY, period, world, as_of),
        "totals": _totals(world, period),
        "reporting": {"weeks": [week_label(w) for w in weeks], **_sum_reports(departments)},
        "departments": departments,
        "changes": _changes(world, before_lights, before_day),
        "attention": _attention(world),
        "indicators": {"year": period.end.year, "summary": _indicator_summary(indicators), "items": indicators},
        "cells": _cells(session, world, indicators),
        "next_period": _falls_due(session, world, P.next_period(period)),
        "extensions_granted": _extensions_granted(session, world, period),
    }


def _sum_reports(rows: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    total = dict(_NO_REPORTS)
    for row in rows:
        for key in total:
            total[key] += row["reports"][key]
    return total


# --- units: departments and county-level units, scored ----------------------------------------


@dataclass
class _Unit:
    department: Department
    group: str  # department / locality
    tasks: list[Task] = field(default_factory=list)


def _units(world: _World) -> dict[int, _Unit]:
    units: dict[int, _Unit] = {}
    for task in world.supervised():
        for link in task.assignments:
            kind = link.department.kind
            if kind in UNRANKED_KINDS:
                continue
            if kind in LOCALITY_KINDS:
                group = "locality"
            elif link.role == Role.LEAD:
                group = "department"
            else:
                continue
            units.setdefault(link.department_id, _Unit(link.department, group)).tasks.append(task)
    return units


_rank, _score = scoring.rank, scoring.score


def _task_list(world: _World, tasks: Iterable[Task]) -> list[dict[str, Any]]:
    return [{"task_id": t.id, "number": t.number, "title": t.title, "reason": world.lights[t.id].reason} for t in tasks]


def _quarter_components(
    world: _World,
    day: date,
    weights: Mapping[str, float],
    due: list[Task],
    done: list[Task],
    on_time: list[Task],
    filed: Mapping[str, int],
    misses: list[tuple[date, int, str]],
) -> list[dict[str, Any]]:
    def due_text(task: Task) -> str:
        return f"期限{_cn_date(world.due[task.id])}"

    late = [t for t in done if t not in on_time]
    open_ = [t for t in due if t not in done]
    return [
        _component(
            "completion",
            weights["completion"],
            len(done),
            len(due),
            rule=f"截至{_cn_date(day)}已到期的任务中已完成的比例",
            counted=[_task_ref(world, t, f"{_cn_date(t.completed_on)}完成（{due_text(t)}）") for t in done],
            missed=[_task_ref(world, t, f"未完成（{due_text(t)}）") for t in open_],
        ),
        _component(
            "on_time",
            weights["on_time"],
            len(on_time),
            len(due),
            rule="已到期的任务中，在期限（含批准的延期）内完成的比例",
            counted=[_task_ref(world, t, f"{_cn_date(t.completed_on)}完成，未超过{due_text(t)}") for t in on_time],
            missed=[_task_ref(world, t, f"{_cn_date(t.completed_on)}完成，晚于{due_text(t)}") for t in late]
            + [_task_ref(world, t, f"未完成（{due_text(t)}）") for t in open_],
        ),
        _component(
            "reporting",
            weights["reporting"],
            filed["on_time"],
            filed["expected"],
            rule="本季度已截止的报送周中按时报送的比例（按时报送的不逐条列出）",
            counted=[],
            missed=_report_misses(world, misses),
        ),
    ]


def _praise_rules(row: Mapping[str, Any], praise: Mapping[str, float]) -> list[dict[str, Any]]:
    """The three conditions of praise, each with its threshold, the unit's value and whether it holds."""
    return [
        {
            "rule": "praise.top",
            "rule_cn": f"排名前{praise['top']:g}位（并列同列）",
            "threshold": praise["top"],
            "value": row["rank"],
            "met": row["rank"] <= praise["top"],
            "fact": f"排名第{row['rank']}位",
        },
        {
            "rule": "praise.min_score",
            "rule_cn": f"得分不低于{praise['min_score']:g}分",
            "threshold": praise["min_score"],
            "value": row["score"],
            "met": row["score"] >= praise["min_score"],
            "fact": f"得分{row['score']:g}分",
        },
        {
            "rule": "praise.no_red",
            "rule_cn": "没有红灯任务",
            "threshold": 0,
            "value": row["red"],
            "met": row["red"] == 0,
            "fact": f"红灯任务{row['red']}项",
        },
    ]


def _lagging_rules(row: Mapping[str, Any], lagging: Mapping[str, float]) -> list[dict[str, Any]]:
    """Each rule that can name a unit as lagging (a threshold of 0 turns it off), with the unit's value."""
    red_tasks, below = lagging["red_tasks"], lagging["below_score"]
    return [
        {
            "rule": "lagging.red_tasks",
            "rule_cn": f"红灯任务达到{red_tasks:g}项",
            "threshold": red_tasks,
            "value": row["red"],
            "met": bool(red_tasks) and row["red"] >= red_tasks,
            "fact": f"有红灯任务{row['red']}项",
        },
        {
            "rule": "lagging.below_score",
            "rule_cn": f"得分低于{below:g}分",
            "threshold": below,
            "value": row["score"],
            "met": row["score"] < below,
            "fact": f"得分{row['score']:g}分，低于{below:g}分",
        },
    ]


def _quarter_units(
    world: _World,
    *,
    day: date,
    weeks: list[date],
    reports: Mapping[int, Mapping[str, int]],
    misses: Mapping[int, list[tuple[date, int, str]]],
    rules: Mapping[str, Any],
) -> tuple[dict[str, list[dict[str, Any]]], list[dict[str, Any]], list[dict[str, Any]]]:
    """The scored, ranked units of a world by the quarterly rules, and those praised and lagging."""
    weights, per_light = rules["weights"], rules["deductions"]

    groups: dict[str, list[dict[str, Any]]] = {"department": [], "locality": []}
    for department_id, unit in _units(world).items():
        tasks = unit.tasks
        due = [t for t in tasks if (d := world.due.get(t.id)) is not None and d <= day]
        done = [t for t in due if t.completed_on is not None and t.completed_on <= day]
        on_time = [t for t in done if t.completed_on <= world.due[t.id]]
        red = [t for t in tasks if world.light(t.id) == Light.RED]
        yellow = [t for t in tasks if world.light(t.id) == Light.YELLOW]
        filed = dict(reports.get(department_id, _NO_REPORTS))
        counts = {
            "completion": (len(done), len(due)),
            "on_time": (len(on_time), len(due)),
            "reporting": (filed["on_time"], filed["expected"]),
        }
        rates = {name: _rate(*pair) for name, pair in counts.items()}
        deduction = rules["deductions"]["red"] * len(red) + rules["deductions"]["yellow"] * len(yellow)
        points, score = _score({name: _ratio(*pair) for name, pair in counts.items()}, rules["weights"], deduction)
        facts = [
            f"承担任务{len(tasks)}项，截至{_cn_date(day)}到期{len(due)}项、已完成{len(done)}项"
            f"（完成率{_pct(rates['completion'])}），按期完成{len(on_time)}项（按期率{_pct(rates['on_time'])}）",
            f"本季度应报送{filed['expected']}次，按时{filed['on_time']}次、迟报{filed['late']}次、"
            f"未报{filed['missing']}次（按时报送率{_pct(rates['reporting'])}）",
            f"季末红灯{len(red)}项、黄灯{len(yellow)}项，扣{round(deduction, 2):g}分",
        ]
        groups[unit.group].append(
            {
                "department_id": department_id,
                "department": unit.department.name,
                "kind": unit.department.kind,
                "group": unit.group,
                "tasks": len(tasks),
                "due": len(due),
                "done": len(done),
                "done_on_time": len(on_time),
                "red": len(red),
                "yellow": len(yellow),
                "reports": {"weeks": len(weeks), **filed},
                "rates": rates,
                "points": points,
                "score": score,
                "facts": facts,
                "red_tasks": _task_list(world, red),
                "yellow_tasks": _task_list(world, yellow),
                "components": _quarter_components(
                    world, day, weights, due, done, on_time, filed, misses.get(department_id, [])
                ),
                "deductions": [
                    {
                        "kind": light,
                        "kind_cn": f"季末{LIGHT_NAMES[light]}",
                        "points": -per_light[light],
                        **_task_ref(world, t, f"{world.lights[t.id].reason}，扣{per_light[light]:g}分"),
                    }
                    for light, listed in (("red", red), ("yellow", yellow))
                    for t in listed
                ],
            }
        )

    praised, lagging = [], []
    for group, rows in groups.items():
        _rank(rows)
        for row in rows:
            praise_rules = _praise_rules(row, rules["praise"])
            lagging_rules = _lagging_rules(row, rules["lagging"])
            row["praised"] = all(rule["met"] for rule in praise_rules)
            row["lagging"] = any(rule["met"] for rule in lagging_rules)
            named = {
                "department_id": row["department_id"],
                "department": row["department"],
                "group": group,
                "group_cn": GROUP_NAMES[group],
                "score": row["score"],
                "rank": row["rank"],
                "facts": row["facts"],
            }
            if row["praised"]:
                praised.append(
                    {
                        **named,
                        "reasons": [f"{GROUP_NAMES[group]}第{row['rank']}名，得分{row['score']:g}分，无红灯任务"],
                        "rules": praise_rules,
                    }
                )
            if row["lagging"]:
                met = [rule for rule in lagging_rules if rule["met"]]
                lagging.append(
                    {**named, "reasons": [rule["fact"] for rule in met], "rules": met, "red_tasks": row["red_tasks"]}
                )
    return groups, praised, lagging


def quarterly_figures(
    session: Session,
    *,
    period: Period | str,
    as_of: date,
    calendar: WorkCalendar,
    jurisdiction: str | None = None,
    cadence: Mapping[str, Any] | None = None,
    light_rules: LightRules | None = None,
    rules: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """季通报: departments and county-level units scored and ranked by the declared rules
    (circular.yaml `quarterly`), those praised and those named as lagging, each with the rule that
    named it and the facts behind it.

    Shape (besides the header: kind, kind_cn, period, scope, as_of, lights_as_of, plans)::

        rules: circular.yaml `quarterly`
        totals: as in every figure; reporting: {weeks: [labels]}
        departments / localities: ranked rows, best first, each:
            department_id, department, kind, group, tasks, due, done, done_on_time, red, yellow,
            reports {weeks, expected, filed, on_time, late, missing},
            rates {completion, on_time, reporting}, points {…, deduction}, score, rank (ties share),
            praised, lagging (bool), facts [Chinese sentences],
            red_tasks / yellow_tasks [{task_id, number, title, reason}],
            components: [{key, name, rule, weight, numerator, denominator, rate, points, lost,
                          counted, missed, excluded}] for completion, on_time, reporting (refs as
                          in annual_figures),
            deductions: [{kind (red | yellow), kind_cn, points, task_id, plan, number, title, note}]
        praised: [{department_id, department, group, group_cn, score, rank, facts, reasons,
                   rules: [{rule, rule_cn, threshold, value, met, fact}] (all three met)}]
        lagging: [{… the same, reasons, rules: the rules that named it, red_tasks}]

    Due: the deadline in force (approved extensions included) has passed by the quarter's end
    (or `as_of`); done and on time are judged on that deadline. Red and yellow are the lights on
    that day."""
    period = _period(period, PeriodKind.QUARTERLY)
    cadence = load_cadence() if cadence is None else cadence
    rules = load_rules(rules)["quarterly"]
    day = min(period.end, as_of)
    world = _world(
        session,
        jurisdiction=jurisdiction,
        until=period.end,
        day=day,
        calendar=calendar,
        cadence=cadence,
        light_rules=light_rules,
    )
    weeks = _weeks(period, as_of, calendar, cadence)
    reports, misses = _reporting_detail(session, weeks=weeks, calendar=calendar, cadence=cadence, as_of=as_of)
    groups, praised, lagging = _quarter_units(world, day=day, weeks=weeks, reports=reports, misses=misses, rules=rules)
    return {
        **_header(PeriodKind.QUARTERLY, period, world, as_of),
        "rules": rules,
        "totals": _totals(world, period),
        "reporting": {"weeks": [week_label(w) for w in weeks]},
        "departments": groups["department"],
        "localities": groups["locality"],
        "praised": praised,
        "lagging": lagging,
    }


# --- half-year: 半年观摩 -----------------------------------------------------------------------


def _last_reports(
    session: Session, *, task_ids: list[int], day: date, cadence: Mapping[str, Any], last_week: date | None = None
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
        Report.task_id.in_(task_ids),
        Report.status != ReportStatus.RETURNED,
        Report.submitted_at < end_of_day(day, cadence).astimezone(UTC),
    ]
    if last_week is not None:
        conditions.append(Report.week_start <= last_week)
    ranked = select(Report.id, rank).where(*conditions).subquery()
    reports = session.scalars(
        select(Report)
        .join(ranked, ranked.c.id == Report.id)
        .where(ranked.c.rank == 1)
        .options(selectinload(Report.department))
    )
    return {report.task_id: report for report in reports}


def half_year_figures(
    session: Session,
    *,
    period: Period | str,
    as_of: date,
    calendar: WorkCalendar,
    jurisdiction: str | None = None,
    cadence: Mapping[str, Any] | None = None,
    light_rules: LightRules | None = None,
) -> dict[str, Any]:
    """半年观摩: the projects to visit (not done: in progress or at risk), at-risk first, each with
    owners, company, place, state (light and reason) and last report."""
    period = _period(period, PeriodKind.HALF_YEAR)
    cadence = load_cadence() if cadence is None else cadence
    day = min(period.end, as_of)
    world = _world(
        session,
        jurisdiction=jurisdiction,
        until=period.end,
        day=day,
        calendar=calendar,
        cadence=cadence,
        light_rules=light_rules,
    )
    projects = [task for task in world.tasks.values() if task.list_kind == PROJECT]
    supervised = [task for task in projects if task.id in world.lights]
    visits = [task for task in supervised if not world.done(task.id)]
    last = _last_reports(session, task_ids=[t.id for t in visits], day=day, cadence=cadence)
    order = {"red": 0, "yellow": 1, "green": 2}
    sites = []
    for task in sorted(visits, key=lambda t: (order[world.light(t.id)], world.due.get(t.id) or date.max, t.id)):
        report = last.get(task.id)
        sites.append(
            {
                **world.with_light(task),
                "company": task.responsible_entity,
                "place": _place(task),
                "last_report": (
                    {
                        "week": week_label(report.week_start),
                        "week_start": report.week_start.isoformat(),
                        "progress": report.progress,
                        "done_text": report.done_text,
                        "problems": report.problems,
                        "next_steps": report.next_steps,
                        "department": report.department.name,
                        "late": report.late,
                        "status": report.status,
                        "submitted_at": jsonable(local_time(report.submitted_at, cadence)),
                    }
                    if report
                    else None
                ),
            }
        )
    by_light = Counter(world.light(t.id) for t in supervised)
    return {
        **_header(PeriodKind.HALF_YEAR, period, world, as_of),
        "totals": {
            "projects": len(projects),
            "supervised": len(supervised),
            "without_lead": len(projects) - len(supervised),
            "to_visit": len(sites),
            "by_light": {light: by_light[light] for light in LIGHT_NAMES},
        },
        "sites": sites,
        "without_lead": [
            {**world.brief(t), "company": t.responsible_entity, "deadline_raw": t.deadline_raw}
            for t in projects
            if t.id not in world.lights
        ],
    }


# --- breakdowns: what earned or lost each point ------------------------------------------------

COMPONENT_NAMES = {"completion": "完成率", "on_time": "按期率", "reporting": "按时报送率", "indicators": "指标达标率"}
SLIP_NAMES = {"yellow_slip": "黄色督办单", "red_slip": "红色督办单"}
REPORT_MISS_NAMES = {"missing": "未报", "late": "迟报"}


def _task_ref(world: _World, task: Task, note: str | None = None) -> dict[str, Any]:
    """A task as a breakdown names it: enough to find it in the ledger, and why it counts."""
    return {
        "task_id": task.id,
        "plan": task.plan.doc_number or task.plan.title,
        "number": task.number,
        "title": task.title,
        "note": note,
    }


def _component(
    key: str,
    weight: float,
    numerator: int,
    denominator: int,
    *,
    counted: list[dict[str, Any]],
    missed: list[dict[str, Any]],
    excluded: list[dict[str, Any]] | None = None,
    rule: str,
) -> dict[str, Any]:
    exact = scoring.component_points(weight, numerator, denominator)
    return {
        "key": key,
        "name": COMPONENT_NAMES[key],
        "rule": rule,
        "weight": weight,
        "numerator": numerator,
        "denominator": denominator,
        "rate": _rate(numerator, denominator),
        "points": _half_up(exact, 2),
        "lost": _half_up(Fraction(weight) - exact, 2),
        "counted": counted,
        "missed": missed,
        "excluded": excluded or [],
    }


def _report_misses(world: _World, misses: Iterable[tuple[date, int, str]]) -> list[dict[str, Any]]:
    rows = []
    for monday, task_id, status in misses:
        task = world.tasks.get(task_id)
        rows.append(
            {
                "week": week_label(monday),
                "week_start": monday.isoformat(),
                "status": status,
                "status_cn": REPORT_MISS_NAMES[status],
                "task_id": task_id,
                "number": task.number if task else None,
                "title": task.title if task else None,
            }
        )
    return rows


def _slips(session: Session, world: _World, year_: Period) -> dict[int, list[dict[str, Any]]]:
    """task_id → the slips issued in the year, oldest first: {kind, kind_cn, step, period, date}.
    A slip sent to several recipients counts once (task, kind, step, period), dated by its first
    sending. A slip stays issued when the task later completes or is extended; only one withdrawn
    the day it was raised does not count."""
    if not world.plan_ids:
        return {}
    issued = func.min(NoticeIntent.created_on).label("issued_on")
    rows = session.execute(
        select(NoticeIntent.task_id, NoticeIntent.kind, NoticeIntent.step, NoticeIntent.period, issued)
        .where(
            NoticeIntent.kind.in_([str(k) for k in SLIP_KINDS]),
            NoticeIntent.created_on.between(year_.start, world.day),
            or_(NoticeIntent.resolved_on.is_(None), NoticeIntent.resolved_on > NoticeIntent.created_on),
            NoticeIntent.task_id.in_(select(Task.id).where(Task.plan_id.in_(world.plan_ids))),
        )
        .group_by(NoticeIntent.task_id, NoticeIntent.kind, NoticeIntent.step, NoticeIntent.period)
    )
    slips: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for task_id, kind, step, period, issued_on in rows:
        slips[task_id].append(
            {"kind": kind, "kind_cn": SLIP_NAMES.get(kind, kind), "step": step, "period": period, "date": issued_on}
        )
    for items in slips.values():
        items.sort(key=lambda s: (s["date"], s["kind"], s["step"], s["period"]))
    return slips


def _unit_indicators(
    indicators: list[tuple[Indicator, dict[str, Any]]], department_id: int, group: str
) -> list[tuple[Indicator, dict[str, Any]]]:
    """The indicators a unit answers for: a department those it leads, a county-level unit every
    one it is named on (as with tasks)."""
    return [
        (indicator, status)
        for indicator, status in indicators
        if any(
            a.department_id == department_id and (group == "locality" or a.role == Role.LEAD)
            for a in indicator.assignments
        )
    ]


def _indicator_ref(status: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "indicator_id": status["indicator_id"],
        "number": status["number"],
        "name": status["name"],
        "status": status["status"],
        "status_cn": status["status_cn"],
        "note": status["explanation"],
    }


# --- annual: 年终考核 --------------------------------------------------------------------------


def annual_figures(
    session: Session,
    *,
    period: Period | str,
    as_of: date,
    calendar: WorkCalendar,
    jurisdiction: str | None = None,
    cadence: Mapping[str, Any] | None = None,
    light_rules: LightRules | None = None,
    rules: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """年终考核: each unit's score by the declared rules (circular.yaml `annual`), with every point
    traced to the tasks, reports, indicators and slips that earned or lost it, and the ranking.

    Shape (besides the header of every figure: kind, kind_cn, period, scope, as_of, lights_as_of,
    plans)::

        provisional: False
        rules: circular.yaml `annual` + assessment_uses (original | extended, lights/rules.yaml)
        totals: as in every figure (tasks, supervised, by_light, overdue, …)
        reporting: {weeks: n}
        departments / localities: ranked rows, best first, each:
            department_id, department, kind, group (department | locality), tasks,
            due, due_fixed, due_yearly, completed, completed_fixed, met_yearly, on_time,
            reports {weeks, expected, filed, on_time, late, missing},
            slips {yellow_slip: n, red_slip: n},
            indicators {led, judged, on_track},
            rates {completion, on_time, reporting, indicators}: 0–1 to 4 places or None,
            points {completion, on_time, reporting, indicators, deduction (negative)},
            score (0–100, 0.1), rank (ties share a rank: 1, 1, 3),
            facts: [Chinese sentences],
            components: [{key, name, rule, weight, numerator, denominator, rate, points, lost,
                          counted: [ref], missed: [ref], excluded: [ref]}] in the order
                completion, on_time, reporting, indicators. A task ref is {task_id, plan, number,
                title, note}; a report ref {week, week_start, status (missing | late), status_cn,
                task_id, number, title} (reporting lists only what was missed or late: its
                numerator counts the reports filed on time); an indicator ref {indicator_id,
                number, name, status, status_cn, note}.
            deductions: [{kind (yellow_slip | red_slip), kind_cn, date, step, period, points,
                          task_id, plan, number, title, note}] oldest first.
        indicators: {year, summary, items} (indicator_status of each indicator of the plans)
        cells: as in the monthly figures

    Completion counts the tasks due in the year: fixed deadlines falling in it (the original or the
    extended date, per assessment_uses) done by the year's end, and annual and ongoing tasks of a
    plan in force that end the year green or done. Timeliness counts the fixed ones done by that
    date. Reporting counts the weeks of the year closed by `as_of`. Indicators count those the unit
    answers for that are on track (indicator_status); one without a value counts as off track
    unless `indicator_no_data_counts` is 0; one that cannot be judged (no target, no direction) is
    left out. Every slip of the year on the unit's tasks is deducted."""
    period = _period(period, PeriodKind.ANNUAL)
    cadence = load_cadence() if cadence is None else cadence
    light_rules = light_rules or LightRules.load()
    rules = load_rules(rules)["annual"]
    day = min(period.end, as_of)
    year_ = period.start.year
    world = _world(
        session,
        jurisdiction=jurisdiction,
        until=period.end,
        day=day,
        calendar=calendar,
        cadence=cadence,
        light_rules=light_rules,
    )
    original = light_rules.assessment_uses == "original"
    assessed = (lambda t: t.due_date) if original else (lambda t: world.due.get(t.id))
    weeks = _weeks(period, as_of, calendar, cadence)
    reports, misses = _reporting_detail(session, weeks=weeks, calendar=calendar, cadence=cadence, as_of=as_of)
    slips = _slips(session, world, period)
    indicator_rows = [(i, indicator_status(i, year_)) for i in _indicator_objects(session, world.plan_ids)]
    weights, per_slip = rules["weights"], rules["deductions"]
    no_data_counts = bool(rules["indicator_no_data_counts"])
    basis = "原定期限" if original else "期限（含批准的延期）"

    def in_plan_period(task: Task) -> bool:
        plan = task.plan
        return (plan.period_start or year_) <= year_ <= (plan.period_end or year_)

    def due_note(task: Task) -> str:
        due = assessed(task)
        note = f"{basis}{_cn_date(due)}"
        in_force = world.due.get(task.id)
        if original and in_force and task.due_date and in_force != task.due_date:
            note += f"，已批准延期至{_cn_date(in_force)}，考核仍按原定期限"
        return note

    def done_by_day(task: Task) -> bool:
        return task.completed_on is not None and task.completed_on <= day

    groups: dict[str, list[dict[str, Any]]] = {"department": [], "locality": []}
    for department_id, unit in _units(world).items():
        tasks = unit.tasks
        fixed = [t for t in tasks if t.deadline_kind == DeadlineKind.FIXED and (d := assessed(t)) and d in period]
        yearly = [
            t for t in tasks if t.deadline_kind in (DeadlineKind.ANNUAL, DeadlineKind.ONGOING) and in_plan_period(t)
        ]
        fixed_done = [t for t in fixed if done_by_day(t)]
        fixed_on_time = [t for t in fixed_done if t.completed_on <= assessed(t)]
        yearly_met = [t for t in yearly if world.light(t.id) in (Light.GREEN, Light.DONE)]
        filed = dict(reports.get(department_id, _NO_REPORTS))
        own_indicators = _unit_indicators(indicator_rows, department_id, unit.group)
        judged = [
            (i, s)
            for i, s in own_indicators
            if s["on_track"] is not None or (no_data_counts and s["status"] == "no_data")
        ]
        on_track = [(i, s) for i, s in judged if s["on_track"] is True]
        unit_slips = sorted(
            ((slip, t) for t in tasks for slip in slips.get(t.id, [])),
            key=lambda pair: (pair[0]["date"], pair[1].id, pair[0]["kind"]),
        )
        slip_counts = Counter(slip["kind"] for slip, _ in unit_slips)
        yellow_slips, red_slips = slip_counts[NoticeKind.YELLOW_SLIP], slip_counts[NoticeKind.RED_SLIP]

        completion = _component(
            "completion",
            weights["completion"],
            len(fixed_done) + len(yearly_met),
            len(fixed) + len(yearly),
            rule=f"{year_}年到期的任务中已完成的比例；年度任务与持续推进的任务按年末灯色（绿灯或已完成）计",
            counted=[_task_ref(world, t, f"{_cn_date(t.completed_on)}完成（{due_note(t)}）") for t in fixed_done]
            + [_task_ref(world, t, f"年末{LIGHT_NAMES[world.light(t.id)]}") for t in yearly_met],
            missed=[
                _task_ref(world, t, f"截至{_cn_date(day)}未完成（{due_note(t)}）") for t in fixed if not done_by_day(t)
            ]
            + [
                _task_ref(world, t, f"年末{LIGHT_NAMES[world.light(t.id)]}：{world.lights[t.id].reason}")
                for t in yearly
                if t not in yearly_met
            ],
        )
        timeliness = _component(
            "on_time",
            weights["on_time"],
            len(fixed_on_time),
            len(fixed),
            rule=f"{year_}年到期的有期限任务中，在{basis}内完成的比例",
            counted=[
                _task_ref(world, t, f"{_cn_date(t.completed_on)}完成，未超过{due_note(t)}") for t in fixed_on_time
            ],
            missed=[
                _task_ref(world, t, f"{_cn_date(t.completed_on)}完成，晚于{due_note(t)}")
                for t in fixed_done
                if t not in fixed_on_time
            ]
            + [_task_ref(world, t, f"截至{_cn_date(day)}未完成（{due_note(t)}）") for t in fixed if not done_by_day(t)],
        )
        reporting = _component(
            "reporting",
            weights["reporting"],
            filed["on_time"],
            filed["expected"],
            rule=f"{year_}年已截止的报送周中按时报送的比例（按时报送的不逐条列出）",
            counted=[],
            missed=_report_misses(world, misses.get(department_id, [])),
        )
        indicator_part = _component(
            "indicators",
            weights["indicators"],
            len(on_track),
            len(judged),
            rule="所负责指标中，截至年末最新数值达到目标值或向好（保持）的比例"
            + ("；无数据的指标按未达标计" if no_data_counts else "；无数据的指标不计入"),
            counted=[_indicator_ref(s) for _, s in on_track],
            missed=[_indicator_ref(s) for i, s in judged if s["on_track"] is not True],
            excluded=[_indicator_ref(s) for i, s in own_indicators if (i, s) not in judged],
        )
        components = [completion, timeliness, reporting, indicator_part]
        deductions = [
            {
                **{k: slip[k] for k in ("kind", "kind_cn", "step", "period")},
                "date": slip["date"].isoformat(),
                "points": -per_slip[slip["kind"]],
                **_task_ref(
                    world, task, f"{_cn_date(slip['date'])}发出{slip['kind_cn']}，扣{per_slip[slip['kind']]:g}分"
                ),
            }
            for slip, task in unit_slips
        ]
        deduction = scoring.total_deduction(slip_counts, per_slip)
        counts = {c["key"]: (c["numerator"], c["denominator"]) for c in components}
        rates = {name: _rate(*pair) for name, pair in counts.items()}
        points, score = _score({name: _ratio(*pair) for name, pair in counts.items()}, weights, deduction)
        due, completed = completion["denominator"], completion["numerator"]
        facts = [
            f"{year_}年应完成{due}项（有期限{len(fixed)}项、年度及持续推进{len(yearly)}项），"
            f"完成{completed}项（完成率{_pct(rates['completion'])}）",
            f"有期限任务按期完成{len(fixed_on_time)}项（按期率{_pct(rates['on_time'])}）",
            f"全年应报送{filed['expected']}次，按时{filed['on_time']}次、迟报{filed['late']}次、"
            f"未报{filed['missing']}次（按时报送率{_pct(rates['reporting'])}）",
            f"负责指标{len(own_indicators)}项，参评{len(judged)}项、达标或向好{len(on_track)}项"
            f"（指标达标率{_pct(rates['indicators'])}）",
            f"黄色督办单{yellow_slips}张、红色督办单{red_slips}张，扣{scoring.points_text(deduction)}分",
        ]
        groups[unit.group].append(
            {
                "department_id": department_id,
                "department": unit.department.name,
                "kind": unit.department.kind,
                "group": unit.group,
                "tasks": len(tasks),
                "due": due,
                "due_fixed": len(fixed),
                "due_yearly": len(yearly),
                "completed": completed,
                "completed_fixed": len(fixed_done),
                "met_yearly": len(yearly_met),
                "on_time": len(fixed_on_time),
                "reports": {"weeks": len(weeks), **filed},
                "slips": {"yellow_slip": yellow_slips, "red_slip": red_slips},
                "indicators": {"led": len(own_indicators), "judged": len(judged), "on_track": len(on_track)},
                "rates": rates,
                "points": points,
                "score": score,
                "facts": facts,
                "components": components,
                "deductions": deductions,
            }
        )
    for rows in groups.values():
        _rank(rows)
    indicators = [status for _, status in indicator_rows]
    return {
        **_header(PeriodKind.ANNUAL, period, world, as_of),
        "provisional": False,
        "rules": {**rules, "assessment_uses": light_rules.assessment_uses},
        "totals": _totals(world, period),
        "reporting": {"weeks": len(weeks)},
        "departments": groups["department"],
        "localities": groups["locality"],
        "indicators": {"year": year_, "summary": _indicator_summary(indicators), "items": indicators},
        "cells": _cells(session, world, indicators),
    }


# --- self-assessment for the province: 年度自评估（seed 004's shape） ---------------------------

EVALUATION_KIND = "evaluation"  # wufei.importers.records.PlanKind.EVALUATION
ATTRIBUTE_NAMES = {"binding": "约束性", "expected": "预期性"}
LIST_NAMES = {
    "institution": "制度体系",
    "technology": "技术体系",
    "market": "市场体系",
    "regulation": "监管体系",
    "project": "工程项目",
    "main": "主要任务",
}
_NAME_NOISE = set(" \t“”\"'‘’「」《》()（）、，,·.。")


def _name_key(name: str) -> str:
    return "".join(ch for ch in name if ch not in _NAME_NOISE)


def _reference_table(
    session: Session, jurisdiction: Jurisdiction | None, year: int
) -> tuple[Plan | None, list[Indicator]]:
    """The indicator table the province reads: the newest evaluation (kind `evaluation`, seed 004's
    shape) of the jurisdiction issued by the end of `year`, else of its province."""
    if jurisdiction is None:
        return None, []
    for owner_id in [jurisdiction.id, jurisdiction.parent_id]:
        if owner_id is None:
            continue
        source = session.scalars(
            select(Plan)
            .where(
                Plan.jurisdiction_id == owner_id,
                Plan.kind == EVALUATION_KIND,
                Plan.id.in_(select(Indicator.plan_id)),
                (Plan.issued_on.is_(None)) | (Plan.issued_on <= date(year + 1, 12, 31)),
            )
            .order_by(Plan.issued_on.desc().nulls_last(), Plan.id.desc())
            .limit(1)
        ).first()
        if source is not None:
            return source, _indicator_objects(session, [source.id])
    return None, []


def _match(name: str, reference: list[Indicator]) -> Indicator | None:
    """The reference row of the same indicator: the same name once spaces, quotes and brackets are
    dropped, else one name containing the other (four characters at least, one candidate only)."""
    key = _name_key(name)
    exact = [row for row in reference if _name_key(row.name) == key]
    if exact:
        return exact[0]
    near = [
        row
        for row in reference
        if min(len(key), len(_name_key(row.name))) >= 4 and (key in _name_key(row.name) or _name_key(row.name) in key)
    ]
    return near[0] if len(near) == 1 else None


def _observations(
    indicator: Indicator, year: int
) -> tuple[IndicatorValue | None, forecasting.Observation | None, forecasting.Observation | None]:
    """The latest value row up to `year` (numbers or text), and the latest number with the one
    before it (or the baseline, dated by its year or the year before the plan period)."""
    rows = sorted(
        (v for v in indicator.values if v.year <= year and (v.value is not None or v.value_raw)),
        key=lambda v: (v.year, v.recorded_at or utcnow(), v.id or 0),
    )
    numbers = [v for v in rows if v.value is not None]
    latest = forecasting.Observation(numbers[-1].year, numbers[-1].value) if numbers else None
    reference = None
    if latest is not None:
        earlier = [v for v in numbers if v.year < latest.year]
        if earlier:
            reference = forecasting.Observation(earlier[-1].year, earlier[-1].value)
        elif indicator.baseline_value is not None:
            start = indicator.plan.period_start if indicator.plan else None
            reference = forecasting.Observation(
                indicator.baseline_year or (start - 1 if start else None), indicator.baseline_value
            )
    return (rows[-1] if rows else None), latest, reference


def self_assessment_figures(
    session: Session,
    *,
    year: int,
    as_of: date,
    calendar: WorkCalendar,
    jurisdiction: str,
    cadence: Mapping[str, Any] | None = None,
    light_rules: LightRules | None = None,
    rules: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """年度自评估: the city's self-assessment of `year` for the province, due 31 January of the next
    year, in the shape of seed 004 (an indicator table, then task progress by area).

    Shape::

        kind: self_assessment, kind_cn: 年度自评估, year, scope, as_of, lights_as_of,
        due_on, due_on_cn, submit_to (the province), late (as_of after due_on),
        plans: [{plan_id, title, doc_number}], rules: circular.yaml `self_assessment`,
        reference: {plan_id, title, doc_number} | None   (the evaluation table lined up with)
        indicators:
            summary: {total, can_complete, uncertain, binding, expected, unmarked, matched}
            rows: [{seq, indicator_id, plan, number, category, name, unit, marks,
                    target: raw text, target_year, current: {year, value, raw} | None,
                    current_text, status, status_cn, forecast (可以完成 | 存在不确定性), forecast_reason,
                    attribute (binding | expected | None), attribute_cn (约束性 | 预期性 | 未标注),
                    attribute_from (plan | reference | None), leads: [names],
                    reference: {number, name, category, unit, target, attribute_cn,
                                earlier: [{year, value, forecast}]} | None}]
            reference_unmatched: [{number, name, category, attribute_cn}]   (rows of the
                reference table no plan indicator matched, for the office to fill in)
        tasks:
            summary: {tasks, supervised, done, reported}
            areas: [{plan, list_kind, area, tasks, done, reported, by_light, summary,
                     items: [{task_id, number, title, category, leads, light, light_cn, reason,
                              state_cn, completed_on, latest_report: {week, progress, done_text,
                              problems, next_steps, department} | None}]}]

    The current value is the latest one recorded for `year` or before; the forecast follows the
    declared rule of wufei.assessment.forecast; 约束性/预期性 comes from the plan's indicator, else
    from the matching row of the reference table. Areas are the plan's lists and sections
    (list name, else the list kind), in plan order; each task's text is its newest weekly report
    (not returned) for a week of `year`, filed by `as_of`.
    """
    rules = load_rules(rules)["self_assessment"]
    cadence = load_cadence() if cadence is None else cadence
    period = P.year(year)
    day = min(period.end, as_of)
    world = _world(
        session,
        jurisdiction=jurisdiction,
        until=period.end,
        day=day,
        calendar=calendar,
        cadence=cadence,
        light_rules=light_rules,
    )
    place = session.scalar(
        select(Jurisdiction).where(Jurisdiction.name == jurisdiction).options(selectinload(Jurisdiction.parent))
    )
    due_on = date(year + 1, 1, 31)
    source, reference = _reference_table(session, place, year)

    rows, matched_ids = [], set()
    for seq, indicator in enumerate(_indicator_objects(session, world.plan_ids), start=1):
        status = indicator_status(indicator, year)
        shown, latest, before = _observations(indicator, year)
        numeric = indicator.target_kind == "numeric" and indicator.target_value is not None
        target = forecasting.Target(
            indicator.target_value if numeric else None,
            indicator.target_value_high,
            indicator.target_comparator,
            indicator.target_year or indicator.plan.period_end or year,
        )
        verdict, why = forecasting.forecast(
            status=status["status"],
            direction=indicator.direction,
            target=target,
            latest=latest,
            reference=before,
            by_trend=bool(rules["forecast_by_trend"]),
        )
        match = _match(indicator.name, reference)
        if match is not None:
            matched_ids.add(match.id)
        attribute, attribute_from = indicator.attribute, ("plan" if indicator.attribute else None)
        if attribute is None and match is not None and match.attribute:
            attribute, attribute_from = match.attribute, "reference"
        current_text = None
        if shown is not None:
            current_text = shown.value_raw or _num(shown.value)
        rows.append(
            {
                "seq": seq,
                "indicator_id": indicator.id,
                "plan": indicator.plan.doc_number or indicator.plan.title,
                "number": indicator.number,
                "category": indicator.level1 or indicator.category or indicator.level2,
                "name": indicator.name,
                "unit": indicator.unit,
                "marks": indicator.marks,
                "target": indicator.target_raw,
                "target_year": target.year,
                "current": (
                    {"year": shown.year, "value": _num(shown.value), "raw": shown.value_raw} if shown else None
                ),
                "current_text": current_text,
                "status": status["status"],
                "status_cn": status["status_cn"],
                "forecast": verdict,
                "forecast_reason": why,
                "attribute": attribute,
                "attribute_cn": ATTRIBUTE_NAMES.get(attribute or "", "未标注"),
                "attribute_from": attribute_from,
                "leads": status["leads"],
                "reference": (
                    {
                        "number": match.number,
                        "name": match.name,
                        "category": match.category,
                        "unit": match.unit,
                        "target": match.target_raw,
                        "attribute_cn": ATTRIBUTE_NAMES.get(match.attribute or "", "未标注"),
                        "earlier": [
                            {"year": v.year, "value": v.value_raw or _num(v.value), "forecast": v.forecast}
                            for v in match.values
                        ],
                    }
                    if match is not None
                    else None
                ),
            }
        )
    counts = Counter(row["forecast"] for row in rows)
    attributes = Counter(row["attribute"] for row in rows)
    return {
        "kind": "self_assessment",
        "kind_cn": "年度自评估",
        "year": year,
        "scope": world.scope,
        "as_of": as_of.isoformat(),
        "lights_as_of": world.day.isoformat(),
        "due_on": due_on.isoformat(),
        "due_on_cn": _cn_date(due_on),
        "late": as_of > due_on,
        "submit_to": place.parent.name if place is not None and place.parent is not None else None,
        "plans": [{"plan_id": plan.id, "title": plan.title, "doc_number": plan.doc_number} for plan in world.plans],
        "rules": rules,
        "reference": (
            {"plan_id": source.id, "title": source.title, "doc_number": source.doc_number}
            if source is not None
            else None
        ),
        "indicators": {
            "summary": {
                "total": len(rows),
                "can_complete": counts[forecasting.CAN_COMPLETE],
                "uncertain": counts[forecasting.UNCERTAIN],
                "binding": attributes["binding"],
                "expected": attributes["expected"],
                "unmarked": len(rows) - attributes["binding"] - attributes["expected"],
                "matched": sum(1 for row in rows if row["reference"] is not None),
            },
            "rows": rows,
            "reference_unmatched": [
                {
                    "number": r.number,
                    "name": r.name,
                    "category": r.category,
                    "attribute_cn": ATTRIBUTE_NAMES.get(r.attribute or "", "未标注"),
                }
                for r in reference
                if r.id not in matched_ids
            ],
        },
        "tasks": _task_progress(session, world, day=as_of, year_end=period.end, cadence=cadence),
    }


def _task_progress(
    session: Session, world: _World, *, day: date, year_end: date, cadence: Mapping[str, Any]
) -> dict[str, Any]:
    last = _last_reports(
        session,
        task_ids=list(world.tasks),
        day=day,
        cadence=cadence,
        last_week=year_end - timedelta(days=year_end.weekday()),
    )
    areas: dict[tuple[int, str, str], dict[str, Any]] = {}
    for task in world.tasks.values():
        area_name = task.list_name or LIST_NAMES.get(task.list_kind, task.list_kind)
        area = areas.setdefault(
            (task.plan_id, task.list_kind, area_name),
            {
                "plan": task.plan.doc_number or task.plan.title,
                "list_kind": task.list_kind,
                "area": area_name,
                "tasks": 0,
                "done": 0,
                "reported": 0,
                "by_light": dict.fromkeys(LIGHT_NAMES, 0),
                "items": [],
            },
        )
        light = world.light(task.id)
        report = last.get(task.id)
        area["tasks"] += 1
        area["done"] += light == Light.DONE
        area["reported"] += report is not None
        if light:
            area["by_light"][light] += 1
        state = (
            "已完成"
            if light == Light.DONE
            else "未明确牵头单位"
            if light is None
            else "推进中"
            if report is not None
            else "本年度无进展报送"
        )
        area["items"].append(
            {
                "task_id": task.id,
                "number": task.number,
                "title": task.title,
                "category": task.category,
                "leads": _names(task, Role.LEAD),
                "light": light,
                "light_cn": LIGHT_NAMES.get(light, "未纳入督办"),
                "reason": world.lights[task.id].reason if light else "未明确牵头单位，不纳入亮灯",
                "state_cn": state,
                "completed_on": _iso(task.completed_on if light == Light.DONE else None),
                "latest_report": (
                    {
                        "week": week_label(report.week_start),
                        "progress": report.progress,
                        "done_text": report.done_text,
                        "problems": report.problems,
                        "next_steps": report.next_steps,
                        "department": report.department.name,
                    }
                    if report is not None
                    else None
                ),
            }
        )
    for area in areas.values():
        silent = area["tasks"] - area["reported"]
        area["summary"] = (
            f"共{area['tasks']}项任务，已完成{area['done']}项，{area['reported']}项有本年度进展报送，{silent}项没有"
        )
    listed = list(areas.values())
    return {
        "summary": {
            "tasks": len(world.tasks),
            "supervised": len(world.lights),
            "done": sum(a["done"] for a in listed),
            "reported": sum(a["reported"] for a in listed),
        },
        "areas": listed,
    }


# --- province roll-up -------------------------------------------------------------------------

ROLLUP_KINDS = (PeriodKind.MONTHLY, PeriodKind.QUARTERLY, PeriodKind.HALF_YEAR, PeriodKind.ANNUAL)
ROLLUP_METHOD = [
    "任务数、灯色、逾期、到期、完成、按期完成、报送次数、指标数、督办单数、工程项目数：各市与省本级逐项相加，每项任务只属于一个方案，不重复计算。",
    "完成率、按期率、按时报送率、指标达标率、红灯占比：由相加后的分子、分母重新计算，不取各市比率的平均值。",
    "各市得分：按本期规则的权重乘以该市的比率相加（不含扣分，扣分按单位计，与城市规模有关），仅用于各市之间比较；名次并列者同列。",
    "省方案落实：省方案中由某市人民政府负责落实的任务，列在该市一行供参考，只计入省本级，不计入该市。",
]


def _scope_summary(
    world: _World,
    period: Period,
    *,
    reports: Mapping[int, Mapping[str, int]],
    indicators: list[dict[str, Any]],
    slips: Mapping[int, list[dict[str, Any]]],
) -> dict[str, Any]:
    """The countable figures of one scope (numerators and denominators only, so they can be summed)."""
    supervised = world.supervised()
    due = [t for t in supervised if (d := world.due.get(t.id)) is not None and d <= world.day]
    done = [t for t in due if t.completed_on is not None and t.completed_on <= world.day]
    on_time = [t for t in done if t.completed_on <= world.due[t.id]]
    leads = {a.department_id for t in supervised for a in t.assignments if a.role == Role.LEAD}
    filed = dict(_NO_REPORTS)
    for department_id in leads:
        for key in filed:
            filed[key] += reports.get(department_id, _NO_REPORTS)[key]
    projects = [t for t in supervised if t.list_kind == PROJECT]
    slip_counts = Counter(slip["kind"] for t in supervised for slip in slips.get(t.id, []))
    return {
        **_totals(world, period),
        "due": len(due),
        "done": len(done),
        "done_on_time": len(on_time),
        "reports": filed,
        "indicators": {
            "total": len(indicators),
            "judged": sum(1 for i in indicators if i["on_track"] is not None),
            "on_track": sum(1 for i in indicators if i["on_track"] is True),
            "no_data": sum(1 for i in indicators if i["status"] == "no_data"),
        },
        "slips": {"yellow_slip": slip_counts[NoticeKind.YELLOW_SLIP], "red_slip": slip_counts[NoticeKind.RED_SLIP]},
        "projects": {"supervised": len(projects), "to_visit": sum(1 for t in projects if not world.done(t.id))},
    }


def _add(into: dict[str, Any], other: Mapping[str, Any]) -> dict[str, Any]:
    for key, value in other.items():
        if isinstance(value, Mapping):
            _add(into.setdefault(key, {}), value)
        elif isinstance(value, int):
            into[key] = into.get(key, 0) + value
    return into


def _rollup_rates(counts: Mapping[str, Any]) -> dict[str, float | None]:
    return {
        "completion": _rate(counts["done"], counts["due"]),
        "on_time": _rate(counts["done_on_time"], counts["due"]),
        "reporting": _rate(counts["reports"]["on_time"], counts["reports"]["expected"]),
        "indicators": _rate(counts["indicators"]["on_track"], counts["indicators"]["judged"]),
        "red_share": _rate(counts["by_light"]["red"], counts["supervised"]),
    }


def _units_named(world: _World, **kwargs: Any) -> dict[str, Any]:
    """A city's units under the quarterly rules: how many were ranked, praised and named lagging."""
    groups, praised, lagging = _quarter_units(world, **kwargs)
    return {
        "ranked": sum(len(rows) for rows in groups.values()),
        "praised": [row["department"] for row in praised],
        "lagging": [row["department"] for row in lagging],
    }


def province_figures(
    session: Session,
    *,
    kind: str,
    period: Period | str,
    as_of: date,
    calendar: WorkCalendar,
    province: str = "河北省",
    cadence: Mapping[str, Any] | None = None,
    light_rules: LightRules | None = None,
    rules: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The province view: the figures of `kind` (monthly, quarterly, half_year, annual) rolled up over
    the cities under `province` (jurisdictions whose parent it is), with the province's own plan.

    Shape::

        kind, kind_cn, period, scope (the province), as_of, lights_as_of, method: [Chinese sentences]
        weights: the kind's weights (circular.yaml; monthly and half-year use the quarterly ones)
        cities: ranked rows (score, best first; ties share a rank), each:
            scope, level (city), plans: [doc number or title], tasks, supervised, without_lead,
            by_light {green, yellow, red, done}, overdue, due_in_period, done_in_period,
            due, done, done_on_time (deadline in force by the lights' day),
            reports {expected, filed, on_time, late, missing},
            indicators {total, judged, on_track, no_data}, slips {yellow_slip, red_slip},
            projects {supervised, to_visit},
            rates {completion, on_time, reporting, indicators, red_share}, score, rank,
            province_tasks {tasks, by_light}: the province plan's tasks the city government carries out
            units {ranked: n, praised: [names], lagging: [names]}: quarterly only, the city's
                departments and county-level units under the quarterly rules (as in quarterly_figures)
        province_plan: the same row for the province's own plans (level province), without score and rank
        totals: every count summed over the cities and the province's own plans, and rates
                recomputed from those sums

    All cities are read together: the plans, tasks, lights, reports, indicators and slips of the
    whole province are each one read, then split by plan."""
    kind = PeriodKind(kind)
    if kind not in ROLLUP_KINDS:
        raise PeriodError(f"省级汇总不支持{P.KIND_NAMES.get(kind, kind)}")
    period = _period(period, kind)
    cadence = load_cadence() if cadence is None else cadence
    all_rules = load_rules(rules)
    weights = dict((all_rules["annual"] if kind == PeriodKind.ANNUAL else all_rules["quarterly"])["weights"])
    day = min(period.end, as_of)
    top = session.scalar(select(Jurisdiction).where(Jurisdiction.name == province))
    places = [top] if top is not None else []
    if top is not None:
        places += list(
            session.scalars(select(Jurisdiction).where(Jurisdiction.parent_id == top.id).order_by(Jurisdiction.name))
        )
    plans = list(
        session.scalars(
            select(Plan)
            .where(
                Plan.kind == PLAN_KIND,
                Plan.jurisdiction_id.in_([p.id for p in places]),
                (Plan.issued_on.is_(None)) | (Plan.issued_on <= period.end),
            )
            .order_by(Plan.id)
        )
    )
    world = _world_of_plans(
        session,
        plans,
        scope=province,
        jurisdiction=province,
        day=day,
        calendar=calendar,
        cadence=cadence,
        light_rules=light_rules,
    )
    weeks = _weeks(period, as_of, calendar, cadence)
    reports, misses = _reporting_detail(session, weeks=weeks, calendar=calendar, cadence=cadence, as_of=as_of)
    indicators_by_plan: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for indicator in _indicator_objects(session, world.plan_ids):
        indicators_by_plan[indicator.plan_id].append(indicator_status(indicator, period.end.year))
    slips = _slips(session, world, period)

    def summary(place: Jurisdiction) -> dict[str, Any]:
        own = [plan for plan in plans if plan.jurisdiction_id == place.id]
        part = _part(world, own, place.name)
        counts = _scope_summary(
            part,
            period,
            reports=reports,
            slips=slips,
            indicators=[i for plan in own for i in indicators_by_plan[plan.id]],
        )
        return {
            "scope": place.name,
            "level": place.level,
            "plans": [p.doc_number or p.title for p in own],
            **counts,
            "rates": _rollup_rates(counts),
        }

    province_plan = summary(top) if top is not None else None
    cities = []
    for place in places[1:]:
        row = summary(place)
        if not row["plans"]:
            continue
        ratios = {
            "completion": _ratio(row["done"], row["due"]),
            "on_time": _ratio(row["done_on_time"], row["due"]),
            "reporting": _ratio(row["reports"]["on_time"], row["reports"]["expected"]),
            "indicators": _ratio(row["indicators"]["on_track"], row["indicators"]["judged"]),
        }
        row["points"], row["score"] = _score(ratios, weights, 0)
        del row["points"]["deduction"]
        government = f"{place.name}人民政府"
        carried = [
            t
            for t in world.supervised()
            if top is not None
            and t.plan.jurisdiction_id == top.id
            and any(a.department.name == government for a in t.assignments)
        ]
        by_light = Counter(world.light(t.id) for t in carried)
        row["province_tasks"] = {"tasks": len(carried), "by_light": {light: by_light[light] for light in LIGHT_NAMES}}
        if kind == PeriodKind.QUARTERLY:
            row["units"] = _units_named(
                _part(world, [p for p in plans if p.jurisdiction_id == place.id], place.name),
                day=day,
                weeks=weeks,
                reports=reports,
                misses=misses,
                rules=all_rules["quarterly"],
            )
        cities.append(row)
    _rank(cities, name="scope")
    totals: dict[str, Any] = {}
    for row in [*cities, *([province_plan] if province_plan else [])]:
        _add(
            totals,
            {
                key: value
                for key, value in row.items()
                if key not in ("rates", "points", "score", "rank", "province_tasks", "units")
            },
        )
    if totals:
        totals["rates"] = _rollup_rates(totals)
    return {
        "kind": str(kind),
        "kind_cn": P.KIND_NAMES[kind],
        "period": period.as_dict(),
        "scope": province,
        "as_of": as_of.isoformat(),
        "lights_as_of": day.isoformat(),
        "method": ROLLUP_METHOD,
        "weights": weights,
        "reporting": {"weeks": [week_label(w) for w in weeks]},
        "cities": cities,
        "province_plan": province_plan,
        "totals": totals,
    }


# --- keeping them -----------------------------------------------------------------------------


def store_figures(
    session: Session, *, kind: str, period: Period | str, scope: str, as_of: date, figures: Mapping[str, Any]
) -> PeriodFigures:
    """Insert or replace the row of (kind, period, scope): a repeated run replaces it, never a
    second row (ON CONFLICT DO UPDATE, so two runs at once also end with one row)."""
    label = period.label if isinstance(period, Period) else str(period)
    try:
        plain = json.loads(json.dumps(figures, ensure_ascii=False))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"数据无法保存为 JSON：{exc}") from exc
    values = {
        "kind": str(kind),
        "period": label,
        "scope": scope,
        "as_of": as_of,
        "figures": plain,
        "computed_at": utcnow(),
    }
    dialect = session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(PeriodFigures)
        statement = (
            insert.values(**values)
            .on_conflict_do_update(
                index_elements=["kind", "period", "scope"],
                set_={"as_of": as_of, "figures": plain, "computed_at": values["computed_at"]},
            )
            .returning(PeriodFigures.id)
        )
        row_id = session.execute(statement).scalar_one()
        return session.get(PeriodFigures, row_id, populate_existing=True)
    row = session.scalar(
        select(PeriodFigures).where(
            PeriodFigures.kind == values["kind"], PeriodFigures.period == label, PeriodFigures.scope == scope
        )
    )
    if row is None:
        row = PeriodFigures(**values)
        session.add(row)
    else:
        row.as_of, row.figures, row.computed_at = as_of, plain, values["computed_at"]
    session.flush()
    return row

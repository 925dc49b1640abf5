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
- Scores follow the declared rules in `circular.yaml` (see `load_rules`).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timezone
from decimal import Decimal
from fractions import Fraction
from typing import Any, Iterable, Mapping

from sqlalchemy import or_, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, selectinload

from wufei.audit.service import jsonable
from wufei.cadence import periods as P
from wufei.cadence.models import PeriodFigures
from wufei.cadence.periods import Period, PeriodError, PeriodKind
from wufei.cadence.windows import closed_weeks, end_of_day, load_cadence, week_label
from wufei.calendar.workdays import WorkCalendar
from wufei.cells.models import CellCount
from wufei.db import utcnow
from wufei.departments.models import Department, DepartmentKind
from wufei.extensions.models import Extension, ExtensionStatus
from wufei.extensions.service import effective_due_query
from wufei.indicators.models import Indicator, IndicatorDepartment
from wufei.lights.models import Light
from wufei.lights.rules import OVERDUE, LightResult, LightRules
from wufei.lights.service import compute_lights
from wufei.notices.models import NoticeIntent, NoticeKind
from wufei.plans.models import Jurisdiction, Plan
from wufei.reports.models import Report, ReportStatus
from wufei.reports.service import compliance, local_time
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
        "weights": {"completion": 40, "on_time": 30, "reporting": 30},
        "deductions": {"yellow_slip": 2, "red_slip": 5},
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


def _ratio(part: int, whole: int) -> Fraction | None:
    return Fraction(part, whole) if whole else None


def _rate(part: int, whole: int) -> float | None:
    return _half_up(Fraction(part, whole), 4) if whole else None


def _half_up(value: Fraction | float | int, places: int) -> float:
    """Rounded half away from zero (39.25 → 39.3), computed exactly."""
    scaled = Fraction(value) * 10 ** places
    whole = int(abs(scaled) + Fraction(1, 2))
    return float(Fraction(whole if scaled >= 0 else -whole, 10 ** places))


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
        return {"task_id": task.id, "plan": task.plan.doc_number or task.plan.title, "list_kind": task.list_kind,
                "number": task.number, "title": task.title, "leads": _names(task, Role.LEAD),
                "supporting": _names(task, Role.SUPPORTING)}

    def with_light(self, task: Task) -> dict[str, Any]:
        result = self.lights.get(task.id)
        light = str(result.light) if result else None
        return {**self.brief(task), "due_date": _iso(self.due.get(task.id)), "deadline_raw": task.deadline_raw,
                "light": light, "light_cn": LIGHT_NAMES.get(light, "未纳入督办"),
                "reason": result.reason if result else "未明确牵头单位，不纳入亮灯",
                "rules": list(result.rules) if result else []}


def _names(task: Task, role: Role) -> list[str]:
    return [a.department.name for a in task.assignments if a.role == role]


def _scope_plans(session: Session, jurisdiction: str | None, until: date) -> list[Plan]:
    query = (select(Plan).join(Jurisdiction, Jurisdiction.id == Plan.jurisdiction_id)
             .where(Plan.kind == PLAN_KIND, (Plan.issued_on.is_(None)) | (Plan.issued_on <= until)))
    if jurisdiction is not None:
        query = query.where(Jurisdiction.name == jurisdiction)
    return list(session.scalars(query.order_by(Plan.id)))


def _world(session: Session, *, jurisdiction: str | None, until: date, day: date, calendar: WorkCalendar,
           cadence: Mapping[str, Any] | None, light_rules: LightRules | None) -> _World:
    plans = _scope_plans(session, jurisdiction, until)
    plan_ids = [plan.id for plan in plans]
    tasks: dict[int, Task] = {}
    lights: dict[int, LightResult] = {}
    due: dict[int, date | None] = {}
    if plan_ids:
        tasks = {task.id: task for task in session.scalars(
            select(Task).where(Task.plan_id.in_(plan_ids))
            .options(selectinload(Task.plan),
                     selectinload(Task.assignments).selectinload(TaskDepartment.department))
            .order_by(Task.plan_id, Task.id))}
        lights = _lights(session, day=day, calendar=calendar, plan_ids=plan_ids, cadence=cadence,
                         light_rules=light_rules)
        due = dict(session.execute(effective_due_query(day).where(Task.plan_id.in_(plan_ids))).all())
    names = {a.department_id: a.department for task in tasks.values() for a in task.assignments}
    return _World(jurisdiction or ALL_SCOPE, jurisdiction, plans, tasks, day, lights, due, names)


def _lights(session: Session, *, day: date, calendar: WorkCalendar, plan_ids: list[int],
            cadence: Mapping[str, Any] | None, light_rules: LightRules | None) -> dict[int, LightResult]:
    if not plan_ids:
        return {}
    return compute_lights(session, as_of=day, calendar=calendar, rules=light_rules, plan_ids=plan_ids,
                          cadence=cadence)


def _header(kind: PeriodKind, period: Period, world: _World, as_of: date) -> dict[str, Any]:
    return {"kind": str(kind), "kind_cn": P.KIND_NAMES[kind], "period": period.as_dict(), "scope": world.scope,
            "as_of": as_of.isoformat(), "lights_as_of": world.day.isoformat(),
            "plans": [{"plan_id": plan.id, "title": plan.title, "doc_number": plan.doc_number}
                      for plan in world.plans]}


# --- totals -----------------------------------------------------------------------------------

def _totals(world: _World, period: Period) -> dict[str, Any]:
    supervised = world.supervised()
    by_light = {light: 0 for light in LIGHT_NAMES}
    for result in world.lights.values():
        by_light[str(result.light)] += 1
    return {
        "tasks": len(world.tasks),
        "supervised": len(supervised),
        "without_lead": len(world.tasks) - len(supervised),
        "by_light": by_light,
        "overdue": sum(world.overdue(task.id) for task in supervised),
        "due_in_period": sum(1 for task in supervised if (d := world.due.get(task.id)) and d in period),
        "done_in_period": sum(1 for task in supervised
                              if task.completed_on and period.start <= task.completed_on <= world.day),
    }


# --- reporting --------------------------------------------------------------------------------

def _weeks(period: Period, as_of: date, calendar: WorkCalendar, cadence: Mapping[str, Any]) -> list[date]:
    """Mondays in the period whose reporting window closed by the end of `as_of`."""
    return [monday for monday in closed_weeks(as_of, calendar, cadence, period.start)
            if period.start <= monday <= period.end]


def _reporting(session: Session, *, weeks: list[date], calendar: WorkCalendar, cadence: Mapping[str, Any],
               as_of: date) -> dict[int, dict[str, int]]:
    """department_id → expected, filed, on_time, late, missing summed over the weeks."""
    totals: dict[int, dict[str, int]] = defaultdict(lambda: {"expected": 0, "filed": 0, "on_time": 0,
                                                             "late": 0, "missing": 0})
    for monday in weeks:
        for row in compliance(session, week_start=monday, calendar=calendar, cadence=cadence, as_of=as_of):
            counts = totals[row["department_id"]]
            for key in counts:
                counts[key] += row[key]
    return totals


_NO_REPORTS = {"expected": 0, "filed": 0, "on_time": 0, "late": 0, "missing": 0}


# --- per department (monthly) -----------------------------------------------------------------

def _department_rows(world: _World, period: Period, reports: Mapping[int, Mapping[str, int]],
                     weeks: list[date]) -> list[dict[str, Any]]:
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
        rows.append({
            "department_id": department_id, "department": department.name, "kind": department.kind,
            "lead_tasks": len(tasks),
            "done": len(done),
            "done_on_time": sum(1 for t in done if _on_time(t)),
            "done_in_period": sum(1 for t in tasks if t.completed_on and period.start <= t.completed_on <= world.day),
            "overdue": sum(world.overdue(t.id) for t in tasks),
            "red": lights[Light.RED], "yellow": lights[Light.YELLOW], "green": lights[Light.GREEN],
            "reports": {"weeks": len(weeks), **dict(reports.get(department_id, _NO_REPORTS))},
        })
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
        entry = {**world.brief(task), "from": was_light, "to": now_light,
                 "from_cn": LIGHT_NAMES.get(was_light, "未纳入督办"), "to_cn": LIGHT_NAMES[now_light],
                 "reason": now.reason}
        if OVERDUE in now.rules and not (was and OVERDUE in was.rules):
            lists["newly_overdue"].append(entry)
        if now_light == Light.DONE and was_light != Light.DONE:
            lists["closed"].append(entry)
        elif was_light in ("red", "yellow") and now_light == Light.GREEN:
            lists["recovered"].append(entry)
        elif was_light in severity and now_light in severity and severity[now_light] > severity[was_light]:
            lists["worsened"].append(entry)
    return {"since": before_day.isoformat(), **{f"{key}_count": len(value) for key, value in lists.items()},
            **lists}


def _attention(world: _World) -> list[dict[str, Any]]:
    """Red then yellow tasks, earliest deadline first, with the reason and owners."""
    rows = [world.with_light(task) for task in world.supervised() if world.light(task.id) in ("red", "yellow")]
    rows.sort(key=lambda r: (r["light"] != "red", r["due_date"] or "9999", r["task_id"]))
    return rows


# --- indicators -------------------------------------------------------------------------------

def _indicators(session: Session, plan_ids: list[int], year: int) -> list[dict[str, Any]]:
    if not plan_ids:
        return []
    indicators = session.scalars(
        select(Indicator).where(Indicator.plan_id.in_(plan_ids))
        .options(selectinload(Indicator.values),
                 selectinload(Indicator.assignments).selectinload(IndicatorDepartment.department))
        .order_by(Indicator.plan_id, Indicator.id))
    return [indicator_status(indicator, year) for indicator in indicators]


def _meets_target(indicator: Indicator, value: Decimal) -> bool | None:
    if indicator.target_kind != "numeric" or indicator.target_value is None:
        return None
    target, high = indicator.target_value, indicator.target_value_high
    if high is not None:
        return target <= value <= high
    comparator = indicator.target_comparator or ("<=" if indicator.direction == "down" else ">=")
    return {">=": value >= target, ">": value > target, "<=": value <= target, "<": value < target,
            "=": value == target}[comparator]


def indicator_status(indicator: Indicator, year: int) -> dict[str, Any]:
    """An indicator's latest value up to `year` against its target and its direction (pure).

    1. the latest value meets a numeric target (its comparator; a bare number is a level to reach
       in the indicator's direction, ≥ unless it should fall) → 已达到目标值;
    2. else, against the value of the year before it (or the baseline): moving in the good
       direction → 向好, unchanged → 持平, the other way → 变差 (a `hold` indicator: not below → 保持);
    3. else a numeric target not met → 未达到目标值; no value → 暂无数据; no target and no
       direction → 无法判断. On track: 已达到、向好、保持.
    """
    values = sorted((v for v in indicator.values if v.value is not None and v.year <= year),
                    key=lambda v: (v.year, v.recorded_at or utcnow(), v.id or 0))
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
            status, on_track = ("improving", True) if better else (("flat", False) if value == reference
                                                                   else ("worsening", False))
        elif direction == "hold" and reference is not None:
            status, on_track = ("holding", True) if value >= reference else ("worsening", False)
        elif met is False:
            status, on_track = "not_met", False
        else:
            status = "unknown"
    status_cn = {"met": "已达到目标值", "improving": f"较{reference_label}向好", "flat": f"与{reference_label}持平",
                 "worsening": f"较{reference_label}变差", "holding": f"不低于{reference_label}",
                 "not_met": "未达到目标值", "no_data": "暂无数据", "unknown": "无法判断（目标与方向不明）"}[status]
    unit = indicator.unit or ""
    if latest is not None:
        explanation = (f"{latest.year}年{_num(latest.value)}{unit}（"
                       f"{'基线' + (indicator.baseline_raw or '') + '，' if indicator.baseline_raw else ''}"
                       f"目标{indicator.target_raw or '未列'}）：{status_cn}")
    else:
        explanation = f"暂无{year}年及以前的数值（目标{indicator.target_raw or '未列'}）"
    return {
        "indicator_id": indicator.id, "number": indicator.number, "name": indicator.name, "unit": indicator.unit,
        "marks": indicator.marks, "attribute": indicator.attribute, "direction": indicator.direction,
        "baseline": {"raw": indicator.baseline_raw, "value": _num(indicator.baseline_value),
                     "year": indicator.baseline_year},
        "target": {"raw": indicator.target_raw, "kind": indicator.target_kind,
                   "comparator": indicator.target_comparator, "value": _num(indicator.target_value),
                   "value_high": _num(indicator.target_value_high), "year": indicator.target_year},
        "latest": ({"year": latest.year, "value": _num(latest.value), "source": latest.source,
                    "forecast": latest.forecast} if latest else None),
        "compared_with": ({"label": reference_label, "value": _num(reference)} if reference is not None else None),
        "status": status, "status_cn": status_cn, "on_track": on_track, "explanation": explanation,
        "leads": [a.department.name for a in indicator.assignments if a.role == Role.LEAD],
    }


def _indicator_summary(rows: list[dict[str, Any]]) -> dict[str, int]:
    counts = Counter(row["status"] for row in rows)
    return {"total": len(rows), "on_track": sum(1 for r in rows if r["on_track"] is True),
            "off_track": sum(1 for r in rows if r["on_track"] is False),
            **{status: counts[status] for status in
               ("met", "improving", "holding", "flat", "worsening", "not_met", "no_data", "unknown")}}


# --- zero-waste cells -------------------------------------------------------------------------

def _plain(name: str) -> str:
    return "".join(ch for ch in name if ch not in "“”\"'‘’「」")


def _cells(session: Session, world: _World, indicators: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The newest cell counts recorded for the jurisdiction (a progress reply may carry them)
    against the plan total, with each category's target where an indicator names it."""
    query = select(Plan).join(Jurisdiction, Jurisdiction.id == Plan.jurisdiction_id).where(
        Plan.id.in_(select(CellCount.plan_id)))
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
        "planned_total": planned, "built_total": built, "categories_sum": counted,
        "completion_rate": _rate(built, planned) if planned else None,
        "categories": [{"category": row.category, "count": row.count, "unit": row.unit, "status": row.status,
                        "lead": row.lead_department.name if row.lead_department else row.lead_raw,
                        "target": targets.get(row.category, {}).get("value"),
                        "target_indicator": targets.get(row.category, {}).get("indicator")} for row in rows],
        "notes": notes,
    }


# --- next period, extensions ------------------------------------------------------------------

def _falls_due(session: Session, world: _World, window: Period) -> dict[str, Any]:
    tasks = [world.with_light(task) for task in world.supervised()
             if not world.done(task.id) and (d := world.due.get(task.id)) and d in window]
    tasks.sort(key=lambda r: (r["due_date"], r["task_id"]))
    open_ids = [task.id for task in world.supervised() if not world.done(task.id)]
    milestones = []
    if open_ids:
        for milestone in session.scalars(select(Milestone).where(
                Milestone.task_id.in_(select(Task.id).where(Task.plan_id.in_(world.plan_ids))),
                Milestone.due_date.between(window.start, window.end)).order_by(Milestone.due_date, Milestone.id)):
            if milestone.task_id in world.lights and not world.done(milestone.task_id):
                task = world.tasks[milestone.task_id]
                milestones.append({**world.brief(task), "milestone": milestone.title,
                                   "due_date": milestone.due_date.isoformat(),
                                   "expected_progress": milestone.expected_progress})
    return {"period": window.as_dict(), "tasks": tasks, "milestones": milestones}


def _extensions_granted(session: Session, world: _World, period: Period) -> list[dict[str, Any]]:
    if not world.plan_ids:
        return []
    rows = session.scalars(
        select(Extension).join(Task, Task.id == Extension.task_id)
        .where(Task.plan_id.in_(world.plan_ids), Extension.status == ExtensionStatus.APPROVED,
               Extension.decided_on.between(period.start, world.day))
        .options(selectinload(Extension.department)).order_by(Extension.decided_on, Extension.id))
    return [{**world.brief(world.tasks[e.task_id]), "extension_id": e.id, "department": e.department.name,
             "requested_on": e.requested_on.isoformat(), "decided_on": e.decided_on.isoformat(),
             "original_due_date": e.original_due_date.isoformat(), "new_due_date": e.requested_due_date.isoformat(),
             "reason": e.reason} for e in rows]


# --- monthly: 月调度 ---------------------------------------------------------------------------

def monthly_figures(session: Session, *, period: Period | str, as_of: date, calendar: WorkCalendar,
                    jurisdiction: str | None = None, cadence: Mapping[str, Any] | None = None,
                    light_rules: LightRules | None = None) -> dict[str, Any]:
    """月调度: the month's progress by department, changes since last month, red and yellow tasks,
    indicators, zero-waste cells, what falls due next month, extensions granted."""
    period = _period(period, PeriodKind.MONTHLY)
    cadence = load_cadence() if cadence is None else cadence
    day = min(period.end, as_of)
    world = _world(session, jurisdiction=jurisdiction, until=period.end, day=day, calendar=calendar,
                   cadence=cadence, light_rules=light_rules)
    before = P.previous(period)
    before_day = min(before.end, as_of)
    before_lights = _lights(session, day=before_day, calendar=calendar, plan_ids=world.plan_ids, cadence=cadence,
                            light_rules=light_rules)
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


def _rank(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows.sort(key=lambda r: (-r["score"], r["department"], r["department_id"]))
    for row in rows:
        row["rank"] = 1 + sum(1 for other in rows if other["score"] > row["score"])
    return rows


def _score(ratios: Mapping[str, Fraction | None], weights: Mapping[str, float], deduction: float
           ) -> tuple[dict[str, float], float]:
    """Points per item (weight × ratio; no ratio — nothing due, nothing owed — earns the full
    weight) less the deduction; the score is floored at 0 and rounded half up to 0.1."""
    exact = {name: Fraction(weight) * (1 if ratios[name] is None else ratios[name])
             for name, weight in weights.items()}
    exact["deduction"] = -Fraction(deduction)
    points = {name: _half_up(value, 2) for name, value in exact.items()}
    return points, max(0.0, _half_up(sum(exact.values()), 1))


def _task_list(world: _World, tasks: Iterable[Task]) -> list[dict[str, Any]]:
    return [{"task_id": t.id, "number": t.number, "title": t.title, "reason": world.lights[t.id].reason}
            for t in tasks]


def quarterly_figures(session: Session, *, period: Period | str, as_of: date, calendar: WorkCalendar,
                      jurisdiction: str | None = None, cadence: Mapping[str, Any] | None = None,
                      light_rules: LightRules | None = None, rules: Mapping[str, Any] | None = None
                      ) -> dict[str, Any]:
    """季通报: departments and county-level units scored and ranked by the declared rules, those
    praised and those named as lagging, each with the facts behind it."""
    period = _period(period, PeriodKind.QUARTERLY)
    cadence = load_cadence() if cadence is None else cadence
    rules = load_rules(rules)["quarterly"]
    day = min(period.end, as_of)
    world = _world(session, jurisdiction=jurisdiction, until=period.end, day=day, calendar=calendar,
                   cadence=cadence, light_rules=light_rules)
    weeks = _weeks(period, as_of, calendar, cadence)
    reports = _reporting(session, weeks=weeks, calendar=calendar, cadence=cadence, as_of=as_of)

    groups: dict[str, list[dict[str, Any]]] = {"department": [], "locality": []}
    for department_id, unit in _units(world).items():
        tasks = unit.tasks
        due = [t for t in tasks if (d := world.due.get(t.id)) is not None and d <= day]
        done = [t for t in due if t.completed_on is not None and t.completed_on <= day]
        on_time = [t for t in done if t.completed_on <= world.due[t.id]]
        red = [t for t in tasks if world.light(t.id) == Light.RED]
        yellow = [t for t in tasks if world.light(t.id) == Light.YELLOW]
        filed = dict(reports.get(department_id, _NO_REPORTS))
        counts = {"completion": (len(done), len(due)), "on_time": (len(on_time), len(due)),
                  "reporting": (filed["on_time"], filed["expected"])}
        rates = {name: _rate(*pair) for name, pair in counts.items()}
        deduction = rules["deductions"]["red"] * len(red) + rules["deductions"]["yellow"] * len(yellow)
        points, score = _score({name: _ratio(*pair) for name, pair in counts.items()}, rules["weights"], deduction)
        facts = [f"承担任务{len(tasks)}项，截至{_cn_date(day)}到期{len(due)}项、已完成{len(done)}项"
                 f"（完成率{_pct(rates['completion'])}），按期完成{len(on_time)}项（按期率{_pct(rates['on_time'])}）",
                 f"本季度应报送{filed['expected']}次，按时{filed['on_time']}次、迟报{filed['late']}次、"
                 f"未报{filed['missing']}次（按时报送率{_pct(rates['reporting'])}）",
                 f"季末红灯{len(red)}项、黄灯{len(yellow)}项，扣{round(deduction, 2):g}分"]
        groups[unit.group].append({
            "department_id": department_id, "department": unit.department.name, "kind": unit.department.kind,
            "group": unit.group, "tasks": len(tasks), "due": len(due), "done": len(done),
            "done_on_time": len(on_time), "red": len(red), "yellow": len(yellow),
            "reports": {"weeks": len(weeks), **filed},
            "rates": rates, "points": points, "score": score, "facts": facts,
            "red_tasks": _task_list(world, red), "yellow_tasks": _task_list(world, yellow),
        })

    praised, lagging = [], []
    for group, rows in groups.items():
        _rank(rows)
        for row in rows:
            row["praised"] = (row["rank"] <= rules["praise"]["top"] and row["score"] >= rules["praise"]["min_score"]
                              and row["red"] == 0)
            reasons = []
            if rules["lagging"]["red_tasks"] and row["red"] >= rules["lagging"]["red_tasks"]:
                reasons.append(f"有红灯任务{row['red']}项")
            if row["score"] < rules["lagging"]["below_score"]:
                reasons.append(f"得分{row['score']:g}分，低于{rules['lagging']['below_score']:g}分")
            row["lagging"] = bool(reasons)
            named = {"department_id": row["department_id"], "department": row["department"], "group": group,
                     "group_cn": GROUP_NAMES[group], "score": row["score"], "rank": row["rank"],
                     "facts": row["facts"]}
            if row["praised"]:
                praised.append({**named, "reasons": [f"{GROUP_NAMES[group]}第{row['rank']}名，得分{row['score']:g}分，"
                                                     f"无红灯任务"]})
            if row["lagging"]:
                lagging.append({**named, "reasons": reasons, "red_tasks": row["red_tasks"]})
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

def _last_reports(session: Session, *, task_ids: list[int], day: date,
                  cadence: Mapping[str, Any]) -> dict[int, Report]:
    """task_id → its newest report (latest week, then version) submitted by the end of `day`, not returned."""
    if not task_ids:
        return {}
    rank = func.row_number().over(partition_by=Report.task_id,
                                  order_by=(Report.week_start.desc(), Report.version.desc())).label("rank")
    ranked = (select(Report.id, rank).where(
        Report.task_id.in_(task_ids), Report.status != ReportStatus.RETURNED,
        Report.submitted_at < end_of_day(day, cadence).astimezone(timezone.utc))).subquery()
    reports = session.scalars(select(Report).join(ranked, ranked.c.id == Report.id).where(ranked.c.rank == 1)
                              .options(selectinload(Report.department)))
    return {report.task_id: report for report in reports}


def half_year_figures(session: Session, *, period: Period | str, as_of: date, calendar: WorkCalendar,
                      jurisdiction: str | None = None, cadence: Mapping[str, Any] | None = None,
                      light_rules: LightRules | None = None) -> dict[str, Any]:
    """半年观摩: the projects to visit (not done: in progress or at risk), at-risk first, each with
    owners, company, state (light and reason) and last report."""
    period = _period(period, PeriodKind.HALF_YEAR)
    cadence = load_cadence() if cadence is None else cadence
    day = min(period.end, as_of)
    world = _world(session, jurisdiction=jurisdiction, until=period.end, day=day, calendar=calendar,
                   cadence=cadence, light_rules=light_rules)
    projects = [task for task in world.tasks.values() if task.list_kind == PROJECT]
    supervised = [task for task in projects if task.id in world.lights]
    visits = [task for task in supervised if not world.done(task.id)]
    last = _last_reports(session, task_ids=[t.id for t in visits], day=day, cadence=cadence)
    order = {"red": 0, "yellow": 1, "green": 2}
    sites = []
    for task in sorted(visits, key=lambda t: (order[world.light(t.id)], world.due.get(t.id) or date.max, t.id)):
        report = last.get(task.id)
        sites.append({**world.with_light(task), "company": task.responsible_entity, "last_report": (
            {"week": week_label(report.week_start), "week_start": report.week_start.isoformat(),
             "progress": report.progress, "done_text": report.done_text, "problems": report.problems,
             "next_steps": report.next_steps, "department": report.department.name, "late": report.late,
             "status": report.status, "submitted_at": jsonable(local_time(report.submitted_at, cadence))}
            if report else None)})
    by_light = Counter(world.light(t.id) for t in supervised)
    return {
        **_header(PeriodKind.HALF_YEAR, period, world, as_of),
        "totals": {"projects": len(projects), "supervised": len(supervised),
                   "without_lead": len(projects) - len(supervised), "to_visit": len(sites),
                   "by_light": {light: by_light[light] for light in LIGHT_NAMES}},
        "sites": sites,
        "without_lead": [{**world.brief(t), "company": t.responsible_entity, "deadline_raw": t.deadline_raw}
                       for t in projects if t.id not in world.lights],
    }


# --- annual: 年终考核 (provisional) ------------------------------------------------------------

def _slips(session: Session, world: _World, year_: Period) -> dict[int, Counter]:
    """task_id → {yellow_slip: n, red_slip: n}: slips issued in the year; a slip sent to several
    recipients counts once (task, kind, step, period). A slip stays issued when the task later
    completes or is extended; only one withdrawn the day it was raised does not count."""
    if not world.plan_ids:
        return {}
    rows = session.execute(select(NoticeIntent.task_id, NoticeIntent.kind, NoticeIntent.step, NoticeIntent.period)
                           .where(NoticeIntent.kind.in_([str(k) for k in SLIP_KINDS]),
                                  NoticeIntent.created_on.between(year_.start, world.day),
                                  or_(NoticeIntent.resolved_on.is_(None),
                                      NoticeIntent.resolved_on > NoticeIntent.created_on),
                                  NoticeIntent.task_id.in_(select(Task.id).where(Task.plan_id.in_(world.plan_ids))))
                           .distinct())
    slips: dict[int, Counter] = defaultdict(Counter)
    for task_id, kind, _step, _period in rows:
        slips[task_id][kind] += 1
    return slips


def annual_figures(session: Session, *, period: Period | str, as_of: date, calendar: WorkCalendar,
                   jurisdiction: str | None = None, cadence: Mapping[str, Any] | None = None,
                   light_rules: LightRules | None = None, rules: Mapping[str, Any] | None = None
                   ) -> dict[str, Any]:
    """年终考核 (provisional): per unit completion, timeliness, reporting and slips of the year, and
    a provisional score by the declared rules; indicators and cells of the year."""
    period = _period(period, PeriodKind.ANNUAL)
    cadence = load_cadence() if cadence is None else cadence
    light_rules = light_rules or LightRules.load()
    rules = load_rules(rules)["annual"]
    day = min(period.end, as_of)
    year_ = period.start.year
    world = _world(session, jurisdiction=jurisdiction, until=period.end, day=day, calendar=calendar,
                   cadence=cadence, light_rules=light_rules)
    assessed = (lambda t: t.due_date) if light_rules.assessment_uses == "original" else (lambda t: world.due.get(t.id))
    weeks = _weeks(period, as_of, calendar, cadence)
    reports = _reporting(session, weeks=weeks, calendar=calendar, cadence=cadence, as_of=as_of)
    slips = _slips(session, world, period)

    def in_plan_period(task: Task) -> bool:
        plan = task.plan
        return (plan.period_start or year_) <= year_ <= (plan.period_end or year_)

    groups: dict[str, list[dict[str, Any]]] = {"department": [], "locality": []}
    for department_id, unit in _units(world).items():
        tasks = unit.tasks
        fixed = [t for t in tasks if t.deadline_kind == DeadlineKind.FIXED and (d := assessed(t)) and d in period]
        yearly = [t for t in tasks if t.deadline_kind in (DeadlineKind.ANNUAL, DeadlineKind.ONGOING)
                  and in_plan_period(t)]
        fixed_done = [t for t in fixed if t.completed_on is not None and t.completed_on <= day]
        fixed_on_time = [t for t in fixed_done if t.completed_on <= assessed(t)]
        yearly_met = [t for t in yearly if world.light(t.id) in (Light.GREEN, Light.DONE)]
        filed = dict(reports.get(department_id, _NO_REPORTS))
        yellow_slips = sum(slips.get(t.id, Counter())[NoticeKind.YELLOW_SLIP] for t in tasks)
        red_slips = sum(slips.get(t.id, Counter())[NoticeKind.RED_SLIP] for t in tasks)
        due = len(fixed) + len(yearly)
        completed = len(fixed_done) + len(yearly_met)
        counts = {"completion": (completed, due), "on_time": (len(fixed_on_time), len(fixed)),
                  "reporting": (filed["on_time"], filed["expected"])}
        rates = {name: _rate(*pair) for name, pair in counts.items()}
        deduction = rules["deductions"]["yellow_slip"] * yellow_slips + rules["deductions"]["red_slip"] * red_slips
        points, score = _score({name: _ratio(*pair) for name, pair in counts.items()}, rules["weights"], deduction)
        facts = [f"{year_}年应完成{due}项（有期限{len(fixed)}项、年度及持续推进{len(yearly)}项），"
                 f"完成{completed}项（完成率{_pct(rates['completion'])}）",
                 f"有期限任务按期完成{len(fixed_on_time)}项（按期率{_pct(rates['on_time'])}）",
                 f"全年应报送{filed['expected']}次，按时{filed['on_time']}次、迟报{filed['late']}次、"
                 f"未报{filed['missing']}次（按时报送率{_pct(rates['reporting'])}）",
                 f"黄色督办单{yellow_slips}张、红色督办单{red_slips}张，扣{round(deduction, 2):g}分"]
        groups[unit.group].append({
            "department_id": department_id, "department": unit.department.name, "kind": unit.department.kind,
            "group": unit.group, "tasks": len(tasks), "due": due, "due_fixed": len(fixed), "due_yearly": len(yearly),
            "completed": completed, "completed_fixed": len(fixed_done), "met_yearly": len(yearly_met),
            "on_time": len(fixed_on_time), "reports": {"weeks": len(weeks), **filed},
            "slips": {"yellow_slip": yellow_slips, "red_slip": red_slips},
            "rates": rates, "points": points, "score": score, "facts": facts,
        })
    for rows in groups.values():
        _rank(rows)
    indicators = _indicators(session, world.plan_ids, year_)
    return {
        **_header(PeriodKind.ANNUAL, period, world, as_of),
        "provisional": True,
        "rules": {**rules, "assessment_uses": light_rules.assessment_uses},
        "totals": _totals(world, period),
        "reporting": {"weeks": len(weeks)},
        "departments": groups["department"],
        "localities": groups["locality"],
        "indicators": {"year": year_, "summary": _indicator_summary(indicators), "items": indicators},
        "cells": _cells(session, world, indicators),
    }


# --- keeping them -----------------------------------------------------------------------------

def store_figures(session: Session, *, kind: str, period: Period | str, scope: str, as_of: date,
                  figures: Mapping[str, Any]) -> PeriodFigures:
    """Insert or replace the row of (kind, period, scope): a repeated run replaces it, never a
    second row (ON CONFLICT DO UPDATE, so two runs at once also end with one row)."""
    label = period.label if isinstance(period, Period) else str(period)
    try:
        plain = json.loads(json.dumps(figures, ensure_ascii=False))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"数据无法保存为 JSON：{exc}") from exc
    values = {"kind": str(kind), "period": label, "scope": scope, "as_of": as_of, "figures": plain,
              "computed_at": utcnow()}
    dialect = session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(PeriodFigures)
        statement = insert.values(**values).on_conflict_do_update(
            index_elements=["kind", "period", "scope"],
            set_={"as_of": as_of, "figures": plain, "computed_at": values["computed_at"]},
        ).returning(PeriodFigures.id)
        row_id = session.execute(statement).scalar_one()
        return session.get(PeriodFigures, row_id, populate_existing=True)
    row = session.scalar(select(PeriodFigures).where(PeriodFigures.kind == values["kind"],
                                                     PeriodFigures.period == label, PeriodFigures.scope == scope))
    if row is None:
        row = PeriodFigures(**values)
        session.add(row)
    else:
        row.as_of, row.figures, row.computed_at = as_of, plain, values["computed_at"]
    session.flush()
    return row

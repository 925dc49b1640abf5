"""The parts every figure shares: its header, task and light counts, task entries, the lists
the monthly and quarterly figures name, and the breakdown of a score.

All are dataclasses read by attribute; `wufei.figures.codec` stores them as JSON and reads them
back (dates as ISO text)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any, TypedDict

from wufei.cadence import periods as P
from wufei.cadence.periods import Period, PeriodKind
from wufei.chinese import chinese_date, week_label
from wufei.figures.codec import from_json, key, to_json
from wufei.figures.world import NOT_JUDGED, ReportTally, TaskRow, World
from wufei.lights.models import LIGHT_NAMES, UNSUPERVISED, Light


class Figures:
    """What every cadence point's figures are: a dataclass stored as JSON and read back."""

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = to_json(self)
        return data

    @classmethod
    def from_json(cls, data: Any) -> Any:
        return from_json(cls, data)


@dataclass
class PeriodInfo:
    kind: str
    label: str
    chinese: str
    start: date
    end: date

    @classmethod
    def of(cls, period: Period) -> PeriodInfo:
        return cls(str(period.kind), period.label, period.chinese, period.start, period.end)


@dataclass
class PlanRef:
    plan_id: int
    title: str
    doc_number: str | None


@dataclass
class LightCounts:
    green: int = 0
    yellow: int = 0
    red: int = 0
    done: int = 0

    @classmethod
    def of(cls, lights: Counter[Light | None]) -> LightCounts:
        return cls(lights[Light.GREEN], lights[Light.YELLOW], lights[Light.RED], lights[Light.DONE])

    def add(self, other: LightCounts) -> None:
        self.green += other.green
        self.yellow += other.yellow
        self.red += other.red
        self.done += other.done


@dataclass
class Totals:
    tasks: int
    supervised: int
    without_lead: int
    by_light: LightCounts
    overdue: int
    due_in_period: int
    done_in_period: int


@dataclass
class ReportCounts:
    expected: int = 0
    filed: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0

    @classmethod
    def of(cls, tally: ReportTally) -> ReportCounts:
        return cls(tally.expected, tally.filed, tally.on_time, tally.late, tally.missing)

    def add(self, other: ReportCounts) -> None:
        self.expected += other.expected
        self.filed += other.filed
        self.on_time += other.on_time
        self.late += other.late
        self.missing += other.missing


@dataclass
class WeekReportCounts:
    """A unit's reporting over the period's `weeks` closed weeks."""

    weeks: int
    expected: int
    filed: int
    on_time: int
    late: int
    missing: int

    @classmethod
    def of(cls, weeks: int, tally: ReportTally) -> WeekReportCounts:
        return cls(weeks, tally.expected, tally.filed, tally.on_time, tally.late, tally.missing)


@dataclass
class TaskBrief:
    task_id: int
    plan: str
    list_kind: str
    number: str
    title: str
    leads: list[str]
    supporting: list[str]


@dataclass
class TaskWithLight(TaskBrief):
    due_date: date | None
    deadline_raw: str | None
    light: str | None
    light_cn: str
    reason: str
    rules: list[str]


@dataclass
class LightChange(TaskBrief):
    to: str
    from_cn: str
    to_cn: str
    reason: str
    from_: str | None = key("from")  # the light on the earlier day; None: not supervised then (required)


@dataclass
class TaskRef:
    """A task as a breakdown names it: enough to find it in the ledger, and why it counts."""

    task_id: int
    plan: str
    number: str
    title: str
    note: str | None


@dataclass
class ReportMiss:
    """A weekly report missed or filed late."""

    week: str
    week_start: date
    status: str  # missing | late
    status_cn: str
    task_id: int
    number: str | None
    title: str | None


@dataclass
class IndicatorRef:
    indicator_id: int
    number: str | None
    name: str
    status: str
    status_cn: str
    note: str


Ref = TaskRef | ReportMiss | IndicatorRef


@dataclass
class Component:
    """One scored item of a unit: its rule, numerator and denominator, the points earned and
    lost, and what was counted, missed or left out."""

    key: str
    name: str
    rule: str
    weight: float
    numerator: int
    denominator: int
    rate: float | None
    points: float
    lost: float
    counted: list[Ref]
    missed: list[Ref]
    excluded: list[Ref]


@dataclass
class NamedTask:
    task_id: int
    number: str
    title: str
    reason: str


@dataclass
class RuleCheck:
    """One rule that can praise or name a unit, with its threshold and the unit's value."""

    rule: str
    rule_cn: str
    threshold: float
    value: float
    met: bool
    fact: str


COMPONENT_NAMES = {"completion": "完成率", "on_time": "按期率", "reporting": "按时报送率", "indicators": "指标达标率"}
REPORT_MISS_NAMES = {"missing": "未报", "late": "迟报"}
GROUP_NAMES = {"department": "成员单位", "locality": "县市区及功能区"}


# --- building them from a world ----------------------------------------------------------------


def plan_refs(world: World) -> list[PlanRef]:
    return [PlanRef(plan.id, plan.title, plan.doc_number) for plan in world.plans]


class BriefFields(TypedDict):
    """The fields of a TaskBrief, typed, to spread into any entry built on it."""

    task_id: int
    plan: str
    list_kind: str
    number: str
    title: str
    leads: list[str]
    supporting: list[str]


def brief(task: TaskRow) -> BriefFields:
    """The fields of a TaskBrief, to spread into any entry built on it."""
    return {
        "task_id": task.id,
        "plan": task.plan.name,
        "list_kind": str(task.list_kind),
        "number": task.reference,
        "title": task.title,
        "leads": task.leads,
        "supporting": task.supporting,
    }


def with_light(world: World, task: TaskRow) -> TaskWithLight:
    result = world.lights.get(task.id)
    if result is None:
        light, light_cn, reason, rules = None, UNSUPERVISED, NOT_JUDGED, []
    else:
        light, light_cn, reason, rules = str(result.light), LIGHT_NAMES[result.light], result.reason, list(result.rules)
    return TaskWithLight(
        **brief(task),
        due_date=world.due.get(task.id),
        deadline_raw=task.deadline_raw,
        light=light,
        light_cn=light_cn,
        reason=reason,
        rules=rules,
    )


def task_ref(task: TaskRow, note: str | None = None) -> TaskRef:
    return TaskRef(task.id, task.plan.name, task.reference, task.title, note)


def report_misses(world: World, misses: list[tuple[date, int, str]]) -> list[Ref]:
    rows: list[Ref] = []
    for monday, task_id, status in misses:
        task = world.tasks.get(task_id)
        rows.append(
            ReportMiss(
                week=week_label(monday),
                week_start=monday,
                status=status,
                status_cn=REPORT_MISS_NAMES[status],
                task_id=task_id,
                number=task.reference if task else None,
                title=task.title if task else None,
            )
        )
    return rows


def totals(world: World, period: Period, *, original: bool = False) -> Totals:
    """The counts of the opening paragraph. Due in the period: World.due_in (the deadline in force
    as written, a holiday's roll-over left out; `original`: the printed one, as the year-end
    assessment may); overdue: the lights' rule on the lights' day. Every bulletin counts these the
    same way."""
    supervised = world.supervised()
    by_light = LightCounts.of(Counter(result.light for result in world.lights.values()))
    return Totals(
        tasks=len(world.tasks),
        supervised=len(supervised),
        without_lead=len(world.tasks) - len(supervised),
        by_light=by_light,
        overdue=sum(world.overdue(task.id) for task in supervised),
        due_in_period=sum(1 for task in supervised if world.due_in(task, period.start, period.end, original=original)),
        done_in_period=sum(
            1 for task in supervised if task.completed_on and period.start <= task.completed_on <= world.day
        ),
    )


def light_name(light: str | None) -> str:
    return LIGHT_NAMES.get(light, UNSUPERVISED) if light is not None else UNSUPERVISED


def pct(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def listed(parts: list[tuple[str, int | float, str]]) -> str:
    """「按时31次、未报8次」: the counts that are not zero, each with its word and unit, as a person
    writes them (「迟报0次」 in a sentence reads like a machine's); "" when all are zero."""
    return "、".join(f"{word}{count:g}{unit}" for word, count, unit in parts if count)


def reporting_fact(prefix: str, expected: int, on_time: int, late: int, missing: int, rate: float | None) -> str:
    """本季度应报送39次，按时31次、未报8次（按时报送率79.5%）; 本季度无应报送周次 when nothing was due."""
    if not expected:
        return f"{prefix}无应报送周次"
    counts = listed([("按时", on_time, "次"), ("迟报", late, "次"), ("未报", missing, "次")])
    return f"{prefix}应报送{expected}次，{counts}（按时报送率{pct(rate)}）"


def checked_period(period: Period | str, kind: PeriodKind) -> Period:
    """`period` (or its label) when it is a period of `kind`."""
    period = P.parse(period) if isinstance(period, str) else period
    if period.kind != kind:
        raise P.PeriodError(f"{P.KIND_NAMES[kind]}需要{kind.value}期间，收到 {period.label}")
    return period


def cn(day: date) -> str:
    return chinese_date(day)

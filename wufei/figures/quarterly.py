"""季通报: departments and county-level units scored and ranked by the declared rules
(circular.yaml `quarterly`), those praised and those named as lagging, each with the rule that
named it and the facts behind it.

Due: the deadline in force (approved extensions included; one before the plan was issued only once
the office acts: World.period_due) falls by the quarter's end (or `as_of`); done and on time are
judged on that deadline, on a holiday rolled over to the next working day (World.scored_due). Red
and yellow are the lights on that day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from wufei.assessment import scoring
from wufei.assessment.rules import QuarterlyRules, weights_of
from wufei.cadence import periods as P
from wufei.cadence.periods import PeriodKind
from wufei.chinese import chinese_date, week_label
from wufei.figures.codec import absent_when_none
from wufei.figures.common import (
    GROUP_NAMES,
    Component,
    Figures,
    NamedTask,
    PeriodInfo,
    PlanRef,
    RuleCheck,
    Totals,
    WeekReportCounts,
    listed,
    pct,
    plan_refs,
    report_misses,
    reporting_fact,
    task_ref,
    totals,
)
from wufei.figures.monthly import IndicatorTracking, indicator_tracking
from wufei.figures.units import component, units
from wufei.figures.world import Reporting, TaskRow, World
from wufei.lights.models import LIGHT_NAMES, Light
from wufei.lights.rules import BEFORE_ISSUE, LAG, MILESTONE_MISSED, MISSING_REPORTS, OVERDUE


@dataclass
class Weeks:
    weeks: list[str]


@dataclass
class QuarterRates:
    completion: float | None
    on_time: float | None
    reporting: float | None


@dataclass
class QuarterPoints:
    completion: float
    on_time: float
    reporting: float
    deduction: float


@dataclass
class LightDeduction:
    kind: str  # red | yellow
    kind_cn: str
    points: float
    task_id: int
    plan: str
    number: str
    title: str
    note: str | None


@dataclass
class QuarterUnit:
    department_id: int
    department: str
    kind: str
    group: str
    tasks: int
    due: int
    done: int
    done_on_time: int
    red: int
    yellow: int
    reports: WeekReportCounts
    rates: QuarterRates
    points: QuarterPoints
    score: float
    facts: list[str]
    red_tasks: list[NamedTask]
    yellow_tasks: list[NamedTask]
    components: list[Component]
    deductions: list[LightDeduction]
    rank: int = 0
    praised: bool = False
    lagging: bool = False


@dataclass
class Praised:
    department_id: int
    department: str
    group: str
    group_cn: str
    score: float
    rank: int
    facts: list[str]
    reasons: list[str]
    rules: list[RuleCheck]


@dataclass
class Lagging(Praised):
    red_tasks: list[NamedTask] = field(default_factory=list)


@dataclass
class QuarterlyFigures(Figures):
    kind: str
    kind_cn: str
    period: PeriodInfo
    scope: str
    as_of: date
    lights_as_of: date
    plans: list[PlanRef]
    rules: QuarterlyRules
    totals: Totals
    reporting: Weeks
    departments: list[QuarterUnit]
    localities: list[QuarterUnit]
    praised: list[Praised]
    lagging: list[Lagging]
    tracking: IndicatorTracking | None = absent_when_none()  # figures stored before tracking have none


def quarterly_figures(session: Session, world: World) -> QuarterlyFigures:
    rules = world.rules.scoring.quarterly
    reporting = world.reporting(session)
    groups, praised, lagging = quarter_units(world, reporting, rules)
    return QuarterlyFigures(
        kind=str(PeriodKind.QUARTERLY),
        kind_cn=P.KIND_NAMES[PeriodKind.QUARTERLY],
        period=PeriodInfo.of(world.period),
        scope=world.scope,
        as_of=world.as_of,
        lights_as_of=world.day,
        plans=plan_refs(world),
        rules=rules,
        totals=totals(world, world.period),
        reporting=Weeks([week_label(w) for w in world.weeks()]),
        departments=groups["department"],
        localities=groups["locality"],
        praised=praised,
        lagging=lagging,
        tracking=indicator_tracking(session, world),
    )


def _named(world: World, tasks: list[TaskRow]) -> list[NamedTask]:
    return [NamedTask(t.id, t.reference, t.title, world.lights[t.id].reason) for t in tasks]


def _components(
    world: World,
    day: date,
    rules: QuarterlyRules,
    due: list[TaskRow],
    done: list[TaskRow],
    on_time: list[TaskRow],
    expected: int,
    filed_on_time: int,
    misses: list[tuple[date, int, str]],
) -> list[Component]:
    def due_text(task: TaskRow) -> str:
        return world.due_text(task)

    weights = rules.weights
    late = [t for t in done if t not in on_time]
    open_ = [t for t in due if t not in done]
    return [
        component(
            "completion",
            weights.completion,
            len(done),
            len(due),
            rule=f"截至{chinese_date(day)}已到期的任务中已完成的比例",
            counted=[task_ref(t, f"{_cn(t.completed_on)}完成（{due_text(t)}）") for t in done],
            missed=[task_ref(t, f"未完成（{due_text(t)}）") for t in open_],
        ),
        component(
            "on_time",
            weights.on_time,
            len(on_time),
            len(due),
            rule="已到期的任务中，在期限（含批准的延期）内完成的比例",
            counted=[task_ref(t, f"{_cn(t.completed_on)}完成，未超过{due_text(t)}") for t in on_time],
            missed=[task_ref(t, f"{_cn(t.completed_on)}完成，晚于{due_text(t)}") for t in late]
            + [task_ref(t, f"未完成（{due_text(t)}）") for t in open_],
        ),
        component(
            "reporting",
            weights.reporting,
            filed_on_time,
            expected,
            rule="本季度已截止的报送周中按时报送的比例（按时报送的不逐条列出）",
            counted=[],
            missed=report_misses(world, misses),
        ),
    ]


def _cn(day: date | None) -> str:
    return chinese_date(day) if day is not None else "—"


def tied(rank: int, ranks: list[int]) -> str:
    """并列 when another unit of the group shares the place."""
    return "并列" if ranks.count(rank) > 1 else ""


def _praise_rules(unit: QuarterUnit, rules: QuarterlyRules) -> list[RuleCheck]:
    """The three conditions of praise, each with its threshold, the unit's value and whether it holds."""
    praise = rules.praise
    return [
        RuleCheck(
            "praise.top",
            f"排名前{praise.top:g}位（并列同列）",
            praise.top,
            unit.rank,
            unit.rank <= praise.top,
            f"排名第{unit.rank}位",
        ),
        RuleCheck(
            "praise.min_score",
            f"得分不低于{praise.min_score:g}分",
            praise.min_score,
            unit.score,
            unit.score >= praise.min_score,
            f"得分{unit.score:g}分",
        ),
        RuleCheck("praise.no_red", "没有红灯任务", 0, unit.red, unit.red == 0, f"红灯任务{unit.red}项"),
    ]


def _lagging_rules(unit: QuarterUnit, rules: QuarterlyRules) -> list[RuleCheck]:
    """Each rule that can name a unit as lagging (a threshold of 0 turns it off), with the unit's value."""
    red_tasks, below = rules.lagging.red_tasks, rules.lagging.below_score
    return [
        RuleCheck(
            "lagging.red_tasks",
            f"红灯任务达到{red_tasks:g}项",
            red_tasks,
            unit.red,
            bool(red_tasks) and unit.red >= red_tasks,
            f"有红灯任务{unit.red}项",
        ),
        RuleCheck(
            "lagging.below_score",
            f"得分低于{below:g}分",
            below,
            unit.score,
            unit.score < below,
            f"得分{unit.score:g}分，低于{below:g}分",
        ),
    ]


def due_by(world: World, tasks: list[TaskRow], day: date) -> tuple[list[TaskRow], list[TaskRow], list[TaskRow]]:
    """The tasks due by `day` (World.period_due: the deadline in force as written; one before the
    plan not due until the office acts), those of them done by then (World.done_by) and those done
    on time (World.scored_due: rolled over a holiday)."""
    due = [t for t in tasks if (d := world.period_due(t)) is not None and d <= day]
    done = [t for t in due if world.done_by(t, day)]
    on_time = [t for t in done if _on_or_before(t.completed_on, world.scored_due(t))]
    return due, done, on_time


def answers_for_red(world: World, task: TaskRow, department_id: int) -> bool:
    """Whether a unit answers for a task's red light: a lead always; a unit named beside the lead
    (a county supporting it) not when the task is red only for missed weekly reports, which the
    lead owes (DOMAIN.md)."""
    if any(owner.department_id == department_id for owner in task.lead_owners):
        return True
    fired = set(world.lights[task.id].rules)
    return MISSING_REPORTS not in fired or bool(fired & _TASK_RULES)


_TASK_RULES = frozenset({OVERDUE, BEFORE_ISSUE, MILESTONE_MISSED, LAG})  # the task's state, not its reporting


def _on_or_before(day: date | None, limit: date | None) -> bool:
    return day is not None and limit is not None and day <= limit


def quarter_units(
    world: World, reporting: Reporting, rules: QuarterlyRules
) -> tuple[dict[str, list[QuarterUnit]], list[Praised], list[Lagging]]:
    """The scored, ranked units of a world by the quarterly rules, and those praised and lagging."""
    day = world.day
    weeks = len(reporting.weeks)
    per_light = {"red": rules.deductions.red, "yellow": rules.deductions.yellow}
    groups: dict[str, list[QuarterUnit]] = {"department": [], "locality": []}
    for department_id, unit in units(world).items():
        tasks = unit.tasks
        due, done, on_time = due_by(world, tasks, day)
        red_lit = [t for t in tasks if world.light(t.id) == Light.RED]
        red = [t for t in red_lit if answers_for_red(world, t, department_id)]
        others_red = [t for t in red_lit if t not in red]
        yellow = [t for t in tasks if world.light(t.id) == Light.YELLOW]
        filed = reporting.of(department_id)
        counts = {
            "completion": (len(done), len(due)),
            "on_time": (len(on_time), len(due)),
            "reporting": (filed.on_time, filed.expected),
        }
        rates = {name: scoring.rate(*pair) for name, pair in counts.items()}
        deduction = per_light["red"] * len(red) + per_light["yellow"] * len(yellow)
        points, score = scoring.score(
            {name: scoring.ratio(*pair) for name, pair in counts.items()}, weights_of(rules.weights), deduction
        )
        facts = [
            (
                f"承担任务{len(tasks)}项，截至{chinese_date(day)}到期{len(due)}项、已完成{len(done)}项"
                f"（完成率{pct(rates['completion'])}），按期完成{len(on_time)}项（按期率{pct(rates['on_time'])}）"
                if due
                else f"承担任务{len(tasks)}项，截至{chinese_date(day)}无到期任务"
            ),
            reporting_fact("本季度", filed.expected, filed.on_time, filed.late, filed.missing, rates["reporting"]),
            (
                f"季末{listed([('红灯', len(red), '项'), ('黄灯', len(yellow), '项')])}，扣{round(deduction, 2):g}分"
                if red or yellow
                else "季末无红灯、黄灯任务"
            ),
            *(
                [f"另有红灯任务{len(others_red)}项仅因牵头单位未按时报送，由牵头单位负责，不计入本单位"]
                if others_red
                else []
            ),
        ]
        groups[unit.group].append(
            QuarterUnit(
                department_id=department_id,
                department=unit.owner.name,
                kind=str(unit.owner.kind),
                group=unit.group,
                tasks=len(tasks),
                due=len(due),
                done=len(done),
                done_on_time=len(on_time),
                red=len(red),
                yellow=len(yellow),
                reports=WeekReportCounts.of(weeks, filed),
                rates=QuarterRates(**rates),
                points=QuarterPoints(**points),
                score=score,
                facts=facts,
                red_tasks=_named(world, red),
                yellow_tasks=_named(world, yellow),
                components=_components(
                    world,
                    day,
                    rules,
                    due,
                    done,
                    on_time,
                    filed.expected,
                    filed.on_time,
                    reporting.misses.get(department_id, []),
                ),
                deductions=[
                    LightDeduction(
                        kind=light,
                        kind_cn=f"季末{LIGHT_NAMES[light]}",
                        points=-per_light[light],
                        task_id=t.id,
                        plan=t.plan.name,
                        number=t.reference,
                        title=t.title,
                        note=f"{world.lights[t.id].reason}，扣{per_light[light]:g}分",
                    )
                    for light, listed in (("red", red), ("yellow", yellow))
                    for t in listed
                ],
            )
        )

    praised, lagging = [], []
    for group, rows in groups.items():
        scoring.rank(rows, name=lambda r: r.department, tiebreak=lambda r: r.department_id)
        ranks = [r.rank for r in rows]
        for row in rows:
            praise_rules = _praise_rules(row, rules)
            lagging_rules = _lagging_rules(row, rules)
            row.praised = all(rule.met for rule in praise_rules)
            row.lagging = any(rule.met for rule in lagging_rules)
            if row.praised:
                place = f"{tied(row.rank, ranks)}第{row.rank}名"
                praised.append(
                    Praised(
                        row.department_id,
                        row.department,
                        group,
                        GROUP_NAMES[group],
                        row.score,
                        row.rank,
                        row.facts,
                        reasons=[f"{GROUP_NAMES[group]}{place}，得分{row.score:g}分，无红灯任务"],
                        rules=praise_rules,
                    )
                )
            if row.lagging:
                met = [rule for rule in lagging_rules if rule.met]
                lagging.append(
                    Lagging(
                        row.department_id,
                        row.department,
                        group,
                        GROUP_NAMES[group],
                        row.score,
                        row.rank,
                        row.facts,
                        reasons=[rule.fact for rule in met],
                        rules=met,
                        red_tasks=row.red_tasks,
                    )
                )
    return groups, praised, lagging

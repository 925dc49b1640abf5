"""年终考核: each unit's score by the declared rules (circular.yaml `annual`), with every point
traced to the tasks, reports, indicators and slips that earned or lost it, and the ranking.

Completion counts the tasks due in the year: fixed deadlines falling in it (the original or the
extended date, per lights/rules.yaml `assessment_uses`) done by the year's end, and annual and
ongoing tasks of a plan in force that end the year green or done. Timeliness counts the fixed
ones done by that date. Reporting counts the weeks of the year closed by `as_of`. Indicators
count those the unit answers for that are on track (indicator_status); one without a value
counts as off track unless `indicator_no_data_counts` is 0; one that cannot be judged (no
target, no direction) is left out. Every slip of the year on the unit's tasks is deducted, except,
judged by the extended deadline, one sent against a deadline an approved extension replaced (listed,
not deducted).

Indicators are judged on the values imported from plans and evaluations and on the values the
departments reported for periods ending in the year or before that the office accepted (采纳) by
the end of `as_of` (VALUES_RULE). A value awaiting review neither earns nor loses points: the
score ranks departments officially, so a number counts once the office has checked it, and a
department is not marked down for a review still in the office's hands. An indicator whose
only values await review is left out (不计入, named so that the office reviews it before issuing);
one with an older accepted value is judged on that, the newer value named as awaiting review.
A returned value never counts. The bulletin's indicator tables show every value not returned,
awaiting review or not (as the tracking), marked 待审核.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy.orm import Session

from wufei.assessment import scoring
from wufei.assessment.rules import AnnualRules, AnnualWeights, SlipDeductions, weights_of
from wufei.cadence import periods as P
from wufei.cadence.periods import PeriodKind
from wufei.chinese import chinese_date
from wufei.figures.codec import absent_when_none
from wufei.figures.common import (
    Component,
    Figures,
    IndicatorRef,
    PeriodInfo,
    PlanRef,
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
from wufei.figures.monthly import Cells, Indicators, IndicatorTracking, cells, indicator_tracking
from wufei.figures.units import component, units
from wufei.figures.world import SLIP_NAMES, Slip, TaskRow, World, slips
from wufei.indicators.models import Indicator
from wufei.indicators.status import IndicatorStatus, IndicatorSummary
from wufei.lights.models import LIGHT_NAMES, Light
from wufei.notices.models import NoticeKind
from wufei.tasks.deadlines import DeadlineKind
from wufei.tasks.models import Role


@dataclass
class AnnualRulesUsed:
    """circular.yaml `annual`, and which deadline the assessment judges by (lights/rules.yaml)."""

    weights: AnnualWeights
    deductions: SlipDeductions
    indicator_no_data_counts: float
    assessment_uses: str  # original | extended
    indicator_values: str | None = absent_when_none()  # VALUES_RULE; none in figures stored before it


VALUES_RULE = (
    "指标数值以方案、评估文件所列数值和各部门填报并经领导小组办公室采纳的数值为准；"
    "待审核的填报数值未经核实，既不得分也不失分（仅有待审核数值的指标不参评，宜在考核前审核完毕），"
    "已退回的不计入"
)


@dataclass
class WeekCount:
    weeks: int


@dataclass
class SlipCounts:
    yellow_slip: int
    red_slip: int


@dataclass
class IndicatorCounts:
    led: int
    judged: int
    on_track: int


@dataclass
class AnnualRates:
    completion: float | None
    on_time: float | None
    reporting: float | None
    indicators: float | None


@dataclass
class AnnualPoints:
    completion: float
    on_time: float
    reporting: float
    indicators: float
    deduction: float


@dataclass
class SlipDeduction:
    kind: str  # yellow_slip | red_slip
    kind_cn: str
    step: str
    period: str
    date: date
    points: float
    task_id: int
    plan: str
    number: str
    title: str
    note: str | None


@dataclass
class AnnualUnit:
    department_id: int
    department: str
    kind: str
    group: str
    tasks: int
    due: int
    due_fixed: int
    due_yearly: int
    completed: int
    completed_fixed: int
    met_yearly: int
    on_time: int
    reports: WeekReportCounts
    slips: SlipCounts
    indicators: IndicatorCounts
    rates: AnnualRates
    points: AnnualPoints
    score: float
    facts: list[str]
    components: list[Component]
    deductions: list[SlipDeduction]
    rank: int = 0


@dataclass
class AnnualFigures(Figures):
    kind: str
    kind_cn: str
    period: PeriodInfo
    scope: str
    as_of: date
    lights_as_of: date
    plans: list[PlanRef]
    provisional: bool
    rules: AnnualRulesUsed
    totals: Totals
    reporting: WeekCount
    departments: list[AnnualUnit]
    localities: list[AnnualUnit]
    indicators: Indicators
    cells: Cells | None
    tracking: IndicatorTracking | None = absent_when_none()  # figures stored before tracking have none


def _indicator_ref(status: IndicatorStatus) -> IndicatorRef:
    return IndicatorRef(
        status.indicator_id, status.number, status.name, status.status, status.status_cn, status.explanation
    )


@dataclass(eq=False)
class ScoredIndicator:
    """An indicator as the score judges it (`scored`: on accepted values) and as the tables show it
    (`shown`: every value not returned)."""

    indicator: Indicator
    scored: IndicatorStatus
    shown: IndicatorStatus

    @property
    def awaiting_review(self) -> bool:
        """Its only values for the year await review: left out of the score."""
        return self.scored.latest is None and self.shown.latest is not None

    def ref(self) -> IndicatorRef:
        latest, scored = self.shown.latest, _indicator_ref(self.scored)
        if latest is None or not latest.pending:
            return scored
        filed = f"{latest.period_name}填报{latest.value}{self.shown.unit or ''}"
        if self.awaiting_review:
            return replace(scored, status="pending", status_cn="数值待审核", note=f"{filed}，待审核，采纳后计入")
        newer = f"（{filed}待审核，未计入）"
        return replace(scored, status_cn=scored.status_cn + newer, note=scored.note + newer)


def _unit_indicators(indicators: list[ScoredIndicator], department_id: int, group: str) -> list[ScoredIndicator]:
    """The indicators a unit answers for: a department those it leads, a county-level unit every
    one it is named on (as with tasks)."""
    return [
        row
        for row in indicators
        if any(
            a.department_id == department_id and (group == "locality" or a.role == Role.LEAD)
            for a in row.indicator.assignments
        )
    ]


@dataclass
class YearTasks:
    """The tasks of some unit (or place) the year-end assessment counts, by its rules."""

    fixed: list[TaskRow]  # with a deadline falling in the year (the date `assessment_uses` names)
    yearly: list[TaskRow]  # annual and ongoing tasks of a plan in force that year
    fixed_done: list[TaskRow]  # … done by the lights' day (or a deadline rolled past it: World.done_by)
    fixed_on_time: list[TaskRow]  # … by that deadline
    yearly_met: list[TaskRow]  # … ending the year green or done

    @property
    def due(self) -> int:
        return len(self.fixed) + len(self.yearly)

    @property
    def completed(self) -> int:
        return len(self.fixed_done) + len(self.yearly_met)


def year_tasks(world: World, tasks: list[TaskRow]) -> YearTasks:
    """The assessment's tasks due in the world's year (World.period_due by lights/rules.yaml
    `assessment_uses`), those done (World.done_by) and done on time (World.scored_due); shared by
    the province roll-up."""
    period, day = world.period, world.day
    year = period.start.year
    original = world.rules.lights.assessment_uses == "original"

    def in_plan_period(task: TaskRow) -> bool:
        plan = task.plan
        return (plan.period_start or year) <= year <= (plan.period_end or year)

    fixed = [
        t
        for t in tasks
        if t.deadline_kind == DeadlineKind.FIXED and world.due_in(t, period.start, period.end, original=original)
    ]
    yearly = [t for t in tasks if t.deadline_kind in (DeadlineKind.ANNUAL, DeadlineKind.ONGOING) and in_plan_period(t)]
    fixed_done = [t for t in fixed if world.done_by(t, day, original=original)]
    fixed_on_time = [t for t in fixed_done if _on_or_before(t.completed_on, world.scored_due(t, original=original))]
    yearly_met = [t for t in yearly if world.light(t.id) in (Light.GREEN, Light.DONE)]
    return YearTasks(fixed, yearly, fixed_done, fixed_on_time, yearly_met)


def judged_indicators(rows: list[ScoredIndicator], no_data_counts: bool) -> list[ScoredIndicator]:
    """The indicators the assessment judges: those with an accepted value that can be judged, and,
    when `indicator_no_data_counts`, those without data (counted off track); none whose only
    values await review. Shared by the province roll-up."""
    return [
        row
        for row in rows
        if not row.awaiting_review
        and (row.scored.on_track is not None or (no_data_counts and row.scored.status == "no_data"))
    ]


def scored_indicators(session: Session, world: World, year: int) -> list[ScoredIndicator]:
    """The world's indicators as the assessment judges them (accepted values) and shows them."""
    return [
        ScoredIndicator(i, scored, shown)
        for i, scored, shown in zip(
            world.indicators(session),
            world.indicator_statuses(session, year, accepted_only=True),
            world.indicator_statuses(session, year),
            strict=True,
        )
    ]


def annual_figures(session: Session, world: World) -> AnnualFigures:
    rules: AnnualRules = world.rules.scoring.annual
    light_rules = world.rules.lights
    period, day = world.period, world.day
    year_ = period.start.year
    original = light_rules.assessment_uses == "original"

    weeks = world.weeks()
    reporting = world.reporting(session)
    issued = slips(session, world)
    statuses = world.indicator_statuses(session, year_)
    indicator_rows = scored_indicators(session, world, year_)
    weights = rules.weights
    per_slip = {NoticeKind.YELLOW_SLIP: rules.deductions.yellow_slip, NoticeKind.RED_SLIP: rules.deductions.red_slip}
    no_data_counts = bool(rules.indicator_no_data_counts)
    basis = "原定期限" if original else "期限（含批准的延期）"

    def due_note(task: TaskRow) -> str:
        note = world.due_text(task, original=original, basis=basis)
        in_force = world.due.get(task.id)
        if original and in_force and task.due_date and in_force != task.due_date:
            note += f"，已批准延期至{chinese_date(in_force)}，考核仍按原定期限"
        return note

    def waived(slip: Slip, task: TaskRow) -> date | None:
        """Judged by the extended deadline, a slip sent against the deadline an approved extension
        replaced is not deducted (the escalation resolved it 已延期): the later date it gave."""
        return None if original else slip.replaced_by(task, world.due.get(task.id))

    def slip_note(slip: Slip, task: TaskRow) -> str:
        sent = f"{chinese_date(slip.date)}发出{SLIP_NAMES[slip.kind]}"
        later = waived(slip, task)
        if later is not None:
            return (
                f"{sent}（原期限{chinese_date(date.fromisoformat(slip.period))}），期限已批准延期至"
                f"{chinese_date(later)}，按延期后的期限考核，不扣分"
            )
        later = slip.replaced_by(task, world.due.get(task.id))
        kept = f"（期限已批准延期至{chinese_date(later)}，考核仍按原定期限）" if later is not None else ""
        return f"{sent}，扣{per_slip[slip.kind]:g}分{kept}"

    def done_by_day(task: TaskRow) -> bool:
        return world.done_by(task, day, original=original)

    groups: dict[str, list[AnnualUnit]] = {"department": [], "locality": []}
    for department_id, unit in units(world).items():
        tasks = unit.tasks
        year = year_tasks(world, tasks)
        fixed, yearly, fixed_done, fixed_on_time, yearly_met = (
            year.fixed,
            year.yearly,
            year.fixed_done,
            year.fixed_on_time,
            year.yearly_met,
        )
        filed = reporting.of(department_id)
        own_indicators = _unit_indicators(indicator_rows, department_id, unit.group)
        judged = judged_indicators(own_indicators, no_data_counts)
        on_track = [row for row in judged if row.scored.on_track is True]
        unit_slips: list[tuple[Slip, TaskRow]] = sorted(
            ((slip, t) for t in tasks for slip in issued.get(t.id, [])),
            key=lambda pair: (pair[0].date, pair[1].id, pair[0].kind),
        )
        slip_counts = Counter(str(slip.kind) for slip, t in unit_slips if not waived(slip, t))
        yellow_slips, red_slips = slip_counts[NoticeKind.YELLOW_SLIP], slip_counts[NoticeKind.RED_SLIP]

        completion = component(
            "completion",
            weights.completion,
            len(fixed_done) + len(yearly_met),
            len(fixed) + len(yearly),
            rule=f"{year_}年到期的任务中已完成的比例；年度任务与持续推进的任务按年末灯色（绿灯或已完成）计",
            counted=[task_ref(t, f"{_cn(t.completed_on)}完成（{due_note(t)}）") for t in fixed_done]
            + [task_ref(t, f"年末{_light_name(world, t)}") for t in yearly_met],
            missed=[task_ref(t, f"截至{chinese_date(day)}未完成（{due_note(t)}）") for t in fixed if not done_by_day(t)]
            + [
                task_ref(t, f"年末{_light_name(world, t)}：{world.lights[t.id].reason}")
                for t in yearly
                if t not in yearly_met
            ],
        )
        timeliness = component(
            "on_time",
            weights.on_time,
            len(fixed_on_time),
            len(fixed),
            rule=f"{year_}年到期的有期限任务中，在{basis}内完成的比例",
            counted=[task_ref(t, f"{_cn(t.completed_on)}完成，未超过{due_note(t)}") for t in fixed_on_time],
            missed=[
                task_ref(t, f"{_cn(t.completed_on)}完成，晚于{due_note(t)}")
                for t in fixed_done
                if t not in fixed_on_time
            ]
            + [task_ref(t, f"截至{chinese_date(day)}未完成（{due_note(t)}）") for t in fixed if not done_by_day(t)],
        )
        reporting_part = component(
            "reporting",
            weights.reporting,
            filed.on_time,
            filed.expected,
            rule=f"{year_}年已截止的报送周中按时报送的比例（按时报送的不逐条列出）",
            counted=[],
            missed=report_misses(world, reporting.misses.get(department_id, [])),
        )
        indicator_part = component(
            "indicators",
            weights.indicators,
            len(on_track),
            len(judged),
            rule="所负责指标中，截至年末最新数值达到目标值或向好（保持）的比例"
            + ("；无数据的指标按未达标计" if no_data_counts else "；无数据的指标不计入")
            + "；填报数值经采纳后计入，待审核的不计入",
            counted=[row.ref() for row in on_track],
            missed=[row.ref() for row in judged if row.scored.on_track is not True],
            excluded=[row.ref() for row in own_indicators if row not in judged],
        )
        components = [completion, timeliness, reporting_part, indicator_part]
        deductions = [
            SlipDeduction(
                kind=str(slip.kind),
                kind_cn=SLIP_NAMES[slip.kind],
                step=slip.step,
                period=slip.period,
                date=slip.date,
                points=0 if waived(slip, task) else -per_slip[slip.kind],
                task_id=task.id,
                plan=task.plan.name,
                number=task.reference,
                title=task.title,
                note=slip_note(slip, task),
            )
            for slip, task in unit_slips
        ]
        deduction = scoring.total_deduction(slip_counts, {str(k): v for k, v in per_slip.items()})
        counts = {c.key: (c.numerator, c.denominator) for c in components}
        rates = {name: scoring.rate(*pair) for name, pair in counts.items()}
        points, score = scoring.score(
            {name: scoring.ratio(*pair) for name, pair in counts.items()}, weights_of(weights), deduction
        )
        due, completed = completion.denominator, completion.numerator
        kinds = listed([("有期限", len(fixed), "项"), ("年度及持续推进", len(yearly), "项")])
        slipped = listed([("黄色督办单", yellow_slips, "张"), ("红色督办单", red_slips, "张")])
        facts = [
            f"{year_}年应完成{due}项（{kinds}），完成{completed}项（完成率{pct(rates['completion'])}）"
            if due
            else f"{year_}年无应完成任务",
            *([f"有期限任务按期完成{len(fixed_on_time)}项（按期率{pct(rates['on_time'])}）"] if fixed else []),
            reporting_fact("全年", filed.expected, filed.on_time, filed.late, filed.missing, rates["reporting"]),
            f"负责指标{len(own_indicators)}项，参评{len(judged)}项、达标或向好{len(on_track)}项"
            f"（指标达标率{pct(rates['indicators'])}）"
            if judged
            else (f"负责指标{len(own_indicators)}项，暂无可参评的数值" if own_indicators else "无负责的指标"),
            f"{slipped}，扣{scoring.points_text(deduction)}分" if slipped else "未被下发督办单",
        ]
        groups[unit.group].append(
            AnnualUnit(
                department_id=department_id,
                department=unit.owner.name,
                kind=str(unit.owner.kind),
                group=unit.group,
                tasks=len(tasks),
                due=due,
                due_fixed=len(fixed),
                due_yearly=len(yearly),
                completed=completed,
                completed_fixed=len(fixed_done),
                met_yearly=len(yearly_met),
                on_time=len(fixed_on_time),
                reports=WeekReportCounts.of(len(weeks), filed),
                slips=SlipCounts(yellow_slips, red_slips),
                indicators=IndicatorCounts(len(own_indicators), len(judged), len(on_track)),
                rates=AnnualRates(**rates),
                points=AnnualPoints(**points),
                score=score,
                facts=facts,
                components=components,
                deductions=deductions,
            )
        )
    for rows in groups.values():
        scoring.rank(rows, name=lambda r: r.department, tiebreak=lambda r: r.department_id)
    return AnnualFigures(
        kind=str(PeriodKind.ANNUAL),
        kind_cn=P.KIND_NAMES[PeriodKind.ANNUAL],
        period=PeriodInfo.of(period),
        scope=world.scope,
        as_of=world.as_of,
        lights_as_of=world.day,
        plans=plan_refs(world),
        provisional=False,
        rules=AnnualRulesUsed(
            rules.weights, rules.deductions, rules.indicator_no_data_counts, light_rules.assessment_uses, VALUES_RULE
        ),
        totals=totals(world, period, original=original),
        reporting=WeekCount(len(weeks)),
        departments=groups["department"],
        localities=groups["locality"],
        indicators=Indicators(year_, IndicatorSummary.of(statuses), statuses),
        cells=cells(session, world, statuses),
        tracking=indicator_tracking(session, world),
    )


def _cn(day: date | None) -> str:
    return chinese_date(day) if day is not None else "—"


def _on_or_before(day: date | None, limit: date | None) -> bool:
    return day is not None and limit is not None and day <= limit


def _light_name(world: World, task: TaskRow) -> str:
    light = world.light(task.id)
    return LIGHT_NAMES[light] if light is not None else ""

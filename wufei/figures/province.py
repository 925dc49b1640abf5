"""The province view: the figures of a cadence point (monthly, quarterly, half_year, annual) rolled
up over the cities under a province, with the province's own plans.

All cities are read together: the plans, tasks, lights, reports, indicators and slips of the
whole province are each one read (the province's world), then split by plan. The cities are
ranked, so their indicators are judged as the year-end score judges them: on imported values and
reported values accepted by `as_of` (wufei.figures.annual).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from wufei.assessment import scoring
from wufei.assessment.rules import weights_of
from wufei.cadence import periods as P
from wufei.cadence.periods import Period, PeriodError, PeriodKind
from wufei.chinese import week_label
from wufei.figures.annual import ScoredIndicator, judged_indicators, scored_indicators, year_tasks
from wufei.figures.codec import absent_when_none
from wufei.figures.common import Figures, LightCounts, PeriodInfo, ReportCounts, totals
from wufei.figures.quarterly import Weeks, due_by, quarter_units
from wufei.figures.world import PlanRow, Reporting, Slip, World, slips
from wufei.notices.models import NoticeKind
from wufei.plans.models import Jurisdiction
from wufei.plans.queries import scope_plans
from wufei.ruleset import Ruleset
from wufei.tasks.models import ListKind

ROLLUP_KINDS = (PeriodKind.MONTHLY, PeriodKind.QUARTERLY, PeriodKind.HALF_YEAR, PeriodKind.ANNUAL)
ROLLUP_METHOD = [
    "任务数、灯色、逾期、到期、完成、按期完成、报送次数、指标数、督办单数、工程项目数：各市与省本级逐项相加，每项任务只属于一个方案，不重复计算。",
    "完成率、按期率、按时报送率、指标达标率、红灯占比：由相加后的分子、分母重新计算，不取各市比率的平均值。",
    "各市得分：按本期规则的权重乘以该市的比率相加（不含扣分，扣分按单位计，与城市规模有关），仅用于各市之间比较；名次并列者同列。",
    "省方案落实：省方案中由某市人民政府负责落实的任务，列在该市一行供参考，只计入省本级，不计入该市。",
]


def rollup_method(kind: PeriodKind, rules: Ruleset) -> list[str]:
    """How the roll-up counts, said as it computes (the same rule code as the cities' bulletins)."""
    basis = "原定期限" if rules.lights.assessment_uses == "original" else "批准延期后的期限"
    tasks = (
        f"到期、完成、按期完成：按年终考核规则计——当年到期的有期限任务（按{basis}，完成期限为节假日的顺延至其后第一个工作日）"
        "及方案期内的年度、持续推进任务（按年末灯色，绿灯或已完成为完成），按期率以有期限任务计"
        if kind == PeriodKind.ANNUAL
        else "到期、完成、按期完成：按季通报规则计——截至统计日已到期的任务"
        "（按批准延期后的期限，完成期限为节假日的顺延至其后第一个工作日）"
    )
    no_data = "无数据的指标按未达标计" if rules.scoring.annual.indicator_no_data_counts else "无数据的指标不计入"
    indicators = (
        "指标达标率：按年终考核规则计——指标数值以方案、评估文件所列数值和各部门填报并经采纳的数值为准，"
        f"待审核、已退回的不计入，{no_data}"
    )
    lines = [*ROLLUP_METHOD, tasks + "；完成期限早于方案印发的任务，经办公室确认前不计入到期。", indicators + "。"]
    if rules.lights.assessment_uses == "extended":
        lines.append("督办单数：按批准延期后的期限考核，原期限发出的督办单不计入（与年终考核相同）。")
    return lines


@dataclass
class IndicatorTally:
    total: int = 0
    judged: int = 0
    on_track: int = 0
    no_data: int = 0

    def add(self, other: IndicatorTally) -> None:
        self.total += other.total
        self.judged += other.judged
        self.on_track += other.on_track
        self.no_data += other.no_data


@dataclass
class SlipTally:
    yellow_slip: int = 0
    red_slip: int = 0

    def add(self, other: SlipTally) -> None:
        self.yellow_slip += other.yellow_slip
        self.red_slip += other.red_slip


@dataclass
class ProjectTally:
    supervised: int = 0
    to_visit: int = 0

    def add(self, other: ProjectTally) -> None:
        self.supervised += other.supervised
        self.to_visit += other.to_visit


@dataclass
class RollupRates:
    completion: float | None
    on_time: float | None
    reporting: float | None
    indicators: float | None
    red_share: float | None


@dataclass
class Counts:
    """The countable figures of one scope: numerators and denominators only, so they can be summed."""

    tasks: int = 0
    supervised: int = 0
    without_lead: int = 0
    by_light: LightCounts = field(default_factory=LightCounts)
    overdue: int = 0
    due_in_period: int = 0
    done_in_period: int = 0
    due: int = 0
    done: int = 0
    done_on_time: int = 0
    # The tasks 按期率 is of: those due (the year-end: those with a deadline due in the year).
    # None in figures stored before it: `due`.
    on_time_of: int | None = absent_when_none()
    reports: ReportCounts = field(default_factory=ReportCounts)
    indicators: IndicatorTally = field(default_factory=IndicatorTally)
    slips: SlipTally = field(default_factory=SlipTally)
    projects: ProjectTally = field(default_factory=ProjectTally)

    def add(self, other: Counts) -> None:
        for name in ("tasks", "supervised", "without_lead", "overdue", "due_in_period", "done_in_period"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("due", "done", "done_on_time"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.on_time_of = self.on_time_denominator + other.on_time_denominator
        self.by_light.add(other.by_light)
        self.reports.add(other.reports)
        self.indicators.add(other.indicators)
        self.slips.add(other.slips)
        self.projects.add(other.projects)

    @property
    def on_time_denominator(self) -> int:
        return self.due if self.on_time_of is None else self.on_time_of

    def rollup_rates(self) -> RollupRates:
        return RollupRates(
            completion=scoring.rate(self.done, self.due),
            on_time=scoring.rate(self.done_on_time, self.on_time_denominator),
            reporting=scoring.rate(self.reports.on_time, self.reports.expected),
            indicators=scoring.rate(self.indicators.on_track, self.indicators.judged),
            red_share=scoring.rate(self.by_light.red, self.supervised),
        )


@dataclass
class ProvinceTasks:
    tasks: int
    by_light: LightCounts


@dataclass
class UnitsNamed:
    ranked: int
    praised: list[str]
    lagging: list[str]


@dataclass
class ScopeRow(Counts):
    scope: str = ""
    level: str = ""
    plans: list[str] = field(default_factory=list)
    rates: RollupRates | None = None


@dataclass
class CityRow(ScopeRow):
    points: dict[str, float] = field(default_factory=dict)  # by weight, without deductions
    score: float = 0.0
    rank: int = 0
    province_tasks: ProvinceTasks = field(default_factory=lambda: ProvinceTasks(0, LightCounts()))
    units: UnitsNamed | None = absent_when_none()  # quarterly only: the city's units, as the circular ranks them


@dataclass
class Totals(Counts):
    rates: RollupRates | None = None


@dataclass
class ProvinceFigures(Figures):
    kind: str
    kind_cn: str
    period: PeriodInfo
    scope: str
    as_of: date
    lights_as_of: date
    method: list[str]
    weights: dict[str, float]
    reporting: Weeks
    cities: list[CityRow]
    province_plan: ScopeRow | None
    totals: Totals | None


def province_plans(session: Session, province: str, period: Period) -> tuple[list[Jurisdiction], list[PlanRow]]:
    """The province (first) and its cities, and the plans of all of them (each city's own and its
    counties', wufei.plans.queries.scope_plans) issued by the period's end."""
    top = session.scalar(select(Jurisdiction).where(Jurisdiction.name == province))
    if top is None:
        return [], []
    places = [top] + list(
        session.scalars(select(Jurisdiction).where(Jurisdiction.parent_id == top.id).order_by(Jurisdiction.name))
    )
    plans: dict[int, PlanRow] = {}
    for place in places:
        for plan in scope_plans(session, place.name, until=period.end):
            plans[plan.id] = PlanRow.of(plan)
    return places, sorted(plans.values(), key=lambda plan: plan.id)


def _counts(
    world: World,
    period: Period,
    reporting: Reporting,
    indicators: list[ScoredIndicator],
    issued: dict[int, list[Slip]],
    kind: PeriodKind,
) -> Counts:
    """A place's counts by the rules of its cities' own bulletins (the code they run, not a copy):
    for the year, the year-end assessment's (tasks due in the year by the dates it judges by,
    annual and ongoing tasks by their year-end light; on time: of those with a deadline); for the
    other periods, the quarterly circular's (tasks due by the lights' day). Indicators are judged
    as the assessment judges them (`indicator_no_data_counts` included); slips as it deducts them."""
    annual = kind == PeriodKind.ANNUAL
    original = world.rules.lights.assessment_uses == "original"
    base = totals(world, period, original=annual and original)
    supervised = world.supervised()
    if annual:
        year = year_tasks(world, supervised)
        due_count, done_count = year.due, year.completed
        on_time_count, on_time_of = len(year.fixed_on_time), len(year.fixed)
    else:
        due, done, on_time = due_by(world, supervised, world.day)
        due_count, done_count, on_time_count, on_time_of = len(due), len(done), len(on_time), len(due)
    no_data_counts = bool(world.rules.scoring.annual.indicator_no_data_counts)
    judged = judged_indicators(indicators, no_data_counts)
    leads = {o.department_id for t in supervised for o in t.lead_owners}
    filed = ReportCounts()
    for department_id in leads:
        filed.add(ReportCounts.of(reporting.of(department_id)))
    projects = [t for t in supervised if t.list_kind == ListKind.PROJECT]
    slip_counts = Counter(
        str(slip.kind)
        for t in supervised
        for slip in issued.get(t.id, [])
        if original or slip.replaced_by(t, world.due.get(t.id)) is None  # as the assessment deducts them
    )
    return Counts(
        tasks=base.tasks,
        supervised=base.supervised,
        without_lead=base.without_lead,
        by_light=base.by_light,
        overdue=base.overdue,
        due_in_period=base.due_in_period,
        done_in_period=base.done_in_period,
        due=due_count,
        done=done_count,
        done_on_time=on_time_count,
        on_time_of=on_time_of,
        reports=filed,
        indicators=IndicatorTally(
            total=len(indicators),
            judged=len(judged),
            on_track=sum(1 for i in judged if i.scored.on_track is True),
            no_data=sum(1 for i in indicators if i.scored.status == "no_data"),
        ),
        slips=SlipTally(slip_counts[NoticeKind.YELLOW_SLIP], slip_counts[NoticeKind.RED_SLIP]),
        projects=ProjectTally(len(projects), sum(1 for t in projects if not world.done(t.id))),
    )


def province_figures(session: Session, world: World, kind: PeriodKind) -> ProvinceFigures:
    """The roll-up of `kind` over the province `world.scope`, whose world holds the plans of
    `province_plans`."""
    kind = PeriodKind(kind)
    if kind not in ROLLUP_KINDS:
        raise PeriodError(f"省级汇总不支持{P.KIND_NAMES.get(kind, kind)}")
    period = world.period
    rules = world.rules.scoring
    weights = weights_of(rules.annual.weights if kind == PeriodKind.ANNUAL else rules.quarterly.weights)
    places, _ = province_plans(session, world.scope, period)
    top = places[0] if places else None
    reporting = world.reporting(session)
    indicators_by_plan: dict[int, list[ScoredIndicator]] = defaultdict(list)
    for scored in scored_indicators(session, world, period.end.year):
        indicators_by_plan[scored.indicator.plan_id].append(scored)
    issued = slips(session, world)
    # Each plan belongs to one row: the province's own, or the city whose scope holds it.
    owner_of: dict[int, Jurisdiction] = {}
    for place in places[1:]:
        for plan in scope_plans(session, place.name, until=period.end):
            owner_of[plan.id] = place
    if top is not None:
        for own_plan in world.plans:
            owner_of.setdefault(own_plan.id, top)

    def row_of(place: Jurisdiction, row_type: type[ScopeRow]) -> ScopeRow:
        own = [plan for plan in world.plans if owner_of.get(plan.id) is place]
        part = world.part(own, place.name)
        indicators = [i for plan in own for i in indicators_by_plan[plan.id]]
        counts = _counts(part, period, reporting, indicators, issued, kind)
        return row_type(
            **vars(counts),
            scope=place.name,
            level=str(place.level),
            plans=[p.name for p in own],
            rates=counts.rollup_rates(),
        )

    province_plan = row_of(top, ScopeRow) if top is not None else None
    cities: list[CityRow] = []
    for place in places[1:]:
        row = row_of(place, CityRow)
        assert isinstance(row, CityRow)
        if not row.plans:
            continue
        ratios = {
            "completion": scoring.ratio(row.done, row.due),
            "on_time": scoring.ratio(row.done_on_time, row.on_time_denominator),
            "reporting": scoring.ratio(row.reports.on_time, row.reports.expected),
            "indicators": scoring.ratio(row.indicators.on_track, row.indicators.judged),
        }
        points, row.score = scoring.score(ratios, weights, 0)
        row.points = {name: value for name, value in points.items() if name != "deduction"}
        government = f"{place.name}人民政府"
        carried = [
            t
            for t in world.supervised()
            if top is not None and t.plan.jurisdiction_id == top.id and any(o.name == government for o in t.owners)
        ]
        row.province_tasks = ProvinceTasks(len(carried), LightCounts.of(Counter(world.light(t.id) for t in carried)))
        if kind == PeriodKind.QUARTERLY:
            own = [plan for plan in world.plans if owner_of.get(plan.id) is place]
            groups, praised, lagging = quarter_units(world.part(own, place.name), reporting, rules.quarterly)
            row.units = UnitsNamed(
                ranked=sum(len(rows) for rows in groups.values()),
                praised=[p.department for p in praised],
                lagging=[n.department for n in lagging],
            )
        cities.append(row)
    scoring.rank(cities, name=lambda r: r.scope)
    summed: Totals | None = None
    if cities or province_plan is not None:
        summed = Totals()
        for row in [*cities, *([province_plan] if province_plan else [])]:
            summed.add(row)
        summed.rates = summed.rollup_rates()
    return ProvinceFigures(
        kind=str(kind),
        kind_cn=P.KIND_NAMES[kind],
        period=PeriodInfo.of(period),
        scope=world.scope,
        as_of=world.as_of,
        lights_as_of=world.day,
        method=rollup_method(kind, world.rules),
        weights=dict(weights),
        reporting=Weeks([week_label(w) for w in world.weeks()]),
        cities=cities,
        province_plan=province_plan,
        totals=summed,
    )

"""年度自评估: the city's self-assessment of a year for the province, due (by default) 31 January of
the next year, in the shape of seed 004 (an indicator table, then task progress by area).

Where a department reported values for the year or before (wufei.indicators.reporting, not
returned, filed by `as_of`), the current value is the latest reported one and the forecast is the
indicator's tracked one (trajectory, then trend of the last values), with its basis; otherwise the
current value is the latest one recorded (imported) and the forecast follows the declared rule of
wufei.assessment.forecast; 约束性/预期性 comes from the plan's indicator, else
from the matching row of the reference table (the newest evaluation of the jurisdiction, else of
its province). Areas are the plan's lists and sections (list name, else the list kind), in plan
order; each task's text is its newest weekly report (not returned) for a week of the year, filed
by the lights' day (the data date the report states), as its lights are.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from wufei.assessment import forecast as forecasting
from wufei.assessment.rules import SelfAssessmentRules
from wufei.chinese import chinese_date, week_label
from wufei.figures.codec import absent_when_none
from wufei.figures.common import Figures, LightCounts, PlanRef, plan_refs
from wufei.figures.world import World, indicator_objects, last_reports
from wufei.indicators import trajectory
from wufei.indicators.models import (
    Indicator,
    IndicatorMilestone,
    IndicatorReport,
    IndicatorReportStatus,
    IndicatorValue,
)
from wufei.indicators.reporting import IndicatorTrack, track
from wufei.indicators.status import number_text, review_status
from wufei.lights.models import LIGHT_NAMES, UNSUPERVISED, Light
from wufei.plans.models import Jurisdiction, Plan, PlanKind
from wufei.tasks.models import LIST_NAMES, Role

ATTRIBUTE_NAMES = {"binding": "约束性", "expected": "预期性"}
_NAME_NOISE = set(" \t“”\"'‘’「」《》()（）、，,·.。")


@dataclass
class ReferenceRef:
    plan_id: int
    title: str
    doc_number: str | None


@dataclass
class CurrentValue:
    year: int
    value: str | None
    raw: str | None


@dataclass
class EarlierValue:
    year: int
    value: str | None
    forecast: str | None


@dataclass
class ReferenceRow:
    number: str | None
    name: str
    category: str | None
    unit: str | None
    target: str | None
    attribute_cn: str
    earlier: list[EarlierValue]


@dataclass
class IndicatorRow:
    seq: int
    indicator_id: int
    plan: str
    number: str | None
    category: str | None
    name: str
    unit: str | None
    marks: str | None
    target: str | None
    target_year: int | None
    current: CurrentValue | None
    current_text: str | None
    status: str
    status_cn: str
    forecast: str  # 可以完成 | 存在不确定性
    forecast_reason: str
    attribute: str | None
    attribute_cn: str
    attribute_from: str | None  # plan | reference
    leads: list[str]
    reference: ReferenceRow | None
    forecast_from: str | None = absent_when_none()  # 填报数值 when tracked from reported values


@dataclass
class Unmatched:
    number: str | None
    name: str
    category: str | None
    attribute_cn: str


@dataclass
class IndicatorCountsBy:
    total: int
    can_complete: int
    uncertain: int
    binding: int
    expected: int
    unmarked: int
    matched: int


@dataclass
class IndicatorTable:
    summary: IndicatorCountsBy
    rows: list[IndicatorRow]
    reference_unmatched: list[Unmatched]


@dataclass
class LatestReport:
    week: str
    progress: int
    done_text: str | None
    problems: str | None
    next_steps: str | None
    department: str


@dataclass
class TaskProgress:
    task_id: int
    number: str
    title: str
    category: str | None
    leads: list[str]
    light: str | None
    light_cn: str
    reason: str
    state_cn: str
    completed_on: date | None
    latest_report: LatestReport | None


@dataclass
class Area:
    plan: str
    list_kind: str
    area: str
    tasks: int
    done: int
    reported: int
    by_light: LightCounts
    items: list[TaskProgress]
    summary: str


@dataclass
class TaskSummary:
    tasks: int
    supervised: int
    done: int
    reported: int


@dataclass
class Progress:
    summary: TaskSummary
    areas: list[Area]


@dataclass
class SelfAssessmentFigures(Figures):
    kind: str
    kind_cn: str
    year: int
    scope: str
    as_of: date
    lights_as_of: date
    due_on: date
    due_on_cn: str
    late: bool
    submit_to: str | None
    plans: list[PlanRef]
    rules: SelfAssessmentRules
    reference: ReferenceRef | None
    indicators: IndicatorTable
    tasks: Progress


def _name_key(name: str) -> str:
    return "".join(ch for ch in name if ch not in _NAME_NOISE)


def _reference_table(
    session: Session, jurisdiction: Jurisdiction | None, year: int
) -> tuple[Plan | None, list[Indicator]]:
    """The indicator table the province reads: the newest evaluation (kind `evaluation`, seed 004's
    shape) of the jurisdiction issued by the end of the next year, else of its province."""
    if jurisdiction is None:
        return None, []
    for owner_id in [jurisdiction.id, jurisdiction.parent_id]:
        if owner_id is None:
            continue
        source = session.scalars(
            select(Plan)
            .where(
                Plan.jurisdiction_id == owner_id,
                Plan.kind == PlanKind.EVALUATION,
                Plan.id.in_(select(Indicator.plan_id)),
                (Plan.issued_on.is_(None)) | (Plan.issued_on <= date(year + 1, 12, 31)),
            )
            .order_by(Plan.issued_on.desc().nulls_last(), Plan.id.desc())
            .limit(1)
        ).first()
        if source is not None:
            return source, indicator_objects(session, [source.id])
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
    from wufei.db import utcnow

    rows = sorted(
        (v for v in indicator.values if v.year <= year and (v.value is not None or v.value_raw)),
        key=lambda v: (v.year, v.recorded_at or utcnow(), v.id or 0),
    )
    numbers = [v for v in rows if v.value is not None]
    latest = forecasting.Observation(numbers[-1].year, numbers[-1].value) if numbers else None  # type: ignore[arg-type]
    reference = None
    if latest is not None:
        latest_year = numbers[-1].year
        earlier = [v for v in numbers if v.year < latest_year]
        if earlier:
            reference = forecasting.Observation(earlier[-1].year, earlier[-1].value)  # type: ignore[arg-type]
        elif indicator.baseline_value is not None:
            start = indicator.plan.period_start if indicator.plan else None
            reference = forecasting.Observation(
                indicator.baseline_year or (start - 1 if start else None), indicator.baseline_value
            )
    return (rows[-1] if rows else None), latest, reference


def _reported_tracks(
    session: Session, world: World, indicators: list[Indicator], year: int
) -> dict[int, IndicatorTrack]:
    """The tracks of the indicators with reported values for periods ending in `year` or before
    (not returned, filed by `as_of`: the world's read), judged on those values alone."""
    year_end = date(year, 12, 31)
    reports: dict[int, list[IndicatorReport]] = {}
    for indicator_id, filed in world.indicator_reports(session).items():
        kept = [
            r
            for r in filed
            if r.period_end <= year_end and review_status(r, world.filed_until) != IndicatorReportStatus.RETURNED
        ]
        if kept:
            reports[indicator_id] = kept
    milestones: dict[int, list[IndicatorMilestone]] = {}
    if reports:
        for milestone in session.scalars(
            select(IndicatorMilestone).where(IndicatorMilestone.indicator_id.in_(list(reports)))
        ):
            milestones.setdefault(milestone.indicator_id, []).append(milestone)
    by_id = {i.id: i for i in indicators}
    return {
        indicator_id: track(
            by_id[indicator_id],
            as_of=min(world.as_of, year_end),
            rules=world.rules.tracking,
            reports=reported,
            milestones=milestones.get(indicator_id, []),
            at=world.filed_until,
        )
        for indicator_id, reported in reports.items()
    }


def self_assessment_figures(session: Session, world: World) -> SelfAssessmentFigures:
    """The self-assessment of the world's year (an annual period) for its jurisdiction."""
    rules = world.rules.scoring.self_assessment
    year = world.period.start.year
    place = session.scalar(
        select(Jurisdiction).where(Jurisdiction.name == world.scope).options(selectinload(Jurisdiction.parent))
    )
    month, day = world.rules.cadence.province_due
    due_on = date(year + 1, month, day)
    source, reference = _reference_table(session, place, year)

    rows, matched_ids = [], set()
    indicators = list(world.indicators(session))
    tracked = _reported_tracks(session, world, indicators, year)
    for seq, (indicator, status) in enumerate(
        zip(indicators, world.indicator_statuses(session, year), strict=True), start=1
    ):
        shown, latest, before = _observations(indicator, year)
        numeric = indicator.target_kind == "numeric" and indicator.target_value is not None
        target = forecasting.Target(
            indicator.target_value if numeric else None,
            indicator.target_value_high,
            indicator.target_comparator,
            indicator.target_year or indicator.plan.period_end or year,
        )
        verdict, why = forecasting.forecast(
            status=status.status,
            direction=indicator.direction,
            target=target,
            latest=latest,
            reference=before,
            by_trend=bool(rules.forecast_by_trend),
        )
        match = _match(indicator.name, reference)
        if match is not None:
            matched_ids.add(match.id)
        attribute, attribute_from = indicator.attribute, ("plan" if indicator.attribute else None)
        if attribute is None and match is not None and match.attribute:
            attribute, attribute_from = match.attribute, "reference"
        current_text = None
        if shown is not None:
            current_text = shown.value_raw or number_text(shown.value)
        current = CurrentValue(shown.year, number_text(shown.value), shown.value_raw) if shown else None
        reported = tracked.get(indicator.id)
        if reported is not None and reported.latest is not None:
            point = reported.latest
            value = trajectory.number(Decimal(str(point.value)))
            verdict, why = reported.forecast, f"据{point.period_cn}填报数值{value}：{reported.forecast_reason}"
            current_text, current = value, CurrentValue(int(point.end[:4]), value, value)
        rows.append(
            IndicatorRow(
                seq=seq,
                indicator_id=indicator.id,
                plan=indicator.plan.doc_number or indicator.plan.title,
                number=indicator.number,
                category=indicator.level1 or indicator.category or indicator.level2,
                name=indicator.name,
                unit=indicator.unit,
                marks=indicator.marks,
                target=indicator.target_raw,
                target_year=target.year,
                current=current,
                current_text=current_text,
                status=status.status,
                status_cn=status.status_cn,
                forecast=verdict,
                forecast_reason=why,
                attribute=attribute,
                attribute_cn=ATTRIBUTE_NAMES.get(attribute or "", "未标注"),
                attribute_from=attribute_from,
                leads=status.leads,
                reference=(
                    ReferenceRow(
                        number=match.number,
                        name=match.name,
                        category=match.category,
                        unit=match.unit,
                        target=match.target_raw,
                        attribute_cn=ATTRIBUTE_NAMES.get(match.attribute or "", "未标注"),
                        earlier=[
                            EarlierValue(v.year, v.value_raw or number_text(v.value), v.forecast) for v in match.values
                        ],
                    )
                    if match is not None
                    else None
                ),
                forecast_from="填报数值" if reported is not None and reported.latest is not None else None,
            )
        )
    counts = Counter(row.forecast for row in rows)
    attributes = Counter(row.attribute for row in rows)
    return SelfAssessmentFigures(
        kind="self_assessment",
        kind_cn="年度自评估",
        year=year,
        scope=world.scope,
        as_of=world.as_of,
        lights_as_of=world.day,
        due_on=due_on,
        due_on_cn=chinese_date(due_on),
        late=world.as_of > due_on,
        submit_to=place.parent.name if place is not None and place.parent is not None else None,
        plans=plan_refs(world),
        rules=rules,
        reference=ReferenceRef(source.id, source.title, source.doc_number) if source is not None else None,
        indicators=IndicatorTable(
            summary=IndicatorCountsBy(
                total=len(rows),
                can_complete=counts[forecasting.CAN_COMPLETE],
                uncertain=counts[forecasting.UNCERTAIN],
                binding=attributes["binding"],
                expected=attributes["expected"],
                unmarked=len(rows) - attributes["binding"] - attributes["expected"],
                matched=sum(1 for row in rows if row.reference is not None),
            ),
            rows=rows,
            reference_unmatched=[
                Unmatched(r.number, r.name, r.category, ATTRIBUTE_NAMES.get(r.attribute or "", "未标注"))
                for r in reference
                if r.id not in matched_ids
            ],
        ),
        tasks=task_progress(session, world),
    )


def task_progress(session: Session, world: World) -> Progress:
    year_end = world.period.end
    last = last_reports(
        session,
        world,
        task_ids=list(world.tasks),
        day=world.day,  # the report's data date (数据截至): nothing filed after it
        last_week=year_end - timedelta(days=year_end.weekday()),
    )
    areas: dict[tuple[int, str, str], Area] = {}
    for task in world.tasks.values():
        area_name = task.list_name or LIST_NAMES.get(task.list_kind, str(task.list_kind))
        area = areas.setdefault(
            (task.plan_id, str(task.list_kind), area_name),
            Area(
                plan=task.plan.name,
                list_kind=str(task.list_kind),
                area=area_name,
                tasks=0,
                done=0,
                reported=0,
                by_light=LightCounts(),
                items=[],
                summary="",
            ),
        )
        light = world.light(task.id)
        report = last.get(task.id)
        area.tasks += 1
        area.done += light == Light.DONE
        area.reported += report is not None
        if light is not None:
            setattr(area.by_light, str(light), getattr(area.by_light, str(light)) + 1)
        state = (
            "已完成"
            if light == Light.DONE
            else "未明确牵头单位"
            if light is None
            else "推进中"
            if report is not None
            else "本年度无进展报送"
        )
        area.items.append(
            TaskProgress(
                task_id=task.id,
                number=task.number,
                title=task.title,
                category=task.category,
                leads=task.names(Role.LEAD),
                light=str(light) if light is not None else None,
                light_cn=LIGHT_NAMES[light] if light is not None else UNSUPERVISED,
                reason=world.reason(task.id),
                state_cn=state,
                completed_on=task.completed_on if light == Light.DONE else None,
                latest_report=(
                    LatestReport(
                        week=week_label(report.week_start),
                        progress=report.progress,
                        done_text=report.done_text,
                        problems=report.problems,
                        next_steps=report.next_steps,
                        department=report.department.name,
                    )
                    if report is not None
                    else None
                ),
            )
        )
    for area in areas.values():
        silent = area.tasks - area.reported
        done = f"已完成{area.done}项" if area.done else "均未完成"
        reported = (
            f"{area.reported}项有本年度进展报送" + (f"，{silent}项没有" if silent else "")
            if area.reported
            else "均无本年度进展报送"
        )
        area.summary = f"共{area.tasks}项任务，{done}，{reported}"
    listed = list(areas.values())
    return Progress(
        summary=TaskSummary(
            tasks=len(world.tasks),
            supervised=len(world.lights),
            done=sum(a.done for a in listed),
            reported=sum(a.reported for a in listed),
        ),
        areas=listed,
    )

"""Indicator values reported by departments (指标填报), their review, owners, milestones, and each
indicator's track (light, reason, forecast). Services take a Session and never commit.

Rules decided here:
- An indicator's owner is its lead department (牵头单位) from the plan; the office may set another
  (`set_owner`). Only an owner reports its values; an indicator without one waits for the office.
- One value per indicator and period (its frequency's: 2024, 2024-Q2, 2024-05); a value the office
  returned (退回) is refiled as a new version and the old one kept; refiling otherwise is an error.
  A period's value may be reported once the period has started; after its due day it is late.
- The track reads the imported yearly values (from evaluations) and the reported ones that were not
  returned (a value awaiting review counts, marked 待审核); a reported value wins over an imported
  one for the same year (wufei.indicators.status.observations: the year's status reads the same).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from wufei.audit.service import apply_changes, jsonable, record
from wufei.cadence import periods
from wufei.cadence.config import CadenceConfig
from wufei.departments.models import Department
from wufei.indicators import trajectory as rules_
from wufei.indicators.models import (
    Indicator,
    IndicatorDepartment,
    IndicatorEvidence,
    IndicatorMilestone,
    IndicatorReport,
    IndicatorReportStatus,
)
from wufei.indicators.status import meets_target, observations
from wufei.indicators.trajectory import Judgement, TrackingRules, Trajectory
from wufei.plans.queries import plan_start
from wufei.reports.evidence import EvidenceError, EvidenceSource, store_files
from wufei.tasks.models import Role

STATUS_NAMES = {
    IndicatorReportStatus.SUBMITTED: "待审核",
    IndicatorReportStatus.ACCEPTED: "已采纳",
    IndicatorReportStatus.RETURNED: "已退回",
}
MAX_TEXT = 2000


class IndicatorReportError(ValueError):
    """A value that cannot be reported or reviewed; the message is Chinese."""


def indicator_label(indicator: Indicator) -> str:
    return f"[{indicator.id}]「{indicator.name}」"


def _indicator(session: Session, indicator_id: int) -> Indicator:
    indicator = session.get(
        Indicator,
        indicator_id,
        options=[selectinload(Indicator.plan), selectinload(Indicator.assignments)],
    )
    if indicator is None:
        raise IndicatorReportError(f"找不到指标 {indicator_id}")
    return indicator


def owners(indicator: Indicator) -> list[int]:
    return [a.department_id for a in indicator.assignments if a.role == Role.LEAD]


def parse_value(text: Any) -> tuple[Decimal, str]:
    """A reported number as typed (`56.3`, `56.3%`, `1,200`) → (value, the text kept)."""
    raw = str(text if text is not None else "").strip()
    cleaned = raw.replace(",", "").replace("，", "").rstrip("%％").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise IndicatorReportError(f"指标数值应为数字：「{raw}」") from None
    if not value.is_finite() or abs(value) >= Decimal(10) ** 14:
        raise IndicatorReportError(f"指标数值超出范围：「{raw}」")
    return value, raw


def _clean(value: str | None, label: str) -> str | None:
    text = (value or "").strip()
    if len(text) > MAX_TEXT:
        raise IndicatorReportError(f"{label}有{len(text)}字，超过上限{MAX_TEXT}字：「{text[:30]}…」")
    return text or None


def latest_version(session: Session, indicator_id: int, period: str) -> IndicatorReport | None:
    return session.scalar(
        select(IndicatorReport)
        .where(IndicatorReport.indicator_id == indicator_id, IndicatorReport.period == period)
        .order_by(IndicatorReport.version.desc())
        .limit(1)
    )


def filed_periods(session: Session, indicator_ids: Iterable[int]) -> dict[int, set[str]]:
    """indicator id → the periods whose newest version is waiting or accepted (a returned one is owed)."""
    filed: dict[int, set[str]] = {}
    newest: dict[tuple[int, str], tuple[int, str]] = {}
    ids = list(indicator_ids)
    if not ids:
        return filed
    query = select(
        IndicatorReport.indicator_id, IndicatorReport.period, IndicatorReport.version, IndicatorReport.status
    )
    for indicator_id, period, version, status in session.execute(query.where(IndicatorReport.indicator_id.in_(ids))):
        if (indicator_id, period) not in newest or version > newest[indicator_id, period][0]:
            newest[indicator_id, period] = (version, str(status))
    for (indicator_id, period), (_version, status) in newest.items():
        if status != IndicatorReportStatus.RETURNED:
            filed.setdefault(indicator_id, set()).add(period)
    return filed


def _utc(at: datetime, cadence: CadenceConfig) -> datetime:
    return (at if at.tzinfo is not None else at.replace(tzinfo=cadence.timezone)).astimezone(UTC)


# --- owners and milestones (the office) --------------------------------------------------------


def set_owner(session: Session, *, indicator_id: int, department_id: int, actor: str) -> Indicator:
    """Make `department_id` the indicator's only lead; former leads stay on as supporting units."""
    indicator = _indicator(session, indicator_id)
    if session.get(Department, department_id) is None:
        raise IndicatorReportError(f"找不到部门 {department_id}")
    before = sorted(owners(indicator))
    for assignment in indicator.assignments:
        if assignment.role == Role.LEAD and assignment.department_id != department_id:
            assignment.role = Role.SUPPORTING
    existing = next((a for a in indicator.assignments if a.department_id == department_id), None)
    if existing is None:
        indicator.assignments.append(
            IndicatorDepartment(department_id=department_id, role=Role.LEAD, position=0, source_name="办公室指定")
        )
    else:
        existing.role = Role.LEAD
    session.flush()
    record(
        session,
        actor=actor,
        action="update",
        entity="indicators",
        entity_id=indicator.id,
        entity_key=f"indicator:{indicator.id}",
        changes={"leads": [before, [department_id]]},
        source="set_owner",
    )
    return indicator


def set_milestone(session: Session, *, indicator_id: int, year: int, value: Any, actor: str) -> IndicatorMilestone:
    """The value expected at the end of `year` (replaces the one set before)."""
    indicator = _indicator(session, indicator_id)
    amount, _ = parse_value(value)
    existing = session.scalar(
        select(IndicatorMilestone).where(
            IndicatorMilestone.indicator_id == indicator.id, IndicatorMilestone.year == year
        )
    )
    if existing is None:
        existing = IndicatorMilestone(indicator_id=indicator.id, year=year, value=amount, set_by=actor)
        session.add(existing)
        changes: dict[str, Any] = {"value": [None, jsonable(amount)]}
    else:
        changes = apply_changes(existing, {"value": amount, "set_by": actor})
    session.flush()
    record(
        session,
        actor=actor,
        action="update",
        entity="indicator_milestones",
        entity_id=existing.id,
        entity_key=f"indicator:{indicator.id}|{year}",
        changes=changes,
    )
    return existing


# --- reporting and review ----------------------------------------------------------------------


def submit_value(
    session: Session,
    *,
    indicator_id: int,
    department_id: int,
    period: str,
    value: Any,
    source: str | None = None,
    caliber: str | None = None,
    note: str | None = None,
    evidence: Sequence[EvidenceSource] = (),
    at: datetime,
    actor: str,
    rules: TrackingRules,
    cadence: CadenceConfig,
) -> IndicatorReport:
    """A lead department reports an indicator's value for a period of its frequency."""
    indicator = _indicator(session, indicator_id)
    department = session.get(Department, department_id)
    if department is None:
        raise IndicatorReportError(f"找不到部门 {department_id}")
    if not owners(indicator):
        raise IndicatorReportError(f"指标 {indicator_label(indicator)} 尚待指定责任单位，暂不能报送")
    if department_id not in owners(indicator):
        raise IndicatorReportError(f"「{department.name}」不是指标 {indicator_label(indicator)} 的责任单位，不能报送")
    frequency = rules.frequency_of(indicator.name)
    try:
        reported = rules_.period_of(frequency, period)
    except (rules_.TrackingError, periods.PeriodError) as exc:
        raise IndicatorReportError(f"{exc}（指标 {indicator_label(indicator)}）") from None
    today = cadence.today(at)
    if today < reported.start:
        raise IndicatorReportError(f"{reported.chinese}尚未开始，不能报送指标 {indicator_label(indicator)} 的数值")
    amount, raw = parse_value(value)
    texts = {"source": _clean(source, "数据来源"), "caliber": _clean(caliber, "统计口径"), "note": _clean(note, "说明")}
    if texts["source"] and len(texts["source"]) > 200:
        raise IndicatorReportError(f"数据来源超过200字：「{texts['source'][:30]}…」")
    latest = latest_version(session, indicator.id, reported.label)
    if latest is not None and latest.status != IndicatorReportStatus.RETURNED:
        raise IndicatorReportError(
            f"指标 {indicator_label(indicator)} {reported.chinese}的数值已报送（第{latest.version}版，"
            f"{STATUS_NAMES[IndicatorReportStatus(latest.status)]}），不能重复报送；如需修改，请领导小组办公室先退回"
        )
    try:
        stored = store_files(evidence, rules=cadence.evidence)
    except EvidenceError as exc:
        raise IndicatorReportError(str(exc)) from exc
    moment = _utc(at, cadence)
    report = IndicatorReport(
        indicator_id=indicator.id,
        department_id=department_id,
        period=reported.label,
        period_end=reported.end,
        version=latest.version + 1 if latest is not None else 1,
        value=amount,
        value_raw=raw[:200],
        submitted_at=moment,
        submitted_by=actor,
        late=today > rules_.due_on(reported, rules),
        status=str(IndicatorReportStatus.SUBMITTED),
        **texts,
    )
    report.evidence = [
        IndicatorEvidence(
            file_name=f.file_name[-200:],
            content_type=f.content_type,
            size=f.size,
            sha256=f.sha256,
            stored_path=f.stored_path,
            uploaded_at=moment,
        )
        for f in stored
    ]
    session.add(report)
    session.flush()
    record(
        session,
        actor=actor,
        action="create",
        entity="indicator_reports",
        entity_id=report.id,
        entity_key=f"indicator:{indicator.id}|{reported.label}|v{report.version}",
        changes={
            "value": [None, raw],
            "late": [None, report.late],
            **{k: [None, v] for k, v in texts.items() if v},
            **({"evidence": [None, [f.file_name for f in stored]]} if stored else {}),
        },
    )
    return report


def review_value(
    session: Session,
    *,
    report_id: int,
    accept: bool,
    reason: str | None = None,
    actor: str,
    at: datetime,
    cadence: CadenceConfig,
) -> IndicatorReport:
    """Accept (采纳) or return (退回, with a reason) a reported value; a return tells the liaison."""
    report = session.get(IndicatorReport, report_id, options=[selectinload(IndicatorReport.indicator)])
    if report is None:
        raise IndicatorReportError(f"找不到指标填报 {report_id}")
    if report.status != IndicatorReportStatus.SUBMITTED:
        raise IndicatorReportError(
            f"指标填报 {report_id} 已审核（{STATUS_NAMES[IndicatorReportStatus(report.status)]}），不能再次审核"
        )
    reason = (reason or "").strip() or None
    if not accept and reason is None:
        raise IndicatorReportError("退回指标数值须说明理由（--reason）")
    status = IndicatorReportStatus.ACCEPTED if accept else IndicatorReportStatus.RETURNED
    changes = apply_changes(
        report,
        {"status": str(status), "review_note": reason, "reviewed_at": _utc(at, cadence), "reviewed_by": actor},
    )
    record(
        session,
        actor=actor,
        action="update",
        entity="indicator_reports",
        entity_id=report.id,
        entity_key=f"indicator:{report.indicator_id}|{report.period}|v{report.version}",
        changes=changes,
        source="review",
    )
    if not accept:
        from wufei.notices.models import Audience, NoticeKind
        from wufei.notices.service import create_intents

        period = periods.parse(report.period)
        create_intents(
            session,
            [
                {
                    "key": f"indicator_returned|indicator_report:{report.id}",
                    "kind": str(NoticeKind.REPORT_RETURNED),
                    "step": "indicator_returned",
                    "audience": str(Audience.LIAISON),
                    "department_id": report.department_id,
                    "task_id": None,
                    "period": report.period,
                    "created_on": cadence.today(at),
                    "payload": {
                        "template": "indicator_returned",
                        "indicator_report_id": report.id,
                        "indicator_name": report.indicator.name,
                        "period_cn": period.chinese,
                        "version": report.version,
                        "indicator_id": report.indicator_id,
                        "task_title": f"指标「{report.indicator.name}」{period.chinese}数值",
                        "reason": reason,
                        "reviewed_by": actor,
                    },
                }
            ],
        )
    session.flush()
    return report


def list_values(
    session: Session,
    *,
    indicator_ids: Iterable[int] | None = None,
    department_ids: Iterable[int] | None = None,
    status: IndicatorReportStatus | None = None,
) -> list[IndicatorReport]:
    query = select(IndicatorReport).options(
        selectinload(IndicatorReport.indicator), selectinload(IndicatorReport.department)
    )
    if indicator_ids is not None:
        query = query.where(IndicatorReport.indicator_id.in_(list(indicator_ids)))
    if department_ids is not None:
        query = query.where(IndicatorReport.department_id.in_(list(department_ids)))
    if status is not None:
        query = query.where(IndicatorReport.status == status)
    return list(session.scalars(query.order_by(IndicatorReport.period_end, IndicatorReport.id)))


def value_as_dict(report: IndicatorReport) -> dict[str, Any]:
    return {
        "id": report.id,
        "indicator_id": report.indicator_id,
        "indicator": report.indicator.name,
        "department": report.department.name,
        "period": report.period,
        "period_cn": periods.parse(report.period).chinese,
        "version": report.version,
        "value": jsonable(report.value),
        "value_raw": report.value_raw,
        "source": report.source,
        "caliber": report.caliber,
        "note": report.note,
        "late": report.late,
        "status": str(report.status),
        "status_cn": STATUS_NAMES[IndicatorReportStatus(report.status)],
        "review_note": report.review_note,
        "submitted_by": report.submitted_by,
        "evidence": [e.file_name for e in report.evidence],
    }


# --- the track ---------------------------------------------------------------------------------


@dataclass
class TrackPoint:
    period: str  # 2024-Q2
    period_cn: str
    end: str  # ISO date
    value: float
    expected: float | None
    pending: bool


@dataclass
class PathPoint:
    end: str  # ISO date: 31 December of the point's year
    value: float
    kind: str  # 基线 / 节点 / 目标


@dataclass
class IndicatorTrack:
    indicator_id: int
    number: str | None
    name: str
    unit: str | None
    target_raw: str | None
    frequency: str
    frequency_cn: str
    owners: list[str]
    standing: str  # met / on_track / behind / overdue / unknown
    standing_cn: str  # 达标 / 按序时进度 / 落后序时进度 / 逾期未报 / 无法判断
    colour: str
    reason: str
    forecast: str
    forecast_reason: str
    latest: TrackPoint | None
    gap: float | None
    series: list[TrackPoint]
    path: list[PathPoint]  # the trajectory's points


def indicator_trajectory(indicator: Indicator, milestones: Iterable[IndicatorMilestone]) -> Trajectory | None:
    plan = indicator.plan
    years = (plan.period_start, plan.period_end) if plan.period_start and plan.period_end else None
    target = indicator.target_value
    if indicator.target_value_high is not None and indicator.direction == "down":
        target = indicator.target_value_high
    return rules_.trajectory(
        baseline=indicator.baseline_value,
        baseline_year=indicator.baseline_year,
        target=target if indicator.target_kind == "numeric" else None,
        target_year=indicator.target_year,
        milestones={m.year: m.value for m in milestones},
        plan_years=years,
    )


def reporting_from(indicator: Indicator, reporting_since: date | None) -> date | None:
    """The first day an indicator's values are owed: its plan's start, never before the day
    supervision went live (cadence.yaml's reporting_since); periods ending earlier are never overdue."""
    plan = indicator.plan
    started = plan_start(plan.issued_on, plan.period_start, plan.imported_at.date() if plan.imported_at else None)
    starts = [d for d in (started, reporting_since) if d is not None]
    return max(starts) if starts else None


def track(
    indicator: Indicator,
    *,
    as_of: date,
    rules: TrackingRules,
    reports: Iterable[IndicatorReport] = (),
    milestones: Iterable[IndicatorMilestone] = (),
    reporting_since: date | None = None,
    leads: Sequence[str] | None = None,
    at: datetime | None = None,
) -> IndicatorTrack:
    """An indicator's light, reason and forecast on `as_of` (its plan and values loaded, and its
    `leads`: the lead departments' names, given or read from its loaded assignments; review
    statuses as they stood at `at`, now when None)."""
    frequency = rules.frequency_of(indicator.name)
    seen = observations(indicator, reports, at=at)
    path = indicator_trajectory(indicator, milestones)
    if leads is None:
        leads = [a.department.name for a in indicator.assignments if a.role == Role.LEAD]

    def meets(value: Fraction) -> bool | None:
        return meets_target(indicator, Decimal(value.numerator) / Decimal(value.denominator))

    judgement: Judgement = rules_.judge(
        as_of=as_of,
        frequency=frequency,
        rules=rules,
        observations=seen,
        path=path,
        direction=str(indicator.direction),
        meets=meets,
        target_raw=indicator.target_raw,
        unit=indicator.unit,
        reporting_from=reporting_from(indicator, reporting_since),
    )
    series = [
        TrackPoint(
            o.period.label,
            o.period.chinese,
            o.period.end.isoformat(),
            float(o.value),
            float(path.expected(o.period.end)) if path else None,
            o.pending,
        )
        for o in seen
        if o.period.start <= as_of
    ]
    return IndicatorTrack(
        indicator_id=indicator.id,
        number=indicator.number,
        name=indicator.name,
        unit=indicator.unit,
        target_raw=indicator.target_raw,
        frequency=str(frequency),
        frequency_cn=rules_.FREQUENCY_NAMES[frequency],
        owners=list(leads),
        standing=str(judgement.standing),
        standing_cn=rules_.STANDING_NAMES[judgement.standing],
        colour=judgement.colour,
        reason=judgement.reason,
        forecast=judgement.forecast,
        forecast_reason=judgement.forecast_reason,
        latest=series[-1] if series else None,
        gap=float(judgement.gap) if judgement.gap is not None else None,
        series=series,
        path=[PathPoint(f"{p.year}-12-31", float(p.value), p.kind) for p in path.points] if path else [],
    )


def tracks(
    session: Session,
    indicators: Sequence[Indicator],
    *,
    as_of: date,
    rules: TrackingRules,
    reporting_since: date | None = None,
    leads: Mapping[int, Sequence[str]] | None = None,
    reports: Mapping[int, Sequence[IndicatorReport]] | None = None,
    at: datetime | None = None,
) -> list[IndicatorTrack]:
    """Every indicator's track, reading their reports (unless given: `filed_by`'s) and milestones in
    two queries (`leads`: indicator id → its lead departments' names, when its assignments are not
    loaded; `at`: the moment review statuses are read as of)."""
    ids = [i.id for i in indicators]
    if reports is None:
        reports = filed_by(session, ids, _end_of(as_of))
    milestones: dict[int, list[IndicatorMilestone]] = {i: [] for i in ids}
    if ids:
        for milestone in session.scalars(select(IndicatorMilestone).where(IndicatorMilestone.indicator_id.in_(ids))):
            milestones[milestone.indicator_id].append(milestone)
    return [
        track(
            i,
            as_of=as_of,
            rules=rules,
            reports=reports.get(i.id, ()),
            milestones=milestones[i.id],
            reporting_since=reporting_since,
            leads=leads.get(i.id, ()) if leads is not None else None,
            at=at,
        )
        for i in indicators
    ]


def filed_by(
    session: Session, indicator_ids: Sequence[int], until: datetime | None
) -> dict[int, list[IndicatorReport]]:
    """indicator id → every version of its reported values submitted before `until` (all when
    None), in one query."""
    reports: dict[int, list[IndicatorReport]] = {i: [] for i in indicator_ids}
    if indicator_ids:
        query = select(IndicatorReport).where(IndicatorReport.indicator_id.in_(list(indicator_ids)))
        if until is not None:
            query = query.where(IndicatorReport.submitted_at < until)
        for report in session.scalars(query):
            reports[report.indicator_id].append(report)
    return reports


def _end_of(day: date) -> datetime:
    # Reports filed by the end of `as_of` in Beijing count: 16:00 UTC is midnight there.
    return datetime(day.year, day.month, day.day, 16, tzinfo=UTC)


@dataclass
class TrackSummary:
    total: int
    met: int
    on_track: int
    behind: int
    overdue: int
    unknown: int
    can_complete: int

    @classmethod
    def of(cls, rows: Sequence[IndicatorTrack]) -> TrackSummary:
        def count(standing: str) -> int:
            return sum(1 for r in rows if r.standing == standing)

        return cls(
            total=len(rows),
            met=count("met"),
            on_track=count("on_track"),
            behind=count("behind"),
            overdue=count("overdue"),
            unknown=count("unknown"),
            can_complete=sum(1 for r in rows if r.forecast == rules_.CAN_COMPLETE),
        )

"""An indicator's latest value against its target and its direction (pure over a loaded
Indicator, its values and owners read already, and the values its departments reported).

The values judged are the tracking's (`observations`): the yearly values imported from plans and
evaluations, then for each period the newest reported version not returned (退回); a reported
value wins over an imported one for the same period.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from wufei.audit.service import jsonable
from wufei.cadence import periods
from wufei.db import utcnow
from wufei.figures.codec import absent_when_none
from wufei.indicators.models import Indicator, IndicatorReport, IndicatorReportStatus
from wufei.indicators.trajectory import Observation
from wufei.tasks.models import Role


@dataclass
class Baseline:
    raw: str | None
    value: str | None
    year: int | None


@dataclass
class TargetInfo:
    raw: str | None
    kind: str
    comparator: str | None
    value: str | None
    value_high: str | None
    year: int | None


@dataclass
class LatestValue:
    year: int  # the year its period ends in
    value: str | None
    source: str | None
    forecast: str | None
    # Figures stored before reported values counted have none of these (an imported yearly value).
    period: str | None = absent_when_none()  # 2023, 2023-Q3, 2023-11
    period_cn: str | None = absent_when_none()  # 2023年, 2023年第3季度, 2023年11月
    pending: bool | None = absent_when_none()  # True: reported, not yet reviewed (待审核)

    @property
    def period_name(self) -> str:
        """Its period in Chinese: 2022年, 2023年第3季度, 2023年11月."""
        return self.period_cn or f"{self.year}年"


@dataclass
class ComparedWith:
    label: str
    value: str | None


@dataclass
class IndicatorStatus:
    indicator_id: int
    number: str | None
    name: str
    unit: str | None
    marks: str | None
    attribute: str | None
    direction: str
    baseline: Baseline
    target: TargetInfo
    latest: LatestValue | None
    compared_with: ComparedWith | None
    status: str  # met / improving / holding / flat / worsening / not_met / no_data / unknown
    status_cn: str
    on_track: bool | None
    explanation: str
    leads: list[str]


@dataclass
class IndicatorSummary:
    total: int
    on_track: int
    off_track: int
    met: int
    improving: int
    holding: int
    flat: int
    worsening: int
    not_met: int
    no_data: int
    unknown: int

    @classmethod
    def of(cls, rows: list[IndicatorStatus]) -> IndicatorSummary:
        counts = {status: sum(1 for r in rows if r.status == status) for status in STATUSES}
        return cls(
            total=len(rows),
            on_track=sum(1 for r in rows if r.on_track is True),
            off_track=sum(1 for r in rows if r.on_track is False),
            **counts,
        )


STATUSES = ("met", "improving", "holding", "flat", "worsening", "not_met", "no_data", "unknown")


def number_text(value: Decimal | None) -> str | None:
    """A stored number as the figures write it (no trailing zeros): 55, 0.38."""
    return jsonable(value) if value is not None else None


def meets_target(indicator: Indicator, value: Decimal) -> bool | None:
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


def review_status(report: IndicatorReport, at: datetime | None = None) -> IndicatorReportStatus:
    """A reported value's review status as it stood at `at` (now when None): one reviewed later
    was still awaiting review then (figures of a past day do not see later decisions)."""
    status = IndicatorReportStatus(report.status)
    reviewed_later = report.reviewed_at is None or (at is not None and report.reviewed_at >= at)
    if at is not None and status != IndicatorReportStatus.SUBMITTED and reviewed_later:
        return IndicatorReportStatus.SUBMITTED
    return status


def observations(
    indicator: Indicator,
    reports: Iterable[IndicatorReport],
    *,
    at: datetime | None = None,
    accepted_only: bool = False,
) -> list[Observation]:
    """Imported yearly values, then reported ones not returned (the newest version of each period),
    by period end. Review statuses are read as they stood at `at`; `accepted_only` leaves out the
    reported values still awaiting review. Imported values of one year from several documents: the
    last recorded wins."""
    by_period: dict[str, Observation] = {}
    for value in sorted(indicator.values, key=lambda v: (v.year, v.recorded_at or utcnow(), v.id or 0)):
        if value.value is not None:
            by_period[str(value.year)] = Observation(
                periods.year(value.year), value.value, source=value.source, forecast=value.forecast
            )
    newest: dict[str, tuple[IndicatorReport, IndicatorReportStatus]] = {}
    for report in reports:
        status = review_status(report, at)
        if status == IndicatorReportStatus.RETURNED or (accepted_only and status != IndicatorReportStatus.ACCEPTED):
            continue
        if report.period not in newest or report.version > newest[report.period][0].version:
            newest[report.period] = (report, status)
    for label, (report, status) in newest.items():
        by_period[label] = Observation(
            periods.parse(label),
            report.value,
            pending=status == IndicatorReportStatus.SUBMITTED,
            source=report.source or "部门填报",
        )
    return sorted(by_period.values(), key=lambda o: (o.period.end, o.period.start))


def indicator_status(
    indicator: Indicator,
    year: int,
    reports: Iterable[IndicatorReport] = (),
    *,
    at: datetime | None = None,
    accepted_only: bool = False,
) -> IndicatorStatus:
    """An indicator's latest value up to the end of `year` against its target and its direction.

    The values are the tracking's (`observations` of the imported values and of `reports`, the
    values reported by the figures' day: the caller reads only those filed by then; review
    statuses as they stood at `at`); periods ending after `year` are not judged. A value awaiting
    review counts, marked 待审核, as in the tracking (the monthly 指标进展 and 指标跟踪 agree);
    `accepted_only` judges on the values the office accepted (采纳) and the imported ones (the
    year-end score: see wufei.figures.annual).

    1. the latest value meets a numeric target (its comparator; a bare number is a level to reach
       in the indicator's direction, ≥ unless it should fall) → 已达到目标值;
    2. else, against the latest value of an earlier year (or the baseline): moving in the good
       direction → 向好, unchanged → 持平, the other way → 变差 (a `hold` indicator: not below → 保持);
    3. else a numeric target not met → 未达到目标值; no value → 暂无数据; no target and no
       direction → 无法判断. On track: 已达到、向好、保持.
    Values are labelled by their period: 2022年, 2023年第3季度, 2023年11月.
    """
    year_end = date(year, 12, 31)
    values = [
        o for o in observations(indicator, reports, at=at, accepted_only=accepted_only) if o.period.end <= year_end
    ]
    latest = values[-1] if values else None
    reference: Decimal | None = None
    reference_label: str | None = None
    if latest is not None:
        earlier = [o for o in values if o.period.end.year < latest.period.end.year]
        if earlier:
            reference, reference_label = earlier[-1].value, earlier[-1].period.chinese
        elif indicator.baseline_value is not None:
            reference = indicator.baseline_value
            reference_label = f"基线（{indicator.baseline_year}年）" if indicator.baseline_year else "基线"

    status, on_track = "no_data", None
    if latest is not None:
        value, direction = latest.value, indicator.direction
        met = meets_target(indicator, value)
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
    shown = (
        LatestValue(
            latest.period.end.year,
            number_text(latest.value),
            latest.source,
            latest.forecast,
            period=latest.period.label,
            period_cn=latest.period.chinese,
            pending=True if latest.pending else None,
        )
        if latest is not None
        else None
    )
    if shown is not None:
        explanation = (
            f"{shown.period_name}{shown.value}{unit}（{'待审核，' if shown.pending else ''}"
            f"{'基线' + (indicator.baseline_raw or '') + '，' if indicator.baseline_raw else ''}"
            f"目标{indicator.target_raw or '未列'}）：{status_cn}"
        )
    else:
        explanation = f"暂无{year}年及以前的数值（目标{indicator.target_raw or '未列'}）"
    return IndicatorStatus(
        indicator_id=indicator.id,
        number=indicator.number,
        name=indicator.name,
        unit=indicator.unit,
        marks=indicator.marks,
        attribute=indicator.attribute,
        direction=str(indicator.direction),
        baseline=Baseline(indicator.baseline_raw, number_text(indicator.baseline_value), indicator.baseline_year),
        target=TargetInfo(
            raw=indicator.target_raw,
            kind=str(indicator.target_kind),
            comparator=indicator.target_comparator,
            value=number_text(indicator.target_value),
            value_high=number_text(indicator.target_value_high),
            year=indicator.target_year,
        ),
        latest=shown,
        compared_with=(ComparedWith(reference_label or "", number_text(reference)) if reference is not None else None),
        status=status,
        status_cn=status_cn,
        on_track=on_track,
        explanation=explanation,
        leads=[a.department.name for a in indicator.assignments if a.role == Role.LEAD],
    )

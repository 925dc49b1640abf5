"""An indicator's latest value against its target and its direction (pure over a loaded
Indicator: its values and owners read already)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from wufei.audit.service import jsonable
from wufei.db import utcnow
from wufei.indicators.models import Indicator
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
    year: int
    value: str | None
    source: str | None
    forecast: str | None


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


def indicator_status(indicator: Indicator, year: int) -> IndicatorStatus:
    """An indicator's latest value up to `year` against its target and its direction.

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
    reference: Decimal | None = None
    reference_label: str | None = None
    if latest is not None:
        earlier = [v for v in values if v.year < latest.year]
        if earlier:
            reference, reference_label = earlier[-1].value, f"{earlier[-1].year}年"
        elif indicator.baseline_value is not None:
            reference = indicator.baseline_value
            reference_label = f"基线（{indicator.baseline_year}年）" if indicator.baseline_year else "基线"

    status, on_track = "no_data", None
    if latest is not None and latest.value is not None:
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
    if latest is not None:
        explanation = (
            f"{latest.year}年{number_text(latest.value)}{unit}（"
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
        latest=(
            LatestValue(latest.year, number_text(latest.value), latest.source, latest.forecast) if latest else None
        ),
        compared_with=(ComparedWith(reference_label or "", number_text(reference)) if reference is not None else None),
        status=status,
        status_cn=status_cn,
        on_track=on_track,
        explanation=explanation,
        leads=[a.department.name for a in indicator.assignments if a.role == Role.LEAD],
    )

"""Tracking an indicator (pure): how often it is reported, the path from its baseline to its target,
its light with the reason, and the forecast. Every input is an argument; the rules file is
`wufei/indicators/tracking.yaml` (an office's copy in WUFEI_CONFIG_DIR replaces it).

- Frequency: annual unless the rules file lists the indicator (by a word of its name) as
  quarterly or monthly. A period's value is due `due_days` calendar days after it ends.
- Trajectory: the baseline (its year, else the year before the plan starts) at 31 December, the
  milestones the office set for some years, and the target at 31 December of its year (else the
  plan's last year), joined by straight lines: the value expected on a day (序时进度). A target
  that is not a number, or no baseline, gives no trajectory.
- Light, the first rule that applies:
  1. the last period due (ended, its `due_days` passed, on or after reporting started) has no
     value → 逾期未报 (red);
  2. the latest value meets the target → 达标 (green);
  3. no trajectory or no value → 无法判断 (grey);
  4. the latest value reaches the trajectory at its period's end, in the indicator's direction
     → 按序时进度 (green); else → 落后序时进度 X (yellow; red when X is at least `behind_red_share`
     of the whole change from baseline to target).
- Forecast (可以完成 / 存在不确定性), the first rule that applies:
  1. the latest value meets the target → 可以完成;
  2. no numeric target or no value → 存在不确定性;
  3. two or more values among the last `trend_values`: the least-squares line through them
     (value against time) carried on to the target's date meets the target → 可以完成, else 存在不确定性;
  4. one value: on the trajectory → 可以完成, behind it (or no trajectory) → 存在不确定性.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any

from wufei.cadence import periods
from wufei.cadence.periods import Period, PeriodKind
from wufei.chinese import chinese_date


class TrackingError(ValueError):
    """A tracking rule or an input that cannot be used; the message is Chinese."""


class Frequency(StrEnum):
    ANNUAL = "annual"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"


FREQUENCY_NAMES = {Frequency.ANNUAL: "每年", Frequency.QUARTERLY: "每季度", Frequency.MONTHLY: "每月"}
_PERIOD_KINDS = {
    Frequency.ANNUAL: PeriodKind.ANNUAL,
    Frequency.QUARTERLY: PeriodKind.QUARTERLY,
    Frequency.MONTHLY: PeriodKind.MONTHLY,
}


class Standing(StrEnum):
    MET = "met"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    OVERDUE = "overdue"
    UNKNOWN = "unknown"


STANDING_NAMES = {
    Standing.MET: "达标",
    Standing.ON_TRACK: "按序时进度",
    Standing.BEHIND: "落后序时进度",
    Standing.OVERDUE: "逾期未报",
    Standing.UNKNOWN: "无法判断",
}
CAN_COMPLETE = "可以完成"
UNCERTAIN = "存在不确定性"


# --- the rules file ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TrackingRules:
    default_frequency: Frequency = Frequency.ANNUAL
    # (frequency, words): an indicator whose name holds one of the words is reported that often.
    frequencies: tuple[tuple[Frequency, tuple[str, ...]], ...] = ()
    due_days: Mapping[Frequency, int] = field(
        default_factory=lambda: {Frequency.ANNUAL: 31, Frequency.QUARTERLY: 15, Frequency.MONTHLY: 10}
    )
    behind_red_share: Fraction = Fraction(1, 4)
    trend_values: int = 3

    @classmethod
    def load(cls) -> TrackingRules:
        from wufei.config import load_yaml

        return cls.from_dict(load_yaml("indicators", "tracking.yaml"))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TrackingRules:
        known = {"default_frequency", "quarterly", "monthly", "due_days", "behind_red_share", "trend_values"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise TrackingError(f"指标跟踪规则中有不认识的设置：{'、'.join(map(str, unknown))}")
        default = _frequency(data.get("default_frequency", "annual"), "default_frequency")
        frequencies: list[tuple[Frequency, tuple[str, ...]]] = []
        for key in ("monthly", "quarterly"):  # monthly first: the more frequent wins a name in both
            words = data.get(key) or []
            if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
                raise TrackingError(f"{key} 应为指标名称中的词语列表：{words}")
            frequencies.append((Frequency(key), tuple(w.strip() for w in words)))
        due: dict[Frequency, int] = {Frequency.ANNUAL: 31, Frequency.QUARTERLY: 15, Frequency.MONTHLY: 10}
        raw_due = data.get("due_days") or {}
        if not isinstance(raw_due, Mapping):
            raise TrackingError(f"due_days 应为 annual/quarterly/monthly 到天数的映射：{raw_due}")
        for key, days in raw_due.items():
            if isinstance(days, bool) or not isinstance(days, int) or days < 0:
                raise TrackingError(f"due_days.{key} 应为非负整数：{days}")
            due[_frequency(key, f"due_days.{key}")] = days
        share = data.get("behind_red_share", 0.25)
        if isinstance(share, bool) or not isinstance(share, int | float) or not 0 < share <= 1:
            raise TrackingError(f"behind_red_share 应为大于0、不大于1的小数：{share}")
        trend = data.get("trend_values", 3)
        if isinstance(trend, bool) or not isinstance(trend, int) or trend < 2:
            raise TrackingError(f"trend_values 应为不小于2的整数：{trend}")
        return cls(default, tuple(frequencies), due, Fraction(str(share)), trend)

    def frequency_of(self, name: str) -> Frequency:
        for frequency, words in self.frequencies:
            if any(word in name for word in words):
                return frequency
        return self.default_frequency


def _frequency(value: object, key: str) -> Frequency:
    try:
        return Frequency(str(value))
    except ValueError:
        raise TrackingError(f"{key} 应为 annual、quarterly 或 monthly：{value}") from None


# --- periods -----------------------------------------------------------------------------------


def period_of(frequency: Frequency, label: str) -> Period:
    """The reporting period a label names, checked against the indicator's frequency."""
    period = periods.parse(label)
    if period.kind != _PERIOD_KINDS[frequency]:
        raise TrackingError(f"该指标{FREQUENCY_NAMES[frequency]}报送一次，报送期「{label}」不对应")
    return period


def containing(frequency: Frequency, day: date) -> Period:
    return periods.containing(_PERIOD_KINDS[frequency], day)


def due_on(period: Period, rules: TrackingRules) -> date:
    """The last day a period's value may be reported."""
    frequency = {kind: f for f, kind in _PERIOD_KINDS.items()}[period.kind]
    return period.end + timedelta(days=rules.due_days[frequency])


def last_due_period(frequency: Frequency, as_of: date, rules: TrackingRules) -> Period | None:
    """The latest period whose value was due before `as_of` (None if none is within two years)."""
    period = periods.previous(containing(frequency, as_of))
    for _ in range(30):
        if due_on(period, rules) < as_of:
            return period
        period = periods.previous(period)
    return None


def owed_period(frequency: Frequency, as_of: date, rules: TrackingRules, filed: Iterable[str]) -> Period | None:
    """The period a form offers: the last one due, else (before any is due) the current one; when
    that one's value is filed already (waiting or accepted; `filed` holds their labels, a returned
    value is owed again), the next, up to the current period; None when all of them are filed."""
    current = containing(frequency, as_of)
    period = last_due_period(frequency, as_of, rules) or current
    done = set(filed)
    while period.label in done:
        if period.start >= current.start:
            return None
        period = periods.next_period(period)
    return period


# --- the trajectory ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    year: int  # the value expected at 31 December of this year
    value: Decimal
    kind: str  # 基线 / 节点 / 目标


@dataclass(frozen=True)
class Trajectory:
    points: tuple[Point, ...]  # by year, baseline first, target last

    @property
    def baseline(self) -> Point:
        return self.points[0]

    @property
    def target(self) -> Point:
        return self.points[-1]

    def expected(self, day: date) -> Fraction:
        """The value expected on `day`: straight lines between the points, flat outside them."""
        first, last = self.points[0], self.points[-1]
        if day <= _year_end(first.year):
            return Fraction(first.value)
        if day >= _year_end(last.year):
            return Fraction(last.value)
        for start, end in zip(self.points, self.points[1:], strict=False):
            if day <= _year_end(end.year):
                span = (_year_end(end.year) - _year_end(start.year)).days
                share = Fraction((day - _year_end(start.year)).days, span)
                return Fraction(start.value) + (Fraction(end.value) - Fraction(start.value)) * share
        return Fraction(last.value)  # unreachable: the last point caught it


def _year_end(year: int) -> date:
    return date(year, 12, 31)


def trajectory(
    *,
    baseline: Decimal | None,
    baseline_year: int | None,
    target: Decimal | None,
    target_year: int | None,
    milestones: Mapping[int, Decimal],
    plan_years: tuple[int, int] | None,
) -> Trajectory | None:
    """Baseline → milestones → target. `plan_years` (first, last) fills a missing year: the baseline
    stands at the end of the year before the plan starts, the target at the end of its last year."""
    if baseline is None or target is None:
        return None
    start = baseline_year if baseline_year is not None else (plan_years[0] - 1 if plan_years else None)
    end = target_year if target_year is not None else (plan_years[1] if plan_years else None)
    if start is None or end is None or end <= start:
        return None
    middle = [Point(y, v, "节点") for y, v in sorted(milestones.items()) if start < y < end]
    return Trajectory((Point(start, baseline, "基线"), *middle, Point(end, target, "目标")))


# --- the light and the forecast ----------------------------------------------------------------


@dataclass(frozen=True)
class Observation:
    period: Period
    value: Decimal
    pending: bool = False  # reported, not yet reviewed
    source: str | None = None  # the document or department that gave it
    forecast: str | None = None  # the forecast an evaluation gave with an imported value


@dataclass(frozen=True)
class Judgement:
    standing: Standing
    colour: str  # green / yellow / red / grey
    reason: str  # 按序时进度：2024年第2季度56%，序时应达55.3%
    expected: Fraction | None  # the trajectory at the latest value's period end
    gap: Fraction | None  # how far behind, in the indicator's unit (positive)
    forecast: str  # 可以完成 / 存在不确定性
    forecast_reason: str
    overdue_period: Period | None


def number(value: Fraction | Decimal) -> str:
    """2 decimals, no trailing zeros: 55, 55.33, 0.38; below 1, three significant digits, so that a
    small intensity and its gap still read (0.0353 吨/万元 behind 0.035 by 0.000273, not by 0; 0.353
    against 0.35)."""
    figure = float(value)
    decimals = 2 if figure == 0 or abs(figure) >= 1 else min(6, 2 - math.floor(math.log10(abs(figure))))
    text = f"{figure:.{decimals}f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def amount(value: Fraction | Decimal, unit: str | None) -> str:
    return f"{number(value)}{unit or ''}"


_BARE_TARGET = re.compile(r"[≥≤><=＞＜]{0,2}\s*\d+(?:\.\d+)?")


def _with_unit(target_raw: str, unit: str | None) -> str:
    """A target printed as a bare number, with or without its comparator, takes the indicator's unit
    (≥35 → ≥35%, 0.4 → 0.4吨/万元); one in words stays as written (逐年提高; 较2020年提高5, where the
    unit could be 个百分点 or %)."""
    return f"{target_raw}{unit.strip()}" if unit and _BARE_TARGET.fullmatch(target_raw.strip()) else target_raw


def _amount_apart(value: Fraction, other: Fraction, unit: str | None) -> str:
    """`amount`, with as many more decimals (up to 6) as it takes not to read as `other` when it is
    not: a projection of 97.996 % against a target of 98 % is 约为97.996%, not 约为98% and 达不到."""
    text, decimals = number(value), 2
    while value != other and text == number(other) and decimals < 6:
        decimals += 1
        text = f"{float(value):.{decimals}f}".rstrip("0").rstrip(".")
    return f"{text}{unit or ''}"


def _difference(value: Fraction, unit: str | None) -> str:
    """A difference in the indicator's unit; of a rate, in 个百分点 to two decimals at most (0.52, not
    0.519: a leader reads points of a percentage, not thousandths of one), more only when two would
    read as 0."""
    if not (unit and unit.strip() in ("%", "％")):
        return amount(value, unit)
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return f"{text if text not in ('0', '-0') or value == 0 else number(value)}个百分点"


def judge(
    *,
    as_of: date,
    frequency: Frequency,
    rules: TrackingRules,
    observations: Sequence[Observation],
    path: Trajectory | None,
    direction: str,
    meets: Callable[[Fraction], bool | None],
    target_raw: str | None,
    unit: str | None,
    reporting_from: date | None,
) -> Judgement:
    """The light and the forecast of one indicator on `as_of` (see the module's rules)."""
    values = sorted((o for o in observations if o.period.start <= as_of), key=_key)
    latest = values[-1] if values else None
    due = last_due_period(frequency, as_of, rules)
    overdue = (
        due
        if due is not None
        and (reporting_from is None or due.end >= reporting_from)
        and not any(o.period.end >= due.end for o in values)
        else None
    )
    forecast, forecast_reason = _forecast(values, path, direction, meets, unit, rules)
    target_text = f"目标{_with_unit(target_raw, unit)}" if target_raw else "目标未列"
    latest_text = (
        f"{latest.period.chinese}{amount(latest.value, unit)}{'（待审核）' if latest.pending else ''}" if latest else ""
    )

    def result(
        standing: Standing, colour: str, reason: str, expected: Fraction | None = None, gap: Fraction | None = None
    ) -> Judgement:
        return Judgement(standing, colour, reason, expected, gap, forecast, forecast_reason, overdue)

    if overdue is not None:
        last = f"，最近一期为{latest_text}" if latest else "，尚无数值"
        return result(
            Standing.OVERDUE,
            "red",
            f"逾期未报：{overdue.chinese}数值应于{chinese_date(due_on(overdue, rules))}前报送{last}",
        )
    if latest is not None and meets(Fraction(latest.value)):
        return result(Standing.MET, "green", f"达标：{latest_text}，{target_text}")
    if latest is None:
        return result(Standing.UNKNOWN, "grey", f"无法判断：尚无数值（{target_text}）")
    if path is None:
        return result(Standing.UNKNOWN, "grey", f"无法判断：{latest_text}，{target_text}，无基线或数值目标，无序时进度")
    expected = path.expected(latest.period.end)
    value = Fraction(latest.value)
    gap = (expected - value) if direction != "down" else (value - expected)
    if gap <= 0:
        return result(
            Standing.ON_TRACK,
            "green",
            f"按序时进度：{latest_text}，序时应达{amount(expected, unit)}（{target_text}）",
            expected,
        )
    whole = abs(Fraction(path.target.value) - Fraction(path.baseline.value))
    colour = "red" if whole and gap / whole >= rules.behind_red_share else "yellow"
    return result(
        Standing.BEHIND,
        colour,
        f"落后序时进度{_difference(gap, unit)}：{latest_text}，序时应达{amount(expected, unit)}（{target_text}）",
        expected,
        gap,
    )


def _key(observation: Observation) -> tuple[date, date]:
    return observation.period.end, observation.period.start


def _forecast(
    values: Sequence[Observation],
    path: Trajectory | None,
    direction: str,
    meets: Callable[[Fraction], bool | None],
    unit: str | None,
    rules: TrackingRules,
) -> tuple[str, str]:
    latest = values[-1] if values else None
    if latest is not None and meets(Fraction(latest.value)):
        return CAN_COMPLETE, "最新数值已达到目标值"
    if latest is None:
        return UNCERTAIN, "暂无数值，无法判断"
    if path is None or meets(Fraction(path.target.value)) is None:
        return UNCERTAIN, "无数值目标或基线，无法推算"
    target_day = _year_end(path.target.year)
    if latest.period.end >= target_day:
        return UNCERTAIN, f"目标年（{path.target.year}年）已到，仍未达到目标值"
    recent = _distinct_periods(values)[-rules.trend_values :]
    if len(recent) >= 2:
        projected, yearly = _trend(recent, target_day)
        basis = (
            f"按最近{len(recent)}期数值趋势（"
            + ("数值持平" if yearly == 0 else f"每年{'+' if yearly > 0 else ''}{_difference(yearly, unit)}")
            + "），"
            f"{path.target.year}年末约为{_amount_apart(projected, Fraction(path.target.value), unit)}"
        )
        return (CAN_COMPLETE, f"{basis}，可达到目标值") if meets(projected) else (UNCERTAIN, f"{basis}，达不到目标值")
    expected = path.expected(latest.period.end)
    on_track = Fraction(latest.value) >= expected if direction != "down" else Fraction(latest.value) <= expected
    if on_track:
        return CAN_COMPLETE, "仅一期数值，按序时进度推进，按轨迹可达到目标值"
    return UNCERTAIN, "仅一期数值，且落后序时进度"


def _distinct_periods(values: Sequence[Observation]) -> list[Observation]:
    """The last observation of each period end (a value refiled for one period counts once)."""
    by_end: dict[date, Observation] = {}
    for observation in values:
        by_end[observation.period.end] = observation
    return [by_end[end] for end in sorted(by_end)]


def _trend(values: Sequence[Observation], target_day: date) -> tuple[Fraction, Fraction]:
    """The least-squares line through (period end, value), at `target_day`, and its change a year."""
    origin = values[0].period.end
    xs = [Fraction((v.period.end - origin).days, 365) for v in values]
    ys = [Fraction(v.value) for v in values]
    n = len(values)
    mean_x, mean_y = sum(xs, Fraction(0)) / n, sum(ys, Fraction(0)) / n
    spread = sum(((x - mean_x) ** 2 for x in xs), Fraction(0))
    slope = sum(((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)), Fraction(0)) / spread
    at = Fraction((target_day - origin).days, 365)
    return mean_y + slope * (at - mean_x), slope

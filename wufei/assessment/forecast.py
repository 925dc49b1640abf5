"""Will an indicator reach its target by the target year? The 预计到期 column of a self-assessment
(seed 004: 可以完成 / 存在不确定性), by a declared rule (pure).

The rule, in order:
1. the latest value already meets the target (or a `hold` indicator is not below where it
   was) → 可以完成;
2. the latest value moved the good way since the value before it (or the baseline):
   - a text target (逐年提高 …) asks for that movement only → 可以完成;
   - a numeric target, with `by_trend` on: carry the average yearly change between those two
     values on to the target year; reaching the target → 可以完成, else → 存在不确定性;
   - with `by_trend` off, or no year to measure the change by → 存在不确定性;
3. anything else (no change, the wrong way, short of the target, no data, no target) → 存在不确定性.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

CAN_COMPLETE = "可以完成"
UNCERTAIN = "存在不确定性"


@dataclass(frozen=True)
class Observation:
    year: int | None
    value: Decimal


@dataclass(frozen=True)
class Target:
    value: Decimal | None  # None: a text target
    high: Decimal | None = None  # a range: value … high
    comparator: str | None = None  # >=, >, <=, <, = ; None: reach it in the indicator's direction
    year: int | None = None


def meets(target: Target, direction: str, value: Decimal | Fraction) -> bool | None:
    """Whether `value` meets a numeric target; None for a text target."""
    if target.value is None:
        return None
    if target.high is not None:
        return target.value <= value <= target.high
    comparator = target.comparator or ("<=" if direction == "down" else ">=")
    return {
        ">=": value >= target.value,
        ">": value > target.value,
        "<=": value <= target.value,
        "<": value < target.value,
        "=": value == target.value,
    }[comparator]


def _plain(value: Fraction | Decimal) -> str:
    number = Fraction(value)
    rounded = round(float(number), 2)
    return f"{rounded:g}"


def forecast(
    *,
    status: str,
    direction: str,
    target: Target,
    latest: Observation | None,
    reference: Observation | None,
    by_trend: bool = True,
) -> tuple[str, str]:
    """(可以完成 | 存在不确定性, the reason in Chinese). `status` is indicator_status's."""
    if status == "met":
        return CAN_COMPLETE, "已达到目标值"
    if status == "holding":
        return CAN_COMPLETE, "保持不低于此前水平"
    if status != "improving" or latest is None or reference is None:
        reason = {
            "flat": "与此前持平，未见向目标推进",
            "worsening": "较此前变差",
            "not_met": "未达到目标值",
            "no_data": "暂无数据，无法判断",
            "unknown": "目标与方向不明，无法判断",
        }.get(status, "无法判断")
        return UNCERTAIN, reason
    if target.value is None:
        return CAN_COMPLETE, "持续向好，符合目标要求"
    if not by_trend:
        return UNCERTAIN, "向好但尚未达到目标值"
    if reference.year is None or latest.year is None or latest.year <= reference.year or target.year is None:
        return UNCERTAIN, "向好但尚未达到目标值，无法按年均变化推算"
    yearly = (Fraction(latest.value) - Fraction(reference.value)) / (latest.year - reference.year)
    projected = Fraction(latest.value) + yearly * max(0, target.year - latest.year)
    basis = f"按{reference.year}—{latest.year}年年均变化{_plain(yearly)}推算，{target.year}年约为{_plain(projected)}"
    if meets(target, direction, projected):
        return CAN_COMPLETE, f"{basis}，可达到目标值"
    return UNCERTAIN, f"{basis}，达不到目标值"

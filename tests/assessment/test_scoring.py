"""The scoring arithmetic and the forecast rule, pure: numbers worked out by hand."""

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import pytest

from wufei.assessment import forecast as FC
from wufei.assessment import scoring


def test_a_score_is_weight_times_ratio_less_deductions_rounded_half_up_to_one_place():
    ratios = {"completion": Fraction(1, 2), "on_time": Fraction(0), "reporting": Fraction(7, 8)}
    points, score = scoring.score(ratios, {"completion": 40, "on_time": 30, "reporting": 30}, 7)
    # 20 + 0 + 26.25 − 7 = 39.25 → 39.3 (half away from zero, not banker's 39.2)
    assert points == {"completion": 20.0, "on_time": 0.0, "reporting": 26.25, "deduction": -7.0}
    assert score == 39.3


def test_a_component_with_nothing_to_judge_earns_its_full_weight_and_a_score_is_never_below_zero():
    points, score = scoring.score(
        {"completion": None, "reporting": Fraction(0)}, {"completion": 40, "reporting": 60}, 50
    )
    assert (points["completion"], score) == (40.0, 0.0)
    assert scoring.component_points(20, 0, 0) == 20 and scoring.component_points(20, 1, 3) == Fraction(20, 3)


@dataclass
class Row:
    department: str
    score: float
    rank: int = 0


def test_ties_share_a_rank_and_the_next_rank_is_skipped():
    rows = [Row("乙", 90.0), Row("丙", 80.0), Row("甲", 90.0)]
    ranked = scoring.rank(rows, name=lambda r: r.department)
    assert [(r.department, r.rank) for r in ranked] == [("乙", 1), ("甲", 1), ("丙", 3)]


def test_deductions_are_priced_per_item():
    assert (
        scoring.total_deduction({"yellow_slip": 2, "red_slip": 1, "other": 9}, {"yellow_slip": 2, "red_slip": 5}) == 9
    )


TARGET_60 = FC.Target(Decimal("60"), year=2025)


@pytest.mark.parametrize(
    ("status", "latest", "reference", "target", "by_trend", "verdict", "reason"),
    [
        ("met", (2023, "61"), None, TARGET_60, True, "可以完成", "已达到目标值"),
        ("holding", (2023, "10"), (2022, "10"), FC.Target(None), True, "可以完成", "保持不低于此前水平"),
        # +3 a year from 55 (2022) to 58 (2023): 64 by 2025.
        (
            "improving",
            (2023, "58"),
            (2022, "55"),
            TARGET_60,
            True,
            "可以完成",
            "按2022—2023年年均变化3推算，2025年约为64，可达到目标值",
        ),
        # +1 a year from 52 to 55 over three years: 57 by 2025.
        (
            "improving",
            (2023, "55"),
            (2020, "52"),
            TARGET_60,
            True,
            "存在不确定性",
            "按2020—2023年年均变化1推算，2025年约为57，达不到目标值",
        ),
        ("improving", (2023, "58"), (2022, "55"), TARGET_60, False, "存在不确定性", "向好但尚未达到目标值"),
        (
            "improving",
            (2023, "58"),
            (None, "55"),
            TARGET_60,
            True,
            "存在不确定性",
            "向好但尚未达到目标值，无法按年均变化推算",
        ),
        ("improving", (2023, "50"), (2022, "46.6"), FC.Target(None), True, "可以完成", "持续向好，符合目标要求"),
        ("worsening", (2023, "50"), (2022, "55"), TARGET_60, True, "存在不确定性", "较此前变差"),
        ("no_data", None, None, TARGET_60, True, "存在不确定性", "暂无数据，无法判断"),
    ],
)
def test_the_forecast_follows_the_declared_rule(status, latest, reference, target, by_trend, verdict, reason):
    observe = lambda pair: FC.Observation(pair[0], Decimal(pair[1])) if pair else None  # noqa: E731
    assert FC.forecast(
        status=status,
        direction="up",
        target=target,
        latest=observe(latest),
        reference=observe(reference),
        by_trend=by_trend,
    ) == (verdict, reason)


def test_a_falling_indicator_projected_below_its_ceiling_can_complete():
    # 0.5 (2021) → 0.45 (2023): −0.025 a year, 0.4 by 2025 meets "≤ 0.4".
    assert (
        FC.forecast(
            status="improving",
            direction="down",
            target=FC.Target(Decimal("0.4"), year=2025),
            latest=FC.Observation(2023, Decimal("0.45")),
            reference=FC.Observation(2021, Decimal("0.5")),
        )[0]
        == "可以完成"
    )

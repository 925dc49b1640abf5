"""The pure tracking rules: frequency, trajectory, light with its reason, forecast."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from wufei.cadence import periods
from wufei.indicators.trajectory import (
    CAN_COMPLETE,
    UNCERTAIN,
    Frequency,
    Observation,
    Standing,
    TrackingError,
    TrackingRules,
    judge,
    last_due_period,
    period_of,
    trajectory,
)

RULES = TrackingRules.from_dict(
    {"quarterly": ["综合利用率"], "monthly": ["生活垃圾"], "due_days": {"quarterly": 15}, "behind_red_share": 0.25}
)


def at_least(target: Decimal):
    return lambda value: value >= target


def at_most(target: Decimal):
    return lambda value: value <= target


def rising_path(milestones=None):
    # 60% at the end of 2022 → 80% at the end of 2025
    return trajectory(
        baseline=Decimal(60),
        baseline_year=2022,
        target=Decimal(80),
        target_year=2025,
        milestones=milestones or {},
        plan_years=(2022, 2025),
    )


def quarter(label: str, value: str, pending: bool = False) -> Observation:
    return Observation(periods.parse(label), Decimal(value), pending)


def judged(
    observations,
    *,
    as_of=date(2024, 7, 20),
    path=None,
    meets=None,
    direction="up",
    frequency=None,
    target_raw="≥80",
    unit="%",
):
    return judge(
        as_of=as_of,
        frequency=frequency or Frequency.QUARTERLY,
        rules=RULES,
        observations=observations,
        path=rising_path() if path is None else path,
        direction=direction,
        meets=meets or at_least(Decimal(80)),
        target_raw=target_raw,
        unit=unit,
        reporting_from=date(2024, 1, 1),
    )


def test_frequency_from_the_rules_file_words_monthly_wins_and_annual_by_default():
    assert RULES.frequency_of("一般工业固体废物综合利用率") == Frequency.QUARTERLY
    assert RULES.frequency_of("主城区生活垃圾回收利用率") == Frequency.MONTHLY
    assert RULES.frequency_of("一般工业固体废物产生强度") == Frequency.ANNUAL
    shipped = TrackingRules.load()
    assert shipped.frequency_of("秸秆综合利用率") == Frequency.QUARTERLY


def test_rules_file_refuses_unknown_keys_and_bad_values():
    with pytest.raises(TrackingError, match="weekly"):
        TrackingRules.from_dict({"weekly": ["x"]})
    with pytest.raises(TrackingError, match="due_days.yearly"):
        TrackingRules.from_dict({"due_days": {"yearly": 3}})
    with pytest.raises(TrackingError, match="behind_red_share"):
        TrackingRules.from_dict({"behind_red_share": 2})


def test_period_must_match_the_frequency():
    assert period_of(Frequency.QUARTERLY, "2024-Q2").chinese == "2024年第2季度"
    with pytest.raises(TrackingError, match="每季度"):
        period_of(Frequency.QUARTERLY, "2024-05")


def test_last_due_period_waits_for_the_due_days():
    assert last_due_period(Frequency.QUARTERLY, date(2024, 7, 15), RULES).label == "2024-Q1"
    assert last_due_period(Frequency.QUARTERLY, date(2024, 7, 16), RULES).label == "2024-Q2"
    assert last_due_period(Frequency.ANNUAL, date(2025, 2, 1), RULES).label == "2024"


def test_linear_trajectory_and_milestones_bend_it():
    path = rising_path()
    assert path.expected(date(2022, 12, 31)) == 60
    assert path.expected(date(2025, 12, 31)) == 80
    assert path.expected(date(2030, 1, 1)) == 80
    assert float(path.expected(date(2024, 6, 30))) == pytest.approx(60 + 20 * 547 / 1096, abs=1e-9)
    bent = rising_path({2023: Decimal(75)})
    assert bent.expected(date(2023, 12, 31)) == 75
    assert [p.kind for p in bent.points] == ["基线", "节点", "目标"]
    # a milestone outside (baseline, target) is ignored; no baseline means no trajectory
    assert len(rising_path({2026: Decimal(90)}).points) == 2
    assert (
        trajectory(
            baseline=None,
            baseline_year=None,
            target=Decimal(1),
            target_year=2025,
            milestones={},
            plan_years=(2022, 2025),
        )
        is None
    )
    # a baseline without its year stands at the end of the year before the plan starts
    assert (
        trajectory(
            baseline=Decimal(1),
            baseline_year=None,
            target=Decimal(2),
            target_year=None,
            milestones={},
            plan_years=(2022, 2025),
        ).baseline.year
        == 2021
    )


def test_on_track_when_the_value_reaches_the_trajectory():
    result = judged([quarter("2024-Q2", "70")])
    assert result.standing == Standing.ON_TRACK and result.colour == "green"
    assert result.reason == "按序时进度：2024年第2季度70%，序时应达69.98%（目标≥80%）"


def test_behind_names_the_gap_in_points_and_turns_red_past_the_share():
    yellow = judged([quarter("2024-Q2", "67")])
    assert yellow.standing == Standing.BEHIND and yellow.colour == "yellow"
    assert yellow.reason.startswith("落后序时进度2.98个百分点：2024年第2季度67%")
    red = judged([quarter("2024-Q2", "64")])  # 5.98 of 20 ≥ a quarter
    assert red.colour == "red"


def test_a_small_intensity_behind_its_trajectory_says_by_how_much_and_its_target_takes_the_unit():
    # 0.05 吨/万元 at the end of 2022 → 0.02 at the end of 2025: 0.035 expected at mid-2024.
    falling = trajectory(
        baseline=Decimal("0.05"),
        baseline_year=2022,
        target=Decimal("0.02"),
        target_year=2025,
        milestones={},
        plan_years=None,
    )
    behind = judged(
        [quarter("2024-Q2", "0.0353")],
        path=falling,
        direction="down",
        meets=at_most(Decimal("0.02")),
        target_raw="0.02",
        unit="吨/万元",
    )
    assert behind.standing == Standing.BEHIND
    assert behind.reason == (
        "落后序时进度0.000273吨/万元：2024年第2季度0.0353吨/万元，序时应达0.035吨/万元（目标0.02吨/万元）"
    )


def test_met_beats_the_trajectory_and_falling_indicators_compare_the_other_way():
    assert judged([quarter("2024-Q2", "81")]).standing == Standing.MET
    falling = trajectory(
        baseline=Decimal(10), baseline_year=2022, target=Decimal(4), target_year=2025, milestones={}, plan_years=None
    )
    ahead = judged([quarter("2024-Q2", "7")], path=falling, direction="down", meets=at_most(Decimal(4)))
    behind = judged([quarter("2024-Q2", "8")], path=falling, direction="down", meets=at_most(Decimal(4)))
    assert (ahead.standing, behind.standing) == (Standing.ON_TRACK, Standing.BEHIND)


def test_overdue_when_the_last_due_period_has_no_value():
    result = judged([quarter("2024-Q1", "66")], as_of=date(2024, 7, 16))
    assert result.standing == Standing.OVERDUE and result.colour == "red"
    assert result.reason == "逾期未报：2024年第2季度数值应于2024年7月15日前报送，最近一期为2024年第1季度66%"
    # not due yet on the 15th; nor before reporting started
    assert judged([quarter("2024-Q1", "66")], as_of=date(2024, 7, 15)).standing != Standing.OVERDUE
    never = judged([], as_of=date(2024, 7, 16))
    assert never.reason.endswith("尚无数值")


def test_unknown_without_a_trajectory_or_a_value():
    assert judged([], as_of=date(2024, 1, 5)).standing == Standing.UNKNOWN
    no_path = judge(
        as_of=date(2024, 7, 10),
        frequency=Frequency.QUARTERLY,
        rules=RULES,
        observations=[quarter("2024-Q1", "70")],
        path=None,
        direction="up",
        meets=lambda v: None,
        target_raw="逐年提高",
        unit="%",
        reporting_from=None,
    )
    assert no_path.standing == Standing.UNKNOWN and "无基线或数值目标" in no_path.reason
    assert no_path.forecast == UNCERTAIN


def test_forecast_by_the_trend_of_the_last_values():
    # +2 points a quarter: carried on to the end of 2025 it passes 80
    fast = judged([quarter("2023-Q4", "64"), quarter("2024-Q1", "66"), quarter("2024-Q2", "68")])
    assert fast.forecast == CAN_COMPLETE and "按最近3期数值趋势" in fast.forecast_reason
    slow = judged([quarter("2023-Q4", "67"), quarter("2024-Q1", "67.2"), quarter("2024-Q2", "67.4")])
    assert slow.forecast == UNCERTAIN and slow.forecast_reason.endswith("达不到目标值")
    single = judged([quarter("2024-Q2", "70")])
    assert single.forecast == CAN_COMPLETE and single.forecast_reason.startswith("仅一期数值")
    assert judged([quarter("2024-Q2", "81")]).forecast == CAN_COMPLETE
    assert judged([], as_of=date(2024, 1, 5)).forecast == UNCERTAIN


def test_a_projection_just_short_of_the_target_does_not_read_as_the_target():
    """97.996 % against 98 % read 「约为98%，达不到目标值」 in the demo's bulletin: the projection gets
    the decimals that tell it from the target; one well apart keeps two."""
    flat = judged([quarter("2024-Q1", "79.996"), quarter("2024-Q2", "79.996")])
    assert flat.forecast == UNCERTAIN
    assert flat.forecast_reason.endswith("2025年末约为79.996%，达不到目标值")
    slow = judged([quarter("2023-Q4", "67"), quarter("2024-Q1", "67.2"), quarter("2024-Q2", "67.4")])
    assert "2025年末约为68.61%，达不到目标值" in slow.forecast_reason


def test_pending_values_count_and_say_so():
    result = judged([quarter("2024-Q2", "70", pending=True)])
    assert "（待审核）" in result.reason
    assert isinstance(result.expected, Fraction)


def test_a_rate_gap_reads_in_points_to_two_decimals_and_a_flat_trend_in_words():
    """「落后序时进度0.519个百分点」「每年+0个百分点」 read in the demo's bulletins: points of a rate take
    two decimals at most (more only when two would read 0), and a trend that does not move says so."""
    from fractions import Fraction

    from wufei.indicators.trajectory import _difference

    assert _difference(Fraction("0.519"), "%") == "0.52个百分点"
    assert _difference(Fraction("2.98"), "%") == "2.98个百分点"
    assert _difference(Fraction("0.004"), "%") == "0.004个百分点"  # not 「落后0个百分点」
    assert _difference(Fraction("0.000273"), "吨/万元") == "0.000273吨/万元"  # an intensity keeps its digits
    flat = judged([quarter("2024-Q1", "67"), quarter("2024-Q2", "67")])
    assert "按最近2期数值趋势（数值持平），2025年末约为67%" in flat.forecast_reason

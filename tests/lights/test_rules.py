"""The light rules, judged on explicit states and days (Hengshui's plan was issued 2022-10-07)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from wufei.calendar.workdays import WorkCalendar
from wufei.chinese import chinese_date
from wufei.config import load_yaml
from wufei.lights.models import Light
from wufei.lights.rules import LightRules, MilestonePoint, RulesError, TaskState, expected_progress, judge

CAL = WorkCalendar()
ISSUED = date(2022, 10, 7)
# The tasks here fall due on Sunday 31 December 2023: judged on the printed date, so that each case
# shows its own rule; the holiday rollover has its own tests at the end.
RULES = LightRules(deadline_rolls_over_holidays=False)


def fixed(due=date(2023, 12, 31), **kw) -> TaskState:
    return TaskState(
        task_id=1,
        deadline_kind="fixed",
        start=kw.pop("start", ISSUED),
        due=due,
        original_due=kw.pop("original_due", due),
        **kw,
    )


def ongoing(**kw) -> TaskState:
    return TaskState(task_id=2, deadline_kind="ongoing", start=ISSUED, due=None, original_due=None, **kw)


def annual(**kw) -> TaskState:
    return TaskState(task_id=3, deadline_kind="annual", start=ISSUED, due=None, original_due=None, **kw)


MID_2023 = date(2023, 6, 30)  # 266 of 450 days from issue to 2023-12-31: 序时进度 59%


@pytest.mark.parametrize(
    ("state", "as_of", "light", "rules", "reason"),
    [
        (fixed(progress=20), MID_2023, Light.RED, ("lag",), "进度20%，落后序时进度39个百分点"),
        (fixed(progress=40), MID_2023, Light.YELLOW, ("lag",), "进度40%，落后序时进度19个百分点"),
        (fixed(progress=60), MID_2023, Light.GREEN, ("on_track",), "按计划推进"),
        (fixed(), MID_2023, Light.RED, ("lag",), "尚未报送进度（按0%计），落后序时进度59个百分点"),
        (
            fixed(progress=90),
            date(2024, 1, 2),
            Light.RED,
            ("overdue", "lag"),
            "已逾期1个工作日（应于2023年12月31日完成）；进度90%，落后序时进度10个百分点",
        ),
        (fixed(progress=100), date(2024, 1, 17), Light.RED, ("overdue",), "已逾期12个工作日（应于2023年12月31日完成）"),
        (
            fixed(progress=100, completed_on=date(2023, 12, 20)),
            date(2024, 1, 2),
            Light.DONE,
            ("done",),
            "已于2023年12月20日完成",
        ),
        (
            fixed(progress=95),
            date(2023, 12, 26),
            Light.YELLOW,
            ("due_soon",),
            "距完成期限还有3个工作日（2023年12月31日）",
        ),
        (
            fixed(due=date(2023, 12, 29), progress=100),
            date(2023, 12, 29),
            Light.YELLOW,
            ("due_soon",),
            "当日为完成期限（2023年12月29日）",
        ),
        (fixed(progress=60, missing_streak=2), MID_2023, Light.YELLOW, ("missing_reports",), "连续2周未按时报送进展"),
        (fixed(progress=60, missing_streak=3), MID_2023, Light.RED, ("missing_reports",), "连续3周未按时报送进展"),
        (
            fixed(due=date(2021, 12, 31)),
            MID_2023,
            Light.YELLOW,
            ("before_issue",),
            "完成期限（2021年12月31日）早于方案印发，请确认是否已完成",
        ),
    ],
)
def test_a_fixed_task_takes_the_light_of_its_worst_rule(state, as_of, light, rules, reason):
    result = judge(state, as_of, CAL, RULES)
    assert (result.light, result.rules, result.reason) == (light, rules, reason)


def test_every_rule_that_fired_is_named_worst_first():
    result = judge(fixed(missing_streak=2), date(2024, 1, 17), CAL, RULES)
    assert result.light == Light.RED
    assert result.rules == ("overdue", "lag", "missing_reports")
    assert result.reason == (
        "已逾期12个工作日（应于2023年12月31日完成）；尚未报送进度（按0%计），落后序时进度100个百分点；连续2周未按时报送进展"
    )


def test_a_task_done_after_the_day_judged_is_not_done_yet():
    result = judge(fixed(progress=100, completed_on=date(2024, 1, 10)), date(2024, 1, 2), CAL, RULES)
    assert result.light == Light.RED and result.rules[0] == "overdue"


def test_an_approved_extension_moves_the_deadline_and_the_light_recovers():
    before = fixed(progress=80)
    extended = replace(before, due=date(2024, 6, 30))
    day = date(2024, 1, 2)
    assert judge(before, day, CAL, RULES).light == Light.RED
    after = judge(extended, day, CAL, RULES)  # 序时进度 over 2022-10-07…2024-06-30 is 72%
    assert (after.light, after.reason) == (Light.GREEN, "按计划推进")


def test_a_passed_milestone_below_its_expected_progress_is_red_until_caught_up():
    milestone = MilestonePoint(date(2023, 12, 31), 50, "2023年度目标")
    state = fixed(due=date(2025, 12, 31), progress=40, milestones=[milestone])
    day = date(2024, 1, 10)  # 序时进度 39%: not lagging
    missed = judge(state, day, CAL, RULES)
    assert (missed.light, missed.rules) == (Light.RED, ("milestone_missed",))
    assert missed.reason == "未完成2023年度目标（应于2023年12月31日达到50%，当前进度40%）"
    assert judge(replace(state, progress=50), day, CAL, RULES).light == Light.GREEN
    # Not passed yet on its own day.
    assert judge(state, date(2023, 12, 31), CAL, RULES).light == Light.GREEN


def test_the_milestone_rule_can_be_softened_or_turned_off():
    state = fixed(
        due=date(2025, 12, 31), progress=40, milestones=[MilestonePoint(date(2023, 12, 31), 50, "2023年度目标")]
    )
    day = date(2024, 1, 10)
    assert judge(state, day, CAL, replace(RULES, milestone_overdue=Light.YELLOW)).light == Light.YELLOW
    assert judge(state, day, CAL, replace(RULES, milestone_overdue=None)).light == Light.GREEN


def test_a_red_task_that_catches_up_turns_yellow_then_green():
    lagging = fixed(progress=20)
    assert judge(lagging, MID_2023, CAL, RULES).light == Light.RED
    assert judge(replace(lagging, progress=45), MID_2023, CAL, RULES).light == Light.YELLOW
    assert judge(replace(lagging, progress=55), MID_2023, CAL, RULES).light == Light.GREEN


@pytest.mark.parametrize(
    ("streak", "light", "reason"),
    [
        (0, Light.GREEN, "按计划推进"),
        (1, Light.YELLOW, "连续1周未按时报送进展"),
        (2, Light.YELLOW, "连续2周未按时报送进展"),
        (3, Light.RED, "连续3周未按时报送进展"),
    ],
)
def test_an_ongoing_task_is_judged_on_reporting_only(streak, light, reason):
    state = ongoing(progress=5, progress_week=date(2023, 6, 5), missing_streak=streak)
    result = judge(state, MID_2023, CAL, RULES)
    assert (result.light, result.reason) == (light, reason)


def test_an_ongoing_task_recovers_after_a_report():
    silent = ongoing(progress=30, progress_week=date(2023, 6, 5), missing_streak=3)
    assert judge(silent, MID_2023, CAL, RULES).light == Light.RED
    reported = replace(silent, progress=35, progress_week=date(2023, 6, 26), missing_streak=0)
    assert judge(reported, MID_2023, CAL, RULES).light == Light.GREEN


def test_an_ongoing_task_without_a_report_in_the_last_weeks_of_the_year_is_yellow_until_the_next_report():
    # The last four reporting weeks of 2023 start on 4, 11, 18 and 25 December.
    day = date(2024, 1, 10)
    quiet = ongoing(progress=30, progress_week=date(2023, 11, 27))
    result = judge(quiet, day, CAL, RULES)
    assert (result.light, result.rules, result.reason) == (Light.YELLOW, ("year_end_no_report",), "2023年末无进展报送")
    assert judge(replace(quiet, progress_week=date(2023, 12, 4)), day, CAL, RULES).light == Light.GREEN
    assert judge(replace(quiet, progress_week=date(2024, 1, 8)), day, CAL, RULES).light == Light.GREEN
    # Before the plan was issued there was nothing to report.
    assert judge(ongoing(), date(2022, 11, 1), CAL, RULES).light == Light.GREEN


def test_an_annual_task_is_judged_on_this_years_deadline_and_this_years_progress():
    day = date(2024, 6, 30)  # 序时进度 of 2024: 181 of 365 days, 50%
    last_year = annual(progress=100, progress_week=date(2023, 12, 25), completed_on=date(2023, 12, 28))
    result = judge(last_year, day, CAL, RULES)
    assert (result.light, result.reason) == (Light.RED, "尚未报送进度（按0%计），落后序时进度50个百分点")
    this_year = replace(last_year, progress=40, progress_week=date(2024, 6, 24))
    assert judge(this_year, day, CAL, RULES).reason == "进度40%，落后序时进度10个百分点"
    assert judge(replace(this_year, progress=50), day, CAL, RULES).light == Light.GREEN
    done = judge(replace(this_year, completed_on=date(2024, 5, 31)), day, CAL, RULES)
    assert (done.light, done.reason) == (Light.DONE, "2024年度任务已于2024年5月31日完成")
    late = judge(replace(this_year, progress=90), date(2024, 12, 27), CAL, RULES)
    assert late.rules == ("due_soon",) and "还有2个工作日（2024年12月31日）" in late.reason


def test_an_annual_task_starts_its_first_year_at_the_plan_issue_date():
    # 2022: from 7 October to 31 December; on 19 November 43 of 85 days have passed.
    result = judge(annual(progress=20, progress_week=date(2022, 11, 14)), date(2022, 11, 19), CAL, RULES)
    assert result.reason == "进度20%，落后序时进度31个百分点"


def test_expected_progress_is_the_elapsed_share_capped_to_0_and_100():
    assert expected_progress(ISSUED, date(2023, 12, 31), date(2022, 1, 1)) == 0
    assert expected_progress(ISSUED, date(2023, 12, 31), date(2023, 12, 31)) == 100
    assert expected_progress(ISSUED, date(2023, 12, 31), date(2030, 1, 1)) == 100
    assert round(expected_progress(date(2023, 1, 1), date(2023, 12, 31), date(2023, 7, 2)), 1) == 50.0


def test_the_shipped_yaml_declares_the_default_rules():
    data = load_yaml("lights", "rules.yaml")
    assert LightRules.from_dict(data) == LightRules()
    assert data["assessment_uses"] == "original" and data["due_soon_workdays"] == 5


def test_an_office_copy_of_the_rules_overrides_the_shipped_one(tmp_path, monkeypatch):
    (tmp_path / "rules.yaml").write_text("lag_yellow_points: 5\nmilestone_overdue: off\n", encoding="utf-8")
    monkeypatch.setenv("WUFEI_CONFIG_DIR", str(tmp_path))
    rules = LightRules.load()
    assert (rules.lag_yellow_points, rules.milestone_overdue, rules.lag_red_points) == (5, None, 30)
    assert judge(fixed(progress=52), MID_2023, CAL, rules).light == Light.YELLOW


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"lag_yelow_points": 5}, "不认识的设置：lag_yelow_points"),
        ({"lag_red_points": 5}, "lag_red_points 不应小于 lag_yellow_points"),
        ({"milestone_overdue": "blue"}, "milestone_overdue 应为 red、yellow 或 off"),
        ({"assessment_uses": "latest"}, "assessment_uses 应为 original 或 extended"),
        ({"due_soon_workdays": -1}, "due_soon_workdays 应为非负整数"),
    ],
)
def test_a_bad_rules_file_is_refused_in_chinese(data, message):
    with pytest.raises(RulesError, match=message):
        LightRules.from_dict(data)


def test_chinese_dates_have_no_leading_zeros():
    assert chinese_date(date(2024, 5, 1)) == "2024年5月1日"


# --- a deadline on a rest day or statutory holiday (民法典 第二百零三条) ---------------------------------

HOLIDAY_DUE = date(2024, 10, 1)  # National Day: the first working day after is Tuesday 8 October


def test_a_deadline_on_a_holiday_counts_to_the_end_of_the_next_working_day():
    state = fixed(due=HOLIDAY_DUE, progress=95)
    during = judge(state, date(2024, 10, 4), CAL, LightRules())
    assert (during.light, during.rules) == (Light.YELLOW, ("due_soon",))
    assert during.reason == "距完成期限还有1个工作日（完成期限10月1日为节假日，顺延至10月8日）"
    on_the_day = judge(state, date(2024, 10, 8), CAL, LightRules())
    assert on_the_day.reason == "当日为完成期限（完成期限10月1日为节假日，顺延至10月8日）"
    after = judge(state, date(2024, 10, 9), CAL, LightRules())
    assert (after.light, after.rules) == (Light.RED, ("overdue",))
    assert after.reason == "已逾期1个工作日（完成期限10月1日为节假日，顺延至10月8日，应于2024年10月8日前完成）"
    # the office may turn the rule off: the printed date then
    off = judge(state, date(2024, 10, 4), CAL, LightRules(deadline_rolls_over_holidays=False))
    assert (off.light, off.rules) == (Light.RED, ("overdue",))


def test_a_sunday_deadline_rolls_to_monday_and_a_working_day_stays():
    sunday = judge(fixed(due=date(2024, 3, 31), progress=99), date(2024, 3, 31), CAL, LightRules())
    assert sunday.reason == "距完成期限还有1个工作日（完成期限3月31日为节假日，顺延至4月1日）"
    friday = judge(fixed(due=date(2024, 3, 29), progress=99), date(2024, 3, 29), CAL, LightRules())
    assert friday.reason == "当日为完成期限（2024年3月29日）"


def test_the_rollover_rule_is_read_from_the_rules_file():
    assert LightRules.from_dict({"deadline_rolls_over_holidays": False}).deadline_rolls_over_holidays is False
    with pytest.raises(RulesError, match="deadline_rolls_over_holidays 应为 true 或 false：是"):
        LightRules.from_dict({"deadline_rolls_over_holidays": "是"})

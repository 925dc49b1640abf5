"""The pure ladder: which steps a task is owed on a day, on China's working-day calendar."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from wufei.calendar.workdays import WorkCalendar
from wufei.chinese import chinese_date
from wufei.config import load_yaml
from wufei.escalation.ladder import (
    KINDS,
    Ladder,
    LadderError,
    Recipient,
    behind_steps,
    indicator_steps_due,
    missing_steps,
    steps_due,
)
from wufei.notices.models import NoticeKind

CALENDAR = WorkCalendar()
DEFAULT = load_yaml("escalation", "ladder.yaml")
LADDER = Ladder.from_config(DEFAULT)


def _ids(due, as_of, *, done=False, ladder=LADDER, calendar=CALENDAR):
    return [s.id for s in steps_due(due=due, done=done, as_of=as_of, calendar=calendar, ladder=ladder)]


# 2024-05-31 is a Friday; the Dragon Boat holiday is Monday 2024-06-10.
MAY_31 = date(2024, 5, 31)


@pytest.mark.parametrize(
    "as_of, expected",
    [
        (date(2024, 5, 21), []),  # 8 working days before: too early
        (date(2024, 5, 22), ["before_due_7"]),  # the 7th working day before
        (date(2024, 5, 25), ["before_due_7"]),  # a Saturday in between
        (date(2024, 5, 30), ["before_due_7", "before_due_1"]),  # all that apply are listed
        (MAY_31, ["before_due_7", "before_due_1"]),  # the due date itself
        (date(2024, 6, 1), []),  # the weekend after: before-due steps stop
        (date(2024, 6, 2), []),
        (date(2024, 6, 3), ["after_due_1"]),  # the working day after
        (date(2024, 6, 11), ["after_due_1"]),  # 6th working day: 6-10 is 端午节
        (date(2024, 6, 12), ["after_due_1", "after_due_7"]),  # 7th working day, shifted by the holiday
        (date(2024, 7, 12), ["after_due_1", "after_due_7"]),
        (date(2024, 7, 15), ["after_due_1", "after_due_7", "after_due_30"]),
        (date(2025, 1, 1), ["after_due_1", "after_due_7", "after_due_30"]),  # after-due steps stay applicable
    ],
)
def test_a_task_due_on_31_may_2024_is_owed_these_steps(as_of, expected):
    assert _ids(MAY_31, as_of) == expected


@pytest.mark.parametrize(
    "as_of, expected",
    [
        # 2024-09-30 is a Monday before the National Day holiday (10-01 … 10-07); Sunday 9-29 is a
        # working day (调休) and Saturday 9-28 is not.
        (date(2024, 9, 19), []),
        (date(2024, 9, 20), ["before_due_7"]),  # a plain count of weekdays would give 9-19
        (date(2024, 9, 28), ["before_due_7"]),
        (date(2024, 9, 29), ["before_due_7", "before_due_1"]),  # the 调休 Sunday is the working day before
        (date(2024, 10, 1), []),  # the holiday is not the working day after
        (date(2024, 10, 7), []),
        (date(2024, 10, 8), ["after_due_1"]),
        (date(2024, 10, 14), ["after_due_1"]),
        (date(2024, 10, 15), ["after_due_1", "after_due_7"]),  # Saturday 10-12 was a working day
    ],
)
def test_the_national_day_holiday_and_its_makeup_days_shift_the_trigger_days(as_of, expected):
    assert _ids(date(2024, 9, 30), as_of) == expected


def test_a_task_first_seen_after_its_deadline_is_not_told_it_is_due_soon():
    assert not {"before_due_7", "before_due_1"} & set(_ids(MAY_31, date(2024, 6, 20)))


def test_office_overrides_move_the_trigger_day():
    # The office declares Monday 2024-06-03 a day off: the working day after becomes Tuesday.
    calendar = WorkCalendar({date(2024, 6, 3): "holiday"})
    assert _ids(MAY_31, date(2024, 6, 3), calendar=calendar) == []
    assert _ids(MAY_31, date(2024, 6, 4), calendar=calendar) == ["after_due_1"]


def test_done_tasks_and_tasks_without_a_due_date_are_owed_nothing():
    assert _ids(MAY_31, date(2024, 6, 20), done=True) == []
    assert _ids(None, date(2024, 6, 20)) == []


@pytest.mark.parametrize(
    "streak, expected",
    [
        (0, []),
        (1, ["missing_1"]),
        (2, ["missing_1"]),
        (3, ["missing_1", "missing_3"]),
        (9, ["missing_1", "missing_3"]),
    ],
)
def test_a_streak_of_missed_weeks_reaches_the_missing_steps(streak, expected):
    assert [s.id for s in missing_steps(streak, LADDER)] == expected


def test_the_default_ladder_sends_each_step_to_the_people_the_plan_names():
    by_id = {s.id: s for s in LADDER.steps}
    assert by_id["before_due_7"].audience == (Recipient.LEAD_LIAISON,)
    assert by_id["before_due_1"].audience == (Recipient.LEAD_LIAISON, Recipient.SUPPORTING_LIAISON)
    assert (by_id["after_due_1"].kind, by_id["after_due_1"].title) == ("yellow_slip", "黄色督办单")
    assert by_id["after_due_7"].audience == (Recipient.LEAD_LEADER, Recipient.OFFICE)
    assert (by_id["after_due_7"].kind, by_id["after_due_7"].title) == ("red_slip", "红色督办单")
    assert by_id["after_due_30"].audience == (Recipient.GROUP,)
    assert by_id["missing_3"].streak == 3 and by_id["missing_3"].kind == "report_missing"


def test_actions_are_filled_with_chinese_dates_and_counts():
    step = LADDER.step("after_due_7")
    text = step.render_action(due=chinese_date(MAY_31), days_overdue=7)
    assert "2024年5月31日" in text and "逾期7个工作日" in text and "{" not in text


def test_the_ladder_kinds_are_the_notice_kinds():
    assert set(KINDS) == {k.value for k in NoticeKind if k is not NoticeKind.DELIVERY_FAILED}  # raised by delivery


def _broken(**changes):
    config = copy.deepcopy(DEFAULT)
    step = config["steps"][changes.pop("index", 3)]
    for key, value in changes.items():
        if value is None:
            step.pop(key, None)
        else:
            step[key] = value
    return config


@pytest.mark.parametrize(
    "config, message",
    [
        ({}, "缺少 steps"),
        ({"steps": []}, "缺少 steps"),
        ({"steps": [], "stepz": 1}, "未知字段：stepz"),
        (_broken(id="After-Due"), "id 无效"),
        (_broken(id="after_due_1"), "id 重复：after_due_1"),
        (_broken(anchor="deadline"), "anchor 应为 due"),
        (_broken(offset_workdays="七"), "offset_workdays 应为整数"),
        (_broken(offset_workdays=None), "offset_workdays 应为整数"),
        (_broken(index=6, streak=0), "streak 应为不小于1的整数"),
        (_broken(index=6, offset_workdays=3), "不应有 offset_workdays"),
        (_broken(audience=["lead_liaison", "mayor"]), "audience 含未知对象：「mayor」"),
        (_broken(audience=[]), "audience 应为非空列表"),
        (_broken(kind="orange_slip"), "kind 无效：「orange_slip」"),
        (_broken(title=" "), "缺少 title"),
        (_broken(colour="red"), "含未知字段：colour"),
        (_broken(action="请于{week}前整改"), "不能用的占位符：{week}"),
        (_broken(action="请于{due前整改"), "花括号不成对"),
        (_broken(index=7, action="请报送{week}数值"), "不能用的占位符：{week}"),
        (_broken(index=10, light="orange"), "light 应为 yellow（落后即提醒）或 red"),
        (_broken(index=10, offset_workdays=3), "不应有 offset_workdays 或 streak"),
        (_broken(index=3, light="red"), "不应有 light"),
        (_broken(index=10, action="{indicator}落后{due}"), "不能用的占位符：{due}"),
    ],
)
def test_an_invalid_ladder_is_refused_with_a_chinese_message(config, message):
    with pytest.raises(LadderError, match=message):
        Ladder.from_config(config)


def test_repeat_must_be_weekly_or_once():
    with pytest.raises(LadderError, match="repeat"):
        Ladder.from_config(
            {
                "steps": [
                    {
                        "id": "missing_2",
                        "anchor": "missing",
                        "streak": 2,
                        "repeat": "daily",
                        "audience": ["lead_liaison"],
                        "kind": "report_missing",
                        "title": "未报送",
                    }
                ]
            }
        )


def test_an_indicator_period_is_owed_the_report_date_steps_until_its_value_is_in():
    due = date(2024, 7, 15)  # a Monday: 2024-Q2's report date

    def owed(as_of, reported=False):
        steps = indicator_steps_due(due=due, reported=reported, as_of=as_of, calendar=CALENDAR, ladder=LADDER)
        return [s.id for s in steps]

    assert owed(date(2024, 7, 5)) == []  # 6 working days before
    assert owed(date(2024, 7, 8)) == ["indicator_due_5"]
    assert owed(due) == ["indicator_due_5"]
    assert owed(date(2024, 7, 16)) == ["indicator_overdue_1"]
    assert owed(date(2024, 7, 29)) == ["indicator_overdue_1", "indicator_overdue_10"]
    assert owed(date(2024, 7, 29), reported=True) == []
    # Task steps and indicator steps never mix.
    assert not {s.id for s in LADDER.due_steps} & {s.id for s in LADDER.indicator_due_steps}


def test_a_behind_indicator_reaches_the_steps_of_its_light():
    assert [s.id for s in behind_steps("yellow", LADDER)] == ["indicator_behind"]
    assert [s.id for s in behind_steps("red", LADDER)] == ["indicator_behind", "indicator_behind_red"]
    assert behind_steps("green", LADDER) == []
    red = LADDER.step("indicator_behind_red")
    assert red.audience == (Recipient.LEAD_LEADER, Recipient.OFFICE)
    assert red.render_action(period="2024年第2季度").startswith("请牵头单位负责同志研究加快推进的措施")

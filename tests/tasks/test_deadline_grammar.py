"""The deadline grammar beyond the seeds: forms found in other cities' plans, read table-driven."""

from __future__ import annotations

from datetime import date

import pytest

from wufei.tasks.deadlines import (
    NOTE_RELATIVE,
    Checkpoint,
    DeadlineError,
    DeadlineKind,
    deadlines_in_text,
    parse_deadline,
)

FIVE_YEARS = {"plan_start": 2021, "plan_end": 2025}
ONE_YEAR = {"plan_start": 2023, "plan_end": 2023}


@pytest.mark.parametrize(
    ("raw", "context", "due"),
    [
        ("2020", {}, date(2020, 12, 31)),  # a bare year is the end of that year
        ("2025", FIVE_YEARS, date(2025, 12, 31)),
        ("2016年6底前", {}, date(2016, 6, 30)),  # 月 dropped before 底
        ("2023 年底", {}, date(2023, 12, 31)),
        ("2023年 年底前", {}, date(2023, 12, 31)),
        ("2024年年中", {}, date(2024, 6, 30)),
        ("2024年6月中旬", {}, date(2024, 6, 20)),
        ("2024年6月上旬", {}, date(2024, 6, 10)),
        ("2024年6月下旬", {}, date(2024, 6, 30)),
        ("2024年一季度", {}, date(2024, 3, 31)),
        ("2024年第四季度末", {}, date(2024, 12, 31)),
        ("2024年六月底前", {}, date(2024, 6, 30)),
        ("2023年12月15日前", {}, date(2023, 12, 15)),
        ("力争2024年底前完成", {}, date(2024, 12, 31)),
        ("2022年—2025年", {}, date(2025, 12, 31)),
        ("2022至2025年", {}, date(2025, 12, 31)),
        # Without a year, a one-year plan's year is the year.
        ("年底", ONE_YEAR, date(2023, 12, 31)),
        ("年底前", ONE_YEAR, date(2023, 12, 31)),
        ("年中", ONE_YEAR, date(2023, 6, 30)),
        ("上半年", ONE_YEAR, date(2023, 6, 30)),
        ("下半年", ONE_YEAR, date(2023, 12, 31)),
        ("一季度", ONE_YEAR, date(2023, 3, 31)),
        ("二季度", ONE_YEAR, date(2023, 6, 30)),
        ("第三季度", ONE_YEAR, date(2023, 9, 30)),
        ("四季度", ONE_YEAR, date(2023, 12, 31)),
        ("6月底前", ONE_YEAR, date(2023, 6, 30)),
        ("6月底", ONE_YEAR, date(2023, 6, 30)),
        ("6月中旬", ONE_YEAR, date(2023, 6, 20)),
        ("11月30日前", ONE_YEAR, date(2023, 11, 30)),
        ("6 月 底 前", ONE_YEAR, date(2023, 6, 30)),
    ],
)
def test_dated_forms_give_their_last_day_without_a_doubt(raw, context, due):
    deadline = parse_deadline(raw, **context)
    assert (deadline.kind, deadline.due_date, deadline.doubt) == (DeadlineKind.FIXED, due, None)


@pytest.mark.parametrize(
    ("raw", "due", "says"),
    [
        ("9月前", date(2023, 8, 31), "9月1日前"),
        ("2024年4月前", date(2024, 3, 31), "4月1日前"),
        ("2025年前", date(2024, 12, 31), "2025年1月1日前"),
        ("2024年初", date(2024, 3, 31), "第一季度末"),
    ],
)
def test_a_strict_reading_of_qian_is_taken_and_flagged_for_the_office(raw, due, says):
    deadline = parse_deadline(raw, **ONE_YEAR)
    assert deadline.due_date == due
    assert says in deadline.doubt


def test_a_date_without_a_year_in_a_five_year_plan_takes_the_issue_year_with_a_doubt():
    deadline = parse_deadline("6月底前", plan_start=2021, plan_end=2025, issued_on=date(2022, 3, 1))
    assert deadline.due_date == date(2022, 6, 30)
    assert "2022年" in deadline.doubt


def test_a_date_without_a_year_and_nothing_to_take_it_from_is_an_error():
    with pytest.raises(DeadlineError, match="没有写明年份"):
        parse_deadline("6月底前", **FIVE_YEARS)


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("长期坚持", DeadlineKind.ONGOING),
        ("持续推进", DeadlineKind.ONGOING),
        ("常态工作", DeadlineKind.ONGOING),
        ("常态化推进", DeadlineKind.ONGOING),
        ("每季度", DeadlineKind.ONGOING),
        ("每年", DeadlineKind.ANNUAL),
        ("逐年推进", DeadlineKind.ANNUAL),
    ],
)
def test_recurring_and_ongoing_words_have_no_final_date(raw, kind):
    deadline = parse_deadline(raw, **FIVE_YEARS)
    assert (deadline.kind, deadline.due_date) == (kind, None)


@pytest.mark.parametrize(
    ("raw", "kind", "start"),
    [
        ("2023年起", DeadlineKind.ONGOING, 2023),
        ("2022年起持续推进", DeadlineKind.ONGOING, 2022),
        ("2023年起每年", DeadlineKind.ANNUAL, 2023),
        ("自2024年开始", DeadlineKind.ONGOING, 2024),
    ],
)
def test_a_start_year_alone_makes_an_open_ended_task(raw, kind, start):
    deadline = parse_deadline(raw, **FIVE_YEARS)
    assert (deadline.kind, deadline.due_date, deadline.start_year) == (kind, None, start)


def test_a_range_keeps_its_first_year_as_the_start():
    deadline = parse_deadline("2022—2025年", **FIVE_YEARS)
    assert (deadline.due_date, deadline.start_year) == (date(2025, 12, 31), 2022)


def test_several_deadlines_in_one_cell_the_last_is_due_and_the_others_are_checkpoints():
    deadline = parse_deadline("2022年底前完成A，2025年底前完成B", **FIVE_YEARS)
    assert deadline.due_date == date(2025, 12, 31)
    assert deadline.checkpoints == (Checkpoint(date(2022, 12, 31), "2022年底前完成A"),)


def test_a_later_date_without_a_year_takes_the_year_before_it():
    deadline = parse_deadline("2023年6月底前完成方案；12月底前完成验收", **FIVE_YEARS)
    assert deadline.due_date == date(2023, 12, 31)
    assert deadline.checkpoints == (Checkpoint(date(2023, 6, 30), "2023年6月底前完成方案"),)
    assert deadline.doubt is None


def test_checkpoints_are_in_date_order_whatever_the_order_printed():
    deadline = parse_deadline("2025年全面完成；2023年底前完成试点；2024年", **FIVE_YEARS)
    assert deadline.due_date == date(2025, 12, 31)
    assert [c.due_date for c in deadline.checkpoints] == [date(2023, 12, 31), date(2024, 12, 31)]


@pytest.mark.parametrize(
    "raw",
    ["省出台文件后2个月完成", "国家政策出台后3个月内", "方案印发之日起30日内", "3个月内", "项目批复后半年"],
)
def test_a_relative_deadline_is_kept_as_text_without_a_date_and_flagged(raw):
    deadline = parse_deadline(raw, **FIVE_YEARS)
    assert (deadline.kind, deadline.due_date, deadline.note) == (DeadlineKind.FIXED, None, NOTE_RELATIVE)
    assert raw in deadline.doubt and "具体日期" in deadline.doubt


@pytest.mark.parametrize("raw", ["6月30日内", "2025年内", "2023年度"])
def test_nei_after_a_date_is_not_relative(raw):
    assert parse_deadline(raw, **ONE_YEAR).due_date is not None


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("到2025年底，全市一般工业固体废物综合利用率达到60%。", "2025年底"),
        ("2023年底前，完成全市危险废物排查。", "2023年底前"),
        ("力争于2024年6月底前建成投运。", "2024年6月底前"),
        ("2023年底前完成试点，到2025年全面推广。", "2023年底前；2025年"),
        ("截至2021年底，全市已建成3座焚烧厂。", None),  # the past, not a deadline
        ("2020年全市产生生活垃圾120万吨。", None),  # a year with no "by"
        ("到2030年前实现碳达峰。", None),  # beyond the plan period
        (None, None),
    ],
)
def test_deadlines_are_found_in_the_text_of_a_task_only_where_they_say_by(text, found):
    assert deadlines_in_text(text, **FIVE_YEARS) == found

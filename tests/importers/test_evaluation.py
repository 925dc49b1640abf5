"""The flattened indicator table of an evaluation: the seed report, and tables of our own making."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from wufei.importers.records import IndicatorRecord
from wufei.importers.text.evaluation import evaluation_indicators

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"
EVALUATION = "衡水市生态环境保护十四五规划中期评估.txt"


def seed_lines(name: str) -> list[str]:
    return (SEEDS / name).read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="module")
def rows() -> list[IndicatorRecord]:
    return evaluation_indicators(seed_lines(EVALUATION))


def row(rows: list[IndicatorRecord], number: int) -> IndicatorRecord:
    return rows[number - 1]


# --- seed 004 ------------------------------------------------------------------------------


def test_the_evaluation_table_has_20_rows_numbered_in_order(rows):
    assert [r.number for r in rows] == [str(n) for n in range(1, 21)]


def test_the_evaluation_table_has_16_binding_and_4_expected_indicators(rows):
    # The text prints 约束性 16 times and 预期性 4 times (rows 7, 15, 16, 17).
    assert Counter(r.attribute_raw for r in rows) == {"约束性": 16, "预期性": 4}
    assert [r.number for r in rows if r.attribute_raw == "预期性"] == ["7", "15", "16", "17"]


def test_every_row_has_a_2025_target_a_2022_value_and_a_forecast(rows):
    assert all(r.target_year == 2025 for r in rows)
    assert all(set(r.observed) == {2022} for r in rows)
    assert {r.forecast_raw for r in rows} == {"可以完成", "存在不确定性"}


def test_first_row_drops_stray_spaces_and_the_unit_from_the_name(rows):
    first = row(rows, 1)
    assert first.name == "市区城市PM2.5年均浓度"
    assert first.unit == "μg/m3"
    assert first.category == "环境治理"
    assert (first.target_raw, first.observed, first.forecast_raw) == ("37", {2022: "43"}, "存在不确定性")
    assert first.line == 34


def test_text_target_wrapped_over_two_lines_is_rebuilt(rows):
    third = row(rows, 3)
    assert third.name == "县城环境空气优良天数比例"
    assert third.target_raw == "完成市定目标"
    assert third.observed == {2022: "62.2%~74.0%"}


def test_footnote_letter_after_the_unit_is_removed(rows):
    assert (row(rows, 4).name, row(rows, 4).unit) == ("地表水国省考断面达到或好于Ⅲ水体比例", "%")
    assert (row(rows, 9).name, row(rows, 9).unit) == ("化学需氧量重点工程减排量", "吨")
    assert (row(rows, 20).name, row(rows, 20).unit) == ("地下水压采量", "亿立方米")


def test_parenthesis_inside_a_name_is_not_taken_for_the_unit(rows):
    assert row(rows, 12).name == "挥发性有机物（VOCS）重点工程减排量"
    assert row(rows, 12).unit == "吨"


def test_percent_sign_at_the_end_of_a_name_is_the_unit(rows):
    thirteen = row(rows, 13)
    assert thirteen.name == "单位地区生产总值二氧化碳排放累计下降"
    assert thirteen.unit == "%"
    assert thirteen.category == "应对气候变化"
    assert thirteen.target_raw == "20"
    assert thirteen.observed == {2022: "国家统计部门正在牵头对排放量核算办法进行修订，暂无数据"}
    assert row(rows, 14).target_raw == "17以上"


def test_two_wrapped_text_cells_in_a_row_are_told_apart_by_line_length(rows):
    eighteen = row(rows, 18)
    assert eighteen.name == "衡水市生态保护红线面积"
    assert eighteen.unit is None
    assert eighteen.category == "生态保护"
    assert eighteen.target_raw == "生态保护红线面积不减少"
    assert eighteen.observed == {2022: "生态保护红线面积不减少"}
    assert eighteen.forecast_raw == "可以完成"


def test_unit_sharing_a_line_with_the_values_and_a_footnoted_target(rows):
    nineteen = row(rows, 19)
    assert (nineteen.name, nineteen.unit, nineteen.target_raw) == ("森林覆盖率", "%", "8.2*")
    assert nineteen.observed == {2022: "13.4"}


def test_bracketed_value_after_the_last_row_is_kept_as_the_plan_period_total(rows):
    twenty = row(rows, 20)
    assert twenty.target_raw == "——"
    assert twenty.observed == {2022: "2.89"}
    assert twenty.attribute_raw == "约束性"
    assert twenty.definition == "规划期累计值：2.83"


def test_categories_follow_the_rows_they_head(rows):
    assert [r.category for r in rows[14:18]] == ["应对气候变化", "环境风险防控", "环境风险防控", "生态保护"]


@pytest.mark.parametrize(
    "name", ["衡政办字〔2022〕57号.txt", "保政办函〔2022〕50号.txt", "河北省十四五时期无废城市建设工作方案.txt"]
)
def test_plans_without_an_evaluation_table_give_no_rows(name):
    assert evaluation_indicators(seed_lines(name)) == []


# --- tables of our own making --------------------------------------------------------------

HEADER_2023 = [
    "指标",
    "类型",
    "",
    "序",
    "号",
    "指标",
    "2030 年",
    "目标",
    "",
    "2023 年",
    "完成情况",
    "",
    "预计到",
    "2030 年",
    "",
    "指标",
    "属性",
    "",
]


def test_years_come_from_the_header_not_from_the_seed():
    lines = [
        "一、目标完成情况",
        *HEADER_2023,
        "资源",
        "利用",
        "1",
        "固废综合",
        "利用率（%）",
        "",
        "60 55.5 可以完成 约束性",
        "二、任务完成情况",
    ]
    [only] = evaluation_indicators(lines)
    assert (only.name, only.unit, only.category) == ("固废综合利用率", "%", "资源利用")
    assert (only.target_raw, only.target_year, only.observed) == ("60", 2030, {2023: "55.5"})
    assert only.line == 22


def test_a_complete_short_cell_followed_by_a_shorter_one_is_not_merged_when_columns_run_out():
    # 全部消除 then 完成 on the next line could be one wrapped cell by length alone;
    # there are only three value columns, so they must be two cells.
    lines = [*HEADER_2023, "1", "黑臭水体（%）", "逐年提高 全部消除", "完成", "预期性", "注：无"]
    [only] = evaluation_indicators(lines)
    assert (only.target_raw, only.observed, only.forecast_raw) == ("逐年提高", {2023: "全部消除"}, "完成")
    assert only.attribute_raw == "预期性"


def test_a_repeated_header_after_a_page_break_is_skipped():
    lines = [
        *HEADER_2023,
        "1",
        "甲指标（吨）",
        "10 8 可以完成 约束性",
        "续表",
        *HEADER_2023,
        "2",
        "乙指标（吨）",
        "20 9 存在不确",
        "定性",
        "约束性",
    ]
    rows = evaluation_indicators(lines)
    assert [(r.number, r.name, r.forecast_raw, r.category) for r in rows] == [
        ("1", "甲指标", "可以完成", None),
        ("2", "乙指标", "存在不确定性", None),
    ]


def test_a_name_without_unit_or_footnote_ends_where_numeric_values_begin():
    lines = [*HEADER_2023, "1", "耕地安全", "利用面积", "", "100 98 可以完成 约束性"]
    [only] = evaluation_indicators(lines)
    assert (only.name, only.unit, only.target_raw, only.observed) == ("耕地安全利用面积", None, "100", {2023: "98"})

"""Indicator tables of shapes the third batch showed: year columns carrying words (2023年完成 /
2024年计划, each over 绝对值 and 增长%), numbered group rows, tables laid out sideways."""

from __future__ import annotations

from wufei.importers.document import GRID, Row, Table
from wufei.importers.text.table_records import records_from_tables


def grid(header: list[str], *rows: list[str | None]) -> Table:
    return Table(
        header=header,
        rows=[
            Row(cells=[c or None for c in cells], line=3, raw=[c or None for c in cells], where=f"表1第{k + 2}行")
            for k, cells in enumerate(rows)
        ],
        caption=[],
        start_line=3,
        layout=GRID,
        where="表1",
    )


def read(*tables: Table):
    return records_from_tables(list(tables), "计划.docx")


def test_year_columns_with_words_are_baseline_and_target_and_growth_columns_are_kept_apart():
    table = grid(
        [
            "指标名称",
            "单位",
            "2023年完成（绝对值）",
            "2023年完成（增长%）",
            "2024年计划（绝对值）",
            "2024年计划（增长%）",
        ],
        ["规模以上工业增加值", "亿元", "41.2", "6.5", "44.0", "7"],
        ["新增城镇就业人数", "人", "1200", "-", "1300", "-"],
    )
    first, second = read(table).indicators
    assert (first.baseline_raw, first.baseline_year_default) == ("41.2", 2023)
    assert (first.target_raw, first.target_year, first.unit) == ("44.0", 2024, "亿元")
    assert first.other_targets == {"2024年计划（增长%）": "7", "2023年完成（增长%）": "6.5"}
    assert (second.baseline_raw, second.target_raw) == ("1200", "1300")


def test_a_year_column_with_unknown_words_in_a_task_table_is_not_a_target():
    table = grid(["重点任务", "牵头单位", "2024年工作安排说明"], ["建设分拣中心", "市商务局", "完成选址"])
    [task] = read(table).tasks
    assert task.title == "建设分拣中心" and "完成选址" in (task.content or "")


def test_a_numbered_name_alone_in_its_row_heads_the_indicators_under_it():
    table = grid(
        ["指标名称", "单位", "2023年", "2025年"],
        ["一、绿色生产", None, None, None],
        ["一般工业固废综合利用率", "%", "88", "92"],
        ["（二）绿色生活", None, None, None],
        ["生活垃圾回收利用率", "%", "35", "40"],
        ["建筑垃圾资源化利用", None, None, None],
    )
    indicators = read(table).indicators
    assert [(i.name, i.level1) for i in indicators] == [
        ("一般工业固废综合利用率", "绿色生产"),
        ("生活垃圾回收利用率", "绿色生活"),
        ("建筑垃圾资源化利用", "绿色生活"),  # no number: an indicator whose values were left empty
    ]


def test_a_table_laid_out_sideways_is_read_column_by_column():
    table = grid(
        ["主 要 指 标", "耕地保有量", "农村自来水普及率", "化肥使用量"],
        ["2025年目标值", ">120万亩", "95%", "≤3.2万吨"],
        ["属性", "约束性", "预期性", "约束性"],
    )
    records = read(table)
    assert [(i.name, i.target_raw, i.target_year, i.attribute_raw, i.where) for i in records.indicators] == [
        ("耕地保有量", ">120万亩", 2025, "约束性", "表1第2列"),
        ("农村自来水普及率", "95%", 2025, "预期性", "表1第3列"),
        ("化肥使用量", "≤3.2万吨", 2025, "约束性", "表1第4列"),
    ]
    assert records.doubts == []


def test_a_table_whose_first_row_is_understood_is_never_turned():
    table = grid(["指标名称", "目标值", "属性"], ["目标值", "95%", "约束性"], ["属性", "60", "预期性"])
    assert [i.name for i in read(table).indicators] == ["目标值", "属性"]


def test_a_spreadsheet_laid_out_sideways_under_its_title_row_is_read_like_a_word_table(tmp_path):
    from wufei.importers.service import read_source

    path = tmp_path / "指标.csv"
    path.write_text(
        "某县2025年乡村振兴主要指标,,,\n主要指标,耕地保有量,农村自来水普及率,化肥使用量\n"
        "2025年目标值,>120万亩,95%,≤3.2万吨\n属性,约束性,预期性,约束性\n",
        encoding="utf-8",
    )
    [plan] = read_source(path).plans
    assert plan.title == "某县2025年乡村振兴主要指标"
    assert [(i.name, i.target_raw, i.where) for i in plan.indicators] == [
        ("耕地保有量", ">120万亩", "工作表「指标」第2列"),
        ("农村自来水普及率", "95%", "工作表「指标」第3列"),
        ("化肥使用量", "≤3.2万吨", "工作表「指标」第4列"),
    ]

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

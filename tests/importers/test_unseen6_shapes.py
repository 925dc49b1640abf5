"""Shapes of round 12's unseen documents (tests/importers/unseen6/), each by its mechanism: a Markdown pipe table is
a table; a responsibility matrix (one column per unit, ★ for the lead, ○/√ for supporting units) names each row's
owners; a task whose number and task cells are merged down over one row per unit, each with its own deadline, is
one task led by those units and due with the latest; a two-digit year before a part of the year (24年底) and a
quarter written Q3 are deadlines; a sheet's date cell reads as its number format shows it and a hidden column is
not read; a typed line break (a web page's <br>) parts two units, not the pieces of one name typed narrow."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import docx
import openpyxl
import pytest

from wufei.importers.service import read_source
from wufei.tasks.deadlines import DeadlineError, parse_deadline


def _tasks(path: Path) -> list[tuple]:
    plan = read_source(path).plans[0]
    return [(t.title, t.leads, t.supporting, t.deadline_raw) for t in plan.tasks]


def test_a_markdown_pipe_table_is_read_as_a_table(tmp_path: Path):
    path = tmp_path / "分工.md"
    path.write_text(
        "# 某市“无废城市”建设任务分工\n\n"
        "| 序号 | 重点任务 | 牵头单位 | 配合单位 | 完成时限 |\n"
        "|:---:|---|---|---|---|\n"
        "| 1 | 推进磷石膏综合利用 | 市经信局 | 市发改委、市生态环境局 | 2024年6月底前 |\n"
        "| 2 | 建设餐厨垃圾处理厂 | 市城管委 | | 2024年12月底前 |\n",
        encoding="utf-8",
    )
    assert _tasks(path) == [
        ("推进磷石膏综合利用", ("市经信局",), ("市发改委", "市生态环境局"), "2024年6月底前"),
        ("建设餐厨垃圾处理厂", ("市城管委",), (), "2024年12月底前"),
    ]


@pytest.mark.parametrize(
    ("raw", "due"),
    [
        ("24年底", date(2024, 12, 31)),
        ("25年上半年", date(2025, 6, 30)),
        ("2025年Q3", date(2025, 9, 30)),
        ("2025Q1", date(2025, 3, 31)),
        ("24年Q4", date(2024, 12, 31)),
        ("25年6月底前", date(2025, 6, 30)),
        ("25年6月30日前", date(2025, 6, 30)),
        ("24年11月", date(2024, 11, 30)),
    ],
)
def test_a_two_digit_year_before_a_part_of_the_year_and_a_quarter_written_q_are_read(raw: str, due: date):
    assert parse_deadline(raw).due_date == due


@pytest.mark.parametrize("raw", ["用10年时间基本建成", "实施3年6个月", "近10年12月份数据"])
def test_a_two_digit_number_before_years_in_a_duration_or_a_span_gives_no_date(raw: str):
    """Guard: 10年 counts years (a duration); 近10年12月份 names no year. Neither is a deadline."""
    with pytest.raises(DeadlineError):
        parse_deadline(raw)


def test_a_responsibility_matrix_names_the_lead_and_supporting_units_by_their_marks(tmp_path: Path):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [
        ["某市“无废城市”建设重点任务分工表"],
        ["序号", "重点任务", "完成时限", "市发展改革局", "市生态环境局", "市住房城乡建设局", "各区人民政府"],
        [1, "推进陶瓷行业固体废物综合利用", "2025年6月底前", "○", "★", None, "○"],
        [2, "建设建筑垃圾资源化利用项目", "2025年12月底前", None, "√", "★", None],
        [3, "开展农膜回收行动", "2024年12月底前", None, None, None, "√"],
    ]:
        sheet.append(row)
    path = tmp_path / "分工表.xlsx"
    book.save(path)
    assert _tasks(path) == [
        ("推进陶瓷行业固体废物综合利用", ("市生态环境局",), ("市发展改革局", "各区人民政府"), "2025年6月底前"),
        ("建设建筑垃圾资源化利用项目", ("市住房城乡建设局",), ("市生态环境局",), "2025年12月底前"),
        ("开展农膜回收行动", ("各区人民政府",), (), "2024年12月底前"),  # no lead mark: the unit marked leads
    ]


def _word_table(path: Path, rows: list[list[str]], merges: list[tuple[int, int, int]]) -> Path:
    """A Word table; each merge (column, first row, last row) spans a cell down, its text kept once."""
    document = docx.Document()
    document.add_paragraph("某市2025年重点任务分工表")
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    for column, first, last in merges:
        merged = table.cell(first, column).merge(table.cell(last, column))
        merged.text = rows[first][column]
    document.save(path)
    return path


def test_a_task_merged_down_over_one_row_per_unit_is_one_task_due_with_its_latest_row(tmp_path: Path):
    rows = [
        ["序号", "重点任务", "责任单位", "完成时限"],
        ["1", "开展工业固体废物排查整治", "市经信局", "2025年8月底前"],
        ["1", "开展工业固体废物排查整治", "市生态环境局", "2025年10月底前"],
        ["1", "开展工业固体废物排查整治", "各县（市、区）人民政府", "2025年5月底前"],
        ["2", "建成市级信息平台", "市大数据局", "2025年12月底前"],
    ]
    path = _word_table(tmp_path / "分工表.docx", rows, [(0, 1, 3), (1, 1, 3)])
    assert _tasks(path) == [
        ("开展工业固体废物排查整治", ("市经信局", "市生态环境局", "各县（市、区）人民政府"), (), "2025年10月底前"),
        ("建成市级信息平台", ("市大数据局",), (), "2025年12月底前"),
    ]


def test_rows_repeating_a_task_without_a_number_column_stay_tasks_of_their_own(tmp_path: Path):
    rows = [
        ["重点任务", "责任单位", "完成时限"],
        ["开展“无废细胞”创建", "市教育局", "2025年6月底前"],
        ["开展“无废细胞”创建", "市商务局", "2025年9月底前"],
    ]
    path = _word_table(tmp_path / "分工表.docx", rows, [])
    assert [t[1] for t in _tasks(path)] == [("市教育局",), ("市商务局",)]


def test_a_date_cell_reads_as_its_number_format_shows_it_and_a_hidden_column_is_not_read(tmp_path: Path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["某市2025年重点任务推进表"])
    sheet.append(["序号", "重点任务", "牵头单位", "原计划时间", "完成时间"])
    shown = {"yyyy/m/d": "2025/6/30", "yyyy-mm-dd": "2025-06-30", "mm-dd-yy": "2025年6月30日"}
    for k, number_format in enumerate(shown, start=1):
        sheet.append([k, f"重点任务{k}", "市商务局", datetime(2025, 3, 31), datetime(2025, 6, 30)])
        sheet.cell(k + 2, 4).number_format = sheet.cell(k + 2, 5).number_format = number_format
    sheet.column_dimensions["D"].hidden = True
    path = tmp_path / "推进表.xlsx"
    book.save(path)
    plan = read_source(path).plans[0]
    assert [t.deadline_raw for t in plan.tasks] == list(shown.values())
    assert all("3月31日" not in (t.content or "") and "2025/3/31" not in (t.content or "") for t in plan.tasks)


def test_a_web_pages_line_break_parts_two_units_not_the_pieces_of_one_name(tmp_path: Path):
    path = tmp_path / "分工表.html"
    path.write_text(
        "<html><head><meta charset='utf-8'></head><body><h1>某市2025年重点任务分工表</h1><table border='1'>"
        "<tr><td>序号</td><td>重点任务</td><td>牵头单位</td><td>配合单位</td><td>完成时限</td></tr>"
        "<tr><td>1</td><td>开展磷石膏堆场整治</td><td>市生态环境局</td>"
        "<td>市应急管理局<br>市自然资源局<br>什邡市人民政府</td><td>2025年8月底前</td></tr>"
        "<tr><td>2</td><td>办理人大代表建议</td><td>市政<br>府办<br>公厅</td><td></td><td>2025年12月底前</td></tr>"
        "</table></body></html>",
        encoding="utf-8",
    )
    assert [(t[1], t[2]) for t in _tasks(path)] == [
        (("市生态环境局",), ("市应急管理局", "市自然资源局", "什邡市人民政府")),
        (("市政府办公厅",), ()),
    ]

"""find_tables on the seed documents and on small layouts of our own."""

from __future__ import annotations

from pathlib import Path

import pytest

from wufei.importers.text.tables import CELLS, ROWS, Table, find_tables

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"
HENGSHUI_PLAN = "衡政办字〔2022〕57号.txt"  # seed 001
BAODING_PLAN = "保政办函〔2022〕50号.txt"  # seed 002
HENGSHUI_CELLS = "衡环办函〔2025〕28号.txt"  # seed 000


def seed_tables(name: str) -> list[Table]:
    return find_tables((SEEDS / name).read_text(encoding="utf-8").splitlines())


def tables_of(text: str) -> list[Table]:
    return find_tables(text.split("\n"))


def row_by_number(table: Table, number: str):
    return next(row for row in table.rows if row.cells[0] == number)


# ------------------------------------------------------------------ seeds


def test_hengshui_plan_has_seven_tables_in_one_cell_per_line_layout():
    tables = seed_tables(HENGSHUI_PLAN)
    assert [t.layout for t in tables] == [CELLS] * 7
    assert [len(t.rows) for t in tables] == [59, 39, 17, 12, 12, 13, 27]
    assert [t.start_line for t in tables] == [147, 771, 1040, 1172, 1269, 1366, 1472]


def test_hengshui_indicator_header_joins_cells_broken_over_lines():
    header = seed_tables(HENGSHUI_PLAN)[0].header
    assert header == [
        "序号",
        "一级指标",
        "二级指标",
        "三级指标",
        "现状值（2020年）",
        "目标值（2025年）",
        "单位",
        "数据来源",
        "责任部门",
    ]


def test_hengshui_captions_are_the_title_lines_above_each_header():
    tables = seed_tables(HENGSHUI_PLAN)
    assert tables[0].caption == ["附件1", "衡水市“十四五”时期“无废城市”建设指标体系"]
    assert tables[1].caption == ["附件2", "衡水市“十四五”时期“无废城市”建设指标解释说明"]
    assert tables[2].caption == ["附件3", "衡水市“十四五”时期“无废城市”体系建设任务清单", "（制度体系）"]
    assert tables[3].caption == ["衡水市“十四五”时期“无废城市”体系建设任务清单", "（技术体系）"]
    assert tables[6].caption == ["附件4", "衡水市“十四五”时期“无废城市”工程项目建设清单"]


def test_definition_header_loses_the_spaces_between_its_letters():
    assert seed_tables(HENGSHUI_PLAN)[1].header[-1] == "指标说明"


def test_blank_lines_inside_a_row_do_not_split_it():
    table = seed_tables(HENGSHUI_PLAN)[0]
    row = row_by_number(table, "8")
    assert row.line == 232
    assert row.cells[1:6] == [
        "固体废物源头减量",
        "建筑业源头减量",
        "绿色建筑占新建建筑的比例★",
        "99.1（2021年）",
        "100",
    ]
    assert row.cells[8].startswith("牵头单位门：市住房城乡建设局")
    assert row_by_number(table, "9").line == 246


def test_a_bare_tab_is_an_empty_merged_cell():
    table = seed_tables(HENGSHUI_PLAN)[0]
    row = row_by_number(table, "2")
    assert row.cells[1] is None and row.cells[2] is None
    second_of_ten = table.rows[table.rows.index(row_by_number(table, "10")) + 1]
    assert second_of_ten.cells[:4] == [None, None, None, "农村地区生活垃圾清运量★"]
    assert second_of_ten.line == 266


def test_continuation_after_a_blank_line_is_kept_when_the_table_goes_on():
    table = seed_tables(HENGSHUI_PLAN)[1]
    row = row_by_number(table, "53")
    assert row.cells[4].startswith("指标解释：指城市全市域范围内")
    assert row.cells[4].endswith("线索数量×100%。")


def test_space_then_tab_lines_are_cells():
    table = seed_tables(HENGSHUI_PLAN)[1]
    cells = [c for row in table.rows for c in row.cells]
    assert "工业危险废物综合利用率★" in cells
    assert "监管体系建设" in cells


def test_tables_end_before_the_note_and_the_next_attachment():
    tables = seed_tables(HENGSHUI_PLAN)
    assert tables[0].end_line == 764
    assert all("注：" not in (c or "") for row in tables[0].rows for c in row.cells)
    assert tables[1].end_line == 1033
    assert tables[6].end_line == 1697


def test_baoding_indicator_header_repeated_at_page_breaks_continues_the_table():
    tables = seed_tables(BAODING_PLAN)
    assert len(tables) == 1
    table = tables[0]
    assert table.layout == ROWS
    assert [row.cells[0] for row in table.rows] == [str(n) for n in range(1, 66)]
    assert row_by_number(table, "10").line == 217
    assert row_by_number(table, "65").line == 280
    assert table.header[4:7] == ["现状值(2020年)", "目标值(2025年)", "计量单位"]


def test_raw_cells_keep_the_spaces_normalizing_removes():
    table = seed_tables(BAODING_PLAN)[0]
    row = row_by_number(table, "56")
    assert (
        row.raw[3]
        == "主要参与制定固体废物资源化、无害化技术标准与规范数量 固体废物回收利用处置关键技术工艺、设备研发及成果转化"
    )
    assert row_by_number(table, "57").cells[3] is None


def test_cells_reply_has_one_tab_separated_table_of_nine_rows():
    tables = seed_tables(HENGSHUI_CELLS)
    assert len(tables) == 1
    assert tables[0].header == ["序号", "类别", "数量", "推进情况", "牵头部门"]
    assert tables[0].caption == ["衡水市“无废细胞”创建完成数量"]
    assert [row.line for row in tables[0].rows] == list(range(24, 33))


@pytest.mark.parametrize(
    "name", ["河北省十四五时期无废城市建设工作方案.txt", "衡水市生态环境保护十四五规划中期评估.txt"]
)
def test_documents_without_tab_tables_have_no_tables(name):
    assert seed_tables(name) == []


# ------------------------------------------------------- layouts of our own

CELL_TABLE_WITH_BROKEN_CELLS = """\
附件
某市体系建设任务清单
（监管体系）

\t序号
\t任务名称
\t完成
期限

\t1
\t建立台账
\t完成
年度任务

\t2
\t开展执法
检查
\t2025年
注：本表由市生态环境局解释。
"""


def test_cell_broken_over_two_lines_is_joined():
    table = tables_of(CELL_TABLE_WITH_BROKEN_CELLS)[0]
    assert table.header == ["序号", "任务名称", "完成期限"]
    assert [row.cells for row in table.rows] == [["1", "建立台账", "完成年度任务"], ["2", "开展执法检查", "2025年"]]
    assert [row.line for row in table.rows] == [10, 15]


def test_note_touching_the_last_cell_ends_the_table():
    table = tables_of(CELL_TABLE_WITH_BROKEN_CELLS)[0]
    assert table.rows[-1].cells[-1] == "2025年"
    assert table.end_line == 18


def test_caption_stops_at_the_attachment_label():
    assert tables_of(CELL_TABLE_WITH_BROKEN_CELLS)[0].caption == ["附件", "某市体系建设任务清单", "（监管体系）"]


BLANK_LINE_INSIDE_A_ROW = """\
\t序号
\t指标
\t现状值
\t目标值

\t1
\t绿色建筑占比

\t99.1

（2021年）
\t100


\t2
\t装配式建筑占比
\t/
\t≥30

正文继续，这一段不属于表格。
"""


def test_blank_line_in_the_middle_of_a_row_keeps_the_row_together():
    table = tables_of(BLANK_LINE_INSIDE_A_ROW)[0]
    assert [row.cells for row in table.rows] == [
        ["1", "绿色建筑占比", "99.1（2021年）", "100"],
        ["2", "装配式建筑占比", "/", "≥30"],
    ]
    assert [row.line for row in table.rows] == [6, 15]


def test_paragraph_after_a_blank_line_is_not_part_of_the_table():
    table = tables_of(BLANK_LINE_INSIDE_A_ROW)[0]
    assert table.end_line == 18
    assert table.rows[-1].cells[-1] == "≥30"


ROWS_WITH_PAGE_BREAK = """\
某市指标体系
序号\t指标名称\t单位\t目标值 (2025年)
1\t农膜回收率※ \t%\t>90
2\t秸秆综合利用率\t%\t

- 2 -

序号\t指标名称\t单位\t目标值 (2025年)
3\t绿色 矿山 建成率\t%\t100\t\t
4\t快递绿色包装使用率

下一段正文。
"""


def test_header_repeated_at_page_break_continues_the_table():
    tables = tables_of(ROWS_WITH_PAGE_BREAK)
    assert len(tables) == 1
    assert [row.cells[0] for row in tables[0].rows] == ["1", "2", "3", "4"]
    assert [row.line for row in tables[0].rows] == [3, 4, 9, 10]


def test_short_tab_separated_rows_are_padded_and_cells_normalized():
    table = tables_of(ROWS_WITH_PAGE_BREAK)[0]
    assert table.header == ["序号", "指标名称", "单位", "目标值(2025年)"]
    assert table.rows[0].cells == ["1", "农膜回收率※", "%", ">90"]
    assert table.rows[1].cells == ["2", "秸秆综合利用率", "%", None]
    assert table.rows[2].cells == ["3", "绿色矿山建成率", "%", "100"]
    assert table.rows[3].cells == ["4", "快递绿色包装使用率", None, None]


def test_header_repeated_in_cell_layout_continues_the_table():
    text = "\t序号\n\t名称\n\t期限\n\n\t1\n\t甲\n\t2023年\n\n\t序号\n\t名称\n\t期限\n\n\t2\n\t乙\n\t2024年\n"
    tables = tables_of(text)
    assert len(tables) == 1
    assert [row.cells for row in tables[0].rows] == [["1", "甲", "2023年"], ["2", "乙", "2024年"]]
    assert [row.line for row in tables[0].rows] == [5, 13]


def test_a_different_header_starts_a_new_table():
    text = "序号\t名称\t期限\n1\t甲\t2023年\n\n序号\t类别\t数量\t推进情况\n1\t无废学校\t30所\t已完成\n"
    tables = tables_of(text)
    assert [t.header for t in tables] == [["序号", "名称", "期限"], ["序号", "类别", "数量", "推进情况"]]
    assert tables[1].start_line == 4
    assert tables[1].caption == []


def test_header_followed_by_data_without_a_blank_line():
    text = "\t序号\n\t名称\n\t期限\n\t1\n\t甲\n\t2023年\n"
    table = tables_of(text)[0]
    assert table.header == ["序号", "名称", "期限"]
    assert table.rows[0].cells == ["1", "甲", "2023年"]


def test_a_line_with_only_the_word_number_is_not_a_table():
    assert tables_of("序号\n一、总体要求\n\t序号\n") == []


def test_lines_read_with_their_line_endings_are_accepted():
    lines = ["序号\t名称\t期限\r\n", "1\t甲\t2023年\r\n"]
    assert find_tables(lines)[0].rows[0].cells == ["1", "甲", "2023年"]

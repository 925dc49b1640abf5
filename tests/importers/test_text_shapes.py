"""Plain text in every shape a plan's tables take when copied from a browser or printed by pdftotext: the
seeds rebuilt in those shapes give the records of the seeds themselves, small texts show each shape, and a
table whose rows cannot be cut cleanly keeps its rows with a doubt naming the lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.importers.same_records import assert_same_records, indicator_fields, plan_fields, task_fields
from tests.importers.shapes import Print, layout_texts, without_empty_cells, without_tabs
from tests.seed_files import BAODING_PLAN, CELLS_REPLY, EVALUATION, HEBEI_PLAN, HENGSHUI_PLAN
from wufei.importers.document import CELLS, ROWS, SPACED
from wufei.importers.readers.text import read_lines, read_text
from wufei.importers.records import ListKind
from wufei.importers.service import read_source
from wufei.importers.text.tables import find_tables

DEFINITION = 13  # index of the definition in indicator_fields
# 附件2 of 001 prints the explanations of indicators 13 to 51 out of their columns (rows without numbers,
# several explanations to a row); its cells are read in order, which text without tabs cannot always cut
# the way the tabs do.
JAGGED_DEFINITIONS = {"10", *(str(n) for n in range(13, 52))}


def shaped(tmp_path: Path, seed: Path, shape) -> Path:
    path = tmp_path / seed.name
    path.write_text(shape(seed.read_text(encoding="utf-8")), encoding="utf-8")
    return path


def plan_of(tmp_path: Path, text: str, name: str = "某市重点任务分工方案.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    [plan] = read_source(path).plans
    return plan


def tables_of(text: str):
    return find_tables(text.split("\n"))


def counts(plan) -> dict[str, int]:
    found: dict[str, int] = {}
    for task in plan.tasks:
        found[task.list_kind] = found.get(task.list_kind, 0) + 1
    return found


# ------------------------------------------------------- seeds in each shape


def test_hengshui_plan_copied_from_its_web_page_without_tabs_gives_the_records_of_its_text(tmp_path):
    """One cell per line without the leading tab: empty cells and the blank lines between rows look alike,
    and a cell's second line (（2021年）) looks like a cell."""
    expected = read_source(HENGSHUI_PLAN).plans[0]
    [plan] = read_source(shaped(tmp_path, HENGSHUI_PLAN, without_tabs)).plans
    assert plan_fields(plan) == plan_fields(expected)
    assert len(plan.indicators) == 59
    assert counts(plan) == {
        ListKind.INSTITUTION: 17,
        ListKind.TECHNOLOGY: 12,
        ListKind.MARKET: 12,
        ListKind.REGULATION: 13,
        ListKind.PROJECT: 27,
        ListKind.MAIN: 31,
    }
    assert task_fields(plan) == task_fields(expected)
    without_definitions = [f[:DEFINITION] + f[DEFINITION + 1 :] for f in indicator_fields(plan)]
    assert without_definitions == [f[:DEFINITION] + f[DEFINITION + 1 :] for f in indicator_fields(expected)]
    differing = {a[0] for a, b in zip(indicator_fields(plan), indicator_fields(expected)) if a != b}
    assert differing <= JAGGED_DEFINITIONS
    # What was guessed is said: indicator 10's second row has no number of its own, and 附件2 loses its
    # numbers from 13 to 52.
    messages = [d.message for d in plan.doubts]
    assert all(d.field == "table" for d in plan.doubts)
    assert any("指标体系」：第269行没有序号" in m for m in messages)
    assert any("指标解释说明」：第988行序号从13跳到52" in m for m in messages)


def test_hengshui_plan_with_merged_cells_left_out_keeps_every_row(tmp_path):
    """A copy that leaves merged cells out (no line at all): the cells a row prints are its last ones."""
    expected = read_source(HENGSHUI_PLAN).plans[0]
    [plan] = read_source(shaped(tmp_path, HENGSHUI_PLAN, without_empty_cells)).plans
    assert len(plan.indicators) == 59 and len(plan.tasks) == 112
    without_definitions = [f[:DEFINITION] + f[DEFINITION + 1 :] for f in indicator_fields(plan)]
    assert without_definitions == [f[:DEFINITION] + f[DEFINITION + 1 :] for f in indicator_fields(expected)]
    # Two task rows print a deadline broken over two lines (完成 / 年度任务) where the 任务类别 was left out:
    # five cells from six lines, cut one way or the other.
    same = sum(a == b for a, b in zip(task_fields(plan), task_fields(expected)))
    assert same >= 110


BAODING_CENTRED = "baoding-centred"  # the key of 002 with its cells centred in `layouts`


@pytest.fixture(scope="module")
def layouts(tmp_path_factory) -> dict[str, Path]:
    """001 and 002 printed to PDF (002 with a page head and page numbers, and again with its cells centred)
    by one LibreOffice run and run through pdftotext -layout."""
    prints = {
        HENGSHUI_PLAN.name: Print(HENGSHUI_PLAN),
        BAODING_PLAN.name: Print(BAODING_PLAN, running_head="保定市人民政府办公室"),
        BAODING_CENTRED: Print(BAODING_PLAN, centred=True),
    }
    return dict(zip(prints, layout_texts(list(prints.values()), tmp_path_factory.mktemp("layout"))))


def test_baoding_plan_through_pdftotext_layout_gives_the_records_of_its_text(layouts):
    """Columns parted by spaces, cells wrapped over lines, the header repeated on each page (a row broken
    across a page goes on under it), a page head and a page number on every page and form feeds."""
    text = layouts[BAODING_PLAN.name].read_text(encoding="utf-8")
    assert "\f" in text and text.count("保定市人民政府办公室") > 10
    [plan] = read_source(layouts[BAODING_PLAN.name]).plans
    assert len(plan.tasks) == 39 and len(plan.indicators) == 65
    assert_same_records(read_source(BAODING_PLAN).plans[0], plan)
    assert plan.doubts == []


def test_hengshui_plan_through_pdftotext_layout(layouts):
    """Header words broken under the header line (现状值（2020 / 年）), a second row under a merged 序号 told by
    its values; 附件2, printed out of its columns, is read up to where its text leaves them, and says so."""
    expected = read_source(HENGSHUI_PLAN).plans[0]
    document = read_text(layouts[HENGSHUI_PLAN.name])
    assert document.tables[0].layout == SPACED
    assert document.tables[0].header[4:6] == ["现状值（2020年）", "目标值（2025年）"]
    [plan] = read_source(layouts[HENGSHUI_PLAN.name]).plans
    assert plan_fields(plan) == plan_fields(expected)
    assert task_fields(plan) == task_fields(expected)
    without_definitions = [f[:DEFINITION] + f[DEFINITION + 1 :] for f in indicator_fields(plan)]
    assert without_definitions == [f[:DEFINITION] + f[DEFINITION + 1 :] for f in indicator_fields(expected)]
    differing = {a[0] for a, b in zip(indicator_fields(plan), indicator_fields(expected)) if a != b}
    assert differing <= {*JAGGED_DEFINITIONS, *(str(n) for n in range(52, 59))}
    messages = [d.message for d in plan.doubts]
    assert any(m.startswith("表格「衡水市“十四五”时期“无废城市”建设指标体系」") and "没有序号" in m for m in messages)
    assert any("指标解释说明」" in m and "与表头的列对不上" in m for m in messages)


def test_baoding_plan_with_cells_centred_through_pdftotext_layout(layouts):
    """Word's 居中 cells: a header word centred above and below the header line, rows cut around their
    numbers, a row broken over a page laid out from the top of each part. Three rows near a page break come
    out mixed; the table says its rows were reckoned."""
    expected = read_source(BAODING_PLAN).plans[0]
    [plan] = read_source(layouts[BAODING_CENTRED]).plans
    assert task_fields(plan) == task_fields(expected)
    assert len(plan.indicators) == 65
    assert [i[0] for i in indicator_fields(plan)] == [i[0] for i in indicator_fields(expected)]
    same = sum(a == b for a, b in zip(indicator_fields(plan), indicator_fields(expected)))
    assert same >= 62
    assert any("单元格在行内垂直居中" in d.message for d in plan.doubts)


@pytest.mark.parametrize(
    "seed", [CELLS_REPLY, HENGSHUI_PLAN, BAODING_PLAN, HEBEI_PLAN, EVALUATION], ids=lambda p: p.stem
)
def test_the_seeds_as_published_read_as_before(seed):
    """The relaxed header finding and the new layouts find no table where the seeds have none."""
    expected_tables = {CELLS_REPLY: 1, HENGSHUI_PLAN: 7, BAODING_PLAN: 1, HEBEI_PLAN: 0, EVALUATION: 0}[seed]
    assert len(read_text(seed).tables) == expected_tables


# ----------------------------------------------------------- bare cells


BARE_TABLE = """\
某市重点任务清单

序号
任务名称
牵头单位
配合单位
完成时限

1
建立固体废物管理台账
市生态环境局
市发展改革委
2023年底前

2
开展执法检查

市公安局
2024年
（每年开展）

3
推进生活垃圾分类
市城管局
各县区人民政府
长期坚持

以上任务由各单位按职责分工落实。
"""


def test_bare_cells_are_cut_into_rows_at_their_numbers():
    [table] = tables_of(BARE_TABLE)
    assert table.layout == CELLS
    assert table.header == ["序号", "任务名称", "牵头单位", "配合单位", "完成时限"]
    assert table.caption == ["某市重点任务清单"]
    assert [row.cells for row in table.rows] == [
        ["1", "建立固体废物管理台账", "市生态环境局", "市发展改革委", "2023年底前"],
        ["2", "开展执法检查", None, "市公安局", "2024年（每年开展）"],  # a blank line is the empty cell
        ["3", "推进生活垃圾分类", "市城管局", "各县区人民政府", "长期坚持"],
    ]
    assert [row.line for row in table.rows] == [9, 15, 22]
    assert table.end_line == 26  # the sentence after the table is not a cell
    assert table.doubts == []


def test_bare_cells_without_a_number_column_are_cut_by_the_header_width():
    text = (
        "重点任务\n牵头单位\n配合单位\n完成时限\n\n"
        "建立固体废物管理台账\n市生态环境局\n市发展改革委\n2023年底前\n\n"
        "开展执法检查\n市公安局\n市生态环境局\n2024年\n\n"
        "推进生活垃圾分类\n市城管局\n各县区人民政府\n长期坚持\n"
    )
    [table] = tables_of(text)
    assert table.header == ["重点任务", "牵头单位", "配合单位", "完成时限"]
    assert [row.cells[0] for row in table.rows] == ["建立固体废物管理台账", "开展执法检查", "推进生活垃圾分类"]
    assert [row.cells[3] for row in table.rows] == ["2023年底前", "2024年", "长期坚持"]


def test_bare_header_words_broken_over_lines_are_joined():
    text = (
        "序号\n工作\n任务\n牵头\n单位\n完成\n时限\n1\n建立台账\n市生态环境局\n2023年\n2\n开展检查\n市公安局\n2024年\n"
    )
    [table] = tables_of(text)
    assert table.header == ["序号", "工作任务", "牵头单位", "完成时限"]
    assert [row.cells for row in table.rows] == [
        ["1", "建立台账", "市生态环境局", "2023年"],
        ["2", "开展检查", "市公安局", "2024年"],
    ]


DOUBLE_SPACED = """\
某区“无废城市”建设试点目标任务分解

序号

试点任务

细化措施

责任单位

配合单位

完成

时限

一、持续强化规划引领

1

推进生活垃圾分类规划

建立简便易行的分类投放方式，引导居民自觉、科学地开展生活垃圾分类。

区城市管理局

区住房城市建委、区机关事务局

2020

2

推进建筑垃圾治理试点规划

建立建筑垃圾监管平台。

区城市管理局

区发展改革委、区公安分局

2020
"""


def test_bare_cells_with_a_blank_line_after_every_cell_and_header_words_nobody_knows():
    """As a page copies whose cells are paragraphs: a blank line after every cell, 试点任务 and 细化措施 unknown
    header words between known ones, 完成 / 时限 broken, a group heading right under the header."""
    [table] = tables_of(DOUBLE_SPACED)
    assert table.header == ["序号", "试点任务", "细化措施", "责任单位", "配合单位", "完成时限"]
    assert table.caption == ["某区“无废城市”建设试点目标任务分解"]
    assert [row.cells for row in table.rows] == [
        ["一、持续强化规划引领", None, None, None, None, None],
        [
            "1",
            "推进生活垃圾分类规划",
            "建立简便易行的分类投放方式，引导居民自觉、科学地开展生活垃圾分类。",
            "区城市管理局",
            "区住房城市建委、区机关事务局",
            "2020",
        ],
        ["2", "推进建筑垃圾治理试点规划", "建立建筑垃圾监管平台。", "区城市管理局", "区发展改革委、区公安分局", "2020"],
    ]
    assert table.doubts == []


def test_a_two_row_header_flattened_puts_its_second_row_under_the_word_spanning_it():
    text = (
        "序号\n重点任务\n年度目标\n牵头单位\n2023年\n2024年\n2025年\n\n"
        "1\n建立固体废物管理台账\n完成50%\n完成80%\n全面完成\n市生态环境局\n\n"
        "2\n开展执法检查\n3次\n4次\n4次\n市公安局\n"
    )
    [table] = tables_of(text)
    assert table.header == [
        "序号",
        "重点任务",
        "年度目标（2023年）",
        "年度目标（2024年）",
        "年度目标（2025年）",
        "牵头单位",
    ]
    assert [row.cells for row in table.rows] == [
        ["1", "建立固体废物管理台账", "完成50%", "完成80%", "全面完成", "市生态环境局"],
        ["2", "开展执法检查", "3次", "4次", "4次", "市公安局"],
    ]


def test_headings_between_bare_rows_stay_in_the_table():
    text = (
        "序号\n重点任务\n牵头单位\n完成时限\n\n一、制度体系\n\n1\n建立台账\n市生态环境局\n2023年\n\n"
        "2\n开展检查\n市公安局\n2024年\n\n二、技术体系\n\n3\n推广技术\n市科技局\n2025年\n\n三、保障措施\n\n加强组织领导。\n"
    )
    [table] = tables_of(text)
    assert [row.cells[0] for row in table.rows] == ["一、制度体系", "1", "2", "二、技术体系", "3"]
    assert table.rows[0].cells[1:] == [None, None, None]
    assert table.end_line == 23  # 三、保障措施 is the body again


def test_a_second_row_under_a_merged_number_is_cut_and_flagged():
    text = (
        "序号\n指标名称\n现状值\n目标值\n单位\n\n"
        "1\n主城区生活垃圾清运量\n54.9\n55\n万吨\n\n\n农村生活垃圾清运量\n50.2\n50\n万吨\n\n"
        "2\n快递绿色包装使用率\n97.6\n>99\n%\n"
    )
    [table] = tables_of(text)
    assert [row.cells for row in table.rows] == [
        ["1", "主城区生活垃圾清运量", "54.9", "55", "万吨"],
        [None, "农村生活垃圾清运量", "50.2", "50", "万吨"],
        ["2", "快递绿色包装使用率", "97.6", ">99", "%"],
    ]
    [doubt] = table.doubts
    assert doubt.field == "table" and "第14行没有序号" in doubt.message and doubt.text == "农村生活垃圾清运量"


@pytest.mark.parametrize(
    "text", ["序号\n任务名称\n完成期限", "序号\n任务名称\n完成期限\n\n"], ids=["at-end", "blank-after"]
)
def test_a_header_with_no_rows_under_it_is_kept_and_flagged(text):
    [table] = tables_of(text)
    assert table.header == ["序号", "任务名称", "完成期限"] and table.rows == []
    assert [d.message for d in table.doubts] == ["第1行的表格：表头下没有读到任何一行，请核对"]


def test_row_numbers_past_999_still_start_rows():
    text = "序号\n任务名称\n完成期限\n\n" + "".join(f"{n}\n第{n}项任务\n2025年\n\n" for n in range(998, 1003))
    [table] = tables_of(text)
    assert [row.cells[0] for row in table.rows] == ["998", "999", "1000", "1001", "1002"]
    assert table.doubts == []


def test_the_same_header_under_a_title_of_its_own_starts_a_new_table():
    text = (
        "（制度体系）\n\n序号\n任务名称\n责任主体\n完成期限\n\n1\n甲\n市生态环境局\n2023年\n\n"
        "（技术体系）\n\n序号\n任务名称\n责任主体\n完成期限\n\n1\n乙\n市科技局\n2024年\n"
    )
    tables = tables_of(text)
    assert [t.caption for t in tables] == [["（制度体系）"], ["（技术体系）"]]
    assert [[row.cells[1] for row in t.rows] for t in tables] == [["甲"], ["乙"]]


def test_a_skipped_number_keeps_the_rows_and_says_so(tmp_path):
    """A row that lost its number cannot be told from the row above: its cells are kept, and the plan says
    where to look."""
    text = (
        "某市重点任务分工方案\n\n附件\n某市重点任务清单\n\n序号\n任务名称\n责任主体\n完成期限\n\n"
        "1\n建立台账\n市生态环境局\n2023年\n\n开展检查\n市公安局\n2024年\n\n3\n推广技术\n市科技局\n2025年\n"
    )
    [table] = tables_of(text)
    assert [row.cells for row in table.rows] == [
        ["1", "建立台账", "市生态环境局", "2023年"],
        [None, "开展检查", "市公安局", "2024年"],
        ["3", "推广技术", "市科技局", "2025年"],
    ]
    plan = plan_of(tmp_path, text)
    assert [t.title for t in plan.tasks] == ["建立台账", "开展检查", "推广技术"]
    assert [d.message for d in plan.doubts if d.field == "table"] == [
        "表格「某市重点任务清单」：第16行没有序号：已按表头的4列切为上一序号下的另一行（序号为合并单元格），请核对",
        "表格「某市重点任务清单」：第20行序号从1跳到3：其间可能有行缺少序号或单元格错位，请核对",
    ]


def test_lines_that_fit_no_column_are_kept_and_flagged():
    text = (
        "序号\n指标名称\n现状值\n目标值\n单位\n\n"
        "1\n主城区生活垃圾清运量\n54.9\n55\n万吨\n\n2\n快递绿色包装使用率\n97.6\n>99\n%\n\n"
        "3\n这是一段很长的说明文字，本来应该在表格外面，却被粘进了表格里面的一行。\n"
        "另一段同样很长的说明文字，也不像任何一个单元格的内容，更不像数值。\n万吨\n\n"
        "4\n绿色矿山建成率\n17.3\n100\n%\n"
    )
    [table] = tables_of(text)
    assert [row.cells[0] for row in table.rows] == ["1", "2", "3", "4"]  # 100 is a value, not a row
    assert table.rows[3].cells == ["4", "绿色矿山建成率", "17.3", "100", "%"]
    assert sum(c is not None for c in table.rows[2].cells) == 4  # nothing of row 3 is lost
    [doubt] = table.doubts
    assert doubt.message == "第1行的表格：第19–22行的单元格与表头的5列对不齐，已按最接近的方式切分，请核对每个单元格"


# ----------------------------------------------------- tab-marked layouts


def test_tab_separated_rows_whose_header_does_not_start_with_the_number():
    text = (
        "重点任务\t牵头单位\t配合单位\t完成时限\n"
        "建立台账\t市生态环境局\t市发展改革委\t2023年\n"
        "开展检查\t市公安局\t\t2024年\n"
    )
    [table] = tables_of(text)
    assert table.layout == ROWS
    assert [row.cells for row in table.rows] == [
        ["建立台账", "市生态环境局", "市发展改革委", "2023年"],
        ["开展检查", "市公安局", None, "2024年"],
    ]


def test_a_cell_broken_over_lines_in_a_tab_separated_copy_stays_in_its_row():
    """A browser copies a table row by row, cells parted by tabs, and a line break inside a cell as a line
    break: the line after it finishes the row."""
    text = (
        "序号\t任务名称\t牵头单位\t配合单位\t完成时限\n"
        "1\t建立台账\t市生态环境局\n市发展改革委\t市财政局\t2023年\n"
        "2\t开展检查\t市公安局\t市生态环境局\t2024年\n"
    )
    [table] = tables_of(text)
    assert [row.cells for row in table.rows] == [
        ["1", "建立台账", "市生态环境局市发展改革委", "市财政局", "2023年"],
        ["2", "开展检查", "市公安局", "市生态环境局", "2024年"],
    ]
    assert table.rows[0].raw[2] == "市生态环境局\n市发展改革委"
    assert table.doubts == []


def test_a_second_header_line_finishes_the_tab_separated_header():
    text = "序号\t指标名称\t现状值\t目标值\n\t\t（2020年）\t（2025年）\n1\t绿色矿山建成率\t17.3\t100\n"
    [table] = tables_of(text)
    assert table.header == ["序号", "指标名称", "现状值（2020年）", "目标值（2025年）"]
    assert [row.cells for row in table.rows] == [["1", "绿色矿山建成率", "17.3", "100"]]


def test_tab_marked_cells_whose_header_does_not_start_with_the_number():
    text = (
        "\t重点任务\n\t牵头单位\n\t完成时限\n\n"
        "\t建立台账\n\t市生态环境局\n\t2023年\n\n"
        "\t开展检查\n\t市公安局\n\t2024年\n"
    )
    [table] = tables_of(text)
    assert table.header == ["重点任务", "牵头单位", "完成时限"]
    assert [row.cells[0] for row in table.rows] == ["建立台账", "开展检查"]


def test_tab_marked_cells_that_do_not_fill_rows_are_kept_and_flagged():
    """A cell missing in the middle shifts every cell after it: the rows are kept as read, and the doubts name
    the first row that does not start with its number and the short last row."""
    text = (
        "\t序号\n\t重点任务\n\t牵头单位\n\t完成时限\n\n"
        "\t1\n\t建立台账\n\t市生态环境局\n\t2023年\n\n"
        "\t2\n\t开展检查\n\t2024年\n\n"
        "\t3\n\t推广技术\n\t市科技局\n\t2025年\n"
    )
    [table] = tables_of(text)
    assert [row.cells for row in table.rows] == [
        ["1", "建立台账", "市生态环境局", "2023年"],
        ["2", "开展检查", "2024年", "3"],
        ["推广技术", "市科技局", "2025年", None],
    ]
    assert [(d.field, d.message, d.text) for d in table.doubts] == [
        (
            "table",
            "第1行的表格：第16行的首列不是序号：表格有单元格缺失，其后的单元格未按表头的4列对齐，"
            "已按单元格顺序保留，请核对",
            "推广技术",
        ),
        ("table", "第1行的表格：表格共11个单元格，不是表头4列的整数倍：第16行起的最后一行不完整，请核对", "推广技术"),
    ]


def test_tab_separated_rows_wider_than_the_header_are_flagged():
    text = "序号\t重点任务\t完成时限\n1\t建立台账\t2023年\t市生态环境局\n"
    [table] = tables_of(text)
    assert table.rows[0].cells == ["1", "建立台账", "2023年市生态环境局"]
    [doubt] = table.doubts
    assert "第2行的单元格多于表头的3列" in doubt.message


# -------------------------------------------------------------- pdftotext


def at(*cells: tuple[int, str]) -> str:
    """A line as pdftotext -layout prints one: each text at its position (one character, one position)."""
    line = ""
    for position, text in cells:
        line = line.ljust(position) + text
    return line


HEADER = at((0, "序号"), (6, "重点任务"), (24, "牵头单位"), (38, "配合单位"), (52, "完成"))
HEADER_END = at((52, "时限"))
SPACED_LINES = [
    "附件",
    "",
    "某市重点任务清单",
    "",
    HEADER,
    HEADER_END,
    at((0, "1"), (6, "建立固体废物管理"), (24, "市生态环境局"), (38, "市发展改革委"), (52, "2023年")),
    at((6, "台账制度"), (38, "市工业和信息")),
    at((38, "化局")),
    at((0, "2"), (6, "开展执法检查"), (24, "市公安局"), (52, "2024年")),
    "",
    at((30, "1")),  # the page number, alone at the foot of the page
    "\f" + HEADER,  # the next page, its header repeated
    HEADER_END,
    at((0, "3"), (6, "推进生活垃圾分类"), (24, "市城管局"), (38, "各县区人民政"), (52, "长期")),
    at((6, "工作"), (38, "府"), (52, "坚持")),
    "注：各单位按职责分工落实。",
]


def test_a_pdftotext_table_is_read_by_its_columns():
    [table] = find_tables(SPACED_LINES)
    assert table.layout == SPACED
    assert table.header == ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"]
    assert table.caption == ["附件", "某市重点任务清单"]
    assert [row.cells for row in table.rows] == [
        ["1", "建立固体废物管理台账制度", "市生态环境局", "市发展改革委市工业和信息化局", "2023年"],
        ["2", "开展执法检查", "市公安局", None, "2024年"],
        ["3", "推进生活垃圾分类工作", "市城管局", "各县区人民政府", "长期坚持"],
    ]
    assert table.rows[0].raw[3] == "市发展改革委\n市工业和信息\n化局"
    assert [row.line for row in table.rows] == [7, 10, 15]
    assert table.end_line == 16
    assert table.doubts == []


def test_a_pdftotext_table_of_cells_centred_in_their_rows_is_cut_around_its_numbers():
    """Cells centred in their rows print a row's number on its middle line: the lines above it are the row's
    own. Where one row ends is reckoned, not printed, and the table says so."""
    lines = [
        at((0, "序号"), (6, "重点任务"), (24, "牵头单位"), (38, "完成时限")),
        at((6, "建立固体废物管理")),
        at((0, "1"), (6, "台账制度并定期"), (24, "市生态环境局"), (38, "2023年")),
        at((6, "更新")),
        at((6, "开展执法检查")),
        at((6, "加强日常监管"), (24, "市公安局")),
        at((0, "2"), (6, "严厉打击非法"), (38, "2024年")),
        at((6, "倾倒行为"), (24, "市生态环境局")),
        at((6, "形成长效机制")),
        at((0, "3"), (6, "推进垃圾分类"), (24, "市城管局"), (38, "长期坚持")),
    ]
    [table] = find_tables(lines)
    assert [row.cells for row in table.rows] == [
        ["1", "建立固体废物管理台账制度并定期更新", "市生态环境局", "2023年"],
        ["2", "开展执法检查加强日常监管严厉打击非法倾倒行为形成长效机制", "市公安局市生态环境局", "2024年"],
        ["3", "推进垃圾分类", "市城管局", "长期坚持"],
    ]
    assert [row.line for row in table.rows] == [2, 5, 10]
    [doubt] = table.doubts
    assert "单元格在行内垂直居中，行与行的分界按序号居中推算" in doubt.message


def test_a_pdftotext_table_without_numbers_starts_rows_after_blank_lines():
    lines = [
        at((0, "重点任务"), (20, "牵头单位"), (34, "完成时限")),
        "",
        at((0, "建立固体废物管理"), (20, "市生态环境局"), (34, "2023年")),
        at((0, "台账制度")),
        "",
        at((0, "开展执法检查"), (20, "市公安局"), (34, "2024年")),
    ]
    [table] = find_tables(lines)
    assert [row.cells for row in table.rows] == [
        ["建立固体废物管理台账制度", "市生态环境局", "2023年"],
        ["开展执法检查", "市公安局", "2024年"],
    ]


def test_lines_break_only_at_line_breaks(tmp_path):
    """A form feed (a page break from pdftotext) stays inside its line, so lines are numbered as an editor
    numbers them; the document's lines lose it."""
    path = tmp_path / "paged.txt"
    path.write_bytes("第一行\r\n第二行\n\f第三行\n".encode())
    assert read_lines(path) == ["第一行", "第二行", "\f第三行"]
    assert read_text(path).lines == ["第一行", "第二行", "第三行"]

"""What a format lost that another format of the same layout kept (found by bench/layouts.py), one test each:
a PDF table whose title and two header rows repeat on every page, a no-序号 PDF table broken between rows, a
CSV two-row header saved without its merges, and a browser's copy of a CMS table (a blank line after every
line, &nbsp; in empty cells, a flattened two-row header, labelled owner lines, group cells left out, a
paragraph after the table)."""

from __future__ import annotations

from pathlib import Path

from wufei.importers.document import Row, Table
from wufei.importers.readers.grid import GridRow
from wufei.importers.readers.pdf import _continue_table, _head_rows, _PageTable
from wufei.importers.readers.sheet import read_sheet
from wufei.importers.service import read_source
from wufei.importers.text.tables import find_tables

CLOSING = "各责任单位要按照任务分工，明确责任人和时间表，每季度末向牵头单位报送工作进展情况。"


def _grid_rows(rows: list[list[str | None]], page: int) -> list[GridRow]:
    return [GridRow(cells=list(cells), where=f"第{page}页表1第{k + 1}行") for k, cells in enumerate(rows)]


def _table(header: list[str], first_part: list[list[str | None]], data_from: int) -> tuple[Table, _PageTable]:
    part = _PageTable(rows=_grid_rows(first_part, 1), top=0.0, bottom=800.0, columns=[0.0, 1.0])
    rows = [Row(cells=list(r.cells), line=1, raw=list(r.cells), where=r.where) for r in part.rows[data_from:]]
    return Table(header=header, rows=rows, caption=[], start_line=1), part


def test_a_pdf_table_repeating_its_title_and_two_header_rows_joins_the_row_broken_over_the_page():
    title = ["某市重点任务分工表", None, None, None]
    top = ["序号", "重点任务", "责任单位", "责任单位"]
    sub = ["序号", "重点任务", "牵头单位", "配合单位"]
    header = ["序号", "重点任务", "牵头单位", "配合单位"]
    table, part = _table(header, [title, top, sub, ["1", "完善城市管理体制。加强统筹", "市委编办", "市住建局"]], 3)
    rest = [[None, "协调。", None, None], ["2", "完善城市工作机制。", "市住建局", None]]
    next_page = _PageTable(
        rows=_grid_rows([title, top, sub, *rest], 2),
        top=0.0,
        bottom=300.0,
        columns=[0.0, 1.0],
    )
    _continue_table(table, next_page, _head_rows(table, part), cut=True)
    assert [row.cells for row in table.rows] == [
        ["1", "完善城市管理体制。加强统筹协调。", "市委编办", "市住建局"],
        ["2", "完善城市工作机制。", "市住建局", None],
    ]


def test_a_pdf_table_without_numbers_keeps_a_whole_row_that_starts_the_next_page():
    """The part before ran to the page end, yet the row at the top fills every cell the row before filled:
    a row of its own. A row that leaves the owner cell empty goes on from the page before."""
    header = ["重点任务", "牵头单位", "配合单位"]
    table, part = _table(header, [header, ["完成棚户区改造2836户。", "县住建局", None]], 1)
    next_page = _PageTable(
        rows=_grid_rows([header, ["城区再新建1个农贸市场。", "县商务局", None]], 2), top=0, bottom=200, columns=[0, 1]
    )
    _continue_table(table, next_page, _head_rows(table, part), cut=True)
    assert [row.cells[0] for row in table.rows] == ["完成棚户区改造2836户。", "城区再新建1个农贸市场。"]

    table, part = _table(header, [header, ["开展环境卫生设施规划", "市住建局", "市财政局"]], 1)
    next_page = _PageTable(rows=_grid_rows([header, ["编制工作。", None, None]], 2), top=0, bottom=200, columns=[0, 1])
    _continue_table(table, next_page, _head_rows(table, part), cut=True)
    assert [row.cells for row in table.rows] == [["开展环境卫生设施规划编制工作。", "市住建局", "市财政局"]]


def test_a_csv_two_row_header_saved_without_its_merges_names_the_lead_and_supporting_columns(tmp_path: Path):
    """Excel saves a merged cell's text in its first cell only: 责任单位 then an empty cell over 牵头单位 |
    配合单位, and 序号 / 重点任务 above empty cells."""
    path = tmp_path / "分工.csv"
    path.write_bytes(
        "\r\n".join(
            [
                "某市重点任务分工表,,,",
                "序号,重点任务,责任单位,",
                ",,牵头单位,配合单位",
                "1,完善城市管理体制。,市委编办,市住建局、市城管局",
                "2,完善城市工作机制。,市住建局,各县(区)政府",
            ]
        ).encode("gbk")
    )
    [table] = read_sheet(path).tables
    assert table.header == ["序号", "重点任务", "牵头单位", "配合单位"]
    [plan] = read_source(path).plans
    assert [(t.title, t.leads, t.supporting) for t in plan.tasks] == [
        ("完善城市管理体制", ("市委编办",), ("市住建局", "市城管局")),
        ("完善城市工作机制", ("市住建局",), ("各县（区）政府",)),
    ]


def _browser_copy(*cells: str) -> list[str]:
    """Cells one per line with a blank line after each, as Chromium copies a CMS table of <p> cells."""
    lines: list[str] = []
    for cell in cells:
        lines += [cell, ""]
    return lines


def test_a_browser_copy_without_numbers_keeps_its_nbsp_empty_cells_and_leaves_the_paragraph_after_it():
    lines = ["某县民生实事任务分解", ""] + _browser_copy(
        "重点任务",
        "牵头单位",
        "配合单位",
        "启动建设东柳河城区段综合治理工程。加强统筹协调。",
        "县水务局",
        "县住建局、县护城河指挥部",
        "新建2座人行天桥。建立健全工作台账。",
        "县住建局",
        "\u00a0",  # an empty cell: the page's &nbsp;
        "启动县图书馆新馆建设。强化督促检查。",
        "县文体广新局",
        "县代建中心",
        "建成县残疾人综合服务中心。加强统筹协调。",
        "县残联",
        "\u00a0",
        "开工建设县老年养护楼。建立健全工作台账。",
        "县民政局",
        "县财政局",
        CLOSING,
    )
    [table] = find_tables(lines)
    assert [row.cells for row in table.rows] == [
        ["启动建设东柳河城区段综合治理工程。加强统筹协调。", "县水务局", "县住建局、县护城河指挥部"],
        ["新建2座人行天桥。建立健全工作台账。", "县住建局", None],
        ["启动县图书馆新馆建设。强化督促检查。", "县文体广新局", "县代建中心"],
        ["建成县残疾人综合服务中心。加强统筹协调。", "县残联", None],
        ["开工建设县老年养护楼。建立健全工作台账。", "县民政局", "县财政局"],
    ]


def test_a_browser_copy_of_a_two_row_header_puts_lead_and_supporting_under_the_owners_word():
    lines = _browser_copy(
        "序号",
        "重点任务",
        "责任单位",
        "完成时限",
        "牵头单位",
        "配合单位",
        "1",
        "完善城市管理体制。",
        "市委编办",
        "市住建局、市城管局",
        "2024年6月底前",
        "2",
        "完善城市工作机制。",
        "市住建局",
        "各县(区)政府",
        "2024年底前",
        CLOSING,
    )
    [table] = find_tables(lines)
    assert table.header == ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"]
    assert [row.cells for row in table.rows] == [
        ["1", "完善城市管理体制。", "市委编办", "市住建局、市城管局", "2024年6月底前"],
        ["2", "完善城市工作机制。", "市住建局", "各县(区)政府", "2024年底前"],
    ]


def test_a_browser_copy_of_cells_on_several_lines_keeps_labelled_owner_lines_in_the_owners_cell():
    rows = []
    for k, (title, lead, supporting) in enumerate(
        [
            ("完善城市管理体制。", "市委编办", "市住建局、市城管局"),
            ("完善城市工作机制。", "市住建局", "各县(区)政府、市直园区管委会"),
            ("加快环境卫生设施建设。", "市住建局", "市发改委、市财政局"),
            ("防止过度包装。", "市质监局", "市商务局"),
        ],
        start=1,
    ):
        content = "加强统筹协调，细化工作措施，形成工作合力。"
        rows += [str(k), title, content, f"牵头单位：{lead}", f"配合单位：{supporting}"]
    [table] = find_tables(_browser_copy("序号", "重点任务", "责任单位", *rows))
    assert [row.cells[1] for row in table.rows][:2] == [
        "完善城市管理体制。加强统筹协调，细化工作措施，形成工作合力。",
        "完善城市工作机制。加强统筹协调，细化工作措施，形成工作合力。",
    ]
    assert [row.cells[2] for row in table.rows][:2] == [
        "牵头单位：市委编办配合单位：市住建局、市城管局",
        "牵头单位：市住建局配合单位：各县(区)政府、市直园区管委会",
    ]


def test_a_browser_copy_leaves_out_a_group_cell_spanning_rows_and_keeps_the_last_row_whole():
    lines = _browser_copy(
        "序号",
        "领域",
        "重点任务",
        "牵头单位",
        "配合单位",
        "1",
        "制度体系建设",
        "努力实现地区生产总值增长6.2%左右。加强统筹协调。",
        "区发改局",
        "立山经济开发区、全区经济运行各专班",
        "2",
        "规模上工业增加值增长5%左右。建立健全工作台账。",
        "区工信局",
        "立山经济开发区",
        "3",
        "基础设施建设",
        "社会消费品零售总额增长9%左右。加强统筹协调。",
        "区商务局",
        "各街道、区市场局",
        "4",
        "居民收入增长与经济增长基本同步。强化督促检查。",
        "区发改局",
        "各街道、各相关单位",
        CLOSING,
    )
    [table] = find_tables(lines)
    assert [row.cells[1:] for row in table.rows] == [
        [
            "制度体系建设",
            "努力实现地区生产总值增长6.2%左右。加强统筹协调。",
            "区发改局",
            "立山经济开发区、全区经济运行各专班",
        ],
        [None, "规模上工业增加值增长5%左右。建立健全工作台账。", "区工信局", "立山经济开发区"],
        ["基础设施建设", "社会消费品零售总额增长9%左右。加强统筹协调。", "区商务局", "各街道、区市场局"],
        [None, "居民收入增长与经济增长基本同步。强化督促检查。", "区发改局", "各街道、各相关单位"],
    ]


def test_a_browser_copy_takes_a_row_number_after_one_line_per_cell_not_a_value_equal_to_it():
    """Row 16's target is 17, and row 17 starts right after it: the number after exactly one line per cell
    starts the row."""
    lines = _browser_copy(
        "序号",
        "指标名称",
        "单位",
        "基期值",
        "目标值",
        "15",
        "农膜回收率",
        "%",
        "80",
        "85",
        "16",
        "秸秆收储运体系覆盖率",
        "%",
        "14.4",
        "17",
        "17",
        "畜禽粪污收储运体系覆盖率",
        "%",
        "28",
        "30",
    )
    [table] = find_tables(lines)
    assert [row.cells for row in table.rows] == [
        ["15", "农膜回收率", "%", "80", "85"],
        ["16", "秸秆收储运体系覆盖率", "%", "14.4", "17"],
        ["17", "畜禽粪污收储运体系覆盖率", "%", "28", "30"],
    ]

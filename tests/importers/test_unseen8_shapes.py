"""Shapes of round 18's unseen workbooks (tests/importers/unseen8/), each by its mechanism, on workbooks made up apart
from the folder's: a totals row (合计, 小计 after a category, 总计) is no task; in a numbered table, a row without a
number holding only a text opened by a heading's ordinal (一、/（一）) in the task column heads the rows under it; a
deadline cell holding an Excel date serial (45657) is the date it stands for, with a doubt; a row hidden by hand is
not read (a doubt names it), while rows a filter hides still are. The guards: an unnumbered table's lone （一）… row
stays a task, and a number out of the serials' range stays as printed. After the review of round 18: a totals row
names no owner and no deadline (a task named 合计 stays a task) and a doubt names it; rows of a collapsed outline group
are read; a hidden row holding a merged cell's anchor still fills the rows shown; the hidden rows' doubt names runs
of rows, ten at most."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.worksheet.filters import FilterColumn, Filters

from wufei.importers.service import read_source
from wufei.tasks.deadlines import parse_deadline

HEADER = ["序号", "工作任务", "牵头单位", "完成时限", "备注"]


def _book(rows: list[list], path: Path) -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return book


def _tasks(path: Path) -> list[tuple]:
    plan = read_source(path).plans[0]
    return [(t.title, t.leads, t.deadline_raw) for t in plan.tasks]


def test_totals_rows_are_no_tasks(tmp_path: Path):
    path = tmp_path / "项目表.xlsx"
    book = _book(
        [
            ["某市2024年重点项目表"],
            ["序号", "项目名称", "总投资（万元）", "责任单位", "完成时限"],
            [1, "餐厨废弃物资源化利用项目", "12000", "市城市管理局", "2024年12月底"],
            [2, "秸秆综合利用产业园", "8500", "某县人民政府", "2024年10月底"],
            ["小计", None, "20500", None, None],
            [3, "医疗废物处置中心提标改造", "4600", "市生态环境局", "2024年11月底"],
            ["合  计", None, None, "25100", None],
        ],
        path,
    )
    book.active.merge_cells("A7:C7")
    book.save(path)
    assert [title for title, _, _ in _tasks(path)] == [
        "餐厨废弃物资源化利用项目",
        "秸秆综合利用产业园",
        "医疗废物处置中心提标改造",
    ]

    csv = tmp_path / "台账.csv"
    csv.write_bytes(
        "某市2024年工作台账,,,\r\n序号,工作任务,牵头单位,完成时限\r\n"
        "1,开展赤泥综合利用,市科技局,2024年12月底前\r\n总计,1项,,\r\n".encode("gb18030")
    )
    assert _tasks(csv) == [("开展赤泥综合利用", ("市科技局",), "2024年12月底前")]


def test_an_ordinal_row_without_a_number_heads_the_rows_of_a_numbered_table(tmp_path: Path):
    path = tmp_path / "台账.xlsx"
    _book(
        [
            ["某市2024年任务台账"],
            HEADER,
            [None, "一、煤炭开采固体废物", None, None, None],
            [1, "推进煤矸石井下充填", "市能源局", "2024年12月底前", None],
            [None, "（二）化工固体废物", None, None, None],
            [2, "开展电石渣综合利用", "市工业和信息化局", "2024年11月底前", None],
        ],
        path,
    )
    tasks = read_source(path).plans[0].tasks
    assert [(t.title, t.category) for t in tasks] == [
        ("推进煤矸石井下充填", "煤炭开采固体废物"),
        ("开展电石渣综合利用", "化工固体废物"),
    ]


def test_an_unnumbered_tables_lone_ordinal_row_stays_a_task(tmp_path: Path):
    """Guard: with no number in any row, （一）… alone in the task column is a task whose other cells are empty."""
    path = tmp_path / "清单.xlsx"
    _book(
        [
            ["某市2024年任务清单"],
            HEADER,
            [None, "（一）推进煤矸石井下充填", "市能源局", "2024年12月底前", None],
            [None, "（二）开展电石渣综合利用", None, None, None],
        ],
        path,
    )
    assert [title for title, _, _ in _tasks(path)] == ["（一）推进煤矸石井下充填", "（二）开展电石渣综合利用"]


def test_an_excel_serial_in_the_deadline_column_is_the_date_it_stands_for(tmp_path: Path):
    path = tmp_path / "台账.xlsx"
    book = _book(
        [
            ["某市2024年工作台账"],
            ["序号", "完成时限", "牵头单位", "工作任务"],
            [1, "45657", "市生态环境局", "开展危险废物运输专项整治"],
            [2, "45565", "市商务局", "规范再生资源回收站点"],
            [3, "30000", "市水务局", "开展污泥无害化处置"],
        ],
        path,
    )
    for cell in ("B3", "B4", "B5"):
        book.active[cell].number_format = "@"
    book.save(path)
    tasks = read_source(path).plans[0].tasks
    assert [(t.deadline_raw, str(parse_deadline(t.deadline_raw).due_date)) for t in tasks[:2]] == [
        ("2024年12月31日", "2024-12-31"),
        ("2024年9月30日", "2024-09-30"),
    ]
    assert any("45657" in doubt.message and doubt.field == "deadline" for doubt in tasks[0].doubts)
    # 30000 would be 1982: out of the serials read (2000-2099), it stays as printed.
    assert tasks[2].deadline_raw == "30000"


def _hidden_row_book(path: Path, *, filtered: bool) -> None:
    book = _book(
        [
            ["某市2024年任务台账"],
            HEADER,
            [1, "推进煤矸石井下充填", "市能源局", "2024年12月底前", "推进中"],
            [2, "建设煤矸石综合利用发电项目", "市能源局", "2024年6月底前", "暂缓"],
            [3, "开展电石渣综合利用", "市工业和信息化局", "2024年11月底前", "推进中"],
        ],
        path,
    )
    sheet = book.active
    sheet.row_dimensions[4].hidden = True
    if filtered:
        sheet.auto_filter.ref = "A2:E5"
        sheet.auto_filter.filterColumn.append(FilterColumn(colId=4, filters=Filters(filter=["推进中"])))
    book.save(path)


def test_a_row_hidden_by_hand_is_not_read_and_a_doubt_names_it(tmp_path: Path):
    path = tmp_path / "台账.xlsx"
    _hidden_row_book(path, filtered=False)
    plan = read_source(path).plans[0]
    assert [t.title for t in plan.tasks] == ["推进煤矸石井下充填", "开展电石渣综合利用"]
    assert any("第4行是隐藏行" in doubt.message for doubt in plan.doubts)


def test_rows_a_filter_hides_are_still_read(tmp_path: Path):
    """Guard: a filter's hidden rows are part of the list; only the view of whoever saved it was narrowed."""
    path = tmp_path / "台账.xlsx"
    _hidden_row_book(path, filtered=True)
    plan = read_source(path).plans[0]
    assert [t.title for t in plan.tasks] == ["推进煤矸石井下充填", "建设煤矸石综合利用发电项目", "开展电石渣综合利用"]
    assert not any("隐藏行" in doubt.message for doubt in plan.doubts)


# Round 18's review (sheetfix18): a task named 合计 stays a task; rows of a collapsed outline group are read; a hidden
# row holding a merged cell's anchor still gives its value to the rows shown; the hidden rows' doubt names runs.


def test_a_totals_row_names_no_owner_and_no_deadline_and_a_doubt_names_it(tmp_path: Path):
    path = tmp_path / "清单.xlsx"
    _book(
        [
            ["某市2024年度重点任务清单"],
            ["任务名称", "责任单位", "完成时限", "备注"],
            ["推进工业固体废物资源化利用", "市经济和信息化局", "2024年12月底前", None],
            ["合计", "市统计局", "2024年12月底前", "统计全市固体废物产生量合计"],
            ["建成医疗废物收集转运体系", "市卫生健康委", "2024年9月底前", None],
            ["合计：3项", None, None, None],
        ],
        path,
    )
    plan = read_source(path).plans[0]
    assert [(t.title, t.leads, t.deadline_raw) for t in plan.tasks] == [
        ("推进工业固体废物资源化利用", ("市经济和信息化局",), "2024年12月底前"),
        ("合计", ("市统计局",), "2024年12月底前"),
        ("建成医疗废物收集转运体系", ("市卫生健康委",), "2024年9月底前"),
    ]
    assert [d.message for d in plan.doubts if "合计行" in d.message] == [
        "工作表「Sheet」第6行「合计：3项」是合计行，未作为任务导入，请核对"
    ]


def test_subtotal_and_grand_total_rows_are_named_by_their_own_word(tmp_path: Path):
    path = tmp_path / "清单.xlsx"
    _book(
        [
            ["某市2024年度重点任务清单"],
            ["任务名称", "责任单位", "完成时限"],
            ["推进工业固体废物资源化利用", "市经济和信息化局", "2024年12月底前"],
            ["小  计", None, None],
            ["建成医疗废物收集转运体系", "市卫生健康委", "2024年9月底前"],
            ["总计（2项）", None, None],
        ],
        path,
    )
    plan = read_source(path).plans[0]
    assert [t.title for t in plan.tasks] == ["推进工业固体废物资源化利用", "建成医疗废物收集转运体系"]
    assert [d.message for d in plan.doubts if "计行" in d.message] == [
        "工作表「Sheet」第4行「小计」是小计行，未作为任务导入，请核对",
        "工作表「Sheet」第6行「总计（2项）」是总计行，未作为任务导入，请核对",
    ]


def test_rows_of_a_collapsed_outline_group_are_read(tmp_path: Path):
    """Rows hidden because their group is folded (outlineLevel 1) are read, as a filter's hidden rows are."""
    path = tmp_path / "台账.xlsx"
    book = _book(
        [
            ["某市2024年任务台账"],
            HEADER,
            [None, "一、工业固体废物", None, None, None],
            [1, "推进工业固体废物资源化利用", "市经济和信息化局", "2024年12月底前", None],
            [2, "开展工业园区固废排查", "市生态环境局", "2024年6月底前", None],
            [None, "二、医疗废物", None, None, None],
            [3, "建成医疗废物收集转运体系", "市卫生健康委", "2024年9月底前", None],
        ],
        path,
    )
    for number in (4, 5, 7):
        book.active.row_dimensions[number].outlineLevel = 1
        book.active.row_dimensions[number].hidden = True
    book.save(path)
    plan = read_source(path).plans[0]
    assert [(t.title, t.category) for t in plan.tasks] == [
        ("推进工业固体废物资源化利用", "工业固体废物"),
        ("开展工业园区固废排查", "工业固体废物"),
        ("建成医疗废物收集转运体系", "医疗废物"),
    ]
    assert not any("隐藏行" in doubt.message for doubt in plan.doubts)


def test_a_hidden_row_holding_a_merged_anchor_still_fills_the_rows_shown(tmp_path: Path):
    path = tmp_path / "台账.xlsx"
    book = _book(
        [
            ["某市2024年任务台账"],
            ["类别", "序号", "任务名称", "责任单位", "完成时限"],
            ["工业固体废物", 1, "开展工业园区固废排查（已取消）", "市生态环境局", "2024年6月底前"],
            [None, 2, "推进工业固体废物资源化利用", "市经济和信息化局", "2024年12月底前"],
            [None, 3, "推进尾矿综合利用", "市自然资源和规划局", "2024年12月底前"],
            ["医疗废物", 4, "建成医疗废物收集转运体系", "市卫生健康委", "2024年9月底前"],
        ],
        path,
    )
    book.active.merge_cells("A3:A5")
    book.active.row_dimensions[3].hidden = True
    book.save(path)
    plan = read_source(path).plans[0]
    assert [(t.title, t.category) for t in plan.tasks] == [
        ("推进工业固体废物资源化利用", "工业固体废物"),
        ("推进尾矿综合利用", "工业固体废物"),
        ("建成医疗废物收集转运体系", "医疗废物"),
    ]
    messages = [doubt.message for doubt in plan.doubts]
    assert "工作表「Sheet」第3行是隐藏行，未导入，请核对" in messages
    assert "工作表「Sheet」A3:A5 是合并单元格：第4至5行的该列已按首格「工业固体废物」填入，请核对" in messages


def test_the_hidden_rows_doubt_names_runs_of_rows_within_a_bound(tmp_path: Path):
    path = tmp_path / "台账.xlsx"
    rows = [["某市2024年任务台账"], HEADER]
    rows += [[k, f"推进第{k}项固体废物治理任务", "市生态环境局", "2024年12月底前", None] for k in range(1, 800)]
    book = _book(rows, path)
    hidden = [*range(4, 504), 600, *range(700, 760, 2)]  # a run of 500 rows, one row, then 30 rows one by one
    for number in hidden:
        book.active.row_dimensions[number].hidden = True
    book.save(path)
    plan = read_source(path).plans[0]
    assert len(plan.tasks) == 799 - len(hidden)
    (message,) = [doubt.message for doubt in plan.doubts if "隐藏行" in doubt.message]
    assert message.startswith("工作表「Sheet」第4-503行、第600行、第700行、第702行、")
    assert message.count("第") == 10  # ten runs named, then how many rows in all
    assert message.endswith("第714行等（共531行）是隐藏行，未导入，请核对")

"""Shapes of round 10's unseen documents (tests/importers/unseen4/), each by its mechanism: a publisher's workbook
whose sheets are named 指标 and 任务 is not wufei's own import workbook; a title closed by its period in parentheses
is the plan's title, not a task closed by its deadline; a web page's heading printed above the element marked as the
article is its title; a table typed with ideographic spaces between its columns is a table; progress columns are
context, not milestones; a table's label (表1, 附表2：) before the title is no part of it; a leader named by post
(市政府副市长张伟) in a list of owners is no unit; a table saved alone belongs to the place its cells' places lie in."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from wufei.departments.owners import parse_owner_columns, parse_owners
from wufei.importers.readers.sheet import is_ledger
from wufei.importers.service import read_source
from wufei.importers.text.metadata import document_metadata
from wufei.importers.text.place import document_place
from wufei.importers.text.tables import find_tables


def _workbook(path: Path, sheets: dict[str, list[list[str]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


PUBLISHER_SHEETS = {
    "指标": [
        ["表1 某市“无废城市”建设指标"],
        ["序号", "指标名称", "单位", "2023年现状值", "2025年目标值"],
        ["1", "生活垃圾回收利用率", "%", "36", "40"],
    ],
    "任务": [
        ["表2 某市“无废城市”建设重点任务"],
        ["序号", "重点任务", "牵头部门", "配合部门", "完成时间"],
        ["1", "推进农作物秸秆综合利用", "市农业农村局", "各县（市、区）人民政府", "2025年6月"],
        ["2", "开展“无废港口”建设", "市交通运输局", "市港口集团", "2024年底"],
    ],
    "填表说明": [["填表说明"], ["1.现状值为2023年统计数据。"], ["2.请于每月5日前报送上月进展情况。"]],
}


def test_a_publishers_workbook_with_sheets_named_like_the_ledgers_is_read_as_its_tables(tmp_path: Path):
    path = _workbook(tmp_path / "某市指标和任务.xlsx", PUBLISHER_SHEETS)
    assert not is_ledger(path)
    plan = read_source(path).plans[0]
    assert [(t.title, t.leads, t.supporting, t.deadline_raw) for t in plan.tasks] == [
        ("推进农作物秸秆综合利用", ("市农业农村局",), ("各县（市、区）人民政府",), "2025年6月"),
        ("开展“无废港口”建设", ("市交通运输局",), ("市港口集团",), "2024年底"),
    ]
    assert [(i.name, i.unit, i.baseline_raw, i.target_raw) for i in plan.indicators] == [
        ("生活垃圾回收利用率", "%", "36", "40")
    ]


def test_wufeis_own_workbook_is_still_told_by_the_markers_in_its_sheets_first_row(tmp_path: Path):
    path = _workbook(
        tmp_path / "导入.xlsx",
        {"任务": [["方案", "序号", "任务名称", "牵头单位"], ["某市方案", "1", "推进秸秆综合利用", "市农业农村局"]]},
    )
    assert is_ledger(path)


def test_a_title_closed_by_its_period_in_parentheses_is_not_a_task(tmp_path: Path):
    path = _workbook(
        tmp_path / "台账.xlsx",
        {
            "Sheet1": [
                ["某市“无废城市”建设重点任务推进台账（2024年第三季度）"],
                ["序号", "重点任务", "责任单位", "完成时限"],
                ["1", "建设危险废物焚烧处置项目", "市生态环境局", "2024年12月"],
                ["2", "推进餐厨废弃物资源化利用", "市城管局", "2024年9月"],
            ]
        },
    )
    plan = read_source(path).plans[0]
    assert plan.title == "某市“无废城市”建设重点任务推进台账（2024年第三季度）"
    assert [t.title for t in plan.tasks] == ["建设危险废物焚烧处置项目", "推进餐厨废弃物资源化利用"]


def test_a_paragraph_closed_by_its_deadline_below_the_title_is_still_a_task(tmp_path: Path):
    path = tmp_path / "要点.txt"
    path.write_text(
        "某市“无废城市”建设工作要点（2024年）\n一、重点任务\n1.开展塑料污染治理专项行动（2024年底前完成）\n",
        encoding="utf-8",
    )
    plan = read_source(path).plans[0]
    assert [(t.title, t.deadline_raw) for t in plan.tasks] == [("开展塑料污染治理专项行动", "2024年底前完成")]


PAGE = """<html><head><meta charset="utf-8"><title>某市2025年“无废城市”建设工作要点 - 某市人民政府</title></head>
<body><div class="header"><a href="/">首页</a></div>
<div class="main"><h1>某市2025年“无废城市”建设工作要点</h1><div class="meta">发布时间：2025-03-18</div>
<div class="article-content"><p>2025年是“无废城市”建设的关键之年，各责任单位要压实责任。</p>
<table><thead><tr><th>序号</th><th>工作内容</th><th>责任单位</th><th>完成时间</th></tr></thead>
<tbody><tr><td>1</td><td>推进快递包装绿色转型</td><td><p>市邮政管理局</p><p>市商务局</p></td><td>2025年12月</td></tr>
</tbody></table></div></div></body></html>"""


def test_a_web_pages_heading_above_its_marked_article_is_the_title(tmp_path: Path):
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    plan = read_source(path).plans[0]
    assert plan.title == "某市2025年“无废城市”建设工作要点"
    assert (plan.period_start, plan.period_end) == (2025, 2025)
    assert [(t.title, t.leads, t.supporting) for t in plan.tasks] == [
        ("推进快递包装绿色转型", ("市邮政管理局",), ("市商务局",))
    ]


TYPED = [
    "某市“无废城市”建设重点任务清单",
    "",
    "序号　重点任务　责任单位　完成时限",
    "1　推进秸秆综合利用　市农业农村局、市发展改革委　2025年11月底前",
    "2　推进“无废商超”创建　市商务局　　持续推进",
    "3　建设畜禽粪污资源化利用项目　市畜牧业发展中心",
    "",
    "某市“无废城市”建设工作领导小组办公室",
]


def test_a_table_typed_with_ideographic_spaces_between_columns_is_a_table():
    (table,) = find_tables(TYPED)
    assert table.header == ["序号", "重点任务", "责任单位", "完成时限"]
    assert [row.cells for row in table.rows] == [
        ["1", "推进秸秆综合利用", "市农业农村局、市发展改革委", "2025年11月底前"],
        ["2", "推进“无废商超”创建", "市商务局", "持续推进"],
        ["3", "建设畜禽粪污资源化利用项目", "市畜牧业发展中心", None],
    ]


def test_labels_parted_by_ideographic_spaces_on_an_items_line_are_no_table():
    lines = ["1.推进秸秆综合利用。", "牵头单位：市农业农村局　配合单位：市发展改革委　完成时限：2025年底"]
    assert find_tables(lines) == []


def _sheet_plan(tmp_path: Path, rows: list[list[str | None]], merges: list[str] = ()) -> object:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    path = tmp_path / "台账.xlsx"
    book.save(path)
    return read_source(path).plans[0]


def test_progress_per_quarter_is_context_not_milestones_and_nothing_to_confirm(tmp_path: Path):
    plan = _sheet_plan(
        tmp_path,
        [
            ["某市“无废城市”建设重点任务推进台账"],
            ["序号", "重点任务", "责任单位", "进度(%)", None, None, "进展情况"],
            [None, None, None, "一季度", "二季度", "三季度", None],
            ["1", "建设危险废物焚烧处置项目", "市生态环境局", "30", "55", "80", "主体工程完工"],
        ],
        ["A2:A3", "B2:B3", "C2:C3", "D2:F2", "G2:G3"],
    )
    (task,) = plan.tasks
    assert task.deadline_raw is None  # no 完成时限 column, and how far the work got is no deadline
    assert task.content == "进度(%)（一季度）：30；进度(%)（二季度）：55；进度(%)（三季度）：80；进展情况：主体工程完工"
    assert [d for d in plan.doubts if d.field == "column"] == []


def test_a_second_column_of_context_is_kept_in_the_content(tmp_path: Path):
    plan = _sheet_plan(
        tmp_path,
        [
            ["某市督办事项清单"],
            ["序号", "任务来源", "工作任务", "责任领导", "责任人", "责任单位", "完成时限"],
            [
                "1",
                "市委常委会",
                "规范医疗废物收集处置",
                "市政府副市长刘强",
                "市卫生健康委主任赵勇",
                "市卫生健康委",
                "2025年6月",
            ],
        ],
    )
    (task,) = plan.tasks
    assert (task.title, task.leads, task.deadline_raw) == ("规范医疗废物收集处置", ("市卫生健康委",), "2025年6月")
    assert task.content == "任务来源：市委常委会；责任领导：市政府副市长刘强；责任人：市卫生健康委主任赵勇"
    assert [d for d in plan.doubts if d.field == "column"] == []


def test_a_typed_row_with_more_pieces_than_the_header_is_kept_and_flagged():
    lines = [*TYPED[:4], "2　推进“无废商超”创建　市商务局　市供销社　持续推进", *TYPED[5:]]
    (table,) = find_tables(lines)
    assert [row.cells[0] for row in table.rows] == ["1", "2", "3"]
    assert table.rows[1].cells[3] == "市供销社持续推进"  # the surplus folded into the last column, and flagged:
    (doubt,) = table.doubts
    assert "第5行的单元格多于表头的4列" in doubt.message and "市供销社" in (doubt.text or "")


def test_a_table_or_attachment_label_before_the_title_is_no_part_of_it():
    for line in (
        "表1 某市“无废城市”建设重点任务清单",
        "附表2：某市“无废城市”建设重点任务清单",
        "附件1 某市“无废城市”建设重点任务清单",
    ):
        assert document_metadata([line, "序号", "1"]).title == "某市“无废城市”建设重点任务清单", line
    assert document_metadata(["表彰决定", "序号"]).title == "表彰决定"


def test_a_leader_named_by_post_in_a_list_of_owners_is_no_unit():
    spec = parse_owners("市政府副市长张伟，市生态环境局、市工信局")
    assert (spec.leads, spec.supporting) == (("市生态环境局",), ("市工信局",))
    spec = parse_owners("省政府副省长王刚；省生态环境厅、省发展改革委")
    assert (spec.leads, spec.supporting) == (("省生态环境厅",), ("省发展改革委",))
    columns = parse_owner_columns("市生态环境局局长李强、市生态环境局", "市财政局")
    assert (columns.leads, columns.supporting) == (("市生态环境局",), ("市财政局",))
    assert parse_owners("副市长王芳、市住建局").leads == ("市住建局",)


def test_units_that_read_like_posts_stay_units():
    for name in ("市人民政府办公室", "市委宣传部", "区政府办", "市长江办", "各县市区人民政府"):
        assert parse_owners(name).leads == (name,), name


def test_every_context_column_of_an_indicator_table_is_named_as_not_imported(tmp_path: Path):
    plan = _sheet_plan(
        tmp_path,
        [
            ["某市“无废城市”建设指标"],
            ["序号", "指标名称", "单位", "目标值", "联系人", "联系电话"],
            ["1", "生活垃圾回收利用率", "%", "40", "李娜", "0935-1234567"],
        ],
    )
    assert [i.name for i in plan.indicators] == ["生活垃圾回收利用率"]
    assert [d.text for d in plan.doubts if d.field == "column"] == ["联系人", "联系电话"]


def test_a_task_table_saved_alone_belongs_to_the_city_its_counties_lie_in(tmp_path: Path):
    path = tmp_path / "督办事项.csv"
    path.write_bytes(
        (
            "序号,工作任务,责任单位,配合单位,完成时限\r\n"
            "1,推进古浪县工业固废综合利用项目建设,古浪县人民政府,市工信局,2025年12月31日\r\n"
            "2,整治民勤县建筑垃圾乱堆乱放问题,民勤县人民政府,市住建局,2025年9月\r\n"
        ).encode("gb18030")
    )
    plan = read_source(path).plans[0]
    assert plan.jurisdiction == "武威市"  # not 古浪县, whose name stands in a cell beside a date like a signature
    (doubt,) = [d for d in plan.doubts if d.field == "jurisdiction"]
    assert doubt.message == "文件未写明所属地区，正文提到的古浪县、民勤县同属武威市，按武威市识别，请核对"


def test_places_named_in_two_provinces_give_no_place():
    lines = ["推进古浪县固废利用。", "学习鄱阳县经验。"]
    assert document_place(issuer=None, title="重点工作", doc_number=None, lines=lines).name is None

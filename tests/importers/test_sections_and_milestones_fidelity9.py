"""Shapes of round 9's unseen documents (tests/importers/unseen3/), each by its mechanism: owner lines closing every
（一） section own all its items; year columns under one merged 完成时限 are milestones; a running header on both
pages of a two-page PDF is no text between a table's rows; a county's two-character name before a year."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl

from tests.importers.render import add_table, convert
from wufei.departments.owners import parse_owners
from wufei.importers.readers.pdf import read_pdf
from wufei.importers.service import read_source
from wufei.importers.text.paragraphs import main_tasks
from wufei.importers.text.place import document_place


def _roles(text: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    spec = parse_owners(text)
    return spec.leads, spec.supporting


SECTIONS = [
    "某市“无废城市”建设实施方案",
    "一、推动工业固体废物减量",
    "（一）推进源头减量",
    "1.开展清洁生产审核。2025年底前完成审核企业60家。",
    "2.建设绿色工厂。创建绿色工厂10家以上。",
    "责任单位：市工信局、市生态环境局",
    "（二）提升综合利用水平",
    "3.推动尾矿综合利用。支持企业建设综合利用项目。",
    "4.推进冶炼渣利用。建设示范项目1个。",
    "责任单位：市发展改革委，各区县人民政府",
]


def test_owner_lines_closing_every_section_own_all_its_items():
    tasks = main_tasks(SECTIONS)
    assert [task.title for task in tasks] == ["开展清洁生产审核", "建设绿色工厂", "推动尾矿综合利用", "推进冶炼渣利用"]
    assert [_roles(task.owners_raw) for task in tasks] == [
        (("市工信局",), ("市生态环境局",)),
        (("市工信局",), ("市生态环境局",)),
        (("市发展改革委",), ("各区县人民政府",)),
        (("市发展改革委",), ("各区县人民政府",)),
    ]


def test_an_item_with_owner_lines_of_its_own_keeps_the_closing_lines_to_the_last_item():
    lines = list(SECTIONS)
    lines.insert(4, "责任单位：市科技局")  # item 1 names its own owners: the lines are per item, not per section
    tasks = main_tasks(lines)
    assert [task.owners_raw for task in tasks] == [
        "责任单位：市科技局",
        "责任单位：市工信局、市生态环境局",
        None,
        "责任单位：市发展改革委，各区县人民政府",
    ]


def test_year_columns_under_one_deadline_heading_give_the_last_milestone_s_year(tmp_path: Path):
    book = openpyxl.Workbook()
    sheet = book.active
    rows = [
        ["某市重点项目推进计划表（2024—2025年）", None, None, None, None],
        ["序号", "项目名称", "责任单位", "完成时限", None],
        [None, None, None, "2024年", "2025年"],
        [1, "危险废物处置中心扩建", "市生态环境局", "完成主体工程", "建成投运"],
        [2, "餐厨垃圾处理项目", "市城管局、市发改委", "建成投运", None],
    ]
    for row in rows:
        sheet.append(row)
    sheet.merge_cells("A1:E1")
    sheet.merge_cells("D2:E2")
    for column in "ABC":
        sheet.merge_cells(f"{column}2:{column}3")
    path = tmp_path / "xiangmu.xlsx"
    book.save(path)
    [plan] = read_source(path).plans
    assert [(task.title, task.deadline_raw) for task in plan.tasks] == [
        ("危险废物处置中心扩建", "2025年"),
        ("餐厨垃圾处理项目", "2024年"),
    ]
    assert "完成时限（2024年）：完成主体工程；完成时限（2025年）：建成投运" in plan.tasks[0].content  # nothing lost
    assert not [doubt for doubt in plan.doubts if "完成时限" in (doubt.text or "")]


def test_an_office_name_heading_both_pages_of_a_two_page_pdf_is_dropped_and_the_table_goes_on(tmp_path: Path):
    out = docx.Document()
    out.sections[0].header.paragraphs[0].text = "某市“无废城市”建设工作领导小组办公室"
    out.sections[0].footer.paragraphs[0].text = "第 1 页 共 2 页"
    out.add_paragraph("某市2024年“无废城市”建设工作要点任务分解")
    rows = [["序号", "工作任务", "责任单位", "完成时限"]]
    rows += [[str(n), f"第{n}项工作任务的具体内容" * 3, "市生态环境局", "2024年底"] for n in range(1, 17)]
    add_table(out, rows, repeat_header=False)
    source = tmp_path / "yaodian.docx"
    out.save(str(source))
    document = read_pdf(convert(source, "pdf", tmp_path))
    assert "某市“无废城市”建设工作领导小组办公室" not in document.lines
    [table] = document.tables
    assert [row.cells[0] for row in table.rows] == [str(n) for n in range(1, 17)]
    assert {row.where[:3] for row in table.rows} == {"第1页", "第2页"}


def test_a_county_s_two_character_name_before_the_plan_s_year_is_its_place():
    found = document_place(
        issuer=None, title="攸县2024年“无废城市”建设重点任务分工表", doc_number=None, lines=["攸县2024年…"]
    )
    assert (found.name, found.doubts) == ("攸县", ())


def _docx(tmp_path: Path, blocks: list[str | list[list[str]]]) -> Path:
    out = docx.Document()
    for block in blocks:
        if isinstance(block, str):
            out.add_paragraph(block)
        else:
            add_table(out, block)
    path = tmp_path / "zhenggai.docx"
    out.save(str(path))
    return path


def test_a_task_list_and_a_duty_list_with_the_same_numbers_and_names_are_one_list(tmp_path: Path):
    path = _docx(
        tmp_path,
        [
            "某市固体废物问题整改方案",
            "一、问题清单",
            [["序号", "问题", "具体表现"], ["1", "消纳场建设滞后", "库容不足。"], ["2", "收运不及时", "暂存超时。"]],
            "二、任务清单",
            [
                ["序号", "整改任务", "整改措施", "整改时限"],
                ["1", "加快消纳场建设", "新建消纳场2处。", "2025年6月底前"],
                ["2", "完善收运体系", "每48小时收运一次。", "立行立改"],
            ],
            "三、责任清单",
            [
                ["序号", "整改任务", "责任领导", "牵头单位", "配合单位"],
                ["1", "加快消纳场建设", "王某", "市住建局", "市自然资源局"],
                ["2", "完善收运体系", "李某", "市卫健委", "市生态环境局"],
            ],
        ],
    )
    [plan] = read_source(path).plans
    assert [(task.title, task.deadline_raw) for task in plan.tasks] == [
        ("加快消纳场建设", "2025年6月底前"),
        ("完善收运体系", "立行立改"),
    ]
    assert [(task.leads, task.supporting) for task in plan.tasks] == [
        (("市住建局",), ("市自然资源局",)),
        (("市卫健委",), ("市生态环境局",)),
    ]
    first = plan.tasks[0].content
    assert "新建消纳场2处" in first and "问题：消纳场建设滞后" in first  # the measure and the problem kept
    assert [d.field for d in plan.doubts].count("table") == 2  # both joins are shown to a person


def test_two_task_tables_numbered_alike_but_naming_other_tasks_stay_apart(tmp_path: Path):
    path = _docx(
        tmp_path,
        [
            "某市重点任务分工",
            [
                ["序号", "重点任务", "完成时限"],
                ["1", "建成餐厨垃圾处理厂", "2024年底"],
                ["2", "开展塑料污染治理", "2025年底"],
            ],
            [
                ["序号", "重点任务", "牵头单位"],
                ["1", "推进秸秆综合利用", "市农业农村局"],
                ["2", "创建无废学校", "市教育局"],
            ],
        ],
    )
    [plan] = read_source(path).plans
    assert len(plan.tasks) == 4


def test_a_five_year_plan_written_out_names_the_period():
    from wufei.importers.text.metadata import document_metadata

    meta = document_metadata(["关于落实某市国民经济和社会发展第十二个五年规划纲要主要目标和任务工作分工的通知"])
    assert (meta.period_start, meta.period_end) == (2011, 2015)


def test_a_notice_s_heading_names_its_office_without_印发_even_broken_after_关于():
    lines = ["内蒙古自治区人民政府关于", "推动城市群一体化发展若干举措的通知", "现就有关举措通知如下。"]
    found = document_place(issuer=None, title="推动城市群一体化发展若干举措的通知", doc_number=None, lines=lines)
    assert (found.name, found.doubts) == ("内蒙古自治区", ())
    cited = ["按照市人民政府关于", "垃圾分类的部署，推进各项工作。"]  # a sentence citing an office: no place
    assert document_place(issuer=None, title="某项工作方案", doc_number=None, lines=cited).name is None

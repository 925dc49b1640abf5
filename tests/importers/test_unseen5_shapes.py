"""Shapes of round 11's unseen documents (tests/importers/unseen5/), each by its mechanism: a Word table pasted into a
text box is read after the paragraph the box is anchored in; a web page's grid of <div>s styled as a table
(display: table / table-row / table-cell) is read as the table it shows; a header word after a level of government
(市级牵头, 市级配合, 县级责任) has that word's role; a five-year plan's span (“十四五”期间) is a deadline at its last
year's end and 即日起 an ongoing one, both read as the deadline of an owner clause; 每年12月底前 recurs; a typed line
break in a context cell (a CSV's quoted cell) keeps its two statements apart."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import docx
import openpyxl
from docx.oxml import parse_xml

from tests.importers.render import convert_all
from wufei.departments.owners import parse_owners
from wufei.importers.headers import column_roles
from wufei.importers.readers.html import read_html
from wufei.importers.service import read_source
from wufei.importers.text.normalize import with_chinese_stops
from wufei.tasks.deadlines import DeadlineKind, parse_deadline

TASK_ROWS = [
    ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"],
    ["1", "推进煤矸石综合利用", "市工信局", "市能源局", "2025年9月底前"],
    ["2", "建设医疗废物收运体系", "市卫健委", "市生态环境局", "2025年6月底前"],
]
EXPECTED_TASKS = [
    ("推进煤矸石综合利用", ("市工信局",), ("市能源局",), "2025年9月底前"),
    ("建设医疗废物收运体系", ("市卫健委",), ("市生态环境局",), "2025年6月底前"),
]


def _tasks(path: Path) -> list[tuple]:
    plan = read_source(path).plans[0]
    return [(t.title, t.leads, t.supporting, t.deadline_raw) for t in plan.tasks]


def _text_box_document(path: Path, *, drawing: bool) -> Path:
    """A notice whose task table sits in a text box; `drawing` writes the box as DrawingML with its VML copy
    under mc:Fallback (as Word saves it), else as a VML shape alone."""
    document = docx.Document()
    document.add_paragraph("某市2025年“无废城市”建设重点工作任务表")
    table = document.add_table(rows=len(TASK_ROWS), cols=len(TASK_ROWS[0]))
    for r, row in enumerate(TASK_ROWS):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    tbl = table._tbl
    tbl.getparent().remove(tbl)
    vml = (
        '<w:pict><v:shape id="box" type="#_x0000_t202"><v:textbox><w:txbxContent>{}</w:txbxContent>'
        "</v:textbox></v:shape></w:pict>"
    )
    namespaces = (
        'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
    )
    if drawing:
        xml = (
            f'<mc:AlternateContent {namespaces}><mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx>'
            "<w:txbxContent>{}</w:txbxContent></wps:txbx></wps:wsp></w:drawing></mc:Choice>"
            f"<mc:Fallback>{vml}</mc:Fallback></mc:AlternateContent>"
        )
    else:
        xml = vml.replace("<w:pict>", f"<w:pict {namespaces}>", 1)
    box = parse_xml(xml.replace("{}", "<w:p/>"))
    anchor = document.add_paragraph().add_run()
    anchor._r.append(box)
    contents = box.findall(".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}txbxContent")
    for k, content in enumerate(contents):
        content.insert(0, tbl if k == 0 else parse_xml(tbl.xml))
    document.add_paragraph("某市生态环境局")
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def test_a_task_table_in_a_vml_text_box_is_read(tmp_path: Path):
    path = _text_box_document(tmp_path / "任务表.docx", drawing=False)
    assert _tasks(path) == EXPECTED_TASKS


def test_a_drawing_text_box_is_read_once_not_again_from_its_vml_fallback(tmp_path: Path):
    path = _text_box_document(tmp_path / "任务表.docx", drawing=True)
    assert _tasks(path) == EXPECTED_TASKS


def _grid_page(path: Path, *, style: str, row: str, cell: str) -> Path:
    cells = "".join
    rows = [f"<div {row}>{cells(f'<div {cell}>{text}</div>' for text in texts)}</div>" for texts in TASK_ROWS]
    path.write_text(
        f"<html><head><meta charset='utf-8'><style>{style}</style></head><body>"
        f"<div class='article'><h2>某市2025年“无废城市”建设重点任务分工表</h2>"
        f"<div class='grid' style='{'display:table' if not style else ''}'>{''.join(rows)}</div></div>"
        "</body></html>",
        encoding="utf-8",
    )
    return path


def test_a_div_grid_styled_as_a_table_by_class_rules_is_read_as_a_table(tmp_path: Path):
    style = ".grid { display: table; } .grid .row { display: table-row } .grid .cell, td.x { display:table-cell; }"
    path = _grid_page(tmp_path / "分工.html", style=style, row="class='row'", cell="class='cell'")
    assert _tasks(path) == EXPECTED_TASKS


def test_a_div_grid_styled_inline_is_read_as_a_table(tmp_path: Path):
    path = _grid_page(
        tmp_path / "分工.html", style="", row="style='display: table-row'", cell="style='display:table-cell'"
    )
    assert _tasks(path) == EXPECTED_TASKS


def test_divs_styled_otherwise_stay_paragraphs(tmp_path: Path):
    """No table is read from divs that are not styled as one: each cell stays a paragraph of its own. (Once refused,
    such a page is now read as a text copy of a table one cell a line is, since nothing else was read from it:
    test_unseen7_shapes.py proves that reading.)"""
    style = ".grid { display: flex; } .row { display: block } .cell { display: inline-block }"
    path = _grid_page(tmp_path / "分工.html", style=style, row="class='row'", cell="class='cell'")
    page = read_html(path)
    assert page.tables == [] and page.lines[1:6] == TASK_ROWS[0]


def test_a_level_of_government_before_a_header_word_is_set_aside():
    assert column_roles(["序号", "重点任务", "市级牵头", "市级配合", "县级责任", "完成时限"]) == [
        "number",
        "task_name",
        "lead",
        "supporting",
        "supporting",
        "deadline",
    ]
    assert column_roles(["重点任务", "县级责任", "完成时限"]) == ["task_name", "owners", "deadline"]


def test_a_five_year_plans_span_is_the_end_of_its_last_year_and_from_now_on_is_ongoing():
    assert parse_deadline("“十四五”期间完成").due_date == date(2025, 12, 31)
    assert parse_deadline("十三五时期").due_date == date(2020, 12, 31)
    assert parse_deadline("十四五末").due_date == date(2025, 12, 31)
    from_now = parse_deadline("即日起开展")
    assert (from_now.kind, from_now.due_date) == (DeadlineKind.ONGOING, None)
    assert parse_deadline("即日起至2025年底").due_date == date(2025, 12, 31)


def test_a_month_every_year_recurs_even_when_the_plan_gives_a_year():
    every_year = parse_deadline("每年12月底前", plan_start=2024, plan_end=2024)
    assert (every_year.kind, every_year.due_date) == (DeadlineKind.ANNUAL, None)
    # a year printed beside 每年 still starts the series
    assert parse_deadline("2023年起每年", plan_start=2023, plan_end=2025).start_year == 2023


def test_an_owner_clause_closed_by_a_five_year_span_or_from_now_on_names_no_unit_for_it(tmp_path: Path):
    path = tmp_path / "分工.txt"
    path.write_text(
        "某市“十四五”时期“无废城市”建设重点任务分工\n"
        "1．完善再生资源回收网络，建成区域性分拣中心3个。（市商务局牵头，市供销社配合，“十四五”期间完成）\n"
        "2．开展长江岸线固体废物排查整治。（市生态环境局牵头，市水利局配合，即日起开展）\n",
        encoding="utf-8",
    )
    assert _tasks(path) == [
        ("完善再生资源回收网络，建成区域性分拣中心3个", ("市商务局",), ("市供销社",), "“十四五”期间完成"),
        ("开展长江岸线固体废物排查整治", ("市生态环境局",), ("市水利局",), "即日起开展"),
    ]


def test_a_typed_line_break_in_a_context_cell_keeps_its_statements_apart(tmp_path: Path):
    path = tmp_path / "督办.csv"
    path.write_text(
        "序号,工作任务,责任单位,完成时限,进展情况,备注\n"
        '1,规范医疗废物收集处置,市卫生健康委,2025年6月30日,"项目已开工\n完成投资40%","一期已验收。\n二期在建"\n',
        encoding="utf-8",
    )
    task = read_source(path).plans[0].tasks[0]
    assert "进展情况：项目已开工，完成投资40%" in (task.content or "")
    assert "备注：一期已验收。二期在建" in (task.content or "")


def test_a_person_leading_makes_the_first_unit_the_clause_names_the_lead_with_a_doubt():
    spec = parse_owners("市政府副市长张伟牵头，市生态环境局、市水利和湖泊局配合")
    assert (spec.leads, spec.supporting) == (("市生态环境局",), ("市水利和湖泊局",))
    assert [d.field for d in spec.doubts] == ["leads"] and "市政府副市长张伟" in spec.doubts[0].message
    # a unit leading beside the person: the person is dropped, nothing is guessed
    spec = parse_owners("由张某某副市长负责，市城管局牵头，市财政局配合")
    assert (spec.leads, spec.supporting, spec.doubts) == (("市城管局",), ("市财政局",), ())


ASCII_PUNCTUATED = [
    '某市"无废城市"建设2025年工作要点',
    "为推进建设,现提出工作要点如下:",
    "1) 推进电子废物规范回收,建成回收网点50个. (责任单位: 市生态环境局; 配合单位: 市商务局; 完成时限: 2025年9月底前)",
    "2) 规范港口船舶垃圾处置,处置率达到2.5倍. (责任单位: 市交通运输局; 完成时限: 2025年6月底前)",
]


def test_a_document_typed_with_english_punctuation_is_read_with_its_stops_and_numbers(tmp_path: Path):
    path = tmp_path / "要点.txt"
    path.write_text("\n".join(ASCII_PUNCTUATED) + "\n", encoding="utf-8")
    assert _tasks(path) == [
        ("推进电子废物规范回收,建成回收网点50个", ("市生态环境局",), ("市商务局",), "2025年9月底前"),
        ("规范港口船舶垃圾处置,处置率达到2.5倍", ("市交通运输局",), (), "2025年6月底前"),
    ]


def test_english_stops_are_read_only_in_a_document_typed_with_english_punctuation():
    lines = with_chinese_stops(ASCII_PUNCTUATED)
    assert lines[2].startswith("1.推进电子废物规范回收,建成回收网点50个。 (责任单位")
    assert "2.5倍。" in lines[3]  # a decimal point stays
    named = with_chinese_stops(["某市实施方案.pdf", *ASCII_PUNCTUATED[1:]])
    assert named[0] == "某市实施方案.pdf"  # a file's name is no sentence
    chinese = ["1.推进回收，建成网点50个。（责任单位：市生态环境局）", "见www.example.cn.", "2) 子项，说明。"]
    assert with_chinese_stops(chinese) is chinese
    dotted = ["1.推进回收,建成网点. (责任单位: 甲局; 配合单位: 乙局)", "1) 子项,说明."]
    assert with_chinese_stops(dotted)[1] == "1) 子项,说明。"  # items already numbered 1.: 1) stays a sub-item


def test_sub_items_on_their_own_lines_each_closed_by_owners_are_the_tasks_under_their_heading(tmp_path: Path):
    path = tmp_path / "方案.txt"
    path.write_text(
        "某市“无废城市”建设实施方案\n一、主要任务\n（一）推进工业领域减污降碳\n1.提升工业固体废物综合利用水平\n"
        "(1)推进陶瓷废料综合利用。①建设生产线；②推广新型建材。（牵头单位：市工信局；配合单位：甲县人民政府；"
        "完成时限：2025年6月底前）\n"
        "(2)开展粉煤灰利用示范。（牵头单位：市发改委；完成时限：2025年12月底前）\n"
        "2.推进工业园区固废集中收运。（牵头单位：市生态环境局；完成时限：2025年9月底前）\n",
        encoding="utf-8",
    )
    plan = read_source(path).plans[0]
    assert _tasks(path) == [
        ("推进陶瓷废料综合利用", ("市工信局",), ("甲县人民政府",), "2025年6月底前"),
        ("开展粉煤灰利用示范", ("市发改委",), (), "2025年12月底前"),
        ("推进工业园区固废集中收运", ("市生态环境局",), (), "2025年9月底前"),
    ]
    assert "提升工业固体废物综合利用水平" in (plan.tasks[0].content or "")


def test_sub_items_closed_by_one_owner_clause_together_stay_one_task(tmp_path: Path):
    path = tmp_path / "方案.txt"
    path.write_text(
        "某市“无废城市”建设实施方案\n1.提升工业固体废物综合利用水平\n(1)推进陶瓷废料综合利用。\n(2)开展粉煤灰利用示范。\n"
        "（牵头单位：市工信局；完成时限：2025年6月底前）\n",
        encoding="utf-8",
    )
    assert [task[0] for task in _tasks(path)] == ["提升工业固体废物综合利用水平"]


def _one_sheet(path: Path, rows: list[list[str]]) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_a_target_column_per_year_beside_a_task_and_no_deadline_column_gives_the_last_years_milestone(
    tmp_path: Path,
):
    path = _one_sheet(
        tmp_path / "清单.xlsx",
        [
            ["某市“无废城市”建设三年任务清单（2024—2026年）"],
            ["序号", "任务名称", "责任单位", "2024年目标", "2025年目标", "2026年目标"],
            ["1", "推进海洋渔业废弃物回收利用", "市海洋发展局", "建成站点10个", "建成站点20个", "全覆盖"],
            ["2", "建设餐厨废弃物处理项目", "市城市管理局", "完成选址", "建成投运", ""],
        ],
    )
    plan = read_source(path).plans[0]
    assert [(t.title, t.deadline_raw) for t in plan.tasks] == [
        ("推进海洋渔业废弃物回收利用", "2026年"),
        ("建设餐厨废弃物处理项目", "2025年"),
    ]
    assert "2024年目标：完成选址" in (plan.tasks[1].content or "")


def test_year_targets_beside_a_deadline_column_or_in_an_indicator_table_stay_as_they_were(tmp_path: Path):
    with_deadline = _one_sheet(
        tmp_path / "清单.xlsx",
        [
            ["某市任务清单"],
            ["序号", "任务名称", "责任单位", "2024年目标", "2025年目标", "完成时限"],
            ["1", "建设餐厨废弃物处理项目", "市城市管理局", "完成选址", "建成投运", "2025年6月底前"],
        ],
    )
    assert read_source(with_deadline).plans[0].tasks[0].deadline_raw == "2025年6月底前"
    indicators = _one_sheet(
        tmp_path / "指标.xlsx",
        [
            ["某市指标体系"],
            ["序号", "指标名称", "单位", "2024年目标", "2025年目标"],
            ["1", "生活垃圾回收利用率", "%", "38", "40"],
        ],
    )
    indicator = read_source(indicators).plans[0].indicators[0]
    assert (indicator.name, indicator.target_raw) == ("生活垃圾回收利用率", "40")


def test_a_container_styled_as_a_table_without_a_grid_inside_keeps_its_text(tmp_path: Path):
    """The clearfix idiom (.clearfix:after { display: table }) and a lone `display: table` box are no grid: the
    article inside them is still read (renamed to <table> it would vanish, having no rows)."""
    path = tmp_path / "方案.html"
    path.write_text(
        "<html><head><meta charset='utf-8'><style>.clearfix:after { content: ''; display: table; }"
        " .box { display: table; }</style></head><body><div class='article clearfix'><div class='box'>"
        "<p>某市“无废城市”建设重点任务</p>"
        "<p>1.推进煤矸石综合利用。（牵头单位：市工信局；配合单位：市能源局；完成时限：2025年9月底前）</p>"
        "</div></div></body></html>",
        encoding="utf-8",
    )
    assert _tasks(path) == [("推进煤矸石综合利用", ("市工信局",), ("市能源局",), "2025年9月底前")]


def _wide_sheet(path: Path, header: list[str], rows: list[list[str]], widths: list[int]) -> Path:
    """A sheet with no borders, its columns too wide for one A4 page: LibreOffice prints them on pages side by side."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["某市“无废城市”建设2025年重点任务推进表"])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for k, width in enumerate(widths):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(k + 1)].width = width
    book.save(path)
    return path


def test_an_unruled_sheet_printed_over_pages_side_by_side_is_one_table(tmp_path: Path):
    header = ["序号", "重点任务", "具体措施", "牵头单位", "配合单位", "完成时限"]
    rows = [
        [
            "1",
            "推进建筑垃圾资源化利用",
            "建成资源化利用项目1个，年处理能力达到30万吨",
            "市住建局",
            "市城管局",
            "2025年10月底前",
        ],
        [
            "2",
            "加强危险废物规范化管理",
            "开展规范化环境管理评估，重点单位全覆盖",
            "市生态环境局",
            "各县（区）人民政府",
            "2025年11月底前",
        ],
        ["3", "推动“无废景区”建设", "创建“无废景区”3个", "市文旅局", "", "2025年12月底前"],
    ]
    source = _wide_sheet(tmp_path / "推进表.xlsx", header, rows, [6, 30, 60, 24, 28, 20])
    (path,) = convert_all([source], "pdf", tmp_path)
    plan = read_source(path).plans[0]
    assert plan.title == "某市“无废城市”建设2025年重点任务推进表"
    assert _tasks(path) == [
        ("推进建筑垃圾资源化利用", ("市住建局",), ("市城管局",), "2025年10月底前"),
        ("加强危险废物规范化管理", ("市生态环境局",), ("各县（区）人民政府",), "2025年11月底前"),
        ("推动“无废景区”建设", ("市文旅局",), (), "2025年12月底前"),
    ]
    assert plan.tasks[0].content == "建成资源化利用项目1个，年处理能力达到30万吨"

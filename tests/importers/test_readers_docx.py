"""Word (.docx) plans: real files built with python-docx, read by read_source, interpreted like the text."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn

from tests.importers.render import add_table, seed_document, write_docx
from tests.importers.same_records import assert_same_records
from tests.seed_files import ALL_SEEDS, BAODING_PLAN
from tests.test_cli import wufei  # noqa: F401  (the CLI fixture)
from wufei.importers.readers.docx import chinese_number, read_docx
from wufei.importers.records import ImportError_
from wufei.importers.service import read_source

TASK_HEADER = ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"]


def _plan(tmp_path: Path, build) -> Path:
    out = docx.Document()
    out.add_paragraph("保定市人民政府办公室")
    out.add_paragraph("保定市“无废城市”建设重点任务分工方案")
    build(out)
    path = tmp_path / "plan.docx"
    out.save(str(path))
    return path


@pytest.mark.parametrize("seed", ALL_SEEDS, ids=lambda p: p.stem)
def test_a_seed_set_in_word_with_real_tables_gives_the_records_of_its_text(seed, tmp_path):
    path = write_docx(seed_document(seed), tmp_path / f"{seed.stem}.docx")
    [plan] = read_source(path).plans
    assert plan.format == "docx"
    assert_same_records(read_source(seed).plans[0], plan)


def test_rows_are_named_by_table_and_row_and_paragraph_tasks_by_paragraph(tmp_path):
    path = write_docx(seed_document(BAODING_PLAN), tmp_path / "baoding.docx")
    [plan] = read_source(path).plans
    indicator = next(i for i in plan.indicators if i.number == "3")
    assert indicator.where == "表1第4行"  # the header is row 1
    assert plan.tasks[0].where and plan.tasks[0].where.endswith("段")


def test_merged_cells_are_filled_from_their_anchor_and_a_row_across_the_table_is_a_heading(tmp_path):
    def build(out):
        table = out.add_table(rows=5, cols=5)
        for c, text in enumerate(TASK_HEADER):
            table.cell(0, c).text = text
        table.cell(1, 0).merge(table.cell(1, 4)).text = "一、制度体系"
        rows = [
            ["1", "建立工作机制", "市生态环境局", "市发展改革委", "2023年底前"],
            ["2", "完善考核办法", "市生态环境局", "市财政局", "2024年6月底前"],
            ["3", "开展宣传教育", "市委宣传部", "市教育局", "持续推进"],
        ]
        for r, values in enumerate(rows, start=2):
            for c, text in enumerate(values):
                if not (r == 3 and c == 2) and not (r == 4 and c == 3):
                    table.cell(r, c).text = text
        table.cell(2, 2).merge(table.cell(3, 2))  # one lead for tasks 1 and 2 (vMerge)
        table.cell(4, 3).merge(table.cell(4, 4)).text = "持续推进"  # one text over two columns (gridSpan)

    document = read_docx(_plan(tmp_path, build))
    [table] = document.tables
    assert table.header == TASK_HEADER
    heading, first, second, third = table.rows
    assert heading.cells == ["一、制度体系", None, None, None, None]
    assert first.cells[2] == second.cells[2] == "市生态环境局"
    assert third.cells[3:] == ["持续推进", "持续推进"]
    assert [r.where for r in table.rows] == ["表1第2行", "表1第3行", "表1第4行", "表1第5行"]


def test_line_breaks_and_paragraphs_inside_a_cell_are_kept_in_raw(tmp_path):
    def build(out):
        table = out.add_table(rows=2, cols=5)
        for c, text in enumerate(TASK_HEADER):
            table.cell(0, c).text = text
        cell = table.cell(1, 1)
        cell.paragraphs[0].add_run("推进源头减量。").add_break()
        cell.paragraphs[0].add_run("加强塑料污染治理")
        cell.add_paragraph("开展快递包装绿色转型")
        for c, text in ((0, "1"), (2, "市发展改革委"), (3, "市商务局"), (4, "2025年")):
            table.cell(1, c).text = text

    [row] = read_docx(_plan(tmp_path, build)).tables[0].rows
    assert row.raw[1] == "推进源头减量。\n加强塑料污染治理\n开展快递包装绿色转型"
    assert row.cells[1] == "推进源头减量。加强塑料污染治理开展快递包装绿色转型"


def test_a_header_typed_again_on_the_next_page_is_not_a_row_and_tblheader_marks_an_unknown_header(tmp_path):
    def build(out):
        add_table(
            out,
            [
                TASK_HEADER,
                ["1", "任务一", "市生态环境局", "", "2025年"],
                TASK_HEADER,
                ["2", "任务二", "市商务局", "", "2024年"],
            ],
        )
        add_table(out, [["项", "事"], ["甲", "乙"]], repeat_header=True)

    tasks, unknown = read_docx(_plan(tmp_path, build)).tables
    assert [r.cells[0] for r in tasks.rows] == ["1", "2"]
    assert unknown.header == ["项", "事"] and [r.cells for r in unknown.rows] == [["甲", "乙"]]


def test_a_nested_table_is_read_as_a_table_and_a_one_cell_box_as_text(tmp_path):
    def build(out):
        box = out.add_table(rows=1, cols=1)
        box.cell(0, 0).text = "附件：重点任务分工表"
        inner = box.cell(0, 0).add_table(rows=2, cols=5)
        for c, text in enumerate(TASK_HEADER):
            inner.cell(0, c).text = text
        for c, text in enumerate(["1", "推进垃圾分类", "市城管局", "各县区政府", "2025年底"]):
            inner.cell(1, c).text = text

    document = read_docx(_plan(tmp_path, build))
    assert "附件：重点任务分工表" in document.lines
    [table] = document.tables
    assert table.header == TASK_HEADER and table.rows[0].cells[1] == "推进垃圾分类"


def test_word_list_numbering_gives_the_printed_number(tmp_path):
    def build(out):
        numbering = out.part.numbering_part.element
        numbering.insert(
            0,
            parse_xml(
                '<w:abstractNum xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
                'w:abstractNumId="90"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
                '<w:lvlText w:val="（%1）"/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
                '<w:lvlText w:val="%2."/></w:lvl></w:abstractNum>'
            ),
        )
        numbering.append(
            parse_xml(
                '<w:num xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:numId="90">'
                '<w:abstractNumId w:val="90"/></w:num>'
            )
        )
        for level, text in (
            (0, "强化顶层设计"),
            (1, "建立工作机制。"),
            (1, "完善考核办法。"),
            (0, "推进源头减量"),
            (1, "推行绿色设计。"),
        ):
            paragraph = out.add_paragraph(text)
            num_pr = OxmlElement("w:numPr")
            for tag, value in (("w:ilvl", level), ("w:numId", 90)):
                element = OxmlElement(tag)
                element.set(qn("w:val"), str(value))
                num_pr.append(element)
            paragraph._p.get_or_add_pPr().append(num_pr)

    lines = read_docx(_plan(tmp_path, build)).lines
    assert lines[2:] == [
        "（一）强化顶层设计",
        "1.建立工作机制。",
        "2.完善考核办法。",
        "（二）推进源头减量",
        "1.推行绿色设计。",
    ]


def test_chinese_numbers_as_word_prints_them():
    assert [chinese_number(n) for n in (1, 10, 11, 20, 21, 99, 100, 110)] == [
        "一",
        "十",
        "十一",
        "二十",
        "二十一",
        "九十九",
        "一百",
        "一百一十",
    ]


@pytest.mark.parametrize(
    "content", [b"", b"not a zip at all", b"PK\x03\x04broken"], ids=["empty", "text", "broken-zip"]
)
def test_a_file_that_is_not_a_word_document_is_refused_naming_it(content, tmp_path):
    path = tmp_path / "方案.docx"
    path.write_bytes(content)
    with pytest.raises(ImportError_, match="方案.docx.*无法打开 Word 文件"):
        read_source(path)


def test_wufei_import_takes_a_word_plan_and_lists_its_tasks_with_owners_and_deadlines(wufei, tmp_path):
    path = write_docx(seed_document(BAODING_PLAN), tmp_path / "保定市无废城市建设工作方案.docx")
    result = json.loads(wufei("import", str(path), "--json").output)
    assert result[0]["ok"] and result[0]["plans"][0]["counts"]["indicators"] == 65
    tasks = json.loads(wufei("tasks", "--json").output)
    assert len(tasks) == 39
    first = next(t for t in tasks if t["number"] == "2.1")
    assert first["title"] == "提升生活垃圾无害化处置能力"
    assert first["leads"] == ["市城市管理综合行政执法局", "市住房和城乡建设局"]
    # 各县（市、区）政府、开发区管委会 after them: 保定市's 24 county governments and its zones as one owner.
    assert first["supporting"][:3] == ["市生态环境局", "市农业农村局", "市发展和改革委员会"]
    assert len(first["supporting"]) == 3 + 24 + 1 and first["supporting"][-1] == "各开发区管委会"
    assert first["due_date"] == "2025-12-31"

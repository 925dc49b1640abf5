"""The Word tables, written as one piece of XML, read back as python-docx and Word read them."""

from __future__ import annotations

import pytest
from lxml import etree

from tests.bulletins.helpers import docx_tables
from wufei.bulletins.document import Document, Section, Table
from wufei.bulletins.render import _run_xml, column_shares, docx

AWKWARD = ["普通文字", "", " 前后空格 ", "a&b<c>d", "第一行\n第二行", "甲\t乙", "回车\r后", "\n"]


@pytest.mark.parametrize("text", AWKWARD)
def test_a_cell_run_is_the_run_python_docx_writes_for_the_same_text(text):
    from docx import Document as WordDocument
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    written = WordDocument().add_paragraph().add_run(text)._r
    ours = parse_xml(_run_xml(text).replace("<w:r>", f"<w:r {nsdecls('w')}>", 1))
    assert _canonical(ours) == _canonical(written)


def _canonical(element) -> bytes:
    return etree.tostring(element, method="c14n", exclusive=True)


def test_a_table_reads_back_cell_by_cell_with_its_header_widths_styles_and_alignment(tmp_path):
    from docx import Document as WordDocument
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    rows = [[text, str(number), "说明"] for number, text in enumerate(AWKWARD)]
    table = Table("表1", ["名称", "数量", "备注"], rows, numeric=(1,))
    doc = Document(
        kind="monthly",
        kind_cn="月调度通报",
        title="2024年5月通报",
        issuer="衡水市“无废城市”建设工作领导小组办公室",
        scope="衡水市",
        period={"label": "2024-05", "chinese": "2024年5月"},
        date="2024-06-05",
        snapshot_id="0123abcd",
        data_as_of="2024-06-05",
        sections=[Section("一、总体情况", [table])],
    )
    path = docx(doc, tmp_path / "t.docx")

    expected = [["名称", "数量", "备注"]] + [[text.replace("\r", "\n"), n, note] for text, n, note in rows]
    assert docx_tables(path) == [expected]
    [word_table] = WordDocument(str(path)).tables
    header, *body = word_table.rows
    assert header._tr.trPr is not None and header._tr.trPr.xpath("./w:tblHeader")  # repeated on each page
    assert {p.style.name for cell in header.cells for p in cell.paragraphs} == {"Wufei Table Header"}
    assert {p.style.name for row in body for cell in row.cells for p in cell.paragraphs} == {"Wufei Table Text"}
    assert [cell.paragraphs[0].alignment for cell in header.cells] == [WD_ALIGN_PARAGRAPH.CENTER] * 3
    assert [cell.paragraphs[0].alignment for cell in body[0].cells] == [None, WD_ALIGN_PARAGRAPH.RIGHT, None]
    widths = [cell.width for cell in body[0].cells]
    assert [column.width for column in word_table.columns] == widths
    shares = column_shares(table)
    assert [round(w / sum(widths), 3) for w in widths] == [round(share, 3) for share in shares]


def _small_document(rows: list[list[str]]) -> Document:
    return Document(
        kind="monthly",
        kind_cn="月调度通报",
        title="2024年5月通报",
        issuer="衡水市“无废城市”建设工作领导小组办公室",
        scope="衡水市",
        period={"label": "2024-05", "chinese": "2024年5月"},
        date="2024-06-05",
        snapshot_id="0123abcd",
        data_as_of="2024-06-05",
        sections=[Section("总体情况", [Table("任务", ["名称", "原因"], rows)])],
    ).number()


def test_the_printed_word_file_numbers_its_pages_keeps_rows_whole_and_notes_the_annex_before_signing(tmp_path):
    """A leader prints the bulletin and cites it by page: every page carries — N — in its footer;
    a row never breaks across a page; the 附件说明 sits under the body, before the 落款 (GB/T 9704)."""
    from docx import Document as WordDocument

    path = docx(_small_document([[f"任务{n}", "原因" * 40] for n in range(30)]), tmp_path / "t.docx")
    word = WordDocument(str(path))
    footer = word.sections[0].footer
    assert not footer.is_linked_to_previous
    instructions = [t.text.strip() for t in footer._element.xpath(".//w:instrText")]
    assert instructions == ["PAGE"] and footer.paragraphs[0].text == "— 1 —"
    [table] = word.tables
    assert all(row._tr.trPr is not None and row._tr.trPr.xpath("./w:cantSplit") for row in table.rows)
    kept = {p.text: p.paragraph_format.keep_with_next for p in word.paragraphs if p.text}
    assert kept["一、总体情况"] and kept["表1 任务"]  # never the last line of a page
    texts = [p.text for p in word.paragraphs if p.text]
    annex = texts.index("附件：月调度通报数据表（Excel表格，含各表及任务台账、周报送记录）")
    assert texts[annex + 1 : annex + 3] == ["衡水市“无废城市”建设工作领导小组办公室", "2024年6月5日"]


def test_the_annex_prints_its_header_on_every_page_landscape_and_fitted_to_the_width(tmp_path):
    from openpyxl import load_workbook

    from wufei.bulletins.render import xlsx

    path = xlsx(_small_document([["任务1", "原因"]]), tmp_path / "t.xlsx")
    sheet = load_workbook(str(path))["任务"]
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9  # A4
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage


def test_the_annex_holds_a_rate_as_a_number_shown_as_a_percentage(tmp_path):
    """A leader sorts 按时报送率 in the workbook: 79.5% must be the number 0.795, not text."""
    from openpyxl import load_workbook

    from wufei.bulletins.render import xlsx

    doc = _small_document([])
    rows = [["甲", "79.5%", "88.8"], ["乙", "—", "100"]]
    doc.sections[0].blocks = [Table("排名", ["单位", "按时报送率", "得分"], rows, numeric=(1, 2))]
    sheet = load_workbook(str(xlsx(doc.number(), tmp_path / "t.xlsx")))["排名"]
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=2)] == [["甲", 0.795, 88.8], ["乙", "—", 100]]
    assert sheet["B2"].number_format == "0.0%"


def test_a_short_column_keeps_its_text_on_one_line_when_long_columns_crowd_the_row():
    """The red and yellow list of the demo's June bulletin, read in LibreOffice: 现行期限 was so
    narrow that 2025年12月31日 stood over five lines. A date, 红灯 keep their width; the long
    columns (任务, 配合单位, 原因) share the rest."""
    long = "市工业和信息化局、桃城区人民政府、冀州区人民政府等14个单位"
    rows = [["红灯", "制度体系7 深入推动小微收集专业化运营" * 2, "市生态环境局", long, "2025年12月31日", long]]
    table = Table("红灯、黄灯任务清单", ["灯色", "任务", "牵头单位", "配合单位", "现行期限", "原因"], rows)
    shares = column_shares(table)
    text_mm, unit_mm = 156, 10.5 * 25.4 / 72 / 2  # a half-character of 五号
    date_mm = shares[4] * text_mm
    assert date_mm >= 14 * unit_mm + 2 * 1.9  # 2025年12月31日 and the cell's margins
    assert shares[0] * text_mm >= 4 * unit_mm + 2 * 1.9  # 红灯
    assert abs(sum(shares) - 1) < 1e-9
    assert min(shares[1], shares[3], shares[5]) * text_mm >= 12 * unit_mm  # six characters a line at least

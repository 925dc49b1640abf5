"""Shapes of round 11's unseen documents (tests/importers/unseen5/), each by its mechanism: a Word table pasted into a
text box is read after the paragraph the box is anchored in; a web page's grid of <div>s styled as a table
(display: table / table-row / table-cell) is read as the table it shows; a header word after a level of government
(市级牵头, 市级配合, 县级责任) has that word's role."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml

from wufei.importers.headers import column_roles
from wufei.importers.records import ImportError_
from wufei.importers.service import read_source

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
    style = ".grid { display: flex; } .row { display: block } .cell { display: inline-block }"
    path = _grid_page(tmp_path / "分工.html", style=style, row="class='row'", cell="class='cell'")
    with pytest.raises(ImportError_, match="没有找到任务"):
        read_source(path)


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

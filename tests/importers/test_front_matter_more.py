"""More front matter as pages and reposts print it (made-up in their style): a number in brackets, a metadata
box as a table, a notice naming its plan after 现将, a closing formula, a year's work document, a place named
once in a fragment."""

from __future__ import annotations

from wufei.importers.document import GRID, Document, Row, Table
from wufei.importers.text.document import interpret
from wufei.importers.text.metadata import document_metadata
from wufei.importers.text.place import document_place


def test_a_document_number_in_brackets_on_its_own_line():
    doc = document_metadata(["某市人民政府关于2019年重点工作责任分解的通知", "（某政发〔2019〕3号）", "各区："])
    assert doc.doc_number == "某政发〔2019〕3号"


def test_fields_of_a_page_s_metadata_list_under_other_names():
    doc = document_metadata(
        [
            "• 发文单位:区政府办",
            "• 信息名称:关于印发《2024年区政府工作报告重点工作分工方案》的通知",
            "• 发文序号:京某政办发〔2024〕2 号",
            "• 成文日期:2024年3月1日",
        ]
    )
    assert doc.title == "2024年区政府工作报告重点工作分工方案"
    assert doc.doc_number == "京某政办发〔2024〕2号"


def test_a_metadata_box_printed_as_a_table_gives_the_number():
    box = Table(
        header=["索引号", "11330400/2023-00012", "签发时间", "2023-03-01"],
        rows=[Row(cells=["发文字号", "某政办发〔2023〕5号", "有效性", "有效"], line=1, raw=[], where="表1第2行")],
        caption=[],
        start_line=1,
        layout=GRID,
        where="表1",
    )
    plan = interpret(
        Document(
            path="通知.docx",
            format="docx",
            lines=["", "某市2023年重点工作任务分工方案", "1.推进城市更新。（市住建局负责）"],
            tables=[box],
        )
    )
    assert plan.doc_number == "某政办发〔2023〕5号"


def test_a_notice_names_its_plan_after_xianjiang_and_its_closing_formula_is_no_title():
    doc = document_metadata(
        [
            "（二OO九年三月二日）",
            "某府办〔2009〕7号",
            "各镇人民政府，区政府各委、办、局：",
            "现将《2009年政府工作目标任务分解》印发给你们，请认真贯彻执行。",
            "特此通知",
        ]
    )
    assert doc.title == "2009年政府工作目标任务分解"
    assert (doc.period_start, doc.period_end) == (2009, 2009)
    assert document_metadata(["特此通知", "2009年政府工作目标任务分解"]).title == "2009年政府工作目标任务分解"


def test_a_consultation_names_the_document_it_publishes():
    doc = document_metadata(
        ["日前，《某市人民政府关于落实<政府工作报告>重点工作的任务分工》公开征求意见。", "01 教育", "扩大学位供给。"]
    )
    assert doc.title == "某市人民政府关于落实<政府工作报告>重点工作的任务分工"


def test_a_year_s_work_document_is_for_the_year_its_work_is():
    lines = [
        "关于落实《政府工作报告》重点工作的任务分工",
        "为推动“十三五”规划圆满收官，切实做好2020年政府工作，提出如下分工：",
    ]
    doc = document_metadata(lines)
    assert (doc.period_start, doc.period_end) == (2020, 2020)  # not 十三五's 2016–2020
    issued = document_metadata(
        ["某市人民政府办公室关于", "落实《政府工作报告》重点工作分工的意见", "发文日期: 2021 年 04 月 02 日"]
    )
    assert (issued.period_start, issued.period_end) == (2021, 2021)


def test_a_place_named_once_in_a_fragment_naming_no_other_is_its_place_with_a_doubt():
    place = document_place(issuer=None, title="“无废园区”建设行动", doc_number=None, lines=["推进厦门市某产业园建设。"])
    assert place.name == "厦门市"
    [doubt] = place.doubts
    assert "唯一提到" in doubt.message
    under = document_place(issuer=None, title="重点工作安排", doc_number=None, lines=["上海市静安区各街道："])
    assert under.name == "静安区"
    rivals = document_place(issuer=None, title="行动", doc_number=None, lines=["推进福州市某园区，学习厦门市经验。"])
    assert rivals.name is None

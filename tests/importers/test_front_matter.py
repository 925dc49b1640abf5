"""Front matter as pages and reposts print it (made-up in their style): titles, numbers, untitled files."""

from __future__ import annotations

from wufei.importers.document import GRID, Document, Row, Table
from wufei.importers.text.document import interpret
from wufei.importers.text.metadata import document_metadata


def test_a_title_with_its_period_and_draft_in_brackets_broken_over_two_lines():
    doc = document_metadata(
        ["详情如下:", "江西省深化“无废城市”建设工作", "方案(2024—2026年)(征求意见稿)", "一、总体要求"]
    )
    assert doc.title == "江西省深化“无废城市”建设工作方案(2024—2026年)(征求意见稿)"
    assert (doc.period_start, doc.period_end, doc.jurisdiction) == (2024, 2026, "江西省")


def test_the_bracketed_period_at_the_end_of_a_title_is_the_plans_own():
    doc = document_metadata(["某省大气污染防治规划（2013—2020年）三期行动计划（2018—2020年）"])
    assert (doc.period_start, doc.period_end) == (2018, 2020)


def test_a_tag_before_the_title_and_the_titles_of_other_kinds():
    doc = document_metadata(
        ["【重点工作分解】宜春市人民政府关于2021年重点工作责任分解的通知", "各县（市、区）人民政府："]
    )
    assert doc.title == "关于2021年重点工作责任分解的通知"
    assert (doc.period_start, doc.jurisdiction) == (2021, "宜春市")
    progress = document_metadata(["某区住建局", "2023年重点工作推进情况（1-6月）", "序号"])
    assert progress.title == "2023年重点工作推进情况（1-6月）"
    assert document_metadata(["2022年完成情况", "某市“无废城市”建设实施方案"]).title == "某市“无废城市”建设实施方案"


def test_a_title_broken_into_short_pieces_is_joined():
    doc = document_metadata(["某", "县", "2023", "年“无废城市”建设工作要点", "一、工作目标"])
    assert doc.title == "某县2023年“无废城市”建设工作要点"
    assert (doc.period_start, doc.period_end) == (2023, 2023)


def test_a_news_report_names_the_document_and_its_issuer():
    doc = document_metadata(
        ["日前，九江市人民政府办公室印发《九江市2024年重点任务分工方案》。方案明确：", "一、稳增长", "（一）扩大投资"]
    )
    assert doc.title == "九江市2024年重点任务分工方案"
    assert doc.issuer == "九江市人民政府办公室"
    assert doc.jurisdiction == "九江市"


def test_the_number_under_a_pages_label_among_other_fields():
    assert document_metadata(
        ["发布机构 区人民政府办公室 文 号 浔政办〔2023〕7 号", "某区2023年重点工作方案"]
    ).doc_number == ("浔政办〔2023〕7号")
    assert (
        document_metadata(["  • 文号:萍府办字〔2022〕15号", "萍乡市重点工作方案"]).doc_number == "萍府办字〔2022〕15号"
    )


def test_a_document_without_a_recognisable_title_is_read_with_a_doubt_on_the_title():
    # The first line said stands for the title, for a person to confirm; not the notice's addressee line (round
    # wild21: 各区县(自治县)人民政府，市政府各部门： had titled a page).
    doc = document_metadata(["各乡镇人民政府，县直各部门：", "为推进重点工作，现提出以下意见："])
    assert doc.title == "为推进重点工作，现提出以下意见："
    assert [d.field for d in doc.doubts if d.field == "title"] == ["title"]


def test_a_file_holding_only_a_task_table_takes_its_file_name_as_a_doubtful_title():
    table = Table(
        header=["序号", "工作任务", "负责部门", "时间进度"],
        rows=[Row(cells=["1", "建设垃圾中转站", "县住建局、县财政局", "2024年底前"], line=1, where="第1页表1第2行")],
        caption=[],
        start_line=1,
        layout=GRID,
        where="第1页表1",
    )
    plan = interpret(Document(path="/tmp/工作任务分解表.pdf", format="pdf", lines=[""], tables=[table], pages=[1]))
    assert plan.title == "工作任务分解表"
    assert any(d.field == "title" and "文件名" in d.message for d in plan.doubts)
    [task] = plan.tasks
    assert (task.title, task.leads, task.supporting) == ("建设垃圾中转站", ("县住建局",), ("县财政局",))


def test_a_news_reports_opening_sentence_ending_in_the_notice_names_the_plan():
    doc = document_metadata(
        ["近日,某省人民政府关于印发某省秸秆禁烧工作方案(2024—2025年)的通知。通知指出:严禁露天焚烧。(省农业农村厅牵头)"]
    )
    assert doc.title == "某省秸秆禁烧工作方案(2024—2025年)"
    assert (doc.period_start, doc.period_end) == (2024, 2025)


def test_an_untitled_documents_doubtful_title_is_its_opening_sentence_cut_short():
    doc = document_metadata(
        ["各县区各部门要切实加强组织领导，明确责任分工，按照时间节点推进各项工作任务落实到位并按季度报送进展情况。"]
    )
    assert (
        doc.title
        == "各县区各部门要切实加强组织领导，明确责任分工，按照时间节点推进各项工作任务落实到位并按季度报送进展情况"[:60]
    )
    assert [d.field for d in doc.doubts if d.field == "title"] == ["title"]

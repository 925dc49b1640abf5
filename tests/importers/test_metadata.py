"""Document metadata and 无废细胞 totals: the seeds, and front matter of our own making."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from wufei.importers.records import PlanKind
from wufei.importers.text.metadata import DocumentMeta, cell_totals, document_metadata

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"
HENGSHUI = "衡政办字〔2022〕57号.txt"
BAODING = "保政办函〔2022〕50号.txt"
HEBEI = "河北省十四五时期无废城市建设工作方案.txt"
EVALUATION = "衡水市生态环境保护十四五规划中期评估.txt"
CELLS_REPLY = "衡环办函〔2025〕28号.txt"


def seed_lines(name: str) -> list[str]:
    return (SEEDS / name).read_text(encoding="utf-8").split("\n")


def meta(name: str) -> DocumentMeta:
    return document_metadata(seed_lines(name))


# --- the seeds -----------------------------------------------------------------------------


def test_hengshui_plan_is_read_from_its_publishing_notice():
    assert meta(HENGSHUI) == DocumentMeta(
        title="衡水市“十四五”时期“无废城市”建设实施方案",
        doc_number="衡政办字〔2022〕57号",
        issuer="衡水市人民政府办公室",
        issued_on=date(2022, 10, 7),
        jurisdiction="衡水市",
        kind=PlanKind.PLAN,
        period_start=2021,
        period_end=2025,
    )


def test_baoding_plan_keeps_its_own_number_not_the_ones_it_cites():
    baoding = meta(BAODING)
    assert baoding.doc_number == "保政办函〔2022〕50号"
    assert baoding.title == "保定市“十四五”时期“无废城市”建设工作方案"
    assert baoding.issuer == "保定市人民政府办公室"
    assert baoding.issued_on == date(2022, 12, 22)
    assert (baoding.jurisdiction, baoding.kind) == ("保定市", PlanKind.PLAN)


def test_provincial_plan_without_front_matter_has_no_number_issuer_or_date():
    hebei = meta(HEBEI)
    assert hebei.title == "河北省“十四五”时期“无废城市”建设工作方案"
    assert (hebei.doc_number, hebei.issuer, hebei.issued_on) == (None, None, None)
    assert (hebei.jurisdiction, hebei.kind) == ("河北省", PlanKind.PLAN)
    assert (hebei.period_start, hebei.period_end) == (2021, 2025)


def test_untitled_evaluation_is_named_after_the_plan_it_evaluates():
    evaluation = meta(EVALUATION)
    assert evaluation.title == "衡水市生态环境保护“十四五”规划中期评估"
    assert evaluation.kind is PlanKind.EVALUATION
    assert evaluation.jurisdiction == "衡水市"
    assert evaluation.doc_number is None
    assert (evaluation.period_start, evaluation.period_end) == (2021, 2025)


def test_reply_on_zero_waste_cells_is_a_progress_document_of_the_bureau():
    reply = meta(CELLS_REPLY)
    assert reply.title == "关于政协衡水市七届委员会第五次会议第348号提案的答复"
    assert reply.doc_number == "衡环办函〔2025〕28号"
    assert reply.issuer == "衡水市生态环境局"
    assert (reply.jurisdiction, reply.kind) == ("衡水市", PlanKind.PROGRESS)
    assert reply.issued_on is None
    assert (reply.period_start, reply.period_end) == (2021, 2025)


def test_reply_states_480_cells_planned_and_733_built():
    assert cell_totals(seed_lines(CELLS_REPLY)) == (480, 733)


@pytest.mark.parametrize("name", [HENGSHUI, BAODING, HEBEI, EVALUATION])
def test_documents_that_do_not_count_cells_give_no_totals(name):
    assert cell_totals(seed_lines(name)) == (None, None)


# --- front matter of our own making --------------------------------------------------------


def test_ascii_brackets_in_a_document_number_are_folded_and_a_chinese_date_is_read():
    lines = [
        "石家庄市人民政府办公室",
        "石政办发[2023]12号",
        "石家庄市人民政府办公室关于印发《石家庄市“十五五”时期“无废城市”建设实施方案》的通知",
        "各县（市、区）人民政府：",
        "现印发给你们，请认真贯彻执行。",
        "二〇二三年五月八日",
    ]
    doc = document_metadata(lines)
    assert doc.doc_number == "石政办发〔2023〕12号"
    assert doc.title == "石家庄市“十五五”时期“无废城市”建设实施方案"
    assert doc.issuer == "石家庄市人民政府办公室"
    assert doc.issued_on == date(2023, 5, 8)
    assert doc.jurisdiction == "石家庄市"
    assert (doc.period_start, doc.period_end) == (2026, 2030)


def test_a_notice_cited_in_a_sentence_does_not_give_the_title():
    lines = [
        "邯郸市“十四五”时期“无废城市”",
        "建设工作方案",
        "为落实《河北省人民政府办公厅关于印发〈河北省“十四五”时期“无废城市”建设工作方案〉的通知》要求，制定本方案。",
        "一、总体要求",
    ]
    doc = document_metadata(lines)
    assert doc.title == "邯郸市“十四五”时期“无废城市”建设工作方案"
    assert doc.jurisdiction == "邯郸市"
    assert doc.doc_number is None
    assert doc.kind is PlanKind.PLAN


def test_dates_inside_sentences_are_not_the_issue_date():
    lines = ["某市“无废城市”建设实施方案", "2022年10月7日召开会议，研究部署工作。"]
    assert document_metadata(lines).issued_on is None


def test_an_evaluation_titled_as_such_is_an_evaluation():
    lines = ["沧州市“无废城市”建设自评估报告", "一、建设目标完成情况"]
    doc = document_metadata(lines)
    assert (doc.title, doc.kind, doc.jurisdiction) == ("沧州市“无废城市”建设自评估报告", PlanKind.EVALUATION, "沧州市")


def test_cell_totals_read_other_phrasings_and_missing_parts():
    assert cell_totals(["全市计划创建 120 个“无废细胞”，", "目前累计创建 95 个“无废细胞”。"]) == (120, 95)
    assert cell_totals(["累计建成“无废细胞”60个。"]) == (None, 60)

"""Paragraph tasks of a 目标任务书 (each unit's tasks under a heading naming the unit alone), the units a
task works with (会同…), and deadlines stated inside a task's text (made-up text in the style of
published documents)."""

from __future__ import annotations

import datetime

from wufei.importers.document import Document
from wufei.importers.text.document import interpret
from wufei.importers.text.paragraphs import split_trailing_deadline
from wufei.tasks.deadlines import deadlines_in_text, parse_deadline

TASK_BOOK = [
    "某市人民政府办公室",
    "2024年全市生态环境保护目标任务书",
    "为持续改善全市生态环境质量，现将2024年各部门目标任务明确如下。",
    "一、市工业和信息化局",
    "1. 推进重点行业清洁生产审核，完成审核企业20家。",
    "2. 会同市生态环境局、市财政局，制定工业固体废物综合利用奖补办法。",
    "3. 会同市发展和改革委员会上半年组织完成园区循环化改造评估。",
    "二、市住房和城乡建设局",
    "4. 会同市有关部门根据省住建厅部署，开展建筑垃圾治理专项行动。",
]


def plan_of(lines: list[str]):
    return interpret(Document(path="任务书.docx", format="docx", lines=lines))


def test_a_heading_naming_one_unit_leads_every_task_under_it_and_hui_tong_names_who_supports():
    tasks = plan_of(TASK_BOOK).tasks
    assert [(t.leads, t.supporting) for t in tasks] == [
        (("市工业和信息化局",), ()),
        (("市工业和信息化局",), ("市生态环境局", "市财政局")),
        (("市工业和信息化局",), ("市发展和改革委员会",)),
        (("市住房和城乡建设局",), ("市有关部门",)),
    ]


def test_a_half_year_inside_the_text_is_the_deadline():
    tasks = plan_of(TASK_BOOK).tasks
    assert tasks[2].deadline_raw == "上半年"
    assert parse_deadline("上半年", plan_start=2024, plan_end=2024).due_date == datetime.date(2024, 6, 30)
    assert tasks[0].deadline_raw is None  # 完成审核企业20家: no date in it


def test_a_dated_clause_inside_a_measure_is_its_deadline_even_before_the_plan_but_a_bare_year_is_not():
    def found(text: str) -> str | None:
        return deadlines_in_text(text, plan_start=2026, plan_end=2026)  # a list published after its dates

    assert found("强化源头管控。2024年9月底前，出台尾矿库分级分类管理办法。") == "2024年9月底前"
    assert found("拓宽综合利用渠道，确保到2025年12月底，综合利用率达到60%。") == "2025年12月底"
    assert found("2025年综合利用率比2020年提高10个百分点。") is None
    assert found("2030年前实现碳达峰。") is None  # after the plan: another plan's business
    assert found("会同市财政局下半年出台奖补办法。") == "下半年"
    assert found("今年上半年已完成排查。") is None


def test_a_parenthesis_closing_a_measure_with_its_deadline_only_is_cut_off():
    assert split_trailing_deadline("成立专项工作领导小组，压实各级责任（立行立改）") == (
        "成立专项工作领导小组，压实各级责任",
        "立行立改",
    )
    assert split_trailing_deadline("完成排查（市生态环境局牵头）") == ("完成排查（市生态环境局牵头）", None)

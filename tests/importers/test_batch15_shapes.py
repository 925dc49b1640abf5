"""Shapes of the corpus's batch 15 (tests/corpus/, its tuning documents) and of the brief's two known misreadings, each
by its mechanism: sections each over the same numbered labelled lines (一、关于《X》进展情况 / （一）责任领导：… /
（二）年度目标：…计划于…完工) are one record a section, titled by the project the heading reports on, a person leading
nothing and the planned completion its deadline even after the report's year; a list numbered (1) (2) (3) run on after
a colon, with no 1. items above it, is a list of records; a sentence naming as many projects as it announces
(十大民生实事项目为：A、B、…) lists records; a bracket opening with 督促 after a unit (A（督促B落实）) is what the unit
does, no part of its name; a year opening a numbered sub-item ((1)2020年，开展…) dates the task it belongs to."""

from __future__ import annotations

from pathlib import Path

from tests.importers.reading import first_plan as _plan
from tests.importers.reading import owners as _owners
from wufei.departments.owners import parse_owner_columns, parse_owners
from wufei.tasks.deadlines import parse_deadline


def test_a_bracket_opening_with_urging_after_a_unit_is_what_the_unit_does(tmp_path: Path):
    # The brief's known misreading: on main 市生态环境局（督促各县（市、区）落实） was one lead named with its gloss.
    spec = parse_owners("市生态环境局（督促各县（市、区）落实）")
    assert (list(spec.leads), list(spec.supporting)) == (["市生态环境局"], ["各县（市、区）"])
    spec = parse_owners("牵头单位：市生态环境局（督促各县（市、区）落实）；配合单位：市住建局")
    assert (list(spec.leads), list(spec.supporting)) == (["市生态环境局"], ["各县（市、区）", "市住建局"])
    spec = parse_owner_columns("市生态环境局（督促各县（市、区）落实）", "市住建局")
    assert (list(spec.leads), list(spec.supporting)) == (["市生态环境局"], ["各县（市、区）", "市住建局"])
    plan = _plan(
        tmp_path,
        "某市2025年固体废物污染防治工作方案\n"
        "一、主要任务\n"
        "1.推进尾矿库污染治理，2025年底前完成整治。（牵头单位：市生态环境局（督促各县（市、区）落实））\n",
    )
    assert [(task.title, *_owners(task)) for task in plan.tasks] == [
        ("推进尾矿库污染治理，2025年底前完成整治", ["市生态环境局"], ["各县（市、区）"]),
    ]


def test_a_gloss_naming_a_unit_s_other_name_stays_part_of_it():
    # Guard: 市委宣传部（市文明办） is one unit, its bracket no clause.
    spec = parse_owners("市委宣传部（市文明办）、市教育局")
    assert (list(spec.leads), list(spec.supporting)) == (["市委宣传部（市文明办）"], ["市教育局"])


def test_a_year_opening_a_numbered_sub_item_dates_its_task(tmp_path: Path):
    # sn_xian_baqiao_chengguan_2020 (tests/wild): on main the heading 1.有效削减排放总量 was the task and its (1)
    # item's 2020年 was lost.
    plan = _plan(
        tmp_path,
        "某区城市管理局重点工作实施方案\n"
        "二、重点任务\n"
        "（一）强化大气污染治理\n"
        "1.有效削减排放总量\n"
        "（1）2020年，开展供热发展规划的研究和编制工作。\n"
        "牵头处室：燃气热力管理处\n"
        "2.2021年，精准抑制扬尘污染\n"
        "（1）强化扬尘污染防治工作。\n"
        "牵头处室：建筑垃圾管理处\n",
    )
    assert [(task.title, task.deadline_raw) for task in plan.tasks] == [
        ("有效削减排放总量", "2020年"),
        ("精准抑制扬尘污染", "2021年"),
    ]
    assert parse_deadline(plan.tasks[0].deadline_raw).due_date.isoformat() == "2020-12-31"


def test_a_year_inside_a_numbered_sub_item_s_sentence_is_no_deadline(tmp_path: Path):
    # Guard: a year in the middle of the item's sentence (较2019年下降) sets no date.
    plan = _plan(
        tmp_path,
        "某区城市管理局重点工作实施方案\n"
        "二、重点任务\n"
        "1.有效削减排放总量\n"
        "（1）降尘量较2019年下降10%，开展供热规划编制。\n"
        "牵头处室：燃气热力管理处\n",
    )
    assert [(task.title, task.deadline_raw) for task in plan.tasks] == [("有效削减排放总量", None)]

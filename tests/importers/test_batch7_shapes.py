"""Shapes of the corpus's batch 7 (tests/corpus/, its tuning documents), each by its mechanism: a doubled dash
printed for a bullet (--做好…) marks an item of its own, never part of its title, and an item that short is an
item, not a heading; a bare kind of zone after a collective's levels (各镇、街道、工业园区) is one more kind the
collective covers; a line holding a colon and units' names only under a paragraph (：市市容局) is an owner line
whose label was lost; a span of years opening a sentence (从2010-2014年，…) is due at its end. And one older miss
(batch 3): numbered items run on in one line are cut after an ASCII closing bracket too."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.importers.resolved import resolved_tasks
from wufei.departments.owners import split_names
from wufei.importers.records import ImportError_
from wufei.importers.service import read_source
from wufei.tasks.deadlines import deadlines_in_text, parse_deadline


def test_a_doubled_dash_marks_an_item_and_a_short_marked_item_is_no_heading(tmp_path: Path):
    # sh_qingpu_huanbao: the dash had stayed in every title, and an item without a full stop after a section
    # heading was read as a heading (its owners lost) or run into the 配合单位 line before it.
    path = tmp_path / "环保.txt"
    path.write_text(
        "(二)加强固体废物管理\n"
        "--建立健全工业危险废物全过程环境监督管理体系。对不规范的产生单位限期整改。\n"
        "责任单位:区环保局\n"
        "配合单位:各相关镇\n"
        "(三)进一步加强生态环境建设\n"
        "--全区开展生态镇创建工作,街道辖区内农村化地区也要达到生态镇的水平。\n"
        "责任单位:区环保局\n"
        "配合单位:各相关镇\n"
        "--进一步开展创建绿色社区和绿色学校工作\n"
        "责任单位:区环保局、区教育局\n",
        encoding="utf-8",
    )
    assert resolved_tasks(path) == [
        ("建立健全工业危险废物全过程环境监督管理体系", ("区环保局",), ("各相关镇",)),
        ("全区开展生态镇创建工作,街道辖区内农村化地区也要达到生态镇的水平", ("区环保局",), ("各相关镇",)),
        ("进一步开展创建绿色社区和绿色学校工作", ("区环保局",), ("区教育局",)),
    ]


def test_a_page_footer_of_spaced_dashes_marks_no_item(tmp_path: Path):
    # bj_shijingshan_jiedao_2019: — — — 3 — between two items is the PDF's page footer (a guard: it never was an item)
    path = tmp_path / "分解.txt"
    path.write_text(
        "1.完善街道党工委的领导体制机制,优化决策程序。\n"
        "牵头单位:区委组织部\n"
        "— — — 3 —\n"
        "2.构建四级上下贯通的基层党建工作体系。\n"
        "牵头单位:区委组织部\n",
        encoding="utf-8",
    )
    titles = [title for title, _, _ in resolved_tasks(path)]
    assert titles == ["完善街道党工委的领导体制机制,优化决策程序", "构建四级上下贯通的基层党建工作体系"]


def test_a_bare_zone_after_a_collective_s_levels_is_part_of_the_collective():
    assert split_names("各镇、街道、工业园区") == ("各镇、街道、工业园区",)
    assert split_names("区环保局、各镇、街道、开发区") == ("区环保局", "各镇、街道、开发区")
    # a zone with its place's name is a unit of its own, and a bare zone after a named unit is not joined to it
    assert split_names("各镇、街道、青浦工业园区") == ("各镇、街道", "青浦工业园区")
    assert split_names("市发改委、开发区") == ("市发改委", "开发区")


def test_an_owner_line_whose_label_was_lost_names_the_lead(tmp_path: Path):
    # ah_huaibei_minsheng_2010: the paragraph and its `：市市容局` line were refused, no task found
    path = tmp_path / "民生工程.txt"
    path.write_text(
        "每年配套建设4-5个乡镇的生活垃圾收集、转运设施,实现农村环境卫生明显改善。\n:市市容局\n",
        encoding="utf-8",
    )
    assert resolved_tasks(path) == [
        ("每年配套建设4-5个乡镇的生活垃圾收集、转运设施,实现农村环境卫生明显改善", ("市市容局",), ())
    ]


def test_a_colon_line_that_names_no_unit_is_no_owner_line(tmp_path: Path):
    # a guard: the sentence after the colon names nobody, so the paragraph above stays no task
    path = tmp_path / "民生工程.txt"
    path.write_text(
        "每年配套建设4-5个乡镇的生活垃圾收集、转运设施。\n:具体建设内容见附件,各乡镇按月报送进度\n", encoding="utf-8"
    )
    with pytest.raises(ImportError_):
        read_source(path)


def test_a_span_of_years_opening_a_sentence_is_due_at_its_end():
    text = "从2010-2014年,每年配套建设4-5个乡镇的生活垃圾收集、转运设施。"
    assert deadlines_in_text(text) == "2010-2014年"
    assert parse_deadline(deadlines_in_text(text)).due_date == date(2014, 12, 31)
    # a span ending after the plan belongs to another plan, as a single year does
    assert deadlines_in_text("2024—2030年,逐步推进。", plan_end=2025) is None
    # a span inside a sentence states no deadline by itself
    assert deadlines_in_text("总结2010-2014年,每年建设的经验。") is None


def test_items_run_on_after_an_ascii_closing_bracket_are_cut_apart(tmp_path: Path):
    # hlj_zhengfu_fengong_2013 (batch 3): the second item kept its number (二) in its title: a run-on item was cut
    # only after a full-width bracket, and this copy prints ASCII ones.
    path = tmp_path / "分工.txt"
    path.write_text(
        "某省人民政府关于落实《政府工作报告》重点工作责任分工的意见\n"
        "一、全省经济社会发展主要目标\n"
        "(一)地区生产总值增长11%左右。(省发改委负责)(二)公共财政收入增长13%左右。(省财政厅主办,省国税局协办)\n",
        encoding="utf-8",
    )
    assert resolved_tasks(path) == [
        ("地区生产总值增长11%左右", ("省发改委",), ()),
        ("公共财政收入增长13%左右", ("省财政厅",), ("省国税局",)),
    ]

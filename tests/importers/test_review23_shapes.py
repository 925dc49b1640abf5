"""Review23f's shapes against round 23's importer rules, each by its mechanism: a document's own order statement
wins over a 配合单位 label beside 责任单位; a labelled value wrapped onto the next line continues it and the sections
after it are read; the announced list and the sections' heading check read a long text in linear time; a date by
which the past was done (截至2021年底完成…) or a statistic of that date (2020年末建成区…, 完成率) is no deadline; a
meeting's report (会议提出三点要求：（1）…, 会议指出，…十大民生实事项目为：…) is no plan."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.importers.reading import first_plan as _plan
from tests.importers.reading import owners as _owners
from wufei.departments.owners import parse_owner_columns, parse_owners
from wufei.importers.records import ImportError_
from wufei.importers.text.paragraphs import split_run_on_items
from wufei.importers.text.section_blocks import section_blocks
from wufei.tasks.deadlines import deadlines_in_text

# --- 1. the document's order statement beside 配合单位 -------------------------------------------------------


def test_a_responsible_list_beside_a_supporting_label_all_lead():
    # Round 23's rule, kept: 配合单位 has its own label, so every unit under 责任单位 answers for the task.
    spec = parse_owners("责任单位：市城管局、市住建局；配合单位：市财政局")
    assert (spec.leads, spec.supporting) == (("市城管局", "市住建局"), ("市财政局",))


def test_the_document_s_order_statement_before_wins_over_the_supporting_label(tmp_path: Path):
    plan = _plan(
        tmp_path,
        "某市生活垃圾分类工作方案\n"
        "（责任单位排在第一位的为牵头单位）\n"
        "一、主要任务\n"
        "1.推进垃圾分类收运体系建设。责任单位：市城管局、市住建局；配合单位：市财政局\n"
        "2.建设厨余垃圾处理设施。责任单位：市住建局、市发改委；配合单位：市自然资源局\n",
    )
    assert [_owners(task) for task in plan.tasks] == [
        (["市城管局"], ["市住建局", "市财政局"]),
        (["市住建局"], ["市发改委", "市自然资源局"]),
    ]


def test_an_order_statement_after_the_names_wins_over_the_supporting_label():
    spec = parse_owners("责任单位：市城管局、市住建局（列第一位的为牵头单位）；配合单位：市财政局")
    assert (spec.leads, spec.supporting) == (("市城管局",), ("市住建局", "市财政局"))


# --- 2. a labelled value wrapped onto the next line ----------------------------------------------------------


def test_a_wrapped_value_continues_and_the_sections_after_it_are_read():
    table = section_blocks(
        [
            "一、关于《城区道路改造项目》进展情况",
            "（一）责任领导：张三",
            "（二）年度目标：改造道路10公里，计划于2024年12月完工。",
            "（三）完成情况：已完成6公里，",
            "剩余4公里正在施工。",
            "二、关于《供水管网改造项目》进展情况",
            "（一）责任领导：李四",
            "（二）年度目标：改造管网20公里，计划于2024年10月完工。",
            "（三）完成情况：已完成。",
            "三、关于《污水处理厂提标项目》进展情况",
            "（一）责任领导：王五",
            "（二）年度目标：完成提标改造，计划于2025年6月完工。",
            "（三）完成情况：正在施工。",
        ]
    )
    assert table is not None
    assert [row.cells[0] for row in table.rows] == ["城区道路改造项目", "供水管网改造项目", "污水处理厂提标项目"]
    assert table.rows[0].cells[3] == "已完成6公里，剩余4公里正在施工。"


# --- 3. linear reading of long texts --------------------------------------------------------------------------


def _runs_within(code: str) -> None:
    """Runs `code` in a fresh interpreter; a quadratic reading of the inputs below takes minutes, a linear one
    a fraction of a second: the generous timeout only catches the former."""
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_an_announcing_sentence_without_its_full_stop_is_read_in_linear_time():
    # 240 KB took 60 s on main: every announcing phrase scanned the rest of the line for a 。 that never came.
    _runs_within(
        "from wufei.importers.text.announced_list import announced_items\n"
        "line = '十大民生实事项目为：道路、' * 40000\n"
        "assert announced_items([line]) == []\n"
    )


def test_many_headings_are_read_in_linear_time():
    # 60k lines took 10.9 s on main: each heading copied the lines after it to find the next one.
    _runs_within(
        "from wufei.importers.text.section_blocks import section_blocks\n"
        "assert section_blocks(['一、关于某项目'] * 400000) is None\n"
    )


# --- 4. dates of the past and statistics are no deadlines ---------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "截至2021年底完成改造老旧小区12个。",
        "2020年末建成区绿化覆盖率达到40%。",
        "2019年底完成率达到80%。",
    ],
)
def test_a_date_of_the_past_or_of_a_statistic_is_no_deadline(text: str):
    assert deadlines_in_text(text, plan_start=2021, plan_end=2025) is None


def test_a_date_by_which_the_work_is_done_stays_a_deadline():
    assert deadlines_in_text("2022年底完成老旧小区改造。", plan_start=2021, plan_end=2025) == "2022年底"


# --- 5. a meeting's report is no plan ------------------------------------------------------------------------


_FURNITURE = "发布时间：2026-01-20 10:00  来源：县融媒体中心  浏览次数：312\n"


def test_a_meeting_s_requirements_numbered_after_a_colon_are_no_plan(tmp_path: Path):
    with pytest.raises(ImportError_):
        _plan(
            tmp_path,
            "县政府召开常务会议\n"
            + _FURNITURE
            + "1月19日，县政府召开常务会议，传达学习上级会议精神。会议提出三点要求：（1）提高政治站位，"
            "切实增强责任感；（2）压实工作责任，抓好各项工作落实；（3）强化督促检查，确保取得实效。\n",
        )


def test_a_meeting_s_list_of_projects_is_no_plan(tmp_path: Path):
    with pytest.raises(ImportError_):
        _plan(
            tmp_path,
            "县政府召开常务会议研究民生实事\n"
            + _FURNITURE
            + "1月19日，县政府召开常务会议。会议指出，2026年若羌县十大民生实事项目为：A工程、B工程、C工程、D工程、"
            "E工程、F工程、G工程、H工程、I工程、J工程。\n",
        )


def test_an_announced_list_s_doubt_says_no_numbered_items(tmp_path: Path):
    plan = _plan(
        tmp_path,
        "若羌县发布2026年十大民生实事项目\n"
        "2026年若羌县十大民生实事项目为：A工程、B工程、C工程、D工程、E工程、F工程、G工程、H工程、I工程、J工程。\n",
    )
    assert len(plan.tasks) == 10
    assert not any("编号条目" in doubt.message for doubt in plan.doubts)


# --- 6. a name cut after its level -------------------------------------------------------------------------


def test_a_name_cut_after_its_level_stays_a_doubt():
    spec = parse_owners("责任单位：县农业农村局，县")
    assert spec.leads == ("县农业农村局",) and "县" not in spec.supporting
    assert [doubt.text for doubt in spec.doubts] == ["县"]


# --- 7. a 督促 gloss that is part of a name ----------------------------------------------------------------


def test_a_section_named_for_urging_is_part_of_its_office_s_name():
    spec = parse_owners("市政府办公室（督促检查科），市生态环境局牵头")
    assert (spec.leads, spec.supporting) == (("市生态环境局",), ("市政府办公室（督促检查科）",))
    column = parse_owner_columns("市政府办公室（督促检查科）、市生态环境局", None)
    assert (column.leads, column.supporting) == (("市政府办公室（督促检查科）", "市生态环境局"), ())


def test_a_gloss_urging_units_is_what_the_unit_does():
    spec = parse_owners("市生态环境局（督促各县（市、区）落实）")
    assert (spec.leads, spec.supporting) == (("市生态环境局",), ("各县（市、区）",))


# --- 9. and 10. a span of days; another plan's year ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "due"),
    [("于2025年6月30日-7月5日开展集中检查。", "2025年7月5日"), ("于2024年8月6日至17日完成整改。", "2024年8月17日")],
)
def test_a_span_of_days_is_due_on_its_last_day(text: str, due: str):
    assert deadlines_in_text(text, plan_start=2021, plan_end=2025) == due


def test_a_plan_s_aim_after_its_period_is_no_deadline():
    assert deadlines_in_text("计划到2030年实现碳达峰。", plan_start=2021, plan_end=2025) is None
    assert deadlines_in_text("计划于2026年10月完工。", plan_start=2021, plan_end=2025) == "2026年10月"


# --- 8. run-on items under one owner clause ------------------------------------------------------------------


def test_run_on_items_under_one_closing_owner_clause_stay_one_line():
    line = "为做好垃圾分类工作，现提出如下要求。1.加强宣传引导。2.完善收运体系。3.建设处理设施。（责任单位：市城管局）"
    assert split_run_on_items([line])[0] == [line]


def test_run_on_items_each_with_its_owners_are_split():
    line = "现提出如下要求。1.加强宣传引导。（市委宣传部）2.完善收运体系。（市城管局）3.建设处理设施。（市住建局）"
    assert split_run_on_items([line])[0] == [
        "现提出如下要求。",
        "1.加强宣传引导。（市委宣传部）",
        "2.完善收运体系。（市城管局）",
        "3.建设处理设施。（市住建局）",
    ]

"""Reading a ledger's status cell: done only when it says so and nothing else, a hedge never done."""

from __future__ import annotations

from datetime import date

import pytest

from wufei.tasks.ledger_status import (
    Standing,
    StatusReading,
    done_message,
    read_status,
    unclear_message,
    with_ledger,
)


@pytest.mark.parametrize(
    "text",
    ["已完成", "已办结", "已销号", "已整改到位", "完成。", " 已完成 ", "是", "100%", "已完成（100%）", "整改完成"],
)
def test_a_cell_saying_done_and_nothing_else_is_done_without_a_date(text):
    reading = read_status(text)
    assert reading is not None and reading.standing is Standing.DONE and reading.completed_on is None


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("已于2023年5月完成", date(2023, 5, 31)),
        ("2023年5月已完成", date(2023, 5, 31)),
        ("已于2024年2月完成", date(2024, 2, 29)),
        ("2023年11月20日已办结", date(2023, 11, 20)),
        ("已完成（2023.6）", date(2023, 6, 30)),
        ("已于2022年底前完成", date(2022, 12, 31)),
        ("已于2022年完成整改", date(2022, 12, 31)),
    ],
)
def test_a_completion_dated_in_the_text_is_done_on_that_day(text, day):
    reading = read_status(text)
    assert reading is not None and reading.standing is Standing.DONE and reading.completed_on == day


@pytest.mark.parametrize(
    "text",
    ["基本完成", "长期坚持", "持续推进", "阶段性完成", "已完成选址，正在开展环评", "部分完成", "见附件", "待定"],
)
def test_a_hedge_a_partial_claim_or_an_unreadable_cell_is_unclear(text):
    reading = read_status(text)
    assert reading is not None and reading.standing is Standing.UNCLEAR and reading.completed_on is None


@pytest.mark.parametrize("text", ["序时推进", "正常推进", "推进中", "滞后", "未启动", "未完成", "否", "尚未启动"])
def test_an_open_word_keeps_the_task_open(text):
    reading = read_status(text)
    assert reading is not None and reading.standing is Standing.OPEN and reading.progress is None


@pytest.mark.parametrize(
    ("text", "progress"), [("进度80%", 80), ("80%", 80), ("完成比例：45％", 45), ("已完成60%", 60), ("滞后，30%", 30)]
)
def test_a_short_percentage_is_the_progress_of_an_open_task(text, progress):
    reading = read_status(text)
    assert reading is not None and reading.standing is Standing.OPEN and reading.progress == progress


def test_a_narrative_of_work_under_way_is_open_and_an_empty_cell_is_nothing():
    for narrative in (
        "已召开专题会议部署，印发工作方案，组织各县区开展排查，正在编制技术导则",
        "城区河道水系工程已完成可行性研究报告、初步设计审查、施工图审查等相关前期工作",
        "已召开专题推进会，下一步将持续推进垃圾分类工作，确保年底前见到成效",
    ):
        reading = read_status(narrative)
        assert reading is not None and reading.standing is Standing.OPEN and reading.progress is None
    claim = read_status("问题已完成整改，并通过验收，拟按程序实施销号，群众满意度明显提升")
    assert claim is not None and claim.standing is Standing.UNCLEAR  # a narrative: a person says if it is done
    nearly = read_status("主体工程基本完成，正在开展设备安装调试和配套管网建设")
    assert nearly is not None and nearly.standing is Standing.UNCLEAR
    assert read_status("") is None and read_status(None) is None and read_status("  ") is None


def test_the_doubts_quote_the_ledger_and_say_which_day_was_taken():
    undated = read_status("已销号")
    assert undated is not None
    assert done_message("已销号", undated) == "台账标注“已销号”，已按已完成导入（完成日期按导入日记），请核对"
    dated = read_status("已于2023年5月完成")
    assert dated is not None
    assert "完成日期按台账记为2023年5月31日" in done_message("已于2023年5月完成", dated)
    assert unclear_message("基本完成").startswith("台账标注“基本完成”，无法确定是否已完成")


def test_the_ledger_percentage_counts_from_its_import_week_until_a_report_as_new():
    imported = date(2024, 4, 10)  # a Wednesday: counted from Monday 8 April
    assert with_ledger(None, 80, imported, date(2024, 4, 12)) == (80, date(2024, 4, 8))
    assert with_ledger((30, date(2024, 4, 1)), 80, imported, date(2024, 4, 12)) == (80, date(2024, 4, 8))
    assert with_ledger((60, date(2024, 4, 8)), 80, imported, date(2024, 4, 12)) == (60, date(2024, 4, 8))
    assert with_ledger((30, date(2024, 4, 1)), 80, imported, date(2024, 4, 9)) == (30, date(2024, 4, 1))
    assert with_ledger(None, None, None, date(2024, 4, 12)) is None


@pytest.mark.parametrize(
    "cell",
    [
        "2025年完成",
        "2026年前完成",
        "2030年12月完成",
        "2023.5完成",
        "已于2025年6月完成",
        "已完成（2023.13）",
        "已完成 2023年2月30日",
    ],
)
def test_a_target_date_a_future_one_or_one_no_calendar_has_is_no_completion(cell):
    """review22d: a status column often carries the target (2025年完成); a date after the import day cannot
    have happened; 2023.13 is no month (it was read as 3 January) and 2月30日 no day (it was clamped)."""
    assert read_status(cell, today=date(2024, 6, 1)).standing is Standing.UNCLEAR


@pytest.mark.parametrize(
    ("cell", "day"), [("已于2023年底完成", date(2023, 12, 31)), ("2023年5月已完成", date(2023, 5, 31))]
)
def test_a_completion_said_to_have_happened_keeps_its_date(cell, day):
    assert read_status(cell, today=date(2024, 6, 1)) == StatusReading(Standing.DONE, completed_on=day)

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.seed_files import table_cells
from wufei.tasks.deadlines import (
    NOTE_BEFORE_ISSUE,
    NOTE_NO_DEADLINE,
    Deadline,
    DeadlineError,
    DeadlineKind,
    annual_due_dates,
    parse_deadline,
)

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"
HENGSHUI_ISSUED = date(2022, 10, 7)  # 衡政办字〔2022〕57号


def _hengshui_deadlines() -> list[str]:
    """The 完成期限 column of 001's four task lists and its project list."""
    lines = (SEEDS / "衡政办字〔2022〕57号.txt").read_text(encoding="utf-8").splitlines()
    found: list[str] = []
    for start, line in enumerate(lines):
        if line != "\t序号":
            continue
        cells = table_cells(lines[start:])
        if "完成期限" not in cells:
            continue  # the indicator table
        width = cells.index("完成期限") + 1
        found += [cells[i + width - 1] for i in range(width, len(cells), width)]
    return found


# --- every distinct deadline printed in 001 ---------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "kind", "due"),
    [
        ("2025年", DeadlineKind.FIXED, date(2025, 12, 31)),
        ("2022年", DeadlineKind.FIXED, date(2022, 12, 31)),
        ("2023年", DeadlineKind.FIXED, date(2023, 12, 31)),
        ("持续推进", DeadlineKind.ONGOING, None),
        ("完成年度任务", DeadlineKind.ANNUAL, None),
        ("2022年底", DeadlineKind.FIXED, date(2022, 12, 31)),
        ("2023年底", DeadlineKind.FIXED, date(2023, 12, 31)),
        ("2025年底", DeadlineKind.FIXED, date(2025, 12, 31)),
        ("2021年底", DeadlineKind.FIXED, date(2021, 12, 31)),
    ],
)
def test_each_deadline_printed_in_the_hengshui_plan_parses(raw, kind, due):
    deadline = parse_deadline(raw, plan_start=2021, plan_end=2025, issued_on=HENGSHUI_ISSUED)
    assert deadline.kind is kind
    assert deadline.due_date == due
    assert deadline.raw == raw


def test_the_hengshui_deadline_column_holds_only_the_deadlines_tested_above():
    printed = _hengshui_deadlines()
    assert len(printed) == 17 + 12 + 12 + 13 + 27  # 制度/技术/市场/监管体系 tasks and projects
    assert set(printed) == {
        "2025年",
        "持续推进",
        "2022年",
        "2023年",
        "完成年度任务",
        "2022年底",
        "2023年底",
        "2025年底",
        "2021年底",
    }
    for raw in printed:
        parse_deadline(raw, plan_start=2021, plan_end=2025, issued_on=HENGSHUI_ISSUED)


def test_a_project_finished_before_the_plan_was_issued_is_valid_and_flagged():
    deadline = parse_deadline("2021年底", plan_start=2021, plan_end=2025, issued_on=HENGSHUI_ISSUED)
    assert deadline == Deadline(DeadlineKind.FIXED, date(2021, 12, 31), "2021年底", NOTE_BEFORE_ISSUE)


def test_a_deadline_in_the_year_of_issue_but_after_it_is_not_flagged():
    deadline = parse_deadline("2022年底", issued_on=HENGSHUI_ISSUED)
    assert deadline.note is None


def test_without_an_issue_date_a_year_before_the_plan_start_is_flagged():
    assert parse_deadline("2021年底", plan_start=2022).note == NOTE_BEFORE_ISSUE
    assert parse_deadline("2022年底", plan_start=2022).note is None


# --- variants seen in other plans ---------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "due"),
    [
        ("2023年底前", date(2023, 12, 31)),
        ("2025年底前", date(2025, 12, 31)),
        ("2025年年底前", date(2025, 12, 31)),
        ("2025年末", date(2025, 12, 31)),
        ("2024年4月底前", date(2024, 4, 30)),
        ("2024年2月底前", date(2024, 2, 29)),
        ("2024年6月", date(2024, 6, 30)),
        ("2024年6月底", date(2024, 6, 30)),
        ("2023年6月30日", date(2023, 6, 30)),
        ("2023年6月30日前", date(2023, 6, 30)),
        ("2023-06-30", date(2023, 6, 30)),
        ("2023.6.30", date(2023, 6, 30)),
        ("2023/6/30", date(2023, 6, 30)),
        ("2024年上半年", date(2024, 6, 30)),
        ("2024年下半年", date(2024, 12, 31)),
        ("2024年第三季度", date(2024, 9, 30)),
        ("2024年三季度", date(2024, 9, 30)),
        ("2024年第1季度", date(2024, 3, 31)),
        ("2023—2025年", date(2025, 12, 31)),
        ("2023-2025年", date(2025, 12, 31)),
        ("2023年—2025年", date(2025, 12, 31)),
        ("２０２５年底", date(2025, 12, 31)),
        (" 2025 年 底 前 ", date(2025, 12, 31)),
        ("2025年\n底", date(2025, 12, 31)),
    ],
)
def test_dated_variants_give_the_last_day_they_allow(raw, due):
    deadline = parse_deadline(raw)
    assert deadline.kind is DeadlineKind.FIXED
    assert deadline.due_date == due
    assert deadline.note is None


@pytest.mark.parametrize("raw", ["持续推进", "逐步推进", "长期", "长期坚持", "持续推进中", "常态化"])
def test_ongoing_deadlines_have_no_date(raw):
    deadline = parse_deadline(raw, plan_start=2021, plan_end=2025)
    assert deadline.kind is DeadlineKind.ONGOING
    assert deadline.due_date is None


@pytest.mark.parametrize("raw", ["完成年度任务", "每年", "年度", "完成\n年度任务"])
def test_annual_deadlines_have_no_single_date_and_say_when_they_fall_due(raw):
    deadline = parse_deadline(raw, plan_start=2021, plan_end=2025)
    assert deadline.kind is DeadlineKind.ANNUAL
    assert deadline.due_date is None
    assert "12月31日" in deadline.note


def test_annual_due_dates_are_each_31_december_of_the_plan_period():
    assert annual_due_dates(2022, 2025) == (
        date(2022, 12, 31),
        date(2023, 12, 31),
        date(2024, 12, 31),
        date(2025, 12, 31),
    )


def test_annual_due_dates_refuse_a_reversed_period():
    with pytest.raises(ValueError):
        annual_due_dates(2025, 2021)


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_a_missing_deadline_falls_back_to_the_end_of_the_plan(raw):
    deadline = parse_deadline(raw, plan_start=2021, plan_end=2025)
    assert deadline == Deadline(DeadlineKind.FIXED, date(2025, 12, 31), raw, NOTE_NO_DEADLINE)


def test_a_missing_deadline_without_a_plan_period_is_an_error():
    with pytest.raises(DeadlineError):
        parse_deadline(None)


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "尽快",
        "2025年13月",
        "明年",
        "2023年2月30日",
        "2023-13-01",
        "2025—2023年",
        "年底",
        "25年",
    ],
)
def test_unparseable_deadlines_raise_with_the_raw_text_in_the_message(raw):
    with pytest.raises(DeadlineError) as error:
        parse_deadline(raw, plan_start=2021, plan_end=2025)
    assert raw in str(error.value)


def test_deadline_error_is_a_value_error():
    assert issubclass(DeadlineError, ValueError)

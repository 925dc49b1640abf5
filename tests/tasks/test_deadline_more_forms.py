"""More deadline forms as publishers print them: a span of months, every year's end without a year, the whole
year, dates set by someone else, never-ending and immediate work."""

from __future__ import annotations

from datetime import date

import pytest

from wufei.tasks.deadlines import NOTE_RELATIVE, DeadlineKind, parse_deadline


@pytest.mark.parametrize(
    ("raw", "due"),
    [
        ("2023年3-6月", date(2023, 6, 30)),
        ("3月至6月", date(2023, 6, 30)),
        ("2023年6月-2024年6月", date(2024, 6, 30)),
        ("全年", date(2023, 12, 31)),
        ("2023年全年", date(2023, 12, 31)),
    ],
)
def test_a_span_of_months_ends_with_its_last_month_and_the_whole_year_at_its_end(raw, due):
    assert parse_deadline(raw, plan_start=2023, plan_end=2023).due_date == due


@pytest.mark.parametrize("raw", ["每年底前", "每年12月底前"])
def test_every_year_s_end_without_a_year_is_annual_in_a_plan_of_several_years(raw):
    deadline = parse_deadline(raw, plan_start=2023, plan_end=2025)
    assert (deadline.kind, deadline.due_date) == (DeadlineKind.ANNUAL, None)


@pytest.mark.parametrize("raw", ["按省统一部署", "根据国家要求", "按上级要求", "按照市里统一安排"])
def test_a_date_set_by_someone_else_is_relative_and_flagged(raw):
    deadline = parse_deadline(raw, plan_start=2023, plan_end=2025)
    assert (deadline.due_date, deadline.note) == (None, NOTE_RELATIVE)
    assert raw in (deadline.doubt or "")


@pytest.mark.parametrize("raw", ["常年", "立行立改"])
def test_never_ending_and_immediate_work_is_ongoing(raw):
    assert parse_deadline(raw, plan_start=2023, plan_end=2025).kind is DeadlineKind.ONGOING

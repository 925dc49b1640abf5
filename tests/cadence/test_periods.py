from __future__ import annotations

from datetime import date

import pytest

from wufei.cadence import periods
from wufei.cadence.periods import Period, PeriodError, PeriodKind

# --- constructors: label, Chinese name, inclusive bounds ------------------------------------


@pytest.mark.parametrize(
    ("period", "kind", "label", "chinese", "start", "end"),
    [
        (periods.month(2024, 5), PeriodKind.MONTHLY, "2024-05", "2024年5月", date(2024, 5, 1), date(2024, 5, 31)),
        (periods.month(2024, 2), PeriodKind.MONTHLY, "2024-02", "2024年2月", date(2024, 2, 1), date(2024, 2, 29)),
        (periods.month(2023, 2), PeriodKind.MONTHLY, "2023-02", "2023年2月", date(2023, 2, 1), date(2023, 2, 28)),
        (
            periods.quarter(2024, 2),
            PeriodKind.QUARTERLY,
            "2024-Q2",
            "2024年第2季度",
            date(2024, 4, 1),
            date(2024, 6, 30),
        ),
        (
            periods.quarter(2024, 4),
            PeriodKind.QUARTERLY,
            "2024-Q4",
            "2024年第4季度",
            date(2024, 10, 1),
            date(2024, 12, 31),
        ),
        (
            periods.half_year(2024, 1),
            PeriodKind.HALF_YEAR,
            "2024-H1",
            "2024年上半年",
            date(2024, 1, 1),
            date(2024, 6, 30),
        ),
        (
            periods.half_year(2024, 2),
            PeriodKind.HALF_YEAR,
            "2024-H2",
            "2024年下半年",
            date(2024, 7, 1),
            date(2024, 12, 31),
        ),
        (periods.year(2024), PeriodKind.ANNUAL, "2024", "2024年", date(2024, 1, 1), date(2024, 12, 31)),
        (periods.week(2024, 23), PeriodKind.WEEKLY, "2024-W23", "2024年第23周", date(2024, 6, 3), date(2024, 6, 9)),
        (periods.week(2020, 53), PeriodKind.WEEKLY, "2020-W53", "2020年第53周", date(2020, 12, 28), date(2021, 1, 3)),
    ],
)
def test_each_kind_of_period_has_its_label_chinese_name_and_inclusive_bounds(period, kind, label, chinese, start, end):
    assert (period.kind, period.label, period.chinese, period.start, period.end) == (kind, label, chinese, start, end)


def test_a_period_holds_its_first_and_last_day_and_not_the_day_after():
    may = periods.month(2024, 5)
    assert date(2024, 5, 1) in may
    assert date(2024, 5, 31) in may
    assert date(2024, 6, 1) not in may
    assert may.days == 31


def test_a_period_as_a_dict_is_plain_json():
    assert periods.quarter(2023, 2).as_dict() == {
        "kind": "quarterly",
        "label": "2023-Q2",
        "chinese": "2023年第2季度",
        "start": "2023-04-01",
        "end": "2023-06-30",
    }


@pytest.mark.parametrize(
    "make",
    [
        lambda: periods.month(2024, 13),
        lambda: periods.quarter(2024, 5),
        lambda: periods.half_year(2024, 3),
        lambda: periods.week(2024, 53),
    ],
)
def test_out_of_range_numbers_are_refused(make):
    with pytest.raises(PeriodError):
        make()


# --- labels ---------------------------------------------------------------------------------


@pytest.mark.parametrize("label", ["2024-05", "2024-Q2", "2024-H1", "2024", "2024-W23", "2020-W53"])
def test_parsing_a_label_gives_back_the_same_period(label):
    assert periods.parse(label).label == label


def test_parsing_accepts_lowercase_letters_and_spaces_around():
    assert periods.parse(" 2024-q2 ") == periods.quarter(2024, 2)
    assert periods.parse("2024-h2") == periods.half_year(2024, 2)
    assert periods.parse("2024-w1") == periods.week(2024, 1)


@pytest.mark.parametrize("label", ["2024-13", "2024-Q5", "2024-H3", "2024-W54", "24-05", "2024年5月", "", "2024-5"])
def test_labels_that_name_no_period_are_refused_in_chinese(label):
    with pytest.raises(PeriodError, match="期间|月份|季度|半年|周"):
        periods.parse(label)


# --- containing, previous, next -------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "day", "label"),
    [
        ("monthly", date(2024, 5, 31), "2024-05"),
        ("quarterly", date(2024, 7, 1), "2024-Q3"),
        ("quarterly", date(2024, 3, 31), "2024-Q1"),
        ("half_year", date(2024, 6, 30), "2024-H1"),
        ("half_year", date(2024, 7, 1), "2024-H2"),
        ("annual", date(2023, 12, 31), "2023"),
        ("weekly", date(2024, 6, 9), "2024-W23"),
        ("weekly", date(2021, 1, 1), "2020-W53"),  # a Friday in ISO week 53 of 2020
        ("weekly", date(2024, 12, 30), "2025-W01"),  # a Monday in ISO week 1 of 2025
    ],
)
def test_containing_finds_the_period_of_a_day(kind, day, label):
    assert periods.containing(kind, day).label == label


def test_an_unknown_kind_is_refused():
    with pytest.raises(PeriodError, match="期间类型"):
        periods.containing("fortnightly", date(2024, 5, 1))


@pytest.mark.parametrize(
    ("label", "before", "after"),
    [
        ("2024-01", "2023-12", "2024-02"),
        ("2024-Q1", "2023-Q4", "2024-Q2"),
        ("2024-H1", "2023-H2", "2024-H2"),
        ("2024", "2023", "2025"),
        ("2021-W01", "2020-W53", "2021-W02"),
    ],
)
def test_previous_and_next_step_one_period_across_year_ends(label, before, after):
    period = periods.parse(label)
    assert periods.previous(period).label == before
    assert periods.next_period(period).label == after


# --- what a cadence run reports on ----------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "run_day", "label"),
    [
        ("monthly", date(2024, 6, 3), "2024-05"),  # the monthly dispatch in early June: May
        ("monthly", date(2024, 1, 2), "2023-12"),
        ("monthly", date(2024, 5, 31), "2024-04"),  # the last day of May: May is not over yet
        ("quarterly", date(2024, 7, 2), "2024-Q2"),  # the quarterly circular in early July: Q2
        ("quarterly", date(2024, 1, 5), "2023-Q4"),
        ("half_year", date(2024, 7, 15), "2024-H1"),  # the half-year review in July: H1
        ("half_year", date(2025, 1, 10), "2024-H2"),  # and in January: the previous H2
        ("annual", date(2025, 1, 20), "2024"),  # the annual assessment in January: the previous year
        ("weekly", date(2024, 6, 10), "2024-W23"),
    ],
)
def test_a_cadence_run_reports_on_the_last_period_that_ended_before_its_day(kind, run_day, label):
    assert periods.due_period(kind, run_day).label == label


# --- weeks of a period ----------------------------------------------------------------------


def test_the_weeks_of_may_2023_are_those_whose_monday_falls_in_may():
    # 1 May 2023 is a Monday; 29 May starts the fifth week, which ends on 4 June.
    assert [w.label for w in periods.weeks_in(periods.month(2023, 5))] == [
        "2023-W18",
        "2023-W19",
        "2023-W20",
        "2023-W21",
        "2023-W22",
    ]


def test_a_week_across_a_month_end_belongs_to_the_month_of_its_monday():
    # 1 June 2024 is a Saturday: the week of 27 May belongs to May, June's first week starts on 3 June.
    june = periods.weeks_in(periods.month(2024, 6))
    assert june[0].start == date(2024, 6, 3)
    assert len(june) == 4
    assert len(periods.weeks_in(periods.quarter(2024, 2))) == 13
    # 2024 starts and (on 30 December) ends its last week on a Monday: 53 weeks, the last 2025-W01.
    weeks_2024 = periods.weeks_in(periods.year(2024))
    assert (len(weeks_2024), weeks_2024[-1].label) == (53, "2025-W01")
    assert len(periods.weeks_in(periods.year(2023))) == 52


def test_periods_of_one_kind_sort_by_time():
    assert sorted([periods.month(2024, 3), periods.month(2023, 12), periods.month(2024, 1)]) == [
        periods.month(2023, 12),
        periods.month(2024, 1),
        periods.month(2024, 3),
    ]
    assert isinstance(periods.month(2024, 3), Period)

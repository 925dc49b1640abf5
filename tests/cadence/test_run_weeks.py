"""Which weeks a periodic run counts (review23c): each week in exactly one run, once its window has
closed before the run's time (10:00 on the monthly dispatch's 3rd working day)."""

from __future__ import annotations

import warnings
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.conftest import copy_database
from wufei.cadence import periods as P
from wufei.cadence.windows import reporting_window, run_weeks
from wufei.calendar.workdays import UnknownYearWarning, WorkCalendar
from wufei.db import make_engine, make_sessionmaker
from wufei.figures.models import PeriodFigures
from wufei.points import registry, runs
from wufei.ruleset import Ruleset

RULES = Ruleset.load()
CADENCE = RULES.cadence


def _dispatch_weeks(point_name: str, period: P.Period, calendar: WorkCalendar) -> list[date]:
    point = registry.point(point_name)
    timing = point.runs(CADENCE)
    previous = P.previous(period)
    since, until = timing.moment_for(previous, calendar, CADENCE), timing.moment_for(period, calendar, CADENCE)
    return run_weeks(period, previous, since, until, calendar, CADENCE)


@pytest.mark.parametrize(
    ("point_name", "kind"),
    [("monthly", P.PeriodKind.MONTHLY), ("quarterly", P.PeriodKind.QUARTERLY), ("annual", P.PeriodKind.ANNUAL)],
)
def test_every_week_of_2021_to_2027_is_counted_by_exactly_one_run_after_it_closed(point_name, kind):
    calendar = WorkCalendar()
    timing = registry.point(point_name).runs(CADENCE)
    counted: dict[date, list[str]] = {}
    period = P.containing(kind, date(2021, 1, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnknownYearWarning)  # 2027-2028: weekdays less the statutory holidays
        while period.start.year <= 2027:
            run_at = timing.moment_for(period, calendar, CADENCE)
            for monday in _dispatch_weeks(point_name, period, calendar):
                window = reporting_window(monday, calendar, CADENCE)
                assert window is not None and window.due_at < run_at, (period.label, monday)
                counted.setdefault(monday, []).append(period.label)
            period = P.next_period(period)
        expected = []
        monday = date(2021, 1, 4)  # the first Monday of 2021: weeks before belong to 2020's runs
        while monday <= date(2027, 12, 31):  # 2027-W52 is due before January 2028's run
            if reporting_window(monday, calendar, CADENCE) is not None:
                expected.append(monday)
            monday += timedelta(days=7)
    twice = {week: labels for week, labels in counted.items() if len(labels) > 1}
    assert twice == {}
    assert sorted(counted) == expected


def test_the_week_across_november_and_december_2026_is_counted_in_januarys_dispatch_not_lost():
    calendar = WorkCalendar()
    november = _dispatch_weeks("monthly", P.month(2026, 11), calendar)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnknownYearWarning)
        december = _dispatch_weeks("monthly", P.month(2026, 12), calendar)
    w49 = date(2026, 11, 30)  # due Friday 4 December 17:00; the dispatch runs 3 December 10:00
    assert w49 not in november
    assert w49 in december


@pytest.fixture
def engine(tmp_path, hengshui_template):
    engine = make_engine(copy_database(hengshui_template, tmp_path))
    yield engine
    engine.dispose()


def _stored_weeks(engine, period: str) -> list[str]:
    with make_sessionmaker(engine)() as session:
        figures = session.scalars(
            select(PeriodFigures.figures).where(PeriodFigures.kind == "monthly", PeriodFigures.period == period)
        ).one()
    return figures["reporting"]["weeks"]


def test_the_dispatch_runs_count_the_week_across_a_month_end_once(engine, tmp_path):
    dispatch = registry.point("monthly-dispatch")
    ran = runs.run_point(engine, dispatch, date(2026, 12, 3), rules=RULES, out_dir=tmp_path, forms=("md",))
    assert ran["period"] == "2026-11"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnknownYearWarning)
        # forced on 5 January 2027, a day before its run day (1 January is 元旦 in the fallback)
        runs.run_point(engine, dispatch, date(2027, 1, 5), rules=RULES, out_dir=tmp_path, forms=("md",), force=True)
    november, december = _stored_weeks(engine, "2026-11"), _stored_weeks(engine, "2026-12")
    assert "2026-W49" not in november
    assert december[0] == "2026-W49"
    assert not set(november) & set(december)


def test_a_week_due_after_the_dispatch_run_is_not_counted_as_missing(engine, tmp_path):
    # 3 April 2026 (Friday) is April's 3rd working day: the dispatch runs at 10:00, W14 closes at 17:00.
    dispatch = registry.point("monthly-dispatch")
    ran = runs.run_point(engine, dispatch, date(2026, 4, 3), rules=RULES, out_dir=tmp_path, forms=("md",))
    assert ran["period"] == "2026-03"
    assert _stored_weeks(engine, "2026-03")[-1] == "2026-W13"  # W14 is not 未报送 at 10:00
    runs.run_point(engine, dispatch, date(2026, 5, 8), rules=RULES, out_dir=tmp_path, forms=("md",), force=True)
    assert _stored_weeks(engine, "2026-04")[0] == "2026-W14"  # counted by May's run, once closed

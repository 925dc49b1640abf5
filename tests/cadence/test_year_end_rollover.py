"""A 年底 deadline on a rest day (review23d): the printed date decides the period a task is due in,
the rolled-over date only whether it was late or is overdue, and the ladder counts from the same
rolled-over date as the lights.

World `year_end`: a 衡水市 plan issued Friday 1 September 2023. Sunday 31 December 2023 rolls over
to Tuesday 2 January 2024 (元旦 on Monday).

| task | lead       | deadline   | story                                             |
| Y1   | 生态环境局 | 2023-12-31 | done Tuesday 2 January 2024, its rolled deadline  |
| Y2   | 城管局     | 2023-12-31 | not done                                          |
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.cadence import figures as F
from tests.cadence.test_figures import CADENCE, CAL, CITY, ENV, Builder
from tests.cadence.test_rules_agree import component, text, unit
from wufei.cadence import periods
from wufei.cadence.config import CadenceConfig
from wufei.escalation.ladder import Ladder
from wufei.escalation.service import scan
from wufei.lights.rules import LightRules
from wufei.notices.models import NoticeIntent
from wufei.notify.digest import environment, render
from wufei.plans.models import Jurisdiction

RULES = LightRules()
NO_REPORTING = CadenceConfig.from_dict({"weekly_report": {"reporting_since": "2099-01-01"}})  # deadlines only
SUNDAY = date(2023, 12, 31)


@pytest.fixture
def year_end(session):
    b = Builder(session)
    for name in (ENV, CITY):
        b.department(name, "bureau")
    plan = b.plan("衡水市测试方案（年底）", issued_on=date(2023, 9, 1))
    b.task("Y1", plan, due=SUNDAY, lead=ENV, completed_on=date(2024, 1, 2))
    b.task("Y2", plan, due=SUNDAY, lead=CITY)
    session.flush()
    return b


def annual(session, year: int, as_of: date, light_rules: LightRules = RULES):
    return F.annual_figures(
        session,
        period=periods.year(year),
        as_of=as_of,
        calendar=CAL,
        jurisdiction="衡水市",
        cadence=CADENCE,
        light_rules=light_rules,
    )


# --- 1. the printed date decides the year ---------------------------------------------------------


def test_a_task_due_sunday_31_december_is_due_in_that_years_assessment_and_done_the_2nd_on_time(session, year_end):
    figures = annual(session, 2023, date(2024, 1, 22))
    assert figures["totals"]["due_in_period"] == 2
    env, city = unit(figures, ENV), unit(figures, CITY)
    assert (env["due"], env["completed"], env["on_time"]) == (1, 1, 1)
    assert [r["note"] for r in component(env, "on_time")["counted"]] == [
        "2024年1月2日完成，未超过原定期限2023年12月31日（节假日，顺延至2024年1月2日）"
    ]
    assert (city["due"], city["completed"], city["on_time"]) == (1, 0, 0)
    assert "年内到期2项" in text(session, "annual", "2023", date(2024, 1, 22))
    # … and not again in the next year's
    assert annual(session, 2024, date(2025, 1, 22))["totals"]["due_in_period"] == 0
    assert "年内到期2项" not in text(session, "annual", "2024", date(2025, 1, 22))


def test_the_fourth_quarters_circular_counts_the_sunday_deadline_in_the_quarter(session, year_end):
    figures = F.quarterly_figures(
        session,
        period=periods.quarter(2023, 4),
        as_of=date(2024, 1, 8),
        calendar=CAL,
        jurisdiction="衡水市",
        cadence=CADENCE,
        light_rules=RULES,
    )
    rows = {row["department"]: row for row in figures["departments"]}
    assert (rows[ENV]["due"], rows[ENV]["done"], rows[ENV]["done_on_time"]) == (1, 1, 1)
    assert (rows[CITY]["due"], rows[CITY]["done"], rows[CITY]["done_on_time"]) == (1, 0, 0)
    assert figures["totals"]["due_in_period"] == 2
    assert figures["totals"]["overdue"] == 0  # the quarter's last day: rolled over, not overdue


def test_the_province_roll_up_counts_the_sunday_deadline_in_its_year(session, year_end):
    province = Jurisdiction(name="河北省", level="province")
    session.add(province)
    year_end.jurisdictions["衡水市"].parent = province
    session.flush()
    rollup = F.province_figures(
        session,
        kind="annual",
        period=periods.year(2023),
        as_of=date(2024, 1, 22),
        calendar=CAL,
        cadence=CADENCE,
        light_rules=RULES,
    )
    [city] = rollup["cities"]
    assert (city["due"], city["done"], city["done_on_time"]) == (2, 1, 1)


# --- 2. the ladder counts from the rolled-over deadline -------------------------------------------


def _scan(session, as_of: date, **kwargs):
    return scan(session, as_of=as_of, calendar=CAL, cadence=NO_REPORTING, ladder=Ladder.load(), **kwargs)


def _slips(session, task_id: int) -> dict[str, NoticeIntent]:
    rows = session.scalars(
        select(NoticeIntent).where(NoticeIntent.task_id == task_id, NoticeIntent.step.like("after_due_%"))
    )
    return {row.step: row for row in rows}


def test_no_slip_on_the_day_the_deadline_rolled_over_to_and_the_ladder_counts_from_it(session, year_end):
    y1, y2 = year_end.tasks["Y1"], year_end.tasks["Y2"]
    y1.completed_on = None  # the morning scan of 2 January saw Y1 open
    session.flush()
    _scan(session, date(2024, 1, 2))
    assert _slips(session, y1.id) == {} and _slips(session, y2.id) == {}
    # the day it counts to is the due day: the last reminder, naming the printed date
    [reminder] = session.scalars(
        select(NoticeIntent).where(NoticeIntent.task_id == y2.id, NoticeIntent.step == "before_due_1")
    )
    assert "将于2024年1月2日（完成期限2023年12月31日为节假日，顺延）到期" in reminder.payload["action"]
    _subject, body = render(environment(), [reminder], day=date(2024, 1, 2), audience="liaison", department=CITY)
    assert "将于2024年1月2日（完成期限2023年12月31日为节假日，顺延）到期" in body
    y1.completed_on = date(2024, 1, 2)
    session.flush()

    _scan(session, date(2024, 1, 3))
    slips = _slips(session, y2.id)
    assert list(slips) == ["after_due_1"]
    yellow = slips["after_due_1"]
    assert yellow.period == "2023-12-31"  # keyed by the printed deadline, as an extension resolves it
    assert yellow.payload["days_overdue"] == 1
    assert yellow.payload["action"].startswith("本任务已超过完成期限（2023年12月31日，节假日顺延至2024年1月2日）")
    assert yellow.payload["due_date_cn"] == "2023年12月31日，节假日顺延至2024年1月2日"
    assert _slips(session, y1.id) == {}

    _scan(session, date(2024, 1, 10))  # the 6th working day after 2 January
    assert list(_slips(session, y2.id)) == ["after_due_1"]
    _scan(session, date(2024, 1, 11))
    red = _slips(session, y2.id)["after_due_7"]
    assert red.payload["days_overdue"] == 7
    assert "本任务已逾期7个工作日（完成期限2023年12月31日，节假日顺延至2024年1月2日）" in red.payload["action"]

    # the task done on its rolled deadline loses nothing in the assessment of its year or the next
    for year, as_of in ((2023, date(2024, 1, 22)), (2024, date(2025, 1, 22))):
        env = unit(annual(session, year, as_of), ENV)
        assert env["slips"] == {"yellow_slip": 0, "red_slip": 0}


def test_with_the_roll_over_off_the_ladder_counts_from_the_printed_date(session, year_end):
    y2 = year_end.tasks["Y2"]
    _scan(session, date(2024, 1, 2), rolls_over=False)
    yellow = _slips(session, y2.id)["after_due_1"]
    assert yellow.payload["action"].startswith("本任务已超过完成期限（2023年12月31日），")
    assert yellow.payload["due_date_cn"] == "2023年12月31日"

"""What leaders read agrees with the rules it states (review23b): each bulletin built from a real
database, its text and figures read back.

World `holiday_world`: a 衡水市 plan issued Monday 2 September 2024, reporting weekly from then.

| task | lead       | deadline                         | story                                           |
| H1   | 生态环境局 | 2024-10-01 (National Day)        | done Tuesday 8 October, the first working day after |
| H2   | 城管局     | 2024-11-29 → 2025-03-31 (3 Dec)  | a yellow slip 2 December against 29 November   |
| H3   | 城管局     | 2023-12-31 (before the plan)     | not confirmed                                   |
| H4   | 生态环境局 | 2024-12-31                       | due on the year's last day, not done           |
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.cadence import figures as F
from tests.cadence.test_figures import CADENCE, CAL, CITY, ENV, TAOCHENG, Builder, at
from wufei.bulletins.render import markdown
from wufei.cadence import periods
from wufei.extensions.models import Extension
from wufei.lights.rules import LightRules
from wufei.notices.models import NoticeIntent
from wufei.points import registry
from wufei.points.issue import document_for, snapshot_for

RULES = LightRules()
EXTENDED = LightRules(assessment_uses="extended")


def text(session, kind: str, period: str, as_of: date, *, light_rules: LightRules = RULES, scope="衡水市") -> str:
    """The bulletin's markdown, from a snapshot taken now of the database."""
    point = registry.for_bulletin(kind, period)
    snapshot = snapshot_for(
        session,
        point,
        period=point.period(period),
        scope=scope,
        calendar=CAL,
        rules=F.ruleset(CADENCE, light_rules),
        as_of=as_of,
        refresh=True,
    )
    return markdown(document_for(snapshot))


def annual(session, *, light_rules: LightRules = RULES, year: int = 2024, as_of: date = date(2025, 1, 22)):
    return F.annual_figures(
        session,
        period=periods.year(year),
        as_of=as_of,
        calendar=CAL,
        jurisdiction="衡水市",
        cadence=CADENCE,
        light_rules=light_rules,
    )


def unit(figures, name: str) -> dict:
    return next(row for row in figures["departments"] + figures["localities"] if row["department"] == name)


def component(row, key) -> dict:
    return next(c for c in row["components"] if c["key"] == key)


@pytest.fixture
def holiday_world(session):
    b = Builder(session)
    for name, kind in [(ENV, "bureau"), (CITY, "bureau"), (TAOCHENG, "county_gov")]:
        b.department(name, kind)
    plan = b.plan("衡水市测试方案（节假日）", issued_on=date(2024, 9, 2))
    mondays = [date(2024, 9, 2) + timedelta(weeks=n) for n in range(17)]  # to 23 December
    b.task("H1", plan, due=date(2024, 10, 1), lead=ENV, completed_on=date(2024, 10, 8))
    b.reports("H1", mondays[:4], 90)
    b.report("H1", mondays[5], 100, at=at(date(2024, 10, 8)))
    b.task("H2", plan, due=date(2024, 11, 29), lead=CITY, supporting=TAOCHENG)
    b.reports("H2", mondays, 90)
    b.task("H3", plan, due=date(2023, 12, 31), lead=CITY)
    b.reports("H3", mondays, 90)
    b.task("H4", plan, due=date(2024, 12, 31), lead=ENV)
    b.reports("H4", mondays, 99)
    session.flush()
    session.add(
        Extension(
            task=b.tasks["H2"],
            department=b.departments[CITY],
            requested_on=date(2024, 11, 28),
            reason="设备到货推迟",
            original_due_date=date(2024, 11, 29),
            requested_due_date=date(2025, 3, 31),
            status="approved",
            decided_on=date(2024, 12, 3),
        )
    )
    h2 = b.tasks["H2"].id
    session.add(
        NoticeIntent(
            key=f"after_due_1|task:{h2}|liaison|dept:-",
            kind="yellow_slip",
            step="after_due_1",
            audience="liaison",
            task_id=h2,
            period="2024-11-29",
            created_on=date(2024, 12, 2),
            payload={},
            resolved_on=date(2024, 12, 3),
            resolution="已延期",
        )
    )
    session.flush()
    return b


# --- 1. slips against a deadline an approved extension replaced ------------------------------------


def test_judged_by_the_extended_deadline_a_slip_against_the_replaced_deadline_is_listed_not_deducted(
    session, holiday_world
):
    city = unit(annual(session, light_rules=EXTENDED), CITY)
    assert city["slips"] == {"yellow_slip": 0, "red_slip": 0}
    assert city["points"]["deduction"] == 0
    [line] = city["deductions"]
    assert line["points"] == 0
    assert line["note"] == (
        "2024年12月2日发出黄色督办单（原期限2024年11月29日），期限已批准延期至2025年3月31日，按延期后的期限考核，不扣分"
    )
    # the county supporting H2 is not charged either
    assert unit(annual(session, light_rules=EXTENDED), TAOCHENG)["points"]["deduction"] == 0
    bulletin = text(session, "annual", "2024", date(2025, 1, 22), light_rules=EXTENDED)
    assert f"| {CITY} |" in bulletin and "黄色督办单1张" not in bulletin


def test_judged_by_the_original_deadline_the_slip_is_deducted_and_says_so(session, holiday_world):
    city = unit(annual(session), CITY)
    assert city["slips"] == {"yellow_slip": 1, "red_slip": 0}
    [line] = city["deductions"]
    assert (line["points"], line["note"]) == (
        -2,
        "2024年12月2日发出黄色督办单，扣2分（期限已批准延期至2025年3月31日，考核仍按原定期限）",
    )

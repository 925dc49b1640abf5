"""年终考核 breakdowns and 季通报 facts, on the small worlds of test_figures (see its docstring for
the stories of A1–A7 and T1–T10); the right answers are worked out by hand in the comments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tests.cadence import figures as F
from tests.cadence.test_figures import (  # noqa: F401
    CADENCE,
    CAL,
    CITY,
    ENV,
    JIZHOU,
    RULES,
    TAOCHENG,
    Builder,
    ids,
    q2,
    world,
    year_world,
)
from wufei.cadence import periods
from wufei.indicators.models import Indicator, IndicatorDepartment, IndicatorValue
from wufei.lights.rules import LightRules


def annual(session, **kwargs):
    return F.annual_figures(
        session,
        period=periods.year(2023),
        as_of=date(2024, 1, 22),
        calendar=CAL,
        jurisdiction="衡水市",
        cadence=CADENCE,
        **{"light_rules": RULES, **kwargs},
    )


def units(figures) -> dict[str, dict]:
    return {row["department"]: row for row in figures["departments"] + figures["localities"]}


def component(row, key) -> dict:
    return next(c for c in row["components"] if c["key"] == key)


def notes(refs) -> list[tuple[str, str]]:
    return [(r["number"], r["note"]) for r in refs]


# --- 年终考核: every point traced ------------------------------------------------------------------


def test_the_assessment_names_the_tasks_counted_done_and_not_done(session, year_world):
    rows = units(annual(session))
    env, city = rows[ENV], rows[CITY]
    completion = component(env, "completion")
    assert (
        completion["name"],
        completion["weight"],
        completion["numerator"],
        completion["denominator"],
        completion["points"],
        completion["lost"],
    ) == ("完成率", 40, 2, 2, 40.0, 0.0)
    assert notes(completion["counted"]) == [
        ("1", "2023年12月12日完成（原定期限2023年12月15日）"),
        ("2", "2023年12月20日完成（原定期限2023年11月30日）"),
    ]
    # 城管局: A5 (annual, done) and A7 (ongoing, green) met; A4 judged on its original date.
    completion = component(city, "completion")
    assert (completion["numerator"], completion["denominator"], completion["points"], completion["lost"]) == (
        2,
        3,
        26.67,
        13.33,
    )
    assert notes(completion["counted"]) == [("5", "年末已完成"), ("7", "年末绿灯")]
    assert notes(completion["missed"]) == [
        ("4", "截至2023年12月31日未完成（原定期限2023年12月29日，已批准延期至2024年3月31日，考核仍按原定期限）")
    ]


def test_the_assessment_names_the_tasks_done_late_and_the_reports_missed(session, year_world):
    rows = units(annual(session))
    on_time = component(rows[ENV], "on_time")
    assert (on_time["numerator"], on_time["denominator"], on_time["points"], on_time["lost"]) == (1, 2, 10.0, 10.0)
    assert notes(on_time["counted"]) == [("1", "2023年12月12日完成，未超过原定期限2023年12月15日")]
    assert notes(on_time["missed"]) == [("2", "2023年12月20日完成，晚于原定期限2023年11月30日")]
    # 桃城区 missed A6's last week (W52, Monday 25 December): 7 of 8, 20 × 7/8 = 17.5.
    reporting = component(rows[TAOCHENG], "reporting")
    assert (reporting["numerator"], reporting["denominator"], reporting["points"], reporting["lost"]) == (
        7,
        8,
        17.5,
        2.5,
    )
    assert [(m["week"], m["status_cn"], m["number"]) for m in reporting["missed"]] == [("2023-W52", "未报", "6")]
    assert component(rows[ENV], "reporting")["missed"] == []


def test_each_slip_is_a_deduction_with_its_date_and_task(session, year_world):
    rows = units(annual(session))
    assert [(d["kind_cn"], d["date"], d["number"], d["points"]) for d in rows[ENV]["deductions"]] == [
        ("黄色督办单", "2023-12-01", "2", -2),
        ("红色督办单", "2023-12-11", "2", -5),
    ]
    # A3's yellow slip was withdrawn the day it was raised: only its red slip of 14 December counts.
    assert [(d["kind"], d["date"], d["number"]) for d in rows[CITY]["deductions"]] == [("red_slip", "2023-12-14", "3")]
    assert rows[ENV]["deductions"][0]["note"] == "2023年12月1日发出黄色督办单，扣2分"
    # The county is charged with the slips of the task it supports.
    assert [d["number"] for d in rows[TAOCHENG]["deductions"]] == ["2", "2"]


def test_the_points_of_the_breakdown_add_up_to_the_score(session, year_world):
    for row in units(annual(session)).values():
        parts = sum(c["points"] for c in row["components"]) + sum(d["points"] for d in row["deductions"])
        assert round(parts, 1) == row["score"]
        assert [c["key"] for c in row["components"]] == ["completion", "on_time", "reporting", "indicators"]


def test_judging_by_the_extended_deadline_takes_the_extended_task_out_of_the_year(session, year_world):
    rows = units(annual(session, light_rules=LightRules(assessment_uses="extended")))
    # A4 now falls due on 31 March 2024: 城管局 owes A5 and A7 only, both met; nothing fixed was due:
    # 40 + 20 + 20 + 20 − 5 = 95.
    assert (rows[CITY]["due_fixed"], rows[CITY]["due"], rows[CITY]["score"], rows[CITY]["rank"]) == (0, 2, 95.0, 1)
    assert rows[ENV]["rank"] == 2
    assert notes(component(rows[ENV], "completion")["counted"])[0] == (
        "1",
        "2023年12月12日完成（期限（含批准的延期）2023年12月15日）",
    )


def test_indicators_a_department_leads_count_on_track_off_track_or_left_out(session, year_world):
    plan = year_world.tasks["A1"].plan
    env = year_world.departments[ENV]

    def indicator(number, name, target, values, direction="up", kind="numeric"):
        row = Indicator(
            plan=plan,
            number=number,
            name=name,
            unit="%",
            target_raw=target,
            target_kind=kind,
            target_value=Decimal(target) if kind == "numeric" else None,
            direction=direction,
        )
        row.values = [IndicatorValue(year=y, value=Decimal(v), source="测试") for y, v in values]
        row.assignments = [IndicatorDepartment(department=env, role="lead")]
        session.add(row)

    indicator("1", "一般工业固体废物综合利用率", "60", [(2023, "61")])  # met
    indicator("2", "主城区生活垃圾回收利用率", "35", [])  # no data: off track by the shipped rule
    indicator("3", "某项无法判断的指标", "/", [(2023, "5")], direction="none", kind="none")  # left out
    session.flush()
    rows = units(annual(session))
    part = component(rows[ENV], "indicators")
    # 1 of 2 judged: 20 × 1/2 = 10; 83 − 10 = 73.
    assert (part["numerator"], part["denominator"], part["points"]) == (1, 2, 10.0)
    assert [r["number"] for r in part["counted"]] == ["1"]
    assert [(r["number"], r["status_cn"]) for r in part["missed"]] == [("2", "暂无数据")]
    assert [r["number"] for r in part["excluded"]] == ["3"]
    assert rows[ENV]["indicators"] == {"led": 3, "judged": 2, "on_track": 1}
    assert rows[ENV]["score"] == 73.0
    assert rows[CITY]["points"]["indicators"] == 20.0  # leads none: nothing owed

    lenient = units(annual(session, rules={"annual": {"indicator_no_data_counts": 0}}))
    part = component(lenient[ENV], "indicators")
    assert (part["numerator"], part["denominator"], [r["number"] for r in part["excluded"]]) == (1, 1, ["2", "3"])
    assert lenient[ENV]["score"] == 83.0


def test_units_with_the_same_score_share_a_rank(session, year_world):
    # Weigh only reporting: 生态环境局 (13 of 13) and 城管局 (32 of 32) both score 100 and share rank 1
    # (listed by name within the tie).
    only_reporting = {
        "annual": {
            "weights": {"completion": 0, "on_time": 0, "indicators": 0, "reporting": 100},
            "deductions": {"yellow_slip": 0, "red_slip": 0},
        }
    }
    rows = annual(session, rules=only_reporting)["departments"]
    assert [(r["department"], r["score"], r["rank"]) for r in rows] == [(CITY, 100.0, 1), (ENV, 100.0, 1)]


# --- 季通报: who is named, by which rule, on which numbers ------------------------------------------


def test_the_circular_says_which_rule_named_a_unit_and_the_number_behind_it(q2):
    lagging = {n["department"]: n for n in q2["lagging"]}
    assert lagging[CITY]["rules"] == [
        {
            "rule": "lagging.red_tasks",
            "rule_cn": "红灯任务达到1项",
            "threshold": 1,
            "value": 1,
            "met": True,
            "fact": "有红灯任务1项",
        }
    ]
    [praised] = q2["praised"]
    assert [(r["rule"], r["value"], r["met"]) for r in praised["rules"]] == [
        ("praise.top", 1, True),
        ("praise.min_score", 97.7, True),
        ("praise.no_red", 0, True),
    ]


def test_the_circular_lists_the_tasks_and_weeks_behind_each_quarterly_point(q2, world):
    rows = units(q2)
    env_completion = component(rows[ENV], "completion")
    assert notes(env_completion["missed"]) == [("2", "未完成（期限2023年5月15日）")]
    assert [r["number"] for r in env_completion["counted"]] == ["1", "工程项目8"]  # 8 is on the project list
    # 城管局's five missing reports: T3 in April (W14–W17) and T4 in W21.
    missed = component(rows[CITY], "reporting")["missed"]
    assert [(m["week"], m["number"], m["status"]) for m in missed] == [
        ("2023-W14", "3", "missing"),
        ("2023-W15", "3", "missing"),
        ("2023-W16", "3", "missing"),
        ("2023-W17", "3", "missing"),
        ("2023-W21", "4", "missing"),
    ]
    assert [(m["week"], m["status_cn"]) for m in component(rows[TAOCHENG], "reporting")["missed"]] == [
        ("2023-W19", "迟报")
    ]
    assert [(d["kind_cn"], d["number"], d["points"]) for d in rows[CITY]["deductions"]] == [
        ("季末红灯", "工程项目7", -5)
    ]
    assert rows[CITY]["deductions"][0]["note"].endswith("扣5分")


def test_reporting_over_many_weeks_counts_as_the_weekly_compliance_does(session, world):
    from collections import Counter

    from wufei.cadence.periods import weeks_in
    from wufei.points import registry
    from wufei.points.issue import world_for
    from wufei.reports.service import compliance

    weeks = [w.start for w in weeks_in(periods.quarter(2023, 2))]
    point = registry.point("quarterly")
    world = world_for(
        session,
        point,
        scope="衡水市",
        period=periods.quarter(2023, 2),
        as_of=date(2023, 7, 7),
        calendar=CAL,
        rules=F.ruleset(CADENCE, RULES),
    )
    reporting = world.reporting(session)
    assert reporting.weeks == weeks
    totals = {department: vars(tally) for department, tally in reporting.counts.items()}
    misses = reporting.misses
    expected: dict[int, Counter] = {}
    expected_misses: dict[int, list] = {}
    for monday in weeks:
        for row in compliance(
            session,
            week_start=monday,
            calendar=CAL,
            cadence=CADENCE,
            as_of=date(2023, 7, 7),
            plan_ids=world.plan_ids,
        ):
            expected.setdefault(row["department_id"], Counter()).update(
                {k: row[k] for k in ("expected", "filed", "on_time", "late", "missing")}
            )
            expected_misses.setdefault(row["department_id"], []).extend(
                sorted(
                    [(monday, t, "missing") for t in row["missing_task_ids"]]
                    + [(monday, t, "late") for t in row["late_task_ids"]],
                    key=lambda m: m[1],
                )
            )
    assert {d: Counter(c) for d, c in totals.items()} == expected
    assert {d: m for d, m in misses.items() if m} == {d: m for d, m in expected_misses.items() if m}

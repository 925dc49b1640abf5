"""The province view: May 2023 rolled up over 衡水市 and 保定市 and the province's own plan.

Every plan is issued on Monday 3 April 2023; May's weeks W18–W22 have all closed by 5 June.

| scope  | task | lead        | due        | story                                              |
| 衡水市 | H1   | 市生态环境局 | 2023-05-15 | done 12 May (on time); reports W18, W19            |
| 衡水市 | H2   | 市生态环境局 | 2025-12-31 | reports W18–W22 at 10%: green                      |
| 衡水市 | H3   | 市城管局     | 2023-05-19 | not done: overdue, red; reports W18–W21, W22 missing |
| 保定市 | B1   | 保定市生态环境局 | 2025-12-31 | reports W18–W22 at 10%: green                  |
| 河北省 | P1   | 省生态环境厅 (衡水市人民政府 carries it out) | 2025-12-31 | never reported: red |

邢台市 is a city of the province without a plan: no row.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.cadence import figures as F
from tests.cadence.test_figures import CADENCE, CAL, CITY, ENV, RULES, Builder
from tests.seed_files import HENGSHUI_PLAN
from wufei.cadence import periods
from wufei.cadence.periods import PeriodError
from wufei.figures.codec import to_json
from wufei.plans.models import Jurisdiction
from wufei.tasks.models import TaskDepartment

MAY_WEEKS = [date(2023, 5, 1), date(2023, 5, 8), date(2023, 5, 15), date(2023, 5, 22), date(2023, 5, 29)]


@pytest.fixture
def hebei(session):
    b = Builder(session)
    province = Jurisdiction(name="河北省", level="province")
    b.jurisdictions["河北省"] = province
    for name in ("衡水市", "保定市", "邢台市"):
        b.jurisdictions[name] = Jurisdiction(name=name, level="city", parent=province)
    session.add_all(list(b.jurisdictions.values()))
    b.department(ENV, "bureau")
    b.department(CITY, "bureau")
    b.department("保定市生态环境局", "bureau", city="保定市")
    b.department("省生态环境厅", "provincial_dept", city="河北省")
    carrier = b.department("衡水市人民政府", "city_gov", city="河北省")
    hengshui = b.plan("衡水市测试方案", issued_on=date(2023, 4, 3))
    baoding = b.plan("保定市测试方案", issued_on=date(2023, 4, 3), city="保定市")
    own = b.plan("河北省测试方案", issued_on=date(2023, 4, 3), city="河北省")
    b.task("H1", hengshui, due=date(2023, 5, 15), lead=ENV, completed_on=date(2023, 5, 12))
    b.reports("H1", MAY_WEEKS[:2], 90)
    b.task("H2", hengshui, due=date(2025, 12, 31), lead=ENV)
    b.reports("H2", MAY_WEEKS, 10)
    b.task("H3", hengshui, due=date(2023, 5, 19), lead=CITY)
    b.reports("H3", MAY_WEEKS[:4], 50)
    b.task("B1", baoding, due=date(2025, 12, 31), lead="保定市生态环境局")
    b.reports("B1", MAY_WEEKS, 10)
    p1 = b.task("P1", own, due=date(2025, 12, 31), lead="省生态环境厅")
    p1.assignments.append(TaskDepartment(department=carrier, role="implementer", position=1))
    session.flush()
    return b


@pytest.fixture
def may(session, hebei):
    return F.province_figures(
        session,
        kind="monthly",
        period=periods.month(2023, 5),
        as_of=date(2023, 6, 5),
        calendar=CAL,
        cadence=CADENCE,
        light_rules=RULES,
    )


def test_each_city_gets_its_counts_rates_and_a_rank(may):
    assert (may["scope"], may["kind_cn"], may["period"]["label"]) == ("河北省", "月调度", "2023-05")
    baoding, hengshui = may["cities"]
    # 保定市: nothing due, 5 of 5 reports: 40 + 30 + 30 = 100.
    assert (baoding["scope"], baoding["tasks"], baoding["by_light"]["green"], baoding["score"], baoding["rank"]) == (
        "保定市",
        1,
        1,
        100.0,
        1,
    )
    # 衡水市: H1 and H3 due, H1 done on time; 11 of 12 reports (H1 2, H2 5, H3 4 of 5):
    # 40 × 1/2 + 30 × 1/2 + 30 × 11/12 = 62.5.
    assert {
        k: hengshui[k]
        for k in (
            "scope",
            "plans",
            "tasks",
            "supervised",
            "by_light",
            "overdue",
            "due",
            "done",
            "done_on_time",
            "reports",
        )
    } == {
        "scope": "衡水市",
        "plans": ["衡水市测试方案"],
        "tasks": 3,
        "supervised": 3,
        "by_light": {"green": 1, "yellow": 0, "red": 1, "done": 1},
        "overdue": 1,
        "due": 2,
        "done": 1,
        "done_on_time": 1,
        "reports": {"expected": 12, "filed": 11, "on_time": 11, "late": 0, "missing": 1},
    }
    assert hengshui["rates"] == {
        "completion": 0.5,
        "on_time": 0.5,
        "reporting": 0.9167,
        "indicators": None,
        "red_share": 0.3333,
    }
    assert (hengshui["score"], hengshui["rank"]) == (62.5, 2)
    # The province's task carried out by 衡水市人民政府, listed with the city, counted with the province.
    assert hengshui["province_tasks"] == {"tasks": 1, "by_light": {"green": 0, "yellow": 0, "red": 1, "done": 0}}
    assert baoding["province_tasks"]["tasks"] == 0
    assert "邢台市" not in [c["scope"] for c in may["cities"]]


def test_the_province_plan_has_its_own_row(may):
    own = may["province_plan"]
    assert (own["scope"], own["level"], own["tasks"], own["by_light"]["red"]) == ("河北省", "province", 1, 1)
    assert own["reports"] == {"expected": 5, "filed": 0, "on_time": 0, "late": 0, "missing": 5}
    assert "score" not in own and "rank" not in own


def test_totals_are_summed_and_rates_recomputed_from_the_sums(may):
    totals = may["totals"]
    assert (totals["tasks"], totals["supervised"], totals["by_light"], totals["overdue"]) == (
        5,
        5,
        {"green": 2, "yellow": 0, "red": 2, "done": 1},
        1,
    )
    assert (totals["due"], totals["done"], totals["done_on_time"]) == (2, 1, 1)
    assert totals["reports"] == {"expected": 22, "filed": 16, "on_time": 16, "late": 0, "missing": 6}
    # 16 / 22, not the mean of 100%, 91.67% and 0%.
    assert totals["rates"] == {
        "completion": 0.5,
        "on_time": 0.5,
        "reporting": 0.7273,
        "indicators": None,
        "red_share": 0.4,
    }
    assert (
        len(may["method"]) == 6
        and "按季通报规则计" in may["method"][4]
        and may["weights"] == to_json(F.CircularRules.load().quarterly.weights)
    )
    assert json.loads(json.dumps(may, ensure_ascii=False)) == may


def test_the_annual_roll_up_ranks_cities_by_the_annual_weights(session, hebei):
    year = F.province_figures(
        session, kind="annual", period="2023", as_of=date(2024, 1, 22), calendar=CAL, cadence=CADENCE, light_rules=RULES
    )
    assert year["weights"] == to_json(F.CircularRules.load().annual.weights)
    assert [c["scope"] for c in year["cities"]] == ["保定市", "衡水市"]
    assert year["totals"]["slips"] == {"yellow_slip": 0, "red_slip": 0}


def test_a_province_without_cities_or_the_wrong_kind(session, hebei):
    empty = F.province_figures(
        session,
        kind="monthly",
        period="2023-05",
        as_of=date(2023, 6, 5),
        calendar=CAL,
        province="山西省",
        cadence=CADENCE,
        light_rules=RULES,
    )
    assert (empty["cities"], empty["province_plan"], empty["totals"]) == ([], None, None)
    with pytest.raises(PeriodError):
        F.province_figures(session, kind="monthly", period="2023-Q2", as_of=date(2023, 7, 7), calendar=CAL)


def test_the_quarterly_roll_up_names_each_citys_praised_and_lagging_units(session, hebei):
    q2 = F.province_figures(
        session,
        kind="quarterly",
        period="2023-Q2",
        as_of=date(2023, 7, 7),
        calendar=CAL,
        cadence=CADENCE,
        light_rules=RULES,
    )
    cities = {c["scope"]: c for c in q2["cities"]}
    # On 30 June every task still open has been silent since W22 (four weeks in June): H2 and B1
    # are red, as is H3 (overdue). 衡水市: 市生态环境局 (H1 done on time, H2 red; 7 of 19 reports:
    # 40 + 30 + 30 × 7/19 − 5 = 76.1) ranks before 市城管局 (H3: 0 + 0 + 30 × 4/13 − 5 = 4.2); both
    # are named for a red task. 保定市's bureau is named for B1. Nobody is praised.
    assert cities["衡水市"]["units"] == {"ranked": 2, "praised": [], "lagging": [ENV, CITY]}
    assert cities["保定市"]["units"] == {"ranked": 1, "praised": [], "lagging": ["保定市生态环境局"]}
    assert "units" not in q2["totals"] and "units" not in (q2["province_plan"] or {})
    hengshui = F.quarterly_figures(
        session,
        period="2023-Q2",
        as_of=date(2023, 7, 7),
        calendar=CAL,
        jurisdiction="衡水市",
        cadence=CADENCE,
        light_rules=RULES,
    )
    assert [(r["department"], r["score"]) for r in hengshui["departments"]] == [(ENV, 76.1), (CITY, 4.2)]


def test_only_a_province_gets_the_roll_up_a_county_plan_is_no_city_roll_up(session, load):
    """A county-level city's plan (应城市, under 孝感市 under 湖北省) is rolled up in its province's
    document, as a city's is; 孝感市 gets none: the roll-up speaks of 全省, 各设区市 and 省本级, and
    was signed by 孝感市's office on a document nobody there asked for."""
    from pathlib import Path

    from wufei.points import registry
    from wufei.points.issue import scopes

    load(Path(__file__).resolve().parents[1] / "walk" / "hb_yingcheng_shifanshi_2023.txt")
    # 应城市's plan is a 生态文明建设示范市 plan: no 无废城市 roll-up of it for 湖北省 either
    assert scopes(session, registry.point("province_monthly")) == []
    assert scopes(session, registry.point("monthly")) == ["应城市"]
    load(HENGSHUI_PLAN)  # a 无废城市 plan under 河北省
    assert scopes(session, registry.point("province_monthly")) == ["河北省"]


def test_a_county_governments_plan_gets_no_province_roll_up(session, load):
    """洋县's 2024年十大民生实事项目 (tests/walk/) is no 无废城市 plan: 陕西省 got a roll-up titled
    「陕西省“无废城市”建设2024年第1季度各市推进情况汇总」 with nothing in it, addressed to 各设区市
    “无废城市”建设工作领导小组办公室."""
    from pathlib import Path

    from wufei.points import registry
    from wufei.points.issue import scopes

    load(Path(__file__).resolve().parents[1] / "walk" / "sn_yangxian_yangzhengfa_2024_8.txt")
    assert scopes(session, registry.point("province_quarterly")) == []
    assert scopes(session, registry.point("quarterly")) == ["洋县"]

"""年度自评估 for the province (seed 004's shape) on a small world, answers written down first.

A 衡水市 plan (2021–2025, issued 3 April 2023) with five indicators and three tasks, and a 衡水市
evaluation (seed 004's shape) with two indicators, 森林覆盖率 and 地下水压采量:

| indicator                  | baseline | target | values           | expected forecast                          |
| 1 一般工业固体废物综合利用率 | 49 (2020)| 60     | 2022 55, 2023 58 | +3 a year → 64 by 2025: 可以完成 (预期性)   |
| 2 主城区生活垃圾回收利用率   | 22       | ≥35    | 2023 24          | baseline dated 2020: +0.67 a year → 25.33:  |
|                            |          |        |                  | 存在不确定性                                |
| 3 一般工业固体废物产生强度   | 0.5      | 0.4 ↓  | 2023 0.38, 2024 0.3 | met in 2023: 可以完成 (2024 not counted) |
| 4 “无废学校”数量            | —        | 20     | none             | 存在不确定性                                |
| 5 森林覆盖率                | —        | 8.2    | 2023 13.4        | met: 可以完成; 约束性 from the evaluation    |

Tasks: S1 制度体系 done 20 November; S2 制度体系 reported W49 and W51 (W51 says what was
done), and W01 of 2024 (not in the year); S3 主要任务 led by 城管局, never reported.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from tests.cadence import figures as F
from tests.cadence.test_figures import CADENCE, CAL, CITY, ENV, RULES, Builder
from wufei.indicators.models import Indicator, IndicatorDepartment, IndicatorValue
from wufei.indicators.reporting import review_value, submit_value
from wufei.indicators.trajectory import TrackingRules
from wufei.plans.models import Jurisdiction
from wufei.reports.models import Report


@pytest.fixture
def city(session):
    b = Builder(session)
    province = Jurisdiction(name="河北省", level="province")
    b.jurisdictions["河北省"] = province
    b.jurisdictions["衡水市"] = Jurisdiction(name="衡水市", level="city", parent=province)
    session.add_all(list(b.jurisdictions.values()))
    b.department(ENV, "bureau")
    b.department(CITY, "bureau")
    plan = b.plan("衡水市测试方案", issued_on=date(2023, 4, 3))
    plan.period_start = 2021
    evaluation = b.plan("衡水市中期评估", issued_on=None, kind="evaluation")

    def indicator(
        owner,
        number,
        name,
        *,
        target,
        values=(),
        baseline=None,
        baseline_year=None,
        direction="up",
        attribute=None,
        unit="%",
        level1="资源利用",
    ):
        row = Indicator(
            plan=owner,
            number=number,
            name=name,
            unit=unit,
            level1=level1,
            target_raw=target,
            target_kind="numeric",
            target_value=Decimal(target.strip("≥*")),
            target_comparator=">=" if target.startswith("≥") else None,
            target_year=2025,
            baseline_raw=baseline,
            baseline_value=Decimal(baseline) if baseline else None,
            baseline_year=baseline_year,
            direction=direction,
            attribute=attribute,
        )
        row.values = [
            IndicatorValue(year=y, value=Decimal(v), value_raw=v, source="测试", forecast=f) for y, v, f in values
        ]
        row.assignments = [IndicatorDepartment(department=b.departments[ENV], role="lead")]
        session.add(row)

    indicator(
        plan,
        "1",
        "一般工业固体废物综合利用率",
        target="60",
        baseline="49",
        baseline_year=2020,
        values=[(2022, "55", None), (2023, "58", None)],
        attribute="expected",
    )
    indicator(plan, "2", "主城区生活垃圾回收利用率", target="≥35", baseline="22", values=[(2023, "24", None)])
    indicator(
        plan,
        "3",
        "一般工业固体废物产生强度",
        target="0.4",
        baseline="0.5",
        direction="down",
        values=[(2023, "0.38", None), (2024, "0.3", None)],
        unit="吨/万元",
    )
    indicator(plan, "4", "开展“无废学校”的数量", target="20", unit="所")
    indicator(plan, "5", "全市森林覆盖率", target="8.2", values=[(2023, "13.4", None)], level1="生态保护")
    indicator(
        evaluation,
        "19",
        "森林覆盖率",
        target="8.2*",
        values=[(2022, "13.4", "可以完成")],
        attribute="binding",
        level1="生态保护",
    )
    indicator(
        evaluation,
        "20",
        "地下水压采量",
        target="2.83",
        values=[(2022, "2.89", "可以完成")],
        attribute="binding",
        unit="亿立方米",
        level1="生态保护",
    )

    s1 = b.task("S1", plan, due=date(2023, 12, 31), lead=ENV, completed_on=date(2023, 11, 20))
    s2 = b.task("S2", plan, due=date(2025, 12, 31), lead=ENV)
    s3 = b.task("S3", plan, due=date(2025, 12, 31), lead=CITY)
    s1.list_kind = s2.list_kind = "institution"
    s1.list_name = s2.list_name = "制度体系"
    s2.category = "危险废物"
    s3.list_name = "强化顶层设计引领，构建无废制度体系"
    b.report("S1", date(2023, 11, 13), 100)
    b.report("S2", date(2023, 12, 4), 40)
    b.report("S2", date(2023, 12, 18), 60)
    b.report("S2", date(2024, 1, 1), 70)
    session.flush()
    latest = session.query(Report).filter_by(task_id=s2.id, week_start=date(2023, 12, 18)).one()
    latest.done_text, latest.problems, latest.next_steps = "完成危险废物规范化管理评估", "资金未到位", "申请专项资金"
    session.flush()
    return b


@pytest.fixture
def assessment(session, city):
    return F.self_assessment_figures(
        session,
        year=2023,
        as_of=date(2024, 1, 20),
        calendar=CAL,
        jurisdiction="衡水市",
        cadence=CADENCE,
        light_rules=RULES,
    )


def test_the_self_assessment_is_due_on_31_january_to_the_province(assessment):
    assert (assessment["kind"], assessment["kind_cn"], assessment["year"], assessment["scope"]) == (
        "self_assessment",
        "年度自评估",
        2023,
        "衡水市",
    )
    assert (assessment["due_on"], assessment["due_on_cn"], assessment["late"], assessment["submit_to"]) == (
        "2024-01-31",
        "2024年1月31日",
        False,
        "河北省",
    )
    assert [p["title"] for p in assessment["plans"]] == ["衡水市测试方案"]  # the evaluation is not supervised
    assert assessment["reference"]["title"] == "衡水市中期评估"


def test_the_indicator_table_gives_target_current_value_forecast_and_attribute(assessment):
    rows = {r["number"]: r for r in assessment["indicators"]["rows"]}
    table = [
        (r["seq"], r["name"], r["target"], r["current_text"], r["forecast"], r["attribute_cn"])
        for r in assessment["indicators"]["rows"]
    ]
    assert table == [
        (1, "一般工业固体废物综合利用率", "60", "58", "可以完成", "预期性"),
        (2, "主城区生活垃圾回收利用率", "≥35", "24", "存在不确定性", "未标注"),
        (3, "一般工业固体废物产生强度", "0.4", "0.38", "可以完成", "未标注"),
        (4, "开展“无废学校”的数量", "20", None, "存在不确定性", "未标注"),
        (5, "全市森林覆盖率", "8.2", "13.4", "可以完成", "约束性"),
    ]
    assert rows["1"]["forecast_reason"] == "按2022—2023年年均变化3推算，2025年约为64，可达到目标值"
    assert rows["2"]["forecast_reason"] == "按2020—2023年年均变化0.67推算，2025年约为25.33，达不到目标值"
    assert rows["3"]["current"] == {"year": 2023, "value": "0.38", "raw": "0.38"}
    assert (rows["1"]["attribute_from"], rows["5"]["attribute_from"], rows["2"]["attribute_from"]) == (
        "plan",
        "reference",
        None,
    )
    assert rows["5"]["reference"] == {
        "number": "19",
        "name": "森林覆盖率",
        "category": None,
        "unit": "%",
        "target": "8.2*",
        "attribute_cn": "约束性",
        "earlier": [{"year": 2022, "value": "13.4", "forecast": "可以完成"}],
    }
    assert (rows["1"]["category"], rows["1"]["unit"], rows["1"]["leads"]) == ("资源利用", "%", [ENV])
    assert assessment["indicators"]["summary"] == {
        "total": 5,
        "can_complete": 3,
        "uncertain": 2,
        "binding": 1,
        "expected": 1,
        "unmarked": 3,
        "matched": 1,
    }
    assert assessment["indicators"]["reference_unmatched"] == [
        {"number": "20", "name": "地下水压采量", "category": None, "attribute_cn": "约束性"}
    ]


def test_the_forecast_rule_is_declared_and_can_be_turned_to_targets_only(session, city):
    strict = F.self_assessment_figures(
        session,
        year=2023,
        as_of=date(2024, 1, 20),
        calendar=CAL,
        jurisdiction="衡水市",
        cadence=CADENCE,
        light_rules=RULES,
        rules={"self_assessment": {"forecast_by_trend": 0}},
    )
    assert strict["rules"] == {"forecast_by_trend": 0}
    assert [r["forecast"] for r in strict["indicators"]["rows"]] == [
        "存在不确定性",
        "存在不确定性",
        "可以完成",
        "存在不确定性",
        "可以完成",
    ]


def test_task_progress_is_grouped_by_area_with_the_latest_report_of_the_year(assessment):
    areas = assessment["tasks"]["areas"]
    assert [(a["area"], a["tasks"], a["done"], a["reported"]) for a in areas] == [
        ("制度体系", 2, 1, 2),
        ("强化顶层设计引领，构建无废制度体系", 1, 0, 0),
    ]
    s1, s2 = areas[0]["items"]
    assert (s1["state_cn"], s1["completed_on"], s1["latest_report"]["week"]) == ("已完成", "2023-11-20", "2023-W46")
    # W01 of 2024 is filed but is not in 2023: W51's report is the year's last word.
    assert s2["latest_report"] == {
        "week": "2023-W51",
        "progress": 60,
        "done_text": "完成危险废物规范化管理评估",
        "problems": "资金未到位",
        "next_steps": "申请专项资金",
        "department": ENV,
    }
    # W52 (closing Friday 29 December) has no report: one week missing, yellow.
    assert (s2["state_cn"], s2["category"], s2["light"]) == ("推进中", "危险废物", "yellow")
    [s3] = areas[1]["items"]
    assert (s3["state_cn"], s3["latest_report"], s3["leads"]) == ("本年度无进展报送", None, [CITY])
    assert areas[0]["summary"] == "共2项任务，已完成1项，2项有本年度进展报送"  # not 「0项没有」
    assert assessment["tasks"]["summary"] == {"tasks": 3, "supervised": 3, "done": 1, "reported": 2}


def test_a_self_assessment_computed_after_the_due_date_says_it_is_late(session, city):
    late = F.self_assessment_figures(
        session,
        year=2023,
        as_of=date(2024, 2, 1),
        calendar=CAL,
        jurisdiction="衡水市",
        cadence=CADENCE,
        light_rules=RULES,
    )
    assert late["late"] is True


def test_reported_values_give_the_tracked_forecast_with_its_basis_imported_ones_otherwise(session, city):
    env = city.departments[ENV].id
    ids = {i.number: i.id for i in session.query(Indicator).filter(Indicator.plan.has(title="衡水市测试方案"))}

    def file(number: str, value: str, day: date):
        return submit_value(
            session,
            indicator_id=ids[number],
            department_id=env,
            period="2023",
            value=value,
            source="统计年报",
            at=datetime(day.year, day.month, day.day, 10, tzinfo=CADENCE.timezone),
            actor="测试",
            rules=TrackingRules(),
            cadence=CADENCE,
        )

    file("1", "50", date(2024, 1, 10))  # below the imported 58: the trend turns down
    returned = file("2", "36", date(2024, 1, 10))
    review_value(
        session,
        report_id=returned.id,
        accept=False,
        reason="口径不符",
        actor="办公室",
        at=datetime(2024, 1, 11, tzinfo=CADENCE.timezone),
        cadence=CADENCE,
    )
    file("3", "0.2", date(2024, 1, 25))  # filed after the assessment's day: not counted
    session.flush()
    figures = F.self_assessment_figures(
        session,
        year=2023,
        as_of=date(2024, 1, 20),
        calendar=CAL,
        jurisdiction="衡水市",
        cadence=CADENCE,
        light_rules=RULES,
    )
    rows = {r["number"]: r for r in figures["indicators"]["rows"]}
    assert (rows["1"]["current_text"], rows["1"]["forecast"], rows["1"]["forecast_from"]) == (
        "50",
        "存在不确定性",
        "填报数值",
    )
    assert (
        rows["1"]["forecast_reason"]
        == "据2023年填报数值50：按最近2期数值趋势（每年-5个百分点），2025年末约为39.99%，达不到目标值"
    )
    assert rows["1"]["current"] == {"year": 2023, "value": "50", "raw": "50"}
    # A returned value and one filed after the day do not count: the imported values decide.
    assert (rows["2"]["current_text"], rows["2"]["forecast"], "forecast_from" in rows["2"]) == (
        "24",
        "存在不确定性",
        False,
    )
    assert rows["2"]["forecast_reason"] == "按2020—2023年年均变化0.67推算，2025年约为25.33，达不到目标值"
    assert (rows["3"]["current_text"], rows["3"]["forecast"], "forecast_from" in rows["3"]) == (
        "0.38",
        "可以完成",
        False,
    )
    assert figures["indicators"]["summary"]["can_complete"] == 2


def test_the_report_says_how_many_reference_indicators_are_still_unmatched(session, city, tmp_path):
    from tests.bulletins.issuing import issue_bulletin

    issued = issue_bulletin(
        session, kind="self-assessment", period="2023", scope="衡水市", out_dir=tmp_path, as_of=date(2024, 1, 20)
    )
    text = next(p for p in issued.paths if p.suffix == ".md").read_text(encoding="utf-8")
    assert "指标表对照衡水市中期评估的格式，1项已对应，参照表中另有1项尚未对应，列于后表，请补充。" in text

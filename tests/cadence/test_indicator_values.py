"""The values departments file (指标填报) count in the year's indicator status: the monthly 表7
指标进展 and the year-end score read what the tracking (表8) reads, as of the figures' day.

The year-end world of test_figures (`year_world`, a plan of 2023–2025) gets seven indicators led by
生态环境局; the assessment of 2023 is run on 22 January 2024, the December dispatch on 4 January:

| no. | indicator (how often)        | target | filed (Beijing time)                   | on 22 January    |
| 1   | 一般工业固体废物产生强度 ↓ (y) | 0.4    | 2023 0.38 on 10 Jan, accepted 12 Jan   | 达标: counted    |
| 2   | 开展绿色工厂建设的企业数量 (y)  | 30     | 2023 31 on 10 Jan, returned 11 Jan     | none: missed     |
| 3   | 畜禽养殖标准化示范场占比 (y)    | 1.7    | 2023 1.8 on 25 Jan, accepted 26 Jan    | later: missed    |
| 4   | 装配式建筑占新建建筑的比例 (y)  | 30     | 2023 35 on 15 Jan, never reviewed      | pending: out     |
| 5   | 秸秆收储运体系覆盖率 (y)        | 17     | 2023 17.5 on 15 Jan, accepted 25 Jan   | pending: out     |
| 6   | 一般工业固体废物综合利用率 (q)  | 60     | 2022 52 imported; Q3 55.15 on 10 Oct,  | Q3 vs 2022: 向好 |
|     |                               |        | accepted 12 Oct; Q4 56 on 10 Jan       | (Q4 pending)     |
| 7   | 主城区生活垃圾分类覆盖率 (m)    | 100    | 2023-11 84.65 on 5 Dec, never reviewed | pending: out     |

On main none of the filed values reached the status: 1 to 5 and 7 were 暂无数据 (1 to 5 missed)
and 6 was judged on the imported 52 alone (2022年).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from tests.cadence import figures as F
from tests.cadence.test_figures import CADENCE, CAL, ENV, RULES, year_world  # noqa: F401
from wufei.bulletins.kinds import _indicator_rows
from wufei.cadence import periods
from wufei.figures.annual import VALUES_RULE
from wufei.figures.monthly import MonthlyFigures
from wufei.indicators.models import Indicator, IndicatorDepartment, IndicatorValue
from wufei.indicators.reporting import review_value, submit_value
from wufei.indicators.trajectory import TrackingRules

TRACKING = TrackingRules.load()  # 综合利用率 quarterly, 生活垃圾分类 monthly


def moment(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=CADENCE.timezone)


@pytest.fixture
def filed(session, year_world):
    plan = year_world.tasks["A1"].plan
    env = year_world.departments[ENV]
    rows: dict[str, Indicator] = {}

    def indicator(number, name, target, baseline, *, unit="%", direction="up", imported=()):
        row = Indicator(
            plan=plan,
            number=number,
            name=name,
            unit=unit,
            target_raw=target,
            target_kind="numeric",
            target_value=Decimal(target),
            baseline_raw=baseline,
            baseline_value=Decimal(baseline),
            direction=direction,
        )
        row.values = [IndicatorValue(year=y, value=Decimal(v), value_raw=v, source="中期评估") for y, v in imported]
        row.assignments = [IndicatorDepartment(department=env, role="lead")]
        session.add(row)
        rows[number] = row

    def file(number, period, value, day, review=None):
        report = submit_value(
            session,
            indicator_id=rows[number].id,
            department_id=env.id,
            period=period,
            value=value,
            source="市统计局",
            at=moment(day),
            actor="生态环境局联络员",
            rules=TRACKING,
            cadence=CADENCE,
        )
        if review is not None:
            accept, on = review
            review_value(
                session,
                report_id=report.id,
                accept=accept,
                reason=None if accept else "口径不符",
                actor="办公室",
                at=moment(on, 15),
                cadence=CADENCE,
            )

    indicator("1", "一般工业固体废物产生强度", "0.4", "0.5", unit="吨/万元", direction="down")
    indicator("2", "开展绿色工厂建设的企业数量", "30", "15", unit="个")
    indicator("3", "畜禽养殖标准化示范场占比", "1.7", "0.5")
    indicator("4", "装配式建筑占新建建筑的比例", "30", "20")
    indicator("5", "秸秆收储运体系覆盖率", "17", "14.4")
    indicator("6", "一般工业固体废物综合利用率", "60", "49", imported=[(2022, "52")])
    indicator("7", "主城区生活垃圾分类覆盖率", "100", "70")
    session.flush()
    file("1", "2023", "0.38", date(2024, 1, 10), review=(True, date(2024, 1, 12)))
    file("2", "2023", "31", date(2024, 1, 10), review=(False, date(2024, 1, 11)))
    file("3", "2023", "1.8", date(2024, 1, 25), review=(True, date(2024, 1, 26)))
    file("4", "2023", "35", date(2024, 1, 15))
    file("5", "2023", "17.5", date(2024, 1, 15), review=(True, date(2024, 1, 25)))
    file("6", "2023-Q3", "55.15", date(2023, 10, 10), review=(True, date(2023, 10, 12)))
    file("6", "2023-Q4", "56", date(2024, 1, 10))
    file("7", "2023-11", "84.65", date(2023, 12, 5))
    session.flush()
    return rows


def annual(session, as_of: date):
    return F.annual_figures(
        session,
        period=periods.year(2023),
        as_of=as_of,
        calendar=CAL,
        jurisdiction="衡水市",
        cadence=CADENCE,
        light_rules=RULES,
        tracking=TRACKING,
    )


def indicator_part(figures) -> dict:
    [env] = [row for row in figures["departments"] if row["department"] == ENV]
    return next(c for c in env["components"] if c["key"] == "indicators")


def test_a_value_filed_and_accepted_is_scored_at_year_end_a_returned_or_later_one_is_not(session, filed):
    figures = annual(session, date(2024, 1, 22))
    part = indicator_part(figures)
    counted = {r["number"]: (r["status_cn"], r["note"]) for r in part["counted"]}
    assert counted == {
        "1": ("已达到目标值", "2023年0.38吨/万元（基线0.5，目标0.4）：已达到目标值"),
        # Scored on the accepted Q3 against 2022; the Q4 value awaiting review is named, not used.
        "6": (
            "较2022年向好（2023年第4季度填报56%待审核，未计入）",
            "2023年第3季度55.15%（基线49，目标60）：较2022年向好（2023年第4季度填报56%待审核，未计入）",
        ),
    }
    # Returned (2) and filed after 22 January (3): no value, missed by the shipped rule.
    assert [(r["number"], r["status_cn"]) for r in part["missed"]] == [("2", "暂无数据"), ("3", "暂无数据")]
    # Awaiting review on 22 January (5 was accepted on the 25th): neither earned nor lost.
    assert [(r["number"], r["status_cn"], r["note"]) for r in part["excluded"]] == [
        ("4", "数值待审核", "2023年填报35%，待审核，采纳后计入"),
        ("5", "数值待审核", "2023年填报17.5%，待审核，采纳后计入"),
        ("7", "数值待审核", "2023年11月填报84.65%，待审核，采纳后计入"),
    ]
    assert (part["numerator"], part["denominator"], part["points"]) == (2, 4, 10.0)
    assert "填报数值经采纳后计入，待审核的不计入" in part["rule"]
    assert figures["rules"]["indicator_values"] == VALUES_RULE

    # The bulletin's indicator table shows every value not returned, marked when awaiting review.
    items = {i["number"]: i for i in figures["indicators"]["items"]}
    assert items["4"]["latest"] == {
        "year": 2023,
        "value": "35",
        "source": "市统计局",
        "forecast": None,
        "period": "2023",
        "period_cn": "2023年",
        "pending": True,
    }
    assert (items["6"]["latest"]["period_cn"], items["6"]["latest"]["value"]) == ("2023年第4季度", "56")
    assert [items[n]["status"] for n in "1234567"] == [
        "met",
        "no_data",
        "no_data",
        "met",
        "met",
        "improving",
        "improving",
    ]


def test_a_later_run_of_the_same_year_sees_the_values_filed_and_accepted_since(session, filed):
    part = indicator_part(annual(session, date(2024, 1, 26)))
    # 3 filed on the 25th and accepted on the 26th, 5 accepted on the 25th: both met now.
    assert sorted(r["number"] for r in part["counted"]) == ["1", "3", "5", "6"]
    assert [r["number"] for r in part["missed"]] == ["2"]
    assert [r["number"] for r in part["excluded"]] == ["4", "7"]


def december(session) -> MonthlyFigures:
    figures: MonthlyFigures = F.compute(
        session,
        "monthly",
        period="2023-12",
        as_of=date(2024, 1, 4),
        calendar=CAL,
        scope="衡水市",
        cadence=CADENCE,
        light_rules=RULES,
        tracking=TRACKING,
    )
    return figures


def test_the_monthly_progress_table_labels_a_quarterly_value_by_its_quarter(session, filed):
    figures = december(session)
    items = {i.number: i for i in figures.indicators.items}
    six, seven = items["6"], items["7"]
    assert six.latest is not None and seven.latest is not None
    assert (six.latest.period_cn, six.latest.value, six.status, six.status_cn) == (
        "2023年第3季度",
        "55.15",
        "improving",
        "较2022年向好",
    )
    assert six.explanation == "2023年第3季度55.15%（基线49，目标60）：较2022年向好"
    assert (seven.latest.period_cn, seven.latest.pending) == ("2023年11月", True)
    assert seven.explanation == "2023年11月84.65%（待审核，基线70，目标100）：较基线向好"
    rows = {row[0]: row for row in _indicator_rows(figures.indicators.items)}  # 表7 as the bulletin writes it
    assert rows["6"][5:7] == ["55.15（2023年第3季度）", "较2022年向好"]
    assert rows["7"][5:7] == ["84.65（2023年11月，待审核）", "较基线向好"]
    assert rows["1"][5:7] == ["—", "暂无数据"]  # filed on 10 January: after the dispatch's day


def test_the_monthly_progress_and_tracking_tables_agree_on_which_indicators_have_data(session, filed):
    figures = december(session)
    assert figures.tracking is not None
    progress = {i.number for i in figures.indicators.items if i.latest is not None}
    tracked = {t.number for t in figures.tracking.items if t.latest is not None}
    assert progress == tracked == {"6", "7"}
    assert figures.indicators.summary.no_data == 5

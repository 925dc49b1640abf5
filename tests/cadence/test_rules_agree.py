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
from decimal import Decimal

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from tests.cadence import figures as F
from tests.cadence.test_figures import CADENCE, CAL, CITY, ENV, TAOCHENG, Builder, at
from wufei import migrate
from wufei.bulletins.render import markdown
from wufei.cadence import periods
from wufei.cli import main
from wufei.db import transaction
from wufei.extensions.models import Extension
from wufei.indicators.models import Indicator, IndicatorDepartment
from wufei.lights.rules import LightRules
from wufei.notices.models import NoticeIntent
from wufei.plans.models import Jurisdiction
from wufei.points import registry, runs
from wufei.points.issue import document_for, snapshot_for
from wufei.tasks.models import Task

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


# --- 2. a deadline on a holiday counts to the next working day ----------------------------------


def test_a_task_due_on_national_day_is_not_red_in_the_holiday_and_done_the_8th_is_on_time(session, holiday_world):
    during = F.monthly_figures(
        session,
        period=periods.month(2024, 10),
        as_of=date(2024, 10, 4),
        calendar=CAL,
        jurisdiction="衡水市",
        cadence=CADENCE,
        light_rules=RULES,
    )
    assert during["totals"]["overdue"] == 0
    h1 = next(t for t in during["attention"] if t["title"] == "任务H1")
    assert h1["light"] == "yellow" and "完成期限10月1日为节假日，顺延至10月8日" in h1["reason"]
    env = unit(annual(session), ENV)
    on_time = component(env, "on_time")
    assert [(r["number"], r["note"]) for r in on_time["counted"]] == [
        ("H1", "2024年10月8日完成，未超过原定期限2024年10月1日（节假日，顺延至2024年10月8日）")
    ]
    quarter = F.quarterly_figures(
        session,
        period=periods.quarter(2024, 4),
        as_of=date(2025, 1, 8),
        calendar=CAL,
        jurisdiction="衡水市",
        cadence=CADENCE,
        light_rules=RULES,
    )
    env_q = next(r for r in quarter["departments"] if r["department"] == ENV)
    assert (env_q["due"], env_q["done"], env_q["done_on_time"]) == (2, 1, 1)  # H1 on time; H4 due 31 Dec, open
    # the office may turn the rule off: then H1 was late
    strict = unit(annual(session, light_rules=LightRules(deadline_rolls_over_holidays=False)), ENV)
    assert component(strict, "on_time")["counted"] == []


# --- 4. a deadline before the plan was issued ---------------------------------------------------


def quarter_units(session, as_of=date(2025, 1, 8)) -> dict[str, dict]:
    figures = F.quarterly_figures(
        session,
        period=periods.quarter(2024, 4),
        as_of=as_of,
        calendar=CAL,
        jurisdiction="衡水市",
        cadence=CADENCE,
        light_rules=RULES,
    )
    return {row["department"]: row for row in figures["departments"] + figures["localities"]}


def test_a_deadline_before_the_plan_is_not_due_until_the_office_confirms_it_and_a_confirmation_is_not_late(
    session, holiday_world
):
    city = quarter_units(session)[CITY]
    # H3 (2023-12-31, before the plan) waits for the office, yellow 请确认是否已完成; H2 runs to 2025.
    assert (city["due"], city["done"], city["rates"]["completion"]) == (0, 0, None)
    assert [t["reason"] for t in city["yellow_tasks"]] == ["完成期限（2023年12月31日）早于方案印发，请确认是否已完成"]
    assert "无到期任务" in city["facts"][0]
    holiday_world.tasks["H3"].completed_on = date(2024, 11, 15)  # the office confirms it done
    session.flush()
    city = quarter_units(session)[CITY]
    assert (city["due"], city["done"], city["done_on_time"]) == (1, 1, 1)
    [counted] = next(c for c in city["components"] if c["key"] == "on_time")["counted"]
    assert counted["note"] == "2024年11月15日完成，未超过期限2023年12月31日早于方案印发，已确认完成"


# --- 5. one definition of due in the period, for every bulletin ---------------------------------


def test_the_assessments_due_in_the_year_agrees_with_its_units_and_its_sentence(session, holiday_world):
    figures = annual(session)
    fixed = sum(row["due_fixed"] for row in figures["departments"])
    # by the original dates: H1 (1 October, rolled to the 8th), H2 (29 November), H4 (31 December)
    assert figures["totals"]["due_in_period"] == fixed == 3
    assert figures["totals"]["overdue"] == 0  # H4 is due on the lights' day itself
    bulletin = text(session, "annual", "2024", date(2025, 1, 22))
    assert "年内到期3项" in bulletin
    h4 = [r["note"] for r in component(unit(figures, ENV), "completion")["missed"] if r["number"] == "H4"]
    assert h4 == ["截至2024年12月31日未完成（原定期限2024年12月31日）"]
    # the quarter's last day: due (and not done) in the circular as in the assessment, not overdue
    quarter = F.quarterly_figures(
        session,
        period=periods.quarter(2024, 4),
        as_of=date(2025, 1, 8),
        calendar=CAL,
        jurisdiction="衡水市",
        cadence=CADENCE,
        light_rules=RULES,
    )
    assert quarter["totals"]["overdue"] == 0 and quarter["totals"]["due_in_period"] == 2  # H1, H4 (H2 extended)


# --- 3. the province roll-up counts as the year-end assessment does -----------------------------


def test_the_province_year_end_counts_each_city_as_its_assessment_does(session, holiday_world):
    province = Jurisdiction(name="河北省", level="province")
    session.add(province)
    holiday_world.jurisdictions["衡水市"].parent = province
    plan = holiday_world.tasks["H1"].plan
    indicator = Indicator(
        plan=plan, number="1", name="主城区生活垃圾回收利用率", unit="%", target_raw="35", target_kind="numeric",
        target_value=Decimal("35"), direction="up",
    )  # fmt: skip
    indicator.assignments = [IndicatorDepartment(department=holiday_world.departments[ENV], role="lead")]
    session.add(indicator)
    session.flush()
    rollup = F.province_figures(
        session,
        kind="annual",
        period=periods.year(2024),
        as_of=date(2025, 1, 22),
        calendar=CAL,
        cadence=CADENCE,
        light_rules=RULES,
    )
    [city] = rollup["cities"]
    env = unit(annual(session), ENV)
    city_unit = unit(annual(session), CITY)
    # the assessment: H1, H4 (生态环境局) and H2 (城管局) due in 2024 by their original dates, H1 done,
    # on time by its holiday rollover; the indicator without data judged, off track
    assert (
        (city["due"], city["done"], city["done_on_time"])
        == (
            env["due"] + city_unit["due"],
            env["completed"] + city_unit["completed"],
            env["on_time"] + city_unit["on_time"],
        )
        == (3, 1, 1)
    )
    assert city["indicators"]["judged"] == env["indicators"]["judged"] == 1
    assert city["rates"]["indicators"] == 0
    method = "\n".join(rollup["method"])
    assert "无数据的指标按未达标计" in method and "按年终考核规则计" in method
    bulletin = text(session, "province", "2024", date(2025, 1, 22), scope="河北省")
    assert "按年终考核规则计——当年到期的有期限任务（按原定期限" in bulletin


# --- 7. the monthly change list names a task once ----------------------------------------------


def test_a_task_newly_overdue_is_not_also_listed_as_worse(session, holiday_world):
    november = F.monthly_figures(
        session,
        period=periods.month(2024, 11),
        as_of=date(2024, 12, 2),
        calendar=CAL,
        jurisdiction="衡水市",
        cadence=CADENCE,
        light_rules=RULES,
    )
    changes = november["changes"]
    assert [t["title"] for t in changes["newly_overdue"]] == ["任务H2"]  # green on 31 October, red on 30 November
    assert (changes["newly_overdue_count"], changes["worsened_count"], changes["worsened"]) == (1, 0, [])
    bulletin = text(session, "monthly", "2024-11", date(2024, 12, 2))
    assert (
        "新增逾期任务1项。" in bulletin
        and "灯色变差" not in bulletin.split("本月变化情况")[1].split("红灯、黄灯任务")[0]
    )


# --- 6. what is empty is left out ---------------------------------------------------------------


def test_empty_lists_and_zero_counts_are_left_out_of_the_sentences(session, holiday_world):
    province = Jurisdiction(name="河北省", level="province")
    session.add(province)
    holiday_world.jurisdictions["衡水市"].parent = province
    session.flush()
    texts = {
        "annual": text(session, "annual", "2024", date(2025, 1, 22)),
        "quarterly": text(session, "quarterly", "2024-Q4", date(2025, 1, 8)),
        "self-assessment": text(session, "self-assessment", "2024", date(2025, 1, 22)),
        "half-year": text(session, "half-year", "2024-H2", date(2025, 1, 10)),
        "province": text(session, "province", "2024-Q4", date(2025, 1, 8), scope="河北省"),
    }
    for kind, bulletin in texts.items():
        for broken in ("：。", "：；", "；预计。", "，。", "指标0项", "0项指标中", "共0个", "（—）", "\n无。\n"):
            assert broken not in bulletin, (kind, broken, bulletin)
    assert "指标完成情况" not in texts["annual"]  # a plan listing no indicator has no indicator section
    assert "指标填报与序时进度" not in texts["quarterly"]
    assert "方案未列纳入自评估的指标。" in texts["self-assessment"]
    assert "方案未列工程项目，本期无观摩项目。" in texts["half-year"] and "观摩项目清单**" not in texts["half-year"]
    assert "省级方案落实情况" not in texts["province"]


# --- 9. the self-assessment's data stop at its date ----------------------------------------------


def test_the_self_assessment_shows_no_report_filed_after_its_data_date(session, holiday_world):
    holiday_world.report("H4", date(2024, 12, 30), 100, at=at(date(2025, 1, 3)))
    session.flush()
    figures = F.self_assessment_figures(
        session, year=2024, as_of=date(2025, 1, 22), calendar=CAL,
        jurisdiction="衡水市", cadence=CADENCE, light_rules=RULES,
    )  # fmt: skip
    assert figures["lights_as_of"] == "2024-12-31"
    [h4] = [i for area in figures["tasks"]["areas"] for i in area["items"] if i["title"] == "任务H4"]
    assert (h4["latest_report"]["week"], h4["latest_report"]["progress"]) == ("2024-W52", 99)
    bulletin = text(session, "self-assessment", "2024", date(2025, 1, 22))
    assert "数据截至2024年12月31日" in bulletin and "2025年第1周" not in bulletin


# --- 10. no bulletin of a period before the plan ------------------------------------------------


def test_a_month_before_the_plan_was_issued_gets_no_bulletin_nor_notices(fresh_engine, tmp_path):
    migrate.upgrade(fresh_engine)
    with transaction(fresh_engine) as session:
        b = Builder(session)
        b.department(ENV, "bureau")
        plan = b.plan("衡水市测试方案（九月印发）", issued_on=date(2024, 9, 2))
        b.task("P1", plan, due=date(2025, 6, 30), lead=ENV)
    rules = F.ruleset(CADENCE, RULES)
    august = runs.run_point(
        fresh_engine, registry.point("monthly"), date(2024, 9, 5), rules=rules, force=True, out_dir=tmp_path
    )
    assert (august["period"], august["scopes"], august["bulletins"]) == ("2024-08", [], [])
    september = runs.run_point(
        fresh_engine, registry.point("monthly"), date(2024, 10, 10), rules=rules, force=True, out_dir=tmp_path
    )
    assert september["scopes"] == ["衡水市"] and september["bulletins"]
    with transaction(fresh_engine) as session:
        periods_noticed = set(session.scalars(select(NoticeIntent.period).where(NoticeIntent.kind == "bulletin_ready")))
    assert "2024-08" not in periods_noticed
    result = CliRunner().invoke(
        main,
        ["bulletin", "monthly", "--period", "2024-08", "--jurisdiction", "衡水市", "--out", str(tmp_path / "cli")],
        env={"WUFEI_DATABASE_URL": str(fresh_engine.url.render_as_string(hide_password=False))},
    )
    assert result.exit_code == 1 and "该期间结束前没有已印发、纳入督办的方案，未生成通报" in result.output


# --- 11. a year without its holiday arrangement is said in Chinese ------------------------------


def test_a_year_counted_monday_to_friday_is_said_in_the_bulletin_and_on_the_command_line(fresh_engine, tmp_path):
    migrate.upgrade(fresh_engine)
    with transaction(fresh_engine) as session:
        b = Builder(session)
        b.department(ENV, "bureau")
        plan = b.plan("衡水市测试方案（至2027年）", issued_on=date(2024, 9, 2))
        b.task("Y1", plan, due=date(2027, 6, 30), lead=ENV)
        b.task("Y2", plan, due=date(2025, 6, 30), lead=ENV)
    said = "2027年节假日安排尚未导入（wufei calendar import），按周一至周五扣除法定节假日计算，未含调休"
    result = CliRunner().invoke(
        main,
        ["bulletin", "monthly", "--period", "2024-10", "--jurisdiction", "衡水市", "--out", str(tmp_path)],
        env={"WUFEI_DATABASE_URL": str(fresh_engine.url.render_as_string(hide_password=False))},
    )
    assert result.exit_code == 0, result.output
    assert f"注：{said}。" in result.output and "注意：2027年的节假日安排尚未导入" in result.output
    assert "UnknownYearWarning" not in result.output
    bulletin = (tmp_path / "衡水市" / "monthly-2024-10.md").read_text(encoding="utf-8")
    assert f"注：{said}。" in bulletin
    # once no open task's deadline falls in the year, the bulletin says nothing of it
    with transaction(fresh_engine) as session:
        session.get(Task, b.tasks["Y1"].id).completed_on = date(2024, 10, 20)
    result = CliRunner().invoke(
        main,
        ["bulletin", "monthly", "--period", "2024-10", "--jurisdiction", "衡水市", "--out", str(tmp_path / "again"),
         "--refresh"],
        env={"WUFEI_DATABASE_URL": str(fresh_engine.url.render_as_string(hide_password=False))},
    )  # fmt: skip
    assert result.exit_code == 0 and "注：" not in result.output
    assert "注：" not in (tmp_path / "again" / "衡水市" / "monthly-2024-10.md").read_text(encoding="utf-8")


# --- a county is not named for the lead's missed reports ----------------------------------------


def test_a_county_supporting_a_task_red_only_for_the_leads_missed_reports_is_not_named_for_it(session, holiday_world):
    plan = holiday_world.tasks["H1"].plan
    holiday_world.task("H5", plan, due=date(2025, 12, 31), lead=CITY, supporting=TAOCHENG)
    holiday_world.reports("H5", [date(2024, 9, 2) + timedelta(weeks=n) for n in range(4)], 40)  # silent from October
    session.flush()
    rows = quarter_units(session)
    city, county = rows[CITY], rows[TAOCHENG]
    assert [t["title"] for t in city["red_tasks"]] == ["任务H5"] and city["lagging"] is True
    assert county["red"] == 0 and county["red_tasks"] == [] and county["lagging"] is False
    assert county["facts"][-1] == "另有红灯任务1项仅因牵头单位未按时报送，由牵头单位负责，不计入本单位"
    bulletin = text(session, "quarterly", "2024-Q4", date(2025, 1, 8))
    named = bulletin.split("、通报单位")[1]
    assert f"{CITY}（责任单位" in named and TAOCHENG not in named  # a plan not 无废城市: 责任单位 (walk23)

"""Figures of the cadence points on small worlds built here, with numbers worked out by hand.

World Q2-2023 (`world`): a 衡水市 plan issued on Monday 3 April 2023, reporting weekly since then
(weeks 2023-W14 … W26), nine supervised tasks and one project waiting for a lead:

| task | lead       | due (in force)          | story                                                    |
| T1   | 生态环境局 | 2023-06-30              | reports W14–W20 at 80%; done Friday 19 May (on time)     |
| T2   | 生态环境局 | 2023-05-15              | reports every week at 60%; overdue from 16 May           |
| T3   | 城管局     | 2025-12-31              | no report in April (red on 30 April); every week since   |
| T4   | 城管局     | 2025-12-31              | every week but W21 (yellow on 31 May)                    |
| T5   | 桃城区     | 2025-12-31              | every week; W19 filed a day late                         |
| T6   | —          | 2023-12-31              | project waiting for a lead                               |
| T7   | 城管局     | 2023-08-31              | project at 5% every week: behind 序时进度                |
| T8   | 生态环境局 | 2023-06-20              | project at 80%; done Friday 16 June                      |
| T9   | 城管局     | 2023-05-31 → 2023-09-30 | at 50%; extension approved 12 May                        |
| T10  | 领导小组   | 2025-12-31              | every week at 10%                                        |

T1 is supported by 桃城区, T7 by 冀州区. On-time reports are filed at 09:00 on the day their
window closes (Friday, or the working day before: 5 May after Labour Day, 21 June in the
Dragon Boat week). A 保定市 plan and a 衡水市 evaluation sit beside it, out of scope.
The light rules and the weekly window are the shipped defaults, passed explicitly.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from tests.cadence import figures as F
from tests.seed_files import CELLS_REPLY, HENGSHUI_PLAN
from wufei.cadence import periods
from wufei.cadence.config import CadenceConfig
from wufei.cadence.periods import PeriodError
from wufei.cadence.windows import reporting_window
from wufei.calendar.workdays import WorkCalendar
from wufei.cells.models import CellCount
from wufei.departments.models import Department
from wufei.extensions.models import Extension
from wufei.figures.codec import to_json
from wufei.figures.models import PeriodFigures
from wufei.indicators.models import Indicator, IndicatorValue
from wufei.lights.rules import LightRules
from wufei.notices.models import NoticeIntent
from wufei.plans.models import Jurisdiction, Plan
from wufei.reports.models import Report
from wufei.tasks.models import Milestone, Task, TaskDepartment

SHANGHAI = ZoneInfo("Asia/Shanghai")
CAL = WorkCalendar()
CADENCE = CadenceConfig.from_dict()  # the weekly window's defaults: opens Monday, due Friday 17:00
RULES = LightRules()  # the shipped thresholds (rules.yaml says the same)

ENV, CITY, TAOCHENG, JIZHOU, GROUP = (
    "市生态环境局",
    "市城市管理综合行政执法局",
    "桃城区人民政府",
    "冀州区人民政府",
    "市“无废城市”工作领导小组",
)
Q2_WEEKS = [w.start for w in periods.weeks_in(periods.quarter(2023, 2))]  # 3 April … 26 June


# --- builders ---------------------------------------------------------------------------------


class Builder:
    def __init__(self, session):
        self.session = session
        self.jurisdictions: dict[str, Jurisdiction] = {}
        self.departments: dict[str, Department] = {}
        self.tasks: dict[str, Task] = {}

    def jurisdiction(self, name: str) -> Jurisdiction:
        if name not in self.jurisdictions:
            self.jurisdictions[name] = Jurisdiction(name=name, level="city")
            self.session.add(self.jurisdictions[name])
        return self.jurisdictions[name]

    def department(self, name: str, kind: str, city: str = "衡水市") -> Department:
        if name not in self.departments:
            self.departments[name] = Department(jurisdiction=self.jurisdiction(city), name=name, kind=kind)
            self.session.add(self.departments[name])
        return self.departments[name]

    def plan(self, title: str, *, issued_on: date | None, kind: str = "plan", city: str = "衡水市", **extra) -> Plan:
        plan = Plan(
            jurisdiction=self.jurisdiction(city),
            title=title,
            kind=kind,
            issued_on=issued_on,
            period_start=2023,
            period_end=2025,
            **extra,
        )
        self.session.add(plan)
        return plan

    def task(
        self,
        key: str,
        plan: Plan,
        *,
        due: date | None,
        lead: str | None = None,
        supporting: str | None = None,
        deadline_kind: str = "fixed",
        list_kind: str = "main",
        completed_on: date | None = None,
        company: str | None = None,
    ) -> Task:
        task = Task(
            plan=plan,
            list_kind=list_kind,
            number=key.lstrip("TA"),
            title=f"任务{key}",
            deadline_kind=deadline_kind,
            due_date=due,
            completed_on=completed_on,
            deadline_raw=due.isoformat() if due else {"annual": "完成年度任务"}.get(deadline_kind, "持续推进"),
            responsible_entity=company,
            awaiting_assignment=lead is None,
        )
        if lead:
            task.assignments.append(TaskDepartment(department=self.departments[lead], role="lead", position=0))
        if supporting:
            task.assignments.append(
                TaskDepartment(department=self.departments[supporting], role="supporting", position=1)
            )
        self.session.add(task)
        self.tasks[key] = task
        return task

    def report(self, key: str, week: date, progress: int, *, at: datetime | None = None, late: bool = False):
        """Filed at 09:00 on the day the week's window closes; `late`: the day after it closed."""
        task = self.tasks[key]
        due_at = reporting_window(week, CAL, CADENCE).due_at
        at = at or (due_at + timedelta(days=1) if late else due_at.replace(hour=9, minute=0))
        lead = next(a.department for a in task.assignments if a.role == "lead")
        self.session.add(
            Report(
                task=task,
                department=lead,
                week_start=week,
                progress=progress,
                submitted_at=at.astimezone(UTC),
                submitted_by="测试",
                late=late,
            )
        )

    def reports(self, key: str, weeks, progress: int, **kwargs):
        for week in weeks:
            self.report(key, week, progress, **kwargs)


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=SHANGHAI)


@pytest.fixture
def world(session):
    b = Builder(session)
    for name, kind in [
        (ENV, "bureau"),
        (CITY, "bureau"),
        (TAOCHENG, "county_gov"),
        (JIZHOU, "county_gov"),
        (GROUP, "group"),
    ]:
        b.department(name, kind)
    b.department("保定市生态环境局", "bureau", city="保定市")
    plan = b.plan("衡水市测试方案", issued_on=date(2023, 4, 3))
    w = Q2_WEEKS  # w[0] = W14 (3 April) … w[12] = W26 (26 June)

    b.task("T1", plan, due=date(2023, 6, 30), lead=ENV, supporting=TAOCHENG, completed_on=date(2023, 5, 19))
    b.reports("T1", w[:6], 80)
    b.report("T1", w[6], 100, at=at(date(2023, 5, 19)))  # W20, the day it was done
    b.task("T2", plan, due=date(2023, 5, 15), lead=ENV)
    b.reports("T2", w, 60)
    b.task("T3", plan, due=date(2025, 12, 31), lead=CITY)
    b.reports("T3", w[4:], 10)  # nothing in April (W14–W17)
    b.task("T4", plan, due=date(2025, 12, 31), lead=CITY)
    b.reports("T4", w[:7] + w[8:], 10)  # W21 missing
    b.task("T5", plan, due=date(2025, 12, 31), lead=TAOCHENG)
    b.reports("T5", w[:5] + w[6:], 10)
    b.report("T5", w[5], 10, late=True)  # W19 a day late
    b.task("T6", plan, due=date(2023, 12, 31), list_kind="project", company="衡水某某建设有限公司")
    b.task(
        "T7",
        plan,
        due=date(2023, 8, 31),
        lead=CITY,
        supporting=JIZHOU,
        list_kind="project",
        company="衡水某某环保有限公司",
    )
    b.reports("T7", w, 5)
    b.task(
        "T8",
        plan,
        due=date(2023, 6, 20),
        lead=ENV,
        list_kind="project",
        company="衡水某某再生资源有限公司",
        completed_on=date(2023, 6, 16),
    )
    b.reports("T8", w[:10], 80)
    b.report("T8", w[10], 100, at=at(date(2023, 6, 16)))  # W24, the day it was done
    b.task("T9", plan, due=date(2023, 5, 31), lead=CITY)
    b.reports("T9", w, 50)
    b.task("T10", plan, due=date(2025, 12, 31), lead=GROUP)
    b.reports("T10", w, 10)
    session.flush()
    session.add(
        Extension(
            task=b.tasks["T9"],
            department=b.departments[CITY],
            requested_on=date(2023, 5, 10),
            reason="受汛期影响，施工推迟",
            original_due_date=date(2023, 5, 31),
            requested_due_date=date(2023, 9, 30),
            status="approved",
            decided_on=date(2023, 5, 12),
            decided_by="办公室",
        )
    )
    session.add(
        Milestone(
            task=b.tasks["T3"],
            due_date=date(2023, 6, 30),
            title="2023年上半年节点",
            expected_progress=10,
            source="office",
        )
    )

    def indicator(number, name, baseline, target, comparator, direction, values, unit="%", kind="numeric"):
        row = Indicator(
            plan=plan,
            number=number,
            name=name,
            unit=unit,
            baseline_raw=baseline,
            baseline_value=Decimal(baseline) if baseline else None,
            target_raw=target,
            target_kind=kind,
            target_comparator=comparator,
            target_value=Decimal(target.lstrip("≥")) if kind == "numeric" else None,
            direction=direction,
        )
        row.values = [IndicatorValue(year=year, value=Decimal(value), source="测试") for year, value in values]
        session.add(row)

    indicator("1", "一般工业固体废物综合利用率", "49", "60", None, "up", [(2022, "55"), (2024, "62")])
    indicator("2", "一般工业固体废物产生强度", "0.5", "0.4", None, "down", [(2022, "0.38")], unit="吨/万元")
    indicator(
        "3",
        "“无废城市”绿色贷款余额",
        "46.6",
        "逐年提高",
        None,
        "up",
        [(2021, "50"), (2022, "48")],
        unit="亿元",
        kind="qualitative",
    )
    indicator("4", "主城区生活垃圾回收利用率", "22", "≥35", ">=", "up", [])
    indicator("5", "开展“无废学校”的数量", None, "20", None, "up", [], unit="所")

    reply = b.plan(
        "关于无废细胞建设进展的答复", issued_on=None, kind="progress", cells_planned_total=480, cells_built_total=733
    )
    session.add_all(
        [
            CellCount(
                plan=reply,
                number="1",
                category="无废学校",
                count=30,
                unit="所",
                count_raw="30所",
                status="已完成",
                lead_raw="市教育局",
            ),
            CellCount(
                plan=reply,
                number="2",
                category="无废小区",
                count=400,
                unit="个",
                count_raw="400个",
                status="已完成",
                lead_raw="市城管局",
            ),
        ]
    )
    # Out of scope: another city's plan, and an evaluation of this one.
    b.task(
        "B1",
        b.plan("保定市测试方案", issued_on=date(2023, 4, 3), city="保定市"),
        due=date(2023, 5, 10),
        lead="保定市生态环境局",
    )
    b.task(
        "E1", b.plan("衡水市中期评估", issued_on=date(2023, 4, 3), kind="evaluation"), due=date(2023, 5, 10), lead=ENV
    )
    session.flush()
    return b


def ids(b: Builder, *keys: str) -> list[int]:
    return [b.tasks[k].id for k in keys]


def by_department(rows: list[dict]) -> dict[str, dict]:
    return {row["department"]: row for row in rows}


# --- 月调度: May 2023, run on 5 June (the 3rd working day) ----------------------------------------


@pytest.fixture
def may(session, world):
    return F.monthly_figures(
        session,
        period=periods.month(2023, 5),
        as_of=date(2023, 6, 5),
        calendar=CAL,
        jurisdiction="衡水市",
        cadence=CADENCE,
        light_rules=RULES,
    )


def test_the_may_2023_dispatch_counts_tasks_by_light_on_31_may(may):
    assert may["period"]["label"] == "2023-05" and may["period"]["chinese"] == "2023年5月"
    assert (may["scope"], may["as_of"], may["lights_as_of"]) == ("衡水市", "2023-06-05", "2023-05-31")
    assert [p["title"] for p in may["plans"]] == ["衡水市测试方案"]
    assert may["totals"] == {
        "tasks": 10,
        "supervised": 9,
        "without_lead": 1,
        "by_light": {"green": 5, "yellow": 1, "red": 2, "done": 1},  # green T3 T5 T8 T9 T10
        "overdue": 1,  # T2
        "due_in_period": 1,  # T2 (T9 moved to September)
        "done_in_period": 1,  # T1
    }


def test_the_may_2023_dispatch_gives_each_lead_department_its_tasks_and_reports_of_weeks_18_to_22(may):
    assert may["reporting"] == {
        "weeks": ["2023-W18", "2023-W19", "2023-W20", "2023-W21", "2023-W22"],
        "expected": 43,
        "filed": 42,
        "on_time": 41,
        "late": 1,
        "missing": 1,
    }
    rows = may["departments"]
    assert [r["department"] for r in rows] == [CITY, ENV, GROUP, TAOCHENG]  # most tasks first, then by name

    def strip(r):
        return {
            k: r[k]
            for k in (
                "lead_tasks",
                "done",
                "done_on_time",
                "done_in_period",
                "overdue",
                "red",
                "yellow",
                "green",
                "reports",
            )
        }

    rows = by_department(rows)
    assert strip(rows[CITY]) == {
        "lead_tasks": 4,
        "done": 0,
        "done_on_time": 0,
        "done_in_period": 0,
        "overdue": 0,
        "red": 1,
        "yellow": 1,
        "green": 2,
        "reports": {"weeks": 5, "expected": 20, "filed": 19, "on_time": 19, "late": 0, "missing": 1},
    }
    # T1 reported W18–W20 and was done in W20; T2 and T8 all five weeks.
    assert strip(rows[ENV]) == {
        "lead_tasks": 3,
        "done": 1,
        "done_on_time": 1,
        "done_in_period": 1,
        "overdue": 1,
        "red": 1,
        "yellow": 0,
        "green": 1,
        "reports": {"weeks": 5, "expected": 13, "filed": 13, "on_time": 13, "late": 0, "missing": 0},
    }
    assert rows[TAOCHENG]["reports"] == {"weeks": 5, "expected": 5, "filed": 5, "on_time": 4, "late": 1, "missing": 0}
    assert rows[TAOCHENG]["kind"] == "county_gov"


def test_the_may_2023_dispatch_lists_what_changed_since_30_april(may, world):
    changes = may["changes"]
    assert changes["since"] == "2023-04-30"
    assert [c["task_id"] for c in changes["newly_overdue"]] == ids(world, "T2")
    assert [c["task_id"] for c in changes["closed"]] == ids(world, "T1")
    assert [(c["task_id"], c["from"], c["to"]) for c in changes["recovered"]] == [
        (world.tasks["T3"].id, "red", "green")
    ]
    # T2 went green → red by falling overdue: listed once, as newly overdue
    assert [(c["task_id"], c["from"], c["to"]) for c in changes["worsened"]] == [
        (world.tasks["T4"].id, "green", "yellow"),
        (world.tasks["T7"].id, "yellow", "red"),
    ]
    assert (
        changes["newly_overdue_count"],
        changes["closed_count"],
        changes["recovered_count"],
        changes["worsened_count"],
    ) == (1, 1, 1, 2)
    assert changes["recovered"][0]["from_cn"] == "红灯" and changes["recovered"][0]["to_cn"] == "绿灯"


def test_a_world_lights_its_tasks_on_any_day_as_the_lights_service_does(session, world):
    # The world reads the lights' inputs once and lights each day from them (the monthly changes
    # want two days): every day gives what compute_lights gives for the supervised tasks, with the
    # deadline in force then (T9's extension counts from 12 May, not before).
    from wufei.extensions.service import effective_due_dates
    from wufei.lights.service import compute_lights
    from wufei.points import registry
    from wufei.points.issue import world_for

    point = registry.point("monthly")
    built = world_for(
        session,
        point,
        scope="衡水市",
        period=point.period("2023-05"),
        as_of=date(2023, 6, 5),
        calendar=CAL,
        rules=F.ruleset(CADENCE, RULES),
    )
    plan_ids = built.plan_ids
    for day in (date(2023, 4, 30), date(2023, 5, 11), date(2023, 5, 12), date(2023, 5, 31), date(2023, 6, 30)):
        expected = compute_lights(
            session,
            as_of=day,
            calendar=CAL,
            cadence=CADENCE,
            rules=RULES,
            plan_ids=plan_ids,
            include_awaiting=False,
        )
        assert built.lights_on(session, day) == expected, day
        assert sorted(expected) == sorted(ids(world, "T1", "T2", "T3", "T4", "T5", "T7", "T8", "T9", "T10"))
    due = effective_due_dates(session, as_of=date(2023, 5, 31), task_ids=list(built.lights))
    assert built.due == due
    assert built.light_inputs(session).due_on(built.tasks[world.tasks["T9"].id], date(2023, 5, 11)) == date(2023, 5, 31)
    assert built.due[world.tasks["T9"].id] == date(2023, 9, 30)


def test_the_may_2023_dispatch_lists_red_then_yellow_tasks_with_reason_and_owners(may, world):
    attention = may["attention"]
    assert [(a["task_id"], a["light"]) for a in attention] == [
        (world.tasks["T2"].id, "red"),
        (world.tasks["T7"].id, "red"),
        (world.tasks["T4"].id, "yellow"),
    ]
    t2, t7, t4 = attention
    # 16–19, 22–26, 29–31 May: 12 working days late; due passed, so 100% was expected and 60% reported.
    assert t2["reason"] == "已逾期12个工作日（应于2023年5月15日完成）；进度60%，落后序时进度40个百分点"
    assert t2["rules"] == ["overdue", "lag"] and t2["leads"] == [ENV] and t2["due_date"] == "2023-05-15"
    # 58 of 150 days from 3 April to 31 August: 39% expected, 5% reported.
    assert t7["reason"] == "进度5%，落后序时进度34个百分点"
    assert (t7["leads"], t7["supporting"], t7["light_cn"]) == ([CITY], [JIZHOU], "红灯")
    assert t4["reason"] == "连续1周未按时报送进展"


def test_the_may_2023_dispatch_judges_indicators_by_their_latest_value_up_to_2023(may):
    indicators = may["indicators"]
    assert indicators["year"] == 2023
    assert indicators["summary"] == {
        "total": 5,
        "on_track": 2,
        "off_track": 1,
        "met": 1,
        "improving": 1,
        "holding": 0,
        "flat": 0,
        "worsening": 1,
        "not_met": 0,
        "no_data": 2,
        "unknown": 0,
    }
    items = {i["number"]: i for i in indicators["items"]}
    # 2024's 62 is after the period: 2022's 55 is the latest, up from the baseline 49, short of 60.
    latest = items["1"]["latest"]
    assert (latest["year"], latest["value"], items["1"]["status"]) == (2022, "55", "improving")
    assert items["1"]["explanation"] == "2022年55%（基线49，目标60）：较基线向好"
    assert (items["2"]["status"], items["2"]["on_track"]) == ("met", True)  # 0.38 ≤ 0.4, a falling indicator
    assert (items["3"]["status"], items["3"]["status_cn"], items["3"]["on_track"]) == (
        "worsening",
        "较2021年变差",
        False,
    )
    assert (items["4"]["status"], items["4"]["latest"], items["4"]["on_track"]) == ("no_data", None, None)


def test_the_may_2023_dispatch_shows_zero_waste_cells_against_the_plan_total(may):
    assert may["cells"] == {
        "source": "关于无废细胞建设进展的答复",
        "planned_total": 480,
        "built_total": 733,
        "categories_sum": 430,
        "completion_rate": 1.5271,
        "categories": [
            {
                "category": "无废学校",
                "count": 30,
                "unit": "所",
                "status": "已完成",
                "lead": "市教育局",
                "target": "20",
                "target_indicator": "开展“无废学校”的数量",
            },
            {
                "category": "无废小区",
                "count": 400,
                "unit": "个",
                "status": "已完成",
                "lead": "市城管局",
                "target": None,
                "target_indicator": None,
            },
        ],
        "notes": ["各类数量合计430个，与文件所述累计733个不一致"],
    }


def test_the_may_2023_dispatch_lists_what_falls_due_in_june_and_the_extensions_granted_in_may(may, world):
    upcoming = may["next_period"]
    assert upcoming["period"]["label"] == "2023-06"
    assert [(t["task_id"], t["due_date"], t["light"]) for t in upcoming["tasks"]] == [
        (world.tasks["T8"].id, "2023-06-20", "green")
    ]  # T1 is due 30 June but already done
    assert [(m["task_id"], m["milestone"], m["due_date"], m["expected_progress"]) for m in upcoming["milestones"]] == [
        (world.tasks["T3"].id, "2023年上半年节点", "2023-06-30", 10)
    ]
    [granted] = may["extensions_granted"]
    assert (
        granted["task_id"],
        granted["department"],
        granted["original_due_date"],
        granted["new_due_date"],
        granted["decided_on"],
    ) == (world.tasks["T9"].id, CITY, "2023-05-31", "2023-09-30", "2023-05-12")


def test_monthly_figures_are_plain_json_and_the_same_when_run_again(session, world, may):
    assert json.loads(json.dumps(may, ensure_ascii=False)) == may
    again = F.monthly_figures(
        session,
        period="2023-05",
        as_of=date(2023, 6, 5),
        calendar=CAL,
        jurisdiction="衡水市",
        cadence=CADENCE,
        light_rules=RULES,
    )
    assert again == may


def test_figures_computed_mid_month_use_that_day_and_only_the_weeks_closed_by_then(session, world):
    # On Wednesday 17 May: W18 and W19 have closed; W20 closes on Friday. T1 is not done yet.
    mid = F.monthly_figures(
        session,
        period="2023-05",
        as_of=date(2023, 5, 17),
        calendar=CAL,
        jurisdiction="衡水市",
        cadence=CADENCE,
        light_rules=RULES,
    )
    assert mid["lights_as_of"] == "2023-05-17"
    assert mid["reporting"]["weeks"] == ["2023-W18", "2023-W19"]
    assert mid["totals"]["done_in_period"] == 0
    assert mid["totals"]["overdue"] == 1  # T2, since 16 May


def test_a_jurisdiction_without_plans_gets_empty_figures(session, world):
    empty = F.monthly_figures(
        session,
        period="2023-05",
        as_of=date(2023, 6, 5),
        calendar=CAL,
        jurisdiction="邢台市",
        cadence=CADENCE,
        light_rules=RULES,
    )
    assert empty["totals"]["tasks"] == 0 and empty["departments"] == [] and empty["cells"] is None


def test_a_period_of_the_wrong_kind_is_refused(session, world):
    with pytest.raises(PeriodError, match="月调度"):
        F.monthly_figures(session, period="2023-Q2", as_of=date(2023, 7, 7), calendar=CAL, jurisdiction="衡水市")


# --- 季通报: Q2 2023, run on 7 July (the 5th working day) ------------------------------------------


@pytest.fixture
def q2(session, world):
    return F.quarterly_figures(
        session,
        period=periods.quarter(2023, 2),
        as_of=date(2023, 7, 7),
        calendar=CAL,
        jurisdiction="衡水市",
        cadence=CADENCE,
        light_rules=RULES,
    )


def test_the_q2_2023_circular_scores_departments_on_their_lead_tasks(q2, world):
    assert q2["totals"]["by_light"] == {"green": 5, "yellow": 0, "red": 2, "done": 2}
    assert q2["reporting"]["weeks"][0] == "2023-W14" and len(q2["reporting"]["weeks"]) == 13
    city, env = q2["departments"]  # the leadership group is not ranked
    # 城管局: nothing due by 30 June (full 40 + 30); 47 of 52 reports on time (T3's April, T4's W21
    # missing): 30 × 47/52 = 27.12; T7 red: −5.  92.1
    assert (city["department"], city["tasks"], city["due"], city["red"], city["yellow"]) == (CITY, 4, 0, 1, 0)
    assert city["reports"] == {"weeks": 13, "expected": 52, "filed": 47, "on_time": 47, "late": 0, "missing": 5}
    assert city["rates"] == {"completion": None, "on_time": None, "reporting": 0.9038}
    assert city["points"] == {"completion": 40.0, "on_time": 30.0, "reporting": 27.12, "deduction": -5.0}
    assert (city["score"], city["rank"], city["praised"], city["lagging"]) == (92.1, 1, False, True)
    # 生态环境局: T1, T2, T8 due, T1 and T8 done on time: 40 × 2/3 + 30 × 2/3; 31 of 31 reports
    # (T1 7 weeks, T2 13, T8 11); T2 red: −5.  26.67 + 20 + 30 − 5 = 71.7
    assert (env["department"], env["due"], env["done"], env["done_on_time"]) == (ENV, 3, 2, 2)
    assert env["reports"]["expected"] == 31 and env["reports"]["on_time"] == 31
    assert env["points"] == {"completion": 26.67, "on_time": 20.0, "reporting": 30.0, "deduction": -5.0}
    assert (env["score"], env["rank"]) == (71.7, 2)
    assert env["facts"] == [
        "承担任务3项，截至2023年6月30日到期3项、已完成2项（完成率66.7%），按期完成2项（按期率66.7%）",
        "本季度应报送31次，按时31次（按时报送率100.0%）",  # no 迟报0次、未报0次
        "季末红灯1项，扣5分",
    ]
    assert [t["task_id"] for t in env["red_tasks"]] == ids(world, "T2")


def test_the_q2_2023_circular_ranks_county_level_units_on_every_task_they_are_named_on(q2, world):
    taocheng, jizhou = q2["localities"]
    # 桃城区 leads T5 and supports T1 (due 30 June, done 19 May): 40 + 30; 12 of 13 on time (W19
    # late): 30 × 12/13 = 27.69.  97.7
    assert (taocheng["department"], taocheng["tasks"], taocheng["due"], taocheng["done"]) == (TAOCHENG, 2, 1, 1)
    assert taocheng["reports"] == {"weeks": 13, "expected": 13, "filed": 13, "on_time": 12, "late": 1, "missing": 0}
    assert (taocheng["score"], taocheng["rank"], taocheng["praised"], taocheng["lagging"]) == (97.7, 1, True, False)
    # 冀州区 only supports T7 (red, due in August) and owes no report: 40 + 30 + 30 − 5.
    assert (jizhou["department"], jizhou["tasks"], jizhou["due"], jizhou["red"]) == (JIZHOU, 1, 0, 1)
    assert jizhou["rates"] == {"completion": None, "on_time": None, "reporting": None}
    assert (jizhou["score"], jizhou["rank"], jizhou["praised"], jizhou["lagging"]) == (95.0, 2, False, True)
    assert [t["task_id"] for t in jizhou["red_tasks"]] == ids(world, "T7")


def test_the_q2_2023_circular_praises_and_names_units_with_the_facts_behind_it(q2):
    assert [(p["department"], p["group_cn"], p["rank"], p["score"]) for p in q2["praised"]] == [
        (TAOCHENG, "县市区及功能区", 1, 97.7)
    ]
    assert q2["praised"][0]["reasons"] == ["县市区及功能区第1名，得分97.7分，无红灯任务"]
    assert [(n["department"], n["reasons"]) for n in q2["lagging"]] == [
        (CITY, ["有红灯任务1项"]),
        (ENV, ["有红灯任务1项"]),
        (JIZHOU, ["有红灯任务1项"]),
    ]
    assert q2["lagging"][1]["facts"][0].startswith("承担任务3项")
    assert q2["rules"] == to_json(F.CircularRules.load().quarterly)


def test_changing_the_declared_rules_changes_who_is_named(session, world):
    lenient = {"quarterly": {"lagging": {"red_tasks": 0, "below_score": 75}, "praise": {"min_score": 95}}}
    q2 = F.quarterly_figures(
        session,
        period="2023-Q2",
        as_of=date(2023, 7, 7),
        calendar=CAL,
        jurisdiction="衡水市",
        cadence=CADENCE,
        light_rules=RULES,
        rules=lenient,
    )
    assert [(n["department"], n["reasons"]) for n in q2["lagging"]] == [(ENV, ["得分71.7分，低于75分"])]
    assert [p["department"] for p in q2["praised"]] == [TAOCHENG]


# --- 半年观摩: H1 2023, run on 14 July (the 10th working day) --------------------------------------


def test_the_h1_2023_review_lists_projects_not_done_with_company_state_and_last_report(session, world):
    h1 = F.half_year_figures(
        session,
        period=periods.half_year(2023, 1),
        as_of=date(2023, 7, 14),
        calendar=CAL,
        jurisdiction="衡水市",
        cadence=CADENCE,
        light_rules=RULES,
    )
    assert h1["totals"] == {
        "projects": 3,
        "supervised": 2,
        "without_lead": 1,
        "to_visit": 1,
        "by_light": {"green": 0, "yellow": 0, "red": 1, "done": 1},
    }  # T8 done 16 June
    [site] = h1["sites"]
    assert (site["task_id"], site["company"], site["leads"], site["supporting"]) == (
        world.tasks["T7"].id,
        "衡水某某环保有限公司",
        [CITY],
        [JIZHOU],
    )
    assert site["place"] == "冀州区"  # the county named on the project
    # 88 of 150 days by 30 June: 59% expected, 5% reported.
    assert (site["light"], site["reason"], site["due_date"]) == ("red", "进度5%，落后序时进度54个百分点", "2023-08-31")
    assert site["last_report"] == {
        "week": "2023-W26",
        "week_start": "2023-06-26",
        "progress": 5,
        "done_text": None,
        "problems": None,
        "next_steps": None,
        "department": CITY,
        "late": False,
        "status": "submitted",
        "submitted_at": "2023-06-30T09:00:00+08:00",
    }
    assert [(p["task_id"], p["company"]) for p in h1["without_lead"]] == [
        (world.tasks["T6"].id, "衡水某某建设有限公司")
    ]


# --- 年终考核: 2023, run on 22 January 2024 (the 15th working day) --------------------------------


@pytest.fixture
def year_world(session):
    """A plan issued on Monday 6 November 2023: reports due W45–W52 (6 Nov … 25 Dec).

    | task | lead (supporting) | deadline                        | story                                  |
    | A1   | 生态环境局        | 2023-12-15                      | done 12 Dec (on time), W45–W50         |
    | A2   | 生态环境局 (桃城区) | 2023-11-30                      | done 20 Dec (late), W45–W51; a yellow  |
    |      |                   |                                 | slip 1 Dec and a red slip 11 Dec, each |
    |      |                   |                                 | to two recipients                      |
    | A3   | 城管局            | 2024-06-30                      | W45–W52 at 30%; a slip later resolved  |
    | A4   | 城管局            | 2023-12-29 → 2024-03-31 (20 Dec) | W45–W52 at 40%                         |
    | A5   | 城管局            | 完成年度任务                    | done 25 Dec, W45–W52                   |
    | A6   | 桃城区            | 持续推进                        | W45–W51, W52 missing (yellow)          |
    | A7   | 城管局            | 持续推进                        | W45–W52 (green)                        |
    """
    b = Builder(session)
    for name, kind in [(ENV, "bureau"), (CITY, "bureau"), (TAOCHENG, "county_gov")]:
        b.department(name, kind)
    plan = b.plan("衡水市测试方案（年度）", issued_on=date(2023, 11, 6))
    weeks = [date(2023, 11, 6) + timedelta(weeks=n) for n in range(8)]
    b.task("A1", plan, due=date(2023, 12, 15), lead=ENV, completed_on=date(2023, 12, 12))
    b.reports("A1", weeks[:5], 50)
    b.report("A1", weeks[5], 100, at=at(date(2023, 12, 12)))
    b.task("A2", plan, due=date(2023, 11, 30), lead=ENV, supporting=TAOCHENG, completed_on=date(2023, 12, 20))
    b.reports("A2", weeks[:6], 50)
    b.report("A2", weeks[6], 100, at=at(date(2023, 12, 20)))
    b.task("A3", plan, due=date(2024, 6, 30), lead=CITY)
    b.reports("A3", weeks, 30)
    b.task("A4", plan, due=date(2023, 12, 29), lead=CITY)
    b.reports("A4", weeks, 40)
    b.task("A5", plan, due=None, deadline_kind="annual", lead=CITY, completed_on=date(2023, 12, 25))
    b.reports("A5", weeks[:7], 50)
    b.report("A5", weeks[7], 100, at=at(date(2023, 12, 25)))
    b.task("A6", plan, due=None, deadline_kind="ongoing", lead=TAOCHENG)
    b.reports("A6", weeks[:7], 10)
    b.task("A7", plan, due=None, deadline_kind="ongoing", lead=CITY)
    b.reports("A7", weeks, 10)
    session.flush()
    session.add(
        Extension(
            task=b.tasks["A4"],
            department=b.departments[CITY],
            requested_on=date(2023, 12, 18),
            reason="设备到货推迟",
            original_due_date=date(2023, 12, 29),
            requested_due_date=date(2024, 3, 31),
            status="approved",
            decided_on=date(2023, 12, 20),
        )
    )
    env, taocheng = b.departments[ENV].id, b.departments[TAOCHENG].id
    a2, a3 = b.tasks["A2"].id, b.tasks["A3"].id
    for key, kind, step, audience, department, created, resolved in [
        (
            f"after_due_1|task:{a2}|liaison|dept:{env}",
            "yellow_slip",
            "after_due_1",
            "liaison",
            env,
            date(2023, 12, 1),
            None,
        ),
        (
            f"after_due_1|task:{a2}|liaison|dept:{taocheng}",
            "yellow_slip",
            "after_due_1",
            "liaison",
            taocheng,
            date(2023, 12, 1),
            None,
        ),
        (
            f"after_due_7|task:{a2}|leader|dept:{env}",
            "red_slip",
            "after_due_7",
            "leader",
            env,
            date(2023, 12, 11),
            None,
        ),
        (f"after_due_7|task:{a2}|office|dept:-", "red_slip", "after_due_7", "office", None, date(2023, 12, 11), None),
        (
            f"after_due_1|task:{a3}|liaison|dept:-",
            "yellow_slip",
            "after_due_1",
            "liaison",
            None,
            date(2023, 12, 5),
            date(2023, 12, 5),
        ),
        (
            f"after_due_7|task:{a3}|leader|dept:-",
            "red_slip",
            "after_due_7",
            "leader",
            None,
            date(2023, 12, 14),
            date(2023, 12, 20),
        ),
    ]:
        session.add(
            NoticeIntent(
                key=key,
                kind=kind,
                step=step,
                audience=audience,
                department_id=department,
                task_id=int(key.split("task:")[1].split("|")[0]),
                period="2023-11-30",
                created_on=created,
                payload={},
                resolved_on=resolved,
                resolution="已延期" if resolved else None,
            )
        )
    session.flush()
    return b


@pytest.fixture
def year_2023(session, year_world):
    return F.annual_figures(
        session,
        period=periods.year(2023),
        as_of=date(2024, 1, 22),
        calendar=CAL,
        jurisdiction="衡水市",
        cadence=CADENCE,
        light_rules=RULES,
    )


def test_the_2023_assessment_counts_completion_timeliness_reporting_and_slips_per_department(year_2023):
    assert year_2023["provisional"] is False
    assert year_2023["totals"] == {
        "tasks": 7,
        "supervised": 7,
        "without_lead": 0,
        "by_light": {"green": 3, "yellow": 1, "red": 0, "done": 3},
        "overdue": 0,
        "due_in_period": 3,  # A1, A2 and A4 by its original date, as the units count them (judged by the original)
        "done_in_period": 3,
    }
    env, city = year_2023["departments"]
    # 生态环境局: A1 and A2 due and done, A1 on time; 13 of 13 reports; no indicator (full 20); one
    # yellow and one red slip (each sent to two recipients, counted once): 40 + 10 + 20 + 20 − 2 − 5 = 83.
    assert (env["department"], env["due"], env["completed"], env["on_time"]) == (ENV, 2, 2, 1)
    assert env["reports"] == {"weeks": 50, "expected": 13, "filed": 13, "on_time": 13, "late": 0, "missing": 0}
    assert env["slips"] == {"yellow_slip": 1, "red_slip": 1}
    assert env["points"] == {
        "completion": 40.0,
        "on_time": 10.0,
        "reporting": 20.0,
        "indicators": 20.0,
        "deduction": -7.0,
    }
    assert (env["score"], env["rank"]) == (83.0, 1)
    # 城管局: A4 judged on its original 29 December (not done), A5 done, A7 green; A3 not due. A3's
    # yellow slip withdrawn the day it was raised does not count; its red slip, resolved a week
    # later, stays issued: 40 × 2/3 + 0 + 20 + 20 − 5 = 61.67.
    assert (city["department"], city["due_fixed"], city["due_yearly"], city["completed"]) == (CITY, 1, 2, 2)
    assert city["slips"] == {"yellow_slip": 0, "red_slip": 1}
    assert city["rates"] == {"completion": 0.6667, "on_time": 0.0, "reporting": 1.0, "indicators": None}
    assert (city["score"], city["rank"]) == (61.7, 2)


def test_the_2023_assessment_scores_a_county_on_the_tasks_it_supports_too(year_2023):
    [taocheng] = year_2023["localities"]
    # A2 (supported: done late, its slips) and A6 (ongoing, yellow at year end); 7 of 8 reports:
    # 40 × 1/2 + 20 × 0 + 20 × 7/8 + 20 − 7 = 50.5.
    assert (taocheng["tasks"], taocheng["due"], taocheng["completed"], taocheng["met_yearly"]) == (2, 2, 1, 0)
    assert taocheng["reports"]["expected"] == 8 and taocheng["reports"]["missing"] == 1
    assert (taocheng["score"], taocheng["rank"]) == (50.5, 1)
    assert taocheng["facts"][-1] == "黄色督办单1张、红色督办单1张，扣7分"


# --- with the Hengshui seed -----------------------------------------------------------------------


def test_the_hengshui_plan_with_no_reports_at_all_is_red_throughout_may_2023(session, load):
    load(CELLS_REPLY)
    load(HENGSHUI_PLAN)
    may = F.monthly_figures(
        session,
        period="2023-05",
        as_of=date(2023, 6, 5),
        calendar=CAL,
        jurisdiction="衡水市",
        cadence=CADENCE,
        light_rules=RULES,
    )
    # 112 tasks: 33 wait for the office to name a lead; project 4 names only 相关县市区人民政府 (to pick from).
    assert (may["totals"]["tasks"], may["totals"]["supervised"], may["totals"]["without_lead"]) == (112, 78, 34)
    assert may["totals"]["by_light"] == {"green": 0, "yellow": 0, "red": 78, "done": 0}
    assert may["totals"]["overdue"] == 7  # the seven due at the end of 2022
    assert may["indicators"]["summary"]["total"] == 59 and may["indicators"]["summary"]["no_data"] == 59
    assert may["cells"] is None  # the reply giving the cell counts is 衡环办函〔2025〕28号: not out in May 2023
    assert may["reporting"]["missing"] == may["reporting"]["expected"] > 0


def test_the_newest_reply_by_its_date_gives_the_cell_counts_whatever_the_order_they_came_in(session, world):
    """A reply of 2024 imported before a reply of 2023: December 2024 cites 2024's counts (the
    world's own undated reply of 733, imported first, is older than both by date unknown)."""
    for title, issued, built, schools in (
        ("关于2024年无废细胞建设进展的答复", date(2024, 11, 20), 900, 45),
        ("关于2023年无废细胞建设进展的答复", date(2023, 11, 20), 600, 25),
    ):
        reply = world.plan(title, issued_on=issued, kind="progress", cells_planned_total=480, cells_built_total=built)
        session.add(
            CellCount(
                plan=reply,
                number="1",
                category="无废学校",
                count=schools,
                unit="所",
                count_raw=f"{schools}所",
                status="已完成",
            )
        )
    session.flush()
    december = F.monthly_figures(
        session, period="2024-12", as_of=date(2025, 1, 6), calendar=CAL, jurisdiction="衡水市"
    )["cells"]
    assert (december["source"], december["built_total"]) == ("关于2024年无废细胞建设进展的答复", 900)
    june = F.monthly_figures(session, period="2024-06", as_of=date(2024, 7, 3), calendar=CAL, jurisdiction="衡水市")
    assert (june["cells"]["source"], june["cells"]["built_total"]) == ("关于2023年无废细胞建设进展的答复", 600)


def test_the_cell_counts_of_the_2025_reply_are_cited_from_its_year_on(session, load):
    load(CELLS_REPLY)
    load(HENGSHUI_PLAN)

    def cells_of(period: str, as_of: date):
        return F.monthly_figures(
            session, period=period, as_of=as_of, calendar=CAL, jurisdiction="衡水市", cadence=CADENCE, light_rules=RULES
        )["cells"]

    assert cells_of("2024-12", date(2025, 1, 6)) is None  # out in 2025: a December 2024 dispatch says nothing of it
    cells = cells_of("2025-01", date(2025, 2, 5))
    assert cells["source"] == "衡环办函〔2025〕28号"
    assert (cells["planned_total"], cells["built_total"], cells["categories_sum"]) == (480, 733, 735)


# --- keeping them -----------------------------------------------------------------------------


def test_storing_figures_twice_keeps_one_row_with_the_second_run(session):
    first = F.store_figures(
        session,
        kind="monthly",
        period=periods.month(2023, 5),
        scope="衡水市",
        as_of=date(2023, 6, 5),
        figures={"totals": {"tasks": 10}},
    )
    second = F.store_figures(
        session,
        kind="monthly",
        period="2023-05",
        scope="衡水市",
        as_of=date(2023, 6, 6),
        figures={"totals": {"tasks": 11}},
    )
    F.store_figures(
        session,
        kind="monthly",
        period="2023-05",
        scope="保定市",
        as_of=date(2023, 6, 5),
        figures={"totals": {"tasks": 3}},
    )
    assert second.id == first.id
    assert (second.as_of, second.figures) == (date(2023, 6, 6), {"totals": {"tasks": 11}})
    count = session.scalar(select(func.count()).select_from(PeriodFigures).where(PeriodFigures.period == "2023-05"))
    assert count == 2
    stored = session.scalar(select(PeriodFigures).where(PeriodFigures.scope == "衡水市"))
    assert stored.figures == {"totals": {"tasks": 11}}


def test_figures_that_are_not_plain_json_are_refused(session):
    with pytest.raises(ValueError, match="JSON"):
        F.store_figures(
            session,
            kind="monthly",
            period="2023-05",
            scope="衡水市",
            as_of=date(2023, 6, 5),
            figures={"day": date(2023, 6, 5)},
        )


# --- rules --------------------------------------------------------------------------------------


def test_the_shipped_circular_yaml_declares_every_rule():
    rules = F.CircularRules.load()
    assert to_json(rules) == {
        "quarterly": {
            "weights": {"completion": 40, "on_time": 30, "reporting": 30},
            "deductions": {"red": 5, "yellow": 2},
            "praise": {"top": 3, "min_score": 90},
            "lagging": {"below_score": 60, "red_tasks": 1},
        },
        "annual": {
            "weights": {"completion": 40, "on_time": 20, "reporting": 20, "indicators": 20},
            "deductions": {"yellow_slip": 2, "red_slip": 5},
            "indicator_no_data_counts": 1,
        },
        "self_assessment": {"forecast_by_trend": 1},
    }


def test_rules_are_merged_key_by_key_and_unknown_keys_refused():
    assert to_json(F.CircularRules.from_dict({"annual": {"deductions": {"red_slip": 10}}}).annual.deductions) == {
        "yellow_slip": 2,
        "red_slip": 10,
    }
    with pytest.raises(F.RulesError, match="不认识"):
        F.CircularRules.from_dict({"quarterly": {"weights": {"indicators": 10}}})
    with pytest.raises(F.RulesError, match="不小于0"):
        F.CircularRules.from_dict({"quarterly": {"deductions": {"red": -1}}})


def test_an_office_file_changes_only_the_rules_it_writes(tmp_path, monkeypatch):
    (tmp_path / "circular.yaml").write_text("quarterly:\n  praise:\n    top: 5\n", encoding="utf-8")
    monkeypatch.setenv("WUFEI_CONFIG_DIR", str(tmp_path))
    rules = F.CircularRules.load()
    assert (rules.quarterly.praise.top, rules.quarterly.praise.min_score) == (5, 90)
    assert rules.annual == F.CircularRules.from_dict().annual


@pytest.mark.parametrize(
    ("target", "comparator", "high", "direction", "values", "status"),
    [
        ("100", None, None, "up", [(2023, "100")], "met"),
        ("0.4", None, None, "down", [(2023, "0.41")], "not_met"),  # no baseline to compare with
        ("62.2", None, "74.0", "up", [(2023, "80")], "not_met"),  # above the range
        (">99", ">", None, "up", [(2022, "98"), (2023, "98")], "flat"),
        ("/", None, None, "hold", [(2022, "10"), (2023, "10")], "holding"),
        ("/", None, None, "none", [(2023, "10")], "unknown"),
    ],
)
def test_an_indicator_is_judged_by_target_then_direction(target, comparator, high, direction, values, status):
    indicator = Indicator(
        number="1",
        name="测试指标",
        target_raw=target,
        target_kind="numeric" if target[-1].isdigit() else "none",
        target_comparator=comparator,
        target_value=Decimal(target.lstrip(">")) if target[-1].isdigit() else None,
        target_value_high=Decimal(high) if high else None,
        direction=direction,
    )
    indicator.values = [IndicatorValue(year=y, value=Decimal(v), source="测试") for y, v in values]
    assert F.indicator_status(indicator, 2023)["status"] == status

"""A small world for the bulletins, with its right answers worked out by hand.

A 衡水市 plan issued Monday 1 April 2024 (period 2024–2025); weekly reports from week 2024-W14
(1 April) to W26 (24 June), each filed at 09:00 on the day its window closes (Friday, or the
working day before: Tuesday 30 April before Labour Day). Light rules and the reporting window
are the shipped defaults, passed explicitly.

| task | lead        | due (in force)          | story                                                 | 31 May      |
| T1   | 生态环境局  | 2024-05-15              | 60% every week; never done                            | red (overdue) |
| T2   | 生态环境局  | 2024-06-30              | 80% to W19, done Friday 17 May (W20)                  | done        |
| T3   | 城管局      | 2025-12-31              | 10% every week; 桃城区 supports                       | green       |
| T4   | 城管局      | 2025-12-31              | 10% in April only (W14–W18), silent since | red (4 weeks missing) |
| T5   | 桃城区      | 2024-12-31              | project of 衡水某某环保有限公司, 5%/week | yellow (behind 序时进度) |
| T6   | —           | 2024-12-31              | project waiting for a lead                            | —           |
| T7   | 城管局      | 2024-05-31 → 2024-09-30 | 50% every week; extension approved 20 May             | green       |
| T8   | 生态环境局  | 2024-06-20              | 70% every week; done Friday 14 June (W24)             | green       |

On 30 April every supervised task was green, so May's changes are: newly overdue T1, closed T2,
worsened T4 (green → red) and T5 (green → yellow) (T1 is listed once, as newly overdue), recovered
none. June falls due: T8 (20 June). Reports of May (W19–W22): 城管局 12 expected, 8 filed (T4 silent); 生态环境局 10
(T2 reports W19 and W20, then is done), all filed; 桃城区 4, all filed.
One indicator: 一般工业固体废物综合利用率, baseline 49, target ≥60, 55 in 2023 (向好).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from tests.rules import CADENCE, LIGHT_RULES, RULESET
from wufei.cadence import periods
from wufei.cadence.windows import reporting_window
from wufei.calendar.workdays import WorkCalendar
from wufei.departments.models import Department
from wufei.extensions.models import Extension
from wufei.indicators.models import Indicator, IndicatorValue
from wufei.plans.models import Jurisdiction, Plan
from wufei.reports.models import Report
from wufei.tasks.models import Task, TaskDepartment

SHANGHAI = ZoneInfo("Asia/Shanghai")
CAL = WorkCalendar()
RULES = LIGHT_RULES
__all__ = ["CADENCE", "RULES", "RULESET"]  # the rules the tests pass, shipped
ENV, CITY, TAOCHENG, GROUP = "市生态环境局", "市城市管理综合行政执法局", "桃城区人民政府", "市“无废城市”工作领导小组"
WEEKS = [w.start for w in periods.weeks_in(periods.quarter(2024, 2))]  # 1 April … 24 June (13 weeks)
APRIL, MAY, JUNE = WEEKS[:5], WEEKS[5:9], WEEKS[9:]
TITLES = {
    "T1": "修订生活垃圾分类管理办法",
    "T2": "建设无废学校",
    "T3": "推进建筑垃圾资源化利用",
    "T4": "开展无废机关创建",
    "T5": "工业固废综合利用项目",
    "T6": "危险废物集中处置中心",
    "T7": "餐厨垃圾处理设施改造",
    "T8": "编制无废城市宣传方案",
}


class World:
    def __init__(self, session):
        self.session = session
        self.tasks: dict[str, Task] = {}
        self.departments: dict[str, Department] = {}
        self.city = Jurisdiction(name="衡水市", level="city")
        session.add(self.city)
        for name, kind in ((ENV, "bureau"), (CITY, "bureau"), (TAOCHENG, "county_gov"), (GROUP, "group")):
            self.departments[name] = Department(jurisdiction=self.city, name=name, kind=kind)
            session.add(self.departments[name])
        self.plan = Plan(
            jurisdiction=self.city,
            title="衡水市“无废城市”建设测试方案",
            kind="plan",
            doc_number="衡测〔2024〕1号",
            issued_on=date(2024, 4, 1),
            period_start=2024,
            period_end=2025,
        )
        session.add(self.plan)

    def task(
        self,
        key: str,
        *,
        due: date,
        lead: str | None,
        supporting: str | None = None,
        list_kind: str = "main",
        company: str | None = None,
        completed_on: date | None = None,
    ) -> Task:
        task = Task(
            plan=self.plan,
            list_kind=list_kind,
            number=key[1:],
            title=TITLES[key],
            deadline_kind="fixed",
            due_date=due,
            deadline_raw=f"{due.year}年{due.month}月{due.day}日前",
            completed_on=completed_on,
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

    def report(self, key: str, week: date, progress: int, *, at: datetime | None = None) -> None:
        task = self.tasks[key]
        due_at = reporting_window(week, CAL, CADENCE).due_at
        at = at or due_at.replace(hour=9, minute=0)
        lead = next(a.department for a in task.assignments if a.role == "lead")
        self.session.add(
            Report(
                task=task,
                department=lead,
                week_start=week,
                progress=progress,
                submitted_at=at.astimezone(UTC),
                submitted_by="测试",
                late=False,
                status="accepted",
                done_text=f"{TITLES[key]}按计划推进",
            )
        )

    def reports(self, key: str, weeks, progress: int) -> None:
        for week in weeks:
            self.report(key, week, progress)


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=SHANGHAI)


def build(session) -> World:
    w = World(session)
    w.task("T1", due=date(2024, 5, 15), lead=ENV)
    w.reports("T1", WEEKS, 60)
    w.task("T2", due=date(2024, 6, 30), lead=ENV, completed_on=date(2024, 5, 17))
    w.reports("T2", WEEKS[:6], 80)
    w.report("T2", WEEKS[6], 100, at=at(date(2024, 5, 17)))
    w.task("T3", due=date(2025, 12, 31), lead=CITY, supporting=TAOCHENG)
    w.reports("T3", WEEKS, 10)
    w.task("T4", due=date(2025, 12, 31), lead=CITY)
    w.reports("T4", APRIL, 10)
    w.task("T5", due=date(2024, 12, 31), lead=TAOCHENG, list_kind="project", company="衡水某某环保有限公司")
    w.reports("T5", WEEKS, 5)
    w.task("T6", due=date(2024, 12, 31), lead=None, list_kind="project", company="衡水某某处置有限公司")
    w.task("T7", due=date(2024, 5, 31), lead=CITY)
    w.reports("T7", WEEKS, 50)
    w.task("T8", due=date(2024, 6, 20), lead=ENV, completed_on=date(2024, 6, 14))
    w.reports("T8", WEEKS[:10], 70)
    w.report("T8", WEEKS[10], 100, at=at(date(2024, 6, 14)))
    session.flush()
    session.add(
        Extension(
            task=w.tasks["T7"],
            department=w.departments[CITY],
            requested_on=date(2024, 5, 16),
            reason="设备采购周期延长",
            original_due_date=date(2024, 5, 31),
            requested_due_date=date(2024, 9, 30),
            status="approved",
            decided_on=date(2024, 5, 20),
            decided_by="办公室",
        )
    )
    indicator = Indicator(
        plan=w.plan,
        number="1",
        name="一般工业固体废物综合利用率",
        unit="%",
        baseline_raw="49",
        baseline_value=Decimal("49"),
        target_raw="≥60",
        target_kind="numeric",
        target_comparator=">=",
        target_value=Decimal("60"),
        direction="up",
    )
    indicator.values = [IndicatorValue(year=2023, value=Decimal("55"), source="测试")]
    session.add(indicator)
    session.flush()
    return w


def may_2024_run_day() -> date:
    return date(2024, 6, 5)  # the 3rd working day of June 2024

"""Generated department behaviour for replays, the demo and benchmarks. Deterministic.

Each task gets a behaviour from a stable hash of its plan, list and number, so the same
plan always plays out the same way. Behaviours (share of tasks):
- steady (50%): reports every Wednesday, progress a little ahead of 序时进度.
- early (10%): reports every Wednesday, progress twice the expectation: done early.
- late (10%): reports each week on the Monday after the window closed: counted late.
- silent (10%): reports until the end of March, then stops: missing reports.
- lagging (10%): reports every Wednesday at half the expected progress: lags, turns red.
- stalled (10%): reports every Wednesday, stuck at 60% at most: overdue at its deadline.
The office accepts every report the next working day, returns one report (the first
steady task's report of week 10) with a reason, which the department refiles that day,
and approves one extension (the first stalled task due in the replayed year asks ten
working days before its deadline for three more months; the office approves the next day).
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from fractions import Fraction
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from wufei.cadence.config import CadenceConfig
from wufei.calendar.workdays import WorkCalendar
from wufei.cells.rules import CellRules
from wufei.chinese import week_start
from wufei.extensions.service import decide_extension, request_extension
from wufei.indicators.trajectory import TrackingRules
from wufei.reports.models import Report, ReportStatus
from wufei.reports.service import accept_reports, open_tasks, review_report, stored_time, submit_report
from wufei.tasks.models import Role, Task

OFFICE = "领导小组办公室"
BEHAVIOURS = ["steady"] * 5 + ["early", "late", "silent", "lagging", "stalled"]
SILENT_FROM = (4, 1)  # silent tasks stop reporting from 1 April
RETURNED_WEEK = 10
# Units of things counted one by one: the demo's departments report whole numbers of them.
COUNTED_UNITS = {"个", "家", "座", "处", "所", "户", "辆", "台", "套", "件", "项", "宗"}
DONE_TEXT = {
    "steady": "按计划推进，完成本周阶段工作",
    "early": "提前完成阶段目标，正在收尾",
    "late": "按计划推进，本周材料整理后补报",
    "silent": "按计划推进，完成本周阶段工作",
    "lagging": "部分工作推进较慢，正在协调",
    "stalled": "受设备到货影响，工作暂缓",
}
RETURN_REASON = "佐证材料不足，请补充现场照片和工作台账后重新报送"


def office_config(directory: Path, *, reporting_since: date) -> Path:
    """An office configuration directory (for WUFEI_CONFIG_DIR) whose supervision starts on
    `reporting_since`: weeks before the office went live are never counted as missed."""
    overrides = {"weekly_report": {"reporting_since": reporting_since.isoformat()}}  # over the shipped file
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "cadence.yaml").write_text(yaml.safe_dump(overrides, allow_unicode=True), encoding="utf-8")
    return directory


def behaviour_of(task: Task) -> str:
    key = f"{task.plan.doc_number or task.plan.title}|{task.list_kind}|{task.number}"
    return BEHAVIOURS[zlib.crc32(key.encode("utf-8")) % len(BEHAVIOURS)]


def task_start(task: Task) -> date:
    plan = task.plan
    return plan.issued_on or date(plan.period_start or date.today().year, 1, 1)


def expected_progress(task: Task, day: date, due: date | None) -> int:
    """序时进度: the share of the task's time that has passed, in percent."""
    if due is None:
        return 50
    start = task_start(task)
    if task.deadline_kind == "annual":
        start, due = date(day.year, 1, 1), date(day.year, 12, 31)
    if day >= due:
        return 100
    if day <= start:
        return 0
    return round(100 * (day - start).days / (due - start).days)


def reported_progress(behaviour: str, expected: int) -> int:
    value = {
        "steady": expected + 5,
        "early": expected * 2,
        "late": expected + 5,
        "silent": expected,
        "lagging": expected // 2,
        "stalled": min(expected, 60),
    }[behaviour]
    return max(0, min(100, value))


# (month, day, cell, action, detail): 申报's detail is 类别@县（市、区）, 评分's the criteria's scores,
# 退回's its reason.
CELL_SCRIPT: tuple[tuple[int, int, str, str, str], ...] = (
    (2, 6, "衡水市第一中学", "申报", "无废学校@桃城区"),
    (2, 6, "冀州区周村", "申报", "无废乡村@冀州区"),
    (2, 13, "景县人民医院", "申报", "无废医院@景县"),
    (2, 13, "衡水湖景区", "申报", "无废景区@滨湖新区"),
    (2, 20, "深州市某商场", "申报", "无废商场@深州市"),
    (3, 1, "深州市某商场", "退回", "申报材料缺少垃圾分类管理制度"),
    (3, 6, "衡水市第一中学", "创建中", ""),
    (3, 6, "冀州区周村", "创建中", ""),
    (3, 13, "景县人民医院", "创建中", ""),
    (3, 13, "衡水湖景区", "创建中", ""),
    (3, 20, "深州市某商场", "申报", "已补充制度文件"),
    (4, 10, "深州市某商场", "创建中", ""),
    (6, 5, "衡水市第一中学", "评估", ""),
    (6, 5, "冀州区周村", "评估", ""),
    (6, 12, "景县人民医院", "评估", ""),
    (7, 10, "衡水市第一中学", "评分", "14,18,17,13,26"),
    (7, 10, "冀州区周村", "评分", "13,27,22,13,14"),
    (7, 17, "景县人民医院", "评分", "10,18,12,12,8"),
    (9, 4, "深州市某商场", "评估", ""),
    (10, 16, "深州市某商场", "评分", "13,26,22,13,13"),
)


@dataclass
class Simulation:
    """Plays one day of department and office behaviour after the day's cadence runs."""

    calendar: WorkCalendar
    cadence: CadenceConfig
    year: int
    returned_done: bool = False
    extension_task_id: int | None = None
    extension_id: int | None = None
    # Days a stalled task asks for, or the office grants, an extension; found whenever the open
    # tasks are loaded, which happens at least on every week's first working day.
    extension_days: set[date] = field(default_factory=set)
    tracking: TrackingRules = field(default_factory=TrackingRules)
    indicator_months: set[tuple[int, int]] = field(default_factory=set)
    cell_rules: CellRules = field(default_factory=CellRules)
    cell_steps_done: int = 0

    def play_day(self, session: Session, day: date) -> None:
        if not self.calendar.is_workday(day):
            return
        self._office_reviews(session, day)
        self._play_cells(session, day)
        if day.day >= 6 and (day.year, day.month) not in self.indicator_months:
            self.indicator_months.add((day.year, day.month))
            self._report_indicators(session, day)
        if not self._acts_on(day):
            return  # no department files or asks anything today: the open tasks need not be loaded
        tasks = open_tasks(session, as_of=day)
        self.extension_days = {
            self.calendar.add_workdays(task.due_date, offset)
            for task in tasks
            if behaviour_of(task) == "stalled" and task.due_date is not None and task.deadline_kind == "fixed"
            for offset in (-10, -9)
        }
        weeks = {week_start(day), week_start(day) - timedelta(weeks=1)}  # this week's, and late filers' last week
        filed = set(
            session.execute(select(Report.task_id, Report.week_start).where(Report.week_start.in_(weeks))).tuples()
        )
        for task in tasks:
            behaviour = behaviour_of(task)
            self._maybe_extend(session, task, behaviour, day)
            self._maybe_report(session, task, behaviour, day, filed)

    def _report_indicators(self, session: Session, day: date) -> None:
        """Once a month, each lead reports the values of the periods that ended: the first indicator
        with a trajectory never reports, every third falls behind it, the rest keep to it; the
        office accepts them."""
        from wufei.cadence import periods
        from wufei.indicators.models import Indicator, IndicatorReport
        from wufei.indicators.reporting import indicator_trajectory, owners, review_value, submit_value
        from wufei.indicators.trajectory import containing
        from wufei.plans.models import Plan, PlanKind

        indicators = session.scalars(
            select(Indicator)
            .join(Plan, Plan.id == Indicator.plan_id)
            .where(Plan.kind == PlanKind.PLAN)
            .options(selectinload(Indicator.plan), selectinload(Indicator.assignments))
            .order_by(Indicator.id)
        )
        tracked = [(i, path) for i in indicators if owners(i) and (path := indicator_trajectory(i, ())) is not None]
        filed = set(session.execute(select(IndicatorReport.indicator_id, IndicatorReport.period)).tuples())
        at = datetime.combine(day, time(10), tzinfo=self.cadence.timezone)
        for position, (indicator, path) in enumerate(tracked):
            period = periods.previous(containing(self.tracking.frequency_of(indicator.name), day))
            if position == 0 or (indicator.id, period.label) in filed or period.end.year < self.year - 1:
                continue
            expected, baseline = path.expected(period.end), Fraction(path.baseline.value)
            step = (Fraction(path.target.value) - baseline) / 100
            behind = position % 3 == 0
            value = baseline + (expected - baseline) / 2 if behind else expected + step
            if (indicator.unit or "").strip() in COUNTED_UNITS:  # 18个 factories, not 18.9
                value = Fraction(math.floor(value) if behind else math.ceil(value))
            report = submit_value(
                session,
                indicator_id=indicator.id,
                department_id=owners(indicator)[0],
                period=period.label,
                value=f"{float(value):.2f}".removesuffix(".00"),
                source="统计年报" if period.kind == "annual" else "部门统计月报",
                at=at,
                actor="demo",
                rules=self.tracking,
                cadence=self.cadence,
            )
            review_value(session, report_id=report.id, accept=True, actor="demo-office", at=at, cadence=self.cadence)

    def _play_cells(self, session: Session, day: date) -> None:
        """Hengshui's cells (CELL_SCRIPT) move through their states on the first working day on or
        after each scripted day: most are named after their assessment, one is returned at its
        assessment, one at its application (and applies again), one is still being built."""
        from wufei.cells.assessment import assess
        from wufei.cells.models import Cell
        from wufei.cells.registry import add_cell, advance, jurisdiction_named
        from wufei.cells.rules import parse_state

        if not self.cell_rules.categories:
            return
        while self.cell_steps_done < len(CELL_SCRIPT):
            month, day_of_month, name, action, detail = CELL_SCRIPT[self.cell_steps_done]
            if date(self.year, month, day_of_month) > day:
                return
            city = jurisdiction_named(session, "衡水市")
            cell = session.scalar(select(Cell).where(Cell.jurisdiction_id == city.id, Cell.name == name))
            if action == "申报" and cell is None:
                category, county = detail.split("@")
                add_cell(
                    session,
                    jurisdiction=city,
                    name=name,
                    category=category,
                    county=county,
                    on=day,
                    actor="demo",
                    rules=self.cell_rules,
                )
            elif action == "评分" and cell is not None:
                scores = dict(enumerate(detail.split(","), start=1))
                assess(
                    session,
                    cell_id=cell.id,
                    scores={str(k): v for k, v in scores.items()},
                    on=day,
                    actor="demo-office",
                    rules=self.cell_rules,
                )
            elif cell is not None:
                advance(
                    session, cell_id=cell.id, to=parse_state(action), on=day, actor="demo-office", reason=detail or None
                )
            self.cell_steps_done += 1

    def _acts_on(self, day: date) -> bool:
        return day in (self._first_workday_of_week(day), self._filing_day(day)) or day in self.extension_days

    def _first_workday_of_week(self, day: date) -> date:
        return self.calendar.next_workday(week_start(day) - timedelta(days=1))

    def _lead(self, task: Task) -> int:
        return next(a.department_id for a in task.assignments if a.role == Role.LEAD)

    def _maybe_report(
        self, session: Session, task: Task, behaviour: str, day: date, filed: set[tuple[int, date]]
    ) -> None:
        if behaviour == "silent" and day >= date(self.year, *SILENT_FROM):
            return
        if behaviour == "late":
            if day != self._first_workday_of_week(day):
                return
            week = week_start(day) - timedelta(weeks=1)  # last week's report, after its window closed
            at = datetime.combine(day, time(9, 0), self.cadence.timezone)
        else:
            if day != self._filing_day(day):
                return
            week, at = week_start(day), datetime.combine(day, time(10, 0), self.cadence.timezone)
        if week < task_start(task) or (task.id, week) in filed:
            return
        due = task.due_date
        progress = reported_progress(behaviour, expected_progress(task, day, due))
        submit_report(
            session,
            task_id=task.id,
            department_id=self._lead(task),
            week_start=week,
            progress=progress,
            done_text=DONE_TEXT[behaviour],
            problems=None if progress >= 60 else "进度偏慢，协调难度大",
            next_steps="继续推进",
            at=at,
            actor="simulation",
            calendar=self.calendar,
            cadence=self.cadence,
        )

    def _filing_day(self, day: date) -> date:
        """Wednesday of the week, or the next working day of that week."""
        wednesday = week_start(day) + timedelta(days=2)
        return self.calendar.next_workday(wednesday, include=True)

    def _office_reviews(self, session: Session, day: date) -> None:
        query = select(Report).where(Report.status == ReportStatus.SUBMITTED).order_by(Report.id)
        if not self.returned_done:  # until one is returned, each report's task is looked at (its behaviour)
            query = query.options(selectinload(Report.task).selectinload(Task.plan))
        pending = session.scalars(query)
        at = datetime.combine(day, time(9, 30), self.cadence.timezone)
        accepted = []
        for report in list(pending):
            if self.cadence.today(stored_time(report.submitted_at)) >= day:
                continue
            if (
                not self.returned_done
                and behaviour_of(report.task) == "steady"
                and report.week_start.isocalendar()[1] == RETURNED_WEEK
            ):
                self.returned_done = True
                review_report(
                    session,
                    report_id=report.id,
                    accept=False,
                    reason=RETURN_REASON,
                    actor=OFFICE,
                    at=at,
                    cadence=self.cadence,
                )
                submit_report(
                    session,
                    task_id=report.task_id,
                    department_id=report.department_id,
                    week_start=report.week_start,
                    progress=report.progress,
                    done_text=(report.done_text or "") + "；已补充现场照片和台账",
                    problems=report.problems,
                    next_steps=report.next_steps,
                    at=datetime.combine(day, time(15, 0), self.cadence.timezone),
                    actor="simulation",
                    calendar=self.calendar,
                    cadence=self.cadence,
                )
                continue
            accepted.append(report.id)
        # accepted together, as the office's review queue does (one flush, not one per report)
        accept_reports(session, report_ids=accepted, actor=OFFICE, at=at, cadence=self.cadence)

    def _maybe_extend(self, session: Session, task: Task, behaviour: str, day: date) -> None:
        if behaviour != "stalled" or task.due_date is None or task.deadline_kind != "fixed":
            return
        if self.extension_task_id is None and task.due_date.year == self.year:
            if day == self.calendar.add_workdays(task.due_date, -10):
                self.extension_task_id = task.id
                extension = request_extension(
                    session,
                    task_id=task.id,
                    department_id=self._lead(task),
                    requested_on=day,
                    new_due=task.due_date + timedelta(days=92),
                    reason="项目设备到货延迟，申请延期三个月",
                    actor="simulation",
                )
                self.extension_id = extension.id
        elif (
            self.extension_id is not None
            and task.id == self.extension_task_id
            and day == self.calendar.add_workdays(task.due_date, -9)
        ):
            decide_extension(
                session,
                extension_id=self.extension_id,
                approve=True,
                note="同意延期至新的完成期限",
                decided_on=day,
                actor=OFFICE,
            )
            self.extension_id = None

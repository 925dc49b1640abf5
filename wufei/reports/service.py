"""Weekly reports (周报送): filing, review, supporting input, and the figures built on them.

Services take a Session first (keyword-only after it) and never commit. Times: `at` is an
aware datetime (a naive one is read as Asia/Shanghai time); it is stored in UTC, because
SQLite keeps no offset and reads every stored time back as naive UTC.

Rules decided here:
- Only a lead department (牵头单位) files a task's report; one report per task and week. A report
  the office returned (退回) is refiled as a new version, the old one kept; refiling otherwise is
  an error. Reports for a week can be filed from the day its window opens, and at any time
  after (then they are late). A week without a window (a holiday week) may still be filed, never
  late, and is never expected.
- A week counts as filed on time when any version was submitted by the window's due time (a
  returned report filed on time and refiled later stays on time).
- A task is expected to report for a week when the week starts on or after its plan's start
  (issued_on, else 1 January of period_start, else the import date; never before
  weekly_report.reporting_since) and on or after the day its lead was made responsible
  (`TaskDepartment.assigned_on`: a lead named months in owes nothing before), and the task was
  open in it. A task completed during the week without a report for it is not expected that week.
  With two leads the task is expected from the earlier one's day; each lead department is counted
  (compliance, the figures) only from its own.
- Accepting a 100% report completes the task on the day it was submitted; a task already
  completed keeps its date (completion never moves).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import Select, and_, bindparam, case, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from wufei.audit.service import apply_changes, jsonable, record
from wufei.cadence.config import CadenceConfig
from wufei.cadence.windows import ReportingWindow, reporting_window, windows_between
from wufei.calendar.workdays import WorkCalendar
from wufei.chinese import chinese_date_weekday, chinese_datetime, chinese_week, week_label
from wufei.db import column_rows, moment_by_day, newest_of_each, table_of
from wufei.departments.models import Department
from wufei.notices.models import Audience, NoticeIntent, NoticeKind
from wufei.notices.service import resolve_intents
from wufei.plans.models import Plan, PlanKind
from wufei.plans.queries import plan_start, supervised_tasks
from wufei.reports.evidence import EvidenceError, EvidenceSource, store_files
from wufei.reports.models import Evidence, Report, ReportInput, ReportStatus
from wufei.tasks.models import Role, Task, TaskDepartment

STATUS_NAMES = {ReportStatus.SUBMITTED: "待审核", ReportStatus.ACCEPTED: "已采纳", ReportStatus.RETURNED: "已退回"}
TEXT_FIELDS = {"done_text": "本周完成情况", "problems": "存在问题", "next_steps": "下步计划"}


class ReportError(ValueError):
    """A report that cannot be filed or reviewed; the message is Chinese."""


# --- time -------------------------------------------------------------------------------------


def _aware(at: datetime, cadence: CadenceConfig) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=cadence.timezone)


def _utc(at: datetime) -> datetime:
    return at.astimezone(UTC)


def stored_time(value: datetime | None) -> datetime | None:
    """A time read from the database as an aware datetime (SQLite gives naive UTC)."""
    return _as_utc(value) if value is not None else None


def _as_utc(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def local_time(value: datetime | None, cadence: CadenceConfig) -> datetime | None:
    value = stored_time(value)
    return value.astimezone(cadence.timezone) if value is not None else None


# --- lookups ----------------------------------------------------------------------------------


# Built once: a loader option is immutable, and building it cost more than the identity-map
# lookup that usually answers (the office reviews, and departments file, thousands in a year).
_WITH_PLAN_AND_OWNERS = (selectinload(Task.plan), selectinload(Task.assignments))
_WITH_TASK_AND_PLAN = (selectinload(Report.task).selectinload(Task.plan),)


def _task(session: Session, task_id: int) -> Task:
    task = session.get(Task, task_id, options=_WITH_PLAN_AND_OWNERS)
    if task is None:
        raise ReportError(f"找不到任务 {task_id}")
    return task


def _department(session: Session, department_id: int) -> Department:
    department = session.get(Department, department_id)
    if department is None:
        raise ReportError(f"找不到部门 {department_id}")
    return department


def task_name(task: Task) -> str:
    return f"[{task.id}]「{task.title}」"


def _roles(task: Task, department_id: int) -> set[str]:
    return {a.role for a in task.assignments if a.department_id == department_id}


def _check_open_for_week(task: Task, week: date) -> None:
    if task.plan.kind != PlanKind.PLAN:
        raise ReportError(f"任务 {task_name(task)} 出自评估或进展文件，不属于督办任务，无需报送")
    if task.awaiting_assignment or not any(a.role == Role.LEAD for a in task.assignments):
        raise ReportError(f"任务 {task_name(task)} 尚待指定牵头单位，暂不能报送")
    if task.completed_on is not None and task.completed_on < week:
        raise ReportError(
            f"任务 {task_name(task)} 已于{chinese_date_weekday(task.completed_on)}完成，{chinese_week(week)}无需再报送"
        )


def _check_after_reporting_start(task: Task, week: date, cadence: CadenceConfig) -> None:
    """A week that ended before the task's reporting started (its plan's start, never before
    weekly_report.reporting_since) is not a week it reports for: no report is owed, none is filed."""
    plan = task.plan
    start = reporting_start(plan.issued_on, plan.period_start, plan.imported_at, cadence)
    if week + timedelta(days=6) < start:
        raise ReportError(
            f"{chinese_week(week)}早于任务 {task_name(task)} 的报送起始日（{chinese_date_weekday(start)}），"
            "不能报送；请选择该日所在周及以后的周"
        )


def _check_monday(week: date) -> None:
    if week.weekday() != 0:
        raise ReportError(f"报送周应从星期一开始：{week.isoformat()}（可写成 {week_label(week)}）")


def _check_progress(progress: Any) -> int:
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
        raise ReportError(f"进度应为 0 到 100 之间的整数（百分比）：{progress}")
    return progress


def _clean_text(value: str | None, field: str, limit: int) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    if len(value) > limit:
        raise ReportError(f"{TEXT_FIELDS.get(field, field)}有{len(value)}字，超过上限{limit}字：「{value[:30]}…」")
    return value or None


# Built once: every filing reads it (the 2023 replay files 3,193 reports), and building the
# statement and its cache key each time cost about as much as running it.
_LATEST_VERSION = (
    select(Report.version, Report.status)
    .where(Report.task_id == bindparam("task_id"), Report.week_start == bindparam("week"))
    .order_by(Report.version.desc())
    .limit(1)
)


def _latest_version(session: Session, task_id: int, week: date) -> tuple[int, str] | None:
    """(version, status) of the task's newest report for the week. Without autoflush: a report is
    flushed when filed and when reviewed (`review_report`, `accept_reports`), so what is pending
    (the last filing's audit entry) cannot change the answer, and is flushed with this filing
    rather than alone."""
    with session.no_autoflush:
        row = session.execute(_LATEST_VERSION, {"task_id": task_id, "week": week}).first()
    return (row[0], row[1]) if row is not None else None


# --- filing -----------------------------------------------------------------------------------


def submit_report(
    session: Session,
    *,
    task_id: int,
    department_id: int,
    week_start: date,
    progress: int,
    done_text: str | None,
    problems: str | None,
    next_steps: str | None,
    evidence: Sequence[EvidenceSource] = (),
    at: datetime,
    actor: str,
    calendar: WorkCalendar,
    cadence: CadenceConfig,
) -> Report:
    """File a lead department's report on a task for the week starting `week_start` (a Monday)."""
    at = _aware(at, cadence)
    task = _task(session, task_id)
    department = _department(session, department_id)
    _check_monday(week_start)
    if Role.LEAD not in _roles(task, department_id):
        raise ReportError(
            f"「{department.name}」不是任务 {task_name(task)} 的牵头单位，不能报送（配合单位请报送配合情况）"
        )
    _check_open_for_week(task, week_start)
    _check_after_reporting_start(task, week_start, cadence)
    progress = _check_progress(progress)
    limit = cadence.weekly.max_text_chars
    texts = {
        field: _clean_text(value, field, limit)
        for field, value in (("done_text", done_text), ("problems", problems), ("next_steps", next_steps))
    }

    window = reporting_window(week_start, calendar, cadence)
    opens = window.opens_on if window is not None else week_start
    if at < cadence.start_of_day(opens):
        raise ReportError(
            f"{chinese_week(week_start)}的报送自{chinese_date_weekday(opens)}开始，"
            f"{chinese_datetime(at.astimezone(cadence.timezone))}尚不能报送"
        )

    latest = _latest_version(session, task_id, week_start)
    if latest is not None and latest[1] != ReportStatus.RETURNED:
        raise ReportError(
            f"任务 {task_name(task)} 本周（{chinese_week(week_start)}）已报送（第{latest[0]}版，"
            f"{STATUS_NAMES[ReportStatus(latest[1])]}），不能重复报送；如需修改，请领导小组办公室先退回"
        )

    try:
        stored = store_files(evidence, rules=cadence.evidence)
    except EvidenceError as exc:
        raise ReportError(str(exc)) from exc

    report = Report(
        task_id=task.id,
        department_id=department_id,
        week_start=week_start,
        version=latest[0] + 1 if latest is not None else 1,
        progress=progress,
        submitted_at=_utc(at),
        submitted_by=actor,
        late=window is not None and window.is_late(at),
        status=str(ReportStatus.SUBMITTED),
        **texts,
    )
    report.evidence = [
        Evidence(
            file_name=f.file_name[-200:],
            content_type=f.content_type,
            size=f.size,
            sha256=f.sha256,
            stored_path=f.stored_path,
            uploaded_at=_utc(at),
        )
        for f in stored
    ]
    try:
        with session.begin_nested():  # the same week filed at the same moment (a double click) wins the version
            session.add(report)
            session.flush()
    except IntegrityError:
        raise ReportError(
            f"任务 {task_name(task)} 本周（{chinese_week(week_start)}）已报送，不能重复报送；"
            "如需修改，请领导小组办公室先退回"
        ) from None
    record(
        session,
        actor=actor,
        action="create",
        entity="reports",
        entity_id=report.id,
        entity_key=_report_key(task, week_start, report.version),
        changes={
            "progress": [None, progress],
            "late": [None, report.late],
            "version": [None, report.version],
            **{field: [None, value] for field, value in texts.items() if value},
            **({"evidence": [None, [f.file_name for f in stored]]} if stored else {}),
        },
    )
    _answer_missing_reminders(session, report, on=at.astimezone(cadence.timezone).date())
    return report


RESOLVED_FILED = "已补报"  # a reminder comes after the week's deadline: what answers it is late


def _answer_missing_reminders(session: Session, report: Report, *, on: date) -> None:
    """The week's 未报送提醒 sent for this task are answered by its report: the liaison's page
    shows them 已补报, and one not yet delivered is not sent. Only the reminders about this one
    week (`week_reminder` in the payload, see `wufei.escalation.service._missing_intents`): an
    escalation about a streak of weeks stays, as this report alone may not end the streak."""
    label = week_label(report.week_start)
    answered = [
        intent_id
        for intent_id, payload in session.execute(
            select(NoticeIntent.id, NoticeIntent.payload).where(
                NoticeIntent.task_id == report.task_id,
                NoticeIntent.kind == NoticeKind.REPORT_MISSING,
                NoticeIntent.period == label,
                NoticeIntent.resolved_on.is_(None),
            )
        )
        if (payload or {}).get("week_reminder")
    ]
    if answered:
        resolve_intents(session, intent_ids=answered, on=on, resolution=RESOLVED_FILED)


def _report_key(task: Task, week: date, version: int) -> str:
    return f"task:{task.id}|{week_label(week)}|v{version}"


def review_report(
    session: Session,
    *,
    report_id: int,
    accept: bool,
    reason: str | None = None,
    actor: str,
    at: datetime,
    cadence: CadenceConfig,
) -> Report:
    """Accept (采纳) or return (退回, with a reason) a submitted report."""
    report = session.get(Report, report_id, options=_WITH_TASK_AND_PLAN)
    if report is None:
        raise ReportError(f"找不到报告 {report_id}")
    _review(session, report, accept=accept, reason=reason, actor=actor, at=at, cadence=cadence)
    session.flush()  # a refiling after a return reads the status without autoflush (`_latest_version`)
    return report


def accept_reports(
    session: Session, *, report_ids: Iterable[int], actor: str, at: datetime, cadence: CadenceConfig
) -> list[Report]:
    """Accept several submitted reports at once (the office's review queue, the simulation's
    office), all or nothing: one that cannot be accepted stops the rest. Read in one query (their
    tasks in one more; acceptance needs no plan) and written in one flush (the updates and audit
    entries batched), not one round of each per report."""
    wanted = sorted(set(report_ids))
    if not wanted:
        return []
    found = {
        report.id: report
        for report in session.scalars(select(Report).where(Report.id.in_(wanted)).options(selectinload(Report.task)))
    }
    reports = []
    for report_id in wanted:  # every one checked before any is changed
        report = found.get(report_id)
        if report is None:
            raise ReportError(f"找不到报告 {report_id}")
        _check_submitted(report)
        reports.append(report)
    for report in reports:
        _review(session, report, accept=True, reason=None, actor=actor, at=at, cadence=cadence)
    session.flush()  # as `review_report`: what `_latest_version` reads without autoflush
    return reports


def _check_submitted(report: Report) -> None:
    if report.status != ReportStatus.SUBMITTED:
        raise ReportError(f"报告 {report.id} 已审核（{STATUS_NAMES[ReportStatus(report.status)]}），不能再次审核")


def _review(
    session: Session,
    report: Report,
    *,
    accept: bool,
    reason: str | None,
    actor: str,
    at: datetime,
    cadence: CadenceConfig,
) -> None:
    """`review_report`'s checks and changes, unflushed."""
    _check_submitted(report)
    reason = (reason or "").strip() or None
    if not accept and reason is None:
        raise ReportError("退回报告须说明理由")
    at = _aware(at, cadence)
    task = report.task
    status = ReportStatus.ACCEPTED if accept else ReportStatus.RETURNED
    changes = apply_changes(
        report, {"status": str(status), "review_note": reason, "reviewed_at": _utc(at), "reviewed_by": actor}
    )
    record(
        session,
        actor=actor,
        action="update",
        entity="reports",
        entity_id=report.id,
        entity_key=_report_key(task, report.week_start, report.version),
        changes=changes,
        source="review",
    )

    if not accept:
        from wufei.notices.service import create_intents

        label = week_label(report.week_start)
        department = _department(session, report.department_id)
        create_intents(
            session,
            [
                {
                    "key": f"report_returned|report:{report.id}",
                    "kind": str(NoticeKind.REPORT_RETURNED),
                    "step": str(NoticeKind.REPORT_RETURNED),
                    "audience": str(Audience.LIAISON),
                    "department_id": report.department_id,
                    "task_id": task.id,
                    "period": label,
                    "created_on": cadence.today(at),
                    "payload": {
                        "report_id": report.id,
                        "version": report.version,
                        "task_id": task.id,
                        "task_title": task.title,
                        "task_number": task.number,
                        "department": department.name,
                        "week": label,
                        "week_cn": chinese_week(report.week_start),
                        "reason": reason,
                        "reviewed_by": actor,
                    },
                }
            ],
        )
    elif report.progress == 100 and task.completed_on is None:
        completed = cadence.today(stored_time(report.submitted_at))
        record(
            session,
            actor=actor,
            action="update",
            entity="tasks",
            entity_id=task.id,
            entity_key=f"task:{task.id}",
            changes=apply_changes(task, {"completed_on": completed}),
            source=f"review report:{report.id}",
        )


def add_input(
    session: Session,
    *,
    task_id: int,
    department_id: int,
    week_start: date,
    text: str,
    at: datetime,
    actor: str,
    cadence: CadenceConfig,
) -> ReportInput:
    """A supporting department's contribution (配合情况) to a task for a week; refiling replaces it."""
    task = _task(session, task_id)
    department = _department(session, department_id)
    _check_monday(week_start)
    if Role.SUPPORTING not in _roles(task, department_id):
        raise ReportError(f"「{department.name}」不是任务 {task_name(task)} 的配合单位，不能报送配合情况")
    _check_open_for_week(task, week_start)
    cleaned = _clean_text(text, "配合情况", cadence.weekly.max_text_chars)
    if cleaned is None:
        raise ReportError("配合情况不能为空")
    at = _utc(_aware(at, cadence))
    existing = session.scalar(
        select(ReportInput).where(
            ReportInput.task_id == task_id,
            ReportInput.week_start == week_start,
            ReportInput.department_id == department_id,
        )
    )
    key = f"task:{task_id}|{week_label(week_start)}|dept:{department_id}"
    if existing is None:
        existing = ReportInput(
            task_id=task_id,
            week_start=week_start,
            department_id=department_id,
            text=cleaned,
            submitted_at=at,
            submitted_by=actor,
        )
        session.add(existing)
        session.flush()
        record(
            session,
            actor=actor,
            action="create",
            entity="report_inputs",
            entity_id=existing.id,
            entity_key=key,
            changes={"text": [None, cleaned]},
        )
        return existing
    changes = apply_changes(existing, {"text": cleaned, "submitted_at": at, "submitted_by": actor})
    record(
        session,
        actor=actor,
        action="update",
        entity="report_inputs",
        entity_id=existing.id,
        entity_key=key,
        changes=changes,
    )
    session.flush()
    return existing


# --- which tasks report -----------------------------------------------------------------------


def open_tasks(
    session: Session,
    *,
    as_of: date,
    department_id: int | None = None,
    plan_ids: Iterable[int] | None = None,
) -> list[Task]:
    """Tasks that report weekly on `as_of`: led, assigned, of a plan, not completed on or before `as_of`.
    With `department_id`, only the tasks that department leads; with `plan_ids`, only these plans' tasks.
    Each comes with its plan, its assignments and their departments."""
    query = _open(as_of=as_of, department_id=department_id, plan_ids=plan_ids).options(
        selectinload(Task.plan), selectinload(Task.assignments).selectinload(TaskDepartment.department)
    )
    return list(session.scalars(query.order_by(Task.plan_id, Task.id)))


def open_task_leads(
    session: Session, *, as_of: date, plan_ids: Iterable[int] | None = None
) -> list[tuple[int, str, int]]:
    """(task id, title, lead department id) for each lead of each task `open_tasks` gives, in
    plan, task and assignment order: what the reporting reminders need, without loading every
    task's owners (a twentieth of the time)."""
    query = (
        _open(as_of=as_of, plan_ids=plan_ids)
        .with_only_columns(Task.id, Task.title, TaskDepartment.department_id)
        .join(TaskDepartment, TaskDepartment.task_id == Task.id)
        .where(TaskDepartment.role == Role.LEAD)
        .order_by(Task.plan_id, Task.id, TaskDepartment.position, TaskDepartment.id)
    )
    return [(task_id, title, department_id) for task_id, title, department_id in session.execute(query)]


def _open(*, as_of: date, department_id: int | None = None, plan_ids: Iterable[int] | None = None) -> Select[Any]:
    query = supervised_tasks(select(Task)).where(or_(Task.completed_on.is_(None), Task.completed_on > as_of))
    if plan_ids is not None:
        query = query.where(Task.plan_id.in_(list(plan_ids)))
    if department_id is not None:
        query = query.where(
            Task.id.in_(
                select(TaskDepartment.task_id).where(
                    TaskDepartment.department_id == department_id, TaskDepartment.role == Role.LEAD
                )
            )
        )
    return query


def lead_since(since: date | None, start: date) -> date:
    """When a lead made responsible on `since` (NULL: as printed in the plan) owes reports from, for a
    task whose plan's reporting starts on `start`."""
    return since if since is not None and since > start else start


def reporting_start(
    issued_on: date | None, period_start: int | None, imported_at: datetime | None, cadence: CadenceConfig
) -> date:
    """The first day a task of this plan is expected to report (weeks starting on or after it):
    the plan's start, never before `weekly_report.reporting_since`."""
    # The import time is read only for a plan with neither an issue date nor a period (it is
    # NULL in the row otherwise: converting 100,000 stored times costs more than the rest).
    start = plan_start(issued_on, period_start) or cadence.today(stored_time(imported_at))
    since = cadence.weekly.reporting_since
    return max(start, since) if since else start


# Up to this many ids go into an IN list (PostgreSQL takes at most 65,535 parameters in a statement).
_IN_LIMIT = 5000


class Expected(NamedTuple):  # a tuple: built 100,000 times a scan
    task_id: int
    start: date
    completed_on: date | None


def _expected_query(
    *,
    task_ids: Iterable[int] | None = None,
    open_on: date | None = None,
    open_from: date | None = None,
    plan_ids: Iterable[int] | None = None,
):
    """Supervised tasks (filtered as `expected_rows` says), selecting nothing yet."""
    query = supervised_tasks(select(Task.id))
    if plan_ids is not None:  # one city's plans, when a province scans city by city
        query = query.where(Task.plan_id.in_(list(plan_ids)))
    if open_on is not None:  # still open at the end of that day
        query = query.where(or_(Task.completed_on.is_(None), Task.completed_on > open_on))
    if open_from is not None:  # not completed before that day
        query = query.where(or_(Task.completed_on.is_(None), Task.completed_on >= open_from))
    if task_ids is not None:
        query = query.where(Task.id.in_(list(task_ids)))
    return query


def expected_rows(
    session: Session,
    *,
    cadence: CadenceConfig,
    task_ids: Iterable[int] | None = None,
    open_on: date | None = None,
    open_from: date | None = None,
    plan_ids: Iterable[int] | None = None,
) -> list[Expected]:
    """The supervised tasks owed weekly reports, each with the day its reporting starts (its
    plan's start, or the day its first lead was made responsible when later) and its completion
    day; `compliance`, the streaks and the period figures all count from these."""
    # The import time only matters to a plan without an issue date or period (read only then:
    # converting 100,000 stored times costs more than the rest of the row).
    imported_at = case((and_(Plan.issued_on.is_(None), Plan.period_start.is_(None)), Plan.imported_at))
    query = (
        _expected_query(task_ids=task_ids, open_on=open_on, open_from=open_from, plan_ids=plan_ids)
        .with_only_columns(Task.id, Task.completed_on, Plan.issued_on, Plan.period_start, imported_at, _LEADS_SINCE)
        .order_by(Task.id)
    )
    starts: dict[tuple, date] = {}  # one plan_start per plan, not per task
    rows = []
    for task_id, completed_on, issued_on, period_start, imported_at, since in column_rows(session, query):
        key = (issued_on, period_start, imported_at)
        start = starts.get(key)
        if start is None:
            start = starts[key] = reporting_start(issued_on, period_start, imported_at, cadence)
        rows.append(Expected(task_id, lead_since(since, start), completed_on))
    return rows


# The day the task's first lead was made responsible: a lead printed in the plan (NULL) counts as
# earliest of all.
_LEADS_SINCE = (
    select(func.min(func.coalesce(TaskDepartment.assigned_on, date.min)))
    .where(TaskDepartment.task_id == Task.id, TaskDepartment.role == Role.LEAD)
    .correlate(Task)
    .scalar_subquery()
)


def first_submissions(
    session: Session, *, task_ids: list[int] | None, weeks: tuple[date, date], before: datetime
) -> dict[tuple[int, date], datetime]:
    """(task, week) → the earliest submission of any version, among those submitted before `before`."""
    query = (
        select(Report.task_id, Report.week_start, func.min(Report.submitted_at))
        .where(Report.week_start.between(*weeks), Report.submitted_at < _utc(before))
        .group_by(Report.task_id, Report.week_start)
    )
    if task_ids is not None:
        query = query.where(Report.task_id.in_(task_ids))
    return {(task_id, week): _as_utc(first) for task_id, week, first in session.execute(query)}


# --- figures used by lights, escalation and the cadence ----------------------------------------


def latest_progress(
    session: Session,
    *,
    as_of: date,
    cadence: CadenceConfig,
    task_ids: list[int] | None = None,
    accepted_only: bool = False,
) -> dict[int, tuple[int, date]]:
    """task_id → (progress, week_start) of its newest report (latest week, then latest version)
    submitted by the end of `as_of` and not returned (with `accepted_only`: accepted by the office,
    for what is published). One query, reading about one report per task (`newest_of_each`), not
    every report ever filed."""
    if task_ids is not None and not task_ids:
        return {}
    owners = select(Task.id)
    if task_ids is not None:
        owners = owners.where(Task.id.in_(list(task_ids)))
    newest = (
        select(Report.progress, Report.week_start)
        .where(
            Report.task_id == Task.id,
            Report.status == ReportStatus.ACCEPTED if accepted_only else Report.status != ReportStatus.RETURNED,
            Report.submitted_at < _utc(cadence.end_of_day(as_of)),
        )
        .order_by(Report.week_start.desc(), Report.version.desc())
    )
    query = newest_of_each(session, owners, Task, newest, table_of(Report))
    return {task_id: (progress, week) for task_id, progress, week in column_rows(session, query)}


def missing_streaks(
    session: Session,
    *,
    as_of: date,
    calendar: WorkCalendar,
    cadence: CadenceConfig,
    task_ids: list[int] | None = None,
    plan_ids: Iterable[int] | None = None,
) -> dict[int, int]:
    """task_id → how many of the most recent closed reporting weeks (up to `as_of`) in a row the open
    task went without a report submitted by the window's due time. Weeks before the task's plan
    started are not counted; 0 when the latest closed week was filed. Tasks not open on `as_of`
    (and asked-for ids that are not supervised tasks) get 0. Two queries in all.

    The streak is the number of closed windows, from the task's start on, after the latest one
    it filed on time; that week is found per task by walking its reports backwards from the
    newest (`_last_filed_weeks`), not by reading every report ever filed. `plan_ids`: only these
    plans' tasks (one city of a province)."""
    return missing_streaks_on(
        session, days=[as_of], calendar=calendar, cadence=cadence, task_ids=task_ids, plan_ids=plan_ids
    )[as_of]


def missing_streaks_on(
    session: Session,
    *,
    days: Iterable[date],
    calendar: WorkCalendar,
    cadence: CadenceConfig,
    task_ids: list[int] | None = None,
    plan_ids: Iterable[int] | None = None,
    expected: Sequence[Expected] | None = None,
) -> dict[date, dict[int, int]]:
    """`missing_streaks` for several days at once: day → task_id → streak. The daily scan wants
    today's (lights) and yesterday's (escalation). The tasks are read once, and each task's
    reports are walked once for all the days with the same closed windows (a report on time
    for a closed window was submitted before either day ended; when late reports count, the
    day's end matters and each day is walked apart). Two queries for days that share windows.
    `expected`: the `expected_rows` of the tasks asked about, when the caller already has them
    (a period's world reads them once for every day it is lit on); then only the walks run."""
    days = sorted(set(days))
    if task_ids is not None and not task_ids:
        return {day: {} for day in days}
    if not days:
        return {}
    # Open at the end of the earliest day: the tasks open on any later day are among them.
    plan_ids = list(plan_ids) if plan_ids is not None else None
    if expected is None:
        tasks = _expected_query(task_ids=task_ids, open_on=days[0], plan_ids=plan_ids)
        everyone = expected_rows(session, cadence=cadence, task_ids=task_ids, open_on=days[0], plan_ids=plan_ids)
    else:
        everyone = [row for row in expected if row.completed_on is None or row.completed_on > days[0]]
        ids = [row.task_id for row in everyone]
        tasks = (
            select(Task.id).where(Task.id.in_(ids))
            if len(ids) <= _IN_LIMIT
            else _expected_query(task_ids=task_ids, open_on=days[0], plan_ids=plan_ids)
        )
    late_counts = cadence.weekly.late_report_breaks_missing_streak
    walks: dict[tuple, dict[int, date]] = {}
    result: dict[date, dict[int, int]] = {}
    for day in days:
        rows = [row for row in everyone if row.completed_on is None or row.completed_on > day]
        streaks = result[day] = dict.fromkeys(task_ids or [], 0)
        if not rows:
            continue
        windows = windows_between(min(row.start for row in rows), day, calendar, cadence)
        if not windows:
            streaks.update((row.task_id, 0) for row in rows)
            continue
        before = cadence.end_of_day(day)
        key = (tuple((window.week_start, window.due_at) for window in windows), before if late_counts else None)
        if key not in walks:
            walks[key] = _last_filed_weeks(
                session, windows=windows, before=before, late_counts=late_counts, tasks=tasks
            )
        last_filed = walks[key]
        weeks = [window.week_start for window in windows]
        one_day = timedelta(days=1)
        for row in rows:
            # The closed windows from the task's start that came after its latest filed one.
            last = last_filed.get(row.task_id)
            since = row.start if last is None or last < row.start else last + one_day
            streaks[row.task_id] = len(weeks) - bisect_left(weeks, since)
    return result


def last_filed_weeks(
    session: Session,
    *,
    task_ids: list[int],
    since: date,
    as_of: date,
    calendar: WorkCalendar,
    cadence: CadenceConfig,
) -> dict[int, date]:
    """task → the latest week, from `since` to the weeks closed by `as_of`, whose report breaks a
    streak of missed weeks as `missing_streaks` counts them (filed by its window's due time; at any
    time by the end of `as_of` when late reports break a streak); tasks with none are left out."""
    windows = windows_between(since, as_of, calendar, cadence)
    if not task_ids or not windows:
        return {}
    return _last_filed_weeks(
        session,
        windows=windows,
        before=cadence.end_of_day(as_of),
        late_counts=cadence.weekly.late_report_breaks_missing_streak,
        tasks=select(Task.id).where(Task.id.in_(task_ids)),
    )


def _last_filed_weeks(
    session: Session, *, windows: Sequence[ReportingWindow], before: datetime, late_counts: bool, tasks
) -> dict[int, date]:
    """task → the latest of `windows` for which it filed a report (any version) submitted before
    `before` and by the window's due time (at any time before `before` when `late_counts`).
    `tasks` is a SELECT of task ids. One query, walking each task's reports from the newest
    (`newest_of_each`); tasks that never filed are left out."""
    filed = Report.submitted_at < _utc(before)
    if late_counts:
        filed &= Report.week_start.in_([window.week_start for window in windows])
    else:
        due_at = moment_by_day(session, {window.week_start: window.due_at for window in windows}, Report.week_start)
        filed &= Report.submitted_at <= due_at
    newest = select(Report.week_start).where(Report.task_id == Task.id, filed).order_by(Report.week_start.desc())
    query = newest_of_each(session, tasks, Task, newest, table_of(Report))
    rows: list[Any] = column_rows(session, query)
    return dict(rows)


def compliance(
    session: Session,
    *,
    week_start: date,
    calendar: WorkCalendar,
    cadence: CadenceConfig,
    as_of: date,
    plan_ids: Iterable[int] | None = None,
) -> list[dict[str, Any]]:
    """Per lead department, the week's reporting: expected, filed, on_time, late, missing (counts)
    and the task ids missing and late, counting reports submitted by the end of `as_of`. A task
    with two lead departments counts for both, filed when either filed it. Worst first.
    `plan_ids`: only these plans' tasks (one city of a province)."""
    _check_monday(week_start)
    window = reporting_window(week_start, calendar, cadence)
    if window is None:
        return []
    week_end = week_start + timedelta(days=6)
    rows = [
        row
        for row in expected_rows(session, cadence=cadence, open_from=week_start, plan_ids=plan_ids)
        if row.start <= week_start
    ]
    submissions = first_submissions(
        session, task_ids=None, weeks=(week_start, week_start), before=cadence.end_of_day(as_of)
    )
    expected = [
        row
        for row in rows
        if (row.task_id, week_start) in submissions or row.completed_on is None or row.completed_on > week_end
    ]
    leads: dict[int, list[int]] = defaultdict(list)
    if expected:
        ids = [row.task_id for row in expected]
        for start in range(0, len(ids), 5000):
            links = session.execute(
                select(TaskDepartment.task_id, TaskDepartment.department_id, TaskDepartment.assigned_on).where(
                    TaskDepartment.role == Role.LEAD, TaskDepartment.task_id.in_(ids[start : start + 5000])
                )
            )
            for task_id, department_id, since in links:
                if since is None or since <= week_start:  # a lead owes the weeks from its naming on
                    leads[department_id].append(task_id)
    names: dict[int, str] = dict(
        session.execute(select(Department.id, Department.name).where(Department.id.in_(list(leads)))).tuples().all()
    )
    result: list[dict[str, Any]] = []
    for department_id, task_ids in leads.items():
        on_time: list[int] = []
        late: list[int] = []
        missing: list[int] = []
        for task_id in sorted(task_ids):
            first = submissions.get((task_id, week_start))
            if first is None:
                missing.append(task_id)
            elif first <= window.due_at:
                on_time.append(task_id)
            else:
                late.append(task_id)
        result.append(
            {
                "department_id": department_id,
                "department": names.get(department_id),
                "week": week_label(week_start),
                "due_at": window.due_at.isoformat(),
                "expected": len(task_ids),
                "filed": len(on_time) + len(late),
                "on_time": len(on_time),
                "late": len(late),
                "missing": len(missing),
                "missing_task_ids": missing,
                "late_task_ids": late,
            }
        )
    result.sort(key=lambda r: (-r["missing"], -r["late"], r["department"] or "", r["department_id"]))
    return result


# --- listing ----------------------------------------------------------------------------------


def list_reports(
    session: Session,
    *,
    week_start: date | None = None,
    department_ids: list[int] | None = None,
    task_id: int | None = None,
    status: str | None = None,
    filed_before: datetime | None = None,
) -> list[Report]:
    """Reports (every version) by week, department, task and status; `filed_before`: only those
    submitted before that moment (a page of a replay day shows nothing filed later), each as it
    stood then (`as_it_was`), and `status` is the status then."""
    query = select(Report).options(
        selectinload(Report.task).selectinload(Task.plan),
        selectinload(Report.department),
        selectinload(Report.evidence),
    )
    if week_start is not None:
        query = query.where(Report.week_start == week_start)
    if department_ids is not None:
        query = query.where(Report.department_id.in_(department_ids))
    if task_id is not None:
        query = query.where(Report.task_id == task_id)
    if status is not None:
        query = query.where(status_then(status, filed_before))
    if filed_before is not None:
        query = query.where(Report.submitted_at < _utc(filed_before))
    found = list(session.scalars(query.order_by(Report.week_start, Report.task_id, Report.version)))
    return as_it_was(found, filed_before) if filed_before is not None else found


def status_then(status: str, moment: datetime | None) -> Any:
    """The condition that a report had `status` at `moment` (None: now): one reviewed at or after
    it was still waiting for review then."""
    if moment is None:
        return Report.status == status
    reviewed_later = Report.reviewed_at.is_not(None) & (Report.reviewed_at >= _utc(moment))
    if status == ReportStatus.SUBMITTED:
        return (Report.status == status) | reviewed_later
    return (Report.status == status) & ~reviewed_later


def as_it_was(reports: list[Report], moment: datetime) -> list[Report]:
    """The reports as they stood at `moment` (a replay day's pages): one reviewed at or after it
    shown waiting for review, without the review. Loaded values replaced, never written: a page's
    transaction writes nothing of it (`set_committed_value` marks no change)."""
    for report in reports:
        reviewed = stored_time(report.reviewed_at)
        if reviewed is not None and reviewed >= _utc(moment):
            for name, value in (
                ("status", ReportStatus.SUBMITTED),
                ("review_note", None),
                ("reviewed_at", None),
                ("reviewed_by", None),
            ):
                set_committed_value(report, name, value)
    return reports


def report_as_dict(report: Report, cadence: CadenceConfig) -> dict[str, Any]:
    return {
        "id": report.id,
        "task_id": report.task_id,
        "task": report.task.title,
        "task_number": report.task.number,
        "plan": report.task.plan.doc_number or report.task.plan.title,
        "department_id": report.department_id,
        "department": report.department.name,
        "week": week_label(report.week_start),
        "week_start": report.week_start.isoformat(),
        "version": report.version,
        "progress": report.progress,
        "done_text": report.done_text,
        "problems": report.problems,
        "next_steps": report.next_steps,
        "submitted_at": jsonable(local_time(report.submitted_at, cadence)),
        "submitted_by": report.submitted_by,
        "late": report.late,
        "status": report.status,
        "review_note": report.review_note,
        "reviewed_at": jsonable(local_time(report.reviewed_at, cadence)),
        "reviewed_by": report.reviewed_by,
        "evidence": [
            {
                "file_name": e.file_name,
                "content_type": e.content_type,
                "size": e.size,
                "sha256": e.sha256,
                "stored_path": e.stored_path,
            }
            for e in report.evidence
        ],
    }


def last_answers(
    session: Session, *, department_id: int, task_ids: list[int], as_of: date, cadence: CadenceConfig
) -> dict[int, Report]:
    """task_id → the department's newest report on it (latest week, then version) submitted by the
    end of `as_of`, returned ones included (their text is still the department's last answer)."""
    if not task_ids:
        return {}
    rank = (
        func.row_number()
        .over(partition_by=Report.task_id, order_by=(Report.week_start.desc(), Report.version.desc()))
        .label("rank")
    )
    ranked = (
        select(Report.id, rank).where(
            Report.department_id == department_id,
            Report.task_id.in_(task_ids),
            Report.submitted_at < _utc(cadence.end_of_day(as_of)),
        )
    ).subquery()
    reports = session.scalars(select(Report).join(ranked, and_(ranked.c.id == Report.id, ranked.c.rank == 1)))
    return {report.task_id: report for report in reports}


def window_for(week_start: date, calendar: WorkCalendar, cadence: CadenceConfig) -> ReportingWindow | None:
    return reporting_window(week_start, calendar, cadence)

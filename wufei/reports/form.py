"""The weekly report form (周报表): one Excel sheet per department and week, filled in and read back.

The office sends each lead department a workbook listing the open tasks it leads. The text
columns are prefilled with the department's last answers, so an unchanged situation needs
little typing; 本周进度(%) is left empty.

**A row counts as this week's report when its 本周进度(%) cell is filled.** A row without a
progress whose text the department changed is an error (the text would otherwise be lost);
a row left exactly as prefilled is skipped: not filed this week. A row matching the report
already filed for the week (the form re-imported) is skipped too, so importing the same file
twice is harmless.

Reading checks every row first and raises one FormError listing each bad cell (Excel row,
column letter, header, the offending text); nothing is written unless every row is good.
A hidden sheet `_wufei` carries the department, the week and the prefilled values.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from wufei.cadence.config import CadenceConfig
from wufei.cadence.windows import reporting_window
from wufei.calendar.workdays import WorkCalendar
from wufei.chinese import WeekError, chinese_date_weekday, chinese_datetime, chinese_week, parse_week, week_label
from wufei.departments.models import Department
from wufei.plans.queries import supervises_zero_waste
from wufei.reports.models import Report, ReportStatus
from wufei.reports.service import STATUS_NAMES, ReportError, last_answers, open_tasks, submit_report
from wufei.tasks.models import LIST_NAMES, Role, Task

log = logging.getLogger(__name__)

SHEET = "周报送"
META = "_wufei"
FORM_VERSION = 1
HEADER_ROW = 4
ID, PLAN, NUMBER, TITLE, DEADLINE, PROGRESS, DONE, PROBLEMS, NEXT, LAST = (
    "任务编号",
    "方案",
    "清单/序号",
    "任务名称",
    "完成期限",
    "本周进度(%)",
    "本周完成情况",
    "存在问题",
    "下步计划",
    "上次报送（参考）",
)
COLUMNS = [ID, PLAN, NUMBER, TITLE, DEADLINE, PROGRESS, DONE, PROBLEMS, NEXT, LAST]
TEXTS = {DONE: "done_text", PROBLEMS: "problems", NEXT: "next_steps"}
EDITABLE = {PROGRESS, DONE, PROBLEMS, NEXT}
WIDTHS = {
    ID: 9,
    PLAN: 22,
    NUMBER: 12,
    TITLE: 36,
    DEADLINE: 16,
    PROGRESS: 12,
    DONE: 40,
    PROBLEMS: 30,
    NEXT: 30,
    LAST: 26,
}
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_WRAP = Alignment(wrap_text=True, vertical="top")


class FormError(ReportError):
    """A weekly form with bad cells; `errors` lists each as (row, column letter, message)."""

    def __init__(self, path: Path, errors: list[tuple[int, str, str]]):
        self.path, self.errors = path, errors
        lines = "\n".join(
            f"  第{row}行 {column}列：{message}" if row else f"  {message}" for row, column, message in errors
        )
        super().__init__(f"周报表「{path.name}」有{len(errors)}处错误，未写入任何内容：\n{lines}")


# --- writing ----------------------------------------------------------------------------------


def _deadline(task: Task) -> str:
    if task.due_date:
        raw = task.deadline_raw or ""
        return (
            f"{raw}（{task.due_date.isoformat()}）"
            if raw and raw != task.due_date.isoformat()
            else task.due_date.isoformat()
        )
    return task.deadline_raw or {"ongoing": "持续推进", "annual": "每年年底"}.get(task.deadline_kind, "")


def _number(task: Task) -> str:
    return f"{LIST_NAMES[task.list_kind]} {task.number}"


def _last_note(report: Report | None, week: date) -> str:
    if report is None:
        return "尚无报送"
    status = STATUS_NAMES[ReportStatus(report.status)]
    if report.week_start == week:
        if report.status == ReportStatus.RETURNED:
            return f"本周报告已退回（{report.review_note or ''}），请修改后填写进度重新报送"
        return f"本周已报送 第{report.version}版 {report.progress}%（{status}）"
    return f"{chinese_week(report.week_start)} {report.progress}%（{status}）"


def write_weekly_form(
    session: Session,
    path: Path,
    *,
    department_id: int,
    week_start: date,
    as_of: date,
    calendar: WorkCalendar,
    cadence: CadenceConfig,
) -> int:
    """Write the form for one department and week; returns the number of task rows."""
    department = session.get(Department, department_id)
    if department is None:
        raise ReportError(f"找不到部门 {department_id}")
    if week_start.weekday() != 0:
        raise ReportError(f"报送周应从星期一开始：{week_start.isoformat()}")
    tasks = open_tasks(session, as_of=as_of, department_id=department_id)
    answers = last_answers(
        session, department_id=department_id, task_ids=[t.id for t in tasks], as_of=as_of, cadence=cadence
    )
    window = reporting_window(week_start, calendar, cadence)

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    week_end = week_start + timedelta(days=6)
    work = "无废城市建设任务" if supervises_zero_waste(session) else "重点任务"
    sheet["A1"] = f"{department.name} {chinese_week(week_start)}{work}进展报送表"
    sheet["A1"].font = _TITLE
    due = f"报送截止：{chinese_datetime(window.due_at)}" if window else "本周为节假日，不设报送截止时间"
    sheet["A2"] = (
        f"报送周：{week_start.month}月{week_start.day}日至{week_end.month}月{week_end.day}日；{due}；"
        f"任务清单截至 {chinese_date_weekday(as_of)}"
    )
    sheet["A3"] = (
        "填写说明：只改黄色栏目。“本周进度(%)”填 0 到 100 的整数；填了进度的行即为本周报送，"
        "留空表示本周不报送该任务（改了文字却不填进度将被退回）。请勿改动任务编号。"
    )
    for cell in ("A1", "A2", "A3"):
        sheet.merge_cells(f"{cell}:{get_column_letter(len(COLUMNS))}{cell[1:]}")
    sheet["A3"].alignment = Alignment(wrap_text=True)
    sheet.row_dimensions[3].height = 32

    for index, header in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=header)
        cell.font, cell.fill, cell.alignment = _BOLD, _HEADER_FILL, Alignment(vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS[header]

    meta = book.create_sheet(META)
    meta.append(["form_version", FORM_VERSION])
    meta.append(["department_id", department.id])
    meta.append(["department", department.name])
    meta.append(["week", week_label(week_start)])
    meta.append(["as_of", as_of.isoformat()])
    meta.append(["task_id", PROGRESS, DONE, PROBLEMS, NEXT])  # the prefill, row by row

    for offset, task in enumerate(tasks):
        row = HEADER_ROW + 1 + offset
        last = answers.get(task.id)
        this_week = last is not None and last.week_start == week_start and last.status != ReportStatus.RETURNED
        values = {
            ID: task.id,
            PLAN: task.plan.doc_number or task.plan.title,
            NUMBER: _number(task),
            TITLE: task.title,
            DEADLINE: _deadline(task),
            PROGRESS: last.progress if last is not None and this_week else None,
            DONE: last.done_text if last else None,
            PROBLEMS: last.problems if last else None,
            NEXT: last.next_steps if last else None,
            LAST: _last_note(last, week_start),
        }
        for index, header in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=row, column=index, value=values[header])
            cell.alignment = _WRAP
            if header in EDITABLE:
                cell.protection = Protection(locked=False)
                cell.fill = _INPUT_FILL
        meta.append([task.id, values[PROGRESS], values[DONE], values[PROBLEMS], values[NEXT]])

    progress_column = get_column_letter(COLUMNS.index(PROGRESS) + 1)
    if tasks:
        rule = DataValidation(
            type="whole",
            operator="between",
            formula1="0",
            formula2="100",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="进度有误",
            error="请填写 0 到 100 的整数",
        )
        rule.add(f"{progress_column}{HEADER_ROW + 1}:{progress_column}{HEADER_ROW + len(tasks)}")
        sheet.add_data_validation(rule)
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=COLUMNS.index(PROGRESS) + 1)
    sheet.protection.sheet = True  # no password: the locked columns guard against slips, not people
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    meta.sheet_state = "hidden"
    book.save(path)
    return len(tasks)


# --- reading ----------------------------------------------------------------------------------


@dataclass
class _Row:
    line: int
    task: Task
    progress: int
    texts: dict[str, str | None]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _progress(value: Any) -> int | None:
    """An integer 0–100, None when blank; ValueError otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        number = float(str(value).strip().rstrip("%％").strip())
    if not number.is_integer() or not 0 <= number <= 100:
        raise ValueError
    return int(number)


def _quote(value: Any) -> str:
    text = "" if value is None else str(value)
    return f"「{text[:40]}{'…' if len(text) > 40 else ''}」"


def import_weekly_form(
    session: Session,
    path: Path,
    *,
    at: datetime,
    actor: str,
    calendar: WorkCalendar,
    cadence: CadenceConfig,
) -> list[Report]:
    """Read a filled form back and file one report per row with a progress. All or nothing."""
    path = Path(path)
    try:
        book = load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        log.info("openpyxl cannot open %s: %r", path, exc)  # its English to the log, not to the user
        raise FormError(path, [(0, "", "无法读取表格：文件可能已损坏或不是 .xlsx 格式")]) from exc
    if META not in book.sheetnames or SHEET not in book.sheetnames:
        raise FormError(
            path,
            [
                (
                    0,
                    "",
                    f"不是本系统生成的周报表（缺少工作表「{SHEET}」或隐藏工作表「{META}」），"
                    f"请用 wufei template weekly-report 生成",
                )
            ],
        )
    meta = {row[0]: row[1] for row in book[META].iter_rows(min_row=1, max_row=5, max_col=2, values_only=True)}
    try:
        department = session.get(Department, int(meta.get("department_id") or 0))
    except (TypeError, ValueError):
        department = None
    if department is None:
        raise FormError(
            path, [(0, "", f"表中的部门 {meta.get('department')}（{meta.get('department_id')}）在系统中不存在")]
        )
    try:
        week = parse_week(str(meta.get("week") or ""))
    except WeekError as exc:
        raise FormError(path, [(0, "", str(exc))]) from exc
    prefill = {
        int(row[0]): row[1:5]
        for row in book[META].iter_rows(min_row=7, max_col=5, values_only=True)
        if row[0] is not None
    }

    sheet = book[SHEET]
    header_row, columns = _headers(sheet, path)
    limit = cadence.weekly.max_text_chars
    errors: list[tuple[int, str, str]] = []
    good: list[_Row] = []
    seen: dict[int, int] = {}
    raw_rows = list(sheet.iter_rows(min_row=header_row + 1, max_col=max(columns.values()), values_only=True))
    task_ids = set()
    for values in raw_rows:
        with contextlib.suppress(TypeError, ValueError):
            task_ids.add(int(values[columns[ID] - 1]))
    tasks = {
        t.id: t
        for t in session.scalars(
            select(Task).where(Task.id.in_(task_ids)).options(selectinload(Task.plan), selectinload(Task.assignments))
        )
    }
    existing = _filed(session, week, list(tasks))

    for offset, values in enumerate(raw_rows):
        line = header_row + 1 + offset
        cell = {header: values[index - 1] if index - 1 < len(values) else None for header, index in columns.items()}
        if all(_text(v) is None for v in cell.values()):
            continue

        def bad(header: str, message: str, value: Any = None, line: int = line) -> None:
            errors.append((line, get_column_letter(columns[header]), f"{header}{message}：{_quote(value)}"))

        raw_id = cell[ID]
        try:
            task_id = int(_integer(raw_id))
        except ValueError:
            bad(ID, "应为系统生成的任务编号（整数），请勿改动", raw_id)
            continue
        task = tasks.get(task_id)
        if task is None:
            bad(ID, "在系统中找不到", raw_id)
            continue
        if task_id in seen:
            bad(ID, f"与第{seen[task_id]}行重复", raw_id)
            continue
        seen[task_id] = line
        if not any(a.department_id == department.id and a.role == Role.LEAD for a in task.assignments):
            bad(ID, f"对应的任务「{task.title[:30]}」不由{department.name}牵头", raw_id)
            continue
        if task.completed_on is not None and task.completed_on < week:
            bad(ID, f"对应的任务已于{chinese_date_weekday(task.completed_on)}完成，本周无需报送", raw_id)
            continue
        texts: dict[str, str | None] = {}
        too_long = False
        for header, field in TEXTS.items():
            text = _text(cell[header])
            if text is not None and len(text) > limit:
                bad(header, f"有{len(text)}字，超过上限{limit}字", text)
                too_long = True
            texts[field] = text
        try:
            progress = _progress(cell[PROGRESS])
        except ValueError:
            bad(PROGRESS, "应为 0 到 100 的整数（可留空表示本周不报送）", cell[PROGRESS])
            continue
        if progress is None:
            before = prefill.get(task_id, (None, None, None, None))
            if [texts[f] for f in TEXTS.values()] != [_text(v) for v in before[1:4]]:
                bad(PROGRESS, "为空，但本行文字已修改；请填写本周进度，或恢复原文字", cell[PROGRESS])
            continue
        filed = existing.get(task_id)
        if filed is not None:
            same = filed.progress == progress and [filed.done_text, filed.problems, filed.next_steps] == list(
                texts.values()
            )
            if not same:
                bad(
                    PROGRESS,
                    f"所在任务本周已报送（第{filed.version}版，{STATUS_NAMES[ReportStatus(filed.status)]}），"
                    f"不能重复报送；如需修改，请领导小组办公室先退回",
                    progress,
                )
            continue
        if not too_long:
            good.append(_Row(line, task, progress, texts))

    window = reporting_window(week, calendar, cadence)
    opens = window.opens_on if window else week
    if cadence.local(at) < cadence.start_of_day(opens):
        errors.insert(0, (0, "", f"{chinese_week(week)}的报送自{chinese_date_weekday(opens)}开始，现在尚不能报送"))
    if errors:
        raise FormError(path, errors)
    return [
        submit_report(
            session,
            task_id=row.task.id,
            department_id=department.id,
            week_start=week,
            progress=row.progress,
            at=at,
            actor=actor,
            calendar=calendar,
            cadence=cadence,
            done_text=row.texts.get("done_text"),
            problems=row.texts.get("problems"),
            next_steps=row.texts.get("next_steps"),
        )
        for row in good
    ]


def _integer(value: Any) -> int:
    if isinstance(value, bool) or value is None:
        raise ValueError
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError
        return int(value)
    return int(str(value).strip())


def _headers(sheet, path: Path) -> tuple[int, dict[str, int]]:
    for row in range(1, 11):
        values = [_text(c.value) for c in sheet[row]]
        if ID in values:
            columns = {v: i + 1 for i, v in enumerate(values) if v in COLUMNS}
            missing = [h for h in (ID, PROGRESS, *TEXTS) if h not in columns]
            if missing:
                raise FormError(path, [(row, "", f"表头缺少列：{'、'.join(missing)}")])
            return row, columns
    raise FormError(path, [(0, "", f"找不到表头行（应含“{ID}”“{PROGRESS}”等列）")])


def _filed(session: Session, week: date, task_ids: list[int]) -> dict[int, Report]:
    """task_id → this week's latest report, when it is not returned."""
    if not task_ids:
        return {}
    reports = session.scalars(
        select(Report)
        .where(Report.week_start == week, Report.task_id.in_(task_ids))
        .order_by(Report.task_id, Report.version)
    )
    latest = {r.task_id: r for r in reports}
    return {task_id: r for task_id, r in latest.items() if r.status != ReportStatus.RETURNED}

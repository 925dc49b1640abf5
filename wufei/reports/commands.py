"""`wufei report …` (周报送) and `wufei template weekly-report`: Chinese for people, --json for programs."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

import click

from wufei.calendar.commands import CommandError, actor
from wufei.clitools import (
    cadence_config,
    echo_json,
    engine,
    parse_day,
    parse_moment,
    require_decision,
    review_options,
)
from wufei.clitools import department as department_named
from wufei.db import make_sessionmaker, transaction


def _week(value: str, option: str = "--week") -> date:
    """`2024-W23`, or any day of the week (2024-06-05)."""
    from wufei.chinese import WeekError, parse_week, week_start

    try:
        return parse_week(value)
    except WeekError as error:
        try:
            return week_start(date.fromisoformat(value.strip()))
        except ValueError:
            raise click.BadParameter(str(error), param_hint=option) from None


def _holders(task, role: str = "lead") -> set[int]:
    """The task's departments in `role`: a name several places share means one of these."""
    return {a.department_id for a in task.assignments if a.role == role}


def _task(session, task_id: int):
    from wufei.tasks.models import Task

    task = session.get(Task, task_id)
    if task is None:
        raise CommandError(f"找不到任务 {task_id}")
    return task


def _calendar(session):
    from wufei.calendar.service import load_calendar

    return load_calendar(session)


def _describe(report, cadence) -> str:
    from wufei.chinese import chinese_week
    from wufei.reports.models import ReportStatus
    from wufei.reports.service import STATUS_NAMES, local_time

    timing = "迟报" if report.late else "按时"
    submitted = local_time(report.submitted_at, cadence)
    return (
        f"[{report.id}] {chinese_week(report.week_start)} 任务[{report.task_id}]「{report.task.title}」 "
        f"{report.department.name} 进度 {report.progress}% 第{report.version}版 "
        f"{STATUS_NAMES[ReportStatus(report.status)]} {timing}（{submitted:%Y-%m-%d %H:%M}）"
    )


@click.group("report")
def report_group() -> None:
    """周报送：报送、导入周报表、审核、查询与报送情况"""


@report_group.command("submit")
@click.option("--task", "task_id", type=int, required=True, help="任务编号")
@click.option("--dept", required=True, help="牵头部门：衡水市/市生态环境局、别名，或唯一的部门名称")
@click.option("--week", required=True, help="报送周，如 2024-W23")
@click.option("--progress", type=int, required=True, help="本周进度（0-100）")
@click.option("--done", help="本周完成情况")
@click.option("--problems", help="存在问题")
@click.option("--next", "next_steps", help="下步计划")
@click.option("--evidence", multiple=True, type=click.Path(path_type=Path), help="佐证材料文件，可重复")
@click.option("--at", "at_value", help="报送时间（默认现在，北京时间）")
@click.option("--json", "as_json", is_flag=True)
def submit_command(task_id, dept, week, progress, done, problems, next_steps, evidence, at_value, as_json) -> None:
    """报送一项任务的本周进展"""
    from wufei.reports.service import ReportError, report_as_dict, submit_report

    cadence = cadence_config()
    week_start, at = _week(week), parse_moment(at_value, cadence)
    try:
        with transaction(engine()) as session:
            task = _task(session, task_id)
            department = department_named(session, dept, prefer=_holders(task))
            report = submit_report(
                session,
                task_id=task_id,
                department_id=department.id,
                week_start=week_start,
                progress=progress,
                done_text=done,
                problems=problems,
                next_steps=next_steps,
                evidence=list(evidence),
                at=at,
                actor=actor(),
                calendar=_calendar(session),
                cadence=cadence,
            )
            row, text = report_as_dict(report, cadence), _describe(report, cadence)
    except ReportError as exc:
        raise CommandError(str(exc)) from exc
    if as_json:
        echo_json(row)
    else:
        click.echo(f"已报送：{text}" + (f"，佐证材料 {len(evidence)} 个" if evidence else ""))


@report_group.command("import")
@click.argument("path", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--at", "at_value", help="报送时间（默认现在，北京时间）")
@click.option("--json", "as_json", is_flag=True)
def import_command(path: Path, at_value: str | None, as_json: bool) -> None:
    """导入填好的周报表（.xlsx）：有错误则全部不写入"""
    from wufei.reports.form import import_weekly_form
    from wufei.reports.service import ReportError, report_as_dict

    cadence = cadence_config()
    at = parse_moment(at_value, cadence)
    try:
        with transaction(engine()) as session:
            reports = import_weekly_form(
                session, path, at=at, actor=actor(), calendar=_calendar(session), cadence=cadence
            )
            rows, lines = [report_as_dict(r, cadence) for r in reports], [_describe(r, cadence) for r in reports]
    except ReportError as exc:
        raise CommandError(str(exc)) from exc
    if as_json:
        echo_json(rows)
        return
    for line in lines:
        click.echo(f"✓ {line}")
    click.echo(f"已导入 {len(lines)} 项报送（未填本周进度的行不计为报送）")


@report_group.command("review")
@click.argument("report_id", type=int)
@review_options
def review_command(report_id: int, decision: str | None, reason: str | None, at_value: str | None) -> None:
    """审核报告：采纳（--accept）或退回（--return --reason 理由）"""
    from wufei.reports.service import ReportError, review_report

    accept = require_decision(decision)
    cadence = cadence_config()
    try:
        with transaction(engine()) as session:
            report = review_report(
                session,
                report_id=report_id,
                accept=accept,
                reason=reason,
                actor=actor(),
                at=parse_moment(at_value, cadence),
                cadence=cadence,
            )
            text, completed = _describe(report, cadence), report.task.completed_on
    except ReportError as exc:
        raise CommandError(str(exc)) from exc
    if decision == "accept":
        click.echo(f"已采纳：{text}" + (f"；任务已于 {completed.isoformat()} 完成" if completed else ""))
    else:
        click.echo(f"已退回：{text}；已通知牵头单位联络员重新报送")


@report_group.command("list")
@click.option("--week", help="报送周，如 2024-W23")
@click.option("--dept", help="部门：衡水市/市商务局、别名，或唯一的部门名称")
@click.option("--task", "task_id", type=int, help="任务编号")
@click.option("--json", "as_json", is_flag=True)
def list_command(week: str | None, dept: str | None, task_id: int | None, as_json: bool) -> None:
    """列出报告（含各版本）"""
    from wufei.reports.service import list_reports, report_as_dict

    cadence = cadence_config()
    with make_sessionmaker(engine())() as session:
        department_ids = [department_named(session, dept).id] if dept else None
        reports = list_reports(
            session, week_start=_week(week) if week else None, department_ids=department_ids, task_id=task_id
        )
        rows, lines = [report_as_dict(r, cadence) for r in reports], [_describe(r, cadence) for r in reports]
    if as_json:
        echo_json(rows)
        return
    for line in lines:
        click.echo(line)
    click.echo(f"共 {len(lines)} 份")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, *, right: bool = False) -> str:
    space = " " * max(0, width - _width(text))
    return space + text if right else text + space


@report_group.command("compliance")
@click.option("--week", required=True, help="报送周，如 2024-W23")
@click.option("--as-of", "as_of", help="统计截至日期（默认今天）")
@click.option("--dept", help="只看此部门：衡水市/市商务局、别名，或唯一的部门名称")
@click.option("--json", "as_json", is_flag=True)
def compliance_command(week: str, as_of: str | None, dept: str | None, as_json: bool) -> None:
    """某周各牵头部门的报送情况：应报、已报、按时、迟报、未报"""
    from sqlalchemy import select

    from wufei.cadence.windows import reporting_window
    from wufei.chinese import chinese_date, chinese_datetime, chinese_week
    from wufei.departments.models import Department
    from wufei.departments.naming import qualified_name
    from wufei.reports.service import compliance

    week_start = _week(week)
    cadence = cadence_config()
    day = parse_day(as_of) or cadence.today()
    with make_sessionmaker(engine())() as session:
        calendar = _calendar(session)
        only = department_named(session, dept).id if dept else None
        rows = compliance(session, week_start=week_start, calendar=calendar, cadence=cadence, as_of=day)
        rows = [row for row in rows if only in (None, row["department_id"])]
        window = reporting_window(week_start, calendar, cadence)
        departments = session.scalars(select(Department).where(Department.id.in_([r["department_id"] for r in rows])))
        names = {department.id: qualified_name(department) for department in departments}
    if as_json:
        echo_json(rows)
        return
    if window is None:
        click.echo(f"{chinese_week(week_start)}为节假日，不设报送")
        return
    click.echo(
        f"{chinese_week(week_start)}报送情况（截止 {chinese_datetime(window.due_at)}，统计至 {chinese_date(day)}）"
    )
    name_width = max([_width("部门")] + [_width(name) for name in names.values()]) + 2
    headers = ["应报", "已报", "按时", "迟报", "未报"]
    click.echo(_pad("部门", name_width) + "".join(_pad(h, 6, right=True) for h in headers))
    for r in rows:
        numbers = [r["expected"], r["filed"], r["on_time"], r["late"], r["missing"]]
        click.echo(_pad(names[r["department_id"]], name_width) + "".join(_pad(str(n), 6, right=True) for n in numbers))
    totals = [sum(r[k] for r in rows) for k in ("expected", "filed", "on_time", "late", "missing")]
    click.echo(_pad("合计", name_width) + "".join(_pad(str(n), 6, right=True) for n in totals))


@report_group.command("input")
@click.option("--task", "task_id", type=int, required=True, help="任务编号")
@click.option("--dept", required=True, help="配合部门：衡水市/市商务局、别名，或唯一的部门名称")
@click.option("--week", required=True, help="报送周，如 2024-W23")
@click.option("--text", required=True, help="配合情况")
@click.option("--at", "at_value", help="报送时间（默认现在）")
def input_command(task_id: int, dept: str, week: str, text: str, at_value: str | None) -> None:
    """配合单位报送本周配合情况（同一周再次报送则替换）"""
    from wufei.chinese import chinese_week
    from wufei.reports.service import ReportError, add_input

    week_start = _week(week)
    cadence = cadence_config()
    try:
        with transaction(engine()) as session:
            task = _task(session, task_id)
            department = department_named(session, dept, prefer=_holders(task, "supporting"))
            add_input(
                session,
                task_id=task_id,
                department_id=department.id,
                week_start=week_start,
                text=text,
                at=parse_moment(at_value, cadence),
                actor=actor(),
                cadence=cadence,
            )
            title, name = task.title, department.name
    except ReportError as exc:
        raise CommandError(str(exc)) from exc
    click.echo(f"已报送配合情况：{name} {chinese_week(week_start)} 任务[{task_id}]「{title}」")


@click.command("weekly-report")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--dept", required=True, help="牵头部门：衡水市/市生态环境局、别名，或唯一的部门名称")
@click.option("--week", required=True, help="报送周，如 2024-W23")
@click.option("--as-of", "as_of", help="任务清单和上次报送截至此日（默认今天）")
def weekly_form_command(path: Path, dept: str, week: str, as_of: str | None) -> None:
    """周报表（某部门某周牵头的在办任务，预填上次报送内容）"""
    from wufei.chinese import chinese_week
    from wufei.reports.form import write_weekly_form
    from wufei.reports.service import ReportError

    week_start = _week(week)
    cadence = cadence_config()
    day = parse_day(as_of) or cadence.today()
    try:
        with make_sessionmaker(engine())() as session:
            department = department_named(session, dept)
            count = write_weekly_form(
                session,
                path,
                department_id=department.id,
                week_start=week_start,
                as_of=day,
                calendar=_calendar(session),
                cadence=cadence,
            )
            name = department.name
    except ReportError as exc:
        raise CommandError(str(exc)) from exc
    click.echo(f"已生成周报表：{path}（{name} {chinese_week(week_start)}，任务 {count} 项）")

"""`wufei extension …`: request, decide and list extensions (延期申请)."""

from __future__ import annotations

import click

from wufei.clitools import department, echo_json, engine, parse_day, require_day, today
from wufei.db import make_sessionmaker, transaction


@click.group("extension")
def extension() -> None:
    """延期申请"""


@extension.command("request")
@click.option("--task", "task_id", type=int, required=True, help="任务编号")
@click.option("--dept", required=True, help="申请单位（须为牵头单位）：衡水市/市商务局、别名，或唯一的部门名称")
@click.option("--until", "until", required=True, help="申请延至，如 2024-06-30")
@click.option("--reason", required=True, help="延期理由")
@click.option("--on", "on", help="申请日期（默认今天）")
@click.option("--actor", default="office", show_default=True, help="操作人（记入变更记录）")
def request_command(task_id: int, dept: str, until: str, reason: str, on: str | None, actor: str) -> None:
    """牵头单位在完成期限前申请延期"""
    from sqlalchemy import select

    from wufei.chinese import chinese_date
    from wufei.extensions.service import ExtensionError, request_extension
    from wufei.tasks.models import Role, TaskDepartment

    new_due = require_day(until, "--until")
    requested_on = parse_day(on, "--on") or today()
    try:
        with transaction(engine()) as session:
            leads = session.scalars(
                select(TaskDepartment.department_id).where(
                    TaskDepartment.task_id == task_id, TaskDepartment.role == Role.LEAD
                )
            )
            department_id = department(session, dept, prefer=set(leads)).id
            request = request_extension(
                session,
                task_id=task_id,
                department_id=department_id,
                requested_on=requested_on,
                new_due=new_due,
                reason=reason,
                actor=actor,
            )
            summary = (
                f"已提交延期申请（编号{request.id}）：任务{task_id}的完成期限由"
                f"{chinese_date(request.original_due_date)}申请延至{chinese_date(new_due)}，待办公室审批"
            )
    except ExtensionError as error:
        raise click.ClickException(str(error)) from None
    click.echo(summary)


@extension.command("decide")
@click.argument("extension_id", type=int)
@click.option("--approve/--refuse", "approve", default=None, help="同意或不同意")
@click.option("--note", help="审批意见（不同意时必填）")
@click.option("--on", "on", help="审批日期（默认今天）")
@click.option("--actor", default="office", show_default=True, help="审批人（记入变更记录）")
def decide_command(extension_id: int, approve: bool | None, note: str | None, on: str | None, actor: str) -> None:
    """办公室审批延期申请，并通知牵头单位联系人"""
    from wufei.extensions.service import ExtensionError, decide_extension

    if approve is None:
        raise click.UsageError("请指定 --approve（同意）或 --refuse（不同意）")
    decided_on = parse_day(on, "--on") or today()
    try:
        with transaction(engine()) as session:
            decided = decide_extension(
                session, extension_id=extension_id, approve=approve, note=note, decided_on=decided_on, actor=actor
            )
            message = decided_message(decided)
    except ExtensionError as error:
        raise click.ClickException(str(error)) from None
    click.echo(message)


def decided_message(extension) -> str:
    from wufei.extensions.service import decision_payload

    return decision_payload(extension)["message"]


@extension.command("list")
@click.option("--task", "task_id", type=int, help="只列出此任务的申请")
@click.option("--status", type=click.Choice(["pending", "approved", "refused"]), help="审批状态")
@click.option("--json", "as_json", is_flag=True, help="JSON 输出")
def list_command(task_id: int | None, status: str | None, as_json: bool) -> None:
    """列出延期申请"""
    from wufei.extensions.service import extension_as_dict, list_extensions

    with make_sessionmaker(engine())() as session:
        rows = [
            extension_as_dict(e)
            for e in list_extensions(session, task_ids=[task_id] if task_id is not None else None, status=status)
        ]
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        decided = f"，{row['decided_on']} {row['decided_by']}" if row["decided_on"] else ""
        note = f"：{row['decision_note']}" if row["decision_note"] else ""
        click.echo(
            f"[{row['id']}] 任务{row['task_id']} {row['task_title']}  {row['department']}  "
            f"{row['original_due_date']} → {row['requested_due_date']}  {row['status_text']}{decided}{note}"
        )
    click.echo(f"共 {len(rows)} 项")

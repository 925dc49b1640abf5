"""`wufei milestones …`: list, set, remove and generate the milestones (节点) of tasks."""

from __future__ import annotations

import click

from wufei.clitools import echo_json, engine, plan_ids, require_day
from wufei.db import make_sessionmaker, transaction

SOURCE_NAMES = {"generated": "自动生成", "office": "办公室设定"}


def _actor_option(command):
    return click.option("--actor", default="office", show_default=True, help="操作人（记入变更记录）")(command)


@click.group("milestones")
def milestones() -> None:
    """任务节点（年度目标等）"""


@milestones.command("list")
@click.option("--task", "task_id", type=int, required=True, help="任务编号")
@click.option("--json", "as_json", is_flag=True, help="JSON 输出")
def list_command(task_id: int, as_json: bool) -> None:
    """列出任务的节点"""
    from wufei.chinese import chinese_date
    from wufei.tasks.milestones import list_milestones, milestone_as_dict
    from wufei.tasks.models import Task

    with make_sessionmaker(engine())() as session:
        task = session.get(Task, task_id)
        if task is None:
            raise click.ClickException(f"找不到任务：{task_id}")
        found = list_milestones(session, task_ids=[task_id])
        rows = [milestone_as_dict(m) for m in found]
        title, due = task.title, task.due_date
    if as_json:
        echo_json(rows)
        return
    click.echo(f"[{task_id}] {title}  完成期限：{chinese_date(due) if due else '无'}")
    for milestone in found:
        click.echo(
            f"  {chinese_date(milestone.due_date)}  {milestone.title}  预期进度{milestone.expected_progress}%"
            f"（{SOURCE_NAMES.get(milestone.source, milestone.source)}）"
        )
    click.echo(f"共 {len(rows)} 个节点")


@milestones.command("set")
@click.option("--task", "task_id", type=int, required=True, help="任务编号")
@click.option("--date", "day", required=True, help="节点日期，如 2024-06-30")
@click.option("--progress", type=int, required=True, help="到该日应达到的进度（%）")
@click.option("--title", required=True, help="节点名称，如 2024年上半年目标")
@_actor_option
def set_command(task_id: int, day: str, progress: int, title: str, actor: str) -> None:
    """设定或修改一个节点（办公室设定的节点不会被自动生成覆盖）"""
    from wufei.chinese import chinese_date
    from wufei.tasks.milestones import MilestoneError, set_milestone

    due_date = require_day(day, "--date")
    try:
        with transaction(engine()) as session:
            set_milestone(
                session, task_id=task_id, due_date=due_date, expected_progress=progress, title=title, actor=actor
            )
    except MilestoneError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"已设定任务{task_id}的节点：{chinese_date(due_date)} {title.strip()}，预期进度{progress}%")


@milestones.command("remove")
@click.option("--task", "task_id", type=int, required=True, help="任务编号")
@click.option("--date", "day", required=True, help="节点日期")
@_actor_option
def remove_command(task_id: int, day: str, actor: str) -> None:
    """删除一个节点（此后不再为该任务自动生成节点）"""
    from wufei.chinese import chinese_date
    from wufei.tasks.milestones import MilestoneError, remove_milestone

    due_date = require_day(day, "--date")
    try:
        with transaction(engine()) as session:
            remove_milestone(session, task_id=task_id, due_date=due_date, actor=actor)
    except MilestoneError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"已删除任务{task_id}在{chinese_date(due_date)}的节点")


@milestones.command("generate")
@click.option("--plan", "plan_ref", help="只处理此方案（文号、名称或编号）")
@_actor_option
def generate_command(plan_ref: str | None, actor: str) -> None:
    """为跨年度的任务生成年度节点（已有节点的任务不动）"""
    from wufei.tasks.milestones import ensure_milestones

    with transaction(engine()) as session:
        created = ensure_milestones(session, plan_ids=plan_ids(session, plan_ref), actor=actor)
    click.echo(f"新生成节点 {created} 个")

"""`wufei depts` (the list), `wufei depts merge` and `wufei depts rename`: thin over
wufei/departments/service.py and merging.py."""

from __future__ import annotations

import click

from wufei.clitools import echo_json, engine, parse_day, today


def _unit(session, written: str):
    """The unit the merge and rename commands act on: a retired unit's name means that unit (so
    the command refuses it), never silently its successor."""
    from wufei.departments.naming import DepartmentNameError, resolve_department

    try:
        return resolve_department(session, written, follow_merges=False)
    except DepartmentNameError as error:
        raise click.ClickException(str(error)) from None


@click.group("depts", invoke_without_command=True)
@click.option("--jurisdiction", help="地区，如 衡水市")
@click.option("--unknown", is_flag=True, help="只列出待核实的未知单位")
@click.option("--json", "as_json", is_flag=True, help="JSON 输出")
@click.pass_context
def depts_group(ctx: click.Context, jurisdiction: str | None, unknown: bool, as_json: bool) -> None:
    """列出部门（成员单位）及其牵头、配合任务数；子命令 merge、rename 处理机构改革和错写的单位"""
    if ctx.invoked_subcommand is not None:
        return
    from wufei.db import make_sessionmaker
    from wufei.departments.service import list_departments

    with make_sessionmaker(engine())() as session:
        rows = list_departments(session, jurisdiction=jurisdiction, unknown_only=unknown)
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        aliases = f"（又称 {'、'.join(row['aliases'])}）" if row["aliases"] else ""
        counts = f"牵头 {row['lead_tasks']} 项，配合 {row['supporting_tasks']} 项"
        click.echo(f"{row['jurisdiction']} {row['name']}{aliases}  {counts}")
    click.echo(f"共 {len(rows)} 个")


@depts_group.command("merge")
@click.argument("old")
@click.argument("new")
@click.option("--dry-run", is_flag=True, help="只列出将要转移的内容，不写入")
@click.option("--across-places", is_flag=True, help="允许合并不同地区的单位（须办公室确认）")
@click.option("--across-kinds", is_flag=True, help="允许将领导小组或人民政府并入其他类别的单位（须办公室确认）")
@click.option("--on", "on_value", help="处理日期（默认今天），如 2024-06-05")
@click.option("--actor", default="cli", show_default=True, help="操作人（写入变更记录）")
def merge_command(
    old: str, new: str, dry_run: bool, across_places: bool, across_kinds: bool, on_value: str | None, actor: str
) -> None:
    """将单位 OLD 并入 NEW（机构改革、错写的单位）：任务、指标、细胞、报送、联系人、账号和待发提醒转到 NEW，
    OLD 的名称成为 NEW 的别名，OLD 停用。单位写法同 --dept，如 衡水市/市生态环镜局"""
    from wufei.db import make_sessionmaker
    from wufei.departments.merging import MergeError, merge_departments, plan_merge

    on = parse_day(on_value, "--on") or today()
    # One transaction: committed only when everything moved; closing the session without a
    # commit (the dry run, a refusal, any error midway) leaves the database as it was.
    with make_sessionmaker(engine())() as session:
        try:
            pair = _unit(session, old), _unit(session, new)
            if dry_run:
                lines = plan_merge(session, *pair, across_places=across_places, across_kinds=across_kinds).lines()
            else:
                merged = merge_departments(
                    session, *pair, actor=actor, on=on, across_places=across_places, across_kinds=across_kinds
                )
                lines = merged.lines()
                session.commit()
        except MergeError as error:
            raise click.ClickException(str(error)) from None
    for line in lines:
        click.echo(line)
    click.echo("（预演，未写入）" if dry_run else "✓ 已合并，并写入变更记录")


@depts_group.command("rename")
@click.argument("unit")
@click.argument("name")
@click.option("--actor", default="cli", show_default=True, help="操作人（写入变更记录）")
def rename_command(unit: str, name: str, actor: str) -> None:
    """单位更名（不涉及合并）：UNIT 改称 NAME，原名称保留为别名。单位写法同 --dept"""
    from wufei.db import transaction
    from wufei.departments.merging import MergeError, rename_department
    from wufei.departments.naming import qualified_name

    try:
        with transaction(engine()) as session:
            unit_row = _unit(session, unit)
            old_name = rename_department(session, unit_row, name, actor=actor)
            renamed = qualified_name(unit_row)
    except MergeError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"✓ 「{old_name}」已更名为「{renamed}」，原名称保留为别名")

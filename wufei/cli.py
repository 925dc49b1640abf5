"""The `wufei` command line. Output for people is Chinese; --json is for programs."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click
from sqlalchemy import select

from wufei import migrate
from wufei.clitools import department_ids as _department_ids
from wufei.clitools import echo_json as _echo_json
from wufei.clitools import engine as _engine
from wufei.clitools import parse_day
from wufei.clitools import plan_ids as _plan_ids
from wufei.db import make_engine, make_sessionmaker, transaction

LIST_KIND_NAMES = {
    "main": "主要任务",
    "institution": "制度体系",
    "technology": "技术体系",
    "market": "市场体系",
    "regulation": "监管体系",
    "project": "工程项目",
}
ROLE_NAMES = {"lead": "牵头", "supporting": "配合", "implementer": "落实"}


@click.group()
def main() -> None:
    """wufei 无废城市建设督查督办系统"""


@main.group()
def db() -> None:
    """数据库管理"""


@db.command("upgrade")
def db_upgrade() -> None:
    """创建或升级数据库到最新版本"""
    engine = make_engine()
    migrate.upgrade(engine)
    click.echo(f"数据库已是最新版本：{engine.url.render_as_string(hide_password=True)}")


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出每个文件的结果")
def import_command(paths: tuple[Path, ...], as_json: bool) -> None:
    """导入方案文件（.txt 文档，.xlsx/.csv 表格）"""
    from wufei.importers.service import import_paths

    results = import_paths(_engine(), list(paths))
    if as_json:
        _echo_json([r.as_dict() for r in results])
    else:
        for result in results:
            _print_import(result)
    if not all(r.ok for r in results):
        sys.exit(1)


def _print_import(result) -> None:
    if not result.ok:
        click.echo(f"✗ 导入失败，未写入任何内容：{result.error}", err=True)
        return
    click.echo(f"✓ {result.file}")
    for plan in result.plans:
        counts = plan.counts
        kinds = "，".join(
            f"{LIST_KIND_NAMES.get(k.removeprefix('tasks_'), k)} {n}"
            for k, n in counts.items()
            if k.startswith("tasks_")
        )
        click.echo(f"  《{plan.plan_title}》{plan.doc_number or ''}")
        click.echo(
            f"  任务 {counts['tasks']} 项（{kinds or '无'}），其中待指定牵头单位 {counts['awaiting_assignment']} 项；"
            f"指标 {counts['indicators']} 项；无废细胞 {counts['cells']} 类"
        )
        changes = plan.changes
        click.echo(
            f"  新增 {changes.get('created', 0)}，更新 {changes.get('updated', 0)}，"
            f"删除 {changes.get('deleted', 0)}，未变 {changes.get('unchanged', 0)}"
        )
        for warning in plan.warnings:
            click.echo(f"  ⚠ {warning}")
    if result.departments:
        click.echo(f"  部门 {result.departments} 个")


@main.group()
def template() -> None:
    """生成空白导入模板"""


@template.command("plan")
@click.argument("path", type=click.Path(path_type=Path))
def template_plan(path: Path) -> None:
    """方案导入工作簿（含中文表头、示例行和填写说明）"""
    from wufei.exporters.ledger import write_template

    write_template(path)
    click.echo(f"已生成导入模板：{path}")


@main.command("export")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--plan", "plan_ref", help="只导出此方案（文号、名称或编号）")
def export_command(path: Path, plan_ref: str | None) -> None:
    """导出台账（方案、任务、项目、指标、无废细胞、部门）"""
    from wufei.exporters.ledger import export_ledger

    with transaction(_engine()) as session:
        plan_ids = _plan_ids(session, plan_ref)
        counts = export_ledger(session, path, plan_ids=plan_ids)
    click.echo(
        f"已导出台账：{path}（方案 {counts['plans']} 个，任务 {counts['tasks']} 项，项目 {counts['projects']} 项，"
        f"指标 {counts['indicators']} 项，无废细胞 {counts['cells']} 类，部门 {counts['departments']} 个）"
    )


_filters = [
    click.option("--plan", "plan_ref", help="方案文号、名称或编号"),
    click.option("--dept", help="部门：衡水市/市商务局、别名，或唯一的部门名称"),
    click.option("--role", type=click.Choice(["lead", "supporting", "implementer"]), help="与 --dept 合用"),
    click.option("--json", "as_json", is_flag=True, help="JSON 输出"),
]


def _with_filters(command):
    for option in reversed(_filters):
        command = option(command)
    return command


def _plan_and_department(session, plan_ref: str | None, dept: str | None) -> tuple[list[int] | None, list[int] | None]:
    """The --plan and --dept filters; a department name several places share means the plan's own."""
    from sqlalchemy import select

    from wufei.departments.models import Department
    from wufei.plans.models import Plan

    plan_ids = _plan_ids(session, plan_ref)
    prefer: list[int] = []
    if plan_ids and dept:
        places = select(Plan.jurisdiction_id).where(Plan.id.in_(plan_ids))
        prefer = list(session.scalars(select(Department.id).where(Department.jurisdiction_id.in_(places))))
    return plan_ids, _department_ids(session, dept, prefer=prefer)


@main.command("tasks")
@_with_filters
@click.option("--list-kind", type=click.Choice(list(LIST_KIND_NAMES)), help="清单类型")
@click.option("--awaiting", is_flag=True, help="只列出待指定牵头单位的任务")
@click.option("--as-of", "as_of", help="按此日期判定红黄绿灯，如 2024-05-31")
@click.option(
    "--light", type=click.Choice(["green", "yellow", "red", "done"]), help="只列出此灯色（含 --as-of 时默认今天）"
)
def tasks_command(plan_ref, dept, role, as_json, list_kind, awaiting, as_of, light) -> None:
    """列出任务和项目（可按日期判定红黄绿灯并说明原因）"""
    from wufei.tasks.models import Role
    from wufei.tasks.service import list_tasks, task_as_dict

    day = parse_day(as_of) or (date.today() if light else None)
    with make_sessionmaker(_engine())() as session:
        plan_ids, department_ids = _plan_and_department(session, plan_ref, dept)
        tasks = list_tasks(
            session,
            plan_ids=plan_ids,
            department_ids=department_ids,
            role=Role(role) if role else None,
            list_kind=list_kind,
            awaiting_assignment=True if awaiting else None,
        )
        rows = [task_as_dict(t) for t in tasks]
        if day is not None:
            rows = _with_lights(session, rows, day)
    if light:
        rows = [row for row in rows if row["light"] == light]
    if as_json:
        _echo_json(rows)
        return
    for row in rows:
        owners = "、".join(row["leads"]) or "（待指定）"
        due = row["due_date"] or {"ongoing": "持续推进", "annual": "每年年底"}.get(row["deadline_kind"], "")
        lamp = f"  {LIGHT_NAMES.get(row.get('light'), '')}：{row['reason']}" if row.get("light") else ""
        click.echo(
            f"[{row['id']}] {LIST_KIND_NAMES[row['list_kind']]} {row['number']}  {row['title']}  "
            f"牵头：{owners}  期限：{row['deadline_raw'] or '按方案期限'}（{due}）{lamp}"
        )
    click.echo(f"共 {len(rows)} 项" + (f"（判定日期 {day.isoformat()}）" if day else ""))


LIGHT_NAMES = {"green": "绿灯", "yellow": "黄灯", "red": "红灯", "done": "已完成"}


def _with_lights(session, rows: list[dict], day: date) -> list[dict]:
    """Each task's light and reason on `day`; tasks nobody leads yet have none."""
    from wufei.calendar.service import load_calendar
    from wufei.lights.service import compute_lights, lights_as_dicts

    lights = lights_as_dicts(
        compute_lights(session, as_of=day, calendar=load_calendar(session), task_ids=[row["id"] for row in rows])
    )
    empty = {"light": None, "reason": None, "rules": []}
    return [{**row, "as_of": day.isoformat(), **lights.get(row["id"], empty)} for row in rows]


@main.command("indicators")
@_with_filters
def indicators_command(plan_ref, dept, role, as_json) -> None:
    """列出指标"""
    from wufei.indicators.service import indicator_as_dict, list_indicators
    from wufei.tasks.models import Role

    with make_sessionmaker(_engine())() as session:
        plan_ids, department_ids = _plan_and_department(session, plan_ref, dept)
        indicators = list_indicators(
            session,
            plan_ids=plan_ids,
            department_ids=department_ids,
            role=Role(role) if role else None,
        )
        rows = [indicator_as_dict(i) for i in indicators]
    if as_json:
        _echo_json(rows)
        return
    for row in rows:
        click.echo(
            f"[{row['id']}] {row['number']} {row['name']}{row['marks']}  现状：{row['baseline']['raw'] or '—'}  "
            f"目标：{row['target']['raw'] or '—'}{row['unit'] or ''}  牵头：{'、'.join(row['leads']) or '—'}"
        )
    click.echo(f"共 {len(rows)} 项")


@main.command("depts")
@click.option("--jurisdiction", help="地区，如 衡水市")
@click.option("--unknown", is_flag=True, help="只列出待核实的未知单位")
@click.option("--json", "as_json", is_flag=True, help="JSON 输出")
def depts_command(jurisdiction: str | None, unknown: bool, as_json: bool) -> None:
    """列出部门（成员单位）及其牵头、配合任务数"""
    from wufei.departments.service import list_departments

    with make_sessionmaker(_engine())() as session:
        rows = list_departments(session, jurisdiction=jurisdiction, unknown_only=unknown)
    if as_json:
        _echo_json(rows)
        return
    for row in rows:
        aliases = f"（又称 {'、'.join(row['aliases'])}）" if row["aliases"] else ""
        counts = f"牵头 {row['lead_tasks']} 项，配合 {row['supporting_tasks']} 项"
        click.echo(f"{row['jurisdiction']} {row['name']}{aliases}  {counts}")
    click.echo(f"共 {len(rows)} 个")


@main.command("audit")
@click.option("--limit", default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True)
def audit_command(limit: int, as_json: bool) -> None:
    """最近的变更记录"""
    from wufei.audit.models import AuditEntry

    with make_sessionmaker(_engine())() as session:
        entries = list(session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)))
        rows = [
            {
                "at": e.at.isoformat(),
                "actor": e.actor,
                "action": e.action,
                "entity": e.entity,
                "entity_id": e.entity_id,
                "key": e.entity_key,
                "changes": e.changes,
                "source": e.source,
            }
            for e in entries
        ]
    if as_json:
        _echo_json(rows)
        return
    for row in rows:
        fields = "、".join(row["changes"])
        click.echo(f"{row['at'][:19]} {row['actor']} {row['action']} {row['entity']} {row['key']}：{fields}")


def _register() -> None:
    """The command groups of the domain packages (imported here: they import this module)."""
    from wufei.accounts.commands import users_group
    from wufei.bulletins.commands import bulletin_command
    from wufei.cadence.commands import cadence_group, serve_command
    from wufei.calendar.commands import calendar_group
    from wufei.contacts.commands import contacts_group, contacts_template
    from wufei.extensions.commands import extension
    from wufei.notices.commands import notices
    from wufei.reports.commands import report_group, weekly_form_command
    from wufei.tasks.commands import milestones
    from wufei.web.commands import web_command

    for command in (
        cadence_group,
        serve_command,
        calendar_group,
        report_group,
        milestones,
        extension,
        notices,
        contacts_group,
        bulletin_command,
        users_group,
        web_command,
    ):
        main.add_command(command)
    template.add_command(weekly_form_command)
    template.add_command(contacts_template)


_register()

if __name__ == "__main__":
    main()

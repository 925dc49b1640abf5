"""The `wufei` command line. Output for people is Chinese; --json is for programs.

Subcommands of the domain packages are imported when first used (`LazyGroup`), and every command
imports what it needs when it runs: `wufei --help` loads neither SQLAlchemy nor pandas nor
matplotlib, and a command only the libraries it uses.
"""

from __future__ import annotations

import gc
import importlib
import sys
import warnings
from datetime import date
from pathlib import Path
from typing import Any

import click

from wufei.clichinese import ChineseContext, ChineseError, in_chinese, speak_chinese
from wufei.clitools import database_lost, dispose_engines, parse_day, today
from wufei.clitools import department_ids as _department_ids
from wufei.clitools import echo_json as _echo_json
from wufei.clitools import engine as _engine
from wufei.clitools import plan_ids as _plan_ids

LIST_KIND_NAMES = {
    "main": "主要任务",
    "institution": "制度体系",
    "technology": "技术体系",
    "market": "市场体系",
    "regulation": "监管体系",
    "project": "工程项目",
}
IMPORT_GC_THRESHOLD = 20_000  # allocations between young-generation collections during `wufei import`
ROLE_NAMES = {"lead": "牵头", "supporting": "配合", "implementer": "落实"}


class LazyGroup(click.Group):
    """A group whose subcommands live in other modules, imported when a subcommand is used.

    `lazy` maps a name to ("module:attribute", help): the help is what `--help` lists without
    importing the module (a test checks it is the command's own). Every command it gives speaks
    Chinese where click writes its own text (wufei.clichinese)."""

    context_class = ChineseContext

    def __init__(self, *args: Any, lazy: dict[str, tuple[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except click.ClickException as error:
            raise in_chinese(error) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return self._invoke(ctx)
        finally:
            dispose_engines()

    def _invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.ClickException as error:  # a subcommand's, parsing its arguments or refusing
            raise in_chinese(error) from None
        except (click.Abort, EOFError, KeyboardInterrupt):
            raise ChineseError(None, aborted=True) from None
        except Exception as error:
            lost = database_lost(error)
            if lost is None:
                raise
            raise ChineseError(click.ClickException(lost)) from None

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self.lazy))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.lazy and name not in self.commands:
            target, _help = self.lazy[name]
            module, attribute = target.split(":")
            self.add_command(getattr(importlib.import_module(module), attribute), name)
        command = super().get_command(ctx, name)
        if command is not None:
            speak_chinese([command])
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        listed = []
        for name in self.list_commands(ctx):
            command = self.commands.get(name) or click.Command(name, help=self.lazy[name][1])
            if not command.hidden:
                listed.append((name, command))
        if listed:
            limit = formatter.width - 6 - max(len(name) for name, _ in listed)
            with formatter.section("Commands"):
                formatter.write_dl([(name, command.get_short_help_str(limit)) for name, command in listed])


@click.group(
    cls=LazyGroup,
    lazy={
        "bulletin": (
            "wufei.points.commands:bulletin_command",
            "生成通报（Markdown、HTML、Word、Excel 附件），基于锁定的数据快照",
        ),
        "cells": ("wufei.cells.commands:cells_group", "无废细胞：登记、状态变更、评估、台账导入导出"),
        "cadence": ("wufei.points.commands:cadence_group", "督查督办节奏：周报送、月调度、季通报、半年观摩、年终考核"),
        "calendar": ("wufei.calendar.commands:calendar_group", "工作日历：法定节假日、调休与办公室设置"),
        "contacts": ("wufei.contacts.commands:contacts_group", "部门联系人（专班联系人、负责同志、邮箱和群机器人）"),
        "depts": (
            "wufei.departments.commands:depts_group",
            "列出部门（成员单位）及其牵头、配合任务数；子命令 merge、rename 处理机构改革和错写的单位",
        ),
        "doubts": ("wufei.doubts.commands:doubts_group", "待确认项：导入时需要人工核实的栏目"),
        "extension": ("wufei.extensions.commands:extension", "延期申请"),
        "milestones": ("wufei.tasks.commands:milestones", "任务节点（年度目标等）"),
        "notices": (
            "wufei.notices.commands:notices",
            "列出提醒、督办单和提请督办（按生成日期）及其发送情况；子命令 deliver、retry 发送",
        ),
        "report": ("wufei.reports.commands:report_group", "周报送：报送、导入周报表、审核、查询与报送情况"),
        "serve": (
            "wufei.points.commands:serve_command",
            "按计划运行全部督查督办流程（需已启动并启用调度器的 Prefect 服务器，PREFECT_API_URL）",
        ),
        "users": ("wufei.accounts.commands:users_group", "门户账号：新建、列出、停用和启用、重设密码、生成登录链接"),
        "web": ("wufei.web.commands:web_command", "启动门户网站（办公室、部门联系人、领导使用）"),
        "work-pool": (
            "wufei.points.commands:work_pool_command",
            "建立或更新 Prefect 进程工作池：每个流程运行由本环境的 Python 直接启动引擎（需 PREFECT_API_URL）",
        ),
    },
)
def main() -> None:
    """wufei 无废城市建设督查督办系统"""
    warnings.showwarning = _show_warning
    # Each command says an unknown year once, whatever an earlier command in this process said: not
    # Python's once-per-place default (matched by its text: the calendar is not imported for --help).
    warnings.filterwarnings("always", message=r"\d{4}年的节假日安排尚未导入")
    _shown.clear()


_default_show_warning = warnings.showwarning
_shown: set[str] = set()


def _show_warning(
    message: Warning | str, category: type[Warning], filename: str, lineno: int, file: Any = None, line: Any = None
) -> None:
    """A year without a known holiday arrangement is told in one Chinese line (once), not as a
    Python warning with its file and line: the office has to act on it (`wufei calendar import`)."""
    if category.__name__ == "UnknownYearWarning":  # by name: the calendar is not imported for --help
        text = str(message)
        if text not in _shown:
            _shown.add(text)
            click.echo(f"注意：{text}", err=True)
        return
    _default_show_warning(message, category, filename, lineno, file, line)


@main.group()
def db() -> None:
    """数据库管理"""


@db.command("upgrade")
def db_upgrade() -> None:
    """创建或升级数据库到最新版本"""
    from wufei import migrate
    from wufei.db import make_engine

    engine = make_engine()
    migrate.upgrade(engine)
    click.echo(f"数据库已是最新版本：{engine.url.render_as_string(hide_password=True)}")


@db.command("backup")
@click.argument("target", type=click.Path(path_type=Path))
@click.option(
    "--keep",
    type=click.IntRange(1),
    help="备份到文件夹时，只保留最近的若干个按时间命名的备份，较早的删除（定时备份用）",
)
def db_backup(target: Path, keep: int | None) -> None:
    """备份数据库到一个新文件（SQLite 在线备份；PostgreSQL 用 pg_dump），备份期间可照常使用

    TARGET 是已有的文件夹时，备份文件按北京时间命名（如 wufei-20240603-023000.db）。
    """
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from wufei.backup import BackupError, backup_database, backup_into_folder
    from wufei.db import make_engine

    if keep is not None and not target.is_dir():
        raise click.UsageError("--keep 只用于备份到文件夹（按时间命名的备份）：请把 TARGET 写成已有的文件夹")
    engine = make_engine()
    removed: list[Path] = []
    try:
        if target.is_dir():
            # Beijing time, not the rule files' zone: a backup must not depend on the office's rules loading.
            now = datetime.now(ZoneInfo("Asia/Shanghai"))
            made, removed = backup_into_folder(engine, target, now, keep)
        else:
            made = backup_database(engine, target)
    except BackupError as exc:
        raise click.ClickException(f"备份失败：{exc}") from exc
    if made.kind == "sqlite":
        contents = f"{made.tables} 张表，方案 {made.plans or 0} 个、任务 {made.tasks or 0} 项，完整性检查通过"
    else:
        contents = f"{made.tables} 张表的数据，备份文件可完整读取"
    how = f"恢复：停止 wufei serve 和门户后运行 wufei db restore {made.path}"
    click.echo(f"已备份到 {made.path}（{_size(made.size)}，{contents}）\n{how}")
    if removed:
        names = "、".join(path.name for path in removed)
        click.echo(f"按 --keep {keep} 删除了较早的备份 {len(removed)} 个：{names}")


@db.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="不再询问，直接恢复")
def db_restore(source: Path, yes: bool) -> None:
    """用备份文件恢复数据库（先把当前数据库另存在备份文件旁）；恢复前请停止 wufei serve 和门户"""
    from wufei import migrate
    from wufei.backup import BackupError, restore_database
    from wufei.db import make_engine

    engine = make_engine()
    where = engine.url.render_as_string(hide_password=True)
    if not yes:
        click.confirm(f"将用 {source} 覆盖当前数据库 {where}（覆盖前先另存当前数据库），确定吗？", abort=True)
    try:
        restored = restore_database(engine, source)
    except BackupError as exc:
        raise click.ClickException(f"恢复失败：{exc}") from exc
    click.echo(f"已用 {restored.source} 恢复数据库 {where}；恢复前的数据库另存为 {restored.before.path}")
    if migrate.current_revision(engine) != migrate.head_revision():
        click.echo("备份来自其他版本的 wufei：请运行 wufei db upgrade 后再启动")


def _size(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{size / 1024:.0f} KB"


@main.group("config")
def config_group() -> None:
    """规则配置（WUFEI_CONFIG_DIR 中办公室的文件与随附默认）"""


@config_group.command("check")
def config_check() -> None:
    """检查规则文件：读的是哪一份、能否读取，以及办公室文件可能没想到的后果"""
    from wufei.ruleset import check_rule_files

    checks, unread = check_rule_files()
    for check in checks:
        if not check.office:
            source = "随附默认"
        else:
            source = "办公室文件，叠加在随附默认之上" if check.layered else "办公室文件，整份替换随附默认"
        click.echo(f"{check.name}  {source}  {check.path}")
        if check.error is not None:
            click.echo(f"  错误：{check.error}")
        for advisory in check.advisories:
            click.echo(f"  提醒：{advisory}")
    for name in unread:
        click.echo(f"{name}  WUFEI_CONFIG_DIR 中的这个文件不是规则文件，不会被读取（文件名写错了吗？）")
    errors = sum(check.error is not None for check in checks)
    if errors:
        raise click.ClickException(f"{errors} 个规则文件有错误，督查督办流程无法启动")
    advisories = sum(len(check.advisories) for check in checks) + len(unread)
    click.echo(f"全部 {len(checks)} 个规则文件可读取" + (f"，{advisories} 条提醒" if advisories else ""))


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出每个文件的结果")
@click.option("--jurisdiction", help="文件所属地区，如 深圳市、北京市朝阳区（文件未写明或写错时指定）")
@click.option("--preview", is_flag=True, help="只预览：逐条列出将导入的记录和待确认项，不写入任何内容")
@click.option("--out", "out", type=click.Path(path_type=Path), help="与 --preview 合用：把预览写成导入工作簿（.xlsx）")
def import_command(
    paths: tuple[Path, ...], as_json: bool, jurisdiction: str | None, preview: bool, out: Path | None
) -> None:
    """导入方案文件（文档：.txt .text .md .docx .doc .wps .rtf .odt .pdf .ofd .html .htm .shtml .xhtml .mht .mhtml；
    表格：.xlsx .xlsm .xls .et .ods .csv；扫描件与图片经文字识别（OCR）读取：.png .jpg .jpeg .tif .tiff）"""
    if out is not None and not preview:
        raise click.UsageError("--out 只能与 --preview 合用")
    # The modules, ORM state and parsed documents of an import live until the command ends: the
    # collector's young-generation passes over them (every 700 allocations by default) cost about a
    # tenth of the command's CPU time and free nothing.
    gc.set_threshold(IMPORT_GC_THRESHOLD, 10, 10)
    if "wufei.importers.service" not in sys.modules:
        # Loading the importer, SQLAlchemy and the models makes objects that live as long as the process:
        # loaded with the collector off, then frozen out of its view, so that neither the loading nor the
        # import's older-generation passes scan them (each full pass ~45 ms; another tenth of the CPU).
        # Only when this command loads them: a process running many commands (the tests) freezes once.
        gc.disable()
        try:
            importlib.import_module("wufei.importers.service")
            gc.freeze()
        finally:
            gc.enable()
    from wufei.importers.service import import_paths

    if preview:
        _preview(list(paths), as_json, out, jurisdiction)
        return
    results = import_paths(_engine(), list(paths), jurisdiction=jurisdiction)
    if as_json:
        _echo_json([r.as_dict() for r in results])
    else:
        for result in results:
            _print_import(result)
    if not all(r.ok for r in results):
        sys.exit(1)


def _preview(paths: list[Path], as_json: bool, out: Path | None, jurisdiction: str | None) -> None:
    from wufei.importers.commands import print_previews
    from wufei.importers.service import preview_paths

    previews = preview_paths(_engine(), paths, jurisdiction=jurisdiction)
    if out is not None:
        from wufei.exporters.preview import write_preview_workbook

        written = write_preview_workbook(out, previews)
    if as_json:
        _echo_json([p.as_dict() for p in previews])
    else:
        print_previews(previews)
        if out is not None:
            rows = "，".join(f"{sheet} {n} 行" for sheet, n in written.items() if n)
            click.echo(f"已生成导入工作簿：{out}（{rows or '无记录'}）；在 Excel 中修改后用 wufei import {out} 导入")
    if not all(p.committable for p in previews):  # the import would refuse a file or a plan
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
        if plan.ledger:
            click.echo(
                f"  台账完成情况（{len(plan.ledger)} 项，其中按台账完成 {counts.get('completed_by_ledger', 0)} 项）："
            )
            for line in plan.ledger:
                click.echo(f"    {line}")
        if counts.get("doubts"):
            click.echo(f"  {counts['doubts']} 项待确认，请用 wufei doubts list 查看")
    if result.departments:
        click.echo(f"  部门 {result.departments} 个")


@main.group(
    cls=LazyGroup,
    lazy={
        "cells": (
            "wufei.cells.commands:cells_template_command",
            "无废细胞台账模板（空白；已有细胞时请用 wufei cells export）",
        ),
        "contacts": (
            "wufei.contacts.commands:contacts_template",
            "空白联系人表（部门、专班联系人、负责同志、邮箱、群机器人）",
        ),
        "indicators": (
            "wufei.indicators.commands:indicator_form_command",
            "指标填报表（某部门负责的指标，预填上期数值、数据来源和统计口径）",
        ),
        "weekly-report": (
            "wufei.reports.commands:weekly_form_command",
            "周报表（某部门某周牵头的在办任务，预填上次报送内容）",
        ),
    },
)
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
    from wufei.db import transaction
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
    from wufei.db import make_sessionmaker
    from wufei.extensions.service import effective_due_dates
    from wufei.tasks.models import Role
    from wufei.tasks.service import list_tasks, task_as_dict

    day = parse_day(as_of) or (today() if light else None)
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
        # The deadline in force (an approved extension moves it) on the day lights are judged, or today.
        in_force = effective_due_dates(session, as_of=day or today(), task_ids=[row["id"] for row in rows])
        for row in rows:
            due_in_force = in_force.get(row["id"])
            row["due_in_force"] = due_in_force.isoformat() if due_in_force else None
        if day is not None:
            rows = _with_lights(session, rows, day)
    if light:
        rows = [row for row in rows if row["light"] == light]
    if as_json:
        _echo_json(rows)
        return
    from wufei.lights.models import LIGHT_NAMES

    for row in rows:
        owners = "、".join(row["leads"]) or "（待指定）"
        due = row["due_date"] or {"ongoing": "持续推进", "annual": "每年年底"}.get(row["deadline_kind"], "")
        if row["due_in_force"] and row["due_in_force"] != row["due_date"]:
            due += f"，已延期至{row['due_in_force']}"
        lamp = f"  {LIGHT_NAMES.get(str(row.get('light')), '')}：{row['reason']}" if row.get("light") else ""
        click.echo(
            f"[{row['id']}] {LIST_KIND_NAMES[row['list_kind']]} {row['number']}  {row['title']}  "
            f"牵头：{owners}  期限：{row['deadline_raw'] or '按方案期限'}（{due}）{lamp}"
        )
    click.echo(f"共 {len(rows)} 项" + (f"（判定日期 {day.isoformat()}）" if day else ""))


def _with_lights(session, rows: list[dict], day: date) -> list[dict]:
    """Each task's light and reason on `day` (a task nobody leads yet is lit as awaiting assignment)."""
    from wufei.cadence.config import CadenceConfig
    from wufei.calendar.service import load_calendar
    from wufei.lights.rules import LightRules
    from wufei.lights.service import compute_lights, lights_as_dicts

    lights = lights_as_dicts(
        compute_lights(
            session,
            as_of=day,
            calendar=load_calendar(session),
            cadence=CadenceConfig.load(),
            rules=LightRules.load(),
            task_ids=[row["id"] for row in rows],
        )
    )
    empty: dict[str, Any] = {"light": None, "reason": None, "rules": []}
    return [{**row, "as_of": day.isoformat(), **lights.get(row["id"], empty)} for row in rows]


@main.group(
    "indicators",
    cls=LazyGroup,
    invoke_without_command=True,
    lazy={
        "report": (
            "wufei.indicators.commands:report_command",
            "报送一项指标某报送期的数值（数据来源、统计口径、佐证材料）",
        ),
        "import": ("wufei.indicators.commands:import_command", "导入填好的指标填报表（.xlsx）：有错误则全部不写入"),
        "review": (
            "wufei.indicators.commands:review_command",
            "审核指标数值：采纳（--accept）或退回（--return --reason 理由）",
        ),
        "values": ("wufei.indicators.commands:values_command", "列出报送的指标数值（含各版本）"),
        "track": ("wufei.indicators.commands:track_command", "各指标的亮灯、原因与完成预测（按序时进度、趋势）"),
        "owner": ("wufei.indicators.commands:owner_command", "指定指标的责任单位（牵头单位）"),
        "milestone": ("wufei.indicators.commands:milestone_command", "设定指标某年末的节点值（改变序时进度轨迹）"),
    },
)
@_with_filters
@click.pass_context
def indicators_command(ctx, plan_ref, dept, role, as_json) -> None:
    """列出指标；子命令报送、审核、跟踪指标"""
    if ctx.invoked_subcommand is not None:
        return
    from wufei.db import make_sessionmaker
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


@main.command("audit")
@click.option("--limit", default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True)
def audit_command(limit: int, as_json: bool) -> None:
    """最近的变更记录"""
    from sqlalchemy import select

    from wufei.audit.models import AuditEntry
    from wufei.db import make_sessionmaker

    with make_sessionmaker(_engine())() as session:
        entries = list(session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)))
        rows: list[dict[str, Any]] = [
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
    from wufei.audit.labels import action_name, entity_name, field_name

    for row in rows:
        fields = "、".join(field_name(field) for field in row["changes"])
        click.echo(
            f"{row['at'][:19]} {row['actor']} {action_name(row['action'])} {entity_name(row['entity'])} "
            f"{row['key']}：{fields}"
        )


if __name__ == "__main__":
    main()

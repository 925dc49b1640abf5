"""`wufei cells add|advance|assess|checklist|list|history|import|export` and `wufei template cells`."""

from __future__ import annotations

from pathlib import Path

import click

from wufei.calendar.commands import CommandError, actor
from wufei.clitools import cadence_config, echo_json, engine, parse_day
from wufei.db import make_sessionmaker, transaction

JURISDICTION_HELP = "所属城市，如 衡水市（只导入过一个城市的方案时可省略）"


def _rules():
    from wufei.cells.rules import CellRules

    return CellRules.load()


def _jurisdiction(session, name: str | None):
    """The city named, or the one city the database knows when there is only one."""
    from sqlalchemy import select

    from wufei.cells.registry import CellError, jurisdiction_named
    from wufei.plans.models import Jurisdiction, JurisdictionLevel

    try:
        if name:
            return jurisdiction_named(session, name)
        cities = list(session.scalars(select(Jurisdiction).where(Jurisdiction.level == JurisdictionLevel.CITY)))
    except CellError as exc:
        raise CommandError(str(exc)) from exc
    if len(cities) != 1:
        listed = "、".join(c.name for c in cities) or "无"
        raise CommandError(f"请用 --jurisdiction 指明城市（已有：{listed}）")
    return cities[0]


def _describe(cell) -> str:
    from wufei.cells.rules import STATE_NAMES, CellState

    state = STATE_NAMES[CellState(cell.state)]
    return (
        f"[{cell.id}] {cell.county}「{cell.name}」{cell.category} {cell.department.name} "
        f"{state}（{cell.state_on.isoformat()}）" + (f"：{cell.return_reason}" if cell.return_reason else "")
    )


@click.command("add")
@click.option("--name", required=True, help="细胞名称，如 衡水市第一中学")
@click.option("--category", required=True, help="类别，如 无废学校（wufei cells checklist 列出全部类别）")
@click.option("--county", required=True, help="所在县（市、区）或功能区，如 桃城区")
@click.option("--address", help="地址")
@click.option("--dept", help="责任部门（默认为该类别的牵头部门）")
@click.option("--note", help="说明")
@click.option("--on", "on_value", help="申报日期，如 2024-03-01（默认今天）")
@click.option("--evidence", multiple=True, type=click.Path(path_type=Path), help="申报材料文件，可重复")
@click.option("--jurisdiction", help=JURISDICTION_HELP)
@click.option("--json", "as_json", is_flag=True)
def add_command(name, category, county, address, dept, note, on_value, evidence, jurisdiction, as_json) -> None:
    """登记一个无废细胞（申报）"""
    from wufei.cells.registry import CellError, add_cell, cell_as_dict

    cadence = cadence_config()
    try:
        with transaction(engine()) as session:
            city = _jurisdiction(session, jurisdiction)
            cell = add_cell(
                session,
                jurisdiction=city,
                name=name,
                category=category,
                county=county,
                address=address,
                department=dept,
                note=note,
                on=parse_day(on_value, "--on") or cadence.today(),
                actor=actor(),
                rules=_rules(),
                evidence=list(evidence),
                evidence_rules=cadence.evidence,
            )
            row, text = cell_as_dict(cell), _describe(cell)
    except CellError as exc:
        raise CommandError(str(exc)) from exc
    if as_json:
        echo_json(row)
    else:
        click.echo(f"已登记：{text}")


@click.command("advance")
@click.argument("cell_id", type=int)
@click.argument("state")
@click.option("--on", "on_value", help="变更日期，如 2024-05-31（默认今天）")
@click.option("--reason", help="理由或说明；退回时必填")
@click.option("--evidence", multiple=True, type=click.Path(path_type=Path), help="佐证材料文件，可重复")
def advance_command(cell_id: int, state: str, on_value: str | None, reason: str | None, evidence) -> None:
    """变更细胞状态：申报、创建中、评估、命名、退回（须 --reason）"""
    from wufei.cells.registry import CellError, advance
    from wufei.cells.rules import CellRuleError, parse_state

    cadence = cadence_config()
    try:
        target = parse_state(state)
        with transaction(engine()) as session:
            cell = advance(
                session,
                cell_id=cell_id,
                to=target,
                on=parse_day(on_value, "--on") or cadence.today(),
                actor=actor(),
                reason=reason,
                evidence=list(evidence),
                evidence_rules=cadence.evidence,
            )
            text = _describe(cell)
    except (CellError, CellRuleError) as exc:
        raise CommandError(str(exc)) from exc
    click.echo(f"已变更：{text}")


@click.command("assess")
@click.argument("cell_id", type=int)
@click.option("--score", "scores", multiple=True, required=True, help="细则序号=得分，如 1=14，每项一次")
@click.option("--on", "on_value", help="评估日期（默认今天）")
def assess_command(cell_id: int, scores: tuple[str, ...], on_value: str | None) -> None:
    """评估打分：逐项记录细则得分，达到命名线即命名，否则退回"""
    from wufei.cells.assessment import assess
    from wufei.cells.registry import CellError

    written = {}
    for item in scores:
        key, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"应写成 细则序号=得分，如 1=14：{item}", param_hint="--score")
        written[key.strip()] = value.strip()
    cadence = cadence_config()
    try:
        with transaction(engine()) as session:
            result = assess(
                session,
                cell_id=cell_id,
                scores=written,
                on=parse_day(on_value, "--on") or cadence.today(),
                actor=actor(),
                rules=_rules(),
            )
            text = f"{'已命名' if result.named else '已退回'}：{_describe(result.cell)}；{result.reason}"
    except CellError as exc:
        raise CommandError(str(exc)) from exc
    click.echo(text)


@click.command("checklist")
@click.argument("category", required=False)
def checklist_command(category: str | None) -> None:
    """列出无废细胞类别、牵头部门和评估细则（可编辑的数据文件 categories.yaml）"""
    from wufei.cells.rules import CellRuleError

    rules = _rules()
    try:
        kinds = [rules.category(category)] if category else list(rules.categories.values())
    except CellRuleError as exc:
        raise CommandError(str(exc)) from exc
    for kind in kinds:
        click.echo(
            f"{kind.name}（牵头部门：{kind.lead}；单位：{kind.unit}；满分{kind.full_score.normalize():f}分，"
            f"命名线{kind.pass_score.normalize():f}%）"
        )
        for index, criterion in enumerate(kind.criteria, start=1):
            click.echo(f"  {index}. {criterion.name}：{criterion.points.normalize():f}分")


@click.command("list")
@click.option("--category", help="类别")
@click.option("--county", help="县（市、区）")
@click.option("--dept", help="责任部门")
@click.option("--state", help="状态：申报、创建中、评估、命名、退回")
@click.option("--jurisdiction", help=JURISDICTION_HELP)
@click.option("--json", "as_json", is_flag=True)
def list_command(category, county, dept, state, jurisdiction, as_json) -> None:
    """列出无废细胞（可按类别、县市区、责任部门、状态筛选）"""
    from wufei.cells.registry import CellError, cell_as_dict, county_named, list_cells, responsible
    from wufei.cells.rules import CellRuleError, parse_state

    try:
        wanted = parse_state(state) if state else None
        with make_sessionmaker(engine())() as session:
            city = _jurisdiction(session, jurisdiction)
            cells = list_cells(
                session,
                jurisdiction_ids=[city.id],
                category=_rules().category(category).name if category else None,
                county=county_named(session, city, county) if county else None,
                department_ids=[responsible(session, city, dept).id] if dept else None,
                state=wanted,
            )
            rows, lines = [cell_as_dict(c) for c in cells], [_describe(c) for c in cells]
    except (CellError, CellRuleError) as exc:
        raise CommandError(str(exc)) from exc
    if as_json:
        echo_json(rows)
        return
    for line in lines:
        click.echo(line)
    click.echo(f"共 {len(lines)} 个")


@click.command("history")
@click.argument("cell_id", type=int)
def history_command(cell_id: int) -> None:
    """一个细胞的状态变更记录和评估得分"""
    from wufei.cells.assessment import assessments_of
    from wufei.cells.registry import CellError, get_cell, history_as_dicts

    try:
        with make_sessionmaker(engine())() as session:
            cell = get_cell(session, cell_id)
            click.echo(_describe(cell))
            for item in history_as_dicts(cell):
                moved = f"{item['from']} → {item['to']}" if item["from"] else f"登记为{item['to']}"
                files = f"；佐证材料：{'、'.join(item['evidence'])}" if item["evidence"] else ""
                click.echo(f"  {item['on']} {moved}" + (f"：{item['reason']}" if item["reason"] else "") + files)
            for done in assessments_of(session, cell_id):
                click.echo(f"  评估（{done.assessed_on.isoformat()}）：{done.reason}")
                for score in done.scores:
                    click.echo(f"    {score.criterion}：{score.points.normalize():f}/{score.full_points.normalize():f}")
    except CellError as exc:
        raise CommandError(str(exc)) from exc


@click.command("import")
@click.argument("path", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--jurisdiction", help="所属城市（默认为台账导出时所写的城市）")
@click.option("--on", "on_value", help="今天的日期（状态日期留空时用它，默认今天）")
def import_command(path: Path, jurisdiction: str | None, on_value: str | None) -> None:
    """导入无废细胞台账（.xlsx）：新登记和状态变更，有错误则全部不写入"""
    from wufei.cells.ledger import import_cells_workbook
    from wufei.cells.registry import CellError

    today = parse_day(on_value, "--on") or cadence_config().today()
    try:
        with transaction(engine()) as session:
            city = _jurisdiction(session, jurisdiction) if jurisdiction else None
            added, changed = import_cells_workbook(
                session, path, jurisdiction=city, today=today, actor=actor(), rules=_rules()
            )
    except CellError as exc:
        raise CommandError(str(exc)) from exc
    click.echo(f"已导入无废细胞台账：新登记 {len(added)} 个，更新 {len(changed)} 个")


@click.command("export")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--jurisdiction", help=JURISDICTION_HELP)
def export_command(path: Path, jurisdiction: str | None) -> None:
    """导出无废细胞台账（.xlsx，可修改后再导入）"""
    from wufei.cells.ledger import write_cells_workbook

    with make_sessionmaker(engine())() as session:
        city = _jurisdiction(session, jurisdiction)
        count = write_cells_workbook(session, path, jurisdiction=city, as_of=cadence_config().today())
    click.echo(f"已导出无废细胞台账：{path}（{count} 个）")


@click.command("cells")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--jurisdiction", help=JURISDICTION_HELP)
def cells_template_command(path: Path, jurisdiction: str | None) -> None:
    """无废细胞台账模板（空白；已有细胞时请用 wufei cells export）"""
    from wufei.cells.ledger import write_cells_workbook

    with make_sessionmaker(engine())() as session:
        city = _jurisdiction(session, jurisdiction)
        write_cells_workbook(session, path, jurisdiction=city, as_of=cadence_config().today(), empty=True)
    click.echo(f"已生成无废细胞台账模板：{path}")


@click.group("cells")
def cells_group() -> None:
    """无废细胞：登记、状态变更、评估、台账导入导出"""


for _command in (
    add_command,
    advance_command,
    assess_command,
    checklist_command,
    list_command,
    history_command,
    import_command,
    export_command,
):
    cells_group.add_command(_command)

"""`wufei doubts`: what imports left for a person to confirm, and deciding it."""

from __future__ import annotations

import click

from wufei.clitools import echo_json, engine, plan_ids
from wufei.db import make_sessionmaker, transaction


@click.group("doubts")
def doubts_group() -> None:
    """待确认项：导入时需要人工核实的栏目"""


@doubts_group.command("list")
@click.option("--plan", "plan_ref", help="方案文号、名称或编号")
@click.option("--all", "everything", is_flag=True, help="也列出已确认、已更正的")
@click.option("--json", "as_json", is_flag=True, help="JSON 输出")
def list_command(plan_ref: str | None, everything: bool, as_json: bool) -> None:
    """列出待确认项（默认只列未处理的）"""
    from wufei.doubts.models import DoubtStatus
    from wufei.doubts.service import doubt_as_dict, list_doubts

    with make_sessionmaker(engine())() as session:
        rows = [
            doubt_as_dict(d)
            for d in list_doubts(
                session, plan_ids=plan_ids(session, plan_ref), status=None if everything else DoubtStatus.OPEN
            )
        ]
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        decided = ""
        if row["status"] != "open":
            decided = f"  [{row['status_cn']}：{row['decided_by']} {row['decided_at'][:10]} {row['note'] or ''}]"
        click.echo(f"[{row['id']}] {row['plan']} {row['record']}  {row['field_cn']}：{row['message']}{decided}")
    open_count = sum(1 for row in rows if row["status"] == "open")
    click.echo(f"共 {len(rows)} 项" + (f"，其中待确认 {open_count} 项" if everything else ""))
    if open_count:
        click.echo("处理：wufei doubts resolve 编号 --note 说明（已核实无误）；已在别处改正的加 --corrected")


@doubts_group.command("resolve")
@click.argument("doubt_ids", nargs=-1, required=True, type=int)
@click.option("--note", required=True, help="处理说明，如：已核实，原文无误")
@click.option("--corrected", is_flag=True, help="标记为已更正（默认：已确认）")
@click.option("--actor", default="cli", show_default=True, help="处理人")
def resolve_command(doubt_ids: tuple[int, ...], note: str, corrected: bool, actor: str) -> None:
    """处理待确认项：确认无误，或标记已更正（可一次处理多项，全部成功或全部不处理）"""
    from wufei.doubts.models import STATUS_NAMES, DoubtStatus
    from wufei.doubts.service import DoubtError, decide_doubt

    status = DoubtStatus.CORRECTED if corrected else DoubtStatus.CONFIRMED
    try:
        with transaction(engine()) as session:
            for doubt_id in doubt_ids:
                decide_doubt(session, doubt_id=doubt_id, status=status, note=note, actor=actor)
    except DoubtError as error:
        raise click.ClickException(f"{error}；未处理任何一项") from None
    click.echo(f"已处理 {len(doubt_ids)} 项：{STATUS_NAMES[status]}（{note}）")

"""`wufei bulletin monthly|quarterly|half-year|annual --period P --out DIR`."""

from __future__ import annotations

from pathlib import Path

import click

from wufei.clitools import engine, parse_day

KINDS = ("monthly", "quarterly", "half-year", "annual", "self-assessment", "province")


@click.command("bulletin")
@click.argument("kind", type=click.Choice(KINDS))
@click.option("--period", required=True, help="期间：2024-05、2024-Q2、2024-H1 或 2024")
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path), help="输出目录")
@click.option("--jurisdiction", help="地区，如 衡水市；省级汇总为省，如 河北省（默认：全部）")
@click.option("--refresh", is_flag=True, help="按当前台账重新取数（生成新的数据快照）")
@click.option("--as-of", "as_of", help="取数日期（默认：该环节的运行日，或已保存的该期数据）")
def bulletin_command(
    kind: str, period: str, out_dir: Path, jurisdiction: str | None, refresh: bool, as_of: str | None
) -> None:
    """生成通报（Markdown、HTML、Word、Excel 附件），基于锁定的数据快照

    self-assessment：年度自评估（--period 2024）；province：省级汇总（期间决定月、季、半年或年度）
    """
    from wufei.bulletins.service import BulletinError, issue_bulletins
    from wufei.cadence.periods import PeriodError

    try:
        issued = issue_bulletins(
            engine(),
            kind=kind,
            period=period,
            out_dir=out_dir,
            jurisdiction=jurisdiction,
            refresh=refresh,
            figures_as_of=parse_day(as_of),
        )
    except (BulletinError, PeriodError) as exc:
        raise click.ClickException(str(exc)) from None
    if not issued:
        raise click.ClickException("没有纳入督办的方案，未生成通报")
    for item in issued:
        doc = item.document
        click.echo(f"已生成《{doc.title}》")
        click.echo(f"  数据快照：{item.snapshot_id}（数据截至{doc.data_as_of_cn}，取数日期{doc.date_cn}）")
        for path in item.paths:
            click.echo(f"  {path}")
        click.echo(f"  通知：新建「通报已生成」提醒 {item.notices} 条")

"""`wufei notices`: the notice intents (reminders, slips, escalations) the scans created."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

import click

from wufei.cadence import periods
from wufei.chinese import chinese_date, chinese_week_of_label
from wufei.clitools import department_ids, echo_json, engine, parse_day
from wufei.notices.models import NoticeKind

HEADER = ("日期", "类型", "对象", "部门", "任务", "期间", "状态")
TASK_WIDTH = 50
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


@click.group("notices", invoke_without_command=True)
@click.option("--since", help="起始日期（含），如 2024-05-31")
@click.option("--until", help="截止日期（含）")
@click.option("--dept", help="部门：衡水市/市商务局、别名，或唯一的部门名称")
@click.option("--kind", type=click.Choice([k.value for k in NoticeKind]), help="通知类型")
@click.option("--json", "as_json", is_flag=True, help="JSON 输出（全部字段，含每次发送记录）")
@click.pass_context
def notices(
    context: click.Context, since: str | None, until: str | None, dept: str | None, kind: str | None, as_json: bool
) -> None:
    """列出提醒、督办单和提请督办（按生成日期）及其发送情况；子命令 deliver、retry 发送"""
    if context.invoked_subcommand is not None:
        return
    from wufei.db import make_sessionmaker
    from wufei.notices.service import intents_as_dicts, list_intents
    from wufei.notify.service import dispatch_views

    first, last = parse_day(since, "--since"), parse_day(until, "--until")
    if first and last and first > last:
        raise click.BadParameter("起始日期晚于截止日期", param_hint="--since")
    with make_sessionmaker(engine())() as session:
        intents = list_intents(session, since=first, until=last, department_id=department_ids(session, dept), kind=kind)
        rows = intents_as_dicts(session, intents)
        views = dispatch_views(session, [row["id"] for row in rows])
    for row in rows:
        row["dispatches"] = views.get(row["id"], [])
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo("没有符合条件的通知")
        return
    table = [HEADER] + [_cells(row) for row in rows]
    widths = [max(_width(line[i]) for line in table) for i in range(len(HEADER))]
    for line in table:
        click.echo("  ".join(_pad(cell, width) for cell, width in zip(line, widths)).rstrip())
    open_count = sum(1 for row in rows if row["resolved_on"] is None)
    click.echo(f"共 {len(rows)} 条（未解除 {open_count} 条）")


def _cells(row: dict[str, Any]) -> tuple[str, ...]:
    from wufei.notices.service import AUDIENCE_NAMES, KIND_NAMES

    payload = row["payload"] or {}
    kind = payload.get("step_title") or KIND_NAMES.get(row["kind"], row["kind"])
    audience = AUDIENCE_NAMES.get(row["audience"], row["audience"])
    task = ""
    if row["task_id"] is not None:
        title = payload.get("title") or payload.get("task_title") or ""
        number = payload.get("number") or payload.get("task_number")
        task = _clip(f"[{row['task_id']}] " + (f"{number} " if number else "") + title, TASK_WIDTH)
    elif payload.get("task_ids"):
        task = f"{len(payload['task_ids'])} 项任务"
    status = (
        f"已解除（{row['resolution']}）"
        if row["resolved_on"] and not row.get("dispatches")
        else _delivery_status(row.get("dispatches") or [])
    )
    return (
        _cn_date(row["created_on"]),
        kind,
        audience,
        row["department"] or "—",
        task or "—",
        _period(row["period"]),
        status,
    )


def _cn_date(iso: str) -> str:
    return chinese_date(date.fromisoformat(iso))


def _period(period: str) -> str:
    """2024-05-31 → 期限2024年5月31日; 2024-W22 → 2024年第22周; a bulletin's or an indicator's
    period (2024-05, 2024-Q2, 2024-H1, 2024) in Chinese; anything else as it is."""
    if match := _DAY.match(period):
        return f"期限{chinese_date(date(int(match[1]), int(match[2]), int(match[3])))}"
    if _WEEK.match(period):
        return chinese_week_of_label(period)
    try:
        return periods.parse(period).chinese
    except periods.PeriodError:
        return period


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _clip(text: str, width: int) -> str:
    if _width(text) <= width:
        return text
    out = ""
    for ch in text:
        if _width(out + ch) > width - 1:
            break
        out += ch
    return out + "…"


DISPATCH_STATUS_NAMES = {
    "sent": "已发送",
    "failed": "发送失败（待重试）",
    "permanent": "发送失败（已通知办公室）",
    "unknown": "结果不明（待核实）",
    "claimed": "发送中",
    "withdrawn": "已撤回（单位合并，新单位已有同一提醒）",
}


def _delivery_status(dispatches: list[dict[str, Any]]) -> str:
    if not dispatches:
        return "待发送"
    latest = dispatches[-1]
    if latest["stuck"]:
        return "发送中断（待重试）"
    return DISPATCH_STATUS_NAMES.get(latest["status"], latest["status"])


@notices.command("deliver")
@click.option("--as-of", "as_of", help="发送日（默认北京时间今天），如 2024-06-03")
@click.option("--concurrency", type=click.IntRange(1, 64), default=4, show_default=True, help="同时发送的条数")
@click.option("--json", "as_json", is_flag=True, help="JSON 输出")
def deliver_command(as_of: str | None, concurrency: int, as_json: bool) -> None:
    """发送某日的通知摘要（每部门每对象一条），并重试到期的失败发送"""
    from wufei.cadence.config import CadenceConfig
    from wufei.notify.channels import ChannelError
    from wufei.notify.runs import deliver_day, load_channels, retry_due

    cadence = CadenceConfig.load()
    day = parse_day(as_of) or cadence.today()  # the flow's day (the cadence time zone), not the server's
    database = engine()
    try:
        channels = load_channels(database)
    except (ChannelError, ValueError) as error:
        raise click.ClickException(f"通知渠道配置有误：{error}") from None
    retried = retry_due(database, cadence=cadence, channels=channels, concurrency=concurrency)
    summary = deliver_day(database, day, cadence=cadence, channels=channels, concurrency=concurrency)
    if as_json:
        echo_json({"retry": retried, "deliver": summary})
        return
    click.echo(
        f"{_cn(day)}：摘要 {summary['digests']} 条，本次认领 {summary['claimed']} 条"
        f"（他处已认领 {summary['skipped']} 条）；{_outcome(summary)}"
    )
    if retried["due"]:
        click.echo(f"重试 {retried['due']} 条：{_outcome(retried)}")


@notices.command("retry")
@click.option("--all", "ignore_backoff", is_flag=True, help="不等退避时间，立即重试所有失败的发送（结果不明的不重发）")
@click.option("--dispatch", "dispatch_id", type=int, help="只重试这一条发送记录")
@click.option(
    "--resend", is_flag=True, help="与 --dispatch 同用：办公室核实对方未收到后，补发“结果不明（待核实）”或已放弃的发送"
)
@click.option("--json", "as_json", is_flag=True, help="JSON 输出")
def retry_command(ignore_backoff: bool, dispatch_id: int | None, resend: bool, as_json: bool) -> None:
    """重试发送失败的通知（按退避时间：5分钟、15分钟、1小时、4小时；共5次）"""
    from wufei.cadence.config import CadenceConfig
    from wufei.notify.channels import ChannelError
    from wufei.notify.runs import load_channels, retry_due
    from wufei.notify.runs import resend as resend_dispatch
    from wufei.notify.service import DecisionError, DispatchBusy

    if resend and dispatch_id is None:
        raise click.BadParameter("--resend 需与 --dispatch 同用", param_hint="--resend")
    cadence = CadenceConfig.load()
    database = engine()
    try:
        channels = load_channels(database)
    except (ChannelError, ValueError) as error:
        raise click.ClickException(f"通知渠道配置有误：{error}") from None
    if resend:
        assert dispatch_id is not None  # checked above
        try:
            summary = resend_dispatch(database, dispatch_id, cadence=cadence, channels=channels)
        except (LookupError, DispatchBusy, DecisionError) as error:
            raise click.ClickException(str(error)) from None
    else:
        summary = retry_due(
            database,
            cadence=cadence,
            channels=channels,
            ignore_backoff=ignore_backoff,
            dispatch_ids=None if dispatch_id is None else [dispatch_id],
        )
    if as_json:
        echo_json(summary)
        return
    if not summary["due"]:
        click.echo("没有到期需要重试的发送" + ("（可加 --all 立即重试）" if not ignore_backoff and not resend else ""))
        return
    click.echo(f"重试 {summary['due']} 条：{_outcome(summary)}")


@notices.command("confirm")
@click.option("--dispatch", "dispatch_id", type=int, required=True, help="结果不明（待核实）的发送记录编号")
@click.option("--note", help="核实情况，如“已电话确认收到”")
def confirm_command(dispatch_id: int, note: str | None) -> None:
    """办公室向对方核实已收到后，确认一条结果不明（待核实）的发送，不再补发"""
    from wufei.notify.runs import confirm
    from wufei.notify.service import DecisionError, DispatchBusy

    try:
        confirmed = confirm(engine(), dispatch_id, note=note)
    except (DecisionError, DispatchBusy) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"发送记录 {dispatch_id} 已确认送达" + (f"：{'、'.join(confirmed)}" if confirmed else ""))


def _outcome(summary: dict[str, Any]) -> str:
    return (
        f"成功 {summary['sent']} 条，失败待重试 {summary['failed']} 条，放弃并通知办公室 {summary['permanent']} 条，"
        f"结果不明待核实 {summary['unknown']} 条；发出消息 {summary['messages']} 条"
    )


def _cn(day: date) -> str:
    return chinese_date(day)

"""`wufei notices`: the notice intents (reminders, slips, escalations) the scans created."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

import click

from wufei.clitools import department_ids, echo_json, engine, parse_day
from wufei.notices.models import NoticeKind

HEADER = ("日期", "类型", "对象", "部门", "任务", "期间", "状态")
TASK_WIDTH = 50
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


@click.command("notices")
@click.option("--since", help="起始日期（含），如 2024-05-31")
@click.option("--until", help="截止日期（含）")
@click.option("--dept", help="部门名称或别名")
@click.option("--kind", type=click.Choice([k.value for k in NoticeKind]), help="通知类型")
@click.option("--json", "as_json", is_flag=True, help="JSON 输出（全部字段）")
def notices(since: str | None, until: str | None, dept: str | None, kind: str | None, as_json: bool) -> None:
    """列出提醒、督办单和提请督办（按生成日期）"""
    from wufei.db import make_sessionmaker
    from wufei.notices.service import intents_as_dicts, list_intents

    first, last = parse_day(since, "--since"), parse_day(until, "--until")
    if first and last and first > last:
        raise click.BadParameter("起始日期晚于截止日期", param_hint="--since")
    with make_sessionmaker(engine())() as session:
        intents = list_intents(session, since=first, until=last, department_id=department_ids(session, dept),
                               kind=kind)
        rows = intents_as_dicts(session, intents)
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
    status = f"已解除（{row['resolution']}）" if row["resolved_on"] else "待发送"
    return (_cn_date(row["created_on"]), kind, audience, row["department"] or "—", task or "—",
            _period(row["period"]), status)


def _cn_date(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day.year}年{day.month}月{day.day}日"


def _period(period: str) -> str:
    """2024-05-31 → 期限2024年5月31日; 2024-W22 → 2024年第22周; anything else as it is."""
    if match := _DAY.match(period):
        return f"期限{int(match[1])}年{int(match[2])}月{int(match[3])}日"
    if match := _WEEK.match(period):
        return f"{match[1]}年第{int(match[2])}周"
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

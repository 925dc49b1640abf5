"""`wufei calendar …`: the office's working-day arrangements (调休, holidays of unknown years)."""

from __future__ import annotations

import getpass
import os
import re

import click

from wufei.clitools import echo_json, engine, require_day
from wufei.db import transaction

WEEKDAYS = "一二三四五六日"


class CommandError(click.ClickException):
    def show(self, file=None) -> None:
        click.echo(f"错误：{self.format_message()}", err=True)


def actor() -> str:
    return os.environ.get("WUFEI_ACTOR") or getpass.getuser()


@click.group("calendar")
def calendar_group() -> None:
    """工作日历：法定节假日、调休与办公室设置"""


@calendar_group.command("set")
@click.argument("day")
@click.argument("kind", type=click.Choice(["workday", "holiday"]))
@click.option("--note", help="说明，如 春节调休上班")
def set_command(day: str, kind: str, note: str | None) -> None:
    """把某天设为工作日（workday）或休息日（holiday）"""
    from wufei.calendar.service import KIND_NAMES, CalendarError, set_override
    from wufei.calendar.workdays import DayKind

    when = require_day(day, "DATE")
    try:
        with transaction(engine()) as session:
            set_override(session, day=when, kind=kind, note=note, actor=actor())
    except CalendarError as exc:
        raise CommandError(str(exc)) from exc
    click.echo(
        f"已设置：{when.isoformat()}（星期{WEEKDAYS[when.weekday()]}）为{KIND_NAMES[DayKind(kind)]}"
        + (f"，{note}" if note else "")
    )


@calendar_group.command("unset")
@click.argument("day")
def unset_command(day: str) -> None:
    """取消某天的办公室设置，恢复国家安排"""
    from wufei.calendar.service import CalendarError, remove_override

    when = require_day(day, "DATE")
    try:
        with transaction(engine()) as session:
            remove_override(session, day=when, actor=actor())
    except CalendarError as exc:
        raise CommandError(str(exc)) from exc
    click.echo(f"已取消 {when.isoformat()} 的办公室设置")


@calendar_group.command("show")
@click.argument("month")
@click.option("--json", "as_json", is_flag=True, help="JSON 输出")
def show_command(month: str, as_json: bool) -> None:
    """列出某月（YYYY-MM）每天是工作日还是休息日，及其依据"""
    from wufei.calendar.service import KIND_NAMES, SOURCE_NAMES, CalendarError, month_days

    match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", month)
    if not match:
        raise click.BadParameter(f"月份应写成 2024-10：{month}", param_hint="YYYY-MM")
    try:
        with transaction(engine()) as session:
            days = month_days(session, int(match[1]), int(match[2]))
    except CalendarError as exc:
        raise CommandError(str(exc)) from exc
    if as_json:
        echo_json([d.as_dict() for d in days])
        return
    year, number = int(match[1]), int(match[2])
    click.echo(
        f"{year}年{number}月：工作日 {sum(d.workday for d in days)} 天，休息日 {sum(not d.workday for d in days)} 天"
    )
    for d in days:
        note = f"  {d.note}" if d.note else ""
        click.echo(
            f"{d.day.isoformat()} 星期{WEEKDAYS[d.day.weekday()]}  {KIND_NAMES[d.kind]}  {SOURCE_NAMES[d.source]}{note}"
        )

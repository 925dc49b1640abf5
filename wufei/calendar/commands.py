"""`wufei calendar …`: the office's working-day arrangements (调休, holidays of unknown years)."""

from __future__ import annotations

import getpass
import os
import re
from datetime import date
from pathlib import Path

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


@calendar_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="只显示读到的安排，不写入")
@click.option("--force", is_flag=True, help="系统已内置当年安排而通知与之不同时，仍以通知为准写入")
def import_command(path: Path, dry_run: bool, force: bool) -> None:
    """读入国务院办公厅的节假日安排通知（文本、网页、Word、PDF），录入当年的放假与调休上班日"""
    from wufei.calendar.notice import NoticeError, read_notice
    from wufei.calendar.service import CalendarError, import_notice
    from wufei.importers.readers import READERS
    from wufei.importers.records import ImportError_
    from wufei.importers.text.traditional import is_traditional, simplified

    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise CommandError(f"{path}：不支持的文件类型（可用 .txt、.html、.docx、.pdf 等）")
    try:
        lines = reader(path).lines
    except ImportError_ as exc:
        raise CommandError(str(exc)) from exc
    text = "\n".join(lines)
    try:
        notice = read_notice(simplified(text) if is_traditional(lines) else text)
    except NoticeError as exc:
        raise CommandError(f"{path}：{exc}") from exc
    click.echo(f"{notice.year}年部分节假日安排" + (f"（{notice.number}）" if notice.number else "") + "：")
    for festival in notice.festivals:
        work = "、".join(f"{_cn(d)}（星期{WEEKDAYS[d.weekday()]}）" for d in festival.work)
        click.echo(
            f"  {festival.names}：{_span(festival.off)}放假，共{len(festival.off)}天"
            + (f"；{work}上班" if work else "")
        )
    if notice.doubts:
        click.echo("需要核对：", err=True)
        for doubt in notice.doubts:
            click.echo(f"  - {doubt}", err=True)
        raise CommandError("未写入：请对照通知原文核对，或用 wufei calendar set 逐日录入")
    if dry_run:
        click.echo("（--dry-run：未写入）")
        return
    try:
        with transaction(engine()) as session:
            done = import_notice(session, notice, actor=actor(), force=force)
    except CalendarError as exc:
        raise CommandError(str(exc)) from exc
    where = "系统内置的国家安排" if done.known else "此前的安排（办公室设置，其余按周一至周五扣除法定节假日推定）"
    click.echo(
        f"已写入 {done.written} 天的办公室设置"
        + (f"，撤销此前录入而本通知未列的 {done.withdrawn} 天" if done.withdrawn else "")
        + f"；与{where}不同的有 {done.differing} 天"
    )
    if done.kept:
        shown = "、".join(day.isoformat() for day in done.kept)
        click.echo(f"办公室逐日设置的 {len(done.kept)} 天保留不变：{shown}（如需按通知，先 wufei calendar unset）")


def _cn(day: date) -> str:
    return f"{day.month}月{day.day}日"


def _span(days: list[date]) -> str:
    """The days as runs: 1月28日至2月4日, 2022年12月31日至2023年1月2日, 5月1日、5月3日."""
    if not days:
        return "（无）"
    ordered = sorted(days)
    several_years = ordered[0].year != ordered[-1].year
    runs: list[list[date]] = []
    for day in ordered:
        if runs and (day - runs[-1][-1]).days == 1:
            runs[-1].append(day)
        else:
            runs.append([day])

    def name(day: date) -> str:
        return f"{day.year}年{_cn(day)}" if several_years else _cn(day)

    return "、".join(name(run[0]) if len(run) == 1 else f"{name(run[0])}至{name(run[-1])}" for run in runs)


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
    from wufei.calendar.service import KIND_NAMES, SOURCE_NAMES, CalendarError, DaySource, month_days
    from wufei.calendar.workdays import unknown_year_message

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
    if any(d.source == DaySource.ASSUMED for d in days):
        click.echo(f"注意：{unknown_year_message(year)}", err=True)
    for d in days:
        note = f"  {d.note}" if d.note else ""
        click.echo(
            f"{d.day.isoformat()} 星期{WEEKDAYS[d.day.weekday()]}  {KIND_NAMES[d.kind]}  {SOURCE_NAMES[d.source]}{note}"
        )

"""Shared pieces of the command line: the database, JSON output, dates and lookups."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


def database_lost(error: BaseException) -> str | None:
    """The Chinese message for a database that went away under a command (restarted, stopped,
    unreachable), or None for any other error. Nothing half done stays: the unit of work that was
    open is rolled back by the server, and every command can be run again without doubling."""
    if "sqlalchemy" not in sys.modules:
        return None
    from sqlalchemy.exc import InterfaceError, OperationalError

    if not isinstance(error, OperationalError | InterfaceError):
        return None
    reason = str(error.orig or error).strip().splitlines()[0]
    return (
        f"数据库连接中断或无法连接（{reason}）：本次运行未完成，未提交的部分已由数据库撤销。"
        "请确认数据库已恢复后重新运行（重复运行不会重复写入，也不会重复发送）"
    )


_made: list[Engine] = []  # the engines this invocation made, disposed when it ends


def dispose_engines() -> None:
    """Close the connections of the engines the command made: a process running many commands (the
    tests, through click's runner) otherwise keeps each one's pooled connection until garbage
    collection, and PostgreSQL's connection limit runs out."""
    while _made:
        _made.pop().dispose()


def engine() -> Engine:
    """The configured database, created on first use; an out-of-date schema is an error.
    Alembic is loaded only when there is something to migrate."""
    from wufei import migrate
    from wufei.db import make_engine

    engine = make_engine()
    _made.append(engine)
    head = migrate.head_revision()
    current = migrate.current_revision(engine)
    if current is None:
        migrate.upgrade(engine)
    elif current != head:
        raise click.ClickException(f"数据库版本 {current} 不是最新（{head}），请先运行：wufei db upgrade")
    return engine


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def parse_day(value: str | None, option: str = "--as-of") -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"日期应写成 2024-05-31：{value}", param_hint=option) from None


def require_day(value: str, option: str) -> date:
    """A required date option's day (click has checked it is given)."""
    day = parse_day(value, option)
    assert day is not None
    return day


def plan_ids(session, plan_ref: str | None) -> list[int] | None:
    from wufei.plans.queries import find_plans

    if plan_ref is None:
        return None
    plans = find_plans(session, plan_ref)
    if not plans:
        raise click.ClickException(f"找不到方案「{plan_ref}」")
    return [p.id for p in plans]


def department(session, name: str, *, prefer=()):
    """The department `name` means (wufei/departments/naming.py); a Chinese error lists the candidates."""
    from wufei.departments.naming import DepartmentNameError, resolve_department

    try:
        return resolve_department(session, name, prefer=prefer)
    except DepartmentNameError as error:
        raise click.ClickException(str(error)) from None


def department_ids(session, name: str | None, *, prefer=()) -> list[int] | None:
    """A `--dept` filter: None when not given, else the one department's id."""
    if name is None:
        return None
    return [department(session, name, prefer=prefer).id]


def cadence_config():
    """The office's cadence rules (cadence.yaml), loaded where a command starts."""
    from wufei.cadence.config import CadenceConfig

    return CadenceConfig.load()


def today() -> date:
    """The office's day for a command's default date: WUFEI_TODAY when fixed (the demo, tests, an
    office walking its year), else the date in the cadence's time zone (Beijing), not the machine's."""
    from wufei.plans.service import import_day

    return import_day()


def parse_moment(value: str | None, cadence) -> datetime:
    """An `--at` ISO date-time; without an offset it is local (Beijing) time. Default: now."""
    zone = cadence.timezone
    if value is None:
        return datetime.now(zone)
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(f"时间应写成 2024-06-07T16:30（北京时间）：{value}", param_hint="--at") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def review_options(command):
    """The options of a review command: --accept, or --return with --reason; --at."""
    for option in reversed(
        [
            click.option("--accept", "decision", flag_value="accept", help="采纳"),
            click.option("--return", "decision", flag_value="return", help="退回（须说明理由）"),
            click.option("--reason", help="审核意见；退回时必填"),
            click.option("--at", "at_value", help="审核时间（默认现在）"),
        ]
    ):
        command = option(command)
    return command


def require_decision(decision: str | None) -> bool:
    """Whether a review accepts; a review naming neither --accept nor --return is refused."""
    if decision is None:
        raise click.UsageError("请指定 --accept（采纳）或 --return --reason 理由（退回）")
    return decision == "accept"

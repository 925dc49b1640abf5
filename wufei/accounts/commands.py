"""`wufei users …`: portal accounts and sign-in links."""

from __future__ import annotations

import click

from wufei.clitools import echo_json, engine
from wufei.db import make_sessionmaker, transaction


@click.group("users")
def users_group() -> None:
    """门户账号：新建、列出、停用和启用、重设密码、生成登录链接"""


@users_group.command("add")
@click.argument("username")
@click.option(
    "--role",
    type=click.Choice(["office", "liaison", "leader"]),
    required=True,
    help="office 领导小组办公室；liaison 部门专班联系人；leader 领导（只读）",
)
@click.option("--dept", help="所属部门（专班联系人必填）：衡水市/市生态环境局、别名，或唯一的部门名称")
@click.option("--name", "display_name", help="姓名或称呼（默认同用户名）")
@click.option("--password", "with_password", is_flag=True, help="设置密码（交互输入）；不设则只能通过登录链接登录")
@click.option("--actor", default="office", show_default=True, help="操作人（记入变更记录）")
def add_command(
    username: str, role: str, dept: str | None, display_name: str | None, with_password: bool, actor: str
) -> None:
    """新建账号"""
    from wufei.accounts.service import AccountError, add_user
    from wufei.departments.naming import qualified_name

    password = _new_password() if with_password else None
    try:
        with transaction(engine()) as session:
            department = _liaison_unit(session, dept) if dept else None
            user = add_user(
                session,
                username=username,
                role=role,
                display_name=display_name,
                department_id=department.id if department else None,
                password=password,
                actor=actor,
            )
            summary = f"已新建账号 {user.username}（{role}{'，' + qualified_name(department) if department else ''}）"
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(summary)


def _new_password() -> str:
    """Asked twice, in Chinese (click's own confirmation asks "Repeat for confirmation")."""
    while True:
        password = click.prompt("密码", hide_input=True)
        if click.prompt("再次输入密码", hide_input=True) == password:
            return password
        click.echo("两次输入的密码不一致，请重新输入。", err=True)


def _liaison_unit(session, dept: str):
    """The unit `dept` names (as --dept everywhere), or one the registry knows in a plan's place
    (or the place written first) and none has stored yet: a unit the plan's tasks do not name."""
    from sqlalchemy import select

    from wufei.departments.naming import DepartmentNameError
    from wufei.departments.service import department_of_places
    from wufei.plans.models import Jurisdiction, Plan

    places = session.scalars(select(Jurisdiction).where(Jurisdiction.id.in_(select(Plan.jurisdiction_id)))).all()
    try:
        return department_of_places(session, dept, places=places)
    except DepartmentNameError as error:
        raise click.ClickException(str(error)) from None


@users_group.command("list")
@click.option("--json", "as_json", is_flag=True)
def list_command(as_json: bool) -> None:
    """列出账号"""
    from wufei.accounts.service import list_users, user_as_dict

    with make_sessionmaker(engine())() as session:
        rows = [user_as_dict(u) for u in list_users(session)]
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        click.echo(
            f"[{row['id']}] {row['username']}  {row['display_name']}  {row['role_cn']}"
            f"{'  ' + row['department'] if row['department'] else ''}"
            f"{'' if row['active'] else '  （已停用）'}{'' if row['password'] else '  （仅链接登录）'}"
        )
    click.echo(f"共 {len(rows)} 个")


@users_group.command("link")
@click.argument("username")
@click.option("--hours", default=72.0, show_default=True, help="有效小时数")
@click.option("--base-url", help="门户地址（默认 WUFEI_PORTAL_URL 或 http://127.0.0.1:8000）")
@click.option("--actor", default="office", show_default=True, help="操作人（记入变更记录）")
def link_command(username: str, hours: float, base_url: str | None, actor: str) -> None:
    """生成一次性登录链接（只显示这一次）"""
    from wufei.accounts.service import AccountError, find_user, sign_in_link
    from wufei.db import utcnow

    try:
        with transaction(engine()) as session:
            user = find_user(session, username)
            if user is None:
                raise AccountError(f"找不到账号「{username}」")
            link = sign_in_link(session, user_id=user.id, at=utcnow(), hours=hours, actor=actor, base_url=base_url)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(link)


@users_group.command("disable")
@click.argument("username")
@click.option("--actor", default="office", show_default=True, help="操作人（记入变更记录）")
def disable_command(username: str, actor: str) -> None:
    """停用账号：立即退出其所有登录，未使用的登录链接作废"""
    _set_active(username, False, actor)


@users_group.command("enable")
@click.argument("username")
@click.option("--actor", default="office", show_default=True, help="操作人（记入变更记录）")
def enable_command(username: str, actor: str) -> None:
    """重新启用已停用的账号"""
    _set_active(username, True, actor)


def _set_active(username: str, active: bool, actor: str) -> None:
    from wufei.accounts.service import AccountError, set_active
    from wufei.db import utcnow

    try:
        with transaction(engine()) as session:
            user = set_active(session, username=username, active=active, at=utcnow(), actor=actor)
            summary = f"已{'启用' if active else '停用'}账号 {user.username}" + (
                "" if active else "，其所有登录已退出，未使用的登录链接已作废"
            )
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(summary)


@users_group.command("password")
@click.argument("username")
@click.option("--actor", default="office", show_default=True, help="操作人（记入变更记录）")
def password_command(username: str, actor: str) -> None:
    """重设密码（交互输入），并退出该账号的所有登录"""
    from wufei.accounts.service import AccountError, find_user, set_password
    from wufei.db import utcnow

    with make_sessionmaker(engine())() as session:  # an unknown name is told before the password is asked
        if find_user(session, username) is None:
            raise click.ClickException(f"找不到账号「{username}」")
    password = _new_password()
    try:
        with transaction(engine()) as session:
            user = set_password(session, username=username, password=password, at=utcnow(), actor=actor)
            summary = f"已重设账号 {user.username} 的密码，其所有登录已退出"
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(summary)


@users_group.command("lockouts")
@click.option("--all", "include_past", is_flag=True, help="也列出已解除和已到期的锁定")
@click.option("--json", "as_json", is_flag=True)
def lockouts_command(include_past: bool, as_json: bool) -> None:
    """列出因登录失败过多而暂停密码登录的账号和来源地址"""
    from wufei.accounts.throttle import list_lockouts, lockout_as_dict
    from wufei.db import utcnow

    with make_sessionmaker(engine())() as session:
        rows = [lockout_as_dict(r) for r in list_lockouts(session, at=utcnow(), include_past=include_past)]
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        until = str(row["until"])[:16].replace("T", " ")
        state = f"已由 {row['lifted_by']} 解除" if row["lifted_by"] else f"锁定至 {until} UTC"
        click.echo(f"[{row['id']}] {row['kind_cn']}「{row['key']}」  失败 {row['failures']} 次  {state}")
    click.echo(f"共 {len(rows)} 项")


@users_group.command("unlock")
@click.argument("lockout_id", type=int)
@click.option("--actor", default="office", show_default=True, help="操作人（记入变更记录）")
def unlock_command(lockout_id: int, actor: str) -> None:
    """提前解除一项登录锁定（编号见 wufei users lockouts）"""
    from wufei.accounts.throttle import LockoutError, lift_lockout
    from wufei.db import utcnow

    try:
        with transaction(engine()) as session:
            row = lift_lockout(session, lockout_id=lockout_id, at=utcnow(), actor=actor)
            summary = f"已解除{'账号' if row.kind == 'account' else '来源地址'}「{row.key}」的登录锁定"
    except LockoutError as error:
        raise click.ClickException(str(error)) from None
    click.echo(summary)

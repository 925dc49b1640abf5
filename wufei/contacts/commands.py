"""`wufei contacts import|list` and `wufei template contacts`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from wufei.clitools import echo_json, engine


@click.group("contacts")
def contacts_group() -> None:
    """部门联系人（专班联系人、负责同志、邮箱和群机器人）"""


@contacts_group.command("import")
@click.argument("path", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="JSON 输出")
def import_command(path: Path, as_json: bool) -> None:
    """导入联系人表（.xlsx）；有任何错误则不写入"""
    from wufei.contacts.service import ContactsError, import_contacts
    from wufei.db import transaction

    try:
        with transaction(engine()) as session:
            summary = import_contacts(session, path)
    except ContactsError as error:
        click.echo(f"✗ {error}", err=True)
        sys.exit(1)
    if as_json:
        echo_json(summary.as_dict())
        return
    click.echo(
        f"✓ {summary.file}：新增 {summary.created} 个部门，更新 {summary.updated} 个，未变 {summary.unchanged} 个"
    )


@contacts_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="JSON 输出（机器人地址已隐去密钥）")
def list_command(as_json: bool) -> None:
    """列出已导入的联系人（地址中的密钥不显示）"""
    from sqlalchemy import select

    from wufei.contacts.models import Contact
    from wufei.contacts.service import contact_as_dict
    from wufei.db import make_sessionmaker
    from wufei.departments.models import Department

    with make_sessionmaker(engine())() as session:
        rows = [
            contact_as_dict(contact, department=name)
            for contact, name in session.execute(
                select(Contact, Department.name)
                .join(Department, Department.id == Contact.department_id)
                .order_by(Department.name)
            )
        ]
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo("尚未导入联系人（wufei template contacts 联系人.xlsx 生成空表）")
        return
    for row in rows:
        channels = [
            name
            for name, key in (
                ("邮箱", "liaison_email"),
                ("企业微信", "wecom_robot"),
                ("钉钉", "dingtalk_robot"),
                ("飞书", "feishu_robot"),
            )
            if row[key]
        ]
        click.echo(
            f"{row['department']}（{' '.join(row['tags'])}）：专班联系人 {row['liaison'] or '—'}，"
            f"负责同志 {row['leader'] or '—'}；渠道 {'、'.join(channels) or '无'}"
        )
    click.echo(f"共 {len(rows)} 个部门")


@click.command("contacts")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
def contacts_template(path: Path) -> None:
    """空白联系人表（部门、专班联系人、负责同志、邮箱、群机器人）"""
    from wufei.contacts.service import write_template

    write_template(path)
    click.echo(f"已生成联系人表：{path}")

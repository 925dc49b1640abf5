"""Department contacts from the office's spreadsheet, and the Apprise services they add.

The sheet has one row per department: 部门 (衡水市/市生态环境局, a name or an alias), 标签
(optional office-readable alias: `sthjj` makes the tags `dept-sthjj` / `leader-sthjj` in apprise.yaml
reach that department),
专班联系人 with 联系人手机 / 联系人邮箱, 负责同志 with 负责同志手机 / 负责同志邮箱, and the
department's group robots 企业微信机器人 / 钉钉机器人 / 飞书机器人. A robot cell takes the address
the platform shows (https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…,
https://oapi.dingtalk.com/robot/send?access_token=…, https://open.feishu.cn/open-apis/bot/v2/hook/…)
or an Apprise URL (wecombot://KEY, dingtalk://SECRET@TOKEN for 加签, feishu://TOKEN).

Services at load time: the liaison's email and the robots carry `dept-<id>`, the leader's email
`leader-<id>`. Email goes through the office's SMTP server, WUFEI_SMTP_URL (an Apprise mailto://
or mailtos:// URL without `to=`). Phones are kept for people to read: there is no SMS channel.

An import is all or nothing: any bad cell, and nothing is written; the error names the file, row,
column and the offending text (addresses masked). Departments not in the file keep their contacts.
Services take a Session and never commit.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.orm import Session

from wufei.contacts.models import Contact
from wufei.db import utcnow
from wufei.departments.models import Department
from wufei.departments.naming import DepartmentNameError, matching_departments, qualified_name

log = logging.getLogger(__name__)

SHEET = "联系人"
DEPARTMENT, ALIAS = "部门", "标签"
COLUMNS = {  # header → Contact field
    "标签": "alias",
    "专班联系人": "liaison",
    "联系人手机": "liaison_phone",
    "联系人邮箱": "liaison_email",
    "负责同志": "leader",
    "负责同志手机": "leader_phone",
    "负责同志邮箱": "leader_email",
    "企业微信机器人": "wecom_robot",
    "钉钉机器人": "dingtalk_robot",
    "飞书机器人": "feishu_robot",
}
HEADER_ALIASES = {
    "邮箱": "联系人邮箱",
    "手机": "联系人手机",
    "电话": "联系人手机",
    "联系电话": "联系人手机",
    "负责人": "负责同志",
    "联系人": "专班联系人",
    "单位": "部门",
    "部门名称": "部门",
    "企业微信": "企业微信机器人",
    "钉钉": "钉钉机器人",
    "飞书": "飞书机器人",
}
HEADERS = [DEPARTMENT, *COLUMNS]
ROBOTS = {"wecom_robot": "企业微信机器人", "dingtalk_robot": "钉钉机器人", "feishu_robot": "飞书机器人"}
SECRET_FIELDS = set(ROBOTS)
_EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")
_PHONE = re.compile(r"^[0-9+\-() ]{5,30}$")
_ALIAS = re.compile(r"^[a-z0-9][a-z0-9_]{0,40}$")
_DINGTALK = re.compile(
    r"^https?://oapi\.dingtalk\.com/robot/send/?\?access_token=(?P<token>[A-Za-z0-9]+)"
    r"(?:&secret=(?P<secret>[A-Za-z0-9]+))?$"
)
_FEISHU = re.compile(r"^https?://open\.(?:feishu\.cn|larksuite\.com)/open-apis/bot/v2/hook/(?P<token>[A-Za-z0-9-]+)/?$")
ROBOT_SCHEMAS = {"wecom_robot": ("wecombot",), "dingtalk_robot": ("dingtalk",), "feishu_robot": ("feishu", "lark")}


class ContactsError(ValueError):
    """A contacts sheet that cannot be imported; `errors` lists (row, column letter, message)."""

    def __init__(self, path: Path, errors: list[tuple[int, str, str]]):
        self.path, self.errors = path, errors
        lines = "\n".join(
            f"  第{row}行 {column}列：{message}" if row else f"  {message}" for row, column, message in errors
        )
        super().__init__(f"联系人表「{path.name}」有{len(errors)}处错误，未写入任何内容：\n{lines}")


@dataclass
class ImportSummary:
    file: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    departments: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "departments": self.departments,
        }


def robot_url(field_name: str, text: str) -> str:
    """The Apprise URL for a robot cell (the platform's webhook address or an Apprise URL).
    Raises ValueError with a Chinese message when it is not that platform's robot."""
    from wufei.notify.channels import normalized_url  # only the notify package imports Apprise

    text = text.strip()
    if field_name == "dingtalk_robot" and (match := _DINGTALK.match(text)):
        text = f"dingtalk://{match['secret'] + '@' if match['secret'] else ''}{match['token']}/"
    elif field_name == "feishu_robot" and (match := _FEISHU.match(text)):
        text = f"feishu://{match['token']}"
    url = normalized_url(text, ROBOT_SCHEMAS[field_name])
    if url is None:
        raise ValueError(f"不是有效的{ROBOTS[field_name]}地址")
    return url


def email_url(address: str) -> str:
    base = os.environ.get("WUFEI_SMTP_URL", "").strip()
    if not base:
        raise ValueError(
            "联系人表中有邮箱，但未配置发信服务器 WUFEI_SMTP_URL（如 mailtos://user:pass@smtp.example.gov.cn?from=…）"
        )
    return f"{base}{'&' if '?' in base else '?'}to={quote(address, safe='@')}"


def contact_services(session: Session) -> list[tuple[str, set[str]] | tuple[str, set[str], tuple[str, ...]]]:
    """(Apprise URL, tags) for every address of every contact; a 钉钉 robot's with the liaison's mobiles."""
    found: list[tuple[str, set[str]] | tuple[str, set[str], tuple[str, ...]]] = []
    for contact in session.scalars(select(Contact).order_by(Contact.department_id)):
        dept, leader = {f"dept-{contact.department_id}"}, {f"leader-{contact.department_id}"}
        if contact.liaison_email:
            found.append((email_url(contact.liaison_email), dept))
        if contact.leader_email:
            found.append((email_url(contact.leader_email), leader))
        for name in ROBOTS:
            if value := getattr(contact, name):
                if name == "dingtalk_robot" and (phones := mobiles(contact.liaison_phone)):
                    found.append((value, dept, phones))  # the robot @-mentions the liaison (wufei.notify.channels)
                else:
                    found.append((value, dept))
    return found


_MOBILE = re.compile(r"(?<![\d+])(?:(?:\+|00)?86[\s-]?)?(1[3-9]\d(?:[\s-]?\d){8})(?![\d-])")


def mobiles(phone: str | None) -> tuple[str, ...]:
    """The mainland mobile numbers in a contact's phone cell (138-0013-8000, +86 138 0013 8000, two
    in one cell), each once; a landline gives none."""
    return tuple(dict.fromkeys(re.sub(r"\D", "", match[1]) for match in _MOBILE.finditer(phone or "")))


def contact_aliases(session: Session) -> dict[str, int]:
    rows = session.execute(select(Contact.alias, Contact.department_id).where(Contact.alias.is_not(None))).tuples()
    return {alias: department_id for alias, department_id in rows if alias is not None}


def _registered(session: Session, name: str) -> list[Department]:
    """The unit of a plan's place (or the place written first) the registry knows by `name`, stored
    now: a plan that names no units leaves its place with none stored, yet they need contacts."""
    from wufei.departments.service import department_of_places
    from wufei.plans.models import Jurisdiction, Plan

    places = session.scalars(select(Jurisdiction).where(Jurisdiction.id.in_(select(Plan.jurisdiction_id)))).all()
    try:
        return [department_of_places(session, name, places=places)]
    except DepartmentNameError:
        return []


def import_contacts(session: Session, path: Path) -> ImportSummary:
    """Read the sheet and upsert one Contact per department row. All or nothing."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    path = Path(path)
    try:
        book = load_workbook(path, data_only=True, read_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        log.info("openpyxl cannot open %s: %r", path, exc)  # its English to the log, not to the user
        raise ContactsError(path, [(0, "", "无法读取表格：文件可能已损坏或不是 .xlsx 格式")]) from exc
    sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header_row, columns = _headers(rows, path)
    errors: list[tuple[int, str, str]] = []
    good: list[tuple[int, int, dict[str, str | None]]] = []
    seen_departments: dict[int, int] = {}
    seen_aliases: dict[str, int] = {}

    for offset, values in enumerate(rows[header_row:], start=header_row + 1):
        cells = {header: _text(values[index]) if index < len(values) else None for header, index in columns.items()}
        if all(v is None for v in cells.values()):
            continue

        def bad(header: str, message: str, shown: str | None, offset: int = offset) -> None:
            errors.append((offset, get_column_letter(columns[header] + 1), f"{header}{message}：「{shown or ''}」"))

        name = cells[DEPARTMENT]
        if name is None:
            bad(DEPARTMENT, "为空", name)
            continue
        departments = matching_departments(session, name) or _registered(session, name)
        if not departments:
            bad(DEPARTMENT, "在系统中找不到（请先导入方案或检查名称）", name)
            continue
        if len(departments) > 1:
            places = "、".join(qualified_name(d) for d in departments)
            bad(DEPARTMENT, f"对应多个部门（{places}），请写明地区，如 {qualified_name(departments[0])}", name)
            continue
        department = departments[0]
        if department.id in seen_departments:
            bad(DEPARTMENT, f"与第{seen_departments[department.id]}行是同一部门", name)
            continue
        seen_departments[department.id] = offset
        values_by_field: dict[str, str | None] = {}
        for header, field_name in COLUMNS.items():
            text = cells.get(header)
            values_by_field[field_name] = text
            if text is None:
                continue
            if field_name == "alias":
                text = text.lower()
                values_by_field[field_name] = text
                if not _ALIAS.match(text):
                    bad(header, "应为小写字母、数字或下划线（如 sthjj）", text)
                elif text in seen_aliases:
                    bad(header, f"与第{seen_aliases[text]}行重复", text)
                else:
                    seen_aliases[text] = offset
            elif field_name.endswith("_email"):
                if not _EMAIL.match(text):
                    bad(header, "不是有效的邮箱地址", text)
            elif field_name.endswith("_phone"):
                if not _PHONE.match(text):
                    bad(header, "不是有效的电话号码", text)
            elif field_name in ROBOTS:
                try:
                    values_by_field[field_name] = robot_url(field_name, text)
                except ValueError:
                    bad(header, "不是有效的群机器人地址（应为平台给出的 Webhook 地址或 Apprise 地址）", _mask(text))
        good.append((offset, department.id, values_by_field))

    taken = contact_aliases(session)
    new_alias = {department_id: v.get("alias") for _, department_id, v in good}
    for line, department_id, values_by_field in good:
        alias = values_by_field.get("alias")
        owner = taken.get(alias) if alias else None
        if owner is not None and owner != department_id and new_alias.get(owner, alias) == alias:
            errors.append((line, _letter(columns[ALIAS]), f"{ALIAS}已被其他部门使用：「{alias}」"))
    if any(v.get("liaison_email") or v.get("leader_email") for _, _, v in good):
        try:
            email_url("check@example.invalid")
        except ValueError as exc:
            errors.append((0, "", str(exc)))
    if errors:
        raise ContactsError(path, errors)

    summary = ImportSummary(file=path.name)
    existing = {c.department_id: c for c in session.scalars(select(Contact))}
    now = utcnow()
    for line, department_id, values_by_field in good:
        contact = existing.get(department_id)
        if contact is None:
            session.add(
                Contact(
                    department_id=department_id, source=path.name, source_row=line, updated_at=now, **values_by_field
                )
            )
            summary.created += 1
        elif any(getattr(contact, k) != v for k, v in values_by_field.items()):
            for key, value in values_by_field.items():
                setattr(contact, key, value)
            contact.source, contact.source_row, contact.updated_at = path.name, line, now
            summary.updated += 1
        else:
            summary.unchanged += 1
    session.flush()
    return summary


def write_template(path: Path) -> None:
    """An empty contacts workbook with the Chinese headers and a sheet of instructions."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for letter, width in zip("ABCDEFGHIJK", (24, 10, 12, 16, 26, 12, 16, 26, 40, 40, 40)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("填写说明")
    for line in (
        "每个部门一行；部门写 地区/名称（如 衡水市/市生态环境局），或全称、简称（如 市生态环境局、市环保局），"
        "不同地区同名时须写地区。",
        "标签（可选）：小写字母或数字，如 sthjj；通知渠道配置中的 dept-sthjj、leader-sthjj 即指该部门。",
        "专班联系人、负责同志：姓名；手机仅供查阅（系统不发短信）。",
        "联系人邮箱收提醒，负责同志邮箱收督办单；需配置发信服务器 WUFEI_SMTP_URL。",
        "企业微信机器人、钉钉机器人、飞书机器人：粘贴群机器人的 Webhook 地址；钉钉加签写成 dingtalk://密钥@令牌。",
        "导入：wufei contacts import 本文件.xlsx（有任何错误则不写入，并指出行、列和内容）。",
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 100
    book.save(path)


def contact_as_dict(contact: Contact, *, department: str) -> dict[str, Any]:
    """JSON-safe, robot addresses in Apprise's privacy form."""
    from wufei.notify.channels import privacy_url

    return {
        "department": department,
        "department_id": contact.department_id,
        "alias": contact.alias,
        "liaison": contact.liaison,
        "liaison_phone": contact.liaison_phone,
        "liaison_email": contact.liaison_email,
        "leader": contact.leader,
        "leader_phone": contact.leader_phone,
        "leader_email": contact.leader_email,
        **{name: privacy_url(getattr(contact, name)) if getattr(contact, name) else None for name in ROBOTS},
        "tags": [f"dept-{contact.department_id}", f"leader-{contact.department_id}"]
        + ([f"dept-{contact.alias}", f"leader-{contact.alias}"] if contact.alias else []),
        "source": f"{contact.source}:{contact.source_row}",
    }


# --- helpers ----------------------------------------------------------------------------------


def _headers(rows: list[tuple], path: Path) -> tuple[int, dict[str, int]]:
    for number, values in enumerate(rows[:10], start=1):
        names = [HEADER_ALIASES.get(_text(v) or "", _text(v) or "") for v in values]
        if DEPARTMENT in names:
            columns: dict[str, int] = {}
            for index, name in enumerate(names):
                if name in HEADERS and name not in columns:
                    columns[name] = index
                elif name:
                    raise ContactsError(
                        path,
                        [
                            (
                                number,
                                _letter(index),
                                f"未知的列「{_text(values[index])}」（可用列：{'、'.join(HEADERS)}）",
                            )
                        ],
                    )
            return number, columns
    raise ContactsError(path, [(0, "", f"找不到表头行（应含“{DEPARTMENT}”列）；可用 wufei template contacts 生成空表")])


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _mask(text: str) -> str:
    """A webhook address without its key or token: the scheme and host only."""
    match = re.match(r"^([a-z]+://)(?:[^@/?]*@)?([^/?]*)", text)
    return f"{match.group(1)}{match.group(2) if '.' in match.group(2) else ''}…" if match else "…"

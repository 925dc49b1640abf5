"""A department's contacts: its 专班联系人 and 负责同志, and the addresses that reach them.

Imported from the office's spreadsheet (`wufei contacts import`); each address becomes an Apprise
service at load time (wufei/contacts/service.py). Robot webhook addresses and email addresses are
secrets in effect: they are shown only in Apprise's privacy form.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from wufei.db import Base, Name, utcnow

Address = String(500)


class Contact(Base):
    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id", ondelete="CASCADE"), unique=True)
    alias: Mapped[str | None] = mapped_column(String(64), unique=True)  # office-readable tag: dept-<alias>
    liaison: Mapped[Name | None]  # 专班联系人
    liaison_phone: Mapped[str | None] = mapped_column(String(64))
    liaison_email: Mapped[str | None] = mapped_column(String(200))
    leader: Mapped[Name | None]  # 负责同志
    leader_phone: Mapped[str | None] = mapped_column(String(64))
    leader_email: Mapped[str | None] = mapped_column(String(200))
    wecom_robot: Mapped[str | None] = mapped_column(Address)  # 企业微信群机器人 (to the liaison's group)
    dingtalk_robot: Mapped[str | None] = mapped_column(Address)  # 钉钉群机器人
    feishu_robot: Mapped[str | None] = mapped_column(Address)  # 飞书群机器人
    source: Mapped[Name]  # the file it came from
    source_row: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

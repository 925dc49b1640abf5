"""Notification intents: who must hear what about which task(s) for which period.

Each carries a unique key, so a scan run twice (or two at once) creates nothing twice.
Delivery (Apprise) records attach to intents in a later migration.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from wufei.db import Base, Day, EnumText, JsonDict, Name, ShortText, utcnow


class Audience(StrEnum):
    LIAISON = "liaison"  # the department's 专班联系人
    LEADER = "leader"  # the department's leader
    OFFICE = "office"  # 领导小组办公室
    GROUP = "group"  # the leadership group


class NoticeKind(StrEnum):
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    YELLOW_SLIP = "yellow_slip"  # 黄色督办单
    RED_SLIP = "red_slip"  # 红色督办单
    GROUP_ESCALATION = "group_escalation"
    REPORT_WINDOW_OPEN = "report_window_open"
    REPORT_DUE = "report_due"
    REPORT_MISSING = "report_missing"
    REPORT_RETURNED = "report_returned"
    EXTENSION_DECIDED = "extension_decided"
    BULLETIN_READY = "bulletin_ready"
    INDICATOR_DUE = "indicator_due"  # an indicator's value due soon (指标报送提醒)
    INDICATOR_OVERDUE = "indicator_overdue"  # 指标逾期未报
    INDICATOR_BEHIND = "indicator_behind"  # 指标落后序时进度
    CELL_STALLED = "cell_stalled"  # a 无废细胞 in one state too long (细胞创建滞留)
    DELIVERY_FAILED = "delivery_failed"  # raised by delivery (wufei.notify), not by the ladder


class NoticeIntent(Base):
    __tablename__ = "notice_intents"
    __table_args__ = (Index("ix_notice_intents_department_created", "department_id", "created_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    kind: Mapped[NoticeKind] = mapped_column(EnumText(NoticeKind))
    step: Mapped[ShortText]  # the ladder step or cadence point that produced it
    audience: Mapped[Audience] = mapped_column(EnumText(Audience))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    period: Mapped[ShortText]  # the due date, week (2024-W23) or month the notice is about
    created_on: Mapped[Day]  # the as-of day of the scan that produced it
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    payload: Mapped[JsonDict]  # what the message says: titles, dates, light, reason
    resolved_on: Mapped[date | None]  # recovery or extension ended it before delivery
    resolution: Mapped[Name | None]

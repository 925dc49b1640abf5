"""Dispatches (one digest claimed for one department/audience, channel tag and day), the intents
each carried (`dispatch_intents`: an intent at most once, by its primary key), and the deliveries
(one row per service attempt) that record what each channel answered."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wufei.db import Base, Day, EnumText, LongText, Name, ShortText, utcnow
from wufei.notices.models import Audience


class DispatchStatus(StrEnum):
    CLAIMED = "claimed"  # being sent (a new claim, or a retry holding the lease); stuck once the lease runs out
    SENT = "sent"  # every matching service accepted it
    FAILED = "failed"  # at least one service failed; retried at next_attempt_at
    PERMANENT = "permanent"  # gave up after MAX_ATTEMPTS; flagged to the office
    UNKNOWN = "unknown"  # the message may or may not have arrived (timeout after sending, connection lost
    # after DATA, a run that died mid-send): flagged to the office, never re-sent without a person
    WITHDRAWN = "withdrawn"  # not delivered when its unit was merged, and the unit it went into is owed
    # every item it carried already (wufei/departments/merging.py): never sent again


class DeliveryStatus(StrEnum):
    SENDING = "sending"  # committed before the network call; left behind only by a run that died
    SENT = "sent"
    FAILED = "failed"
    UNKNOWN = "unknown"  # may or may not have arrived: no answer after sending, or `sending` when its run died
    CONFIRMED = "confirmed"  # an unknown outcome the office checked with the recipient: it arrived


class Dispatch(Base):
    __tablename__ = "dispatches"
    __table_args__ = (Index("ix_dispatches_status_next_attempt", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)  # digest|{day}|{audience}|dept:{id}|{tag}[|n]
    day: Mapped[Day]
    audience: Mapped[Audience] = mapped_column(EnumText(Audience))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    tag: Mapped[ShortText]
    subject: Mapped[Name]
    body: Mapped[LongText]
    status: Mapped[DispatchStatus] = mapped_column(EnumText(DispatchStatus))
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    # The run holding the claim (a Prefect flow run id; None from the CLI): its retry after a crash
    # releases what its dead attempt held (service.release) instead of waiting for the lease to run out.
    holder: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    carried: Mapped[list[DispatchIntent]] = relationship(
        order_by="DispatchIntent.intent_id", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def intent_ids(self) -> list[int]:
        return [link.intent_id for link in self.carried]


class DispatchIntent(Base):
    """An intent a dispatch carried. The intent is the primary key: claiming an intent a second
    time fails on it, so "already delivered" is this table and exactly-once is this constraint."""

    __tablename__ = "dispatch_intents"

    intent_id: Mapped[int] = mapped_column(ForeignKey("notice_intents.id", ondelete="CASCADE"), primary_key=True)
    dispatch_id: Mapped[int] = mapped_column(ForeignKey("dispatches.id", ondelete="CASCADE"), index=True)


class Delivery(Base):
    __tablename__ = "deliveries"
    __table_args__ = (Index("ix_deliveries_service_attempted", "service_url", "attempted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dispatch_id: Mapped[int] = mapped_column(ForeignKey("dispatches.id", ondelete="CASCADE"), index=True)
    service_url: Mapped[str] = mapped_column(String(500))  # url(privacy=True)
    status: Mapped[DeliveryStatus] = mapped_column(EnumText(DeliveryStatus))
    error: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[int]
    attempted_at: Mapped[datetime] = mapped_column(default=utcnow)

"""The audit trail: every change to a supervised record, with who and from where."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlalchemy.orm import Mapped, mapped_column

from wufei.db import Base, JsonDict, Name, ShortText, utcnow


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[Name]  # "import", a user name, a flow name
    action: Mapped[ShortText]  # create / update / delete
    entity: Mapped[ShortText]  # table name
    entity_id: Mapped[int | None]
    entity_key: Mapped[Name]  # natural key, readable after a delete
    changes: Mapped[JsonDict]  # {field: [old, new]}
    source: Mapped[Name | None]  # file or command that caused it

"""Extension requests (延期申请): asked before the deadline, decided by the office."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wufei.db import Base, Day, EnumText, LongText, Name, utcnow
from wufei.departments.models import Department
from wufei.tasks.models import Task


class ExtensionStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


class Extension(Base):
    __tablename__ = "extensions"
    __table_args__ = (
        # One pending request per task, kept by the database: concurrent requests file one, and
        # requests are decided in the order they were asked.
        Index(
            "uq_extensions_one_pending",
            "task_id",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    requested_on: Mapped[Day]
    reason: Mapped[LongText]
    original_due_date: Mapped[Day]  # the deadline in force when asked
    requested_due_date: Mapped[Day]
    status: Mapped[ExtensionStatus] = mapped_column(EnumText(ExtensionStatus), default=ExtensionStatus.PENDING)
    decided_on: Mapped[date | None]
    decided_by: Mapped[Name | None]
    decision_note: Mapped[LongText | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    task: Mapped[Task] = relationship()
    department: Mapped[Department] = relationship()

"""Weekly reports (周报送): one per open task, lead department and reporting week, versioned."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wufei.db import Base, Day, EnumText, LongText, Name, utcnow
from wufei.departments.models import Department
from wufei.tasks.models import Task


class ReportStatus(StrEnum):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    RETURNED = "returned"  # 退回: refiled as a new version


class Report(Base):
    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("task_id", "week_start", "version"),
        Index("ix_reports_week_department", "week_start", "department_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    week_start: Mapped[Day]  # Monday of the ISO reporting week
    version: Mapped[int] = mapped_column(default=1)
    progress: Mapped[int]  # 0-100
    done_text: Mapped[LongText | None]  # what was done
    problems: Mapped[LongText | None]
    next_steps: Mapped[LongText | None]
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_by: Mapped[Name | None]
    late: Mapped[bool] = mapped_column(default=False)
    status: Mapped[ReportStatus] = mapped_column(EnumText(ReportStatus), default=ReportStatus.SUBMITTED)
    review_note: Mapped[LongText | None]
    reviewed_at: Mapped[datetime | None]
    reviewed_by: Mapped[Name | None]

    task: Mapped[Task] = relationship()
    department: Mapped[Department] = relationship()
    evidence: Mapped[list[Evidence]] = relationship(back_populates="report", cascade="all, delete-orphan")


class Evidence(Base):
    """A file attached to a report, stored by content hash."""

    __tablename__ = "report_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    file_name: Mapped[Name]
    content_type: Mapped[str] = mapped_column(String(127))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    stored_path: Mapped[str] = mapped_column(String(500))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    report: Mapped[Report] = relationship(back_populates="evidence")


class ReportInput(Base):
    """A supporting department's contribution to a task's report for a week."""

    __tablename__ = "report_inputs"
    __table_args__ = (UniqueConstraint("task_id", "week_start", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    week_start: Mapped[Day]
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    text: Mapped[LongText]
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_by: Mapped[Name | None]

    department: Mapped[Department] = relationship()

"""Indicators of a plan, their owners, observed values, reported values (with review) and milestones."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wufei.db import Amount, Base, Day, EnumText, LongText, Name, ShortText, utcnow
from wufei.departments.models import Department
from wufei.indicators.targets import Direction, TargetKind
from wufei.plans.models import Plan
from wufei.tasks.models import Role


class Indicator(Base):
    __tablename__ = "indicators"
    # `seq` tells apart rows printed under one number (001: number 10 covers two indicators).
    __table_args__ = (UniqueConstraint("plan_id", "number", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    number: Mapped[ShortText]
    seq: Mapped[int] = mapped_column(default=1)
    level1: Mapped[Name | None]
    level2: Mapped[Name | None]
    name: Mapped[str] = mapped_column(String(300))  # 三级指标
    marks: Mapped[str] = mapped_column(String(8), default="")  # ★ national, ※ province, △/✦ city
    category: Mapped[Name | None]
    unit: Mapped[ShortText | None]
    data_source: Mapped[Name | None]
    attribute: Mapped[ShortText | None]  # binding (约束性) / expected (预期性)
    definition: Mapped[LongText | None]
    owners_raw: Mapped[LongText | None]
    baseline_raw: Mapped[Name | None]
    baseline_value: Mapped[Amount | None]
    baseline_text: Mapped[Name | None]
    baseline_year: Mapped[int | None]
    target_raw: Mapped[Name | None]
    target_kind: Mapped[TargetKind] = mapped_column(EnumText(TargetKind))
    target_comparator: Mapped[str | None] = mapped_column(String(2))
    target_value: Mapped[Amount | None]
    target_value_high: Mapped[Amount | None]
    target_qualitative: Mapped[ShortText | None]
    target_year: Mapped[int | None]
    direction: Mapped[Direction] = mapped_column(EnumText(Direction))  # the direction of good change
    source_line: Mapped[int | None]

    plan: Mapped[Plan] = relationship()
    assignments: Mapped[list[IndicatorDepartment]] = relationship(
        back_populates="indicator", cascade="all, delete-orphan", order_by="IndicatorDepartment.position"
    )
    values: Mapped[list[IndicatorValue]] = relationship(
        back_populates="indicator", cascade="all, delete-orphan", order_by="IndicatorValue.year"
    )


class IndicatorDepartment(Base):
    __tablename__ = "indicator_departments"
    __table_args__ = (UniqueConstraint("indicator_id", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    role: Mapped[Role] = mapped_column(EnumText(Role))
    position: Mapped[int] = mapped_column(default=0)
    source_name: Mapped[Name | None]

    indicator: Mapped[Indicator] = relationship(back_populates="assignments")
    department: Mapped[Department] = relationship()


class IndicatorValue(Base):
    """A value observed for a year (from an evaluation, a report or the office)."""

    __tablename__ = "indicator_values"
    __table_args__ = (UniqueConstraint("indicator_id", "year", "source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    value: Mapped[Amount | None]
    value_raw: Mapped[Name | None]
    forecast: Mapped[ShortText | None]  # 可以完成 / 存在不确定性, from an evaluation
    source: Mapped[Name]  # the document or person that reported it
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    note: Mapped[LongText | None]

    indicator: Mapped[Indicator] = relationship(back_populates="values")


class IndicatorReportStatus(StrEnum):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    RETURNED = "returned"  # 退回: refiled as a new version


class IndicatorReport(Base):
    """A value a department reported for one period (指标填报), versioned like weekly reports:
    a returned value is refiled as a new version and the old one kept (the history)."""

    __tablename__ = "indicator_reports"
    __table_args__ = (
        UniqueConstraint("indicator_id", "period", "version"),
        Index("ix_indicator_reports_period_end", "period_end"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    period: Mapped[ShortText]  # 2024, 2024-Q2, 2024-05 (wufei.cadence.periods labels)
    period_end: Mapped[Day]
    version: Mapped[int] = mapped_column(default=1)
    value: Mapped[Amount]
    value_raw: Mapped[Name]  # as typed
    source: Mapped[Name | None]  # 数据来源
    caliber: Mapped[LongText | None]  # 统计口径
    note: Mapped[LongText | None]
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_by: Mapped[Name | None]
    late: Mapped[bool] = mapped_column(default=False)
    status: Mapped[IndicatorReportStatus] = mapped_column(
        EnumText(IndicatorReportStatus), default=IndicatorReportStatus.SUBMITTED
    )
    review_note: Mapped[LongText | None]
    reviewed_at: Mapped[datetime | None]
    reviewed_by: Mapped[Name | None]

    indicator: Mapped[Indicator] = relationship()
    department: Mapped[Department] = relationship()
    evidence: Mapped[list[IndicatorEvidence]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="IndicatorEvidence.id"
    )


class IndicatorEvidence(Base):
    """A file attached to a reported value, stored by content hash (as weekly reports' evidence)."""

    __tablename__ = "indicator_report_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("indicator_reports.id", ondelete="CASCADE"), index=True)
    file_name: Mapped[Name]
    content_type: Mapped[str] = mapped_column(String(127))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    stored_path: Mapped[str] = mapped_column(String(500))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    report: Mapped[IndicatorReport] = relationship(back_populates="evidence")


class IndicatorMilestone(Base):
    """The value the office expects at the end of a year (a bend in the trajectory)."""

    __tablename__ = "indicator_milestones"
    __table_args__ = (UniqueConstraint("indicator_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    value: Mapped[Amount]
    set_by: Mapped[Name | None]
    set_at: Mapped[datetime] = mapped_column(default=utcnow)

"""Indicators of a plan, their owners and observed values."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wufei.db import Amount, Base, EnumText, LongText, Name, ShortText, utcnow
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

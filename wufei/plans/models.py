"""Jurisdictions (province > city > county) and the plans issued for them."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wufei.db import Base, Day, EnumText, LongText, Name, utcnow


class PlanKind(StrEnum):
    PLAN = "plan"  # 实施方案 / 工作方案
    EVALUATION = "evaluation"  # 中期评估 / 自评估
    PROGRESS = "progress"  # progress reply, e.g. 提案答复 on 无废细胞


class JurisdictionLevel(StrEnum):
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"


class Jurisdiction(Base):
    __tablename__ = "jurisdictions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[Name] = mapped_column(unique=True)
    level: Mapped[JurisdictionLevel] = mapped_column(EnumText(JurisdictionLevel))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("jurisdictions.id"))

    parent: Mapped[Jurisdiction | None] = relationship(remote_side=[id])


class Plan(Base):
    """One imported document: a plan, an evaluation or a progress reply."""

    __tablename__ = "plans"
    __table_args__ = (UniqueConstraint("jurisdiction_id", "title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    jurisdiction_id: Mapped[int] = mapped_column(ForeignKey("jurisdictions.id"))
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[PlanKind] = mapped_column(EnumText(PlanKind))
    doc_number: Mapped[str | None] = mapped_column(String(100), unique=True)
    issuer: Mapped[Name | None]
    issued_on: Mapped[Day | None]
    period_start: Mapped[int | None]
    period_end: Mapped[int | None]
    cells_planned_total: Mapped[int | None]
    cells_built_total: Mapped[int | None]
    source_name: Mapped[Name | None]  # file name last imported from
    source_sha256: Mapped[str | None] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    notes: Mapped[LongText | None]

    jurisdiction: Mapped[Jurisdiction] = relationship()

    @property
    def period_end_date(self) -> date | None:
        return date(self.period_end, 12, 31) if self.period_end else None

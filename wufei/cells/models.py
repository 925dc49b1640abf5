"""Zero-waste cells (无废细胞): counts a plan's documents give per category, and the registry of
cells themselves (each with its state, history, evidence and assessments)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wufei.cells.rules import CellState
from wufei.db import Amount, Base, Day, EnumText, LongText, Name, ShortText, utcnow
from wufei.departments.models import Department
from wufei.plans.models import Plan


class CellCount(Base):
    __tablename__ = "cell_counts"
    __table_args__ = (UniqueConstraint("plan_id", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    number: Mapped[ShortText]
    category: Mapped[Name]  # 无废学校
    count: Mapped[int | None]
    unit: Mapped[ShortText | None]  # 所 / 个 / 家
    count_raw: Mapped[ShortText]
    status: Mapped[ShortText | None]  # 已完成 / 持续推进中
    lead_department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    lead_raw: Mapped[Name | None]
    source_line: Mapped[int | None]

    plan: Mapped[Plan] = relationship()
    lead_department: Mapped[Department | None] = relationship()


class Cell(Base):
    """One 无废细胞 (a school, a village, a hospital …) from its application to its naming."""

    __tablename__ = "cells"
    __table_args__ = (UniqueConstraint("jurisdiction_id", "county", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    jurisdiction_id: Mapped[int] = mapped_column(ForeignKey("jurisdictions.id"), index=True)  # the city
    name: Mapped[Name]  # 桃城区第一中学
    category: Mapped[Name]  # 无废学校 (wufei/cells/categories.yaml)
    county: Mapped[Name]  # 桃城区: a county-level place of the city, or a zone (衡水高新区)
    address: Mapped[LongText | None]
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))  # 责任部门
    state: Mapped[CellState] = mapped_column(EnumText(CellState))
    state_on: Mapped[Day]  # the day of the last change
    return_reason: Mapped[LongText | None]  # while 退回
    note: Mapped[LongText | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    department: Mapped[Department] = relationship()
    events: Mapped[list[CellEvent]] = relationship(
        back_populates="cell", cascade="all, delete-orphan", order_by="CellEvent.id"
    )


class CellEvent(Base):
    """A change of state (the history): from what, to what, on which day, why, with what evidence."""

    __tablename__ = "cell_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    cell_id: Mapped[int] = mapped_column(ForeignKey("cells.id", ondelete="CASCADE"), index=True)
    from_state: Mapped[CellState | None] = mapped_column(EnumText(CellState))
    to_state: Mapped[CellState] = mapped_column(EnumText(CellState))
    on: Mapped[Day]
    reason: Mapped[LongText | None]
    actor: Mapped[Name | None]
    at: Mapped[datetime] = mapped_column(default=utcnow)

    cell: Mapped[Cell] = relationship(back_populates="events")
    evidence: Mapped[list[CellEvidence]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="CellEvidence.id"
    )


class CellEvidence(Base):
    """A file attached to a change (申报材料, 创建台账, 评估报告), stored by content hash."""

    __tablename__ = "cell_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("cell_events.id", ondelete="CASCADE"), index=True)
    file_name: Mapped[Name]
    content_type: Mapped[str] = mapped_column(String(127))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    stored_path: Mapped[str] = mapped_column(String(500))

    event: Mapped[CellEvent] = relationship(back_populates="evidence")


class CellAssessment(Base):
    """The office's assessment of a cell against its category's checklist, and what it decided."""

    __tablename__ = "cell_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    cell_id: Mapped[int] = mapped_column(ForeignKey("cells.id", ondelete="CASCADE"), index=True)
    assessed_on: Mapped[Day]
    total: Mapped[Amount]
    full_score: Mapped[Amount]
    pass_score: Mapped[Amount]  # percent
    named: Mapped[bool]
    reason: Mapped[LongText]
    assessor: Mapped[Name | None]

    cell: Mapped[Cell] = relationship()
    scores: Mapped[list[CellScore]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", order_by="CellScore.id"
    )


class CellScore(Base):
    __tablename__ = "cell_scores"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("cell_assessments.id", ondelete="CASCADE"), index=True)
    criterion: Mapped[Name]
    points: Mapped[Amount]
    full_points: Mapped[Amount]

    assessment: Mapped[CellAssessment] = relationship(back_populates="scores")

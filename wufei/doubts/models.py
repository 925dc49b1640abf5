"""Doubts about imported records, kept until someone decides them (待确认 → 已确认 / 已更正).

A doubt belongs to a plan and, unless it is about the plan itself, to one of its tasks,
indicators or cell counts: a foreign key per kind of record, each deleting its doubts with the
record (a re-import that removes a task takes its doubts with it). `fingerprint` identifies the
same doubt across re-imports (record, field, message, text), so importing a file twice stores
each doubt once and keeps what was decided about it.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wufei.cells.models import CellCount
from wufei.db import Base, LongText, Name, ShortText, utcnow
from wufei.indicators.models import Indicator
from wufei.plans.models import Plan
from wufei.tasks.models import Task


class DoubtStatus(StrEnum):
    OPEN = "open"  # 待确认
    CONFIRMED = "confirmed"  # 已确认: the value stands as imported
    CORRECTED = "corrected"  # 已更正: the value was changed (in the portal, a workbook or a corrected file)


STATUS_NAMES = {DoubtStatus.OPEN: "待确认", DoubtStatus.CONFIRMED: "已确认", DoubtStatus.CORRECTED: "已更正"}


class RecordType(StrEnum):
    PLAN = "plan"
    TASK = "task"
    INDICATOR = "indicator"
    CELL = "cell"


RECORD_TYPE_NAMES = {
    RecordType.PLAN: "方案",
    RecordType.TASK: "任务",
    RecordType.INDICATOR: "指标",
    RecordType.CELL: "无废细胞",
}


class ImportDoubt(Base):
    __tablename__ = "import_doubts"
    __table_args__ = (UniqueConstraint("plan_id", "fingerprint"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    record_type: Mapped[ShortText]  # RecordType
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    indicator_id: Mapped[int | None] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"), index=True)
    cell_id: Mapped[int | None] = mapped_column(ForeignKey("cell_counts.id", ondelete="CASCADE"), index=True)
    field: Mapped[ShortText]  # a wufei.importers.records.DOUBT_FIELDS key
    message: Mapped[LongText]  # Chinese
    text: Mapped[LongText | None]  # the source text in doubt
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[ShortText] = mapped_column(default=DoubtStatus.OPEN, index=True)
    source: Mapped[Name | None]  # the file it was found in
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by: Mapped[Name | None]
    decided_at: Mapped[datetime | None]
    note: Mapped[LongText | None]

    plan: Mapped[Plan] = relationship()
    task: Mapped[Task | None] = relationship()
    indicator: Mapped[Indicator | None] = relationship()
    cell: Mapped[CellCount | None] = relationship()

    @property
    def record_id(self) -> int:
        by_type = {
            RecordType.TASK: self.task_id,
            RecordType.INDICATOR: self.indicator_id,
            RecordType.CELL: self.cell_id,
        }
        return by_type.get(RecordType(self.record_type)) or self.plan_id

"""Zero-waste cells (无废细胞): counts created per category against a plan."""

from __future__ import annotations

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wufei.db import Base, Name, ShortText
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

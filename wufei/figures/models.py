"""Figures the cadence flows compute and keep: one row per kind, period and scope."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wufei.db import Base, Day, JsonDict, Name, ShortText, utcnow


class PeriodFigures(Base):
    __tablename__ = "period_figures"
    __table_args__ = (UniqueConstraint("kind", "period", "scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ShortText]  # weekly / monthly / quarterly / half_year / annual
    period: Mapped[ShortText]  # 2024-W23 / 2024-05 / 2024-Q2 / 2024-H1 / 2024
    scope: Mapped[Name]  # a jurisdiction name
    as_of: Mapped[Day]
    figures: Mapped[JsonDict]
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)

"""Working-day overrides the office enters (调休 and holidays of years the package does not know)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Mapped, mapped_column

from wufei.db import Base, Name, ShortText, utcnow


class CalendarOverride(Base):
    __tablename__ = "calendar_overrides"

    day: Mapped[date] = mapped_column(primary_key=True)
    kind: Mapped[ShortText]  # wufei.calendar.workdays.DayKind
    note: Mapped[Name | None]
    set_by: Mapped[Name | None]
    set_at: Mapped[datetime] = mapped_column(default=utcnow)

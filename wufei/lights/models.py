"""The history of each task's (and milestone's) light: a row whenever it changes, at most one a
task and day (the day's last judgement)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, text
from sqlalchemy.orm import Mapped, mapped_column

from wufei.db import Base, Day, EnumText, LongText, ShortText, utcnow
from wufei.lights.rules import Light

LIGHT_NAMES: dict[str, str] = {Light.GREEN: "绿灯", Light.YELLOW: "黄灯", Light.RED: "红灯", Light.DONE: "已完成"}
UNSUPERVISED = "未纳入督办"  # what a task without a light (no lead department yet) shows instead


class LightRecord(Base):
    __tablename__ = "light_history"
    __table_args__ = (
        Index("ix_light_history_task_as_of", "task_id", "as_of"),
        # A task's light once per day: two scans of the same day at once write its row once.
        Index(
            "uq_light_history_task_day",
            "task_id",
            "as_of",
            unique=True,
            sqlite_where=text("milestone_id IS NULL"),
            postgresql_where=text("milestone_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    milestone_id: Mapped[int | None] = mapped_column(ForeignKey("milestones.id", ondelete="CASCADE"))
    as_of: Mapped[Day]  # the day the light took this colour
    light: Mapped[Light] = mapped_column(EnumText(Light))
    rules: Mapped[ShortText]  # the rule codes that fired, comma-separated
    reason: Mapped[LongText]  # Chinese, for people
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)

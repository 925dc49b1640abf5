"""The history of each task's (and milestone's) light: a row whenever it changes, at most one a
task and day (the day's last judgement)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, text
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


class LightState(Base):
    """Each task's light as the daily scan last judged it, with what it was judged from: the next
    scan judges a task again only when its inputs differ from `inputs` (a fingerprint computed in
    SQL: deadline, extension, completion, lead, newest report, milestones, the rules and ladder
    in force) or the day reaches `recheck_on` (the first day the light could change by the date
    alone), and carries the others forward as they are. Its escalation looks at a task again only
    when the task is judged again or the day reaches `escalate_on` (the first day the ladder can
    owe it something new by the date alone: a deadline step's trigger day, the day after a
    reporting window closes). A cache of the scan, rebuilt by a full scan."""

    __tablename__ = "light_states"

    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True)
    judged_on: Mapped[Day]
    light: Mapped[Light] = mapped_column(EnumText(Light))
    rules: Mapped[ShortText]  # the rule codes that fired, comma-separated
    recheck_on: Mapped[date | None] = mapped_column(index=True)  # None: only a change of inputs changes it
    inputs: Mapped[str] = mapped_column(String(300))
    escalate_on: Mapped[date | None]  # None: only a change of inputs

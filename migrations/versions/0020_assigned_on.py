"""Task owners: the day a department was made responsible (task_departments.assigned_on); a lead owes
weekly reports from it on. Links stored before get their plan's start, what they were counted from.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-08 03:40:00
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

# The shipped cadence's zone (cadence.yaml): an undated plan starts on the day it was imported there.
_ZONE = ZoneInfo("Asia/Shanghai")


def _start(issued_on: date | None, period_start: int | None, imported_at: datetime | str | None) -> date | None:
    """wufei.plans.queries.plan_start, written out: a migration keeps the rule it was written with."""
    if issued_on is not None:
        return issued_on
    if period_start is not None:
        return date(period_start, 1, 1)
    if imported_at is None:
        return None
    if isinstance(imported_at, str):  # SQLite, read without the model's types
        imported_at = datetime.fromisoformat(imported_at)
    if imported_at.tzinfo is None:
        imported_at = imported_at.replace(tzinfo=UTC)
    return imported_at.astimezone(_ZONE).date()


def upgrade() -> None:
    with op.batch_alter_table("task_departments") as batch:
        batch.add_column(sa.Column("assigned_on", sa.Date(), nullable=True))
    connection = op.get_bind()
    plans = sa.table(
        "plans",
        sa.column("id", sa.Integer),
        sa.column("issued_on", sa.Date),
        sa.column("period_start", sa.Integer),
        sa.column("imported_at", sa.DateTime),
    )
    tasks = sa.table("tasks", sa.column("id", sa.Integer), sa.column("plan_id", sa.Integer))
    links = sa.table("task_departments", sa.column("task_id", sa.Integer), sa.column("assigned_on", sa.Date))
    for plan_id, issued_on, period_start, imported_at in connection.execute(
        sa.select(plans.c.id, plans.c.issued_on, plans.c.period_start, plans.c.imported_at)
    ):
        start = _start(issued_on, period_start, imported_at)
        if start is not None:
            connection.execute(
                links.update()
                .where(links.c.task_id.in_(sa.select(tasks.c.id).where(tasks.c.plan_id == plan_id)))
                .values(assigned_on=start)
            )


def downgrade() -> None:
    with op.batch_alter_table("task_departments") as batch:
        batch.drop_column("assigned_on")

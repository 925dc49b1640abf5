"""Lights: each task's last judgement with the fingerprint of its inputs and the day it must be
judged again, so that the daily scan judges only the tasks whose inputs changed or whose light
can change with the date

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "light_states",
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("judged_on", sa.Date(), nullable=False),
        sa.Column("light", sa.String(length=64), nullable=False),
        sa.Column("rules", sa.String(length=64), nullable=False),
        sa.Column("recheck_on", sa.Date(), nullable=True),
        sa.Column("inputs", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.id"], name=op.f("fk_light_states_task_id_tasks"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("task_id", name=op.f("pk_light_states")),
    )
    op.create_index(op.f("ix_light_states_recheck_on"), "light_states", ["recheck_on"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_light_states_recheck_on"), table_name="light_states")
    op.drop_table("light_states")

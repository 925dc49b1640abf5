"""Tasks: where the office's ledger said a task stood when it was imported (完成情况 as written) and the
percentage it gave, with the import's day (wufei/tasks/ledger_status.py)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-08 01:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tasks") as batch:
        batch.add_column(sa.Column("ledger_status", sa.String(200), nullable=True))
        batch.add_column(sa.Column("ledger_progress", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("ledger_progress_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tasks") as batch:
        batch.drop_column("ledger_progress_on")
        batch.drop_column("ledger_progress")
        batch.drop_column("ledger_status")

"""Delivery: the run holding a claimed dispatch (`dispatches.holder`, a Prefect flow run id), so
that a crashed run's retry releases the claims its dead attempt left instead of waiting out the
lease

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dispatches", schema=None) as batch_op:
        batch_op.add_column(sa.Column("holder", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("dispatches", schema=None) as batch_op:
        batch_op.drop_column("holder")

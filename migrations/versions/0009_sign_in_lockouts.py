"""Portal: lockouts after too many failed sign-ins (per account name and per address)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_in_lockouts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("locked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("lifted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lifted_by", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_lockouts")),
    )
    with op.batch_alter_table("sign_in_lockouts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sign_in_lockouts_until"), ["until"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sign_in_lockouts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_in_lockouts_until"))
    op.drop_table("sign_in_lockouts")

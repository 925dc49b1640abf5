"""Portal: lockouts after too many failed sign-ins (per account name and per address); people
named on records by display name (王五（eco）) instead of web:eco

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


# Who filed, reviewed or decided, on the records people read (the audit trail is left as written).
PEOPLE_COLUMNS = (
    ("reports", "submitted_by"),
    ("reports", "reviewed_by"),
    ("report_inputs", "submitted_by"),
    ("extensions", "decided_by"),
    ("import_doubts", "decided_by"),
)


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

    named = "users.display_name || '（' || users.username || '）'"
    for table, column in PEOPLE_COLUMNS:
        op.execute(
            f"UPDATE {table} SET {column} = (SELECT {named} FROM users WHERE 'web:' || users.username = {column}) "
            f"WHERE {column} LIKE 'web:%' AND EXISTS (SELECT 1 FROM users WHERE 'web:' || users.username = {column})"
        )


def downgrade() -> None:
    with op.batch_alter_table("sign_in_lockouts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_in_lockouts_until"))
    op.drop_table("sign_in_lockouts")

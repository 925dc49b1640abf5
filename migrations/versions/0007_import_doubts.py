"""Import doubts: fields of imported records a person must confirm (待确认 / 已确认 / 已更正)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_doubts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("record_type", sa.String(length=64), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("indicator_id", sa.Integer(), nullable=True),
        sa.Column("cell_id", sa.Integer(), nullable=True),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_import_doubts_plan_id_plans"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.id"], name=op.f("fk_import_doubts_task_id_tasks"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicators.id"],
            name=op.f("fk_import_doubts_indicator_id_indicators"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["cell_id"], ["cell_counts.id"], name=op.f("fk_import_doubts_cell_id_cell_counts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_doubts")),
        sa.UniqueConstraint("plan_id", "fingerprint", name=op.f("uq_import_doubts_plan_id_fingerprint")),
    )
    with op.batch_alter_table("import_doubts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_doubts_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_import_doubts_task_id"), ["task_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_import_doubts_indicator_id"), ["indicator_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_import_doubts_cell_id"), ["cell_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_import_doubts_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("import_doubts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_doubts_status"))
        batch_op.drop_index(batch_op.f("ix_import_doubts_cell_id"))
        batch_op.drop_index(batch_op.f("ix_import_doubts_indicator_id"))
        batch_op.drop_index(batch_op.f("ix_import_doubts_task_id"))
        batch_op.drop_index(batch_op.f("ix_import_doubts_plan_id"))

    op.drop_table("import_doubts")

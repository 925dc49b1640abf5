"""Zero-waste cells (无废细胞): the registry of cells with their states, history, evidence and
assessments against their category's checklist.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 09:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cells",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("jurisdiction_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=200), nullable=False),
        sa.Column("county", sa.String(length=200), nullable=False),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=64), nullable=False),
        sa.Column("state_on", sa.Date(), nullable=False),
        sa.Column("return_reason", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["department_id"], ["departments.id"], name=op.f("fk_cells_department_id_departments")),
        sa.ForeignKeyConstraint(
            ["jurisdiction_id"], ["jurisdictions.id"], name=op.f("fk_cells_jurisdiction_id_jurisdictions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cells")),
        sa.UniqueConstraint("jurisdiction_id", "county", "name", name=op.f("uq_cells_jurisdiction_id_county_name")),
    )
    with op.batch_alter_table("cells", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cells_jurisdiction_id"), ["jurisdiction_id"], unique=False)

    op.create_table(
        "cell_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cell_id", sa.Integer(), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("total", sa.Numeric(precision=20, scale=6), nullable=False),
        sa.Column("full_score", sa.Numeric(precision=20, scale=6), nullable=False),
        sa.Column("pass_score", sa.Numeric(precision=20, scale=6), nullable=False),
        sa.Column("named", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("assessor", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["cell_id"], ["cells.id"], name=op.f("fk_cell_assessments_cell_id_cells"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cell_assessments")),
    )
    with op.batch_alter_table("cell_assessments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cell_assessments_cell_id"), ["cell_id"], unique=False)

    op.create_table(
        "cell_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cell_id", sa.Integer(), nullable=False),
        sa.Column("from_state", sa.String(length=64), nullable=True),
        sa.Column("to_state", sa.String(length=64), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cell_id"], ["cells.id"], name=op.f("fk_cell_events_cell_id_cells"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cell_events")),
    )
    with op.batch_alter_table("cell_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cell_events_cell_id"), ["cell_id"], unique=False)

    op.create_table(
        "cell_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=127), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("stored_path", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["cell_events.id"], name=op.f("fk_cell_evidence_event_id_cell_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cell_evidence")),
    )
    with op.batch_alter_table("cell_evidence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cell_evidence_event_id"), ["event_id"], unique=False)

    op.create_table(
        "cell_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("criterion", sa.String(length=200), nullable=False),
        sa.Column("points", sa.Numeric(precision=20, scale=6), nullable=False),
        sa.Column("full_points", sa.Numeric(precision=20, scale=6), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["cell_assessments.id"],
            name=op.f("fk_cell_scores_assessment_id_cell_assessments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cell_scores")),
    )
    with op.batch_alter_table("cell_scores", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cell_scores_assessment_id"), ["assessment_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("cell_scores", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cell_scores_assessment_id"))

    op.drop_table("cell_scores")
    with op.batch_alter_table("cell_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cell_evidence_event_id"))

    op.drop_table("cell_evidence")
    with op.batch_alter_table("cell_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cell_events_cell_id"))

    op.drop_table("cell_events")
    with op.batch_alter_table("cell_assessments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cell_assessments_cell_id"))

    op.drop_table("cell_assessments")
    with op.batch_alter_table("cells", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cells_jurisdiction_id"))

    op.drop_table("cells")

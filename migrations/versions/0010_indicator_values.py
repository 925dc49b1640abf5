"""Indicators: values departments report per period (versioned, reviewed, with evidence) and the
office's milestones per year.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "indicator_milestones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.Numeric(precision=20, scale=6), nullable=False),
        sa.Column("set_by", sa.String(length=200), nullable=True),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicators.id"],
            name=op.f("fk_indicator_milestones_indicator_id_indicators"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_milestones")),
        sa.UniqueConstraint("indicator_id", "year", name=op.f("uq_indicator_milestones_indicator_id_year")),
    )
    with op.batch_alter_table("indicator_milestones", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_indicator_milestones_indicator_id"), ["indicator_id"], unique=False)

    op.create_table(
        "indicator_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=64), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("value", sa.Numeric(precision=20, scale=6), nullable=False),
        sa.Column("value_raw", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("caliber", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_by", sa.String(length=200), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=64), nullable=False),
        sa.Column("review_note", sa.Text(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_by", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name=op.f("fk_indicator_reports_department_id_departments")
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicators.id"],
            name=op.f("fk_indicator_reports_indicator_id_indicators"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_reports")),
        sa.UniqueConstraint(
            "indicator_id", "period", "version", name=op.f("uq_indicator_reports_indicator_id_period_version")
        ),
    )
    with op.batch_alter_table("indicator_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_indicator_reports_indicator_id"), ["indicator_id"], unique=False)
        batch_op.create_index("ix_indicator_reports_period_end", ["period_end"], unique=False)

    op.create_table(
        "indicator_report_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=127), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("stored_path", sa.String(length=500), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["indicator_reports.id"],
            name=op.f("fk_indicator_report_evidence_report_id_indicator_reports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_report_evidence")),
    )
    with op.batch_alter_table("indicator_report_evidence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_indicator_report_evidence_report_id"), ["report_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("indicator_report_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_report_evidence_report_id"))

    op.drop_table("indicator_report_evidence")
    with op.batch_alter_table("indicator_reports", schema=None) as batch_op:
        batch_op.drop_index("ix_indicator_reports_period_end")
        batch_op.drop_index(batch_op.f("ix_indicator_reports_indicator_id"))

    op.drop_table("indicator_reports")
    with op.batch_alter_table("indicator_milestones", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_milestones_indicator_id"))

    op.drop_table("indicator_milestones")

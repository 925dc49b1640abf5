"""Notify: department contacts (liaison, leader, channel addresses) loaded from a spreadsheet

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 14:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=64), nullable=True),
        sa.Column("liaison", sa.String(length=200), nullable=True),
        sa.Column("liaison_phone", sa.String(length=64), nullable=True),
        sa.Column("liaison_email", sa.String(length=200), nullable=True),
        sa.Column("leader", sa.String(length=200), nullable=True),
        sa.Column("leader_phone", sa.String(length=64), nullable=True),
        sa.Column("leader_email", sa.String(length=200), nullable=True),
        sa.Column("wecom_robot", sa.String(length=500), nullable=True),
        sa.Column("dingtalk_robot", sa.String(length=500), nullable=True),
        sa.Column("feishu_robot", sa.String(length=500), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("source_row", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_contacts_department_id_departments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
        sa.UniqueConstraint("alias", name=op.f("uq_contacts_alias")),
        sa.UniqueConstraint("department_id", name=op.f("uq_contacts_department_id")),
    )


def downgrade() -> None:
    op.drop_table("contacts")

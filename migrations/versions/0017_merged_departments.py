"""Departments: a unit merged into another (机构改革, or a mistyped name fixed) is retired, not
deleted: `merged_into_id` names the unit that now answers for it (wufei/departments/merging.py)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 23:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("departments") as batch:
        batch.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_departments_merged_into_id_departments"), "departments", ["merged_into_id"], ["id"]
        )


def downgrade() -> None:
    # A retired unit becomes an ordinary one again; what moved to its successor stays there.
    with op.batch_alter_table("departments") as batch:
        batch.drop_constraint(op.f("fk_departments_merged_into_id_departments"), type_="foreignkey")
        batch.drop_column("merged_into_id")

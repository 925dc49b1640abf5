"""Initial ledger: jurisdictions, plans, departments, tasks, indicators, cells, audit

Revision ID: 0001
Revises:
Create Date: 2026-11-23 11:04:26.252991
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("entity_key", sa.String(length=200), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_log_entity", ["entity", "entity_id"], unique=False)

    op.create_table(
        "jurisdictions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=64), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["jurisdictions.id"], name=op.f("fk_jurisdictions_parent_id_jurisdictions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jurisdictions")),
        sa.UniqueConstraint("name", name=op.f("uq_jurisdictions_name")),
    )
    op.create_table(
        "departments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("jurisdiction_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["jurisdiction_id"], ["jurisdictions.id"], name=op.f("fk_departments_jurisdiction_id_jurisdictions")
        ),
        sa.ForeignKeyConstraint(["parent_id"], ["departments.id"], name=op.f("fk_departments_parent_id_departments")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_departments")),
        sa.UniqueConstraint("jurisdiction_id", "name", name=op.f("uq_departments_jurisdiction_id_name")),
    )
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("jurisdiction_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("doc_number", sa.String(length=100), nullable=True),
        sa.Column("issuer", sa.String(length=200), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("period_start", sa.Integer(), nullable=True),
        sa.Column("period_end", sa.Integer(), nullable=True),
        sa.Column("cells_planned_total", sa.Integer(), nullable=True),
        sa.Column("cells_built_total", sa.Integer(), nullable=True),
        sa.Column("source_name", sa.String(length=200), nullable=True),
        sa.Column("source_sha256", sa.String(length=64), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["jurisdiction_id"], ["jurisdictions.id"], name=op.f("fk_plans_jurisdiction_id_jurisdictions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
        sa.UniqueConstraint("doc_number", name=op.f("uq_plans_doc_number")),
        sa.UniqueConstraint("jurisdiction_id", "title", name=op.f("uq_plans_jurisdiction_id_title")),
    )
    op.create_table(
        "cell_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("category", sa.String(length=200), nullable=False),
        sa.Column("count", sa.Integer(), nullable=True),
        sa.Column("unit", sa.String(length=64), nullable=True),
        sa.Column("count_raw", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=64), nullable=True),
        sa.Column("lead_department_id", sa.Integer(), nullable=True),
        sa.Column("lead_raw", sa.String(length=200), nullable=True),
        sa.Column("source_line", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["lead_department_id"], ["departments.id"], name=op.f("fk_cell_counts_lead_department_id_departments")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_cell_counts_plan_id_plans"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cell_counts")),
        sa.UniqueConstraint("plan_id", "category", name=op.f("uq_cell_counts_plan_id_category")),
    )
    with op.batch_alter_table("cell_counts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cell_counts_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "department_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_department_aliases_department_id_departments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_department_aliases")),
        sa.UniqueConstraint("department_id", "alias", name=op.f("uq_department_aliases_department_id_alias")),
    )
    op.create_table(
        "indicators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("level1", sa.String(length=200), nullable=True),
        sa.Column("level2", sa.String(length=200), nullable=True),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("marks", sa.String(length=8), nullable=False),
        sa.Column("category", sa.String(length=200), nullable=True),
        sa.Column("unit", sa.String(length=64), nullable=True),
        sa.Column("data_source", sa.String(length=200), nullable=True),
        sa.Column("attribute", sa.String(length=64), nullable=True),
        sa.Column("definition", sa.Text(), nullable=True),
        sa.Column("owners_raw", sa.Text(), nullable=True),
        sa.Column("baseline_raw", sa.String(length=200), nullable=True),
        sa.Column("baseline_value", sa.Numeric(precision=20, scale=6), nullable=True),
        sa.Column("baseline_text", sa.String(length=200), nullable=True),
        sa.Column("baseline_year", sa.Integer(), nullable=True),
        sa.Column("target_raw", sa.String(length=200), nullable=True),
        sa.Column("target_kind", sa.String(length=64), nullable=False),
        sa.Column("target_comparator", sa.String(length=2), nullable=True),
        sa.Column("target_value", sa.Numeric(precision=20, scale=6), nullable=True),
        sa.Column("target_value_high", sa.Numeric(precision=20, scale=6), nullable=True),
        sa.Column("target_qualitative", sa.String(length=64), nullable=True),
        sa.Column("target_year", sa.Integer(), nullable=True),
        sa.Column("direction", sa.String(length=64), nullable=False),
        sa.Column("source_line", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_indicators_plan_id_plans"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicators")),
        sa.UniqueConstraint("plan_id", "number", "seq", name=op.f("uq_indicators_plan_id_number_seq")),
    )
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_indicators_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("list_kind", sa.String(length=64), nullable=False),
        sa.Column("list_name", sa.String(length=200), nullable=True),
        sa.Column("category", sa.String(length=200), nullable=True),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("content", sa.Text(), nullable=True),
        sa.Column("owners_raw", sa.Text(), nullable=True),
        sa.Column("responsible_entity", sa.String(length=200), nullable=True),
        sa.Column("implementers_raw", sa.String(length=200), nullable=True),
        sa.Column("deadline_raw", sa.String(length=200), nullable=True),
        sa.Column("deadline_kind", sa.String(length=64), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("deadline_note", sa.String(length=200), nullable=True),
        sa.Column("awaiting_assignment", sa.Boolean(), nullable=False),
        sa.Column("source_line", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_tasks_plan_id_plans"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks")),
        sa.UniqueConstraint("plan_id", "list_kind", "number", name=op.f("uq_tasks_plan_id_list_kind_number")),
    )
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tasks_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "indicator_departments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("source_name", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name=op.f("fk_indicator_departments_department_id_departments")
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicators.id"],
            name=op.f("fk_indicator_departments_indicator_id_indicators"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_departments")),
        sa.UniqueConstraint(
            "indicator_id", "department_id", name=op.f("uq_indicator_departments_indicator_id_department_id")
        ),
    )
    with op.batch_alter_table("indicator_departments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_indicator_departments_department_id"), ["department_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_indicator_departments_indicator_id"), ["indicator_id"], unique=False)

    op.create_table(
        "indicator_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.Numeric(precision=20, scale=6), nullable=True),
        sa.Column("value_raw", sa.String(length=200), nullable=True),
        sa.Column("forecast", sa.String(length=64), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicators.id"],
            name=op.f("fk_indicator_values_indicator_id_indicators"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_values")),
        sa.UniqueConstraint(
            "indicator_id", "year", "source", name=op.f("uq_indicator_values_indicator_id_year_source")
        ),
    )
    with op.batch_alter_table("indicator_values", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_indicator_values_indicator_id"), ["indicator_id"], unique=False)

    op.create_table(
        "task_departments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("source_name", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name=op.f("fk_task_departments_department_id_departments")
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.id"], name=op.f("fk_task_departments_task_id_tasks"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_departments")),
        sa.UniqueConstraint("task_id", "department_id", name=op.f("uq_task_departments_task_id_department_id")),
    )
    with op.batch_alter_table("task_departments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_task_departments_department_id"), ["department_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_task_departments_task_id"), ["task_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("task_departments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_departments_task_id"))
        batch_op.drop_index(batch_op.f("ix_task_departments_department_id"))

    op.drop_table("task_departments")
    with op.batch_alter_table("indicator_values", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_values_indicator_id"))

    op.drop_table("indicator_values")
    with op.batch_alter_table("indicator_departments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_departments_indicator_id"))
        batch_op.drop_index(batch_op.f("ix_indicator_departments_department_id"))

    op.drop_table("indicator_departments")
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tasks_plan_id"))

    op.drop_table("tasks")
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicators_plan_id"))

    op.drop_table("indicators")
    op.drop_table("department_aliases")
    with op.batch_alter_table("cell_counts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cell_counts_plan_id"))

    op.drop_table("cell_counts")
    op.drop_table("plans")
    op.drop_table("departments")
    op.drop_table("jurisdictions")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_entity")

    op.drop_table("audit_log")

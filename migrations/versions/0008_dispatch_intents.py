"""Notify: the intents a dispatch carried as rows of dispatch_intents (an intent at most once)
instead of a JSON list on the dispatch

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 12:00:00
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The lists become rows; an intent carried twice (which the old claim should have prevented)
    # stays with its first dispatch. Read first: the column goes before the table comes.
    connection = op.get_bind()
    links, seen = [], set()
    for dispatch_id, intent_ids in connection.execute(sa.text("SELECT id, intent_ids FROM dispatches ORDER BY id")):
        for intent_id in json.loads(intent_ids) if isinstance(intent_ids, str) else intent_ids or []:
            if intent_id not in seen:
                seen.add(intent_id)
                links.append({"intent_id": intent_id, "dispatch_id": dispatch_id})
    _drop_intent_ids()

    op.create_table(
        "dispatch_intents",
        sa.Column("intent_id", sa.Integer(), nullable=False),
        sa.Column("dispatch_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dispatch_id"],
            ["dispatches.id"],
            name=op.f("fk_dispatch_intents_dispatch_id_dispatches"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["intent_id"],
            ["notice_intents.id"],
            name=op.f("fk_dispatch_intents_intent_id_notice_intents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("intent_id", name=op.f("pk_dispatch_intents")),
    )
    op.create_index(op.f("ix_dispatch_intents_dispatch_id"), "dispatch_intents", ["dispatch_id"], unique=False)
    if links:
        connection.execute(
            sa.text("INSERT INTO dispatch_intents (intent_id, dispatch_id) VALUES (:intent_id, :dispatch_id)"), links
        )


def _drop_intent_ids() -> None:
    """Not by copying the table (Alembic's batch mode on SQLite): with foreign keys on, dropping the
    old copy of `dispatches` would delete every delivery row (ON DELETE CASCADE). SQLite drops a
    column in place since 3.35."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE dispatches DROP COLUMN intent_ids")
    else:
        op.drop_column("dispatches", "intent_ids")


def downgrade() -> None:
    connection = op.get_bind()
    carried: dict[int, list[int]] = {}
    for intent_id, dispatch_id in connection.execute(
        sa.text("SELECT intent_id, dispatch_id FROM dispatch_intents ORDER BY intent_id")
    ):
        carried.setdefault(dispatch_id, []).append(intent_id)
    op.drop_index(op.f("ix_dispatch_intents_dispatch_id"), table_name="dispatch_intents")
    op.drop_table("dispatch_intents")
    # In place (see _drop_intent_ids); NOT NULL needs a default to be added in place.
    op.add_column("dispatches", sa.Column("intent_ids", sa.JSON(), nullable=False, server_default="[]"))
    for dispatch_id, intent_ids in carried.items():
        connection.execute(
            sa.text("UPDATE dispatches SET intent_ids = :ids WHERE id = :id"),
            {"ids": json.dumps(intent_ids), "id": dispatch_id},
        )
    if connection.dialect.name != "sqlite":
        op.alter_column("dispatches", "intent_ids", server_default=None)

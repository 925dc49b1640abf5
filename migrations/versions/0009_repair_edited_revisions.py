"""Repair: databases created by revisions that were edited after they shipped get what the edited
revisions add, judged by the schema itself, not by the stamp

0004-0006 shipped empty (reserved) and were filled later: a database that passed them then is
stamped past them without `contacts`, `snapshots` or the accounts tables. 0002 shipped
`report_evidence.content_type` as VARCHAR(64) and was widened to 127 later in place: such a database
refuses longer types on PostgreSQL. Revisions are never edited again; repairs are new revisions.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op
from alembic.script import ScriptDirectory

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# The revisions that shipped empty, and the tables each creates today.
FILLED_LATER = {"0004": ["contacts"], "0005": ["snapshots"], "0006": ["users", "sign_in_tokens", "web_sessions"]}


def upgrade() -> None:
    tables = set(sa.inspect(op.get_bind()).get_table_names())
    script = ScriptDirectory.from_config(context.config)
    for filled, created in FILLED_LATER.items():
        missing = [name for name in created if name not in tables]
        if not missing:
            continue
        if len(missing) != len(created):  # a half-made revision is not something this repair guesses at
            raise RuntimeError(f"数据库缺少 {filled} 号迁移的部分表：{'、'.join(missing)}，请人工检查")
        # No later revision changes these tables, so the revision as it stands makes them as they are.
        script.get_revision(filled).module.upgrade()
    _widen_content_type()


def _widen_content_type() -> None:
    columns = {c["name"]: c for c in sa.inspect(op.get_bind()).get_columns("report_evidence")}
    length = getattr(columns["content_type"]["type"], "length", None)
    if length is not None and length < 127 and op.get_bind().dialect.name != "sqlite":  # SQLite keeps any length
        op.alter_column(
            "report_evidence",
            "content_type",
            type_=sa.String(length=127),
            existing_type=sa.String(length=length),
            existing_nullable=False,
        )


def downgrade() -> None:
    """Nothing to undo: what the repair made is what the earlier revisions make on a new database."""

"""Scans: a task's light history once per day (a unique index), so two daily scans of the same day
at once write each row once; the duplicates such scans left are removed first

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

TASK_ROWS = sa.text("milestone_id IS NULL")


def upgrade() -> None:
    # Of a task's rows of one day, the newest stands: it is the one every reader took ("newest wins").
    op.execute(
        "DELETE FROM light_history WHERE milestone_id IS NULL AND id NOT IN ("
        " SELECT MAX(id) FROM light_history WHERE milestone_id IS NULL GROUP BY task_id, as_of)"
    )
    # Two generations of the same milestones at once audited "generate" twice, once for rows the
    # second did not write: the same plans, the same counts, the same day; the first stays.
    op.execute(
        "DELETE FROM audit_log WHERE entity = 'milestones' AND action = 'generate' AND EXISTS ("
        " SELECT 1 FROM audit_log AS earlier WHERE earlier.entity = 'milestones'"
        " AND earlier.action = 'generate' AND earlier.entity_key = audit_log.entity_key"
        f" AND {_same_text('earlier.changes', 'audit_log.changes')}"
        f" AND {_same_day('earlier.at', 'audit_log.at')} AND earlier.id < audit_log.id)"
    )
    op.create_index(
        "uq_light_history_task_day",
        "light_history",
        ["task_id", "as_of"],
        unique=True,
        sqlite_where=TASK_ROWS,
        postgresql_where=TASK_ROWS,
    )


def _same_text(left: str, right: str) -> str:
    if op.get_bind().dialect.name == "postgresql":
        return f"CAST({left} AS TEXT) = CAST({right} AS TEXT)"  # json has no equality operator
    return f"{left} = {right}"


def _same_day(left: str, right: str) -> str:
    if op.get_bind().dialect.name == "postgresql":
        return f"CAST({left} AS DATE) = CAST({right} AS DATE)"
    return f"date({left}) = date({right})"


def downgrade() -> None:
    op.drop_index("uq_light_history_task_day", table_name="light_history")

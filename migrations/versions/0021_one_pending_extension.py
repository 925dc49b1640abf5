"""Extensions: at most one pending request per task (a partial unique index), so concurrent requests
for a task file one; the extra pending requests such requests left are closed first (the earliest
stays pending)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-08 04:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

PENDING = sa.text("status = 'pending'")


def upgrade() -> None:
    # Refused, not deleted: the liaison saw them filed; the note says why they were closed undecided.
    op.execute(
        "UPDATE extensions SET status = 'refused', decided_on = requested_on, decided_by = '系统',"
        " decision_note = '同一任务已有更早的待审批延期申请，此重复申请已关闭'"
        " WHERE status = 'pending' AND EXISTS (SELECT 1 FROM extensions AS earlier"
        " WHERE earlier.task_id = extensions.task_id AND earlier.status = 'pending' AND earlier.id < extensions.id)"
    )
    op.create_index(
        "uq_extensions_one_pending",
        "extensions",
        ["task_id"],
        unique=True,
        sqlite_where=PENDING,
        postgresql_where=PENDING,
    )


def downgrade() -> None:
    op.drop_index("uq_extensions_one_pending", table_name="extensions")

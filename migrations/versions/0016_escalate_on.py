"""Lights: each task's state also keeps the day the escalation ladder can next owe it something by
the date alone, so that the daily scan's escalation looks only at the tasks whose inputs changed
or whose day has come

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("light_states", sa.Column("escalate_on", sa.Date(), nullable=True))
    # States kept before: their tasks are looked at by the next scan's escalation.
    op.execute("UPDATE light_states SET escalate_on = judged_on")
    # No index: the scan reads every state anyway (the fingerprints' comparison), and an index
    # would be one more to update for each state written.


def downgrade() -> None:
    with op.batch_alter_table("light_states") as batch:
        batch.drop_column("escalate_on")

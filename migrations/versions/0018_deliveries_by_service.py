"""Deliveries: an index on the service and the time, for a run's pacing of the group robots
(wufei.notify.service.recent_sends reads the last minute's sends to each robot)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-08 01:40:00
"""

from __future__ import annotations

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_deliveries_service_attempted", "deliveries", ["service_url", "attempted_at"])


def downgrade() -> None:
    op.drop_index("ix_deliveries_service_attempted", table_name="deliveries")

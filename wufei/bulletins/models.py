"""Snapshots: the locked content a bulletin is built from (figures, history and ledger rows)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wufei.db import Base, Day, JsonDict, Name, ShortText, utcnow


class Snapshot(Base):
    """One immutable capture of a period's figures and the ledger rows behind them.

    `content_hash` is the sha256 of the canonical JSON of `content`; its first 12 hex digits are
    the snapshot id printed on every document. The same content is stored once per kind, period
    and scope (the unique key), so taking a snapshot twice of an unchanged ledger changes nothing.
    `locked_at` is set when a bulletin is first issued from it: from then on the period's
    bulletins are regenerated from this snapshot until a refresh is asked for."""

    __tablename__ = "snapshots"
    __table_args__ = (
        UniqueConstraint("kind", "period", "scope", "content_hash"),
        Index("ix_snapshots_kind_period_scope_taken", "kind", "period", "scope", "taken_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ShortText]  # monthly / quarterly / half_year / annual / self_assessment / province
    period: Mapped[ShortText]  # 2024-05 / 2024-Q2 / 2024-H1 / 2024
    scope: Mapped[Name]  # a jurisdiction (or province) name, or 全部
    as_of: Mapped[Day]  # the day the figures were computed as of
    content_hash: Mapped[str] = mapped_column(String(64))
    content: Mapped[JsonDict]
    taken_at: Mapped[datetime] = mapped_column(default=utcnow)
    locked_at: Mapped[datetime | None]

    @property
    def snapshot_id(self) -> str:
        return self.content_hash[:12]

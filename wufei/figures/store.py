"""Keeping the figures each cadence run computed: one row per kind, period and scope."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from wufei.cadence.periods import Period
from wufei.db import utcnow
from wufei.figures.codec import to_json
from wufei.figures.models import PeriodFigures


def store_figures(
    session: Session, *, kind: str, period: Period | str, scope: str, as_of: date, figures: Any
) -> PeriodFigures:
    """Insert or replace the row of (kind, period, scope): a repeated run replaces it, never a
    second row (ON CONFLICT DO UPDATE, so two runs at once also end with one row). `figures`:
    typed figures (a dataclass), or data that is plain JSON already (anything else is refused)."""
    label = period.label if isinstance(period, Period) else str(period)
    data = to_json(figures) if dataclasses.is_dataclass(figures) else figures
    try:
        plain = json.loads(json.dumps(data, ensure_ascii=False))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"数据无法保存为 JSON：{exc}") from exc
    values = {
        "kind": str(kind),
        "period": label,
        "scope": scope,
        "as_of": as_of,
        "figures": plain,
        "computed_at": utcnow(),
    }
    dialect = session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(PeriodFigures)
        statement = (
            insert.values(**values)
            .on_conflict_do_update(
                index_elements=["kind", "period", "scope"],
                set_={"as_of": as_of, "figures": plain, "computed_at": values["computed_at"]},
            )
            .returning(PeriodFigures.id)
        )
        row_id = session.execute(statement).scalar_one()
        stored = session.get(PeriodFigures, row_id, populate_existing=True)
        assert stored is not None
        return stored
    row = session.scalar(
        select(PeriodFigures).where(
            PeriodFigures.kind == values["kind"], PeriodFigures.period == label, PeriodFigures.scope == scope
        )
    )
    if row is None:
        row = PeriodFigures(**values)
        session.add(row)
    else:
        row.as_of, row.figures, row.computed_at = as_of, plain, values["computed_at"]
    session.flush()
    return row


def stored_figures(session: Session, *, kind: str, period: str, scope: str) -> PeriodFigures | None:
    return session.scalar(
        select(PeriodFigures).where(
            PeriodFigures.kind == kind, PeriodFigures.period == period, PeriodFigures.scope == scope
        )
    )

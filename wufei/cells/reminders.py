"""Reminders for 无废细胞 stalled in a state (滞留提醒): a cell that has stayed in a state longer than
categories.yaml's `stalled` days for it is brought to its responsible department's liaison and to
the office, once each time it enters that state. The daily scan runs this beside the task ladder
(`wufei.points.runs.daily_scan`). Services take a Session and never commit.

The state of `as_of` is read from each cell's history, so a replayed year reminds on the days it
would have. Keys: `cell_stalled|cell:<id>|<state>:<since>|<audience>|dept:<id>`, inserted ON
CONFLICT DO NOTHING. An unresolved reminder about a state the cell has since left is resolved
状态已变更.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from wufei.cells.models import Cell
from wufei.cells.registry import states_on
from wufei.cells.rules import STATE_NAMES, CellRules, CellState
from wufei.chinese import chinese_date
from wufei.notices.models import Audience, NoticeIntent, NoticeKind
from wufei.notices.service import create_intents_returning, resolve_intents

STEP = "cell_stalled"
RESOLVED_MOVED_ON = "状态已变更"


@dataclass
class CellReminders:
    cells: int = 0  # cells looked at
    stalled: int = 0  # of them, stalled on the day
    created: int = 0
    resolved: int = 0
    created_ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"cells": self.cells, "stalled": self.stalled, "created": self.created, "resolved": self.resolved}


def intent_key(cell_id: int, state: CellState, since: date, audience: Audience, department_id: int | None) -> str:
    dept = "-" if department_id is None else department_id
    return f"{STEP}|cell:{cell_id}|{state}:{since.isoformat()}|{audience}|dept:{dept}"


def remind_stalled_cells(
    session: Session, *, as_of: date, rules: CellRules, jurisdiction_ids: Collection[int] | None = None
) -> CellReminders:
    """Remind about the cells (of these cities) stalled on `as_of`; resolve what has moved on."""
    result = CellReminders()
    query = select(Cell).options(selectinload(Cell.department)).order_by(Cell.id)
    if jurisdiction_ids is not None:
        query = query.where(Cell.jurisdiction_id.in_(sorted(jurisdiction_ids)))
    cells = {cell.id: cell for cell in session.scalars(query)}
    result.cells = len(cells)
    if not cells:
        return result
    states = states_on(session, sorted(cells), as_of)

    intents: list[dict[str, Any]] = []
    for cell_id, now in states.items():
        stall = rules.stall(now.state)
        days = (as_of - now.since).days
        if stall is None or days <= stall.days:
            continue
        result.stalled += 1
        cell = cells[cell_id]
        payload = {
            "cell_id": cell.id,
            "cell_name": cell.name,
            "category": cell.category,
            "county": cell.county,
            "department": cell.department.name,
            "state": str(now.state),
            "state_cn": STATE_NAMES[now.state],
            "since": now.since.isoformat(),
            "since_cn": chinese_date(now.since),
            "days": days,
            "limit_days": stall.days,
            "action": stall.action,
            "title": f"无废细胞「{cell.name}」",
        }
        for audience, department_id in ((Audience.LIAISON, cell.department_id), (Audience.OFFICE, None)):
            intents.append(
                {
                    "key": intent_key(cell.id, now.state, now.since, audience, department_id),
                    "kind": str(NoticeKind.CELL_STALLED),
                    "step": STEP,
                    "audience": str(audience),
                    "department_id": department_id,
                    "task_id": None,
                    "period": now.since.isoformat(),
                    "created_on": as_of,
                    "payload": payload,
                }
            )

    moved_on = [
        intent_id
        for intent_id, payload in session.execute(
            select(NoticeIntent.id, NoticeIntent.payload).where(
                NoticeIntent.step == STEP, NoticeIntent.resolved_on.is_(None)
            )
        )
        if (payload or {}).get("cell_id") in cells and _moved_on(payload, states.get(payload["cell_id"]))
    ]
    if moved_on:
        result.resolved = resolve_intents(session, intent_ids=moved_on, on=as_of, resolution=RESOLVED_MOVED_ON)
    created = create_intents_returning(session, intents)
    result.created_ids = sorted(i for i, _ in created)
    result.created = len(created)
    return result


def _moved_on(payload: dict[str, Any], now) -> bool:
    return now is None or str(now.state) != payload.get("state") or now.since.isoformat() != payload.get("since")

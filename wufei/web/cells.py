"""The portal's 无废细胞 pages: cells per county and per responsible department, each list with its
cells' states and the day of their last change. The office and leaders see every city's cells
(one city at a time); a liaison sees the cells its department is responsible for."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import select

from wufei.accounts.models import UserRole
from wufei.cells.models import Cell
from wufei.cells.registry import cell_as_dict, list_cells
from wufei.cells.rules import STATE_NAMES, STATE_ORDER, CellState
from wufei.plans.models import Jurisdiction
from wufei.web.portal import Portal
from wufei.web.shared import liaison_department


def _groups(cells: list[Cell], key) -> list[dict[str, Any]]:
    counts: dict[Any, Counter[str]] = defaultdict(Counter)
    names: dict[Any, str] = {}
    for cell in cells:
        value, name = key(cell)
        counts[value][str(cell.state)] += 1
        names[value] = name
    return [
        {
            "key": value,
            "name": names[value],
            "states": [counts[value][s] for s in STATE_ORDER],
            "total": sum(c.values()),
        }
        for value, c in sorted(counts.items(), key=lambda item: names[item[0]])
    ]


def router(portal: Portal) -> APIRouter:
    routes = APIRouter()

    @routes.get("/cells")
    def cells_page(
        request: Request, jurisdiction: str | None = None, county: str | None = None, dept: str | None = None
    ):
        with portal.work() as session:
            signed = portal.user(request, session, UserRole.OFFICE, UserRole.LEADER, UserRole.LIAISON)
            own = liaison_department(signed)
            places = list(
                session.scalars(
                    select(Jurisdiction)
                    .where(Jurisdiction.id.in_(select(Cell.jurisdiction_id)))
                    .order_by(Jurisdiction.id)
                )
            )
            place = next((p for p in places if p.name == jurisdiction), places[0] if places else None)
            department_id = own if own is not None else (int(dept) if dept and dept.isdigit() else None)
            everything = (
                list_cells(
                    session,
                    jurisdiction_ids=[place.id],
                    department_ids=[own] if own is not None else None,
                )
                if place is not None
                else []
            )
            shown = [
                c
                for c in everything
                if (county is None or c.county == county)
                and (department_id is None or c.department_id == department_id)
            ]
            return portal.render(
                request,
                "cells.html.j2",
                signed=signed,
                places=[p.name for p in places],
                place=place.name if place else None,
                states=[STATE_NAMES[s] for s in STATE_ORDER],
                by_county=_groups(everything, lambda c: (c.county, c.county)),
                by_department=_groups(everything, lambda c: (c.department_id, c.department.name)),
                county=county,
                department_id=department_id,
                cells=[cell_as_dict(c) for c in shown],
                returned=str(CellState.RETURNED),
            )

    return routes

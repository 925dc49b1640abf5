"""The portal's 无废细胞 pages: cells per county and per responsible department, each list with its
cells' states and the day of their last change, and a page per cell with its history, evidence
and assessments. The office and leaders see every city's cells (one city at a time); a liaison
sees the cells its department is responsible for.

The office registers a cell (申报), moves it on with the day and evidence of the change (创建中,
评估, 退回 with a reason, 申报 again after a return) and records an assessment: a score for each
criterion of the category's checklist (categories.yaml), whose verdict names the cell or returns
it. The services (wufei.cells.registry, .assessment) decide everything and answer in Chinese.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from wufei.accounts.models import UserRole
from wufei.accounts.service import person
from wufei.cells.assessment import assess, assessments_of
from wufei.cells.models import Cell
from wufei.cells.registry import (
    CellError,
    add_cell,
    advance,
    cell_as_dict,
    counties,
    get_cell,
    history_as_dicts,
    list_cells,
)
from wufei.cells.rules import STATE_NAMES, STATE_ORDER, CellRuleError, CellState, next_states, parse_state
from wufei.filetypes import size_text
from wufei.plans.models import Jurisdiction, Plan
from wufei.web.ids import row_id
from wufei.web.portal import Forbidden, Portal, read_form, redirect
from wufei.web.shared import liaison_department

OFFICE, LEADER, LIAISON = UserRole.OFFICE, UserRole.LEADER, UserRole.LIAISON
FORM_OVERHEAD_BYTES = 64 * 1024
NOTICES = {
    "cell_added": "已登记无废细胞（申报）。",
    "cell_advanced": "已变更细胞状态。",
    "cell_assessed": "已记录评估结果。",
}


def upload_limits(portal: Portal) -> dict[str, int]:
    """The largest body each upload form here takes (the app refuses larger ones unread)."""
    return {"/cells/advance": portal.cadence.evidence.max_bytes + FORM_OVERHEAD_BYTES}


def _day(text: str | None) -> date:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        raise CellError(f"日期应写作 2024-05-31：「{text or ''}」") from None


def _cell_id(text: str | None) -> int:
    cell_id = row_id(text)
    if cell_id is None:
        raise CellError(f"细胞编号应为数字：「{(text or '').strip()[:20]}」")
    return cell_id


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
            cities = (
                list(
                    session.scalars(
                        select(Jurisdiction)
                        .where(
                            Jurisdiction.id.in_(select(Plan.jurisdiction_id))
                            | Jurisdiction.id.in_([p.id for p in places])
                        )
                        .order_by(Jurisdiction.id)
                    )
                )
                if signed.user.role == OFFICE
                else []
            )
            city = place or (cities[0] if cities else None)
            return portal.render(
                request,
                "cells.html.j2",
                signed=signed,
                cells_notice=NOTICES.get(request.query_params.get("notice", "")),
                cities=[c.name for c in cities],
                city=city.name if city else None,
                categories=list(portal.rules.cells.categories.values()),
                county_names=sorted(set(counties(session, city).values())) if city and cities else [],
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

    # --- one cell ---------------------------------------------------------------------------------

    def _cell_page(request, session, signed, cell_id: int, *, error: str | None = None, status_code: int = 200):
        cell = get_cell(session, cell_id)
        own = liaison_department(signed)
        if own is not None and cell.department_id != own:
            raise Forbidden("该细胞不由本部门负责，不能查看")
        state = CellState(cell.state)
        category = portal.rules.cells.categories.get(cell.category)
        return portal.render(
            request,
            "cell.html.j2",
            signed=signed,
            status_code=status_code,
            cells_notice=NOTICES.get(request.query_params.get("notice", "")),
            error=error,
            cell=cell_as_dict(cell),
            jurisdiction=session.get(Jurisdiction, cell.jurisdiction_id).name,
            history=history_as_dicts(cell),
            assessments=assessments_of(session, cell.id),
            moves=[(s, STATE_NAMES[s]) for s in next_states(state) if s != CellState.NAMED],
            assessing=state == CellState.ASSESSING,
            category=category,
            max_size=size_text(portal.cadence.evidence.max_bytes),
            allowed_types="、".join(portal.cadence.evidence.allowed_types),
            number=lambda value: f"{value.normalize():f}",
        )

    @routes.get("/cells/{cell_id:id}")
    def cell_page(request: Request, cell_id: int):
        with portal.work() as session:
            signed = portal.user(request, session, OFFICE, LEADER, LIAISON)
            try:
                return _cell_page(request, session, signed, cell_id)
            except CellError as error:
                return portal.render_error(request, str(error), signed=signed, status_code=404, back="/cells")

    def _office_write(request, form, write, *, back: str):
        """Run `write(session, signed)` for the office (CSRF checked); a refusal is a Chinese page."""
        try:
            with portal.work() as session:
                signed = portal.user(request, session, OFFICE)
                portal.check_csrf(form, signed)
                return write(session, signed)
        except (CellError, CellRuleError) as error:
            with portal.work() as session:
                again = portal.signed_in(request, session)
            return portal.render_error(request, str(error), signed=again, back=back)

    @routes.post("/cells/add")
    async def add(request: Request):
        form = await read_form(request)
        fields = {k: str(v) for k, v in form.items() if isinstance(v, str)}

        def write(session, signed):
            city = session.scalar(select(Jurisdiction).where(Jurisdiction.name == fields.get("jurisdiction", "")))
            if city is None:
                raise CellError(f"找不到地区「{fields.get('jurisdiction', '')}」")
            cell = add_cell(
                session,
                jurisdiction=city,
                name=fields.get("name", ""),
                category=fields.get("category", ""),
                county=fields.get("county", ""),
                address=fields.get("address"),
                department=fields.get("department") or None,
                note=fields.get("note"),
                on=_day(fields.get("on")),
                actor=person(signed.user),
                rules=portal.rules.cells,
            )
            return redirect(f"/cells/{cell.id}", "cell_added")

        return await run_in_threadpool(_office_write, request, form, write, back="/cells")

    def _office_only(request) -> None:
        with portal.work() as session:
            portal.user(request, session, OFFICE)

    @routes.post("/cells/advance")
    async def move(request: Request):
        await run_in_threadpool(_office_only, request)  # who is asking, before a byte of the upload is read
        form = await read_form(request, max_files=1, max_fields=10)
        max_bytes = portal.cadence.evidence.max_bytes
        evidence = []
        upload = form.get("evidence")
        if isinstance(upload, UploadFile) and upload.filename:
            evidence.append((Path(upload.filename.replace("\\", "/")).name, await upload.read(max_bytes + 1)))
        fields = {k: str(v) for k, v in form.items() if isinstance(v, str)}

        def write(session, signed):
            cell_id = _cell_id(fields.get("cell_id"))
            target = parse_state(fields.get("state", ""))
            if target == CellState.NAMED:
                raise CellError("命名由评估结果决定：请在“评估”状态下录入各项细则得分")
            advance(
                session,
                cell_id=cell_id,
                to=target,
                on=_day(fields.get("on")),
                reason=fields.get("reason"),
                actor=person(signed.user),
                evidence=evidence,
                evidence_rules=portal.cadence.evidence,
            )
            return redirect(f"/cells/{cell_id}", "cell_advanced")

        return await run_in_threadpool(
            _office_write, request, form, write, back=f"/cells/{fields.get('cell_id', '')}".rstrip("/")
        )

    @routes.post("/cells/assess")
    async def score(request: Request):
        form = await read_form(request, max_fields=60)
        fields = {k: str(v) for k, v in form.items() if isinstance(v, str)}

        def write(session, signed):
            cell_id = _cell_id(fields.get("cell_id"))
            scores = {key.removeprefix("score-"): value for key, value in fields.items() if key.startswith("score-")}
            assess(
                session,
                cell_id=cell_id,
                scores=scores,
                on=_day(fields.get("on")),
                actor=person(signed.user),
                rules=portal.rules.cells,
            )
            return redirect(f"/cells/{cell_id}", "cell_assessed")

        return await run_in_threadpool(
            _office_write, request, form, write, back=f"/cells/{fields.get('cell_id', '')}".rstrip("/")
        )

    return routes

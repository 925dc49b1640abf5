"""The registry of 无废细胞: adding a cell, moving it through its states with the date and evidence
of each change, and listing cells. Services take a Session and never commit.

Rules decided here (the state machine itself is `wufei.cells.rules`):
- A cell belongs to a city (the jurisdiction) and one of its counties: a county-level place under
  the city (桃城区, 深州市; 桃城 is read as 桃城区) or a zone the city's registry lists (衡水高新区).
- Its responsible department is its category's lead unless another is named: the lead the city's
  imported documents give the category (seed 000's table), else categories.yaml's; the office may
  change it later.
- A cell is unique by city, county and name.
- A cell entered from an existing ledger (`initial`) may start in any state, recorded as one
  change on its day; after that every change follows the state machine.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from wufei.audit.service import apply_changes, record
from wufei.cadence.config import EvidenceRules
from wufei.cells.models import Cell, CellCount, CellEvent, CellEvidence
from wufei.cells.rules import STATE_NAMES, Category, CellRuleError, CellRules, CellState, check_transition
from wufei.departments.models import Department, DepartmentKind
from wufei.departments.naming import DepartmentNameError, resolve_department
from wufei.plans.models import Jurisdiction, Plan
from wufei.reports.evidence import EvidenceError, EvidenceSource, store_files

MAX_TEXT = 2000


class CellError(ValueError):
    """A cell that cannot be added, changed or found; the message is Chinese. `field` names what
    it is about (name, category, county, department, state, state_on, reason, id): a workbook's column."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def cell_label(cell: Cell) -> str:
    return f"[{cell.id}] {cell.county}「{cell.name}」"


def jurisdiction_named(session: Session, name: str) -> Jurisdiction:
    found = session.scalar(select(Jurisdiction).where(Jurisdiction.name == name.strip()))
    if found is None:
        known = "、".join(session.scalars(select(Jurisdiction.name).order_by(Jurisdiction.id)))
        raise CellError(f"找不到地区「{name}」" + (f"，已有：{known}" if known else "，请先导入该地区的方案"))
    return found


def counties(session: Session, jurisdiction: Jurisdiction) -> dict[str, str]:
    """Every name a county of the city may be written as → the name the registry keeps."""
    from wufei.places.divisions import divisions

    names: dict[str, str] = {}
    places = divisions()
    city = places.find(jurisdiction.name)
    if city is not None:
        for place in places.children(city):
            names[place.name] = place.name
            for short in place.short:
                names.setdefault(short, place.name)
    zones = session.scalars(
        select(Department).where(Department.jurisdiction_id == jurisdiction.id, Department.kind == DepartmentKind.ZONE)
    )
    for zone in zones:
        plain = zone.name.removesuffix("管委会").removesuffix("管理委员会")
        names[plain] = plain
        names[zone.name] = plain
    return names


def county_named(
    session: Session, jurisdiction: Jurisdiction, written: str, known: dict[str, str] | None = None
) -> str:
    text = (written or "").strip()
    known = known if known is not None else counties(session, jurisdiction)
    if text in known:
        return known[text]
    if text.startswith(jurisdiction.name) and text.removeprefix(jurisdiction.name) in known:
        return known[text.removeprefix(jurisdiction.name)]
    listed = "、".join(dict.fromkeys(known.values()))
    raise CellError(
        f"「{text}」不是{jurisdiction.name}的县（市、区）或功能区" + (f"，应为：{listed}" if listed else ""), "county"
    )


def responsible(session: Session, jurisdiction: Jurisdiction, written: str) -> Department:
    """A department of the city by name or alias (市教育局, 市卫健委)."""
    try:
        department = resolve_department(session, f"{jurisdiction.name}/{written.strip()}")
    except DepartmentNameError as exc:
        raise CellError(str(exc), "department") from None
    return department


def category_lead(session: Session, jurisdiction: Jurisdiction, category: Category) -> Department:
    """A category's lead as the city's newest imported document names it (seed 000's table:
    无废学校 — 市教育局), else as categories.yaml does."""
    named = session.scalar(
        select(Department)
        .join(CellCount, CellCount.lead_department_id == Department.id)
        .join(Plan, Plan.id == CellCount.plan_id)
        .where(Plan.jurisdiction_id == jurisdiction.id, CellCount.category == category.name)
        .where(Department.kind != DepartmentKind.UNKNOWN)
        .order_by(Plan.id.desc())
        .limit(1)
    )
    return named if named is not None else responsible(session, jurisdiction, category.lead)


@dataclass
class Lookups:
    """What registering a city's cells looks up, read once for a batch (a workbook's rows)."""

    counties: dict[str, str]
    leads: dict[str, Department] = field(default_factory=dict)  # category → its lead

    @classmethod
    def of(cls, session: Session, jurisdiction: Jurisdiction) -> Lookups:
        return cls(counties(session, jurisdiction))

    def lead(self, session: Session, jurisdiction: Jurisdiction, category: Category) -> Department:
        if category.name not in self.leads:
            self.leads[category.name] = category_lead(session, jurisdiction, category)
        return self.leads[category.name]


def _text(value: str | None, label: str) -> str | None:
    text = (value or "").strip()
    if len(text) > MAX_TEXT:
        raise CellError(f"{label}有{len(text)}字，超过上限{MAX_TEXT}字：「{text[:30]}…」")
    return text or None


def _event(
    cell: Cell,
    *,
    from_state: CellState | None,
    to_state: CellState,
    on: date,
    reason: str | None,
    actor: str,
    evidence: Sequence[EvidenceSource],
    evidence_rules: EvidenceRules | None,
) -> CellEvent:
    if evidence and evidence_rules is None:
        raise ValueError("evidence needs the cadence's evidence rules")
    try:
        stored = store_files(evidence, rules=evidence_rules) if evidence_rules and evidence else []
    except EvidenceError as exc:
        raise CellError(str(exc)) from exc
    event = CellEvent(
        from_state=str(from_state) if from_state else None,
        to_state=str(to_state),
        on=on,
        reason=reason,
        actor=actor,
        at=datetime.now(UTC),
    )
    event.evidence = [
        CellEvidence(
            file_name=f.file_name[-200:],
            content_type=f.content_type,
            size=f.size,
            sha256=f.sha256,
            stored_path=f.stored_path,
        )
        for f in stored
    ]
    cell.events.append(event)
    return event


def add_cell(
    session: Session,
    *,
    jurisdiction: Jurisdiction,
    name: str,
    category: str,
    county: str,
    on: date,
    actor: str,
    rules: CellRules,
    address: str | None = None,
    department: str | None = None,
    note: str | None = None,
    initial: CellState = CellState.APPLIED,
    reason: str | None = None,
    evidence: Sequence[EvidenceSource] = (),
    evidence_rules: EvidenceRules | None = None,
    lookups: Lookups | None = None,
) -> Cell:
    """Register a cell: by default an application (申报) on `on`."""
    title = _text(name, "细胞名称")
    if title is None:
        raise CellError("请写明细胞名称", "name")
    if len(title) > 200:
        raise CellError(f"细胞名称超过200字：「{title[:30]}…」", "name")
    try:
        kind = rules.category(category)
    except CellRuleError as exc:
        raise CellError(str(exc), "category") from None
    lookups = lookups if lookups is not None else Lookups.of(session, jurisdiction)
    place = county_named(session, jurisdiction, county, lookups.counties)
    owner = responsible(session, jurisdiction, department) if department else lookups.lead(session, jurisdiction, kind)
    if initial == CellState.RETURNED and not (reason or "").strip():
        raise CellError("以“退回”状态登记须说明理由", "reason")
    existing = session.scalar(
        select(Cell).where(Cell.jurisdiction_id == jurisdiction.id, Cell.county == place, Cell.name == title)
    )
    if existing is not None:
        raise CellError(
            f"{place}已登记名为「{title}」的细胞（编号{existing.id}，{STATE_NAMES[existing.state]}）", "name"
        )
    cell = Cell(
        jurisdiction_id=jurisdiction.id,
        name=title,
        category=kind.name,
        county=place,
        address=_text(address, "地址"),
        department_id=owner.id,
        state=str(initial),
        state_on=on,
        return_reason=(reason or "").strip() or None if initial == CellState.RETURNED else None,
        note=_text(note, "说明"),
    )
    cell.department = owner
    cell.events = []
    _event(
        cell,
        from_state=None,
        to_state=initial,
        on=on,
        reason=_text(reason, "说明"),
        actor=actor,
        evidence=evidence,
        evidence_rules=evidence_rules,
    )
    session.add(cell)
    session.flush()
    record(
        session,
        actor=actor,
        action="create",
        entity="cells",
        entity_id=cell.id,
        entity_key=f"cell:{jurisdiction.name}|{place}|{title}",
        changes={"category": [None, kind.name], "department": [None, owner.name], "state": [None, str(initial)]},
    )
    return cell


def get_cell(session: Session, cell_id: int) -> Cell:
    cell = session.get(
        Cell,
        cell_id,
        options=[selectinload(Cell.events).selectinload(CellEvent.evidence), selectinload(Cell.department)],
    )
    if cell is None:
        raise CellError(f"找不到细胞 {cell_id}", "id")
    return cell


def advance(
    session: Session,
    *,
    cell_id: int,
    to: CellState,
    on: date,
    actor: str,
    reason: str | None = None,
    evidence: Sequence[EvidenceSource] = (),
    evidence_rules: EvidenceRules | None = None,
) -> Cell:
    """Move a cell to its next state on `on` (never before its last change); 退回 needs a reason.
    命名 from 评估 is normally decided by an assessment (`wufei.cells.assessment`)."""
    cell = get_cell(session, cell_id)
    current = CellState(cell.state)
    try:
        check_transition(current, to, reason=reason)
    except CellRuleError as exc:
        raise CellError(f"细胞 {cell_label(cell)}：{exc}", "reason" if "理由" in str(exc) else "state") from None
    if on < cell.state_on:
        raise CellError(
            f"细胞 {cell_label(cell)} 上次变更在{cell.state_on.isoformat()}，新状态的日期不能更早：{on}", "state_on"
        )
    note = _text(reason, "理由")
    _event(
        cell,
        from_state=current,
        to_state=to,
        on=on,
        reason=note,
        actor=actor,
        evidence=evidence,
        evidence_rules=evidence_rules,
    )
    changes = apply_changes(
        cell, {"state": str(to), "state_on": on, "return_reason": note if to == CellState.RETURNED else None}
    )
    session.flush()
    record(
        session,
        actor=actor,
        action="update",
        entity="cells",
        entity_id=cell.id,
        entity_key=f"cell:{cell.id}",
        changes=changes,
        source="advance",
    )
    return cell


def set_department(session: Session, *, cell_id: int, department: str, actor: str) -> Cell:
    cell = get_cell(session, cell_id)
    jurisdiction = session.get(Jurisdiction, cell.jurisdiction_id)
    assert jurisdiction is not None
    owner = responsible(session, jurisdiction, department)
    before = cell.department.name
    cell.department_id, cell.department = owner.id, owner
    session.flush()
    record(
        session,
        actor=actor,
        action="update",
        entity="cells",
        entity_id=cell.id,
        entity_key=f"cell:{cell.id}",
        changes={"department": [before, owner.name]},
        source="set_department",
    )
    return cell


def list_cells(
    session: Session,
    *,
    jurisdiction_ids: Iterable[int] | None = None,
    category: str | None = None,
    county: str | None = None,
    department_ids: Iterable[int] | None = None,
    state: CellState | None = None,
) -> list[Cell]:
    query = select(Cell).options(selectinload(Cell.department))
    if jurisdiction_ids is not None:
        query = query.where(Cell.jurisdiction_id.in_(list(jurisdiction_ids)))
    if category is not None:
        query = query.where(Cell.category == category)
    if county is not None:
        query = query.where(Cell.county == county)
    if department_ids is not None:
        query = query.where(Cell.department_id.in_(list(department_ids)))
    if state is not None:
        query = query.where(Cell.state == state)
    return list(session.scalars(query.order_by(Cell.county, Cell.category, Cell.name, Cell.id)))


@dataclass(frozen=True)
class StateOn:
    state: CellState
    since: date


def states_on(session: Session, cell_ids: Sequence[int], day: date) -> dict[int, StateOn]:
    """Each cell's state at the end of `day`, from its history (a cell not yet applied is absent)."""
    found: dict[int, StateOn] = {}
    if not cell_ids:
        return found
    for start in range(0, len(cell_ids), 500):
        chunk = list(cell_ids[start : start + 500])
        rows = session.execute(
            select(CellEvent.cell_id, CellEvent.to_state, CellEvent.on)
            .where(CellEvent.cell_id.in_(chunk), CellEvent.on <= day)
            .order_by(CellEvent.cell_id, CellEvent.on, CellEvent.id)
        )
        for cell_id, state, on in rows:
            found[cell_id] = StateOn(CellState(state), on)
    return found


def cell_as_dict(cell: Cell) -> dict[str, Any]:
    return {
        "id": cell.id,
        "name": cell.name,
        "category": cell.category,
        "county": cell.county,
        "address": cell.address,
        "department": cell.department.name,
        "state": str(cell.state),
        "state_cn": STATE_NAMES[CellState(cell.state)],
        "state_on": cell.state_on.isoformat(),
        "return_reason": cell.return_reason,
        "note": cell.note,
    }


def history_as_dicts(cell: Cell) -> list[dict[str, Any]]:
    return [
        {
            "on": e.on.isoformat(),
            "from": STATE_NAMES[CellState(e.from_state)] if e.from_state else None,
            "to": STATE_NAMES[CellState(e.to_state)],
            "reason": e.reason,
            "actor": e.actor,
            "evidence": [f.file_name for f in e.evidence],
            "files": [{"id": f.id, "name": f.file_name} for f in e.evidence],  # the portal links them
        }
        for e in cell.events
    ]

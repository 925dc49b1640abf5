"""Departments in the database: synced from the registry data files, and owner
names in documents resolved to them. Services take a Session and never commit."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, selectinload

from wufei.db import table_of
from wufei.departments.models import Department, DepartmentAlias, DepartmentKind
from wufei.departments.naming import (
    LIST_SEPARATORS,
    matching_departments,
    resolve_department,
    same_place,
    split_written,
    successor,
)
from wufei.departments.registry import Registry, ResolutionKind, Unit
from wufei.importers.records import ImportError_
from wufei.plans.models import Jurisdiction
from wufei.tasks.models import Role, TaskDepartment


def ensure_jurisdiction(
    session: Session, registry: Registry, name: str | None, *, path: str, reason: str | None = None
) -> Jurisdiction:
    """The jurisdiction row (and its parents: 南山区 → 深圳市 → 广东省), with the registry file's
    departments in place; any place of China is created on demand from the division data.

    A plan needs its place to load: without one (`reason` says why it is unknown) nothing is
    written and the message says how to give it."""
    how = "请在预览中确认「地区」，或导入时以 --jurisdiction 指定（如 深圳市、北京市朝阳区）"
    if not name:
        raise ImportError_(path, f"无法确定文件所属地区（{reason or '文件未写明'}）：{how}")
    try:
        entry = registry.jurisdiction(name)
    except KeyError:
        namesakes = registry.places_named(name)
        if len(namesakes) > 1:
            raise ImportError_(path, f"地区「{name}」有多处同名（{'、'.join(namesakes)}）：{how}", text=name) from None
        raise ImportError_(path, f"未知的地区「{name}」，不在全国行政区划表中：{how}", text=name) from None
    parent = ensure_jurisdiction(session, registry, entry.parent, path=path) if entry.parent else None
    jurisdiction = session.scalar(select(Jurisdiction).where(Jurisdiction.name == entry.name))
    if jurisdiction is None:
        jurisdiction = Jurisdiction(name=entry.name, level=entry.level, parent_id=parent.id if parent else None)
        session.add(jurisdiction)
        session.flush()
    sync_registry_departments(session, registry, jurisdiction)
    return jurisdiction


def sync_registry_departments(session: Session, registry: Registry, jurisdiction: Jurisdiction) -> int:
    """Add the registry's units and aliases that the database lacks; never deletes. Read and
    written as rows: every file an import reads checks a hundred units and their aliases."""
    units = registry.units(jurisdiction.name)
    session.flush()  # departments added in this session count as stored
    stored = {
        name: (department_id, kind)
        for department_id, name, kind in session.execute(
            select(Department.id, Department.name, Department.kind).where(Department.jurisdiction_id == jurisdiction.id)
        )
    }
    # A unit renamed by the office (`wufei depts rename`) keeps the registry's name as an alias:
    # that name is stored, not a unit to add again.
    for department_id, alias, kind in session.execute(
        select(DepartmentAlias.department_id, DepartmentAlias.alias, Department.kind)
        .join(Department, Department.id == DepartmentAlias.department_id)
        .where(Department.jurisdiction_id == jurisdiction.id)
        .order_by(DepartmentAlias.id)
    ):
        stored.setdefault(alias, (department_id, kind))
    have = set(
        session.execute(
            select(DepartmentAlias.department_id, DepartmentAlias.alias)
            .join(Department, Department.id == DepartmentAlias.department_id)
            .where(Department.jurisdiction_id == jurisdiction.id)
        ).tuples()
    )
    firsts: dict[str, Unit] = {}  # a unit named twice is stored once, as first listed
    for unit in units:
        if unit.name not in stored:
            firsts.setdefault(unit.name, unit)
    new = list(firsts.values())
    if new:
        table = table_of(Department)
        ids = session.execute(
            insert(table).returning(table.c.id, sort_by_parameter_order=True),
            [{"jurisdiction_id": jurisdiction.id, "name": u.name, "kind": u.kind, "parent_id": None} for u in new],
        ).scalars()
        added = {unit.name for unit in new}
        stored.update({unit.name: (department_id, unit.kind) for unit, department_id in zip(new, ids, strict=True)})
    else:
        added = set()
    aliases = []
    for unit in units:
        department_id, kind = stored[unit.name]
        if unit.name not in added and kind == DepartmentKind.UNKNOWN:
            department = session.get(Department, department_id)
            if department is not None:  # the office has since added it to the registry
                department.kind = DepartmentKind(unit.kind)
        for alias in unit.aliases:
            if (department_id, alias) not in have:
                have.add((department_id, alias))
                aliases.append({"department_id": department_id, "alias": alias})
    if aliases:
        session.execute(insert(table_of(DepartmentAlias)), aliases)
    session.flush()
    return len(new)


def upsert_department(
    session: Session,
    jurisdiction: Jurisdiction,
    name: str,
    *,
    kind: str | None,
    aliases: tuple[str, ...] = (),
    parent: str | None = None,
) -> Department:
    department = session.scalar(
        select(Department).where(Department.jurisdiction_id == jurisdiction.id, Department.name == name)
    )
    if department is None:
        department = Department(jurisdiction_id=jurisdiction.id, name=name, kind=kind or DepartmentKind.UNKNOWN)
        session.add(department)
    elif kind:
        department.kind = DepartmentKind(kind)
    have = {a.alias for a in department.aliases}
    department.aliases.extend(DepartmentAlias(alias=a) for a in aliases if a not in have)
    if parent:
        department.parent = session.scalar(
            select(Department).where(Department.jurisdiction_id == jurisdiction.id, Department.name == parent)
        )
    session.flush()
    return department


class OwnerResolver:
    """Turns owner names as written into department rows, expanding collectives.

    Unknown names become departments of kind `unknown` (kept, not dropped) and a
    warning with close matches; collectives the office must pick from give a warning.
    """

    def __init__(self, session: Session, registry: Registry, jurisdiction: Jurisdiction):
        self.session, self.registry, self.jurisdiction = session, registry, jurisdiction
        self.names: dict[int, str] = {}
        # Every department of this jurisdiction and its parents, loaded once: resolving
        # hundreds of owner names must not cost a query (and an autoflush) each.
        chain = [jurisdiction.id]
        while (place := session.get(Jurisdiction, chain[-1])) is not None and place.parent_id is not None:
            chain.append(place.parent_id)
        self._known: dict[tuple[int, str], Department] = {
            (d.jurisdiction_id, d.name): d
            for d in session.scalars(select(Department).where(Department.jurisdiction_id.in_(chain)))
        }
        self._jurisdiction_ids = {
            j.name: j.id for j in session.scalars(select(Jurisdiction).where(Jurisdiction.id.in_(chain)))
        }
        self._cache: dict[str, tuple[list[Department], str | None]] = {}
        self._lines: dict[str, list[int]] = {}  # warning -> lines where the name was written

    @property
    def warnings(self) -> list[str]:
        return [
            f"{message}（第{'、'.join(map(str, lines))}行）" if lines else message
            for message, lines in self._lines.items()
        ]

    def departments(
        self, names: tuple[str, ...], role: str, *, line: int | None = None
    ) -> list[tuple[Department, str | None]]:
        result: list[tuple[Department, str | None]] = []
        for name in names:
            departments, warning = self._resolve(name)
            if warning:
                lines = self._lines.setdefault(warning, [])
                if line is not None and line not in lines:
                    lines.append(line)
            result.extend((d, name if name != d.name else None) for d in departments)
        return result

    def unit(self, name: str) -> Department | None:
        """The one unit the registry knows `name` by, with nothing to check (no guess, no
        collective), stored on first use as an import naming it stores it; else None."""
        resolution = self.registry.resolve(name, self.jurisdiction.name)
        if resolution.kind is not ResolutionKind.UNIT or resolution.warning:
            return None
        departments, _ = self._resolve(name)
        return departments[0] if len(departments) == 1 else None

    def finding(self, name: str) -> str | None:
        """What a person must check about this name (unknown, to be picked, a guess), or None."""
        return self._resolve(name)[1]

    def _resolve(self, name: str) -> tuple[list[Department], str | None]:
        if name not in self._cache:
            self._cache[name] = self._lookup(name)
            for department in self._cache[name][0]:
                self.names[department.id] = department.name
        return self._cache[name]

    def _lookup(self, name: str) -> tuple[list[Department], str | None]:
        resolution = self.registry.resolve(name, self.jurisdiction.name)
        if resolution.kind in (ResolutionKind.UNIT, ResolutionKind.COLLECTIVE):
            where = resolution.jurisdiction or self.jurisdiction.name
            members = [
                self._department(member, where, kind=getattr(self.registry.unit(member, where), "kind", None))
                for member in resolution.members
            ]
            return members, resolution.warning
        if resolution.kind in (ResolutionKind.PICK, ResolutionKind.UNASSIGNED):
            return [], resolution.warning or f"「{name}」未指定具体单位，需办公室指定"
        warning = resolution.warning or f"未知单位「{name}」，已暂存待核实"
        department = self._department(name, self.jurisdiction.name, unknown=True)
        if department.name != name:  # merged by the office into a known unit (wufei depts merge)
            return [department], None
        return [department], warning

    def _aliased(self, jurisdiction_id: int, name: str) -> Department | None:
        """The unit of the place that has `name` as an alias (a unit renamed by the office keeps
        its old name so), when no unit bears the name."""
        return self.session.scalars(
            select(Department)
            .join(DepartmentAlias, DepartmentAlias.department_id == Department.id)
            .where(Department.jurisdiction_id == jurisdiction_id, DepartmentAlias.alias == name)
            .order_by(Department.merged_into_id.is_not(None), Department.id)
            .limit(1)
        ).first()

    def _department(
        self, name: str, jurisdiction_name: str | None, *, unknown: bool = False, kind: str | None = None
    ) -> Department:
        jurisdiction_id = self._jurisdiction_ids.get(jurisdiction_name or "", self.jurisdiction.id)
        department = self._known.get((jurisdiction_id, name)) or self._aliased(jurisdiction_id, name)
        if department is not None:
            return successor(self.session, department)  # a retired unit's name means its successor
        department = Department(
            jurisdiction_id=jurisdiction_id,
            name=name,
            kind=DepartmentKind.UNKNOWN if unknown else kind or DepartmentKind.BUREAU,
        )
        self.session.add(department)
        self.session.flush()
        self._known[(jurisdiction_id, name)] = department
        return department


def department_of_places(
    session: Session,
    written: str,
    *,
    places: Collection[Jurisdiction] = (),
    prefer: Collection[int] = (),
    registry: Registry | None = None,
) -> Department:
    """The department `written` names, for a place that may have none stored yet.

    A plan that names no units (every task awaiting its lead) leaves its place without a stored
    unit, yet the office must name its leads, contacts and liaisons. The place is the one written
    first (应城市/市发展和改革局), else each of `places` (the task's plan's place). There a stored unit
    by that name or alias, else the one unit the registry knows by it (the place's file, or the
    standard agencies for its level: 市发改局 is 市发展和改革局), stored now, comes before a unit of
    another place: 市生态环境局 typed for 应城市's task is 应城市's, not the only stored one, 衡水市's.
    Otherwise as `naming.resolve_department`, whose Chinese error stands when nothing is found."""
    written_places, name = split_written(written)
    if written_places:
        wanted = [p for p in session.scalars(select(Jurisdiction)) if same_place(p.name, written_places[-1])]
    else:
        wanted = list(places)
    if name and wanted:
        ids = {place.id for place in wanted}
        stored = [d for d in matching_departments(session, name) if d.jurisdiction_id in ids]
        if len(stored) == 1:
            return stored[0]
        if not stored:
            registry = registry or Registry.load()
            known = {
                found.id: found
                for place in wanted
                if (found := OwnerResolver(session, registry, place).unit(name)) is not None
            }
            if len(known) == 1:
                return next(iter(known.values()))
    return resolve_department(session, written, prefer=prefer)


def departments_of_places(
    session: Session, text: str, *, places: Collection[Jurisdiction] = (), prefer: Collection[int] = ()
) -> list[Department]:
    """Several names separated as `naming.resolve_departments` takes them, each by
    `department_of_places`; duplicates once, in order."""
    registry = Registry.load() if text and text.strip() else None
    departments: list[Department] = []
    for written in LIST_SEPARATORS.split(text or ""):
        if written.strip():
            department = department_of_places(session, written, places=places, prefer=prefer, registry=registry)
            if department not in departments:
                departments.append(department)
    return departments


def list_departments(session: Session, *, jurisdiction: str | None = None, unknown_only: bool = False) -> list[dict]:
    counts = {
        (department_id, role): n
        for department_id, role, n in session.execute(
            select(TaskDepartment.department_id, TaskDepartment.role, func.count()).group_by(
                TaskDepartment.department_id, TaskDepartment.role
            )
        )
    }
    query = (
        select(Department)
        .join(Jurisdiction)
        .options(selectinload(Department.aliases), selectinload(Department.jurisdiction))
    )
    if jurisdiction:
        query = query.where(Jurisdiction.name == jurisdiction)
    query = query.where(Department.merged_into_id.is_(None))  # retired units are history only
    if unknown_only:
        query = query.where(Department.kind == DepartmentKind.UNKNOWN)
    return [
        {
            "id": d.id,
            "jurisdiction": d.jurisdiction.name,
            "name": d.name,
            "kind": d.kind,
            "aliases": [a.alias for a in d.aliases],
            "lead_tasks": counts.get((d.id, Role.LEAD), 0),
            "supporting_tasks": counts.get((d.id, Role.SUPPORTING), 0),
        }
        for d in session.scalars(query.order_by(Jurisdiction.id, Department.id))
    ]

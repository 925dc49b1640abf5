"""One way to name a department, in every command and page: what a person types → the department.

Accepted, in any command that takes `--dept` and in the portal's owner fields:
- the qualified name, the place first: `衡水市/市商务局` (a full-width ／ too; higher places may
  lead: `河北省/衡水市/市商务局`);
- a name or an alias the registry knows (`市发展改革委` for 市发展和改革委员会), qualified or bare;
- a bare name when only one department carries it. Several places have a 市商务局: a bare name
  that means several is refused with every candidate listed, in Chinese, unless the caller's
  context (`prefer`: the task's owners, the plan's place) leaves exactly one.

Pure queries over a Session: nothing is written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from wufei.departments.models import Department, DepartmentAlias
from wufei.plans.models import Jurisdiction

SEPARATOR = "/"
LIST_SEPARATORS = re.compile(r"[、，,；;\n]+")
SUGGESTIONS = 8


class DepartmentNameError(LookupError):
    """A name that means no department or several; the message is Chinese and lists candidates."""

    def __init__(self, message: str, candidates: list[Department] | None = None):
        super().__init__(message)
        self.candidates = candidates or []


def qualified_name(department: Department) -> str:
    """The name that always means this department: `衡水市/市商务局`."""
    return f"{department.jurisdiction.name}{SEPARATOR}{department.name}"


def _clean(text: str) -> str:
    """NFKC (full-width ／ and spaces become ASCII), no spaces around or inside the parts."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def split_written(written: str) -> tuple[list[str], str]:
    """The places written before the name (`衡水市/市商务局`: [衡水市]) and the name."""
    parts = _clean(written).split(SEPARATOR)
    return parts[:-1], parts[-1]


def _named(session: Session, name: str, *, follow_merges: bool = True) -> list[Department]:
    """Departments carrying the name or alias; a retired unit's name means the unit it was merged
    into (`wufei depts merge`), so a retired unit is never what a name resolves to. Without
    `follow_merges` (the merge and rename commands, which must not act on another unit) a retired
    unit's own name means that unit, not its successor that carries the name as an alias."""
    # `name` is NFKC (`_clean`): its brackets are ASCII, while stored names keep the full-width ones
    # the plans print (各乡镇（街道）), so both forms are asked for.
    forms = list(dict.fromkeys([name, name.replace("(", "（").replace(")", "）")]))
    by_alias = select(DepartmentAlias.department_id).where(DepartmentAlias.alias.in_(forms))
    found = session.scalars(
        select(Department)
        .where(or_(Department.name.in_(forms), Department.id.in_(by_alias)))
        .options(selectinload(Department.jurisdiction))
        .order_by(Department.jurisdiction_id, Department.id)
    )
    if follow_merges:
        return list(dict.fromkeys(successor(session, d) for d in found))
    rows = list(found)
    named_by_retired = {successor(session, d).id for d in rows if d.merged_into_id is not None and d.name in forms}
    return [d for d in rows if d.merged_into_id is not None or d.id not in named_by_retired]


def successor(session: Session, department: Department) -> Department:
    """The unit that answers for `department`: itself, or the unit it was merged into (followed
    to the end: a unit merged into one later merged again)."""
    seen = {department.id}
    while department.merged_into_id is not None:
        department = session.get_one(Department, department.merged_into_id)
        if department.id in seen:  # never written so (merging refuses it); stop rather than loop
            break
        seen.add(department.id)
    return department


def _in_places(department: Department, places: list[str]) -> bool:
    """`places` name the department's place, then (leftwards) places above it, in order."""
    place: Jurisdiction | None = department.jurisdiction
    wanted = list(reversed(places))
    if not wanted or place is None or not same_place(place.name, wanted[0]):
        return False
    for name in wanted[1:]:
        place = place.parent
        while place is not None and not same_place(place.name, name):
            place = place.parent
        if place is None:
            return False
    return True


def same_place(stored: str, written: str) -> bool:
    """`衡水市` or `衡水`; `河北省` or `河北`."""
    return stored == written or (len(written) >= 2 and stored[:-1] == written and stored[-1] in "省市县区")


def matching_departments(session: Session, written: str, *, follow_merges: bool = True) -> list[Department]:
    """Every department `written` can mean (qualified, alias or bare)."""
    places, name = split_written(written)
    if not name or any(not place for place in places):
        return []
    found = _named(session, name, follow_merges=follow_merges)
    if places:
        found = [d for d in found if _in_places(d, places)]
    return found


def resolve_department(
    session: Session, written: str, *, prefer: Collection[int] = (), follow_merges: bool = True
) -> Department:
    """The one department `written` means; `prefer` (ids) settles a name several places share.
    Without `follow_merges` a retired unit's name means the retired unit (see `_named`)."""
    text = (written or "").strip()
    if not text:
        raise DepartmentNameError("请写明部门名称，如 衡水市/市商务局")
    found = matching_departments(session, text, follow_merges=follow_merges)
    if not found:
        raise DepartmentNameError(_not_found(session, text))
    if len(found) == 1:
        return found[0]
    preferred = [d for d in found if d.id in prefer]
    if len(preferred) == 1:
        return preferred[0]
    names = "、".join(qualified_name(d) for d in found)
    raise DepartmentNameError(
        f"「{text}」对应多个部门：{names}。请写明地区，如 {qualified_name(found[0])}", candidates=found
    )


def resolve_departments(session: Session, text: str, *, prefer: Collection[int] = ()) -> list[Department]:
    """Several names separated by 、，, ; or new lines, each resolved; duplicates once, in order."""
    departments: list[Department] = []
    for written in LIST_SEPARATORS.split(text or ""):
        if written.strip():
            department = resolve_department(session, written, prefer=prefer)
            if department not in departments:
                departments.append(department)
    return departments


def _not_found(session: Session, text: str) -> str:
    places, name = split_written(text)
    message = f"找不到部门「{text}」"
    close = _close_matches(session, name) if name else []
    if places and not close:
        close = _named(session, name)
    if close:
        message += "。是否指：" + "、".join(qualified_name(d) for d in close[:SUGGESTIONS])
    return message + "（可写 地区/部门，如 衡水市/市商务局，或部门别名）"


def _close_matches(session: Session, name: str) -> list[Department]:
    """Names that contain what was typed, or that it contains (a short or a long form)."""
    core = name.removeprefix("市").removeprefix("省")
    if len(core) < 2:
        return []
    by_alias = select(DepartmentAlias.department_id).where(DepartmentAlias.alias.contains(core))
    return list(
        session.scalars(
            select(Department)
            .where(or_(Department.name.contains(core), Department.id.in_(by_alias)))
            .where(Department.kind != "unknown", Department.merged_into_id.is_(None))
            .options(selectinload(Department.jurisdiction))
            .order_by(Department.jurisdiction_id, Department.name)
            .limit(SUGGESTIONS)
        )
    )

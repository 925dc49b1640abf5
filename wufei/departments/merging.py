"""A department merged into another (机构改革: 乡村振兴局 into 农业农村局) or renamed, and a mistyped
unit an import created (市生态环镜局) folded into the right one: `wufei depts merge` / `rename`.

What the old unit holds moves to the new one, table by table, decided by what a person expects:
- task and indicator ownerships (`task_departments`, `indicator_departments`) move; a task or
  indicator naming both keeps one link with the stronger role (lead over supporting over
  implementer; of two alike, the first named), with that link's position and the name as
  written (the old name, where the old unit's link is kept), and the links are numbered again in order,
  as a re-import of the document computes them, so that the re-import changes nothing; a task's
  link keeps the earliest day a link of its role was made (`assigned_on`: a lead merged into a
  later supporting link still owes the weeks from its own naming);
- cells (责任部门) and the cell counts a unit leads move;
- weekly reports and indicator values reported move with their versions, evidence and the person
  who filed them: the task's record is one history, and the new unit's liaison must see this
  week's report as filed, its returned ones to refile and its last answers prefilled. Supporting
  units' contributions (配合情况) move too, except one for a task and week the new unit has
  already written, which stays with the old unit (its own text wins, the old one is kept);
- extension requests still pending move (the new unit hears the decision); decided ones stay
  with the unit that asked (history: who asked and what was decided);
- contacts: the new unit's own contact wins; the old one's moves only when the new has none;
- portal accounts bound to the old unit (its liaisons) are bound to the new one;
- notice intents not yet delivered nor resolved move, their key following the unit (`…|dept:<id>`),
  so the next daily scan does not create them again; one the new unit already has is resolved
  as a duplicate instead;
- messages to the old unit that have not reached every address (failed and waiting for a retry,
  given up, or being sent) go to the new unit instead: each is addressed to it (its contacts)
  and written again for it, as on its day (`notify.service.readdress`), and the intents it
  carries move with it; an item the new unit is owed already is left out of it (resolved as a
  duplicate), and a message left with nothing is withdrawn. What each old address answered
  stays in its deliveries;
- messages delivered (`sent`) or perhaps delivered (`unknown`: the office checks with the
  recipient) are sent history and are not rewritten, nor are their deliveries and the audit
  trail; an intent they carried, not resolved, gets a resolved twin under the new unit's key
  (已向原单位发送), so the scan does not send the new unit the same step again. Should the
  office resend an unknown one after the merge, it goes to the new unit (`notify.service.resend`);
- units under the old one (`parent_id`), and units merged into it before, now answer to the new;
- aliases: the old unit's aliases and its name become the new unit's, so a document written with
  the old name lands on the new unit (wufei/departments/naming.py, OwnerResolver);
- open import doubts about the old name (未识别的单位「…」 on a task's or indicator's owners) in
  plans of the old unit's place are marked corrected: the merge is the office's answer to them
  (another place's doubt about the same words is about another unit);
- the old row is retired (`merged_into_id`), kept for the history that names it, hidden from
  lists and never an owner again.

`plan_merge` gathers the rows (nothing written: the dry run); `merge_departments` writes them and
one audit entry. Services take a Session and never commit: the caller's transaction makes it all
or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import and_, delete, exists, null, select, update
from sqlalchemy.orm import Session

from wufei.accounts.models import User
from wufei.audit.service import record
from wufei.cells.models import Cell, CellCount
from wufei.contacts.models import Contact
from wufei.db import utcnow
from wufei.departments.models import Department, DepartmentAlias, DepartmentKind
from wufei.departments.naming import qualified_name, successor
from wufei.doubts.models import DoubtStatus, ImportDoubt
from wufei.extensions.models import Extension, ExtensionStatus
from wufei.indicators.models import IndicatorDepartment, IndicatorReport
from wufei.notices.models import NoticeIntent
from wufei.notify.models import Dispatch, DispatchIntent, DispatchStatus
from wufei.notify.service import UNDELIVERED, readdress, take_over
from wufei.plans.models import Plan
from wufei.reports.models import Report, ReportInput
from wufei.tasks.models import Role, Task, TaskDepartment, task_reference

# The stronger role first: a task naming both units keeps the stronger of their two links.
ROLE_STRENGTH = {Role.LEAD: 0, Role.SUPPORTING: 1, Role.IMPLEMENTER: 2}

OWNER_FIELDS = ("leads", "supporting", "implementers")  # the doubt fields naming owners

# Units that are not one bureau among others: merged only into their like unless the office says so.
KIND_LABELS = {
    DepartmentKind.GROUP: "领导小组（办公室）",
    DepartmentKind.CITY_GOV: "市级人民政府",
    DepartmentKind.COUNTY_GOV: "县（区）人民政府",
}
WHOLE_BODIES = frozenset(KIND_LABELS)

# What moves, in the order it is told (Chinese, for the command's output and the audit entry).
KIND_NAMES = {
    "task_links": "任务责任（牵头、配合、落实）",
    "task_links_merged": "其中两单位同在一项任务、合并为一条",
    "indicator_links": "指标责任",
    "indicator_links_merged": "其中两单位同在一项指标、合并为一条",
    "cells": "无废细胞（责任部门）",
    "cell_counts": "细胞创建数量（牵头）",
    "reports": "周报（含各版本）",
    "report_inputs": "配合情况",
    "report_inputs_kept": "配合情况（新单位同周已填写，原单位的保留不动）",
    "indicator_reports": "指标填报",
    "extensions": "待审批的延期申请",
    "contacts": "联系人",
    "contacts_kept": "联系人（新单位已有，原单位的保留不动）",
    "users": "门户账号",
    "intents": "待发送的提醒",
    "intents_resolved": "待发送的提醒（新单位已有同一提醒，作重复处理）",
    "intents_delivered": "已向原单位发送的提醒（新单位记为已发送，不再重发）",
    "dispatches": "未送达原单位的通知（改发新单位，按新单位重写）",
    "dispatches_withdrawn": "未送达原单位的通知（所载提醒新单位均已有，撤回）",
    "children": "下级单位",
    "aliases": "别名",
    "doubts": "待确认项（原单位名称未识别），标为已更正",
}


class MergeError(ValueError):
    """A merge refused; the message is Chinese."""


@dataclass
class MergePlan:
    """The rows a merge moves (ids per kind) and the tasks it touches, gathered before writing."""

    old: Department
    new: Department
    ids: dict[str, list[int]] = field(default_factory=dict)
    tasks: list[str] = field(default_factory=list)  # 「1.2 title」 of each task whose owners change
    aliases: list[str] = field(default_factory=list)  # names the new unit gains
    # Links of a task or indicator naming both: (old link id, new link id, the stronger's role,
    # position and name as written).
    task_pairs: list[tuple[int, int, Role, int, str | None, date | None]] = field(default_factory=list)
    indicator_pairs: list[tuple[int, int, Role, int, str | None, date | None]] = field(default_factory=list)
    # Undelivered dispatches addressed to the new unit: dispatch id → the intents it keeps.
    readdressed: dict[int, list[int]] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        """Rows per kind, the kinds with none left out."""
        sizes = {**{kind: len(ids) for kind, ids in self.ids.items()}, "aliases": len(self.aliases)}
        return {kind: sizes[kind] for kind in KIND_NAMES if sizes.get(kind)}

    def lines(self) -> list[str]:
        """What moves, in Chinese, one line a kind, then the tasks named."""
        lines = [f"「{qualified_name(self.old)}」并入「{qualified_name(self.new)}」："]
        counts = self.counts
        if not counts:
            lines.append("  原单位名下没有任务、指标、报送、联系人或账号")
        lines += [f"  {KIND_NAMES[kind]}：{n} 条" for kind, n in counts.items()]
        if self.tasks:
            lines.append(f"  涉及任务 {len(self.tasks)} 项：")
            lines += [f"    {name}" for name in self.tasks]
        lines.append(
            f"  「{self.old.name}」作为「{self.new.name}」的别名保留；原单位停用，不再列出，不能再作为责任单位"
        )
        return lines


def plan_merge(
    session: Session, old: Department, new: Department, *, across_places: bool = False, across_kinds: bool = False
) -> MergePlan:
    """What merging `old` into `new` would move; nothing is written. Refused (MergeError) when
    the two are one unit, one of them is retired, the target is an unknown unit (the arguments
    swapped, most likely), a leadership group or a government would go into a unit of another kind
    and the office did not say so (`across_kinds`), or they belong to two places and the office
    did not say so (`across_places`)."""
    if old.id == new.id:
        raise MergeError(f"「{qualified_name(old)}」与「{qualified_name(new)}」是同一单位，不能并入自身")
    for unit in (old, new):
        if unit.merged_into_id is not None:
            into = session.get_one(Department, unit.merged_into_id)
            raise MergeError(f"「{qualified_name(unit)}」已并入「{qualified_name(into)}」，已停用")
    if new.kind == DepartmentKind.UNKNOWN:
        raise MergeError(
            f"「{qualified_name(new)}」是待核实的未知单位，不能作为并入的目标；"
            f"如要将「{new.name}」并入「{old.name}」，请交换两者的顺序"
        )
    if old.kind in WHOLE_BODIES and new.kind != old.kind and not across_kinds:
        raise MergeError(
            f"「{qualified_name(old)}」是{KIND_LABELS[old.kind]}，「{qualified_name(new)}」不是同类单位；"
            "确需合并，请加 --across-kinds"
        )
    if old.jurisdiction_id != new.jurisdiction_id and not across_places:
        raise MergeError(
            f"「{qualified_name(old)}」与「{qualified_name(new)}」属于不同地区；确需跨地区合并，请加 --across-places"
        )
    sending = session.scalars(
        select(Dispatch.id).where(
            Dispatch.department_id == old.id,
            Dispatch.status == DispatchStatus.CLAIMED,
            Dispatch.next_attempt_at > utcnow(),
        )
    ).all()
    if sending:  # a run holds them under a live lease: what it sends and records was read before the merge
        raise MergeError(
            f"「{qualified_name(old)}」有{len(sending)}条提醒正在发送，请待本次发送结束（至多10分钟）后再合并"
        )
    plan = MergePlan(old, new)
    plan.task_pairs, merged_tasks = _pairs(session, TaskDepartment, TaskDepartment.task_id, old, new)
    plan.indicator_pairs, merged_indicators = _pairs(
        session, IndicatorDepartment, IndicatorDepartment.indicator_id, old, new
    )
    ids = plan.ids
    ids["task_links"] = _ids(session, TaskDepartment.id, TaskDepartment.department_id == old.id)
    ids["task_links_merged"] = merged_tasks
    ids["indicator_links"] = _ids(session, IndicatorDepartment.id, IndicatorDepartment.department_id == old.id)
    ids["indicator_links_merged"] = merged_indicators
    ids["cells"] = _ids(session, Cell.id, Cell.department_id == old.id)
    ids["cell_counts"] = _ids(session, CellCount.id, CellCount.lead_department_id == old.id)
    ids["reports"] = _ids(session, Report.id, Report.department_id == old.id)
    written_by_new = exists().where(
        ReportInput.department_id == new.id,
        ReportInput.task_id == _other_input.task_id,
        ReportInput.week_start == _other_input.week_start,
    )
    ids["report_inputs"] = _ids(session, _other_input.id, _other_input.department_id == old.id, ~written_by_new)
    ids["report_inputs_kept"] = _ids(session, _other_input.id, _other_input.department_id == old.id, written_by_new)
    ids["indicator_reports"] = _ids(session, IndicatorReport.id, IndicatorReport.department_id == old.id)
    ids["extensions"] = _ids(
        session, Extension.id, Extension.department_id == old.id, Extension.status == ExtensionStatus.PENDING
    )
    has_contact = session.scalar(select(Contact.id).where(Contact.department_id == new.id)) is not None
    ids["contacts_kept" if has_contact else "contacts"] = _ids(session, Contact.id, Contact.department_id == old.id)
    ids["users"] = _ids(session, User.id, User.department_id == old.id)
    plan.readdressed, ids["dispatches_withdrawn"], carried, duplicates = _undelivered(session, old, new)
    ids["dispatches"] = sorted(plan.readdressed)
    ids["intents"], ids["intents_resolved"], ids["intents_delivered"] = _intents(session, old, new, carried)
    ids["intents"] = sorted([*ids["intents"], *(i for kept in plan.readdressed.values() for i in kept)])
    ids["intents_resolved"] = sorted([*ids["intents_resolved"], *duplicates])
    ids["children"] = _ids(
        session, Department.id, (Department.parent_id == old.id) | (Department.merged_into_id == old.id)
    )
    have = set(session.scalars(select(DepartmentAlias.alias).where(DepartmentAlias.department_id == new.id)))
    have.add(new.name)
    old_aliases = session.scalars(
        select(DepartmentAlias.alias).where(DepartmentAlias.department_id == old.id).order_by(DepartmentAlias.alias)
    )
    plan.aliases = [a for a in dict.fromkeys([old.name, *old_aliases]) if a not in have]
    ids["doubts"] = _ids(
        session,
        ImportDoubt.id,
        ImportDoubt.plan_id.in_(select(Plan.id).where(Plan.jurisdiction_id == old.jurisdiction_id)),
        ImportDoubt.status == DoubtStatus.OPEN,
        ImportDoubt.field.in_(OWNER_FIELDS),
        ImportDoubt.message.contains(f"「{old.name}」", autoescape=True),
    )
    plan.tasks = _task_names(session, old)
    return plan


def merge_departments(
    session: Session,
    old: Department,
    new: Department,
    *,
    actor: str,
    on: date,
    across_places: bool = False,
    across_kinds: bool = False,
) -> MergePlan:
    """Merge `old` into `new` (see the module's docstring) and write one audit entry naming both
    and the counts; `on` is the day intents resolved as duplicates are resolved on. Returns what
    moved. The caller commits: a failure anywhere leaves nothing half done."""
    plan = plan_merge(session, old, new, across_places=across_places, across_kinds=across_kinds)
    ids = plan.ids
    session.flush()
    _merge_pairs(session, TaskDepartment, TaskDepartment.task_id, plan.task_pairs)
    _merge_pairs(session, IndicatorDepartment, IndicatorDepartment.indicator_id, plan.indicator_pairs)
    for link in (TaskDepartment, IndicatorDepartment):
        # The name as written stays the old one's (what a re-import of the document records).
        session.execute(
            update(link)
            .where(link.department_id == old.id, link.source_name.is_(None))
            .values(source_name=old.name)
            .execution_options(synchronize_session=False)
        )
    moves: list[tuple[Any, Any, str]] = [
        (TaskDepartment, TaskDepartment.department_id, "task_links"),
        (IndicatorDepartment, IndicatorDepartment.department_id, "indicator_links"),
        (Cell, Cell.department_id, "cells"),
        (CellCount, CellCount.lead_department_id, "cell_counts"),
        (Report, Report.department_id, "reports"),
        (ReportInput, ReportInput.department_id, "report_inputs"),
        (IndicatorReport, IndicatorReport.department_id, "indicator_reports"),
        (Extension, Extension.department_id, "extensions"),
        (Contact, Contact.department_id, "contacts"),
        (User, User.department_id, "users"),
    ]
    for model, column, kind in moves:
        _move(session, model, column, ids.get(kind, []), new.id)
    _renumber(session, TaskDepartment, TaskDepartment.task_id, [p[1] for p in plan.task_pairs])
    _renumber(session, IndicatorDepartment, IndicatorDepartment.indicator_id, [p[1] for p in plan.indicator_pairs])
    _move_intents(session, old, new, ids["intents"], ids["intents_resolved"], on=on)
    _mark_delivered(session, old, new, ids["intents_delivered"], on=on)
    undelivered = [*plan.readdressed, *ids["dispatches_withdrawn"]]
    if len(take_over(session, undelivered)) < len(undelivered):  # a run took one since plan_merge read it
        raise MergeError(f"「{qualified_name(old)}」有提醒刚开始发送，请待本次发送结束（至多10分钟）后再合并")
    for dispatch_id, kept in plan.readdressed.items():
        readdress(session, dispatch_id, new, intent_ids=kept)
    for chunk in _chunks(ids["dispatches_withdrawn"]):
        session.execute(
            update(Dispatch)
            .where(Dispatch.id.in_(chunk))
            .values(status=DispatchStatus.WITHDRAWN, next_attempt_at=None, holder=None)
            .execution_options(synchronize_session=False)
        )
    for chunk in _chunks(ids["children"]):
        session.execute(
            update(Department)
            .where(Department.id.in_(chunk), Department.parent_id == old.id)
            .values(parent_id=new.id)
            .execution_options(synchronize_session=False)
        )
        session.execute(
            update(Department)
            .where(Department.id.in_(chunk), Department.merged_into_id == old.id)
            .values(merged_into_id=new.id)
            .execution_options(synchronize_session=False)
        )
    session.execute(delete(DepartmentAlias).where(DepartmentAlias.department_id == old.id))
    session.add_all(DepartmentAlias(department_id=new.id, alias=alias) for alias in plan.aliases)
    old.merged_into_id = new.id
    session.flush()
    # Settled here, told once in the merge's audit entry (not an entry each, as `wufei doubts` writes).
    for chunk in _chunks(ids["doubts"]):
        session.execute(
            update(ImportDoubt)
            .where(ImportDoubt.id.in_(chunk))
            .values(
                status=DoubtStatus.CORRECTED,
                decided_by=actor[:200],
                decided_at=utcnow(),
                note=f"「{qualified_name(old)}」已并入「{qualified_name(new)}」",
            )
            .execution_options(synchronize_session=False)
        )
    session.expire_all()  # the bulk updates bypassed the objects in the session
    record(
        session,
        actor=actor,
        action="merge",
        entity="departments",
        entity_id=plan.old.id,
        entity_key=f"{qualified_name(plan.old)} → {qualified_name(plan.new)}",
        changes={
            "merged_into": [None, qualified_name(plan.new)],
            "counts": {KIND_NAMES[kind]: n for kind, n in plan.counts.items()},
            "tasks": plan.tasks,
        },
        source="wufei depts merge",
    )
    return plan


def rename_department(session: Session, department: Department, name: str, *, actor: str) -> str:
    """Give a unit its new name (机构改革 renaming it, nothing merged); the old name stays an alias,
    so documents written with it still land on the unit. Returns the old name. A name another
    unit of the place already bears is refused: that is a merge."""
    name = name.strip()
    place, slash, bare = name.rpartition("/")
    if slash:  # written as units are (洋县/县教育体育局): the unit's own place is read off
        here = department.jurisdiction.name
        if place.strip() != here:
            raise MergeError(
                f"更名不改变单位所属地区：「{qualified_name(department)}」属「{here}」，"
                f"新名称请写「{bare.strip()}」或「{here}/{bare.strip()}」"
            )
        name = bare.strip()
    if not name:
        raise MergeError("请写明新名称")
    if department.merged_into_id is not None:
        into = session.get_one(Department, department.merged_into_id)
        raise MergeError(f"「{qualified_name(department)}」已并入「{qualified_name(into)}」，已停用")
    if name == department.name:
        raise MergeError(f"「{qualified_name(department)}」的名称已是「{name}」")
    bearer = session.scalar(
        select(Department).where(Department.jurisdiction_id == department.jurisdiction_id, Department.name == name)
    )
    if bearer is None:  # a unit of the place known by that name (retired ones too): the same clash
        bearer = session.scalar(
            select(Department)
            .join(DepartmentAlias, DepartmentAlias.department_id == Department.id)
            .where(
                Department.jurisdiction_id == department.jurisdiction_id,
                DepartmentAlias.alias == name,
                Department.id != department.id,
            )
            .order_by(Department.id)
            .limit(1)
        )
    if bearer is not None:
        known = "已有单位" if bearer.name == name else f"单位「{bearer.name}」又称"
        raise MergeError(
            f"{department.jurisdiction.name}{known}「{name}」：如两单位合并，请用 "
            f"wufei depts merge {qualified_name(department)} {qualified_name(successor(session, bearer))}"
        )
    old_name = department.name
    for link in (TaskDepartment, IndicatorDepartment):
        # The documents wrote the old name: recorded as written, as a re-import records it.
        session.execute(
            update(link)
            .where(link.department_id == department.id, link.source_name.is_(None))
            .values(source_name=old_name)
            .execution_options(synchronize_session=False)
        )
    have = {a.alias for a in department.aliases}
    department.name = name
    for alias in (a for a in department.aliases if a.alias == name):
        department.aliases.remove(alias)  # its own name is no alias
    if old_name not in have:
        department.aliases.append(DepartmentAlias(alias=old_name))
    session.flush()
    record(
        session,
        actor=actor,
        action="rename",
        entity="departments",
        entity_id=department.id,
        entity_key=qualified_name(department),
        changes={"name": [old_name, name]},
        source="wufei depts rename",
    )
    return old_name


# --- internals --------------------------------------------------------------------------------

_other_input = ReportInput.__table__.alias("other_input").c  # the old unit's contributions, beside the new's
IN_CHUNK = 5000


def _chunks(ids: list[Any]) -> list[list[Any]]:
    return [ids[i : i + IN_CHUNK] for i in range(0, len(ids), IN_CHUNK)]


def _ids(session: Session, column: Any, *where: Any) -> list[int]:
    return list(session.scalars(select(column).where(*where).order_by(column)))


def _pairs(
    session: Session, link: Any, owner: Any, old: Department, new: Department
) -> tuple[list[tuple[int, int, Role, int, str | None, date | None]], list[int]]:
    """Links of the tasks (indicators) naming both units: the old link, the new link, and the
    stronger one's role, position and name as written (the old one's written name when it had
    none: the name the document used), and, for a task's links (`assigned_on`), the earliest day
    a link of that role was made: the merged unit has held the role since (a lead of September
    merged into a supporting unit of December owes the weeks from September; a supporting link's
    older day gives a lead no earlier weeks). NULL, as printed in the plan, is the earliest."""
    theirs = link.__table__.alias("theirs")
    dated = hasattr(link, "assigned_on")
    rows = session.execute(
        select(
            link.id,
            link.role,
            link.position,
            link.source_name,
            link.assigned_on if dated else null(),
            theirs.c.id,
            theirs.c.role,
            theirs.c.position,
            theirs.c.source_name,
            theirs.c.assigned_on if dated else null(),
        )
        .join(theirs, and_(owner == theirs.c[owner.key], theirs.c.department_id == new.id))
        .where(link.department_id == old.id)
        .order_by(link.id)
    ).all()
    pairs = []
    for row in rows:
        old_id, old_role, old_position, old_written, old_on, new_id, new_role, new_position, new_written, new_on = row
        # The stronger role, or the first named of two alike: the link a re-import would keep.
        if (ROLE_STRENGTH[Role(old_role)], old_position) < (ROLE_STRENGTH[Role(new_role)], new_position):
            role, position, written = Role(old_role), old_position, old_written or old.name
        else:
            role, position, written = Role(new_role), new_position, new_written
        days = [day for r, day in ((old_role, old_on), (new_role, new_on)) if Role(r) == role]
        since = None if None in days else min(days)
        pairs.append((old_id, new_id, role, position, written, since))
    return pairs, [p[0] for p in pairs]


def _merge_pairs(
    session: Session, link: Any, owner: Any, pairs: list[tuple[int, int, Role, int, str | None, date | None]]
) -> None:
    """Each pair's old link deleted, the new one given the stronger role, position and name (and,
    a task's, the day that role was first held: `_pairs`)."""
    for old_id, new_id, role, position, written, since in pairs:
        session.execute(delete(link).where(link.id == old_id))
        values: dict[str, Any] = {"role": role, "position": position, "source_name": written}
        if hasattr(link, "assigned_on"):
            values["assigned_on"] = since
        session.execute(
            update(link).where(link.id == new_id).values(values).execution_options(synchronize_session=False)
        )


def _renumber(session: Session, link: Any, owner: Any, kept_ids: list[int]) -> None:
    """The links of each task (indicator) that lost one numbered 0, 1, 2 … in their order."""
    if not kept_ids:
        return
    owners = select(owner).where(link.id.in_(kept_ids))
    rows = session.execute(
        select(link.id, owner, link.position).where(owner.in_(owners)).order_by(owner, link.position, link.id)
    ).all()
    counters: dict[int, int] = {}
    for link_id, owner_id, position in rows:
        wanted = counters.get(owner_id, 0)
        counters[owner_id] = wanted + 1
        if position != wanted:
            session.execute(
                update(link)
                .where(link.id == link_id)
                .values(position=wanted)
                .execution_options(synchronize_session=False)
            )


def _move(session: Session, model: Any, column: Any, ids: list[int], new_id: int) -> None:
    for chunk in _chunks(ids):
        session.execute(
            update(model)
            .where(model.id.in_(chunk))
            .values({column.key: new_id})
            .execution_options(synchronize_session=False)
        )


def _undelivered(
    session: Session, old: Department, new: Department
) -> tuple[dict[int, list[int]], list[int], set[int], list[int]]:
    """The old unit's dispatches not delivered to every address (`UNDELIVERED`), by what they
    carry: dispatch → the intents it keeps (the new unit is not owed their step yet: they move
    with it); the dispatches that keep none (withdrawn); every intent they carry; and the carried
    intents not resolved whose step the new unit is owed already (resolved as duplicates)."""
    rows = session.execute(
        select(Dispatch.id, NoticeIntent.id, NoticeIntent.key, NoticeIntent.resolved_on)
        .join(DispatchIntent, DispatchIntent.dispatch_id == Dispatch.id)
        .join(NoticeIntent, NoticeIntent.id == DispatchIntent.intent_id)
        .where(Dispatch.department_id == old.id, Dispatch.status.in_(UNDELIVERED))
        .order_by(Dispatch.id, NoticeIntent.id)
    ).all()
    taken = _taken(session, [_moved_key(key, old.id, new.id) for _, _, key, _ in rows])
    kept: dict[int, list[int]] = {}
    duplicates = []
    for dispatch_id, intent_id, key, resolved_on in rows:
        items = kept.setdefault(dispatch_id, [])
        if _moved_key(key, old.id, new.id) not in taken:
            items.append(intent_id)
        elif resolved_on is None:
            duplicates.append(intent_id)
    readdressed = {dispatch_id: items for dispatch_id, items in kept.items() if items}
    withdrawn = [dispatch_id for dispatch_id, items in kept.items() if not items]
    return readdressed, withdrawn, {row[1] for row in rows}, duplicates


def _taken(session: Session, keys: list[str]) -> set[str]:
    taken: set[str] = set()
    for chunk in _chunks(keys):
        taken |= set(session.scalars(select(NoticeIntent.key).where(NoticeIntent.key.in_(chunk))))
    return taken


def _intents(
    session: Session, old: Department, new: Department, carried: set[int]
) -> tuple[list[int], list[int], list[int]]:
    """The old unit's intents not resolved, except those `carried` by an undelivered dispatch
    (`_undelivered`): those not yet delivered to move, those the new unit already has under its
    own key (duplicates, resolved instead), and those delivered whose key the new unit lacks (a
    resolved twin marks them sent)."""
    rows = session.execute(
        select(NoticeIntent.id, NoticeIntent.key, exists().where(DispatchIntent.intent_id == NoticeIntent.id))
        .where(NoticeIntent.department_id == old.id, NoticeIntent.resolved_on.is_(None))
        .order_by(NoticeIntent.id)
    ).all()
    wanted = {
        intent_id: (_moved_key(key, old.id, new.id), bool(sent))
        for intent_id, key, sent in rows
        if intent_id not in carried
    }
    taken = _taken(session, [key for key, _ in wanted.values()])
    move = [intent_id for intent_id, (key, sent) in wanted.items() if not sent and key not in taken]
    duplicate = [intent_id for intent_id, (key, sent) in wanted.items() if not sent and key in taken]
    delivered = [intent_id for intent_id, (key, sent) in wanted.items() if sent and key not in taken]
    return move, duplicate, delivered


def _moved_key(key: str, old_id: int, new_id: int) -> str:
    """`…|dept:45` → `…|dept:46`: the key the scan gives the new unit's intent."""
    suffix = f"|dept:{old_id}"
    return key[: -len(suffix)] + f"|dept:{new_id}" if key.endswith(suffix) else key


def _move_intents(
    session: Session, old: Department, new: Department, move: list[int], duplicate: list[int], *, on: date
) -> None:
    for chunk in _chunks(move):
        for intent_id, key in session.execute(
            select(NoticeIntent.id, NoticeIntent.key).where(NoticeIntent.id.in_(chunk))
        ).all():
            session.execute(
                update(NoticeIntent)
                .where(NoticeIntent.id == intent_id)
                .values(department_id=new.id, key=_moved_key(key, old.id, new.id))
                .execution_options(synchronize_session=False)
            )
    for chunk in _chunks(duplicate):
        session.execute(
            update(NoticeIntent)
            .where(NoticeIntent.id.in_(chunk))
            .values(resolved_on=on, resolution=f"单位已并入{new.name}，与其提醒重复")
            .execution_options(synchronize_session=False)
        )


def _mark_delivered(session: Session, old: Department, new: Department, delivered: list[int], *, on: date) -> None:
    """A resolved twin of each delivered intent under the new unit's key: the scan finds the key
    taken and does not send the new unit a step the old one already received."""
    for chunk in _chunks(delivered):
        for intent in session.scalars(select(NoticeIntent).where(NoticeIntent.id.in_(chunk)).order_by(NoticeIntent.id)):
            session.add(
                NoticeIntent(
                    key=_moved_key(intent.key, old.id, new.id),
                    kind=intent.kind,
                    step=intent.step,
                    audience=intent.audience,
                    department_id=new.id,
                    task_id=intent.task_id,
                    period=intent.period,
                    created_on=intent.created_on,
                    payload=intent.payload,
                    resolved_on=on,
                    resolution=f"已向原单位{old.name}发送",
                )
            )
    session.flush()


def _task_names(session: Session, old: Department) -> list[str]:
    rows = session.execute(
        select(Task.list_kind, Task.number, Task.title)
        .join(TaskDepartment, TaskDepartment.task_id == Task.id)
        .where(TaskDepartment.department_id == old.id)
        .order_by(Task.plan_id, Task.id)
    ).all()
    return [f"{task_reference(kind, number)} {title}".strip() for kind, number, title in rows]

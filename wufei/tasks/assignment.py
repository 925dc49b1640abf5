"""Owner assignment (指定牵头单位) for tasks the plans left without one (各相关部门, main tasks).

The office names one or more lead departments, and optionally supporting ones; the task then
stops waiting (`awaiting_assignment` false) and enters the cadence: it reports weekly and gets
a light, and the doubts about its owners are settled (已更正). A department named (or made lead)
here is responsible from the day of the naming (`TaskDepartment.assigned_on`): it owes the weeks
from then on, not those since the plan began. Only tasks still waiting may be
assigned here; owners printed in the plan are changed by re-importing a corrected file.
Services take a Session and never commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from wufei.audit.service import record
from wufei.departments.models import Department
from wufei.doubts.models import RecordType
from wufei.doubts.service import close_field_doubts
from wufei.tasks.models import Role, Task, TaskDepartment


class AssignmentError(ValueError):
    """An assignment that cannot be made; the message is Chinese."""


def tasks_awaiting_owner(session: Session) -> list[Task]:
    return list(
        session.scalars(
            select(Task)
            .where(Task.awaiting_assignment.is_(True))
            .options(selectinload(Task.plan), selectinload(Task.assignments).selectinload(TaskDepartment.department))
            .order_by(Task.plan_id, Task.id)
        )
    )


def assign_owners(
    session: Session,
    *,
    task_id: int,
    lead_ids: Iterable[int],
    supporting_ids: Iterable[int] = (),
    actor: str,
    on: date,
) -> Task:
    """Name the lead (and supporting) departments of a task waiting for them, on the day `on`."""
    task = session.get(Task, task_id, options=[selectinload(Task.assignments)])
    if task is None:
        raise AssignmentError(f"找不到任务 {task_id}")
    if not task.awaiting_assignment:
        raise AssignmentError(f"任务[{task.id}]「{task.title}」已有牵头单位，不在待指定之列")
    leads = list(dict.fromkeys(lead_ids))
    supporting = [d for d in dict.fromkeys(supporting_ids) if d not in leads]
    if not leads:
        raise AssignmentError("请至少指定一个牵头单位")
    found = {d.id: d for d in session.scalars(select(Department).where(Department.id.in_(leads + supporting)))}
    missing = [d for d in leads + supporting if d not in found]
    if missing:
        raise AssignmentError(f"找不到部门：{'、'.join(map(str, missing))}")
    retired = [d for d in found.values() if d.merged_into_id is not None]
    if retired:  # merged into another unit (wufei depts merge): never an owner again
        raise AssignmentError(f"单位已停用（已并入其他单位）：{'、'.join(d.name for d in retired)}")

    existing = {a.department_id: a for a in task.assignments}
    position = max((a.position for a in task.assignments), default=-1) + 1
    for role, ids in ((Role.LEAD, leads), (Role.SUPPORTING, supporting)):
        for department_id in ids:
            link = existing.get(department_id)
            if link is None:
                task.assignments.append(
                    TaskDepartment(
                        department_id=department_id,
                        role=Role(role),
                        position=position,
                        source_name=found[department_id].name,
                        assigned_on=on,
                    )
                )
                position += 1
            elif link.role != role:
                link.role, link.assigned_on = Role(role), on
    task.awaiting_assignment = False
    session.flush()
    record(
        session,
        actor=actor,
        action="update",
        entity="tasks",
        entity_id=task.id,
        entity_key=f"task:{task.id}",
        changes={
            "awaiting_assignment": [True, False],
            "leads": [None, [found[d].name for d in leads]],
            "supporting": [None, [found[d].name for d in supporting]],
            "assigned_on": [None, on.isoformat()],
        },
        source="assign owners",
    )
    named = "、".join(found[d].name for d in leads)
    close_field_doubts(
        session,
        record_type=RecordType.TASK,
        record_id=task.id,
        fields=("leads", "supporting") if supporting else ("leads",),
        note=f"办公室指定牵头单位：{named}",
        actor=actor,
    )
    return task

"""Owner assignment (wufei/tasks/assignment.py), the service behind the office's 指定牵头单位 page."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.seed_files import HENGSHUI_PLAN
from wufei.audit.models import AuditEntry
from wufei.departments.models import Department
from wufei.reports.service import open_tasks
from wufei.tasks.assignment import AssignmentError, assign_owners, tasks_awaiting_owner
from wufei.tasks.models import Role


def test_an_assigned_task_enters_the_cadence_and_cannot_be_assigned_twice(session, load):
    load(HENGSHUI_PLAN)
    waiting = tasks_awaiting_owner(session)
    assert waiting, "the Hengshui plan's main tasks wait for an owner"
    task = waiting[0]
    lead, helper = session.scalars(
        select(Department).where(Department.name.in_(["市生态环境局", "市商务局"])).order_by(Department.name.desc())
    ).all()[:2]
    assert task.id not in {t.id for t in open_tasks(session, as_of=task.plan.issued_on)}

    assign_owners(
        session,
        task_id=task.id,
        lead_ids=[lead.id],
        supporting_ids=[helper.id, lead.id],
        actor="web:office",
        on=date(2024, 6, 3),
    )

    assert not task.awaiting_assignment
    assert {(a.department_id, a.role) for a in task.assignments} >= {(lead.id, Role.LEAD), (helper.id, Role.SUPPORTING)}
    assert task.id in {t.id for t in open_tasks(session, as_of=task.plan.issued_on, department_id=lead.id)}
    entry = session.scalar(
        select(AuditEntry).where(
            AuditEntry.entity == "tasks", AuditEntry.entity_id == task.id, AuditEntry.source == "assign owners"
        )
    )
    assert entry.actor == "web:office" and entry.changes["leads"] == [None, [lead.name]]
    with pytest.raises(AssignmentError, match="已有牵头单位"):
        assign_owners(session, task_id=task.id, lead_ids=[lead.id], actor="web:office", on=date(2024, 6, 3))
    with pytest.raises(AssignmentError, match="至少指定一个牵头单位"):
        assign_owners(session, task_id=waiting[1].id, lead_ids=[], actor="web:office", on=date(2024, 6, 3))

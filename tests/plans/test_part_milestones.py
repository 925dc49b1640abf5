"""The earlier deadlines of a task's parts printed apart (one row per unit) become its milestones at import, named
by the units whose part it is; the latest is the task's due date (the reader's side:
tests/importers/test_unit_part_milestones.py)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tests.importers.test_unit_part_milestones import split_task_document
from wufei.importers.service import load_source, read_source
from wufei.tasks.models import Milestone, Task


def test_the_earlier_parts_deadlines_become_document_milestones(session, registry, tmp_path):
    path = split_task_document(tmp_path / "分工表.docx")
    [summary], _ = load_source(session, read_source(path), registry=registry, actor="test", path=str(path))
    session.flush()
    task = session.scalar(select(Task).where(Task.plan_id == summary.plan_id, Task.number == "1"))
    assert task.due_date == date(2025, 10, 31)
    milestones = session.scalars(select(Milestone).where(Milestone.task_id == task.id).order_by(Milestone.due_date))
    assert [(m.due_date, m.title, m.source) for m in milestones] == [
        (date(2025, 5, 31), "市经信局：2025年5月底前", "document"),
        (date(2025, 8, 31), "市生态环境局：2025年8月底前", "document"),
    ]
    single = session.scalar(select(Task).where(Task.plan_id == summary.plan_id, Task.number == "2"))
    assert (
        session.scalars(select(Milestone).where(Milestone.task_id == single.id, Milestone.source == "document")).all()
        == []
    )

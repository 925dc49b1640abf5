"""The Hengshui plan (衡政办字〔2022〕57号, issued 2022-10-07), imported once for the run
(`hengshui_session`, tests/conftest.py); each test still runs in a transaction that is rolled
back, so the tests share the import and never each other's rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.rules import CADENCE
from wufei.calendar.workdays import WorkCalendar
from wufei.departments.models import Department
from wufei.plans.models import Plan
from wufei.tasks.models import Role, Task

SHANGHAI = ZoneInfo("Asia/Shanghai")
W23 = date(2024, 6, 3)  # 2024年第23周, due Friday 7 June 17:00


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), SHANGHAI)


@dataclass
class Hengshui:
    plan: Plan
    ecology: Department  # 市生态环境局
    approvals: Department  # 市行政审批局, supporting on `task`
    task: Task  # 监管体系 3 严把环境准入关, led by 市生态环境局
    other: Task  # another task 市生态环境局 leads
    foreign: Task  # a task 市生态环境局 neither leads nor supports

    def led_by_ecology(self) -> list[Task]:
        return [
            t
            for t in self._tasks
            if any(a.role == Role.LEAD and a.department_id == self.ecology.id for a in t.assignments)
        ]


@pytest.fixture
def session(hengshui_session) -> Session:
    return hengshui_session


@pytest.fixture
def hengshui(session) -> Hengshui:
    plan = session.scalar(select(Plan).where(Plan.doc_number == "衡政办字〔2022〕57号"))
    tasks = list(session.scalars(select(Task).where(Task.plan_id == plan.id).order_by(Task.id)))

    def leads(task):
        return [a.department.name for a in task.assignments if a.role == Role.LEAD]

    task = next(t for t in tasks if t.list_kind == "regulation" and t.number == "3")
    assert task.title.startswith("严把环境准入关") and leads(task) == ["市生态环境局"]
    other = next(t for t in tasks if t.list_kind == "regulation" and t.number == "4")
    foreign = next(
        t
        for t in tasks
        if leads(t)
        and "市生态环境局" not in leads(t)
        and all(a.department.name != "市生态环境局" for a in t.assignments)
    )
    ecology = next(a.department for a in task.assignments if a.role == Role.LEAD)
    approvals = next(a.department for a in task.assignments if a.department.name == "市行政审批局")
    result = Hengshui(plan, ecology, approvals, task, other, foreign)
    result._tasks = tasks
    return result


@pytest.fixture(scope="session")
def cadence():
    return CADENCE


@pytest.fixture
def calendar() -> WorkCalendar:
    return WorkCalendar()


@pytest.fixture(autouse=True)
def evidence_dir(tmp_path, monkeypatch):
    directory = tmp_path / "evidence"
    monkeypatch.setenv("WUFEI_EVIDENCE_DIR", str(directory))
    return directory

"""Figures read set-based: the number of statements does not grow with the tasks. (Their speed
for a city of 300 tasks and five years of reports is measured in bench/monthly_bulletin.py.)"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, insert, select

from tests.cadence import figures as F
from tests.cadence.test_figures import CADENCE, CAL, RULES
from wufei.departments.models import Department
from wufei.plans.models import Jurisdiction, Plan
from wufei.reports.models import Report
from wufei.tasks.models import Task, TaskDepartment

SHANGHAI = ZoneInfo("Asia/Shanghai")
ISSUED = date(2023, 1, 2)


def build_city(session, tasks: int, *, weeks: int) -> None:
    """`tasks` tasks over ten bureaus and two counties (each task supported by a county), every
    one reporting at 09:00 on the Thursday of each of the first `weeks` weeks (every tenth task
    skips every fifth week); one task in seven due in 2023 and done, one in eleven overdue."""
    place = Jurisdiction(name="衡水市", level="city")
    session.add(place)
    plan = Plan(
        jurisdiction=place,
        title="衡水市规模测试方案",
        kind="plan",
        issued_on=ISSUED,
        period_start=2023,
        period_end=2025,
    )
    session.add(plan)
    bureaus = [Department(jurisdiction=place, name=f"市测试局{n}", kind="bureau") for n in range(10)]
    counties = [Department(jurisdiction=place, name=f"测试县{n}人民政府", kind="county_gov") for n in range(2)]
    session.add_all(bureaus + counties)
    session.flush()
    rows = []
    for n in range(tasks):
        due = date(2023, 3 + n % 9, 10) if n % 7 == 0 or n % 11 == 0 else date(2025, 12, 31)
        done = due - timedelta(days=3) if n % 7 == 0 else None
        rows.append(
            {
                "plan_id": plan.id,
                "list_kind": "main",
                "number": str(n + 1),
                "title": f"规模任务{n + 1}",
                "deadline_kind": "fixed",
                "deadline_raw": due.isoformat(),
                "due_date": due,
                "completed_on": done,
                "awaiting_assignment": False,
            }
        )
    session.execute(insert(Task), rows)
    ids = list(session.scalars(select(Task.id).where(Task.plan_id == plan.id).order_by(Task.id)))
    session.execute(
        insert(TaskDepartment),
        [
            {"task_id": task_id, "department_id": bureaus[n % 10].id, "role": "lead", "position": 0}
            for n, task_id in enumerate(ids)
        ]
        + [
            {"task_id": task_id, "department_id": counties[n % 2].id, "role": "supporting", "position": 1}
            for n, task_id in enumerate(ids)
        ],
    )
    reports = []
    for week in range(weeks):
        monday = ISSUED + timedelta(weeks=week)
        at = datetime.combine(monday + timedelta(days=3), clock(9), tzinfo=SHANGHAI).astimezone(UTC)
        for n, task_id in enumerate(ids):
            if n % 10 == 0 and week % 5 == 0:
                continue
            reports.append(
                {
                    "task_id": task_id,
                    "department_id": bureaus[n % 10].id,
                    "week_start": monday,
                    "version": 1,
                    "progress": min(100, 5 + week),
                    "submitted_at": at,
                    "submitted_by": "测试",
                    "late": False,
                    "status": "submitted",
                }
            )
    if reports:
        session.execute(insert(Report), reports)
    session.flush()


def statements(session, compute) -> int:
    count = 0

    def counter(*_args):
        nonlocal count
        count += 1

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", counter)
    try:
        compute()
    finally:
        event.remove(engine, "before_cursor_execute", counter)
    return count


def monthly(session):
    return F.monthly_figures(
        session,
        period="2023-05",
        as_of=date(2023, 6, 5),
        calendar=CAL,
        jurisdiction="衡水市",
        cadence=CADENCE,
        light_rules=RULES,
    )


def annual(session):
    return F.annual_figures(
        session,
        period="2023",
        as_of=date(2024, 1, 22),
        calendar=CAL,
        jurisdiction="衡水市",
        cadence=CADENCE,
        light_rules=RULES,
    )


@pytest.mark.parametrize("compute", [monthly, annual], ids=["monthly", "annual"])
def test_the_number_of_statements_does_not_grow_with_the_tasks(session, compute):
    build_city(session, 12, weeks=6)
    few = statements(session, lambda: compute(session))
    session.rollback()
    build_city(session, 60, weeks=6)
    many = statements(session, lambda: compute(session))
    assert many == few

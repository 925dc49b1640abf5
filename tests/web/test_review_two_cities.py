"""The review queue with two cities' plans: units of one name in both (市住房和城乡建设局 of 衡水 and of
保定) are told apart by their qualified names, in the 部门 filter and on the cards (review23a)."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from sqlalchemy import select

from tests.rules import RULESET
from tests.seed_files import BAODING_PLAN
from tests.web.conftest import sign_in, started_server
from wufei.calendar.service import load_calendar
from wufei.db import transaction
from wufei.departments.models import Department
from wufei.importers.service import import_paths
from wufei.plans.models import Jurisdiction
from wufei.reports.service import submit_report
from wufei.tasks.models import Role, Task, TaskDepartment

UNIT = "市住房和城乡建设局"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A portal of its own, holding Baoding's plan besides Hengshui's."""
    # It reaches a database (its engine): never marked nodb (tests/conftest.py).
    with started_server(tmp_path_factory) as started:
        assert all(result.ok for result in import_paths(started.engine, [BAODING_PLAN]))
        yield started


def _file_one_report_each(server) -> dict[str, int]:
    """A report for a task each city's 市住房和城乡建设局 leads; city → the unit's id."""
    units = {}
    with transaction(server.engine) as session:
        calendar = load_calendar(session)
        for city in ("衡水市", "保定市"):
            unit = session.scalar(
                select(Department).join(Jurisdiction).where(Department.name == UNIT, Jurisdiction.name == city)
            )
            task = session.scalar(
                select(Task)
                .join(TaskDepartment)
                .where(TaskDepartment.department_id == unit.id, TaskDepartment.role == Role.LEAD)
                .where(Task.completed_on.is_(None), Task.awaiting_assignment.is_(False))
                .order_by(Task.id)
                .limit(1)
            )
            submit_report(
                session,
                task_id=task.id,
                department_id=unit.id,
                week_start=date(2024, 5, 27),
                progress=20,
                done_text=f"{city}推进情况",
                problems=None,
                next_steps=None,
                at=datetime(2024, 5, 31, 10, tzinfo=RULESET.cadence.timezone),
                actor="test",
                calendar=calendar,
                cadence=RULESET.cadence,
            )
            units[city] = unit.id
    return units


def test_units_of_one_name_in_two_cities_are_told_apart_in_the_filter_and_on_the_cards(server):
    units = _file_one_report_each(server)
    office = sign_in(server, "office")
    page = office.get("/review").text
    options = re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>', page)
    assert (str(units["衡水市"]), f"衡水市/{UNIT}") in options
    assert (str(units["保定市"]), f"保定市/{UNIT}") in options
    assert len([name for _, name in options if name.endswith(UNIT)]) == 2
    filtered = office.get(f"/review?department={units['保定市']}").text
    assert f"保定市/{UNIT} · 2024年第22周" in filtered and f"衡水市/{UNIT} ·" not in filtered  # the cards
    office.close()

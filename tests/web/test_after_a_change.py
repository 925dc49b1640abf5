"""What pages say right after a change is saved: the task's light (recorded at once, by the same
rules as the daily scan), the public page (accepted reports only) and who did it (people's names)."""

from __future__ import annotations

import json

from sqlalchemy import select

from tests.web.conftest import TODAY, csrf_of
from wufei.calendar.service import load_calendar
from wufei.db import transaction
from wufei.lights.models import LightRecord
from wufei.lights.rules import LAG
from wufei.lights.service import compute_lights, record_lights
from wufei.reports.models import Report


def _file(eco, task_id: int, progress: int) -> int:
    page = eco.get("/my/report").text
    response = eco.post(
        "/my/report",
        data={
            "week": "2024-W23",
            "csrf_token": csrf_of(page),
            f"progress_{task_id}": str(progress),
            f"done_{task_id}": "已推进",
        },
    )
    assert response.status_code == 303, response.text


def _newest_record(server, task_id: int) -> LightRecord:
    with transaction(server.engine) as session:
        return session.scalars(
            select(LightRecord)
            .where(LightRecord.task_id == task_id, LightRecord.milestone_id.is_(None))
            .order_by(LightRecord.as_of.desc(), LightRecord.id.desc())
        ).first()


def _report(server, task_id: int) -> Report:
    with transaction(server.engine) as session:
        return session.scalars(select(Report).where(Report.task_id == task_id).order_by(Report.id.desc())).first()


def test_a_filed_report_changes_the_recorded_light_at_once_not_at_the_next_scan(eco, office, server):
    from tests.rules import RULESET

    task_id = server.tasks.spare[6]
    with transaction(server.engine) as session:  # this morning's daily scan, for this task
        lights = compute_lights(
            session,
            as_of=TODAY,
            calendar=load_calendar(session),
            cadence=RULESET.cadence,
            rules=RULESET.lights,
            task_ids=[task_id],
        )
        record_lights(session, as_of=TODAY, results=lights)
    before = _newest_record(server, task_id)
    assert LAG in before.rules.split(",")  # nothing reported: behind the expected progress

    _file(eco, task_id, 100)
    after = _newest_record(server, task_id)
    # the day's row now holds the judgement after the report (one row per task and day)
    assert after.as_of == TODAY and LAG not in after.rules.split(",")
    page = office.get(f"/tasks/{task_id}").text
    top = page.split('class="reason">', 1)[1].split("<", 1)[0]
    assert top == after.reason  # the page and its history agree


def test_the_public_page_shows_accepted_progress_only(eco, office, server):
    task_id = server.tasks.spare[7]

    def published() -> int | None:
        rows = json.loads(office.get("/public/tasks.json").text)
        return next(r["progress"] for r in rows if r["id"] == task_id)

    _file(eco, task_id, 63)
    assert published() != 63  # filed, not yet reviewed: it may still be returned
    report = _report(server, task_id)
    review = office.post(
        f"/reports/{report.id}/review", data={"csrf_token": csrf_of(office.get("/review").text), "decision": "accept"}
    )
    assert review.status_code == 303
    assert published() == 63


def test_pages_and_records_name_people_not_accounts(eco, office, server):
    task_id = server.tasks.spare[8]
    _file(eco, task_id, 15)
    report = _report(server, task_id)
    assert report.submitted_by == "生态环境局王五（eco）"
    page = office.get(f"/reports/{report.id}").text
    assert "生态环境局王五" in page and "web:" not in page

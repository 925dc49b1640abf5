"""The portal on a replay day (WUFEI_TODAY, `Settings.today`: 5 June 2024) over a database that
already holds later days (a demo replaying 2023, a test, an office looking back): each page shows
only what existed on its day. A bulletin of a period not yet over (June 2024, the second quarter),
a report filed on 20 June and a notice of 20 June are nowhere to be seen, in Chromium as a person
sees the pages, and a later bulletin or report cannot be opened by its address."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest
from sqlalchemy import select

from tests.rules import RULESET
from tests.web.conftest import TODAY, Server, sign_in, sign_in_page, started_server
from wufei.calendar.service import load_calendar
from wufei.db import transaction
from wufei.notices.service import create_intents
from wufei.reports.evidence import evidence_dir
from wufei.reports.models import Evidence, Report
from wufei.reports.service import submit_report
from wufei.tasks.models import Task

LATER_REPORT = "六月下旬已完成全部点位验收"
LATER_NOTICE = "六月下旬的未报送提醒任务"
LATER_BULLETINS = {"monthly-2024-06": "2024年6月调度通报", "quarterly-2024-Q2": "2024年第二季度通报"}


@pytest.fixture(scope="module")
def replay(tmp_path_factory) -> Iterator[Server]:
    """A portal of its own (the shared one's bulletins and reports stay as other tests expect them)."""
    with started_server(tmp_path_factory) as server:
        assert date(2024, 6, 5) == TODAY
        place = server.bulletins / "衡水市"
        for stem, title in LATER_BULLETINS.items():
            (place / f"{stem}.md").write_text(f"# 衡水市“无废城市”建设{title}\n", encoding="utf-8")
            (place / f"{stem}.docx").write_bytes(b"PK later docx")
        with transaction(server.engine) as session:
            task = session.get_one(Task, server.tasks.first)
            submit_report(
                session,
                task_id=task.id,
                department_id=server.tasks.ecology,
                week_start=date(2024, 6, 17),
                progress=100,
                done_text=LATER_REPORT,
                problems=None,
                next_steps=None,
                at=datetime(2024, 6, 20, 10, tzinfo=RULESET.cadence.timezone),
                actor="test",
                calendar=load_calendar(session),
                cadence=RULESET.cadence,
            )
            create_intents(
                session,
                [
                    {
                        "key": "replay-later-notice",
                        "kind": "report_missing",
                        "step": "missing_1",
                        "audience": "liaison",
                        "department_id": server.tasks.ecology,
                        "task_id": task.id,
                        "period": "2024-W25",
                        "created_on": date(2024, 6, 20),
                        "payload": {"title": LATER_NOTICE, "week_cn": "2024年第25周"},
                    }
                ],
            )
        yield server


def test_a_replay_day_shows_nothing_of_later_days_in_chromium(new_page, replay):
    office = new_page(replay.url)
    sign_in_page(office, "office", lands_on="/dashboard")
    for path in ("/dashboard", "/bulletins"):
        office.goto(path)
        text = office.inner_text("body")
        assert "衡水市“无废城市”建设2024年5月调度通报" in text, path  # May's, issued by 5 June
        for title in LATER_BULLETINS.values():
            assert title not in text, (path, title)
        links = office.eval_on_selector_all("a[href^='/bulletins/file']", "links => links.map(a => a.href)")
        assert links and not any("2024-06" in link or "2024-Q2" in link for link in links), path
    office.goto(f"/tasks/{replay.tasks.first}")
    assert "严把环境准入关" in office.inner_text("body") and LATER_REPORT not in office.inner_text("body")
    office.goto("/review")
    assert LATER_REPORT not in office.inner_text("body")

    liaison = new_page(replay.url)
    sign_in_page(liaison, "eco", lands_on="/my/tasks")
    for path in ("/my/reminders", f"/tasks/{replay.tasks.first}", "/my/tasks"):
        liaison.goto(path)
        text = liaison.inner_text("body")
        assert LATER_REPORT not in text and LATER_NOTICE not in text, path


def test_a_later_bulletin_or_report_is_not_served_by_its_address(replay):
    with transaction(replay.engine) as session:
        [later] = session.scalars(select(Report.id).where(Report.done_text == LATER_REPORT))
    client = sign_in(replay, "office")
    try:
        assert client.get("/bulletins/file", params={"path": "衡水市/monthly-2024-05.docx"}).status_code == 200
        for stem in LATER_BULLETINS:
            assert client.get("/bulletins/file", params={"path": f"衡水市/{stem}.docx"}).status_code == 404
        assert client.get(f"/reports/{later}").status_code == 404
        # nor its evidence (review23e: the report was hidden, its file downloaded)
        stored = evidence_dir() / "later-evidence.pdf"
        stored.parent.mkdir(parents=True, exist_ok=True)
        stored.write_bytes(b"%PDF-1.4 filed on 20 June")
        with transaction(replay.engine) as session:
            evidence = Evidence(
                report_id=later,
                file_name="六月佐证.pdf",
                content_type="application/pdf",
                size=stored.stat().st_size,
                sha256="0" * 64,
                stored_path=stored.name,
            )
            session.add(evidence)
            session.flush()
            evidence_id = evidence.id
        assert client.get(f"/evidence/{evidence_id}").status_code == 404
    finally:
        client.close()


REVIEWED_LATER = "六月上旬完成准入审查制度修订"
LATER_NOTE = "六月中旬审核意见：佐证充分"


def test_report_statuses_and_the_deliveries_page_are_as_they_were_on_the_day_in_chromium(new_page, replay):
    """mend23: a report filed on 3 June and accepted on 12 June, and two messages whose outcome is
    unknown, one sent on 4 June and one on 20 June. On 5 June the report was waiting for review
    (not 已采纳, no review note) and only the first message awaited the office."""
    from wufei.notify.models import Delivery, Dispatch
    from wufei.reports.service import review_report

    zone = RULESET.cadence.timezone
    with transaction(replay.engine) as session:
        filed = submit_report(
            session,
            task_id=replay.tasks.second,
            department_id=replay.tasks.ecology,
            week_start=date(2024, 6, 3),
            progress=60,
            done_text=REVIEWED_LATER,
            problems=None,
            next_steps=None,
            at=datetime(2024, 6, 3, 16, tzinfo=zone),
            actor="test",
            calendar=load_calendar(session),
            cadence=RULESET.cadence,
        )
        review_report(
            session,
            report_id=filed.id,
            accept=True,
            reason=LATER_NOTE,
            actor="office",
            at=datetime(2024, 6, 12, 9, tzinfo=zone),
            cadence=RULESET.cadence,
        )
        report_id = filed.id
        for day, subject in ((date(2024, 6, 4), "六月四日的提醒"), (date(2024, 6, 20), "六月二十日的提醒")):
            at = datetime(day.year, day.month, day.day, 9, 15, tzinfo=zone)
            dispatch = Dispatch(
                key=f"digest|{day}|liaison|dept:{replay.tasks.ecology}|replay",
                day=day,
                audience="liaison",
                department_id=replay.tasks.ecology,
                tag=f"dept-{replay.tasks.ecology}",
                subject=subject,
                body="请报送进展。",
                status="unknown",
                attempts=1,
                created_at=at,
            )
            session.add(dispatch)
            session.flush()
            session.add(
                Delivery(
                    dispatch_id=dispatch.id,
                    service_url="json://robot.example/hook",
                    status="unknown",
                    error="结果不明：HTTP 请求已发出但未得到答复",
                    duration_ms=4000,
                    attempted_at=at,
                )
            )
    office = new_page(replay.url)
    sign_in_page(office, "office", lands_on="/dashboard")
    office.goto(f"/tasks/{replay.tasks.second}")
    row = office.inner_text(f"tr:has-text('{REVIEWED_LATER}')")
    assert "待审核" in row and "已采纳" not in row and LATER_NOTE not in row
    office.goto(f"/reports/{report_id}")
    text = office.inner_text("body")
    assert "待审核" in text and "已采纳" not in text and LATER_NOTE not in text
    office.goto("/review")
    assert REVIEWED_LATER in office.inner_text("body")  # it was waiting for the office that day
    office.goto("/deliveries")
    text = office.inner_text("body")
    assert "六月四日的提醒" in text and "六月二十日的提醒" not in text

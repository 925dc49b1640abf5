"""The office's review queue with 100+ reports waiting: filters, paging, accepting several at once,
staying in place after an action, a refiled report beside its returned version; the dashboard's
count of what waits. Over HTTP, then in headless Chromium page by page."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.rules import RULESET
from tests.web.conftest import csrf_of, sign_in_page
from wufei.calendar.service import load_calendar
from wufei.db import transaction
from wufei.plans.models import Plan
from wufei.reports.models import Report, ReportStatus
from wufei.reports.service import submit_report
from wufei.tasks.models import Role, Task

W23 = date(2024, 6, 3)
WEEKS = [date(2024, 3, 4) + timedelta(weeks=n) for n in range(8)]  # weeks no other test files


@pytest.fixture(scope="module")
def queue(server) -> list[int]:
    """110 reports waiting, from every lead department of the plan, filed in March 2024."""
    made = []
    with transaction(server.engine) as session:
        calendar = load_calendar(session)
        plan = session.scalar(select(Plan).where(Plan.doc_number == "衡政办字〔2022〕57号"))
        tasks = session.scalars(select(Task).where(Task.plan_id == plan.id).order_by(Task.id)).all()
        leads = [  # one report a task a week, from its first lead; none of the tasks other tests file
            (t.id, next(a.department_id for a in t.assignments if a.role == Role.LEAD))
            for t in tasks
            if not t.awaiting_assignment
            and t.completed_on is None
            and any(a.role == Role.LEAD for a in t.assignments)
            and all(a.department_id != server.tasks.ecology for a in t.assignments)
            and t.id != server.tasks.foreign
        ]
        for week in WEEKS:
            for task_id, department_id in leads:
                if len(made) == 110:
                    break
                report = submit_report(
                    session,
                    task_id=task_id,
                    department_id=department_id,
                    week_start=week,
                    progress=10,
                    done_text="三月份推进情况",
                    problems=None,
                    next_steps=None,
                    at=datetime(2024, 3, 8, 10, tzinfo=RULESET.cadence.timezone) + (week - WEEKS[0]),
                    actor="test",
                    calendar=calendar,
                    cadence=RULESET.cadence,
                )
                made.append(report.id)
    assert len(made) == 110
    return made


def _waiting(server) -> int:
    with transaction(server.engine) as session:
        return len(session.scalars(select(Report.id).where(Report.status == ReportStatus.SUBMITTED)).all())


def _ids(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<article class="card report" id="report-(\d+)"', page)]


def test_the_queue_is_paged_and_filtered_and_the_dashboard_counts_it(office, server, queue):
    first = office.get("/review").text
    waiting = _waiting(server)
    assert waiting >= 110 and f"待审核报告（共 {waiting} 份" in first
    assert len(_ids(first)) == 20 and f"第 1 / {-(-waiting // 20)} 页" in first
    second = office.get("/review?page=2").text
    assert len(_ids(second)) == 20 and not set(_ids(first)) & set(_ids(second))

    with transaction(server.engine) as session:
        report = session.get(Report, queue[0])
        department_id = report.department_id
        expected = session.scalars(
            select(Report.id)
            .where(Report.status == ReportStatus.SUBMITTED, Report.department_id == department_id)
            .order_by(Report.week_start, Report.task_id, Report.version)  # the queue's order
        ).all()
    filtered = office.get(f"/review?department={department_id}").text
    assert set(_ids(filtered)) == set(expected[:20]) and f"符合筛选 {len(expected)} 份" in filtered
    old = office.get("/review?age=14").text  # filed in March, judged on 5 June: all waited 14 days and more
    assert set(queue[:20]) & set(_ids(old))

    dashboard = office.get("/dashboard").text
    assert re.search(rf'id="count-review"><a href="/review">{waiting}</a>', dashboard)


def test_an_action_keeps_the_filters_and_page_and_lands_on_the_next_card(office, server, queue):
    with transaction(server.engine) as session:
        department_id = session.get(Report, queue[0]).department_id
    page = office.get(f"/review?department={department_id}").text
    shown = _ids(page)
    response = office.post(
        f"/reports/{shown[0]}/review",
        data={
            "csrf_token": csrf_of(page),
            "decision": "accept",
            "back": f"department={department_id}",
            "next": str(shown[1]),
        },
    )
    assert response.status_code == 303
    assert response.headers["location"] == (
        f"/review?department={department_id}&notice=reviewed_accept#report-{shown[1]}"
    )
    forged = office.post(
        f"/reports/{shown[1]}/review",
        data={"csrf_token": csrf_of(page), "decision": "accept", "back": "page=//evil.example&x=1", "next": "x"},
    )
    assert forged.headers["location"] == "/review?notice=reviewed_accept"  # only the queue's own filters


def test_several_reports_are_accepted_at_once_all_or_nothing(office, server, queue):
    page = office.get("/review?page=3").text
    chosen = _ids(page)[:5]
    accepted = office.post(
        "/review/accept", data={"csrf_token": csrf_of(page), "report_id": [str(i) for i in chosen], "back": "page=3"}
    )
    assert accepted.status_code == 303 and accepted.headers["location"] == "/review?page=3&notice=reviewed_several"
    with transaction(server.engine) as session:
        assert {session.get(Report, i).status for i in chosen} == {ReportStatus.ACCEPTED}
    again = _ids(office.get("/review?page=3").text)[:2]
    refused = office.post(
        "/review/accept", data={"csrf_token": csrf_of(page), "report_id": [str(again[0]), str(chosen[0])]}
    )
    assert refused.status_code == 400  # one already accepted: none of the two is
    with transaction(server.engine) as session:
        assert session.get(Report, again[0]).status == ReportStatus.SUBMITTED


def test_a_refiled_report_shows_its_returned_version_and_the_reason(office, eco, server):
    task_id = server.tasks.spare[17]
    form = eco.get("/my/report").text
    data = {"week": "2024-W23", "csrf_token": csrf_of(form), f"progress_{task_id}": "35", f"done_{task_id}": "第一稿"}
    assert eco.post("/my/report", data=data).status_code == 303
    with transaction(server.engine) as session:
        first = session.scalars(select(Report).where(Report.task_id == task_id, Report.week_start == W23)).one()
    page = office.get("/review").text
    returned = office.post(
        f"/reports/{first.id}/review",
        data={"csrf_token": csrf_of(page), "decision": "return", "reason": "缺少审批台账"},
    )
    assert returned.status_code == 303
    refile = {**data, "csrf_token": csrf_of(eco.get("/my/report").text), f"done_{task_id}": "第二稿，附台账"}
    assert eco.post("/my/report", data=refile).status_code == 303
    with transaction(server.engine) as session:
        second = session.scalars(
            select(Report).where(Report.task_id == task_id, Report.week_start == W23, Report.version == 2)
        ).one()
        department_id = second.department_id
    html = next(
        page
        for n in range(1, 10)
        if f'id="report-{second.id}"' in (page := office.get(f"/review?department={department_id}&page={n}").text)
    )
    block = html.split(f'id="report-{second.id}"', 1)[1].split("</article>", 1)[0]
    assert "第二稿，附台账" in block and "上一版（第1版）退回理由：「缺少审批台账」" in block and "第一稿" in block


@pytest.mark.backend_independent
def test_the_office_works_a_queue_of_100_reports_page_by_page_in_chromium(new_page, server, queue):
    """Backend-independent (run once, in the SQLite pass): what Chromium adds is the pager, the
    buttons and the ticked boxes as a person uses them; the queue's paging, filters, one accept and
    several at once are proven on both databases over HTTP by this module's other tests."""
    office = new_page(server.url)
    sign_in_page(office, "office", lands_on="/dashboard")
    assert int(office.inner_text("#count-review")) == _waiting(server) >= 90
    office.click("#count-review a")
    office.wait_for_url("**/review")

    # Page two, one report accepted with its own button: the page stays page two.
    office.click("nav.pager >> text=下一页")
    office.wait_for_url("**/review?page=2")
    cards = office.locator("article.report")
    first_id = cards.first.get_attribute("id")
    second_id = cards.nth(1).get_attribute("id")
    cards.first.locator("button:has-text('采纳')").click()
    office.wait_for_selector("text=已采纳报告。")
    assert "page=2" in office.url and office.url.endswith(f"#{second_id}")
    assert office.locator(f"#{first_id}").count() == 0

    # Then the whole queue, a page at a time: tick every card, accept them together. Accepting lands
    # on page one again, the next cards listed, so each round starts where the last one ended.
    # The boxes are ticked by mouse clicks without Playwright's waits for a still page (force): the page
    # has no script or animation, and `check` still fails unless the click ticks the box.
    office.goto("/review")
    rounds = 0
    while office.locator("article.report").count():
        for box in office.locator("article.report input[name=report_id]").all():
            box.check(force=True)
        with office.expect_navigation():
            office.click("button:has-text('采纳所选')")
        assert "已采纳所选报告。" in office.inner_text("main")
        rounds += 1
        assert rounds < 10
    assert rounds >= 4 and "没有待审核的报告" in office.inner_text("main")
    assert _waiting(server) == 0
    office.goto("/dashboard")
    assert office.inner_text("#count-review") == "0"

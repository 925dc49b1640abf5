"""The weekly loop in a real headless Chromium (Debian's, driven by Playwright): a liaison signs in
with a reminder's link and files the week for two tasks, the office returns one, the liaison
refiles it, the office accepts both, and the dashboard's lights change. Screenshots of the main
pages go to /tmp/wufei-*.png."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.web.conftest import SHOTS, sign_in_page, started_server
from wufei.accounts.service import find_user, sign_in_link
from wufei.db import transaction, utcnow
from wufei.reports.models import Report
from wufei.tasks.models import Task


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A portal of its own: the shared one's review queue holds the reports other web tests filed in
    the same worker, and past its first page (20) this test's cards were not on the page it opens."""
    # It reaches a database (its engine): never marked nodb (tests/conftest.py).
    with started_server(tmp_path_factory) as started:
        yield started


def _latest_report(server, task_id: int) -> Report:
    with transaction(server.engine) as session:
        return session.scalar(select(Report).where(Report.task_id == task_id).order_by(Report.id.desc()).limit(1))


@pytest.mark.backend_independent
def test_a_liaison_files_the_office_returns_the_liaison_refiles_and_the_office_accepts(new_page, server, tmp_path):
    """Backend-independent (run once, in the SQLite pass): what Chromium adds is the browser's side,
    the pages' forms, links and buttons as a person uses them. The same routes are proven on both
    databases over HTTP: the sign-in link and evidence in test_security.py, returning and refiling in
    test_review_queue.py, accepting in test_after_a_change.py, the dashboard in test_pages.py; a 100 %
    report completing its task in tests/reports/test_service.py."""
    first, second = server.tasks.first, server.tasks.second
    with transaction(server.engine) as session:
        link = sign_in_link(
            session, user_id=find_user(session, "eco").id, at=utcnow(), actor="test", base_url=server.url
        )

    office = new_page(server.url)
    sign_in_page(office, "office", lands_on="/dashboard")
    done_before = int(office.inner_text("#count-done"))
    office.screenshot(path=str(SHOTS / "wufei-dashboard.png"), full_page=True)

    # The liaison follows the link from a reminder and files the week for two tasks.
    liaison = new_page(server.url)
    liaison.goto(link)
    liaison.click("button:has-text('登录')")
    liaison.wait_for_url("**/my/tasks")
    assert "严把环境准入关" in liaison.inner_text("main")
    liaison.screenshot(path=str(SHOTS / "wufei-my-tasks.png"), full_page=True)
    liaison.click("a:has-text('本周报送')")
    liaison.wait_for_url("**/my/report")
    liaison.fill(f"input[name=progress_{first}]", "100")
    liaison.fill(f"textarea[name=done_{first}]", "完成环评审批制度修订，全部项目按新规审批")
    photo = tmp_path / "现场照片.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n a photo")
    liaison.set_input_files(f"input[name=evidence_{first}]", str(photo))
    liaison.fill(f"input[name=progress_{second}]", "60")
    liaison.fill(f"textarea[name=done_{second}]", "开展排污许可证后监管检查")
    liaison.screenshot(path=str(SHOTS / "wufei-report-form.png"), full_page=False)
    liaison.click("button:has-text('提交本周报送')")
    liaison.wait_for_selector("text=已报送。")
    assert "本周已报送：第1版 进度 100%" in liaison.inner_text(f"#task-{first}")

    # The office returns the first report with a reason.
    office.goto("/review")
    returned = _latest_report(server, first)
    office.screenshot(path=str(SHOTS / "wufei-review.png"), full_page=True)
    card = office.locator(f"#report-{returned.id}")
    assert "现场照片.png" in card.inner_text()
    card.locator("input[name=reason]").fill("佐证材料不足，请补充审批台账")
    card.locator("button:has-text('退回')").click()
    office.wait_for_selector("text=已退回报告")

    # The liaison sees it returned and refiles it.
    liaison.goto("/my/report")
    assert "佐证材料不足，请补充审批台账" in liaison.inner_text("main")
    liaison.fill(f"input[name=progress_{first}]", "100")
    liaison.fill(f"textarea[name=done_{first}]", "已补充审批台账（附件）")
    liaison.click("button:has-text('提交本周报送')")
    liaison.wait_for_selector("text=已报送。")
    refiled = _latest_report(server, first)
    assert refiled.version == 2 and refiled.status == "submitted"

    # The office accepts both; the 100% report completes the first task.
    office.goto("/review")
    for task_id in (first, second):
        report = _latest_report(server, task_id)
        office.locator(f"#report-{report.id} button:has-text('采纳')").click()
        office.wait_for_selector("text=已采纳报告。")
    assert "没有待审核的报告" in office.inner_text("main") or f"#report-{refiled.id}" not in office.content()

    office.goto("/dashboard")
    assert int(office.inner_text("#count-done")) == done_before + 1
    office.goto(f"/tasks/{first}")
    assert "已完成" in office.inner_text("main")
    with transaction(server.engine) as session:
        assert session.get(Task, first).completed_on is not None
    liaison.goto("/my/tasks")
    assert "已完成" in liaison.inner_text("main")

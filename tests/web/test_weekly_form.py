"""The week's form files only what the liaison changed or confirmed, and says so before filing."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from tests.web.conftest import csrf_of, sign_in_page
from wufei.reports.models import Report

W22, W23 = date(2024, 5, 27), date(2024, 6, 3)


def _prefilled(page: str, task_ids: list[int]) -> dict[str, str]:
    """What a browser sends for these rows when nothing is touched: the values the page shows."""
    values = {}
    for task_id in task_ids:
        values[f"progress_{task_id}"] = re.search(rf'name="progress_{task_id}"[^>]* value="([^"]*)"', page)[1]
        for name in ("done", "problems", "next"):
            values[f"{name}_{task_id}"] = re.search(rf'name="{name}_{task_id}"[^>]*>([^<]*)</textarea>', page)[1]
    return values


def _weeks(server, task_ids: list[int]) -> dict[int, list[date]]:
    with server.engine.connect() as connection:
        rows = connection.execute(
            select(Report.task_id, Report.week_start).where(Report.task_id.in_(task_ids)).order_by(Report.id)
        ).all()
    found: dict[int, list[date]] = {t: [] for t in task_ids}
    for task_id, week in rows:
        found[task_id].append(week)
    return found


def test_only_changed_or_confirmed_rows_are_filed_and_the_preview_says_which(eco, server):
    four = server.tasks.spare[9:13]
    last_week = {"week": "2024-W22", "csrf_token": csrf_of(eco.get("/my/report?week=2024-W22").text)}
    for task_id in four:  # last week's answers, which this week's form is prefilled with
        last_week |= {f"progress_{task_id}": "30", f"done_{task_id}": f"任务{task_id}上周完成情况"}
    assert eco.post("/my/report", data=last_week).status_code == 303

    page = eco.get("/my/report?week=2024-W23").text
    assert all(f'name="confirm_{task_id}"' in page for task_id in four)
    form = {"week": "2024-W23", "csrf_token": csrf_of(page), **_prefilled(page, four)}
    assert form[f"progress_{four[0]}"] == "30" and form[f"done_{four[0]}"] == f"任务{four[0]}上周完成情况"
    form[f"progress_{four[0]}"] = "45"  # the one row that changed
    form[f"confirm_{four[1]}"] = "1"  # unchanged, confirmed

    preview = eco.post("/my/report", data=form | {"action": "preview"})
    assert preview.status_code == 200 and "提交后将报送 2 项" in preview.text
    assert preview.text.count("不报送（与上次相同，未确认）") == 2
    assert _weeks(server, four) == {t: [W22] for t in four}  # a preview files nothing

    filed = eco.post("/my/report", data=form | {"action": "file"})
    assert filed.status_code == 303, filed.text
    assert _weeks(server, four) == {four[0]: [W22, W23], four[1]: [W22, W23], four[2]: [W22], four[3]: [W22]}


def test_nothing_changed_and_nothing_confirmed_files_nothing_and_says_why(eco, server):
    four = server.tasks.spare[13:17]
    last_week = {"week": "2024-W22", "csrf_token": csrf_of(eco.get("/my/report?week=2024-W22").text)}
    for task_id in four:
        last_week |= {f"progress_{task_id}": "20", f"done_{task_id}": "照常推进"}
    assert eco.post("/my/report", data=last_week).status_code == 303
    page = eco.get("/my/report?week=2024-W23").text
    form = {"week": "2024-W23", "csrf_token": csrf_of(page), **_prefilled(page, four)}
    refused = eco.post("/my/report", data=form)
    assert refused.status_code == 400 and "本周无变化，确认" in refused.text
    assert _weeks(server, four) == {t: [W22] for t in four}
    confirmed = eco.post("/my/report", data=form | {"confirm_all": "1"})
    assert confirmed.status_code == 303
    assert _weeks(server, four) == {t: [W22, W23] for t in four}


@pytest.mark.backend_independent
def test_a_liaison_files_one_changed_row_of_four_in_chromium(new_page, eco, server):
    """Backend-independent (run once, in the SQLite pass): what Chromium adds is the form as a
    browser fills and sends it, the preview keeping what was typed; which rows are filed is proven
    on both databases over HTTP by this module's other tests."""
    four = server.tasks.spare[18:22]
    last_week = {"week": "2024-W22", "csrf_token": csrf_of(eco.get("/my/report?week=2024-W22").text)}
    for task_id in four:
        last_week |= {f"progress_{task_id}": "50", f"done_{task_id}": "按计划推进"}
    assert eco.post("/my/report", data=last_week).status_code == 303

    def filed_this_week() -> int:
        with server.engine.connect() as connection:
            return len(
                connection.execute(
                    select(Report.id).where(Report.week_start == W23, Report.department_id == server.tasks.ecology)
                ).all()
            )

    before = filed_this_week()
    liaison = new_page(server.url)
    sign_in_page(liaison, "eco", lands_on="/my/tasks")
    liaison.goto("/my/report")
    for task_id in four:
        assert liaison.input_value(f"input[name=progress_{task_id}]") == "50"
    liaison.fill(f"input[name=progress_{four[2]}]", "65")
    liaison.fill(f"textarea[name=done_{four[2]}]", "完成第二批点位建设")
    liaison.click("button:has-text('先预览')")
    liaison.wait_for_selector("#plan")
    assert "提交后将报送 1 项" in liaison.inner_text("#plan")
    assert liaison.input_value(f"input[name=progress_{four[2]}]") == "65"  # the preview keeps what was typed
    assert filed_this_week() == before
    liaison.click("button:has-text('提交本周报送')")
    liaison.wait_for_selector("text=已报送。")
    assert filed_this_week() == before + 1
    assert _weeks(server, four) == {four[0]: [W22], four[1]: [W22], four[2]: [W22, W23], four[3]: [W22]}
    assert "本周已报送：第1版 进度 65%" in liaison.inner_text(f"#task-{four[2]}")


def test_a_week_before_the_plans_reporting_started_is_refused_in_chinese_and_the_form_kept(eco, server):
    """Review23a: 2019-W10 was filed (as 迟报) for tasks of a plan issued in 2022."""
    task = server.tasks.spare[-2]
    page = eco.get("/my/report?week=2019-W10").text
    response = eco.post(
        "/my/report",
        data={"csrf_token": csrf_of(page), "week": "2019-W10", f"progress_{task}": "35", f"done_{task}": "补报旧周"},
    )
    assert response.status_code == 400
    assert re.search(r"2019年第10周早于任务 .* 的报送起始日（2022年\d+月\d+日", response.text), response.text
    assert "补报旧周" in response.text  # what was typed stays on the form
    assert _weeks(server, [task])[task] == []

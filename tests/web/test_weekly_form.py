"""The week's form files only what the liaison changed or confirmed, and says so before filing."""

from __future__ import annotations

import hashlib
import os
import re
import time
from datetime import date

import pytest
from sqlalchemy import select

from tests.web.conftest import csrf_of, sign_in_page
from wufei.reports.evidence import HELD_FOR
from wufei.reports.models import Evidence, Report

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


def _held(server) -> list[str]:
    folder = server.evidence / "previews"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


@pytest.mark.backend_independent
def test_evidence_chosen_before_the_preview_is_filed_with_the_submit_in_chromium(new_page, eco, server, tmp_path):
    """A real file chosen in Chromium, then 「先预览」, then 「提交本周报送」 without choosing it again: the
    report carries the file (held server-side under the preview meanwhile, removed once filed).
    Backend-independent: what is stored is a file on disk and an evidence row the HTTP tests below
    check on both databases."""
    assert len(server.tasks.spare) > 24
    task_id = server.tasks.spare[22]
    photo = tmp_path / "现场照片.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n the site on Monday")
    held_earlier = set(_held(server))
    liaison = new_page(server.url)
    sign_in_page(liaison, "eco", lands_on="/my/tasks")
    liaison.goto("/my/report")
    liaison.fill(f"input[name=progress_{task_id}]", "35")
    liaison.fill(f"textarea[name=done_{task_id}]", "完成现场核查")
    liaison.set_input_files(f"input[name=evidence_{task_id}]", str(photo))
    liaison.click("button:has-text('先预览')")
    liaison.wait_for_selector("#plan")
    assert "已保留所选佐证材料 1 个" in liaison.inner_text("#plan")
    assert "已保留：现场照片.png" in liaison.inner_text(f"#task-{task_id}")
    assert liaison.input_value(f"input[name=evidence_{task_id}]") == ""  # the browser dropped the choice
    held_before = set(_held(server))
    assert held_before - held_earlier  # one more preview held
    assert _weeks(server, [task_id]) == {task_id: []}
    liaison.click("button:has-text('提交本周报送')")
    liaison.wait_for_selector("text=已报送。")
    with server.engine.connect() as connection:
        [(name, digest)] = connection.execute(
            select(Evidence.file_name, Evidence.sha256).join(Report).where(Report.task_id == task_id)
        ).all()
    assert (name, digest) == ("现场照片.png", hashlib.sha256(photo.read_bytes()).hexdigest())
    assert held_before - set(_held(server)) == held_before - held_earlier  # the preview's files, removed once filed


def _preview_with_file(client, task_id: int, name: str, content: bytes):
    page = client.get("/my/report?week=2024-W23").text
    return client.post(
        "/my/report",
        data={"week": "2024-W23", "csrf_token": csrf_of(page), f"progress_{task_id}": "20", "action": "preview"},
        files={f"evidence_{task_id}": (name, content, "application/pdf")},
    )


def test_a_held_preview_is_another_users_for_nobody_and_abandoned_ones_are_removed(eco, other, server):
    task_id = server.tasks.spare[23]
    preview = _preview_with_file(eco, task_id, "核查记录.pdf", b"%PDF-1.4 checked")
    assert preview.status_code == 200 and "已保留：核查记录.pdf" in preview.text
    token = re.search(r'name="held_evidence" value="([^"]+)"', preview.text)[1]
    assert token in _held(server)

    # Another liaison cannot take the files with the token.
    page = other.get("/my/report?week=2024-W23").text
    stolen = other.post(
        "/my/report",
        data={
            "week": "2024-W23",
            "csrf_token": csrf_of(page),
            "held_evidence": token,
            f"progress_{server.tasks.foreign}": "10",
        },
    )
    assert stolen.status_code == 400 and "预览时保留的佐证材料已失效" in stolen.text
    assert token in _held(server)

    # A file refused at the preview is said there, and nothing is held for it.
    refused = _preview_with_file(eco, task_id, "工具.exe", b"MZ" + b"\0" * 100)
    assert refused.status_code == 400 and "佐证材料「工具.exe」的文件类型不允许" in refused.text

    # Not submitted within a day: the next preview's sweep removes it, and the submit says why.
    old = time.time() - HELD_FOR - 60
    os.utime(server.evidence / "previews" / token, (old, old))
    again = _preview_with_file(eco, server.tasks.spare[24], "新记录.pdf", b"%PDF-1.4 new")
    assert again.status_code == 200 and token not in _held(server)
    page = eco.get("/my/report?week=2024-W23").text
    late = eco.post(
        "/my/report",
        data={"week": "2024-W23", "csrf_token": csrf_of(page), "held_evidence": token, f"progress_{task_id}": "20"},
    )
    assert late.status_code == 400 and "预览时保留的佐证材料已失效" in late.text
    assert _weeks(server, [task_id]) == {task_id: []}
    # The one left is filed by its submit and then removed.
    kept = re.search(r'name="held_evidence" value="([^"]+)"', again.text)[1]
    filed = eco.post(
        "/my/report",
        data={
            "week": "2024-W23",
            "csrf_token": csrf_of(again.text),
            "held_evidence": kept,
            f"progress_{server.tasks.spare[24]}": "20",
        },
    )
    assert filed.status_code == 303, filed.text
    assert kept not in _held(server)
    with server.engine.connect() as connection:
        names = (
            connection.execute(
                select(Evidence.file_name)
                .join(Report)
                .where(Report.task_id == server.tasks.spare[24], Report.week_start == date(2024, 6, 3))
            )
            .scalars()
            .all()
        )
    assert names == ["新记录.pdf"]

"""Every main page answers for the roles that may see it, in Chinese, with the security headers."""

from __future__ import annotations

import json
import re
from urllib.parse import unquote

import pytest
from sqlalchemy import select

from tests.web.conftest import csrf_of
from wufei.audit.models import AuditEntry
from wufei.db import transaction
from wufei.departments.models import Department
from wufei.extensions.models import Extension
from wufei.tasks.models import Task


@pytest.mark.parametrize("path", ["/dashboard", "/review", "/extensions", "/assign", "/departments", "/bulletins"])
def test_office_pages_render(office, path):
    response = office.get(path)
    assert response.status_code == 200, response.text
    assert '<html lang="zh-CN">' in response.text
    assert "script-src 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_the_dashboard_shows_lights_reporting_indicators_and_bulletins(office, server):
    page = office.get("/dashboard").text
    for words in (
        "红灯",
        "黄灯",
        "绿灯",
        "已完成",
        "本周报送（2024年第23周）",
        "指标进展（2024年）",
        "指标填报与序时进度",
        "逾期未报：2023年数值应于2024年1月31日前报送，尚无数值",
        "各牵头单位灯色",
        "逾期任务",
        "近7天新亮红灯",
        "衡水市“无废城市”建设2024年5月调度通报",
        "市生态环境局",
    ):
        assert words in page
    # one entry per document, its forms as downloads
    assert page.count("衡水市“无废城市”建设2024年5月调度通报") == 1
    for form in ("monthly-2024-05.docx", "monthly-2024-05-annex.xlsx", "monthly-2024-05.md"):
        assert f"/bulletins/file?path=%E8%A1%A1%E6%B0%B4%E5%B8%82/{form}" in page
    download = office.get("/bulletins/file", params={"path": "衡水市/monthly-2024-05.docx"})
    assert download.status_code == 200 and download.content == b"PK fake docx"
    assert "attachment" in download.headers["content-disposition"]


def test_a_bulletin_downloads_under_its_chinese_title(office):
    def saved_as(path: str) -> tuple[str, str]:
        disposition = office.get("/bulletins/file", params={"path": path}).headers["content-disposition"]
        plain = re.search(r'filename="([^"]+)"', disposition)
        encoded = re.search(r"filename\*=UTF-8''(\S+)", disposition)
        assert plain and encoded, disposition
        return plain[1], unquote(encoded[1])

    assert saved_as("衡水市/monthly-2024-05.docx") == (
        "monthly-2024-05.docx",  # for a client that does not read RFC 5987
        "衡水市“无废城市”建设2024年5月调度通报.docx",
    )
    assert saved_as("衡水市/monthly-2024-05-annex.xlsx")[1] == "衡水市“无废城市”建设2024年5月调度通报（附件）.xlsx"


def test_a_bulletin_outside_the_folder_cannot_be_downloaded(office):
    assert office.get("/bulletins/file", params={"path": "../evidence"}).status_code == 404
    assert office.get("/bulletins/file", params={"path": "/etc/passwd"}).status_code == 404


def test_liaison_pages_render(eco, server):
    for path in (
        "/my/tasks",
        "/my/report",
        "/my/extensions",
        "/my/reminders",
        f"/tasks/{server.tasks.first}",
        f"/departments/{server.tasks.ecology}",
    ):
        response = eco.get(path)
        assert response.status_code == 200, (path, response.text)
    tasks = eco.get("/my/tasks").text
    assert "牵头任务" in tasks and "配合任务" in tasks and "严把环境准入关" in tasks


def test_a_leader_reads_the_dashboard_but_not_the_office_work(leader, server):
    assert leader.get("/dashboard").status_code == 200
    assert leader.get("/bulletins").status_code == 200
    assert leader.get("/review").status_code == 403
    assert leader.get("/assign").status_code == 403
    page = leader.get(f"/tasks/{server.tasks.first}").text
    assert "保存节点" not in page  # no editing forms for a reader


def test_pages_without_a_session_send_to_the_sign_in_page(server):
    import httpx

    with httpx.Client(base_url=server.url, follow_redirects=False) as anonymous:
        response = anonymous.get("/dashboard")
        assert response.status_code == 303 and response.headers["location"].startswith("/login")
        assert anonymous.post("/reports/1/review", data={"decision": "accept"}).status_code == 403


def test_the_office_assigns_an_owner_to_a_task_waiting_for_one(office, server):
    assert server.tasks.awaiting, "the Hengshui plan's main tasks wait for an owner"
    task_id = server.tasks.awaiting[0]
    page = office.get("/assign").text
    assert f"/tasks/{task_id}/owners" in page
    response = office.post(
        f"/tasks/{task_id}/owners", data={"csrf_token": csrf_of(page), "lead": str(server.tasks.ecology)}
    )
    assert response.status_code == 303
    with transaction(server.engine) as session:
        task = session.get(Task, task_id)
        assert not task.awaiting_assignment
        assert [a.department_id for a in task.assignments if a.role == "lead"] == [server.tasks.ecology]
        entry = session.scalar(
            select(AuditEntry).where(
                AuditEntry.entity == "tasks",
                AuditEntry.entity_id == task_id,
                AuditEntry.actor == "办公室张三（office）",
            )
        )
        assert entry is not None and entry.source == "assign owners"


def test_the_office_names_owners_as_the_command_line_does(office, server):
    task_id, unchanged = server.tasks.awaiting[1], server.tasks.awaiting[2]
    page = office.get(f"/assign?task={task_id}&q=生态环境").text
    assert "衡水市/市生态环境局" in page  # the search shows qualified names
    response = office.post(
        f"/tasks/{task_id}/owners",
        data={
            "csrf_token": csrf_of(page),
            "lead_names": "衡水市/市发展改革委",
            "supporting_names": "市商务局、市生态环境局",
        },
    )
    assert response.status_code == 303
    with transaction(server.engine) as session:
        task = session.get(Task, task_id)
        owners = {(a.department.name, a.role) for a in task.assignments}
        assert owners == {("市发展和改革委员会", "lead"), ("市商务局", "supporting"), ("市生态环境局", "supporting")}
    refused = office.post(
        f"/tasks/{unchanged}/owners", data={"csrf_token": csrf_of(page), "lead_names": "衡水市/商务局"}
    )
    assert "找不到部门「衡水市/商务局」" in refused.text and "衡水市/市商务局" in refused.text
    with transaction(server.engine) as session:
        assert session.get(Task, unchanged).awaiting_assignment


def test_owners_are_found_by_search_among_the_plans_own_place_only(office, server):
    task_id = server.tasks.awaiting[3]
    whole = office.get("/assign").text
    waiting = whole.count('<article class="card"')
    assert len(whole.encode()) < 4000 + 2000 * waiting  # no list of every unit of every place per task
    found = office.get(f"/assign?task={task_id}&q=商务").text
    card = found.split(f'id="task-{task_id}"', 1)[1].split("</article>", 1)[0]
    picked = re.findall(r'name="lead" value="(\d+)"', card)
    assert picked and "衡水市/市商务局" in card
    with transaction(server.engine) as session:
        place = session.get(Task, task_id).plan.jurisdiction_id
        assert {session.get(Department, int(d)).jurisdiction_id for d in picked} == {place}
    assert "没有名称含「火星」的单位" in office.get(f"/assign?task={task_id}&q=火星").text
    response = office.post(f"/tasks/{task_id}/owners", data={"csrf_token": csrf_of(found), "lead": picked[0]})
    assert response.status_code == 303
    with transaction(server.engine) as session:
        assert [a.department_id for a in session.get(Task, task_id).assignments] == [int(picked[0])]


def test_the_office_sets_and_removes_a_milestone(office, server):
    task_id = server.tasks.second
    token = csrf_of(office.get(f"/tasks/{task_id}").text)
    response = office.post(
        f"/tasks/{task_id}/milestones",
        data={"csrf_token": token, "due_date": "2024-09-30", "title": "2024年三季度目标", "expected_progress": "70"},
    )
    assert response.status_code == 303
    page = office.get(f"/tasks/{task_id}").text
    assert "2024年三季度目标" in page and "办公室设定" in page
    response = office.post(f"/tasks/{task_id}/milestones/remove", data={"csrf_token": token, "due_date": "2024-09-30"})
    assert response.status_code == 303
    assert "2024年三季度目标" not in office.get(f"/tasks/{task_id}").text


def test_a_liaison_asks_for_an_extension_and_the_office_decides(eco, office, server):
    page = eco.get("/my/extensions").text
    fixed = [task_id for task_id in server.tasks.spare if f'<option value="{task_id}">' in page]
    with transaction(server.engine) as session:
        task_id = next(
            t
            for t in fixed
            if (task := session.get(Task, t)).deadline_kind == "fixed"
            and task.due_date
            and task.due_date > server_today()
        )
    response = eco.post(
        "/my/extensions",
        data={"csrf_token": csrf_of(page), "task_id": str(task_id), "until": "2026-06-30", "reason": "设备采购延迟"},
    )
    assert response.status_code == 303, response.text
    queue = office.get("/extensions").text
    assert "设备采购延迟" in queue
    with transaction(server.engine) as session:  # this request's, whatever else the queue holds
        extension_id = session.scalars(
            select(Extension.id).where(Extension.task_id == task_id, Extension.reason == "设备采购延迟")
        ).one()
    assert f"/extensions/{extension_id}/decide" in queue
    response = office.post(
        f"/extensions/{extension_id}/decide", data={"csrf_token": csrf_of(queue), "decision": "approve", "note": "同意"}
    )
    assert response.status_code == 303
    assert "已同意" in eco.get("/my/extensions").text


def server_today():
    from tests.web.conftest import TODAY

    return TODAY


def test_the_public_page_and_open_data(server):
    import httpx

    with httpx.Client(base_url=server.url) as anonymous:
        assert "无废城市建设进展公开" in anonymous.get("/public").text
        rows = json.loads(anonymous.get("/public/tasks.json").text)
        assert rows and {"title", "leads", "light", "progress"} <= set(rows[0])
        csv_text = anonymous.get("/public/indicators.csv").content.decode("utf-8-sig")
        assert csv_text.splitlines()[0].startswith("序号,指标")
        assert anonymous.get("/public/reports.json").status_code == 404


def test_the_weeks_form_is_prefilled_from_last_week(eco, server):
    task_id = server.tasks.spare[-1]
    last_week = eco.post(
        "/my/report",
        data={
            "week": "2024-W22",
            "csrf_token": csrf_of(eco.get("/my/report").text),
            f"progress_{task_id}": "35",
            f"done_{task_id}": "完成选址论证",
        },
    )
    assert last_week.status_code == 303, last_week.text
    page = eco.get("/my/report?week=2024-W23").text
    assert f'name="progress_{task_id}" min="0" max="100" value="35"' in page
    assert "完成选址论证" in page


def test_the_units_are_listed_by_place_a_province_before_its_cities(hengshui_session):
    """An office supervising several places has a 市生态环境局 in each: listed in one alphabet they
    could not be told apart on the 部门 page."""
    from wufei.departments.models import DepartmentKind
    from wufei.plans.models import Jurisdiction
    from wufei.tasks.models import Role, TaskDepartment
    from wufei.web.pages import departments_overview

    session = hengshui_session
    task = session.scalars(select(Task).order_by(Task.id)).first()
    for name, level in (("保定市", "city"), ("河北省", "province")):  # 河北省 is 衡水市's parent already
        place = session.scalar(select(Jurisdiction).where(Jurisdiction.name == name))
        place = place or Jurisdiction(name=name, level=level)
        unit = Department(jurisdiction=place, name="市生态环境局", kind=DepartmentKind.BUREAU)
        session.add(unit)
        session.flush()
        session.add(TaskDepartment(task_id=task.id, department_id=unit.id, role=Role.SUPPORTING, position=99))
    session.flush()
    groups = departments_overview(session)
    assert [g["place"] for g in groups] == ["河北省", "保定市", "衡水市"]
    assert all(any(d.name == "市生态环境局" for d in g["departments"]) for g in groups)
    names = [d.name for d in groups[-1]["departments"]]
    assert names == sorted(names) and len(names) > 10

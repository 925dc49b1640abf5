"""Security of the portal, over plain HTTP against the running server: department walls (403),
escaping, upload limits, CSRF, single-use expiring sign-in links, the audit trail."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import httpx
from sqlalchemy import select

from tests.web.conftest import MAX_EVIDENCE_BYTES, csrf_of
from wufei.accounts.models import SignInToken, WebSession
from wufei.accounts.service import find_user, hash_password, issue_sign_in_token, verify_password
from wufei.audit.models import AuditEntry
from wufei.db import transaction, utcnow
from wufei.reports.models import Report


def _form(client: httpx.Client) -> str:
    return csrf_of(client.get("/my/report").text)


def _file(client, data: dict, files=None) -> httpx.Response:
    return client.post("/my/report", data={"week": "2024-W23", **data}, files=files)


def _reports(server, task_id: int) -> list[Report]:
    with transaction(server.engine) as session:
        return list(session.scalars(select(Report).where(Report.task_id == task_id).order_by(Report.id)))


def test_a_liaison_cannot_read_another_departments_report_task_or_page(eco, other, server):
    foreign = server.tasks.foreign
    response = _file(other, {"csrf_token": _form(other), f"progress_{foreign}": "30", f"done_{foreign}": "内部草稿"})
    assert response.status_code == 303, response.text
    report_id = _reports(server, foreign)[-1].id
    assert other.get(f"/reports/{report_id}").status_code == 200

    assert eco.get(f"/reports/{report_id}").status_code == 403
    assert eco.get(f"/tasks/{foreign}").status_code == 403
    assert eco.get(f"/departments/{server.tasks.foreign_lead}").status_code == 403
    assert "内部草稿" not in eco.get(f"/reports/{report_id}").text


def test_a_liaison_cannot_write_to_another_departments_task(eco, server):
    foreign = server.tasks.foreign
    before = len(_reports(server, foreign))
    own = server.tasks.spare[0]
    response = _file(eco, {"csrf_token": _form(eco), f"progress_{own}": "10", f"progress_{foreign}": "90"})
    assert response.status_code == 403
    assert len(_reports(server, foreign)) == before
    assert _reports(server, own) == []  # the whole form was refused
    response = eco.post(
        "/my/extensions", data={"csrf_token": _form(eco), "task_id": str(foreign), "until": "2030-01-01", "reason": "x"}
    )
    assert response.status_code == 403


def test_a_liaison_cannot_do_the_offices_work(eco, server):
    token = _form(eco)
    assert eco.get("/review").status_code == 403
    assert eco.get("/dashboard").status_code == 403
    assert eco.post("/reports/1/review", data={"csrf_token": token, "decision": "accept"}).status_code == 403
    assert (
        eco.post(
            f"/tasks/{server.tasks.first}/milestones",
            data={"csrf_token": token, "due_date": "2024-09-30", "title": "x", "expected_progress": "1"},
        ).status_code
        == 403
    )


def _review_page_with(office, report_id: int, *, department_id: int) -> str:
    """The page of the office's review queue (this department's) that shows the report: other
    modules on the same server may have filled the queue (test_review_queue.py files 110)."""
    for page in range(1, 20):
        html = office.get(f"/review?department={department_id}&page={page}").text
        if f'id="report-{report_id}"' in html:
            return html
    raise AssertionError(f"report {report_id} is on no page of the review queue")


def test_a_script_in_a_report_is_shown_as_text(eco, office, server):
    task_id = server.tasks.spare[1]
    script = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
    response = _file(eco, {"csrf_token": _form(eco), f"progress_{task_id}": "20", f"done_{task_id}": script})
    assert response.status_code == 303, response.text
    report_id = _reports(server, task_id)[-1].id
    for page in (
        eco.get(f"/reports/{report_id}").text,
        _review_page_with(office, report_id, department_id=server.tasks.ecology),
        office.get(f"/tasks/{task_id}").text,
    ):
        assert "&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in page
        assert "<script>" not in page and "<img src=x" not in page


def test_a_wrong_type_or_oversized_upload_is_refused_and_nothing_is_filed(eco, server):
    task_id = server.tasks.spare[2]
    wrong = _file(
        eco,
        {"csrf_token": _form(eco), f"progress_{task_id}": "40"},
        files={f"evidence_{task_id}": ("工具.exe", b"MZ" + b"\0" * 100, "application/octet-stream")},
    )
    assert wrong.status_code == 400
    assert "文件类型不允许" in wrong.text
    large = _file(
        eco,
        {"csrf_token": _form(eco), f"progress_{task_id}": "40"},
        files={f"evidence_{task_id}": ("照片.jpg", b"\xff" * (MAX_EVIDENCE_BYTES + 1), "image/jpeg")},
    )
    assert large.status_code == 400
    assert "有 100,001 字节，大于单个文件上限 100,000 字节" in large.text  # not 「97.7 KB，超过…97.7 KB」
    huge = _file(
        eco,
        {"csrf_token": _form(eco), f"progress_{task_id}": "40"},
        files={
            f"evidence_{task_id}": ("照片.jpg", b"\xff" * (MAX_EVIDENCE_BYTES * 31 + 2 * 1024 * 1024), "image/jpeg")
        },
    )
    assert huge.status_code == 413
    assert _reports(server, task_id) == []
    stored = {p.name for p in server.evidence.rglob("*") if p.is_file()}
    for refused in (b"MZ" + b"\0" * 100, b"\xff" * (MAX_EVIDENCE_BYTES + 1)):
        assert hashlib.sha256(refused).hexdigest()[2:] not in stored

    good = _file(
        eco,
        {"csrf_token": _form(eco), f"progress_{task_id}": "40"},
        files={f"evidence_{task_id}": ("现场照片.jpg", b"\xff\xd8\xff\xe0 a photo", "image/jpeg")},
    )
    assert good.status_code == 303, good.text
    report = _reports(server, task_id)[-1]
    with transaction(server.engine) as session:
        evidence = session.get(Report, report.id).evidence[0]
        evidence_id, name = evidence.id, evidence.file_name
    download = eco.get(f"/evidence/{evidence_id}")
    assert download.status_code == 200 and download.content == b"\xff\xd8\xff\xe0 a photo" and name == "现场照片.jpg"
    assert download.headers["content-disposition"].startswith("attachment")
    assert download.headers["cache-control"] == "private, no-store"  # review23a: it was cacheable


def test_an_upload_without_a_declared_length_or_without_a_session_is_refused_unread(eco, server):
    task_id = server.tasks.spare[2]
    evidence_before = {p for p in server.evidence.rglob("*") if p.is_file()}

    def chunks():  # no Content-Length: sent chunked, so a length check alone would see nothing
        yield b'--x\r\nContent-Disposition: form-data; name="evidence_%d"; filename="a.jpg"\r\n\r\n' % task_id
        for _ in range(64):
            yield b"\xff" * 65536
        yield b"\r\n--x--\r\n"

    chunked = eco.post("/my/report", content=chunks(), headers={"Content-Type": "multipart/form-data; boundary=x"})
    assert chunked.status_code == 411
    with httpx.Client(base_url=server.url) as anonymous:
        unsigned = anonymous.post(
            "/my/report",
            data={"week": "2024-W23", f"progress_{task_id}": "40"},
            files={f"evidence_{task_id}": ("照片.jpg", b"\xff" * 1000, "image/jpeg")},
        )
    assert unsigned.status_code == 403
    assert {p for p in server.evidence.rglob("*") if p.is_file()} == evidence_before


def test_a_body_larger_than_a_form_is_refused_unless_a_signed_in_user_sends_files(eco, server):
    task_id = server.tasks.spare[2]
    before = _reports(server, task_id)
    megabyte = b"x" * (1024 * 1024)
    with httpx.Client(base_url=server.url) as anonymous:
        assert anonymous.post("/login", content=megabyte).status_code == 413
        unsigned = anonymous.post("/my/report", files={f"evidence_{task_id}": ("照片.jpg", megabyte, "image/jpeg")})
        assert unsigned.status_code == 403
    assert eco.post("/my/extensions", content=megabyte).status_code == 413  # no files there
    assert len(_reports(server, task_id)) == len(before)


def test_a_form_without_its_csrf_token_is_refused(eco, office, server):
    task_id = server.tasks.spare[3]
    assert _file(eco, {f"progress_{task_id}": "50"}).status_code == 403
    assert _file(eco, {"csrf_token": "forged", f"progress_{task_id}": "50"}).status_code == 403
    assert _reports(server, task_id) == []
    assert office.post("/reports/1/review", data={"decision": "accept"}).status_code == 403
    with httpx.Client(base_url=server.url) as anonymous:
        anonymous.get("/login")
        assert anonymous.post("/login", data={"username": "eco", "password": "x"}).status_code == 403


def test_a_sign_in_link_works_once_and_not_after_it_expires(server):
    with transaction(server.engine) as session:
        user = find_user(session, "eco")
        fresh = issue_sign_in_token(session, user_id=user.id, at=utcnow(), actor="test")
        expired = issue_sign_in_token(
            session, user_id=user.id, at=utcnow() - timedelta(hours=80), hours=72, actor="test"
        )
        stored = session.scalar(select(SignInToken.token_hash).where(SignInToken.user_id == user.id))
    assert fresh not in stored  # only the hash is kept

    def follow(token: str) -> httpx.Response:
        with httpx.Client(base_url=server.url, follow_redirects=False) as browser:
            page = browser.get(f"/signin/{token}")
            assert page.status_code == 200
            response = browser.post(f"/signin/{token}", data={"csrf_token": csrf_of(page.text)})
            if response.status_code == 303:
                assert browser.get("/my/tasks").status_code == 200
            return response

    assert follow(fresh).status_code == 303
    reused = follow(fresh)
    assert reused.status_code == 403 and "已使用过" in reused.text
    late = follow(expired)
    assert late.status_code == 403 and "已过期" in late.text
    assert follow("not-a-token").status_code == 403


def test_a_wrong_password_is_refused_and_passwords_are_hashed(server):
    with httpx.Client(base_url=server.url, follow_redirects=False) as browser:
        page = browser.get("/login")
        response = browser.post(
            "/login", data={"username": "eco", "password": "wrong-password", "csrf_token": csrf_of(page.text)}
        )
        assert response.status_code == 401 and "用户名或密码不正确" in response.text
    with transaction(server.engine) as session:
        stored = find_user(session, "eco").password_hash
        cookies = session.scalars(select(WebSession.token_hash)).all()
    assert stored.startswith("scrypt$") and verify_password("correct-horse-42", stored)
    assert hash_password("same") != hash_password("same")  # a salt per hash
    assert all(len(c) == 64 for c in cookies)


def test_every_web_write_is_in_the_audit_trail_with_the_user(eco, other, server):
    filed = {}
    for client, task_id in ((eco, server.tasks.spare[4]), (other, server.tasks.foreign)):
        response = _file(client, {"csrf_token": _form(client), "week": "2024-W22", f"progress_{task_id}": "15"})
        assert response.status_code == 303, response.text
        filed[_reports(server, task_id)[-1].id] = task_id
    with transaction(server.engine) as session:
        actors = dict(
            session.execute(
                select(AuditEntry.entity_id, AuditEntry.actor).where(
                    AuditEntry.entity == "reports", AuditEntry.entity_id.in_(filed)
                )
            ).all()
        )
    # people's names, not account names alone
    assert sorted(actors.values()) == sorted(["生态环境局王五（eco）", "赵六（other）"])


def test_signing_in_never_redirects_to_another_site(server):
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        with httpx.Client(base_url=server.url, follow_redirects=False) as browser:
            page = browser.get("/login")
            response = browser.post(
                "/login",
                data={
                    "username": "leader",
                    "password": "correct-horse-42",
                    "next": target,
                    "csrf_token": csrf_of(page.text),
                },
            )
            assert response.status_code == 303 and response.headers["location"] == "/"


def test_signing_out_ends_the_session_on_the_server(server):
    from tests.web.conftest import sign_in

    client = sign_in(server, "leader")
    cookie = client.cookies["wufei_session"]
    token = csrf_of(client.get("/dashboard").text)
    assert client.post("/logout", data={}).status_code == 403  # no token: still signed in
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    client.cookies.set("wufei_session", cookie)  # a copied cookie is worthless after signing out
    assert client.get("/dashboard").status_code == 303
    client.close()
    with transaction(server.engine) as session:
        [left] = session.scalars(select(AuditEntry).where(AuditEntry.action == "sign_out")).all()
        assert left.actor == "李市长（leader）"


def test_an_office_error_sends_back_to_the_page_it_came_from(office, server):
    page = office.get("/review").text
    response = office.post("/reports/999999/review", data={"csrf_token": csrf_of(page), "decision": "accept"})
    assert response.status_code >= 400
    assert '<a href="/review">返回</a>' in response.text


def test_a_supporting_liaison_does_not_see_the_lead_departments_extension_request(eco, server):
    from datetime import date

    from wufei.extensions.service import request_extension
    from wufei.tasks.models import Role, Task, TaskDepartment

    with transaction(server.engine) as session:
        supported = session.scalars(
            select(Task)
            .join(TaskDepartment)
            .where(
                TaskDepartment.department_id == server.tasks.ecology,
                TaskDepartment.role == Role.SUPPORTING,
                Task.due_date > date(2024, 6, 5),
            )
            .order_by(Task.id)
        ).first()
        lead = next(a.department_id for a in supported.assignments if a.role == Role.LEAD)
        request_extension(
            session,
            task_id=supported.id,
            department_id=lead,
            requested_on=date(2024, 6, 5),
            new_due=date(2030, 12, 31),
            reason="牵头部门内部的延期理由",
            actor="test",
        )
    page = eco.get(f"/tasks/{supported.id}")
    assert page.status_code == 200
    assert "牵头部门内部的延期理由" not in page.text


BEYOND_ANY_ID = "99999999999999999999"  # more than a 64-bit integer: the database cannot even compare it


def test_an_id_out_of_any_range_is_not_found_and_the_server_goes_on(office, server):
    task = server.tasks.spare[0]
    for path in ("/tasks/", "/reports/", "/evidence/", "/departments/"):
        for beyond in (BEYOND_ANY_ID, "2147483648", "2147483647"):  # past PostgreSQL's INTEGER, and its last
            assert office.get(path + beyond).status_code == 404, path
    csrf = csrf_of(office.get(f"/tasks/{task}").text)
    for path in (
        f"/tasks/{BEYOND_ANY_ID}/milestones",
        f"/tasks/{BEYOND_ANY_ID}/owners",
        f"/reports/{BEYOND_ANY_ID}/review",
        f"/extensions/{BEYOND_ANY_ID}/decide",
        f"/doubts/{BEYOND_ANY_ID}/decide",
    ):
        assert office.post(path, data={"csrf_token": csrf}).status_code == 404, path
    assert office.get(f"/doubts?plan={BEYOND_ANY_ID}").status_code == 404
    response = office.post(f"/tasks/{task}/owners", data={"csrf_token": csrf, "lead": BEYOND_ANY_ID})
    assert response.status_code in (303, 400), response.text  # refused as an unknown department, not a 500
    assert office.get(f"/tasks/{task}").status_code == 200  # the same connection still answers

"""Review23a's smaller findings on uploads and double submissions, over real HTTP: more evidence files
than a form takes, the same week filed six times at once, a client's path in an evidence name, and a
cell upload from someone not the office (refused before its body is read)."""

from __future__ import annotations

import re
import socket
import threading
from urllib.parse import urlsplit

import httpx
from sqlalchemy import select

from tests.web.conftest import csrf_of, sign_in
from wufei.db import transaction
from wufei.reports.models import Evidence, Report
from wufei.web.portal import SESSION_COOKIE

JPEG = b"\xff\xd8\xff\xe0 a photo"


def _reports(server, task_id: int) -> list[Report]:
    with transaction(server.engine) as session:
        return list(session.scalars(select(Report).where(Report.task_id == task_id).order_by(Report.id)))


def test_thirty_one_evidence_files_are_refused_in_chinese_and_the_typed_form_kept(eco, server):
    task = server.tasks.spare[22]
    page = eco.get("/my/report?week=2024-W23").text
    assert "一次最多 30 个文件" in page  # the form says the limit
    files = [(f"evidence_{task}", (f"照片{n}.jpg", JPEG + bytes([n]), "image/jpeg")) for n in range(31)]
    response = eco.post(
        "/my/report",
        data={
            "csrf_token": csrf_of(page),
            "week": "2024-W23",
            f"progress_{task}": "45",
            f"done_{task}": "三十一张照片",
        },
        files=files,
    )
    assert response.status_code == 400
    assert "一次最多上传30个佐证材料文件，本次选择了31个，请分次报送" in response.text
    assert "三十一张照片" in response.text
    assert _reports(server, task) == []


def test_the_same_week_filed_six_times_at_once_is_filed_once_and_the_others_told_so(server):
    task = server.tasks.spare[24]
    clients = [sign_in(server, "eco") for _ in range(6)]
    # Week 22, late: test_weekly_form files week 23 of this task on the same server.
    tokens = [csrf_of(client.get("/my/report?week=2024-W22").text) for client in clients]
    start = threading.Barrier(len(clients))
    answers: list[httpx.Response] = []

    def file(client: httpx.Client, token: str) -> None:
        start.wait()
        answers.append(
            client.post(
                "/my/report",
                data={"csrf_token": token, "week": "2024-W22", f"progress_{task}": "55", f"done_{task}": "同时提交"},
                files={f"evidence_{task}": (r"C:\Users\王五\桌面\现场照片.jpg", JPEG, "image/jpeg")},
            )
        )

    threads = [threading.Thread(target=file, args=pair) for pair in zip(clients, tokens, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for client in clients:
        client.close()

    assert sorted(answer.status_code for answer in answers) == [303, 400, 400, 400, 400, 400]
    for refused in (answer for answer in answers if answer.status_code == 400):
        assert "已报送" in refused.text and "不能重复报送" in refused.text
    (report,) = _reports(server, task)
    with transaction(server.engine) as session:
        names = session.scalars(select(Evidence.file_name).where(Evidence.report_id == report.id)).all()
    assert names == ["现场照片.jpg"]  # the base name, not the client's path


def test_a_cell_upload_from_a_leader_is_refused_before_its_body_is_read(leader, server):
    """The request's head and the start of its body are sent, the rest never: the portal must answer
    from the head (the role), not wait to read an upload it will refuse."""
    address = urlsplit(server.url)
    start = b'--x\r\nContent-Disposition: form-data; name="evidence"; filename="a.pdf"\r\n\r\n%PDF-1.4'
    head = (
        f"POST /cells/advance HTTP/1.1\r\nHost: {address.netloc}\r\n"
        f"Cookie: {SESSION_COOKIE}={leader.cookies[SESSION_COOKIE]}\r\n"
        f"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: {len(start) + 50_000}\r\n\r\n"
    )
    with socket.create_connection((address.hostname, address.port), timeout=20) as connection:
        connection.sendall(head.encode() + start)
        answer = connection.recv(4096)
    assert answer.startswith(b"HTTP/1.1 403")


def test_files_held_by_a_preview_count_toward_the_thirty_with_those_chosen_after(eco, server):
    """review23e: 30 files previewed, then 30 more chosen with the preview's token, filed 60."""
    task = server.tasks.spare[22]
    page = eco.get("/my/report?week=2024-W23").text
    files = [(f"evidence_{task}", (f"照片{n}.jpg", JPEG + bytes([n]), "image/jpeg")) for n in range(20)]
    preview = eco.post(
        "/my/report",
        data={"csrf_token": csrf_of(page), "week": "2024-W23", f"progress_{task}": "45", "action": "preview"},
        files=files,
    )
    assert preview.status_code == 200, preview.text
    token = re.search(r'name="held_evidence" value="([^"]+)"', preview.text)[1]
    more = [(f"evidence_{task}", (f"补充{n}.jpg", JPEG + bytes([n]), "image/jpeg")) for n in range(11)]
    response = eco.post(
        "/my/report",
        data={
            "csrf_token": csrf_of(preview.text),
            "week": "2024-W23",
            "held_evidence": token,
            f"progress_{task}": "45",
        },
        files=more,
    )
    assert response.status_code == 400
    assert "一次最多报送30个佐证材料文件，预览时保留的和本次选择的共31个，请分次报送" in response.text
    assert _reports(server, task) == []

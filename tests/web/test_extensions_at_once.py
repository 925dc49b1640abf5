"""Extension requests sent at once, over real HTTP: the database keeps one pending request per task
(review23a: six concurrent requests left four pending on PostgreSQL), and the others are told why."""

from __future__ import annotations

import threading

import httpx
from sqlalchemy import select

from tests.web.conftest import TODAY, csrf_of, sign_in
from wufei.db import transaction
from wufei.extensions.models import Extension, ExtensionStatus
from wufei.tasks.models import Task


def _own_fixed_task(server, page: str) -> int:
    """A fixed-deadline task of 市生态环境局's, due after today, no other test asks an extension for
    (test_pages asks for the first such spare task; the weekly-form tests only file reports)."""
    with transaction(server.engine) as session:
        return next(
            task_id
            for task_id in reversed(server.tasks.spare[1:23])
            if f'<option value="{task_id}">' in page
            and (task := session.get(Task, task_id)).deadline_kind == "fixed"
            and task.due_date
            and task.due_date > TODAY
        )


def test_six_requests_at_once_leave_one_pending_and_the_others_are_told_in_chinese(server):
    clients = [sign_in(server, "eco") for _ in range(6)]
    page = clients[0].get("/my/extensions").text
    task_id = _own_fixed_task(server, page)
    forms = [csrf_of(client.get("/my/extensions").text) for client in clients]
    start = threading.Barrier(len(clients))
    answers: list[httpx.Response] = []

    def ask(client: httpx.Client, token: str) -> None:
        start.wait()
        answers.append(
            client.post(
                "/my/extensions",
                data={"csrf_token": token, "task_id": str(task_id), "until": "2027-06-30", "reason": "同时提交"},
            )
        )

    threads = [threading.Thread(target=ask, args=pair) for pair in zip(clients, forms, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for client in clients:
        client.close()

    with transaction(server.engine) as session:
        pending = session.scalars(
            select(Extension.id).where(Extension.task_id == task_id, Extension.status == ExtensionStatus.PENDING)
        ).all()
    assert len(pending) == 1
    assert sorted(answer.status_code for answer in answers) == [303, 400, 400, 400, 400, 400]
    for refused in (answer for answer in answers if answer.status_code == 400):
        assert f"该任务已有待审批的延期申请（编号{pending[0]}），请等待办公室审批" in refused.text

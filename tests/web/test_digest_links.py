"""The links the daily digests carry open a page for their readers (review23a: a leader's digest
linked /my/tasks, which refuses leaders with 403)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.web.conftest import sign_in
from wufei.notify.digest import build_digests

DAY = date(2024, 6, 3)


def _intent(id: int, audience: str, task_id: int) -> dict:
    payload = {"task_id": task_id, "title": "严把环境准入关", "due_date_cn": "2024年5月31日", "days_overdue": 20}
    return {
        "id": id,
        "kind": "red_slip",
        "audience": audience,
        "department_id": 1,
        "period": "2024-06-03",
        "created_on": DAY,
        "resolved_on": None,
        "payload": payload,
    }


@pytest.mark.parametrize(
    ("audience", "account", "lands_on"), [("leader", "leader", "/dashboard"), ("liaison", "eco", "/my/")]
)
def test_a_digests_link_opens_its_readers_page(server, monkeypatch, audience, account, lands_on):
    monkeypatch.setenv("WUFEI_PORTAL_URL", server.url)
    intent = _intent(1, audience, server.tasks.first)
    (digest,) = build_digests([intent], day=DAY, department_names={1: "市生态环境局"}, delivered=set())
    links = re.findall(rf"{re.escape(server.url)}(\S*)", digest.body)
    assert links[0] == f"/tasks/{server.tasks.first}" and len(links) == 2  # the task's, then the reader's home
    reader = sign_in(server, account)
    task, home = (reader.get(link, follow_redirects=True) for link in links)
    reader.close()
    assert task.status_code == 200
    assert home.status_code == 200 and home.url.path.startswith(lands_on)

"""The office's 发送核实 page: deliveries whose outcome is unknown (or given up) listed with what
each service answered; the office confirms one arrived, or resends it (a real send through the
outbox channel); liaisons cannot see or do either."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from sqlalchemy import select

from tests.web.conftest import csrf_of
from wufei.db import transaction
from wufei.notify.models import Delivery, Dispatch

AT = datetime(2024, 6, 5, 1, 30, tzinfo=UTC)


def _unknown_dispatch(server, subject: str) -> int:
    with transaction(server.engine) as session:
        dispatch = Dispatch(
            key=f"digest|2024-06-05|liaison|dept:{server.tasks.ecology}|{subject}",
            day=date(2024, 6, 5),
            audience="liaison",
            department_id=server.tasks.ecology,
            tag=f"dept-{server.tasks.ecology}",
            subject=subject,
            body="请于6月7日前报送进展。",
            status="unknown",
            attempts=1,
            next_attempt_at=None,
            created_at=AT,
        )
        session.add(dispatch)
        session.flush()
        session.add(
            Delivery(
                dispatch_id=dispatch.id,
                service_url="json://robot.example/hook",
                status="unknown",
                error="结果不明：HTTP 请求已发出但未得到答复（ReadTimeout），对方可能已收到",
                duration_ms=4000,
                attempted_at=AT,
            )
        )
        return dispatch.id


def _state(server, dispatch_id: int) -> tuple[str, list[tuple[str, str | None]]]:
    with transaction(server.engine) as session:
        dispatch = session.get(Dispatch, dispatch_id)
        records = session.execute(
            select(Delivery.status, Delivery.error).where(Delivery.dispatch_id == dispatch_id).order_by(Delivery.id)
        ).all()
        return dispatch.status, [tuple(r) for r in records]


def test_the_office_confirms_one_and_resends_another(server, office, eco, tmp_path, monkeypatch):
    outbox = tmp_path / "outbox"
    monkeypatch.setenv("WUFEI_OUTBOX_DIR", str(outbox))  # the shipped channels: everything to the outbox
    arrived = _unknown_dispatch(server, "【逾期提醒】核实测试：已收到")
    lost = _unknown_dispatch(server, "【逾期提醒】核实测试：未收到")

    page = office.get("/deliveries").text
    assert "核实测试：已收到" in page and "核实测试：未收到" in page and "ReadTimeout" in page

    response = office.post(
        f"/deliveries/{arrived}/confirm", data={"csrf_token": csrf_of(page), "note": "已电话确认收到"}
    )
    assert response.status_code == 303, response.text
    status, records = _state(server, arrived)
    assert status == "sent" and records[-1] == ("confirmed", "已电话确认收到（office）")
    assert not outbox.exists()  # confirmed: nothing sent

    response = office.post(f"/deliveries/{lost}/resend", data={"csrf_token": csrf_of(page)})
    assert response.status_code == 303, response.text
    status, records = _state(server, lost)
    assert status == "sent" and [r[0] for r in records] == ["unknown", "sent"]
    [message] = [json.loads(p.read_text(encoding="utf-8")) for p in outbox.glob("*.json")]
    assert message["subject"] == "【逾期提醒】核实测试：未收到"

    page = office.get("/deliveries").text
    assert "核实测试" not in page
    again = office.post(f"/deliveries/{arrived}/confirm", data={"csrf_token": csrf_of(page)})
    assert again.status_code == 400 and "不是结果不明" in again.text


def test_a_liaison_can_neither_see_nor_decide_deliveries(server, eco):
    dispatch_id = _unknown_dispatch(server, "【逾期提醒】核实测试：联络员")
    assert eco.get("/deliveries").status_code == 403
    page = eco.get("/my/tasks").text
    response = eco.post(f"/deliveries/{dispatch_id}/confirm", data={"csrf_token": csrf_of(page)})
    assert response.status_code == 403
    response = eco.post(f"/deliveries/{dispatch_id}/resend", data={"csrf_token": csrf_of(page)})
    assert response.status_code == 403
    assert _state(server, dispatch_id)[0] == "unknown"

"""Fixtures for delivery tests: departments, intents, an outbox folder, a real SMTP server."""

from __future__ import annotations

import socket
from datetime import date
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

import wufei.notify.models  # noqa: F401  (registers the tables until load_all_models imports them)
from wufei.departments.models import Department
from wufei.notices.service import create_intents
from wufei.notify.channels import Channels
from wufei.plans.models import Jurisdiction

DAY = date(2024, 6, 3)


@pytest.fixture(autouse=True)
def no_politeness_sleep(monkeypatch):
    """Apprise waits `request_rate_per_sec` (5.5 s) between two sends to one service, to spare
    remote APIs; every receiver here is local (SMTP and HTTP on 127.0.0.1, or refused ports)."""
    from apprise.plugins.base import NotifyBase

    monkeypatch.setattr(NotifyBase, "request_rate_per_sec", 0)


@pytest.fixture
def outbox(tmp_path, monkeypatch):
    folder = tmp_path / "outbox"
    monkeypatch.setenv("WUFEI_OUTBOX_DIR", str(folder))
    return folder


def outbox_messages(folder):
    import json

    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))] if folder.exists() else []


@pytest.fixture
def channels_from(tmp_path):
    """Channels from YAML text written to a file (as an office would)."""

    def _load(text: str) -> Channels:
        path = tmp_path / "apprise.yaml"
        path.write_text(text, encoding="utf-8")
        return Channels.load(path)

    return _load


@pytest.fixture
def departments(session):
    city = Jurisdiction(name="测试市", level="city")
    made = [Department(jurisdiction=city, name=name, kind="bureau") for name in ("市生态环境局", "市住房城乡建设局")]
    session.add_all(made)
    session.flush()
    return made


def intent(key, kind, department_id, *, audience="liaison", created_on=DAY, **payload):
    return {
        "key": key,
        "kind": kind,
        "step": kind,
        "audience": audience,
        "department_id": department_id,
        "period": created_on.isoformat(),
        "created_on": created_on,
        "payload": payload,
    }


@pytest.fixture
def some_intents(session, departments):
    env, build = departments
    ids = create_intents(
        session,
        [
            intent(
                "a", "red_slip", env.id, title="建设危险废物集中处置中心", due_date_cn="2024年5月31日", days_overdue=20
            ),
            intent("b", "due_soon", env.id, title="开展无废细胞建设", due_date_cn="2024年6月10日", workdays_left=5),
            intent(
                "c",
                "report_returned",
                build.id,
                task_title="建筑垃圾资源化利用",
                week_cn="2024年第22周",
                version=1,
                reason="缺少佐证材料",
            ),
        ],
    )
    session.flush()
    return ids


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """aiosmtpd handler keeping every message received."""

    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.raw: list[bytes] = []  # as received on the wire

    async def handle_DATA(self, server, session, envelope):
        self.raw.append(envelope.original_content or envelope.content)
        self.messages.append(message_from_bytes(envelope.original_content or envelope.content, policy=policy.default))
        return "250 OK"


class SmtpServer:
    def __init__(self, port: int):
        self.port, self.inbox, self.controller = port, Inbox(), None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def url(self, to: str) -> str:
        return f"mailto://127.0.0.1:{self.port}?from=office@wufei.test&to={to}&format=text"


@pytest.fixture
def smtp():
    server = SmtpServer(free_port())
    yield server
    server.stop()

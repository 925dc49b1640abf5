"""Failures whose outcome cannot be known are `unknown` and never resent without a person; failures
known to be before acceptance are retried. Real receivers that log each message on arrival: a
webhook that answers after the client's timeout, an SMTP server that drops the connection after
taking the message (aiosmtpd), ports where nothing listens, a receiver answering 500."""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from tests.rules import CADENCE
from wufei import migrate
from wufei.db import make_sessionmaker, transaction
from wufei.departments.models import Department
from wufei.notices.commands import notices
from wufei.notices.models import NoticeIntent
from wufei.notices.service import create_intents
from wufei.notify import runs
from wufei.notify.models import Delivery, Dispatch
from wufei.plans.models import Jurisdiction

from .conftest import DAY, free_port, intent

pytestmark = pytest.mark.faults  # the fault suite of issue 14: `pytest -m faults`

T0 = datetime(2024, 6, 3, 1, 15, tzinfo=UTC)


class SlowWebhook:
    """A real HTTP server on 127.0.0.1 that logs each POST as it arrives, then answers after
    `delay` seconds (longer than the client waits), or at once with `status`."""

    def __init__(self, *, delay: float = 0.0, status: int = 200):
        self.arrivals: list[bytes] = []
        self.delay, self.status = delay, status
        webhook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                webhook.arrivals.append(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                time.sleep(webhook.delay)
                try:
                    self.send_response(webhook.status)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"{}")
                except OSError:  # the client gave up waiting and closed
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, *, read_timeout: float = 0.5) -> str:
        return f"json://127.0.0.1:{self.port}/hook?rto={read_timeout}&cto=2"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def database(fresh_engine, outbox, monkeypatch):
    migrate.upgrade(fresh_engine)
    with transaction(fresh_engine) as session:
        city = Jurisdiction(name="测试市", level="city")
        env = Department(jurisdiction=city, name="市生态环境局", kind="bureau")
        session.add(env)
        session.flush()
        create_intents(session, [intent("k1", "overdue", env.id, title="建设危险废物集中处置中心", days_overdue=3)])
    monkeypatch.setenv("WUFEI_DATABASE_URL", fresh_engine.url.render_as_string(hide_password=False))
    return fresh_engine


@pytest.fixture
def use_channels(tmp_path, monkeypatch, database):
    """Write the Apprise YAML the CLI and the runs load (every digest goes to these services)."""

    def _use(*urls: str):
        path = tmp_path / "apprise.yaml"
        path.write_text("urls:\n" + "".join(f"  - {url}:\n      - tag: fallback\n" for url in urls), encoding="utf-8")
        monkeypatch.setenv("WUFEI_APPRISE_CONFIG", str(path))

    return _use


def _dispatch(engine) -> tuple[Dispatch, list[Delivery]]:
    with make_sessionmaker(engine)() as session:
        dispatch = session.scalars(select(Dispatch).where(Dispatch.audience != "office")).one()
        records = list(session.scalars(select(Delivery).where(Delivery.dispatch_id == dispatch.id)))
        session.expunge_all()
        return dispatch, records


def _cli(*args: str):
    return CliRunner().invoke(notices, list(args), catch_exceptions=False)


def _unknown_flags(engine) -> list[dict]:
    with make_sessionmaker(engine)() as session:
        return [
            flag.payload
            for flag in session.scalars(select(NoticeIntent).where(NoticeIntent.kind == "delivery_failed"))
            if flag.payload["outcome"] == "unknown"
        ]


def test_a_webhook_answering_after_the_timeout_is_unknown_and_retry_all_does_not_resend(database, use_channels):
    webhook = SlowWebhook(delay=2.0)
    try:
        use_channels(webhook.url(read_timeout=0.5))
        summary = runs.deliver_day(database, DAY, now=T0, cadence=CADENCE)
        assert (summary["sent"], summary["failed"], summary["unknown"]) == (0, 0, 1)
        assert len(webhook.arrivals) == 1  # it did arrive: the client stopped waiting for the answer

        dispatch, [record] = _dispatch(database)
        assert (dispatch.status, dispatch.next_attempt_at, record.status) == ("unknown", None, "unknown")
        assert "结果不明" in record.error and "ReadTimeout" in record.error
        [flag] = _unknown_flags(database)
        assert flag["dispatch_id"] == dispatch.id

        # Neither the backoff's retry nor `--all`, however often, sends it again.
        assert runs.retry_due(database, now=T0 + timedelta(days=1), cadence=CADENCE)["due"] == 0
        result = _cli("retry", "--all")
        assert result.exit_code == 0 and "没有到期需要重试的发送" in result.output, result.output
        webhook.delay = 0
        office = runs.deliver_day(database, DAY, now=T0 + timedelta(hours=1), cadence=CADENCE)
        assert (office["claimed"], office["sent"]) == (1, 1)  # only the office's notice: 通知送达待核实
        titles = [json.loads(a)["title"] for a in webhook.arrivals]
        assert len(titles) == 2 and "通知送达待核实" in titles[1]
        assert titles[0].startswith("【逾期提醒】")  # the digest itself arrived once

        # The office checked with the recipient: it arrived.
        result = _cli("confirm", "--dispatch", str(dispatch.id), "--note", "已电话确认收到")
        assert result.exit_code == 0 and f"发送记录 {dispatch.id} 已确认送达" in result.output, result.output
        dispatch, records = _dispatch(database)
        assert dispatch.status == "sent" and dispatch.sent_at is not None
        assert [(r.status, r.error) for r in records][-1] == ("confirmed", "已电话确认收到")
        assert _cli("retry", "--all").output.startswith("没有到期需要重试的发送")
        again = _cli("confirm", "--dispatch", str(dispatch.id))
        assert again.exit_code == 1 and "不是结果不明" in again.output
        assert len(webhook.arrivals) == 2
    finally:
        webhook.close()


def test_an_unknown_webhook_delivery_is_resent_only_when_the_office_asks(database, use_channels):
    webhook = SlowWebhook(delay=1.5)
    try:
        use_channels(webhook.url(read_timeout=0.3))
        assert runs.deliver_day(database, DAY, now=T0, cadence=CADENCE)["unknown"] == 1
        dispatch, _ = _dispatch(database)
        webhook.delay = 0  # the receiver is answering in time again
        result = _cli("retry", "--dispatch", str(dispatch.id), "--resend")
        assert result.exit_code == 0 and "成功 1 条" in result.output, result.output
        assert len(webhook.arrivals) == 2  # the office's decision, after checking it did not arrive
        dispatch, records = _dispatch(database)
        assert dispatch.status == "sent" and [r.status for r in records] == ["unknown", "sent"]
    finally:
        webhook.close()


def test_failures_known_before_acceptance_are_retried_and_arrive_once(database, use_channels):
    refused = free_port()  # nothing listens: connection refused, nothing can have arrived
    failing = SlowWebhook(status=500)
    try:
        use_channels(f"json://127.0.0.1:{refused}/hook?cto=1", failing.url(read_timeout=2))
        summary = runs.deliver_day(database, DAY, now=T0, cadence=CADENCE)
        assert (summary["failed"], summary["unknown"]) == (1, 0)
        dispatch, records = _dispatch(database)
        assert dispatch.status == "failed" and sorted(r.status for r in records) == ["failed", "failed"]
        assert len(failing.arrivals) == 1

        failing.status = 200  # the receiver recovers; the refused one is still down
        retried = runs.retry_due(database, now=T0 + timedelta(minutes=6), cadence=CADENCE)
        assert (retried["due"], retried["failed"], retried["messages"]) == (1, 1, 1)
        assert len(failing.arrivals) == 2  # its 500 was an answer: it had not taken the message
        again = runs.retry_due(database, now=T0 + timedelta(days=1), cadence=CADENCE, ignore_backoff=True)
        assert (again["due"], again["messages"]) == (1, 0)
        assert len(failing.arrivals) == 2  # accepted once: never sent to it again
        assert _unknown_flags(database) == []
    finally:
        failing.close()


@pytest.fixture
def dropping_smtp(smtp):
    """The real aiosmtpd server of conftest, made to take each message and then drop the
    connection before answering the end of DATA (as a server killed at that moment does)."""
    inbox = smtp.inbox
    take = type(inbox).handle_DATA

    async def handle_DATA(server, session, envelope):
        await take(inbox, server, session, envelope)
        if smtp.drop:
            server.transport.abort()
        return "250 OK"

    inbox.handle_DATA = handle_DATA
    smtp.drop = True
    return smtp


def test_an_smtp_connection_lost_after_data_is_unknown_and_not_resent(database, use_channels, dropping_smtp):
    smtp = dropping_smtp
    smtp.start()
    use_channels(smtp.url("liaison@wufei.test"))
    summary = runs.deliver_day(database, DAY, now=T0, cadence=CADENCE)
    assert (summary["sent"], summary["failed"], summary["unknown"]) == (0, 0, 1)
    assert len(smtp.inbox.messages) == 1
    dispatch, [record] = _dispatch(database)
    assert (dispatch.status, record.status) == ("unknown", "unknown")
    assert "DATA" in record.error

    smtp.drop = False
    assert _cli("retry", "--all").output.startswith("没有到期需要重试的发送")
    assert runs.retry_due(database, now=T0 + timedelta(days=2), cadence=CADENCE, ignore_backoff=True)["due"] == 0
    assert len(smtp.inbox.messages) == 1
    [flag] = _unknown_flags(database)
    assert flag["dispatch_id"] == dispatch.id and "DATA" in flag["error"]

    # The office's digest the next day says so, with both ways out.
    runs.deliver_day(database, DAY + timedelta(days=1), now=T0 + timedelta(days=1), cadence=CADENCE)
    office = smtp.inbox.messages[-1]
    assert "通知送达待核实" in office["subject"]
    body = office.get_content()
    assert f"wufei notices confirm --dispatch {dispatch.id}" in body and "--resend" in body


def test_an_smtp_server_refusing_before_data_is_a_failure_and_retried(database, use_channels, smtp):
    class RefusingRecipient:
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            return "450 mailbox busy"

    smtp.inbox.handle_RCPT = RefusingRecipient().handle_RCPT
    smtp.start()
    use_channels(smtp.url("liaison@wufei.test"))
    assert runs.deliver_day(database, DAY, now=T0, cadence=CADENCE)["failed"] == 1
    del smtp.inbox.handle_RCPT
    retried = runs.retry_due(database, now=T0 + timedelta(minutes=6), cadence=CADENCE)
    assert (retried["sent"], len(smtp.inbox.messages)) == (1, 1)

"""Email over one SMTP connection per server for a run (wufei.notify.mail), against the real
aiosmtpd server of conftest: every recipient's service shares the office's server, so a run says
EHLO once; a connection the server closed meanwhile is reopened and the message arrives once."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from sqlalchemy import select

from tests.rules import CADENCE
from wufei import migrate
from wufei.db import make_sessionmaker, transaction
from wufei.departments.models import Department
from wufei.notices.service import create_intents
from wufei.notify import runs
from wufei.notify.channels import Channels
from wufei.notify.models import Delivery, Dispatch
from wufei.notify.service import deliver
from wufei.plans.models import Jurisdiction

from .conftest import DAY, intent

T0 = datetime(2024, 6, 3, 1, 0, tzinfo=UTC)


def _count_connections(smtp, opened: list[float] | None = None) -> list[str]:
    """The server's EHLO greetings: one per connection a client opened (and when, into `opened`)."""
    greetings: list[str] = []

    async def handle_EHLO(server, session, envelope, hostname, responses):
        greetings.append(hostname)
        if opened is not None:
            opened.append(time.monotonic())
        session.host_name = hostname  # what aiosmtpd does itself when no hook is set
        return responses

    smtp.inbox.handle_EHLO = handle_EHLO
    return greetings


def _departments(session, count: int) -> list[Department]:
    city = Jurisdiction(name="测试市", level="city")
    units = [Department(jurisdiction=city, name=f"测试部门{n}", kind="bureau") for n in range(count)]
    session.add_all(units)
    session.flush()
    create_intents(
        session, [intent(f"p{d.id}", "overdue", d.id, title=f"{d.name}的任务", days_overdue=2) for d in units]
    )
    return units


def _per_recipient(smtp, units, outbox) -> str:
    """As contacts make them: one mailto service per recipient, all through one server."""
    urls = "".join(f"  - {smtp.url(f'dept{d.id}@wufei.test')}:\n      - tag: dept-{d.id}\n" for d in units)
    return f"version: 1\nurls:\n{urls}  - outbox://localhost{outbox}:\n      - tag: office\n"


def configured_recipients(engine, count: int, *, smtp, outbox, tmp_path, monkeypatch) -> list[Department]:
    """`count` departments in a migrated database, each reached by its own mailto service through
    the test server (`_per_recipient`), configured for the runs of this test."""
    migrate.upgrade(engine)
    with transaction(engine) as session:
        units = _departments(session, count)
    config = tmp_path / "apprise.yaml"
    config.write_text(_per_recipient(smtp, units, outbox), encoding="utf-8")
    monkeypatch.setenv("WUFEI_APPRISE_CONFIG", str(config))
    return units


def test_a_run_sends_every_recipients_email_over_one_connection(fresh_engine, outbox, smtp, tmp_path, monkeypatch):
    units = configured_recipients(fresh_engine, 8, smtp=smtp, outbox=outbox, tmp_path=tmp_path, monkeypatch=monkeypatch)
    greetings = _count_connections(smtp)
    smtp.start()

    summary = runs.deliver_day(fresh_engine, DAY, now=T0, cadence=CADENCE, concurrency=3)
    assert (summary["sent"], summary["messages"]) == (8, 8), summary
    assert sorted(m["to"] for m in smtp.inbox.messages) == sorted(f"dept{d.id}@wufei.test" for d in units)
    assert len(greetings) == 1  # eight services, three sending threads, one server: one connection

    with make_sessionmaker(fresh_engine)() as session:
        assert set(session.scalars(select(Delivery.status))) == {"sent"}


def _restart_server_after(count: int, smtp, monkeypatch) -> None:
    """The server goes away and comes back after `count` sends: the run's kept connection is dead."""
    real_send, sent = Channels.send_to, []

    def restarting(self, *args, **kwargs):
        if len(sent) == count:
            smtp.stop()
            smtp.start()
        sent.append(args[1])
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(Channels, "send_to", restarting)


def test_a_kept_connection_the_server_closed_is_reopened_and_each_email_arrives_once(
    session, outbox, smtp, channels_from, monkeypatch
):
    units = _departments(session, 6)
    channels = channels_from(_per_recipient(smtp, units, outbox))
    greetings = _count_connections(smtp)
    smtp.start()
    _restart_server_after(3, smtp, monkeypatch)
    summary = deliver(session, day=DAY, channels=channels, now=T0, zone=CADENCE.timezone)
    channels.close()

    assert (summary["sent"], summary["failed"], summary["unknown"]) == (6, 0, 0)
    assert sorted(m["to"] for m in smtp.inbox.messages) == sorted(f"dept{d.id}@wufei.test" for d in units)
    assert len(greetings) == 2  # the first connection, and the one reopened after the restart
    assert {d.status for d in session.scalars(select(Dispatch))} == {"sent"}


def test_a_connection_reopened_to_a_server_waits_the_politeness_pause_since_the_last_one_opened(
    session, outbox, smtp, channels_from, monkeypatch
):
    """Over a kept connection messages follow each other; a new connection to the same server (here,
    after the server restarted) waits Apprise's pause (`request_rate_per_sec`) since the last one was
    opened, as Apprise spaces its requests to one service."""
    from apprise.plugins.base import NotifyBase

    pause = 0.8
    monkeypatch.setattr(NotifyBase, "request_rate_per_sec", pause)  # conftest sets it to 0 for every other test
    units = _departments(session, 4)
    channels = channels_from(_per_recipient(smtp, units, outbox))
    opened: list[float] = []
    greetings = _count_connections(smtp, opened)
    smtp.start()
    _restart_server_after(2, smtp, monkeypatch)
    summary = deliver(session, day=DAY, channels=channels, now=T0, zone=CADENCE.timezone)
    channels.close()

    assert (summary["sent"], summary["failed"], summary["unknown"]) == (4, 0, 0)
    assert len(greetings) == 2 and len(smtp.inbox.messages) == 4
    # The pause runs from the client's opening, the greetings come a connect and a banner later: a few
    # milliseconds on an idle machine, a few hundred on a loaded one (the first greeting late, the
    # second on time: it failed at load 4). Without the pause they are milliseconds apart.
    assert opened[1] - opened[0] >= 0.5 * pause


def test_a_kept_connection_lost_after_data_is_unknown_and_not_sent_again_over_a_new_one(
    session, outbox, smtp, channels_from
):
    """The reopening is only for a connection found dead before the message left: one lost
    after DATA's 354 (the server took the second email, then dropped) stays `unknown`."""
    units = _departments(session, 3)
    channels = channels_from(_per_recipient(smtp, units, outbox))
    greetings = _count_connections(smtp)
    inbox, take = smtp.inbox, type(smtp.inbox).handle_DATA

    async def drop_the_second(server, session_, envelope):
        await take(inbox, server, session_, envelope)
        if len(inbox.messages) == 2:
            server.transport.abort()
        return "250 OK"

    inbox.handle_DATA = drop_the_second
    smtp.start()
    summary = deliver(session, day=DAY, channels=channels, now=T0, zone=CADENCE.timezone)
    channels.close()

    assert (summary["sent"], summary["unknown"], summary["failed"]) == (2, 1, 0)
    assert len(smtp.inbox.messages) == 3  # each email once: the dropped one was not sent again
    assert len(greetings) == 2  # the third email went over a new connection
    unknown = session.scalars(select(Dispatch).where(Dispatch.status == "unknown")).one()
    [record] = session.scalars(select(Delivery).where(Delivery.dispatch_id == unknown.id))
    assert record.status == "unknown" and "DATA" in record.error

"""The SMTP conversation runs in a courier process (wufei.notify.courier), against the real aiosmtpd
server of conftest: a courier killed while it holds a message leaves that message `unknown` (never
`failed`, never sent again by a retry) and the run goes on over a new courier; a message the server
refuses after its content is a known failure with the server's reply, retried and then sent once.
The other outcome rules through the courier: test_mail_sessions (a connection the server closed is
reopened; one lost after DATA is unknown), test_unknown_outcomes (a refusal before DATA is retried)."""

from __future__ import annotations

import os
import signal
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.rules import CADENCE
from wufei.db import make_sessionmaker
from wufei.notify import runs
from wufei.notify.models import Delivery, Dispatch

from .conftest import DAY
from .test_mail_sessions import _count_connections, configured_recipients

pytestmark = pytest.mark.faults  # the fault suite of issue 14: `pytest -m faults`

T0 = datetime(2024, 6, 3, 1, 0, tzinfo=UTC)


def _outcomes(engine) -> dict[str, tuple[str, list[tuple[str, str | None]]]]:
    """Each department's dispatch: its status and its deliveries' (status, error)."""
    with make_sessionmaker(engine)() as session:
        return {
            dispatch.tag: (
                dispatch.status,
                [
                    (record.status, record.error)
                    for record in session.scalars(
                        select(Delivery).where(Delivery.dispatch_id == dispatch.id).order_by(Delivery.id)
                    )
                ],
            )
            for dispatch in session.scalars(select(Dispatch))
        }


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_courier_killed_holding_a_message_leaves_it_unknown_and_the_run_goes_on(
    fresh_engine, outbox, smtp, tmp_path, monkeypatch
):
    units = configured_recipients(fresh_engine, 3, smtp=smtp, outbox=outbox, tmp_path=tmp_path, monkeypatch=monkeypatch)
    greetings = _count_connections(smtp)
    answer_first, first_arrived = threading.Event(), threading.Event()
    keep = smtp.inbox.handle_DATA

    async def held_first(server, session, envelope):
        if not first_arrived.is_set():  # the content is here; the courier waits for the answer
            first_arrived.set()
            answer_first.wait(60)
        return await keep(server, session, envelope)

    smtp.inbox.handle_DATA = held_first
    smtp.start()
    channels = runs.load_channels(fresh_engine)
    summaries: list[dict] = []
    run = threading.Thread(
        target=lambda: summaries.append(
            runs.deliver_day(fresh_engine, DAY, now=T0, cadence=CADENCE, channels=channels, concurrency=1)
        )
    )
    run.start()
    try:
        assert first_arrived.wait(60)
        [courier] = channels.mail.couriers()
        assert courier != os.getpid()
        os.kill(courier, signal.SIGKILL)
    finally:
        answer_first.set()
        run.join(120)
    assert not _alive(courier)
    assert (summaries[0]["sent"], summaries[0]["unknown"], summaries[0]["failed"]) == (2, 1, 0), summaries

    outcomes = _outcomes(fresh_engine)
    first = f"dept-{units[0].id}"
    status, [(record, error)] = outcomes.pop(first)
    assert (status, record) == ("unknown", "unknown")
    assert error is not None and "投递子进程在发送中退出" in error
    assert {status for status, _ in outcomes.values()} == {"sent"}
    assert len(greetings) == 2  # the rest went over a new courier's connection
    assert sorted(m["to"] for m in smtp.inbox.messages) == sorted(f"dept{d.id}@wufei.test" for d in units)

    retried = runs.retry_due(fresh_engine, now=T0 + timedelta(days=2), cadence=CADENCE, ignore_backoff=True)
    assert retried["due"] == 0  # unknown: a person decides, nothing sends it again
    assert len(smtp.inbox.messages) == 3


def test_a_message_refused_after_its_content_is_a_known_failure_with_the_server_s_reply(
    fresh_engine, outbox, smtp, tmp_path, monkeypatch
):
    units = configured_recipients(fresh_engine, 2, smtp=smtp, outbox=outbox, tmp_path=tmp_path, monkeypatch=monkeypatch)
    refused = f"dept{units[0].id}@wufei.test"
    keep = smtp.inbox.handle_DATA

    async def refusing_one(server, session, envelope):
        if envelope.rcpt_tos == [refused]:
            return "554 5.7.1 内容被拒收"
        return await keep(server, session, envelope)

    smtp.inbox.handle_DATA = refusing_one
    smtp.start()
    summary = runs.deliver_day(fresh_engine, DAY, now=T0, cadence=CADENCE, concurrency=2)
    assert (summary["sent"], summary["failed"], summary["unknown"]) == (1, 1, 0), summary

    status, [(record, error)] = _outcomes(fresh_engine)[f"dept-{units[0].id}"]
    assert (status, record) == ("failed", "failed")
    assert error is not None and "554" in error and "SMTPDataError" in error and refused in error

    smtp.inbox.handle_DATA = keep
    retried = runs.retry_due(fresh_engine, now=T0 + timedelta(days=2), cadence=CADENCE, ignore_backoff=True)
    assert (retried["due"], retried["sent"]) == (1, 1)
    assert sorted(m["to"] for m in smtp.inbox.messages) == sorted(f"dept{d.id}@wufei.test" for d in units)

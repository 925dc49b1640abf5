"""A run opens attempts ahead of its senders (wufei.notify.runs): at most `concurrency` of them are
open (their `sending` rows committed) before their message is answered, so a run that dies leaves
at most that many messages whose outcome nobody knows. Against the real aiosmtpd server of conftest,
holding the first message's DATA until the test has looked at the database."""

from __future__ import annotations

import email.quoprimime
import os
import threading
import time
from datetime import UTC, datetime

from sqlalchemy import func, select

from tests.rules import CADENCE
from wufei.db import make_sessionmaker
from wufei.notify import runs
from wufei.notify.models import Delivery

from .conftest import DAY
from .test_mail_sessions import configured_recipients

T0 = datetime(2024, 6, 3, 1, 0, tzinfo=UTC)


def _sending(engine) -> int:
    with make_sessionmaker(engine)() as session:
        return session.scalar(select(func.count()).where(Delivery.status == "sending")) or 0


def test_a_run_has_at_most_concurrency_messages_open_and_unanswered(fresh_engine, outbox, smtp, tmp_path, monkeypatch):
    units = configured_recipients(
        fresh_engine, 12, smtp=smtp, outbox=outbox, tmp_path=tmp_path, monkeypatch=monkeypatch
    )
    answer_first, first_arrived = threading.Event(), threading.Event()
    keep = smtp.inbox.handle_DATA

    async def held_first(server, session, envelope):
        if not first_arrived.is_set():
            first_arrived.set()
            answer_first.wait(60)  # the run waits for this answer, its other messages behind it
        return await keep(server, session, envelope)

    smtp.inbox.handle_DATA = held_first
    smtp.start()
    summaries: list[dict] = []
    run = threading.Thread(
        target=lambda: summaries.append(runs.deliver_day(fresh_engine, DAY, now=T0, cadence=CADENCE, concurrency=4))
    )
    run.start()
    try:
        assert first_arrived.wait(60)
        deadline = time.monotonic() + 60
        while _sending(fresh_engine) < 4 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)  # time enough for a run without a window to open more
        assert _sending(fresh_engine) == 4  # the window filled, and no further
    finally:
        answer_first.set()
        run.join(120)
    assert (summaries[0]["sent"], summaries[0]["messages"]) == (12, 12), summaries
    assert sorted(m["to"] for m in smtp.inbox.messages) == sorted(f"dept{d.id}@wufei.test" for d in units)
    with make_sessionmaker(fresh_engine)() as session:
        assert list(session.scalars(select(Delivery.status).distinct())) == ["sent"]


def test_the_quoted_printable_header_length_is_the_standard_library_s():
    """wufei.notify.mail counts it in C; the email package's own definition, kept here, must agree."""
    table = email.quoprimime._QUOPRI_HEADER_MAP  # type: ignore[attr-defined]

    def reference(octets: bytes) -> int:
        return sum(len(table[octet]) for octet in octets)

    import wufei.notify.mail  # noqa: F401  # installs it

    samples = [bytes([octet]) for octet in range(256)] + [os.urandom(n) for n in range(0, 200, 7)]
    samples += ["【逾期提醒】推进第12项任务 a_b=c?".encode()]
    assert email.quoprimime.header_length is not reference
    for sample in samples:
        assert email.quoprimime.header_length(sample) == reference(sample)
        assert email.quoprimime.header_length(bytearray(sample)) == reference(sample)


def test_a_remembered_header_is_written_out_as_the_standard_library_writes_it():
    """wufei.notify.mail remembers `Compat32._fold` for plain-text values; the stdlib's own function,
    kept there, must give the same text for every policy, first time and remembered."""
    from email import policy as policies
    from email.header import Header

    from wufei.notify import mail

    assert policies.compat32._fold is not mail._fold_header
    values = [
        "office@wufei.test",
        "=?utf-8?b?5biC55Sf5oCB546v5aKD5bGA?= <dept12@wufei.test>",
        "Mon, 03 Jun 2024 09:00:00 +0800",
        'text/plain; charset="utf-8"',
        "a header long enough to be folded over more than one line " * 3,
        "无废城市 plain text not ASCII",
        "surrogate \udce4 escaped",
    ]
    for policy in (
        policies.compat32,
        policies.compat32.clone(linesep="\r\n"),
        policies.compat32.clone(max_line_length=None),
    ):
        for value in values:
            for sanitize in (True, False):
                expected = mail._fold_header(policy, "X-Test", value, sanitize)
                assert policy._fold("X-Test", value, sanitize) == expected
                assert policy._fold("X-Test", value, sanitize) == expected  # remembered
        subject = Header("【逾期提醒】推进第12项任务", "utf-8")
        assert policy.fold("Subject", subject) == mail._fold_header(policy, "Subject", subject, True)

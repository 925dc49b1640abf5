"""Delivery throughput: 10,000 department digests through Apprise to a local SMTP server, against the floor.

For each database (WUFEI_BENCH_DATABASES, default SQLite and PostgreSQL; see common.databases): a
database with WUFEI_BENCH_DIGESTS departments (default 10,000) and one overdue intent each, an
Apprise configuration with one mailto:// service tagged `fallback` (every `dept-<id>` tag falls
back to it), and an aiosmtpd server on 127.0.0.1 in a child process (so the server does not share
the sender's interpreter). First the floor: the same subjects and bodies sent by a plain smtplib
loop, one thread, one connection. Then `wufei.notify.runs.deliver_day` (build the digests, claim
them, write a `sending` row durably before each send, send, record) with WUFEI_BENCH_CONCURRENCY
threads (default 4): wall time, messages per second, the process's peak RSS, and the ratio to the
floor, which is measured again after the run (the load of a shared machine drifts within minutes:
it moved the floor from 100 to 270 messages/s between runs) and averaged.
WUFEI_BENCH_SQLITE_SYNCHRONOUS=FULL shows what an fsync per SQLite commit costs. The server counts
what it received; every figure is checked against it.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import smtplib
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import databases, env_int  # noqa: E402

DAY = date(2024, 6, 3)


def _serve(port: int, received, ready) -> None:
    from aiosmtpd.controller import Controller

    class Counter:
        async def handle_DATA(self, server, session, envelope):
            with received.get_lock():
                received.value += 1
            return "250 OK"

    controller = Controller(Counter(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    while True:
        time.sleep(3600)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _build(engine, count: int) -> None:
    from sqlalchemy import insert

    from wufei import migrate
    from wufei.db import transaction
    from wufei.departments.models import Department
    from wufei.notices.service import create_intents
    from wufei.plans.models import Jurisdiction

    migrate.upgrade(engine)
    with transaction(engine) as session:
        city = Jurisdiction(name="基准市", level="city")
        session.add(city)
        session.flush()
        session.execute(
            insert(Department),
            [{"jurisdiction_id": city.id, "name": f"基准部门{n:05d}", "kind": "bureau"} for n in range(count)],
        )
        ids = [d.id for d in session.query(Department.id).order_by(Department.id)]
        create_intents(
            session,
            [
                {
                    "key": f"bench|{dept}",
                    "kind": "overdue",
                    "step": "after_due_1",
                    "audience": "liaison",
                    "department_id": dept,
                    "period": "2024-05-31",
                    "created_on": DAY,
                    "payload": {
                        "title": f"推进第{dept}项无废城市建设任务",
                        "due_date_cn": "2024年5月31日",
                        "days_overdue": 2,
                    },
                }
                for dept in ids
            ],
        )


def _reference(port: int, messages: list[tuple[str, str]]) -> float:
    """Seconds for a plain smtplib loop to send `messages` over one connection: the floor."""
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as client:
        for subject, body in messages:
            message = EmailMessage()
            message["From"], message["To"], message["Subject"] = "office@wufei.test", "liaison@wufei.test", subject
            message.set_content(body)
            client.send_message(message)
    return time.perf_counter() - started


def _floor(port: int, received, messages: list[tuple[str, str]]) -> float:
    """Messages per second of the plain smtplib loop, checked against what the server received."""
    before = received.value
    rate = len(messages) / _reference(port, messages)
    _wait_for(received, before + len(messages))
    assert received.value - before == len(messages)
    return rate


def _wait_for(received, target: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while received.value < target and time.monotonic() < deadline:
        time.sleep(0.05)


def main() -> None:
    count = env_int("WUFEI_BENCH_DIGESTS", 10_000)
    concurrency = env_int("WUFEI_BENCH_CONCURRENCY", 4)
    with smtp_server_as_fallback() as (port, received), databases() as backends:
        for label, new_url in backends:
            _measure(label, new_url(), port, received, count=count, concurrency=concurrency)
        province = env_int("WUFEI_BENCH_PROVINCE_DIGESTS", 900)  # 0: skip the politeness figure
        for label, new_url in backends if province else ():
            _politely(label, new_url, port, received, count=province, concurrency=concurrency)


@contextmanager
def smtp_server_as_fallback() -> Iterator[tuple[int, Any]]:
    """A local aiosmtpd server in a process of its own, made every digest's channel (Apprise's
    `fallback` tag): yields its port and the shared count of messages it received."""
    port = _free_port()
    received, ready = multiprocessing.Value("i", 0), multiprocessing.Event()
    server = multiprocessing.Process(target=_serve, args=(port, received, ready), daemon=True)
    server.start()
    ready.wait(30)
    try:
        with tempfile.TemporaryDirectory(prefix="wufei-bench-notify-") as folder:
            config = Path(folder) / "apprise.yaml"
            config.write_text(
                f"version: 1\nurls:\n  - mailto://127.0.0.1:{port}?from=office@wufei.test"
                f"&to=liaison@wufei.test&format=text:\n      - tag: fallback\n",
                encoding="utf-8",
            )
            os.environ["WUFEI_APPRISE_CONFIG"] = str(config)
            yield port, received
    finally:
        server.terminate()


def _measure(label: str, url: str, port: int, received, *, count: int, concurrency: int) -> None:
    """The floor (a plain smtplib loop over one connection, the same subjects and bodies), then
    `deliver_day` on a database of `count` pending digests, then the ratio of the two rates."""
    from wufei.cadence.config import CadenceConfig
    from wufei.db import make_engine, make_sessionmaker
    from wufei.notify.runs import deliver_day, load_channels
    from wufei.notify.service import pending_digests

    engine = make_engine(url)
    synchronous = os.environ.get("WUFEI_BENCH_SQLITE_SYNCHRONOUS")  # e.g. FULL: an fsync per commit in WAL
    if synchronous and engine.dialect.name == "sqlite":
        from sqlalchemy import event

        event.listen(engine, "connect", lambda connection, _: connection.execute(f"PRAGMA synchronous={synchronous}"))
        print(f"SQLite synchronous={synchronous}", flush=True)
    started = time.perf_counter()
    _build(engine, count)
    with make_sessionmaker(engine)() as session:
        messages = [(d.subject, d.body) for d in pending_digests(session, day=DAY)]
    assert len(messages) == count, len(messages)
    print(f"{label}: built {count:,} departments and intents in {time.perf_counter() - started:.1f} s", flush=True)

    floor_before = _floor(port, received, messages)
    print(
        f"{label}: floor, a plain smtplib loop (one thread, one connection): {floor_before:,.0f} messages/s",
        flush=True,
    )

    channels = load_channels(engine)
    for service in channels.services:
        service.request_rate_per_sec = 0  # Apprise's politeness wait (5.5 s per service): measured apart
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    before = received.value
    started = time.perf_counter()
    summary = deliver_day(
        engine, DAY, cadence=CadenceConfig.load(), channels=channels, now=datetime.now(UTC), concurrency=concurrency
    )
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    _wait_for(received, before + summary["messages"])
    assert summary["sent"] == summary["messages"] == count == received.value - before, (summary, received.value)
    sent = received.value - before
    floor_after = _floor(port, received, messages)
    floor = (floor_before + floor_after) / 2
    rate = count / elapsed
    print(
        f"{label}: wufei deliver_day, {count:,} digests, concurrency {concurrency}: {elapsed:.1f} s, "
        f"{rate:,.0f} messages/s, {rate / floor:.2f}x the floor (the loop again after it: {floor_after:,.0f} "
        f"messages/s; the ratio is to the mean of both); peak RSS {peak:.0f} MiB "
        f"(before the run {rss_before:.0f} MiB); the server received {sent:,}",
        flush=True,
    )
    engine.dispose()


def _politely(label: str, new_url, port: int, received, *, count: int, concurrency: int) -> None:
    """Issue 14's figure: a province's digests with Apprise's politeness pause as shipped
    (`request_rate_per_sec`, 5.5 s between two requests to one service), each on a new database:
    in the production configuration (one mailto:// service per recipient, as the contacts make
    them, all through the office's one SMTP server, WUFEI_SMTP_URL), and with every digest to one
    service (`fallback`), the configuration issue 14 measured (62 digests in 89 s)."""
    from sqlalchemy import select

    from wufei.cadence.config import CadenceConfig
    from wufei.db import make_engine
    from wufei.departments.models import Department
    from wufei.notify.channels import Channels
    from wufei.notify.runs import deliver_day

    server = f"mailto://127.0.0.1:{port}?from=office@wufei.test&format=text"
    for shape in ("one service per recipient", "one service for all"):
        engine = make_engine(new_url())
        _build(engine, count)
        with engine.connect() as connection:
            ids = list(connection.scalars(select(Department.id).order_by(Department.id)))
        if shape == "one service per recipient":
            urls = "".join(f"  - {server}&to=dept{i}@wufei.test:\n      - tag: dept-{i}\n" for i in ids)
        else:
            urls = f"  - {server}&to=liaison@wufei.test:\n      - tag: fallback\n"
        channels = Channels(f"version: 1\nurls:\n{urls}")
        before = received.value
        started = time.perf_counter()
        summary = deliver_day(
            engine, DAY, cadence=CadenceConfig.load(), channels=channels, now=datetime.now(UTC), concurrency=concurrency
        )
        elapsed = time.perf_counter() - started
        _wait_for(received, before + count)
        assert summary["sent"] == count == received.value - before, (summary, received.value - before)
        print(
            f"{label}: {count:,} digests with Apprise's pause in force ({shape}): {elapsed:.1f} s, "
            f"{count / elapsed:,.0f} messages/s",
            flush=True,
        )
        engine.dispose()


if __name__ == "__main__":
    main()

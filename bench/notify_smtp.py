"""Delivery throughput: 10,000 department digests through Apprise to a local SMTP server.

Builds an SQLite database with WUFEI_BENCH_DIGESTS departments (default 10,000) and one overdue
intent each, an Apprise configuration with one mailto:// service tagged `fallback` (every
`dept-<id>` tag falls back to it), and an aiosmtpd server on 127.0.0.1 in a child process (so the
server does not share the sender's interpreter). Then measures `wufei.notify.runs.deliver_day`
(build the digests, claim each with INSERT … ON CONFLICT DO NOTHING RETURNING, commit, write a
`sending` row and commit before each send, send, record) with WUFEI_BENCH_CONCURRENCY threads
(default 4): wall time, messages per second, the process's peak RSS. WUFEI_BENCH_POSTGRES=<server
URL> runs it on PostgreSQL instead of SQLite; WUFEI_BENCH_SQLITE_SYNCHRONOUS=NORMAL shows what
SQLite's fsync per commit costs (two commits per message: the claim's `sending` row, the result). Reference: the same
subjects and bodies sent by a plain smtplib loop, over one connection, and with one connection
per message (as Apprise does). The server counts what it received; every figure is checked
against it.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import smtplib
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import env_int  # noqa: E402

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


def _reference(port: int, messages: list[tuple[str, str]], *, per_message: bool) -> float:
    started = time.perf_counter()
    client = None if per_message else smtplib.SMTP("127.0.0.1", port)
    for subject, body in messages:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = "office@wufei.test", "liaison@wufei.test", subject
        message.set_content(body)
        if per_message:
            with smtplib.SMTP("127.0.0.1", port) as one:
                one.send_message(message)
        else:
            client.send_message(message)
    if client is not None:
        client.quit()
    return time.perf_counter() - started


def _database_url(folder: str) -> str:
    """SQLite in `folder`, or a new database on the PostgreSQL server WUFEI_BENCH_POSTGRES names
    (a server URL without a database, as scripts/postgres.sh prints)."""
    server = os.environ.get("WUFEI_BENCH_POSTGRES")
    if not server:
        return f"sqlite:///{folder}/bench.db"
    import uuid

    from sqlalchemy import create_engine, text

    name = f"wufei_bench_notify_{uuid.uuid4().hex[:8]}"
    admin = create_engine(
        server.replace("postgresql://", "postgresql+psycopg://", 1) + "/postgres", isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{server}/{name}"


def _wait_for(received, target: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while received.value < target and time.monotonic() < deadline:
        time.sleep(0.05)


def main() -> None:
    count = env_int("WUFEI_BENCH_DIGESTS", 10_000)
    concurrency = env_int("WUFEI_BENCH_CONCURRENCY", 4)
    port = _free_port()
    received, ready = multiprocessing.Value("i", 0), multiprocessing.Event()
    server = multiprocessing.Process(target=_serve, args=(port, received, ready), daemon=True)
    server.start()
    ready.wait(30)
    with tempfile.TemporaryDirectory(prefix="wufei-bench-notify-") as folder:
        config = Path(folder) / "apprise.yaml"
        config.write_text(
            f"version: 1\nurls:\n  - mailto://127.0.0.1:{port}?from=office@wufei.test"
            f"&to=liaison@wufei.test&format=text:\n      - tag: fallback\n",
            encoding="utf-8",
        )
        os.environ["WUFEI_APPRISE_CONFIG"] = str(config)
        os.environ["WUFEI_DATABASE_URL"] = _database_url(folder)

        from sqlalchemy import func, select

        from wufei.cadence.config import CadenceConfig
        from wufei.db import make_engine, make_sessionmaker
        from wufei.notify.models import Dispatch
        from wufei.notify.runs import deliver_day, load_channels

        engine = make_engine()
        synchronous = os.environ.get("WUFEI_BENCH_SQLITE_SYNCHRONOUS")  # e.g. NORMAL: no fsync per commit in WAL
        if synchronous:
            from sqlalchemy import event

            event.listen(
                engine, "connect", lambda connection, _: connection.execute(f"PRAGMA synchronous={synchronous}")
            )
            print(f"SQLite synchronous={synchronous}", flush=True)
        started = time.perf_counter()
        _build(engine, count)
        print(f"built {count:,} departments and intents in {time.perf_counter() - started:.1f} s", flush=True)

        channels = load_channels(engine)
        for service in channels.services:
            service.request_rate_per_sec = 0  # Apprise's politeness wait (5.5 s per service) is for real servers
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.perf_counter()
        summary = deliver_day(
            engine,
            DAY,
            cadence=CadenceConfig.load(),
            channels=channels,
            now=datetime.now(UTC),
            concurrency=concurrency,
        )
        elapsed = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        _wait_for(received, summary["messages"])
        assert summary["sent"] == summary["messages"] == count == received.value, (summary, received.value)
        print(
            f"wufei deliver_day: {count:,} digests, concurrency {concurrency}: {elapsed:.1f} s, "
            f"{count / elapsed:,.0f} messages/s; peak RSS {peak:.0f} MiB (before the run {rss_before:.0f} MiB); "
            f"server received {received.value:,}",
            flush=True,
        )

        with make_sessionmaker(engine)() as session:
            messages = list(session.execute(select(Dispatch.subject, Dispatch.body).order_by(Dispatch.id)).tuples())
            assert session.scalar(select(func.count()).select_from(Dispatch)) == count
        for per_message in (False, True):
            before = received.value
            seconds = _reference(port, messages, per_message=per_message)
            _wait_for(received, before + count)
            assert received.value - before == count
            how = "one connection per message" if per_message else "one connection"
            print(f"reference smtplib loop ({how}): {seconds:.1f} s, {count / seconds:,.0f} messages/s", flush=True)
        engine.dispose()
    server.terminate()


if __name__ == "__main__":
    main()

"""Emails' latency in a run whose departments share one busy group robot.

An office's sixty departments (WUFEI_BENCH_DEPARTMENTS) each have a liaison's email and the
office's one 企业微信 work-group robot (20 messages a minute: wufei.notify.pace), one service per
department as the contacts make them. A run delivers their sixty digests with WUFEI_BENCH_CONCURRENCY
sending threads (default 4). Measured: when each email reached the SMTP server and each robot message
the robot's receiver, from the start of the run (both servers local, each in a process of its own,
noting the wall clock), the run's wall time and its process's CPU (user + system). Then the same
departments with email only (no robot): the emails' latency without a busy robot.
WUFEI_BENCH_ROBOT_WINDOW (seconds, default 62: the platform's minute and the pacer's margin) scales
the robot's rate for a quicker look; the receiver refuses past it as the platform does, and every
figure is checked against what the servers received. Apprise's politeness pause is off, as in
bench/notify_smtp.py. Run it in turns with main's code (a worktree of main: the script copied into
it) to compare. SQLite (WUFEI_BENCH_DATABASES=postgresql for PostgreSQL).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import databases, env_int  # noqa: E402

DAY = date(2024, 6, 3)
KEY = "bench-wecom-key"


def _smtp(port: int, log: str, ready) -> None:
    from aiosmtpd.controller import Controller

    class Noting:
        async def handle_DATA(self, server, session, envelope):
            with open(log, "a", encoding="utf-8") as out:
                out.write(f"{time.time()}\n")
            return "250 OK"

    Controller(Noting(), hostname="127.0.0.1", port=port).start()
    ready.set()
    while True:
        time.sleep(3600)


def _robot(port: int, log: str, rate: tuple[int, float], ready) -> None:
    """A 企业微信 robot's receiver: 200 with errcode 0, or 45009 past `rate` (messages, seconds)."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    accepted: list[float] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            now = time.time()
            ok = sum(1 for at in accepted if now - at < rate[1]) < rate[0]
            if ok:
                accepted.append(now)
            with open(log, "a", encoding="utf-8") as out:
                out.write(f"{now} {int(ok)}\n")
            data = json.dumps({"errcode": 0 if ok else 45009, "errmsg": "ok" if ok else "api freq out of limit"})
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data.encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    ready.set()
    server.serve_forever()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(target, *args) -> multiprocessing.Process:
    ready = multiprocessing.Event()
    process = multiprocessing.Process(target=target, args=(*args, ready), daemon=True)
    process.start()
    ready.wait(30)
    return process


def _build(engine, count: int) -> list[int]:
    from wufei import migrate
    from wufei.db import transaction
    from wufei.departments.models import Department
    from wufei.notices.service import create_intents
    from wufei.plans.models import Jurisdiction

    migrate.upgrade(engine)
    with transaction(engine) as session:
        city = Jurisdiction(name="基准市", level="city")
        units = [Department(jurisdiction=city, name=f"基准部门{n:03d}", kind="bureau") for n in range(count)]
        session.add_all(units)
        session.flush()
        create_intents(
            session,
            [
                {
                    "key": f"bench|{d.id}",
                    "kind": "overdue",
                    "step": "after_due_1",
                    "audience": "liaison",
                    "department_id": d.id,
                    "period": "2024-05-31",
                    "created_on": DAY,
                    "payload": {
                        "title": f"推进第{d.id}项无废城市建设任务",
                        "due_date_cn": "2024年5月31日",
                        "days_overdue": 2,
                    },
                }
                for d in units
            ],
        )
        return [d.id for d in units]


def _times(log: Path) -> list[list[str]]:
    return [line.split() for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []


def _turn(label: str, url: str, folder: Path, *, count: int, concurrency: int, robot: bool, window: float) -> None:
    from apprise.plugins.wecombot import NotifyWeComBot

    from wufei.cadence.config import CadenceConfig
    from wufei.db import make_engine
    from wufei.notify import channels as channels_module
    from wufei.notify.pace import Rate
    from wufei.notify.runs import deliver_day, load_channels

    engine = make_engine(url)
    ids = _build(engine, count)
    smtp_port, robot_port = _free_port(), _free_port()
    mails, posts = folder / f"mail-{robot}.log", folder / f"robot-{robot}.log"
    servers = [_start(_smtp, smtp_port, str(mails))]
    if robot:
        servers.append(_start(_robot, robot_port, str(posts), (20, window - 2.0)))
        NotifyWeComBot.notify_url = f"http://127.0.0.1:{robot_port}/cgi-bin/webhook/send?key={{key}}"
        channels_module.ROBOT_RATES[NotifyWeComBot] = (Rate(20, window),)
    entries = "".join(
        f"  - mailto://127.0.0.1:{smtp_port}?from=office@wufei.test&to=dept{d}@wufei.test&format=text:\n"
        f"      - tag: dept-{d}\n" + (f"  - wecombot://{KEY}:\n      - tag: dept-{d}\n" if robot else "")
        for d in ids
    )
    config = folder / f"apprise-{robot}.yaml"
    config.write_text(f"version: 1\nurls:\n{entries}", encoding="utf-8")
    os.environ["WUFEI_APPRISE_CONFIG"] = str(config)
    os.environ["NO_PROXY"] = "127.0.0.1"  # both servers are local
    try:
        channels = load_channels(engine)
        for service in channels.services:
            service.request_rate_per_sec = 0
        usage = resource.getrusage(resource.RUSAGE_SELF)
        started, wall = time.time(), time.perf_counter()
        summary = deliver_day(
            engine, DAY, cadence=CadenceConfig.load(), channels=channels, now=datetime.now(UTC), concurrency=concurrency
        )
        elapsed = time.perf_counter() - wall
        after = resource.getrusage(resource.RUSAGE_SELF)
        cpu = after.ru_utime - usage.ru_utime + after.ru_stime - usage.ru_stime
        time.sleep(0.5)
    finally:
        for server in servers:
            server.terminate()
    emails = sorted(float(line[0]) - started for line in _times(mails))
    robots = [(float(line[0]) - started, line[1] == "1") for line in _times(posts)]
    assert len(emails) == count, (len(emails), summary)
    if summary["sent"] != count:
        from sqlalchemy import text

        with engine.connect() as connection:
            failed = text("SELECT service_url, error FROM deliveries WHERE error IS NOT NULL LIMIT 3")
            raise AssertionError((summary, connection.execute(failed).all()))
    if robot:
        assert len(robots) == count and all(ok for _, ok in robots), robots
    shape = f"{count} departments, email and one 企业微信 robot (20 per {window:g} s)" if robot else "email only"
    print(
        f"{label}, {shape}, concurrency {concurrency}: run {elapsed:.1f} s wall, {cpu:.2f} s CPU; emails' latency "
        f"median {statistics.median(emails):.2f} s, last {emails[-1]:.2f} s"
        + (f"; robot's last message {max(at for at, _ in robots):.1f} s, none refused" if robot else ""),
        flush=True,
    )
    engine.dispose()


def main() -> None:
    count = env_int("WUFEI_BENCH_DEPARTMENTS", 60)
    concurrency = env_int("WUFEI_BENCH_CONCURRENCY", 4)
    window = float(os.environ.get("WUFEI_BENCH_ROBOT_WINDOW", "62"))
    with databases("sqlite") as backends, tempfile.TemporaryDirectory(prefix="wufei-bench-robot-") as tmp:
        for label, new_url in backends:
            for robot in (False, True):
                _turn(label, new_url(), Path(tmp), count=count, concurrency=concurrency, robot=robot, window=window)


if __name__ == "__main__":
    main()

"""PostgreSQL restarted under a running scan and a running delivery, for real: a PostgreSQL server of
the test's own (stopped with `pg_ctl stop -m fast`, which ends every session, and started again),
the real `wufei` commands in processes of their own, a real SMTP server counting what arrives.

- A daily scan caught mid-transaction (it has written lights and waits on a lock) fails with the
  connection named; its transaction is gone, so nothing it wrote stays half done. A rerun
  completes, and every row is there once: a third scan finds nothing left to write.
- A delivery whose database restarts while a message is on the wire reconnects (the pool checks a
  connection before handing it out, `pool_pre_ping`): the outcome is recorded, the other digests
  go out, every message arrives once.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from tests.flows.test_crashed_runs import HoldingSmtp
from tests.notify.conftest import free_port, intent
from tests.seed_files import HENGSHUI_PLAN
from wufei import migrate
from wufei.db import make_engine, make_sessionmaker, transaction
from wufei.departments.models import Department
from wufei.importers.service import import_paths
from wufei.lights.models import LightRecord
from wufei.notices.models import NoticeIntent
from wufei.notices.service import create_intents
from wufei.notify.models import Dispatch
from wufei.plans.models import Jurisdiction

pytestmark = [pytest.mark.slow, pytest.mark.faults, pytest.mark.postgresql]

ROOT = Path(__file__).resolve().parents[2]
WUFEI = str(Path(sys.executable).parent / "wufei")
SCAN_DAY = "2024-01-02"


class Postgres:
    """A PostgreSQL server of its own on loopback (Debian's binaries), to stop and start at will."""

    def __init__(self):
        [self.bin] = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1:]
        self.data = Path(tempfile.mkdtemp(prefix="wufei-restart-pg-"))  # outside pytest's 0700 tmp: postgres reads it
        self.port = free_port()
        if os.getuid() == 0:
            shutil.chown(self.data, "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8")
        self.start()

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin / program), *args]
        if os.getuid() == 0:
            command = ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(f"'{part}'" for part in command)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.data / "server.log"), "-w", "start", "-o", options)

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def restart(self) -> None:
        self.stop()
        self.start()

    def database(self) -> str:
        name = f"wufei_restart_{uuid.uuid4().hex[:8]}"
        admin = create_engine(
            f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres", isolation_level="AUTOCOMMIT"
        )
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def close(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.data, ignore_errors=True)


@pytest.fixture
def postgres():
    server = Postgres()
    yield server
    server.close()


def _wufei(url: str, *args: str, **extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [WUFEI, *args],
        cwd=ROOT,
        env={**os.environ, "WUFEI_DATABASE_URL": url, **extra},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait(condition, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(what)


def test_a_scan_caught_by_a_restart_fails_cleanly_and_its_rerun_writes_each_row_once(postgres, tmp_path):
    url = postgres.database()
    engine = make_engine(url)
    migrate.upgrade(engine)
    [imported] = import_paths(engine, [HENGSHUI_PLAN])
    assert imported.ok, imported.error

    # The scan writes the day's lights, then the escalation's intents: a lock on notice_intents
    # holds it there, in the middle of its transaction.
    blocker = engine.connect()
    blocker.begin()
    blocker.execute(text("LOCK TABLE notice_intents IN ACCESS EXCLUSIVE MODE"))
    scan = _wufei(url, "cadence", "run", "daily-scan", "--as-of", SCAN_DAY)

    def waiting_after_writing() -> bool:
        assert scan.poll() is None, scan.communicate()
        blocker.execute(text("SELECT pg_stat_clear_snapshot()"))  # the activity view is read once per transaction
        return bool(
            blocker.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
                    " AND datname = current_database() AND wait_event_type = 'Lock'"
                    " AND backend_xid IS NOT NULL"  # it has written in its transaction
                )
            ).scalar()
        )

    _wait(waiting_after_writing, timeout=120, what="the scan never reached the lock")
    blocker.invalidate()  # its server session ends with the restart
    engine.dispose()
    postgres.restart()
    _out, error = scan.communicate(timeout=60)
    assert scan.returncode != 0
    assert "Traceback" not in error, error
    assert "数据库连接中断" in error, error

    with make_sessionmaker(engine)() as session:  # the lost transaction left nothing behind
        assert session.scalar(select(func.count()).select_from(LightRecord)) == 0
        assert session.scalar(select(func.count()).select_from(NoticeIntent)) == 0

    rerun = _wufei(url, "cadence", "run", "daily-scan", "--as-of", SCAN_DAY, "--json")
    _out, error = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, error
    with make_sessionmaker(engine)() as session:
        lights = session.scalar(select(func.count()).select_from(LightRecord))
        task_days = session.scalar(
            select(func.count()).select_from(
                select(LightRecord.task_id, LightRecord.milestone_id, LightRecord.as_of).distinct().subquery()
            )
        )
        intents = session.scalar(select(func.count()).select_from(NoticeIntent))
    assert lights == task_days > 0 and intents > 0
    again = _wufei(url, "cadence", "run", "daily-scan", "--as-of", SCAN_DAY, "--json")
    _out, error = again.communicate(timeout=300)
    assert again.returncode == 0, error
    with make_sessionmaker(engine)() as session:
        assert session.scalar(select(func.count()).select_from(LightRecord)) == lights
        assert session.scalar(select(func.count()).select_from(NoticeIntent)) == intents
    engine.dispose()


def test_a_delivery_whose_database_restarts_mid_send_reconnects_and_sends_each_message_once(postgres, tmp_path):
    url = postgres.database()
    engine = make_engine(url)
    migrate.upgrade(engine)
    with transaction(engine) as session:
        city = Jurisdiction(name="测试市", level="city")
        units = [
            Department(jurisdiction=city, name=n, kind="bureau") for n in ("市生态环境局", "市商务局", "市农业农村局")
        ]
        session.add_all(units)
        session.flush()
        create_intents(session, [intent(f"k{d.id}", "overdue", d.id, title=f"{d.name}的任务") for d in units])
    engine.dispose()
    smtp = HoldingSmtp()
    config = tmp_path / "apprise.yaml"
    config.write_text(f"urls:\n  - {smtp.url()}:\n      - tag: fallback\n", encoding="utf-8")
    try:
        smtp.hold.set()
        delivery = _wufei(
            url, "notices", "deliver", "--as-of", "2024-06-03", "--concurrency", "1", WUFEI_APPRISE_CONFIG=str(config)
        )
        _wait(lambda: smtp.arrivals or delivery.poll() is not None, timeout=120, what="no message arrived")
        assert delivery.poll() is None, delivery.communicate()
        postgres.restart()  # while the first message is on the wire, its `sending` row committed
        smtp.hold.clear()
        _out, error = delivery.communicate(timeout=120)
        assert delivery.returncode == 0, error
        assert len(smtp.arrivals) == 3 and len(set(smtp.arrivals)) == 3, smtp.arrivals
        with make_sessionmaker(engine)() as session:
            assert sorted(session.scalars(select(Dispatch.status))) == ["sent", "sent", "sent"]
    finally:
        smtp.close()
        engine.dispose()

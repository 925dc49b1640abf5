"""A worker killed with kill -9 in the middle of a delivery run, for real: `wufei notices deliver`
in a process of its own, posting to a webhook receiver that logs each message as it arrives and
answers slowly; the process is killed while the receiver holds the first message. Nothing is sent
twice: the message that was on the wire is `unknown` (the office decides), the one never started
goes out once when the lease runs out."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.rules import CADENCE
from wufei import migrate
from wufei.db import make_sessionmaker, transaction, utcnow
from wufei.departments.models import Department
from wufei.notices.service import create_intents
from wufei.notify import runs, service
from wufei.notify.models import Delivery, Dispatch
from wufei.plans.models import Jurisdiction

from .conftest import intent
from .test_unknown_outcomes import SlowWebhook

pytestmark = pytest.mark.faults  # the fault suite of issue 14: `pytest -m faults`

ROOT = Path(__file__).resolve().parents[2]
WUFEI = str(Path(sys.executable).parent / "wufei")


def test_a_worker_killed_mid_delivery_sends_nothing_twice(fresh_engine, tmp_path, outbox, monkeypatch):
    migrate.upgrade(fresh_engine)
    with transaction(fresh_engine) as session:
        city = Jurisdiction(name="测试市", level="city")
        units = [Department(jurisdiction=city, name=n, kind="bureau") for n in ("市生态环境局", "市商务局")]
        session.add_all(units)
        session.flush()
        create_intents(session, [intent(f"k{d.id}", "overdue", d.id, title=f"{d.name}的任务") for d in units])
    webhook = SlowWebhook(delay=60)
    config = tmp_path / "apprise.yaml"
    config.write_text(f"urls:\n  - {webhook.url(read_timeout=120)}:\n      - tag: fallback\n", encoding="utf-8")
    monkeypatch.setenv("WUFEI_APPRISE_CONFIG", str(config))  # the runs below, in this process, too
    url = fresh_engine.url.render_as_string(hide_password=False)
    environment = {**os.environ, "WUFEI_DATABASE_URL": url, "WUFEI_APPRISE_CONFIG": str(config)}
    worker = subprocess.Popen(
        [WUFEI, "notices", "deliver", "--as-of", "2024-06-03", "--concurrency", "1"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while not webhook.arrivals:
            assert worker.poll() is None, worker.stderr.read().decode()
            assert time.monotonic() < deadline, "the first message never arrived"
            time.sleep(0.05)
        os.kill(worker.pid, signal.SIGKILL)  # while the receiver holds the first message
        worker.wait(30)
        assert worker.returncode == -signal.SIGKILL

        with make_sessionmaker(fresh_engine)() as session:
            records = {d.id: [] for d in session.scalars(select(Dispatch))}
            for dispatch_id, status in session.execute(select(Delivery.dispatch_id, Delivery.status)):
                records[dispatch_id].append(status)
            states = sorted((session.get(Dispatch, d).status, r) for d, r in records.items())
        assert states == [("claimed", []), ("claimed", ["sending"])]  # one on the wire, one never started

        webhook.delay = 0
        # Before the lease runs out nothing is taken; after it, the one never started goes out once.
        assert runs.retry_due(fresh_engine, cadence=CADENCE, ignore_backoff=True)["due"] == 0
        later = utcnow() + service.LEASE + timedelta(seconds=1)
        summary = runs.retry_due(fresh_engine, cadence=CADENCE, now=later)
        assert (summary["due"], summary["sent"], summary["unknown"]) == (2, 1, 1)
        next_day = later + timedelta(days=1)
        assert runs.retry_due(fresh_engine, cadence=CADENCE, now=next_day, ignore_backoff=True)["due"] == 0
        titles = [json.loads(arrival)["title"] for arrival in webhook.arrivals]
        assert len(titles) == 2 and len(set(titles)) == 2  # each digest arrived once
        with make_sessionmaker(fresh_engine)() as session:
            assert sorted(session.scalars(select(Dispatch.status))) == ["sent", "unknown"]
    finally:
        if worker.poll() is None:
            worker.kill()
        webhook.close()

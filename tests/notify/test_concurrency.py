"""Two deliveries at once, on two connections to one database, send each digest once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from sqlalchemy import func, select

from tests.rules import CADENCE
from wufei import migrate
from wufei.db import make_sessionmaker, transaction
from wufei.departments.models import Department
from wufei.notices.service import create_intents
from wufei.notify.channels import Channels
from wufei.notify.models import Delivery, Dispatch
from wufei.notify.service import deliver
from wufei.plans.models import Jurisdiction

from .conftest import DAY, intent, outbox_messages


def test_two_deliveries_at_once_send_each_digest_once(fresh_engine, outbox):
    migrate.upgrade(fresh_engine)
    with transaction(fresh_engine) as session:
        city = Jurisdiction(name="测试市", level="city")
        departments = [Department(jurisdiction=city, name=f"部门{i}", kind="bureau") for i in range(20)]
        session.add_all(departments)
        session.flush()
        create_intents(
            session, [intent(f"k{d.id}-{n}", "due_soon", d.id, title=f"任务{n}") for d in departments for n in range(3)]
        )

    channels = Channels.load()
    barrier = threading.Barrier(2)
    results, errors = [None, None], []

    def run(index):
        try:
            with make_sessionmaker(fresh_engine)() as session:
                barrier.wait(timeout=30)
                results[index] = deliver(
                    session, day=DAY, channels=channels, now=datetime.now(UTC), zone=CADENCE.timezone
                )
                session.commit()
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors

    assert results[0]["claimed"] + results[1]["claimed"] == 20  # the other one skipped, or found none
    assert results[0]["messages"] + results[1]["messages"] == 20
    with make_sessionmaker(fresh_engine)() as session:
        assert session.scalar(select(func.count()).select_from(Dispatch)) == 20
        assert session.scalar(select(func.count()).select_from(Delivery)) == 20
    subjects = [m["subject"] for m in outbox_messages(outbox)]
    assert len(subjects) == 20 and len(set(subjects)) == 20

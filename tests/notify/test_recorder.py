"""A delivery run's single writer (wufei.notify.recorder): the sending threads' steps are written
in batches, a commit for several of them, and every digest still goes out once."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import event, func, select

from tests.rules import CADENCE
from wufei import migrate
from wufei.db import make_sessionmaker, transaction
from wufei.departments.models import Department
from wufei.notices.service import create_intents
from wufei.notify import runs
from wufei.notify.channels import Channels
from wufei.notify.models import Delivery, Dispatch
from wufei.plans.models import Jurisdiction

from .conftest import DAY, intent, outbox_messages

T0 = datetime(2024, 6, 3, 1, 0, tzinfo=UTC)


def test_a_run_of_four_threads_commits_in_batches_and_sends_each_digest_once(fresh_engine, outbox):
    migrate.upgrade(fresh_engine)
    with transaction(fresh_engine) as session:
        city = Jurisdiction(name="测试市", level="city")
        units = [Department(jurisdiction=city, name=f"部门{n}", kind="bureau") for n in range(30)]
        session.add_all(units)
        session.flush()
        create_intents(session, [intent(f"k{d.id}", "due_soon", d.id, title=f"任务{d.id}") for d in units])
    commits = []
    if fresh_engine.dialect.name == "sqlite":  # the writer commits on the driver: count what SQLite runs

        def trace(dbapi_connection, _record, _proxy) -> None:
            dbapi_connection.set_trace_callback(lambda sql: commits.append(1) if sql == "COMMIT" else None)

        event.listen(fresh_engine, "checkout", trace)
    else:  # PostgreSQL: the writer's statements commit by themselves; the claims' commit is counted
        event.listen(fresh_engine, "commit", lambda connection: commits.append(1))

    summary = runs.deliver_day(fresh_engine, DAY, now=T0, cadence=CADENCE, channels=Channels.load(), concurrency=4)

    assert (summary["claimed"], summary["sent"], summary["messages"]) == (30, 30, 30)
    # One commit per step would be 61 (the claims, then a `sending` row and an outcome per digest);
    # a thread waits for one commit per digest at most, and outcomes ride along with them.
    assert len(commits) <= 30 + 2, len(commits)
    subjects = [m["subject"] for m in outbox_messages(outbox)]
    assert len(subjects) == 30 == len(set(subjects))
    with make_sessionmaker(fresh_engine)() as session:
        assert set(session.scalars(select(Dispatch.status))) == {"sent"}
        assert session.scalar(select(func.count()).select_from(Delivery).where(Delivery.status == "sent")) == 30

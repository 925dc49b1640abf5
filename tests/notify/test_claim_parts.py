"""A delivery run claims its digests in parts (wufei.notify.runs: the first part before anything is
sent, the others while the first ones go out): each part whole or not at all, each intent carried
once, also with two runs claiming at once and with a run that dies between two parts."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.rules import CADENCE
from wufei import migrate
from wufei.db import make_sessionmaker, transaction
from wufei.departments.models import Department
from wufei.notices.service import create_intents
from wufei.notify import runs, service
from wufei.notify.models import Delivery, Dispatch, DispatchIntent
from wufei.plans.models import Jurisdiction

from .conftest import DAY, intent, outbox_messages

T0 = datetime(2024, 6, 3, 1, 15, tzinfo=UTC)
DEPARTMENTS = 11


class ProcessDied(BaseException):
    """Stands for the process being killed: not an Exception, so nothing on the way catches it."""


@pytest.fixture
def database(fresh_engine, outbox, monkeypatch):
    """11 departments with two intents each (11 digests, 22 intents); parts of 2 and then 3."""
    migrate.upgrade(fresh_engine)
    with transaction(fresh_engine) as session:
        city = Jurisdiction(name="测试市", level="city")
        departments = [Department(jurisdiction=city, name=f"部门{n:02d}", kind="bureau") for n in range(DEPARTMENTS)]
        session.add_all(departments)
        session.flush()
        create_intents(
            session,
            [intent(f"k{d.id}-{n}", "overdue", d.id, title=f"{d.name}任务{n}") for d in departments for n in range(2)],
        )
    monkeypatch.setattr(runs, "FIRST_PART", 2)
    monkeypatch.setattr(runs, "PART", 3)
    return fresh_engine


def _carried(engine) -> list[int]:
    with make_sessionmaker(engine)() as session:
        return list(session.scalars(select(DispatchIntent.intent_id)))


def test_a_run_claims_in_parts_and_sends_each_digest_once(database, outbox):
    parts = []
    real_claim_part = service.claim_part

    def claim_part(session, digests, rest):
        parts.append(len(digests))
        return real_claim_part(session, digests, rest)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(service, "claim_part", claim_part)
        summary = runs.deliver_day(database, DAY, now=T0, cadence=CADENCE, concurrency=2)
    assert parts == [2, 3, 3, 3]  # the first part before any send, then the rest while sending
    assert (summary["digests"], summary["claimed"], summary["skipped"], summary["sent"]) == (11, 11, 0, 11)
    carried = _carried(database)
    assert len(carried) == len(set(carried)) == 2 * DEPARTMENTS
    subjects = [m["subject"] for m in outbox_messages(outbox)]
    assert len(subjects) == len(set(subjects)) == DEPARTMENTS
    with make_sessionmaker(database)() as session:
        assert set(session.scalars(select(Dispatch.status))) == {"sent"}
        assert session.scalar(select(func.count()).select_from(Delivery)) == DEPARTMENTS
    assert runs.deliver_day(database, DAY, now=T0 + timedelta(hours=1), cadence=CADENCE)["digests"] == 0


def test_two_runs_claiming_in_parts_at_once_carry_each_intent_once(database, outbox):
    """The second run reads what is pending while the first still claims its later parts: a digest
    both render goes to whichever claims it first, the other skips it (its key, its intents)."""
    real_claim_part = service.claim_part
    first_part_done, second_claimed = threading.Event(), threading.Event()
    threads: dict[str, threading.Thread] = {}
    first_run: dict[str, service.Unclaimed] = {}

    def claim_part(session, digests, rest):
        claimed = real_claim_part(session, digests, rest)
        if threading.current_thread() is threads.get("first") and not first_part_done.is_set():
            first_run["rest"] = rest
            first_part_done.set()
        return claimed

    results, errors = {}, []

    def run(name):
        try:
            results[name] = runs.deliver_day(database, DAY, now=datetime.now(UTC), cadence=CADENCE, concurrency=2)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            if name == "second":
                second_claimed.set()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(service, "claim_part", claim_part)
        real_render = service.Unclaimed.render

        def render(self, count, **kwargs):  # the first run's later parts wait for the second run
            if self is first_run.get("rest"):
                second_claimed.wait(timeout=30)
            return real_render(self, count, **kwargs)

        patch.setattr(service.Unclaimed, "render", render)
        threads["first"] = threading.Thread(target=run, args=("first",))
        threads["first"].start()
        assert first_part_done.wait(timeout=30)
        threads["second"] = threading.Thread(target=run, args=("second",))
        threads["second"].start()
        for thread in threads.values():
            thread.join(timeout=120)
    assert not errors, errors
    first, second = results["first"], results["second"]
    # The first run's first part; the second run all the others; the first run's later parts skipped.
    assert (first["claimed"], first["skipped"], second["claimed"], second["skipped"]) == (2, 9, 9, 0)
    assert first["sent"] + second["sent"] == DEPARTMENTS
    carried = _carried(database)
    assert len(carried) == len(set(carried)) == 2 * DEPARTMENTS
    subjects = [m["subject"] for m in outbox_messages(outbox)]
    assert len(subjects) == len(set(subjects)) == DEPARTMENTS


def test_a_run_that_dies_between_two_parts_leaves_the_rest_to_the_next_run(database, outbox):
    real_claim_part = service.claim_part
    calls = []

    def dies_in_the_third_part(session, digests, rest):
        calls.append(len(digests))
        if len(calls) == 3:
            raise ProcessDied()
        return real_claim_part(session, digests, rest)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(service, "claim_part", dies_in_the_third_part)
        with pytest.raises(ProcessDied):
            runs.deliver_day(database, DAY, now=T0, cadence=CADENCE, concurrency=2)
    with make_sessionmaker(database)() as session:
        assert session.scalar(select(func.count()).select_from(Dispatch)) == 5  # two parts, whole
    carried = _carried(database)
    assert len(carried) == len(set(carried)) == 10

    # The next run claims the six digests never claimed; the retry after the lease sends the
    # claims the dead run had not sent yet (none twice: a `sending` row left is unknown).
    later = runs.deliver_day(database, DAY, now=T0 + timedelta(minutes=1), cadence=CADENCE)
    assert (later["digests"], later["claimed"], later["sent"]) == (6, 6, 6)
    runs.retry_due(database, now=T0 + service.LEASE + timedelta(seconds=1), cadence=CADENCE)
    with make_sessionmaker(database)() as session:  # unknown: sent before the writer stopped, outcome lost
        assert set(session.scalars(select(Dispatch.status))) <= {"sent", "unknown"}
    carried = _carried(database)
    assert len(carried) == len(set(carried)) == 2 * DEPARTMENTS
    subjects = [m["subject"] for m in outbox_messages(outbox)]
    assert len(subjects) == len(set(subjects)) == DEPARTMENTS

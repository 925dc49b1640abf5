"""Two scans at once, on two connections to one database, create each intent once.

On PostgreSQL the two transactions overlap for real: the second insert of a key waits on the
unique index, then does nothing (a check-then-insert would fail here with a duplicate key). On
SQLite the first write takes the database's write lock and the busy timeout makes the other
scan wait for the commit: the test shows it waits rather than failing with "database is locked".
"""

from __future__ import annotations

import threading
from datetime import date

from sqlalchemy import func, select

from tests.seed_files import HENGSHUI_PLAN
from wufei import migrate
from wufei.cadence.config import CadenceConfig
from wufei.calendar.workdays import WorkCalendar
from wufei.db import make_sessionmaker, transaction
from wufei.escalation.ladder import Ladder
from wufei.escalation.service import scan
from wufei.importers.service import load_source, read_source
from wufei.notices.models import NoticeIntent

AS_OF = date(2024, 6, 3)
CADENCE = CadenceConfig.from_dict({"weekly_report": {"reporting_since": "2024-05-06"}})


def _scan_in_threads(engine, count=2):
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def run(index):
        try:
            with make_sessionmaker(engine)() as session:
                barrier.wait(timeout=30)
                results[index] = scan(
                    session, as_of=AS_OF, calendar=WorkCalendar(), cadence=CADENCE, ladder=Ladder.load()
                )
                session.commit()
        except Exception as exc:  # reported below, with the thread's traceback
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


def test_two_scans_at_once_create_nothing_twice(fresh_engine, registry):
    migrate.upgrade(fresh_engine)
    with transaction(fresh_engine) as session:
        load_source(session, read_source(HENGSHUI_PLAN), registry=registry, actor="test", path=str(HENGSHUI_PLAN))

    first, second = _scan_in_threads(fresh_engine)

    with make_sessionmaker(fresh_engine)() as session:
        rows = session.scalar(select(func.count()).select_from(NoticeIntent))
        keys = session.scalar(select(func.count(NoticeIntent.key.distinct())))
    assert rows == keys == first.created + second.created > 100
    # Both computed the same intents; one inserted them, the other found them there.
    assert first.counts == second.counts
    assert sorted([first.created, second.created])[0] == 0
    assert first.already_existing + second.already_existing == rows
    assert not set(first.created_ids) & set(second.created_ids)

    # And a third, later, finds everything done.
    [third] = _scan_in_threads(fresh_engine, count=1)
    assert third.created == 0 and third.already_existing == rows

"""Two daily scans of the same day at once (two deployment runs, or a run and the CLI) on
PostgreSQL write every row once: light history per task and day, generated milestones, the audit
of the generation, intents. Each scan is the real `runs.daily_scan` in a thread of its own; a
barrier holds both just before they write, after both have read, so the race happens every time
instead of in some tries."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.conftest import fresh_database_url
from tests.rules import CADENCE, RULESET
from wufei import migrate
from wufei.audit.models import AuditEntry
from wufei.db import make_engine, make_sessionmaker
from wufei.generate import plans
from wufei.generate.load import import_files
from wufei.generate.reports import load_weekly_reports
from wufei.lights import service as light_service
from wufei.lights.models import LightRecord, LightState
from wufei.notices.models import NoticeIntent
from wufei.points import runs
from wufei.tasks import milestones
from wufei.tasks.models import Milestone

pytestmark = [pytest.mark.postgresql, pytest.mark.faults]

FIRST_DAY, LATER_DAY = date(2024, 1, 2), date(2024, 1, 15)


@pytest.fixture
def province(tmp_path):
    url = fresh_database_url(tmp_path)
    if not url.startswith("postgresql"):
        pytest.fail("needs WUFEI_TEST_DATABASE_URL (export WUFEI_TEST_DATABASE_URL=$(scripts/postgres.sh))")
    engine = make_engine(url)
    migrate.upgrade(engine)
    files = plans.write_files(plans.province(seed=5, cities=2, tasks=30, indicators=3), tmp_path / "files")
    import_files(engine, files)
    load_weekly_reports(engine, cadence=CADENCE, seed=5, until=date(2023, 12, 31))
    yield engine
    engine.dispose()


def _both_at_once(engine, day: date, monkeypatch, module, name: str) -> list[dict]:
    """Run two scans of `day` at once, both held at `module.name` until both have reached it."""
    barrier = threading.Barrier(2, timeout=60)
    real = getattr(module, name)

    def held(*args, **kwargs):
        barrier.wait()
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, held)
    results: list[dict] = []
    errors: list[BaseException] = []

    def scan():
        try:
            results.append(runs.daily_scan(engine, day, rules=RULESET))
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    monkeypatch.setattr(module, name, real)
    assert errors == [] and len(results) == 2
    return results


def _doubles(session, *columns) -> int:
    grouped = select(*columns).group_by(*columns).having(func.count() > 1).subquery()
    return session.scalar(select(func.count()).select_from(grouped))


def test_two_scans_of_the_same_day_at_once_write_each_row_once(province, monkeypatch):
    # The first day: both read that no task has milestones yet, then both insert them.
    first = _both_at_once(province, FIRST_DAY, monkeypatch, milestones, "_insert_ignoring_duplicates")
    with make_sessionmaker(province)() as session:
        made = session.scalar(select(func.count()).select_from(Milestone))
        assert made > 0 and sorted(r["milestones_created"] for r in first) == [0, made]
        [audit] = session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "milestones", AuditEntry.action == "generate")
        ).all()
        assert audit.changes["milestones"] == made
        assert _doubles(session, LightRecord.task_id, LightRecord.as_of) == 0
        first_lights = session.scalar(select(func.count()).select_from(LightRecord))
        intents = session.scalar(select(func.count()).select_from(NoticeIntent))
        assert first_lights > 0 and intents > 0

    # A later day: both judge the tasks whose inputs or date changed, then both write the lights
    # that changed (and then the tasks' states).
    later = _both_at_once(province, LATER_DAY, monkeypatch, light_service, "record_lights")
    assert later[0]["lights_changed"] == later[1]["lights_changed"] > 0  # each found the changes...
    with make_sessionmaker(province)() as session:
        assert _doubles(session, LightRecord.task_id, LightRecord.as_of) == 0  # ...and each row is there once
        written = session.scalar(select(func.count()).select_from(LightRecord).where(LightRecord.as_of == LATER_DAY))
        assert written == later[0]["lights_changed"]
        assert session.scalar(select(func.count()).select_from(Milestone)) == made
        assert session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "generate")) == 1
        assert _doubles(session, NoticeIntent.key) == 0
        judged = session.scalar(select(func.count()).select_from(LightState).where(LightState.judged_on == LATER_DAY))
        assert judged == later[0]["lights_judged"] == later[1]["lights_judged"] > 0

    # A third scan of that day, alone, finds nothing to write.
    again = runs.daily_scan(province, LATER_DAY, rules=RULESET)
    assert (again["lights_changed"], again["milestones_created"]) == (0, 0)

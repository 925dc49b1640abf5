"""The daily scan on a window's due day (review23c): the window closes at 17:00, the scan runs at
08:30, so the week is not missed yet that day; the next working day's scan counts it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.conftest import copy_database, hengshui_plan_id
from tests.lights.factories import file_report, tasks_of
from wufei.db import make_engine, make_sessionmaker
from wufei.lights.models import LightRecord, LightState
from wufei.points import runs
from wufei.ruleset import Ruleset

RULES = Ruleset.load()
FRIDAY, MONDAY = date(2023, 6, 30), date(2023, 7, 3)  # W26 (26 June) is due Friday 30 June 17:00


@pytest.fixture
def engine(tmp_path, hengshui_template):
    engine = make_engine(copy_database(hengshui_template, tmp_path))
    yield engine
    engine.dispose()


@pytest.fixture
def task_id(engine) -> int:
    """An ongoing task that reported on time every week from January through W25 (19 June)."""
    with make_sessionmaker(engine)() as session:
        task = tasks_of(session, hengshui_plan_id(session), kind="ongoing")[0]
        week = date(2023, 1, 2)
        while week <= date(2023, 6, 19):
            file_report(session, task, week, 30)
            week += timedelta(days=7)
        session.commit()
        return task.id


def _state(engine, task_id: int) -> tuple[str, str]:
    with make_sessionmaker(engine)() as session:
        state = session.get(LightState, task_id)
        return str(state.light), state.rules


def test_the_morning_scan_of_the_due_day_does_not_count_that_days_window_as_missed(engine, task_id):
    runs.daily_scan(engine, FRIDAY, rules=RULES)
    assert _state(engine, task_id) == ("green", "on_track")  # not 「连续1周未按时报送进展」
    with make_sessionmaker(engine)() as session:
        kept = session.scalars(select(LightRecord.reason).where(LightRecord.task_id == task_id)).all()
    assert not any("未按时报送" in reason for reason in kept)  # nor in the light's history

    runs.daily_scan(engine, MONDAY, rules=RULES)  # the week closed unfiled on Friday at 17:00
    with make_sessionmaker(engine)() as session:
        record = session.scalars(
            select(LightRecord).where(LightRecord.task_id == task_id, LightRecord.as_of == MONDAY)
        ).one()
    assert (str(record.light), record.reason) == ("yellow", "连续1周未按时报送进展")

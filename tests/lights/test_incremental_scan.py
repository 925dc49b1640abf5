"""The daily scan judges again only the tasks whose inputs changed or whose light can change with
the date; the others keep their state. Replayed over 2023 (the year of tests/cadence/
test_replay_2023.py: Hengshui's plan, generated department behaviour with reports, late reports,
silences, a return and an extension), every working day's incremental scan must leave each task
with the light and rules a full judgement of that day gives, and write the same history rows; its
escalation, which looks only at the tasks judged again or whose `escalate_on` came, must leave
nothing for a full escalation of that day to create or resolve."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.conftest import fresh_database_url
from tests.seed_files import HENGSHUI_PLAN
from wufei import migrate
from wufei.cadence.config import CadenceConfig
from wufei.calendar.service import load_calendar
from wufei.db import make_engine, make_sessionmaker, transaction
from wufei.escalation.service import scan
from wufei.importers.service import import_paths
from wufei.lights.models import LightRecord, LightState
from wufei.lights.service import compute_lights
from wufei.points.runs import daily_scan
from wufei.ruleset import Ruleset
from wufei.simulate import Simulation, office_config


def _full_judgement(session, day: date, rules: Ruleset) -> dict[int, tuple[str, str]]:
    lights = compute_lights(
        session, as_of=day, calendar=load_calendar(session), cadence=rules.cadence, rules=rules.lights
    )
    return {task_id: (str(result.light), ",".join(result.rules)) for task_id, result in lights.items()}


def _latest_history(session, day: date) -> dict[int, tuple[str, str]]:
    latest: dict[int, tuple[str, str]] = {}
    for task_id, light, rules in session.execute(
        select(LightRecord.task_id, LightRecord.light, LightRecord.rules)
        .where(LightRecord.milestone_id.is_(None), LightRecord.as_of <= day)
        .order_by(LightRecord.as_of, LightRecord.id)
    ):
        latest[task_id] = (str(light), rules)
    return latest


@pytest.fixture(scope="module")
def replayed(tmp_path_factory):
    """Replay 2023 with an incremental scan each working day; per day: what a full judgement gave,
    what the states said after the scan, the history rows a full scan would have written and
    those written, and how many tasks the scan judged."""
    config = office_config(tmp_path_factory.mktemp("config"), reporting_since=date(2023, 1, 1))
    patch = pytest.MonkeyPatch()
    patch.setenv("WUFEI_CONFIG_DIR", str(config))
    engine = make_engine(fresh_database_url(tmp_path_factory.mktemp("incremental")))
    migrate.upgrade(engine)
    assert import_paths(engine, [HENGSHUI_PLAN])[0].ok
    rules = Ruleset.load()
    with make_sessionmaker(engine)() as session:
        simulation = Simulation(calendar=load_calendar(session), cadence=CadenceConfig.load(), year=2023)
        calendar = load_calendar(session)
    days = []
    day = date(2023, 1, 1)
    while day <= date(2024, 1, 3):
        if calendar.is_workday(day):
            with make_sessionmaker(engine)() as session:
                before = _latest_history(session, day)
            result = daily_scan(engine, day, rules=rules)
            with make_sessionmaker(engine)() as session:
                # every open task against the ladder, then rolled back: what the day's scan left undone
                escalation = scan(
                    session, as_of=day, calendar=calendar, ladder=rules.ladder, cadence=rules.cadence
                ).as_dict()
                result["left_undone"] = (escalation["created"], escalation["resolved"])
                result["open_tasks"] = escalation["tasks"]
                session.rollback()
                full = _full_judgement(session, day, rules)
                states = {
                    task_id: (str(light), codes)
                    for task_id, light, codes in session.execute(
                        select(LightState.task_id, LightState.light, LightState.rules)
                    )
                }
                written = {
                    task_id: (str(light), codes)
                    for task_id, light, codes in session.execute(
                        select(LightRecord.task_id, LightRecord.light, LightRecord.rules).where(
                            LightRecord.milestone_id.is_(None), LightRecord.as_of == day
                        )
                    )
                }
            expected = {task_id: light for task_id, light in full.items() if before.get(task_id) != light}
            days.append((day, full, states, expected, written, result))
            with transaction(engine) as session:
                simulation.play_day(session, day)
        day += timedelta(days=1)
    yield days
    engine.dispose()
    patch.undo()


def test_each_day_every_task_keeps_the_light_a_full_judgement_gives(replayed):
    assert len(replayed) > 240
    for day, full, states, _expected, _written, result in replayed:
        assert states == full, day
        counts: dict[str, int] = {}
        for light, _codes in full.values():
            counts[light] = counts.get(light, 0) + 1
        assert result["lights"] == counts, day


def test_each_day_the_history_rows_are_the_ones_a_full_scan_writes(replayed):
    changes = 0
    for day, _full, _states, expected, written, _result in replayed:
        assert written == expected, day
        changes += len(written)
    assert changes > 100  # the year moves lights: the comparison is not about empty days


def test_most_days_most_tasks_are_carried_forward(replayed):
    judged = [result["lights_judged"] for *_rest, result in replayed[1:]]
    tasks = len(replayed[0][1])
    assert replayed[0][5]["lights_judged"] == tasks  # the first scan judges every task
    assert sum(judged) < 0.5 * tasks * len(judged)
    assert min(judged) < 0.2 * tasks


def test_each_day_the_escalation_leaves_nothing_for_a_full_one_to_do(replayed):
    undone = {day: result["left_undone"] for day, *_rest, result in replayed if result["left_undone"] != (0, 0)}
    assert undone == {}
    created = sum(result["escalation"]["created"] for *_rest, result in replayed)
    resolved = sum(result["escalation"]["resolved"] for *_rest, result in replayed)
    assert created > 200 and resolved > 0  # the year escalates: the comparison is not about empty days


def test_most_days_the_escalation_looks_at_few_tasks(replayed):
    looked = [result["escalation"]["tasks"] for *_rest, result in replayed[1:]]
    open_tasks = [result["open_tasks"] for *_rest, result in replayed[1:]]
    assert sum(looked) < 0.6 * sum(open_tasks)  # every task is looked at after each window closes
    assert min(looked) < 0.2 * max(open_tasks)

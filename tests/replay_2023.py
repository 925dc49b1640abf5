"""2023 replayed once for the run (a pytest plugin of tests/conftest.py), for the modules that
read it: tests/cadence/test_replay_2023.py (what the year left behind) and
tests/lights/test_incremental_scan.py (what each working day's scan did).

Hengshui's plan, an office live from 1 January 2023, generated department behaviour
(wufei/simulate.py), every cadence point on every day as the schedules fire, bulletins included:
each one's snapshot taken and locked, its document built and its notices made, but written in no
form, so none of its charts is drawn (the forms and the charts are tested apart, in
tests/bulletins). A year takes minutes, so it is replayed once: its users form one pytest-xdist
group (`_SHARED_BY_GROUP` in tests/conftest.py).

Per-day checks go in `_after_the_scan`: it runs on each working day right after the daily scan,
before that day's other points and before the departments act, and records in a `ScanDay` what the
tests assert later (an assertion there would stop the replay for every user of it).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from tests.conftest import copy_database
from wufei.calendar.service import load_calendar
from wufei.calendar.workdays import WorkCalendar
from wufei.db import make_engine, make_sessionmaker, transaction
from wufei.escalation.service import scan as escalate
from wufei.lights.models import LightRecord, LightState
from wufei.lights.service import compute_lights
from wufei.points import runs
from wufei.points.commands import command_runner, replay
from wufei.ruleset import Ruleset
from wufei.simulate import Simulation, office_config

FIRST_DAY, LAST_DAY = date(2023, 1, 1), date(2024, 1, 2)

Lights = dict[int, tuple[str, str]]  # task id → (light, rule codes)


@dataclass
class ScanDay:
    """A working day, right after its daily scan: what a full judgement of that day gives, what
    the states say after the (incremental) scan, the history rows a full scan would have written
    (the tasks whose light changed since the latest row) and those written, what a full escalation
    of every open task would still do, and the scan's result."""

    day: date
    full: Lights
    states: Lights
    expected: Lights
    written: Lights
    left_undone: tuple[int, int]  # what a full escalation of the day would still create and resolve
    open_tasks: int  # the open tasks a full escalation looks at
    scan: dict[str, Any] = field(default_factory=dict)


@dataclass
class Year:
    engine: Engine
    config_dir: Path  # the office's configuration (WUFEI_CONFIG_DIR) the year was played with
    days: list[ScanDay]

    @contextmanager
    def configured(self) -> Iterator[None]:
        """WUFEI_CONFIG_DIR set to the office's configuration, as during the replay."""
        patch = pytest.MonkeyPatch()
        patch.setenv("WUFEI_CONFIG_DIR", str(self.config_dir))
        try:
            yield
        finally:
            patch.undo()


@pytest.fixture(scope="session")
def replay_2023(tmp_path_factory, hengshui_template) -> Iterator[Year]:
    config_dir = office_config(tmp_path_factory.mktemp("config"), reporting_since=FIRST_DAY)
    engine = make_engine(copy_database(hengshui_template, tmp_path_factory.mktemp("replay")))
    year = Year(engine=engine, config_dir=config_dir, days=[])
    with year.configured():
        rules = Ruleset.load()
        with make_sessionmaker(engine)() as session:
            calendar = load_calendar(session)
        simulation = Simulation(calendar=calendar, cadence=rules.cadence, year=2023)
        run_point = command_runner(out_dir=tmp_path_factory.mktemp("bulletins"), forms=())
        history = _History()

        def runner(name: str, engine_: Engine, day: date) -> dict[str, Any]:
            result = run_point(name, engine_, day)
            if name == runs.DAILY_SCAN and calendar.is_workday(day):
                year.days.append(_after_the_scan(engine, day, calendar, rules, result, history))
            return result

        def on_day(day: date) -> None:
            with transaction(engine) as session:
                simulation.play_day(session, day)

        replay(engine, FIRST_DAY, LAST_DAY, runner=runner, on_day=on_day)
    yield year
    engine.dispose()


def _after_the_scan(
    engine: Engine, day: date, calendar: WorkCalendar, rules: Ruleset, scan: dict[str, Any], history: _History
) -> ScanDay:
    """`calendar`: the replay's, loaded once (nothing in it changes the office's calendar)."""
    with make_sessionmaker(engine)() as session:  # read only (rolled back when closed)
        # every open task against the ladder, then rolled back: what the day's scan left undone
        escalation = escalate(
            session,
            as_of=day,
            calendar=calendar,
            ladder=rules.ladder,
            cadence=rules.cadence,
            rolls_over=rules.lights.deadline_rolls_over_holidays,
        ).as_dict()
        session.rollback()
        before = history.latest_before(session, day)
        lights = compute_lights(session, as_of=day, calendar=calendar, cadence=rules.cadence, rules=rules.lights)
        full = {task_id: (str(result.light), ",".join(result.rules)) for task_id, result in lights.items()}
        states = {
            task_id: (str(light), codes)
            for task_id, light, codes in session.execute(select(LightState.task_id, LightState.light, LightState.rules))
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
    return ScanDay(
        day=day,
        full=full,
        states=states,
        expected=expected,
        written=written,
        left_undone=(escalation["created"], escalation["resolved"]),
        open_tasks=escalation["tasks"],
        scan=scan,
    )


class _History:
    """Each task's latest light history row dated before a day, read a day at a time: the rows of
    a past day never change (a day's scan and the reports filed that day write that day's rows), so
    only those dated since the previous call are read, not the whole year's again each day."""

    def __init__(self) -> None:
        self.latest: Lights = {}
        self.read_until: date | None = None  # every row dated before it is in `latest`

    def latest_before(self, session, day: date) -> Lights:
        query = select(LightRecord.task_id, LightRecord.light, LightRecord.rules).where(
            LightRecord.milestone_id.is_(None), LightRecord.as_of < day
        )
        if self.read_until is not None:
            assert day >= self.read_until, "the replay goes forward"
            query = query.where(LightRecord.as_of >= self.read_until)
        for task_id, light, rules in session.execute(query.order_by(LightRecord.as_of, LightRecord.id)):
            self.latest[task_id] = (str(light), rules)
        self.read_until = day
        return dict(self.latest)

"""The cadence runs partition by city: a province's cities scanned one run each (several at once
on several workers) write exactly what one scan of the whole province writes."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.conftest import copy_database, fresh_database_url
from tests.rules import CADENCE, RULESET
from tests.seed_files import ALL_SEEDS
from wufei import migrate
from wufei.db import make_engine, make_sessionmaker
from wufei.figures.models import PeriodFigures
from wufei.generate import plans
from wufei.generate.load import import_files
from wufei.generate.reports import load_weekly_reports
from wufei.importers.service import import_paths
from wufei.lights.models import LightRecord
from wufei.notices.models import NoticeIntent
from wufei.plans.models import Plan
from wufei.plans.queries import scope_plan_ids
from wufei.points import registry, runs
from wufei.tasks.models import Task

DAY = date(2024, 1, 2)
CITIES = ["长沙市", "株洲市"]


@pytest.fixture(scope="module")
def province_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("province")
    return plans.write_files(plans.province(seed=3, cities=2, tasks=30, indicators=3), folder)


@pytest.fixture(scope="module")
def province_template(province_files, tmp_path_factory) -> str:
    """The URL of a database with the two cities imported and their reports up to the end of 2023,
    built once for the module and never opened again: each test gets a copy (`province`)."""
    url = fresh_database_url(tmp_path_factory.mktemp("province-template"))
    engine = make_engine(url)
    migrate.upgrade(engine)
    import_files(engine, province_files)
    load_weekly_reports(engine, cadence=CADENCE, seed=3, until=date(2023, 12, 31))
    engine.dispose()
    return url


@pytest.fixture
def province(province_template, tmp_path):
    """A database of its own holding the two cities and their reports (a copy of the template)."""
    engine = make_engine(copy_database(province_template, tmp_path))
    yield engine
    engine.dispose()


def _written(engine) -> tuple[set, set, dict[str, set[int]]]:
    """(light records, intent keys, city → task ids)."""
    with make_sessionmaker(engine)() as session:
        lights = set(
            session.execute(
                select(LightRecord.task_id, LightRecord.as_of, LightRecord.light, LightRecord.rules, LightRecord.reason)
            ).all()
        )
        intents = set(session.scalars(select(NoticeIntent.key)))
        tasks: dict[str, set[int]] = {}
        for task_id, title in session.execute(select(Task.id, Plan.title).join(Plan, Plan.id == Task.plan_id)):
            tasks.setdefault(title[:3], set()).add(task_id)
    return lights, intents, tasks


def test_a_city_scan_touches_only_that_citys_tasks(province):
    result = runs.daily_scan(province, DAY, rules=RULESET, jurisdiction="长沙市")
    assert result["jurisdiction"] == "长沙市" and result["lights_changed"] > 0
    lights, _intents, tasks = _written(province)
    assert {row[0] for row in lights} == tasks["长沙市"]
    with make_sessionmaker(province)() as session:
        intent_tasks = set(session.scalars(select(NoticeIntent.task_id).where(NoticeIntent.task_id.is_not(None))))
    assert intent_tasks and intent_tasks <= tasks["长沙市"]


def test_each_city_scanned_apart_writes_what_one_whole_scan_writes(province, province_template, tmp_path):
    for city in CITIES:
        runs.daily_scan(province, DAY, rules=RULESET, jurisdiction=city)
    by_city = _written(province)

    (tmp_path / "whole").mkdir()
    whole = make_engine(copy_database(province_template, tmp_path / "whole"))  # the same cities, unscanned
    runs.daily_scan(whole, DAY, rules=RULESET)
    assert _written(whole)[:2] == by_city[:2]
    whole.dispose()

    again = runs.daily_scan(province, DAY, rules=RULESET)  # and nothing is left for a whole scan to do
    assert again["lights_changed"] == 0 and again["escalation"]["created"] == 0


def test_two_cities_scanned_at_the_same_time_write_each_light_once(province):
    errors: list[BaseException] = []

    def scan(city: str) -> None:
        try:
            runs.daily_scan(province, DAY, rules=RULESET, jurisdiction=city)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=scan, args=(city,)) for city in CITIES]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    with make_sessionmaker(province)() as session:
        per_task = session.execute(select(LightRecord.task_id, func.count()).group_by(LightRecord.task_id)).all()
        supervised = session.scalar(select(func.count()).select_from(Task))
    assert len(per_task) == supervised and {count for _, count in per_task} == {1}


def test_the_period_runs_and_the_weekly_run_take_a_city(province, tmp_path):
    monthly = runs.run_point(
        province,
        registry.point("monthly"),
        date(2024, 6, 5),
        rules=RULESET,
        jurisdiction="株洲市",
        out_dir=tmp_path,
        forms=("md",),
    )
    assert monthly["scopes"] == ["株洲市"]
    assert {path.split("/")[-2] for path in monthly["bulletins"]} == {"株洲市"}  # no province roll-up
    weekly = runs.weekly_report(province, date(2024, 1, 8), rules=RULESET, jurisdiction="株洲市")
    assert weekly["jurisdiction"] == "株洲市" and weekly["closed"]["week"] == "2024-W01"
    with make_sessionmaker(province)() as session:
        scopes = set(session.scalars(select(PeriodFigures.scope)))
    assert scopes == {"株洲市"}


def test_the_province_fans_out_over_its_cities_and_an_unknown_name_is_an_error(province):
    assert sorted(runs.jurisdictions_to_scan(province, within="湖南省")) == sorted(CITIES)
    assert runs.jurisdictions_to_scan(province, within="长沙市") == ["长沙市"]  # a city alone
    with pytest.raises(ValueError, match="未知的行政区划"):
        runs.daily_scan(province, DAY, rules=RULESET, jurisdiction="长沙")


def test_the_fan_out_covers_every_plan_once_with_a_province_plan_and_its_cities(tmp_path):
    """The seeds: Hebei's own plan, Hengshui's and Baoding's. The province's run takes its own plan
    only, each city its own: no plan is scanned by two runs, none is left out."""
    engine = make_engine(fresh_database_url(tmp_path))
    migrate.upgrade(engine)
    assert all(result.ok for result in import_paths(engine, ALL_SEEDS))
    units = runs.jurisdictions_to_scan(engine)
    assert "河北省" in units and "衡水市" in units
    with make_sessionmaker(engine)() as session:
        scopes = [set(scope_plan_ids(session, unit)) for unit in units]
        every = set(session.scalars(select(Plan.id).where(Plan.kind == "plan")))
    assert sum(len(scope) for scope in scopes) == len(every) and set().union(*scopes) == every
    assert runs.jurisdictions_to_scan(engine, within="河北省") == units
    engine.dispose()


def test_a_fan_out_plans_one_run_per_city_and_nothing_on_a_day_with_nothing_to_do(province):
    scan = runs.fan_out(province, "daily-scan", DAY, rules=RULESET)
    assert scan.skipped is None
    assert scan.runs == {city: {"as_of": "2024-01-02", "jurisdiction": city} for city in CITIES}
    assert runs.fan_out(province, "daily-scan", date(2024, 1, 6), rules=RULESET).skipped == "非工作日"
    # The monthly dispatch runs on the 3rd working day of the month (cadence.yaml): not on the 2nd,
    # unless forced, and then each city's run is forced too.
    monthly_off = runs.fan_out(province, "monthly-dispatch", DAY, rules=RULESET)
    assert monthly_off.skipped and not monthly_off.runs
    forced = runs.fan_out(province, "monthly-dispatch", DAY, rules=RULESET, force=True, within="湖南省")
    assert forced.runs["株洲市"] == {"as_of": "2024-01-02", "force": True, "jurisdiction": "株洲市"}
    # Delivery retries every day: its fan-out runs on a rest day too.
    delivery = runs.fan_out(province, "deliver-notices", date(2024, 1, 6), rules=RULESET)
    assert delivery.runs == {city: {"as_of": "2024-01-06", "jurisdiction": city} for city in CITIES}
    with pytest.raises(ValueError, match="unknown cadence command"):
        runs.fan_out(province, "monthly", DAY, rules=RULESET)


def test_after_its_cities_a_fan_out_issues_the_province_roll_up_the_city_runs_leave_out(province, tmp_path):
    day = date(2024, 6, 5)
    for city in CITIES:
        runs.run_point(
            province, registry.point("monthly"), day, rules=RULESET, jurisdiction=city, out_dir=tmp_path, forms=("md",)
        )
    assert not (tmp_path / "湖南省").exists()
    issued = runs.issue_rollups(province, "monthly-dispatch", day, rules=RULESET, out_dir=tmp_path, forms=("md",))
    assert [(item.point.name, item.snapshot.scope) for item in issued] == [("province_monthly", "湖南省")]
    rollup = next((tmp_path / "湖南省").glob("*.md")).read_text(encoding="utf-8")
    assert all(city in rollup for city in CITIES)
    assert runs.issue_rollups(province, "monthly-dispatch", day, rules=RULESET, within="长沙市", out_dir=tmp_path) == []
    assert runs.issue_rollups(province, "daily-scan", day, rules=RULESET) == []

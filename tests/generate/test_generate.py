"""The generator: deterministic provinces that import cleanly, and their weekly reports."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from tests.conftest import fresh_database_url
from tests.rules import CADENCE
from wufei import migrate
from wufei.db import make_engine, make_sessionmaker
from wufei.departments.models import Department, DepartmentKind
from wufei.generate import plans
from wufei.generate.load import import_files
from wufei.generate.reports import load_weekly_reports
from wufei.plans.models import Jurisdiction
from wufei.reports.models import Report
from wufei.tasks.models import Task


def test_a_province_has_fourteen_cities_of_the_asked_size_and_the_same_seed_gives_the_same_one():
    province = plans.province(seed=5)
    assert len(province.cities) == 14
    for city in province.cities:
        assert len(city.tasks) + len(city.projects) == 300 and len(city.indicators) == 60
        assert city.departments == 50
    assert plans.province(seed=5) == province
    assert plans.province(seed=6) != province


def test_the_national_list_has_120_cities_with_unique_names_and_document_numbers():
    cities = [city for province in plans.national(seed=2, tasks=10, indicators=2) for city in province.cities]
    assert len(cities) == 120
    assert len({c.name for c in cities}) == 120
    assert len({c.plan["文号"] for c in cities}) == 120


def test_the_workbooks_import_without_warnings_and_every_owner_is_a_known_department(tmp_path):
    files = plans.write_files(plans.province(seed=5, cities=2, tasks=40, indicators=4), tmp_path / "files")
    engine = make_engine(fresh_database_url(tmp_path))
    migrate.upgrade(engine)
    results = import_files(engine, files)
    assert [s.warnings for r in results for s in r.plans] == [[], []]
    assert [s.counts["tasks"] for r in results for s in r.plans] == [40, 40]
    with make_sessionmaker(engine)() as session:
        cities = dict(session.execute(select(Jurisdiction.name, Jurisdiction.parent_id)).all())
        assert set(cities) == {"湖南省", "长沙市", "株洲市"} and cities["长沙市"] is not None
        assert (
            session.scalar(
                select(func.count()).select_from(Department).where(Department.kind == DepartmentKind.UNKNOWN)
            )
            == 0
        )

    counts = load_weekly_reports(engine, cadence=CADENCE, seed=5, until=date(2022, 12, 31))
    assert counts["reports"] > 0 and counts["completed"] > 0
    with make_sessionmaker(engine)() as session:
        late_reports = session.scalar(
            select(func.count())
            .select_from(Report)
            .join(Task, Task.id == Report.task_id)
            .where(Report.week_start > Task.completed_on)
        )
        assert late_reports == 0  # nothing is filed after the task was completed
        assert session.scalar(select(func.count()).select_from(Report)) == counts["reports"]
    engine.dispose()

"""The generator: deterministic provinces that import cleanly, and their weekly reports."""

from __future__ import annotations

import os
from datetime import date

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

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


def _reports_and_completions(engine) -> tuple[list[tuple], list[tuple]]:
    with engine.connect() as connection:
        reports = [tuple(row) for row in connection.execute(select(Report.__table__).order_by(Report.id))]
        done = connection.execute(select(Task.id, Task.completed_on).order_by(Task.id)).all()
    return reports, [tuple(row) for row in done]


@pytest.mark.postgresql
def test_postgresql_copies_the_same_reports_as_sqlite_inserts_and_keeps_the_tables_keys(tmp_path):
    """PostgreSQL loads the reports by COPY with the table's indexes and keys made after it; the
    rows (ids, order, every value) and completions are those of the row inserts SQLite gets, and
    the table ends with the same indexes and constraints as the migrations made."""
    assert os.environ.get("WUFEI_TEST_DATABASE_URL"), "set WUFEI_TEST_DATABASE_URL=$(scripts/postgres.sh)"
    files = plans.write_files(plans.province(seed=5, cities=2, tasks=30, indicators=2), tmp_path / "files")
    loaded = {}
    urls = {"sqlite": f"sqlite:///{tmp_path / 'inserted.db'}", "postgresql": fresh_database_url(tmp_path)}
    for name, url in urls.items():
        engine = make_engine(url)
        migrate.upgrade(engine)
        import_files(engine, files)
        if name == "postgresql":
            keys_before = _keys(engine)
        counts = load_weekly_reports(engine, cadence=CADENCE, seed=5, until=date(2022, 6, 30))
        loaded[name] = (counts, *_reports_and_completions(engine))
        if name == "postgresql":
            assert _keys(engine) == keys_before
        engine.dispose()
    assert loaded["postgresql"] == loaded["sqlite"]
    assert loaded["sqlite"][0]["reports"] > 1000 and loaded["sqlite"][0]["completed"] > 0


@pytest.mark.postgresql
def test_a_failed_copy_leaves_no_report_and_every_key_in_place(tmp_path):
    """All or nothing: a report the database refuses (a department that does not exist) rolls back
    the whole load, the dropped indexes and keys included."""
    engine = make_engine(fresh_database_url(tmp_path))
    migrate.upgrade(engine)
    import_files(engine, plans.write_files(plans.province(seed=5, cities=1, tasks=10, indicators=2), tmp_path / "f"))
    keys_before = _keys(engine)
    with engine.begin() as connection:  # one task's lead made a department no row has
        connection.execute(
            text("ALTER TABLE task_departments DROP CONSTRAINT fk_task_departments_department_id_departments")
        )
        connection.execute(
            text(
                "UPDATE task_departments SET department_id = 999999"
                " WHERE id = (SELECT min(id) FROM task_departments WHERE role = 'lead')"
            )
        )
    with pytest.raises(IntegrityError, match="fk_reports_department_id_departments"):
        load_weekly_reports(engine, cadence=CADENCE, seed=5, until=date(2022, 6, 30))
    with make_sessionmaker(engine)() as session:
        assert session.scalar(select(func.count()).select_from(Report)) == 0
        assert session.scalar(select(func.count()).select_from(Task).where(Task.completed_on.is_not(None))) == 0
    assert _keys(engine) == keys_before
    engine.dispose()


def _keys(engine) -> set[tuple[str, str]]:
    """The reports table's indexes and constraints, by name and definition."""
    with engine.connect() as connection:
        indexes = connection.execute(
            text("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'reports'")
        ).all()
        constraints = connection.execute(
            text(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
                " WHERE conrelid = CAST('reports' AS regclass)"
            )
        ).all()
    return {tuple(row) for row in [*indexes, *constraints]}

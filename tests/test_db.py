"""A unit of work is all or nothing on both databases, savepoints inside it included; plain rows read as a
SELECT gives them."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import bindparam, event, select, text

from wufei import db
from wufei.db import insert_values, plain_rows, plain_rows_together, transaction
from wufei.departments.models import Department, DepartmentKind
from wufei.lights.models import LightRecord
from wufei.lights.rules import Light
from wufei.plans.models import Jurisdiction, Plan, PlanKind
from wufei.reports.models import Report, ReportStatus
from wufei.tasks.models import ListKind, Task


def test_a_released_savepoint_is_undone_when_its_unit_of_work_fails(engine):
    # The savepoint is the unit of work's first statement: on SQLite its RELEASE once committed.
    with pytest.raises(RuntimeError), transaction(engine) as session:
        with session.begin_nested():
            session.add(Jurisdiction(name="回滚测试市", level="city"))
        raise RuntimeError("a later step fails")
    with transaction(engine) as session:
        assert session.scalar(select(Jurisdiction).where(Jurisdiction.name == "回滚测试市")) is None


def test_a_savepoint_unit_of_work_that_read_first_still_writes_after_another_commits(engine):
    """The importer's commit and preview and the indicator form read, then write inside a savepoint. On
    SQLite a connection committing between that read and that write made the write fail at once
    ('database is locked': the transaction's snapshot was stale, so no busy timeout could help) and
    the portal answered 500 while any department filed. The unit of work now takes the write lock
    when it begins; the other writer waits for it instead, and both land."""
    with transaction(engine) as session:
        session.add(Jurisdiction(name="先读后写测试市", level="city"))
    failures: list[BaseException] = []

    def another_writer() -> None:
        try:
            with transaction(engine) as other:
                other.add(Jurisdiction(name="同时写入测试市", level="city"))
        except BaseException as exc:
            failures.append(exc)

    writer = threading.Thread(target=another_writer)
    with transaction(engine) as session, session.begin_nested():
        assert session.scalar(select(Jurisdiction.id).where(Jurisdiction.name == "先读后写测试市"))
        writer.start()
        writer.join(timeout=1)  # it commits now where nothing holds the write lock
        session.add(Jurisdiction(name="先读后写之后测试市", level="city"))
        session.flush()
    writer.join(timeout=60)
    assert not failures and not writer.is_alive()
    with transaction(engine) as session:
        names = {"先读后写测试市", "同时写入测试市", "先读后写之后测试市"}
        assert set(session.scalars(select(Jurisdiction.name).where(Jurisdiction.name.in_(names)))) == names


def _plan_and_department(session, place_name: str, department_name: str) -> tuple[Plan, Department]:
    """A new city with a plan and a bureau, flushed."""
    place = Jurisdiction(name=place_name, level="city")
    session.add(place)
    session.flush()
    plan = Plan(jurisdiction_id=place.id, title="测试方案", kind=PlanKind.PLAN, issued_on=date(2024, 3, 1))
    department = Department(jurisdiction_id=place.id, name=department_name, kind=DepartmentKind.BUREAU)
    session.add_all([plan, department])
    session.flush()
    return plan, department


def test_plain_rows_gives_the_values_a_select_gives_as_plain_tuples(session):
    """The figures' large reads: each column converted by its type as SQLAlchemy would (dates,
    aware UTC times, enum members, flags, NULLs), in the statement's order, on either database."""
    plan, department = _plan_and_department(session, "行读取测试市", "测试局")
    task = Task(plan_id=plan.id, list_kind=ListKind.MAIN, number="1", title="测试任务", deadline_kind="fixed")
    session.add(task)
    session.flush()
    shanghai = ZoneInfo("Asia/Shanghai")
    session.add_all(
        [
            Report(
                task_id=task.id,
                department_id=department.id,
                week_start=date(2024, 12, 2),
                version=version,
                progress=progress,
                submitted_at=datetime(2024, 12, 6, 9, 30, 15, 123456, tzinfo=shanghai),
                late=version == 2,
                status=status,
                reviewed_at=None if version == 1 else datetime(2024, 12, 7, 8, 0, tzinfo=UTC),
            )
            for version, progress, status in ((1, 40, ReportStatus.RETURNED), (2, 45, ReportStatus.ACCEPTED))
        ]
    )
    session.flush()
    statement = (
        select(
            Report.task_id,
            Report.week_start,
            Report.progress,
            Report.late,
            Report.status,
            (Report.status == ReportStatus.RETURNED).label("returned"),
            Report.submitted_at,
            Report.reviewed_at,
            Task.completed_on,
        )
        .join(Task, Task.id == Report.task_id)
        .where(Report.task_id == task.id)
        .order_by(Report.version)
    )
    rows = plain_rows(session, statement)
    assert rows == [tuple(row) for row in session.execute(statement).all()]
    assert all(type(row) is tuple for row in rows)
    first, second = rows
    assert first[1] == date(2024, 12, 2) and type(first[1]) is date
    assert first[3] is False and second[3] is True
    assert first[4] is ReportStatus.RETURNED and second[4] is ReportStatus.ACCEPTED
    assert first[5] is True and second[5] is False
    assert first[6] == datetime(2024, 12, 6, 1, 30, 15, 123456, tzinfo=UTC) and first[6].utcoffset() == timedelta(0)
    assert first[7] is None and second[7] == datetime(2024, 12, 7, 8, 0, tzinfo=UTC)
    assert first[8] is None
    assert plain_rows(session, statement.where(Report.progress > 100)) == []
    # A status its enum does not know is refused as SQLAlchemy refuses it, not read as NULL.
    session.execute(text("UPDATE reports SET status = 'lost' WHERE version = 1"))
    with pytest.raises(ValueError, match="'lost' is not a valid ReportStatus"):
        plain_rows(session, statement)


def test_plain_rows_together_gives_each_read_as_plain_rows_gives_it(session):
    """Reads sent together (one round trip on PostgreSQL) give, in order, the rows each gives
    alone: converted values, expanding parameters, no rows, changes not yet flushed; each
    statement is still told to the connection's listeners (the tests that count statements)."""
    plan, department = _plan_and_department(session, "合读测试市", "合读局")
    tasks = [
        Task(plan_id=plan.id, list_kind=ListKind.MAIN, number=str(n), title=f"任务{n}", deadline_kind="fixed")
        for n in (1, 2)
    ]
    session.add_all(tasks)
    session.flush()
    shanghai = ZoneInfo("Asia/Shanghai")
    session.add_all(
        Report(
            task_id=task.id,
            department_id=department.id,
            week_start=date(2024, 12, 2),
            version=1,
            progress=10 * n,
            submitted_at=datetime(2024, 12, 6, 9, n, tzinfo=shanghai),
            late=False,
            status=ReportStatus.ACCEPTED,
            reviewed_at=datetime(2024, 12, 7, 8, 0, tzinfo=UTC) if n == 1 else None,
        )
        for n, task in enumerate(tasks, start=1)
    )
    session.add(Task(plan_id=plan.id, list_kind=ListKind.MAIN, number="3", title="任务3", deadline_kind="fixed"))
    reports = (
        select(Report.task_id, Report.progress, Report.status, Report.submitted_at, Report.reviewed_at)
        .where(Report.task_id.in_(bindparam("tasks", expanding=True)))
        .order_by(Report.task_id)
    )
    numbers = select(Task.number, Task.plan_id).where(Task.plan_id == plan.id).order_by(Task.number)
    reads = [
        (reports, {"tasks": [task.id for task in tasks]}),
        (numbers, {}),  # the third task not flushed yet: read all the same
        (reports, {"tasks": [-1]}),
    ]
    told: list[str] = []

    def tell(_connection, _cursor, statement, *_args):
        if statement.lstrip().startswith("SELECT"):  # not the flush's inserts
            told.append(statement)

    connection = session.connection()
    event.listen(connection, "before_cursor_execute", tell)
    try:
        together = plain_rows_together(session, reads)
    finally:
        event.remove(connection, "before_cursor_execute", tell)
    assert len(told) == 3
    assert together == [plain_rows(session, statement, params) for statement, params in reads]
    first, second = together[0]
    assert first == (tasks[0].id, 10, ReportStatus.ACCEPTED, datetime(2024, 12, 6, 1, 1, tzinfo=UTC), first[4])
    assert first[4] == datetime(2024, 12, 7, 8, 0, tzinfo=UTC) and second[4] is None
    assert second[3] == datetime(2024, 12, 6, 1, 2, tzinfo=UTC) and second[3].utcoffset() == timedelta(0)
    assert together[1] == [("1", plan.id), ("2", plan.id), ("3", plan.id)]
    assert together[2] == []
    if session.get_bind().dialect.name == "postgresql":
        # Sessions run in UTC (make_engine): the driver's times need no conversion.
        assert session.execute(text("SHOW TimeZone")).scalar() == "UTC"


def test_plain_rows_reads_a_statement_again_as_its_rows_are_now(session, monkeypatch):
    """Each statement's converters are kept (per engine) and SQLite's date texts parsed once each:
    a second read of a statement gives its rows as they are now, NULL stays None after the parsed
    dates are forgotten, and a date text SQLAlchemy cannot parse is refused as it refuses it."""
    monkeypatch.setattr(db._Days, "_MOST", 2)  # forget the parsed dates after two
    place = Jurisdiction(name="行再读测试市", level="city")
    session.add(place)
    session.flush()
    plans = [
        Plan(jurisdiction_id=place.id, title=f"测试方案{n}", kind=PlanKind.PLAN, issued_on=issued)
        for n, issued in enumerate((date(2024, 3, 1), None, date(2019, 11, 30)))
    ]
    session.add_all(plans)
    session.flush()
    statement = select(Plan.id, Plan.issued_on, Plan.kind).where(Plan.jurisdiction_id == place.id).order_by(Plan.id)
    expected = [(plan.id, plan.issued_on, PlanKind.PLAN) for plan in plans]
    assert plain_rows(session, statement) == expected
    for day in (date(2031, 7, 9), date(2032, 2, 29), date(2033, 1, 1)):  # each one a text not seen before
        plans[0].issued_on = day
        session.flush()
        expected[0] = (plans[0].id, day, PlanKind.PLAN)
        assert plain_rows(session, statement) == expected
    assert plain_rows(session, statement)[1][1] is None
    if session.get_bind().dialect.name == "sqlite":  # PostgreSQL keeps no date as text
        session.execute(text("UPDATE plans SET issued_on = '2024-02-30' WHERE id = :id"), {"id": plans[2].id})
        with pytest.raises(ValueError):
            plain_rows(session, statement)


def test_insert_values_stores_constants_as_an_orm_insert_stores_them(session):
    """The scan's bulk rows share constants (the day, the time computed); each is stored in the
    form SQLAlchemy stores it (on SQLite: naive UTC text, no '+00:00'), so SQL comparing the
    column with rows the ORM wrote orders them right."""
    place = Jurisdiction(name="批量写入测试市", level="city")
    session.add(place)
    session.flush()
    plan = Plan(jurisdiction_id=place.id, title="测试方案", kind=PlanKind.PLAN, issued_on=date(2024, 3, 1))
    session.add(plan)
    session.flush()
    tasks = [
        Task(plan_id=plan.id, list_kind=ListKind.MAIN, number=str(n), title="测试任务", deadline_kind="fixed")
        for n in (1, 2)
    ]
    session.add_all(tasks)
    session.flush()
    at = datetime(2024, 12, 6, 17, 30, 15, 123456, tzinfo=ZoneInfo("Asia/Shanghai"))
    session.add(
        LightRecord(
            task_id=tasks[0].id, as_of=date(2024, 12, 6), light=Light.GREEN, rules="", reason="", computed_at=at
        )
    )
    session.flush()
    insert_values(
        session,
        LightRecord.__table__,
        ("task_id", "light", "rules", "reason"),
        [(tasks[1].id, "green", "", "")],
        constants={"milestone_id": None, "as_of": date(2024, 12, 6), "computed_at": at},
    )
    stored = session.execute(
        text(
            "SELECT CAST(computed_at AS TEXT), CAST(as_of AS TEXT) FROM light_history WHERE task_id IN (:a, :b)"
            " ORDER BY task_id"
        ),
        {"a": tasks[0].id, "b": tasks[1].id},
    ).all()
    assert stored[0] == stored[1], stored
    assert session.scalar(select(LightRecord.computed_at).where(LightRecord.task_id == tasks[1].id)) == at


def test_a_database_password_with_a_percent_sign_reaches_the_migrations_whole():
    """`wufei db upgrade` failed with "invalid interpolation syntax" on a password such as p@ss%word
    (written p%40ss%25word in the URL): Alembic reads its options through configparser."""
    from wufei import migrate

    engine = db.make_engine("postgresql://wufei:p%40ss%25word@127.0.0.1:5432/wufei")
    url = migrate.alembic_config(engine).get_main_option("sqlalchemy.url")
    assert url == "postgresql+psycopg://wufei:p%40ss%25word@127.0.0.1:5432/wufei"
    engine.dispose()

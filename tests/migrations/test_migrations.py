import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from wufei import migrate
from wufei.db import Base, load_all_models


def _tables(engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def _model_drift(engine) -> list:
    load_all_models()
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def test_migrations_upgrade_downgrade_and_upgrade_again(fresh_engine):
    migrate.upgrade(fresh_engine)
    assert {"plans", "tasks", "indicators", "departments", "audit_log"} <= _tables(fresh_engine)

    migrate.downgrade(fresh_engine, "base")
    assert _tables(fresh_engine) == set()

    migrate.upgrade(fresh_engine)
    assert {"plans", "tasks", "indicators", "departments", "audit_log"} <= _tables(fresh_engine)


def test_models_match_the_migrations(fresh_engine):
    migrate.upgrade(fresh_engine)
    assert _model_drift(fresh_engine) == []


def test_people_on_records_are_named_by_display_name_from_0011(fresh_engine):
    from datetime import date

    from sqlalchemy import select, text

    from tests.seed_files import HENGSHUI_PLAN
    from wufei.accounts.service import add_user
    from wufei.audit.service import record
    from wufei.db import transaction
    from wufei.extensions.models import Extension
    from wufei.importers.service import import_paths
    from wufei.tasks.models import Task

    migrate.upgrade(fresh_engine)
    assert all(result.ok for result in import_paths(fresh_engine, [HENGSHUI_PLAN]))
    with transaction(fresh_engine) as session:
        add_user(session, username="eco", role="leader", display_name="王五", actor="test")
        task = session.scalars(select(Task).where(Task.assignments.any())).first()
        for decided_by in ("web:eco", "web:gone"):
            session.add(
                Extension(
                    task_id=task.id,
                    department_id=task.assignments[0].department_id,
                    requested_on=date(2024, 6, 1),
                    reason="x",
                    original_due_date=date(2024, 6, 30),
                    requested_due_date=date(2024, 9, 30),
                    status="approved",
                    decided_by=decided_by,
                )
            )
        record(
            session, actor="web:eco", action="update", entity="extensions", entity_id=None, entity_key="x", changes={}
        )
    migrate.downgrade(fresh_engine, "0010")  # as written before 0011
    migrate.upgrade(fresh_engine)
    with fresh_engine.connect() as connection:
        decided = connection.execute(text("SELECT decided_by FROM extensions ORDER BY id")).scalars().all()
        actors = connection.execute(text("SELECT actor FROM audit_log WHERE entity_key = 'x'")).scalars().all()
    assert decided == ["王五（eco）", "web:gone"]  # an account no longer there keeps its old name
    assert actors == ["web:eco"]  # the audit trail is not rewritten


def test_0012_removes_the_doubles_concurrent_scans_left_then_keys_them(fresh_engine, registry):
    from datetime import UTC, date, datetime

    from sqlalchemy import func, insert, select
    from sqlalchemy.exc import IntegrityError
    from sqlalchemy.orm import Session

    from tests.conftest import _parsed
    from tests.seed_files import HENGSHUI_PLAN
    from wufei.audit.models import AuditEntry
    from wufei.importers.service import load_source
    from wufei.lights.models import LightRecord
    from wufei.tasks.models import Task

    # The plan is imported by today's code at the newest revision, then taken down to 0011, where
    # the doubles are written (today's models read columns an 0011 schema lacks: departments'
    # merged_into_id from 0017).
    migrate.upgrade(fresh_engine)
    with Session(fresh_engine) as session:
        load_source(session, _parsed(HENGSHUI_PLAN), registry=registry, actor="test", path=str(HENGSHUI_PLAN))
        session.commit()
    migrate.downgrade(fresh_engine, "0011")
    with Session(fresh_engine) as session:
        first, second = session.scalars(select(Task.id).order_by(Task.id).limit(2)).all()
        day, at = date(2024, 1, 2), datetime(2024, 1, 2, 1, 0, tzinfo=UTC)
        rows = [
            {"task_id": task, "milestone_id": None, "as_of": day, "light": light, "rules": "r", "reason": light}
            for task, light in [(first, "green"), (first, "yellow"), (second, "red"), (second, "red")]
        ]
        rows.append({**rows[0], "as_of": date(2024, 1, 3)})
        session.execute(insert(LightRecord), rows)
        generated = {"actor": "system", "action": "generate", "entity": "milestones", "entity_id": None}
        session.execute(
            insert(AuditEntry),
            [
                {**generated, "entity_key": "plans:all", "changes": {"milestones": 9}, "at": at, "source": None},
                {**generated, "entity_key": "plans:all", "changes": {"milestones": 9}, "at": at, "source": None},
                {**generated, "entity_key": "plans:all", "changes": {"milestones": 2}, "at": at, "source": None},
            ],
        )
        session.commit()

    migrate.upgrade(fresh_engine)
    with Session(fresh_engine) as session:
        kept = session.execute(
            select(LightRecord.task_id, LightRecord.as_of, LightRecord.light).order_by(LightRecord.id)
        ).all()
        assert kept == [(first, day, "yellow"), (second, day, "red"), (first, date(2024, 1, 3), "green")]
        audited = session.scalars(
            select(AuditEntry.changes).where(AuditEntry.action == "generate").order_by(AuditEntry.id)
        ).all()
        assert audited == [{"milestones": 9}, {"milestones": 2}]
        assert session.scalar(select(func.count()).select_from(LightRecord)) == 3
        with pytest.raises(IntegrityError):  # the key holds from now on
            session.execute(insert(LightRecord), [rows[0]])
            session.flush()


def test_0009_repairs_a_database_made_when_shipped_revisions_were_still_empty_or_narrower(fresh_engine):
    """As the issue found them: 0004-0006 passed while empty (stamped 0006, no contacts), and
    report_evidence.content_type made VARCHAR(64) by 0002 as it first shipped."""
    from alembic import command
    from sqlalchemy import text

    migrate.upgrade(fresh_engine, "0003")
    with fresh_engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("ALTER TABLE report_evidence ALTER COLUMN content_type TYPE VARCHAR(64)"))
        config = migrate.alembic_config(fresh_engine)
        config.attributes["connection"] = connection
        command.stamp(config, "0006")
    assert "contacts" not in _tables(fresh_engine)

    migrate.upgrade(fresh_engine)
    assert {"contacts", "snapshots", "users", "sign_in_tokens", "web_sessions"} <= _tables(fresh_engine)
    assert _model_drift(fresh_engine) == []
    columns = {c["name"]: c for c in inspect(fresh_engine).get_columns("report_evidence")}
    if fresh_engine.dialect.name == "postgresql":
        assert columns["content_type"]["type"].length == 127


def test_0017_keeps_a_merged_unit_down_and_up_again(fresh_engine):
    """Down to 0016 a retired unit becomes an ordinary one (what moved stays moved); up again it
    is not retired, and merging works on the upgraded schema."""
    from datetime import date

    from sqlalchemy import inspect as inspect_schema
    from sqlalchemy import select, text

    from tests.seed_files import HENGSHUI_PLAN
    from wufei.db import transaction
    from wufei.departments.merging import merge_departments
    from wufei.departments.models import Department
    from wufei.importers.service import import_paths

    migrate.upgrade(fresh_engine)
    assert all(result.ok for result in import_paths(fresh_engine, [HENGSHUI_PLAN]))
    with transaction(fresh_engine) as session:
        old, new = (
            session.scalars(select(Department).where(Department.name == name)).one()
            for name in ("市商务局", "市发展和改革委员会")
        )
        merge_departments(session, old, new, actor="test", on=date(2024, 6, 5))
        old_id = old.id
    migrate.downgrade(fresh_engine, "0016")
    assert "merged_into_id" not in {c["name"] for c in inspect_schema(fresh_engine).get_columns("departments")}
    with fresh_engine.connect() as connection:
        assert (
            connection.execute(text("SELECT name FROM departments WHERE id = :id"), {"id": old_id}).scalar()
            == "市商务局"
        )
        assert not connection.execute(
            text("SELECT count(*) FROM task_departments WHERE department_id = :id"), {"id": old_id}
        ).scalar()
    migrate.upgrade(fresh_engine)
    with fresh_engine.connect() as connection:
        assert connection.execute(
            text("SELECT merged_into_id FROM departments WHERE id = :id"), {"id": old_id}
        ).one() == (None,)


def test_0020_dates_the_owner_links_stored_before_from_their_plans_start(fresh_engine):
    """Links stored before 0020 were counted from their plan's start: upgraded, they are dated so."""
    from sqlalchemy import text

    from tests.seed_files import HENGSHUI_PLAN
    from wufei.importers.service import import_paths

    migrate.upgrade(fresh_engine)
    assert all(result.ok for result in import_paths(fresh_engine, [HENGSHUI_PLAN]))
    migrate.downgrade(fresh_engine, "0019")
    migrate.upgrade(fresh_engine)
    with fresh_engine.connect() as connection:
        dated = connection.execute(
            text(
                "SELECT DISTINCT p.issued_on, d.assigned_on FROM task_departments d"
                " JOIN tasks t ON t.id = d.task_id JOIN plans p ON p.id = t.plan_id"
            )
        ).all()
    assert [(str(issued), str(assigned)) for issued, assigned in dated] == [("2022-10-07", "2022-10-07")]


def test_0021_closes_the_extra_pending_extensions_then_keys_one_per_task(fresh_engine):
    from datetime import date

    from sqlalchemy import insert, select
    from sqlalchemy.exc import IntegrityError
    from sqlalchemy.orm import Session

    from tests.seed_files import HENGSHUI_PLAN
    from wufei.extensions.models import Extension
    from wufei.importers.service import import_paths
    from wufei.tasks.models import Task

    migrate.upgrade(fresh_engine)
    assert all(result.ok for result in import_paths(fresh_engine, [HENGSHUI_PLAN]))
    migrate.downgrade(fresh_engine, "0020")
    with Session(fresh_engine) as session:
        found = session.scalars(select(Task).where(Task.assignments.any()).order_by(Task.id).limit(2)).all()
        task, other = (t.id for t in found)
        asked = {
            "department_id": found[0].assignments[0].department_id,
            "requested_on": date(2024, 6, 1),
            "reason": "同时提交",
            "original_due_date": date(2024, 6, 30),
            "requested_due_date": date(2024, 9, 30),
            "status": "pending",
        }
        rows = [{**asked, "task_id": task} for _ in range(3)] + [{**asked, "task_id": other}]
        session.execute(insert(Extension), rows)
        session.commit()

    migrate.upgrade(fresh_engine)
    with Session(fresh_engine) as session:
        kept = session.execute(
            select(Extension.task_id, Extension.status, Extension.decided_on).order_by(Extension.id)
        ).all()
        assert kept == [
            (task, "pending", None),
            (task, "refused", date(2024, 6, 1)),
            (task, "refused", date(2024, 6, 1)),
            (other, "pending", None),
        ]
        with pytest.raises(IntegrityError):  # the key holds from now on
            session.execute(insert(Extension), [{**asked, "task_id": task}])
            session.flush()

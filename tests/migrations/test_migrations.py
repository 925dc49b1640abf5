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


def test_people_on_records_are_named_by_display_name_from_0010(fresh_engine):
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
    migrate.downgrade(fresh_engine, "0009")  # as written before 0010
    migrate.upgrade(fresh_engine)
    with fresh_engine.connect() as connection:
        decided = connection.execute(text("SELECT decided_by FROM extensions ORDER BY id")).scalars().all()
        actors = connection.execute(text("SELECT actor FROM audit_log WHERE entity_key = 'x'")).scalars().all()
    assert decided == ["王五（eco）", "web:gone"]  # an account no longer there keeps its old name
    assert actors == ["web:eco"]  # the audit trail is not rewritten

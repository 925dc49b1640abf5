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

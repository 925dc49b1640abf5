"""Alembic environment: the URL and metadata come from wufei itself."""

from __future__ import annotations

from alembic import context

from wufei.db import Base, load_all_models, make_engine
from wufei.migrate import migrating

load_all_models()
target_metadata = Base.metadata


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:  # handed in by wufei.migrate or the tests
        _run(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url") or None
    with migrating(make_engine(url)) as connection:  # the alembic command: SQLite's foreign keys off, as in wufei
        _run(connection)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER constraints
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()

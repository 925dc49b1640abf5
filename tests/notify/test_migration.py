"""0003 creates the delivery tables and matches the models (until `load_all_models` imports
wufei.notify.models, this test imports it itself)."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

import wufei.notify.models  # noqa: F401
from wufei import migrate
from wufei.db import Base, load_all_models


def _tables(engine):
    return set(inspect(engine).get_table_names())


def test_0003_upgrade_downgrade_upgrade_and_models_match(fresh_engine):
    migrate.upgrade(fresh_engine)
    assert {"dispatches", "deliveries"} <= _tables(fresh_engine)
    migrate.downgrade(fresh_engine, "0002")
    assert not {"dispatches", "deliveries"} & _tables(fresh_engine)
    assert "notice_intents" in _tables(fresh_engine)
    migrate.upgrade(fresh_engine)
    assert {"dispatches", "deliveries"} <= _tables(fresh_engine)

    load_all_models()
    with fresh_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_0004_creates_contacts_and_the_notify_tables_match_their_models(fresh_engine):
    """Only this package's tables are compared, so the check does not depend on later revisions."""
    migrate.upgrade(fresh_engine)
    assert "contacts" in _tables(fresh_engine)
    migrate.downgrade(fresh_engine, "0003")
    assert "contacts" not in _tables(fresh_engine) and "dispatches" in _tables(fresh_engine)
    migrate.upgrade(fresh_engine)

    load_all_models()
    ours = {"contacts", "dispatches", "deliveries"}
    with fresh_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = [d for d in compare_metadata(context, Base.metadata) if ours & _named_tables(d)]
    assert differences == []


def _named_tables(difference) -> set[str]:
    items = difference if isinstance(difference, list) else [difference]
    names = set()
    for item in items:
        for part in item if isinstance(item, tuple) else (item,):
            table = getattr(part, "table", None)
            name = getattr(table, "name", None) or getattr(part, "name", None)
            if isinstance(part, str):
                names.add(part)
            elif name:
                names.add(name)
    return names

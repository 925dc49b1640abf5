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


def test_0008_turns_each_dispatchs_intent_list_into_rows_and_back(fresh_engine):
    """The lists of intents a dispatch carried become dispatch_intents rows (an intent carried twice
    stays with its first dispatch), and the downgrade writes the lists back."""
    from datetime import UTC, datetime

    from sqlalchemy import text

    migrate.upgrade(fresh_engine, "0006")
    with fresh_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO notice_intents (id, key, kind, step, audience, period, created_on, created_at, payload)"
                " VALUES (:id, :key, 'overdue', 'overdue', 'liaison', '2024-06-03', '2024-06-03', :at, '{}')"
            ),
            [{"id": n, "key": f"k{n}", "at": datetime(2024, 6, 3, tzinfo=UTC)} for n in (1, 2, 3)],
        )
        connection.execute(
            text(
                "INSERT INTO dispatches (id, key, day, audience, tag, subject, body, intent_ids, status, attempts,"
                " created_at) VALUES (:id, :key, '2024-06-03', 'liaison', 'office', 's', 'b', :ids, 'sent', 1, :at)"
            ),
            [
                {"id": 1, "key": "d1", "ids": "[1, 2]", "at": datetime(2024, 6, 3, tzinfo=UTC)},
                {"id": 2, "key": "d2", "ids": "[2, 3]", "at": datetime(2024, 6, 3, tzinfo=UTC)},
            ],
        )
        connection.execute(
            text(
                "INSERT INTO deliveries (dispatch_id, service_url, status, duration_ms, attempted_at)"
                " VALUES (1, 'outbox://localhost/x', 'sent', 3, :at)"
            ),
            {"at": datetime(2024, 6, 3, tzinfo=UTC)},
        )
    migrate.upgrade(fresh_engine)
    with fresh_engine.connect() as connection:
        rows = connection.execute(text("SELECT intent_id, dispatch_id FROM dispatch_intents ORDER BY intent_id")).all()
        deliveries = connection.execute(text("SELECT count(*) FROM deliveries")).scalar()
    assert [tuple(row) for row in rows] == [(1, 1), (2, 1), (3, 2)]
    assert deliveries == 1  # the dispatches table kept its rows (and what hangs on them)
    assert "intent_ids" not in {c["name"] for c in inspect(fresh_engine).get_columns("dispatches")}

    migrate.downgrade(fresh_engine, "0006")
    with fresh_engine.connect() as connection:
        lists = dict(connection.execute(text("SELECT id, intent_ids FROM dispatches ORDER BY id")).all())
    import json

    assert {k: json.loads(v) if isinstance(v, str) else v for k, v in lists.items()} == {1: [1, 2], 2: [3]}
    assert "dispatch_intents" not in _tables(fresh_engine)

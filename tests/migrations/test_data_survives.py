"""Data survives migrations: a database created at each shipped revision, with rows in every table,
upgraded to the newest keeps every row and every value of the columns it still has; a database at
the newest revision downgraded to the first keeps the rows of the tables the first one has (on
SQLite, Alembic's batch rebuilds run with foreign keys off: with them on, rebuilding `tasks` ran
ON DELETE CASCADE and emptied `task_departments`).

The rows are made from the schema itself (reflected at that revision): two per table, every
column filled, foreign keys pointing at the parents' rows, so a new table or column needs no change
here."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from wufei import migrate

pytestmark = pytest.mark.faults  # the fault suite of issue 14: `pytest -m faults`

ROWS = 2


def _revisions() -> list[str]:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]


SHIPPED = _revisions()[:-1]  # every revision before the newest


def _value(table: sa.Table, column: sa.Column, row: int) -> Any:
    kind = column.type
    if isinstance(kind, sa.JSON):
        return [] if column.name.endswith("_ids") else {"row": row}
    if isinstance(kind, sa.Boolean):
        return row % 2 == 1
    if isinstance(kind, sa.Integer):
        return row
    if isinstance(kind, sa.Numeric):
        return Decimal(f"{row}.5")
    if isinstance(kind, sa.DateTime):
        return datetime(2024, 1, row, 8, 30, tzinfo=UTC)
    if isinstance(kind, sa.Date):
        return date(2024, 1, row)
    if isinstance(kind, sa.String):
        text = f"{table.name}.{column.name}.{row}"
        length = getattr(kind, "length", None)
        return text[-length:] if length else text
    raise AssertionError(f"no test value for {table.name}.{column.name} ({kind!r})")


def _fill(engine) -> dict[str, list[dict[str, Any]]]:
    """Two rows in every table (parents first); returns what was written, table by table."""
    metadata = sa.MetaData()
    metadata.reflect(engine)
    written: dict[str, list[dict[str, Any]]] = {}
    with engine.begin() as connection:
        for table in metadata.sorted_tables:
            if table.name == "alembic_version":
                continue
            rows = []
            for row in range(1, ROWS + 1):
                values = {}
                for column in table.columns:
                    [foreign] = column.foreign_keys or [None]
                    if foreign is not None and foreign.column.table is table and row == 1:
                        values[column.name] = None  # the first row of a tree is its root
                    elif foreign is not None:
                        values[column.name] = row
                    else:
                        values[column.name] = _value(table, column, row)
                rows.append(values)
            connection.execute(table.insert(), rows)
            written[table.name] = rows
    return written


def _read(engine) -> dict[str, list[dict[str, Any]]]:
    metadata = sa.MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        return {
            table.name: [
                dict(row._mapping)
                for row in connection.execute(sa.select(table).order_by(*table.primary_key.columns or table.columns))
            ]
            for table in metadata.sorted_tables
            if table.name != "alembic_version"
        }


def _same(before: Any, after: Any) -> bool:
    if isinstance(before, datetime) and isinstance(after, datetime):
        return before.replace(tzinfo=None) == (after.astimezone(UTC) if after.tzinfo else after).replace(tzinfo=None)
    if isinstance(before, datetime) and isinstance(after, str):
        return after.startswith(before.strftime("%Y-%m-%d %H:%M:%S"))
    if isinstance(before, date) and isinstance(after, str):
        return after == before.isoformat()
    if isinstance(before, Decimal):
        return Decimal(str(after)) == before
    return before == after


def _lost(before: dict[str, list[dict]], after: dict[str, list[dict]], *, tables: set[str] | None = None) -> list:
    lost = []
    for name, rows in before.items():
        if tables is not None and name not in tables:
            continue
        if name not in after:
            lost.append(f"table {name} is gone")
            continue
        if len(after[name]) != len(rows):
            lost.append(f"{name}: {len(rows)} rows, {len(after[name])} after")
            continue
        for old, new in zip(rows, after[name], strict=True):
            lost += [
                f"{name}.{column}: {value!r} became {new[column]!r}"
                for column, value in old.items()
                if column in new and not _same(value, new[column])
            ]
    return lost


@pytest.mark.parametrize("revision", SHIPPED)
def test_every_row_survives_the_upgrade_from_a_shipped_revision(fresh_engine, revision):
    migrate.upgrade(fresh_engine, revision)
    written = _fill(fresh_engine)
    before = _read(fresh_engine)
    assert all(len(rows) == ROWS for rows in before.values())
    assert set(written) == set(before)

    migrate.upgrade(fresh_engine)
    assert _lost(before, _read(fresh_engine)) == []


def test_a_downgrade_to_the_first_revision_keeps_the_rows_of_its_tables(fresh_engine):
    migrate.upgrade(fresh_engine)
    _fill(fresh_engine)
    at_head = _read(fresh_engine)

    migrate.downgrade(fresh_engine, SHIPPED[0])
    first = _read(fresh_engine)
    assert {"tasks", "task_departments"} <= set(first)
    assert _lost(at_head, first, tables=set(first)) == []  # task_departments keeps its rows

    migrate.upgrade(fresh_engine)  # and back
    assert _lost(first, _read(fresh_engine)) == []


def test_the_alembic_command_downgrades_keeping_rows_too(fresh_engine):
    """`alembic downgrade 0001` as an operator runs it (migrations/env.py, not wufei.migrate)."""
    migrate.upgrade(fresh_engine)
    _fill(fresh_engine)
    at_head = _read(fresh_engine)
    fresh_engine.dispose()
    url = fresh_engine.url.render_as_string(hide_password=False)
    done = subprocess.run(
        [str(Path(sys.executable).parent / "alembic"), "downgrade", SHIPPED[0]],
        cwd=migrate.ROOT,
        env={**os.environ, "WUFEI_DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    first = _read(fresh_engine)
    assert len(first["task_departments"]) == ROWS and _lost(at_head, first, tables=set(first)) == []

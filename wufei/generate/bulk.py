"""Bulk inserts for generated data (and the benchmarks' builders).

SQLite: executemany. PostgreSQL: one INSERT … SELECT per batch over the rows sent as a single JSON
parameter, expanded by json_populate_recordset: psycopg's executemany sends a statement per row,
and a year of weekly reports took several minutes that way."""

from __future__ import annotations

import json
from datetime import date
from typing import Any, Iterable, Iterator

from sqlalchemy import JSON, Text, bindparam, cast, func, insert, literal_column, select

BATCH = 20_000  # rows per statement


def batched(rows: Iterable[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def insert_rows(connection, table, rows: list[dict[str, Any]]) -> None:
    """Insert one batch of rows (all with the same keys) into `table` on a Connection or Session."""
    if not rows:
        return
    bind = connection.get_bind() if hasattr(connection, "get_bind") else connection
    if bind.dialect.name != "postgresql":
        connection.execute(insert(table), rows)
        return
    columns = list(rows[0])
    records = func.json_populate_recordset(literal_column(f"NULL::{table.name}"),
                                           cast(bindparam("rows", type_=Text), JSON)).table_valued(*columns)
    statement = insert(table).from_select(columns, select(*[records.c[c] for c in columns]))
    payload = json.dumps([{k: v.isoformat() if isinstance(v, date) else v for k, v in row.items()} for row in rows],
                         ensure_ascii=False)
    connection.execute(statement, {"rows": payload})

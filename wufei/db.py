"""Database engine, sessions and the declarative base.

The URL comes from WUFEI_DATABASE_URL; the default is an SQLite file in the
working directory. SQLite gets WAL and a busy timeout so the Prefect flows,
the CLI and the web server can share it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from itertools import repeat
from operator import attrgetter, itemgetter
from typing import Annotated, Any, ClassVar
from weakref import WeakKeyDictionary

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    MetaData,
    Numeric,
    Select,
    String,
    Table,
    Text,
    TypeDecorator,
    bindparam,
    cast,
    create_engine,
    event,
    func,
    insert,
    literal_column,
    select,
    text,
    true,
)
from sqlalchemy.engine import Connection, Engine, Row
from sqlalchemy.engine.processors import str_to_date
from sqlalchemy.orm import DeclarativeBase, Session, mapped_column, sessionmaker
from sqlalchemy.util import immutabledict

DEFAULT_URL = "sqlite:///wufei.db"

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Column aliases used across the models.
Name = Annotated[str, mapped_column(String(200))]
ShortText = Annotated[str, mapped_column(String(64))]
LongText = Annotated[str, mapped_column(Text)]
Day = Annotated[date, mapped_column(Date)]
Amount = Annotated[Decimal, mapped_column(Numeric(20, 6))]
JsonDict = Annotated[dict, mapped_column(JSON)]


def utcnow() -> datetime:
    return datetime.now(UTC)


_NAIVE_UTC_LENGTHS = frozenset({19, 26})  # '2024-12-06 09:00:00', with '.000000' after it


class UtcDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, on every backend (SQLite drops the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: give a timezone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def result_processor(self, dialect, coltype):
        if dialect.name != "sqlite":
            return self._aware_result_processor(dialect, coltype)
        generic = super().result_processor(dialect, coltype)

        def process(value: Any) -> datetime | None:
            # The naive UTC text SQLAlchemy stores ('2024-12-06 09:00:00.000000') read as UTC in one
            # step: `replace(tzinfo=...)` alone costs four times the parsing, and figures read
            # thousands of these. NULL at once (the scan's streaks read one per task).
            if value is None:
                return None
            if isinstance(value, str) and len(value) in (19, 26):
                try:
                    return datetime.fromisoformat(value + "+00:00")
                except ValueError:  # not that text after all
                    pass
            return generic(value) if generic is not None else self.process_result_value(value, dialect)

        def column(values: Iterable[Any]) -> list[datetime | None]:
            """A whole column as `process` reads each value, without a Python call a value when every
            one is such text (what `plain_rows` reads: a world reads thousands)."""
            values = list(values)
            try:
                if set(map(len, values)) <= _NAIVE_UTC_LENGTHS:
                    return list(map(datetime.fromisoformat, map(str.__add__, values, repeat("+00:00"))))
            except (TypeError, ValueError):  # a NULL, or other text: value by value
                pass
            return list(map(process, values))

        process.column = column
        return process

    def _aware_result_processor(self, dialect, coltype):
        """PostgreSQL: the driver's aware datetimes, in the session's zone (UTC: make_engine)."""
        process = super().result_processor(dialect, coltype)
        if process is None:
            return None

        def column(values: Iterable[Any]) -> list[datetime | None]:
            """A whole column as `process` reads each value, without a Python call a value when every
            one is in UTC already (`plain_rows`: a world reads thousands)."""
            values = list(values)
            try:
                if set(map(_TZINFO, values)) <= _UTC_ONLY:
                    return values
            except AttributeError:  # a NULL: value by value
                pass
            return list(map(process, values))

        process.column = column
        return process


_TZINFO = attrgetter("tzinfo")
_UTC_ONLY = frozenset({UTC})


class EnumText(TypeDecorator):
    """A StrEnum column: stored as its value in a VARCHAR (no database enum type, so a new member
    needs no migration), checked on the way in, read back as the member."""

    impl = String
    cache_ok = True

    def __init__(self, enum: type[StrEnum]):
        super().__init__(64)
        self.enum = enum

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else self.enum(value).value

    def process_result_value(self, value: Any, dialect: Any) -> StrEnum | None:
        if value is None:
            return None
        # The members by value, looked up directly: calling the enum costs several times as much,
        # and a figures run reads thousands of these.
        member = self.enum._value2member_map_.get(value)
        return member if member is not None else self.enum(value)  # type: ignore[return-value]

    def result_processor(self, dialect: Any, coltype: Any) -> Any:
        # A dict's own lookup, not TypeDecorator's wrapper around process_result_value (a third of
        # the time of reading a task's owners) nor a Python function (half of what is left).
        return _Members(self.enum).__getitem__


class _Members(dict[Any, Any]):
    """An enum's members by value, NULL as None; any other value is the enum's to refuse."""

    def __init__(self, enum: type[StrEnum]):
        super().__init__(enum._value2member_map_)
        self[None] = None
        self.enum = enum

    def __missing__(self, value: Any) -> StrEnum:
        return self.enum(value)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UtcDateTime()}


def database_url() -> str:
    return os.environ.get("WUFEI_DATABASE_URL", DEFAULT_URL)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL loses no committed data on a crash, only possibly the last commits on
    # a power cut, and saves an fsync per commit (delivery commits twice per message).
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin_before_savepoint(connection: Connection, _name: str) -> None:
    """pysqlite begins a transaction only before a write: a SAVEPOINT issued first would open the
    transaction itself, and its RELEASE would commit for real, so the rest of the unit of work could
    no longer undo it. Begin first, as the unit of work expects, and IMMEDIATE: these units of work
    read before they write (an import, a form's upload), and a deferred one whose snapshot another
    connection's commit made stale fails at its first write without waiting ('database is locked');
    holding the write lock from the start makes the other writers wait their busy timeout instead."""
    driver = connection.connection.driver_connection
    if driver is not None and not driver.in_transaction:
        driver.execute("BEGIN IMMEDIATE")


def make_engine(url: str | None = None) -> Engine:
    url = url or database_url()
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "savepoint", _sqlite_begin_before_savepoint)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    # Sessions in UTC, whatever the server's default: psycopg then reads a timestamptz as a datetime
    # in datetime.UTC, which UtcDateTime keeps as it is; in a server zone (a ZoneInfo, even
    # Etc/UTC) each one was converted, half of a figures run's reading of 1,300 reports. Nothing
    # in SQL depends on the session's zone (every moment is sent with its offset).
    return create_engine(url, pool_pre_ping=True, connect_args={"options": "-c TimeZone=UTC"})


# Session.info key: (the DBAPI connection, whether it is PostgreSQL's) of a session whose owner holds
# one connection and runs the transactions on the driver itself (a delivery run's writer,
# wufei.notify.recorder); statements sent to the driver take it from here, not from the session.
HELD_DRIVER = "wufei.held_driver"

_SESSIONMAKERS: WeakKeyDictionary[Engine, sessionmaker[Session]] = WeakKeyDictionary()


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """The engine's session factory, made once: each `sessionmaker` is a new Session class whose
    event dispatch is set up anew on first use (a third of a millisecond), and delivery opens a
    session per message."""
    factory = _SESSIONMAKERS.get(engine)
    if factory is None:
        factory = _SESSIONMAKERS[engine] = sessionmaker(engine, expire_on_commit=False)
    return factory


def without_jit(session: Session) -> None:
    """PostgreSQL: no JIT compilation for the rest of the session's transaction. The scans' bulk
    queries walk an index once per task; the planner's cost estimate turns JIT on for them, and
    compiling took longer than it saved (0.2–0.6 s a query at 100,000 tasks). Elsewhere nothing."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL jit = off"))


def column_rows(session: Session, statement: Any) -> list[Row]:
    """All rows of a SELECT of plain columns, run on the session's connection: the same rows as
    `session.execute(statement).all()`, without the ORM's per-row bookkeeping, and fetched in
    one go rather than row by row (together half the time on 100,000 rows). Pending changes are
    flushed first, as `session.execute` would (autoflush)."""
    if session.autoflush:
        session.flush()
    return list(session.connection().execute(statement).all())


def plain_rows(session: Session, statement: Any, params: Mapping[str, Any] | None = None) -> list[tuple]:
    """All rows of a SELECT of plain columns as tuples, each value converted as SQLAlchemy would
    (its column type's result processor), a column at a time: no Row objects and no per-row
    bookkeeping. For the large reads of a figures run (thousands of rows), where building Rows
    was most of the cost (a third of `column_rows`' time on 1,300 reports). Pending changes are
    flushed first (autoflush)."""
    if session.autoflush:
        session.flush()
    connection = session.connection()
    result = connection.execute(statement, params or {})
    try:
        cursor = result.cursor
        rows, described = list(cursor.fetchall()), cursor.description  # the driver's tuples, unconverted
    finally:
        result.close()
    return _converted(statement, connection.dialect, rows, described)


_NO_OPTIONS: immutabledict[str, Any] = immutabledict()


def plain_rows_together(session: Session, reads: Sequence[tuple[Any, Mapping[str, Any]]]) -> list[list[tuple]]:
    """`plain_rows` of several reads that do not depend on one another, in order. On PostgreSQL
    they are sent in one network round trip (psycopg's pipeline mode): under load each round trip
    waits for a core twice, once in the server and once here. Elsewhere one after another."""
    connection = session.connection()
    dbapi_connection: Any = connection.connection.dbapi_connection
    if not hasattr(dbapi_connection, "pipeline"):  # not psycopg 3
        return [plain_rows(session, statement, params) for statement, params in reads]
    if session.autoflush:
        session.flush()
    dialect = connection.dialect
    contexts = []
    for statement, params in reads:
        # As Connection.execute prepares a statement (its compiled form cached), without running it.
        compiled, extracted, _cache_hit = statement._compile_w_cache(
            dialect=dialect, compiled_cache=connection.engine._compiled_cache, column_keys=sorted(params)
        )
        contexts.append(
            dialect.execution_ctx_cls._init_compiled(
                dialect, connection, connection.connection, _NO_OPTIONS, compiled, [params], statement, extracted
            )
        )
    fetched = []
    try:
        with dbapi_connection.pipeline():
            for context in contexts:
                if connection._has_events or connection.engine._has_events:  # as Connection.execute tells them
                    connection.dispatch.before_cursor_execute(
                        connection, context.cursor, context.statement, context.parameters[0], context, False
                    )
                context.cursor.execute(context.statement, context.parameters[0])
            for context in contexts:
                fetched.append((list(context.cursor.fetchall()), context.cursor.description))
    finally:
        for context in contexts:
            context.cursor.close()
    return [
        _converted(statement, dialect, rows, described)
        for (statement, _params), (rows, described) in zip(reads, fetched, strict=True)
    ]


def _converted(statement: Any, dialect: Any, rows: list[Any], described: Sequence[Sequence[Any]]) -> list[tuple]:
    """The driver's rows with each column converted as SQLAlchemy would (`plain_rows`)."""
    processors = _processors(statement, dialect, described)
    if not rows or not processors:
        return rows
    # A column at a time (itemgetter, not zip(*rows): that makes an iterator a row).
    columns: list[Iterable[Any]] = [map(itemgetter(i), rows) for i in range(len(described))]
    for i, processor in processors:
        whole = getattr(processor, "column", None)  # a converter of whole columns (UtcDateTime's on SQLite)
        columns[i] = whole(columns[i]) if whole is not None else map(processor, columns[i])
    return list(zip(*columns, strict=True))


# Each statement's converters, by dialect and the driver's column types: made once (an enum's is a
# dict of its members, UtcDateTime's two closures; making them on every read cost a tenth of a
# figures run's reads). Weak: a statement or an engine gone takes its converters with it.
_PROCESSORS: WeakKeyDictionary[Any, WeakKeyDictionary[Any, dict[tuple[Any, ...], list[tuple[int, Any]]]]] = (
    WeakKeyDictionary()
)


def _processors(statement: Any, dialect: Any, described: Sequence[Sequence[Any]]) -> list[tuple[int, Any]]:
    """(column index, converter) for the columns of `statement` that have one (as SQLAlchemy
    converts them: each column type's result processor)."""
    by_types = _PROCESSORS.setdefault(statement, WeakKeyDictionary()).setdefault(dialect, {})
    types = tuple(description[1] for description in described)
    found = by_types.get(types)
    if found is None:
        found = by_types[types] = [
            (i, _DAYS.__getitem__ if processor is str_to_date else processor)
            for i, (column, description) in enumerate(zip(statement.selected_columns, described, strict=True))
            if (processor := column.type.dialect_impl(dialect).result_processor(dialect, description[1])) is not None
        ]
    return found


class _Days(dict[Any, Any]):
    """SQLite's date text as dates, each text parsed once (by SQLAlchemy's own parser) and the date
    shared: a figures run reads thousands of dates of a few weeks, and parsing each cost six times
    a lookup. Dates are immutable, so sharing one is safe."""

    _MOST = 100_000  # distinct texts kept (three centuries of days): then forgotten, and parsed again

    def __init__(self) -> None:
        super().__init__({None: None})

    def __missing__(self, text: Any) -> date | None:
        if len(self) > self._MOST:
            self.clear()
            self[None] = None
        day = self[text] = str_to_date(text)
        return day


_DAYS = _Days()


def newest_of_each(session: Session, owners: Select, owner: Any, newest: Select, table: Table) -> Select:
    """`owners` (a SELECT from the `owner` table, e.g. Task) with, for each of its rows, the newest
    row of `table` as `newest` finds it.

    `newest` selects columns of `table` for one owner (correlated to `owner`, e.g.
    `Report.task_id == Task.id`), newest first; only its first row is wanted. Each owner's row is
    found by walking an index from the top, so the query reads about one row per owner, however
    long the table's history. Owners without such a row are left out. PostgreSQL: a LATERAL
    join; SQLite (no LATERAL): a join on the id a correlated subquery finds (`table` needs `id`)."""
    newest = newest.limit(1)
    if session.get_bind().dialect.name == "postgresql":
        row = newest.lateral(f"newest_{table.name}")
        return owners.add_columns(*row.c).join(row, true())
    row_id = newest.with_only_columns(table.c.id).correlate(owner).scalar_subquery()
    return owners.add_columns(*newest.selected_columns).join(table, table.c.id == row_id)


def moment_by_day(session: Session, moments: Mapping[date, datetime], day: Any) -> Any:
    """`moments[day]` in SQL for a Date column `day`, comparable with a UtcDateTime column; NULL for
    a day not in `moments`. The mapping goes as one JSON parameter: a CASE over N days is 2N bound
    parameters that SQLAlchemy keys, converts and sends on every call (five years of weekly due
    times took ten times as long as the query itself). SQLite compares the stored text."""
    dialect = session.get_bind().dialect
    convert = UtcDateTime().dialect_impl(dialect).bind_processor(dialect)
    values = {key.isoformat(): convert(moment) if convert else moment for key, moment in moments.items()}
    payload = json.dumps({key: v.isoformat() if isinstance(v, datetime) else v for key, v in values.items()})
    found = bindparam(None, payload, type_=Text)
    if dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import JSONB

        return cast(cast(found, JSONB).op("->>")(cast(day, Text)), DateTime(timezone=True))
    return func.json_extract(found, func.printf('$."%s"', day))


# --- bulk inserts --------------------------------------------------------------------------------
# SQLite: executemany. PostgreSQL: one INSERT … SELECT per batch over the rows sent as a single
# JSON parameter, expanded by json_populate_recordset: psycopg's executemany sends a statement per
# row (100,000 light records took 4 s that way, a year of weekly reports several minutes).

INSERT_BATCH = 20_000  # rows per statement


def batched(rows: Iterable[dict[str, Any]], size: int = INSERT_BATCH) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def table_of(model: type[Base]) -> Table:
    """A model's table, as Core statements and the bulk insert take it."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


def insert_rows(
    connection,
    table,
    rows: list[dict[str, Any]],
    *,
    unique: Sequence[str] = (),
    where: Any = None,
    update: Sequence[str] = (),
) -> None:
    """Insert one batch of rows (all with the same keys) into `table` on a Connection or Session.

    With `unique` (the columns of a unique index; `where`, the predicate of a partial one), a row
    whose key is taken already updates the columns in `update`, or without them is skipped
    (INSERT … ON CONFLICT DO UPDATE / DO NOTHING, the dialect's own): two writers at once, on
    either database, leave each row once."""
    if not rows:
        return
    bind = connection.get_bind() if hasattr(connection, "get_bind") else connection
    name = bind.dialect.name
    if unique and name not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"不支持的数据库：{name}（应为 SQLite 或 PostgreSQL）")
    if unique:  # the dialect's own INSERT (ON CONFLICT); its module is loaded only here
        from sqlalchemy.dialects import postgresql, sqlite

        make = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[name]
    else:
        make = insert

    def on_conflict(statement):
        if not unique:
            return statement
        if update:
            return statement.on_conflict_do_update(
                index_elements=list(unique), index_where=where, set_={c: statement.excluded[c] for c in update}
            )
        return statement.on_conflict_do_nothing(index_elements=list(unique), index_where=where)

    if name != "postgresql":
        connection.execute(on_conflict(make(table)), rows)
        return
    columns = list(rows[0])
    records = func.json_populate_recordset(
        literal_column(f"NULL::{table.name}"), cast(bindparam("rows", type_=Text), JSON)
    ).table_valued(*columns)
    statement = on_conflict(make(table).from_select(columns, select(*[records.c[c] for c in columns])))
    payload = json.dumps(
        [{k: v.isoformat() if isinstance(v, date) else v for k, v in row.items()} for row in rows], ensure_ascii=False
    )
    connection.execute(statement, {"rows": payload})


_BIND_PROCESSORS: dict[tuple[str, str, str], Any] = {}  # (dialect, table, column): its bind processor or None


def driver_value(dialect: Any, column: Any, value: Any) -> Any:
    """`value` as the driver takes it for `column` (a table's Column), converted as SQLAlchemy binds
    it: through the dialect's own type (a TypeDecorator's generic impl leaves an aware datetime as
    it is, stored on SQLite as text ending in '+00:00' where SQLAlchemy stores naive UTC text, and
    lease fences compare that text). For statements sent to the DBAPI connection directly."""
    if value is None:
        return None
    key = (dialect.name, column.table.name, column.name)
    if key not in _BIND_PROCESSORS:
        _BIND_PROCESSORS[key] = column.type.dialect_impl(dialect).bind_processor(dialect)
    process = _BIND_PROCESSORS[key]
    return process(value) if process is not None else value


def sqlite_text(value: Any) -> Any:
    """A datetime as the text sqlite3's default adapter stores for it (`isoformat(" ")`), once for
    a value every row of a batch shares instead of once per row; other values as they are."""
    return value.isoformat(" ") if isinstance(value, datetime) else value


def insert_values(
    connection,
    table,
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    *,
    constants: Mapping[str, Any] | None = None,
    unique: Sequence[str] = (),
    where: str | None = None,
    update: Sequence[str] = (),
) -> None:
    """`insert_rows` for many rows given as tuples of `columns`, each value as the database takes
    it (str, int, None; a date as ISO text), and `constants`, the same for every row (converted by
    their columns' types once): a scan's hundred thousand rows without SQLAlchemy converting each
    value (on SQLite, its per-row conversion took longer than the insert; SQLite: executemany on
    the driver's cursor; PostgreSQL: `copy_into`). `where`: the predicate of a partial unique
    index, as SQL text."""
    if not rows:
        return
    bind = connection.get_bind() if hasattr(connection, "get_bind") else connection
    dialect = bind.dialect
    constants = dict(constants or {})
    if dialect.name == "postgresql":
        copy_into(connection, table, columns, rows, constants=constants, unique=unique, where=where, update=update)
        return
    if dialect.name != "sqlite":
        names = list(columns) + list(constants)
        fixed = tuple(constants.values())
        for batch in batched([dict(zip(names, row + fixed, strict=True)) for row in rows]):
            insert_rows(
                connection,
                table,
                batch,
                unique=unique,
                where=text(where) if where else None,
                update=update,
            )
        return
    processed = [sqlite_text(driver_value(dialect, table.c[name], value)) for name, value in constants.items()]
    names = list(columns) + list(constants)
    statement = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    if unique:
        statement += f" ON CONFLICT ({', '.join(unique)})" + (f" WHERE {where}" if where else "")
        statement += " DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in update) if update else " DO NOTHING"
    extra = tuple(processed)
    connection = connection.connection() if hasattr(connection, "get_bind") else connection
    connection.exec_driver_sql(statement, [row + extra for row in rows])


def copy_into(
    connection,
    table,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    constants: Mapping[str, Any] | None = None,
    unique: Sequence[str] = (),
    where: str | None = None,
    update: Sequence[str] = (),
    returning: Sequence[str] = (),
) -> list[tuple[Any, ...]]:
    """PostgreSQL: `rows` (tuples of `columns`, values as `insert_values` takes them) sent with
    `COPY … FROM STDIN` (psycopg's `cursor.copy()`, the rows formatted in C) into a temporary table
    of those columns, then moved into `table` by one `INSERT … SELECT … ORDER BY` the unique columns
    (two writers at once take their locks in the same order) `ON CONFLICT` as in `insert_values`,
    with `constants` as parameters of their own. Returns the `returning` columns of the rows
    inserted. Inside the caller's transaction (the temporary table is dropped at the end)."""
    constants = dict(constants or {})
    session_connection = connection.connection() if hasattr(connection, "get_bind") else connection
    dialect = session_connection.dialect
    driver = session_connection.connection.driver_connection
    load = f"_load_{table.name}"

    def type_of(name: str) -> str:
        return table.c[name].type.compile(dialect=dialect)

    names = [*columns, *constants]
    selected = [*columns, *(f"CAST(%s AS {type_of(name)})" for name in constants)]
    statement = f"INSERT INTO {table.name} ({', '.join(names)}) SELECT {', '.join(selected)} FROM {load}"
    ordered = [name for name in unique if name in columns]  # the others are constants
    if ordered:
        statement += f" ORDER BY {', '.join(ordered)}"
    if unique:
        statement += f" ON CONFLICT ({', '.join(unique)})"
        statement += f" WHERE {where}" if where else ""
        statement += " DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in update) if update else " DO NOTHING"
    if returning:
        statement += f" RETURNING {', '.join(returning)}"
    processed = [driver_value(dialect, table.c[name], value) for name, value in constants.items()]
    with driver.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {load} ({', '.join(f'{name} {type_of(name)}' for name in columns)})")
        with cursor.copy(f"COPY {load} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(statement, processed)
        inserted = cursor.fetchall() if returning else []
        cursor.execute(f"DROP TABLE {load}")
    return inserted


@contextmanager
def indexes_built_after(connection: Connection, table: Table) -> Iterator[None]:
    """PostgreSQL: `table`'s secondary indexes and its unique and foreign key constraints dropped
    for the block and made again after it from their own definitions (the primary key stays), all
    in the connection's transaction: a failure anywhere rolls the drop back too. For loading
    millions of rows into an empty table: each index is then built once from sorted rows instead
    of growing by one random insert per row, and each foreign key is checked by one join instead
    of one lookup per row."""
    if connection.dialect.name != "postgresql":
        raise NotImplementedError(f"indexes_built_after needs PostgreSQL, not {connection.dialect.name}")
    found = {"t": table.name}
    constraints = connection.execute(
        text(
            "SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname),"
            " format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname, pg_get_constraintdef(oid))"
            " FROM pg_constraint WHERE conrelid = CAST(:t AS regclass) AND contype IN ('u', 'f')"
            " ORDER BY contype DESC, conname"  # unique first: a foreign key may need one
        ),
        found,
    ).all()
    indexes = connection.execute(
        text(
            "SELECT format('DROP INDEX %s', indexrelid::regclass), pg_get_indexdef(indexrelid) FROM pg_index"
            " WHERE indrelid = CAST(:t AS regclass) AND NOT indisprimary AND indexrelid NOT IN"
            " (SELECT conindid FROM pg_constraint WHERE conrelid = CAST(:t AS regclass))"
        ),
        found,
    ).all()
    for drop, _make in [*reversed(constraints), *indexes]:
        connection.execute(text(drop))
    yield
    connection.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))  # sorts for the index builds
    for _drop, make in [*indexes, *constraints]:
        connection.execute(text(make))


def copy_rows(connection: Connection, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """PostgreSQL only: stream `rows` (tuples of `columns`, each value as psycopg adapts it: str, int,
    bool, None, a date, an aware datetime) into `table` with one COPY … FROM STDIN, in the
    connection's transaction, in the order given (a serial id follows it). Millions of rows at the
    server's own pace: no statement to parse or plan per batch. Returns the number of rows."""
    if connection.dialect.name != "postgresql":
        raise NotImplementedError(f"COPY needs PostgreSQL, not {connection.dialect.name}")
    driver = connection.connection.driver_connection
    assert driver is not None
    count = 0
    from psycopg.copy import QueuedLibpqWriter

    statement = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
    # A writer thread sends while this one formats the next rows: the client's work and the server's overlap.
    with driver.cursor() as cursor, cursor.copy(statement, writer=QueuedLibpqWriter(cursor)) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    with make_sessionmaker(engine)() as session, session.begin():
        yield session


def load_all_models() -> None:
    """Import every models module so Base.metadata is complete (Alembic, tests)."""
    from wufei.accounts import models as _accounts  # noqa: F401
    from wufei.audit import models as _audit  # noqa: F401
    from wufei.bulletins import models as _bulletins  # noqa: F401
    from wufei.calendar import models as _calendar  # noqa: F401
    from wufei.cells import models as _cells  # noqa: F401
    from wufei.contacts import models as _contacts  # noqa: F401
    from wufei.departments import models as _departments  # noqa: F401
    from wufei.doubts import models as _doubts  # noqa: F401
    from wufei.extensions import models as _extensions  # noqa: F401
    from wufei.figures import models as _figures  # noqa: F401
    from wufei.indicators import models as _indicators  # noqa: F401
    from wufei.lights import models as _lights  # noqa: F401
    from wufei.notices import models as _notices  # noqa: F401
    from wufei.notify import models as _notify  # noqa: F401
    from wufei.plans import models as _plans  # noqa: F401
    from wufei.reports import models as _reports  # noqa: F401
    from wufei.tasks import models as _tasks  # noqa: F401

"""The notice-intent store: exactly-once creation by unique key, resolution, listing.

An intent is the claim row of the exactly-once rule: it is inserted with
`INSERT … ON CONFLICT (key) DO NOTHING RETURNING id`, and only the ids returned were created by
this call. Two scans running at once (two processes, two hosts) therefore create each intent
once: on PostgreSQL the second insert waits on the unique index and then does nothing; on SQLite
the busy timeout serialises the writers. Each batch is inserted sorted by key, so concurrent
writers offering the same intents take their locks in the same order.

Services take a Session and never commit.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Select, Text, bindparam, cast, func, literal_column, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import InstrumentedAttribute, Session

from wufei.db import copy_into, sqlite_text, table_of, utcnow
from wufei.departments.models import Department
from wufei.notices.models import Audience, NoticeIntent

BATCH = 5000  # rows per INSERT statement (per executemany on SQLite)
IN_CHUNK = 5000  # ids per IN (…) list

KIND_NAMES = {
    "due_soon": "临期提醒",
    "overdue": "逾期提醒",
    "yellow_slip": "黄色督办单",
    "red_slip": "红色督办单",
    "group_escalation": "提请领导小组督办",
    "report_window_open": "报送开始",
    "report_due": "报送截止提醒",
    "report_missing": "未报送提醒",
    "report_returned": "报告退回",
    "extension_decided": "延期审批结果",
    "bulletin_ready": "通报已生成",
    "delivery_failed": "通知发送失败",
    "indicator_due": "指标报送提醒",
    "indicator_overdue": "指标逾期未报",
    "indicator_behind": "指标落后序时进度",
    "cell_stalled": "细胞创建滞留提醒",
}

AUDIENCE_NAMES = {
    Audience.LIAISON: "专班联系人",
    Audience.LEADER: "负责同志",
    Audience.OFFICE: "领导小组办公室",
    Audience.GROUP: "领导小组",
}

_REQUIRED = ("key", "kind", "step", "audience", "period", "created_on")
_COLUMNS = {c.key for c in NoticeIntent.__table__.columns} - {"id"}


def intent_key(
    step: str, *, task_id: int | None, period: str, audience: str, department_id: int | None, period_name: str = "due"
) -> str:
    """`after_due_7|task:123|due:2024-05-31|leader|dept:45`: one step for one task, period,
    audience and department. A new due date (an extension) or a new week gives a new key."""
    task = "-" if task_id is None else task_id
    dept = "-" if department_id is None else department_id
    return f"{step}|task:{task}|{period_name}:{period}|{audience}|dept:{dept}"


def create_intents(session: Session, intents: Iterable[Mapping[str, Any]]) -> list[int]:
    """Insert the intents whose key is new; return the ids of those actually inserted.

    Each mapping needs key, kind, step, audience, period, created_on, and may carry
    department_id, task_id and payload. Keys already stored (or repeated in `intents`) are
    skipped silently: that is what makes a scan safe to run twice, or twice at once.
    """
    return sorted(intent_id for intent_id, _ in create_intents_returning(session, intents))


def create_intents_returning(session: Session, intents: Iterable[Mapping[str, Any]]) -> list[tuple[int, str]]:
    """`create_intents`, returning (id, step) of each row actually inserted."""
    rows = _rows(intents)
    if not rows:
        return []
    insert = _insert_statement(session)
    created: list[tuple[int, str]] = []
    for start in range(0, len(rows), BATCH):
        created.extend(insert(rows[start : start + BATCH]))
    return created


# The columns of a bulk row (`create_intents_bulk`), in order; created_on and created_at are the
# same for the whole call and are added to each row as processed once.
BULK_COLUMNS = ("key", "kind", "step", "audience", "department_id", "task_id", "period", "payload")
_SQLITE_ROWS = 2500  # rows per multi-row VALUES: 10 parameters each, under SQLite's 32,766


def create_intents_bulk(session: Session, rows: list[tuple[Any, ...]], *, created_on: date) -> list[tuple[int, str]]:
    """`create_intents_returning` for a scan's many intents, without a mapping per row: each row
    is a tuple of `BULK_COLUMNS` whose payload is JSON text already (a scan builds it from the
    parts its intents share), keys unique and valid (the caller makes them with `intent_key`).
    ON CONFLICT (key) DO NOTHING; returns (id, step) of the rows inserted. SQLite: multi-row
    VALUES … RETURNING; PostgreSQL: COPY and one INSERT … SELECT (`wufei.db.copy_into`)."""
    if not rows:
        return []
    rows = sorted(rows)  # by key: concurrent writers take their locks in the same order
    table = table_of(NoticeIntent)
    dialect = session.get_bind().dialect
    created_at = utcnow()
    created: list[tuple[int, str]] = []
    if dialect.name == "sqlite":
        day = table.c.created_on.type.bind_processor(dialect)
        moment = table.c.created_at.type.bind_processor(dialect)
        constants = (
            sqlite_text(day(created_on) if day else created_on),
            sqlite_text(moment(created_at) if moment else created_at),
        )
        columns = ", ".join(BULK_COLUMNS + ("created_on", "created_at"))
        connection = session.connection()
        for start in range(0, len(rows), _SQLITE_ROWS):
            batch = rows[start : start + _SQLITE_ROWS]
            values = ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"] * len(batch))
            parameters = tuple(value for row in batch for value in (*row, *constants))
            statement = (
                f"INSERT INTO {table.name} ({columns}) VALUES {values} ON CONFLICT (key) DO NOTHING RETURNING id, step"
            )
            created.extend(connection.exec_driver_sql(statement, parameters).tuples())
        return created
    # PostgreSQL: COPY into a temporary table, one INSERT … SELECT from it (`copy_into`).
    return copy_into(
        session,
        table,
        BULK_COLUMNS,
        rows,
        constants={"created_on": created_on, "created_at": created_at},
        unique=("key",),
        returning=("id", "step"),
    )


def resolve_intents(
    session: Session,
    *,
    task_ids: Collection[int] | Select | None = None,
    on: date,
    resolution: str,
    steps: Collection[str] | None = None,
    intent_ids: Collection[int] | None = None,
) -> int:
    """Mark the unresolved intents of these tasks (or, instead, these intents) resolved on `on`.

    `resolution` says why, in Chinese (已完成, 已延期 …). `steps` limits it to some ladder steps.
    `task_ids` may be a SELECT of task ids, so a caller can resolve a whole set in one statement.
    Intents already resolved keep their first resolution. Returns how many were resolved.
    """
    if (task_ids is None) == (intent_ids is None):
        raise ValueError("resolve_intents 需要 task_ids 或 intent_ids 之一")
    base = update(NoticeIntent).where(NoticeIntent.resolved_on.is_(None))
    if steps is not None:
        base = base.where(NoticeIntent.step.in_(sorted(set(steps))))
    base = base.values(resolved_on=on, resolution=resolution).returning(NoticeIntent.id)
    options = {"synchronize_session": "fetch"}

    if isinstance(task_ids, Select):
        statement = base.where(NoticeIntent.task_id.in_(task_ids))
        return len(session.execute(statement, execution_options=options).all())

    column: InstrumentedAttribute[int] | InstrumentedAttribute[int | None]
    if intent_ids is not None:
        column, ids = NoticeIntent.id, sorted(set(intent_ids))
    else:
        assert task_ids is not None  # one of the two, checked above
        column, ids = NoticeIntent.task_id, sorted(set(task_ids))
    resolved = 0
    for start in range(0, len(ids), IN_CHUNK):
        statement = base.where(column.in_(ids[start : start + IN_CHUNK]))
        resolved += len(session.execute(statement, execution_options=options).all())
    return resolved


def list_intents(
    session: Session,
    *,
    since: date | None = None,
    until: date | None = None,
    department_id: int | Collection[int] | None = None,
    kind: str | None = None,
    task_id: int | None = None,
    step: str | None = None,
    unresolved: bool | None = None,
) -> list[NoticeIntent]:
    """Intents created between `since` and `until` (inclusive), oldest first."""
    query = select(NoticeIntent)
    if since is not None:
        query = query.where(NoticeIntent.created_on >= since)
    if until is not None:
        query = query.where(NoticeIntent.created_on <= until)
    if department_id is not None:
        ids = [department_id] if isinstance(department_id, int) else list(department_id)
        query = query.where(NoticeIntent.department_id.in_(ids))
    if kind is not None:
        query = query.where(NoticeIntent.kind == kind)
    if task_id is not None:
        query = query.where(NoticeIntent.task_id == task_id)
    if step is not None:
        query = query.where(NoticeIntent.step == step)
    if unresolved is not None:
        query = query.where(NoticeIntent.resolved_on.is_(None) if unresolved else NoticeIntent.resolved_on.is_not(None))
    return list(session.scalars(query.order_by(NoticeIntent.created_on, NoticeIntent.id)))


def intent_as_dict(intent: NoticeIntent, *, department: str | None = None) -> dict[str, Any]:
    """JSON-safe; `department` is the department's name (see `intents_as_dicts`)."""
    return {
        "id": intent.id,
        "key": intent.key,
        "kind": intent.kind,
        "step": intent.step,
        "audience": intent.audience,
        "department": department,
        "department_id": intent.department_id,
        "task_id": intent.task_id,
        "period": intent.period,
        "created_on": intent.created_on.isoformat(),
        "created_at": intent.created_at.isoformat() if intent.created_at else None,
        "payload": intent.payload,
        "resolved_on": intent.resolved_on.isoformat() if intent.resolved_on else None,
        "resolution": intent.resolution,
    }


def intents_as_dicts(session: Session, intents: list[NoticeIntent]) -> list[dict[str, Any]]:
    """`intent_as_dict` for many, with department names looked up in one query."""
    ids = {i.department_id for i in intents if i.department_id is not None}
    names: dict[int, str] = {}
    for start in range(0, len(ids), IN_CHUNK):
        chunk = sorted(ids)[start : start + IN_CHUNK]
        names.update(
            session.execute(select(Department.id, Department.name).where(Department.id.in_(chunk))).tuples().all()
        )
    return [
        intent_as_dict(i, department=names.get(i.department_id) if i.department_id is not None else None)
        for i in intents
    ]


# --- helpers ----------------------------------------------------------------------------------


def _insert_statement(session: Session):
    """A function inserting a batch of rows, ON CONFLICT (key) DO NOTHING, returning (id, step)
    of the rows inserted, with the dialect's own INSERT.

    PostgreSQL: the batch travels as one JSON parameter, expanded by json_populate_recordset
    (psycopg takes seconds to convert a query with tens of thousands of placeholders: 50,000
    intents took 17 s as a multi-row VALUES and under 3 s this way). SQLite: one statement
    executed over the batch, which SQLAlchemy pages into multi-row VALUES with RETURNING.
    """
    table = table_of(NoticeIntent)
    name = session.get_bind().dialect.name
    columns = [c.key for c in table.columns if c.key != "id"]
    if name == "postgresql":
        records = func.json_populate_recordset(
            literal_column(f"NULL::{table.name}"), cast(bindparam("rows", type_=Text), JSON)
        ).table_valued(*columns)
        statement = (
            postgresql.insert(table)
            .from_select(columns, select(*[records.c[c] for c in columns]))
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(table.c.id, table.c.step)
        )

        def insert(batch: list[dict[str, Any]]) -> list[tuple[int, str]]:
            text = json.dumps([_json_row(row) for row in batch], ensure_ascii=False)
            return list(session.execute(statement, {"rows": text}).tuples())

        return insert
    if name == "sqlite":
        statement = (
            sqlite.insert(table).on_conflict_do_nothing(index_elements=["key"]).returning(table.c.id, table.c.step)
        )

        def insert(batch: list[dict[str, Any]]) -> list[tuple[int, str]]:
            return list(session.execute(statement, batch).tuples())

        return insert
    raise NotImplementedError(f"不支持的数据库：{name}（应为 SQLite 或 PostgreSQL）")


def _json_row(row: dict[str, Any]) -> dict[str, Any]:
    return {key: value.isoformat() if isinstance(value, (date, datetime)) else value for key, value in row.items()}


def _rows(intents: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    now = utcnow()
    by_key: dict[str, dict[str, Any]] = {}
    for intent in intents:
        missing = [name for name in _REQUIRED if intent.get(name) in (None, "")]
        if missing:
            raise ValueError(f"通知缺少字段：{'、'.join(missing)}（{dict(intent)}）")
        unknown = set(intent) - _COLUMNS
        if unknown:
            raise ValueError(f"通知含未知字段：{'、'.join(sorted(unknown))}")
        if len(intent["key"]) > 300:
            raise ValueError(f"通知键超过300个字符：{intent['key'][:60]}…")
        row = {
            "department_id": None,
            "task_id": None,
            "payload": {},
            "resolved_on": None,
            "resolution": None,
            "created_at": now,
            **intent,
        }
        by_key.setdefault(row["key"], row)
    return [by_key[key] for key in sorted(by_key)]

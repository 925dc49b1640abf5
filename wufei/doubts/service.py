"""Storing and deciding doubts. Services take a Session and never commit.

An import hands over each record's doubts (`RecordDoubts`); `sync_import_doubts` stores the new
ones as 待确认, keeps the ones already stored (whatever was decided about them) and closes the
open ones the file no longer raises: 已更正 when the import changed the field, 已确认 otherwise
(the office left the value and removed the doubt, e.g. from a workbook's 待确认 column).
A person decides the rest with `decide_doubt` (CLI `wufei doubts resolve`, the portal).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from wufei.audit import service as audit
from wufei.db import utcnow
from wufei.doubts.models import RECORD_TYPE_NAMES, STATUS_NAMES, DoubtStatus, ImportDoubt, RecordType
from wufei.importers.records import DOUBT_FIELDS, Doubt
from wufei.importers.sheet_schema import LIST_NAMES
from wufei.tasks.models import ListKind, Task

_RECORD_COLUMN = {RecordType.TASK: "task_id", RecordType.INDICATOR: "indicator_id", RecordType.CELL: "cell_id"}


class DoubtError(ValueError):
    """A decision that cannot be made; the message is Chinese."""


@dataclass
class RecordDoubts:
    """One imported record's doubts; `changed`: the doubt fields this import changed."""

    record_type: RecordType
    record_id: int
    doubts: list[Doubt]
    changed: frozenset[str] = frozenset()


def fingerprint(record_type: str, record_id: int, doubt: Doubt) -> str:
    key = "\x1f".join((str(record_type), str(record_id), doubt.field, doubt.message, doubt.text or ""))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def sync_import_doubts(
    session: Session, *, plan_id: int, records: Iterable[RecordDoubts], actor: str, source: str | None
) -> list[list[ImportDoubt]]:
    """Store each record's doubts once; returns, per record, the rows of its current doubts."""
    records = list(records)
    stored: dict[tuple[str, int], dict[str, ImportDoubt]] = {}
    for row in session.scalars(select(ImportDoubt).where(ImportDoubt.plan_id == plan_id)):
        stored.setdefault((row.record_type, row.record_id), {})[row.fingerprint] = row
    at = utcnow()
    result = []
    for record in records:
        have = stored.get((str(record.record_type), record.record_id), {})
        rows: list[ImportDoubt] = []
        raised: set[str] = set()
        for doubt in dict.fromkeys(record.doubts):
            key = fingerprint(record.record_type, record.record_id, doubt)
            raised.add(key)
            kept = have.get(key)
            if kept is None:
                kept = _new(plan_id, record, doubt, key, source)
                session.add(kept)
                have[key] = kept
            rows.append(kept)
        for key, row in have.items():
            if key not in raised and row.status == DoubtStatus.OPEN:
                status = DoubtStatus.CORRECTED if row.field in record.changed else DoubtStatus.CONFIRMED
                _decide(session, row, status, f"重新导入后不再存疑（{source or '导入'}）", actor, at, source)
        result.append(rows)
    session.flush()
    return result


def record_corrections(
    session: Session,
    *,
    plan_id: int,
    record_type: RecordType,
    record_id: int,
    corrected: Iterable[tuple[Doubt, str]],
    actor: str,
    source: str | None,
) -> None:
    """Doubts a person corrected before the import (in the preview), each stored as 已更正 with its note."""
    record = RecordDoubts(record_type, record_id, [])
    at = utcnow()
    for doubt, note in corrected:
        key = fingerprint(record_type, record_id, doubt)
        row = session.scalar(select(ImportDoubt).where(ImportDoubt.plan_id == plan_id, ImportDoubt.fingerprint == key))
        if row is None:
            row = _new(plan_id, record, doubt, key, source)
            session.add(row)
        if row.status == DoubtStatus.OPEN:
            _decide(session, row, DoubtStatus.CORRECTED, note, actor, at, source)
    session.flush()


def _new(plan_id: int, record: RecordDoubts, doubt: Doubt, key: str, source: str | None) -> ImportDoubt:
    row = ImportDoubt(
        plan_id=plan_id,
        record_type=str(record.record_type),
        field=doubt.field,
        message=doubt.message,
        text=doubt.text,
        fingerprint=key,
        status=DoubtStatus.OPEN,
        source=source[:200] if source else None,
    )
    if record.record_type != RecordType.PLAN:
        setattr(row, _RECORD_COLUMN[record.record_type], record.record_id)
    return row


def decide_doubt(
    session: Session, *, doubt_id: int, status: DoubtStatus, note: str, actor: str, at: datetime | None = None
) -> ImportDoubt:
    """Confirm (the value stands) or mark corrected (it was changed) an open doubt, with a note."""
    if status == DoubtStatus.OPEN:
        raise DoubtError("只能确认或更正，不能改回待确认")
    row = session.get(ImportDoubt, doubt_id)
    if row is None:
        raise DoubtError(f"找不到待确认项 {doubt_id}")
    if row.status != DoubtStatus.OPEN:
        raise DoubtError(
            f"待确认项 {doubt_id} 已于 {row.decided_at:%Y-%m-%d} 由 {row.decided_by} 处理"
            f"（{STATUS_NAMES[DoubtStatus(row.status)]}）"
        )
    note = (note or "").strip()
    if not note:
        raise DoubtError("请写明处理说明（如：已核实，原文无误）")
    _decide(session, row, status, note, actor, at or utcnow(), "wufei doubts")
    session.flush()
    return row


def close_field_doubts(
    session: Session, *, record_type: RecordType, record_id: int, fields: Iterable[str], note: str, actor: str
) -> int:
    """Mark the open doubts on these fields of a record corrected (the office changed them elsewhere)."""
    column = getattr(ImportDoubt, _RECORD_COLUMN[record_type])
    rows = session.scalars(
        select(ImportDoubt).where(
            column == record_id, ImportDoubt.field.in_(list(fields)), ImportDoubt.status == DoubtStatus.OPEN
        )
    ).all()
    at = utcnow()
    for row in rows:
        _decide(session, row, DoubtStatus.CORRECTED, note, actor, at, None)
    return len(rows)


def _decide(
    session: Session,
    row: ImportDoubt,
    status: DoubtStatus,
    note: str,
    actor: str,
    at: datetime,
    source: str | None,
) -> None:
    old = row.status
    row.status, row.decided_by, row.decided_at, row.note = str(status), actor[:200], at, note
    session.flush()  # an id for the audit entry of a doubt found in this same import
    audit.record(
        session,
        actor=actor,
        action="update",
        entity="import_doubts",
        entity_id=row.id,
        entity_key=f"doubt:{row.id}:{row.field}",
        changes={"status": [old, str(status)], "note": [None, note]},
        source=source,
    )


# --- reading --------------------------------------------------------------------------------


def list_doubts(
    session: Session, *, plan_ids: list[int] | None = None, status: DoubtStatus | None = DoubtStatus.OPEN
) -> list[ImportDoubt]:
    query = select(ImportDoubt).options(
        selectinload(ImportDoubt.plan),
        selectinload(ImportDoubt.task),
        selectinload(ImportDoubt.indicator),
        selectinload(ImportDoubt.cell),
    )
    if plan_ids is not None:
        query = query.where(ImportDoubt.plan_id.in_(plan_ids))
    if status is not None:
        query = query.where(ImportDoubt.status == status)
    return list(session.scalars(query.order_by(ImportDoubt.plan_id, ImportDoubt.id)))


def count_open(session: Session, *, plan_ids: list[int] | None = None) -> int:
    query = select(func.count()).select_from(ImportDoubt).where(ImportDoubt.status == DoubtStatus.OPEN)
    if plan_ids is not None:
        query = query.where(ImportDoubt.plan_id.in_(plan_ids))
    return session.scalar(query) or 0


def record_label(row: ImportDoubt) -> str:
    """What the doubt is about, the way the office names it: 任务 制度体系 3「…」."""
    kind = RECORD_TYPE_NAMES[RecordType(row.record_type)]
    if row.task is not None:
        return f"{kind} {_list_name(row.task)} {row.task.number}「{row.task.title}」"
    if row.indicator is not None:
        return f"{kind} {row.indicator.number}「{row.indicator.name}」"
    if row.cell is not None:
        return f"{kind}「{row.cell.category}」"
    return f"{kind}「{row.plan.title}」"


def _list_name(task: Task) -> str:
    try:
        return LIST_NAMES[ListKind(task.list_kind)]
    except ValueError:
        return task.list_name or task.list_kind


def doubt_as_dict(row: ImportDoubt) -> dict[str, Any]:
    return {
        "id": row.id,
        "plan": row.plan.doc_number or row.plan.title,
        "plan_id": row.plan_id,
        "record_type": row.record_type,
        "record_id": row.record_id,
        "record": record_label(row),
        "field": row.field,
        "field_cn": DOUBT_FIELDS.get(row.field, row.field),
        "message": row.message,
        "text": row.text,
        "status": row.status,
        "status_cn": STATUS_NAMES[DoubtStatus(row.status)],
        "source": row.source,
        "created_at": row.created_at.isoformat(),
        "decided_by": row.decided_by,
        "decided_at": row.decided_at.isoformat() if row.decided_at else None,
        "note": row.note,
    }

"""Writing the audit trail. Callers own the transaction."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from wufei.audit.models import AuditEntry
from wufei.db import table_of


def jsonable(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def apply_changes(obj: object, fields: dict[str, Any]) -> dict[str, list[Any]]:
    """Set the fields that differ and return them as {field: [old, new]}."""
    changes: dict[str, list[Any]] = {}
    for name, new in fields.items():
        old = getattr(obj, name)
        if _same(old, new):
            continue
        changes[name] = [jsonable(old), jsonable(new)]
        setattr(obj, name, new)
    return changes


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        if old is None or new is None:
            return old is new
        return Decimal(old) == Decimal(new)
    return old == new


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None,
    entity_key: str,
    changes: dict[str, Any],
    source: str | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        entity_key=entity_key[:200],
        changes=changes,
        source=source,
    )
    session.add(entry)
    return entry


def entry(
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None,
    entity_key: str,
    changes: dict[str, Any],
    source: str | None,
) -> dict[str, Any]:
    """One audit entry's columns, for `record_many`."""
    return {
        "actor": actor,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "entity_key": entity_key[:200],
        "changes": changes,
        "source": source,
    }


def record_many(session: Session, entries: list[dict[str, Any]]) -> None:
    """Many entries (from `entry`) as one multi-row INSERT: an import writes hundreds."""
    if entries:
        session.execute(insert(table_of(AuditEntry)), entries)

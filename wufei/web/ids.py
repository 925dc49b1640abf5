"""Row ids in paths: `{task_id:id}` matches 1 to 2,147,483,647 (the largest id an INTEGER key
holds on PostgreSQL; SQLite's are wider but never grow that far), so an id beyond any row is a
plain 404 (no route) instead of an out-of-range error in the database driver (a 500)."""

from __future__ import annotations

import re

from starlette.convertors import CONVERTOR_TYPES, IntegerConvertor, register_url_convertor

MAX_ROW_ID = 2**31 - 1


def _at_most(limit: int) -> str:
    """A regular expression for the decimal numbers 0..limit (leading zeros allowed below its length)."""
    digits = str(limit)
    shorter = [f"[0-9]{{1,{len(digits) - 1}}}"] if len(digits) > 1 else []
    same_length = [
        f"{digits[:i]}[0-{int(d) - 1}][0-9]{{{len(digits) - i - 1}}}" for i, d in enumerate(digits) if d != "0"
    ]
    return "|".join([*shorter, *same_length, digits])


_DIGITS = f"(?:{_at_most(MAX_ROW_ID)})"
_ROW_ID = re.compile(_DIGITS)


class RowIdConvertor(IntegerConvertor):
    regex = _DIGITS


def register_row_ids() -> None:
    """Make `{name:id}` known to the router; before any route using it is declared."""
    if "id" not in CONVERTOR_TYPES:
        register_url_convertor("id", RowIdConvertor())


def row_id(value: object) -> int | None:
    """A form's or query's row id; None for anything that is not a number up to MAX_ROW_ID."""
    text = str(value if value is not None else "").strip()
    return int(text) if _ROW_ID.fullmatch(text) else None

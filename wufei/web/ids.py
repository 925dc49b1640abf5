"""Row ids in paths: `{task_id:id}` matches 1 to 18 digits, so an id beyond any 64-bit row id is a
plain 404 (no route) instead of an overflow in the database driver (a 500 on SQLite and PostgreSQL)."""

from __future__ import annotations

import re

from starlette.convertors import CONVERTOR_TYPES, IntegerConvertor, register_url_convertor

_DIGITS = "[0-9]{1,18}"
_ROW_ID = re.compile(_DIGITS)


class RowIdConvertor(IntegerConvertor):
    regex = _DIGITS


def register_row_ids() -> None:
    """Make `{name:id}` known to the router; before any route using it is declared."""
    if "id" not in CONVERTOR_TYPES:
        register_url_convertor("id", RowIdConvertor())


def row_id(value: object) -> int | None:
    """A form's or query's row id; None for anything that is not 1 to 18 digits."""
    text = str(value if value is not None else "").strip()
    return int(text) if _ROW_ID.fullmatch(text) else None

"""Typed figures to JSON and back: how they are stored (period_figures, snapshots) and read again.

`to_json` writes a dataclass as a mapping of its fields (a field may name its JSON key with
`key("from")`), dates as ISO text, enums as their values. `from_json(cls, data)` reads it back
into `cls` by the fields' declared types: dataclasses, `list[T]`, `tuple[T, ...]`, `dict[str, T]`,
`T | None`, dates and times, StrEnums and plain numbers and text. A union of dataclasses is told apart by
its keys: the member whose JSON keys are exactly the mapping's.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

T = TypeVar("T")

_PLAIN = (str, int, float, bool)  # exactly these types, not their subclasses (enums)
_JSON_KEY = "json_key"
_OMIT_NONE = "omit_none"


def key(name: str, **kwargs: Any) -> Any:
    """A dataclass field stored under another JSON key (`from` is a Python keyword)."""
    return dataclasses.field(metadata={_JSON_KEY: name}, **kwargs)


def absent_when_none() -> Any:
    """A field that only some figures carry: left out of the JSON when None (read back as None)."""
    return dataclasses.field(default=None, metadata={_OMIT_NONE: True})


def to_json(value: Any) -> Any:
    """Plain JSON data (mappings, lists, text, numbers, booleans, None) of a typed value."""
    if value is None or type(value) in _PLAIN:  # most values of a snapshot: no other test needed
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            json_key: to_json(getattr(value, name))
            for name, json_key, _ in _fields(type(value))
            if not (getattr(value, name) is None and json_key in _omitted(type(value)))
        }
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(to_json(k)): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(item) for item in value]
    return value


def from_json(cls: type[T], data: Any) -> T:
    """`data` (as `to_json` wrote it, or as read back from the database) as a `cls`."""
    return typing.cast(T, _read(cls, data, cls.__name__))


@cache
def _omitted(cls: type) -> frozenset[str]:
    return frozenset(
        field.metadata.get(_JSON_KEY, field.name) for field in dataclasses.fields(cls) if field.metadata.get(_OMIT_NONE)
    )


@cache
def _fields(cls: type) -> tuple[tuple[str, str, Any], ...]:
    """(attribute, JSON key, declared type) of each field of a dataclass."""
    hints = get_type_hints(cls)
    return tuple(
        (field.name, field.metadata.get(_JSON_KEY, field.name), hints[field.name]) for field in dataclasses.fields(cls)
    )


def _read(kind: Any, data: Any, where: str) -> Any:
    if kind in _PLAIN and type(data) is kind:  # most values of a snapshot: no other test needed
        return data
    origin = get_origin(kind)
    if origin in (Union, types.UnionType):
        return _read_union(get_args(kind), data, where)
    if kind is Any:
        return data
    if data is None:
        raise ValueError(f"{where}: a value is missing")
    if origin in (list, tuple):
        args = get_args(kind)
        item = args[0] if args else Any
        items = [_read(item, value, f"{where}[{index}]") for index, value in enumerate(data)]
        return items if origin is list else tuple(items)
    if origin in (dict, Mapping):
        key_type, value_type = get_args(kind) or (str, Any)
        return {_read(key_type, k, where): _read(value_type, v, f"{where}.{k}") for k, v in data.items()}
    if dataclasses.is_dataclass(kind):
        return _read_dataclass(kind, data, where)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(data)
    if kind is datetime:
        return data if isinstance(data, datetime) else datetime.fromisoformat(data)
    if kind is date:
        return data if isinstance(data, date) else date.fromisoformat(data)
    if kind is float:
        return data if isinstance(data, int | float) and not isinstance(data, bool) else _wrong(kind, data, where)
    if kind in (int, str, bool):
        return data if isinstance(data, kind) else _wrong(kind, data, where)
    raise TypeError(f"{where}: cannot read a {kind!r}")


def _read_union(members: tuple[Any, ...], data: Any, where: str) -> Any:
    if data is None:
        if type(None) in members:
            return None
        raise ValueError(f"{where}: a value is missing")
    candidates = [m for m in members if m is not type(None)]
    if len(candidates) == 1:
        return _read(candidates[0], data, where)
    if isinstance(data, Mapping):
        keys = set(data)
        for member in candidates:
            if dataclasses.is_dataclass(member) and _keys_match(member, keys):
                return _read_dataclass(member, data, where)
    for member in candidates:  # plain values: the first type that reads it
        try:
            return _read(member, data, where)
        except (TypeError, ValueError):
            continue
    raise ValueError(f"{where}: {data!r} is none of {candidates}")


def _keys_match(cls: Any, keys: set[str]) -> bool:
    every = {json_key for _, json_key, _ in _fields(cls)}
    return every - _omitted(cls) <= keys <= every


def _read_dataclass(cls: Any, data: Any, where: str) -> Any:
    if not isinstance(data, Mapping):
        raise ValueError(f"{where}: expected a mapping, found {data!r}")
    values: dict[str, Any] = {}
    for name, json_key, kind in _fields(cls):
        if json_key not in data:
            if json_key in _omitted(cls):
                values[name] = None
                continue
            raise ValueError(f"{where}.{json_key}: missing")
        values[name] = _read(kind, data[json_key], f"{where}.{json_key}")
    return cls(**values)


def _wrong(kind: Any, data: Any, where: str) -> Any:
    raise ValueError(f"{where}: expected {kind.__name__}, found {data!r}")

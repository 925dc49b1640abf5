"""The department registry: who is who in each jurisdiction, read from YAML files an office can edit.

One file per jurisdiction (`data/hebei.yaml`, `data/hengshui.yaml`, `data/baoding.yaml`); the
schema is described at the top of `data/hengshui.yaml`. `Registry.resolve` turns a name as written
in a document into a canonical unit, the members of a collective, or an "unknown" with suggestions.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"

UNIT_KINDS = frozenset({"bureau", "county_gov", "zone", "outside", "group", "provincial_dept", "city_gov"})
LEVELS = frozenset({"province", "city", "county"})
# A jurisdiction's own units are written with this prefix: 市生态环境局, 省生态环境厅.
_LEVEL_PREFIX = {"province": "省", "city": "市", "county": "县"}


class RegistryError(ValueError):
    """A registry file that cannot be used; the message names the file."""


class ResolutionKind(StrEnum):
    UNIT = "unit"
    COLLECTIVE = "collective"  # stands for all its members
    PICK = "pick"  # stands for some of its members: the office picks
    UNASSIGNED = "unassigned"  # names nobody yet
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Jurisdiction:
    key: str
    name: str
    level: str
    parent: str | None
    source: Path | None = None


@dataclass(frozen=True)
class Unit:
    name: str
    kind: str
    jurisdiction: str
    aliases: tuple[str, ...] = ()
    office: str | None = None  # a group's office sits in this unit


@dataclass(frozen=True)
class Collective:
    name: str
    jurisdiction: str
    members: tuple[str, ...]
    pick: bool = False
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Resolution:
    name: str  # as asked
    kind: ResolutionKind
    canonical: str | None
    # Canonical unit names the name stands for: the unit itself, a collective's members,
    # a pick's candidates; empty when unassigned or unknown.
    members: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()
    warning: str | None = None  # Chinese, for the import report
    jurisdiction: str | None = None  # where it was found (a city name may resolve in its province)
    unit_kind: str | None = None  # UnitKind of a unit


def name_key(name: str) -> str:
    """The form names are compared in: no spaces, no quotes, ASCII brackets and digits."""
    text = unicodedata.normalize("NFKC", name)
    text = text.replace("〔", "(").replace("〕", ")")
    return re.sub(r"[\s\"'“”‘’「」『』]+", "", text)


@dataclass
class _Book:
    """One jurisdiction's entries and their lookup tables."""

    jurisdiction: Jurisdiction
    units: dict[str, Unit] = field(default_factory=dict)
    collectives: dict[str, Collective] = field(default_factory=dict)
    unassigned: set[str] = field(default_factory=set)
    exact: dict[str, str] = field(default_factory=dict)  # name or alias -> canonical
    normal: dict[str, str] = field(default_factory=dict)  # name_key -> canonical

    def add_name(self, written: str, canonical: str) -> None:
        for table, key in ((self.exact, written), (self.normal, name_key(written))):
            if table.get(key, canonical) != canonical:
                raise RegistryError(f"{self._where()}：名称「{written}」同时指向「{table[key]}」和「{canonical}」")
            table[key] = canonical

    def lookup(self, name: str) -> str | None:
        return self.exact.get(name) or self.normal.get(name_key(name))

    def _where(self) -> str:
        return str(self.jurisdiction.source or self.jurisdiction.name)


class Registry:
    def __init__(self, books: Iterable[_Book]):
        self._books: dict[str, _Book] = {}
        for book in books:
            name = book.jurisdiction.name
            if name in self._books:
                raise RegistryError(f"{book._where()}：辖区「{name}」重复登记")
            self._books[name] = book
        self._keys = {book.jurisdiction.key: name for name, book in self._books.items()}

    @classmethod
    def load(cls, paths: Iterable[str | Path] | None = None) -> Registry:
        """Read the given YAML files, or every file in the package's data directory."""
        files = sorted(DATA_DIR.glob("*.yaml")) if paths is None else [Path(p) for p in paths]
        return cls(_read_book(path) for path in files)

    # --- queries ----------------------------------------------------------------------------

    def jurisdictions(self) -> tuple[Jurisdiction, ...]:
        return tuple(book.jurisdiction for book in self._books.values())

    def jurisdiction(self, name_or_key: str) -> Jurisdiction:
        return self._book(name_or_key).jurisdiction

    def units(self, jurisdiction: str) -> tuple[Unit, ...]:
        return tuple(self._book(jurisdiction).units.values())

    def collectives(self, jurisdiction: str) -> tuple[Collective, ...]:
        return tuple(self._book(jurisdiction).collectives.values())

    def resolve(self, name: str, jurisdiction: str) -> Resolution:
        """Resolve a name as written in a document of `jurisdiction` (name or key: 衡水市 / hengshui).

        Order: exact name or alias, normalised form, `衡水市X` read as `市X`, then the same
        in the parent jurisdiction; a bare `生态环境局` is last read as `市生态环境局`.
        """
        written = name.strip()
        chain = self._chain(jurisdiction)
        for book in chain:
            for candidate in self._candidates(written, book.jurisdiction):
                if (canonical := book.lookup(candidate)) is not None:
                    return self._found(written, canonical, book)
        for book in chain:
            prefixed = _LEVEL_PREFIX[book.jurisdiction.level] + written
            if (
                not written.startswith(("市", "省", "县", "各", "有关", "相关"))
                and (canonical := book.lookup(prefixed)) is not None
            ):
                found = self._found(written, canonical, book)
                return _with_warning(found, f"「{written}」按「{canonical}」识别，请核对")
        return self._unknown(written, chain)

    # --- internals --------------------------------------------------------------------------

    def _book(self, name_or_key: str) -> _Book:
        name = self._keys.get(name_or_key, name_or_key)
        try:
            return self._books[name]
        except KeyError:
            raise KeyError(f"未登记的辖区：{name_or_key}") from None

    def _chain(self, jurisdiction: str) -> list[_Book]:
        chain = [self._book(jurisdiction)]
        while (parent := chain[-1].jurisdiction.parent) in self._books and len(chain) < 5:
            chain.append(self._books[parent])
        return chain

    @staticmethod
    def _candidates(written: str, jurisdiction: Jurisdiction) -> list[str]:
        candidates = [written]
        # 衡水市生态环境局 is the city's own 市生态环境局.
        if written.startswith(jurisdiction.name) and len(written) > len(jurisdiction.name):
            candidates.append(_LEVEL_PREFIX[jurisdiction.level] + written[len(jurisdiction.name) :])
        return candidates

    @staticmethod
    def _found(written: str, canonical: str, book: _Book) -> Resolution:
        where = book.jurisdiction.name
        if canonical in book.units:
            unit = book.units[canonical]
            return Resolution(
                written, ResolutionKind.UNIT, canonical, (canonical,), jurisdiction=where, unit_kind=unit.kind
            )
        if canonical in book.collectives:
            collective = book.collectives[canonical]
            if collective.pick:
                return Resolution(
                    written,
                    ResolutionKind.PICK,
                    canonical,
                    collective.members,
                    warning=f"「{written}」指其中部分单位，需由办公室指定",
                    jurisdiction=where,
                )
            warning = None if collective.members else f"「{canonical}」尚未登记成员单位，请补充{where}登记表"
            return Resolution(
                written, ResolutionKind.COLLECTIVE, canonical, collective.members, warning=warning, jurisdiction=where
            )
        return Resolution(
            written,
            ResolutionKind.UNASSIGNED,
            canonical,
            warning=f"「{written}」未指定具体单位，需由办公室指定",
            jurisdiction=where,
        )

    @staticmethod
    def _unknown(written: str, chain: list[_Book]) -> Resolution:
        # The document's own jurisdiction first: 市生态环境厅 in a city is more likely 市生态环境局.
        close: list[str] = []
        for book in chain:
            matches = difflib.get_close_matches(written, list(book.exact), n=6, cutoff=0.6)
            close += [book.exact[match] for match in matches]
        suggestions = tuple(dict.fromkeys(close))[:3]
        hint = f"，是否为：{'、'.join(suggestions)}？" if suggestions else "，请在登记表中补充"
        return Resolution(
            written,
            ResolutionKind.UNKNOWN,
            None,
            suggestions=suggestions,
            warning=f"未识别的单位「{written}」（{chain[0].jurisdiction.name}）{hint}",
        )


def _with_warning(resolution: Resolution, warning: str) -> Resolution:
    combined = f"{warning}；{resolution.warning}" if resolution.warning else warning
    return Resolution(
        resolution.name,
        resolution.kind,
        resolution.canonical,
        resolution.members,
        resolution.suggestions,
        combined,
        resolution.jurisdiction,
        resolution.unit_kind,
    )


# --- reading a file ---------------------------------------------------------------------------


def _read_book(path: Path) -> _Book:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise RegistryError(f"{path}：无法读取登记表（{error}）") from None
    if not isinstance(data, dict) or not isinstance(data.get("jurisdiction"), dict):
        raise RegistryError(f"{path}：缺少 jurisdiction")

    book = _Book(_jurisdiction(data["jurisdiction"], path))
    where = book.jurisdiction.name
    for entry in _entries(data, "departments", path):
        unit = Unit(
            name=_text(entry, "name", path),
            kind=_text(entry, "kind", path),
            jurisdiction=where,
            aliases=_names(entry.get("aliases"), path),
            office=entry.get("office"),
        )
        if unit.kind not in UNIT_KINDS:
            raise RegistryError(f"{path}：单位「{unit.name}」的 kind 「{unit.kind}」无效，应为 {sorted(UNIT_KINDS)}")
        book.units[unit.name] = unit
        for written in (unit.name, *unit.aliases):
            book.add_name(written, unit.name)

    for entry in _entries(data, "collectives", path):
        name = _text(entry, "name", path)
        members = []
        for member in _names(entry.get("members"), path):
            canonical = book.lookup(member)
            if canonical not in book.units:
                raise RegistryError(f"{path}：集合「{name}」的成员「{member}」不是本登记表中的单位")
            members.append(canonical)
        collective = Collective(
            name,
            where,
            tuple(dict.fromkeys(members)),
            bool(entry.get("pick", False)),
            _names(entry.get("aliases"), path),
        )
        book.collectives[name] = collective
        for written in (name, *collective.aliases):
            book.add_name(written, name)

    for name in _names(data.get("unassigned"), path):
        book.unassigned.add(name)
        book.add_name(name, name)

    for unit in book.units.values():
        if unit.office is not None and book.lookup(unit.office) not in book.units:
            raise RegistryError(f"{path}：「{unit.name}」的 office 「{unit.office}」不是本登记表中的单位")
    return book


def _jurisdiction(data: dict[str, Any], path: Path) -> Jurisdiction:
    level = _text(data, "level", path)
    if level not in LEVELS:
        raise RegistryError(f"{path}：jurisdiction.level 「{level}」无效，应为 {sorted(LEVELS)}")
    return Jurisdiction(
        key=str(data.get("key") or path.stem),
        name=_text(data, "name", path),
        level=level,
        parent=data.get("parent"),
        source=path,
    )


def _entries(data: dict[str, Any], section: str, path: Path) -> list[dict[str, Any]]:
    entries = data.get(section) or []
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise RegistryError(f"{path}：{section} 应为列表，每项含 name 等字段")
    return entries


def _text(entry: dict[str, Any], key: str, path: Path) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise RegistryError(f"{path}：缺少 {key}（{entry}）")
    return value.strip()


def _names(value: Any, path: Path) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RegistryError(f"{path}：名称列表无效（{value}）")
    return tuple(v.strip() for v in value)

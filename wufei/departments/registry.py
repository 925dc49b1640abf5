"""The department registry: who is who in each jurisdiction, read from YAML files an office can edit.

One file per jurisdiction (`data/hebei.yaml`, `data/hengshui.yaml`, `data/baoding.yaml`); the
schema is described at the top of `data/hengshui.yaml`. Every other place of China (wufei.places)
has a generic registry built on demand: the standard agencies written for its level
(`data/standard/agencies.yaml`: 市生态环境局, 省生态环境厅, 区…), the governments of the places
under it, and the collectives naming them (各县（市、区）人民政府). A jurisdiction's own file wins
over its generic registry, which still answers what the file does not list.

`Registry.resolve` turns a name as written in a document into a canonical unit, the members of a
collective, or an "unknown" with suggestions.
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

from wufei.config import parse_yaml
from wufei.departments.agencies import Agency, Naming, agency_names, standard_agencies
from wufei.places import CITY, COUNTY, PROVINCE, Divisions, Place, divisions

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
    key: str  # a registry file's key, or the division code of a generic one
    name: str  # as stored: 衡水市, 北京市朝阳区 (a name several places bear carries its city's)
    level: str
    parent: str | None
    source: Path | None = None  # the registry file; None for a generic registry


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
    # How the jurisdiction writes its own units (市生态环境局; 自治区… or 区… in 广西) and itself
    # (衡水市, 湘西州, 北京市朝阳区): 衡水市X is the city's own 市X.
    prefixes: tuple[str, ...] = ()
    place_names: tuple[str, ...] = ()
    # Names matched by their shape rather than listed (各区人民政府, 有关部门) -> canonical.
    patterns: list[tuple[re.Pattern[str], str]] = field(default_factory=list)
    generic: bool = False  # built from the division data and the standard agencies
    # Unknown names' close matches: each entry by the unit's own words (Registry._own_words), built when first asked.
    by_own_words: dict[str, list[str]] | None = None

    def add_name(self, written: str, canonical: str) -> None:
        for table, key in ((self.exact, written), (self.normal, name_key(written))):
            if table.get(key, canonical) != canonical:
                if self.generic:
                    continue  # the first standard name wins (法院 in a city is its 中级人民法院)
                raise RegistryError(f"{self._where()}：名称「{written}」同时指向「{table[key]}」和「{canonical}」")
            table[key] = canonical

    def lookup(self, name: str) -> str | None:
        found = self.exact.get(name) or self.normal.get(name_key(name))
        if found is None and self.patterns:
            key = name_key(name)
            found = next((canonical for pattern, canonical in self.patterns if pattern.match(key)), None)
        return found

    def _where(self) -> str:
        return str(self.jurisdiction.source or self.jurisdiction.name)


class Registry:
    def __init__(
        self,
        books: Iterable[_Book],
        *,
        places: Divisions | None = None,
        agencies: tuple[Agency, ...] | None = None,
    ):
        self._books: dict[str, _Book] = {}
        for book in books:
            name = book.jurisdiction.name
            if name in self._books:
                raise RegistryError(f"{book._where()}：辖区「{name}」重复登记")
            self._books[name] = book
        self._keys = {book.jurisdiction.key: name for name, book in self._books.items()}
        self._places = places  # None: only the files' jurisdictions exist
        self._agencies = agencies
        self._generic: dict[str, _Book] = {}  # place key -> its generic registry, built when first asked

    @classmethod
    def load(cls, paths: Iterable[str | Path] | None = None, *, generic: bool = True) -> Registry:
        """Read the given YAML files, or every file in the package's data directory; with
        `generic`, every other place of China has its generic registry too."""
        files = sorted(DATA_DIR.glob("*.yaml")) if paths is None else [Path(p) for p in paths]
        if not generic:
            return cls(_read_book(path) for path in files)
        return cls((_read_book(path) for path in files), places=divisions(), agencies=standard_agencies())

    # --- queries ----------------------------------------------------------------------------

    def jurisdictions(self) -> tuple[Jurisdiction, ...]:
        """The jurisdictions that have a registry file."""
        return tuple(book.jurisdiction for book in self._books.values())

    def jurisdiction(self, name_or_key: str) -> Jurisdiction:
        """A jurisdiction by its name, file key or division code; KeyError if there is none
        (or a name several places bear: 朝阳区 must be written 北京市朝阳区)."""
        return self._level(name_or_key)[0].jurisdiction

    def places_named(self, name: str) -> tuple[str, ...]:
        """The stored names of every place a name may stand for (朝阳区: 北京市朝阳区, 长春市朝阳区)."""
        if self._places is None:
            return ()
        return tuple(self._places.unique_name(p) for p in self._places.named(name))

    def units(self, jurisdiction: str) -> tuple[Unit, ...]:
        """The units a jurisdiction's registry file lists (what is written to the database up front)."""
        book = self._books.get(self._keys.get(jurisdiction, jurisdiction))
        return tuple(book.units.values()) if book else ()

    def place_units(self, jurisdiction: str) -> tuple[Unit, ...]:
        """Every unit the registry knows in the place: its file's, then the standard agencies
        for its level (what a document of the place may name; few of them are stored)."""
        found: dict[str, Unit] = {}
        for book in self._level(jurisdiction):
            for unit in book.units.values():
                found.setdefault(unit.name, unit)
        return tuple(found.values())

    def collectives(self, jurisdiction: str) -> tuple[Collective, ...]:
        return tuple(c for book in self._level(jurisdiction) for c in book.collectives.values())

    def unit(self, name: str, jurisdiction: str) -> Unit | None:
        """A canonical unit of the jurisdiction (from its file, else its generic registry)."""
        return next((book.units[name] for book in self._level(jurisdiction) if name in book.units), None)

    def resolve(self, name: str, jurisdiction: str) -> Resolution:
        """Resolve a name as written in a document of `jurisdiction` (name or key: 衡水市 / hengshui).

        Order: exact name or alias, normalised form, `衡水市X` read as `市X`, then the same
        in the parent jurisdiction; a bare `生态环境局` is last read as `市生态环境局`. At each
        level the registry file comes first, then the generic registry of the place.
        """
        written = name.strip()
        chain = self._chain(jurisdiction)
        for book in chain:
            for candidate in self._candidates(written, book):
                if (canonical := book.lookup(candidate)) is not None:
                    found = self._found(written, canonical, book)
                    if found.kind is ResolutionKind.COLLECTIVE and not found.members and not book.generic:
                        # A file's collective the office has registered no member of yet (保定's
                        # 各县（市、区）政府、开发区管委会) reads as the place's generic one does: the
                        # county-level governments the places registry knows, zones or a collective owner.
                        found = self._generic_reading(written, book) or found
                    if found.kind is ResolutionKind.COLLECTIVE and book.jurisdiction.name != chain[0].jurisdiction.name:
                        # A collective found only above the document's place (a county plan's
                        # 各县（市、区）政府 read as its city's counties, itself among them) is no reading
                        # of the document's own units: said, for a person to decide.
                        found = _with_warning(
                            found, f"「{written}」按上级「{book.jurisdiction.name}」的成员单位识别，请核对"
                        )
                    if found.canonical == ZONES_OWNER and not written.startswith("各"):
                        # 工业园区 without 各 names a zone, maybe the place's one: every zone is a guess.
                        found = _with_warning(found, f"「{written}」未写明是哪个园区，按「{ZONES_OWNER}」识别，请核对")
                    return self._file_zones(found)
        if not written.startswith(("市", "省", "县", "区", "州", "旗", "盟", "各", "有关", "相关")):
            for book in chain:
                for prefix in book.prefixes:
                    if (canonical := book.lookup(prefix + written)) is not None:
                        found = self._found(written, canonical, book)
                        return _with_warning(found, f"「{written}」按「{canonical}」识别，请核对")
        return self._in_place_named(written, chain) or self._unknown(written, chain)

    # --- internals --------------------------------------------------------------------------

    def _level(self, name_or_key: str) -> list[_Book]:
        """The registry file and the generic registry of one jurisdiction (either may be missing)."""
        name = self._keys.get(name_or_key, name_or_key)
        book = self._books.get(name)
        place = self._place(book.jurisdiction.name if book else name_or_key)
        if book is None and place is not None and self._places is not None:
            book = self._books.get(self._places.unique_name(place))  # 衡水 is 衡水市, file and all
        books = [b for b in (book, self._generic_book(place) if place else None) if b is not None]
        if not books:
            raise KeyError(f"未登记的辖区：{name_or_key}")
        return books

    def _chain(self, jurisdiction: str) -> list[_Book]:
        chain: list[_Book] = []
        name: str | None = jurisdiction
        while name is not None and len(chain) < 10:
            level = self._level(name)
            chain += level
            parents = [b.jurisdiction.parent for b in level if b.jurisdiction.parent]
            name = parents[0] if parents else None
            if name is not None and name not in self._books and self._place(name) is None:
                break  # a file names a parent nobody knows: stop there, as before
        return chain

    def _place(self, name_or_code: str) -> Place | None:
        if self._places is None:
            return None
        found = self._places.named(name_or_code)
        if not found and name_or_code.isdigit():
            try:
                found = (self._places.get(name_or_code),)
            except KeyError:
                found = ()
        return found[0] if len(found) == 1 else None

    def _generic_book(self, place: Place) -> _Book:
        if place.key not in self._generic:
            assert self._places is not None
            self._generic[place.key] = _generic_book(place, self._places, self._agencies)
        return self._generic[place.key]

    @staticmethod
    def _candidates(written: str, book: _Book) -> list[str]:
        candidates = [written]
        # 衡水市生态环境局 is the city's own 市生态环境局.
        for place_name in book.place_names:
            if written.startswith(place_name) and len(written) > len(place_name):
                rest = written[len(place_name) :]
                candidates += [prefix + rest for prefix in book.prefixes]
                candidates.append(rest)  # 衡水市各县市区人民政府: a collective has no prefix
        return list(dict.fromkeys(candidates))

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

    def _file_zones(self, found: Resolution) -> Resolution:
        """The zones a place's registry file lists stand for its 各开发区管委会 (衡水高新区管委会,
        滨湖新区管委会), where the places registry knows none: the collective owner gives way to them."""
        if ZONES_OWNER not in found.members or found.jurisdiction not in self._books:
            return found
        book = self._books[found.jurisdiction]
        zones = tuple(u.name for u in book.units.values() if u.kind == "zone")
        if not zones:
            return found
        members = tuple(dict.fromkeys(z for m in found.members for z in (zones if m == ZONES_OWNER else (m,))))
        return Resolution(
            found.name,
            ResolutionKind.COLLECTIVE,
            found.canonical,
            members,
            warning=found.warning,
            jurisdiction=found.jurisdiction,
        )

    def _generic_reading(self, written: str, book: _Book) -> Resolution | None:
        """How the generic registry of a file's place reads a name, when it gives members or a unit."""
        generic = [b for b in self._level(book.jurisdiction.name) if b.generic]
        for other in generic:
            for candidate in self._candidates(written, other):
                if (canonical := other.lookup(candidate)) is not None:
                    found = self._found(written, canonical, other)
                    if found.kind is ResolutionKind.UNIT or (found.kind is ResolutionKind.COLLECTIVE and found.members):
                        return found
        return None

    def _in_place_named(self, written: str, chain: list[_Book]) -> Resolution | None:
        """A unit named with another place's name (来安县住建局 or 合肥海关 in 滁州市's plan) is that
        place's unit, when the name stands for one place only. It is kept with the document's own
        units under its full name with its place (来安县住房和城乡建设局), so that it is told apart
        from the document's own 县… or 市… units wherever a department is named alone."""
        place_name = self._place_name_at_start(written)
        place = self._place(place_name) if place_name else None
        if place is None or self._places is None:
            return None
        name = self._places.unique_name(place)
        if any(book.jurisdiction.name == name for book in chain):
            return None  # the document's own place and those above it were tried already
        for book in self._level(name):
            for candidate in self._candidates(written, book):
                if (canonical := book.lookup(candidate)) is None or canonical not in book.units:
                    continue  # a collective of another place's units is no owner a plan names this way
                prefixes = sorted((p for p in book.prefixes if p and canonical.startswith(p)), key=len)
                full = place.name + canonical[len(prefixes[-1]) :] if prefixes else canonical
                return Resolution(
                    written,
                    ResolutionKind.UNIT,
                    full,
                    (full,),
                    jurisdiction=chain[0].jurisdiction.name,
                    unit_kind=book.units[canonical].kind,
                )
        return None

    def _place_name_at_start(self, text: str) -> str | None:
        match = self._places.match_at(text) if self._places is not None else None
        return match[0] if match else None

    def _unknown(self, written: str, chain: list[_Book]) -> Resolution:
        # Names are compared by the unit's own words, the place and the level left out (市人民银行
        # and 市人民政府 share only 市人民; 滁州学院 and 滁州市人民政府 only 滁州): a suggestion shares
        # the unit's own words, or none is made.
        close: list[str] = []
        words = self._own_words(written)  # None: a bare place name, close to no unit
        if words is not None:
            for book in chain:
                index = self._by_own_words(book)
                matches = difflib.get_close_matches(words, list(index), n=6, cutoff=0.6)
                close += [book.exact[name] for match in matches for name in index[match]]
        # The level written first: 省生态环保厅 is likelier the province's 生态环境厅 than a city's bureau.
        level = next((word for word in _LEVEL_WORDS if written.startswith(word)), None)
        close.sort(key=lambda name: not (level and name.startswith(level)))
        suggestions = tuple(dict.fromkeys(close))[:3]
        hint = f"，是否为：{'、'.join(suggestions)}？" if suggestions else "，请在登记表中补充"
        return Resolution(
            written,
            ResolutionKind.UNKNOWN,
            None,
            suggestions=suggestions,
            warning=f"未识别的单位「{written}」（{chain[0].jurisdiction.name}）{hint}",
        )

    def _by_own_words(self, book: _Book) -> dict[str, list[str]]:
        if book.by_own_words is None:
            book.by_own_words = {}
            for name in book.exact:
                if (own := self._own_words(name)) is not None and len(own) >= 3:
                    book.by_own_words.setdefault(own, []).append(name)
        return book.by_own_words

    def _own_words(self, name: str) -> str | None:
        """What names the unit itself: 滁州市生态环境局 and 市生态环境局 are both 生态环境局; None for
        a place's bare name. 人民 is in too many names to tell two apart (市人民医院 is not
        市人民检察院), and two characters (市中院) are too few to tell by spelling."""
        place_name = self._place_name_at_start(name)
        if place_name is not None:
            if len(name) == len(place_name):
                return None
            name = name[len(place_name) :]
        for level in _LEVEL_WORDS:
            if name.startswith(level) and len(name) > len(level):
                name = name[len(level) :]
                break
        return name.replace("人民", "") or name


# The level a unit's name starts with after its place (市生态环境局, 自治区生态环境厅), longest first.
_LEVEL_WORDS = ("自治区", "自治州", "地区", "省", "市", "区", "县", "州", "旗", "盟")


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


# --- a generic registry: the standard agencies and the places under a place --------------------

# 各县（市、区）人民政府, 各区政府, 有关县市区: the county-level governments of a city (or municipality).
_COUNTY_COLLECTIVE = re.compile(
    r"^(各|有关|相关)(?:[县区市旗()、和及]|自治)*[县区旗](?:[县区市旗()、和及]|自治)*(?:人民政府|政府)?$"
)
# 各市（州）人民政府, 各设区市政府, 各地级以上市人民政府: the prefecture-level governments of a province.
_CITY_COLLECTIVE = re.compile(
    r"^(各|有关|相关)(?:设区的?|地级以上|地级)?[市州盟地][市州盟地区县()、和及]*(?:人民政府|政府|行政公署|行署)?$"
)
# 有关部门, 各相关单位, 市直有关部门, 相关企业: nobody named yet (compared in name_key form).
_UNASSIGNED = re.compile(
    r"^(?:[省市区县州旗盟]直?)?(?:各|有关|相关|其他|其它)+(?:职能|成员)?(?:部门|单位|企业|机构)"
    r"(?:[、和及与](?:部门|单位|企业|机构))*$"
)
_UNASSIGNED_NAME = "有关部门"
# 各开发区管委会, 开发区管委会, 各园区管委会, 各功能区: the development zones of a place (compared in name_key form).
_ZONES_PART = r"各?(?:开发区|园区|功能区|产业园区|工业园区)(?:[、和及](?:开发区|园区|功能区))*(?:管委会|管理委员会)?"
_ZONE_COLLECTIVE = re.compile(rf"^{_ZONES_PART}$")
# 各县（市、区）政府、开发区管委会, 各区县（开发区）: the county-level governments and the zones together.
_COUNTY_AND_ZONES = re.compile(
    r"^各(?:[县区市旗()、和及]|自治)*[县区旗](?:[县区市旗()、和及]|自治)*(?:人民政府|政府)?"
    rf"(?:[、和及]{_ZONES_PART}|\((?:开发区|园区|功能区)\))$"
)
# 各乡镇（街道）, 各乡镇人民政府、街道办事处, 各镇街: the townships and streets of a place, which the places
# registry does not list; 街道办事处 named bare after 各乡镇政府 (split there as two names) is the same collective.
_TOWNSHIP_COLLECTIVE = re.compile(
    r"^(?:各(?:乡镇|镇街|镇|乡|街道)|街道办事处)(?:[()、和及]|乡镇|镇|乡|街道|办事处|人民政府|政府|党委)*$"
)
# Collective owners: a collective whose members nobody has registered is one recognised owner of the
# place, reminded through the contacts the office registers for it and counted once in the light and
# the scores (a unit of the locality kind), rather than an unknown unit doubted on every task.
ZONES_OWNER = "各开发区管委会"
TOWNSHIPS_OWNER = "各乡镇（街道）"
_CHILD_SUFFIXES = ("地区", "县", "市", "区", "旗", "州", "盟")


def _generic_book(place: Place, places: Divisions, agencies: tuple[Agency, ...] | None) -> _Book:
    """A place's registry from the standard agencies and the division data."""
    parent = places.parent(place)
    name = places.unique_name(place)
    jurisdiction = Jurisdiction(
        key=place.key, name=name, level=place.level, parent=places.unique_name(parent) if parent else None
    )
    # A municipality (北京市) names its units as a city does; a special area as its level does.
    form_level = CITY if place.kind == "直辖市" else place.level
    prefixes = (place.prefix, "区") if place.prefix == "自治区" else (place.prefix,)
    short = place.short[-1] if place.short else place.name
    book = _Book(
        jurisdiction,
        prefixes=prefixes,
        place_names=tuple(sorted({name, place.name, *place.short}, key=len, reverse=True)),
        generic=True,
    )
    # 广西壮族自治区 writes 自治区生态环境厅 and 区生态环境厅: one unit, the second form an alias.
    # Hong Kong and Macau (no prefix) have bodies of their own, not these.
    written = [agency_names(Naming(form_level, p, place.name, short), agencies) for p in prefixes if p]
    for agency, *others in zip(*written):
        aliases = agency.aliases + tuple(a for other in others for a in (other.name, *other.aliases))
        _add_unit(book, Unit(agency.name, _kind(agency.kind, form_level), name, aliases, agency.office))

    children = places.children(place, special=True)
    members = []
    zones = []
    for child in children:
        if child.special:
            if child.government:
                aliases = (*child.government_aliases, child.name, *child.short)
                _add_unit(book, Unit(child.government, "zone", name, aliases))
                zones.append(child.government)
            continue
        government = f"{child.name}人民政府"
        kind = "county_gov" if child.level == COUNTY else "city_gov"
        names = [child.name, *(s for s in child.short if s[-1] == child.name[-1] or len(child.short) == 1)]
        aliases = tuple(a for n in names for a in (f"{n}人民政府", f"{n}政府", n) if a != government)
        _add_unit(book, Unit(government, kind, name, aliases))
        members.append(government)
    if members:
        below = "county" if any(c.level == COUNTY for c in children if not c.special) else "city"
        label = _collective_label(c.name for c in children if not c.special)
        pattern = _COUNTY_COLLECTIVE if below == "county" else _CITY_COLLECTIVE
        every, some = f"各{label}人民政府", f"有关{label}人民政府"
        book.collectives[every] = Collective(every, name, tuple(members))
        book.collectives[some] = Collective(some, name, tuple(members), pick=True)
        for canonical in (every, some):
            book.add_name(canonical, canonical)
        book.patterns.append((re.compile(pattern.pattern.replace("(各|有关|相关)", "各")), every))
        book.patterns.append((re.compile(pattern.pattern.replace("(各|有关|相关)", "(?:有关|相关)")), some))
    if zones:
        book.collectives[ZONES_OWNER] = Collective(ZONES_OWNER, name, tuple(zones))
    else:
        _add_unit(book, Unit(ZONES_OWNER, "zone", name))
    book.add_name(ZONES_OWNER, ZONES_OWNER)
    book.patterns.append((_ZONE_COLLECTIVE, ZONES_OWNER))
    if members and below == "county":
        both = f"各{label}人民政府、开发区管委会"
        book.collectives[both] = Collective(both, name, (*members, *(zones or [ZONES_OWNER])))
        book.add_name(both, both)
        book.patterns.append((_COUNTY_AND_ZONES, both))
    _add_unit(book, Unit(TOWNSHIPS_OWNER, "county_gov", name))
    book.patterns.append((_TOWNSHIP_COLLECTIVE, TOWNSHIPS_OWNER))
    book.unassigned.add(_UNASSIGNED_NAME)
    book.add_name(_UNASSIGNED_NAME, _UNASSIGNED_NAME)
    book.patterns.append((_UNASSIGNED, _UNASSIGNED_NAME))
    return book


def _kind(agency_kind: str, form_level: str) -> str:
    if agency_kind == "government":
        return {PROVINCE: "provincial_dept", CITY: "city_gov"}.get(form_level, "county_gov")
    if agency_kind == "bureau" and form_level == PROVINCE:
        return "provincial_dept"
    return agency_kind


def _add_unit(book: _Book, unit: Unit) -> None:
    if unit.name in book.units:
        return  # 自治区生态环境厅 and 区生态环境厅 are one unit: the first written wins
    book.units[unit.name] = unit
    for written in (unit.name, *unit.aliases):
        book.add_name(written, unit.name)


def _collective_label(names: Iterable[str]) -> str:
    """县（市、区） for a city with counties, county-level cities and districts; 区 for Shenzhen."""
    kinds = []
    for name in names:
        kind = next((s for s in _CHILD_SUFFIXES if name.endswith(s)), "县")
        kind = "县" if kind == "旗" and "县" in kinds else kind
        if kind not in kinds:
            kinds.append(kind)
    order = ["县", "旗", "市", "区", "州", "盟", "地区"]
    kinds.sort(key=order.index)
    if len(kinds) == 1:
        return kinds[0]
    return f"{kinds[0]}（{'、'.join(kinds[1:])}）"


# --- reading a file ---------------------------------------------------------------------------


def _read_book(path: Path) -> _Book:
    try:
        data = parse_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise RegistryError(f"{path}：无法读取登记表（{error}）") from None
    if not isinstance(data, dict) or not isinstance(data.get("jurisdiction"), dict):
        raise RegistryError(f"{path}：缺少 jurisdiction")

    jurisdiction = _jurisdiction(data["jurisdiction"], path)
    prefix = str(data["jurisdiction"].get("prefix") or _LEVEL_PREFIX[jurisdiction.level])
    book = _Book(jurisdiction, prefixes=(prefix,), place_names=(jurisdiction.name,))
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

"""Standard agency names by level (data/standard/agencies.yaml): the departments any Chinese
government has, written for one place (市生态环境局 of 深圳市, 省生态环境厅 of 广东省, 区… of 南山区).

Pure: reads the data file and writes names; the registry turns them into units.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from wufei.config import parse_yaml

AGENCIES_FILE = Path(__file__).resolve().parent / "data" / "standard" / "agencies.yaml"
FORM_LEVELS = ("province", "city", "county")
KINDS = frozenset({"bureau", "outside", "government", "group"})
# The one character a prefix is written with inside a name: 团区委 in 广西壮族自治区, 地委 in a 地区.
_ONE_CHAR = {"自治区": "区", "地区": "地", "新区": "区", "生态城": "区"}


class AgencyError(ValueError):
    """An agencies file that cannot be used; the message names the file."""


@dataclass(frozen=True)
class Agency:
    forms: dict[str, str]  # form level -> the name at that level (a template or a stem)
    aliases: dict[str, tuple[str, ...]]  # form level -> other names at that level
    kind: str
    office: str | None = None  # kind group: the city-form name of the entry its office sits in

    def key(self) -> str:
        return self.forms.get("city") or next(iter(self.forms.values()))


@dataclass(frozen=True)
class Naming:
    """How one place writes its own units."""

    form_level: str  # province | city | county: which forms apply (北京市 uses the city's)
    prefix: str  # 市, 省, 自治区, 州, 区, 县, 旗, 新区 …
    place: str  # 深圳市
    short: str  # 深圳

    def write(self, form: str) -> str:
        if "{" not in form:
            return self.prefix + form
        one = _ONE_CHAR.get(self.prefix, self.prefix[:1])
        return form.format(p=one, prefix=self.prefix, place=self.place, short=self.short)


@dataclass(frozen=True)
class AgencyName:
    name: str
    aliases: tuple[str, ...]
    kind: str  # bureau / outside / government / group, as in the data
    office: str | None  # the office's written name, for a group


def agency_names(naming: Naming, agencies: tuple[Agency, ...] | None = None) -> list[AgencyName]:
    """Every standard agency of a place, written for it."""
    found = []
    by_key = {agency.key(): agency for agency in agencies or standard_agencies()}
    for agency in by_key.values():
        form = agency.forms.get(naming.form_level)
        if form is None:
            continue
        aliases = [naming.write(a) for a in agency.aliases.get(naming.form_level, ())]
        name = naming.write(form)
        office = None
        if agency.office is not None and agency.office in by_key:
            office_form = by_key[agency.office].forms.get(naming.form_level)
            office = naming.write(office_form) if office_form else None
        found.append(AgencyName(name, tuple(a for a in dict.fromkeys(aliases) if a != name), agency.kind, office))
    return found


@functools.cache
def standard_agencies(path: Path = AGENCIES_FILE) -> tuple[Agency, ...]:
    try:
        data = parse_yaml(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise AgencyError(f"{path}：无法读取标准部门名称表（{error}）") from None
    entries = data.get("agencies")
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise AgencyError(f"{path}：agencies 应为列表")
    return tuple(_agency(entry, path) for entry in entries)


def _agency(entry: dict[str, Any], path: Path) -> Agency:
    name = entry.get("name")
    kind = entry.get("kind", "bureau")
    levels = entry.get("levels", list(FORM_LEVELS))
    if not isinstance(name, str) or kind not in KINDS or not set(levels) <= set(FORM_LEVELS):
        raise AgencyError(f"{path}：部门「{name}」无效（kind 应为 {sorted(KINDS)}，levels 应为 {list(FORM_LEVELS)}）")
    common = _names(entry.get("aliases"), path)
    forms = {level: str(entry.get(level) or name) for level in levels}
    aliases = {}
    for level in levels:
        own = _names(entry.get(f"{level}_aliases"), path)
        # A county that names it differently (发展和改革局) is still understood by the city's form.
        city_form = (name,) if level == "county" and forms[level] != name else ()
        aliases[level] = own + common + city_form
    return Agency(forms, aliases, kind, entry.get("office"))


def _names(value: Any, path: Path) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise AgencyError(f"{path}：名称列表无效（{value}）")
    return tuple(v.strip() for v in value)

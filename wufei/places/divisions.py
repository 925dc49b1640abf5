"""China's administrative divisions as plain data: find a place by its name, walk up and down.

Provinces, prefecture-level units and counties with their codes come from
`data/divisions-2024.csv` (the Ministry of Civil Affairs' list, see the file's header); the
special areas of the Zero-Waste City lists (雄安新区, 中新天津生态城 …) from
`data/special-areas.yaml`; the characters document numbers begin with from
`data/abbreviations.yaml`. Nothing here touches a database.

A name may stand for several places (two 朝阳区, three 新华区, 29 such names in all): `named`
gives every candidate, `find` narrows them by places named nearby, and `unique_name` is the name
wufei stores a place under (北京市朝阳区 where 朝阳区 alone is not unique).
"""

from __future__ import annotations

import csv
import functools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from wufei.config import parse_yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
DIVISIONS_FILE = DATA_DIR / "divisions-2024.csv"
SPECIAL_FILE = DATA_DIR / "special-areas.yaml"
ABBREVIATIONS_FILE = DATA_DIR / "abbreviations.yaml"

PROVINCE, CITY, COUNTY = "province", "city", "county"
_LEVELS = {
    "省": PROVINCE,
    "自治区": PROVINCE,
    "直辖市": PROVINCE,
    "特别行政区": PROVINCE,
    "地级市": CITY,
    "自治州": CITY,
    "地区": CITY,
    "盟": CITY,
}
# How a place's own units are written: 省生态环境厅, 自治区…, 市…, 州…, 区…, 县…, 旗….
_PREFIXES = {
    "省": "省",
    "自治区": "自治区",
    "直辖市": "市",
    "特别行政区": "",
    "地级市": "市",
    "自治州": "州",
    "地区": "地区",
    "盟": "盟",
    "市辖区": "区",
    "县": "县",
    "自治县": "县",
    "县级市": "市",
    "旗": "旗",
    "自治旗": "旗",
    "特区": "区",
    "林区": "区",
}
# Suffixes a short name drops (广东省 → 广东, 湘西土家族苗族自治州 → 湘西), longest first.
_SUFFIXES = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "林区",
    "特区",
    "省",
    "市",
    "区",
    "县",
    "旗",
    "盟",
)
# The suffixes by their last character, in the order above (3,200 names are shortened at each load).
_SUFFIXES_ENDING: dict[str, tuple[str, ...]] = {
    last: tuple(s for s in _SUFFIXES if s[-1] == last) for last in {s[-1] for s in _SUFFIXES}
}
# Peoples named in autonomous places' names; those of one character only with 族 (西藏 keeps its 藏).
_PEOPLES = [
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
]
_CODE = re.compile(r"\d{6}")
_PEOPLE_END = re.compile(
    "(?:"
    + "|".join(sorted((p + "族" for p in _PEOPLES), key=len, reverse=True))
    + "|"
    + "|".join(sorted((p for p in _PEOPLES if len(p) > 1), key=len, reverse=True))
    + ")$"
)


class DivisionsError(ValueError):
    """A division data file that cannot be used; the message names the file."""


@dataclass(frozen=True)
class Place:
    key: str  # the code, or the name of a special area (which has none)
    name: str  # 南山区
    kind: str  # the division's type as listed (地级市, 市辖区 …), 特殊地区 for a special area
    level: str  # province | city | county
    parent: str | None  # the key of the place it is directly under
    prefix: str  # how its own units are written: 市 (市生态环境局), 省, 自治区, 州, 区, 县, 旗
    short: tuple[str, ...] = ()  # other names documents use: 深圳, 湘西州, 湘西
    special: bool = False
    government: str | None = None  # a special area's governing body (雄安新区管理委员会)
    government_aliases: tuple[str, ...] = ()

    @property
    def code(self) -> str | None:
        return None if self.special else self.key


class Divisions:
    def __init__(self, places: Iterable[Place], abbreviations: dict[str, tuple[str, ...]] | None = None):
        self._places: dict[str, Place] = {}
        self._named: dict[str, list[Place]] = defaultdict(list)  # full name -> places
        self._short: dict[str, list[Place]] = defaultdict(list)  # short name -> places
        self._children: dict[str, list[Place]] = defaultdict(list)
        for place in places:
            if place.key in self._places:
                raise DivisionsError(f"行政区划代码重复：{place.key}")
            self._places[place.key] = place
            self._named[place.name].append(place)
            for short in place.short:
                if short != place.name:
                    self._short[short].append(place)
        for place in self._places.values():
            if place.parent is not None:
                if place.parent not in self._places:
                    raise DivisionsError(f"「{place.name}」的上级「{place.parent}」不在区划表中")
                self._children[place.parent].append(place)
        self._qualified = {self.unique_name(p): p for p in self._places.values()}
        # Names read in running text: full names, and short names of provinces and cities
        # (a county's short name, 和平 or 城, is too often an ordinary word).
        self._text_names: dict[str, list[Place]] = defaultdict(list)
        for name, found in self._named.items():
            self._text_names[name] += found
        for name, found in self._short.items():
            wide = [p for p in found if p.level != COUNTY or p.special]
            if wide and len(name) >= 2:
                self._text_names[name] += wide
        self._lengths: dict[str, list[int]] = defaultdict(list)
        for name in self._text_names:
            self._lengths[name[0]].append(len(name))
        for lengths in self._lengths.values():
            lengths.sort(reverse=True)
        self._abbreviations: dict[str, list[Place]] = defaultdict(list)
        for char, names in (abbreviations or {}).items():
            for name in names:
                self._abbreviations[char] += [p for p in self._named.get(name, []) if p.level != COUNTY]
        for place in self._places.values():
            if place.level == CITY and not place.special:
                self._abbreviations[place.name[0]].append(place)

    @classmethod
    def load(
        cls,
        divisions: Path = DIVISIONS_FILE,
        special: Path | None = SPECIAL_FILE,
        abbreviations: Path | None = ABBREVIATIONS_FILE,
    ) -> Divisions:
        places = _read_divisions(divisions)
        if special is not None:
            places += _read_special(special, places)
        return cls(places, _read_abbreviations(abbreviations) if abbreviations is not None else None)

    # --- one place ------------------------------------------------------------------------

    def get(self, key: str) -> Place:
        return self._places[key]

    def parent(self, place: Place) -> Place | None:
        return self._places[place.parent] if place.parent is not None else None

    def chain(self, place: Place) -> list[Place]:
        """The place and the places above it, nearest first: 南山区, 深圳市, 广东省."""
        chain = [place]
        while (parent := self.parent(chain[-1])) is not None:
            chain.append(parent)
        return chain

    def children(self, place: Place, *, special: bool = False) -> list[Place]:
        """The places directly under `place`, in code order; special areas only when asked."""
        return [p for p in self._children.get(place.key, []) if special or not p.special]

    def unique_name(self, place: Place) -> str:
        """The place's name, with its parent's in front where the name alone is not unique (北京市朝阳区)."""
        if len(self._named[place.name]) == 1 or place.parent is None:
            return place.name
        return self._places[place.parent].name + place.name

    # --- finding places by name -----------------------------------------------------------

    def named(self, name: str) -> tuple[Place, ...]:
        """Every place a name may stand for: its full name, its unique name (北京市朝阳区), else a
        short name (河北 is 河北省 before 天津's 河北区: a short name means a county last)."""
        name = re.sub(r"\s+", "", name)
        if name in self._qualified and name not in self._named:
            return (self._qualified[name],)
        if name in self._named:
            return tuple(self._named[name])
        short = self._short.get(name, [])
        return tuple([p for p in short if p.level != COUNTY] or short)

    def find(self, name: str, *, near: Iterable[Place | str] = ()) -> Place | None:
        """The one place `name` stands for, among its namesakes the one under (or being) a place
        named in `near`; None when there is none, or still more than one."""
        candidates = self.named(name)
        if len(candidates) > 1:
            candidates = self.narrow(candidates, near)
        return candidates[0] if len(candidates) == 1 else None

    def narrow(self, candidates: Iterable[Place], near: Iterable[Place | str]) -> tuple[Place, ...]:
        """The candidates under (or being) one of the places in `near` (places, or names of them)."""
        around: set[str] = set()
        for item in near:
            around |= {item.key} if isinstance(item, Place) else {p.key for p in self.named(item)}
        return tuple(c for c in candidates if any(p.key in around for p in self.chain(c)))

    def match_at(self, text: str, start: int = 0) -> tuple[str, tuple[Place, ...]] | None:
        """The longest place name written at `start` of `text` (full names; short names of
        provinces and cities), with the places it may stand for."""
        if start >= len(text):
            return None
        for length in self._lengths.get(text[start], ()):
            written = text[start : start + length]
            if written in self._text_names:
                return written, tuple(self._text_names[written])
        return None

    def mentions(self, text: str) -> dict[str, int]:
        """How often each place key is named in `text` (full names; short names of provinces and
        cities); a name standing for several places counts for each. Two-character names (景县,
        城区) are left out: in running text they are as often part of other words (建成县域)."""
        counts: dict[str, int] = defaultdict(int)
        position = 0
        while position < len(text):
            match = self.match_at(text, position)
            if match is None or (len(match[0]) == 2 and match[0] in self._named):
                position += 1
                continue
            written, places = match
            position += len(written)
            if not written.endswith(_LEVEL_ENDS) and _STREET.match(text, position):
                continue  # 衡阳路, 南京东路: a street named after a place's short name, no mention of it
            for place in places:
                counts[place.key] += 1
        return counts

    def abbreviated(self, char: str) -> tuple[Place, ...]:
        """The provinces and prefecture-level cities a document number's first character may stand for."""
        return tuple(dict.fromkeys(self._abbreviations.get(char, ())))

    def __iter__(self):
        return iter(self._places.values())

    def __len__(self) -> int:
        return len(self._places)


# What follows a place's name when it names a street: 路, 街, 大道, 巷, or a direction then 路 (南京东路); not a word
# 路 or 街 opens (深圳路径, 重庆路网, 湖南路桥集团, 上海路演, 成都街区: the place named).
_STREET = re.compile(r"[东西南北中]?(?:路(?![径线网桥灯演况政基费子标])|大街|街(?![道区头景])|大道|巷)")
_LEVEL_ENDS = ("省", "市", "县", "区", "州", "旗", "盟")


@functools.cache
def divisions() -> Divisions:
    """The shipped data, read once."""
    return Divisions.load()


# --- reading the files ------------------------------------------------------------------------


def _read_divisions(path: Path) -> list[Place]:
    try:
        numbered = [(n, line) for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)]
    except OSError as error:
        raise DivisionsError(f"{path}：无法读取区划表（{error}）") from None
    data = [(n, line) for n, line in numbered if line.strip() and not line.startswith("#")]
    places = []
    # csv.reader, not DictReader: the table has 3,200 rows and is read on every command that names a place.
    rows = csv.reader(line for _, line in data)
    header = [h.strip() for h in next(rows, [])]
    columns = [header.index(k) if k in header else None for k in ("code", "name", "type", "parent")]
    for (number, _), cells in zip(data[1:], rows):
        code, name, kind, parent = (cells[i].strip() if i is not None and i < len(cells) else "" for i in columns)
        if not _CODE.fullmatch(code) or not name or kind not in _PREFIXES:
            row = dict(zip(header, cells))
            raise DivisionsError(f"{path} 第{number}行：区划记录无效（{row}）")
        places.append(
            Place(
                key=code,
                name=name,
                kind=kind,
                level=_LEVELS.get(kind, COUNTY),
                parent=parent or None,
                prefix=_PREFIXES[kind],
                short=short_names(name, kind),
            )
        )
    return places


def _read_special(path: Path, divisions: list[Place]) -> list[Place]:
    try:
        data = parse_yaml(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise DivisionsError(f"{path}：无法读取特殊地区表（{error}）") from None
    by_name: dict[str, list[Place]] = defaultdict(list)
    for place in divisions:
        by_name[place.name].append(place)
    places = []
    for entry in data.get("areas") or []:
        name, parent = entry.get("name"), str(entry.get("parent", ""))
        parents = [p for p in divisions if p.key == parent] or by_name.get(parent, [])
        if not name or len(parents) != 1 or entry.get("level") not in (CITY, COUNTY) or name in by_name:
            raise DivisionsError(f"{path}：特殊地区「{name}」无效（上级须为唯一的区划，level 为 city 或 county）")
        government = entry.get("government") or {}
        places.append(
            Place(
                key=name,
                name=name,
                kind="特殊地区",
                level=entry["level"],
                parent=parents[0].key,
                prefix=str(entry.get("prefix") or ""),
                short=tuple(entry.get("short") or ()),
                special=True,
                government=government.get("name"),
                government_aliases=tuple(government.get("aliases") or ()),
            )
        )
    return places


def _read_abbreviations(path: Path) -> dict[str, tuple[str, ...]]:
    try:
        data = parse_yaml(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise DivisionsError(f"{path}：无法读取简称表（{error}）") from None
    table: dict[str, tuple[str, ...]] = defaultdict(tuple)
    for char, name in (data.get("provinces") or {}).items():
        table[char] += (name,)
    for char, names in (data.get("cities") or {}).items():
        table[char] += tuple(names)
    return dict(table)


def short_names(name: str, kind: str) -> tuple[str, ...]:
    """广东省 → 广东; 湘西土家族苗族自治州 → 湘西州, 湘西; 昌江黎族自治县 → 昌江县, 昌江; 景县 → (none)."""
    candidates = _SUFFIXES_ENDING.get(name[-1:], ())
    stem = next((name[: -len(s)] for s in candidates if name.endswith(s) and len(name) > len(s)), name)
    while kind.startswith("自治") and (people := _PEOPLE_END.search(stem)) and len(stem) - len(people.group()) >= 2:
        stem = stem[: people.start()]
    found = []
    if kind in ("自治州", "自治县", "自治旗"):
        found.append(stem + kind[-1])  # 湘西州, 昌江县
    if len(stem) >= 2 and stem != name:
        found.append(stem)
    return tuple(dict.fromkeys(found))

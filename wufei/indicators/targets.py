"""Indicator targets (目标值) and baselines (现状值) as printed, turned into values and a direction.

A target is NUMERIC (`100`, `≥30`, `>99`, `17以上`, `62.2%~74.0%`, `稳定在95%以上`, `保持100%`,
`60%左右`, `≥95%（省级）`), QUALITATIVE (`逐年提高`,
`完成省定任务`, `生态保护红线面积不减少` …) or NONE (`/`, `——`, empty).

`direction` is the direction of good change, so a report can tell better from worse:
1. a comparator decides (`≥`/`>` up, `≤`/`<` down);
2. else a qualitative target that implies one (`逐年降低` down, `不减少` hold, `全部消除` down);
3. else the indicator name. Names measuring a *decrease* (`…下降幅度`, `降低幅度`, `累计下降`,
   `减排量`, `压采量`) go UP even when they name something that should fall (`填埋处置量下降幅度`):
   the value tracked is the size of the cut, and a bigger cut is better. Only then do names of
   things that should fall (`产生强度`, `产生量`, `填埋`, `排放强度`, `浓度`, `清运量` …) go DOWN,
   and rates and counts (`利用率`, `覆盖率`, `占比`, `数量` …) go UP.
A bare number has no comparator: it is a level to reach in the indicator's direction.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from wufei.importers.text.normalize import normalize_cell


class TargetKind(StrEnum):
    NUMERIC = "numeric"
    QUALITATIVE = "qualitative"
    NONE = "none"


class QualitativeKind(StrEnum):
    INCREASE_YEARLY = "increase_yearly"  # 逐年递增 / 逐年提高 / 逐年增长
    DECREASE_YEARLY = "decrease_yearly"  # 逐年降低 / 逐年下降
    PEAK_BY_YEAR = "peak_by_year"  # 2025年达到峰值 (Target.year keeps the year)
    COMPLETE_ASSIGNED = "complete_assigned"  # 完成省定任务 / 完成市定目标 / 达到国家要求
    BASICALLY_COMPLETE = "basically_complete"  # 基本完善 / 基本建立
    GRADUAL = "gradual"  # 逐步推进 / 逐步完善 / 制度体系逐步完善
    ESTABLISH = "establish"  # 建立协调机构，明确工作机制
    NO_DECREASE = "no_decrease"  # 生态保护红线面积不减少 / 不降低
    ELIMINATE = "eliminate"  # 全部消除


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"
    HOLD = "hold"  # keep at least the present level
    NONE = "none"


class TargetError(ValueError):
    """A target that looks numeric but is malformed; the message quotes the raw text."""


@dataclass(frozen=True)
class Target:
    kind: TargetKind
    comparator: str | None  # >=, >, <=, <, =
    value: Decimal | None
    value_high: Decimal | None  # upper end of a range: 62.2%~74.0%
    qualitative: QualitativeKind | None  # None on a QUALITATIVE target means text not recognised
    direction: Direction
    raw: str | None
    year: int | None = None  # a year written in the target itself: 2025年达到峰值


@dataclass(frozen=True)
class Baseline:
    value: Decimal | None
    text: str | None  # a baseline that is not a number, kept as written
    year: int | None
    raw: str | None
    note: str | None = None  # another parenthesis, e.g. a unit: 0.8（kg/亩）


# --- normalisation ------------------------------------------------------------------------

_EMPTY = re.compile(r"^[/／\\—–\-－_一]*$|^(?:无|暂无)$")
_NUMBER = r"-?\d+(?:\.\d+)?"
_FOOTNOTE = re.compile(r"[*＊※†]+$")


def _compact(raw: str) -> str:
    # NFKC folds full-width digits, ＞ and ％; spaces never matter inside a target.
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw))


def _decimal(text: str, raw: str | None) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise TargetError(f"无法识别的数值：「{raw}」") from None


# --- targets ------------------------------------------------------------------------------

_PREFIX_COMPARATORS: list[tuple[str, str]] = [
    (">=", ">="),
    ("≥", ">="),
    ("≧", ">="),
    ("不低于", ">="),
    ("不少于", ">="),
    ("不小于", ">="),
    ("<=", "<="),
    ("≤", "<="),
    ("≦", "<="),
    ("不高于", "<="),
    ("不超过", "<="),
    ("不大于", "<="),
    (">", ">"),
    ("大于", ">"),
    ("高于", ">"),
    ("超过", ">"),
    ("<", "<"),
    ("小于", "<"),
    ("低于", "<"),
    ("=", "="),
]
_SUFFIX_COMPARATORS: list[tuple[str, str]] = [
    ("及以上", ">="),
    ("以上", ">="),
    ("及以下", "<="),
    ("以下", "<="),
    ("以内", "<="),
]
_RANGE = re.compile(rf"^(?P<low>{_NUMBER})%?(?:~|～|—+|–|-|至|到)(?P<high>{_NUMBER})%?$")
_YEAR_SUFFIX = re.compile(r"\((?P<year>\d{4})年?\)$")
_LEVEL_WORDS = re.compile(r"^(?:力争|确保|争取)?(?:稳定在|保持在?|维持在?|达到|提高到|提升到|控制在)?")
_NOTE_SUFFIX = re.compile(r"(?<=[\d%])\([^()\d]*\)$")

_QUALITATIVE: list[tuple[re.Pattern[str], QualitativeKind]] = [
    (re.compile(r"(?P<year>\d{4})年(?:前|底前)?(?:达到|实现)?(?:峰值|达峰)"), QualitativeKind.PEAK_BY_YEAR),
    (re.compile(r"(?:完成|达到|满足)(?:国家|省|市|上级)(?:定|下达|要求|规定)"), QualitativeKind.COMPLETE_ASSIGNED),
    (re.compile(r"逐年(?:递增|提高|增长|增加|提升|上升)"), QualitativeKind.INCREASE_YEARLY),
    (re.compile(r"逐年(?:降低|下降|减少|递减)"), QualitativeKind.DECREASE_YEARLY),
    (re.compile(r"不(?:减少|降低|下降)"), QualitativeKind.NO_DECREASE),
    (re.compile(r"(?:全部|全面)?(?:消除|清零)"), QualitativeKind.ELIMINATE),
    (re.compile(r"基本(?:完善|建立|建成|形成|实现)"), QualitativeKind.BASICALLY_COMPLETE),
    (re.compile(r"逐步(?:推进|完善|建立|提高|健全)?"), QualitativeKind.GRADUAL),
    (re.compile(r"^(?:建立|建成|成立|设立)"), QualitativeKind.ESTABLISH),
]

_QUALITATIVE_DIRECTION = {
    QualitativeKind.INCREASE_YEARLY: Direction.UP,
    QualitativeKind.DECREASE_YEARLY: Direction.DOWN,
    QualitativeKind.PEAK_BY_YEAR: Direction.DOWN,  # once at its peak, the quantity must not grow
    QualitativeKind.NO_DECREASE: Direction.HOLD,
    QualitativeKind.ELIMINATE: Direction.DOWN,
}

# Checked in this order; see the module docstring for why decreases come first.
_NAME_DIRECTIONS: list[tuple[tuple[str, ...], Direction]] = [
    (("下降幅度", "降低幅度", "降幅", "累计下降", "减排量", "压采量"), Direction.UP),
    (
        ("产生强度", "产生量", "填埋", "排放强度", "浓度", "贮存处置量", "清运量", "施用量", "黑臭", "V类"),
        Direction.DOWN,
    ),
    (
        (
            "利用率",
            "覆盖率",
            "占比",
            "比例",
            "比率",
            "处置率",
            "处理率",
            "回收率",
            "使用率",
            "合格率",
            "办结率",
            "立案率",
            "建成率",
            "完成率",
            "增长率",
            "普及率",
            "参与程度",
            "满意",
            "数量",
            "优良天数",
            "余额",
            "存量",
            "总额",
        ),
        Direction.UP,
    ),
]


def parse_target(raw: str | None, *, name: str | None = None) -> Target:
    """Parse a printed target; `name` (the indicator) decides the direction when the target does not."""
    text = _compact(raw) if raw is not None else ""
    if _EMPTY.match(text):
        return Target(TargetKind.NONE, None, None, None, None, direction_from_name(name), raw)

    number = _numeric(text, raw)
    if number is not None:
        comparator, value, high, year = number
        return Target(TargetKind.NUMERIC, comparator, value, high, None, _direction(comparator, None, name), raw, year)

    kind, year = _qualitative(text)
    return Target(TargetKind.QUALITATIVE, None, None, None, kind, _direction(None, kind, name), raw, year)


def direction_from_name(name: str | None) -> Direction:
    """The direction of good change implied by an indicator's name alone."""
    if not name:
        return Direction.NONE
    text = _compact(name)
    for words, direction in _NAME_DIRECTIONS:
        if any(word in text for word in words):
            return direction
    return Direction.NONE


def _direction(comparator: str | None, kind: QualitativeKind | None, name: str | None) -> Direction:
    if comparator in (">=", ">"):
        return Direction.UP
    if comparator in ("<=", "<"):
        return Direction.DOWN
    if kind in _QUALITATIVE_DIRECTION:
        return _QUALITATIVE_DIRECTION[kind]
    return direction_from_name(name)


def _numeric(text: str, raw: str | None) -> tuple[str | None, Decimal, Decimal | None, int | None] | None:
    """(comparator, value, value_high, year) when the target is a number, else None."""
    year = None
    if match := _YEAR_SUFFIX.search(text):
        year = int(match["year"])
        text = text[: match.start()]
    text = _FOOTNOTE.sub("", text)
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]  # [ ] marks a five-year cumulative figure in 十四五 tables
    text = _LEVEL_WORDS.sub("", text)  # 稳定在95%以上 / 保持100% / 力争达到60%: the level is the number
    text = _NOTE_SUFFIX.sub("", text)  # ≥95%(省级): a note, kept in the raw text
    text = text.removesuffix("左右")  # 60%左右: about 60, a level to reach

    if match := _RANGE.match(text):
        low, high = _decimal(match["low"], raw), _decimal(match["high"], raw)
        if low > high:
            raise TargetError(f"目标值区间上下限颠倒：「{raw}」")
        return None, low, high, year

    comparator = None
    for word, symbol in _PREFIX_COMPARATORS:
        if text.startswith(word):
            comparator, text = symbol, text[len(word) :]
            break
    for word, symbol in _SUFFIX_COMPARATORS:
        if text.endswith(word):
            if comparator is not None and comparator != symbol:
                raise TargetError(f"目标值的比较符号矛盾：「{raw}」")
            comparator, text = symbol, text[: -len(word)]
            break
    text = text.removesuffix("%")
    if re.fullmatch(_NUMBER, text):
        return comparator, _decimal(text, raw), None, year
    if comparator is not None and not re.search(r"[\u4e00-\u9fff]", text):
        raise TargetError(f"无法识别的目标值：「{raw}」")
    return None


def _qualitative(text: str) -> tuple[QualitativeKind | None, int | None]:
    for pattern, kind in _QUALITATIVE:
        if match := pattern.search(text):
            year = int(match["year"]) if "year" in pattern.groupindex else None
            return kind, year
    return None, None


# --- baselines ----------------------------------------------------------------------------

_PARENS = re.compile(r"\((?P<inner>[^()]*)\)")
_YEAR_ONLY = re.compile(r"^(?P<year>\d{4})年?$")


def parse_baseline(raw: str | None, *, default_year: int | None) -> Baseline:
    """Parse a printed baseline: `15（2021年）`, `0.8（kg/亩）`, `/`, or text kept as text."""
    text = _compact(raw) if raw is not None else ""
    if _EMPTY.match(text):
        return Baseline(None, None, default_year, raw)

    year, notes = default_year, []
    for match in _PARENS.finditer(text):
        inner = match["inner"]
        if found := _YEAR_ONLY.match(inner):
            year = int(found["year"])
        else:
            notes.append(inner)
    bare = _FOOTNOTE.sub("", _PARENS.sub("", text)).removesuffix("%")
    note = "；".join(notes) or None

    if re.fullmatch(_NUMBER, bare):
        return Baseline(Decimal(bare), None, year, raw, note)
    return Baseline(None, normalize_cell(raw), year, raw)

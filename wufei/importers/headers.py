"""Which column of a published table holds what, from the header words (`headers.yaml`).

Tables are found and read by meaning, not by the seeds' words: a header row is a row most of
whose cells are known header words, and each column gets a role (task name, lead, supporting,
deadline, baseline, target …). Words that mean different things by context (责任单位) are
resolved against the rest of the header. A year written in a header cell is set aside
(`2025年目标值` is a target column of 2025; `header_year` gives the year); a cell that is only a
year (`2020年`) has the role `year`, which the table reader resolves (baseline or target).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from wufei.config import parse_yaml
from wufei.importers.text.normalize import fold_punct, normalize_cell

VOCABULARY = Path(__file__).resolve().parent / "headers.yaml"

YEAR = "year"  # the role of a column headed by a year alone
OWNERS_DEADLINE = "owners_deadline"  # 责任单位及完成时限: owners and the deadline in one cell
_JOINED = re.compile(r"及|和|与|、|/|／")

_BRACKETED = re.compile(r"（[^）]*）")
_YEAR_IN_KEY = re.compile(r"^(?P<before>.*?)(?P<year>(?:19|20)\d{2})年?(?:度|底|末)?(?P<after>.*)$")
_YEAR_IN_TEXT = re.compile(r"((?:19|20)\d{2})\s*年?")
_SUFFIX_MIN = 3  # shorter words (单位, 指标, 目标) end too many unrelated headers
# The level of government a column's owners belong to, written before the word: 市级牵头, 县级责任.
_LEVEL = re.compile(r"^(?:省|市|州|盟|县|区|旗|乡|镇|村|县区|县市区|市县)级")


def header_key(text: str) -> str:
    """A header cell reduced to its words: no spaces, no bracketed part, full-width punctuation."""
    text = fold_punct(normalize_cell(text) or "")
    text = _BRACKETED.sub("", text)
    return re.sub(r"[\s*＊★※△]+", "", text)


def header_year(text: str | None) -> int | None:
    """The year written in a header cell, bracketed or not: 现状值（2020年）, 2025年目标 → 2020, 2025."""
    match = _YEAR_IN_TEXT.search(fold_punct(normalize_cell(text) or ""))
    return int(match.group(1)) if match else None


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    data = parse_yaml(VOCABULARY.read_text(encoding="utf-8"))
    words: dict[str, str] = {}
    for role, names in data["roles"].items():
        for name in names:
            words.setdefault(header_key(name), role)
    context = {header_key(word): dict(rule) for word, rule in (data.get("context") or {}).items()}
    return words, context


@lru_cache(maxsize=4096)
def _word(key: str) -> str | None:
    """The vocabulary word a key stands for: itself, without its year, or the longest word it ends with."""
    words, context = _vocabulary()
    if key in words or key in context:
        return key
    year = _YEAR_IN_KEY.match(key)
    if year:
        rest = year["before"] + year["after"]
        if not rest:
            return YEAR
        if rest in words or rest in context:
            return rest
        key = rest
    level = _LEVEL.match(key)
    if level and (key[level.end() :] in words or key[level.end() :] in context):
        return key[level.end() :]
    for start in range(len(key) - _SUFFIX_MIN + 1):  # the longest ending first
        if key[start:] in words or key[start:] in context:
            return key[start:]
    return None


def _exact(key: str) -> str | None:
    words, context = _vocabulary()
    return key if key in words or key in context else None


def is_known_word(text: str | None) -> bool:
    """Whether a header cell is a vocabulary word as it stands (a bracketed year aside), not merely
    one that ends with a word: 牵头单位 and 目标值（2025年） are, 序号一级指标 is not."""
    return bool(text) and _exact(header_key(text or "")) is not None


def column_role(text: str | None, *, strict: bool = False) -> str | None:
    """The role of one header cell on its own (context words resolved as if alone), or None."""
    if not text:
        return None
    return column_roles([text], strict=strict)[0]


def column_roles(header: list[str], *, strict: bool = False) -> list[str | None]:
    """The role of every column of a header, context words resolved against the others.

    `strict` knows only whole vocabulary words: finding a header in free text (lines copied from a
    browser) needs that, since a line of body text may well end like a header word; reading a header
    already found may take a word by its ending (主要工作任务) or beside its year (2025年目标)."""
    words, context = _vocabulary()
    match = _exact if strict else _word
    found = [match(header_key(text)) if text else None for text in header]
    plain = [YEAR if word == YEAR else words.get(word) if word else None for word in found]
    roles: list[str | None] = []
    for text, word, role in zip(header, found, plain):
        if not strict and text and _owners_and_deadline(header_key(text)):
            roles.append(OWNERS_DEADLINE)
            continue
        rule = context.get(word) if word else None
        if rule is None:
            roles.append(role)
            continue
        beside = [value for key, value in rule.items() if key.startswith("beside_") and key[7:] in plain]
        roles.append(beside[0] if beside else rule.get("alone"))
    return roles


def _owners_and_deadline(key: str) -> bool:
    """责任单位及完成时限 / 牵头单位和时间节点: one column naming both who and by when."""
    parts = [part for part in _JOINED.split(key) if part]
    if len(parts) != 2:
        return False
    roles = {_alone(part) for part in parts}
    return "deadline" in roles and bool(roles & {"lead", "owners", "supporting"})


def _alone(key: str) -> str | None:
    words, context = _vocabulary()
    word = _word(key)
    if word is None or word == YEAR:
        return None
    return words.get(word) or (context.get(word) or {}).get("alone")


def is_header_row(cells: Sequence[str | None], *, minimum: int = 2, strict: bool = False) -> bool:
    """Whether a row reads as a table header: at least `minimum` known header words, and most
    of its non-empty cells known. A year alone counts only beside a word (data rows hold years)."""
    texts = [c for c in cells if c and c.strip()]
    if len(texts) < minimum:
        return False
    roles = [role for role in column_roles(texts, strict=strict) if role is not None]
    if not any(role != YEAR for role in roles):
        return False
    return len(roles) >= minimum and len(roles) * 2 > len(texts)

"""What a table column holds, read from its cells: for columns whose header nobody understood.

Publishers head their columns with words of their own (试点任务, 细化措施, 绩效参考值, 承办处室), but
what a column holds shows in its cells whatever its header says: numbers running 1, 2, 3 (序号),
short lists of units (…局、…委、…政府: owners), dates and periods (完成期限), figures with a
comparator or a unit (targets), long sentences (the tasks). `profile` measures that share for one
column; the table reader gives a role to each column it could not name by its header, and says so
(a doubt) so a person can check the reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wufei.departments.owners import lists_units
from wufei.importers.text.normalize import normalize_cell
from wufei.tasks.deadlines import NOTE_RELATIVE, DeadlineError, parse_deadline

SHARE = 0.6  # a column is of a kind when this share of its filled cells is
NUMBER_SHARE = 0.8  # numbers must be nearly all: a text column holds the odd number too
TEXT_MIN = 6  # characters on average: a column of task texts, not of labels

_NUMBER = re.compile(r"^(?:\d{1,3}(?:[.．\-—]\d{1,3})*|[（(]?[一二三四五六七八九十]+[）)]?)[、.．]?$")
_DEADLINE_WORDS = re.compile(
    r"\d{4}|年底|年内|年中|季度|月底|半年|持续|长期|常态|每年|逐年|每季|每月|年度|个月|日内|天内"
)
_DEADLINE_MAX = 20
# What deadlines are written with; a deadline leaves a few other characters at most (需, 确保).
_DEADLINE_CHARS = re.compile(
    r"[\d\s年月日号底前末内初中旬季度上下半第一二三四五六七八九十〇零至到起止\-—~～，、,及以之后个天周"
    r"完成持续推进长期坚持常态化每逐步开展实施按]"
)
_DEADLINE_OTHER_MAX = 3
_BARE_DEADLINE_OTHER_MAX = 1  # 全年's 全
_VALUE = re.compile(
    r"^(?:[≥≤><＞＜≧≦±]|不[低高少多超]于|大于|小于|达到|约)?\s*[-+]?\d+(?:[.,，]\d+)*\s*[%‰％]?"
    r"\s*[\u4e00-\u9fff/／a-zA-Z²³·\s]{0,10}$"
)
_EMPTY = {"/", "—", "-", "——", "无", "／", "－"}


@dataclass(frozen=True)
class ColumnContent:
    """Shares of a column's filled cells that read as each kind, and the shape of its text."""

    filled: int
    numbers: float
    deadlines: float
    owners: float
    values: float
    mean_length: float
    distinct: float  # distinct texts / filled cells: a cell spanning rows repeats (below 1)

    @property
    def is_text(self) -> bool:
        return (
            self.filled > 0 and self.mean_length >= TEXT_MIN and max(self.deadlines, self.owners, self.values) < SHARE
        )


def profile(cells: list[str | None]) -> ColumnContent:
    texts = [text for cell in cells if (text := normalize_cell(cell)) and text not in _EMPTY]
    if not texts:
        return ColumnContent(0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    count = len(texts)

    def share(test) -> float:
        return sum(1 for text in texts if test(text)) / count

    return ColumnContent(
        filled=count,
        numbers=share(looks_like_number),
        deadlines=share(looks_like_deadline),
        owners=share(lists_units),
        values=share(looks_like_value),
        mean_length=sum(len(text) for text in texts) / count,
        distinct=len(set(texts)) / count,
    )


def looks_like_number(text: str) -> bool:
    """A printed item number: 1, 3.2, 10-1, （一）, 二、"""
    return bool(_NUMBER.match(text.strip()))


def looks_like_deadline(text: str) -> bool:
    """A short text that reads as a deadline and little else: 2020, 2023年底前完成, 二季度, 持续推进,
    省出台文件后2个月 (not 长期护理保险制度, which only holds a deadline's word)."""
    if len(text) > _DEADLINE_MAX or "。" in text or not _DEADLINE_WORDS.search(text):
        return False
    try:
        deadline = parse_deadline(text, plan_start=2000, plan_end=2000)
    except DeadlineError:
        return False
    return deadline.note == NOTE_RELATIVE or len(_DEADLINE_CHARS.sub("", text)) <= _DEADLINE_OTHER_MAX


def is_bare_deadline(text: str) -> bool:
    """A deadline and nothing else, as a copy runs one on after an owner verb (…负责全年 / 年内 / 3月 /
    2024年底前完成); not a task's words that open with one (全年统筹调度)."""
    if not text or len(text) > _DEADLINE_MAX or len(_DEADLINE_CHARS.sub("", text)) > _BARE_DEADLINE_OTHER_MAX:
        return False
    if _DEADLINE_WORDS.search(text):
        return True
    try:
        parse_deadline(text, plan_start=2000, plan_end=2000)
    except DeadlineError:
        return False
    return True


def looks_like_value(text: str) -> bool:
    """A figure as indicator tables print them: 100, ≥50%, ≤0.35吨标准煤/万元, 2.5万吨."""
    return bool(_VALUE.match(text.strip())) and any(ch.isdigit() for ch in text)

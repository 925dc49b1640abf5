"""Projects named in one sentence that announces how many they are: each name a record awaiting its owners.

A news item on a county's 民生实事 may name them in one sentence after announcing their number (2026年若羌县十大民生
实事项目为：A、B、…、J。). When the names parted by 、 up to the sentence's full stop are exactly as many as it
announces, three at least, each is a record titled by its name. A count the names do not match (共收集意见建议110条,
项目包括：道路、桥梁等) announces no such list.
"""

from __future__ import annotations

import re

from wufei.importers.records import ListKind, TaskRecord
from wufei.importers.text.paragraphs import REPORTED_SPEECH, chinese_numeral

# 十大民生实事项目为： / 八件民生实事项目是： / 10项重点工程包括：
_ANNOUNCING = re.compile(
    r"(?P<count>[一二三四五六七八九十两]{1,3}|\d{1,2})\s*(?:大|件|项|个)[^：:。；]{0,16}(?:项目|实事|工程|任务)"
    r"[^：:。；]{0,4}?(?:为|是|包括|分别是|分别为)\s*[：:]\s*(?P<names>[^。；]+)。"
)
_SENTENCE = re.compile(r"[^。；]*[。；]?")
_NAME_MAX = 40
MIN_NAMES = 3


def announced_items(lines: list[str]) -> list[TaskRecord]:
    """The names of the first sentence that lists as many as it announces, as records (index 0 of `lines` is
    line 1); [] when no sentence does."""
    for k, line in enumerate(lines):
        # Sentence by sentence, only those closed by a full stop: the pattern's names then end at the sentence's
        # end, and no announcing phrase scans the rest of a long line for a 。 that never comes (linear time).
        for sentence in _SENTENCE.findall(line):
            if not sentence.endswith("。") or (match := _ANNOUNCING.search(sentence)) is None:
                continue
            if REPORTED_SPEECH.search(sentence[: match.start()]):
                continue  # 会议指出，…十大民生实事项目为：…: what a meeting said, no list the document makes
            count = _count(match["count"])
            names = [name.strip() for name in _split(match["names"])]
            if count is None or count < MIN_NAMES or len(names) != count:
                continue
            if any(not name or len(name) > _NAME_MAX for name in names):
                continue
            return [
                TaskRecord(list_kind=ListKind.MAIN, number=str(n), title=name, line=k + 1)
                for n, name in enumerate(names, start=1)
            ]
    return []


def _count(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    return chinese_numeral(text.replace("两", "二"))


def _split(text: str) -> list[str]:
    """The names parted by 、 outside brackets and quotes (巴州若羌县中学（高中部）3#宿舍楼建设项目 is one)."""
    names, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char in "（(“《":
            depth += 1
        elif char in "）)”》":
            depth = max(depth - 1, 0)
        elif char == "、" and depth == 0:
            names.append(text[start:index])
            start = index + 1
    names.append(text[start:])
    return names

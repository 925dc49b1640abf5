"""Sections each over the same numbered labelled lines: one record a section, titled by its heading.

A report on a township's projects prints one section per project, its heading naming it
(一、关于《全乡域单村供水站提升项目》进展情况), over numbered lines each printing a label and its value
(（一）责任领导：范伟建 / （二）年度目标：…计划于2024年8月完工。 / （三）完成情况：…). Each section is one record:
`section_blocks` turns the sections into a table whose first column is the heading (the project named in 《》 when
the heading reports on it: 关于《X》进展情况) and whose other columns are the labels, read by the table reader as a
form's rows are. Every label must be a word of the header vocabulary, the first section's labels the ones every
later section prints in that order (the last may stop short where a copy was cut), two sections at least, and the
labels must say who answers for the work or by when (a 责任领导 names who answers; a plan's outline, 一、工作目标 /
（一）总体目标：…, names nobody).
"""

from __future__ import annotations

import re

from wufei.importers.document import CELLS, Row, Table
from wufei.importers.headers import column_role
from wufei.importers.text.normalize import normalize_cell

_HEADING = re.compile(r"^\s*[一二三四五六七八九十]+\s*、\s*(?P<text>\S.*)$")
_LABELLED = re.compile(
    r"^\s*[（(][一二三四五六七八九十]+[）)]\s*(?P<label>[\u4e00-\u9fff]{2,8})\s*[：:]\s*(?P<value>.*)$"
)
# 关于《全乡域单村供水站提升项目》进展情况 / 《X》实施情况: the heading reports on the project it names.
_REPORTED = re.compile(r"^(?:关于)?《(?P<name>[^《》]+)》[^《》]{0,8}情况[。：:]?$")
_WHO_OR_WHEN = {"lead", "owners", "supporting", "entity", "deadline", "leader"}
MIN_SECTIONS = 2
MIN_LABELS = 2
TITLE_COLUMN = "项目名称"
_MID_SENTENCE = ("，", ",", "、", "：", ":")


def section_blocks(lines: list[str]) -> Table | None:
    """The sections as a table, one row a section (index 0 of `lines` is line 1), or None."""
    sections: list[tuple[int, str, list[tuple[str, str]]]] = []  # heading line index, title, (label, value)s
    last = 0
    for k, line in enumerate(lines):
        if not line.strip():
            continue
        if (heading := _HEADING.match(line)) is not None and _labelled(lines, k + 1):
            sections.append((k, _title(heading["text"]), []))
            last = k
            continue
        labelled = _LABELLED.match(line)
        if sections and labelled is not None and column_role(labelled["label"], strict=True) is not None:
            sections[-1][2].append((labelled["label"], labelled["value"].strip()))
            last = k
            continue
        pairs = sections[-1][2] if sections else []
        if pairs and pairs[-1][1].endswith(_MID_SENTENCE):
            # （三）完成情况：已完成6公里， / 剩余4公里…: a value cut mid-sentence goes on in the next line
            pairs[-1] = (pairs[-1][0], pairs[-1][1] + line.strip())
            last = k
            continue
        if sections:
            break  # the first line that is neither (nor a value's wrapped end) ends the sections
    if len(sections) < MIN_SECTIONS:
        return None
    labels = [label for label, _ in sections[0][2]]
    roles = {column_role(label, strict=True) for label in labels}
    if len(labels) < MIN_LABELS or not roles & _WHO_OR_WHEN:
        return None
    if any([label for label, _ in pairs] != labels[: len(pairs)] for _, _, pairs in sections):
        return None  # a later section with other labels, or the same in another order: no list of one kind
    rows = []
    for k, title, pairs in sections:
        raw = [title, *(value or None for _, value in pairs), *([None] * (len(labels) - len(pairs)))]
        rows.append(Row(cells=[normalize_cell(cell) for cell in raw], line=k + 1, raw=raw))
    header = [TITLE_COLUMN, *labels]
    return Table(header=header, rows=rows, caption=[], start_line=sections[0][0] + 1, end_line=last + 1, layout=CELLS)


def _labelled(lines: list[str], k: int) -> bool:
    """Whether the next non-blank line after a heading (line index k on) prints a known label and its value."""
    following = next((lines[j] for j in range(k, len(lines)) if lines[j].strip()), "")  # no copy: linear
    match = _LABELLED.match(following)
    return match is not None and column_role(match["label"], strict=True) is not None


def _title(heading: str) -> str:
    text = heading.strip()
    if (reported := _REPORTED.match(text)) is not None:
        return reported["name"].strip()
    return text.rstrip("。：: ")

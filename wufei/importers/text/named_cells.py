"""A naming notice's 无废细胞 listed by name under their categories (一、“无废机关”7个: / 1. 某区建设局 / …): each
category heading gives that category's count; the names under it are the cells it counts, no tasks."""

from __future__ import annotations

import re

from wufei.importers.records import CellRecord
from wufei.importers.text.normalize import fold_punct

# 一、“无废机关”7个: / 二、“无废企业 ”1个：
_CATEGORY_HEADING = re.compile(
    r"^\s*(?P<number>[一二三四五六七八九十]+)\s*[、.．]\s*“?\s*(?P<category>无废[\u4e00-\u9fff]{1,8}?)\s*”?\s*"
    r"(?P<count>\d+\s*(?:个|家|所|处))\s*[：:]?\s*$"
)
_NAME_ITEM = re.compile(r"^\s*\d{1,3}\s*[.．、]")  # 1. 某区建设局


def named_cell_counts(lines: list[str]) -> tuple[list[CellRecord], set[int]]:
    """The categories of a list of named cells, each with its count, in the order printed, and the lines (from 1)
    of the names under them."""
    cells: list[CellRecord] = []
    name_lines: set[int] = set()
    under_heading = False
    for line, text in enumerate(lines, start=1):
        if match := _CATEGORY_HEADING.match(fold_punct(text)):
            count = re.sub(r"\s+", "", match["count"])
            cells.append(CellRecord(number=str(len(cells) + 1), category=match["category"], count_raw=count, line=line))
            under_heading = True
        elif under_heading and _NAME_ITEM.match(text):
            name_lines.add(line)
        elif text.strip():
            under_heading = False
    return cells, name_lines

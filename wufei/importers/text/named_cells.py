"""A naming notice's 无废细胞 listed by name under their categories (一、“无废机关”7个: / 1. 某区建设局 / …): each
category heading gives that category's count; the names under it are the cells it counts, no tasks."""

from __future__ import annotations

import re

from wufei.importers.records import CellRecord
from wufei.importers.text.normalize import fold_punct

# 一、“无废机关”7个: / 二、“无废企业 ”1个： (matched on the line stripped, each optional space once: a run of
# spaces between optional parts made the match quadratic)
_CATEGORY_HEADING = re.compile(
    r"^(?P<number>[一二三四五六七八九十]+)\s*[、.．]\s*(?:“\s*)?(?P<category>无废[\u4e00-\u9fff]{1,8}?)\s*(?:”\s*)?"
    r"(?P<count>\d+\s*(?:个|家|所|处))(?:\s*[：:])?$"
)
_NAME_ITEM = re.compile(r"^\s*\d{1,3}\s*[.．、]\s*(?P<name>.*)$")  # 1. 某区建设局
# What a cell's name is not: a task (a date, an owner, a sentence). Such an item ends the heading's names.
_NOT_A_NAME = re.compile(r"\d{4}\s*年|年底|月底|责任单位|牵头|负责|[，。；;,]")
NAME_LENGTH = 40


def named_cell_counts(lines: list[str]) -> tuple[list[CellRecord], set[int]]:
    """The categories of a list of named cells, each with its count, in the order printed, and the lines (from 1)
    of the names under them."""
    cells: list[CellRecord] = []
    name_lines: set[int] = set()
    under_heading = False
    for line, text in enumerate(lines, start=1):
        if match := _CATEGORY_HEADING.match(fold_punct(text).strip()):
            count = re.sub(r"\s+", "", match["count"])
            cells.append(CellRecord(number=str(len(cells) + 1), category=match["category"], count_raw=count, line=line))
            under_heading = True
        elif under_heading and (item := _NAME_ITEM.match(text)) and _reads_as_a_name(item["name"]):
            name_lines.add(line)
        elif text.strip():
            under_heading = False
    return cells, name_lines


def _reads_as_a_name(text: str) -> bool:
    """某区建设局, 衡水市第一中学: short, no date, no owner, no sentence; 2025年6月底前建成……（责任单位：…）
    under a category heading is a task of the plan, and stays one."""
    name = text.strip()
    return 0 < len(name) <= NAME_LENGTH and not _NOT_A_NAME.search(name)

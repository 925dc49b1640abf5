"""Whether plans are 无废城市 plans, read from their titles: wufei supervises any 重点任务分工 (a
county's 政府工作报告 分工, its 民生实事), and what it writes for a 无废城市 plan (a leading group's
office, 无废细胞, the province's roll-up of its cities) is not what it writes for the others."""

from __future__ import annotations

from collections.abc import Iterable

ZERO_WASTE_MARK = "无废"


def is_zero_waste(title: str) -> bool:
    return ZERO_WASTE_MARK in title


def any_zero_waste(titles: Iterable[str]) -> bool:
    return any(is_zero_waste(title) for title in titles)

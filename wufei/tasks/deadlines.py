"""Deadlines (完成期限) as printed in the plans, turned into a kind and a due date.

Three kinds:
- FIXED: one due date (`2025年`, `2023年底前`, `2024年4月底前`, `2023年6月30日`, `2023—2025年`).
- ANNUAL: due every 31 December of the plan period (`完成年度任务`, `每年`, `年度`).
- ONGOING: no final date (`持续推进`, `逐步推进`, `长期`); reported every cycle, judged each year end.

A year alone means the end of that year: plans say `2025年` for "by 2025".
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class DeadlineKind(StrEnum):
    FIXED = "fixed"
    ANNUAL = "annual"
    ONGOING = "ongoing"


class DeadlineError(ValueError):
    """An unparseable deadline; the message is Chinese and quotes the raw text."""


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    due_date: date | None
    raw: str | None
    note: str | None = None


NOTE_ANNUAL = "每年12月31日到期（方案期内逐年考核）"
NOTE_BEFORE_ISSUE = "早于方案印发"
NOTE_NO_DEADLINE = "未列完成期限，按方案期限"

_ONGOING = ("持续推进", "逐步推进", "长期坚持", "长期推进", "长期", "持续开展", "持续", "常态化")
_ANNUAL = ("完成年度任务", "年度任务", "每年", "逐年", "年度")

# Words after a date that add nothing: "by the end of …". A bare 前 after a month or a year
# ("2025年前") is refused: it may mean "before" that period, and guessing would move the date.
_DAY_TAIL = r"(?:前|以前|之前)?"
_TAIL = r"(?:底前|底|末前|末|内)?"
_YEAR = r"(?P<y>\d{4})"

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"^{_YEAR}[-./](?P<m>\d{{1,2}})[-./](?P<d>\d{{1,2}})日?{_DAY_TAIL}$"), "day"),
    (re.compile(rf"^{_YEAR}年(?P<m>\d{{1,2}})月(?P<d>\d{{1,2}})[日号]{_DAY_TAIL}$"), "day"),
    (re.compile(rf"^{_YEAR}年(?P<m>\d{{1,2}})月份?{_TAIL}$"), "month"),
    (re.compile(rf"^{_YEAR}[-./](?P<m>\d{{1,2}})月?{_TAIL}$"), "month"),
    (re.compile(rf"^{_YEAR}年(?P<h>上|下)半年{_TAIL}$"), "half"),
    (re.compile(rf"^{_YEAR}年第?(?P<q>[1-4一二三四])季度{_TAIL}$"), "quarter"),
    (re.compile(r"^(?P<y0>\d{4})年?[-—–~至到]+(?P<y>\d{4})年(?:年?底前|年?底|末)?$"), "range"),
    (re.compile(rf"^{_YEAR}年(?:年?底前|年?底|末前|末|内)?$"), "year"),
]

_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def parse_deadline(
    raw: str | None,
    *,
    plan_start: int | None = None,
    plan_end: int | None = None,
    issued_on: date | None = None,
) -> Deadline:
    """Parse a printed deadline. `issued_on` (or else `plan_start`) flags dates before the plan."""
    text = _clean(raw)
    if not text:
        if plan_end is None:
            raise DeadlineError("未列完成期限，且不知道方案期限")
        return Deadline(DeadlineKind.FIXED, date(plan_end, 12, 31), raw, NOTE_NO_DEADLINE)

    if any(word in text for word in _ONGOING) and not re.search(r"\d{4}", text):
        return Deadline(DeadlineKind.ONGOING, None, raw)
    if any(word in text for word in _ANNUAL) and not re.search(r"\d{4}", text):
        return Deadline(DeadlineKind.ANNUAL, None, raw, NOTE_ANNUAL)

    due = _due_date(text, raw)
    return Deadline(DeadlineKind.FIXED, due, raw, _note_for(due, plan_start, issued_on))


def annual_due_dates(plan_start: int, plan_end: int) -> tuple[date, ...]:
    """The 31 December of each year of the plan period, for ANNUAL deadlines."""
    if plan_end < plan_start:
        raise ValueError(f"方案期限有误：{plan_start}—{plan_end}")
    return tuple(date(year, 12, 31) for year in range(plan_start, plan_end + 1))


def _clean(raw: str | None) -> str:
    if raw is None:
        return ""
    # NFKC turns full-width digits and punctuation into ASCII; spaces carry no meaning here.
    text = unicodedata.normalize("NFKC", raw)
    return re.sub(r"\s+", "", text)


def _due_date(text: str, raw: str | None) -> date:
    for pattern, shape in _PATTERNS:
        match = pattern.match(text)
        if match:
            return _build(shape, match, raw)
    raise DeadlineError(f"无法识别的完成期限：「{raw}」")


def _build(shape: str, match: re.Match[str], raw: str | None) -> date:
    year = int(match["y"])
    if shape == "year":
        return date(year, 12, 31)
    if shape == "range":
        if int(match["y0"]) > year:
            raise DeadlineError(f"完成期限的起止年份颠倒：「{raw}」")
        return date(year, 12, 31)
    if shape == "half":
        return date(year, 6, 30) if match["h"] == "上" else date(year, 12, 31)
    if shape == "quarter":
        month = _QUARTER[match["q"]] * 3
        return date(year, month, calendar.monthrange(year, month)[1])
    month = int(match["m"])
    if not 1 <= month <= 12:
        raise DeadlineError(f"完成期限的月份无效：「{raw}」")
    if shape == "month":
        return date(year, month, calendar.monthrange(year, month)[1])
    try:
        return date(year, month, int(match["d"]))
    except ValueError:
        raise DeadlineError(f"完成期限的日期无效：「{raw}」") from None


def _note_for(due: date, plan_start: int | None, issued_on: date | None) -> str | None:
    # Projects finished before the plan (2021年底 in a 2022 plan) are valid: they are listed as done.
    if issued_on is not None:
        return NOTE_BEFORE_ISSUE if due < issued_on else None
    if plan_start is not None and due.year < plan_start:
        return NOTE_BEFORE_ISSUE
    return None

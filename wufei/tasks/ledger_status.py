"""Where a task stands, as an office's ledger (工作台账 / 任务清单) writes it in its status column
(完成情况 / 进展情况 / 办理状态 / 是否完成 / 销号情况 …): done, under way, or not to be guessed.

Pure: the words live here and nowhere else. A status is read as done only when the cell says so and
nothing else (已完成, 已销号, 已于2023年5月完成, 是 under 是否完成, 100%); a narrative that merely mentions
a completion (已完成选址，正在环评) or a hedge (基本完成, 长期坚持, 持续推进) is never taken for done: it is
kept as written with a doubt. A short percentage (进度80%) is the task's progress by the ledger.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Standing(StrEnum):
    DONE = "done"
    OPEN = "open"  # under way, behind or not started: the task stays open, no doubt
    UNCLEAR = "unclear"  # kept as written, flagged, never guessed done


# The words a status cell may consist of (after dates, percentages and punctuation are taken out).
DONE_WORDS = (
    "已完成",
    "完成",
    "已办结",
    "办结",
    "已销号",
    "销号",
    "已整改到位",
    "整改到位",
    "已整改完成",
    "整改完成",
    "已整改",
    "已落实",
    "已建成",
    "建成",
    "已竣工",
    "竣工",
    "已验收",
    "已投运",
    "已完成整改",
    "完成整改",
    "全部完成",
    "已全部完成",
    "已按期完成",
    "按期完成",
    "是",
)
OPEN_WORDS = (
    "序时推进",
    "按序时推进",
    "正常推进",
    "有序推进",
    "稳步推进",
    "推进中",
    "正在推进",
    "进行中",
    "正在进行",
    "实施中",
    "在建",
    "建设中",
    "整改中",
    "正在整改",
    "滞后",
    "进度滞后",
    "滞后推进",
    "未启动",
    "尚未启动",
    "未开始",
    "未完成",
    "未办结",
    "未销号",
    "未整改",
    "否",
)
# Hedges a person must read: never done, never silently open.
UNCLEAR_WORDS = (
    "基本完成",
    "基本办结",
    "基本建成",
    "基本到位",
    "阶段性完成",
    "部分完成",
    "大部分完成",
    "初步完成",
    "长期坚持",
    "持续推进",
    "持续推进中",
    "长期推进",
    "常态化推进",
    "持续开展",
)
# A narrative saying the whole is done, or nearly (…，已完成整改并通过验收; 基本完成): maybe the task, maybe not:
# a person reads it.
_WHOLE_CLAIM = re.compile(
    r"已(?:全部|按期)?(?:完成整改|整改完成|整改到位|办结|销号)|整改到位|全部完成|已按期完成|完成销号|已全面完成"
    r"|基本(?:完成|办结|建成|到位)"
)
_DATE = re.compile(
    r"(?:已?于\s*)?(?P<year>20\d{2})\s*(?:年|[-./])\s*(?:(?P<month>1[0-2]|0?[1-9])(?!\d)\s*(?:月|[-./])?\s*"
    r"(?:(?P<day>3[01]|[12]\d|0?[1-9])(?!\d)\s*日?)?)?\s*(?:底|末|中旬|上旬|下旬)?\s*(?:前|以前|之前)?"
)
_PERCENT = re.compile(r"(?P<value>\d{1,3}(?:\.\d+)?)\s*[%％]")
_NOISE = re.compile(r"[\s，,。；;：:、！!（）()\[\]【】“”\"'‘’]+")
# Words around a percentage that say nothing more (进度80%, 完成比例：80%, 约80%).
_PERCENT_WORDS = re.compile(r"形象进度|工作进度|完成进度|累计进度|完成比例|进度|已完成|完成|约|左右|达到|达|累计")
_NARRATIVE = 20  # characters: a cell longer than this is a narrative of the work, not a status word


@dataclass(frozen=True)
class StatusReading:
    standing: Standing
    completed_on: date | None = None  # the date the text gives for a done task (last day of a month named)
    progress: int | None = None  # percent, from a short percentage


def read_status(text: str | None, *, today: date | None = None) -> StatusReading | None:
    """A ledger status cell's reading; None for an empty cell. A date with a done word is a completion only
    when the cell says it happened (已…, 已于…): 2025年完成 in a status column is as often the target; a date
    after `today`, or one no calendar has (2023年2月30日, 2023.13), is read by a person."""
    if text is None or not text.strip():
        return None
    plain = text.strip()
    compact = _NOISE.sub("", plain)
    if len(compact) <= _NARRATIVE and any(word in compact for word in UNCLEAR_WORDS):
        return StatusReading(Standing.UNCLEAR)  # a narrative's 下一步将持续推进 is no hedge on the task
    match = _DATE.search(compact)
    undated = compact[: match.start()] + compact[match.end() :] if match else compact
    if undated in DONE_WORDS:
        if match is None:
            return StatusReading(Standing.DONE)
        day = _last_day(match)
        said_done = "已" in compact or "于" in match[0]
        if day is None or not said_done or (today is not None and day > today):
            return StatusReading(Standing.UNCLEAR)
        return StatusReading(Standing.DONE, completed_on=day)
    percent = _PERCENT.search(compact)
    if percent:
        rest = _PERCENT_WORDS.sub("", compact[: percent.start()] + compact[percent.end() :])
        value = float(percent["value"])
        if value <= 100 and (not rest or rest in OPEN_WORDS):
            if value == 100:
                return StatusReading(Standing.DONE, progress=100)
            return StatusReading(Standing.OPEN, progress=int(value))
    if compact in OPEN_WORDS or undated in OPEN_WORDS:
        return StatusReading(Standing.OPEN)
    if len(compact) > _NARRATIVE:
        # What was done so far (已完成可行性研究): open, unless it says the whole is done somewhere in it.
        return StatusReading(Standing.UNCLEAR if _WHOLE_CLAIM.search(compact) else Standing.OPEN)
    return StatusReading(Standing.UNCLEAR)  # 已完成选址 (something done, maybe not the task), 见附件, 待定


def _last_day(match: re.Match[str]) -> date | None:
    """The day a dated completion names: its day, else the last day of its month, else of its year; None
    for a day its month does not have."""
    year = int(match["year"])
    if match["month"] is None:
        return date(year, 12, 31)
    month = int(match["month"])
    last = calendar.monthrange(year, month)[1]
    if match["day"] is not None:
        return date(year, month, int(match["day"])) if int(match["day"]) <= last else None
    return date(year, month, last)


def done_message(text: str, reading: StatusReading) -> str:
    """The doubt every completion taken from a ledger carries, for a person to confirm (the same on every
    import of the same cell, so that a re-import keeps what a person decided about it)."""
    day = reading.completed_on
    when = f"完成日期按台账记为{day.year}年{day.month}月{day.day}日" if day else "完成日期按导入日记"
    return f"台账标注“{text.strip()}”，已按已完成导入（{when}），请核对"


def unclear_message(text: str) -> str:
    return f"台账标注“{text.strip()}”，无法确定是否已完成，已按原文保存，未按已完成处理，请核对"


def describe(reading: StatusReading | None) -> str | None:
    """How the import takes a status, for the preview."""
    if reading is None:
        return None
    if reading.standing is Standing.DONE:
        day = reading.completed_on
        return f"已完成（{day.year}年{day.month}月{day.day}日）" if day else "已完成（完成日期按导入日）"
    if reading.standing is Standing.OPEN:
        return "未完成" + (f"，进度{reading.progress}%" if reading.progress is not None else "")
    return "无法确定是否完成，待确认"


def with_ledger(
    reported: tuple[int, date] | None, progress: int | None, on: date | None, as_of: date
) -> tuple[int, date] | None:
    """A task's progress and its week on `as_of`: its newest report's, or the percentage its imported ledger
    gave (counted from the Monday of the import's week) while no report is as new. The ledger's figure is
    no report: it never counts as a department's filing (the missing streak reads reports only)."""
    if progress is None or on is None or on > as_of:
        return reported
    week = date.fromordinal(on.toordinal() - on.weekday())
    if reported is not None and reported[1] >= week:
        return reported
    return progress, week

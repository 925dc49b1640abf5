"""Dates, weeks and their labels the Chinese way, in one place. Pure: the standard library only.

| what                  | function                 | example                       |
| a day                 | `chinese_date`           | 2024年6月7日                  |
| a day and its weekday | `chinese_date_weekday`   | 2024年6月7日（星期五）        |
| a moment              | `chinese_datetime`       | 2024年6月7日（星期五）17:00   |
| a reporting week      | `chinese_week`           | 2024年第23周                  |
| a week's label        | `week_label`             | 2024-W23 (ISO year and week)  |

Months, quarters and halves are named by `wufei.cadence.periods` (`Period.chinese`).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache

WEEKDAY_NAMES = "一二三四五六日"

_WEEK = re.compile(r"^\s*(\d{4})\s*-?\s*[Ww](\d{1,2})\s*$")


class WeekError(ValueError):
    """A week label or configuration that names no week; the message is Chinese."""


def chinese_date(day: date) -> str:
    """`2024年6月7日`."""
    return _chinese_date(day)


@lru_cache(maxsize=4096)  # kept: a bulletin names the same few deadlines hundreds of times
def _chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_date_weekday(day: date) -> str:
    """`2024年6月7日（星期五）`."""
    return f"{chinese_date(day)}（星期{WEEKDAY_NAMES[day.weekday()]}）"


def chinese_datetime(moment: datetime) -> str:
    """`2024年6月7日（星期五）17:00`, in the moment's own time zone."""
    return f"{chinese_date_weekday(moment.date())}{moment:%H:%M}"


def week_start(day: date) -> date:
    """The Monday of the ISO week holding `day`."""
    return day - timedelta(days=day.weekday())


def week_label(week_start_: date) -> str:
    """`2024-W23` (ISO year and week)."""
    iso = week_start_.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def chinese_week(week_start_: date) -> str:
    """`2024年第23周`."""
    iso = week_start_.isocalendar()
    return f"{iso.year}年第{iso.week}周"


def parse_week(label: str) -> date:
    """The Monday of `2024-W23` (also `2024W23`, `2024-w23`)."""
    match = _WEEK.match(label or "")
    if not match:
        raise WeekError(f"无法识别的周：「{label}」（应写成 2024-W23）")
    try:
        return date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise WeekError(f"没有这一周：「{label}」（{match[1]}年没有第{int(match[2])}周）") from None


def chinese_week_of_label(label: str) -> str:
    """`2024-W23` as `2024年第23周`; a label that names no week is given back as it is."""
    try:
        return chinese_week(parse_week(label))
    except WeekError:
        return label

"""Reporting periods of the cadence: labels, bounds and Chinese names. Pure: no database here.

| kind      | label    | chinese        | bounds (inclusive)            |
| weekly    | 2024-W23 | 2024年第23周   | ISO week, Monday to Sunday    |
| monthly   | 2024-05  | 2024年5月      | 1st to last day of the month  |
| quarterly | 2024-Q2  | 2024年第2季度  | 1 April to 30 June            |
| half_year | 2024-H1  | 2024年上半年   | 1 January to 30 June          |
| annual    | 2024     | 2024年         | 1 January to 31 December      |

A cadence run reports on the last period that ended before the day it runs (`due_period`): the
monthly dispatch run in early June covers May, the quarterly circular in early July covers Q2,
the half-year review in July covers H1 and in January the previous H2, the annual assessment in
January the previous year. Running on the last day of a period still covers the one before it:
that day's work is not in yet.
"""

from __future__ import annotations

import calendar as _calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache


class PeriodKind(StrEnum):
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEAR = "half_year"
    ANNUAL = "annual"


KIND_NAMES = {  # for people
    PeriodKind.WEEKLY: "周报送",
    PeriodKind.MONTHLY: "月调度",
    PeriodKind.QUARTERLY: "季通报",
    PeriodKind.HALF_YEAR: "半年观摩",
    PeriodKind.ANNUAL: "年终考核",
}


class PeriodError(ValueError):
    """A label or kind that names no period; the message is Chinese and quotes the input."""


@dataclass(frozen=True, order=True)
class Period:
    start: date  # first field: periods of one kind sort by time
    end: date  # inclusive
    kind: PeriodKind
    label: str
    chinese: str

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def as_dict(self) -> dict[str, str]:
        return {
            "kind": str(self.kind),
            "label": self.label,
            "chinese": self.chinese,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }

    def __str__(self) -> str:
        return self.label


# --- constructors ---------------------------------------------------------------------------


def week(iso_year: int, iso_week: int) -> Period:
    """An ISO week (Monday to Sunday); week 1 holds the year's first Thursday."""
    try:
        start = date.fromisocalendar(iso_year, iso_week, 1)
    except ValueError:
        raise PeriodError(f"无效的周：{iso_year}年第{iso_week}周") from None
    return Period(
        start,
        start + timedelta(days=6),
        PeriodKind.WEEKLY,
        f"{iso_year}-W{iso_week:02d}",
        f"{iso_year}年第{iso_week}周",
    )


def month(year: int, month_: int) -> Period:
    if not 1 <= month_ <= 12:
        raise PeriodError(f"无效的月份：{year}年{month_}月")
    last = _calendar.monthrange(year, month_)[1]
    return Period(
        date(year, month_, 1),
        date(year, month_, last),
        PeriodKind.MONTHLY,
        f"{year}-{month_:02d}",
        f"{year}年{month_}月",
    )


def quarter(year: int, quarter_: int) -> Period:
    if not 1 <= quarter_ <= 4:
        raise PeriodError(f"无效的季度：{year}年第{quarter_}季度")
    first, last = month(year, 3 * quarter_ - 2), month(year, 3 * quarter_)
    return Period(first.start, last.end, PeriodKind.QUARTERLY, f"{year}-Q{quarter_}", f"{year}年第{quarter_}季度")


def half_year(year: int, half: int) -> Period:
    if half not in (1, 2):
        raise PeriodError(f"无效的半年：{year}年H{half}")
    first, last = (month(year, 1), month(year, 6)) if half == 1 else (month(year, 7), month(year, 12))
    return Period(
        first.start, last.end, PeriodKind.HALF_YEAR, f"{year}-H{half}", f"{year}年{'上' if half == 1 else '下'}半年"
    )


def year(year_: int) -> Period:
    return Period(date(year_, 1, 1), date(year_, 12, 31), PeriodKind.ANNUAL, f"{year_}", f"{year_}年")


# --- labels ---------------------------------------------------------------------------------

_LABELS: list[tuple[re.Pattern[str], PeriodKind]] = [
    (re.compile(r"^(?P<y>\d{4})-W(?P<n>\d{1,2})$"), PeriodKind.WEEKLY),
    (re.compile(r"^(?P<y>\d{4})-(?P<n>\d{2})$"), PeriodKind.MONTHLY),
    (re.compile(r"^(?P<y>\d{4})-Q(?P<n>\d)$"), PeriodKind.QUARTERLY),
    (re.compile(r"^(?P<y>\d{4})-H(?P<n>\d)$"), PeriodKind.HALF_YEAR),
    (re.compile(r"^(?P<y>\d{4})$"), PeriodKind.ANNUAL),
]


@lru_cache(maxsize=4096)
def parse(label: str) -> Period:
    """`2024-W23`, `2024-05`, `2024-Q2`, `2024-H1` or `2024` (case-insensitive letters). Kept:
    periods are immutable, and the daily scan parses the same few labels again every day."""
    text = (label or "").strip().upper()
    for pattern, kind in _LABELS:
        if match := pattern.match(text):
            y, n = int(match["y"]), int(match["n"]) if "n" in pattern.groupindex else 0
            return _make(kind, y, n)
    raise PeriodError(f"无法识别的期间：「{label}」（应为 2024-W23、2024-05、2024-Q2、2024-H1 或 2024）")


def _make(kind: PeriodKind, y: int, n: int) -> Period:
    if kind is PeriodKind.WEEKLY:
        return week(y, n)
    if kind is PeriodKind.MONTHLY:
        return month(y, n)
    if kind is PeriodKind.QUARTERLY:
        return quarter(y, n)
    if kind is PeriodKind.HALF_YEAR:
        return half_year(y, n)
    return year(y)


def _kind(kind: PeriodKind | str) -> PeriodKind:
    try:
        return PeriodKind(kind)
    except ValueError:
        raise PeriodError(f"无效的期间类型：「{kind}」（应为 {'、'.join(k.value for k in PeriodKind)}）") from None


# --- arithmetic -----------------------------------------------------------------------------


def containing(kind: PeriodKind | str, day: date) -> Period:
    """The period of this kind that holds `day`."""
    kind = _kind(kind)
    if kind is PeriodKind.WEEKLY:
        iso = day.isocalendar()
        return week(iso.year, iso.week)
    if kind is PeriodKind.MONTHLY:
        return month(day.year, day.month)
    if kind is PeriodKind.QUARTERLY:
        return quarter(day.year, (day.month - 1) // 3 + 1)
    if kind is PeriodKind.HALF_YEAR:
        return half_year(day.year, 1 if day.month <= 6 else 2)
    return year(day.year)


def previous(period: Period) -> Period:
    return containing(period.kind, period.start - timedelta(days=1))


def next_period(period: Period) -> Period:
    return containing(period.kind, period.end + timedelta(days=1))


def due_period(kind: PeriodKind | str, run_day: date) -> Period:
    """The period a cadence run on `run_day` reports on: the last one that ended before that day."""
    return previous(containing(kind, run_day))


def weeks_in(period: Period) -> list[Period]:
    """The ISO weeks whose Monday falls in the period: each week belongs to exactly one month,
    quarter, half or year, so weekly counts add up without counting a week twice."""
    first = period.start + timedelta(days=(7 - period.start.weekday()) % 7)
    weeks, monday = [], first
    while monday <= period.end:
        weeks.append(containing(PeriodKind.WEEKLY, monday))
        monday += timedelta(days=7)
    return weeks

"""Weekly reporting windows (周报送): weeks, their labels and when each week's report is due.

A reporting week is an ISO week, Monday to Sunday, named `2024-W23` (第23周). Its window
opens on the first working day at or after the configured weekday (Monday) and closes on the
due weekday (Friday) at the due time (17:00, Asia/Shanghai). When the due day is a holiday the
window closes on the previous working day of the week (or the next working day, if the cadence
file says `next_workday`). A week without a working day from its opening to its due day has no
window: the 2024 Spring Festival week (12–18 February, only Sunday the 18th is a 调休 working
day) and the 2023 National Day week (2–8 October, only the weekend is worked) expect no report.

Pure: the calendar and the cadence mapping are arguments; no database here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from wufei.calendar.workdays import WorkCalendar
from wufei.chinese import WeekError, chinese_week, week_label, week_start

DEFAULT_TIMEZONE = "Asia/Shanghai"
SHANGHAI = ZoneInfo(DEFAULT_TIMEZONE)
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}

WEEKLY_DEFAULTS: dict[str, Any] = {
    "opens": "monday",
    "due_weekday": "friday",
    "due_time": "17:00",
    "if_due_day_is_holiday": "previous_workday",
    "remind_workdays_before_due": 1,
    "reporting_since": None,
    "late_report_breaks_missing_streak": False,
    "max_text_chars": 2000,
}


def timezone_of(config: Mapping[str, Any] | None) -> ZoneInfo:
    return ZoneInfo(str((config or {}).get("timezone") or DEFAULT_TIMEZONE))


def weekly_config(config: Mapping[str, Any] | None) -> dict[str, Any]:
    """The `weekly_report` section over its defaults."""
    return {**WEEKLY_DEFAULTS, **((config or {}).get("weekly_report") or {})}


def end_of_day(day: date, config: Mapping[str, Any] | None = None) -> datetime:
    """The first instant after `day` in the cadence time zone (midnight starting the next day)."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=timezone_of(config))


def start_of_day(day: date, config: Mapping[str, Any] | None = None) -> datetime:
    return datetime.combine(day, time(0), tzinfo=timezone_of(config))


@dataclass(frozen=True)
class ReportingWindow:
    week_start: date
    opens_on: date
    due_at: datetime  # aware, in the cadence time zone (Asia/Shanghai)
    remind_on: date

    @property
    def label(self) -> str:
        return week_label(self.week_start)

    @property
    def chinese(self) -> str:
        return chinese_week(self.week_start)

    @property
    def due_on(self) -> date:
        return self.due_at.date()

    def is_late(self, at: datetime) -> bool:
        return at > self.due_at

    def as_dict(self) -> dict[str, str]:
        return {
            "week": self.label,
            "week_cn": self.chinese,
            "opens_on": self.opens_on.isoformat(),
            "due_at": self.due_at.isoformat(),
            "remind_on": self.remind_on.isoformat(),
        }


def _weekday(value: Any, key: str) -> int:
    name = str(value).strip().lower()
    if name not in WEEKDAYS:
        raise WeekError(f"周报送配置 {key} 应为 monday…sunday：「{value}」")
    return WEEKDAYS[name]


def _due_time(value: Any) -> time:
    try:
        hours, minutes = str(value).strip().split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise WeekError(f'周报送配置 due_time 应写成 "17:00"：「{value}」') from None


def reporting_window(
    week_start_: date, calendar: WorkCalendar, config: Mapping[str, Any] | None
) -> ReportingWindow | None:
    """The window of the week starting on Monday `week_start_`, or None when no report is expected."""
    if week_start_.weekday() != 0:
        raise WeekError(f"报送周应从星期一开始：{week_start_.isoformat()}")
    weekly = weekly_config(config)
    week_end = week_start_ + timedelta(days=6)
    opens_from = week_start_ + timedelta(days=_weekday(weekly["opens"], "opens"))
    due_day = week_start_ + timedelta(days=_weekday(weekly["due_weekday"], "due_weekday"))

    opens_on = calendar.next_workday(opens_from, include=True)
    if opens_on > week_end:
        return None  # not a single working day from the opening to Sunday
    if not calendar.is_workday(due_day):
        policy = weekly["if_due_day_is_holiday"]
        if policy == "previous_workday":
            due_day = calendar.previous_workday(due_day)
        elif policy == "next_workday":
            due_day = calendar.next_workday(due_day)
        else:
            raise WeekError(f"周报送配置 if_due_day_is_holiday 应为 previous_workday 或 next_workday：「{policy}」")
    if due_day < opens_on:
        return None  # the working days of the week all fall after the due day (调休 weekend only)
    due_at = datetime.combine(due_day, _due_time(weekly["due_time"]), tzinfo=timezone_of(config))
    before = int(weekly["remind_workdays_before_due"] or 0)
    remind_on = max(opens_on, calendar.add_workdays(due_day, -before)) if before > 0 else due_day
    return ReportingWindow(week_start=week_start_, opens_on=opens_on, due_at=due_at, remind_on=remind_on)


def closed_weeks(as_of: date, calendar: WorkCalendar, config: Mapping[str, Any] | None, since: date) -> list[date]:
    """Mondays of the weeks from the one holding `since` whose window closed by the end of `as_of`,
    oldest first. Weeks without a window are left out."""
    return [window.week_start for window in windows_between(since, as_of, calendar, config)]


def windows_between(
    first_week: date, as_of: date, calendar: WorkCalendar, config: Mapping[str, Any] | None
) -> list[ReportingWindow]:
    """The windows of the closed weeks from `first_week` to `as_of`, oldest first."""
    end = end_of_day(as_of, config)
    windows: list[ReportingWindow] = []
    monday = week_start(first_week)
    while monday <= as_of:
        window = reporting_window(monday, calendar, config)
        if window is not None and window.due_at < end:
            windows.append(window)
        monday += timedelta(days=7)
    return windows


def load_cadence() -> dict[str, Any]:
    """The cadence file (WUFEI_CONFIG_DIR/cadence.yaml, else the shipped default)."""
    from wufei.config import load_yaml

    return load_yaml("cadence", "cadence.yaml")

"""cadence.yaml as a validated, frozen object: loaded once where a run, the CLI or the portal
starts, then passed explicitly. Pure: the YAML is read only by `CadenceConfig.load`.

The shipped cadence.yaml holds every default; an office's file of the same name in
WUFEI_CONFIG_DIR is laid over it (only the keys it writes change). Unknown keys and values of the
wrong kind are refused with a Chinese message naming the key, so a typo never passes silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
HOLIDAY_POLICIES = ("previous_workday", "next_workday")
FILE = "cadence.yaml"
# Sections that are not a cadence point's run day.
_SECTIONS = {"timezone", "weekly_report", "evidence"}
_RUN_DAY_KEYS = {"workday_of_month", "months", "month", "province_due"}
# The fewest working days a month has (February or October, after their long holidays): a point
# must find its n-th working day in every month it runs in.
MAX_WORKDAY_OF_MONTH = 16


class ConfigError(ValueError):
    """A cadence file that cannot be used; the message is Chinese and names the key."""


@dataclass(frozen=True)
class WeeklyRules:
    """周报送 (`weekly_report`): when a week's window opens and closes, and what a report may hold."""

    opens: int  # weekday, 0 = Monday
    due_weekday: int
    due_time: time
    if_due_day_is_holiday: Literal["previous_workday", "next_workday"]
    remind_workdays_before_due: int
    reporting_since: date | None
    late_report_breaks_missing_streak: bool
    max_text_chars: int


@dataclass(frozen=True)
class EvidenceRules:
    """佐证材料 (`evidence`): the size limit of one file and the extensions allowed."""

    max_bytes: int
    allowed_types: tuple[str, ...]


@dataclass(frozen=True)
class RunDay:
    """The working day of the month a cadence point runs on, in some months (all when empty)."""

    workday_of_month: int
    months: tuple[int, ...] = ()

    def runs_in(self, month: int) -> bool:
        return not self.months or month in self.months


@dataclass(frozen=True)
class CadenceConfig:
    timezone: ZoneInfo
    weekly: WeeklyRules
    evidence: EvidenceRules
    run_days: Mapping[str, RunDay] = field(default_factory=dict)  # by section: monthly_dispatch, …
    province_due: tuple[int, int] = (1, 31)  # (month, day) the self-assessment is due, the year after

    @classmethod
    def load(cls) -> CadenceConfig:
        """The shipped cadence.yaml with the office's copy (WUFEI_CONFIG_DIR) laid over it."""
        from wufei.config import load_layers

        return cls.from_dict(load_layers("cadence", FILE))

    @classmethod
    def from_dict(cls, overrides: Mapping[str, Any] | None = None) -> CadenceConfig:
        """The shipped defaults with `overrides` laid over them (as an office's file would be)."""
        from wufei.config import merged, shipped

        return cls.parse(merged(shipped("cadence", FILE), overrides or {}))

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> CadenceConfig:
        """A complete cadence document (every key present), checked."""
        run_days, province_due = {}, (1, 31)
        for key, section in data.items():
            if key in _SECTIONS:
                continue
            run_days[key] = _run_day(key, section)
            if isinstance(section, Mapping) and section.get("province_due") is not None:
                province_due = _month_day(f"{key}.province_due", section["province_due"])
        return cls(
            timezone=_timezone(data.get("timezone")),
            weekly=_weekly(_section(data, "weekly_report")),
            evidence=_evidence(_section(data, "evidence")),
            run_days=run_days,
            province_due=province_due,
        )

    @property
    def timezone_name(self) -> str:
        return self.timezone.key

    def run_day(self, section: str) -> RunDay:
        if section not in self.run_days:
            raise ConfigError(f"{FILE} 中没有「{section}」的运行日设置")
        return self.run_days[section]

    def start_of_day(self, day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=self.timezone)

    def end_of_day(self, day: date) -> datetime:
        """The first instant after `day` here (midnight starting the next day)."""
        return datetime.combine(day + timedelta(days=1), time(0), tzinfo=self.timezone)

    def local(self, moment: datetime) -> datetime:
        """An aware moment in this time zone; a naive one is read as local time already."""
        return moment.astimezone(self.timezone) if moment.tzinfo is not None else moment.replace(tzinfo=self.timezone)

    def today(self, now: datetime | None = None) -> date:
        """The local date now (or of `now`)."""
        return (now or datetime.now(self.timezone)).astimezone(self.timezone).date()


# --- checking ---------------------------------------------------------------------------------


def _section(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    section = data.get(key)
    if not isinstance(section, Mapping):
        raise ConfigError(f"{FILE} 的「{key}」应为键值映射")
    return section


def _timezone(value: Any) -> ZoneInfo:
    try:
        return ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{FILE} 的 timezone 不是有效的时区：「{value}」（如 Asia/Shanghai）") from None


def _known(key: str, section: Mapping[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(section) - allowed)
    if unknown:
        raise ConfigError(f"{FILE} 的「{key}」中有不认识的设置：{'、'.join(map(str, unknown))}")


def _count(key: str, value: Any, *, low: int = 0, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low or (high is not None and value > high):
        bounds = f"{low}到{high}之间" if high is not None else f"不小于{low}"
        raise ConfigError(f"{FILE} 的 {key} 应为{bounds}的整数：「{value}」")
    return value


def _weekday(key: str, value: Any) -> int:
    name = str(value).strip().lower()
    if name not in WEEKDAYS:
        raise ConfigError(f"周报送配置 {key} 应为 monday…sunday：「{value}」")
    return WEEKDAYS[name]


def _due_time(value: Any) -> time:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        # `due_time: 17:00` unquoted: YAML 1.1 reads a sexagesimal number, 17 × 60 + 0 = 1020
        return time(*divmod(value, 60))
    try:
        hours, minutes = str(value).strip().split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise ConfigError(f'周报送配置 due_time 应写成 "17:00"：「{value}」') from None


def _day(key: str, value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f'{FILE} 的 {key} 应写成 "2024-06-03"：「{value}」') from None


def _weekly(section: Mapping[str, Any]) -> WeeklyRules:
    _known("weekly_report", section, set(WeeklyRules.__dataclass_fields__))
    policy = section.get("if_due_day_is_holiday")
    if policy not in HOLIDAY_POLICIES:
        raise ConfigError(f"周报送配置 if_due_day_is_holiday 应为 previous_workday 或 next_workday：「{policy}」")
    late = section.get("late_report_breaks_missing_streak")
    if not isinstance(late, bool):
        raise ConfigError(f"{FILE} 的 weekly_report.late_report_breaks_missing_streak 应为 true 或 false：「{late}」")
    opens, due_weekday = _weekday("opens", section.get("opens")), _weekday("due_weekday", section.get("due_weekday"))
    if opens > due_weekday:
        raise ConfigError(
            f"{FILE} 的 weekly_report.opens（{section.get('opens')}）晚于 due_weekday（{section.get('due_weekday')}）："
            "报送窗口在同一周内开启并截止，截止日不能早于开启日"
        )
    return WeeklyRules(
        opens=opens,
        due_weekday=due_weekday,
        due_time=_due_time(section.get("due_time")),
        if_due_day_is_holiday=policy,
        remind_workdays_before_due=_count(
            "weekly_report.remind_workdays_before_due", section.get("remind_workdays_before_due") or 0
        ),
        reporting_since=_day("weekly_report.reporting_since", section.get("reporting_since")),
        late_report_breaks_missing_streak=late,
        max_text_chars=_count("weekly_report.max_text_chars", section.get("max_text_chars"), low=1),
    )


def _evidence(section: Mapping[str, Any]) -> EvidenceRules:
    _known("evidence", section, {"max_bytes", "allowed_types"})
    types = section.get("allowed_types")
    if not isinstance(types, list | tuple) or not types:
        raise ConfigError(f"{FILE} 的 evidence.allowed_types 应为扩展名列表，如 [pdf, jpg]：「{types}」")
    return EvidenceRules(
        max_bytes=_count("evidence.max_bytes", section.get("max_bytes"), low=1),
        allowed_types=tuple(str(t).lower().lstrip(".") for t in types),
    )


def _run_day(key: str, section: Any) -> RunDay:
    if not isinstance(section, Mapping):
        raise ConfigError(f"{FILE} 的「{key}」应为运行日设置（workday_of_month 等）")
    _known(key, section, _RUN_DAY_KEYS)
    workday = section.get("workday_of_month")
    if isinstance(workday, int) and not isinstance(workday, bool) and workday > MAX_WORKDAY_OF_MONTH:
        raise ConfigError(
            f"{FILE} 的 {key}.workday_of_month 应为1到{MAX_WORKDAY_OF_MONTH}之间的整数：「{workday}」"
            f"（2月、10月等月份只有{MAX_WORKDAY_OF_MONTH}个左右的工作日）"
        )
    workday = _count(f"{key}.workday_of_month", workday, low=1, high=MAX_WORKDAY_OF_MONTH)
    for name in ("months", "month"):
        if name in section and section[name] in (None, [], ()):
            raise ConfigError(
                f"{FILE} 的 {key}.{name} 为空：「{section[name]}」（要每月运行，请删去这一行；否则写月份，如 [1, 7]）"
            )
    # `months` wins over `month` when both are written (an office's file may add one to the other).
    months = section.get("months")
    if months is None and section.get("month") is not None:
        months = [section["month"]]
    if months is not None and not isinstance(months, list | tuple):
        raise ConfigError(f"{FILE} 的 {key}.months 应为月份列表，如 [1, 7]：「{months}」")
    return RunDay(workday, tuple(_count(f"{key}.months", m, low=1, high=12) for m in months or ()))


def _month_day(key: str, value: Any) -> tuple[int, int]:
    try:
        month, day = (int(part) for part in str(value).split("-"))
        date(2023, month, day)  # not a leap year: the day must come every year (02-29 does not)
    except ValueError:
        raise ConfigError(f'{FILE} 的 {key} 应写成 "01-31"，且是每年都有的日期：「{value}」') from None
    return month, day

"""The working-day calendar as stored: office overrides over the national arrangement.

Services take a Session and never commit; every change writes an audit entry.
"""

from __future__ import annotations

import calendar as _month_calendar
import warnings
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

import chinese_calendar
from sqlalchemy import select
from sqlalchemy.orm import Session

from wufei.audit.service import apply_changes, jsonable, record
from wufei.calendar.models import CalendarOverride
from wufei.calendar.notice import HolidayNotice
from wufei.calendar.workdays import DayKind, UnknownYearWarning, WorkCalendar, national_year

ENTITY = "calendar_overrides"
KIND_NAMES = {DayKind.WORKDAY: "工作日", DayKind.HOLIDAY: "休息日"}


class CalendarError(ValueError):
    """A calendar change that cannot be made; the message is Chinese."""


class DaySource(StrEnum):
    OFFICE = "office"  # 办公室设置
    NATIONAL = "national"  # 国家安排 (chinese_calendar)
    ASSUMED = "assumed"  # 按周一至周五推定 (a year the package does not know)


SOURCE_NAMES = {DaySource.OFFICE: "办公室设置", DaySource.NATIONAL: "国家安排", DaySource.ASSUMED: "按周一至周五推定"}


@dataclass(frozen=True)
class DayInfo:
    day: date
    workday: bool
    source: DaySource
    note: str | None  # the office's note, or the holiday's name from the national arrangement

    def as_dict(self) -> dict:
        return {
            "day": self.day.isoformat(),
            "workday": self.workday,
            "kind": KIND_NAMES[self.kind],
            "source": str(self.source),
            "source_name": SOURCE_NAMES[self.source],
            "note": self.note,
        }

    @property
    def kind(self) -> DayKind:
        return DayKind.WORKDAY if self.workday else DayKind.HOLIDAY


def load_calendar(session: Session) -> WorkCalendar:
    """The calendar with every override the office has entered."""
    rows = session.execute(select(CalendarOverride.day, CalendarOverride.kind))
    return WorkCalendar(dict(rows.tuples().all()))


def _kind(kind: DayKind | str) -> DayKind:
    try:
        return DayKind(kind)
    except ValueError:
        raise CalendarError(f"日期类型应为 workday（工作日）或 holiday（休息日）：「{kind}」") from None


def set_override(
    session: Session, *, day: date, kind: DayKind | str, note: str | None = None, actor: str
) -> CalendarOverride:
    """Enter (or change) the office's arrangement for one day."""
    kind = _kind(kind)
    override = session.get(CalendarOverride, day)
    if override is None:
        override = CalendarOverride(day=day, kind=str(kind), note=note, set_by=actor)
        session.add(override)
        record(
            session,
            actor=actor,
            action="create",
            entity=ENTITY,
            entity_id=None,
            entity_key=day.isoformat(),
            changes={"kind": [None, str(kind)], "note": [None, note]},
        )
        return override
    changes = apply_changes(override, {"kind": str(kind), "note": note})
    if changes:
        override.set_by = actor
        record(
            session,
            actor=actor,
            action="update",
            entity=ENTITY,
            entity_id=None,
            entity_key=day.isoformat(),
            changes=changes,
        )
    return override


def remove_override(session: Session, *, day: date, actor: str) -> None:
    """Drop the office's arrangement for a day: the national arrangement applies again."""
    override = session.get(CalendarOverride, day)
    if override is None:
        raise CalendarError(f"{day.isoformat()} 没有办公室设置，无需取消")
    record(
        session,
        actor=actor,
        action="delete",
        entity=ENTITY,
        entity_id=None,
        entity_key=day.isoformat(),
        changes={
            "kind": [override.kind, None],
            "note": [override.note, None],
            "set_by": [override.set_by, None],
            "set_at": [jsonable(override.set_at), None],
        },
    )
    session.delete(override)


def describe_day(day: date, calendar: WorkCalendar, notes: dict[date, str | None] | None = None) -> DayInfo:
    """Whether `day` is worked and on whose word."""
    if day in calendar.overrides:
        return DayInfo(day, calendar.overrides[day] == DayKind.WORKDAY, DaySource.OFFICE, (notes or {}).get(day))
    try:
        holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UnknownYearWarning)
            return DayInfo(day, calendar.is_workday(day), DaySource.ASSUMED, None)
    note = _holiday_name(name)
    if note and not holiday:
        note += "调休上班"
    return DayInfo(day, not holiday, DaySource.NATIONAL, note)


_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def _holiday_name(name: str | None) -> str | None:
    if name is None:
        return None
    return _HOLIDAY_NAMES.get(name, name)


def month_days(session: Session, year: int, month: int) -> list[DayInfo]:
    """Every day of a month with its kind and source."""
    if not 1 <= month <= 12:
        raise CalendarError(f"无效的月份：{year}年{month}月")
    calendar = load_calendar(session)
    last = _month_calendar.monthrange(year, month)[1]
    rows = (
        session.execute(
            select(CalendarOverride.day, CalendarOverride.note).where(
                CalendarOverride.day.between(date(year, month, 1), date(year, month, last))
            )
        )
        .tuples()
        .all()
    )  # a Result has keys(): dict() would read it as a mapping
    notes: dict[date, str | None] = dict(rows)
    return [describe_day(date(year, month, d), calendar, notes) for d in range(1, last + 1)]


@dataclass(frozen=True)
class NoticeImport:
    year: int
    written: int  # office arrangements entered or changed
    differing: int  # days the notice says otherwise than wufei had them (national, office's or assumed)
    known: bool  # chinese_calendar already had the year


def import_notice(session: Session, notice: HolidayNotice, *, actor: str) -> NoticeImport:
    """Enter a holiday notice read without doubts (`wufei.calendar.notice`): for a year
    chinese_calendar does not know, every day of it (the notice's days with their festival, the
    others Monday to Friday), so the year is known and no longer assumed; for a year it knows, only
    the days the notice says otherwise. Each entry is audited like `set_override`."""
    if notice.doubts:
        raise CalendarError("通知中有需要核对的内容，未写入：" + "；".join(notice.doubts))
    source = f"（{notice.number}）" if notice.number else f"（{notice.year}年节假日安排通知）"
    named = notice.days()
    known = national_year(notice.year) is not None
    calendar = load_calendar(session)
    days = sorted(set(named) | (set() if known else set(_year_days(notice.year))))
    written = differing = 0
    for day in days:
        worked, why = named.get(day, (day.weekday() < 5, None))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UnknownYearWarning)
            had = calendar.is_workday(day)
        differing += had != worked
        if had == worked and day not in calendar.overrides and national_year(day.year) is not None:
            continue  # the built-in national arrangement says it already
        kind = DayKind.WORKDAY if worked else DayKind.HOLIDAY
        existing = session.get(CalendarOverride, day)
        note = f"{why}{source}" if why else None
        if existing is None or existing.kind != str(kind) or existing.note != note:
            set_override(session, day=day, kind=kind, note=note, actor=actor)
            written += 1
    return NoticeImport(notice.year, written, differing, known)


def _year_days(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=n) for n in range((date(year + 1, 1, 1) - first).days)]

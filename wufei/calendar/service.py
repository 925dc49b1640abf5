"""The working-day calendar as stored: office overrides over the national arrangement.

Services take a Session and never commit; every change writes an audit entry.
"""

from __future__ import annotations

import calendar as _month_calendar
import warnings
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import chinese_calendar
from sqlalchemy import select
from sqlalchemy.orm import Session

from wufei.audit.service import apply_changes, jsonable, record
from wufei.calendar.models import CalendarOverride
from wufei.calendar.notice import HolidayNotice
from wufei.calendar.statutory import statutory_holidays
from wufei.calendar.workdays import DayKind, UnknownYearWarning, WorkCalendar, each_day, national_year

ENTITY = "calendar_overrides"
KIND_NAMES = {DayKind.WORKDAY: "工作日", DayKind.HOLIDAY: "休息日"}


class CalendarError(ValueError):
    """A calendar change that cannot be made; the message is Chinese."""


class DaySource(StrEnum):
    OFFICE = "office"  # 办公室设置
    NATIONAL = "national"  # 国家安排 (chinese_calendar)
    ASSUMED = "assumed"  # 按周一至周五扣除法定节假日推定 (a year the package does not know)


SOURCE_NAMES = {
    DaySource.OFFICE: "办公室设置",
    DaySource.NATIONAL: "国家安排",
    DaySource.ASSUMED: "按周一至周五扣除法定节假日推定",
}


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
            holiday_name = statutory_holidays(day.year).get(day)
            note = f"{holiday_name}（法定节假日，调休未知）" if holiday_name else None
            return DayInfo(day, calendar.is_workday(day), DaySource.ASSUMED, note)
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
    written: int  # arrangements entered or changed
    withdrawn: int  # days an earlier import of this year's notice had entered and this one does not name
    kept: list[date]  # the office's own day-by-day entries, left as they are
    differing: int  # days the notice says otherwise than wufei had them (national, office's or assumed)
    known: bool  # chinese_calendar already had the year


class NoticeDisagrees(CalendarError):
    """A notice for a year chinese_calendar knows that says otherwise on some days."""

    def __init__(self, year: int, days: list[date]):
        self.days = days
        shown = "、".join(d.isoformat() for d in days[:10]) + ("……" if len(days) > 10 else "")
        super().__init__(
            f"系统内置的国家安排已含{year}年，通知与之不同的有 {len(days)} 天（{shown}）：请核对通知是否为最终版本"
            "（如春节假期后来延长）；确认以通知为准时加 --force"
        )


def _imported_mark(year: int) -> str:
    return f"据国务院{year}年节假日安排"


def _is_imported(note: str | None) -> bool:
    return bool(note) and "据国务院" in note and "年节假日安排" in note  # type: ignore[operator]


def import_notice(session: Session, notice: HolidayNotice, *, actor: str, force: bool = False) -> NoticeImport:
    """Enter a holiday notice read without doubts (`wufei.calendar.notice`).

    A year chinese_calendar does not know is entered whole (the notice's days with their festival,
    the others Monday to Friday), so it is no longer assumed. For a year it knows, the notice is a
    check: a day it says otherwise is NoticeDisagrees unless `force` (the 2020 notice, before the
    Spring Festival was extended, would undo the extension), and then only those days are entered.
    Each entry's note names the notice (据国务院2027年节假日安排), so importing a corrected notice
    withdraws the days the earlier one entered and this one does not name; the office's own
    day-by-day entries (`set_override`) are never changed, only listed, and neither is a day
    another year's notice entered (2027-12-31 of the 2028 元旦). Each change is audited."""
    if notice.doubts:
        raise CalendarError("通知中有需要核对的内容，未写入：" + "；".join(notice.doubts))
    named = notice.days()
    mark = _imported_mark(notice.year)
    source = f"（{mark}，{notice.number}）" if notice.number else f"（{mark}）"
    year_days = list(each_day(date(notice.year, 1, 1), date(notice.year, 12, 31)))
    known = national_year(notice.year) is not None
    calendar = load_calendar(session)
    overrides = {
        row.day: row
        for row in session.scalars(
            select(CalendarOverride).where(
                CalendarOverride.day.between(date(notice.year - 1, 12, 1), date(notice.year + 1, 1, 31))
            )
        )
    }

    def said(day: date) -> tuple[bool, str | None]:
        # a day the notice does not name: as the fallback has it (a statutory holiday stays one)
        return named.get(day, (day.weekday() < 5 and day not in statutory_holidays(day.year), None))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnknownYearWarning)
        differing = [day for day in sorted(set(year_days) | set(named)) if calendar.is_workday(day) != said(day)[0]]
    if known:
        national = WorkCalendar()
        disagree = [day for day in sorted(set(year_days) | set(named)) if national.is_workday(day) != said(day)[0]]
        if disagree and not force:
            raise NoticeDisagrees(notice.year, disagree)
        wanted = set(disagree)
    else:
        wanted = set(year_days) | set(named)

    written, kept = 0, []
    for day in sorted(wanted):
        row = overrides.get(day)
        if row is not None and not _is_imported(row.note):
            kept.append(day)  # the office's own entry
            continue
        if row is not None and mark not in (row.note or "") and day not in named:
            continue  # another year's notice named it
        worked, why = said(day)
        kind = DayKind.WORKDAY if worked else DayKind.HOLIDAY
        note = f"{why or KIND_NAMES[kind]}{source}"
        if row is None or row.kind != str(kind) or row.note != note:
            set_override(session, day=day, kind=kind, note=note, actor=actor)
            written += 1
    stale = [day for day, row in overrides.items() if mark in (row.note or "") and day not in wanted]
    for day in stale:
        remove_override(session, day=day, actor=actor)
    return NoticeImport(notice.year, written, len(stale), kept, len(differing), known)

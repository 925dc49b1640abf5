"""Weekly reporting windows (周报送): weeks, their labels and when each week's report is due.

A reporting week is an ISO week, Monday to Sunday, named `2024-W23` (第23周). Its window
opens on the first working day at or after the configured weekday (Monday) and closes on the
due weekday (Friday) at the due time (17:00 in the cadence time zone). When the due day is a holiday the
window closes on the previous working day of the week (or the next working day, if the cadence
file says `next_workday`). A week without a working day from its opening to its due day has no
window: the 2024 Spring Festival week (12–18 February, only Sunday the 18th is a 调休 working
day) and the 2023 National Day week (2–8 October, only the weekend is worked) expect no report.

Pure: the calendar and the cadence rules (`CadenceConfig`) are arguments; no database here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from weakref import WeakKeyDictionary

from wufei.cadence.config import CadenceConfig
from wufei.cadence.periods import Period, weeks_in
from wufei.calendar.workdays import WorkCalendar, national_year
from wufei.chinese import WeekError, chinese_week, week_label, week_start


@dataclass(frozen=True)
class ReportingWindow:
    week_start: date
    opens_on: date
    due_at: datetime  # aware, in the cadence time zone
    remind_on: date

    @property
    def label(self) -> str:
        return week_label(self.week_start)

    @property
    def chinese(self) -> str:
        return chinese_week(self.week_start)

    @cached_property
    def due_at_utc(self) -> datetime:
        """`due_at` in UTC, as reports' times are read (comparing times of two zones costs ten times
        as much); kept, as the window is: the windows of equal calendars are shared."""
        return self.due_at.astimezone(UTC)

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


# Each calendar's windows, kept with it: the lights of a day walk every week since a plan began, and
# a run asks for the same weeks again and again (a calendar is built per run; its days never change).
# Keyed by the rules first (hashing the rules costs more than finding a week), then by Monday; the
# lists `windows_between` gave are kept by (first week, day) beside them, and shared like the weeks
# when every week of the list is.
#
# A week whose years (and the years either side) the national calendar knows has the same window on
# every calendar with the same days set by the office and the same rules: those are kept once for all
# such calendars (`_SHARED`), so a process that loads the calendar for each run (a flow worker, the
# demo's replay, the portal) works each week out once. Weeks next to a year the package does not know
# are kept per calendar: working them out warns on each calendar (UnknownYearWarning).
_Windows = dict[date, ReportingWindow | None]
_Lists = dict[tuple[date, date], tuple[ReportingWindow, ...]]
_Known = tuple[_Windows, _Windows, _Lists]  # (weeks shared by equal calendars, this calendar's own, shared lists)
_KNOWN: WeakKeyDictionary[WorkCalendar, dict[tuple[object, object], tuple[_Known, _Lists]]] = WeakKeyDictionary()
_SHARED: dict[tuple[object, ...], _Windows] = {}
_SHARED_LISTS: dict[tuple[object, ...], _Lists] = {}


def _known(calendar: WorkCalendar, config: CadenceConfig) -> tuple[_Known, _Lists]:
    by_rules = _KNOWN.get(calendar)
    if by_rules is None:
        by_rules = _KNOWN[calendar] = {}
    key = (config.weekly, config.timezone)
    known = by_rules.get(key)
    if known is None:
        equal = (type(calendar), frozenset(calendar.overrides.items()), *key)
        shared = _SHARED.setdefault(equal, {})
        known = by_rules[key] = ((shared, {}, _SHARED_LISTS.setdefault(equal, {})), {})
    return known


def reporting_window(week_start_: date, calendar: WorkCalendar, config: CadenceConfig) -> ReportingWindow | None:
    """The window of the week starting on Monday `week_start_`, or None when no report is expected."""
    if week_start_.weekday() != 0:
        raise WeekError(f"报送周应从星期一开始：{week_start_.isoformat()}")
    return _week(week_start_, calendar, config, _known(calendar, config)[0])


def _week(monday: date, calendar: WorkCalendar, config: CadenceConfig, known: _Known) -> ReportingWindow | None:
    shared, own, _lists = known
    if monday in shared:
        return shared[monday]
    if monday in own:
        return own[monday]
    window = _window(monday, calendar, config)
    year = monday.year
    nationally_known = all(national_year(y) is not None for y in (year - 1, year, year + 1))
    (shared if nationally_known else own)[monday] = window
    return window


def _window(week_start_: date, calendar: WorkCalendar, config: CadenceConfig) -> ReportingWindow | None:
    weekly = config.weekly
    week_end = week_start_ + timedelta(days=6)
    opens_from = week_start_ + timedelta(days=weekly.opens)
    due_day = week_start_ + timedelta(days=weekly.due_weekday)

    opens_on = calendar.next_workday(opens_from, include=True)
    if opens_on > week_end:
        return None  # not a single working day from the opening to Sunday
    if not calendar.is_workday(due_day):
        if weekly.if_due_day_is_holiday == "previous_workday":
            due_day = calendar.previous_workday(due_day)
        else:
            due_day = calendar.next_workday(due_day)
    if due_day < opens_on:
        return None  # the working days of the week all fall after the due day (调休 weekend only)
    due_at = datetime.combine(due_day, weekly.due_time, tzinfo=config.timezone)
    before = weekly.remind_workdays_before_due
    remind_on = max(opens_on, calendar.add_workdays(due_day, -before)) if before > 0 else due_day
    return ReportingWindow(week_start=week_start_, opens_on=opens_on, due_at=due_at, remind_on=remind_on)


def closed_weeks(as_of: date, calendar: WorkCalendar, config: CadenceConfig, since: date) -> list[date]:
    """Mondays of the weeks from the one holding `since` whose window closed by the end of `as_of`,
    oldest first. Weeks without a window are left out."""
    return [window.week_start for window in windows_between(since, as_of, calendar, config)]


def windows_between(
    first_week: date, as_of: date, calendar: WorkCalendar, config: CadenceConfig
) -> list[ReportingWindow]:
    """The windows of the closed weeks from `first_week` to `as_of`, oldest first."""
    weeks, lists = _known(calendar, config)
    monday = week_start(first_week)
    key = (monday, as_of)
    found = lists.get(key)
    if found is None:
        _shared, own, shared_lists = weeks
        found = shared_lists.get(key)
        if found is None:
            end = config.end_of_day(as_of)
            windows: list[ReportingWindow] = []
            while monday <= as_of:
                window = _week(monday, calendar, config, weeks)
                if window is not None and window.due_at < end:
                    windows.append(window)
                monday += timedelta(days=7)
            found = tuple(windows)
            if not any(week in own for week in _mondays(key[0], as_of)):
                shared_lists[key] = found
        lists[key] = found
    return list(found)


def _mondays(first: date, last: date) -> Iterator[date]:
    while first <= last:
        yield first
        first += timedelta(days=7)


def last_closed_week(as_of: date, calendar: WorkCalendar, config: CadenceConfig) -> date | None:
    """The Monday of the newest reporting week whose window closed by the end of `as_of` (weeks
    without a window, such as the Spring Festival week, are skipped; eight weeks back at most)."""
    end = config.end_of_day(as_of)
    monday = week_start(as_of)
    for _ in range(8):
        window = reporting_window(monday, calendar, config)
        if window is not None and window.due_at < end:
            return monday
        monday -= timedelta(days=7)
    return None


def last_closed_weeks(as_of: date, calendar: WorkCalendar, config: CadenceConfig) -> list[date]:
    """The Mondays of the newest weeks closed by the end of `as_of` that closed on the same day,
    oldest first: one week, or two when `next_workday` moved a week's due day past a holiday to the
    next week's (2023-W39 and W40 both close on 7 October 2023)."""
    newest = last_closed_week(as_of, calendar, config)
    if newest is None:
        return []
    closes = reporting_window(newest, calendar, config).due_on  # type: ignore[union-attr]
    weeks = [newest]
    for back in (1, 2):
        window = reporting_window(newest - timedelta(days=7 * back), calendar, config)
        if window is not None and window.due_on == closes:
            weeks.insert(0, window.week_start)
    return weeks


def windows_to_remind(as_of: date, calendar: WorkCalendar, config: CadenceConfig) -> list[ReportingWindow]:
    """The windows whose reminder falls on `as_of`: this week's, or last week's when its due day was
    moved into this week (`next_workday`) and the reminder with it."""
    found = []
    for monday in (week_start(as_of) - timedelta(days=7), week_start(as_of)):
        window = reporting_window(monday, calendar, config)
        if window is not None and window.remind_on == as_of:
            found.append(window)
    return found


def next_window_close(as_of: date, calendar: WorkCalendar, config: CadenceConfig) -> date | None:
    """The first day after `as_of` by whose end another reporting window has closed (when
    missing-report streaks can grow), within the next eight weeks."""
    end = config.end_of_day(as_of)
    monday = week_start(as_of)
    for _ in range(9):
        window = reporting_window(monday, calendar, config)
        if window is not None and window.due_at >= end:
            return max(config.local(window.due_at).date(), as_of + timedelta(days=1))
        monday += timedelta(days=7)
    return None


def run_weeks(
    period: Period, previous: Period, since: datetime, until: datetime, calendar: WorkCalendar, config: CadenceConfig
) -> list[date]:
    """Mondays of the weeks a point's run reporting on `period` counts, oldest first: the weeks
    whose Monday is in the period and whose window closed before the run (`until`), and those of
    the period before (`previous`) still open at its run (`since`). So each week is counted by
    exactly one run, once it has closed: the week across a month's end, due after the run that
    reports on its Monday's month, is counted by the next run."""
    weeks = []
    for span, opened in ((previous, since), (period, None)):
        for week in weeks_in(span):
            window = reporting_window(week.start, calendar, config)
            if window is not None and window.due_at < until and (opened is None or window.due_at >= opened):
                weeks.append(week.start)
    return weeks


def due_on(day: date, calendar: WorkCalendar, config: CadenceConfig) -> int:
    """How many windows are due on `day` (none, one, or two when `next_workday` moved last week's
    due day onto this week's)."""
    monday = week_start(day)
    return sum(
        1
        for week in (monday - timedelta(days=7), monday)
        if (window := reporting_window(week, calendar, config)) is not None and window.due_on == day
    )


def lights_streaks(
    streaks: Mapping[int, int], day: date, calendar: WorkCalendar, config: CadenceConfig
) -> dict[int, int]:
    """The missing-report streaks the lights of `day` count, from `missing_streaks` of that day: a
    window due that day (17:00) is not missed yet at its morning's scan (08:30), nor all that day.
    It is the newest of the windows counted, so a task that has not filed it has it at the end of
    its streak; one that filed it on time has no streak either way."""
    still_open = due_on(day, calendar, config)
    if not still_open:
        return dict(streaks)
    return {task_id: max(streak - still_open, 0) for task_id, streak in streaks.items()}


def next_light_count(as_of: date, calendar: WorkCalendar, config: CadenceConfig) -> date | None:
    """The first day after `as_of` whose lights count one more closed window (`lights_streaks`):
    the day after the next window's due day."""
    close = next_window_close(as_of - timedelta(days=1), calendar, config)
    return close + timedelta(days=1) if close is not None else None

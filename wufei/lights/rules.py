"""红黄绿灯: a task's light from its state on a day. Pure: every input is an argument.

The rules are declared in `rules.yaml` (thresholds the office may edit) and applied here:

- done (completed on or before the day) → DONE;
- overdue (the deadline in force, extensions included, has passed) → RED;
- a passed milestone whose expected progress is not reached → RED (configurable);
- behind 序时进度 (the elapsed share of [start, due], in days, capped 0–100, minus the latest
  reported progress; no report counts as 0) by `lag_red_points` → RED, `lag_yellow_points` → YELLOW;
- due within `due_soon_workdays` working days → YELLOW;
- `missing_reports_red` / `_yellow` consecutive closed weeks without a report → RED / YELLOW;
- otherwise GREEN.

A task nobody leads yet (awaiting assignment: no lead named, or a collective the office must
pick from) is lit all the same, never left dark: `awaiting_assignment` (YELLOW by default) says it
waits for a lead, and its deadline still counts (overdue → RED, due soon, before issue). Progress,
milestones and reporting rules wait for a lead: nobody owes a report yet.

ONGOING tasks (持续推进) are judged on reporting only, plus a year-end check: the last weeks of
each year must carry a report. ANNUAL tasks (完成年度任务) are judged against the current year's
31 December, with the year's start as start and only that year's progress.

The worst light wins; the reason lists every rule that fired, worst first. The light is a pure
function of the state, so a red task that catches up turns yellow or green by itself.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date, timedelta
from enum import StrEnum
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from wufei.chinese import chinese_date


class Light(StrEnum):
    """A task's light (its column type in `wufei.lights.models`). It lives with the rules, which
    import nothing heavy: the importer reads them without loading the light history's model."""

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    DONE = "done"


if TYPE_CHECKING:  # the calendar is passed in; only its methods are used
    from wufei.calendar.workdays import WorkCalendar


class Workdays(Protocol):
    """What the rules ask of a calendar (a WorkCalendar, or a MemoCalendar over one)."""

    def is_workday(self, day: date) -> bool: ...

    def workdays_between(self, start: date, end: date) -> int: ...

    def add_workdays(self, day: date, n: int) -> date: ...


FIXED, ANNUAL, ONGOING = "fixed", "annual", "ongoing"  # wufei.tasks.deadlines.DeadlineKind values

# Rule codes, in the order their reasons are listed within one colour.
DONE = "done"
OVERDUE = "overdue"
BEFORE_ISSUE = "before_issue"
MILESTONE_MISSED = "milestone_missed"
LAG = "lag"
DUE_SOON = "due_soon"
MISSING_REPORTS = "missing_reports"
YEAR_END_NO_REPORT = "year_end_no_report"
AWAITING = "awaiting_assignment"
ON_TRACK = "on_track"

RULE_NAMES = {
    DONE: "已完成",
    OVERDUE: "逾期",
    BEFORE_ISSUE: "期限早于方案印发",
    MILESTONE_MISSED: "节点未达标",
    LAG: "落后序时进度",
    DUE_SOON: "临近期限",
    MISSING_REPORTS: "未按时报送",
    YEAR_END_NO_REPORT: "年末无报送",
    AWAITING: "待指定牵头单位",
    ON_TRACK: "按计划推进",
}

ASSESSMENT_CHOICES = ("original", "extended")
_SEVERITY = {Light.RED: 2, Light.YELLOW: 1, Light.GREEN: 0, Light.DONE: 0}


class RulesError(ValueError):
    """A rules file that cannot be used; the message is Chinese."""


@dataclass(frozen=True)
class LightRules:
    due_soon_workdays: int = 5
    lag_yellow_points: int = 10
    lag_red_points: int = 30
    missing_reports_yellow: int = 1
    missing_reports_red: int = 3
    milestone_overdue: Light | None = Light.RED  # None: the rule is off
    year_end_report_weeks: int = 4
    year_end_no_report: Light | None = Light.YELLOW
    before_issue: Light | None = Light.YELLOW
    awaiting_assignment: Light | None = Light.YELLOW  # None (off): judged on its deadline alone
    assessment_uses: str = "original"
    # A deadline on a rest day or statutory holiday counts to the end of the next working day
    # (民法典 第二百零三条), for the lights, overdue counts and scores alike.
    deadline_rolls_over_holidays: bool = True

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> LightRules:
        data = dict(data or {})
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise RulesError(f"亮灯规则中有不认识的设置：{'、'.join(unknown)}")
        values: dict[str, Any] = {}
        for name, value in data.items():
            if name in ("milestone_overdue", "year_end_no_report", "before_issue", "awaiting_assignment"):
                values[name] = _rule_light(name, value)
            elif name == "deadline_rolls_over_holidays":
                if not isinstance(value, bool):
                    raise RulesError(f"deadline_rolls_over_holidays 应为 true 或 false：{value}")
                values[name] = value
            elif name == "assessment_uses":
                if value not in ASSESSMENT_CHOICES:
                    raise RulesError(f"assessment_uses 应为 original 或 extended：{value}")
                values[name] = value
            else:
                if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                    raise RulesError(f"{name} 应为非负整数：{value}")
                values[name] = value
        rules = cls(**values)
        if rules.lag_red_points < rules.lag_yellow_points:
            raise RulesError("lag_red_points 不应小于 lag_yellow_points")
        if rules.missing_reports_red < rules.missing_reports_yellow:
            raise RulesError("missing_reports_red 不应小于 missing_reports_yellow")
        if rules.missing_reports_yellow < 1:
            raise RulesError("missing_reports_yellow 至少为1")
        return rules

    @classmethod
    def load(cls) -> LightRules:
        """The shipped rules.yaml, or the office's copy in WUFEI_CONFIG_DIR."""
        from wufei.config import load_yaml

        return cls.from_dict(load_yaml("lights", "rules.yaml"))


def _rule_light(name: str, value: Any) -> Light | None:
    if value in (None, False, "off"):
        return None
    if value in ("red", "yellow"):
        return Light(value)
    raise RulesError(f"{name} 应为 red、yellow 或 off：{value}")


class MilestonePoint(NamedTuple):
    due_date: date
    expected_progress: int
    title: str


# TaskState and LightResult are values: never assign to a field of one (make another, e.g. with
# dataclasses.replace); the daily scan shares one result among the tasks of equal states. They are
# not frozen all the same: a frozen dataclass takes four times as long to build, and a monthly
# bulletin builds two of each per task and day lit.
@dataclass(slots=True, unsafe_hash=True)
class TaskState:
    task_id: int
    deadline_kind: str
    start: date  # plan issue date, or 1 January of the plan's first year
    due: date | None  # the deadline in force (approved extensions included)
    original_due: date | None  # as printed in the plan
    completed_on: date | None = None
    progress: int | None = None  # latest reported progress, percent
    progress_week: date | None = None  # the reporting week (Monday) of that report
    missing_streak: int = 0  # consecutive closed reporting weeks without a report
    milestones: tuple[MilestonePoint, ...] | list[MilestonePoint] = ()
    awaiting: bool = False  # no lead department yet: judged on its deadline, flagged as waiting


@dataclass(slots=True, unsafe_hash=True)  # a value, never changed (see TaskState)
class LightResult:
    light: Light
    rules: tuple[str, ...]  # codes of the rules that fired, worst first
    reason: str  # Chinese, each fired rule joined with "；"

    def as_dict(self) -> dict[str, Any]:
        return {"light": str(self.light), "reason": self.reason, "rules": list(self.rules)}


class _Fired(NamedTuple):  # a tuple: a scan makes one or two per task
    light: Light
    code: str
    reason: str


_ORDER = [OVERDUE, BEFORE_ISSUE, MILESTONE_MISSED, LAG, DUE_SOON, AWAITING, MISSING_REPORTS, YEAR_END_NO_REPORT]
_RANK = {(light, code): (-severity, _ORDER.index(code)) for light, severity in _SEVERITY.items() for code in _ORDER}


@lru_cache(maxsize=8192)
def done_light(completed_on: date) -> LightResult:
    """The light of a task (not an annual one) done on `completed_on`, on that day and every day
    after: done, whatever else it has. One shared value a completion day (never changed), so that
    the figures, which light every task on two days, judge a done task by its completion day only."""
    return LightResult(Light.DONE, (DONE,), f"已于{chinese_date(completed_on)}完成")


def judge(state: TaskState, as_of: date, calendar: Workdays, rules: LightRules | None = None) -> LightResult:
    """The task's light on `as_of`."""
    rules = rules or LightRules()

    if state.deadline_kind == ANNUAL:
        year = as_of.year
        year_start = date(year, 1, 1)
        if state.completed_on is not None and year_start <= state.completed_on <= as_of:
            return LightResult(Light.DONE, (DONE,), f"{year}年度任务已于{chinese_date(state.completed_on)}完成")
        start = max(state.start, year_start)
        due: date | None = date(year, 12, 31)
        this_year = state.progress_week is not None and state.progress_week.year == year
        progress = state.progress if this_year else None
        milestones = [m for m in state.milestones if m.due_date.year == year]
    else:
        if state.completed_on is not None and state.completed_on <= as_of:
            return done_light(state.completed_on)
        start, due, progress, milestones = state.start, state.due, state.progress, list(state.milestones)

    fired: list[_Fired] = []
    if state.awaiting:
        if state.deadline_kind != ONGOING and due is not None:
            deadline = _deadline_rules(start, due, progress, milestones, as_of, calendar, rules)
            fired += [f for f in deadline if f.code in (OVERDUE, BEFORE_ISSUE, DUE_SOON)]
        if rules.awaiting_assignment is not None:
            fired.append(_Fired(rules.awaiting_assignment, AWAITING, "待指定牵头单位，指定后纳入周报送"))
    elif state.deadline_kind == ONGOING:
        fired += _year_end(state, as_of, rules)
        fired += _reporting(state, rules)
    else:
        if due is not None:
            fired += _deadline_rules(start, due, progress, milestones, as_of, calendar, rules)
        fired += _reporting(state, rules)

    if not fired:
        return LightResult(Light.GREEN, (ON_TRACK,), "按计划推进")
    if len(fired) == 1:
        light, code, reason = fired[0]
        return LightResult(light, (code,), reason)
    fired.sort(key=lambda f: _RANK[f.light, f.code])
    return LightResult(fired[0].light, tuple([f.code for f in fired]), "；".join([f.reason for f in fired]))


def judge_all(
    states: Iterable[TaskState], as_of: date, calendar: WorkCalendar, rules: LightRules | None = None
) -> dict[int, LightResult]:
    """Many tasks on one day: working-day counts are shared through a MemoCalendar."""
    rules = rules or LightRules()
    memo = calendar if isinstance(calendar, MemoCalendar) else MemoCalendar(calendar)
    return {s.task_id: judge(s, as_of, memo, rules) for s in states}


class MemoCalendar:
    """A calendar that remembers working-day counts.

    Counting walks day by day; a scan of many tasks on one day asks the same few (due date, day)
    pairs again and again, since tasks share their due dates."""

    def __init__(self, calendar: WorkCalendar):
        self.calendar = calendar
        self._between: dict[tuple[date, date], int] = {}
        self._added: dict[tuple[date, int], date] = {}

    def is_workday(self, day: date) -> bool:
        return self.calendar.is_workday(day)

    def workdays_between(self, start: date, end: date) -> int:
        count = self._between.get((start, end))
        if count is None:
            count = self._between[(start, end)] = self.calendar.workdays_between(start, end)
        return count

    def add_workdays(self, day: date, n: int) -> date:
        added = self._added.get((day, n))
        if added is None:
            added = self._added[(day, n)] = self.calendar.add_workdays(day, n)
        return added


def counted_deadline(due: date, calendar: Workdays, rules: LightRules) -> date:
    """The last day a deadline counts to: `due`, or, when it falls on a rest day or statutory
    holiday and the rule is on, the next working day (民法典 第二百零三条)."""
    return rolled_deadline(due, calendar, rules.deadline_rolls_over_holidays)


def rolled_deadline(due: date, calendar: Workdays, rolls_over: bool) -> date:
    """`counted_deadline` by the rule's value alone (the escalation ladder is given that)."""
    if not rolls_over or calendar.is_workday(due):
        return due
    return calendar.add_workdays(due, 1)


def rolled_over(due: date, counted: date) -> str:
    """「完成期限10月1日为节假日，顺延至10月8日」 when the deadline rolled over, else ""."""
    if counted == due:
        return ""
    return f"完成期限{_month_day(due)}为节假日，顺延至{_month_day(counted)}"


def _month_day(day: date) -> str:
    return f"{day.month}月{day.day}日"


def expected_progress(start: date, due: date, as_of: date) -> float:
    """序时进度: the elapsed share of [start, due] in days, as a percent capped to 0–100."""
    if as_of >= due:
        return 100.0
    if as_of <= start:
        return 0.0
    return 100.0 * (as_of - start).days / (due - start).days


def round_half_up(value: float) -> int:
    return int(value + 0.5) if value >= 0 else -int(-value + 0.5)


def _deadline_rules(
    start: date,
    due: date,
    progress: int | None,
    milestones: list[MilestonePoint],
    as_of: date,
    calendar: Workdays,
    rules: LightRules,
) -> list[_Fired]:
    if due < start:
        # 2021年底 in a plan issued in 2022: listed as done before the plan; the office confirms.
        if rules.before_issue is None:
            return []
        return [
            _Fired(rules.before_issue, BEFORE_ISSUE, f"完成期限（{chinese_date(due)}）早于方案印发，请确认是否已完成")
        ]
    fired: list[_Fired] = []
    printed, due = due, counted_deadline(due, calendar, rules)
    moved = rolled_over(printed, due)
    if due < as_of:
        late = calendar.workdays_between(due, as_of)
        late_text = f"已逾期{late}个工作日" if late > 0 else "已逾期"
        where = f"{moved}，应于{chinese_date(due)}前完成" if moved else f"应于{chinese_date(due)}完成"
        fired.append(_Fired(Light.RED, OVERDUE, f"{late_text}（{where}）"))
    elif due < calendar.add_workdays(as_of, rules.due_soon_workdays + 1):  # within N working days
        left = calendar.workdays_between(as_of, due)
        if left <= rules.due_soon_workdays:
            when = moved or chinese_date(due)
            if left > 0:
                text = f"距完成期限还有{left}个工作日（{when}）"
            elif as_of == due:
                text = f"当日为完成期限（{when}）"  # read the same in that day's notice and a later bulletin
            else:
                text = f"距完成期限已无工作日（{when}）"
            fired.append(_Fired(Light.YELLOW, DUE_SOON, text))

    done = progress or 0
    if rules.milestone_overdue is not None and milestones:
        missed = [m for m in milestones if m.due_date < as_of and done < m.expected_progress]
        if missed:
            m = max(missed, key=lambda m: (m.due_date, m.expected_progress))
            fired.append(
                _Fired(
                    rules.milestone_overdue,
                    MILESTONE_MISSED,
                    f"未完成{m.title}（应于{chinese_date(m.due_date)}达到{m.expected_progress}%，当前进度{done}%）",
                )
            )

    expected = round_half_up(expected_progress(start, due, as_of))
    lag = expected - done
    light = Light.RED if lag >= rules.lag_red_points else Light.YELLOW if lag >= rules.lag_yellow_points else None
    if light is not None and lag > 0:
        head = f"进度{progress}%" if progress is not None else "尚未报送进度（按0%计）"
        fired.append(_Fired(light, LAG, f"{head}，落后序时进度{lag}个百分点"))
    return fired


def _reporting(state: TaskState, rules: LightRules) -> list[_Fired]:
    streak = state.missing_streak
    if streak >= rules.missing_reports_red:
        light = Light.RED
    elif streak >= rules.missing_reports_yellow:
        light = Light.YELLOW
    else:
        return []
    return [_Fired(light, MISSING_REPORTS, f"连续{streak}周未按时报送进展")]


def _year_end(state: TaskState, as_of: date, rules: LightRules) -> list[_Fired]:
    """The year just ended must carry a report in its last weeks, or a report since."""
    if rules.year_end_no_report is None or rules.year_end_report_weeks <= 0:
        return []
    year_end, window_start = _year_end_weeks(as_of.year - 1, rules.year_end_report_weeks)
    if year_end < state.start:
        return []
    if state.progress_week is not None and state.progress_week >= window_start:
        return []
    return [_Fired(rules.year_end_no_report, YEAR_END_NO_REPORT, f"{year_end.year}年末无进展报送")]


@cache  # a few years and settings: a bulletin asks once an ongoing task and day lit
def _year_end_weeks(year: int, weeks: int) -> tuple[date, date]:
    """31 December of `year` and the Monday of the first of its last `weeks` weeks."""
    year_end = date(year, 12, 31)
    last_monday = year_end - timedelta(days=year_end.weekday())
    return year_end, last_monday - timedelta(weeks=weeks - 1)


def recheck_on(
    state: TaskState,
    as_of: date,
    rules: LightRules,
    *,
    next_window_close: date | None,
    calendar: Workdays,
) -> date | None:
    """The first day after `as_of` on which `judge` could give another light or other rules for
    this state, the state itself unchanged (no new report, deadline, milestone …); None when only
    a change of the state can change them. Erring early is safe (the task is judged again and
    nothing changes); the daily scan judges a task again on this day, or when its inputs change.

    `next_window_close`: the first day after `as_of` on which a reporting window closes (the day
    a missing-report streak can grow), as the caller's calendar says; `calendar` finds where a
    deadline on a holiday rolls over to."""
    candidates: list[date] = []
    if state.deadline_kind == ANNUAL:
        candidates.append(date(as_of.year + 1, 1, 1))  # a new year, a new annual task
        if state.completed_on is not None and date(as_of.year, 1, 1) <= state.completed_on <= as_of:
            return min(candidates)
        start = max(state.start, date(as_of.year, 1, 1))
        due: date | None = date(as_of.year, 12, 31)
        this_year = state.progress_week is not None and state.progress_week.year == as_of.year
        progress = state.progress if this_year else None
    else:
        if state.completed_on is not None and state.completed_on <= as_of:
            return None
        start, due, progress = state.start, state.due, state.progress
    if state.completed_on is not None and state.completed_on > as_of:
        candidates.append(state.completed_on)
    if state.deadline_kind == ONGOING:
        candidates.append(date(as_of.year + 1, 1, 1))  # the year-end check looks at the year just ended
    elif due is not None and due >= start:
        due = counted_deadline(due, calendar, rules)
        candidates += _deadline_changes(start, due, progress or 0, state.milestones, as_of, rules)
    if not state.awaiting and state.missing_streak < rules.missing_reports_red and next_window_close is not None:
        candidates.append(next_window_close)
    return min((day for day in candidates if day > as_of), default=None)


def _deadline_changes(
    start: date,
    due: date,
    done: int,
    milestones: Iterable[MilestonePoint],
    as_of: date,
    rules: LightRules,
) -> list[date]:
    """Days the deadline rules could change on, progress unchanged: the due date drawing near
    (due_soon counts working days: a month ahead covers the longest holidays), passing, a
    milestone passing, 序时进度 reaching the next lag threshold."""
    tomorrow = as_of + timedelta(days=1)
    days = []
    if due >= as_of:
        margin = timedelta(days=2 * (rules.due_soon_workdays + 1) + 15)
        days += [due + timedelta(days=1), max(due - margin, tomorrow)]
    days += [m.due_date + timedelta(days=1) for m in milestones if m.due_date >= as_of]
    span = (due - start).days
    if span > 0:
        lag = round_half_up(expected_progress(start, due, as_of)) - done
        for threshold in sorted({max(rules.lag_yellow_points, 1), max(rules.lag_red_points, 1)}):
            if lag < threshold <= 100 - done:
                # round_half_up(100·x/span) − done ≥ threshold ⇔ x ≥ (threshold + done − 0.5)·span/100;
                # a day early, against rounding
                elapsed = math.ceil((threshold + done - 0.5) * span / 100)
                days.append(max(start + timedelta(days=elapsed - 1), tomorrow))
                break
    return days

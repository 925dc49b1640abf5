"""The registry of cadence points: 月调度、季通报、半年观摩、年终考核, the self-assessment for the
province and the province roll-ups.

Each point is declared once, in a module of its own in this package, as a `CadencePoint`: its
run day (a section of cadence.yaml), its figures (a function of the period's world), its document
builder and the notice its bulletin sends. The runs, the snapshots, the CLI (`wufei cadence`,
`wufei bulletin`), the Prefect flows and deployments (`flows/`) and prefect.yaml (checked by a
test) all loop over this registry; nothing else lists the points.

A point with a `command` runs on its own working day (`wufei cadence run monthly-dispatch`, the
flow and deployment of that name). A point that `follows` another is issued in that point's run,
from the same world: the self-assessment after the year-end assessment, each province roll-up
after the point it rolls up.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from wufei.cadence import periods as P
from wufei.cadence import schedule
from wufei.cadence.config import CadenceConfig, ConfigError, RunDay
from wufei.cadence.periods import Period, PeriodKind
from wufei.cadence.schedule import RunTime
from wufei.calendar.workdays import WorkCalendar
from wufei.notices.models import Audience, NoticeKind

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from wufei.bulletins.document import Document
    from wufei.bulletins.snapshots import Content
    from wufei.figures.world import World

    FiguresFunction = Callable[[Session, World], Any]
    Builder = Callable[[Content, str, str], Document]

# Modules of this package that are not points.
_MACHINERY = frozenset({"registry", "runs", "issue", "commands"})


class PointError(ValueError):
    """An unknown point or a period that does not fit it; the message is Chinese."""


class Scopes(StrEnum):
    JURISDICTIONS = "jurisdictions"  # each jurisdiction with plans under supervision (or the one named)
    PROVINCES = "provinces"  # each province with places under it


@dataclass(frozen=True)
class Notice:
    """Whom an issued bulletin is announced to (liaisons: of every unit named on the scope's
    tasks), with which notice, and in which words: the templates of `template` under
    notifications/templates/ (subject.j2, body.j2), else those of the notice kind."""

    kind: NoticeKind = NoticeKind.BULLETIN_READY
    audiences: tuple[Audience, ...] = (Audience.OFFICE, Audience.GROUP, Audience.LIAISON)
    template: str | None = None


@dataclass(frozen=True)
class CadencePoint:
    name: str  # figures, snapshot and bulletin kind; files are named after it (monthly-2024-05.docx)
    title: str  # what its bulletin is called: 月调度通报
    period_kind: PeriodKind
    schedule: str  # the cadence.yaml section holding its run day (a follower: the followed point's)
    figures: FiguresFunction  # (session, world) → the point's figures dataclass
    builder: Builder  # (snapshot content, snapshot id, title) → the document
    bulletin: str  # the `wufei bulletin` kind naming it (several province points share `province`)
    notice: Notice = field(default_factory=Notice)
    command: str | None = None  # runs by itself: `wufei cadence run <command>`, its flow and deployment
    cron: str | None = None  # the deployment's daily schedule (the calendar decides the day in code)
    description: str = ""  # the flow's description, for people reading the Prefect UI
    follows: str | None = None  # issued in the run of that point, from its world
    scopes: Scopes = Scopes.JURISDICTIONS
    # Written only for a place with a 无废城市 plan (the self-assessment a city sends its province's
    # 无废城市 office), not for a county's 民生实事 (wufei.plans.work).
    zero_waste_only: bool = False

    @property
    def stored(self) -> bool:
        """The run stores these figures in period_figures (kind = the point's name)."""
        return self.follows is None

    def run_day(self, cadence: CadenceConfig) -> RunDay:
        return cadence.run_day(self.schedule)

    def runs_on(self, day: date, calendar: WorkCalendar, cadence: CadenceConfig) -> bool:
        return schedule.runs_on(self.run_day(cadence), day, calendar)

    def may_run_on(self, day: date, cadence: CadenceConfig) -> bool:
        """False when no calendar makes `day` its run day (`schedule.may_run_on`)."""
        return schedule.may_run_on(self.run_day(cadence), day)

    @property
    def run_time(self) -> time:
        """The time of day of its deployment's schedule (`cron`, or the followed point's)."""
        cron = self.cron if self.follows is None else point(self.follows).cron
        if cron is None:
            raise PointError(f"督查督办环节「{self.name}」没有运行时刻（cron）")
        minute, hour = cron.split()[:2]
        return time(int(hour), int(minute))

    def runs(self, cadence: CadenceConfig) -> RunTime:
        return RunTime(self.run_day(cadence), self.run_time)

    def due_period(self, run_day: date) -> Period:
        """The period a run on `run_day` reports on."""
        return P.due_period(self.period_kind, run_day)

    def period(self, label: str | Period) -> Period:
        """The period of `label`, when it is one of this point's kind (else a PeriodError)."""
        period = P.parse(label) if isinstance(label, str) else label
        if period.kind != self.period_kind:
            raise P.PeriodError(f"{self.title}的期间应为{_EXAMPLES[self.period_kind]}，收到「{period.label}」")
        return period

    def default_as_of(self, period: Period, calendar: WorkCalendar, cadence: CadenceConfig, today: date) -> date:
        """The day the cadence reports on the period (the run day in the month after it ends), or
        today when that day has not come yet."""
        following = period.end + timedelta(days=1)
        day = schedule.run_day(self.run_day(cadence), following.year, following.month, calendar) or following
        return min(day, today) if today > period.end else day


_EXAMPLES = {
    PeriodKind.WEEKLY: "2024-W23",
    PeriodKind.MONTHLY: "2024-05",
    PeriodKind.QUARTERLY: "2024-Q2",
    PeriodKind.HALF_YEAR: "2024-H1",
    PeriodKind.ANNUAL: "2024",
}


# --- the registry ----------------------------------------------------------------------------

_POINTS: dict[str, CadencePoint] = {}
_loaded = False


def register(point: CadencePoint) -> CadencePoint:
    """Add a point (a point module calls this when imported). Names and commands are unique; a
    follower names a registered point."""
    if point.name in _POINTS:
        raise PointError(f"节奏环节「{point.name}」重复登记")
    if point.command is not None and any(p.command == point.command for p in _POINTS.values()):
        raise PointError(f"节奏环节命令「{point.command}」重复登记")
    if (point.command is None) == (point.follows is None):
        raise PointError(f"节奏环节「{point.name}」应自行运行（command）或随其他环节生成（follows），二者取一")
    _POINTS[point.name] = point
    return point


def unregister(name: str) -> None:
    _POINTS.pop(name, None)


@contextmanager
def registered(point: CadencePoint) -> Iterator[CadencePoint]:
    """`point` registered for the duration (tests)."""
    load()
    register(point)
    try:
        yield point
    finally:
        unregister(point.name)


def load() -> None:
    """Import every point module of this package once (each registers its points)."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    package = importlib.import_module("wufei.points")
    for module in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if module.name not in _MACHINERY and not module.name.startswith("_"):
            importlib.import_module(f"wufei.points.{module.name}")


def points() -> list[CadencePoint]:
    """Every point: those that run by themselves in the order of their run day in the month
    (monthly, quarterly, half-year, annual), each followed by its followers."""
    load()
    ordered: list[CadencePoint] = []
    for point in sorted((p for p in _POINTS.values() if p.command), key=_order):
        ordered.append(point)
        ordered += followers(point.name)
    return ordered


def _order(point: CadencePoint) -> tuple[int, str]:
    return (list(PeriodKind).index(point.period_kind), point.name)


def scheduled() -> list[CadencePoint]:
    """The points that run by themselves (a command, a flow and a deployment each)."""
    return [p for p in points() if p.command is not None]


def followers(name: str) -> list[CadencePoint]:
    load()
    return sorted((p for p in _POINTS.values() if p.follows == name), key=lambda p: (p.scopes, p.name))


def check_schedules(cadence: CadenceConfig) -> CadenceConfig:
    """`cadence` when each of its run-day sections is some point's: a misspelt section
    (`monthly_dispach`) would leave the default run day in force without a word."""
    known = {p.schedule for p in points()}
    unknown = sorted(set(cadence.run_days) - known)
    if unknown:
        raise ConfigError(
            f"cadence.yaml 中的「{'、'.join(unknown)}」不是任何督查督办环节的运行日设置（写错了吗？"
            f"可写的有：{'、'.join(sorted(known))}）"
        )
    return cadence


def point(name: str) -> CadencePoint:
    """By name (monthly, province_quarterly …) or command (monthly-dispatch)."""
    load()
    found = _POINTS.get(name.replace("-", "_")) or next((p for p in _POINTS.values() if p.command == name), None)
    if found is None:
        raise PointError(f"不认识的督查督办环节：「{name}」（可选：{'、'.join(p.name for p in points())}）")
    return found


def for_bulletin(kind: str, period: str | Period | None = None) -> CadencePoint:
    """The point a `wufei bulletin <kind>` names: `half-year` → half_year; a kind several points
    share (`province`) is told apart by the period's kind."""
    load()
    wanted = kind.replace("_", "-")
    candidates = [p for p in _POINTS.values() if p.bulletin == wanted]
    if len(candidates) > 1:
        if period is None:
            raise PointError(f"「{kind}」需要期间，如 2024-05、2024-Q2、2024-H1 或 2024")
        parsed = P.parse(period) if isinstance(period, str) else period
        candidates = [p for p in candidates if p.period_kind == parsed.kind]
    if len(candidates) != 1:
        raise PointError(f"不认识的通报类型：「{kind}」（应为 {'、'.join(bulletin_kinds())}）")
    return candidates[0]


def bulletin_kinds() -> list[str]:
    """The kinds `wufei bulletin` takes, in the order of the points."""
    kinds: list[str] = []
    for p in points():
        if p.bulletin not in kinds:
            kinds.append(p.bulletin)
    return kinds

"""Taking, finding and locking snapshots: the content a bulletin is built from.

A snapshot's content is plain JSON:

    {"kind", "period" (label, chinese, start, end), "scope", "as_of",
     "figures": what wufei.cadence.figures returned for the period,
     "history": {"lights": [{"period", "chinese", "by_light"}, …]}  (the monthly lights of the
                 twelve months up to the period's end, for the chart of lights over time),
     "ledger": {"tasks": [...], "reports": [...]}  (the rows behind the figures, for the annex)}

Locking (what "a bulletin is built from a locked snapshot" means here):
- A snapshot row never changes once written (content and hash); only `locked_at` is set, once.
- `snapshot_for` returns the newest snapshot of (kind, period, scope) when it is locked, unless
  `refresh` is asked for. Otherwise it gathers the content again (from the figures the cadence
  stored for the period, else computed now; ledger rows read now) and returns the snapshot with
  that content, inserting it when new. So an unlocked snapshot (taken, never issued) follows the
  period's figures until a bulletin is issued; a locked one is kept until someone refreshes.
- Issuing a bulletin (`wufei bulletin …`, `write_bulletins`) locks the snapshot it used. Every
  later regeneration of that period prints the same snapshot id and the same content, whatever
  was edited in the ledger since; `--refresh` takes a new snapshot from the ledger as it is now
  (the same id again when nothing changed), and the old one stays stored.

Services take a Session and never commit.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, selectinload

from wufei.bulletins.models import Snapshot
from wufei.cadence import figures as figure_service
from wufei.cadence import periods as P
from wufei.cadence import schedule
from wufei.cadence.models import PeriodFigures
from wufei.cadence.periods import Period, PeriodKind
from wufei.cadence.windows import end_of_day, load_cadence
from wufei.calendar.workdays import WorkCalendar
from wufei.chinese import week_label
from wufei.db import utcnow
from wufei.lights.rules import LightRules
from wufei.lights.service import compute_lights
from wufei.reports.models import Report
from wufei.reports.service import local_time
from wufei.tasks.models import Role, Task, TaskDepartment

LIGHT_NAMES = figure_service.LIGHT_NAMES
STATUS_NAMES = {"submitted": "待审核", "accepted": "已采纳", "returned": "已退回"}
LIST_KIND_NAMES = {
    "main": "主要任务",
    "institution": "制度体系",
    "technology": "技术体系",
    "market": "市场体系",
    "regulation": "监管体系",
    "project": "工程项目",
    "task": "任务",
}
HISTORY_MONTHS = 12


class SnapshotError(ValueError):
    """A snapshot that cannot be taken; the message is Chinese."""


@dataclass(frozen=True)
class BulletinKind:
    """A kind of bulletin: its period kind, the cadence point whose run day and stored figures
    it shares, and how its figures are computed (a wufei.cadence.figures function, looked up
    when called so figures added later are found)."""

    name: str  # monthly / quarterly / half_year / annual / self_assessment / province_<kind>
    period_kind: PeriodKind
    cadence_kind: str  # wufei.cadence.schedule kind
    function: str  # the name in wufei.cadence.figures
    province: bool = False

    @property
    def stored(self) -> bool:
        """The cadence stores these figures in period_figures (kind = the bulletin's name)."""
        return self.name in CADENCE_KINDS

    def compute(
        self,
        session: Session,
        *,
        period: Period,
        as_of: date,
        calendar: WorkCalendar,
        scope: str,
        cadence: Mapping[str, Any],
        light_rules: LightRules | None,
    ) -> dict[str, Any]:
        function = getattr(figure_service, self.function, None)
        if function is None:
            raise SnapshotError(f"尚不能计算{self.name}的数据（wufei.cadence.figures.{self.function} 不存在）")
        jurisdiction = None if scope == figure_service.ALL_SCOPE else scope
        common = {"as_of": as_of, "calendar": calendar, "cadence": cadence, "light_rules": light_rules}
        if self.name == "self_assessment":
            return function(session, year=period.start.year, jurisdiction=scope, **common)
        if self.province:
            return function(session, kind=str(self.period_kind), period=period, province=scope, **common)
        return function(session, period=period, jurisdiction=jurisdiction, **common)


CADENCE_KINDS = (schedule.MONTHLY, schedule.QUARTERLY, schedule.HALF_YEAR, schedule.ANNUAL)
_PERIOD_KINDS = {
    schedule.MONTHLY: PeriodKind.MONTHLY,
    schedule.QUARTERLY: PeriodKind.QUARTERLY,
    schedule.HALF_YEAR: PeriodKind.HALF_YEAR,
    schedule.ANNUAL: PeriodKind.ANNUAL,
}
KINDS: dict[str, BulletinKind] = {
    **{kind: BulletinKind(kind, _PERIOD_KINDS[kind], kind, f"{kind}_figures") for kind in CADENCE_KINDS},
    "self_assessment": BulletinKind("self_assessment", PeriodKind.ANNUAL, schedule.ANNUAL, "self_assessment_figures"),
    **{
        f"province_{kind}": BulletinKind(
            f"province_{kind}", _PERIOD_KINDS[kind], kind, "province_figures", province=True
        )
        for kind in CADENCE_KINDS
    },
}


# --- canonical content and its hash -----------------------------------------------------------


def canonical_json(content: Mapping[str, Any]) -> str:
    """Sorted keys, no spaces, UTF-8 text: the same content always gives the same string."""
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def plain(content: Mapping[str, Any]) -> dict[str, Any]:
    """The content as it reads back from the database (JSON round trip), so its hash is stable."""
    return json.loads(json.dumps(content, ensure_ascii=False, default=str))


def content_hash(content: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


# --- when -------------------------------------------------------------------------------------


def default_as_of(
    kind: str, period: Period, calendar: WorkCalendar, cadence: Mapping[str, Any] | None, today: date | None = None
) -> date:
    """The day the cadence reports on the period (its working day in the month after it ends),
    or today when that day has not come yet."""
    following = period.end + timedelta(days=1)
    run_day = schedule.run_day(kind, following.year, following.month, calendar, dict(cadence or {}))
    day = run_day or following
    today = today or date.today()
    return min(day, today) if today > period.end else day


# --- gathering --------------------------------------------------------------------------------


def gather(
    session: Session,
    *,
    kind: str,
    period: Period,
    scope: str,
    as_of: date | None,
    calendar: WorkCalendar,
    cadence: Mapping[str, Any] | None = None,
    light_rules: LightRules | None = None,
    use_stored: bool = True,
    compute: Callable[..., dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The content of a snapshot as the ledger stands now (see the module docstring). `compute`
    replaces the kind's figures function (same keywords as `BulletinKind.compute`)."""
    cadence = load_cadence() if cadence is None else cadence
    spec = KINDS[kind]
    stored = None
    if use_stored and as_of is None and spec.stored:
        stored = session.scalar(
            select(PeriodFigures).where(
                PeriodFigures.kind == kind, PeriodFigures.period == period.label, PeriodFigures.scope == scope
            )
        )
    if stored is not None:
        figures, day = stored.figures, stored.as_of
    else:
        day = as_of or default_as_of(spec.cadence_kind, period, calendar, cadence)
        figures = (compute or spec.compute)(
            session, period=period, as_of=day, calendar=calendar, scope=scope, cadence=cadence, light_rules=light_rules
        )
    figures = plain(figures)
    content = {
        "kind": kind,
        "period": period.as_dict(),
        "scope": scope,
        "as_of": day.isoformat(),
        "figures": figures,
        "history": {"lights": light_history(session, kind=kind, period=period, scope=scope, figures=figures)},
        "ledger": ledger_rows(
            session,
            figures=figures,
            period=period,
            calendar=calendar,
            cadence=cadence,
            light_rules=light_rules,
            as_of=day,
        ),
    }
    return plain(content)


def light_history(
    session: Session, *, kind: str, period: Period, scope: str, figures: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """Tasks by light at each month end over the twelve months up to the period's end, from the
    monthly figures the cadence stored; a monthly bulletin's own month from its own figures."""
    months = []
    month = P.containing(PeriodKind.MONTHLY, period.end)
    for _ in range(HISTORY_MONTHS):
        months.append(month)
        month = P.previous(month)
    months.reverse()
    rows = {
        row.period: row.figures
        for row in session.scalars(
            select(PeriodFigures).where(
                PeriodFigures.kind == schedule.MONTHLY,
                PeriodFigures.scope == scope,
                PeriodFigures.period.in_([m.label for m in months]),
            )
        )
    }
    if kind == schedule.MONTHLY:
        rows[period.label] = figures
    history = []
    for month in months:
        by_light = ((rows.get(month.label) or {}).get("totals") or {}).get("by_light")
        if by_light:
            history.append({"period": month.label, "chinese": month.chinese, "by_light": by_light})
    return history


def ledger_rows(
    session: Session,
    *,
    figures: Mapping[str, Any],
    period: Period,
    calendar: WorkCalendar,
    cadence: Mapping[str, Any],
    light_rules: LightRules | None,
    as_of: date,
) -> dict[str, Any]:
    """The ledger behind the figures: every task of the scope's plans with its light on the
    figures' day, and the weekly reports of the period filed by `as_of`."""
    plan_ids = [plan["plan_id"] for plan in figures.get("plans", [])]
    if not plan_ids:
        return {"tasks": [], "reports": []}
    day = date.fromisoformat(figures.get("lights_as_of") or min(period.end, as_of).isoformat())
    tasks = list(
        session.scalars(
            select(Task)
            .where(Task.plan_id.in_(plan_ids))
            .options(selectinload(Task.plan), selectinload(Task.assignments).selectinload(TaskDepartment.department))
            .order_by(Task.plan_id, Task.id)
        )
    )
    lights = compute_lights(
        session, as_of=day, calendar=calendar, rules=light_rules, plan_ids=plan_ids, cadence=cadence
    )
    task_rows = []
    for task in tasks:
        result = lights.get(task.id)
        light = str(result.light) if result else None
        task_rows.append(
            {
                "task_id": task.id,
                "plan": task.plan.doc_number or task.plan.title,
                "list_kind": LIST_KIND_NAMES.get(task.list_kind, task.list_kind),
                "number": task.number,
                "title": task.title,
                "leads": _names(task, Role.LEAD),
                "supporting": _names(task, Role.SUPPORTING),
                "company": task.responsible_entity,
                "deadline_raw": task.deadline_raw,
                "due_date": task.due_date.isoformat() if task.due_date else None,
                "completed_on": task.completed_on.isoformat() if task.completed_on else None,
                "light": light,
                "light_cn": LIGHT_NAMES.get(light, "未纳入督办"),
                "reason": result.reason if result else "未明确牵头单位，不纳入亮灯",
            }
        )
    cutoff = end_of_day(as_of, cadence).astimezone(UTC)
    reports = session.execute(
        select(Report, Task.number, Task.title)
        .join(Task, Task.id == Report.task_id)
        .where(
            Task.plan_id.in_(plan_ids),
            Report.week_start.between(period.start, period.end),
            Report.submitted_at < cutoff,
        )
        .options(selectinload(Report.department))
        .order_by(Report.week_start, Task.plan_id, Report.task_id, Report.version)
    )
    report_rows = [
        {
            "week": week_label(report.week_start),
            "task_id": report.task_id,
            "number": number,
            "title": title,
            "department": report.department.name,
            "version": report.version,
            "progress": report.progress,
            "submitted_at": local_time(report.submitted_at, cadence).strftime("%Y-%m-%d %H:%M"),
            "late": report.late,
            "status": STATUS_NAMES.get(report.status, report.status),
            "done_text": report.done_text,
            "problems": report.problems,
            "next_steps": report.next_steps,
            "review_note": report.review_note,
        }
        for report, number, title in reports
    ]
    return {"tasks": task_rows, "reports": report_rows}


def _names(task: Task, role: Role) -> list[str]:
    return [a.department.name for a in sorted(task.assignments, key=lambda a: a.position) if a.role == role]


# --- storing and finding ----------------------------------------------------------------------


def latest_snapshot(session: Session, *, kind: str, period: str, scope: str) -> Snapshot | None:
    return session.scalars(
        select(Snapshot)
        .where(Snapshot.kind == kind, Snapshot.period == period, Snapshot.scope == scope)
        .order_by(Snapshot.taken_at.desc(), Snapshot.id.desc())
        .limit(1)
    ).first()


def find_snapshot(session: Session, snapshot_id: str) -> Snapshot | None:
    """By the printed id (a prefix of the content hash)."""
    return session.scalars(
        select(Snapshot).where(Snapshot.content_hash.startswith(snapshot_id.lower())).order_by(Snapshot.id)
    ).first()


def store_snapshot(session: Session, content: Mapping[str, Any]) -> Snapshot:
    """The snapshot holding exactly this content, inserted if new (ON CONFLICT DO NOTHING on
    kind, period, scope and hash, so two processes taking the same snapshot store it once)."""
    content = plain(content)
    digest = content_hash(content)
    values = {
        "kind": content["kind"],
        "period": content["period"]["label"],
        "scope": content["scope"],
        "as_of": date.fromisoformat(content["as_of"]),
        "content_hash": digest,
        "content": content,
        "taken_at": utcnow(),
        "locked_at": None,
    }
    dialect = session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Snapshot)
        session.execute(
            insert.values(**values).on_conflict_do_nothing(index_elements=["kind", "period", "scope", "content_hash"])
        )
    else:
        session.add(Snapshot(**values))
        session.flush()
    return session.scalars(
        select(Snapshot).where(
            Snapshot.kind == values["kind"],
            Snapshot.period == values["period"],
            Snapshot.scope == values["scope"],
            Snapshot.content_hash == digest,
        )
    ).one()


def snapshot_for(
    session: Session,
    *,
    kind: str,
    period: Period,
    scope: str,
    calendar: WorkCalendar,
    as_of: date | None = None,
    refresh: bool = False,
    cadence: Mapping[str, Any] | None = None,
    light_rules: LightRules | None = None,
    compute: Callable[..., dict[str, Any]] | None = None,
) -> Snapshot:
    """The snapshot a bulletin of (kind, period, scope) is built from (see the module docstring).
    `as_of` (or `refresh`) computes the figures afresh on that day instead of reading the ones
    the cadence stored."""
    latest = latest_snapshot(session, kind=kind, period=period.label, scope=scope)
    if latest is not None and latest.locked_at is not None and not refresh:
        return latest
    content = gather(
        session,
        kind=kind,
        period=period,
        scope=scope,
        as_of=as_of,
        calendar=calendar,
        cadence=cadence,
        light_rules=light_rules,
        use_stored=not refresh,
        compute=compute,
    )
    snapshot = store_snapshot(session, content)
    if latest is not None and snapshot.id != latest.id and snapshot.taken_at <= latest.taken_at:
        # The same content as an older snapshot, taken again: it is the newest now.
        snapshot.taken_at = utcnow()
        session.flush()
    return snapshot


def lock(session: Session, snapshot: Snapshot) -> Snapshot:
    if snapshot.locked_at is None:
        snapshot.locked_at = utcnow()
        session.flush()
    return snapshot

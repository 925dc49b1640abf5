"""Snapshots: the content a bulletin is built from, stored, found and locked.

A snapshot's content (`Content`, stored as plain JSON) is:

    kind, period (kind, label, chinese, start, end), scope, as_of,
    figures: the point's figures for the period (as wufei.figures.codec writes them),
    history: {lights: [{period, chinese, by_light}, …]} (the monthly lights of the twelve months up
             to the period's end, for the chart of lights over time),
    ledger: {tasks: [...], reports: [...]} (the rows behind the figures, for the annex)

Locking (what "a bulletin is built from a locked snapshot" means here):
- A snapshot row never changes once written (content and hash); only `locked_at` is set, once.
- The newest snapshot of (kind, period, scope) is reused while it is locked, unless a refresh is
  asked for (wufei.points.issue); otherwise the content is gathered again from the figures and
  the world of the run, and the snapshot with that content is returned, inserted when new.
- Issuing a bulletin locks the snapshot it used, so every later regeneration of that period
  prints the same snapshot id and the same content, whatever was edited in the ledger since.

Services take a Session and never commit.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from wufei.bulletins.models import Snapshot
from wufei.cadence import periods as P
from wufei.cadence.periods import Period, PeriodKind
from wufei.calendar.workdays import assumed_note
from wufei.chinese import week_label
from wufei.db import utcnow
from wufei.figures.codec import absent_when_none, from_json, to_json
from wufei.figures.common import LightCounts, PeriodInfo
from wufei.figures.models import PeriodFigures
from wufei.figures.world import World
from wufei.reports.service import STATUS_NAMES, local_time
from wufei.tasks.models import LIST_NAMES

HISTORY_MONTHS = 12
MONTHLY = "monthly"  # the point whose stored figures give the lights over time


@dataclass
class HistoryPoint:
    period: str
    chinese: str
    by_light: LightCounts


@dataclass
class History:
    lights: list[HistoryPoint]


@dataclass
class LedgerTask:
    task_id: int
    plan: str
    list_kind: str  # the list's Chinese name
    number: str
    title: str
    leads: list[str]
    supporting: list[str]
    company: str | None
    deadline_raw: str | None
    due_date: date | None
    completed_on: date | None
    light: str | None
    light_cn: str
    reason: str


@dataclass
class LedgerReport:
    week: str
    task_id: int
    number: str
    title: str
    department: str
    version: int
    progress: int
    submitted_at: str  # local time, 2024-06-07 16:30
    late: bool
    status: str  # Chinese
    done_text: str | None
    problems: str | None
    next_steps: str | None
    review_note: str | None


@dataclass
class Ledger:
    tasks: list[LedgerTask]
    reports: list[LedgerReport]


@dataclass
class Content:
    kind: str
    period: PeriodInfo
    scope: str
    as_of: date
    figures: dict[str, Any]  # the figures as stored; each builder reads them into its point's type
    history: History
    ledger: Ledger
    # Years counted Monday–Friday for want of their holiday arrangement (workdays.assumed_note);
    # none in snapshots taken before it.
    calendar_note: str | None = absent_when_none()

    @classmethod
    def of(cls, snapshot: Snapshot) -> Content:
        return from_json(cls, snapshot.content)


class SnapshotError(ValueError):
    """A snapshot that cannot be taken; the message is Chinese."""


# --- canonical content and its hash -----------------------------------------------------------


def canonical_json(content: Mapping[str, Any]) -> str:
    """Sorted keys, no spaces, UTF-8 text: the same content always gives the same string."""
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def plain(content: Any) -> dict[str, Any]:
    """The content as it reads back from the database (JSON round trip), so its hash is stable."""
    data: dict[str, Any] = json.loads(json.dumps(to_json(content), ensure_ascii=False, default=str))
    return data


def content_hash(content: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


# --- gathering --------------------------------------------------------------------------------


def gather(session: Session, *, kind: str, figures: Any, world: World) -> dict[str, Any]:
    """The content of a snapshot of `kind` as plain JSON data (`plain`): the figures (typed, or as
    stored), the lights history and the ledger rows of the world they were computed from."""
    plain_figures = to_json(figures)  # the whole content makes its JSON round trip below, once
    content = Content(
        kind=kind,
        period=PeriodInfo.of(world.period),
        scope=world.scope,
        as_of=world.as_of,
        figures=plain_figures,
        history=History(
            light_history(session, kind=kind, period=world.period, scope=world.scope, figures=plain_figures)
        ),
        ledger=ledger_rows(session, world),
        calendar_note=assumed_note(years) if (years := world.assumed_years()) else None,
    )
    return plain(content)


def light_history(
    session: Session, *, kind: str, period: Period, scope: str, figures: Mapping[str, Any]
) -> list[HistoryPoint]:
    """Tasks by light at each month end over the twelve months up to the period's end, from the
    monthly figures the cadence stored; a monthly bulletin's own month from its own figures."""
    months = []
    month = P.containing(PeriodKind.MONTHLY, period.end)
    for _ in range(HISTORY_MONTHS):
        months.append(month)
        month = P.previous(month)
    months.reverse()
    rows: dict[str, Mapping[str, Any]] = {
        row.period: row.figures
        for row in session.scalars(
            select(PeriodFigures).where(
                PeriodFigures.kind == MONTHLY,
                PeriodFigures.scope == scope,
                PeriodFigures.period.in_([m.label for m in months]),
            )
        )
    }
    if kind == MONTHLY:
        rows[period.label] = figures
    history = []
    for month in months:
        by_light = ((rows.get(month.label) or {}).get("totals") or {}).get("by_light")
        if by_light:
            history.append(HistoryPoint(month.label, month.chinese, from_json(LightCounts, by_light)))
    return history


def ledger_rows(session: Session, world: World) -> Ledger:
    """The ledger behind the figures: every task of the world's plans with its light on the
    figures' day, and the weekly reports of the period filed by `as_of`."""
    cadence = world.rules.cadence
    tasks = [
        LedgerTask(
            task_id=task.id,
            plan=task.plan.name,
            list_kind=LIST_NAMES.get(task.list_kind, str(task.list_kind)),
            number=task.reference,  # as 周报送记录 and the bulletin's tables name it: 工程项目2
            title=task.title,
            leads=task.leads,
            supporting=task.supporting,
            company=task.responsible_entity,
            deadline_raw=task.deadline_raw,
            due_date=task.due_date,
            completed_on=task.completed_on,
            light=str(light) if (light := world.light(task.id)) is not None else None,
            light_cn=world.light_cn(task.id),
            reason=world.reason(task.id),
        )
        for task in world.tasks.values()
    ]
    reports = []
    for report in world.period_reports(session):
        task = world.tasks[report.task_id]
        submitted = local_time(report.submitted_at, cadence)
        reports.append(
            LedgerReport(
                week=week_label(report.week_start),
                task_id=report.task_id,
                number=task.reference,
                title=task.title,
                department=report.department.name,
                version=report.version,
                progress=report.progress,
                submitted_at=submitted.strftime("%Y-%m-%d %H:%M") if submitted else "",
                late=report.late,
                status=STATUS_NAMES.get(report.status, str(report.status)),
                done_text=report.done_text,
                problems=report.problems,
                next_steps=report.next_steps,
                review_note=report.review_note,
            )
        )
    return Ledger(tasks, reports)


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
    kind, period, scope and hash, so two processes taking the same snapshot store it once).
    `content` is plain JSON data as `gather` gives it (hashed as it will read back)."""
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


def lock(session: Session, snapshot: Snapshot) -> Snapshot:
    if snapshot.locked_at is None:
        snapshot.locked_at = utcnow()
        session.flush()
    return snapshot

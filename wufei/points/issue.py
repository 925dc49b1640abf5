"""Issuing bulletins: world → figures → snapshot → document → files, and the point's notices.

`issue_bulletin` takes a Session and never commits. `issue_bulletins` is the unit of work of
`wufei bulletin`; `issue_run` is what a cadence run issues after storing its figures (the run,
the CLI and the Prefect flows all issue through it): the point's bulletin for each scope, then
its followers' (the self-assessment after the year-end assessment; the province roll-ups when no
jurisdiction is named), each from the world the run built. The snapshot is locked and the
notices are created only when every file of a bulletin was written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from wufei.bulletins.document import Document
from wufei.bulletins.models import Snapshot
from wufei.bulletins.render import FORMS, bulletin_dir, write_files
from wufei.bulletins.snapshots import Content, gather, latest_snapshot, lock, store_snapshot
from wufei.cadence.periods import Period
from wufei.calendar.service import load_calendar
from wufei.calendar.workdays import WorkCalendar
from wufei.db import transaction, utcnow
from wufei.departments.models import Department, DepartmentKind
from wufei.figures.codec import from_json
from wufei.figures.common import PlanRef
from wufei.figures.province import province_plans
from wufei.figures.store import stored_figures
from wufei.figures.world import ALL_SCOPE, PlanRow, World, build_world, scope_plan_rows
from wufei.notices.models import Audience
from wufei.notices.service import create_intents
from wufei.plans.models import Jurisdiction, JurisdictionLevel, Plan
from wufei.plans.queries import supervising_jurisdictions
from wufei.plans.work import any_zero_waste, is_zero_waste
from wufei.points import registry
from wufei.points.registry import CadencePoint, PointError, Scopes
from wufei.ruleset import Ruleset
from wufei.tasks.models import Task, TaskDepartment


@dataclass
class Issued:
    point: CadencePoint
    snapshot: Snapshot
    document: Document
    paths: list[Path] = field(default_factory=list)
    notices: int = 0

    @property
    def snapshot_id(self) -> str:
        return self.snapshot.snapshot_id


def scopes(
    session: Session, point: CadencePoint, jurisdiction: str | None = None, *, period: Period | None = None
) -> list[str]:
    """The scopes a bulletin of `point` is written for: each province with a 无废城市 plan of its own
    or of a place under it for a province roll-up (a city above a county's plan gets none: the
    document speaks of 全省 and 各设区市; a province above only other plans, 洋县's 民生实事, none: it
    is the 无废城市 offices' roll-up), else each jurisdiction with plans under supervision (the
    scopes a run stores figures for). `jurisdiction` picks one ("全部": every jurisdiction's plans
    together); with `period`, only the scopes that had a plan issued by its end."""
    if point.scopes is Scopes.PROVINCES:
        zero_waste = _zero_waste_provinces(session)
        names = [
            name
            for name in session.scalars(
                select(Jurisdiction.name)
                .where(
                    Jurisdiction.level == JurisdictionLevel.PROVINCE,
                    Jurisdiction.id.in_(select(Jurisdiction.parent_id).where(Jurisdiction.parent_id.is_not(None))),
                )
                .order_by(Jurisdiction.name)
            )
            if name in zero_waste
        ]
    else:
        names = supervising_jurisdictions(session)
    if jurisdiction is not None:
        if jurisdiction not in names and jurisdiction != ALL_SCOPE:
            raise PointError(f"「{jurisdiction}」没有可生成{point.title}的数据（可选：{'、'.join(names) or '无'}）")
        names = [jurisdiction]
    if period is None:
        return names
    return [name for name in names if _has_plans(session, point, name, period)]


def _has_plans(session: Session, point: CadencePoint, scope: str, period: Period) -> bool:
    """Whether the scope had a plan issued by the period's end: no bulletin (nor its notices) of a
    month before the plan was issued."""
    if point.scopes is Scopes.PROVINCES:
        return bool(province_plans(session, scope, period)[1])
    return bool(scope_plan_rows(session, None if scope == ALL_SCOPE else scope, until=period.end))


def _zero_waste_provinces(session: Session) -> set[str]:
    """The provinces with a 无废城市 plan of their own or of a place under them."""
    places = {
        row.id: row
        for row in session.execute(
            select(Jurisdiction.id, Jurisdiction.parent_id, Jurisdiction.name, Jurisdiction.level)
        )
    }
    provinces = set()
    for title, place_id in session.execute(select(Plan.title, Plan.jurisdiction_id)):
        if not is_zero_waste(title):
            continue
        place = places.get(place_id)
        while place is not None and place.level != JurisdictionLevel.PROVINCE:
            place = places.get(place.parent_id) if place.parent_id is not None else None
        if place is not None:
            provinces.add(place.name)
    return provinces


def world_for(
    session: Session,
    point: CadencePoint,
    *,
    scope: str,
    period: Period,
    as_of: date,
    calendar: WorkCalendar,
    rules: Ruleset,
    plan_ids: list[int] | None = None,
    day: date | None = None,
) -> World:
    """The world a point's figures of `scope` are computed from: a province's cities and own plans
    for a roll-up, else the plans the jurisdiction answers for; `plan_ids`: exactly these (the
    plans stored figures were computed from)."""
    jurisdiction = None if scope == ALL_SCOPE else scope
    plans: list[Plan] | list[PlanRow]
    if plan_ids is not None:
        plans = list(session.scalars(select(Plan).where(Plan.id.in_(plan_ids)).order_by(Plan.id)))
    elif point.scopes is Scopes.PROVINCES:
        plans = province_plans(session, scope, period)[1]
    else:
        plans = scope_plan_rows(session, jurisdiction, until=period.end)
    return build_world(
        session,
        scope=scope,
        jurisdiction=jurisdiction,
        plans=plans,
        period=period,
        as_of=as_of,
        calendar=calendar,
        rules=rules,
        day=day,
        runs=point.runs(rules.cadence),
    )


def snapshot_for(
    session: Session,
    point: CadencePoint,
    *,
    period: Period,
    scope: str,
    calendar: WorkCalendar,
    rules: Ruleset,
    as_of: date | None = None,
    refresh: bool = False,
    world: World | None = None,
    today: date | None = None,
) -> Snapshot:
    """The snapshot a bulletin of (point, period, scope) is built from: the newest one when it is
    locked (unless `refresh`); otherwise the content gathered now, from the figures the run
    stored (a stored point, neither `as_of` nor `refresh` asked for) or computed on `as_of`
    (default: the point's run day), and the ledger of the world they came from. `world`: the
    run's world of this scope, when the caller has it."""
    latest = latest_snapshot(session, kind=point.name, period=period.label, scope=scope)
    if latest is not None and latest.locked_at is not None and not refresh:
        return latest
    stored = None
    if point.stored and not refresh and as_of is None:
        stored = stored_figures(session, kind=point.name, period=period.label, scope=scope)
    figures: Any
    if stored is not None:
        figures = stored.figures
        if world is None or world.as_of != stored.as_of:
            plans = from_json(list[PlanRef], figures.get("plans", []))
            world = world_for(
                session,
                point,
                scope=scope,
                period=period,
                as_of=stored.as_of,
                calendar=calendar,
                rules=rules,
                plan_ids=[plan.plan_id for plan in plans],
                day=date.fromisoformat(figures["lights_as_of"]) if figures.get("lights_as_of") else None,
            )
    else:
        day = as_of or point.default_as_of(period, calendar, rules.cadence, today or rules.cadence.today())
        if world is None or world.as_of != day:
            world = world_for(session, point, scope=scope, period=period, as_of=day, calendar=calendar, rules=rules)
        figures = point.figures(session, world)
    snapshot = store_snapshot(session, gather(session, kind=point.name, figures=figures, world=world))
    if latest is not None and snapshot.id != latest.id and snapshot.taken_at <= latest.taken_at:
        # The same content as an older snapshot, taken again: it is the newest now.
        snapshot.taken_at = utcnow()
        session.flush()
    return snapshot


def document_for(snapshot: Snapshot) -> Document:
    point = registry.point(snapshot.kind)
    return point.builder(Content.of(snapshot), snapshot.snapshot_id, point.title)


def issue_bulletin(
    session: Session,
    point: CadencePoint,
    *,
    period: Period,
    scope: str,
    out_dir: Path,
    calendar: WorkCalendar,
    rules: Ruleset,
    as_of: date | None = None,
    refresh: bool = False,
    notify_on: date | None = None,
    forms: tuple[str, ...] = FORMS,
    world: World | None = None,
) -> Issued:
    """Write one bulletin of one scope from its locked snapshot (taken if there is none), lock
    the snapshot, and create the point's notices (dated `notify_on`, else the snapshot's day)."""
    snapshot = snapshot_for(
        session,
        point,
        period=period,
        scope=scope,
        calendar=calendar,
        rules=rules,
        as_of=as_of,
        refresh=refresh,
        world=world,
    )
    doc = document_for(snapshot)
    paths = write_files(doc, out_dir, forms)
    lock(session, snapshot)
    notices = ready_notices(
        session, point, snapshot=snapshot, document=doc, paths=paths, day=notify_on or snapshot.as_of
    )
    return Issued(point, snapshot, doc, paths, notices)


def ready_notices(
    session: Session, point: CadencePoint, *, snapshot: Snapshot, document: Document, paths: list[Path], day: date
) -> int:
    """The point's notice (通报已生成) to each of its audiences: the office and the leadership
    group once, the liaison of every unit named on the scope's tasks; one per snapshot and
    recipient (a regenerated bulletin of the same snapshot notifies nobody twice, a refreshed
    one with new content does)."""
    # Absolute: delivery may run from another directory, or on a worker sharing the folder.
    html = next((str(p.resolve()) for p in paths if p.suffix == ".html"), None)
    payload = {
        "title": document.title,
        "period": document.period["chinese"],
        "kind": document.kind,
        "kind_cn": document.kind_cn,
        "scope": document.scope,
        "snapshot_id": snapshot.snapshot_id,
        "path": html,
        "files": [str(p.resolve()) for p in paths if p.suffix != ".png"],
    }
    notice = point.notice
    if notice.template is not None:
        payload["template"] = notice.template
    base = f"{notice.kind}|{snapshot.kind}|{snapshot.period}|{snapshot.scope}|{snapshot.snapshot_id}"

    def intent(audience: Audience, department_id: int | None) -> dict[str, Any]:
        return {
            "key": f"{base}|{audience}|dept:{'-' if department_id is None else department_id}",
            "kind": str(notice.kind),
            "step": snapshot.kind,
            "audience": str(audience),
            "department_id": department_id,
            "period": snapshot.period,
            "created_on": day,
            "payload": payload,
        }

    intents = [intent(audience, None) for audience in notice.audiences if audience != Audience.LIAISON]
    plans = from_json(list[PlanRef], snapshot.content["figures"].get("plans", []))
    if Audience.LIAISON in notice.audiences and plans:
        departments = session.scalars(
            select(Department.id)
            .join(TaskDepartment, TaskDepartment.department_id == Department.id)
            .join(Task, Task.id == TaskDepartment.task_id)
            .where(Task.plan_id.in_([plan.plan_id for plan in plans]), Department.kind != DepartmentKind.GROUP)
            .distinct()
            .order_by(Department.id)
        )
        intents += [intent(Audience.LIAISON, department_id) for department_id in departments]
    return len(create_intents(session, intents))


def issue_bulletins(
    engine: Engine,
    point: CadencePoint,
    *,
    period: Period,
    rules: Ruleset,
    out_dir: Path | str | None = None,
    jurisdiction: str | None = None,
    refresh: bool = False,
    figures_as_of: date | None = None,
    notify_on: date | None = None,
    worlds: dict[str, World] | None = None,
    forms: tuple[str, ...] = FORMS,
    asked: bool = False,
) -> list[Issued]:
    """The bulletin of `period` for each scope of the point (or `jurisdiction`), written under
    `out_dir/<scope>/` (default WUFEI_BULLETIN_DIR), notices dated `notify_on`. One transaction.
    `worlds`: the run's worlds by scope. A place none of whose plans was out by the period's end
    gets none, even when asked (洋县's plan of 2 April 2024 had a Q1 circular of 「纳入督办的任务0项」
    sent to its leaders on 8 April); nor does a place with no 无废城市 plan get a `zero_waste_only`
    point's unless a person `asked` for it (`wufei bulletin`; 洋县's 民生实事 got 「洋县“无废城市”建设
    2024年度自评估报告」)."""
    out = Path(out_dir) if out_dir is not None else bulletin_dir()
    issued = []
    with transaction(engine) as session:
        calendar = load_calendar(session)
        for scope in scopes(session, point, jurisdiction, period=period):
            if not asked and point.zero_waste_only and point.scopes is not Scopes.PROVINCES and scope != ALL_SCOPE:
                titles = [plan.title for plan in scope_plan_rows(session, scope, until=period.end)]
                if not any_zero_waste(titles):
                    continue
            issued.append(
                issue_bulletin(
                    session,
                    point,
                    period=period,
                    scope=scope,
                    out_dir=out / scope,
                    calendar=calendar,
                    rules=rules,
                    as_of=figures_as_of,
                    refresh=refresh,
                    notify_on=notify_on,
                    forms=forms,
                    world=(worlds or {}).get(scope),
                )
            )
    return issued


def issue_run(
    engine: Engine,
    point: CadencePoint,
    *,
    period: Period,
    as_of: date,
    rules: Ruleset,
    out_dir: Path | str | None = None,
    jurisdiction: str | None = None,
    worlds: dict[str, World] | None = None,
    forms: tuple[str, ...] = FORMS,
) -> list[Issued]:
    """Everything a run of `point` issues once its figures are stored: its bulletin of each scope
    (or of `jurisdiction`), then each follower's: those of the same scopes from the same worlds,
    and, when no jurisdiction is named, the province roll-ups (a province fanned out city by
    city issues its roll-up from the province's own run). Each is its own transaction; a rerun
    rewrites the same files from the same locked snapshots."""
    issued = issue_bulletins(
        engine,
        point,
        period=period,
        rules=rules,
        out_dir=out_dir,
        jurisdiction=jurisdiction,
        notify_on=as_of,
        worlds=worlds,
        forms=forms,
    )
    for follower in registry.followers(point.name):
        if follower.scopes is Scopes.PROVINCES and jurisdiction is not None:
            continue
        issued += issue_bulletins(
            engine,
            follower,
            period=period,
            rules=rules,
            out_dir=out_dir,
            jurisdiction=jurisdiction if follower.scopes is Scopes.JURISDICTIONS else None,
            figures_as_of=as_of,
            notify_on=as_of,
            worlds=worlds if follower.scopes is point.scopes else None,
            forms=forms,
        )
    return issued

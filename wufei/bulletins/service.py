"""Issuing bulletins: snapshot → document → files, and the `bulletin_ready` notices.

`issue_bulletin` takes a Session and never commits; `write_bulletins` is the unit of work the
CLI and the cadence flows call (one transaction: the snapshot is locked and the notices are
created only when every file was written).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from wufei.bulletins import kinds, render
from wufei.bulletins.document import Document
from wufei.bulletins.models import Snapshot
from wufei.bulletins.snapshots import KINDS, lock, snapshot_for
from wufei.cadence import periods as P
from wufei.cadence.figures import ALL_SCOPE
from wufei.cadence.periods import Period
from wufei.calendar.service import load_calendar
from wufei.calendar.workdays import WorkCalendar
from wufei.db import transaction
from wufei.departments.models import Department, DepartmentKind
from wufei.lights.rules import LightRules
from wufei.notices.models import Audience, NoticeKind
from wufei.notices.service import create_intents
from wufei.plans.models import Jurisdiction, Plan
from wufei.tasks.models import Task, TaskDepartment

FORMS = ("md", "html", "docx", "xlsx")
KIND_ALIASES = {"half-year": "half_year"}


class BulletinError(ValueError):
    """A bulletin that cannot be issued; the message is Chinese."""


@dataclass
class Issued:
    snapshot: Snapshot
    document: Document
    paths: list[Path] = field(default_factory=list)
    notices: int = 0

    @property
    def snapshot_id(self) -> str:
        return self.snapshot.snapshot_id


def kind_of(name: str, period: str | Period | None = None) -> str:
    """The bulletin kind of a command-line name: `half-year` → half_year, `self-assessment` →
    self_assessment, `province` with a period label → province_<the label's kind>."""
    kind = name.replace("-", "_")
    if kind == "province":
        if period is None:
            raise BulletinError("省级汇总需要期间，如 2024-05、2024-Q2、2024-H1 或 2024")
        parsed = P.parse(period) if isinstance(period, str) else period
        kind = f"province_{parsed.kind}"
    if kind not in KINDS:
        raise BulletinError(
            f"不认识的通报类型：「{name}」（应为 monthly、quarterly、half-year、annual、self-assessment 或 province）"
        )
    return kind


def period_of(kind: str, label: str | Period) -> Period:
    period = P.parse(label) if isinstance(label, str) else label
    wanted = KINDS[kind].period_kind
    if period.kind != wanted:
        raise BulletinError(f"{kinds.KIND_TITLES.get(kind, kind)}的期间应为{_EXAMPLES[wanted]}，收到「{period.label}」")
    return period


_EXAMPLES = {"monthly": "2024-05", "quarterly": "2024-Q2", "half_year": "2024-H1", "annual": "2024"}


def scopes(session: Session, kind: str, jurisdiction: str | None = None) -> list[str]:
    """The scopes a bulletin of `kind` is written for: a province view for each jurisdiction
    with cities under it; otherwise each jurisdiction with plans under supervision (the scopes
    the cadence stores figures for). `jurisdiction` picks one."""
    if KINDS[kind].province:
        names = list(
            session.scalars(
                select(Jurisdiction.name)
                .where(Jurisdiction.id.in_(select(Jurisdiction.parent_id).where(Jurisdiction.parent_id.is_not(None))))
                .order_by(Jurisdiction.name)
            )
        )
    else:
        names = list(
            session.scalars(
                select(Jurisdiction.name)
                .join(Plan, Plan.jurisdiction_id == Jurisdiction.id)
                .where(Plan.kind == "plan")
                .distinct()
                .order_by(Jurisdiction.name)
            )
        )
    if jurisdiction is None:
        return names
    if jurisdiction not in names and jurisdiction != ALL_SCOPE:
        raise BulletinError(
            f"「{jurisdiction}」没有可生成{kinds.KIND_TITLES.get(kind, kind)}的数据（可选：{'、'.join(names) or '无'}）"
        )
    return [jurisdiction]


def document_for(snapshot: Snapshot) -> Document:
    return kinds.build(snapshot.content, snapshot.snapshot_id)


def write_files(doc: Document, out_dir: Path, forms: tuple[str, ...] = FORMS) -> list[Path]:
    """The document's files in `out_dir` (charts as PNG beside the Markdown that links them)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = render.file_stem(doc)
    paths = []
    if "md" in forms:
        for chart in doc.charts():
            path = out_dir / render.chart_file(doc, chart)
            path.write_bytes(chart.png)
            paths.append(path)
        path = out_dir / f"{stem}.md"
        path.write_text(render.markdown(doc), encoding="utf-8")
        paths.append(path)
    if "html" in forms:
        path = out_dir / f"{stem}.html"
        path.write_text(render.html(doc), encoding="utf-8")
        paths.append(path)
    if "docx" in forms:
        paths.append(render.docx(doc, out_dir / f"{stem}.docx"))
    if "xlsx" in forms:
        paths.append(render.xlsx(doc, out_dir / f"{stem}-annex.xlsx"))
    return paths


def issue_bulletin(
    session: Session,
    *,
    kind: str,
    period: Period | str,
    scope: str,
    out_dir: Path,
    calendar: WorkCalendar,
    as_of: date | None = None,
    refresh: bool = False,
    notify_on: date | None = None,
    cadence: Mapping[str, Any] | None = None,
    light_rules: LightRules | None = None,
    forms: tuple[str, ...] = FORMS,
) -> Issued:
    """Write one bulletin of one scope from its locked snapshot (taken if there is none), lock
    the snapshot, and create its `bulletin_ready` notices (dated `notify_on`, else the
    snapshot's day)."""
    kind = kind_of(kind, period)
    period = period_of(kind, period)
    snapshot = snapshot_for(
        session,
        kind=kind,
        period=period,
        scope=scope,
        calendar=calendar,
        as_of=as_of,
        refresh=refresh,
        cadence=cadence,
        light_rules=light_rules,
    )
    doc = document_for(snapshot)
    paths = write_files(doc, out_dir, forms)
    lock(session, snapshot)
    notices = ready_notices(session, snapshot=snapshot, document=doc, paths=paths, day=notify_on or snapshot.as_of)
    return Issued(snapshot, doc, paths, notices)


def ready_notices(session: Session, *, snapshot: Snapshot, document: Document, paths: list[Path], day: date) -> int:
    """`bulletin_ready` to the office, the leadership group and the liaison of every unit named
    on the scope's tasks; one per snapshot and recipient (a regenerated bulletin of the same
    snapshot notifies nobody twice, a refreshed one with new content does)."""
    html = next((str(p) for p in paths if p.suffix == ".html"), None)
    payload = {
        "title": document.title,
        "period": document.period["chinese"],
        "kind": document.kind,
        "kind_cn": document.kind_cn,
        "scope": document.scope,
        "snapshot_id": snapshot.snapshot_id,
        "path": html,
        "files": [str(p) for p in paths if p.suffix != ".png"],
    }
    base = f"bulletin_ready|{snapshot.kind}|{snapshot.period}|{snapshot.scope}|{snapshot.snapshot_id}"
    intents = [
        {
            "key": f"{base}|{audience}|dept:-",
            "kind": str(NoticeKind.BULLETIN_READY),
            "step": snapshot.kind,
            "audience": str(audience),
            "department_id": None,
            "period": snapshot.period,
            "created_on": day,
            "payload": payload,
        }
        for audience in (Audience.OFFICE, Audience.GROUP)
    ]
    plan_ids = [plan["plan_id"] for plan in snapshot.content["figures"].get("plans", [])]
    if plan_ids:
        departments = session.scalars(
            select(Department.id)
            .join(TaskDepartment, TaskDepartment.department_id == Department.id)
            .join(Task, Task.id == TaskDepartment.task_id)
            .where(Task.plan_id.in_(plan_ids), Department.kind != DepartmentKind.GROUP)
            .distinct()
            .order_by(Department.id)
        )
        intents += [
            {
                "key": f"{base}|{Audience.LIAISON}|dept:{department_id}",
                "kind": str(NoticeKind.BULLETIN_READY),
                "step": snapshot.kind,
                "audience": str(Audience.LIAISON),
                "department_id": department_id,
                "period": snapshot.period,
                "created_on": day,
                "payload": payload,
            }
            for department_id in departments
        ]
    return len(create_intents(session, intents))


def write_bulletins(
    engine: Engine,
    *,
    kind: str,
    period: Period | str | None = None,
    as_of: date,
    out_dir: Path | str,
    jurisdiction: str | None = None,
    refresh: bool = False,
) -> list[Path]:
    """The cadence's unit of work after `period_run`: the bulletin of `period` (by default the
    period a run on `as_of` reports on) for each scope (or `jurisdiction`), written under
    `out_dir/<scope>/`, notices dated `as_of`. One transaction; returns the files written."""
    return [
        path
        for issued in issue_bulletins(
            engine, kind=kind, period=period, as_of=as_of, out_dir=out_dir, jurisdiction=jurisdiction, refresh=refresh
        )
        for path in issued.paths
    ]


def issue_bulletins(
    engine: Engine,
    *,
    kind: str,
    period: Period | str | None = None,
    as_of: date | None = None,
    out_dir: Path | str,
    jurisdiction: str | None = None,
    refresh: bool = False,
    figures_as_of: date | None = None,
) -> list[Issued]:
    if period is None:  # the period a cadence run on `as_of` reports on
        spec = KINDS.get(kind.replace("-", "_"))
        if spec is None or as_of is None:
            raise BulletinError("需要期间（或运行日期和具体的通报类型，如 province_quarterly）")
        period = P.due_period(spec.period_kind, as_of)
    kind = kind_of(kind, period)
    period = period_of(kind, period)
    issued = []
    with transaction(engine) as session:
        calendar = load_calendar(session)
        for scope in scopes(session, kind, jurisdiction):
            issued.append(
                issue_bulletin(
                    session,
                    kind=kind,
                    period=period,
                    scope=scope,
                    out_dir=Path(out_dir) / scope,
                    calendar=calendar,
                    as_of=figures_as_of,
                    refresh=refresh,
                    notify_on=as_of,
                )
            )
    return issued


def bulletin_dir() -> Path:
    """Where the cadence writes its bulletins: WUFEI_BULLETIN_DIR, else ./bulletins."""
    return Path(os.environ.get("WUFEI_BULLETIN_DIR") or "bulletins")


def write_cadence_bulletins(
    engine: Engine,
    *,
    kind: str,
    period: str,
    as_of: date,
    out_dir: Path | str | None = None,
    jurisdiction: str | None = None,
) -> list[Path]:
    """Everything a cadence point issues after `period_run` stored its figures: the kind's
    bulletin of each city (or of `jurisdiction`), after the year-end assessment its
    self-assessment for the province, and, when no jurisdiction is named, the province roll-up
    of each province (a flow fanned out per city issues the roll-up from its province run with
    `write_bulletins(kind=f"province_{kind}", jurisdiction=province)`). Each is its own
    transaction; a rerun rewrites the same files from the same locked snapshots."""
    out_dir = Path(out_dir) if out_dir is not None else bulletin_dir()
    kinds_to_write = [kind] + (["self_assessment"] if kind == "annual" else [])
    paths: list[Path] = []
    for name in kinds_to_write:
        paths += write_bulletins(
            engine, kind=name, period=period, as_of=as_of, out_dir=out_dir, jurisdiction=jurisdiction
        )
    if jurisdiction is None:
        paths += write_bulletins(engine, kind=f"province_{kind}", period=period, as_of=as_of, out_dir=out_dir)
    return paths

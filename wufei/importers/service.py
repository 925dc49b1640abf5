"""`wufei import`: detect each file's format, parse it, load it in its own transaction.

`preview_paths` runs the same reading and loading in a transaction that is rolled back, so the
preview shows exactly what an import would store (owners resolved against the database and the
registry, deadlines and targets read, every doubt) and writes nothing. `import_corrected` imports
a file with the corrections a person made in the preview, all or nothing, and records the
doubts those corrections settled as 已更正.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wufei.audit import service as audit
from wufei.db import transaction
from wufei.departments.owners import split_names
from wufei.departments.registry import Registry
from wufei.departments.service import ensure_jurisdiction, upsert_department
from wufei.doubts.models import RecordType
from wufei.doubts.service import record_corrections
from wufei.importers.kept import kept_read
from wufei.importers.preview import FilePreview, PlanView, plan_view
from wufei.importers.readers import READERS
from wufei.importers.readers.sheet import is_ledger, read_converted_sheet
from wufei.importers.records import CellRecord, Doubt, ImportError_, ParsedPlan
from wufei.importers.spreadsheet import Workbook, read_workbook
from wufei.importers.text.document import interpret
from wufei.plans.service import ImportSummary, import_plan, owners_of

SHEET_SUFFIXES = {".xlsx", ".xlsm", ".csv"}
# Old Excel, WPS and OpenDocument spreadsheets: LibreOffice makes them .xlsx, then they are read as
# either kind of workbook.
CONVERTED_SHEET_SUFFIXES = {".xls", ".et", ".ods"}
# Every file an import takes (the command line and the web page alike).
IMPORTABLE_SUFFIXES = frozenset({*READERS, *SHEET_SUFFIXES, *CONVERTED_SHEET_SUFFIXES})


@dataclass
class FileResult:
    file: str
    ok: bool
    plans: list[ImportSummary] = field(default_factory=list)
    departments: int = 0
    error: str | None = None

    @property
    def doubts(self) -> int:
        """Open doubts of the imported records (待确认)."""
        return sum(p.counts.get("doubts", 0) for p in self.plans)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "ok": self.ok,
            "error": self.error,
            "departments": self.departments,
            "doubts": self.doubts,
            "plans": [p.as_dict() for p in self.plans],
        }


def read_source(path: Path, *, keep_in: Path | None = None) -> Workbook:
    """Parse one file into plans (and department rows for workbooks); raises ImportError_. With `keep_in` (an
    upload's own folder), the read is kept there and given back for the same file (wufei.importers.kept)."""
    if not path.exists():
        raise ImportError_(str(path), "文件不存在")
    if keep_in is not None:
        return kept_read(path, keep_in, read_source)
    suffix = path.suffix.lower()
    if suffix in CONVERTED_SHEET_SUFFIXES:
        source = read_converted_sheet(path)
        return source if isinstance(source, Workbook) else Workbook(plans=[interpret(source)])
    if suffix in SHEET_SUFFIXES and is_ledger(path):
        return read_workbook(path)
    reader = READERS.get(suffix)
    if reader is None:
        known = " ".join(sorted(IMPORTABLE_SUFFIXES))
        raise ImportError_(str(path), f"无法识别的文件格式（支持 {known}）", text=suffix)
    return Workbook(plans=[interpret(reader(path))])


def settle_jurisdiction(source: Workbook, jurisdiction: str) -> None:
    """The place a person gave replaces the one read, and the doubt about it is decided."""
    for plan in source.plans:
        plan.jurisdiction = jurisdiction
        plan.doubts = [d for d in plan.doubts if d.field != "jurisdiction"]


def load_source(
    session: Session, source: Workbook, *, registry: Registry, actor: str, path: str
) -> tuple[list[ImportSummary], int]:
    for row in source.departments:
        jurisdiction = ensure_jurisdiction(session, registry, row.jurisdiction, path=path)
        upsert_department(session, jurisdiction, row.name, kind=row.kind, aliases=row.aliases, parent=row.parent)
    summaries = [import_plan(session, plan, registry=registry, actor=actor, source=path) for plan in source.plans]
    return summaries, len(source.departments)


def import_paths(
    engine: Engine,
    paths: list[Path],
    *,
    registry: Registry | None = None,
    actor: str = "import",
    jurisdiction: str | None = None,
) -> list[FileResult]:
    """Each file is all-or-nothing; one bad file does not stop the others. `jurisdiction`, given by
    the office, is the place of every plan read (and settles any doubt about it)."""
    registry = registry or Registry.load()
    results = []
    for path in paths:
        try:
            source = read_source(path)
            if jurisdiction:
                settle_jurisdiction(source, jurisdiction)
            with transaction(engine) as session:
                summaries, departments = load_source(session, source, registry=registry, actor=actor, path=str(path))
            results.append(FileResult(file=str(path), ok=True, plans=summaries, departments=departments))
        except ImportError_ as exc:
            results.append(FileResult(file=str(path), ok=False, error=str(exc)))
    return results


# --- the preview -------------------------------------------------------------------------------


def preview_paths(
    engine: Engine,
    paths: Iterable[Path],
    *,
    registry: Registry | None = None,
    actor: str = "preview",
    jurisdiction: str | None = None,
    keep_in: Path | None = None,
) -> list[FilePreview]:
    """What importing these files one after the other would store (with `jurisdiction` as in
    `import_paths`); nothing is written. `keep_in`: where each file's read is kept (`read_source`)."""
    registry = registry or Registry.load()
    previews = []
    with _rolled_back(engine) as session:
        for path in paths:
            try:
                source = read_source(path, keep_in=keep_in)
            except ImportError_ as exc:
                previews.append(FilePreview(file=str(path), ok=False, error=str(exc)))
                continue
            if jurisdiction:
                settle_jurisdiction(source, jurisdiction)
            previews.append(preview_source(session, source, registry=registry, actor=actor, path=str(path)))
    return previews


@contextmanager
def _rolled_back(engine: Engine) -> Iterator[Session]:
    """A session whose work is all rolled back at the end, whatever happens."""
    with engine.connect() as connection:
        outer = connection.begin()
        session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
        try:
            yield session
        finally:
            session.close()
            outer.rollback()


def preview_source(session: Session, source: Workbook, *, registry: Registry, actor: str, path: str) -> FilePreview:
    """Load a parsed file inside savepoints and show it; the caller rolls the transaction back.

    A plan the loader refuses is shown as parsed, with the loader's error: the office sees
    every record and what stops the import, rather than the error alone."""
    file_savepoint = session.begin_nested()
    try:
        for row in source.departments:
            jurisdiction = ensure_jurisdiction(session, registry, row.jurisdiction, path=path)
            upsert_department(session, jurisdiction, row.name, kind=row.kind, aliases=row.aliases, parent=row.parent)
    except ImportError_ as exc:
        file_savepoint.rollback()
        return FilePreview(file=path, ok=False, error=str(exc))
    views: list[PlanView] = []
    for index, plan in enumerate(source.plans):
        savepoint = session.begin_nested()
        try:
            summary = import_plan(session, plan, registry=registry, actor=actor, source=path)
            savepoint.commit()
            views.append(plan_view(index, plan, summary))
        except ImportError_ as exc:
            savepoint.rollback()
            views.append(plan_view(index, plan, error=str(exc)))
        except IntegrityError as exc:
            savepoint.rollback()
            views.append(plan_view(index, plan, error=conflict_message(path, exc)))
    file_savepoint.commit()
    return FilePreview(
        file=path, ok=True, plans=views, departments=len(source.departments), department_rows=source.departments
    )


# --- importing with the corrections made in the preview -----------------------------------------


class CorrectionError(ValueError):
    """A correction that cannot be applied; the message is Chinese and names the field."""


@dataclass(frozen=True)
class Correction:
    """A person's value for one field of the preview: `record_type` plan / task / indicator / cell,
    `index` the record's position among the plan's records of that type (None for the plan)."""

    plan: int
    record_type: str
    index: int | None
    field: str
    value: str


RECORD_LISTS = {"task": "tasks", "indicator": "indicators", "cell": "cells"}
OWNER_FIELDS = ("leads", "supporting", "implementers")
OMIT = "omit"  # a correction leaving a record out of the import (a candidate that is no task)
CORRECTABLE = {
    "plan": {"title", "jurisdiction", "period", "doc_number", "issuer"},
    "task": {"title", "deadline", *OWNER_FIELDS},
    "indicator": {"title", "baseline", "target", "unit", "leads", "supporting"},
    "cell": {"title", "count", "leads"},
}
_YEARS = re.compile(r"^\s*(\d{4})\s*年?\s*(?:[-—–~～至到]+\s*(\d{4})\s*年?)?\s*$")


def apply_corrections(source: Workbook, corrections: Iterable[Correction]) -> None:
    """Put the corrected values into the parsed records, dropping the parser's doubts on those fields,
    then leave out the records the person chose not to import (indexes are the preview's)."""
    corrections = list(corrections)
    left_out = {(c.plan, c.record_type, c.index) for c in corrections if c.field == OMIT}
    for correction in corrections:
        omit = correction.field == OMIT and correction.record_type in RECORD_LISTS
        if correction.plan >= len(source.plans) or not (
            omit or correction.field in CORRECTABLE.get(correction.record_type, ())
        ):
            raise CorrectionError(f"无法更正此栏目：{correction.record_type}/{correction.field}")
        plan = source.plans[correction.plan]
        value = correction.value.strip()
        if correction.record_type == "plan":
            _correct_plan(plan, correction.field, value)
            plan.doubts = [d for d in plan.doubts if d.field != correction.field]
            continue
        records = getattr(plan, RECORD_LISTS[correction.record_type])
        if correction.index is None or not 0 <= correction.index < len(records):
            raise CorrectionError(f"找不到要更正的记录：{correction.record_type} {correction.index}")
        if omit or (correction.plan, correction.record_type, correction.index) in left_out:
            continue  # a record left out is not corrected (an emptied name included)
        record = records[correction.index]
        _correct_record(record, correction.field, value)
        record.doubts = [d for d in record.doubts if d.field != correction.field]
    for plan_index, record_type in {(plan, kind) for plan, kind, _ in left_out}:
        plan = source.plans[plan_index]
        records = getattr(plan, RECORD_LISTS[record_type])
        kept = [r for i, r in enumerate(records) if (plan_index, record_type, i) not in left_out]
        setattr(plan, RECORD_LISTS[record_type], kept)
    for plan_index in {plan for plan, _, _ in left_out}:
        plan = source.plans[plan_index]
        if not (plan.tasks or plan.indicators or plan.cells):
            raise CorrectionError(f"《{plan.title}》的记录已全部选为不导入：不导入此文件即可，无需确认导入")


def _correct_plan(plan: ParsedPlan, name: str, value: str) -> None:
    if name == "period":
        match = _YEARS.match(value)
        if not match:
            raise CorrectionError(f"规划期应写成 2021—2025 或 2023：「{value}」")
        start = int(match.group(1))
        end = int(match.group(2) or start)
        if end < start:
            raise CorrectionError(f"规划期的起止年份颠倒：「{value}」")
        plan.period_start, plan.period_end = start, end
    elif name == "title":
        if not value:
            raise CorrectionError("方案名称不能为空")
        plan.title = value
    else:
        setattr(plan, name, value or None)


def _correct_record(record, name: str, value: str) -> None:
    if name in OWNER_FIELDS:
        if isinstance(record, CellRecord):
            record.lead_raw = value or None
            return
        owners = owners_of(record)
        names = split_names(value)
        if name == "implementers":
            record.implementers = names
            return
        owners[name] = names
        # Owner columns win over the owner text: both are set, so the other role stays as understood.
        record.leads, record.supporting = owners.get("leads", ()), owners.get("supporting", ())
    elif name == "title":
        if not value:
            raise CorrectionError("名称不能为空")
        if isinstance(record, CellRecord):
            record.category = value
        elif hasattr(record, "name"):
            record.name = value
        else:
            record.title = value
    elif name == "deadline":
        record.deadline_raw = value or None
    elif name == "count":
        record.count_raw = value
    else:  # baseline, target, unit
        setattr(record, {"baseline": "baseline_raw", "target": "target_raw", "unit": "unit"}[name], value or None)


def import_corrected(
    engine: Engine,
    path: Path,
    corrections: list[Correction],
    *,
    registry: Registry | None = None,
    actor: str = "import",
    source_name: str | None = None,
    keep_in: Path | None = None,
) -> FileResult:
    """Import one file with a person's corrections, in one transaction: all of it or nothing (`keep_in`: where
    its read is kept, `read_source`).

    The doubts shown on each corrected field are stored as 已更正 by `actor`, with the old and
    new value; the corrections themselves go into the audit trail."""
    registry = registry or Registry.load()
    name = source_name or str(path)
    try:
        corrected = read_source(path, keep_in=keep_in)
        apply_corrections(corrected, corrections)
        with transaction(engine) as session:
            savepoint = session.begin_nested()  # the preview the person saw, to know what they settled
            seen = read_source(path, keep_in=keep_in)
            before = preview_source(session, seen, registry=registry, actor=actor, path=name)
            savepoint.rollback()
            _refuse_leaving_out_stored(before, corrections)
            summaries, departments = load_source(session, corrected, registry=registry, actor=actor, path=name)
            _settle(session, before, summaries, corrections, actor=actor, source=name)
        return FileResult(file=name, ok=True, plans=summaries, departments=departments)
    except (ImportError_, CorrectionError) as exc:
        return FileResult(file=name, ok=False, error=str(exc))
    except IntegrityError as exc:
        return FileResult(file=name, ok=False, error=conflict_message(name, exc))


def _refuse_leaving_out_stored(before: FilePreview, corrections: list[Correction]) -> None:
    """不导入 leaves a new record out; a record imported before would be deleted by the import (the file is the
    whole plan), which a box labelled 不导入 must not do silently."""
    for correction in corrections:
        if correction.field != OMIT or correction.plan >= len(before.plans) or correction.index is None:
            continue
        shown = getattr(before.plans[correction.plan], RECORD_LISTS[correction.record_type])[correction.index]
        if shown.change not in (None, "created"):
            raise CorrectionError(
                f"「{shown.label}」已导入过，不导入会删除已导入的记录：请取消勾选；确需删除，请在方案文件中删去该条后重新导入"
            )


def conflict_message(path: str, exc: IntegrityError) -> str:
    """A record the database refuses as a duplicate (another plan of the same place and title)."""
    return f"{path}：与数据库中已有的记录冲突（如同一地区已有同名方案但文号不同），未写入任何内容（{exc.orig}）"


def _settle(
    session: Session,
    before: FilePreview,
    summaries: list[ImportSummary],
    corrections: list[Correction],
    *,
    actor: str,
    source: str,
) -> None:
    """Store the doubts each correction settled as 已更正, and audit the corrections and the records
    left out (their doubts are not stored: the record is not)."""
    audited: dict[int, dict[str, list[Any]]] = {}
    omitted = {(c.plan, c.record_type, c.index) for c in corrections if c.field == OMIT}
    for correction in corrections:
        view = before.plans[correction.plan] if correction.plan < len(before.plans) else None
        summary = summaries[correction.plan]
        if view is None:
            continue
        if correction.record_type == "plan":
            shown, record_type, record_id = view, RecordType.PLAN, summary.plan_id
            label = "方案"
        else:
            assert correction.index is not None  # checked with the record type in apply_corrections
            shown = getattr(view, RECORD_LISTS[correction.record_type])[correction.index]
            if correction.field == OMIT:
                title = shown.field("title")
                changes = audited.setdefault(summary.plan_id, {})
                changes[f"{shown.label}/不导入"] = [title.value if title else shown.label, None]
                continue
            if (correction.plan, correction.record_type, correction.index) in omitted:
                continue  # corrected, then left out
            record_type = RecordType(correction.record_type)
            loaded = [r for r in summary.records if r.record_type == record_type]
            before_it = sum(
                1
                for plan, kind, index in omitted
                if (plan, kind) == (correction.plan, correction.record_type)
                and index is not None
                and index < correction.index
            )
            record_id = loaded[correction.index - before_it].id
            label = shown.label
        field_view = next((f for f in shown.fields if f.key == correction.field), None)
        old = field_view.value if field_view else ""
        new = correction.value.strip()
        audited.setdefault(summary.plan_id, {})[f"{label}/{correction.field}"] = [old, new]
        doubts = [d for d in (field_view.doubts if field_view else []) if d.open]
        note = f"导入前在预览中更正：「{old}」→「{new}」"
        record_corrections(
            session,
            plan_id=summary.plan_id,
            record_type=record_type,
            record_id=record_id,
            corrected=[(Doubt(d.field, d.message, d.text), note) for d in doubts],
            actor=actor,
            source=source,
        )
    for plan_id, changes in audited.items():
        audit.record(
            session,
            actor=actor,
            action="correct",
            entity="plans",
            entity_id=plan_id,
            entity_key=f"preview:{plan_id}",
            changes=changes,
            source=source,
        )


def preview_corrected(
    engine: Engine,
    path: Path,
    corrections: list[Correction],
    *,
    registry: Registry | None = None,
    source_name: str | None = None,
    keep_in: Path | None = None,
) -> FilePreview:
    """The preview of a file with a person's corrections put in (for the import workbook); writes nothing
    (`keep_in`: where its read is kept, `read_source`)."""
    registry = registry or Registry.load()
    name = source_name or str(path)
    try:
        source = read_source(path, keep_in=keep_in)
        apply_corrections(source, corrections)
    except (ImportError_, CorrectionError) as exc:
        return FilePreview(file=name, ok=False, error=str(exc))
    with _rolled_back(engine) as session:
        return preview_source(session, source, registry=registry, actor="preview", path=name)

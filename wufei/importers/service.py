"""`wufei import`: detect each file's format, parse it, load it in its own transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from wufei.db import transaction
from wufei.departments.registry import Registry
from wufei.departments.service import ensure_jurisdiction, upsert_department
from wufei.importers.readers import READERS
from wufei.importers.readers.sheet import is_ledger, read_converted_sheet
from wufei.importers.records import ImportError_
from wufei.importers.spreadsheet import Workbook, read_workbook
from wufei.importers.text.document import interpret
from wufei.plans.service import ImportSummary, import_plan

SHEET_SUFFIXES = {".xlsx", ".xlsm", ".csv"}
# Old Excel and WPS spreadsheets: LibreOffice makes them .xlsx, then they are read as either kind of workbook.
CONVERTED_SHEET_SUFFIXES = {".xls", ".et"}


@dataclass
class FileResult:
    file: str
    ok: bool
    plans: list[ImportSummary] = field(default_factory=list)
    departments: int = 0
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "ok": self.ok,
            "error": self.error,
            "departments": self.departments,
            "plans": [p.as_dict() for p in self.plans],
        }


def read_source(path: Path) -> Workbook:
    """Parse one file into plans (and department rows for workbooks); raises ImportError_."""
    if not path.exists():
        raise ImportError_(str(path), "文件不存在")
    suffix = path.suffix.lower()
    if suffix in CONVERTED_SHEET_SUFFIXES:
        source = read_converted_sheet(path)
        return source if isinstance(source, Workbook) else Workbook(plans=[interpret(source)])
    if suffix in SHEET_SUFFIXES and is_ledger(path):
        return read_workbook(path)
    reader = READERS.get(suffix)
    if reader is None:
        known = " ".join(sorted([*READERS, *CONVERTED_SHEET_SUFFIXES]))
        raise ImportError_(str(path), f"无法识别的文件格式（支持 {known}）", text=suffix)
    return Workbook(plans=[interpret(reader(path))])


def load_source(
    session: Session, source: Workbook, *, registry: Registry, actor: str, path: str
) -> tuple[list[ImportSummary], int]:
    for row in source.departments:
        jurisdiction = ensure_jurisdiction(session, registry, row.jurisdiction, path=path)
        upsert_department(session, jurisdiction, row.name, kind=row.kind, aliases=row.aliases, parent=row.parent)
    summaries = [import_plan(session, plan, registry=registry, actor=actor, source=path) for plan in source.plans]
    return summaries, len(source.departments)


def import_paths(
    engine: Engine, paths: list[Path], *, registry: Registry | None = None, actor: str = "import"
) -> list[FileResult]:
    """Each file is all-or-nothing; one bad file does not stop the others."""
    registry = registry or Registry.load()
    results = []
    for path in paths:
        try:
            source = read_source(path)
            with transaction(engine) as session:
                summaries, departments = load_source(session, source, registry=registry, actor=actor, path=str(path))
            results.append(FileResult(file=str(path), ok=True, plans=summaries, departments=departments))
        except ImportError_ as exc:
            results.append(FileResult(file=str(path), ok=False, error=str(exc)))
    return results

"""A generated province in a database: its files written, imported as an office would
(`wufei import` of each city's workbook), then its weekly reports loaded in bulk."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from wufei.cadence.config import CadenceConfig
from wufei.departments.registry import Registry
from wufei.generate import plans
from wufei.generate.reports import load_weekly_reports
from wufei.importers.service import FileResult, import_paths

REPORTS_UNTIL = date(2025, 12, 31)  # the end of the plans' period: five years of weekly reports


def import_files(engine: Engine, files: plans.Files) -> list[FileResult]:
    """Import each city's workbook with the shipped and the generated registries; raises on an error."""
    registry = Registry.load(plans.shipped_registry_files() + files.registries)
    results = import_paths(engine, files.workbooks, registry=registry, actor="generate")
    failed = [r.error for r in results if not r.ok]
    if failed:
        raise RuntimeError(f"generated workbooks did not import: {failed[:3]}")
    return results


def load_province(
    engine: Engine,
    folder: Path,
    *,
    seed: int = 1,
    cities: int = 14,
    tasks: int = 300,
    indicators: int = 60,
    reports_until: date | None = REPORTS_UNTIL,
) -> dict[str, Any]:
    """Generate, write, import; then the weekly reports up to `reports_until` (None: none).
    The database must be migrated and hold no province yet. Returns what was loaded."""
    spec = plans.province(seed=seed, cities=cities, tasks=tasks, indicators=indicators)
    files = plans.write_files(spec, folder)
    results = import_files(engine, files)
    loaded: dict[str, Any] = {
        "province": spec.name,
        "cities": [c.name for c in spec.cities],
        "tasks": sum(s.counts.get("tasks", 0) for r in results for s in r.plans),
        "indicators": sum(s.counts.get("indicators", 0) for r in results for s in r.plans),
        "departments": sum(c.departments for c in spec.cities),
    }
    if reports_until is not None:
        loaded["reports"] = load_weekly_reports(engine, cadence=CadenceConfig.load(), seed=seed, until=reports_until)
    return loaded

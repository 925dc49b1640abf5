"""Reading a made-up text through the importer's public path, for the shape tests."""

from __future__ import annotations

from pathlib import Path

from wufei.departments.owners import parse_owners
from wufei.importers.service import read_source


def first_plan(tmp_path: Path, text: str):
    """The first plan read from `text` saved as 方案.txt."""
    path = tmp_path / "方案.txt"
    path.write_text(text, encoding="utf-8")
    return read_source(path).plans[0]


def only_plan(tmp_path: Path, name: str, text: str):
    """The one plan read from `text` saved under `name` (the file name can name the place)."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    [plan] = read_source(path).plans
    return plan


def owners(task) -> tuple[list[str], list[str]]:
    """Leads and supporting units as the scorer reads them: the record's own, else its owner text parsed."""
    if task.leads is not None or task.supporting is not None:
        return list(task.leads or ()), list(task.supporting or ())
    spec = parse_owners(task.owners_raw or "")
    return list(spec.leads), list(spec.supporting)

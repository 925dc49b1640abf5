"""What a plan's tasks come to once the loader resolves their owners (the shape tests compare this)."""

from __future__ import annotations

from pathlib import Path

from wufei.departments.owners import parse_owners
from wufei.importers.service import read_source


def resolved_tasks(path: Path) -> list[tuple]:
    """Title, leads and supporting units as the loader resolves them (the reader's, else its owner text's)."""
    plan = read_source(path).plans[0]
    found = []
    for task in plan.tasks:
        if task.leads is None and task.supporting is None:
            spec = parse_owners(task.owners_raw)
            found.append((task.title, spec.leads, spec.supporting))
        else:
            found.append((task.title, tuple(task.leads or ()), tuple(task.supporting or ())))
    return found

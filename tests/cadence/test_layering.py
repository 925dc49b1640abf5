"""The cadence rules (windows, periods, run days, their config) sit below the services that use
them: nothing in wufei/cadence imports reports, escalation, lights or the points, at module level
or inside a function, so cadence ↔ reports and cadence ↔ escalation cannot become cycles again."""

import ast
from pathlib import Path

import wufei.cadence

ALLOWED = {"cadence", "calendar", "chinese", "config"}


def wufei_packages_imported(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found |= {name.split(".")[1] for name in names if name.startswith("wufei.")}
    return found


def test_the_cadence_package_imports_only_the_calendar_and_shared_definitions():
    package = Path(wufei.cadence.__file__).parent
    imported = {path.name: wufei_packages_imported(path) - ALLOWED for path in sorted(package.glob("*.py"))}
    assert {name: sorted(extra) for name, extra in imported.items() if extra} == {}

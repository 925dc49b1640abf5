"""A flow-run process imports what its flow needs and no more.

A work pool's worker starts a new process for every run, and a nation's daily scan is some 300
runs a day: each run's process imports its deployment's entrypoint module first. A daily scan
needs neither the bulletins' charts (matplotlib) nor Apprise; a monthly dispatch draws charts
but sends nothing. Each check runs in a fresh interpreter, as a flow run's process would.

Backend-independent (run once, in the SQLite pass): what it proves is which modules an entrypoint
and its run load, which no database changes (no module this checks is imported by a dialect's code
path); the same runs' work on each database is tested on both (a city's daily scan and monthly
figures in test_partition_by_city.py, the flows themselves in test_cadence_flows.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import fresh_database_url
from wufei import migrate
from wufei.db import make_engine
from wufei.generate import plans
from wufei.generate.load import import_files

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.backend_independent  # two fresh interpreters, each importing Prefect and wufei

HEAVY = ("matplotlib", "apprise", "pandas", "openpyxl", "docx")

RUN = """
import json, sys
from datetime import date
from {module} import {flow} as entry  # the deployment's entrypoint, as the engine loads it
from wufei.db import make_engine
from wufei.points import registry, runs
from wufei.ruleset import Ruleset

loaded_by_entry = [name for name in {heavy!r} if name in sys.modules]
engine = make_engine({url!r})
rules = Ruleset.load()
if {command!r} == "daily-scan":
    result = runs.daily_scan(engine, date(2024, 1, 2), rules=rules, jurisdiction="长沙市")
else:
    result = runs.run_point(
        engine, registry.point({command!r}), date(2024, 1, 2), rules=rules, force=True, jurisdiction="长沙市"
    )
engine.dispose()
print(json.dumps({{
    "entry": loaded_by_entry,
    "run": [name for name in {heavy!r} if name in sys.modules],
    "result": result,
}}, ensure_ascii=False, default=str))
"""


@pytest.fixture(scope="module")
def city_url(tmp_path_factory):
    """One generated city (30 tasks, deadlines from 2022 on) imported from its workbook."""
    tmp = tmp_path_factory.mktemp("city")
    url = fresh_database_url(tmp)
    engine = make_engine(url)
    migrate.upgrade(engine)
    import_files(engine, plans.write_files(plans.province(seed=5, cities=1, tasks=30, indicators=3), tmp / "files"))
    engine.dispose()
    return url


def _run(module: str, flow: str, command: str, url: str, tmp_path: Path) -> dict:
    script = RUN.format(module=module, flow=flow, heavy=HEAVY, url=url, command=command)
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "WUFEI_BULLETIN_DIR": str(tmp_path / "bulletins")},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_daily_scan_run_loads_neither_charts_nor_apprise(city_url, tmp_path):
    found = _run("flows.cadence", "daily_scan", "daily-scan", city_url, tmp_path)
    assert found["result"]["lights_changed"] > 0 and found["result"]["escalation"]["created"] > 0  # it did the work
    assert found["entry"] == [] and found["run"] == []


def test_a_monthly_dispatch_run_draws_its_charts_but_loads_no_apprise(city_url, tmp_path):
    found = _run("flows.points", "monthly_dispatch", "monthly-dispatch", city_url, tmp_path)
    assert found["result"]["bulletins"]
    assert "matplotlib" in found["run"]
    assert "apprise" not in found["run"]

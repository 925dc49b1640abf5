"""prefect.yaml and `wufei serve` declare the same deployments, daily, in Asia/Shanghai."""

from __future__ import annotations

from pathlib import Path

import yaml

from flows.deployments import DEPLOYMENTS, TIMEZONE, runner_deployments

ROOT = Path(__file__).resolve().parents[2]
# Deployments for a Prefect server with workers only (a province's fan-out): `wufei serve` runs
# one process, where one unscoped daily-scan does the same work.
PROVINCE_ONLY = {"province-daily-scan"}


def test_prefect_yaml_declares_every_served_deployment_with_the_same_schedule():
    declared = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))["deployments"]
    by_name = {d["name"]: d for d in declared}
    assert set(by_name) - PROVINCE_ONLY == set(DEPLOYMENTS)
    for name, (flow, cron) in DEPLOYMENTS.items():
        [schedule] = by_name[name]["schedules"]
        assert schedule == {"cron": cron, "timezone": "Asia/Shanghai"}
        module, function = by_name[name]["entrypoint"].split(":")
        assert module == flow.fn.__module__.replace(".", "/") + ".py" and function == flow.fn.__name__


def test_served_deployments_run_daily_in_china_time():
    deployments = runner_deployments()
    assert TIMEZONE == "Asia/Shanghai"
    assert {d.name for d in deployments} == set(DEPLOYMENTS)
    for deployment in deployments:
        [schedule] = deployment.schedules
        assert schedule.schedule.timezone == "Asia/Shanghai"
        assert schedule.schedule.cron.split()[2:] == ["*", "*", "*"]


def test_the_province_fan_out_is_declared_with_its_schedule_inactive():
    declared = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))["deployments"]
    [province] = [d for d in declared if d["name"] == "province-daily-scan"]
    assert province["entrypoint"] == "flows/cadence.py:province_daily_scan"
    [schedule] = province["schedules"]
    # Active beside daily-scan it would scan every task twice a day: a province switches them over.
    assert schedule == {"cron": DEPLOYMENTS["daily-scan"][1], "timezone": "Asia/Shanghai", "active": False}

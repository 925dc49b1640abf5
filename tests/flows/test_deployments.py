"""prefect.yaml, `wufei serve` and the registry of cadence points declare the same deployments,
daily, in the cadence time zone (cadence.yaml `timezone`). The flows (Prefect, the bulletin and
delivery code) are imported by the tests, not at collection: every pytest-xdist worker collects
this module."""

from __future__ import annotations

from pathlib import Path

import yaml

from wufei.cadence.config import CadenceConfig
from wufei.points import registry

ROOT = Path(__file__).resolve().parents[2]
ZONE = CadenceConfig.load().timezone_name


def _fanned_out() -> set[str]:
    """Deployments for a Prefect server with workers only (a province's or the nation's fan-out, one
    per cadence command): `wufei serve` runs one process, where one unscoped run does the same work."""
    from flows.deployments import deployments

    return set(deployments())


def _declared() -> dict[str, dict]:
    return {d["name"]: d for d in yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))["deployments"]}


def test_prefect_yaml_declares_every_served_deployment_with_the_same_schedule():
    from flows import cadence, points
    from flows.deployments import deployments

    declared = _declared()
    assert set(declared) - {f"{name}-by-city" for name in _fanned_out()} == set(deployments())
    for name, (flow, cron) in deployments().items():
        [schedule] = declared[name]["schedules"]
        assert schedule == {"cron": cron, "timezone": ZONE}
        module, function = declared[name]["entrypoint"].split(":")
        assert module == flow.fn.__module__.replace(".", "/") + ".py" and function == flow.fn.__name__
        module_object = {"flows/cadence.py": cadence, "flows/points.py": points}.get(module)
        assert getattr(module_object, function, flow) is flow


def test_every_cadence_point_that_runs_by_itself_has_its_flow_and_deployment():
    from flows.deployments import deployments

    declared = _declared()
    for point in registry.scheduled():
        flow, cron = deployments()[point.command]
        assert flow.name == point.command and cron == point.cron
        assert declared[point.command]["entrypoint"] == f"flows/points.py:{point.command.replace('-', '_')}"
    followers = {p.name for p in registry.points() if p.follows}
    assert followers == {
        "self_assessment",
        "province_monthly",
        "province_quarterly",
        "province_half_year",
        "province_annual",
    }
    assert not followers & set(declared)  # issued in their point's run, never scheduled apart


def test_served_deployments_run_daily_in_the_cadence_time_zone():
    from flows.deployments import SERVED, deployments, runner_deployments

    served = runner_deployments()
    assert ZONE == "Asia/Shanghai"  # the shipped cadence.yaml
    assert {d.flow_name for d in served} == {flow.name for flow, _cron in deployments().values()}
    assert {d.name for d in served} == {SERVED}  # never prefect.yaml's <flow>/<flow>: no overwriting
    for deployment in served:
        [schedule] = deployment.schedules
        assert schedule.schedule.timezone == ZONE
        assert schedule.schedule.cron.split()[2:] == ["*", "*", "*"]


def test_every_cadence_command_has_its_fan_out_declared_with_its_schedule_inactive():
    from flows.deployments import deployments

    declared = _declared()
    for name in _fanned_out():
        fanned = declared[f"{name}-by-city"]
        assert fanned["entrypoint"] == "flows/fanout.py:fan_out"
        assert fanned["parameters"] == {"command": name}
        [schedule] = fanned["schedules"]
        # Active beside the command's own deployment it would run every city twice: a province
        # switches them over.
        assert schedule == {"cron": deployments()[name][1], "timezone": ZONE, "active": False}

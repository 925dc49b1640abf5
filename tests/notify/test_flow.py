"""The deliver-notices flow through the Prefect engine, after the daily scan, against a real
database: the outbox receives one message per digest, and a second run sends nothing."""

from __future__ import annotations

from pathlib import Path

import yaml
from sqlalchemy import func, select

from tests.flows.conftest import flow_database  # noqa: F401  (the shared engine fixture)
from wufei.db import make_sessionmaker
from wufei.notify.models import Delivery, Dispatch

from .conftest import outbox_messages

ROOT = Path(__file__).resolve().parents[2]


def _count(engine, model) -> int:
    with make_sessionmaker(engine)() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_delivery_follows_the_daily_scan_and_a_second_run_sends_nothing(prefect_server, flow_database, outbox):
    from flows import cadence, notify

    scan = cadence.daily_scan(as_of="2024-01-02")
    assert scan["as_of"] == "2024-01-02"
    first = notify.deliver_notices(as_of="2024-01-02")
    delivered = first["deliver"]
    assert delivered["claimed"] > 0 and delivered["claimed"] == delivered["sent"] == delivered["messages"]
    assert len(outbox_messages(outbox)) == delivered["messages"] == _count(flow_database, Dispatch)
    assert _count(flow_database, Delivery) == delivered["messages"]
    subjects = [m["subject"] for m in outbox_messages(outbox)]
    assert any("督办" in s for s in subjects)

    again = notify.deliver_notices(as_of="2024-01-02")  # a retried or doubled run
    assert again["deliver"]["claimed"] == 0 and again["retry"]["due"] == 0
    assert len(outbox_messages(outbox)) == delivered["messages"]


def test_on_a_holiday_only_retries_run(prefect_server, flow_database, outbox):
    from flows import notify

    result = notify.deliver_notices(as_of="2024-02-12")  # Spring Festival
    assert result["skipped"] == "非工作日" and "deliver" not in result


def test_deliver_notices_is_deployed_after_the_daily_scan_in_both_places():
    from flows import notify
    from flows.deployments import deployments, runner_deployments

    flow, cron = deployments()["deliver-notices"]
    assert flow is notify.deliver_notices
    scan_minute, scan_hour = map(int, deployments()["daily-scan"][1].split()[:2])
    minute, hours = cron.split()[:2]
    assert min(int(h) * 60 + int(minute) for h in hours.split(",")) > scan_hour * 60 + scan_minute
    [declared] = [
        d
        for d in yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))["deployments"]
        if d["name"] == "deliver-notices"
    ]
    assert declared["entrypoint"] == "flows/notify.py:deliver_notices"
    assert declared["schedules"] == [{"cron": cron, "timezone": "Asia/Shanghai"}]
    [served] = [d for d in runner_deployments() if d.flow_name == "deliver-notices"]
    assert served.schedules[0].schedule.timezone == "Asia/Shanghai"

"""Delivery runs with real commits (wufei.notify.runs): a run that dies after its claims, or in
the middle of a send, is visible in `wufei notices --json` and the next run sends no second copy."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from tests.rules import CADENCE
from wufei import migrate
from wufei.db import make_sessionmaker, transaction
from wufei.departments.models import Department
from wufei.notices.commands import notices
from wufei.notices.models import NoticeIntent
from wufei.notices.service import create_intents
from wufei.notify import runs, service
from wufei.notify.channels import Channels
from wufei.notify.models import Delivery, Dispatch, DispatchIntent
from wufei.plans.models import Jurisdiction

from .conftest import DAY, intent, outbox_messages

T0 = datetime(2024, 6, 3, 1, 15, tzinfo=UTC)


class ProcessDied(BaseException):
    """Stands for the process being killed: not an Exception, so nothing on the way catches it."""


@pytest.fixture
def database(fresh_engine, outbox, monkeypatch):
    migrate.upgrade(fresh_engine)
    with transaction(fresh_engine) as session:
        city = Jurisdiction(name="测试市", level="city")
        departments = [
            Department(jurisdiction=city, name=name, kind="bureau")
            for name in ("市生态环境局", "市住房城乡建设局", "市商务局")
        ]
        session.add_all(departments)
        session.flush()
        create_intents(
            session, [intent(f"k{d.id}", "overdue", d.id, title=f"{d.name}的任务", days_overdue=3) for d in departments]
        )
    monkeypatch.setenv("WUFEI_DATABASE_URL", fresh_engine.url.render_as_string(hide_password=False))
    return fresh_engine


def _notices_json(*args):
    result = CliRunner().invoke(notices, [*args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_a_run_that_dies_between_claim_and_send_is_visible_and_the_next_run_sends_once(database, outbox):
    with make_sessionmaker(database)() as session:  # the claims are committed, then the process dies
        claims = service.claim_digests(session, day=DAY, now=T0)
        session.commit()
    assert len(claims["claimed"]) == 3 and outbox_messages(outbox) == []

    rows = _notices_json()
    assert all(row["dispatches"][0]["status"] == "claimed" for row in rows)
    assert all(row["dispatches"][0]["deliveries"] == [] for row in rows)
    assert all(row["dispatches"][0]["stuck"] for row in rows)  # its lease (10 minutes) ran out long ago

    # The flow's retry (Prefect retries the run) claims nothing new and sends nothing under the lease...
    assert runs.deliver_day(database, DAY, now=T0 + timedelta(minutes=1), cadence=CADENCE)["claimed"] == 0
    assert runs.retry_due(database, now=T0 + timedelta(minutes=1), cadence=CADENCE)["due"] == 0
    assert outbox_messages(outbox) == []
    # ...and after it: no `sending` row, so nothing reached the network; each digest goes out once.
    again = runs.retry_due(database, now=T0 + service.LEASE + timedelta(seconds=1), concurrency=3, cadence=CADENCE)
    assert (again["due"], again["sent"], again["messages"]) == (3, 3, 3)
    assert runs.retry_due(database, now=T0 + timedelta(days=1), cadence=CADENCE)["due"] == 0
    assert runs.deliver_day(database, DAY, now=T0 + timedelta(days=1), cadence=CADENCE)["claimed"] == 0
    subjects = [m["subject"] for m in outbox_messages(outbox)]
    assert len(subjects) == 3 == len(set(subjects))
    assert all(
        row["dispatches"][0]["status"] == "sent" and not row["dispatches"][0]["stuck"] for row in _notices_json()
    )


def test_a_run_that_dies_during_a_send_is_marked_unknown_and_flagged_not_sent_again(database, outbox, monkeypatch):
    calls = []
    real_send = Channels.send_to

    def dies_on_the_second_send(self, *args, **kwargs):
        calls.append(args[1])
        if len(calls) == 2:
            raise ProcessDied()
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(Channels, "send_to", dies_on_the_second_send)
    with pytest.raises(ProcessDied):
        runs.deliver_day(database, DAY, now=T0, cadence=CADENCE)
    monkeypatch.setattr(Channels, "send_to", real_send)
    assert len(outbox_messages(outbox)) == 1

    with make_sessionmaker(database)() as session:
        statuses = sorted(session.scalars(select(Delivery.status)))
        assert statuses == ["sending", "sent"]  # the second send's row was committed before the call
    rows = _notices_json()
    stuck = [row["dispatches"][0] for row in rows if any(d["stuck"] for d in row["dispatches"])]
    assert sorted([d["status"] for d in dispatch["deliveries"]] for dispatch in stuck) == [[], ["sending"]]

    summary = runs.retry_due(database, now=T0 + service.LEASE + timedelta(seconds=1), cadence=CADENCE)
    assert (summary["due"], summary["sent"], summary["unknown"]) == (2, 1, 1)  # the third, never sent, goes
    assert len(outbox_messages(outbox)) == 2  # no second copy for the one that may have left
    with make_sessionmaker(database)() as session:
        unknown = session.scalars(select(Dispatch).where(Dispatch.status == "unknown")).one()
        [flag] = session.scalars(select(NoticeIntent).where(NoticeIntent.kind == "delivery_failed")).all()
        assert (flag.audience, flag.payload["outcome"], flag.payload["dispatch_id"]) == (
            "office",
            "unknown",
            unknown.id,
        )
    row = next(r for r in _notices_json() if r["dispatches"] and r["dispatches"][0]["id"] == unknown.id)
    assert row["dispatches"][0]["status"] == "unknown" and not row["dispatches"][0]["stuck"]
    assert row["dispatches"][0]["deliveries"][0]["status"] == "unknown"
    assert "无法确认是否已送达" in row["dispatches"][0]["deliveries"][0]["error"]
    assert runs.retry_due(database, now=T0 + timedelta(days=1), ignore_backoff=True, cadence=CADENCE)["due"] == 0

    # The office tells the office digest next day; after checking, it resends on purpose.
    office = runs.deliver_day(database, DAY + timedelta(days=1), now=T0 + timedelta(days=1), cadence=CADENCE)
    assert office["claimed"] == 1
    message = outbox_messages(outbox)[-1]
    assert (
        message["subject"] == f"【通知送达待核实】市住房城乡建设局（dept-{unknown.department_id}）"
        and "无法确认" in message["body"]
    )
    assert f"--dispatch {unknown.id} --resend" in message["body"]
    result = CliRunner().invoke(notices, ["retry", "--dispatch", str(unknown.id), "--resend"], catch_exceptions=False)
    assert result.exit_code == 0 and "成功 1 条" in result.output, result.output
    assert len(outbox_messages(outbox)) == 4


def test_retry_command_waits_for_the_backoff_unless_all(database, outbox, channels_from, monkeypatch, tmp_path):
    config = tmp_path / "broken.yaml"
    config.write_text(
        "version: 1\nurls:\n  - mailto://127.0.0.1:1?from=a@wufei.test&to=b@wufei.test:\n      - tag: fallback\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("WUFEI_APPRISE_CONFIG", str(config))
    first = CliRunner().invoke(notices, ["deliver", "--as-of", DAY.isoformat()], catch_exceptions=False)
    assert first.exit_code == 0 and "失败待重试 3 条" in first.output, first.output

    assert "没有到期需要重试的发送（可加 --all 立即重试）" in CliRunner().invoke(notices, ["retry"]).output
    monkeypatch.delenv("WUFEI_APPRISE_CONFIG")  # the outbox again
    result = CliRunner().invoke(notices, ["retry", "--all"], catch_exceptions=False)
    assert "重试 3 条：成功 3 条" in result.output, result.output
    rows = _notices_json("--kind", "overdue")
    for row in rows:
        [dispatch] = row["dispatches"]
        assert dispatch["status"] == "sent" and dispatch["attempts"] == 2
        failed, sent = dispatch["deliveries"]
        assert failed["status"] == "failed" and failed["service"].startswith("mailto://") and failed["error"]
        assert sent["status"] == "sent" and sent["service"].startswith("outbox://") and sent["duration_ms"] >= 0
    table = CliRunner().invoke(notices, []).output
    assert "已发送" in table


def test_retry_all_does_not_take_a_dispatch_another_run_is_sending(database, outbox, tmp_path, monkeypatch):
    config = tmp_path / "broken.yaml"
    config.write_text(
        "version: 1\nurls:\n  - mailto://127.0.0.1:1?from=a@wufei.test&to=b@wufei.test:\n      - tag: fallback\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("WUFEI_APPRISE_CONFIG", str(config))
    assert runs.deliver_day(database, DAY, now=T0, cadence=CADENCE)["failed"] == 3
    monkeypatch.delenv("WUFEI_APPRISE_CONFIG")
    with make_sessionmaker(database)() as session:  # another run takes one and is still sending it
        first = session.scalars(select(Dispatch.id).order_by(Dispatch.id)).first()
        assert service.take(session, first, now=T0 + timedelta(minutes=1), ignore_backoff=True)
        session.commit()
    summary = runs.retry_due(database, now=T0 + timedelta(minutes=2), ignore_backoff=True, cadence=CADENCE)
    assert (summary["due"], summary["sent"]) == (2, 2)
    assert len(outbox_messages(outbox)) == 2


def test_a_run_that_lost_its_lease_stops_sending_and_does_not_overwrite_the_new_owner(
    database, channels_from, tmp_path, monkeypatch
):
    """Run A is so slow that its lease runs out mid-dispatch and run B takes the dispatch: A must
    not send to the services B is handling (no second copy), nor overwrite B's outcome."""
    one, two = tmp_path / "one", tmp_path / "two"
    channels = channels_from(
        f"version: 1\nurls:\n  - outbox://localhost{one}:\n      - tag: fallback\n"
        f"  - outbox://localhost{two}:\n      - tag: fallback\n"
    )
    real_send = Channels.send_to
    taken_over = []

    def slow_first_send(self, service_, name, subject, body, **kwargs):
        if not taken_over:  # A's first send: meanwhile A's lease runs out and run B takes the dispatch
            taken_over.append(subject)
            later = T0 + service.LEASE + timedelta(seconds=1)
            with make_sessionmaker(database)() as other:
                dispatch_id = other.scalars(select(Dispatch.id).where(Dispatch.subject == subject)).one()
                lease = service.take(other, dispatch_id, now=later)
                assert lease is not None
                other.commit()
                taken_over.append(
                    service.attempt(
                        other,
                        dispatch_id,
                        channels=channels,
                        now=later,
                        lease=lease,
                        checkpoint=other.commit,
                        zone=CADENCE.timezone,
                    )
                )
                other.commit()
        return real_send(self, service_, name, subject, body, **kwargs)

    monkeypatch.setattr(Channels, "send_to", slow_first_send)
    summary = runs.deliver_day(database, DAY, channels=channels, now=T0, cadence=CADENCE)
    assert taken_over[1] == ("unknown", 1)  # B: A's row was `sending`, B sent to the other service
    assert (summary["sent"], summary.get("lost")) == (2, 1)
    assert len(outbox_messages(one)) == 3 and len(outbox_messages(two)) == 3  # no second copy anywhere
    with make_sessionmaker(database)() as session:
        dispatch = session.scalars(select(Dispatch).where(Dispatch.subject == taken_over[0])).one()
        assert (dispatch.status, dispatch.attempts) == ("unknown", 1)  # B's outcome stands
        assert sorted(r.status for r in service.deliveries(session, dispatch.id)) == ["sent", "sent"]


def test_resend_refuses_a_dispatch_another_run_holds(database, outbox):
    with make_sessionmaker(database)() as session:  # a run has just claimed (live lease) and is sending
        claims = service.claim_digests(session, day=DAY)
        session.commit()
    dispatch_id = claims["claimed"][0]
    with pytest.raises(service.DispatchBusy):
        runs.resend(database, dispatch_id, now=claims["lease"] - timedelta(minutes=1), cadence=CADENCE)
    result = CliRunner().invoke(notices, ["retry", "--dispatch", str(dispatch_id), "--resend"])
    assert result.exit_code != 0 and "正由另一次运行发送" in result.output, result.output
    assert outbox_messages(outbox) == []
    with make_sessionmaker(database)() as session:
        dispatch = session.get(Dispatch, dispatch_id)
        assert (dispatch.status, dispatch.next_attempt_at, dispatch.attempts) == ("claimed", claims["lease"], 0)
    # Once the lease ran out (the run died), the office may resend it.
    assert runs.resend(database, dispatch_id, now=claims["lease"] + timedelta(seconds=1), cadence=CADENCE)["sent"] == 1


def test_runs_for_two_days_at_once_claim_each_intent_once(database, monkeypatch):
    """`wufei notices deliver` for the server's day and the flow for the Shanghai day (or a late
    run for D overlapping D+1's): both see the same pending intents; only one may claim them."""
    real_pending = service.pending_digests
    first_computed, second_done = threading.Event(), threading.Event()
    first = {}

    def pending(session, *, day):
        digests = real_pending(session, day=day)
        if threading.current_thread() is first.get("thread"):
            first_computed.set()
            second_done.wait(timeout=3)  # the other run has every chance to claim in between
        return digests

    monkeypatch.setattr(service, "pending_digests", pending)
    results, errors = {}, []

    def claim(day):
        try:
            with make_sessionmaker(database)() as session:
                results[day] = service.claim_digests(session, day=day, now=T0)["claimed"]
                session.commit()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    first["thread"] = threading.Thread(target=claim, args=(DAY,))
    first["thread"].start()
    assert first_computed.wait(timeout=30)
    second = threading.Thread(target=lambda: (claim(DAY + timedelta(days=1)), second_done.set()))
    second.start()
    first["thread"].join(timeout=60)
    second.join(timeout=60)
    assert not errors, errors
    assert len(results[DAY]) + len(results[DAY + timedelta(days=1)]) == 3
    with make_sessionmaker(database)() as session:
        carried = list(session.scalars(select(DispatchIntent.intent_id)))
        assert len(carried) == len(set(carried)) == 3


def test_intents_created_after_the_days_digest_go_out_the_same_day(database, outbox):
    assert runs.deliver_day(database, DAY, now=T0, cadence=CADENCE)["sent"] == 3
    with transaction(database) as session:
        department = session.scalars(select(Department).order_by(Department.id)).first()
        [late] = create_intents(
            session, [intent("late", "overdue", department.id, title="下午新增的任务", days_overdue=1)]
        )
    again = runs.deliver_day(database, DAY, now=T0 + timedelta(hours=3), cadence=CADENCE)  # the 11:15 run
    assert (again["claimed"], again["sent"]) == (1, 1)
    message = outbox_messages(outbox)[-1]
    assert "下午新增的任务" in message["body"] and f"{department.name}的任务" not in message["body"]
    with make_sessionmaker(database)() as session:
        dispatch = session.scalars(select(Dispatch).order_by(Dispatch.id.desc())).first()
        assert dispatch.intent_ids == [late] and dispatch.key.endswith(f"dept:{department.id}|dept-{department.id}|2")
    assert runs.deliver_day(database, DAY, now=T0 + timedelta(hours=6), cadence=CADENCE)["claimed"] == 0
    assert len(outbox_messages(outbox)) == 4


def test_a_slow_run_keeps_its_lease_from_the_current_clock(database, outbox, monkeypatch):
    """Each send takes 8 minutes (SMTP timeouts): the lease is renewed from the clock at each step,
    so another run never finds the dispatch a run is sending abandoned. (A claim still waiting
    its turn may look abandoned; a retrier that takes it fences this run out of it: no copy.)"""
    clock = [T0]
    monkeypatch.setattr(service, "utcnow", lambda: clock[0])
    monkeypatch.setattr(runs, "utcnow", lambda: clock[0], raising=False)
    real_send = Channels.send_to
    leases = []

    def slow(self, *args, **kwargs):
        clock[0] += timedelta(minutes=8)
        with make_sessionmaker(database)() as other:
            dispatch_id, lease = other.execute(
                select(Dispatch.id, Dispatch.next_attempt_at).where(Dispatch.subject == args[2])
            ).one()
            leases.append(lease)
            assert dispatch_id not in service.due_dispatches(other, now=clock[0])  # it does not look abandoned
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(Channels, "send_to", slow)
    assert runs.deliver_day(database, DAY, cadence=CADENCE)["sent"] == 3
    assert len(leases) == 3 and all(lease > T0 + timedelta(minutes=8 * n) for n, lease in enumerate(leases, 1))


def test_deliver_command_defaults_to_the_day_in_shanghai(database, outbox):
    import time_machine

    with time_machine.travel(datetime(2024, 6, 2, 20, 0, tzinfo=UTC), tick=False):  # 04:00 on 6月3日
        result = CliRunner().invoke(notices, ["deliver"], catch_exceptions=False)
    assert result.exit_code == 0 and result.output.startswith("2024年6月3日：摘要 3 条"), result.output
    assert len(outbox_messages(outbox)) == 3

"""Group robots take 20 messages a minute (企业微信, 钉钉; 钉钉 then refuses everything for ten
minutes) or 5 a second (飞书): a run paces its sends to each robot (wufei.notify.pace), counting
what earlier runs sent it, so an office whose one work-group robot carries every department's
digest gets them all, none refused. The rule on a made clock; the runs against the local HTTP
receiver of test_webhooks, which refuses a message past its window as the platforms do (the rate
made small, so that a test takes a second, not minutes)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from tests.rules import CADENCE
from wufei import migrate
from wufei.db import make_sessionmaker, transaction
from wufei.departments.models import Department
from wufei.notices.service import create_intents
from wufei.notify import channels as channels_module
from wufei.notify import runs
from wufei.notify.models import Delivery
from wufei.notify.pace import Pacer, Rate
from wufei.plans.models import Jurisdiction

from .conftest import DAY, intent
from .test_mail_sessions import _departments
from .test_webhooks import DING_SECRET, DING_TOKEN, receiver  # noqa: F401  (the fixture)

T0 = datetime(2024, 6, 3, 1, 0, tzinfo=UTC)
MINUTE = (Rate(20, 62.0),)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_the_twenty_first_message_of_a_minute_waits_for_the_first_to_leave_the_window():
    clock = Clock()
    pacer = Pacer(clock=clock, sleep=clock.sleep)
    waits = [pacer.wait("robot", MINUTE) for _ in range(21)]
    assert waits[:20] == [0.0] * 20 and waits[20] == pytest.approx(62.0)
    assert pacer.wait("another robot", MINUTE) == 0.0  # each robot has its own minute


def test_every_rate_of_a_robot_holds_five_a_second_and_a_hundred_a_minute():
    clock = Clock()
    pacer = Pacer(clock=clock, sleep=clock.sleep)
    rates = (Rate(5, 1.2), Rate(100, 62.0))
    sent = []
    for _ in range(130):
        pacer.wait("feishu", rates)
        sent.append(clock.now)
    for rate in rates:
        for first, last in zip(sent, sent[rate.messages :], strict=False):
            assert last - first >= rate.seconds - 1e-9
    assert sent[100] - sent[0] >= 62.0  # the minute's, not only the second's


def test_sends_seen_from_an_earlier_run_count_against_the_minute():
    clock = Clock()
    pacer = Pacer(clock=clock, sleep=clock.sleep)
    pacer.seen("robot", [50.0 - n for n in range(19)])  # 19 sent in the last 50 seconds
    assert pacer.wait("robot", MINUTE) == 0.0  # the 20th
    assert pacer.wait("robot", MINUTE) == pytest.approx(12.0)  # the oldest, 50 s ago, leaves at 62


def test_threads_reserving_at_once_never_exceed_the_rate():
    pacer = Pacer()
    rate = (Rate(3, 0.3),)
    times: list[float] = []
    lock = threading.Lock()

    def send() -> None:
        for _ in range(3):
            at = pacer.reserve("robot", rate)
            with lock:
                times.append(at)

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    times.sort()
    assert len(times) == 12
    assert all(last - first >= 0.3 - 1e-9 for first, last in zip(times, times[3:], strict=False))


def _one_robot_for_all(engine, count: int, tmp_path, monkeypatch, outbox) -> list:
    """`count` departments with a digest each, all reached by the office's one 钉钉 work-group robot."""
    migrate.upgrade(engine)
    with transaction(engine) as session:
        units = _departments(session, count)
    tags = ", ".join(f"dept-{unit.id}" for unit in units)
    config = tmp_path / "apprise.yaml"
    config.write_text(
        f"version: 1\nurls:\n  - dingtalk://{DING_SECRET}@{DING_TOKEN}/:\n      - tag: {tags}\n"
        f"  - outbox://localhost{outbox}:\n      - tag: office\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("WUFEI_APPRISE_CONFIG", str(config))
    return units


@pytest.fixture
def small_minute(monkeypatch, receiver):
    """The platforms' window made small: the receiver takes 3 messages a second from one robot, the
    run paces 3 in 1.1 seconds (its margin over the platform's clock)."""
    receiver.rate = (3, 1.0)
    monkeypatch.setitem(channels_module.ROBOT_RATES, channels_module.NotifyDingTalk, (Rate(3, 1.1),))
    return receiver


def test_every_departments_digest_reaches_the_shared_robot_none_refused(
    fresh_engine, outbox, tmp_path, monkeypatch, small_minute
):
    units = _one_robot_for_all(fresh_engine, 7, tmp_path, monkeypatch, outbox)
    summary = runs.deliver_day(fresh_engine, DAY, now=T0, cadence=CADENCE, concurrency=4)
    assert (summary["sent"], summary["failed"]) == (7, 0), summary
    arrived = small_minute.requests
    assert len(arrived) == 7 and all(r["accepted"] for r in arrived)
    assert sorted(r["json"]["text"]["content"].split("：")[0][-5:] for r in arrived) == sorted(
        unit.name[-5:] for unit in units
    )
    with make_sessionmaker(fresh_engine)() as session:
        assert set(session.scalars(select(Delivery.status))) == {"sent"}


def test_a_run_right_after_another_counts_what_the_first_sent(
    fresh_engine, outbox, tmp_path, monkeypatch, small_minute
):
    _one_robot_for_all(fresh_engine, 3, tmp_path, monkeypatch, outbox)
    assert runs.deliver_day(fresh_engine, DAY, now=T0, cadence=CADENCE, concurrency=2)["sent"] == 3
    with transaction(fresh_engine) as session:  # a fourth department's notice, after the day's run
        city = session.scalars(select(Jurisdiction)).one()
        late = Department(jurisdiction=city, name="测试部门3", kind="bureau")
        session.add(late)
        session.flush()
        create_intents(session, [intent("late", "overdue", late.id, title="补充任务", days_overdue=1)])
    config = tmp_path / "apprise.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("dept-", f"dept-{late.id}, dept-", 1), encoding="utf-8"
    )

    summary = runs.deliver_day(fresh_engine, DAY, now=T0, cadence=CADENCE, concurrency=2)  # a new run, a new pacer
    assert (summary["sent"], summary["failed"]) == (1, 0), summary
    assert [r["accepted"] for r in small_minute.requests] == [True] * 4

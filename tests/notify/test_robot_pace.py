"""Group robots take 20 messages a minute (企业微信, 钉钉; 钉钉 then refuses everything for ten
minutes) or 5 a second (飞书): a run paces its sends to each robot (wufei.notify.pace), counting
what earlier runs sent it, so an office whose one work-group robot carries every department's
digest gets them all, none refused. The rule on a made clock; the runs against the local HTTP
receiver of test_webhooks, which refuses a message past its window as the platforms do (the rate
made small, so that a test takes a second, not minutes)."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import apprise
import pytest
from sqlalchemy import select

from tests.rules import CADENCE
from wufei import migrate
from wufei.contacts.models import Contact
from wufei.contacts.service import contact_services
from wufei.db import make_sessionmaker, transaction
from wufei.departments.models import Department
from wufei.notices.service import create_intents
from wufei.notify import channels as channels_module
from wufei.notify import runs
from wufei.notify.channels import Channels
from wufei.notify.models import Delivery, Dispatch
from wufei.notify.pace import Pacer, Rate
from wufei.notify.service import deliver, recent_sends, retry
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


# --- review22a: what a retry, a resend and a mobile added later must not do -----------------------


def _robot_contact(session, department_id: int, phone: str | None = None) -> Contact:
    contact = Contact(
        department_id=department_id,
        liaison="张三",
        liaison_phone=phone,
        dingtalk_robot=f"dingtalk://{DING_SECRET}@{DING_TOKEN}/",
        source="联系人.xlsx",
        source_row=2,
    )
    session.add(contact)
    session.flush()
    return contact


@pytest.mark.parametrize("first_outcome", ["sent", "unknown"])
def test_a_mobile_added_after_the_robot_took_the_message_does_not_send_it_again(
    session,
    departments,
    outbox,
    receiver,
    tmp_path,
    first_outcome,
):
    """The department's other service fails, so the dispatch is retried; meanwhile the office adds the
    liaison's mobile to the contacts sheet. The robot took the message (or may have: unknown), and the
    retry must not send it again: the name the delivery is recorded under is the robot's, not the
    mobile's (and no mobile is shown on the 发送核实 page)."""
    env, _ = departments
    contact = _robot_contact(session, env.id)
    create_intents(session, [intent("a", "overdue", env.id, title="任务甲", days_overdue=1)])
    config = tmp_path / "apprise.yaml"
    config.write_text(
        f"version: 1\nurls:\n  - json://127.0.0.1:9/:\n      - tag: dept-{env.id}\n"
        f"  - outbox://localhost{outbox}:\n      - tag: office\n",
        encoding="utf-8",
    )
    deliver(
        session, day=DAY, channels=Channels.load(config, extra=contact_services(session)), now=T0, zone=CADENCE.timezone
    )
    robot = session.scalars(select(Delivery).where(Delivery.service_url.like("dingtalk%"))).one()
    robot.status = first_outcome  # unknown: as a run killed mid-send leaves it
    contact.liaison_phone = "138 0013 8000"
    session.flush()
    retry(
        session,
        channels=Channels.load(config, extra=contact_services(session)),
        now=T0 + timedelta(hours=1),
        zone=CADENCE.timezone,
        ignore_backoff=True,
    )
    assert len([r for r in receiver.requests if r["path"].startswith("/dingtalk")]) == 1
    assert not any("13800138000" in url for url in session.scalars(select(Delivery.service_url)))


def test_recent_sends_count_from_the_answer_and_an_unanswered_one_from_now(session, departments):
    """A paced send waited after its row was written: it reached the robot at its row's time plus its
    duration (the wait included); a `sending` row, at any moment up to now; a row after `now` (a
    replay of a past day) not yet."""
    env, _ = departments
    dispatch = Dispatch(
        key="d",
        day=DAY,
        audience="liaison",
        department_id=env.id,
        tag=f"dept-{env.id}",
        subject="s",
        body="b",
        status="sent",
    )
    session.add(dispatch)
    session.flush()
    now = T0 + timedelta(minutes=10)
    for status, before, took in [("sent", 100, 50_000), ("sent", 100, 1_000), ("sending", 30, 0), ("sent", -5, 0)]:
        session.add(
            Delivery(
                dispatch_id=dispatch.id,
                service_url="dingtalk://robot",
                status=status,
                duration_ms=took,
                attempted_at=now - timedelta(seconds=before),
            )
        )
    session.flush()
    ages = recent_sends(session, ["dingtalk://robot"], within=timedelta(seconds=62), now=now)
    assert sorted(ages["dingtalk://robot"]) == [0.0, 50.0]  # the 99 s old one is out of the window


def test_the_mention_line_is_inside_the_robots_limit():
    """A text that is no digest is cut to the byte: the mobiles' line must be part of the room."""
    service = apprise.Apprise.instantiate(f"dingtalk://{DING_TOKEN}/13800138000/")
    message = channels_module._message(service, "【无废城市建设督办】提醒", "长" * 30_000, ())
    limit = channels_module.ROBOT_LIMITS[channels_module.NotifyDingTalk]
    assert message["body"].endswith("\n@13800138000")
    assert limit.measure(message["title"]) + limit.measure("\r\n") + limit.measure(message["body"]) <= limit.size


def test_a_paced_send_counts_its_wait_in_its_duration(receiver, tmp_path, outbox):
    config = tmp_path / "apprise.yaml"
    config.write_text(
        f"version: 1\nurls:\n  - dingtalk://{DING_SECRET}@{DING_TOKEN}/:\n      - tag: dept-1\n", encoding="utf-8"
    )
    channels = Channels.load(config)
    channels.pacer.seen(channels_module.robot_key(channels.services[0]), [0.0] * 20)  # the minute is full
    [(service, name)] = channels.targets("dept-1")
    pacer_rates = channels_module.ROBOT_RATES[channels_module.NotifyDingTalk]
    channels_module.ROBOT_RATES[channels_module.NotifyDingTalk] = (Rate(20, 0.4),)
    try:
        result = channels.send_to(service, name, "提醒", "内容")
    finally:
        channels_module.ROBOT_RATES[channels_module.NotifyDingTalk] = pacer_rates
    assert result.ok and result.duration_ms >= 390


def test_a_robot_throttled_by_anothers_sends_is_sent_nothing_more_in_the_run(
    fresh_engine, outbox, tmp_path, monkeypatch, small_minute
):
    """Another process filled the robot's minute (runs do not see each other's pace): 钉钉 refuses with
    130101 and takes nothing for ten minutes. The run sends it nothing more: those messages fail
    unsent, with the reason, and are retried later."""
    _one_robot_for_all(fresh_engine, 5, tmp_path, monkeypatch, outbox)
    small_minute.rate = (2, 60.0)  # two from elsewhere would be refused the same way
    summary = runs.deliver_day(fresh_engine, DAY, now=T0, cadence=CADENCE, concurrency=1)
    assert (summary["sent"], summary["failed"]) == (2, 3), summary
    assert [r["accepted"] for r in small_minute.requests] == [True, True, False]
    with make_sessionmaker(fresh_engine)() as session:
        errors = sorted(e for e in session.scalars(select(Delivery.error)) if e)
    assert len(errors) == 3 and "130101" in errors[0] and all("暂停接收" in e for e in errors[1:])


def test_the_offices_resend_counts_what_a_run_just_sent(fresh_engine, outbox, tmp_path, monkeypatch, small_minute):
    _one_robot_for_all(fresh_engine, 1, tmp_path, monkeypatch, outbox)
    small_minute.refusal = {"errcode": 310000, "errmsg": "keywords not in content"}
    assert runs.deliver_day(fresh_engine, DAY, cadence=CADENCE)["failed"] == 1
    small_minute.refusal = None
    time.sleep(1.2)  # out of the receiver's window
    _more_departments(fresh_engine, tmp_path, 3)
    assert runs.deliver_day(fresh_engine, DAY, cadence=CADENCE, concurrency=3)["sent"] == 3
    with make_sessionmaker(fresh_engine)() as session:
        failed = session.scalars(select(Dispatch.id).where(Dispatch.status == "failed")).one()
    runs.resend(fresh_engine, failed, cadence=CADENCE)  # the office's 补发, at once
    assert [r["accepted"] for r in small_minute.requests] == [False, True, True, True, True]


def _more_departments(engine, tmp_path, count: int) -> None:
    """`count` more departments with a notice each, reached by the same robot."""
    with transaction(engine) as session:
        city = session.scalars(select(Jurisdiction)).one()
        added = [Department(jurisdiction=city, name=f"新增部门{n}", kind="bureau") for n in range(count)]
        session.add_all(added)
        session.flush()
        create_intents(
            session, [intent(f"more{d.id}", "overdue", d.id, title="补充任务", days_overdue=1) for d in added]
        )
        tags = "".join(f", dept-{d.id}" for d in added)
    config = tmp_path / "apprise.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("      - tag: dept-", f"      - tag: {tags[2:]}, dept-", 1),
        encoding="utf-8",
    )


def test_a_retry_and_the_days_delivery_on_one_channels_count_the_retries_once(
    fresh_engine, outbox, tmp_path, monkeypatch, small_minute
):
    """`wufei notices deliver` retries what is due, then delivers the day, on the same channels: the
    retries' sends are in its pacer already and are not counted again from the table."""
    _one_robot_for_all(fresh_engine, 2, tmp_path, monkeypatch, outbox)
    small_minute.refusal = {"errcode": 310000, "errmsg": "keywords not in content"}
    assert runs.deliver_day(fresh_engine, DAY, cadence=CADENCE)["failed"] == 2
    small_minute.refusal = None
    time.sleep(1.2)
    _more_departments(fresh_engine, tmp_path, 1)
    channels = runs.load_channels(fresh_engine)
    assert runs.retry_due(fresh_engine, cadence=CADENCE, channels=channels, ignore_backoff=True)["sent"] == 2
    assert runs.deliver_day(fresh_engine, DAY, cadence=CADENCE, channels=channels)["sent"] == 1
    accepted = [r["at"] for r in small_minute.requests if r["accepted"]]
    assert len(accepted) == 3 and accepted[2] - accepted[1] < 0.5  # two in the window: the third goes at once


def test_a_robots_paced_sends_do_not_hold_up_the_emails_of_the_run(
    fresh_engine, outbox, tmp_path, monkeypatch, receiver, smtp
):
    """mend23: six departments on the office's one 钉钉 robot (its minute made five seconds: three a
    window), then three departments by email, one sending thread. The robot's fourth message must wait
    for its window; the run puts it aside for its robot thread and the emails leave meanwhile, where a
    sending thread waiting for the robot held them back behind it."""
    receiver.rate = (3, 4.5)
    monkeypatch.setitem(channels_module.ROBOT_RATES, channels_module.NotifyDingTalk, (Rate(3, 5.0),))
    migrate.upgrade(fresh_engine)
    with transaction(fresh_engine) as session:
        units = _departments(session, 9)  # claimed in this order (their keys sort so: ids 1 to 9)
    on_robot, by_email = units[:6], units[6:]
    robot_tags = ", ".join(f"dept-{unit.id}" for unit in on_robot)
    emails = "".join(f"  - {smtp.url(f'dept{d.id}@wufei.test')}:\n      - tag: dept-{d.id}\n" for d in by_email)
    config = tmp_path / "apprise.yaml"
    config.write_text(
        f"version: 1\nurls:\n  - dingtalk://{DING_SECRET}@{DING_TOKEN}/:\n      - tag: {robot_tags}\n{emails}"
        f"  - outbox://localhost{outbox}:\n      - tag: office\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("WUFEI_APPRISE_CONFIG", str(config))
    arrivals: list[float] = []
    keep = smtp.inbox.handle_DATA

    async def noting_when(server, session, envelope):
        arrivals.append(time.monotonic())  # the receiver's clock too
        return await keep(server, session, envelope)

    smtp.inbox.handle_DATA = noting_when
    smtp.start()
    summary = runs.deliver_day(fresh_engine, DAY, now=T0, cadence=CADENCE, concurrency=1)
    assert (summary["sent"], summary["failed"]) == (9, 0), summary
    robot = [r for r in receiver.requests if r["path"].startswith("/dingtalk")]
    assert len(robot) == 6 and all(r["accepted"] for r in robot)
    assert len(arrivals) == 3
    assert max(arrivals) < robot[3]["at"]  # every email before the robot's first paced message
    with make_sessionmaker(fresh_engine)() as session:
        assert set(session.scalars(select(Delivery.status))) == {"sent"}


def test_a_robot_send_whose_turn_comes_after_the_lease_is_left_for_the_next_run(
    fresh_engine, outbox, tmp_path, monkeypatch, receiver
):
    """The robot's minute is full for longer than the attempt's lease allows a send to wait: the
    message is not sent, failed saying so (retried later), and the run does not wait for it."""
    _one_robot_for_all(fresh_engine, 2, tmp_path, monkeypatch, outbox)
    monkeypatch.setitem(channels_module.ROBOT_RATES, channels_module.NotifyDingTalk, (Rate(1, 3600.0),))
    summary = runs.deliver_day(fresh_engine, DAY, now=T0, cadence=CADENCE, concurrency=2)
    assert (summary["sent"], summary["failed"]) == (1, 1), summary
    assert len(receiver.requests) == 1
    with make_sessionmaker(fresh_engine)() as session:
        [error] = [e for e in session.scalars(select(Delivery.error)) if e]
    assert "留待下次发送" in error


def test_the_pacer_alone_spaces_a_robots_sends_apprises_own_pause_is_off_for_robots(tmp_path, monkeypatch):
    """Apprise waits 5.5 s between two requests to one service (`request_rate_per_sec`; the suite's
    conftest sets it to 0, restored here as installed): a robot sent about 11 messages a minute, each
    wait on a sending thread, so an office's emails queued minutes behind its robot (review23e). The
    pacer spaces a robot's sends at the platform's rate; the pause stays for every other service."""
    from apprise import NotifyBase

    monkeypatch.setattr(NotifyBase, "request_rate_per_sec", 5.5)
    config = tmp_path / "apprise.yaml"
    config.write_text(
        f"version: 1\nurls:\n  - dingtalk://{DING_SECRET}@{DING_TOKEN}/:\n      - tag: dept-1\n"
        "  - mailto://user:pass@127.0.0.1:2525?from=duban@example.gov.cn&to=office@example.gov.cn:\n"
        "      - tag: office\n",
        encoding="utf-8",
    )
    loaded = Channels.load(config)
    pauses = {type(service).__name__: service.request_rate_per_sec for service in loaded.services}
    robots = {name for name, pause in pauses.items() if pause == 0}
    assert robots == {t.__name__ for t in channels_module.ROBOT_RATES} & set(pauses), pauses
    assert pauses["NotifyEmail"] == 5.5 and len(robots) >= 1

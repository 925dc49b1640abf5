from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.rules import CADENCE
from wufei.notices.models import NoticeIntent
from wufei.notices.service import create_intents, resolve_intents
from wufei.notify.channels import ChannelError, Channels
from wufei.notify.models import Delivery, Dispatch
from wufei.notify.service import BACKOFF, MAX_ATTEMPTS, deliver, retry
from wufei.plans.models import Jurisdiction

from .conftest import DAY, intent, outbox_messages

T0 = datetime(2024, 6, 3, 1, 0, tzinfo=UTC)


def _dispatches(session):
    return list(session.scalars(select(Dispatch).order_by(Dispatch.id)))


def test_outbox_writes_one_chinese_message_per_department(session, some_intents, departments, outbox):
    summary = deliver(
        session, day=DAY, channels=Channels.load(), now=T0, zone=CADENCE.timezone
    )  # the shipped apprise.yaml
    assert summary | {"day": None} == {
        "day": None,
        "digests": 2,
        "claimed": 2,
        "skipped": 0,
        "sent": 2,
        "failed": 0,
        "permanent": 0,
        "unknown": 0,
        "messages": 2,
    }
    messages = {m["subject"]: m["body"] for m in outbox_messages(outbox)}
    assert set(messages) == {
        "【无废城市建设督办】市生态环境局：2条提醒（2024年6月3日）",
        "【报告退回】市住房城乡建设局：建筑垃圾资源化利用",
    }
    body = messages["【无废城市建设督办】市生态环境局：2条提醒（2024年6月3日）"]
    assert body.startswith("市生态环境局专班联系人：") and "「建设危险废物集中处置中心」" in body
    assert [f.name.isascii() for f in outbox.iterdir()] == [True, True]

    env, _build = departments
    [first, second] = _dispatches(session)
    assert (first.department_id, first.tag, first.status, first.attempts) == (env.id, f"dept-{env.id}", "sent", 1)
    assert first.key == f"digest|2024-06-03|liaison|dept:{env.id}|dept-{env.id}"
    assert sorted(first.intent_ids + second.intent_ids) == sorted(some_intents)
    assert first.sent_at == T0 and first.next_attempt_at is None
    [record] = session.scalars(select(Delivery).where(Delivery.dispatch_id == first.id)).all()
    assert (record.status, record.service_url, record.error) == ("sent", f"outbox://localhost{outbox}", None)


def test_deliver_twice_claims_once_and_sends_once(session, some_intents, outbox):
    channels = Channels.load()
    deliver(session, day=DAY, channels=channels, now=T0, zone=CADENCE.timezone)
    again = deliver(session, day=DAY, channels=Channels.load(), now=T0 + timedelta(minutes=1), zone=CADENCE.timezone)
    assert again["claimed"] == 0 and again["messages"] == 0
    assert len(_dispatches(session)) == 2
    assert len(outbox_messages(outbox)) == 2
    assert session.scalar(select(func.count()).select_from(Delivery)) == 2


def test_claim_conflict_on_the_key_sends_nothing(session, some_intents, outbox):
    """A second process offering the same digest (same key) gets no id back and sends nothing."""
    from wufei.notify.service import _claim, pending_digests

    digests = pending_digests(session, day=DAY)
    assert [dispatch_id is not None for dispatch_id in _claim(session, digests, T0)] == [True, True]
    assert _claim(session, digests, T0) == [None, None]
    assert deliver(session, day=DAY, channels=Channels.load(), now=T0, zone=CADENCE.timezone)["messages"] == 0
    assert outbox_messages(outbox) == []


def test_claims_made_together_are_decided_digest_by_digest(session, some_intents, outbox):
    """One batch of claims: a digest whose key is taken gets nothing, one carrying an intent
    another dispatch carries gets nothing and leaves no dispatch, the others are claimed."""
    import dataclasses

    from wufei.notify.models import DispatchIntent
    from wufei.notify.service import _claim, pending_digests

    first, second = pending_digests(session, day=DAY)
    [claimed] = _claim(session, [first], T0)
    again = dataclasses.replace(first, key=first.key + "|2")  # a new key, intents already carried
    result = _claim(session, [first, again, second], T0)
    assert result[:2] == [None, None] and result[2] is not None
    assert [d.id for d in _dispatches(session)] == [claimed, result[2]]
    links = dict(session.execute(select(DispatchIntent.intent_id, DispatchIntent.dispatch_id)).tuples().all())
    assert links == dict.fromkeys(first.intent_ids, claimed) | dict.fromkeys(second.intent_ids, result[2])


def test_claims_sent_in_several_statements_are_decided_as_in_one(session, some_intents, outbox, monkeypatch):
    """SQLite sends a claim's rows in statements of at most `_SQLITE_ROWS` digests: one digest a
    statement here, and the decisions are those of the test above (PostgreSQL: one statement)."""
    import dataclasses

    from wufei.notify import service
    from wufei.notify.models import DispatchIntent

    monkeypatch.setattr(service, "_SQLITE_ROWS", 1)
    first, second = service.pending_digests(session, day=DAY)
    [claimed] = service._claim(session, [first], T0)
    again = dataclasses.replace(first, key=first.key + "|2")
    result = service._claim(session, [first, again, second], T0)
    assert result[:2] == [None, None] and result[2] is not None
    assert [d.id for d in _dispatches(session)] == [claimed, result[2]]
    links = dict(session.execute(select(DispatchIntent.intent_id, DispatchIntent.dispatch_id)).tuples().all())
    assert links == dict.fromkeys(first.intent_ids, claimed) | dict.fromkeys(second.intent_ids, result[2])
    assert {d.next_attempt_at for d in _dispatches(session)} == {T0 + service.LEASE}  # the lease fence's value


def test_new_intents_the_next_day_get_a_new_digest_and_resolved_ones_none(session, departments, some_intents, outbox):
    channels = Channels.load()
    deliver(session, day=DAY, channels=channels, now=T0, zone=CADENCE.timezone)
    env, build = departments
    next_day = DAY + timedelta(days=1)
    new = create_intents(
        session,
        [
            intent("d", "overdue", env.id, created_on=next_day, title="新任务"),
            intent("e", "due_soon", build.id, created_on=next_day, title="将解决"),
        ],
    )
    resolve_intents(session, intent_ids=[new[1]], on=next_day, resolution="已完成")
    summary = deliver(session, day=next_day, channels=channels, now=T0 + timedelta(days=1), zone=CADENCE.timezone)
    assert (summary["claimed"], summary["messages"]) == (1, 1)
    assert _dispatches(session)[-1].intent_ids == [new[0]]


def test_invalid_url_in_the_config_is_an_error_at_start(channels_from, outbox):
    with pytest.raises(ChannelError, match="列出 2 个通知渠道，只加载了 1 个"):
        channels_from(f"""
version: 1
urls:
  - outbox://localhost{outbox}:
      - tag: office
  - nosuchschema://example:
      - tag: dept-1
""")


def test_a_mistyped_tag_is_an_error_at_start_naming_its_line(outbox):
    config = f"""version: 1
urls:
  - outbox://localhost{outbox}:
      - tag: office, group, fallbak
"""
    with pytest.raises(ChannelError, match="第 4 行未知的标签「fallbak」"):
        Channels(config)
    aliased = config.replace("fallbak", "fallback, dept-sthjj, leader-7")
    assert len(Channels(aliased, aliases={"sthjj": 3}).services) == 1
    with pytest.raises(ChannelError, match="联系人表中没有标签「sthjj」的部门"):
        Channels(aliased, aliases={})


def test_no_matching_service_fails_and_is_retried(session, some_intents, channels_from, outbox):
    channels = channels_from(f"version: 1\nurls:\n  - outbox://localhost{outbox}:\n      - tag: office\n")
    summary = deliver(session, day=DAY, channels=channels, now=T0, zone=CADENCE.timezone)
    assert (summary["failed"], summary["sent"], summary["messages"]) == (2, 0, 0)
    for dispatch in _dispatches(session):
        assert (dispatch.status, dispatch.attempts, dispatch.sent_at) == ("failed", 1, None)
        assert dispatch.next_attempt_at == T0 + BACKOFF[0]


def test_permanent_after_max_attempts_is_flagged_to_the_office(session, departments, channels_from, outbox, smtp):
    env, _ = departments
    create_intents(session, [intent("x", "red_slip", env.id, title="危废处置")])
    channels = channels_from(f"""
version: 1
urls:
  - {smtp.url("liaison@wufei.test")}:
      - tag: dept-{env.id}
  - outbox://localhost{outbox}:
      - tag: office
""")  # the SMTP server never starts
    deliver(session, day=DAY, channels=channels, now=T0, zone=CADENCE.timezone)
    now = T0
    for _ in range(MAX_ATTEMPTS - 1):
        now += timedelta(days=1)
        retry(session, now=now, channels=channels, zone=CADENCE.timezone)
    [dispatch] = _dispatches(session)
    assert (dispatch.status, dispatch.attempts, dispatch.sent_at, dispatch.next_attempt_at) == (
        "permanent",
        MAX_ATTEMPTS,
        None,
        None,
    )
    failures = session.scalars(select(Delivery).where(Delivery.dispatch_id == dispatch.id)).all()
    assert len(failures) == MAX_ATTEMPTS and {f.status for f in failures} == {"failed"}
    assert all("127.0.0.1" in f.service_url and f.error for f in failures)
    assert retry(session, now=now + timedelta(days=30), channels=channels, zone=CADENCE.timezone)["due"] == 0

    [flag] = session.scalars(select(NoticeIntent).where(NoticeIntent.kind == "delivery_failed")).all()
    assert (flag.audience, flag.department_id, flag.payload["dispatch_key"]) == ("office", env.id, dispatch.key)
    assert flag.created_on == now.date()  # the day it was raised, not the dispatch's day
    assert flag.key == f"delivery_failed|dispatch:{dispatch.id}|attempt:{MAX_ATTEMPTS}"
    summary = deliver(session, day=now.date(), channels=channels, now=now, zone=CADENCE.timezone)
    assert summary["sent"] == 1
    [message] = outbox_messages(outbox)
    assert message["subject"] == f"【通知发送失败】市生态环境局（dept-{env.id}）"
    assert "未能送达" in message["body"] and "共5次尝试" in message["body"]


def test_an_intent_a_dispatch_carries_is_never_claimed_again_the_constraint_says_so(session, some_intents, outbox):
    from wufei.notify import service
    from wufei.notify.models import DispatchIntent

    deliver(session, day=DAY, channels=Channels.load(), now=T0, zone=CADENCE.timezone)
    carried = sorted(session.scalars(select(DispatchIntent.intent_id)))
    assert carried == sorted(some_intents)
    assert service.pending_digests(session, day=DAY) == []  # "already delivered" is the table
    # A claim that read the intents before another run claimed them (a stale pending list) is
    # refused by the key of dispatch_intents, and its dispatch is not kept.
    [stale] = service.build_digests(
        [
            {
                "id": i.id,
                "kind": i.kind,
                "audience": i.audience,
                "department_id": i.department_id,
                "created_on": i.created_on,
                "period": i.period,
                "resolved_on": None,
                "payload": i.payload,
            }
            for i in session.scalars(select(NoticeIntent).where(NoticeIntent.id == some_intents[0]))
        ],
        day=DAY,
        department_names={},
    )
    stale = service._next_key(stale, set(session.scalars(select(Dispatch.key))))
    before = len(_dispatches(session))
    assert service._claim(session, [stale], T0) == [None]
    assert len(_dispatches(session)) == before
    assert sorted(session.scalars(select(DispatchIntent.intent_id))) == carried


def test_an_office_digest_of_several_cities_names_each_items_city(session, outbox):
    """An unscoped run gathers the office's items of every city into one digest (the shipped
    channels route every office to one fallback): each item says whose plan it is, a city's items
    together; a digest of one city's items is written as before, without the name."""
    from wufei.cells.models import Cell
    from wufei.departments.models import Department
    from wufei.indicators.models import Indicator
    from wufei.notify.service import pending_digests
    from wufei.plans.models import Plan
    from wufei.tasks.models import Task

    def plan_in(city: str, number: str) -> Plan:
        plan = Plan(
            jurisdiction=Jurisdiction(name=city, level="city"), title=f"{city}无废城市建设实施方案", kind="plan"
        )
        plan.doc_number = number
        session.add(plan)
        return plan

    hengshui, baoding = plan_in("衡水市", "衡政办字〔2022〕57号"), plan_in("保定市", "保政办函〔2022〕50号")
    tasks = [
        Task(plan=plan, list_kind="main", number="1", title=title, deadline_kind="ongoing")
        for plan, title in ((hengshui, "统一垃圾分类标准"), (baoding, "推进绿色建材产业建链强链"))
    ]
    indicator = Indicator(
        plan=baoding, number="3", name="一般工业固体废物综合利用率", target_kind="none", direction="up"
    )
    session.add_all([*tasks, indicator])
    session.flush()
    school = Cell(
        jurisdiction_id=hengshui.jurisdiction_id,
        name="桃城区第一中学",
        category="无废学校",
        county="桃城区",
        department=Department(jurisdiction=hengshui.jurisdiction, name="市教育局", kind="bureau"),
        state="building",
        state_on=DAY,
    )
    session.add(school)
    session.flush()
    create_intents(
        session,
        [
            {**intent("h", "group_escalation", None, audience="office", title=tasks[0].title, days_overdue=30),
             "task_id": tasks[0].id},
            {**intent("b", "group_escalation", None, audience="office", title=tasks[1].title, days_overdue=31),
             "task_id": tasks[1].id},
            intent("i", "indicator_overdue", None, audience="office", indicator_id=indicator.id,
                   indicator_name=indicator.name, period_cn="2024年第1季度", due_date_cn="2024年4月15日",
                   days_overdue=30),
            intent("c", "cell_stalled", None, audience="office", cell_id=school.id, cell_name=school.name,
                   county="桃城区", category="无废学校", state_cn="创建中", since_cn="2024年1月2日", days=150,
                   limit_days=120, action="请督促"),
            {**intent("g", "group_escalation", None, audience="group", title=tasks[0].title, days_overdue=30),
             "task_id": tasks[0].id},
        ],
    )  # fmt: skip
    session.flush()

    digests = {d.audience: d for d in pending_digests(session, day=DAY)}
    office = digests["office"].body.splitlines()
    mentions = [line for line in office if line[:1].isdigit()]
    assert mentions[0].startswith("1. 保定市：") and "推进绿色建材产业建链强链" in mentions[0]
    assert mentions[1].startswith("2. 衡水市：") and "统一垃圾分类标准" in mentions[1]
    assert any(line.startswith("1. 保定市：") and "一般工业固体废物综合利用率" in line for line in mentions[2:])
    assert any(line.startswith("1. 衡水市：无废细胞「桃城区第一中学」") for line in mentions[2:])
    assert "衡水市：" not in digests["group"].body and "统一垃圾分类标准" in digests["group"].body

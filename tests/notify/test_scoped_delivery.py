"""Delivery scoped to a city (the nation's fan-out): a scoped run claims and retries only the intents
about that city's tasks (its counties' folded in) or addressed to its departments; the office's and
the group's own notices, tied to no task and no department, wait for an unscoped run."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.rules import CADENCE
from wufei import migrate
from wufei.db import make_sessionmaker, transaction
from wufei.departments.models import Department
from wufei.notices.models import NoticeIntent
from wufei.notices.service import create_intents
from wufei.notify import runs, service
from wufei.notify.channels import Channels
from wufei.notify.models import Delivery, Dispatch, DispatchIntent
from wufei.plans.models import Jurisdiction, Plan
from wufei.tasks.models import Task

from .conftest import DAY, intent, outbox_messages

T0 = datetime(2024, 6, 3, 1, 0, tzinfo=UTC)
CITIES = ("甲市", "乙市")


def _city(session, name: str) -> dict[str, list[int]]:
    """A city with a county, a department and a plan with two tasks in each; its intents: about a
    task to the office (the county's task), about a task to a department, to a department alone.
    Returns {"intents": ids}."""
    city = Jurisdiction(name=name, level="city")
    county = Jurisdiction(name=f"{name}某县", level="county", parent=city)
    made: list[dict] = []
    for place in (city, county):
        department = Department(jurisdiction=place, name=f"{place.name}生态环境局", kind="bureau")
        plan = Plan(jurisdiction=place, title=f"{place.name}无废城市建设实施方案", kind="plan")
        tasks = [
            Task(plan=plan, list_kind="main", number=str(n), title=f"{place.name}任务{n}", deadline_kind="fixed")
            for n in (1, 2)
        ]
        session.add_all([department, plan, *tasks])
        session.flush()
        for task in tasks:
            made.append({**intent(f"{place.name}|{task.id}|dept", "overdue", department.id, title=task.title)})
            made[-1]["task_id"] = task.id
            office = intent(f"{place.name}|{task.id}|office", "group_escalation", None, audience="office")
            made.append({**office, "task_id": task.id, "payload": {"title": task.title}})
        made.append(intent(f"{place.name}|report", "report_missing", department.id, week="2024-W22"))
    create_intents(session, made)
    session.flush()
    keys = [m["key"] for m in made]
    return {"intents": list(session.scalars(select(NoticeIntent.id).where(NoticeIntent.key.in_(keys))))}


def _office_notices(session) -> list[int]:
    """Notices to the office and the group about no task and no department."""
    made = [
        intent("office|bulletin-note", "group_escalation", None, audience="office", title="全省汇总"),
        intent("group|summary", "group_escalation", None, audience="group", title="领导小组汇总"),
    ]
    create_intents(session, made)
    session.flush()
    return list(session.scalars(select(NoticeIntent.id).where(NoticeIntent.key.in_([m["key"] for m in made]))))


@pytest.fixture
def nation(fresh_engine):
    migrate.upgrade(fresh_engine)
    with transaction(fresh_engine) as session:
        cities = {name: _city(session, name)["intents"] for name in CITIES}
        office = _office_notices(session)
    return fresh_engine, cities, office


def _carried(engine) -> dict[int, int]:
    with make_sessionmaker(engine)() as session:
        return dict(session.execute(select(DispatchIntent.intent_id, DispatchIntent.dispatch_id)).tuples().all())


def test_two_cities_delivered_by_two_scoped_runs_at_once_send_each_message_once(nation, outbox):
    engine, cities, office = nation
    barrier = threading.Barrier(2)
    results: dict[str, dict] = {}
    errors: list[BaseException] = []

    def deliver(city: str) -> None:
        try:
            barrier.wait(timeout=30)
            results[city] = runs.scheduled_delivery(
                engine, DAY, cadence=CADENCE, now=T0, concurrency=2, jurisdiction=city
            )
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=deliver, args=(city,)) for city in CITIES]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors

    carried = _carried(engine)
    for city in CITIES:  # nothing of either city left unsent, nothing of the office's taken
        assert set(cities[city]) <= set(carried), city
        assert results[city]["jurisdiction"] == city
        assert results[city]["deliver"]["sent"] == results[city]["deliver"]["claimed"] > 0
    assert not set(office) & set(carried)
    # each city's dispatches carry its own intents only
    by_dispatch: dict[int, set[str]] = {}
    for intent_id, dispatch_id in carried.items():
        by_dispatch.setdefault(dispatch_id, set()).add(next(c for c in CITIES if intent_id in cities[c]))
    assert all(len(owners) == 1 for owners in by_dispatch.values()), by_dispatch
    with make_sessionmaker(engine)() as session:
        assert set(session.scalars(select(Dispatch.status))) == {"sent"}
        sent = list(session.scalars(select(Delivery.dispatch_id).where(Delivery.status == "sent")))
    assert sorted(sent) == sorted(by_dispatch)  # one delivery per dispatch
    messages = outbox_messages(outbox)
    assert len(messages) == len(by_dispatch) == sum(results[c]["deliver"]["messages"] for c in CITIES)

    again = runs.scheduled_delivery(engine, DAY, cadence=CADENCE, now=T0, jurisdiction=CITIES[0])
    assert again["deliver"]["claimed"] == 0 and again["retry"]["due"] == 0

    unscoped = runs.scheduled_delivery(engine, DAY, cadence=CADENCE, now=T0)
    assert unscoped["deliver"]["claimed"] == unscoped["deliver"]["sent"] == 2  # the office's and the group's
    assert set(_carried(engine)) - set(carried) == set(office)
    assert len(outbox_messages(outbox)) == len(messages) + 2


def test_an_unknown_jurisdiction_is_refused(nation, outbox):
    engine, _, _ = nation
    with pytest.raises(ValueError, match="未知的行政区划：丙市"):
        runs.scheduled_delivery(engine, DAY, cadence=CADENCE, now=T0, jurisdiction="丙市")
    assert outbox_messages(outbox) == []


def test_a_scoped_retry_takes_only_its_own_citys_failures(nation, outbox, channels_from):
    engine, cities, office = nation
    refused = channels_from(
        "version: 1\nurls:\n  - mailto://127.0.0.1:1?from=a@wufei.test&to=b@wufei.test:\n      - tag: fallback\n"
    )
    failed = runs.deliver_day(engine, DAY, cadence=CADENCE, channels=refused, now=T0)  # unscoped: all of them
    assert failed["failed"] == failed["claimed"] > 2
    carried = _carried(engine)
    owners: dict[int, set[str]] = {}  # the unscoped run put the office's intents of both cities in one digest
    for city, ids in [*cities.items(), ("office", office)]:
        for intent_id in ids:
            owners.setdefault(carried[intent_id], set()).add(city)
    later = T0 + timedelta(hours=1)
    with make_sessionmaker(engine)() as session:
        due = {city: set(service.due_dispatches(session, now=later, jurisdiction=city)) for city in CITIES}
        everything = set(service.due_dispatches(session, now=later))
    for city in CITIES:
        assert due[city] == {d for d, found in owners.items() if found == {city}} != set()
    mixed = {d for d, found in owners.items() if len(found) > 1}
    alone = {d for d, found in owners.items() if found == {"office"}}
    assert mixed and alone and everything == due[CITIES[0]] | due[CITIES[1]] | mixed | alone  # retried unscoped

    retried = runs.retry_due(engine, cadence=CADENCE, channels=Channels.load(), now=later, jurisdiction=CITIES[0])
    assert retried["due"] == retried["sent"] == len(due[CITIES[0]])
    assert len(outbox_messages(outbox)) == len(due[CITIES[0]])
    with make_sessionmaker(engine)() as session:
        statuses = dict(session.execute(select(Dispatch.id, Dispatch.status)).tuples().all())
    assert {statuses[d] for d in due[CITIES[0]]} == {"sent"}
    assert {statuses[d] for d in everything - due[CITIES[0]]} == {"failed"}

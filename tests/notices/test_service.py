"""The intent store: each key once, resolution, listings."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.conftest import hengshui_plan_id
from wufei.departments.naming import resolve_department
from wufei.notices.models import NoticeIntent
from wufei.notices.service import create_intents, intent_key, intents_as_dicts, list_intents, resolve_intents
from wufei.tasks.models import Task

DAY = date(2024, 6, 3)


@pytest.fixture
def session(hengshui_session):  # every test here starts from the Hengshui plan, imported once for the run
    return hengshui_session


@pytest.fixture
def hengshui(session):
    tasks = list(
        session.scalars(
            select(Task).where(Task.plan_id == hengshui_plan_id(session), Task.list_kind == "project").order_by(Task.id)
        )
    )
    ecology = resolve_department(session, "衡水市/市生态环境局")
    return tasks, ecology


def _intent(
    task_id,
    step="after_due_1",
    *,
    audience="liaison",
    department_id=None,
    period="2024-05-31",
    created_on=DAY,
    kind="yellow_slip",
):
    return {
        "key": intent_key(step, task_id=task_id, period=period, audience=audience, department_id=department_id),
        "kind": kind,
        "step": step,
        "audience": audience,
        "department_id": department_id,
        "task_id": task_id,
        "period": period,
        "created_on": created_on,
        "payload": {"title": "黄色督办单"},
    }


def _count(session):
    return session.scalar(select(func.count()).select_from(NoticeIntent))


def test_the_key_names_step_task_period_audience_and_department():
    assert (
        intent_key("after_due_7", task_id=123, period="2024-05-31", audience="leader", department_id=45)
        == "after_due_7|task:123|due:2024-05-31|leader|dept:45"
    )
    assert (
        intent_key("missing_1", task_id=9, period="2024-W22", audience="office", department_id=None, period_name="week")
        == "missing_1|task:9|week:2024-W22|office|dept:-"
    )


def test_creating_the_same_intents_twice_inserts_them_once_and_returns_only_new_ids(session, hengshui):
    tasks, ecology = hengshui
    first = create_intents(session, [_intent(tasks[0].id, department_id=ecology.id), _intent(tasks[1].id)])
    assert len(first) == 2 and _count(session) == 2

    again = create_intents(
        session, [_intent(tasks[0].id, department_id=ecology.id), _intent(tasks[1].id), _intent(tasks[2].id)]
    )
    assert len(again) == 1 and again[0] not in first
    assert _count(session) == 3


def test_a_key_repeated_within_one_call_is_inserted_once(session, hengshui):
    tasks, _ = hengshui
    assert len(create_intents(session, [_intent(tasks[0].id)] * 3)) == 1
    assert _count(session) == 1


def test_more_intents_than_one_batch_are_all_inserted(session, hengshui):
    tasks, _ = hengshui
    intents = [_intent(tasks[0].id, period=f"2024-W{week:02d}-{n}") for week in range(1, 51) for n in range(25)]
    assert len(create_intents(session, intents)) == 1250
    assert len(create_intents(session, intents)) == 0
    assert _count(session) == 1250


def test_an_intent_without_its_key_fields_is_refused(session):
    with pytest.raises(ValueError, match="缺少字段：key"):
        create_intents(
            session, [{"kind": "due_soon", "step": "x", "audience": "office", "period": "p", "created_on": DAY}]
        )
    assert create_intents(session, []) == []


def test_resolving_marks_only_the_unresolved_intents_of_those_tasks(session, hengshui):
    tasks, _ = hengshui
    a, b = tasks[0].id, tasks[1].id
    create_intents(session, [_intent(a), _intent(a, "missing_1", period="2024-W22", kind="report_missing"), _intent(b)])

    assert resolve_intents(session, task_ids=[a], on=date(2024, 6, 5), resolution="已延期", steps=["after_due_1"]) == 1
    assert resolve_intents(session, task_ids=[a], on=date(2024, 6, 9), resolution="已完成") == 1
    # Already resolved: the first resolution stays.
    assert resolve_intents(session, task_ids=[a], on=date(2024, 6, 10), resolution="已完成") == 0

    by_step = {(i.task_id, i.step): (i.resolved_on, i.resolution) for i in list_intents(session)}
    assert by_step[(a, "after_due_1")] == (date(2024, 6, 5), "已延期")
    assert by_step[(a, "missing_1")] == (date(2024, 6, 9), "已完成")
    assert by_step[(b, "after_due_1")] == (None, None)


def test_resolving_needs_tasks_or_intents(session):
    with pytest.raises(ValueError):
        resolve_intents(session, on=DAY, resolution="已完成")


def test_listing_filters_by_days_department_kind_and_task(session, hengshui):
    tasks, ecology = hengshui
    create_intents(
        session,
        [
            _intent(tasks[0].id, department_id=ecology.id, created_on=date(2024, 6, 3)),
            _intent(tasks[0].id, "after_due_7", audience="office", kind="red_slip", created_on=date(2024, 6, 12)),
            _intent(tasks[1].id, department_id=ecology.id, created_on=date(2024, 6, 20)),
        ],
    )
    assert [i.created_on for i in list_intents(session)] == [date(2024, 6, 3), date(2024, 6, 12), date(2024, 6, 20)]
    assert [i.created_on for i in list_intents(session, since=date(2024, 6, 4), until=date(2024, 6, 20))] == [
        date(2024, 6, 12),
        date(2024, 6, 20),
    ]
    assert {i.task_id for i in list_intents(session, department_id=ecology.id)} == {tasks[0].id, tasks[1].id}
    assert [i.step for i in list_intents(session, kind="red_slip")] == ["after_due_7"]
    assert len(list_intents(session, task_id=tasks[1].id)) == 1
    assert len(list_intents(session, unresolved=True)) == 3


def test_intents_as_dicts_are_json_safe_and_name_the_department(session, hengshui):
    tasks, ecology = hengshui
    create_intents(session, [_intent(tasks[0].id, department_id=ecology.id), _intent(tasks[0].id, audience="office")])
    rows = intents_as_dicts(session, list_intents(session))
    json.dumps(rows, ensure_ascii=False)
    assert {r["department"] for r in rows} == {"市生态环境局", None}
    assert {
        "id",
        "key",
        "kind",
        "step",
        "audience",
        "department",
        "task_id",
        "period",
        "created_on",
        "payload",
        "resolved_on",
        "resolution",
    } <= set(rows[0])
    assert rows[0]["created_on"] == "2024-06-03" and rows[0]["payload"] == {"title": "黄色督办单"}

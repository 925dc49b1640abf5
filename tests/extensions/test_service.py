"""Extension requests on Hengshui tasks: who may ask, when, and what a decision changes."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from tests.conftest import fresh_database_url, hengshui_plan_id
from tests.lights.factories import lead_of, supporter_of, tasks_of
from tests.seed_files import HENGSHUI_PLAN
from wufei.audit.models import AuditEntry
from wufei.cli import main
from wufei.departments.models import Department
from wufei.extensions.commands import extension as extension_group
from wufei.extensions.models import Extension
from wufei.extensions.service import (
    ExtensionError,
    assessment_due_date,
    decide_extension,
    effective_due_dates,
    request_extension,
)
from wufei.lights.rules import LightRules
from wufei.notices.models import NoticeIntent

DUE = date(2023, 12, 31)


@pytest.fixture
def session(hengshui_session):  # every test here starts from the Hengshui plan, imported once for the run
    return hengshui_session


@pytest.fixture
def task(session):
    return tasks_of(session, hengshui_plan_id(session), kind="fixed", due=DUE)[0]


def ask(session, task, **kw) -> Extension:
    fields = {
        "task_id": task.id,
        "department_id": lead_of(task),
        "requested_on": date(2023, 12, 20),
        "new_due": date(2024, 6, 30),
        "reason": "设备到货推迟",
        "actor": "联络员",
        **kw,
    }
    return request_extension(session, **fields)


def test_a_lead_department_asks_before_the_deadline_and_the_request_waits_for_the_office(session, task):
    extension = ask(session, task)
    assert (extension.status, extension.original_due_date, extension.requested_due_date) == (
        "pending",
        DUE,
        date(2024, 6, 30),
    )
    # Pending: the deadline in force has not moved.
    assert effective_due_dates(session, as_of=date(2024, 1, 2), task_ids=[task.id]) == {task.id: DUE}
    entry = session.scalar(select(AuditEntry).where(AuditEntry.entity == "extensions"))
    assert (entry.action, entry.actor, entry.changes["requested_due_date"]) == (
        "create",
        "联络员",
        [None, "2024-06-30"],
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"requested_on": date(2024, 1, 2)}, "已过完成期限，不能申请延期（完成期限为2023年12月31日）"),
        ({"new_due": DUE}, "延期后的完成期限应晚于现行期限（2023年12月31日）"),
        ({"reason": "  "}, "请填写延期理由"),
    ],
)
def test_a_request_out_of_time_or_without_a_reason_is_refused_in_chinese(session, task, change, message):
    with pytest.raises(ExtensionError, match=message.replace("（", "\\（").replace("）", "\\）")):
        ask(session, task, **change)


def test_only_a_lead_department_may_ask(session, task):
    task = next(t for t in tasks_of(session, task.plan_id, kind="fixed", due=DUE) if supporter_of(session, t))
    supporter = supporter_of(session, task)
    name = session.get(Department, supporter).name
    with pytest.raises(ExtensionError, match=f"只有牵头单位可以申请延期：{name}不是该任务的牵头单位"):
        ask(session, task, department_id=supporter)


def test_the_deadline_day_itself_is_still_in_time(session, task):
    assert ask(session, task, requested_on=DUE).original_due_date == DUE


def test_a_task_has_at_most_one_pending_request(session, task):
    first = ask(session, task)
    with pytest.raises(ExtensionError, match=f"该任务已有待审批的延期申请（编号{first.id}）"):
        ask(session, task, new_due=date(2024, 3, 31))


def test_ongoing_and_annual_tasks_have_no_deadline_to_extend(session, task):
    ongoing = tasks_of(session, task.plan_id, kind="ongoing")[0]
    with pytest.raises(ExtensionError, match="持续推进的任务没有完成期限"):
        ask(session, ongoing)
    [annual] = tasks_of(session, task.plan_id, kind="annual")
    with pytest.raises(ExtensionError, match="年度任务每年12月31日考核"):
        ask(session, annual)


def test_approval_moves_the_deadline_from_the_decision_day_and_tells_the_liaison(session, task):
    extension = ask(session, task)
    decide_extension(
        session,
        extension_id=extension.id,
        approve=True,
        note="同意，请抓紧推进",
        decided_on=date(2023, 12, 22),
        actor="办公室",
    )
    assert (extension.status, extension.decided_on, extension.decided_by) == ("approved", date(2023, 12, 22), "办公室")
    assert effective_due_dates(session, as_of=date(2023, 12, 21), task_ids=[task.id]) == {task.id: DUE}
    assert effective_due_dates(session, as_of=date(2023, 12, 22), task_ids=[task.id]) == {task.id: date(2024, 6, 30)}

    notice = session.scalar(
        select(NoticeIntent).where(NoticeIntent.key == f"extension_decided|extension:{extension.id}")
    )
    assert (notice.kind, notice.audience, notice.department_id, notice.task_id) == (
        "extension_decided",
        "liaison",
        lead_of(task),
        task.id,
    )
    payload = notice.payload
    assert (payload["old_due_date"], payload["new_due_date"], payload["decision"], payload["note"]) == (
        "2023-12-31",
        "2024-06-30",
        "approved",
        "同意，请抓紧推进",
    )
    assert payload["message"] == (
        f"延期申请已同意：任务「{task.title}」的完成期限由2023年12月31日延至2024年6月30日。意见：同意，请抓紧推进"
    )
    update = session.scalar(select(AuditEntry).where(AuditEntry.entity == "extensions", AuditEntry.action == "update"))
    assert update.changes["status"] == ["pending", "approved"]


def test_a_refusal_needs_a_reason_and_leaves_the_deadline(session, task):
    extension = ask(session, task)
    with pytest.raises(ExtensionError, match="不同意延期时请填写理由"):
        decide_extension(
            session, extension_id=extension.id, approve=False, note="", decided_on=date(2023, 12, 22), actor="办公室"
        )
    decide_extension(
        session,
        extension_id=extension.id,
        approve=False,
        note="理由不充分",
        decided_on=date(2023, 12, 22),
        actor="办公室",
    )
    assert effective_due_dates(session, as_of=date(2024, 1, 2), task_ids=[task.id]) == {task.id: DUE}
    notice = session.scalar(select(NoticeIntent).where(NoticeIntent.task_id == task.id))
    assert notice.payload["decision"] == "refused"
    assert (
        notice.payload["message"].startswith("延期申请未同意：") and "仍为2023年12月31日" in notice.payload["message"]
    )
    with pytest.raises(ExtensionError, match=f"延期申请{extension.id}未同意，不能重复审批"):
        decide_extension(
            session, extension_id=extension.id, approve=True, note=None, decided_on=date(2023, 12, 23), actor="办公室"
        )


def test_a_decision_cannot_predate_the_request(session, task):
    extension = ask(session, task)
    with pytest.raises(ExtensionError, match="审批日期不能早于申请日期"):
        decide_extension(
            session, extension_id=extension.id, approve=True, note=None, decided_on=date(2023, 12, 19), actor="办公室"
        )


def test_a_second_extension_is_asked_against_the_extended_deadline(session, task):
    first = ask(session, task)
    decide_extension(
        session, extension_id=first.id, approve=True, note=None, decided_on=date(2023, 12, 22), actor="办公室"
    )
    # After the original date but before the extended one: still in time.
    second = ask(session, task, requested_on=date(2024, 6, 1), new_due=date(2024, 9, 30))
    assert second.original_due_date == date(2024, 6, 30)
    decide_extension(
        session, extension_id=second.id, approve=True, note=None, decided_on=date(2024, 6, 5), actor="办公室"
    )
    dues = [
        effective_due_dates(session, as_of=day, task_ids=[task.id])[task.id]
        for day in (date(2023, 12, 1), date(2024, 1, 1), date(2024, 6, 5))
    ]
    assert dues == [DUE, date(2024, 6, 30), date(2024, 9, 30)]

    extensions = [first, second]
    assert assessment_due_date(task, extensions, LightRules()) == DUE
    extended = replace(LightRules(), assessment_uses="extended")
    assert assessment_due_date(task, extensions, extended) == date(2024, 9, 30)
    assert assessment_due_date(task, extensions, extended, as_of=date(2024, 1, 1)) == date(2024, 6, 30)


def test_approval_ends_the_pending_deadline_notices_about_the_old_date(session, task):
    stale = NoticeIntent(
        key=f"overdue|task:{task.id}|2023-12-31",
        kind="overdue",
        step="overdue",
        audience="liaison",
        department_id=lead_of(task),
        task_id=task.id,
        period="2023-12-31",
        created_on=date(2024, 1, 2),
        payload={},
    )
    session.add(stale)
    extension = ask(session, task)
    decide_extension(
        session, extension_id=extension.id, approve=True, note=None, decided_on=date(2024, 1, 3), actor="办公室"
    )
    session.refresh(stale)
    assert (stale.resolved_on, stale.resolution) == (date(2024, 1, 3), "已批准延期至2024年6月30日")


def test_effective_due_dates_cover_every_task_in_one_call(session, task):
    dues = effective_due_dates(session, as_of=date(2024, 1, 2))
    assert dues[task.id] == DUE
    ongoing = tasks_of(session, task.plan_id, kind="ongoing")[0]
    assert dues[ongoing.id] is None


def test_the_extension_commands_request_decide_and_list(tmp_path):
    env = {"WUFEI_DATABASE_URL": fresh_database_url(tmp_path)}
    runner = CliRunner()

    def run(group, *args, ok=True):
        result = runner.invoke(group, list(args), env=env, catch_exceptions=False)
        assert (result.exit_code == 0) == ok, result.output
        return result.output

    run(main, "import", str(HENGSHUI_PLAN))
    tasks = json.loads(run(main, "tasks", "--json"))
    task = next(t for t in tasks if t["due_date"] == "2023-12-31" and t["leads"])
    lead = task["leads"][0]

    out = run(
        extension_group,
        "request",
        "--task",
        str(task["id"]),
        "--dept",
        lead,
        "--until",
        "2024-06-30",
        "--reason",
        "设备到货推迟",
        "--on",
        "2023-12-20",
    )
    assert "已提交延期申请（编号1）" in out and "由2023年12月31日申请延至2024年6月30日" in out
    late = run(
        extension_group,
        "request",
        "--task",
        str(task["id"]),
        "--dept",
        lead,
        "--until",
        "2024-06-30",
        "--reason",
        "x",
        "--on",
        "2024-01-05",
        ok=False,
    )
    assert "该任务已有待审批的延期申请" in late

    assert "请指定 --approve" in run(extension_group, "decide", "1", ok=False)
    out = run(extension_group, "decide", "1", "--approve", "--note", "同意", "--on", "2023-12-22")
    assert out.startswith("延期申请已同意：")
    rows = json.loads(run(extension_group, "list", "--json"))
    assert [(r["id"], r["status"], r["decided_on"], r["department"]) for r in rows] == [
        (1, "approved", "2023-12-22", lead)
    ]
    assert "已同意" in run(extension_group, "list", "--task", str(task["id"]))

    # The task list gives the deadline in force beside the plan's (it gave the plan's alone).
    def line(*args):
        listed = run(main, "tasks", "--plan", "衡政办字〔2022〕57号", *args)
        return next(row for row in listed.splitlines() if row.startswith(f"[{task['id']}] "))

    assert "（2023-12-31）" in line("--as-of", "2023-12-21") and "延期" not in line("--as-of", "2023-12-21")
    assert "（2023-12-31，已延期至2024-06-30）" in line("--as-of", "2023-12-22")
    assert "已延期至2024-06-30" in line()  # today
    listed = json.loads(run(main, "tasks", "--as-of", "2023-12-22", "--json"))
    assert next(t for t in listed if t["id"] == task["id"])["due_in_force"] == "2024-06-30"


def test_the_liaison_is_told_the_next_step_by_the_decision(session, task):
    """An approved extension's next step is the new deadline: 应城市's 市发展和改革局 was told
    「请按原期限推进」 of an extension just approved."""
    from wufei.notify.digest import build_digests

    extension = ask(session, task)
    decide_extension(
        session, extension_id=extension.id, approve=True, note=None, decided_on=date(2023, 12, 22), actor="办公室"
    )
    notice = session.scalar(select(NoticeIntent).where(NoticeIntent.task_id == task.id))
    [digest] = build_digests([notice], day=date(2023, 12, 22), department_names={})
    assert "下一步：请按新的期限2024年6月30日推进并按周报送进展。" in digest.body
    assert "原期限" not in digest.body


def test_the_extension_commands_take_the_offices_today_when_it_is_fixed(tmp_path):
    """WUFEI_TODAY fixes “today” for the office (imports and the portal read it): 洋县's walk asked on
    7 November 2024 for a task due 31 December and was refused 「已过完成期限」, the commands reading the
    machine's clock instead; the decision likewise dated itself by the machine."""
    env = {"WUFEI_DATABASE_URL": fresh_database_url(tmp_path), "WUFEI_TODAY": "2023-12-20"}
    runner = CliRunner()

    def run(group, *args):
        result = runner.invoke(group, list(args), env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    run(main, "import", str(HENGSHUI_PLAN))
    task = next(t for t in json.loads(run(main, "tasks", "--json")) if t["due_date"] == "2023-12-31" and t["leads"])
    args = ("--task", str(task["id"]), "--dept", task["leads"][0], "--until", "2024-06-30", "--reason", "设备到货推迟")
    assert "已提交延期申请（编号1）" in run(extension_group, "request", *args)
    env["WUFEI_TODAY"] = "2023-12-22"
    run(extension_group, "decide", "1", "--approve", "--note", "同意")
    [row] = json.loads(run(extension_group, "list", "--json"))
    assert (row["requested_on"], row["decided_on"]) == ("2023-12-20", "2023-12-22")

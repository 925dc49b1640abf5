"""Milestones: yearly checkpoints generated for long tasks, and the office's own edits."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from tests.conftest import fresh_database_url, hengshui_plan_id
from tests.lights.factories import tasks_of
from tests.seed_files import HENGSHUI_PLAN
from wufei.audit.models import AuditEntry
from wufei.cli import main
from wufei.lights.rules import MilestonePoint
from wufei.tasks.commands import milestones as milestones_group
from wufei.tasks.milestones import (
    MilestoneError,
    default_milestones,
    ensure_milestones,
    list_milestones,
    remove_milestone,
    set_milestone,
)
from wufei.tasks.models import Milestone

ISSUED = date(2022, 10, 7)


@pytest.mark.parametrize(
    ("start", "due", "expected"),
    [
        # 1181 days from issue to the end of 2025: 85, 450 and 816 of them have passed at each year end.
        (
            ISSUED,
            date(2025, 12, 31),
            [
                (date(2022, 12, 31), 7, "2022年度目标"),
                (date(2023, 12, 31), 38, "2023年度目标"),
                (date(2024, 12, 31), 69, "2024年度目标"),
            ],
        ),
        (date(2023, 1, 1), date(2024, 6, 30), [(date(2023, 12, 31), 67, "2023年度目标")]),
        (ISSUED, date(2022, 12, 31), []),  # within one year
        (date(2023, 3, 1), date(2023, 12, 31), []),
        (date(2022, 12, 31), date(2023, 12, 31), []),  # starts on the only year end
        (ISSUED, date(2021, 12, 31), []),  # due before the plan
    ],
)
def test_default_milestones_fall_on_each_year_end_before_the_due_year(start, due, expected):
    assert default_milestones(start, due) == [MilestonePoint(*m) for m in expected]


@pytest.fixture
def session(hengshui_session):  # every test here starts from the Hengshui plan, imported once for the run
    return hengshui_session


@pytest.fixture
def plan_id(session):
    return hengshui_plan_id(session)


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(Milestone))


def test_generation_covers_every_fixed_task_spanning_years_and_is_idempotent(session, plan_id):
    # 77 tasks due 2025 get three milestones, 11 due 2023 one; 2022, 2021, ongoing and annual none.
    assert ensure_milestones(session, plan_ids=[plan_id]) == 77 * 3 + 11
    assert ensure_milestones(session, plan_ids=[plan_id]) == 0
    assert _count(session) == 242
    task = tasks_of(session, plan_id, kind="fixed", due=date(2023, 12, 31))[0]
    [milestone] = list_milestones(session, task_ids=[task.id])
    assert (milestone.due_date, milestone.expected_progress, milestone.title, milestone.source) == (
        date(2022, 12, 31),
        19,
        "2022年度目标",
        "generated",
    )
    assert not list_milestones(session, task_ids=[t.id for t in tasks_of(session, plan_id, kind="ongoing")])
    entry = session.scalar(select(AuditEntry).where(AuditEntry.entity == "milestones", AuditEntry.action == "generate"))
    assert entry.changes == {"tasks": 88, "milestones": 242}


def test_the_office_sets_a_milestone_that_generation_never_touches(session, plan_id):
    task = tasks_of(session, plan_id, kind="fixed", due=date(2025, 12, 31))[0]
    set_milestone(
        session,
        task_id=task.id,
        due_date=date(2024, 6, 30),
        expected_progress=60,
        title="2024年上半年目标",
        actor="张三",
    )
    ensure_milestones(session, plan_ids=[plan_id])
    [only] = list_milestones(session, task_ids=[task.id])  # the office's plan stands alone
    assert (only.title, only.expected_progress, only.source) == ("2024年上半年目标", 60, "office")


def test_changing_a_generated_milestone_makes_it_the_offices_and_is_audited(session, plan_id):
    task = tasks_of(session, plan_id, kind="fixed", due=date(2025, 12, 31))[0]
    ensure_milestones(session, plan_ids=[plan_id])
    set_milestone(
        session, task_id=task.id, due_date=date(2023, 12, 31), expected_progress=50, title="2023年度目标", actor="张三"
    )
    ensure_milestones(session, plan_ids=[plan_id])
    rows = [(m.due_date.year, m.expected_progress, m.source) for m in list_milestones(session, task_ids=[task.id])]
    assert rows == [(2022, 7, "generated"), (2023, 50, "office"), (2024, 69, "generated")]
    entry = session.scalar(select(AuditEntry).where(AuditEntry.entity == "milestones", AuditEntry.action == "update"))
    assert entry.actor == "张三"
    assert entry.changes == {"expected_progress": [38, 50], "source": ["generated", "office"]}


def test_milestones_the_office_removed_are_not_generated_again(session, plan_id):
    task = tasks_of(session, plan_id, kind="fixed", due=date(2023, 12, 31))[0]
    ensure_milestones(session, plan_ids=[plan_id])
    remove_milestone(session, task_id=task.id, due_date=date(2022, 12, 31), actor="张三")
    assert ensure_milestones(session, plan_ids=[plan_id]) == 0
    assert list_milestones(session, task_ids=[task.id]) == []
    entry = session.scalar(select(AuditEntry).where(AuditEntry.entity == "milestones", AuditEntry.action == "delete"))
    assert entry.entity_key == f"task:{task.id}|2022-12-31"


@pytest.mark.parametrize(
    ("kind", "change", "message"),
    [
        ("fixed", {"expected_progress": 120}, "节点预期进度应在0到100之间"),
        ("fixed", {"title": "  "}, "请填写节点名称"),
        ("fixed", {"due_date": date(2026, 6, 30)}, "节点日期（2026年6月30日）晚于任务完成期限（2025年12月31日）"),
        ("ongoing", {}, "持续推进的任务按报送情况评价，不设节点"),
    ],
)
def test_a_milestone_the_rules_cannot_use_is_refused_in_chinese(session, plan_id, kind, change, message):
    task = tasks_of(session, plan_id, kind=kind, due=date(2025, 12, 31) if kind == "fixed" else None)[0]
    fields = {"due_date": date(2024, 6, 30), "expected_progress": 60, "title": "2024年上半年目标", **change}
    with pytest.raises(MilestoneError, match=message):
        set_milestone(session, task_id=task.id, actor="张三", **fields)


def test_removing_a_milestone_that_does_not_exist_says_so(session, plan_id):
    task = tasks_of(session, plan_id, kind="fixed", due=date(2025, 12, 31))[0]
    with pytest.raises(MilestoneError, match="没有2024年12月31日的节点"):
        remove_milestone(session, task_id=task.id, due_date=date(2024, 12, 31), actor="张三")


def test_the_milestones_commands_generate_list_set_and_remove(tmp_path):
    env = {"WUFEI_DATABASE_URL": fresh_database_url(tmp_path)}
    runner = CliRunner()

    def run(group, *args, ok=True):
        result = runner.invoke(group, list(args), env=env, catch_exceptions=False)
        assert (result.exit_code == 0) == ok, result.output
        return result.output

    run(main, "import", str(HENGSHUI_PLAN))
    tasks = json.loads(run(main, "tasks", "--plan", "衡政办字〔2022〕57号", "--json"))
    task_id = next(t["id"] for t in tasks if t["due_date"] == "2025-12-31" and t["leads"])

    assert "新生成节点 242 个" in run(milestones_group, "generate", "--plan", "衡政办字〔2022〕57号")
    assert "新生成节点 0 个" in run(milestones_group, "generate")
    listed = json.loads(run(milestones_group, "list", "--task", str(task_id), "--json"))
    assert [(m["due_date"], m["expected_progress"]) for m in listed] == [
        ("2022-12-31", 7),
        ("2023-12-31", 38),
        ("2024-12-31", 69),
    ]

    run(
        milestones_group,
        "set",
        "--task",
        str(task_id),
        "--date",
        "2024-06-30",
        "--progress",
        "55",
        "--title",
        "2024年上半年目标",
        "--actor",
        "张三",
    )
    run(milestones_group, "remove", "--task", str(task_id), "--date", "2022-12-31")
    text = run(milestones_group, "list", "--task", str(task_id))
    assert "2024年6月30日  2024年上半年目标  预期进度55%（办公室设定）" in text
    assert "2022年12月31日" not in text and "共 3 个节点" in text

    refused = run(
        milestones_group,
        "set",
        "--task",
        str(task_id),
        "--date",
        "2024-06-30",
        "--progress",
        "101",
        "--title",
        "x",
        ok=False,
    )
    assert "节点预期进度应在0到100之间" in refused

"""Re-imports change nothing; corrections are applied and audited; bad files write nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from tests.rules import CADENCE, RULESET
from tests.seed_files import HENGSHUI_PLAN
from wufei import migrate
from wufei.audit.models import AuditEntry
from wufei.calendar.workdays import WorkCalendar
from wufei.db import make_sessionmaker
from wufei.importers.service import import_paths
from wufei.lights.models import LightState
from wufei.lights.service import scan_lights, tasks_to_judge
from wufei.plans.models import Plan
from wufei.tasks.models import Task


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def _copy_with(tmp_path: Path, old: str, new: str, *, count: int = 1) -> Path:
    text = HENGSHUI_PLAN.read_text(encoding="utf-8")
    assert text.count(old) >= count, old
    path = tmp_path / HENGSHUI_PLAN.name
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


def test_reimporting_the_same_file_changes_nothing(session, load):
    load(HENGSHUI_PLAN)
    audit_rows = _count(session, AuditEntry)
    [again] = load(HENGSHUI_PLAN)
    assert again.changes.get("created", 0) == again.changes.get("updated", 0) == again.changes.get("deleted", 0) == 0
    assert again.changes["unchanged"] == 1 + 59 + 54 + 27 + 31
    assert _count(session, AuditEntry) == audit_rows


def test_a_corrected_file_updates_the_changed_record_and_audits_it(session, load, tmp_path):
    load(HENGSHUI_PLAN)
    # Project 13 (刚性填埋场) moves from 2022年底 to 2023年底.
    corrected = _copy_with(
        tmp_path, "库容4.96万立方米刚性填埋场。\n\t2022年底", "库容4.96万立方米刚性填埋场。\n\t2023年底"
    )
    [summary] = load(corrected)
    assert summary.changes["updated"] == 1
    task = session.scalar(select(Task).where(Task.title == "刚性填埋场"))
    assert task.deadline_raw == "2023年底" and task.due_date.isoformat() == "2023-12-31"
    entry = session.scalar(
        select(AuditEntry).where(
            AuditEntry.entity == "tasks", AuditEntry.entity_id == task.id, AuditEntry.action == "update"
        )
    )
    assert entry.changes["deadline_raw"] == ["2022年底", "2023年底"]
    assert entry.changes["due_date"] == ["2022-12-31", "2023-12-31"]
    assert entry.source == str(corrected)


def test_a_changed_owner_is_audited_with_department_names(session, load, tmp_path):
    load(HENGSHUI_PLAN)
    corrected = _copy_with(
        tmp_path,
        "牵头单位：市科学技术局；配合单位：各县市区人民政府",
        "牵头单位：市生态环境局；配合单位：各县市区人民政府",
    )
    [summary] = load(corrected)
    assert summary.changes["updated"] == 1
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "update", AuditEntry.entity == "tasks"))
    assert entry.changes["lead"] == [["市科学技术局"], ["市生态环境局"]]


def test_a_file_with_a_fatal_error_writes_nothing_and_says_where(fresh_engine, tmp_path):
    # An unreadable deadline is a doubt on its task now (tests/plans/test_record_doubts.py);
    # a number repeated in an import workbook is still fatal.
    migrate.upgrade(fresh_engine)
    [plan] = import_paths(fresh_engine, [HENGSHUI_PLAN])
    assert plan.ok
    with make_sessionmaker(fresh_engine)() as session:
        before = (_count(session, Plan), _count(session, Task), _count(session, AuditEntry))
    bad = tmp_path / "任务.csv"
    bad.write_text(
        "方案,清单,序号,任务名称,牵头单位\n"
        "衡政办字〔2022〕57号,主要任务,90,新增任务一,市生态环境局\n"
        "衡政办字〔2022〕57号,主要任务,90,新增任务二,市生态环境局\n",
        encoding="utf-8",
    )
    [result] = import_paths(fresh_engine, [bad])
    assert not result.ok
    assert str(bad) in result.error and "序号重复" in result.error and "90" in result.error
    with make_sessionmaker(fresh_engine)() as session:
        assert (_count(session, Plan), _count(session, Task), _count(session, AuditEntry)) == before


def test_one_bad_file_does_not_stop_the_others(fresh_engine, tmp_path):
    migrate.upgrade(fresh_engine)
    missing = tmp_path / "不存在.txt"
    results = import_paths(fresh_engine, [missing, HENGSHUI_PLAN])
    assert [r.ok for r in results] == [False, True]
    assert "文件不存在" in results[0].error


def test_a_changed_owner_drops_the_tasks_kept_judgement_so_the_next_scan_looks_at_it(session, load, tmp_path):
    # The daily scan's fingerprint leaves the departments out: a re-import naming other owners
    # drops the task's state, and the next scan judges it and looks at its escalation as a new task's.
    load(HENGSHUI_PLAN)
    day, calendar = date(2024, 1, 2), WorkCalendar()
    scan_lights(session, as_of=day, calendar=calendar, cadence=CADENCE, rules=RULESET.lights)
    states = _count(session, LightState)
    assert states > 100
    assert tasks_to_judge(session, as_of=day, calendar=calendar, cadence=CADENCE, rules=RULESET.lights) == {}
    corrected = _copy_with(
        tmp_path,
        "牵头单位：市科学技术局；配合单位：各县市区人民政府",
        "牵头单位：市生态环境局；配合单位：各县市区人民政府",
    )
    load(corrected)
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "update", AuditEntry.entity == "tasks"))
    assert session.get(LightState, entry.entity_id) is None
    assert _count(session, LightState) == states - 1
    again = tasks_to_judge(session, as_of=day, calendar=calendar, cadence=CADENCE, rules=RULESET.lights)
    assert list(again) == [entry.entity_id]

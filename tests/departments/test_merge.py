"""Merging a department into another (`wufei depts merge`): a mistyped unit an import created
(市生态环镜局) folded into the right one (市生态环境局), on the real database of each backend.

The Hengshui plan is imported, then a made-up supplement of three tasks that writes the typo:
task 1 names only the typo (lead), task 2 both as leads, task 3 both as supporting units.
Tests that read inside one transaction share that import (`session`, rolled back); tests that run
the command, the daily scan or the portal work on a copy of their own (`copied`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from tests.conftest import copy_database, fresh_database_url, rolled_back
from tests.rules import RULESET
from tests.seed_files import HENGSHUI_PLAN
from wufei import migrate
from wufei.accounts.service import add_user
from wufei.audit.models import AuditEntry
from wufei.cli import main
from wufei.contacts.models import Contact
from wufei.db import make_engine, transaction
from wufei.departments.merging import MergeError, merge_departments, plan_merge, rename_department
from wufei.departments.models import Department, DepartmentAlias
from wufei.departments.naming import resolve_department
from wufei.departments.service import list_departments
from wufei.importers.service import import_paths
from wufei.notices.models import NoticeIntent
from wufei.plans.models import Jurisdiction
from wufei.tasks.models import Role, Task, TaskDepartment

TYPO, RIGHT = "市生态环镜局", "市生态环境局"
SUPPLEMENT = (
    "衡水市“无废城市”建设补充任务分工\n"
    f"一、开展危险废物规范化环境管理评估。（牵头单位：{TYPO}；配合单位：市应急管理局；完成时限：2025年12月底前）\n"
    f"二、推进工业固体废物综合利用。（牵头单位：{RIGHT}、{TYPO}；配合单位：市工业和信息化局；完成时限：2025年12月底前）\n"
    f"三、加强尾矿库污染防治。（牵头单位：市应急管理局；配合单位：{TYPO}、{RIGHT}；完成时限：2025年12月底前）\n"
)
TITLES = ("开展危险废物规范化环境管理评估", "推进工业固体废物综合利用", "加强尾矿库污染防治")
MERGE_DAY = date(2026, 1, 6)


@pytest.fixture(scope="module")
def supplement(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("supplement") / "衡水市无废城市建设补充任务.txt"
    path.write_text(SUPPLEMENT, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def template(tmp_path_factory, supplement) -> Iterator[str]:
    """A migrated database with the Hengshui plan and the supplement imported (committed)."""
    url = fresh_database_url(tmp_path_factory.mktemp("merge-template"))
    engine = make_engine(url)
    migrate.upgrade(engine)
    results = import_paths(engine, [HENGSHUI_PLAN, supplement])
    assert all(r.ok for r in results), [r.error for r in results]
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def template_engine(template, tmp_path_factory) -> Iterator[Engine]:
    """A copy of the template the rolled-back tests share (the template itself is never opened:
    PostgreSQL copies only a database nobody is connected to)."""
    engine = make_engine(copy_database(template, tmp_path_factory.mktemp("merge-shared")))
    yield engine
    engine.dispose()


@pytest.fixture
def session(template_engine) -> Iterator[Session]:
    with rolled_back(template_engine) as session:
        yield session


@pytest.fixture
def copied(template, tmp_path) -> Iterator[tuple[str, Engine]]:
    """A committed copy of the template of the test's own (for the command, the scan, the portal)."""
    url = copy_database(template, tmp_path)
    engine = make_engine(url)
    yield url, engine
    engine.dispose()


def _unit(session: Session, name: str) -> Department:
    return session.scalars(
        select(Department).join(Jurisdiction).where(Jurisdiction.name == "衡水市", Department.name == name)
    ).one()


def _links(session: Session, title: str) -> list[tuple[str, str, int, str | None]]:
    task = session.scalars(select(Task).where(Task.title == title)).one()
    rows = session.execute(
        select(Department.name, TaskDepartment.role, TaskDepartment.position, TaskDepartment.source_name)
        .join(Department, Department.id == TaskDepartment.department_id)
        .where(TaskDepartment.task_id == task.id)
        .order_by(TaskDepartment.position)
    ).all()
    return [(name, str(role), position, written) for name, role, position, written in rows]


def _state(engine: Engine) -> dict[str, list]:
    """Every table a merge touches, as rows, to compare before and after."""
    queries = {
        "links": "SELECT id, task_id, department_id, role, position, source_name FROM task_departments ORDER BY id",
        "indicators": "SELECT id, department_id, role, position, source_name FROM indicator_departments ORDER BY id",
        "departments": "SELECT id, name, kind, parent_id, merged_into_id FROM departments ORDER BY id",
        "aliases": "SELECT department_id, alias FROM department_aliases ORDER BY department_id, alias",
        "users": "SELECT id, department_id FROM users ORDER BY id",
        "contacts": "SELECT id, department_id FROM contacts ORDER BY id",
        "intents": "SELECT id, key, department_id, resolved_on, resolution FROM notice_intents ORDER BY id",
        "reports": "SELECT id, department_id FROM reports ORDER BY id",
        "contributions": "SELECT id, department_id FROM report_inputs ORDER BY id",
        "extensions": "SELECT id, department_id, status FROM extensions ORDER BY id",
        "cells": "SELECT id, department_id FROM cells ORDER BY id",
        "cell_counts": "SELECT id, lead_department_id FROM cell_counts ORDER BY id",
        "indicator_reports": "SELECT id, department_id FROM indicator_reports ORDER BY id",
        "doubts": "SELECT id, status, decided_by, note FROM import_doubts ORDER BY id",
        "audit": "SELECT count(*) FROM audit_log",
    }
    with engine.connect() as connection:
        return {name: [tuple(row) for row in connection.execute(text(sql))] for name, sql in queries.items()}


def _undepartmented(key: str) -> str:
    """An intent's key without its unit: one step of one task for one period and audience."""
    return key.rsplit("|dept:", 1)[0]


def _run(url: str, *args: str, ok: bool = True):
    result = CliRunner().invoke(main, ["depts", *args], env={"WUFEI_DATABASE_URL": url})
    assert (result.exit_code == 0) == ok, result.output
    return result


def test_the_typo_units_tasks_become_the_right_units_and_a_task_naming_both_keeps_one_lead(session):
    typo, right = _unit(session, TYPO), _unit(session, RIGHT)
    assert typo.kind == "unknown"
    merge_departments(session, typo, right, actor="test", on=MERGE_DAY)

    # The name as written is kept on the link: what a re-import of the document records.
    assert _links(session, TITLES[0]) == [(RIGHT, "lead", 0, TYPO), ("市应急管理局", "supporting", 1, None)]
    assert _links(session, TITLES[1]) == [(RIGHT, "lead", 0, None), ("市工业和信息化局", "supporting", 1, None)]
    # Both supporting: one link, the first named's place, the links numbered again.
    assert _links(session, TITLES[2]) == [("市应急管理局", "lead", 0, None), (RIGHT, "supporting", 1, TYPO)]
    assert session.scalar(select(func.count()).where(TaskDepartment.department_id == typo.id)) == 0

    session.refresh(typo)
    assert typo.merged_into_id == right.id  # retired, kept
    assert TYPO in session.scalars(select(DepartmentAlias.alias).where(DepartmentAlias.department_id == right.id)).all()
    listed = [row["name"] for row in list_departments(session, jurisdiction="衡水市")]
    assert RIGHT in listed and TYPO not in listed
    assert resolve_department(session, f"衡水市/{TYPO}").id == right.id  # never an owner again
    assert resolve_department(session, TYPO).id == right.id

    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "merge")).one()
    assert TYPO in entry.entity_key and RIGHT in entry.entity_key
    counts = entry.changes["counts"]
    assert counts["任务责任（牵头、配合、落实）"] == 3 and counts["其中两单位同在一项任务、合并为一条"] == 2
    assert len(entry.changes["tasks"]) == 3


def test_a_supporting_typo_beside_the_right_lead_leaves_the_lead_and_the_stronger_role_wins(session):
    typo, right = _unit(session, TYPO), _unit(session, RIGHT)
    # Make the typo the lead and the right unit a supporting one on task 3: the lead must survive.
    task = session.scalars(select(Task).where(Task.title == TITLES[2])).one()
    for link in task.assignments:
        link.role = Role.LEAD if link.department_id == typo.id else Role.SUPPORTING
    session.flush()
    merge_departments(session, typo, right, actor="test", on=MERGE_DAY)
    assert _links(session, TITLES[2]) == [("市应急管理局", "supporting", 0, None), (RIGHT, "lead", 1, TYPO)]


def test_contacts_the_right_units_own_wins_and_the_old_ones_moves_only_when_it_has_none(session):
    typo, right = _unit(session, TYPO), _unit(session, RIGHT)
    session.add(Contact(department_id=typo.id, liaison="旧联系人", source="test", source_row=1))
    session.flush()
    with session.begin_nested() as nested:
        merge_departments(session, typo, right, actor="test", on=MERGE_DAY)
        assert session.scalars(select(Contact.liaison).where(Contact.department_id == right.id)).all() == ["旧联系人"]
        nested.rollback()
    session.expire_all()
    session.add(Contact(department_id=right.id, liaison="新联系人", source="test", source_row=2))
    session.flush()
    plan = merge_departments(session, typo, right, actor="test", on=MERGE_DAY)
    assert plan.counts.get("contacts_kept") == 1 and "contacts" not in plan.counts
    assert session.scalars(select(Contact.liaison).where(Contact.department_id == right.id)).all() == ["新联系人"]


def test_a_reimport_of_the_original_document_changes_nothing_and_warns_no_more(session, load, supplement):
    merge_departments(session, _unit(session, TYPO), _unit(session, RIGHT), actor="test", on=MERGE_DAY)
    departments = session.scalar(select(func.count()).select_from(Department))
    audit_rows = session.scalar(select(func.count()).select_from(AuditEntry))
    [again] = load(supplement)
    assert again.changes.get("created", 0) == again.changes.get("updated", 0) == again.changes.get("deleted", 0) == 0
    assert not [w for w in again.warnings if TYPO in w]
    assert session.scalar(select(func.count()).select_from(Department)) == departments
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == audit_rows
    assert _links(session, TITLES[0])[0] == (RIGHT, "lead", 0, TYPO)


def test_refused_into_itself_across_places_and_when_retired(session):
    typo, right = _unit(session, TYPO), _unit(session, RIGHT)
    with pytest.raises(MergeError, match="同一单位"):
        plan_merge(session, right, right)
    province = session.scalars(
        select(Department).join(Jurisdiction).where(Jurisdiction.name == "河北省", Department.name == "省生态环境厅")
    ).one()
    with pytest.raises(MergeError, match="不同地区.*--across-places"):
        plan_merge(session, typo, province)
    assert plan_merge(session, typo, province, across_places=True).counts  # the office said so
    merge_departments(session, typo, right, actor="test", on=MERGE_DAY)
    with pytest.raises(MergeError, match="已并入"):
        plan_merge(session, typo, province, across_places=True)


def test_the_lights_and_the_next_daily_scans_intents_go_to_the_right_unit(copied):
    from wufei.calendar.service import load_calendar
    from wufei.lights.service import compute_lights
    from wufei.points.runs import daily_scan

    url, engine = copied
    daily_scan(engine, date(2026, 1, 5), rules=RULESET)  # the typo unit is owed overdue notices
    with transaction(engine) as session:
        typo, right = _unit(session, TYPO), _unit(session, RIGHT)
        owed = session.scalar(select(func.count()).where(NoticeIntent.department_id == typo.id))
        assert owed > 0
    _run(url, "merge", f"衡水市/{TYPO}", f"衡水市/{RIGHT}", "--on", "2026-01-06")
    with transaction(engine) as session:
        # Undelivered intents follow the unit, their keys with them (the scan will not make them again).
        moved = session.scalars(select(NoticeIntent).where(NoticeIntent.department_id == typo.id)).all()
        assert [i for i in moved if i.resolved_on is None] == []
        assert not session.scalar(
            select(func.count()).where(NoticeIntent.key.like(f"%|dept:{typo.id}"), NoticeIntent.resolved_on.is_(None))
        )
        # Where the right unit was owed the same notice (task 2 names both), the typo's is resolved.
        assert {i.resolution for i in moved} == {f"单位已并入{RIGHT}，与其提醒重复"}
        task_ids = [session.scalars(select(Task.id).where(Task.title == t)).one() for t in TITLES[:2]]
        last_before = session.scalar(select(func.max(NoticeIntent.id)))
        owed_before = {
            _undepartmented(key)
            for key in session.scalars(
                select(NoticeIntent.key).where(
                    NoticeIntent.task_id.in_(task_ids), NoticeIntent.department_id.in_([typo.id, right.id])
                )
            )
        }
        assert owed_before
    daily_scan(engine, date(2026, 1, 6), rules=RULESET)
    with transaction(engine) as session:
        assert not session.scalar(
            select(func.count()).where(
                NoticeIntent.department_id == typo.id, NoticeIntent.created_on == date(2026, 1, 6)
            )
        )
        open_intents = select(
            NoticeIntent.kind,
            NoticeIntent.step,
            NoticeIntent.task_id,
            NoticeIntent.period,
            NoticeIntent.audience,
            NoticeIntent.department_id,
        ).where(NoticeIntent.resolved_on.is_(None), NoticeIntent.task_id.in_(task_ids))
        for task_id in task_ids:
            owners = session.scalars(
                select(NoticeIntent.department_id).where(
                    NoticeIntent.task_id == task_id,
                    NoticeIntent.department_id.is_not(None),
                    NoticeIntent.resolved_on.is_(None),
                )
            ).all()
            assert right.id in owners and typo.id not in owners
        # No notice owed twice: a moved intent's key is the one the scan gives the right unit.
        owed = session.execute(open_intents).all()
        assert len(owed) == len(set(owed))
        made_again = session.scalars(
            select(NoticeIntent.key).where(
                NoticeIntent.id > last_before,
                NoticeIntent.task_id.in_(task_ids),
                NoticeIntent.department_id.in_([typo.id, right.id]),
            )
        ).all()
        assert not {_undepartmented(key) for key in made_again} & owed_before
        lights = compute_lights(
            session,
            as_of=date(2026, 1, 6),
            calendar=load_calendar(session),
            cadence=RULESET.cadence,
            rules=RULESET.lights,
            task_ids=task_ids,
        )
        assert {lights[t].light for t in task_ids} == {"red"}  # overdue, now the right unit's
        led = session.scalars(
            select(TaskDepartment.task_id).where(
                TaskDepartment.department_id == right.id, TaskDepartment.role == "lead"
            )
        ).all()
        assert set(task_ids) <= set(led)


def test_the_dry_run_prints_what_would_move_and_writes_nothing(copied):
    url, engine = copied
    before = _state(engine)
    output = _run(url, "merge", f"衡水市/{TYPO}", RIGHT, "--dry-run").output
    assert "任务责任（牵头、配合、落实）：3 条" in output and "合并为一条：2 条" in output
    assert all(title in output for title in TITLES)
    assert "预演，未写入" in output
    assert _state(engine) == before
    output = _run(url, "merge", f"衡水市/{TYPO}", RIGHT).output  # the real run prints the same
    assert "任务责任（牵头、配合、落实）：3 条" in output and "已合并" in output
    assert _state(engine)["audit"][0][0] == before["audit"][0][0] + 1


def test_refusals_are_in_chinese_and_a_name_of_several_units_is_refused(copied):
    url, engine = copied
    assert "不能并入自身" in _run(url, "merge", RIGHT, f"衡水市/{RIGHT}", ok=False).output
    assert "不同地区" in _run(url, "merge", f"衡水市/{TYPO}", "河北省/省生态环境厅", ok=False).output
    with transaction(engine) as session:
        hebei = session.scalars(select(Jurisdiction).where(Jurisdiction.name == "河北省")).one()
        session.add(Department(jurisdiction_id=hebei.id, name=TYPO, kind="unknown"))
    refused = _run(url, "merge", TYPO, RIGHT, ok=False).output
    assert "对应多个部门" in refused and f"衡水市/{TYPO}" in refused and f"河北省/{TYPO}" in refused


def test_a_failure_midway_leaves_everything_as_it_was(copied):
    url, engine = copied
    with transaction(engine) as session:
        typo = _unit(session, TYPO)
        add_user(session, username="typo", role="liaison", display_name="王五", department_id=typo.id, actor="test")
    # The accounts move after the tasks, reports and cells: the database refuses that step.
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.execute(
                text(
                    "CREATE TRIGGER refuse_moves BEFORE UPDATE OF department_id ON users "
                    "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
                )
            )
        else:
            connection.execute(
                text(
                    "CREATE FUNCTION refuse_moves() RETURNS trigger AS $$ BEGIN "
                    "RAISE EXCEPTION 'refused by the test'; END $$ LANGUAGE plpgsql"
                )
            )
            connection.execute(
                text(
                    "CREATE TRIGGER refuse_moves BEFORE UPDATE OF department_id ON users "
                    "FOR EACH ROW EXECUTE FUNCTION refuse_moves()"
                )
            )
    before = _state(engine)
    result = CliRunner().invoke(main, ["depts", "merge", f"衡水市/{TYPO}", RIGHT], env={"WUFEI_DATABASE_URL": url})
    assert result.exit_code != 0 and "refused by the test" in str(result.exception)
    assert _state(engine) == before


def test_a_retired_unit_is_refused_as_an_owner(session):
    from wufei.tasks.assignment import AssignmentError, assign_owners

    typo, right = _unit(session, TYPO), _unit(session, RIGHT)
    merge_departments(session, typo, right, actor="test", on=MERGE_DAY)
    waiting = session.scalars(select(Task.id).where(Task.awaiting_assignment.is_(True))).first()
    with pytest.raises(AssignmentError, match="已停用"):
        assign_owners(session, task_id=waiting, lead_ids=[typo.id], actor="test", on=MERGE_DAY)
    assert (
        assign_owners(session, task_id=waiting, lead_ids=[right.id], actor="test", on=MERGE_DAY).awaiting_assignment
        is False
    )


def test_reports_and_pending_extensions_answer_to_the_new_unit_and_decided_ones_stay(session):
    from wufei.extensions.models import Extension
    from wufei.reports.models import Report, ReportInput

    typo, right = _unit(session, TYPO), _unit(session, RIGHT)
    first, third = (session.scalars(select(Task.id).where(Task.title == t)).one() for t in (TITLES[0], TITLES[2]))
    week, other_week = date(2025, 6, 2), date(2025, 6, 9)
    asked = {"requested_on": date(2025, 6, 3), "reason": "x", "original_due_date": date(2025, 12, 31)}
    pending = Extension(task_id=first, department_id=typo.id, requested_due_date=date(2026, 3, 31), **asked)
    decided = Extension(
        task_id=first, department_id=typo.id, requested_due_date=date(2026, 1, 31), status="refused", **asked
    )
    report = Report(task_id=first, department_id=typo.id, week_start=week, progress=40, submitted_by="王五")
    # Task 3: both units support; the right unit wrote its own contribution for one week.
    mine = ReportInput(task_id=third, week_start=week, department_id=right.id, text="新单位的")
    kept = ReportInput(task_id=third, week_start=week, department_id=typo.id, text="原单位的")
    moved = ReportInput(task_id=third, week_start=other_week, department_id=typo.id, text="原单位另一周")
    session.add_all([pending, decided, report, mine, kept, moved])
    session.flush()

    counts = merge_departments(session, typo, right, actor="test", on=MERGE_DAY).counts
    assert (counts["reports"], counts["extensions"], counts["report_inputs"], counts["report_inputs_kept"]) == (
        1,
        1,
        1,
        1,
    )
    for row in (pending, decided, report, mine, kept, moved):
        session.refresh(row)
    assert report.department_id == right.id and report.submitted_by == "王五"  # who filed it is kept
    assert pending.department_id == right.id and decided.department_id == typo.id
    assert (mine.department_id, kept.department_id, moved.department_id) == (right.id, typo.id, right.id)


def test_a_renamed_unit_keeps_its_tasks_when_the_original_plan_is_imported_again(session, load):
    unit = _unit(session, "市商务局")
    rename_department(session, unit, "市商务局（新）", actor="test")
    links = session.execute(
        select(TaskDepartment.id, TaskDepartment.task_id, TaskDepartment.role, TaskDepartment.source_name)
        .where(TaskDepartment.department_id == unit.id)
        .order_by(TaskDepartment.id)
    ).all()
    departments = session.scalar(select(func.count()).select_from(Department))
    assert links and {written for *_, written in links} == {"市商务局"}  # the name the plan wrote
    for again in load(HENGSHUI_PLAN):
        assert (
            again.changes.get("created", 0) == again.changes.get("updated", 0) == again.changes.get("deleted", 0) == 0
        )
    assert session.scalar(select(func.count()).select_from(Department)) == departments  # no new 市商务局
    assert (
        session.execute(
            select(TaskDepartment.id, TaskDepartment.task_id, TaskDepartment.role, TaskDepartment.source_name)
            .where(TaskDepartment.department_id == unit.id)
            .order_by(TaskDepartment.id)
        ).all()
        == links
    )


def test_merge_and_rename_of_a_retired_unit_are_refused_never_acting_on_its_successor(copied):
    url, engine = copied
    _run(url, "merge", f"衡水市/{TYPO}", f"衡水市/{RIGHT}")
    before = _state(engine)
    retired = f"「衡水市/{TYPO}」已并入「衡水市/{RIGHT}」，已停用"
    assert retired in _run(url, "merge", f"衡水市/{TYPO}", "衡水市/市应急管理局", ok=False).output
    assert retired in _run(url, "merge", f"衡水市/{TYPO}", "衡水市/市应急管理局", "--dry-run", ok=False).output
    assert retired in _run(url, "merge", "衡水市/市应急管理局", f"衡水市/{TYPO}", ok=False).output
    assert retired in _run(url, "rename", f"衡水市/{TYPO}", "市生态环境保护局", ok=False).output
    assert _state(engine) == before
    # Its successor is still named by the old name everywhere else (--dept, the portal).
    with transaction(engine) as session:
        assert resolve_department(session, f"衡水市/{TYPO}").name == RIGHT


def test_a_notice_delivered_to_the_old_unit_is_not_sent_again_to_the_new_one(copied):
    from wufei.notify.models import Dispatch, DispatchIntent
    from wufei.points.runs import daily_scan

    url, engine = copied
    daily_scan(engine, date(2026, 1, 5), rules=RULESET)
    with transaction(engine) as session:
        typo, right = _unit(session, TYPO), _unit(session, RIGHT)
        first = session.scalars(select(Task.id).where(Task.title == TITLES[0])).one()  # the typo leads alone
        delivered = session.scalars(select(NoticeIntent).where(NoticeIntent.department_id == typo.id)).all()
        assert any(i.task_id == first for i in delivered)
        for intent in delivered:
            dispatch = Dispatch(
                key=f"digest|2026-01-05|{intent.id}",
                day=date(2026, 1, 5),
                audience=intent.audience,
                department_id=typo.id,
                tag="test",
                subject="督办",
                body="督办",
                status="sent",
            )
            session.add(dispatch)
            session.flush()
            session.add(DispatchIntent(intent_id=intent.id, dispatch_id=dispatch.id))
        sent = {_undepartmented(i.key) for i in delivered if i.task_id == first}
    _run(url, "merge", f"衡水市/{TYPO}", f"衡水市/{RIGHT}", "--on", "2026-01-06")
    daily_scan(engine, date(2026, 1, 12), rules=RULESET, full=True)  # a later step is due
    with transaction(engine) as session:
        open_steps = [
            _undepartmented(key)
            for key in session.scalars(
                select(NoticeIntent.key).where(
                    NoticeIntent.task_id == first,
                    NoticeIntent.resolved_on.is_(None),
                    NoticeIntent.department_id.in_([typo.id, right.id]),
                )
            )
        ]
        assert len(open_steps) == len(set(open_steps))  # each step once: the one delivered to the typo unit
        assert sent <= set(open_steps)
        later = session.scalars(
            select(NoticeIntent.step).where(NoticeIntent.task_id == first, NoticeIntent.created_on == date(2026, 1, 12))
        ).all()
        assert later  # the later step is owed, to the right unit


def test_merging_settles_only_doubts_of_plans_in_the_old_units_place(session, load, tmp_path):
    from wufei.doubts.models import ImportDoubt
    from wufei.plans.models import Plan

    elsewhere = tmp_path / "保定市无废城市建设补充任务.txt"
    elsewhere.write_text(SUPPLEMENT.replace("衡水市", "保定市"), encoding="utf-8")
    load(elsewhere)
    about_typo = (
        select(Jurisdiction.name, ImportDoubt.status)
        .join(Plan, Plan.id == ImportDoubt.plan_id)
        .join(Jurisdiction, Jurisdiction.id == Plan.jurisdiction_id)
        .where(ImportDoubt.message.contains(TYPO))
    )
    assert {place for place, _ in session.execute(about_typo)} == {"衡水市", "保定市"}
    merge_departments(session, _unit(session, TYPO), _unit(session, RIGHT), actor="test", on=MERGE_DAY)
    statuses = session.execute(about_typo).all()
    assert {status for place, status in statuses if place == "衡水市"} == {"corrected"}
    assert {status for place, status in statuses if place == "保定市"} == {"open"}


def test_refused_into_an_unknown_unit_and_a_group_or_government_into_another_kind(session):
    typo, right = _unit(session, TYPO), _unit(session, RIGHT)
    with pytest.raises(MergeError, match="未知单位.*交换"):
        plan_merge(session, right, typo)
    for kind in ("group", "county_gov"):  # (衡水市 lists no city_gov: its 市政府 is 河北省's)
        body = session.scalars(
            select(Department).join(Jurisdiction).where(Jurisdiction.name == "衡水市", Department.kind == kind)
        ).first()
        assert body is not None, kind
        with pytest.raises(MergeError, match="--across-kinds"):
            plan_merge(session, body, right)
        assert plan_merge(session, body, right, across_kinds=True).new is right  # the office said so
    counties = session.scalars(
        select(Department).join(Jurisdiction).where(Jurisdiction.name == "衡水市", Department.kind == "county_gov")
    ).all()
    assert plan_merge(session, counties[0], counties[1]).new is counties[1]  # like into like


def test_rename_refuses_a_name_another_unit_of_the_place_is_known_by(session):
    unit, right = _unit(session, "市商务局"), _unit(session, RIGHT)
    alias = session.scalars(
        select(DepartmentAlias.alias).where(DepartmentAlias.department_id == _unit(session, "市发展和改革委员会").id)
    ).first()
    assert alias is not None
    with pytest.raises(MergeError, match=f"又称「{alias}」.*wufei depts merge"):
        rename_department(session, unit, alias, actor="test")
    merge_departments(session, _unit(session, TYPO), right, actor="test", on=MERGE_DAY)
    with pytest.raises(MergeError, match=f"已有单位「{TYPO}」"):  # the retired unit's own name
        rename_department(session, unit, TYPO, actor="test")
    assert unit.name == "市商务局"


def _notices(url: str, *args: str, env: dict[str, str]) -> str:
    result = CliRunner().invoke(main, ["notices", *args], env={"WUFEI_DATABASE_URL": url, **env})
    assert result.exit_code == 0, result.output
    return result.output


def test_a_send_that_failed_before_the_merge_goes_to_the_new_units_contacts_and_names_it(copied, tmp_path):
    """The typo unit's digest of 5 January fails (its mail server refuses); the unit is merged; the
    retry goes to the right unit's address, written for it, and leaves out what the right unit is
    owed already (tasks 2 and 3 name both)."""
    from tests.notify.conftest import SmtpServer, free_port
    from wufei.notify.models import Dispatch
    from wufei.points.runs import daily_scan

    url, engine = copied
    daily_scan(engine, date(2026, 1, 5), rules=RULESET)
    smtp = SmtpServer(free_port())  # not started yet: every email is refused
    config = tmp_path / "apprise.yaml"
    config.write_text("version: 1\nurls:\n  - outbox://localhost$OUTBOX_DIR:\n      - tag: office, group, fallback\n")
    env = {
        "WUFEI_APPRISE_CONFIG": str(config),
        "WUFEI_OUTBOX_DIR": str(tmp_path / "outbox"),
        "WUFEI_SMTP_URL": f"mailto://127.0.0.1:{smtp.port}?from=office@wufei.test&format=text",
    }
    with transaction(engine) as session:
        typo, right = _unit(session, TYPO), _unit(session, RIGHT)
        typo_id, right_id = typo.id, right.id
        session.add_all(
            [
                Contact(department_id=typo.id, liaison_email="typo@wufei.test", source="test", source_row=1),
                Contact(department_id=right.id, liaison_email="right@wufei.test", source="test", source_row=2),
            ]
        )
    _notices(url, "deliver", "--as-of", "2026-01-05", env=env)
    with transaction(engine) as session:
        failed = session.scalars(
            select(Dispatch).where(Dispatch.department_id == typo_id, Dispatch.status == "failed")
        ).one()
        failed_id = failed.id
        assert TYPO in failed.subject and TYPO in failed.body
        carried = set(failed.intent_ids)
        named_both = set(session.scalars(select(Task.id).where(Task.title.in_(TITLES[1:]))))
        both = {
            i.id
            for i in session.scalars(select(NoticeIntent).where(NoticeIntent.id.in_(carried)))
            if i.task_id in named_both
        }
        assert both and carried - both  # tasks 2 and 3 (the right unit's too) and task 1 (the typo's alone)
    _run(url, "merge", f"衡水市/{TYPO}", f"衡水市/{RIGHT}", "--on", "2026-01-06")
    smtp.start()
    try:
        _notices(url, "retry", "--all", env=env)
    finally:
        smtp.stop()
    to = {message["To"]: message for message in smtp.inbox.messages}
    assert "typo@wufei.test" not in to
    readdressed = [m for m in smtp.inbox.messages if TITLES[0] in m.get_content()]
    assert [m["To"] for m in readdressed] == ["right@wufei.test"]
    [message] = readdressed
    assert RIGHT in message["Subject"] and TYPO not in message["Subject"]
    assert TYPO not in message.get_content() and message.get_content().startswith(f"{RIGHT}专班联系人：")
    # Tasks 2 and 3 reached the right unit once: in its own digest, not again in the typo's.
    for title in TITLES[1:]:
        assert sum(title in m.get_content() for m in smtp.inbox.messages) == 1
    with transaction(engine) as session:
        readdressed_row = session.get_one(Dispatch, failed_id)
        assert (readdressed_row.department_id, readdressed_row.tag, readdressed_row.status) == (
            right_id,
            f"dept-{right_id}",
            "sent",
        )
        moved = session.scalars(select(NoticeIntent).where(NoticeIntent.id.in_(carried - both))).all()
        assert {i.department_id for i in moved} == {right_id}
        assert all(i.key.endswith(f"|dept:{right_id}") for i in moved)


def test_a_message_perhaps_delivered_stays_as_it_was_and_one_the_new_unit_is_owed_already_is_withdrawn(
    copied, tmp_path
):
    """Two messages to the typo unit before the merge: one whose outcome is unknown (task 1), one
    that failed carrying only steps the right unit is owed too (tasks 2 and 3). The merge leaves
    the first as it was (history: the office checks with the recipient); resent afterwards, it
    goes to the right unit, written for it. The second is withdrawn, and a resend of it refused."""
    from tests.notify.conftest import SmtpServer, free_port
    from wufei.notify.models import Dispatch, DispatchIntent
    from wufei.points.runs import daily_scan

    url, engine = copied
    daily_scan(engine, date(2026, 1, 5), rules=RULESET)
    smtp = SmtpServer(free_port())
    config = tmp_path / "apprise.yaml"
    config.write_text("version: 1\nurls:\n  - outbox://localhost$OUTBOX_DIR:\n      - tag: office, group, fallback\n")
    env = {
        "WUFEI_APPRISE_CONFIG": str(config),
        "WUFEI_OUTBOX_DIR": str(tmp_path / "outbox"),
        "WUFEI_SMTP_URL": f"mailto://127.0.0.1:{smtp.port}?from=office@wufei.test&format=text",
    }
    with transaction(engine) as session:
        typo, right = _unit(session, TYPO), _unit(session, RIGHT)
        session.add_all(
            [
                Contact(department_id=typo.id, liaison_email="typo@wufei.test", source="test", source_row=1),
                Contact(department_id=right.id, liaison_email="right@wufei.test", source="test", source_row=2),
            ]
        )
        first = session.scalars(select(Task.id).where(Task.title == TITLES[0])).one()
        owed = session.scalars(
            select(NoticeIntent).where(NoticeIntent.department_id == typo.id, NoticeIntent.audience == "liaison")
        ).all()
        made = {}
        for status, items in (
            ("unknown", [i for i in owed if i.task_id == first]),
            ("failed", [i for i in owed if i.task_id != first]),
        ):
            assert items
            dispatch = Dispatch(
                key=f"digest|2026-01-05|liaison|dept:{typo.id}|{status}",
                day=date(2026, 1, 5),
                audience="liaison",
                department_id=typo.id,
                tag=f"dept-{typo.id}",
                subject=f"【无废城市建设督办】{TYPO}：{len(items)}条提醒",
                body=f"{TYPO}专班联系人：……",
                status=status,
                attempts=1,
            )
            session.add(dispatch)
            session.flush()
            session.add_all(DispatchIntent(intent_id=i.id, dispatch_id=dispatch.id) for i in items)
            made[status] = dispatch.id
        unknown_before = (typo.id, f"dept-{typo.id}", f"【无废城市建设督办】{TYPO}：", f"{TYPO}专班联系人：……")
    result = _run(url, "merge", f"衡水市/{TYPO}", f"衡水市/{RIGHT}", "--on", "2026-01-06")
    assert "未送达原单位的通知（所载提醒新单位均已有，撤回）：1 条" in result.output
    with transaction(engine) as session:
        unknown = session.get_one(Dispatch, made["unknown"])
        assert (unknown.department_id, unknown.tag, unknown.subject[: len(unknown_before[2])], unknown.body) == (
            unknown_before
        )
        assert unknown.status == "unknown"
        assert session.get_one(Dispatch, made["failed"]).status == "withdrawn"
    smtp.start()
    try:
        _notices(url, "retry", "--dispatch", str(made["unknown"]), "--resend", env=env)
        refused = CliRunner().invoke(
            main,
            ["notices", "retry", "--dispatch", str(made["failed"]), "--resend"],
            env={"WUFEI_DATABASE_URL": url, **env},
        )
    finally:
        smtp.stop()
    assert refused.exit_code != 0 and "已撤回" in refused.output
    [message] = smtp.inbox.messages
    assert message["To"] == "right@wufei.test"
    assert RIGHT in message["Subject"] and TYPO not in message["Subject"] + message.get_content()
    assert TITLES[0] in message.get_content()


def test_a_merge_waits_while_a_run_is_sending_the_old_units_reminders(session):
    """review22e: a delivery run read a dispatch's address and text before the merge and records what
    it sent under its lease; re-addressing the dispatch under it recorded a message to the new unit
    that went to the old address. A live claim makes the merge wait; an abandoned one is re-addressed."""
    from datetime import timedelta

    from wufei.db import utcnow
    from wufei.notify.models import Dispatch

    typo, right = _unit(session, TYPO), _unit(session, RIGHT)
    held = Dispatch(
        key="held",
        day=MERGE_DAY,
        audience="liaison",
        department_id=typo.id,
        tag=f"dept-{typo.id}",
        subject="提醒",
        body="内容",
        status="claimed",
        next_attempt_at=utcnow() + timedelta(minutes=9),
    )
    session.add(held)
    session.flush()
    with pytest.raises(MergeError, match="正在发送"):
        merge_departments(session, typo, right, actor="test", on=MERGE_DAY)
    held.next_attempt_at = utcnow() - timedelta(minutes=1)  # the run died: its lease ran out
    session.flush()
    assert merge_departments(session, typo, right, actor="test", on=MERGE_DAY)


def test_rename_reads_a_new_name_written_with_its_place_as_units_are_written(session):
    """洋县's office renamed 县教育局 (the registry's reading of 教体局) `洋县/县教育体育局`, as UNIT is
    written: the name was stored with its place in it (shown 「洋县/洋县/县教育体育局」). The unit's own
    place is read off; another place is refused, since a rename does not move a unit."""
    unit = _unit(session, "市商务局")
    place = unit.jurisdiction.name
    with pytest.raises(MergeError, match=f"更名不改变单位所属地区.*「{place}」.*「市商务和投资促进局」"):
        rename_department(session, unit, "保定市/市商务和投资促进局", actor="test")
    assert unit.name == "市商务局"
    assert rename_department(session, unit, f"{place}/市商务和投资促进局", actor="test") == "市商务局"
    assert unit.name == "市商务和投资促进局"


def test_a_run_still_alive_past_its_lease_cannot_record_its_old_address_send_as_the_new_units(
    copied, tmp_path, monkeypatch
):
    """mend23: a delivery run (a thread) is paused in the typo unit's SMTP DATA past its lease (its
    clock is eleven minutes behind, so the lease it holds has run out by the wall clock the merge
    reads); the merge re-addresses the dispatch to the right unit. Resumed, the run's answer from the
    old address must not make the dispatch `sent` to the right unit: the merge took the claim over
    (a new fencing token), the run's fenced write is refused, and the next retry sends it, written
    for the right unit, to the right unit's address."""
    import threading
    from datetime import timedelta

    from tests.notify.conftest import SmtpServer, free_port
    from tests.rules import CADENCE
    from wufei.db import utcnow
    from wufei.notify import runs
    from wufei.notify.models import Delivery, Dispatch
    from wufei.points.runs import daily_scan

    _, engine = copied
    daily_scan(engine, date(2026, 1, 5), rules=RULESET)
    smtp = SmtpServer(free_port())
    config = tmp_path / "apprise.yaml"
    config.write_text("version: 1\nurls:\n  - outbox://localhost$OUTBOX_DIR:\n      - tag: office, group, fallback\n")
    monkeypatch.setenv("WUFEI_APPRISE_CONFIG", str(config))
    monkeypatch.setenv("WUFEI_OUTBOX_DIR", str(tmp_path / "outbox"))
    monkeypatch.setenv("WUFEI_SMTP_URL", f"mailto://127.0.0.1:{smtp.port}?from=office@wufei.test&format=text")
    with transaction(engine) as session:
        typo, right = _unit(session, TYPO), _unit(session, RIGHT)
        typo_id, right_id = typo.id, right.id
        session.add_all(
            [
                Contact(department_id=typo.id, liaison_email="typo@wufei.test", source="test", source_row=1),
                Contact(department_id=right.id, liaison_email="right@wufei.test", source="test", source_row=2),
            ]
        )
    arrived, resume = threading.Event(), threading.Event()
    keep = smtp.inbox.handle_DATA

    async def paused_at_the_typo(server, session, envelope):
        if "typo@wufei.test" in envelope.rcpt_tos and not arrived.is_set():
            arrived.set()
            resume.wait(60)  # the run is stuck in this call while its lease runs out and the merge commits
        return await keep(server, session, envelope)

    smtp.inbox.handle_DATA = paused_at_the_typo
    smtp.start()
    behind = utcnow() - runs.service.LEASE - timedelta(minutes=1)  # the run's lease has run out by the wall clock
    summaries: list[dict] = []
    run = threading.Thread(
        target=lambda: summaries.append(
            runs.deliver_day(engine, date(2026, 1, 5), cadence=CADENCE, now=behind, concurrency=1)
        )
    )
    run.start()
    try:
        assert arrived.wait(60)
        with transaction(engine) as session:
            held = session.scalars(select(Dispatch).where(Dispatch.department_id == typo_id)).one()
            held_id, lease = held.id, held.next_attempt_at
            assert held.status == "claimed" and lease is not None
            merge_departments(session, _unit(session, TYPO), _unit(session, RIGHT), actor="test", on=MERGE_DAY)
    finally:
        resume.set()
        run.join(120)
    assert summaries and summaries[0].get("lost") == 1, summaries
    with transaction(engine) as session:
        row = session.get_one(Dispatch, held_id)
        assert (row.department_id, row.status) == (right_id, "claimed")  # not recorded sent: the fence refused it
        assert row.next_attempt_at != lease
        # What the old address answered stays its fact.
        assert list(session.scalars(select(Delivery.status).where(Delivery.dispatch_id == held_id))) == ["sent"]
    try:
        retried = runs.retry_due(engine, cadence=CADENCE, concurrency=1)
    finally:
        smtp.stop()
    assert retried["sent"] == 1, retried
    to_right = [m for m in smtp.inbox.messages if m["To"] == "right@wufei.test"]
    readdressed = [m for m in to_right if RIGHT in m["Subject"] and TITLES[0] in m.get_content()]
    assert len(readdressed) == 1 and TYPO not in readdressed[0].get_content()
    with transaction(engine) as session:
        assert session.get_one(Dispatch, held_id).status == "sent"


def test_the_merged_link_keeps_the_earlier_day_its_role_was_held(session):
    """review23d: the surviving link kept its own later `assigned_on`, so a lead of 2 September
    merged into a supporting link of 2 December owed nothing for the weeks between. The merged
    link keeps the earliest day a link of its role was made (the lead's, not a supporting one's)."""
    typo, right = _unit(session, TYPO), _unit(session, RIGHT)
    tasks = {title: session.scalars(select(Task).where(Task.title == title)).one() for title in TITLES}
    dated = {
        # task 3: the typo leads from 2 September, the right unit supports from 2 December
        TITLES[2]: {typo.id: (Role.LEAD, date(2024, 9, 2)), right.id: (Role.SUPPORTING, date(2024, 12, 2))},
        # task 2: both lead, the right unit the later named
        TITLES[1]: {typo.id: (Role.LEAD, date(2024, 9, 2)), right.id: (Role.LEAD, date(2024, 12, 2))},
    }
    for title, links in dated.items():
        for link in tasks[title].assignments:
            if link.department_id in links:
                link.role, link.assigned_on = links[link.department_id]
    # task 1, the other way: a supporting link older than the lead gives the lead no earlier weeks
    third = tasks[TITLES[0]]
    [typo_link] = [link for link in third.assignments if link.department_id == typo.id]
    typo_link.assigned_on = date(2024, 12, 2)
    session.add(
        TaskDepartment(
            task_id=third.id, department_id=right.id, role=Role.SUPPORTING, position=2, assigned_on=date(2024, 9, 2)
        )
    )
    session.flush()
    merge_departments(session, typo, right, actor="test", on=MERGE_DAY)

    def since(task):
        return session.scalars(
            select(TaskDepartment.assigned_on).where(
                TaskDepartment.task_id == task.id, TaskDepartment.department_id == right.id
            )
        ).one()

    assert since(tasks[TITLES[2]]) == date(2024, 9, 2)
    assert since(tasks[TITLES[1]]) == date(2024, 9, 2)
    assert since(third) == date(2024, 12, 2)  # lead from then; supporting before
    assert [name for name, role, *_ in _links(session, TITLES[0]) if role == "lead"] == [RIGHT]

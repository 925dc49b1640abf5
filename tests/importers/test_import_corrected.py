"""Committing a preview with a person's corrections: all or nothing, the settled doubts kept as 已更正."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.preview_plan import DOCUMENT, TITLE, write_plan
from wufei import migrate
from wufei.audit.models import AuditEntry
from wufei.db import make_sessionmaker
from wufei.doubts.models import DoubtStatus, ImportDoubt
from wufei.importers.service import Correction, CorrectionError, apply_corrections, import_corrected, read_source
from wufei.plans.models import Plan
from wufei.tasks.models import Task


@pytest.fixture
def migrated(fresh_engine):
    migrate.upgrade(fresh_engine)
    return fresh_engine


def _task(session, number: str) -> Task:
    return session.scalar(select(Task).where(Task.number == number, Task.list_kind == "institution"))


def test_corrections_land_with_the_import_and_settle_the_doubts_they_answer(migrated, tmp_path):
    path = write_plan(tmp_path)
    corrections = [
        Correction(0, "task", 0, "leads", "市生态环境局"),
        Correction(0, "task", 2, "leads", "桃城区人民政府、冀州区人民政府"),
        Correction(0, "task", 1, "deadline", "2024年9月底"),
        Correction(0, "plan", None, "period", "2024—2025"),
    ]
    result = import_corrected(migrated, path, corrections, actor="web:office", source_name="工作要点.txt")
    assert result.ok, result.error
    assert result.doubts == 1  # only the task nobody leads is left

    with make_sessionmaker(migrated)() as session:
        assert [d.name for d in _task(session, "1").departments("lead")] == ["市生态环境局"]
        assert [d.name for d in _task(session, "1").departments("supporting")] == ["市统计局"]  # kept as read
        pick = _task(session, "3")
        assert [d.name for d in pick.departments("lead")] == ["桃城区人民政府", "冀州区人民政府"]
        assert not pick.awaiting_assignment
        assert _task(session, "2").due_date.isoformat() == "2024-09-30"
        plan = session.scalar(select(Plan))
        assert (plan.period_start, plan.period_end) == (2024, 2025)

        doubts = {d.task.number: d for d in session.scalars(select(ImportDoubt))}
        assert set(doubts) == {"1", "3", "4"}
        settled = doubts["1"]
        assert settled.status == DoubtStatus.CORRECTED and settled.decided_by == "web:office"
        assert settled.note == "导入前在预览中更正：「市生态环境厅」→「市生态环境局」"
        assert doubts["3"].status == DoubtStatus.CORRECTED and doubts["4"].status == DoubtStatus.OPEN
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "correct"))
        assert entry.actor == "web:office" and entry.source == "工作要点.txt"
        assert entry.changes["制度体系 2/deadline"] == ["持续推进", "2024年9月底"]


def test_a_failure_while_committing_writes_nothing(migrated, tmp_path):
    path = write_plan(tmp_path)
    corrections = [
        Correction(0, "task", 0, "leads", "市生态环境局"),
        Correction(0, "plan", None, "jurisdiction", "不存在的地方"),
    ]
    result = import_corrected(migrated, path, corrections, actor="web:office")
    assert not result.ok and str(path) in result.error and "不存在的地方" in result.error
    with make_sessionmaker(migrated)() as session:
        for model in (Plan, Task, ImportDoubt, AuditEntry):
            assert session.scalars(select(model)).first() is None, model.__tablename__


def test_a_correction_that_cannot_apply_says_why_before_anything_is_read_into_the_database(tmp_path):
    source = read_source(write_plan(tmp_path))
    with pytest.raises(CorrectionError, match="规划期"):
        apply_corrections(source, [Correction(0, "plan", None, "period", "十四五期间")])
    with pytest.raises(CorrectionError, match="名称不能为空"):
        apply_corrections(source, [Correction(0, "task", 0, "title", " ")])
    with pytest.raises(CorrectionError, match="无法更正"):
        apply_corrections(source, [Correction(0, "task", 0, "content", "x")])
    with pytest.raises(CorrectionError, match="找不到"):
        apply_corrections(source, [Correction(0, "task", 99, "deadline", "2024年底")])


def test_the_office_names_the_place_the_document_leaves_unclear(migrated, tmp_path):
    unclear = DOCUMENT.replace("衡水市人民政府办公室", "某某市人民政府办公室").replace(TITLE, "某某市工作要点")
    path = write_plan(tmp_path, unclear)
    place = Correction(0, "plan", None, "jurisdiction", "衡水市")
    result = import_corrected(migrated, path, [place], actor="web:office")
    assert result.ok, result.error
    with make_sessionmaker(migrated)() as session:
        plan = session.scalar(select(Plan))
        assert plan.jurisdiction.name == "衡水市" and plan.title == "某某市工作要点"
        # Owners resolve in the corrected place: its county governments, its bureaus.
        assert len(_task(session, "2").departments("supporting")) == 11


def test_records_left_out_are_not_imported_and_corrections_after_them_land_on_the_right_task(migrated, tmp_path):
    """The office unticks a record that is no task (a candidate read from a paragraph): it is not stored, nor
    its doubts; a correction of a later record still lands on that record, not on the one that moved up."""
    path = write_plan(tmp_path)
    corrections = [
        Correction(0, "task", 1, "omit", "1"),
        Correction(0, "task", 1, "deadline", "2024年9月底"),  # corrected, then left out: nothing to store
        Correction(0, "task", 2, "leads", "桃城区人民政府"),
    ]
    result = import_corrected(migrated, path, corrections, actor="web:office", source_name="工作要点.txt")
    assert result.ok, result.error
    with make_sessionmaker(migrated)() as session:
        numbers = sorted(t.number for t in session.scalars(select(Task).where(Task.list_kind == "institution")))
        assert numbers == ["1", "3", "4"]
        assert [d.name for d in _task(session, "3").departments("lead")] == ["桃城区人民政府"]
        settled = session.scalars(select(ImportDoubt).where(ImportDoubt.task_id == _task(session, "3").id)).all()
        assert settled and all(d.status == DoubtStatus.CORRECTED for d in settled)
        assert _task(session, "4").departments("lead") == []  # untouched: its doubt stays open
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "correct"))
        assert entry.changes["制度体系 2/不导入"][1] is None and entry.changes["制度体系 2/不导入"][0]
        assert "制度体系 2/deadline" not in entry.changes


def test_leaving_out_every_record_of_a_plan_is_refused_saying_to_skip_the_file(tmp_path):
    source = read_source(write_plan(tmp_path))
    plan = source.plans[0]
    everything = [
        Correction(0, kind, index, "omit", "1")
        for kind, records in (("task", plan.tasks), ("indicator", plan.indicators), ("cell", plan.cells))
        for index in range(len(records))
    ]
    with pytest.raises(CorrectionError, match="已全部选为不导入"):
        apply_corrections(source, everything)
    with pytest.raises(CorrectionError, match="无法更正"):
        apply_corrections(read_source(write_plan(tmp_path)), [Correction(0, "plan", None, "omit", "1")])


def test_a_record_imported_before_cannot_be_left_out_and_so_deleted(migrated, tmp_path):
    """不导入 on a re-import would delete the stored task (the file is the whole plan): refused, nothing written;
    a left-out record's emptied name is no error (it is not imported)."""
    path = write_plan(tmp_path)
    assert import_corrected(migrated, path, [], actor="web:office").ok
    with make_sessionmaker(migrated)() as session:
        before = sorted(t.number for t in session.scalars(select(Task)))
    left_out = [Correction(0, "task", 1, "omit", "1"), Correction(0, "task", 1, "title", " ")]
    result = import_corrected(migrated, path, left_out, actor="web:office")
    assert not result.ok and "「制度体系 2」已导入过，不导入会删除已导入的记录" in result.error
    with make_sessionmaker(migrated)() as session:
        assert sorted(t.number for t in session.scalars(select(Task))) == before
    source = read_source(path)
    apply_corrections(source, left_out)
    assert len(source.plans[0].tasks) == len(read_source(path).plans[0].tasks) - 1

"""Doubts stored with their records: once per doubt across re-imports, decided by a person,
closed when a corrected file no longer raises them, gone with a record a re-import removes."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from tests.conftest import fresh_database_url
from tests.preview_plan import DOCUMENT, write_plan
from wufei.audit.models import AuditEntry
from wufei.cli import main
from wufei.departments.models import Department
from wufei.doubts.models import DoubtStatus, ImportDoubt
from wufei.doubts.service import DoubtError, count_open, decide_doubt, doubt_as_dict, list_doubts
from wufei.tasks.assignment import assign_owners
from wufei.tasks.models import Task


def _doubts(session) -> list[ImportDoubt]:
    session.expire_all()
    return list(session.scalars(select(ImportDoubt).order_by(ImportDoubt.id)))


def _task(session, number: str) -> Task:
    return session.scalar(select(Task).where(Task.number == number, Task.list_kind == "institution"))


def test_each_doubt_is_stored_with_its_record_and_a_second_import_adds_none(session, load, tmp_path):
    path = write_plan(tmp_path)
    [summary] = load(path)
    stored = _doubts(session)
    assert summary.counts["doubts"] == len(stored) == 3
    by_task = {d.task.number: d for d in stored}
    assert set(by_task) == {"1", "3", "4"}
    unknown = by_task["1"]
    assert (unknown.record_type, unknown.task_id, unknown.field) == ("task", _task(session, "1").id, "leads")
    assert unknown.text == "市生态环境厅" and unknown.status == DoubtStatus.OPEN and unknown.source == str(path)
    assert unknown.plan_id == _task(session, "1").plan_id

    load(path)
    assert [d.id for d in _doubts(session)] == [d.id for d in stored]


def test_a_decided_doubt_stays_decided_when_the_same_file_comes_again(session, load, tmp_path):
    path = write_plan(tmp_path)
    load(path)
    first = _doubts(session)[0]
    decide_doubt(session, doubt_id=first.id, status=DoubtStatus.CONFIRMED, note="已向市生态环境局核实", actor="张三")
    [summary] = load(path)
    assert summary.counts["doubts"] == 2
    again = session.get(ImportDoubt, first.id)
    assert again.status == DoubtStatus.CONFIRMED and again.decided_by == "张三"


def test_a_doubt_a_corrected_file_no_longer_raises_is_closed_as_corrected(session, load, tmp_path):
    load(write_plan(tmp_path))
    corrected = write_plan(tmp_path, DOCUMENT.replace("牵头单位：市生态环境厅", "牵头单位：市生态环境局"))
    [summary] = load(corrected)
    assert summary.counts["doubts"] == 2
    closed = next(d for d in _doubts(session) if d.text == "市生态环境厅")
    assert closed.status == DoubtStatus.CORRECTED and closed.decided_by == "test"
    assert "重新导入后不再存疑" in closed.note and closed.decided_at is not None
    entry = session.scalar(select(AuditEntry).where(AuditEntry.entity == "import_doubts"))
    assert entry.changes["status"] == ["open", "corrected"]


def test_a_record_a_reimport_removes_takes_its_doubts_with_it(session, load, tmp_path):
    load(write_plan(tmp_path))
    assert _task(session, "4") is not None
    without_four = DOCUMENT[: DOCUMENT.index("\t4\n")]
    load(write_plan(tmp_path, without_four))
    assert _task(session, "4") is None
    assert {d.task.number for d in _doubts(session)} == {"1", "3"}


def test_deciding_needs_an_open_doubt_and_a_note_and_is_audited(session, load, tmp_path):
    load(write_plan(tmp_path))
    doubt = _doubts(session)[0]
    with pytest.raises(DoubtError, match="处理说明"):
        decide_doubt(session, doubt_id=doubt.id, status=DoubtStatus.CONFIRMED, note=" ", actor="张三")
    with pytest.raises(DoubtError, match="找不到"):
        decide_doubt(session, doubt_id=10**9, status=DoubtStatus.CONFIRMED, note="x", actor="张三")
    decide_doubt(session, doubt_id=doubt.id, status=DoubtStatus.CORRECTED, note="已改为市生态环境局", actor="张三")
    with pytest.raises(DoubtError, match="已于"):
        decide_doubt(session, doubt_id=doubt.id, status=DoubtStatus.CONFIRMED, note="再次", actor="李四")
    entry = session.scalar(
        select(AuditEntry).where(AuditEntry.entity == "import_doubts", AuditEntry.entity_id == doubt.id)
    )
    assert entry.actor == "张三" and entry.changes["note"] == [None, "已改为市生态环境局"]
    shown = doubt_as_dict(session.get(ImportDoubt, doubt.id))
    assert shown["status_cn"] == "已更正" and shown["record"].startswith("任务 制度体系 1「建立固体废物统计制度」")
    assert count_open(session) == 2 and len(list_doubts(session, status=None)) == 3


def test_a_task_whose_named_lead_stands_for_nobody_yet_waits_for_the_office(session, load, tmp_path):
    [summary] = load(write_plan(tmp_path))
    pick = _task(session, "3")
    assert pick.awaiting_assignment and not pick.departments("lead")
    assert [d.name for d in pick.departments("supporting")] == ["市农业农村局"]
    assert summary.counts["awaiting_assignment"] == 2


@pytest.fixture
def wufei(tmp_path):
    env = {"WUFEI_DATABASE_URL": fresh_database_url(tmp_path)}
    runner = CliRunner()

    def run(*args: str, ok: bool = True):
        result = runner.invoke(main, list(args), env=env, catch_exceptions=False)
        assert (result.exit_code == 0) == ok, result.output
        return result

    return run


def test_the_office_lists_and_resolves_doubts_from_the_command_line(wufei, tmp_path):
    wufei("import", str(write_plan(tmp_path)))
    rows = json.loads(wufei("doubts", "list", "--plan", "衡政办字〔2024〕9号", "--json").output)
    assert len(rows) == 3 and {r["status_cn"] for r in rows} == {"待确认"}
    first, second = rows[0]["id"], rows[1]["id"]

    refused = wufei("doubts", "resolve", str(first), str(10**9), "--note", "已核实", ok=False)
    assert "找不到待确认项" in refused.output and "未处理任何一项" in refused.output
    assert len(json.loads(wufei("doubts", "list", "--json").output)) == 3  # all or none

    output = wufei("doubts", "resolve", str(first), "--note", "已核实无误", "--actor", "张三").output
    assert "已处理 1 项：已确认" in output
    wufei("doubts", "resolve", str(second), "--note", "已在门户指定", "--corrected")
    listed = wufei("doubts", "list", "--all").output
    assert "[已确认：张三" in listed and "[已更正：cli" in listed and "其中待确认 1 项" in listed
    assert "wufei doubts resolve" in wufei("doubts", "list").output


def test_naming_the_lead_of_a_waiting_task_settles_the_doubt_about_its_owners(session, load, tmp_path):
    load(write_plan(tmp_path))
    waiting = _task(session, "4")
    ecology = session.scalar(select(Department).where(Department.name == "市生态环境局"))
    assign_owners(session, task_id=waiting.id, lead_ids=[ecology.id], actor="web:office", on=date(2024, 6, 3))
    [settled] = [d for d in _doubts(session) if d.task_id == waiting.id]
    assert settled.status == DoubtStatus.CORRECTED and settled.note == "办公室指定牵头单位：市生态环境局"
    assert settled.decided_by == "web:office"


def test_tasks_awaiting_a_lead_are_lit_and_listed_as_awaiting(wufei, tmp_path):
    wufei("import", str(write_plan(tmp_path)))
    waiting = json.loads(wufei("tasks", "--awaiting", "--as-of", "2024-06-05", "--json").output)
    assert [t["number"] for t in waiting] == ["3", "4"]
    assert {t["light"] for t in waiting} == {"yellow"}
    assert all("待指定牵头单位" in t["reason"] for t in waiting)
    late = json.loads(wufei("tasks", "--awaiting", "--as-of", "2025-03-03", "--json").output)
    assert {t["light"] for t in late} == {"red"} and all("已逾期" in t["reason"] for t in late)


def test_a_lead_a_corrected_file_names_later_is_responsible_from_that_import(session, load, tmp_path, monkeypatch):
    """The plan's own leads owe from its start; a lead named by a corrected file imported in June (a
    supporting unit made lead) owes from that day, not from the plan's start."""

    from tests.rules import CADENCE
    from wufei.reports.service import expected_rows
    from wufei.tasks.models import Role

    monkeypatch.setenv("WUFEI_TODAY", "2024-03-04")
    load(write_plan(tmp_path))
    monkeypatch.setenv("WUFEI_TODAY", "2024-06-03")
    named = DOCUMENT.replace("牵头单位：有关县市区人民政府；配合单位：市农业农村局", "牵头单位：市农业农村局")
    load(write_plan(tmp_path, named))
    session.expire_all()
    settled, kept = _task(session, "3"), _task(session, "1")
    assert [(a.department.name, a.role, a.assigned_on) for a in settled.assignments] == [
        ("市农业农村局", Role.LEAD, date(2024, 6, 3))
    ]
    assert {a.assigned_on for a in kept.assignments} == {date(2024, 1, 1)}  # the plan's year: its start
    starts = {row.task_id: row.start for row in expected_rows(session, cadence=CADENCE)}
    assert starts[settled.id] == date(2024, 6, 3) and starts[kept.id] == date(2024, 1, 1)

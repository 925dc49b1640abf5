"""The workbook: template, export, and the round trip back into an empty database."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import select

from tests.ledger import ledger_records
from tests.seed_files import BAODING_PLAN, CELLS_REPLY, EVALUATION, HEBEI_PLAN, HENGSHUI_PLAN
from wufei import migrate
from wufei.db import make_sessionmaker
from wufei.departments.models import Department
from wufei.exporters.ledger import export_ledger, write_template
from wufei.importers import sheet_schema as S
from wufei.importers.service import import_paths
from wufei.indicators.models import Indicator
from wufei.plans.service import NOTE_UNREADABLE
from wufei.tasks.models import Task

SEED_FILES = [CELLS_REPLY, HENGSHUI_PLAN, BAODING_PLAN, HEBEI_PLAN, EVALUATION]


def test_importing_the_export_into_an_empty_database_gives_the_same_records(session, load, fresh_engine, tmp_path):
    for path in SEED_FILES:
        load(path)
    workbook = tmp_path / "台账.xlsx"
    counts = export_ledger(session, workbook)
    assert counts["tasks"] == 31 + 54 + 39 + 31 and counts["projects"] == 27
    assert counts["indicators"] == 59 + 65 + 20

    migrate.upgrade(fresh_engine)
    [result] = import_paths(fresh_engine, [workbook])
    assert result.ok, result.error
    session.expire_all()  # both sides as the database gives them back, not as first built in memory
    with make_sessionmaker(fresh_engine)() as copy:
        original, restored = ledger_records(session), ledger_records(copy)
    for section in original:
        assert restored[section] == original[section], section


def test_the_export_has_one_sheet_per_record_kind_with_chinese_headers(session, load, tmp_path):
    load(HENGSHUI_PLAN)
    workbook = tmp_path / "台账.xlsx"
    export_ledger(session, workbook)
    book = load_workbook(workbook, read_only=True)
    assert {S.TASKS, S.PROJECTS, S.INDICATORS, S.DEPARTMENTS} <= set(book.sheetnames)
    tasks = list(book[S.TASKS].iter_rows(values_only=True))
    assert list(tasks[0]) == list(S.COLUMNS[S.TASKS])
    assert len(tasks) == 1 + 31 + 54
    projects = list(book[S.PROJECTS].iter_rows(values_only=True))
    header = list(projects[0])
    first = dict(zip(header, projects[1]))
    assert first["项目名称"] == "废旧塑料回收" and first["截止日期"] == "2022-12-31"


def test_the_template_imports_as_an_example_plan(fresh_engine, tmp_path):
    template = tmp_path / "模板.xlsx"
    write_template(template)
    book = load_workbook(template, read_only=True)
    assert list(next(book[S.TASKS].iter_rows(values_only=True))) == list(S.COLUMNS[S.TASKS])
    assert S.README in book.sheetnames

    migrate.upgrade(fresh_engine)
    [result] = import_paths(fresh_engine, [template])
    assert result.ok, result.error
    [plan] = result.plans
    assert plan.counts["tasks"] == 2 and plan.counts["indicators"] == 1 and plan.counts["cells"] == 1
    with make_sessionmaker(fresh_engine)() as session:
        task = session.scalar(select(Task).where(Task.list_kind == "institution"))
        assert task.due_date.isoformat() == "2024-12-31"
        assert [d.name for d in task.departments("lead")] == ["市生态环境局"]
        department = session.scalar(select(Department).where(Department.name == "市生态环境局"))
        assert "市环保局" in [a.alias for a in department.aliases]


def _edit_template(tmp_path: Path, sheet: str, header: str, value: str) -> Path:
    path = tmp_path / "模板.xlsx"
    write_template(path)
    book = load_workbook(path)
    headers = [c.value for c in book[sheet][1]]
    book[sheet].cell(row=2, column=headers.index(header) + 1, value=value)
    book.save(path)
    return path


def test_an_unreadable_deadline_in_a_workbook_is_kept_as_text_without_a_date(fresh_engine, tmp_path):
    # Not a refused file: the task is kept with its text, no due date, and a doubt for the office.
    bad = _edit_template(tmp_path, S.TASKS, "完成期限", "尽快")
    migrate.upgrade(fresh_engine)
    [result] = import_paths(fresh_engine, [bad])
    assert result.ok, result.error
    with make_sessionmaker(fresh_engine)() as session:
        task = session.scalar(select(Task).where(Task.deadline_raw == "尽快"))
        assert task.due_date is None and task.deadline_note == NOTE_UNREADABLE


def test_an_unknown_indicator_attribute_names_its_cell(fresh_engine, tmp_path):
    bad = _edit_template(tmp_path, S.INDICATORS, "指标属性", "强制性")
    migrate.upgrade(fresh_engine)
    [result] = import_paths(fresh_engine, [bad])
    assert not result.ok
    assert "工作表「指标」指标属性列" in result.error and "强制性" in result.error


def test_a_csv_of_tasks_adds_to_an_existing_plan_without_touching_its_indicators(fresh_engine, tmp_path):
    migrate.upgrade(fresh_engine)
    assert import_paths(fresh_engine, [HENGSHUI_PLAN])[0].ok
    path = tmp_path / "补充任务.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["方案", "清单", "序号", "任务名称", "牵头单位", "配合单位", "完成期限"])
        writer.writerow(
            [
                "衡政办字〔2022〕57号",
                "主要任务",
                "32",
                "建立无废城市建设台账",
                "市生态环境局",
                "各县市区人民政府",
                "2024年4月底前",
            ]
        )
    [result] = import_paths(fresh_engine, [path])
    assert result.ok, result.error
    with make_sessionmaker(fresh_engine)() as session:
        task = session.scalar(select(Task).where(Task.number == "32", Task.list_kind == "main"))
        assert task.due_date.isoformat() == "2024-04-30"
        assert len(task.departments("supporting")) == 11
        assert len(list(session.scalars(select(Indicator)))) == 59
        assert len(list(session.scalars(select(Task).where(Task.list_kind == "main")))) == 32


def test_a_csv_naming_a_plan_that_does_not_exist_is_rejected(fresh_engine, tmp_path):
    migrate.upgrade(fresh_engine)
    path = tmp_path / "任务.csv"
    path.write_text("方案,序号,任务名称\n不存在的方案,1,某任务\n", encoding="utf-8")
    [result] = import_paths(fresh_engine, [path])
    assert not result.ok and "方案不存在" in result.error and "不存在的方案" in result.error

"""The preview as the import workbook and back: the same records, with the office's edits in Excel
applied; a corrected field's doubt is settled, an uncorrected one stays open."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests.conftest import fresh_database_url
from tests.ledger import ledger_records
from tests.preview_plan import write_plan
from tests.seed_files import ALL_SEEDS
from wufei import migrate
from wufei.db import make_engine, make_sessionmaker, transaction
from wufei.doubts.models import DoubtStatus, ImportDoubt
from wufei.exporters.ledger import export_ledger
from wufei.exporters.preview import write_preview_workbook
from wufei.importers import sheet_schema as S
from wufei.importers.records import Doubt
from wufei.importers.service import import_paths, preview_paths
from wufei.tasks.models import Task


def _engine(folder: Path):
    folder.mkdir(exist_ok=True)
    engine = make_engine(fresh_database_url(folder))
    migrate.upgrade(engine)
    return engine


def _open_doubts(engine) -> list[tuple]:
    with make_sessionmaker(engine)() as session:
        rows = session.scalars(select(ImportDoubt).where(ImportDoubt.status == DoubtStatus.OPEN))
        return sorted((d.record_type, d.field, d.message, d.text or "") for d in rows)


def _import(engine, path: Path):
    [result] = import_paths(engine, [path])
    assert result.ok, result.error
    return result


def test_every_seed_previewed_as_a_workbook_imports_as_the_same_records(tmp_path):
    direct, through_excel = _engine(tmp_path / "a"), _engine(tmp_path / "b")
    try:
        assert all(r.ok for r in import_paths(direct, ALL_SEEDS))
        workbook = tmp_path / "预览.xlsx"
        write_preview_workbook(workbook, preview_paths(through_excel, ALL_SEEDS))
        _import(through_excel, workbook)
        with make_sessionmaker(direct)() as a, make_sessionmaker(through_excel)() as b:
            original, restored = ledger_records(a), ledger_records(b)
        for section in original:
            assert restored[section] == original[section], section
        assert _open_doubts(through_excel) == _open_doubts(direct) != []
    finally:
        direct.dispose()
        through_excel.dispose()


def _rows(path: Path, sheet: str) -> tuple[list[str], list[list]]:
    book = load_workbook(path)
    values = [list(r) for r in book[sheet].iter_rows(values_only=True)]
    return values[0], values[1:]


def _edit(path: Path, sheet: str, number: str, changes: dict[str, str | None]) -> None:
    book = load_workbook(path)
    headers = [c.value for c in book[sheet][1]]
    for row in book[sheet].iter_rows(min_row=2):
        if str(row[headers.index("序号")].value) == number:
            for header, value in changes.items():
                row[headers.index(header)].value = value
    book.save(path)


def test_the_workbook_flags_each_doubtful_cell_and_lists_the_doubts_in_its_own_column(migrated, tmp_path):
    workbook = tmp_path / "预览.xlsx"
    write_preview_workbook(workbook, preview_paths(migrated, [write_plan(tmp_path)]))
    headers, rows = _rows(workbook, S.TASKS)
    first = dict(zip(headers, rows[0]))
    assert first["牵头单位"] == "市生态环境厅" and first["配合单位"] == "市统计局" and first["完成期限"] == "2024年6月"
    assert first[S.DOUBTS].startswith("【牵头单位】未识别的单位「市生态环境厅」")
    assert dict(zip(headers, rows[1]))[S.DOUBTS] is None

    sheet = load_workbook(workbook)[S.TASKS]
    lead_cell = sheet.cell(row=2, column=headers.index("牵头单位") + 1)
    assert lead_cell.fill.fgColor.rgb.endswith("FFE699") and "待确认（牵头单位）" in lead_cell.comment.text
    record_column = sheet.cell(row=1, column=headers.index(S.DOUBT_RECORD) + 1).column_letter
    assert sheet.column_dimensions[record_column].hidden


@pytest.fixture
def migrated(fresh_engine):
    migrate.upgrade(fresh_engine)
    return fresh_engine


def _task(engine, number: str) -> dict:
    with make_sessionmaker(engine)() as session:
        task = session.scalar(select(Task).where(Task.number == number, Task.list_kind == "institution"))
        return {
            "leads": [d.name for d in task.departments("lead")],
            "due": task.due_date.isoformat() if task.due_date else None,
            "awaiting": task.awaiting_assignment,
        }


def test_the_office_edits_the_workbook_and_the_import_applies_them_settling_what_was_corrected(migrated, tmp_path):
    path = write_plan(tmp_path)
    _import(migrated, path)  # the document first: its doubts are stored
    workbook = tmp_path / "预览.xlsx"
    write_preview_workbook(workbook, preview_paths(migrated, [path]))
    _edit(workbook, S.TASKS, "1", {"牵头单位": "市生态环境局"})  # corrected
    _edit(workbook, S.TASKS, "2", {"完成期限": "2024年9月底"})  # an edit nobody doubted
    # task 3 (a collective to pick from) is left as it is

    result = _import(migrated, workbook)
    assert result.doubts == 2
    assert _task(migrated, "1")["leads"] == ["市生态环境局"]
    assert _task(migrated, "2")["due"] == "2024-09-30"
    assert _task(migrated, "3")["awaiting"]
    with make_sessionmaker(migrated)() as session:
        doubts = {d.task.number: d for d in session.scalars(select(ImportDoubt))}
    assert doubts["1"].status == DoubtStatus.CORRECTED and str(workbook) in doubts["1"].note
    assert doubts["3"].status == doubts["4"].status == DoubtStatus.OPEN
    assert len(doubts) == 3  # nothing doubled


def test_a_workbook_never_imported_before_keeps_only_the_doubts_the_office_left(migrated, tmp_path):
    workbook = tmp_path / "预览.xlsx"
    write_preview_workbook(workbook, preview_paths(migrated, [write_plan(tmp_path)]))
    _edit(workbook, S.TASKS, "1", {"牵头单位": "市生态环境局"})
    _edit(workbook, S.TASKS, "2", {S.DOUBTS: "【完成期限】请核实是否每年考核"})  # the office adds one
    _import(migrated, workbook)
    assert sorted((field, text) for _type, field, _message, text in _open_doubts(migrated)) == [
        ("deadline", ""),
        ("leads", "各相关部门"),
        ("leads", "有关县市区人民政府"),
    ]


def test_an_exported_ledger_imported_again_keeps_its_open_doubts_open(migrated, tmp_path):
    _import(migrated, write_plan(tmp_path))
    with transaction(migrated) as session:
        export_ledger(session, tmp_path / "台账.xlsx")
    before = _open_doubts(migrated)
    _import(migrated, tmp_path / "台账.xlsx")
    assert _open_doubts(migrated) == before and len(before) == 3


def test_carried_doubts_are_open_unless_their_field_changed_or_their_line_was_deleted():
    kept, corrected, confirmed = (
        Doubt("leads", "未识别的单位「市环保厅」", "市环保厅"),
        Doubt("deadline", "相对期限，请确认", "省出台文件后2个月"),
        Doubt("target", "目标值无法识别", "≥60 ≥40"),
    )
    row = {"牵头单位": "市环保厅", "完成期限": "省出台文件后2个月", "目标值": "≥60 ≥40"}
    cells = S.doubt_cells(S.INDICATORS, row, [kept, corrected, confirmed])
    assert cells[S.DOUBTS].splitlines() == [S.doubt_line(kept), S.doubt_line(corrected), S.doubt_line(confirmed)]

    read = {
        **{k: str(v) for k, v in row.items()},
        "完成期限": "2024年底",  # no 完成期限 column on the indicator sheet: the change is not seen
        S.DOUBTS: "\n".join([S.doubt_line(kept), S.doubt_line(corrected), "【单位】请核实单位"]),
        S.DOUBT_RECORD: cells[S.DOUBT_RECORD],
    }
    assert S.carried_doubts(S.INDICATORS, read) == [kept, corrected, Doubt("unit", "请核实单位")]

    read["牵头单位"] = "市生态环境局"
    assert S.carried_doubts(S.INDICATORS, read) == [corrected, Doubt("unit", "请核实单位")]

    read[S.DOUBT_RECORD] = "{edited"  # a damaged copy: every listed line stays open, nothing is lost
    assert [d.field for d in S.carried_doubts(S.INDICATORS, read)] == ["leads", "deadline", "unit"]

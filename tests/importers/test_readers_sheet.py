"""Spreadsheets with the publisher's own headers (.xlsx, .csv), built with openpyxl."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from wufei.importers.readers.sheet import is_ledger, read_sheet
from wufei.importers.records import ImportError_
from wufei.importers.service import read_source

TITLE = "衡水市“无废城市”建设重点任务分工方案"
HEADER = ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"]
ROWS = [
    ["1", "建立工作机制", "市生态环境局", "市发展改革委", "2023年底前"],
    ["2", "完善考核办法", "市生态环境局", "市财政局", "2024年6月底前"],
    ["3", "开展宣传教育", "市委宣传部", "市教育局", "持续推进"],
]


def _workbook(path: Path, header: list[str] = HEADER) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "任务分工"
    sheet.append([TITLE])
    sheet.merge_cells("A1:E1")
    sheet.append(header)
    for row in ROWS:
        sheet.append(row)
    sheet["C4"] = None
    sheet.merge_cells("C3:C4")  # one lead for tasks 1 and 2
    sheet["F2"] = "合计"
    sheet["F3"] = "=1+1"  # a formula saved without its value (openpyxl never computes one)
    book.save(path)
    return path


def test_a_publisher_workbook_becomes_a_table_with_its_title_and_merged_cells_filled(tmp_path):
    document = read_sheet(_workbook(tmp_path / "分工表.xlsx"))
    [table] = document.tables
    assert table.caption == [TITLE] and TITLE in document.lines
    assert table.header == HEADER + ["合计"]
    assert [row.cells[:5] for row in table.rows] == ROWS
    assert [row.where for row in table.rows] == [
        "工作表「任务分工」第3行",
        "工作表「任务分工」第4行",
        "工作表「任务分工」第5行",
    ]
    formula, merged = document.doubts
    assert "F3" in formula.message and formula.text == "=1+1"
    assert merged.message == "工作表「任务分工」C3:C4 是合并单元格：第4行的该列已按首格「市生态环境局」填入，请核对"
    assert merged.text == "市生态环境局"  # the title merged across A1:E1 is no data: no doubt


# Headers the interpreter reads today (the grammar branch teaches it 重点任务 / 牵头单位 / 配合单位).
OWNER_HEADER = ["序号", "任务名称", "责任单位", "配合单位", "完成期限"]


def test_a_publisher_workbook_imports_as_a_plan_with_tasks_owners_and_deadlines(tmp_path):
    [plan] = read_source(_workbook(tmp_path / "分工表.xlsx", OWNER_HEADER)).plans
    assert plan.title == TITLE and plan.jurisdiction == "衡水市"
    assert [(t.number, t.title, t.deadline_raw) for t in plan.tasks] == [(r[0], r[1], r[4]) for r in ROWS]
    assert plan.tasks[1].where == "工作表「任务分工」第4行"
    assert any("F3" in d.message for d in plan.doubts)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_a_csv_in_any_encoding_excel_writes_is_read(encoding, tmp_path):
    path = tmp_path / f"{TITLE}.csv"
    text = "\r\n".join(",".join(row) for row in [HEADER, *ROWS]) + "\r\n"
    path.write_bytes(text.encode(encoding))
    assert not is_ledger(path)
    [plan] = read_source(path).plans
    assert [(t.title, t.leads, t.supporting, t.deadline_raw) for t in plan.tasks] == [
        (r[1], (r[2],), (r[3],), r[4]) for r in ROWS
    ]


def test_the_ledger_workbook_still_goes_to_the_ledger_reader(tmp_path):
    from wufei.exporters.ledger import write_template

    path = tmp_path / "导入模板.xlsx"
    write_template(path)
    assert is_ledger(path)


@pytest.mark.parametrize(
    "content", [b"", b"PK\x03\x04not a workbook", b"plain text"], ids=["empty", "broken-zip", "text"]
)
def test_a_corrupt_workbook_is_refused_in_chinese_naming_the_file(content, tmp_path):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(content)
    with pytest.raises(ImportError_, match="台账.xlsx.*无法打开 Excel 文件"):
        read_source(path)

"""Old Excel (.xls), WPS (.et) and OpenDocument (.ods) spreadsheets through LibreOffice Calc: real
files saved by LibreOffice from workbooks built with openpyxl, read as a publisher's table or as
wufei's own import workbook.

Backend-independent (run once, in the SQLite pass): what these prove is the reading, LibreOffice's
conversion and the records it gives, the same whichever database. The one test that imports into a
database imports the import workbook, whose records it first proves equal to the .xlsx's; the .xlsx
is imported on both databases by tests/exporters/test_ledger.py (the template as an example plan)."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from tests.importers.render import convert
from tests.importers.same_records import assert_same_records
from wufei.db import transaction
from wufei.departments.registry import Registry
from wufei.exporters.ledger import write_template
from wufei.importers.records import ImportError_
from wufei.importers.service import load_source, read_source

pytestmark = pytest.mark.backend_independent  # see the module's docstring

TITLE = "石家庄市“无废城市”建设重点任务分工方案"
# Headers the interpreter reads today (the grammar branch teaches it 重点任务 / 牵头单位 / 配合单位).
HEADER = ["序号", "任务名称", "责任单位", "配合单位", "完成期限"]
ROWS = [
    ["1", "建立工作机制", "市生态环境局", "市发展改革委", "2023年底前"],
    ["2", "完善考核办法", "市生态环境局", "市财政局", "2024年6月底前"],
    ["3", "开展宣传教育", "市委宣传部", "市教育局", "持续推进"],
]


def _publisher_xlsx(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "任务分工"
    sheet.append([TITLE])
    sheet.merge_cells("A1:E1")
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    sheet["C4"] = None
    sheet.merge_cells("C3:C4")  # one lead for tasks 1 and 2
    book.save(path)
    return path


@pytest.fixture(scope="module")
def publisher_xls(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("xls")
    return convert(_publisher_xlsx(folder / "任务分工表.xlsx"), "xls", folder)


@pytest.fixture(scope="module")
def publisher_plan(publisher_xls):
    """The .xls read once (through LibreOffice) for the tests that look at its records; none changes them."""
    [plan] = read_source(publisher_xls).plans
    return plan


def test_an_old_excel_file_of_a_publisher_imports_as_a_plan(publisher_xls, publisher_plan):
    assert publisher_xls.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"  # Excel 97-2003 (an OLE compound file)
    plan = publisher_plan
    assert plan.title == TITLE and plan.format == "xls" and plan.path == str(publisher_xls)
    assert [(t.number, t.title, t.leads, t.supporting, t.deadline_raw) for t in plan.tasks] == [
        (r[0], r[1], ("市生态环境局",) if r[0] == "2" else (r[2],), (r[3],), r[4]) for r in ROWS
    ]  # the merged lead cell filled for task 2
    assert plan.tasks[1].where == "工作表「任务分工」第4行"


def test_the_same_table_saved_as_xls_gives_the_records_of_the_xlsx(publisher_plan, tmp_path):
    expected = read_source(_publisher_xlsx(tmp_path / "任务分工表.xlsx")).plans[0]
    assert_same_records(expected, publisher_plan)


def test_a_wps_spreadsheet_is_read_like_an_old_excel_file(publisher_xls, tmp_path):
    """WPS Spreadsheets saves .et in Excel's binary format; LibreOffice opens it as Excel 97."""
    et = tmp_path / "任务分工表.et"
    shutil.copyfile(publisher_xls, et)
    [plan] = read_source(et).plans
    assert plan.format == "et" and len(plan.tasks) == 3


def test_a_web_page_a_system_exported_under_the_xls_name_gives_the_records_of_the_xlsx(tmp_path):
    """导出Excel in many office systems writes an HTML table named .xls; LibreOffice opens it as Excel does."""
    cells = "".join(f"<td>{c}</td>" for c in HEADER)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in ROWS)
    page = (
        '<html><head><meta charset="gb2312"></head><body><table>'
        f'<tr><td colspan="5">{TITLE}</td></tr><tr>{cells}</tr>{body}</table></body></html>'
    )
    exported = tmp_path / "任务分工导出.xls"
    exported.write_bytes(page.encode("gb18030"))
    [plan] = read_source(exported).plans
    assert plan.format == "xls" and plan.title == TITLE
    assert [(t.number, t.title, t.leads, t.supporting, t.deadline_raw) for t in plan.tasks] == [
        (r[0], r[1], (r[2],), (r[3],), r[4]) for r in ROWS
    ]


def test_an_opendocument_spreadsheet_gives_the_records_of_the_xlsx(tmp_path):
    """LibreOffice's and WPS's own format (.ods), converted like .xls."""
    xlsx = _publisher_xlsx(tmp_path / "任务分工表.xlsx")
    ods = convert(xlsx, "ods", tmp_path / "ods")
    assert ods.suffix == ".ods" and ods.read_bytes()[:2] == b"PK"
    [plan] = read_source(ods).plans
    assert plan.format == "ods" and plan.path == str(ods)
    assert_same_records(read_source(xlsx).plans[0], plan)


def test_the_import_workbook_saved_as_xls_is_read_as_the_import_workbook(fresh_engine, tmp_path):
    """The .xls is read once (LibreOffice converting it) and what was read is loaded as import_paths
    loads it: import_paths only adds reading the file with read_source, proven here for .xls, and it
    imports the .xlsx template in tests/exporters/test_ledger.py."""
    from wufei import migrate

    template = tmp_path / "导入模板.xlsx"
    write_template(template)
    xls = convert(template, "xls", tmp_path / "old")
    source = read_source(xls)
    [plan] = source.plans
    assert plan.format == "workbook" and plan.path == str(xls)
    assert_same_records(read_source(template).plans[0], plan)
    migrate.upgrade(fresh_engine)
    with transaction(fresh_engine) as session:
        [summary], _ = load_source(session, source, registry=Registry.load(), actor="import", path=str(xls))
    assert summary.counts["tasks"] == 2


def test_without_libreoffice_an_xls_file_is_refused_saying_what_to_do(publisher_xls, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    with pytest.raises(ImportError_) as error:
        read_source(publisher_xls)
    message = str(error.value)
    assert "任务分工表.xls" in message and "需要 LibreOffice" in message and "另存为 .xlsx" in message


@pytest.mark.parametrize("content", [b"", b"\xd0\xcf\x11\xe0 not a workbook at all" * 3], ids=["empty", "garbage"])
def test_an_unreadable_xls_is_refused_naming_the_file(content, tmp_path):
    path = tmp_path / "坏表格.xls"
    path.write_bytes(content)
    with pytest.raises(ImportError_) as error:
        read_source(path)
    assert error.value.path == str(path) and "坏表格.xls" in str(error.value)
    assert "wufei-convert" not in str(error.value)  # never the temporary copy's name

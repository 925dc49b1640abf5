"""The weekly Excel form: written for a department and week, filled in, read back all or nothing."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests.reports.conftest import W23, at
from tests.rules import CADENCE
from wufei.reports.form import COLUMNS, FormError, import_weekly_form, write_weekly_form
from wufei.reports.models import Report
from wufei.reports.service import review_report, submit_report

W22 = date(2024, 5, 27)
COL = {header: chr(ord("A") + index) for index, header in enumerate(COLUMNS)}


@pytest.fixture
def form(session, hengshui, calendar, cadence, tmp_path):
    path = tmp_path / "生态环境局第23周.xlsx"
    write_weekly_form(
        session,
        path,
        department_id=hengshui.ecology.id,
        week_start=W23,
        as_of=date(2024, 6, 3),
        calendar=calendar,
        cadence=cadence,
    )
    return path


def _rows(path):
    sheet = load_workbook(path)["周报送"]
    header = next(r for r in range(1, 10) if sheet[f"A{r}"].value == "任务编号")
    return sheet, header, {sheet[f"A{r}"].value: r for r in range(header + 1, sheet.max_row + 1)}


def _fill(path, values: dict[tuple[int, str], object]):
    book = load_workbook(path)
    sheet = book["周报送"]
    for (row, header), value in values.items():
        sheet[f"{COL[header]}{row}"] = value
    book.save(path)


def _import(session, path, calendar, cadence, when=None):
    return import_weekly_form(
        session, path, at=when or at(date(2024, 6, 6)), actor="联络员", calendar=calendar, cadence=cadence
    )


def test_the_form_lists_the_open_tasks_the_department_leads_under_a_header_naming_it(session, hengshui, form):
    sheet, header, rows = _rows(form)
    assert "市生态环境局" in sheet["A1"].value and "2024年第23周" in sheet["A1"].value
    assert "2024年6月7日（星期五）17:00" in sheet["A2"].value
    assert [sheet.cell(row=header, column=i + 1).value for i in range(9)] == [
        "任务编号",
        "方案",
        "清单/序号",
        "任务名称",
        "完成期限",
        "本周进度(%)",
        "本周完成情况",
        "存在问题",
        "下步计划",
    ]
    assert set(rows) == {t.id for t in hengshui.led_by_ecology()}
    row = rows[hengshui.task.id]
    assert sheet[f"B{row}"].value == "衡政办字〔2022〕57号"
    assert sheet[f"C{row}"].value == "监管体系 3"
    assert sheet[f"D{row}"].value == hengshui.task.title
    assert "2025-12-31" in sheet[f"E{row}"].value
    assert sheet[f"F{row}"].value is None
    assert sheet.protection.sheet and sheet[f"A{row}"].protection.locked and not sheet[f"F{row}"].protection.locked


def test_the_form_is_prefilled_with_the_last_answers_but_not_the_progress(
    session, hengshui, calendar, cadence, tmp_path
):
    submit_report(
        session,
        task_id=hengshui.task.id,
        department_id=hengshui.ecology.id,
        week_start=W22,
        progress=35,
        done_text="审查项目2个",
        problems="人手不足",
        next_steps="加快审查",
        at=at(date(2024, 5, 29)),
        actor="联络员",
        calendar=calendar,
        cadence=cadence,
    )
    path = tmp_path / "f.xlsx"
    write_weekly_form(
        session,
        path,
        department_id=hengshui.ecology.id,
        week_start=W23,
        as_of=date(2024, 6, 3),
        calendar=calendar,
        cadence=cadence,
    )
    sheet, _, rows = _rows(path)
    row = rows[hengshui.task.id]
    assert [sheet[f"{c}{row}"].value for c in "FGHI"] == [None, "审查项目2个", "人手不足", "加快审查"]
    assert sheet[f"J{row}"].value == "2024年第22周 35%（待审核）"


def test_rows_with_a_progress_are_filed_and_the_others_are_not(session, hengshui, calendar, cadence, form):
    _, _, rows = _rows(form)
    _fill(
        form,
        {
            (rows[hengshui.task.id], "本周进度(%)"): 60,
            (rows[hengshui.task.id], "本周完成情况"): "审批3项",
            (rows[hengshui.other.id], "本周进度(%)"): "75%",
        },
    )
    reports = _import(session, form, calendar, cadence)
    assert {(r.task_id, r.progress, r.done_text) for r in reports} == {
        (hengshui.task.id, 60, "审批3项"),
        (hengshui.other.id, 75, None),
    }
    assert all(r.week_start == W23 and r.department_id == hengshui.ecology.id and not r.late for r in reports)


def test_importing_the_same_form_twice_files_nothing_the_second_time(session, hengshui, calendar, cadence, form):
    _, _, rows = _rows(form)
    _fill(form, {(rows[hengshui.task.id], "本周进度(%)"): 60})
    assert len(_import(session, form, calendar, cadence)) == 1
    assert _import(session, form, calendar, cadence, when=at(date(2024, 6, 7))) == []
    assert len(list(session.scalars(select(Report)))) == 1


def test_a_changed_row_for_a_week_already_filed_is_an_error(session, hengshui, calendar, cadence, form):
    _, _header, rows = _rows(form)
    row = rows[hengshui.task.id]
    _fill(form, {(row, "本周进度(%)"): 60})
    _import(session, form, calendar, cadence)
    _fill(form, {(row, "本周进度(%)"): 65})
    with pytest.raises(FormError, match=rf"第{row}行 F列：本周进度\(%\)所在任务本周已报送（第1版，待审核）"):
        _import(session, form, calendar, cadence)


def test_every_bad_row_is_named_by_row_column_and_text_and_nothing_is_written(
    session, hengshui, calendar, cadence, form
):
    sheet, _header, rows = _rows(form)
    good, bad_progress, long_text = rows[hengshui.task.id], rows[hengshui.other.id], sorted(rows.values())[-1]
    last = sheet.max_row
    _fill(
        form,
        {
            (good, "本周进度(%)"): 50,
            (bad_progress, "本周进度(%)"): 120,
            (long_text, "本周进度(%)"): 10,
            (long_text, "存在问题"): "难" * 2001,
            (last + 1, "任务编号"): 999999,
            (last + 1, "本周进度(%)"): 10,
            (last + 2, "任务编号"): hengshui.foreign.id,
            (last + 2, "本周进度(%)"): 10,
            (last + 3, "任务编号"): "十二",
            (last + 3, "本周进度(%)"): 10,
        },
    )
    with pytest.raises(FormError) as caught:
        _import(session, form, calendar, cadence)
    errors = {(row, column): message for row, column, message in caught.value.errors}
    assert (
        errors[(bad_progress, "F")].startswith("本周进度(%)应为 0 到 100 的整数")
        and "「120」" in errors[(bad_progress, "F")]
    )
    assert "超过上限2000字" in errors[(long_text, "H")]
    assert "找不到" in errors[(last + 1, "A")] and "「999999」" in errors[(last + 1, "A")]
    assert "不由市生态环境局牵头" in errors[(last + 2, "A")]
    assert "「十二」" in errors[(last + 3, "A")]
    assert len(errors) == 5
    message = str(caught.value)
    assert "有5处错误，未写入任何内容" in message and f"第{bad_progress}行 F列" in message
    assert session.scalars(select(Report)).first() is None


def test_changed_text_without_a_progress_is_an_error_so_nothing_is_lost(session, hengshui, calendar, cadence, form):
    _, _, rows = _rows(form)
    row = rows[hengshui.task.id]
    _fill(form, {(row, "下步计划"): "下周完成验收"})
    with pytest.raises(FormError, match=rf"第{row}行 F列：本周进度\(%\)为空，但本行文字已修改"):
        _import(session, form, calendar, cadence)


def test_a_duplicated_task_row_is_an_error(session, hengshui, calendar, cadence, form):
    sheet, _, rows = _rows(form)
    last = sheet.max_row
    _fill(
        form,
        {
            (rows[hengshui.task.id], "本周进度(%)"): 50,
            (last + 1, "任务编号"): hengshui.task.id,
            (last + 1, "本周进度(%)"): 55,
        },
    )
    with pytest.raises(FormError, match=rf"第{last + 1}行 A列：任务编号与第{rows[hengshui.task.id]}行重复"):
        _import(session, form, calendar, cadence)


def test_a_returned_report_is_refiled_from_the_form(session, hengshui, calendar, cadence, tmp_path):
    report = submit_report(
        session,
        task_id=hengshui.task.id,
        department_id=hengshui.ecology.id,
        week_start=W23,
        progress=40,
        done_text="审批",
        problems=None,
        next_steps=None,
        at=at(date(2024, 6, 4)),
        actor="联络员",
        calendar=calendar,
        cadence=cadence,
    )
    review_report(
        session,
        report_id=report.id,
        accept=False,
        reason="数据有误",
        actor="办公室",
        at=at(date(2024, 6, 5)),
        cadence=CADENCE,
    )
    path = tmp_path / "f.xlsx"
    write_weekly_form(
        session,
        path,
        department_id=hengshui.ecology.id,
        week_start=W23,
        as_of=date(2024, 6, 5),
        calendar=calendar,
        cadence=cadence,
    )
    sheet, _, rows = _rows(path)
    row = rows[hengshui.task.id]
    assert "已退回（数据有误）" in sheet[f"J{row}"].value and sheet[f"F{row}"].value is None
    _fill(path, {(row, "本周进度(%)"): 42})
    [refiled] = _import(session, path, calendar, cadence)
    assert (refiled.version, refiled.progress) == (2, 42)


def test_a_workbook_that_is_not_a_weekly_form_is_refused(session, calendar, cadence, tmp_path):
    other = tmp_path / "台账.xlsx"
    from openpyxl import Workbook

    Workbook().save(other)
    with pytest.raises(FormError, match="不是本系统生成的周报表"):
        _import(session, other, calendar, cadence)
    text = tmp_path / "x.xlsx"
    text.write_text("not excel")
    with pytest.raises(FormError, match="无法读取表格：文件可能已损坏或不是 .xlsx 格式") as error:
        _import(session, text, calendar, cadence)
    assert "BadZipFile" not in str(error.value) and "not a zip" not in str(error.value)  # openpyxl's, to the log

"""The 指标填报表: prefilled with last period's value, read back all rows or none."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests.rules import CADENCE
from wufei.indicators.form import COLUMNS, SHEET, IndicatorFormError, import_indicator_form, write_indicator_form
from wufei.indicators.models import IndicatorReport
from wufei.indicators.reporting import indicator_label, latest_version, review_value, submit_value

COL = {header: chr(ord("A") + index) for index, header in enumerate(COLUMNS)}
AT = datetime.combine(date(2024, 7, 20), time(10), ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def form(session, rules, hengshui_indicators, tmp_path):
    h = hengshui_indicators
    submit_value(
        session,
        indicator_id=h.reuse.id,
        department_id=h.ecology.id,
        period="2024-Q1",
        value="55.5",
        source="市统计局",
        caliber="规上工业企业",
        at=AT,
        actor="eco",
        rules=rules,
        cadence=CADENCE,
    )
    path = tmp_path / "指标填报表.xlsx"
    write_indicator_form(session, path, department_id=h.ecology.id, as_of=date(2024, 7, 20), rules=rules)
    return path


def _rows(path):
    book = load_workbook(path)
    sheet = book[SHEET]
    return book, sheet, {sheet[f"A{r}"].value: r for r in range(5, sheet.max_row + 1)}


def test_form_lists_the_departments_indicators_prefilled(form, hengshui_indicators):
    h = hengshui_indicators
    _, sheet, rows = _rows(form)
    reuse, intensity = rows[h.reuse.id], rows[h.intensity.id]
    assert sheet[f"{COL['报送期']}{reuse}"].value == "2024-Q2"
    assert sheet[f"{COL['上期数值']}{reuse}"].value == "2024年第1季度：55.5"
    assert (sheet[f"{COL['数据来源']}{reuse}"].value, sheet[f"{COL['统计口径']}{reuse}"].value) == (
        "市统计局",
        "规上工业企业",
    )
    assert sheet[f"{COL['报送期']}{intensity}"].value == "2023"
    assert sheet[f"{COL['报送频次']}{intensity}"].value == "每年"


def test_filled_rows_are_filed_and_blank_rows_skipped(session, rules, form, hengshui_indicators):
    h = hengshui_indicators
    book, sheet, rows = _rows(form)
    sheet[f"{COL['本期数值']}{rows[h.reuse.id]}"] = "57.1%"
    sheet[f"{COL['本期数值']}{rows[h.intensity.id]}"] = 0.45
    book.save(form)
    filed = import_indicator_form(session, form, at=AT, actor="eco", rules=rules, cadence=CADENCE).filed
    assert sorted((r.indicator_id, r.period, r.value_raw) for r in filed) == sorted(
        [(h.reuse.id, "2024-Q2", "57.1%"), (h.intensity.id, "2023", "0.45")]
    )
    assert next(r for r in filed if r.indicator_id == h.reuse.id).source == "市统计局"


def test_errors_name_row_and_column_and_nothing_is_written(session, rules, form, hengshui_indicators):
    h = hengshui_indicators
    book, sheet, rows = _rows(form)
    sheet[f"{COL['本期数值']}{rows[h.intensity.id]}"] = 0.45  # good on its own
    sheet[f"{COL['本期数值']}{rows[h.reuse.id]}"] = "五十七"
    book.save(form)
    with pytest.raises(IndicatorFormError) as caught:
        import_indicator_form(session, form, at=AT, actor="eco", rules=rules, cadence=CADENCE)
    assert f"第{rows[h.reuse.id]}行 {COL['本期数值']}（本期数值）列：指标数值应为数字：「五十七」" in str(caught.value)

    sheet[f"{COL['本期数值']}{rows[h.reuse.id]}"] = "57"
    sheet[f"{COL['报送期']}{rows[h.reuse.id]}"] = "2024-05"  # not a quarter: refused by the service
    book.save(form)
    with pytest.raises(IndicatorFormError, match=f"第{rows[h.reuse.id]}行 .*每季度报送一次"):
        import_indicator_form(session, form, at=AT, actor="eco", rules=rules, cadence=CADENCE)
    periods = session.scalars(select(IndicatorReport.period)).all()
    assert periods == ["2024-Q1"]  # the fixture's value only: the good row was not kept


def _file(session, rules, h, indicator, period: str, value: str) -> IndicatorReport:
    return submit_value(
        session,
        indicator_id=indicator.id,
        department_id=h.ecology.id,
        period=period,
        value=value,
        at=AT,
        actor="eco",
        rules=rules,
        cadence=CADENCE,
    )


def test_the_form_offers_only_periods_still_owed(session, rules, hengshui_indicators, tmp_path):
    """Review23a: the form offered periods already accepted, and the upload then refused the whole file."""
    h = hengshui_indicators
    quarter = _file(session, rules, h, h.reuse, "2024-Q2", "57")
    review_value(session, report_id=quarter.id, accept=True, reason=None, actor="office", at=AT, cadence=CADENCE)
    _file(session, rules, h, h.intensity, "2023", "0.45")  # waiting for the office
    _file(session, rules, h, h.intensity, "2024", "0.44")  # the current year as well: nothing owed

    path = tmp_path / "form.xlsx"
    write_indicator_form(session, path, department_id=h.ecology.id, as_of=date(2024, 7, 20), rules=rules)
    _, sheet, rows = _rows(path)
    assert sheet[f"{COL['报送期']}{rows[h.reuse.id]}"].value == "2024-Q3"  # Q2 accepted: the current quarter
    assert h.intensity.id not in rows  # 2023 waiting, 2024 filed too

    returned = latest_version(session, h.intensity.id, "2023")
    review_value(
        session, report_id=returned.id, accept=False, reason="口径不符", actor="office", at=AT, cadence=CADENCE
    )
    write_indicator_form(session, path, department_id=h.ecology.id, as_of=date(2024, 7, 20), rules=rules)
    _, sheet, rows = _rows(path)
    assert sheet[f"{COL['报送期']}{rows[h.intensity.id]}"].value == "2023"  # returned: owed again


def test_a_row_repeating_a_filed_value_is_skipped_with_a_note_and_the_others_filed(
    session, rules, form, hengshui_indicators
):
    h = hengshui_indicators
    book, sheet, rows = _rows(form)  # downloaded before the values below were filed
    quarter = _file(session, rules, h, h.reuse, "2024-Q2", "57")
    review_value(session, report_id=quarter.id, accept=True, reason=None, actor="office", at=AT, cadence=CADENCE)
    sheet[f"{COL['本期数值']}{rows[h.reuse.id]}"] = "57"  # the accepted value again
    sheet[f"{COL['本期数值']}{rows[h.intensity.id]}"] = 0.45
    book.save(form)

    imported = import_indicator_form(session, form, at=AT, actor="eco", rules=rules, cadence=CADENCE)
    assert [(r.indicator_id, r.period) for r in imported.filed] == [(h.intensity.id, "2023")]
    assert imported.skipped == [
        f"第{rows[h.reuse.id]}行：指标 {indicator_label(h.reuse)} 2024年第2季度的数值57已报送（已采纳），"
        "与表中相同，已跳过"
    ]

    sheet[f"{COL['本期数值']}{rows[h.reuse.id]}"] = "58"  # a different value still needs the office's return
    sheet[f"{COL['本期数值']}{rows[h.intensity.id]}"] = None
    book.save(form)
    with pytest.raises(IndicatorFormError, match="不能重复报送"):
        import_indicator_form(session, form, at=AT, actor="eco", rules=rules, cadence=CADENCE)

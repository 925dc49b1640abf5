"""The 指标填报表: a department's indicators in one workbook, prefilled with the last period's values,
source and 口径; read back all rows or none, each error naming its row and column."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from wufei.audit.service import jsonable
from wufei.cadence import periods
from wufei.cadence.config import CadenceConfig
from wufei.chinese import chinese_date
from wufei.departments.models import Department
from wufei.indicators import trajectory as rules_
from wufei.indicators.models import Indicator, IndicatorDepartment, IndicatorReport, IndicatorReportStatus
from wufei.indicators.reporting import (
    STATUS_NAMES,
    IndicatorReportError,
    filed_periods,
    indicator_label,
    latest_version,
    parse_value,
    submit_value,
)
from wufei.indicators.trajectory import TrackingRules
from wufei.tasks.models import Role

log = logging.getLogger(__name__)

SHEET, META = "指标填报", "_wufei"
ID, NAME, UNIT, TARGET, FREQUENCY = "指标编号", "指标名称", "单位", "目标值", "报送频次"
PERIOD, LAST, VALUE, SOURCE, CALIBER, NOTE = "报送期", "上期数值", "本期数值", "数据来源", "统计口径", "说明"
COLUMNS = [ID, NAME, UNIT, TARGET, FREQUENCY, PERIOD, LAST, VALUE, SOURCE, CALIBER, NOTE]
EDITABLE = {VALUE, SOURCE, CALIBER, NOTE}
WIDTHS = {ID: 9, NAME: 30, UNIT: 8, TARGET: 12, FREQUENCY: 9, PERIOD: 14, LAST: 18, VALUE: 12}
HEADER_ROW = 4
_INPUT = PatternFill("solid", fgColor="FFF2CC")
_HEAD = PatternFill("solid", fgColor="D9E1F2")


class IndicatorFormError(IndicatorReportError):
    """A form with bad cells; `errors` lists each as (row, column letter, message)."""

    def __init__(self, path: Path, errors: list[tuple[int, str, str]]):
        self.path, self.errors = path, errors
        lines = "\n".join(f"  第{r}行 {c}列：{m}" if r else f"  {m}" for r, c, m in errors)
        super().__init__(f"指标填报表「{path.name}」有{len(errors)}处错误，未写入任何内容：\n{lines}")


def _owned(session: Session, department_id: int) -> list[Indicator]:
    led = select(IndicatorDepartment.indicator_id).where(
        IndicatorDepartment.department_id == department_id, IndicatorDepartment.role == Role.LEAD
    )
    query = select(Indicator).where(Indicator.id.in_(led)).options(selectinload(Indicator.values))
    return list(session.scalars(query.order_by(Indicator.plan_id, Indicator.id)))


def _last_reports(session: Session, indicator_ids: list[int]) -> dict[int, IndicatorReport]:
    """indicator id → its latest value not returned (by period, then version)."""
    latest: dict[int, IndicatorReport] = {}
    if not indicator_ids:
        return latest
    query = (
        select(IndicatorReport)
        .where(IndicatorReport.indicator_id.in_(indicator_ids))
        .where(IndicatorReport.status != IndicatorReportStatus.RETURNED)
        .order_by(IndicatorReport.period_end, IndicatorReport.version)
    )
    for report in session.scalars(query):
        latest[report.indicator_id] = report
    return latest


def write_indicator_form(session: Session, path: Path, *, department_id: int, as_of: date, rules: TrackingRules) -> int:
    """The form for one department on `as_of`: each indicator it leads with a period still owed
    (trajectory.owed_period: a period waiting or accepted is not offered again). Returns the number of rows."""
    department = session.get(Department, department_id)
    if department is None:
        raise IndicatorReportError(f"找不到部门 {department_id}")
    indicators = _owned(session, department_id)
    last = _last_reports(session, [i.id for i in indicators])
    filed = filed_periods(session, [i.id for i in indicators])
    owed = {
        i.id: period
        for i in indicators
        if (period := rules_.owed_period(rules.frequency_of(i.name), as_of, rules, filed.get(i.id, ()))) is not None
    }
    indicators = [i for i in indicators if i.id in owed]  # every period up to now filed: nothing to offer
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet["A1"] = f"{department.name} 无废城市建设指标填报表"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = (
        f"生成日期：{chinese_date(as_of)}；报送期按各指标的报送频次给出，报送期限为报送期结束后规定天数内；"
        "已报送（待审核或已采纳）的报送期不再列出"
    )
    sheet["A3"] = (
        "填写说明：只改黄色栏目。填了“本期数值”的行即为报送（数字，可带%）；留空表示本次不报送该指标。"
        "请勿改动指标编号和报送期。"
    )
    for cell in ("A1", "A2", "A3"):
        sheet.merge_cells(f"{cell}:{get_column_letter(len(COLUMNS))}{cell[1:]}")
    sheet["A3"].alignment = Alignment(wrap_text=True)
    for index, header in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=header)
        cell.font, cell.fill = Font(bold=True), _HEAD
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(header, 20)
    for offset, indicator in enumerate(indicators):
        frequency = rules.frequency_of(indicator.name)
        period = owed[indicator.id]
        previous = last.get(indicator.id)
        imported = max((v for v in indicator.values if v.value is not None), key=lambda v: v.year, default=None)
        if previous is not None:
            last_text = f"{periods.parse(previous.period).chinese}：{previous.value_raw}"
        elif imported is not None:
            last_text = f"{imported.year}年：{jsonable(imported.value)}"
        else:
            last_text = None
        values = {
            ID: indicator.id,
            NAME: indicator.name,
            UNIT: indicator.unit,
            TARGET: indicator.target_raw,
            FREQUENCY: rules_.FREQUENCY_NAMES[frequency],
            PERIOD: period.label,
            LAST: last_text,
            VALUE: None,
            SOURCE: previous.source if previous else indicator.data_source,
            CALIBER: previous.caliber if previous else None,
            NOTE: None,
        }
        for index, header in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=HEADER_ROW + 1 + offset, column=index, value=values[header])
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if header in EDITABLE:
                cell.protection, cell.fill = Protection(locked=False), _INPUT
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=COLUMNS.index(VALUE) + 1)
    sheet.protection.sheet = True  # no password: the locked columns guard against slips, not people
    meta = book.create_sheet(META)
    meta.append(["department_id", department.id])
    meta.append(["department", department.name])
    meta.sheet_state = "hidden"
    book.save(path)
    return len(indicators)


@dataclass
class ImportedForm:
    filed: list[IndicatorReport]
    skipped: list[str]  # rows repeating a value filed already, each named by its row


@dataclass
class _Row:
    line: int
    indicator_id: int
    period: str
    value: Any
    texts: dict[str, str | None]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def import_indicator_form(
    session: Session,
    path: Path,
    *,
    at: datetime,
    actor: str,
    rules: TrackingRules,
    cadence: CadenceConfig,
    department_id: int | None = None,
) -> ImportedForm:
    """File one value per row with 本期数值. Every row is checked first; any error writes nothing.
    A row repeating the value filed already for its period (waiting or accepted) is skipped, each named.
    `department_id`: the department uploading it (the portal); a form of another one is refused."""
    path = Path(path)
    try:
        book = load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        log.info("openpyxl cannot open %s: %r", path, exc)  # its English to the log, not to the uploader
        raise IndicatorFormError(path, [(0, "", "无法读取表格：文件可能已损坏或不是 .xlsx 格式")]) from exc
    if SHEET not in book.sheetnames or META not in book.sheetnames:
        raise IndicatorFormError(
            path, [(0, "", f"不是本系统生成的指标填报表（缺少工作表「{SHEET}」），请用 wufei template indicators 生成")]
        )
    meta = {row[0]: row[1] for row in book[META].iter_rows(min_row=1, max_row=2, max_col=2, values_only=True)}
    department = session.get(Department, int(meta.get("department_id") or 0))
    if department is None:
        raise IndicatorFormError(path, [(0, "", f"表中的部门 {meta.get('department')} 在系统中不存在")])
    if department_id is not None and department.id != department_id:
        raise IndicatorFormError(path, [(0, "", f"这是「{department.name}」的指标填报表，本部门不能上传")])
    sheet = book[SHEET]
    headers = [_text(c.value) for c in sheet[HEADER_ROW]]
    missing = [h for h in (ID, PERIOD, VALUE, SOURCE, CALIBER, NOTE) if h not in headers]
    if missing:
        raise IndicatorFormError(path, [(HEADER_ROW, "", f"表头缺少列：{'、'.join(missing)}")])
    column = {h: headers.index(h) + 1 for h in COLUMNS if h in headers}
    errors: list[tuple[int, str, str]] = []
    rows: list[_Row] = []
    for line in range(HEADER_ROW + 1, sheet.max_row + 1):

        def cell(header: str, line: int = line) -> Any:
            return sheet.cell(row=line, column=column[header]).value

        def bad(header: str, message: str, line: int = line) -> None:
            errors.append((line, f"{get_column_letter(column[header])}（{header}）", message))

        raw_value = _text(cell(VALUE))
        if raw_value is None:
            continue
        try:
            indicator_id = int(str(cell(ID)).strip())
        except ValueError:
            bad(ID, f"指标编号应为数字：「{cell(ID)}」")
            continue
        try:
            parse_value(raw_value)
        except IndicatorReportError as exc:
            bad(VALUE, str(exc))
        texts = {"source": _text(cell(SOURCE)), "caliber": _text(cell(CALIBER)), "note": _text(cell(NOTE))}
        rows.append(_Row(line, indicator_id, _text(cell(PERIOD)) or "", raw_value, texts))
    if errors:
        raise IndicatorFormError(path, errors)
    # Every row goes through the service in its own savepoint so each refusal is reported; any
    # refusal rolls back the savepoint around them all, so nothing is written.
    filed: list[IndicatorReport] = []
    skipped: list[str] = []
    whole = session.begin_nested()
    for row in rows:
        same = _filed_alike(session, row, rules)
        if same is not None:
            skipped.append(f"第{row.line}行：{same}")
            continue
        try:
            with session.begin_nested():
                filed.append(
                    submit_value(
                        session,
                        indicator_id=row.indicator_id,
                        department_id=department.id,
                        period=row.period,
                        value=row.value,
                        at=at,
                        actor=actor,
                        rules=rules,
                        cadence=cadence,
                        source=row.texts["source"],
                        caliber=row.texts["caliber"],
                        note=row.texts["note"],
                    )
                )
        except IndicatorReportError as exc:
            errors.append((row.line, f"{get_column_letter(column[VALUE])}（{VALUE}）", str(exc)))
    if errors:
        whole.rollback()
        raise IndicatorFormError(path, errors)
    whole.commit()
    return ImportedForm(filed, skipped)


def _filed_alike(session: Session, row: _Row, rules: TrackingRules) -> str | None:
    """Why the row is skipped when its period's value is filed already (waiting or accepted) and the
    row repeats it (a form downloaded before the value was filed); None otherwise, and a different
    value is left to the service, which refuses it."""
    indicator = session.get(Indicator, row.indicator_id)
    if indicator is None:
        return None
    try:
        period = rules_.period_of(rules.frequency_of(indicator.name), row.period)
    except (rules_.TrackingError, periods.PeriodError):
        return None
    latest = latest_version(session, indicator.id, period.label)
    if latest is None or latest.status == IndicatorReportStatus.RETURNED or latest.value != parse_value(row.value)[0]:
        return None
    state = STATUS_NAMES[IndicatorReportStatus(latest.status)]
    value = latest.value_raw
    return f"指标 {indicator_label(indicator)} {period.chinese}的数值{value}已报送（{state}），与表中相同，已跳过"

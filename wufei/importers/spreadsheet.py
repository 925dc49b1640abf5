"""Reading the ledger workbook (.xlsx) or one of its sheets (.csv) into records.

Errors name the file, sheet, row and column with the offending text; the
whole file is rejected (the caller writes nothing).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from wufei.departments.owners import split_names
from wufei.importers import sheet_schema as S
from wufei.importers.records import (
    CellRecord,
    Doubt,
    ImportError_,
    IndicatorRecord,
    ListKind,
    ParsedPlan,
    PlanKind,
    TaskRecord,
)
from wufei.importers.text.normalize import normalize_cell

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class DepartmentRow:
    jurisdiction: str
    name: str
    kind: str | None
    aliases: tuple[str, ...]
    parent: str | None
    line: int


@dataclass
class Workbook:
    plans: list[ParsedPlan] = field(default_factory=list)
    departments: list[DepartmentRow] = field(default_factory=list)


# (sheet, line, header) → the merged range a cell's value was copied from, e.g. "C2:C3"
Merged = dict[tuple[str, int, str], str]


def read_workbook(path: Path) -> Workbook:
    sheets = _read_sheets(path)
    merged = _fill_merged(path, sheets) if path.suffix.lower() in (".xlsx", ".xlsm") else {}
    reader = _Reader(str(path))
    for row in _rows(sheets, S.PLANS, str(path), merged):
        reader.plan_from_row(row)
    for sheet, handler in (
        (S.TASKS, reader.task),
        (S.PROJECTS, reader.project),
        (S.INDICATORS, reader.indicator),
        (S.CELLS, reader.cell),
    ):
        for row in _rows(sheets, sheet, str(path), merged):
            handler(row)
    workbook = Workbook(plans=reader.plans)
    for row in _rows(sheets, S.DEPARTMENTS, str(path)):
        workbook.departments.append(
            DepartmentRow(
                jurisdiction=row.required("地区"),
                name=row.required("名称"),
                kind=row.get("类型"),
                aliases=S.split_names(row.get("别名")),
                parent=row.get("上级单位"),
                line=row.line,
            )
        )
    return workbook


def _read_sheets(path: Path) -> dict[str, pd.DataFrame]:
    import pandas as pd  # here: pandas costs a command that reads no workbook half a second

    try:
        if path.suffix.lower() == ".csv":
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
            return {_sheet_of_csv(path, frame): frame}
        frames = pd.read_excel(path, sheet_name=None, dtype=str, keep_default_na=False)
    except (ValueError, OSError, UnicodeDecodeError) as exc:
        log.info("pandas cannot read %s: %s", path, exc)
        raise ImportError_(str(path), "无法读取表格，文件可能已损坏或格式不符") from exc
    known = {name: frame for name, frame in frames.items() if name in S.COLUMNS}
    if not known:
        raise ImportError_(str(path), f"没有可识别的工作表，应为：{'、'.join(S.COLUMNS)}", text="、".join(frames))
    return known


def _fill_merged(path: Path, sheets: dict[str, pd.DataFrame]) -> Merged:
    """A cell merged down over several rows (a 牵头单位 shared by two tasks) is read by pandas in
    its first row only: the rows under it would have no lead and no warning. Each such cell gets
    the anchor's value, and the fill is returned, to become a doubt on the row's field."""
    import openpyxl

    filled: Merged = {}
    workbook = openpyxl.load_workbook(path, data_only=True)
    try:
        for name, frame in sheets.items():
            sheet = workbook[name]
            headers = {cell.column: str(cell.value).strip() for cell in sheet[1] if cell.value is not None}
            for merged in sheet.merged_cells.ranges:
                header = headers.get(merged.min_col)
                if merged.min_col != merged.max_col or merged.min_row < 2 or merged.max_row == merged.min_row:
                    continue  # across columns, or the header row: not a value shared by rows
                if header is None or header not in frame.columns or merged.min_row - 2 >= len(frame):
                    continue
                anchor = frame.at[merged.min_row - 2, header]
                for line in range(merged.min_row + 1, min(merged.max_row, len(frame) + 1) + 1):
                    if not str(frame.at[line - 2, header]).strip() and str(anchor).strip():
                        frame.at[line - 2, header] = anchor
                        filled[(name, line, header)] = merged.coord
    finally:
        workbook.close()
    return filled


def _sheet_of_csv(path: Path, frame: pd.DataFrame) -> str:
    """A CSV holds one sheet: recognise it by its required headers."""
    headers = {str(c).strip() for c in frame.columns}
    for sheet, marker in (
        (S.PROJECTS, "项目名称"),
        (S.TASKS, "任务名称"),
        (S.INDICATORS, "三级指标"),
        (S.CELLS, "类别"),
        (S.PLANS, "方案名称"),
        (S.DEPARTMENTS, "名称"),
    ):
        if marker in headers:
            return sheet
    raise ImportError_(
        str(path),
        "无法识别CSV表头（应包含 任务名称、项目名称、三级指标、类别 或 方案名称）",
        line=1,
        text="，".join(sorted(headers)),
    )


class _Row:
    def __init__(self, path: str, sheet: str, line: int, values: dict[str, str], merged: dict[str, str] | None = None):
        self.path, self.sheet, self.line, self.values = path, sheet, line, values
        self.merged = merged or {}  # header → the merged range its value was copied from

    def get(self, header: str) -> str | None:
        return normalize_cell(self.values.get(header))

    def required(self, header: str) -> str:
        value = self.get(header)
        if value is None:
            raise self.error(header, f"{header}不能为空")
        return value

    def integer(self, header: str) -> int | None:
        value = self.get(header)
        if value is None:
            return None
        try:
            return int(float(value))
        except ValueError:
            raise self.error(header, f"{header}应为整数", value) from None

    def doubts(self) -> list[Doubt]:
        """The doubts the row still carries from a preview or an export (its 待确认 columns), and
        one for each value copied from a merged cell above it."""
        fields = {column: field for field, columns in S.DOUBT_COLUMNS.get(self.sheet, {}).items() for column in columns}
        copied = [
            Doubt(
                fields.get(header, "record"),
                f"{header}取自合并单元格 {cells} 的首格（工作表「{self.sheet}」第{self.line}行），请核对",
                self.get(header),
            )
            for header, cells in self.merged.items()
        ]
        return S.carried_doubts(self.sheet, self.values) + copied

    def error(self, header: str, message: str, text: str | None = None) -> ImportError_:
        return ImportError_(self.path, message, line=self.line, cell=f"工作表「{self.sheet}」{header}列", text=text)


def _rows(sheets: dict[str, pd.DataFrame], sheet: str, path: str, merged: Merged | None = None):
    frame = sheets.get(sheet)
    if frame is None:
        return
    frame = frame.rename(columns=lambda c: str(c).strip())
    unknown = [c for c in frame.columns if c not in S.COLUMNS[sheet] and not c.startswith("Unnamed")]
    if unknown:
        raise ImportError_(path, f"工作表「{sheet}」有无法识别的列", line=1, text="、".join(unknown))
    copies: dict[int, dict[str, str]] = {}  # line → header → merged range
    for (name, at, header), cells in (merged or {}).items():
        if name == sheet:
            copies.setdefault(at, {})[header] = cells
    for index, record in enumerate(frame.to_dict("records")):
        values = {k: str(v) for k, v in record.items() if k in S.COLUMNS[sheet]}
        line = index + 2  # row 1 holds the headers
        if any(v.strip() for v in values.values()):
            yield _Row(path, sheet, line, values, copies.get(line))


_OBSERVED = re.compile(r"(\d{4})\s*年?\s*[:：]\s*([^；;]+)")


class _Reader:
    def __init__(self, path: str):
        self.path = path
        self.plans: list[ParsedPlan] = []
        self._by_ref: dict[str, ParsedPlan] = {}  # by document number and by title

    def plan_from_row(self, row: _Row) -> None:
        kind_name = row.get("类型") or "方案"
        if kind_name not in S.PLAN_KINDS:
            raise row.error("类型", "类型应为 方案 / 评估 / 进展", kind_name)
        plan = ParsedPlan(
            path=self.path,
            title=row.required("方案名称"),
            jurisdiction=row.required("地区"),
            kind=S.PLAN_KINDS[kind_name],
            doc_number=row.get("文号"),
            issuer=row.get("印发单位"),
            issued_on=_date(row, "印发日期"),
            period_start=row.integer("起始年"),
            period_end=row.integer("截止年"),
            cells_planned_total=row.integer("无废细胞计划数"),
            cells_built_total=row.integer("无废细胞建成数"),
            complete=False,
            doubts=row.doubts(),
            format="workbook",
        )
        self.plans.append(plan)
        for key in filter(None, (plan.doc_number, plan.title)):
            self._by_ref[key] = plan

    def _plan(self, row: _Row) -> ParsedPlan:
        ref = row.required("方案")
        if ref not in self._by_ref:
            # Named but not described here: the loader finds it in the database.
            plan = ParsedPlan(
                path=self.path,
                title=ref,
                jurisdiction=None,
                kind=PlanKind.PLAN,
                plan_fields_known=False,
                complete=False,
                format="workbook",
            )
            if re.search(r"〔\d{4}〕\d+号$", ref):
                plan.doc_number = ref
            self.plans.append(plan)
            self._by_ref[ref] = plan
        return self._by_ref[ref]

    def task(self, row: _Row) -> None:
        list_name = row.get("清单") or S.LIST_NAMES[ListKind.MAIN]
        if list_name not in S.LIST_KINDS or S.LIST_KINDS[list_name] == ListKind.PROJECT:
            raise row.error("清单", "清单应为 主要任务/制度体系/技术体系/市场体系/监管体系", list_name)
        self._plan(row).tasks.append(
            TaskRecord(
                list_kind=S.LIST_KINDS[list_name],
                number=row.required("序号"),
                title=row.required("任务名称"),
                line=row.line,
                list_name=row.get("分组"),
                category=row.get("任务类别"),
                content=row.get("主要内容"),
                owners_raw=row.get("责任原文"),
                deadline_raw=row.get("完成期限"),
                implementers_raw=row.get("落实原文"),
                implementers=split_names(row.get("落实单位") or "") or None,
                status=row.get("完成情况"),
                doubts=row.doubts(),
                **_owner_columns(row),
            )
        )

    def project(self, row: _Row) -> None:
        self._plan(row).tasks.append(
            TaskRecord(
                list_kind=ListKind.PROJECT,
                number=row.required("序号"),
                title=row.required("项目名称"),
                line=row.line,
                list_name=row.get("分组"),
                category=row.get("任务类别"),
                content=row.get("主要内容"),
                owners_raw=row.get("责任原文"),
                responsible_entity=row.get("责任主体"),
                deadline_raw=row.get("完成期限"),
                status=row.get("完成情况"),
                doubts=row.doubts(),
                **_owner_columns(row),
            )
        )

    def indicator(self, row: _Row) -> None:
        observed = {int(y): v.strip() for y, v in _OBSERVED.findall(row.get("实际值") or "")}
        if row.get("实际值") and not observed:
            raise row.error("实际值", "实际值应写成 2022年：43；2023年：50", row.get("实际值"))
        attribute = row.get("指标属性")
        if attribute and attribute not in ("约束性", "预期性"):
            raise row.error("指标属性", "指标属性应为 约束性 或 预期性", attribute)
        self._plan(row).indicators.append(
            IndicatorRecord(
                number=row.required("序号"),
                name=row.required("三级指标"),
                line=row.line,
                level1=row.get("一级指标"),
                level2=row.get("二级指标"),
                marks=row.get("标识") or "",
                category=row.get("指标类型"),
                baseline_raw=row.get("现状值"),
                baseline_year_default=row.integer("现状值年份"),
                target_raw=row.get("目标值"),
                target_year=row.integer("目标年份"),
                unit=row.get("单位"),
                data_source=row.get("数据来源"),
                owners_raw=row.get("责任原文"),
                attribute_raw=attribute,
                definition=row.get("指标解释"),
                observed=observed,
                forecast_raw=row.get("预计完成情况"),
                doubts=row.doubts(),
                **_owner_columns(row),
            )
        )

    def cell(self, row: _Row) -> None:
        self._plan(row).cells.append(
            CellRecord(
                number=row.get("序号") or str(row.line - 1),
                category=row.required("类别"),
                count_raw=row.required("数量"),
                line=row.line,
                status=row.get("推进情况"),
                lead_raw=row.get("牵头部门"),
                doubts=row.doubts(),
            )
        )


class _Owners(TypedDict):
    leads: tuple[str, ...] | None
    supporting: tuple[str, ...] | None


def _owner_columns(row: _Row) -> _Owners:
    """Owner columns win; when both are empty the loader reads 责任原文 instead. Names are split as
    owner texts are, so a collective such as 各县（市、区）政府、开发区管委会 stays one name."""
    leads, supporting = split_names(row.get("牵头单位") or ""), split_names(row.get("配合单位") or "")
    if not leads and not supporting:
        return {"leads": None, "supporting": None}
    return {"leads": leads, "supporting": supporting}


def _date(row: _Row, header: str) -> date | None:
    value = row.get(header)
    if value is None:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise row.error(header, f"{header}应写成 2022-10-07", value) from None

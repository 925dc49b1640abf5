"""Plain records produced by every importer (text documents, spreadsheets).

Parsers only recognise layout and keep the source text; the rule modules
(deadline, target, owner parsing) and the loader turn these into domain rows.
Every record carries the 1-based line (text) or row (sheet) it came from so
errors and warnings can point at it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# Their home is next to their models; the importers name them from here.
from wufei.plans.models import PlanKind as PlanKind
from wufei.tasks.models import ListKind as ListKind


@dataclass(frozen=True)
class Doubt:
    """Something in a readable file a person must confirm before it is trusted.

    Nothing uncertain is guessed silently: an owner nobody recognises, a deadline relative to
    another document, a target that is not a number, a column nobody understood. The record
    keeps what was understood; the doubt names the field, says what is wrong in Chinese and
    quotes the text. It is shown in the preview and, once imported, stays open (待确认) until
    someone decides it.
    """

    field: str  # a DOUBT_FIELDS key
    message: str  # Chinese, for the office
    text: str | None = None  # the offending source text

    def as_dict(self) -> dict[str, str | None]:
        return {
            "field": self.field,
            "field_cn": DOUBT_FIELDS.get(self.field, self.field),
            "message": self.message,
            "text": self.text,
        }


# Fields a doubt can be about, with the Chinese name a person reads.
DOUBT_FIELDS: dict[str, str] = {
    "title": "名称",
    "leads": "牵头单位",
    "supporting": "配合单位",
    "implementers": "落实单位",
    "deadline": "完成期限",
    "status": "完成情况",
    "baseline": "现状值",
    "target": "目标值",
    "unit": "单位",
    "count": "数量",
    "column": "表格列",
    "table": "表格",
    "jurisdiction": "地区",
    "period": "规划期",
    "record": "记录",
}


class ImportError_(Exception):
    """A fatal problem in an input file: nothing from the file is written."""

    def __init__(
        self, path: str, message: str, *, line: int | None = None, cell: str | None = None, text: str | None = None
    ):
        self.path = path
        self.message = message
        self.line = line
        self.cell = cell
        self.text = text
        where = path
        if line is not None:
            where += f" 第{line}行"
        if cell:
            where += f" {cell}"
        detail = f"：「{text}」" if text else ""
        super().__init__(f"{where}：{message}{detail}")


@dataclass
class TaskRecord:
    list_kind: ListKind
    number: str  # number within its list, as printed or derived ("1", "3.2")
    title: str
    line: int
    list_name: str | None = None  # e.g. 制度体系, or the body section heading
    category: str | None = None  # 任务类别
    content: str | None = None  # 主要内容
    owners_raw: str | None = None  # 责任主体 / 责任部门 / 〔牵头部门…〕 / （…按职责分工负责）
    responsible_entity: str | None = None  # company (责任主体) of a project
    implementers_raw: str | None = None  # 各市政府、雄安新区管委会 负责落实
    deadline_raw: str | None = None  # as printed; None when the list has no deadline column
    # The deadlines of a task's parts printed apart (one row per unit), each with whose part it is (市商务局：
    # 2025年6月底前): the task is due with the latest, those before it are its milestones.
    part_deadlines: tuple[str, ...] = ()
    # Spreadsheets name owners in columns; when given they win over owners_raw.
    leads: tuple[str, ...] | None = None
    supporting: tuple[str, ...] | None = None
    implementers: tuple[str, ...] | None = None
    where: str | None = None  # how a person finds it when `line` is not a text line: 第3页, 表2第5行
    # Where the task stands by the ledger it came from (完成情况 / 进展情况 / 办理状态): 已完成, 进度80%, 滞后.
    status: str | None = None
    doubts: list[Doubt] = field(default_factory=list)


@dataclass
class IndicatorRecord:
    number: str  # as printed; a row sharing its number keeps it ("10")
    name: str  # 三级指标 without marks
    line: int
    level1: str | None = None
    level2: str | None = None
    marks: str = ""  # any of ★※△✦ in the printed order
    baseline_raw: str | None = None  # 现状值 with its year if printed: "15（2021年）"
    baseline_year_default: int | None = None  # year from the column header: 现状值（2020年）
    target_raw: str | None = None
    target_year: int | None = None  # from the column header: 目标值（2025年）
    unit: str | None = None
    data_source: str | None = None
    owners_raw: str | None = None  # 责任部门 / 责任分工
    attribute_raw: str | None = None  # 约束性 / 预期性
    definition: str | None = None  # from 指标解释说明
    category: str | None = None  # 指标类型 in evaluations
    # Observed values printed with the indicator (evaluations): year -> raw text.
    observed: dict[int, str] = field(default_factory=dict)
    forecast_raw: str | None = None  # 可以完成 / 存在不确定性
    # Targets printed beside the final one (2023年目标 beside 2025年目标, 省级指标值): header -> raw text.
    other_targets: dict[str, str] = field(default_factory=dict)
    leads: tuple[str, ...] | None = None
    supporting: tuple[str, ...] | None = None
    where: str | None = None
    doubts: list[Doubt] = field(default_factory=list)


@dataclass
class CellRecord:
    """A 无废细胞 category with its count."""

    number: str
    category: str  # 无废学校
    count_raw: str  # 30所
    line: int
    status: str | None = None  # 已完成 / 持续推进中
    lead_raw: str | None = None
    where: str | None = None
    doubts: list[Doubt] = field(default_factory=list)


@dataclass
class ParsedPlan:
    path: str
    title: str
    jurisdiction: str | None  # 衡水市 / 保定市 / 河北省, as named in the document
    kind: PlanKind = PlanKind.PLAN
    doc_number: str | None = None  # 衡政办字〔2022〕57号
    issuer: str | None = None
    issued_on: date | None = None
    period_start: int | None = None  # 2021 for a 十四五 plan
    period_end: int | None = None  # 2025
    tasks: list[TaskRecord] = field(default_factory=list)
    indicators: list[IndicatorRecord] = field(default_factory=list)
    cells: list[CellRecord] = field(default_factory=list)
    cells_planned_total: int | None = None
    cells_built_total: int | None = None
    warnings: list[str] = field(default_factory=list)
    # Doubts about the plan as a whole (its place, its period, a column nobody understood).
    doubts: list[Doubt] = field(default_factory=list)
    format: str = "text"  # the Document format it was read from, or "workbook"
    # A published document speaks for the whole plan: records it no longer lists are removed.
    # A spreadsheet only adds and updates, so a sheet of a few rows cannot wipe a plan.
    complete: bool = True
    # A spreadsheet row may name a plan without describing it: then the plan's own fields
    # are left as they are in the database.
    plan_fields_known: bool = True

"""Publisher layouts of a record set, as an abstract page (paragraphs and one grid with its merges) and the
records a person reads in it (in the corpus's expected-record shape, so bench/fidelity.py scores them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tests.importers.layouts.records import IndicatorRecord, RecordSet, TaskRecord

# A task cell holds its heading, then sentences of content (no owners, dates or numbers in them).
CONTENT = (
    "加强统筹协调，细化工作措施，形成工作合力。",
    "建立健全工作台账，定期调度工作进展。",
    "强化督促检查，推动各项措施落到实处。",
)
GROUPS = ("制度体系建设", "基础设施建设", "市场体系建设", "监管体系建设", "宣传引导", "保障措施")
GROUP_SIZE = 3
CHINESE = "一二三四五六七八九十"
INTRO = "为认真贯彻落实上级决策部署，确保各项工作任务落到实处，现将重点任务分解如下。"
CLOSING = "各责任单位要按照任务分工，明确责任人和时间表，每季度末向牵头单位报送工作进展情况。"


@dataclass
class Grid:
    """A table: every grid position's text (a merged cell's text at its anchor, None under it), the merges
    (first row, first column, last row, last column; inclusive), the header rows below any title rows."""

    cells: list[list[str | None]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    title_rows: int = 0
    header_rows: int = 1
    # Formats without pages (web page, spreadsheet) print the header again every this many data rows, as
    # a table pasted from a paged document does; Word marks the header to repeat on each page instead.
    typed_repeat: int | None = None

    @property
    def width(self) -> int:
        return len(self.cells[0])


@dataclass
class Page:
    title: str
    blocks: list[str | Grid]  # paragraphs (a "\n" inside is a line break) and the grid, in order

    @property
    def grid(self) -> Grid | None:
        return next((b for b in self.blocks if isinstance(b, Grid)), None)


@dataclass(frozen=True)
class Layout:
    name: str
    kind: str  # tasks | prose | indicators: which record sets it takes
    describe: str
    build: Callable[[RecordSet], tuple[Page, dict[str, list[dict[str, Any]]]]]


# --------------------------------------------------------------------------- records as read


def _task(record: TaskRecord, *, deadline: tuple[str, date | None] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"title": record.title, "leads": list(record.leads), "supporting": list(record.supporting)}
    if deadline is not None:
        out["deadline"], out["due"] = deadline
    return out


def _indicator(record: IndicatorRecord, *, unit: bool = True, printed_unit: bool = False) -> dict[str, Any]:
    """`unit`: whether the layout states the unit apart (column or brackets) so it is scored; `printed_unit`:
    the unit printed after each value, which then is part of the value as printed."""
    suffix = record.unit if printed_unit and record.unit else ""
    out: dict[str, Any] = {"name": record.name}
    if unit:
        out["unit"] = record.unit
    if record.baseline is not None:
        out["baseline"] = _with_unit(record.baseline, suffix)
    out["target"] = _with_unit(record.target, suffix)
    return out


def _with_unit(value: str | None, unit: str) -> str | None:
    if value is None or not unit or not value[-1:].isdigit():
        return value
    return value + unit


# Deadlines in the forms publishers write them (the record's own deadline is kept when it has one).
def deadline_forms(year: int) -> list[tuple[str, date | None]]:
    return [
        (f"{year}年6月底前", date(year, 6, 30)),
        (f"{year}年底前", date(year, 12, 31)),
        (f"{year}年9月", date(year, 9, 30)),
        ("长期坚持", None),
        (f"{year}年12月31日前", date(year, 12, 31)),
        (f"{year}年上半年", date(year, 6, 30)),
        (f"{year}年11月30日", date(year, 11, 30)),
        ("持续推进", None),
        (f"{year}—{year + 1}年", date(year + 1, 12, 31)),
        (f"{year}年第三季度", date(year, 9, 30)),
    ]


def _deadline(records: RecordSet, k: int) -> tuple[str, date | None]:
    record = records.tasks[k]
    if record.deadline is not None:
        return record.deadline, record.due
    forms = deadline_forms(records.year)
    return forms[k % len(forms)]


def _content(k: int, sentences: int = 1) -> str:
    return "".join(CONTENT[(k + j) % len(CONTENT)] for j in range(sentences))


def _names(names: tuple[str, ...], sep: str = "、") -> str:
    return sep.join(names)


def _owners_one_cell(record: TaskRecord, sep: str = "；") -> str:
    parts = []
    if record.leads:
        parts.append("牵头单位：" + _names(record.leads))
    if record.supporting:
        parts.append("配合单位：" + _names(record.supporting))
    return sep.join(parts)


def _group(k: int) -> str:
    return GROUPS[(k // GROUP_SIZE) % len(GROUPS)]


# --------------------------------------------------------------------------- task tables


def _task_table(
    records: RecordSet,
    *,
    number: bool = True,
    one_owner_column: bool = False,
    groups: bool = False,
    title_row: bool = False,
    deadline: bool = False,
    multiline: bool = False,
    sentences: int = 1,
    two_row_header: bool = False,
    typed_repeat: int | None = None,
) -> tuple[Page, dict[str, list[dict[str, Any]]]]:
    header: list[str] = []
    if number:
        header.append("序号")
    if groups:
        header.append("领域")
    header.append("重点任务")
    header += ["责任单位"] if one_owner_column else ["牵头单位", "配合单位"]
    if deadline:
        header.append("完成时限")
    width = len(header)
    cells: list[list[str | None]] = []
    merges: list[tuple[int, int, int, int]] = []
    if title_row:
        cells.append([records.title + "重点任务分工表"] + [None] * (width - 1))
        merges.append((0, 0, 0, width - 1))
    if two_row_header:
        top = [h if h not in ("牵头单位", "配合单位") else "责任单位" for h in header]
        cells.append(top)
        cells.append([None if h not in ("牵头单位", "配合单位") else h for h in header])
        at = len(cells) - 2
        for c, h in enumerate(header):
            if h == "牵头单位":
                merges.append((at, c, at, c + 1))
                cells[at][c + 1] = None
            elif h not in ("配合单位",):
                merges.append((at, c, at + 1, c))
    else:
        cells.append(list(header))
    first_data = len(cells)
    expected = []
    for k, record in enumerate(records.tasks):
        row: list[str | None] = []
        if number:
            row.append(str(k + 1))
        if groups:
            row.append(_group(k) if k % GROUP_SIZE == 0 else None)
        body = _content(k, sentences)
        row.append(f"{record.title}。\n{body}" if multiline else f"{record.title}。{body}")
        if one_owner_column:
            row.append(_owners_one_cell(record, "\n" if multiline else "；") or None)
        else:
            sep = "\n" if multiline else "、"
            row += [_names(record.leads, sep) or None, _names(record.supporting, sep) or None]
        due = None
        if deadline:
            due = _deadline(records, k)
            row.append(due[0])
        cells.append(row)
        expected.append(_task(record, deadline=due))
    if groups:
        column = header.index("领域")
        for start in range(0, len(records.tasks), GROUP_SIZE):
            last = min(start + GROUP_SIZE, len(records.tasks)) - 1
            if last > start:
                merges.append((first_data + start, column, first_data + last, column))
    grid = Grid(
        cells,
        merges,
        title_rows=1 if title_row else 0,
        header_rows=2 if two_row_header else 1,
        typed_repeat=typed_repeat,
    )
    page = Page(records.title, [records.title, INTRO, grid, CLOSING])
    return page, {"tasks": expected}


# --------------------------------------------------------------------------- prose


def _prose(records: RecordSet, style: str) -> tuple[Page, dict[str, list[dict[str, Any]]]]:
    blocks: list[str | Grid] = [records.title, INTRO]
    expected = []
    for k, record in enumerate(records.tasks):
        if k % GROUP_SIZE == 0:
            blocks.append(f"（{CHINESE[(k // GROUP_SIZE) % len(CHINESE)]}）{_group(k)}")
        text = f"{k + 1}.{record.title}。{_content(k)}"
        if style == "brackets":
            owners = _owners_one_cell(record)
            blocks.append(text + (f"（{owners}）" if owners else ""))
        elif style == "owner_lines":
            blocks.append(text)
            if record.leads:
                blocks.append("牵头单位：" + _names(record.leads))
            if record.supporting:
                blocks.append("配合单位：" + _names(record.supporting))
        else:  # a trailing clause: （A、B牵头，C、D配合）
            parts = []
            if record.leads:
                parts.append(_names(record.leads) + "牵头")
            if record.supporting:
                parts.append(_names(record.supporting) + "配合")
            blocks.append(text.removesuffix("。") + ("。（" + "，".join(parts) + "）" if parts else "。"))
        expected.append(_task(record))
    blocks.append(CLOSING)
    return Page(records.title, blocks), {"tasks": expected}


# --------------------------------------------------------------------------- indicator tables


def _indicator_table(records: RecordSet, unit_style: str) -> tuple[Page, dict[str, list[dict[str, Any]]]]:
    with_baseline = any(i.baseline is not None for i in records.indicators)
    header = ["序号", "指标名称"]
    if unit_style == "column":
        header.append("单位")
    if with_baseline:
        header.append("基期值")
    header.append("目标值")
    cells: list[list[str | None]] = [header]
    expected = []
    for k, record in enumerate(records.indicators):
        name = record.name
        if unit_style == "brackets" and record.unit:
            name = f"{name}（{record.unit}）"
        row: list[str | None] = [str(k + 1), name]
        if unit_style == "column":
            row.append(record.unit)
        printed = unit_style == "after_value"
        if with_baseline:
            row.append(_with_unit(record.baseline, record.unit or "") if printed else record.baseline)
        row.append(_with_unit(record.target, record.unit or "") if printed else record.target)
        cells.append(row)
        expected.append(_indicator(record, unit=not printed, printed_unit=printed))
    page = Page(records.title, [records.title, "主要指标如下表。", Grid(cells), CLOSING])
    return page, {"indicators": expected}


LAYOUTS: list[Layout] = [
    Layout("two_columns", "tasks", "序号 | 重点任务 | 牵头单位 | 配合单位", _task_table),
    Layout(
        "one_owner_column",
        "tasks",
        "责任单位 cell: 牵头单位：X；配合单位：Y",
        lambda r: _task_table(r, one_owner_column=True),
    ),
    Layout("no_number", "tasks", "no 序号 column", lambda r: _task_table(r, number=False)),
    Layout("groups", "tasks", "领域 merged down its tasks", lambda r: _task_table(r, groups=True)),
    Layout("title_row", "tasks", "a title row merged across the table", lambda r: _task_table(r, title_row=True)),
    Layout(
        "two_row_header",
        "tasks",
        "责任单位 over 牵头单位 | 配合单位",
        lambda r: _task_table(r, two_row_header=True, title_row=True),
    ),
    Layout(
        "repeated_header",
        "tasks",
        "long rows over pages, header repeated on each",
        lambda r: _task_table(r, sentences=6, typed_repeat=8),
    ),
    Layout(
        "multiline",
        "tasks",
        "line breaks in cells: heading / content, one unit per line",
        lambda r: _task_table(r, one_owner_column=True, multiline=True),
    ),
    Layout("deadlines", "tasks", "a 完成时限 column, dates in several forms", lambda r: _task_table(r, deadline=True)),
    Layout(
        "groups_deadlines",
        "tasks",
        "领域 merged, 完成时限, multi-line owners",
        lambda r: _task_table(r, groups=True, deadline=True, multiline=True, title_row=True),
    ),
    Layout("prose_brackets", "prose", "（一）1.…（牵头单位：X；配合单位：Y）", lambda r: _prose(r, "brackets")),
    Layout("prose_owner_lines", "prose", "1.… then 牵头单位：/配合单位： lines", lambda r: _prose(r, "owner_lines")),
    Layout("prose_trailing", "prose", "1.…。（X牵头，Y配合）", lambda r: _prose(r, "trailing")),
    Layout("unit_column", "indicators", "a 单位 column", lambda r: _indicator_table(r, "column")),
    Layout("unit_in_name", "indicators", "指标名称（单位）", lambda r: _indicator_table(r, "brackets")),
    Layout("unit_after_value", "indicators", "values with their unit", lambda r: _indicator_table(r, "after_value")),
]
LAYOUT_BY_NAME = {layout.name: layout for layout in LAYOUTS}

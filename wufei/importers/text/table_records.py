"""Turn tables found in a document into indicator, task and cell records.

A table is recognised by what its header says (`wufei.importers.headers`), not by column order
or the seeds' words: an indicator name with a baseline, a target or year columns is an indicator
table, with 指标说明 a definition table, a task name with owners or a deadline a task list (a
project list when it also names a responsible company), 类别 with 数量 a table of 无废细胞.

Decisions:
- Owner columns: a lead column (牵头单位, 责任单位 standing alone) and a supporting column (配合/协办/
  参与/参加/协助单位, 责任单位 beside a lead column) are read into leads and supporting; a combined
  column (责任部门, 责任主体) keeps its text for the owner grammar.
- Several target columns (2023年目标 and 2025年目标, 目标值 beside 省级指标值): the target of the
  latest year is the indicator's target; the others are kept on the record (`other_targets`,
  label → text) for the preview. Year-only columns (2020年 / 2025年): the earliest is the
  baseline when there is no baseline column, the others targets.
- A column nobody understood, or a second column of a role already taken, is a plan-level doubt
  naming the table and the header text; in a task table its text is kept in the content.
- A table whose header is not understood but which holds data is a plan-level doubt too.
- The task's text is its task column, else its content column, else a target column (序号 /
  2022年预期目标 / 责任单位: each target a task of its owners); a number printed at the start of
  the cell (57.务实开展…) is the task's number. Rows repeating a spanning task cell with the same
  owners and deadline are one task, their other cells its content.
- A header cell spanning two columns (指标名称 over a group and a name) gives the group and the
  name; beside targets of its parts, the whole area's target column (全省目标值) is the target; a
  unit in brackets after an indicator's name is its unit when none is printed for it.
- Content over vocabulary: a column whose header nobody understood gets the role its cells show
  (`column_content`): numbers 1, 2, 3 the number, lists of units the owners (a first such column
  leads, a second supports), dates and periods the deadline, figures beside an indicator's name the
  target, the longest texts the task and a shorter spanning text column before it their group. Each
  such reading is a plan-level doubt naming the column. A box of labels and values (索引号 / 发布日期)
  holds no numbered texts and stays a table nobody understood.
- A task cell spanning rows that each carry their own owners or deadline and their own content
  (重点任务 over 工作措施) names a group: each row is a task titled by its content, the spanning text
  its category.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from itertools import pairwise

from wufei.departments.owners import OwnerSpec, looks_like_unit, parse_owner_columns, parse_owners
from wufei.importers.document import CELLS
from wufei.importers.headers import (
    OWNERS_DEADLINE,
    YEAR,
    column_role,
    column_roles,
    header_key,
    header_year,
    is_header_row,
)
from wufei.importers.records import CellRecord, Doubt, IndicatorRecord, ListKind, TaskRecord
from wufei.importers.text.column_content import NUMBER_SHARE, SHARE, ColumnContent, looks_like_number, profile
from wufei.importers.text.normalize import fold_punct, normalize_cell
from wufei.importers.text.paragraphs import (
    owner_and_deadline,
    split_heading,
    split_trailing_deadline,
    split_trailing_owner,
)
from wufei.importers.text.table_forms import LABEL_MAX, as_form, form_pairs, split_at_header
from wufei.importers.text.tables import Row, Table
from wufei.indicators.units import unit_in_name
from wufei.tasks.deadlines import DeadlineError, parse_deadline

MARKS = "★※△✦"
# Parts of a split name must be this long, so a stray space inside a word is never a split.
MIN_SPLIT_PART = 6
# A sub-item of an indicator on its own line is a word or more: 山区.
MIN_SUB_ITEM = 2
# A line ending like this goes on in the next; a line opening like this finishes the one above.
_UNFINISHED = ("的", "和", "与", "及", "、", "，", ",", "（", "(", "/", "-", "—")
_CONTINUING = ("（", "(", "）", ")", "、", "，", ",", "。", "；", "%", "/")

_DEFINITION_START = re.compile(r"^指标(解释|说明)")
_METHOD_START = re.compile(r"^计算(方法|方式|公式)")
# A space between two names in a list column is a separator when the name before
# it ends like a unit (…局 …委 …政府 …中心); otherwise it is a stray break (工作 领导小组).
_UNIT_END = "局委会部府行社组院处室队办所厅心司"
_UNIT_START = "市省区县各镇乡"
# A printed task or indicator number: 1, 3.2, 10-1, （一）; anything else in the 序号 column heads a section.
_NUMBER = re.compile(r"^(?:\d+(?:[.．\-—]\d+)*|[（(]?[一二三四五六七八九十]+[）)]?)[、.．]?$")
_SECTION_NUMBER = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十]+\s*[）)]|\d+\s*[、])\s*"
)
# Words of a column giving a change beside the value's own column: the value is the baseline or target.
_GROWTH_WORDS = ("增长", "增速", "增幅", "增减", "同比", "比上年", "年均增")
_ATTRIBUTES = ("约束性", "预期性", "引导性", "约束", "预期")
# A header cell spanning a group column and the column it groups: the group's role.
_GROUP_OF = {"name": "level2", "task_name": "category"}
# A target column of the whole area (全省目标值, 全市目标, 全国) beside targets of its parts.
_WHOLE_AREA = re.compile(r"^全(?:省|市|区|县|州|盟|旗|国)")
# A task number printed at the start of the task cell: 57.务实开展… / 3、加强…
_CELL_NUMBER = re.compile(r"^\s*(\d{1,3})\s*[.．、](?!\d)\s*")
# A heading's ordinal (一、 / （一）), which a numbered table's task rows do not carry in their 序号.
_CHAPTER_ORDINAL = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十]+\s*[）)])")
# A whole number where a date belongs (45657): an Excel date serial whose date format a paste or a text
# column lost. Days from 1899-12-30 (Excel's day 0 as it counts), read only within 2000-2099 (36526-73050).
_DATE_SERIAL = re.compile(r"^\s*(\d{5})\s*$")
_SERIAL_DAY_0 = date(1899, 12, 30)
_SERIAL_RANGE = range(36526, 73051)
# A row adding up the rows above it (合计, 小计 after a category, 总计, 合计：3项): no task when it names no owner
# and no deadline (a task called 合计 has both).
_TOTALS = re.compile(r"^(?:合|小|总)\s*计\s*[:：]?\s*(?:[（(]?\s*(?:共\s*)?\d+\s*(?:项|个|条|家|处)?\s*[）)]?)?$")
# A cell holding only a figure (a sum of 万元 in a column read as owners): no owner's name, no deadline.
_FIGURE = re.compile(r"^\s*[\d.,，]+\s*$")
_TOTALS_EMPTY_ROLES = ("entity", "owners", "lead", "supporting", "deadline")  # what a totals row leaves blank

_LIST_KINDS: list[tuple[str, ListKind]] = [
    ("制度体系", ListKind.INSTITUTION),
    ("技术体系", ListKind.TECHNOLOGY),
    ("市场体系", ListKind.MARKET),
    ("监管体系", ListKind.REGULATION),
]

# Roles of context around a task (a person, the problem found, a contact, the progress reported, where it came
# from): kept in its content, never read; a second column of one (进度 per quarter beside 进展情况) is no duplicate.
_CONTEXT_ROLES = {"leader", "problem", "contact", "status", "origin"}
# The roles each kind of record reads; in a task table other columns go into the content.
_TASK_ROLES = {
    "number",
    "task_name",
    "category",
    "content",
    "entity",
    "owners",
    "lead",
    "supporting",
    "deadline",
    "remark",
}
_INDICATOR_ROLES = {
    "number",
    "level1",
    "level2",
    "name",
    "baseline",
    "target",
    "unit",
    "data_source",
    "attribute",
    "definition",
    "owners",
    "lead",
    "supporting",
    "observed",
    "forecast",
    "remark",
    "category",
}


@dataclass
class TableRecords:
    indicators: list[IndicatorRecord] = field(default_factory=list)
    tasks: list[TaskRecord] = field(default_factory=list)
    cells: list[CellRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    doubts: list[Doubt] = field(default_factory=list)  # plan-level: tables and columns nobody understood


@dataclass
class _Columns:
    """Where each role sits in one table, and the years printed in the header."""

    index: dict[str, int]
    header: list[str] = field(default_factory=list)
    baseline_year: int | None = None
    target_year: int | None = None
    other_targets: list[int] = field(default_factory=list)  # columns of targets other than the final one
    observed: list[tuple[int, int]] = field(default_factory=list)  # (column, year)
    unknown: list[int] = field(default_factory=list)  # columns nobody understood
    duplicate: list[int] = field(default_factory=list)  # columns of a role an earlier column has
    unused: list[int] = field(default_factory=list)  # understood, but not read by this kind of table
    more_supporting: list[int] = field(default_factory=list)  # further supporting columns, read with the first
    level_owners: list[int] = field(default_factory=list)  # 市级责任单位 / 县级责任单位 after 省级责任单位
    milestones: dict[int, str] = field(default_factory=dict)  # column -> its period (2025年) under one deadline
    unit_marks: list[int] = field(default_factory=list)  # a responsibility matrix's unit columns (★ / ○ cells)
    mark_roles: dict[str, str] = field(default_factory=dict)  # what the document's legend says each mark means

    def has(self, *roles: str) -> bool:
        return all(role in self.index for role in roles)

    def any(self, *roles: str) -> bool:
        return any(role in self.index for role in roles)


def records_from_tables(
    tables: list[Table], path: str, *, convention: str | None = None, legend: dict[str, str] | None = None
) -> TableRecords:
    """Records of every table; `convention` is the document's owner convention (FIRST_LEADS), `legend` what
    the document says its matrix marks mean (`mark_roles`)."""
    result = TableRecords()
    definition_tables: list[Table] = []
    task_tables: list[list[TaskRecord]] = []
    read_tables: list[tuple[Table, list[TaskRecord]]] = []
    for table in _parts(tables):
        columns = _columns(table.header)
        if _classify(columns) is None and (form := as_form(table)) is not None:
            table, columns = form, _columns(form.header)
        if _classify(columns) is None and (turned := _sideways(table)) is not None:
            table, columns = turned, _columns(turned.header)
        if _classify(columns) is None and _header_is_data(table):
            table = _header_as_row(table)
            columns = _columns(table.header)
        inferred = _by_content(table, columns)
        kind = _classify(columns)
        if kind is None and _tasks_by_content(table, columns, inferred):
            kind = "tasks"
            message = (
                f"{_table_where(table)}的表头未能识别，已按内容读作任务表（任务{len(table.rows)}项），"
                "请核对每项任务及其责任单位、完成期限"
            )
            result.doubts.append(Doubt("table", message, "、".join(text for text in table.header if text)))
        if kind is None:
            _unrecognised(table, path, result)
            continue
        _flag_inferred(table, columns, inferred, result)
        if kind in ("tasks", "projects"):
            _find_unit_marks(table, columns, legend or {})
        _flag_columns(table, columns, kind, result)
        if kind == "indicators":
            result.indicators += _indicators(table, columns, path, result.warnings, convention)
        elif kind == "definitions":
            definition_tables.append(table)
        elif kind in ("projects", "tasks"):
            tasks = _tasks(
                table, columns, path, result.warnings, result.doubts, project=kind == "projects", convention=convention
            )
            task_tables.append(tasks)
            read_tables.append((table, tasks))
        elif kind == "cells":
            result.cells += _cells(table, columns, path, result.warnings)
    for table in definition_tables:
        _attach_definitions(table, result.indicators, path, result.warnings)
    task_tables = _join_by_number(read_tables, result.doubts)
    result.tasks += [task for tasks in task_tables for task in tasks]
    _number_across_tables(task_tables)
    return result


def _join_by_number(read: list[tuple[Table, list[TaskRecord]]], doubts: list[Doubt]) -> list[list[TaskRecord]]:
    """Tables that list the same tasks under the same numbers (a 整改方案's 任务清单 and 责任清单: 序号/整改任务/
    整改措施/整改时限, then 序号/整改任务/牵头单位/配合单位) are one list: each row is joined to the row of the
    table before with its number when the two rows print the same task name, the task taking that name as its
    title and the fields of both. A table before them with the same numbers naming no owner and no deadline
    (the 问题清单) is their context: its cells go into the joined tasks' content."""
    lists = [(table, tasks) for table, tasks in read]
    k = 1
    while k < len(lists):
        (before_table, before), (table, tasks) = lists[k - 1], lists[k]
        names = _shared_names(before_table, before, table, tasks)
        if names is None:
            k += 1
            continue
        for task, other, name in zip(before, tasks, names):
            _join_task(task, other, name)
        message = f"{_table_where(table)}与{_table_where(before_table)}按序号和任务名称读作同一批任务，已合并，请核对"
        doubts.append(Doubt("table", message, None))
        del lists[k]
    for k in range(len(lists) - 1, 0, -1):
        (context_table, context), (table, tasks) = lists[k - 1], lists[k]
        if (
            _same_numbers(context, tasks)
            and not any(_names_work(task) for task in context)
            and any(_names_work(task) for task in tasks)
        ):
            for task, row in zip(tasks, _rows_of(context_table, context)):
                task.content = _joined(_row_text(context_table, row), task.content)
            into = _table_where(table)
            message = f"{_table_where(context_table)}未列责任单位和完成期限，已按序号并入{into}各任务的内容，请核对"
            doubts.append(Doubt("table", message, None))
            del lists[k - 1]
    return [tasks for _, tasks in lists]


def _same_numbers(before: list[TaskRecord], tasks: list[TaskRecord]) -> bool:
    numbers = [task.number for task in tasks]
    return len(tasks) >= 2 and all(numbers) and numbers == [task.number for task in before]


def _names_work(task: TaskRecord) -> bool:
    return bool(task.owners_raw or task.leads or task.deadline_raw)


def _rows_of(table: Table, tasks: list[TaskRecord]) -> list[Row]:
    by_where = {row.where: row for row in table.rows if row.where}
    return [(by_where.get(task.where) if task.where else None) or Row(cells=[], line=task.line) for task in tasks]


def _shared_names(
    before_table: Table, before: list[TaskRecord], table: Table, tasks: list[TaskRecord]
) -> list[str] | None:
    """The task name each pair of same-numbered rows prints in both tables, or None when the tables are not
    one list (other numbers, a row sharing no name, or both naming owners or both deadlines)."""
    if not _same_numbers(before, tasks) or any(task.where is None for task in before + tasks):
        return None
    if any(_both(a, b, "deadline_raw") or (_names_owners(a) and _names_owners(b)) for a, b in zip(before, tasks)):
        return None
    names = []
    for a, b in zip(_rows_of(before_table, before), _rows_of(table, tasks)):
        shared = {c for c in a.cells if c and not looks_like_number(c)} & {c for c in b.cells if c}
        if not shared:
            return None
        names.append(max(shared, key=len))
    return names


def _both(a: TaskRecord, b: TaskRecord, field_name: str) -> bool:
    return bool(getattr(a, field_name) and getattr(b, field_name))


def _names_owners(task: TaskRecord) -> bool:
    return bool(task.owners_raw or task.leads)


def _join_task(task: TaskRecord, other: TaskRecord, name: str) -> None:
    """`other` (the same task in a later table) joined into `task`, titled by the name both print."""
    if task.title != name:
        lines = [line for line in (task.content or "").split("\n") if not line.endswith(f"：{name}")]
        task.content = _joined(task.title, *lines)
        task.title = name
    task.content = _joined(
        task.content, *[line for line in (other.content or "").split("\n") if not line.endswith(f"：{name}")]
    )
    for field_name in ("owners_raw", "implementers_raw", "deadline_raw", "responsible_entity"):
        if getattr(task, field_name) is None:
            setattr(task, field_name, getattr(other, field_name))
    if task.leads is None and other.leads is not None:
        task.leads, task.supporting, task.implementers = other.leads, other.supporting, other.implementers
    task.doubts += other.doubts


def _row_text(table: Table, row: Row) -> str | None:
    """A context row's cells as 表头：内容, its number left out."""
    roles = column_roles(table.header)
    parts = [
        f"{normalize_cell(table.header[k])}：{cell}"
        for k, cell in enumerate(row.cells)
        if cell and k < len(table.header) and roles[k] != "number"
    ]
    return "；".join(parts) or None


def _parts(tables: list[Table]) -> list[Table]:
    """The tables, each one whose header is not understood cut at any header row further down."""
    return [
        part
        for table in tables
        for part in (split_at_header(table) if _classify(_columns(table.header)) is None else [table])
    ]


def _header_is_data(table: Table) -> bool:
    """Whether a table's first row is data, not a header: no cell of it is a known header word, and one is
    a printed number or longer than any header (a table printed without a header). A form's first row
    (label and value) is no header either, but is read as a form."""
    texts = [text for cell in table.header if (text := normalize_cell(cell))]
    return (
        bool(texts)
        and not any(column_roles(table.header))
        and any(looks_like_number(text) or len(text) > LABEL_MAX for text in texts)
        and form_pairs(table) is None
    )


def _header_as_row(table: Table) -> Table:
    cells = [normalize_cell(text) for text in table.header]
    where = f"{table.where}第1行" if table.where else None
    first = Row(cells=cells, line=table.start_line, raw=list(table.header), where=where)
    return Table(
        header=[f"第{k + 1}列" for k in range(len(table.header))],  # names a doubt can give; no role
        rows=[first, *table.rows],
        caption=table.caption,
        start_line=table.start_line,
        end_line=table.end_line,
        layout=table.layout,
        where=table.where,
        doubts=table.doubts,
    )


def _tasks_by_content(table: Table, columns: _Columns, inferred: dict[int, str]) -> bool:
    """Whether a table nobody understood reads as tasks by what its cells hold: its longest texts (found
    by `_by_content`) the tasks, awaiting owners. Not a box of labels and values naming no task
    (索引号 / 发布日期, 姓名 / 电话), nor a table without sentence-long texts."""
    k = columns.index.get("task_name")
    if k is None or k not in inferred or form_pairs(table) is not None:
        return False
    return _text_profile(table.rows, k).mean_length >= _TASK_TEXT_MIN


def _sideways(table: Table) -> Table | None:
    """A table laid out sideways (主要指标 | name | name … over 2025年目标值 | value | value …): its first
    column reads as a header and its first row does not, so each column is a record and the table is
    read turned. None when it does not read so."""
    first_column = [
        table.header[0] if table.header else None,
        *(row.cells[0] if row.cells else None for row in table.rows),
    ]
    if len(table.header) < 2 or len(first_column) < 2 or not is_header_row(first_column):
        return None
    turned = _columns([text or "" for text in first_column])
    if _classify(turned) is None:
        return None
    place = _table_where(table)
    rows = []
    for k in range(1, len(table.header)):
        cells = [table.header[k] or None, *(row.cells[k] if k < len(row.cells) else None for row in table.rows)]
        raw = [table.header[k] or None, *(row.raw[k] if k < len(row.raw) else None for row in table.rows)]
        rows.append(Row(cells=cells, line=table.start_line, raw=raw, where=f"{place}第{k + 1}列"))
    header = [text or "" for text in first_column]
    return Table(
        header=header,
        rows=rows,
        caption=table.caption,
        start_line=table.start_line,
        end_line=table.end_line,
        layout=table.layout,
        where=table.where,
        doubts=table.doubts,
    )


def _number_across_tables(task_tables: list[list[TaskRecord]]) -> None:
    """Task tables of one list that each number from 1 (表1, 表2 …): table.number (1.3, 2.3 …)."""
    by_kind: dict[ListKind, list[list[TaskRecord]]] = {}
    for tasks in task_tables:
        if tasks:
            by_kind.setdefault(tasks[0].list_kind, []).append(tasks)
    for tables in by_kind.values():
        numbers = [task.number for tasks in tables for task in tasks if task.number]
        if len(tables) < 2 or len(numbers) == len(set(numbers)):
            continue
        for ordinal, tasks in enumerate(tables, start=1):
            for task in tasks:
                task.number = f"{ordinal}.{task.number}" if task.number else task.number


# ------------------------------------------------------------------ headers


_OVERALL_LEAD = re.compile(r"^总(?:牵头|负责)")


def _columns(header: list[str]) -> _Columns:
    columns = _Columns(index={}, header=header)
    roles = _spanned_groups(header, column_roles(header))
    years = [header_year(text) for text in header]
    if "name" in roles and "task_name" not in roles:
        # An indicator table's 2021年完成 / 2022年计划 (words nobody listed beside a year): a column of that year.
        roles = [YEAR if role is None and year is not None else role for role, year in zip(roles, years)]
    targets: list[int] = []
    year_columns: list[int] = []
    for k, (text, role) in enumerate(zip(header, roles)):
        if role is None:
            if normalize_cell(text):
                columns.unknown.append(k)
        elif role == YEAR:
            year_columns.append(k)
        elif role == "target":
            targets.append(k)
        elif role == OWNERS_DEADLINE:
            columns.index.setdefault("owners", k)  # the cell is split into the two (owner_and_deadline)
            columns.index.setdefault("deadline", k)
        elif role in ("province_target", "national_target"):
            columns.other_targets.append(k)
        elif role == "observed" and (year := years[k]) is not None:
            columns.observed.append((k, year))
        elif role == "supporting" and role in columns.index:
            columns.more_supporting.append(k)  # 参与单位 and 责任单位 beside 牵头单位: both support
        elif role == "lead" and role in columns.index and _OVERALL_LEAD.match(header_key(header[columns.index[role]])):
            # 总牵头单位 then 分项牵头单位: the group's overall lead (merged over its rows) is context, the item's own
            # lead leads
            columns.duplicate.append(columns.index[role])
            columns.index[role] = k
        elif (
            role == "owners"
            and role in columns.index
            and _LEVEL.match(text)
            and _LEVEL.match(header[columns.index[role]])
        ):
            columns.level_owners.append(k)  # 省级 / 市级 / 县级责任单位: each level's owners, read alike
        elif role in columns.index:
            # A second 责任人 beside 责任领导 is another person: kept in the content, nothing to confirm.
            # So is a second 核查情况 beside 反馈问题, or a second 联系电话: context a task keeps.
            (columns.unused if role in _CONTEXT_ROLES else columns.duplicate).append(k)
        else:
            columns.index[role] = k
    _deadline_years_as_milestones(columns, roles, years)
    targets = _target_years_as_milestones(columns, targets, years)
    if year_columns and "baseline" not in columns.index and (len(year_columns) > 1 or targets):
        first = min(year_columns, key=lambda k: (years[k] or 0, _growth(header[k]), k))
        columns.index["baseline"] = first
        year_columns.remove(first)
    targets += year_columns
    if targets:
        # The target of the whole area (全省目标值 beside 苏南目标值) is the target; else the target of
        # the latest year, a column without a year taken as the last.
        whole = [k for k in targets if _WHOLE_AREA.match(header_key(header[k]))]
        final = (
            whole[0] if len(whole) == 1 else max(targets, key=lambda k: (years[k] or 9999, not _growth(header[k]), k))
        )
        columns.index["target"] = final
        columns.other_targets = [k for k in targets if k != final] + columns.other_targets
    if "baseline" in columns.index:
        columns.baseline_year = years[columns.index["baseline"]]
    if "target" in columns.index:
        columns.target_year = years[columns.index["target"]]
    return columns


def _growth(text: str) -> bool:
    """A column of the change (2022年计划（增长%）, 增速, 同比) rather than the value itself (绝对值)."""
    return any(word in text for word in _GROWTH_WORDS)


def _spanned_groups(header: list[str], roles: list[str | None]) -> list[str | None]:
    """A header cell spanning two columns (指标名称 over a group column and a name column, printed
    twice once the merge is filled): the last column is the name, the ones before it its group."""
    roles = list(roles)
    for k in range(len(header) - 1, 0, -1):
        role = roles[k]
        if role in _GROUP_OF and header[k] and header_key(header[k - 1] or "") == header_key(header[k]):
            group = _GROUP_OF[role]
            roles[k - 1] = group if group not in roles else None
    return roles


def _task_text_role(columns: _Columns) -> str:
    """The column holding a task's text: its task column, else its content column (工作内容 alone,
    目标任务), else a target column (2022年预期目标) in a table of targets with owners."""
    return next((role for role in ("task_name", "content", "target") if role in columns.index), "task_name")


# The Chinese name of each role a column may be given by its content.
_ROLE_NAMES = {
    "number": "序号",
    "name": "指标名称",
    "task_name": "任务名称",
    "content": "任务内容",
    "category": "任务类别",
    "deadline": "完成期限",
    "lead": "牵头单位",
    "supporting": "配合单位",
    "owners": "责任单位",
    "baseline": "现状值",
    "target": "目标值",
}
_OWNER_ROLES = ("lead", "owners", "entity")
_NAME_MAX = 20  # characters on average: an indicator's name, not a task's sentence
_TEXT_ROLES = ("task_name", "content", "target")
_TASK_TEXT_MIN = 10  # characters on average: texts long enough to be tasks, read without a header


def _by_content(table: Table, columns: _Columns) -> dict[int, str]:
    """Roles for the columns nobody understood by their header, from what their cells hold (see
    `column_content`): 1, 2, 3 … is the number; short lists of units are owners (the first such column
    leads, a second supports); dates and periods the deadline; figures beside an indicator's name its
    target (the one before it, if two, its baseline); the longest texts the task, and a shorter text
    column before it whose cells span several rows the group the tasks stand in. Only roles the header
    left open are given; each column given one is returned (column → role)."""
    rows = [row for row in table.rows if not _is_empty_row(row) and len({c for c in row.cells if c}) > 1]
    named = set(columns.index.values()) | set(columns.other_targets) | {k for k, _ in columns.observed}
    open_columns = [
        k for k in range(len(table.header)) if k not in named and k not in columns.duplicate and _filled(rows, k)
    ]
    if not open_columns:
        return {}
    profiles = {k: profile([row.cells[k] if k < len(row.cells) else None for row in rows]) for k in open_columns}
    inferred: dict[int, str] = {}

    def take(role: str, k: int) -> None:
        columns.index[role] = k
        inferred[k] = role
        open_columns.remove(k)
        if k in columns.unknown:
            columns.unknown.remove(k)

    if "number" not in columns.index and open_columns and profiles[open_columns[0]].numbers >= NUMBER_SHARE:
        take("number", open_columns[0])
    values = [k for k in open_columns if profiles[k].values >= SHARE]
    names = [k for k in open_columns if profiles[k].is_text and profiles[k].mean_length <= _NAME_MAX]
    if "name" not in columns.index and not columns.any(*_TEXT_ROLES) and values and names and names[0] < values[0]:
        take("name", names[0])  # short texts before figures: indicators and their targets
    if "name" in columns.index:  # an indicator table
        if "target" not in columns.index and values:
            if "baseline" not in columns.index and len(values) > 1:
                take("baseline", values[0])
            take("target", values[-1])
        return inferred
    dated = [k for k in open_columns if profiles[k].deadlines >= SHARE]
    if "deadline" not in columns.index and dated:
        take("deadline", max(dated, key=lambda k: profiles[k].deadlines))
    owners = [k for k in open_columns if profiles[k].owners >= SHARE]
    if owners and not columns.any(*_OWNER_ROLES):
        if "supporting" in columns.index or len(owners) > 1:
            take("lead", owners.pop(0))
        else:
            take("owners", owners.pop(0))
    if owners and columns.any("lead") and "supporting" not in columns.index:
        take("supporting", owners.pop(0))
    texts = [k for k in open_columns if profiles[k].is_text]
    if texts and not columns.any(*_TEXT_ROLES):
        task = max(texts, key=lambda k: profiles[k].mean_length)
        take("task_name", task)
        groups = [k for k in texts if k < task and profiles[k].distinct < 1]
        if groups and "category" not in columns.index:
            take("category", groups[-1])
    elif texts and "task_name" in columns.index and "content" not in columns.index:
        titled = _text_profile(rows, columns.index["task_name"])
        longer = [k for k in texts if profiles[k].mean_length > titled.mean_length]
        if longer:
            take("content", max(longer, key=lambda k: profiles[k].mean_length))
    return inferred


def _filled(rows: list[Row], k: int) -> bool:
    return any(k < len(row.cells) and row.cells[k] for row in rows)


def _text_profile(rows: list[Row], k: int) -> ColumnContent:
    return profile([row.cells[k] if k < len(row.cells) else None for row in rows])


def _flag_inferred(table: Table, columns: _Columns, inferred: dict[int, str], result: TableRecords) -> None:
    for k, role in sorted(inferred.items()):
        header = normalize_cell(table.header[k]) if k < len(table.header) else None
        label = f"列「{header}」" if header else f"第{k + 1}列"
        message = f"{_table_where(table)}的{label}未能按表头识别，已按内容读作{_ROLE_NAMES.get(role, role)}，请确认"
        result.doubts.append(Doubt("column", message, header))


def _classify(columns: _Columns) -> str | None:
    if columns.has("category", "count") and columns.any("status", "lead", "owners"):
        return "cells"
    if columns.has("name") and columns.any("baseline", "target"):
        return "indicators"
    if columns.has("name", "definition"):
        return "definitions"
    if columns.has("task_name", "entity") and columns.any("owners", "lead"):
        return "projects"
    if columns.has("task_name") and columns.any("entity", "owners", "lead", "supporting", "deadline"):
        return "tasks"
    if columns.has("content") and columns.any("lead", "owners", "supporting", "deadline"):
        return "tasks"  # 工作内容 / 责任单位 / 完成时限, 牵头单位 / 目标任务 / 责任单位: the task in the content column
    if columns.has("target") and columns.any("lead", "owners") and not columns.any("name", "baseline", "unit"):
        return "tasks"  # 序号 / 2022年预期目标 / 责任单位: each target is a task of its owners
    if columns.has("task_name", "number"):
        return "tasks"  # numbered tasks with no owners yet: awaiting them
    if columns.has("task_name", "status"):
        return "tasks"  # a task and how it went (a 公示's 整改任务 / 整改完成情况): awaiting its owners
    return None


def _table_where(table: Table) -> str:
    return table.where or f"第{table.start_line}行的表格"


def _unrecognised(table: Table, path: str, result: TableRecords) -> None:
    pairs = form_pairs(table)  # a form's labels say what it holds; its first row is half values
    header = "、".join(label for label, _, _ in pairs) if pairs else "、".join(text for text in table.header if text)
    result.warnings.append(_where(path, table.start_line) + f"表头未识别，表格未导入：{header}")
    if _holds_data(table):
        result.doubts.append(
            Doubt(
                "table",
                f"{_table_where(table)}（表头：{header}）未能识别为任务、指标或无废细胞表格，未导入；"
                "如含任务或指标，请改用导入模板或修改表头后重新导入",
                header,
            )
        )


def _holds_data(table: Table) -> bool:
    """A table with at least one row of two or more filled cells: not a layout box or a signature."""
    return any(sum(1 for cell in row.cells if cell) >= 2 for row in table.rows)


def _flag_columns(table: Table, columns: _Columns, kind: str, result: TableRecords) -> None:
    used: set[str] | None = None
    if kind in ("tasks", "projects"):
        used = _TASK_ROLES | {_task_text_role(columns)}
    elif kind == "indicators":
        used = _INDICATOR_ROLES
    if used is not None:
        # Kept with the second columns of a context role already set aside (进度 per quarter, a second 责任人).
        columns.unused = [k for role, k in columns.index.items() if role not in used] + columns.unused
        if kind in ("tasks", "projects"):
            # Milestones stay in the task's content too: 完成时限（2024年）：完成选址
            columns.unused += columns.other_targets + [k for k, _ in columns.observed] + list(columns.milestones)
    kept = "其内容已并入任务内容" if kind in ("tasks", "projects") else "该列未导入"
    for k in columns.unknown:
        if not _filled(table.rows, k):
            continue  # nothing printed under it: nothing to lose or to confirm
        result.doubts.append(
            Doubt("column", f"{_table_where(table)}的列「{table.header[k]}」未能识别，{kept}，请确认", table.header[k])
        )
    for k in columns.duplicate:
        result.doubts.append(
            Doubt(
                "column",
                f"{_table_where(table)}的列「{table.header[k]}」与前面的列含义相同，{kept}，请确认",
                table.header[k],
            )
        )
    if kind == "indicators":
        for k in columns.unused:
            message = f"{_table_where(table)}的列「{table.header[k]}」不属于指标表，该列未导入，请确认"
            result.doubts.append(Doubt("column", message, table.header[k]))
    if kind in ("tasks", "projects"):
        columns.unused += columns.unknown + columns.duplicate


# --------------------------------------------------------------- helpers


def _where(path: str, line: int) -> str:
    return f"{path} 第{line}行："


def _row_where(path: str, row: Row) -> str:
    return f"{path} {row.where}：" if row.where else _where(path, row.line)


def _cell(row: Row, columns: _Columns, role: str) -> str | None:
    k = columns.index.get(role)
    return row.cells[k] if k is not None and k < len(row.cells) else None


def _raw(row: Row, columns: _Columns, role: str) -> str | None:
    k = columns.index.get(role)
    if k is None or k >= len(row.raw):
        return None
    return row.raw[k]


def _value_at(row: Row, k: int) -> str | None:
    """A baseline or target as printed, brackets in one form: 0.012 (2021年) -> 0.012（2021年）.

    Only brackets are folded: a comma may be a thousands separator.
    """
    text = row.cells[k] if k < len(row.cells) else None
    if text is None:
        return None
    return normalize_cell(text.replace("(", "（").replace(")", "）"))


def _value(row: Row, columns: _Columns, role: str) -> str | None:
    k = columns.index.get(role)
    return _value_at(row, k) if k is not None else None


def _list_text(row: Row, columns: _Columns, role: str) -> str | None:
    """A column listing units: spaces that separated two names become 、 before normalizing."""
    k = columns.index.get(role)
    return _list_text_at(row, k) if k is not None else None


def _list_text_at(row: Row, k: int) -> str | None:
    raw = row.raw[k] if k < len(row.raw) else None
    if raw is None:
        return row.cells[k] if k < len(row.cells) else None
    # A line break inside a cell is the page width, not a separator, unless a space stands before it or
    # a unit's name ends there and another's begins (局 / 市…: PDF drops the space a line breaks at). A
    # typed break (a web page's <br>, Alt+Enter) parts two lines that each read as a unit (市自然资源局 /
    # 什邡市人民政府), not the pieces of one name typed narrow (市政 / 府办 / 公厅: too short to be one).
    lines = [line for line in raw.split("\n") if line.strip()]
    joined = ""
    for k, line in enumerate(lines):
        joined += line.strip()
        if k + 1 < len(lines) and (
            line[-1].isspace()
            or _parts_names(line.strip(), lines[k + 1].strip())
            or (row.typed_breaks and _typed_unit(line) and _typed_unit(lines[k + 1]))
        ):
            joined += " "
    parts = re.split(r"[ \t\u3000\u00a0]+", joined.strip())
    text = parts[0]
    for part in parts[1:]:
        separate = text[-1] in _UNIT_END and part[0] not in "、，,；;）)"
        text += ("、" if separate else "") + part
    return normalize_cell(text)


_TYPED_UNIT_MIN = 3  # 团市委, 市委办; 府办 and 公厅 are a name's pieces


def _typed_unit(line: str) -> bool:
    return len(line.strip()) >= _TYPED_UNIT_MIN and looks_like_unit(line.strip())


def _parts_names(before: str, after: str) -> bool:
    return before[-1:] in _UNIT_END and after[:1] in _UNIT_START


def split_marks(name: str) -> tuple[str, str]:
    """(name without marks, marks in printed order): 数量 △ -> (数量, △)."""
    marks = "".join(ch for ch in name if ch in MARKS)
    bare = normalize_cell("".join(ch for ch in name if ch not in MARKS)) or ""
    return bare, marks


@lru_cache(maxsize=4096)
def name_key(name: str) -> str:
    """A name for matching across tables: no marks, no spaces, one punctuation form."""
    return re.sub(r"\s+", "", fold_punct(split_marks(name)[0]))


def _is_empty_row(row: Row) -> bool:
    return all(c is None for c in row.cells)


_HEADER_CELL_MAX = 20  # header cells are short; a row with a longer cell is data


def _repeats_header(row: Row, header: list[str]) -> bool:
    """A header printed again at a page break inside a structured table."""
    texts = [c for c in row.cells if c]
    if len(texts) < 3 or any(len(c) > _HEADER_CELL_MAX for c in texts) or column_role(texts[0]) in (None, YEAR):
        return False
    return [header_key(c or "") for c in row.cells] == [header_key(h) for h in header] or is_header_row(row.cells)


def _section_heading(row: Row, columns: _Columns, name_role: str, numbered: bool = False) -> str | None:
    """A row that heads the rows under it (一、制度体系 in the 序号 column, or one text across all). In a
    table whose rows are `numbered`, a row without a number holding only a text opened by a heading's
    ordinal (一、煤炭开采固体废物 typed in the task column, not merged across) heads them too."""
    texts = [c for c in row.cells if c]
    if not texts:
        return None
    number = _cell(row, columns, "number")
    if len(set(texts)) == 1 and (len(texts) > 1 or (number is not None and not _NUMBER.match(number))):
        text = texts[0]
        if number is None and len(texts) == 1 and _cell(row, columns, name_role):
            return None  # a task whose other cells are empty
        return _SECTION_NUMBER.sub("", text).strip() or text
    if numbered and number is None and texts == [_cell(row, columns, name_role)] and _CHAPTER_ORDINAL.match(texts[0]):
        return _SECTION_NUMBER.sub("", texts[0]).strip() or texts[0]
    return None


def _is_totals(row: Row, columns: _Columns) -> bool:
    """A row adding up those above it: its first text is 合计, 小计 or 总计 (合  计, 合计：3项), and no cell
    of its owners or deadline holds more than a figure (a task named 合计 has an owner and a deadline)."""
    first = next((c for c in row.cells if c and c.strip()), None)
    if first is None or _TOTALS.match(first.strip()) is None:
        return False
    return not any(
        (text := _cell(row, columns, role)) and text != first and not _FIGURE.match(text)
        for role in _TOTALS_EMPTY_ROLES
    )


@dataclass(frozen=True)
class _ColumnOwners:
    spec: OwnerSpec
    raw: str | None  # the cells as one text: 牵头单位：…；配合单位：… (or the lead cell alone)


def _owners_from_columns(row: Row, columns: _Columns, convention: str | None) -> _ColumnOwners | None:
    """Owners from the lead and supporting columns, or None when the row has neither."""
    if not columns.any("lead", "supporting"):
        return None
    lead = _list_text(row, columns, "lead") if "lead" in columns.index else None
    supporting = _list_text(row, columns, "supporting") if "supporting" in columns.index else None
    more = [_list_text_at(row, k) for k in columns.more_supporting]
    supporting = "、".join(text for text in (supporting, *more) if text) or None
    if lead is None and supporting is None:
        return None
    parts = [f"牵头单位：{lead}" if lead else None, f"配合单位：{supporting}" if supporting else None]
    raw = "；".join(p for p in parts if p) if supporting else lead
    return _ColumnOwners(parse_owner_columns(lead, supporting, convention=convention), raw)


# A responsibility matrix (分工表 with one column per unit): a filled mark for the lead, a hollow one or a
# tick for a supporting unit, unless the document's legend says otherwise (see `mark_roles`).
_LEAD_MARKS = frozenset("★●◆■▲◎")
_SUPPORT_MARKS = frozenset("☆○◇□△√✓✔")
_MATRIX_MIN_UNITS = 2
# 注：★为牵头单位，○为配合单位 / 标“▲”的为牵头部门 / ●表示配合: a legend stating what a mark means.
_LEGEND = re.compile(
    r"(?:标注?有?)?[“\"‘']?(?P<mark>[^\w\s，。；：、,.;:“”\"‘’'（）()【】\[\]<>《》—-])[”\"’']?"
    r"\s*(?:的|者)?\s*(?:为|表示|代表|即)\s*(?P<role>牵头|主责|主办|责任|配合|协同|协办|参与|参加|协助)"
)
_LEAD_ROLES = ("牵头", "主责", "主办", "责任")


def mark_roles(text: str) -> dict[str, str]:
    """The marks a legend explains and their roles, "lead" or "supporting" (★为牵头单位 → ★: lead)."""
    return {match["mark"]: "lead" if match["role"] in _LEAD_ROLES else "supporting" for match in _LEGEND.finditer(text)}


def _find_unit_marks(table: Table, columns: _Columns, legend: dict[str, str]) -> None:
    """Columns nobody understood whose headers read as units and whose cells hold only marks (★, ○, √, or one
    the document's legend explains) or nothing: a responsibility matrix. They become the owners' columns (see
    `_owners_from_marks`), read with the legend."""
    if columns.any("entity", "owners", "lead", "supporting"):
        return
    marks = _LEAD_MARKS | _SUPPORT_MARKS | set(legend)
    found = [
        k
        for k in columns.unknown
        if looks_like_unit(table.header[k] or "")
        and _filled(table.rows, k)
        and all(
            (_value_at(row, k) or "") in marks or not _value_at(row, k)
            for row in table.rows
            if _row_has_task(row, columns)
        )
    ]
    if len(found) >= _MATRIX_MIN_UNITS:
        columns.unit_marks, columns.mark_roles = found, legend
        columns.unknown = [k for k in columns.unknown if k not in found]


def _row_has_task(row: Row, columns: _Columns) -> bool:
    return _cell(row, columns, _task_text_role(columns)) is not None


def _owners_from_marks(row: Row, columns: _Columns, convention: str | None) -> _ColumnOwners | None:
    """A matrix row's owners: the units marked as leading lead, those marked as supporting support (as the
    legend says, else ★● lead and ○√ support); with no lead mark in the row, the first unit marked leads (the
    columns' order, as a 责任单位 list's)."""
    marked = [(columns.header[k], _value_at(row, k) or "") for k in columns.unit_marks]
    marked = [(unit, mark) for unit, mark in marked if mark]
    if not marked:
        return None

    def leads_by(mark: str) -> bool:
        return columns.mark_roles[mark] == "lead" if mark in columns.mark_roles else mark in _LEAD_MARKS

    leads = [unit for unit, mark in marked if leads_by(mark)] or [marked[0][0]]
    supporting = [unit for unit, _ in marked if unit not in leads]
    lead_text, supporting_text = "、".join(leads), "、".join(supporting) or None
    raw = f"牵头单位：{lead_text}" + (f"；配合单位：{supporting_text}" if supporting_text else "")
    return _ColumnOwners(parse_owner_columns(lead_text, supporting_text, convention=convention), raw)


def _extra_text(row: Row, columns: _Columns) -> str | None:
    """Cells of columns a task has no field for, as 表头：内容, so nothing printed is lost."""
    parts = []
    for k in sorted(set(columns.unused)):
        if k < len(row.cells) and row.cells[k]:
            parts.append(f"{normalize_cell(columns.header[k])}：{_statements(row, k)}")
    return "；".join(parts) or None


def _statements(row: Row, k: int) -> str | None:
    """A context cell's text; lines a typed break parts (项目已开工⏎完成投资40%) are kept apart by a ，
    where the first does not end in a mark of its own, not run together as one statement."""
    raw = row.raw[k] if row.typed_breaks and k < len(row.raw) else None
    lines = [text for line in (raw or "").split("\n") if (text := normalize_cell(line))]
    if len(lines) < 2:
        return row.cells[k]
    return "".join(line if line[-1] in _STATEMENT_END else line + "，" for line in lines[:-1]) + lines[-1]


_STATEMENT_END = "。；，、：;,:！？!?"


def _joined(*parts: str | None) -> str | None:
    return "\n".join(p for p in parts if p) or None


# ------------------------------------------------------------- indicators


def _indicators(
    table: Table, columns: _Columns, path: str, warnings: list[str], convention: str | None
) -> list[IndicatorRecord]:
    names = _indicator_names(table.rows, columns)
    records: list[IndicatorRecord] = []
    level1: str | None = None
    level2: str | None = None
    number: str | None = None
    for row, name in zip(table.rows, names):
        if _is_empty_row(row) or _repeats_header(row, table.header):
            continue
        heading = _section_heading(row, columns, "name") or _numbered_name_alone(row, name)
        if heading is not None and "level1" not in columns.index:
            level1, level2 = heading, None  # a row heading the indicators under it
            continue
        printed_level1 = _clean_level(_cell(row, columns, "level1"))
        printed_level2 = _clean_level(_cell(row, columns, "level2"))
        # Merged cells are printed once: blanks inherit from the row above, but a
        # new 一级指标 starts a new group, so its 二级指标 does not carry over.
        if printed_level1 is not None and printed_level1 != level1:
            level2 = None
        level1 = printed_level1 or level1
        level2 = printed_level2 or level2
        printed_number = _cell(row, columns, "number")
        if printed_number is None and number is not None and name is not None:
            printed_number = number  # a second row under a merged 序号 (001: 10 covers two)
        number = printed_number or number
        if name is None:
            warnings.append(_row_where(path, row) + f"指标 {printed_number or '?'} 没有指标名称，已跳过")
            continue
        if printed_number is None and "number" in columns.index:
            warnings.append(_row_where(path, row) + f"指标「{name}」没有序号")
        if "number" not in columns.index:
            printed_number = str(len(records) + 1)
        sub_items = _sub_items(_raw(row, columns, "name")) if table.layout == CELLS else None
        if sub_items is not None:
            name = sub_items[0]
        bare, marks = split_marks(name)
        unit = _cell(row, columns, "unit")
        if unit is None and (in_name := unit_in_name(bare)) is not None:
            bare, unit = in_name  # 森林覆盖率(%) in a table without a unit for it
        if unit is None and "unit" not in columns.index:
            unit = _header_unit(columns)  # 2025年目标值（万吨）: the unit of the whole column
        record = IndicatorRecord(
            number=printed_number or "",
            name=bare,
            line=row.line,
            level1=level1,
            level2=level2,
            marks=marks,
            baseline_raw=_value(row, columns, "baseline"),
            baseline_year_default=columns.baseline_year,
            target_raw=_value(row, columns, "target"),
            target_year=columns.target_year,
            unit=unit,
            data_source=_list_text(row, columns, "data_source"),
            owners_raw=_list_text(row, columns, "owners"),
            attribute_raw=_cell(row, columns, "attribute"),
            definition=_joined(
                _cell(row, columns, "definition"),
                f"分项：{'；'.join(sub_items[1:])}" if sub_items else None,
                _remark(row, columns),
            ),
            category=_cell(row, columns, "category"),
            forecast_raw=_cell(row, columns, "forecast"),
            where=row.where,
        )
        if record.attribute_raw and not record.attribute_raw.startswith(_ATTRIBUTES):
            # 指标类型 holding 环境治理 rather than 约束性: a category, not an attribute.
            record.category, record.attribute_raw = record.category or record.attribute_raw, None
        for k, year in columns.observed:
            if (value := _value_at(row, k)) is not None:
                record.observed[year] = value
        for k in columns.other_targets:
            if (value := _value_at(row, k)) is not None:
                record.other_targets[normalize_cell(columns.header[k]) or str(k)] = value
        owners = _owners_from_columns(row, columns, convention)
        if owners is not None:
            record.owners_raw = owners.raw
            _set_owners(record, owners.spec)
        elif record.owners_raw:
            _set_owners(record, parse_owners(record.owners_raw, convention=convention))
        records.append(record)
    return records


def _header_unit(columns: _Columns) -> str | None:
    """The unit a target (or else baseline) header prints in brackets, 目标值（万吨）, for a table without a
    unit column; None when it prints none (（2025年） is a year, not a unit)."""
    for role in ("target", "baseline"):
        k = columns.index.get(role)
        if k is not None and (in_header := unit_in_name(normalize_cell(columns.header[k]) or "")) is not None:
            return in_header[1]
    return None


def _sub_items(raw: str | None) -> list[str] | None:
    """A name cell of a text table printing the indicator's name on its first line and its sub-items on the
    lines under it (森林覆盖率 / 山区 / 丘陵区): [name, item, …]. Text tables keep a cell's lines as printed,
    never wrapped, so a line under the name is an item of its own unless it reads as the rest of the line
    above (a bracket, a line opening with punctuation or closing an unfinished one). None when the cell is
    one line or its lines read as one name."""
    if raw is None:
        return None
    lines = [normalize_cell(line) or "" for line in raw.split("\n") if line.strip()]
    if len(lines) < 2 or any(len(line) < MIN_SUB_ITEM for line in lines):
        return None
    for above, line in pairwise(lines):
        if above.endswith(_UNFINISHED) or line.startswith(_CONTINUING):
            return None
    return lines


def _remark(row: Row, columns: _Columns) -> str | None:
    remark = _statements(row, columns.index["remark"]) if "remark" in columns.index else None
    return f"备注：{remark}" if remark else None


def _clean_level(text: str | None) -> str | None:
    """A level name: marks printed there by mistake are dropped (002: 贮存处置 降幅★)."""
    if text is None:
        return None
    return split_marks(text)[0] or None


def _indicator_names(rows: list[Row], columns: _Columns) -> list[str | None]:
    """The name of each row, sharing out a cell that holds the names of the blank rows under it.

    002 prints two names in row 56's cell, separated by a space, and leaves row 57 blank.
    The split is done on the printed text because normalizing removes that space.
    """
    names = [_cell(row, columns, "name") for row in rows]
    k = 0
    while k < len(rows):
        blanks = 0
        while k + 1 + blanks < len(rows) and names[k + 1 + blanks] is None and not _is_empty_row(rows[k + 1 + blanks]):
            blanks += 1
        raw = _raw(rows[k], columns, "name")
        if names[k] is not None and blanks and raw is not None:
            # Spaces part the names; line breaks are only where the cell wrapped (text from a PDF).
            parts = [normalize_cell(p) or "" for p in re.split(r"[ \t\u3000\u00a0]+", raw.replace("\n", "").strip())]
            if len(parts) == 1 + blanks and all(len(split_marks(p)[0]) >= MIN_SPLIT_PART for p in parts):
                names[k : k + 1 + blanks] = parts
        k += 1 + blanks
    return names


def _numbered_name_alone(row: Row, name: str | None) -> str | None:
    """A row printing only a numbered name (一、创新驱动 / （二）环境质量) and no value: the group of the
    indicators under it, not an indicator."""
    if name is None or sum(1 for cell in row.cells if cell) != 1 or not _SECTION_NUMBER.match(name):
        return None
    return _SECTION_NUMBER.sub("", name).strip() or None


# ------------------------------------------------------------ definitions


def _attach_definitions(table: Table, indicators: list[IndicatorRecord], path: str, warnings: list[str]) -> None:
    for name, definition, line in _definitions(table):
        indicator = _match_indicator(name, indicators)
        if indicator is None:
            warnings.append(_where(path, line) + f"指标说明「{name}」找不到对应指标")
            continue
        if indicator.definition and indicator.definition != definition:
            warnings.append(_where(path, line) + f"指标「{indicator.name}」有两段说明，保留第一段")
            continue
        indicator.definition = definition


def _definitions(table: Table) -> list[tuple[str, str, int]]:
    """(indicator name, definition, line) in table order.

    Rows of a long definition table can lose their alignment (001 prints its second
    half without 序号 and with uneven rows), so the cells are read in sequence: a
    cell starting with 指标解释 (with the 计算方法 cells after it) defines the
    nearest cell before it that is not itself a definition.
    """
    definitions: list[tuple[str, str, int]] = []
    subject: tuple[str, int] | None = None  # the last cell that is not a definition
    building = False  # whether a 计算方法 cell still belongs to the last definition
    for row in table.rows:
        for text in row.cells:
            if text is None:
                continue
            if _DEFINITION_START.match(text):
                building = subject is not None
                if subject is not None:
                    definitions.append((subject[0], text, subject[1]))
                subject = None
            elif building and _METHOD_START.match(text):
                name, definition, line = definitions[-1]
                definitions[-1] = (name, definition + text, line)
            elif not text.isdigit():  # a 序号 is never the subject of a definition
                building = False
                subject = (text, row.line)
    return definitions


def _match_indicator(name: str, indicators: list[IndicatorRecord]) -> IndicatorRecord | None:
    """The indicator of that name; failing that the only one whose name begins the other."""
    key = name_key(name)
    exact = [i for i in indicators if name_key(i.name) == key]
    if exact:
        return exact[0]
    prefixed = [i for i in indicators if key.startswith(name_key(i.name)) or name_key(i.name).startswith(key)]
    return prefixed[0] if len(prefixed) == 1 else None


# ------------------------------------------------------------------ tasks


def _list_kind(caption: list[str]) -> tuple[ListKind, str | None]:
    text = "".join(caption)
    for word, kind in _LIST_KINDS:
        if word in text:
            return kind, word
    titles = [line for line in caption if not re.match(r"^(附件|附表)\s*\d*$", line)]
    return ListKind.MAIN, (titles[-1] if titles else None)


def _tasks(
    table: Table,
    columns: _Columns,
    path: str,
    warnings: list[str],
    doubts: list[Doubt],
    *,
    project: bool,
    convention: str | None,
) -> list[TaskRecord]:
    if project:
        kind = ListKind.PROJECT
        titles = [line for line in table.caption if not re.match(r"^(附件|附表)\s*\d*$", line)]
        list_name = titles[-1] if titles else None
    else:
        kind, list_name = _list_kind(table.caption)
    name_role = _task_text_role(columns)
    records: list[TaskRecord] = []
    sections: list[int] = []  # the section each record sits in, to tell numbering that restarts
    section = 0
    category: str | None = None
    cell_text: str | None = None
    previous: Row | None = None  # the row the last task was read from
    # A project's name is its own even when merged over two projects (废旧塑料回收 over two companies' plants).
    grouped = _grouped_rows(table, columns, name_role, printed_once=kind is not ListKind.PROJECT)
    table_columns = columns
    outside, in_group = None, False  # the category a group of rows stands in, restored after it
    numbered = any(_cell(row, columns, "number") for row in table.rows)
    for index, row in enumerate(table.rows):
        if _is_empty_row(row) or _repeats_header(row, table.header):
            continue
        columns = grouped.get(index, table_columns)
        if _is_totals(row, columns):
            first = next(c for c in row.cells if c and c.strip())
            place = row.where or f"第{row.line}行"
            word = first.strip()[0] + "计"  # 合计, 小计 or 总计, as the row says it
            doubts.append(Doubt("record", f"{place}「{first}」是{word}行，未作为任务导入，请核对", first))
            continue
        if records and previous is not None and _status_only(row, columns):
            # The status goes on in this row, every other cell blank (a long 完成情况 wrapped into
            # the next row, or its cell merged down over a row of its own): the task above's.
            _continue_status(records[-1], row, columns, in_content=True)
            continue
        heading = _section_heading(row, columns, name_role, numbered)
        if heading is not None:
            section += 1
            if kind is not ListKind.PROJECT and any(word in heading for word, _ in _LIST_KINDS):
                kind, list_name = next((k, w) for w, k in _LIST_KINDS if w in heading)
            elif "category" not in columns.index:
                category = heading
            continue
        if index in grouped:
            if not in_group:
                outside, in_group, category = category, True, None  # the category the group stands in
            # A group cell left out of its later rows (merged, printed once) names them all.
            category = _cell(row, columns, "category") or category
        else:
            if in_group:
                category, in_group = outside, False
            category = _cell(row, columns, "category") or category
        if records and previous is not None and _continues_task(previous, row, columns, name_role):
            # The task cell spans this row too (filled in from the merge) with the same owners and
            # deadline: the row holds the task's sub-tasks or progress, not a task of its own.
            records[-1].content = _joined(records[-1].content, _row_detail(row, columns))
            _continue_status(records[-1], row, columns, in_content=False)
            continue
        previous = row
        # A blank 任务名称 is a merged cell: the row continues the task above (001 project 2).
        cell_text = _cell(row, columns, name_role) or cell_text
        number = _cell(row, columns, "number")
        if cell_text is None:
            warnings.append(_row_where(path, row) + f"任务 {number or '?'} 没有任务名称，已跳过")
            continue
        printed = _CELL_NUMBER.match(cell_text)
        text = cell_text[printed.end() :] if printed and len(cell_text) > printed.end() else cell_text
        if "number" not in columns.index:
            number = printed.group(1) if printed else str(len(records) + 1)
        elif number is None:
            warnings.append(_row_where(path, row) + f"任务「{cell_text}」没有序号")
        record = _task_record(row, columns, text, number or "", kind, list_name, category, project, convention)
        if records and _unit_part(records[-1], record, columns):
            _join_unit_part(records[-1], record)
            continue
        records.append(record)
        sections.append(section)
    _number_within_sections(records, sections)
    return records


_SAME_TASK_ROLES = ("entity", "owners", "lead", "supporting", "deadline")


def _grouped_rows(table: Table, columns: _Columns, name_role: str, *, printed_once: bool) -> dict[int, _Columns]:
    """Rows under a task cell spanning them that each carry their own owners or deadline and their own
    content: the spanning cell names their group (试点任务 over 细化措施), each row is a task titled by
    its content. `printed_once`: the spanning cell may be printed on its first row only (舟山's 工作任务).
    Returns the columns each such row is read with (row index → columns)."""
    if name_role != "task_name" or "content" not in columns.index:
        return {}
    # Every other column is read as before (further supporting columns, owners by level, milestones).
    regrouped = replace(
        columns,
        index={
            **{role: k for role, k in columns.index.items() if role != "content"},
            "task_name": columns.index["content"],
            "category": columns.index["task_name"],
        },
    )
    out: dict[int, _Columns] = {}
    rows = [(k, row) for k, row in enumerate(table.rows) if not _is_empty_row(row)]
    start = 0
    while start < len(rows):
        task = _cell(rows[start][1], columns, "task_name")
        end = start + 1
        # The task cell repeated on its later rows (filled in from the merge) or left out of them.
        while (
            task is not None
            and end < len(rows)
            and _cell(rows[end][1], columns, "task_name") in ((task, None) if printed_once else (task,))
            and _cell(rows[end][1], columns, "content") is not None
        ):
            end += 1
        run = [row for _, row in rows[start:end]]
        contents = [_cell(row, columns, "content") for row in run]
        own = {tuple(_cell(row, columns, role) for role in _SAME_TASK_ROLES) for row in run}
        if len(run) > 1 and len(own) > 1 and all(contents) and len(set(contents)) == len(contents):
            out.update((k, regrouped) for k, _ in rows[start:end])
        start = end
    return out


def _status_only(row: Row, columns: _Columns) -> bool:
    """Whether the row's only text is in the status column (完成情况 / 进展情况)."""
    k = columns.index.get("status")
    return (
        k is not None
        and k < len(row.cells)
        and bool(row.cells[k])
        and not any(cell for other, cell in enumerate(row.cells) if other != k)
    )


def _continue_status(record: TaskRecord, row: Row, columns: _Columns, *, in_content: bool) -> None:
    """A row's status cell continuing the task's: its text run on after the task's (a cell's text
    goes on where it wrapped), or nothing when it repeats it (a cell merged down, filled in on each
    row). `in_content`: the status as the task's content quotes it (表头：内容) follows."""
    text, before = _cell(row, columns, "status"), record.status
    if not text or text == before:
        return
    record.status = f"{before}{text}" if before else text
    if in_content:
        header = normalize_cell(columns.header[columns.index["status"]])
        quoted = f"{header}：{before}" if before else None
        if quoted and record.content and quoted in record.content:
            record.content = record.content.replace(quoted, f"{header}：{record.status}", 1)
        else:
            record.content = _joined(record.content, f"{header}：{text}")


def _continues_task(previous: Row, row: Row, columns: _Columns, name_role: str) -> bool:
    """Whether a row repeats the task cell of the row before (a cell spanning both) and its owners
    and deadline: one task over several rows. A blank task cell is not a repeat."""
    text = _cell(row, columns, name_role)
    return (
        text is not None
        and text == _cell(previous, columns, name_role)
        and any(role in columns.index for role in _SAME_TASK_ROLES)
        and all(_cell(row, columns, role) == _cell(previous, columns, role) for role in _SAME_TASK_ROLES)
        and _cell(row, columns, "number") in (None, _cell(previous, columns, "number"))
    )


def _unit_part(before: TaskRecord, record: TaskRecord, columns: _Columns) -> bool:
    """Whether a row is one unit's part of the task above: the task cell and the number cell span both rows
    (filled in from the merge), each row naming its own unit and deadline (任务 over 市商务局 2025年6月底前 /
    市供销社 2025年9月底前). A table without a number column, or with a content column (its rows are
    sub-tasks, see `_grouped_rows`), is not read this way: equal texts there may be two tasks."""
    return (
        "number" in columns.index
        and "content" not in columns.index
        and bool(record.number)
        and (record.number, record.title, record.content) == (before.number, before.title, before.content)
        and bool(record.leads or record.supporting)
    )


def _join_unit_part(task: TaskRecord, part: TaskRecord) -> None:
    """Each unit answers for its own part: its units join the task's (leads with leads, supporting with
    supporting), and the task is due with the latest part, whose deadline text it keeps; every part's deadline,
    with the units whose it is, is kept apart (市商务局：2025年6月底前): the earlier ones are its milestones."""
    if not task.part_deadlines and task.deadline_raw:
        task.part_deadlines = (_part_deadline(task),)  # the first row's, before its units are joined
    task.leads = tuple(dict.fromkeys((*(task.leads or ()), *(part.leads or ()))))
    task.supporting = tuple(dict.fromkeys((*(task.supporting or ()), *(part.supporting or ()))))
    task.owners_raw = _joined(task.owners_raw, part.owners_raw)
    task.doubts += part.doubts
    if part.deadline_raw:
        task.part_deadlines += (_part_deadline(part),)
    if _due(part.deadline_raw) >= _due(task.deadline_raw):
        task.deadline_raw = part.deadline_raw


def _part_deadline(part: TaskRecord) -> str:
    """A unit's part of a task as a milestone: its units and its deadline as printed."""
    units = "、".join((*(part.leads or ()), *(part.supporting or ())))
    return f"{units}：{part.deadline_raw}" if units else part.deadline_raw or ""


def _due(raw: str | None) -> date:
    """A part's due date for picking the latest; an unreadable or missing one counts as earliest."""
    try:
        return parse_deadline(raw, plan_end=date.max.year).due_date or date.min
    except DeadlineError:
        return date.min


def _row_detail(row: Row, columns: _Columns) -> str | None:
    """What a continuing row adds to its task: its content cell and the cells of other columns."""
    content = _cell(row, columns, "content") if "task_name" in columns.index else None
    return _joined(content, _remark(row, columns), _extra_text(row, columns))


def _task_record(
    row: Row,
    columns: _Columns,
    cell_text: str,
    number: str,
    kind: ListKind,
    list_name: str | None,
    category: str | None,
    project: bool,
    convention: str | None,
) -> TaskRecord:
    entity = _cell(row, columns, "entity")
    owners_text: str | None
    if project:
        owners_text = _list_text(row, columns, "owners")
        responsible = None if entity in (None, "/", "无") else entity
    else:
        owners_text = entity if entity is not None else _list_text(row, columns, "owners")
        responsible = None
    body, deadline = cell_text, _cell(row, columns, "deadline")
    if columns.index.get("owners") == columns.index.get("deadline") and owners_text:
        owners_text, deadline = owner_and_deadline(owners_text)  # 市城管局，2023年底前 in one cell
    if not columns.any("entity", "owners", "lead", "supporting"):
        # 推进…。（市发展改革委牵头，市财政局配合，2023年底前完成）
        body, owners_text, named = split_trailing_owner(cell_text)
        deadline = deadline or named
    serial = _serial_date(deadline)
    if serial is not None:
        deadline = serial
    if deadline is None:
        body, deadline = split_trailing_deadline(body)  # …层层压实责任（立行立改）
    if deadline is None and "deadline" not in columns.index:
        deadline = _last_milestone(row, columns)
    title, rest = split_heading(body)
    content_column = _cell(row, columns, "content") if "task_name" in columns.index else None
    record = TaskRecord(
        list_kind=kind,
        number=number,
        title=title,
        line=row.line,
        list_name=list_name,
        category=category,
        content=_joined(rest, content_column, _remark(row, columns), _extra_text(row, columns)),
        owners_raw=owners_text,
        responsible_entity=responsible,
        deadline_raw=deadline,
        where=row.where,
        status=_cell(row, columns, "status"),
    )
    owners = _owners_from_columns(row, columns, convention) or _owners_from_marks(row, columns, convention)
    if serial is not None:
        message = f"完成时限「{_cell(row, columns, 'deadline')}」按 Excel 日期序号读作 {serial}，请核对"
        record.doubts.append(Doubt("deadline", message, _cell(row, columns, "deadline")))
    if owners is not None:
        record.owners_raw = owners.raw
        if owners_text and owners_text not in (record.owners_raw or ""):
            record.owners_raw = "；".join(p for p in (record.owners_raw, owners_text) if p)
        _set_owners(record, owners.spec)
    elif columns.level_owners:
        # One owners column a level (省级 / 市级 / 县级责任单位): each read alone, as its header says, then together.
        texts = [owners_text, *(_list_text_at(row, k) for k in columns.level_owners)]
        record.owners_raw = "；".join(text for text in texts if text) or None
        specs = [parse_owners(text, convention=convention) for text in texts if text]
        if specs:
            _set_owners(record, _together_specs(specs, record.owners_raw))
    elif record.owners_raw:
        # One column listing every owner (责任单位 alone): the owner grammar reads it.
        _set_owners(record, parse_owners(record.owners_raw, convention=convention))
    return record


# 省级责任单位 / 市级… / 县（市、区）级… / 乡镇级…: a column of one level of government's owners.
_LEVEL = re.compile(r"^\s*(?:省|市|州|盟|县|区|旗|乡镇|镇|乡|街道)(?:[（(][^）)]{1,8}[）)])?级")


def _together_specs(specs: list[OwnerSpec], raw: str | None) -> OwnerSpec:
    """The owners of every level's column: each level's leads lead, its supporting units support; a unit leading
    at one level and supporting at another is named once, as a lead. Several levels naming leads (市工信局 at the
    city's, 各县（市、区）人民政府 at the county's) give co-leads nobody stated: a doubt says so."""

    def union(names: list[tuple[str, ...]]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(name for group in names for name in group))

    leads = union([spec.leads for spec in specs])
    doubts = [doubt for spec in specs for doubt in spec.doubts]
    leading_levels = [spec for spec in specs if spec.leads]
    all_co_lead = all(spec.all_co_lead for spec in specs)
    if len(leading_levels) > 1 and not all_co_lead:
        named = "；".join("、".join(spec.leads) for spec in leading_levels)
        doubts.append(Doubt("leads", f"各级责任单位分别列有牵头单位（{named}），已都读作牵头单位，请确认", raw))
    return OwnerSpec(
        leads=leads,
        supporting=tuple(name for name in union([spec.supporting for spec in specs]) if name not in leads),
        all_co_lead=all_co_lead,
        raw=raw,
        implementers=union([spec.implementers for spec in specs]),
        doubts=tuple(doubts),
        convention=next((spec.convention for spec in specs if spec.convention), None),
    )


def _serial_date(text: str | None) -> str | None:
    """A deadline cell holding an Excel date serial as the date it stands for, the Chinese way (45657 →
    2024年12月31日, as a date cell without a year-first format shows); None when it is no such number."""
    found = _DATE_SERIAL.match(text or "")
    if found is None or int(found.group(1)) not in _SERIAL_RANGE:
        return None
    day = _SERIAL_DAY_0 + timedelta(days=int(found.group(1)))
    return f"{day.year}年{day.month}月{day.day}日"


# 季度目标（三季度） / 三季度: a quarter's column of milestones.
_QUARTER_HEADER = re.compile(r"(第?[一二三四1-4]季度)[）)]?$")
_NO_MILESTONE = ("—", "——", "-", "－", "/", "无")


def _deadline_years_as_milestones(columns: _Columns, roles: list[str | None], years: list[int | None]) -> None:
    """完成时限 merged over 2024年 / 2025年: each year's cell holds that year's milestone (完成选址, 建成投运), not
    a deadline; the columns are milestone columns, read like quarter columns."""
    dated = [k for k, role in enumerate(roles) if role == "deadline"]
    if len(dated) < 2 or any(years[k] is None for k in dated) or len({years[k] for k in dated}) < len(dated):
        return
    columns.milestones = {k: f"{years[k]}年" for k in dated}
    del columns.index["deadline"]
    columns.duplicate = [k for k in columns.duplicate if k not in columns.milestones]


def _target_years_as_milestones(columns: _Columns, targets: list[int], years: list[int | None]) -> list[int]:
    """A task list with a target column per year (2024年目标 / 2025年目标 / 2026年目标) and no 完成时限: each
    year's target is that year's milestone, read like year columns under one 完成时限. The targets left."""
    if not columns.has("task_name") or columns.any("name", "deadline") or columns.milestones:
        return targets
    dated = [k for k in targets if years[k] is not None]
    if len(dated) < 2 or len({years[k] for k in dated}) < len(dated):
        return targets
    columns.milestones = {k: f"{years[k]}年" for k in dated}
    return [k for k in targets if k not in columns.milestones]


def _last_milestone(row: Row, columns: _Columns) -> str | None:
    """Quarter columns standing in for a deadline column (一季度…四季度 under 季度目标, each cell a milestone), or
    year columns under one 完成时限: the task falls due at the end of the last period holding a milestone; that
    period's heading is the deadline."""
    last = None
    for k, text in enumerate(columns.header):
        quarter = _QUARTER_HEADER.search(normalize_cell(text) or "")
        if quarter and column_role(text) in ("status", "observed"):
            quarter = None  # 进度(%)（三季度）: how far the work got by then, not a milestone planned (季度目标)
        period = quarter.group(1) if quarter else columns.milestones.get(k)
        cell = normalize_cell(row.cells[k]) if k < len(row.cells) else None
        if period and cell and cell not in _NO_MILESTONE:
            last = period
    return last


def _set_owners(record: TaskRecord | IndicatorRecord, spec: OwnerSpec) -> None:
    record.leads, record.supporting = spec.leads, spec.supporting
    if spec.implementers and isinstance(record, TaskRecord):
        record.implementers = spec.implementers
    record.doubts += spec.doubts


def _number_within_sections(records: list[TaskRecord], sections: list[int]) -> None:
    """Numbering that restarts under each section heading becomes section.number (2.1, 2.2 …)."""
    numbers = [(r.list_kind, r.number) for r in records if r.number]
    if len(numbers) == len(set(numbers)):
        return
    for record, section in zip(records, sections):
        if record.number and section:
            record.number = f"{section}.{record.number}"


# ------------------------------------------------------------------ cells


def _cells(table: Table, columns: _Columns, path: str, warnings: list[str]) -> list[CellRecord]:
    records: list[CellRecord] = []
    for row in table.rows:
        if _is_empty_row(row) or _repeats_header(row, table.header):
            continue
        category = _cell(row, columns, "category")
        count = _cell(row, columns, "count")
        if category is None or count is None:
            warnings.append(_row_where(path, row) + "无废细胞行缺少类别或数量，已跳过")
            continue
        records.append(
            CellRecord(
                number=_cell(row, columns, "number") or str(len(records) + 1),
                category=category,
                count_raw=count,
                line=row.line,
                status=_cell(row, columns, "status"),
                lead_raw=_list_text(row, columns, "lead") or _list_text(row, columns, "owners"),
                where=row.where,
            )
        )
    return records

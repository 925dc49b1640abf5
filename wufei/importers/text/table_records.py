"""Turn tables found in a document into indicator, task and cell records.

A table is recognised by what its header says, not by column order: 三级指标
with 现状值/目标值 is an indicator table, 三级指标 with 指标说明 a definition
table, 任务名称 with 责任主体 a task list (a project list when it also has
责任部门), 类别 with 数量 a table of 无废细胞.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from wufei.importers.records import CellRecord, IndicatorRecord, ListKind, TaskRecord
from wufei.importers.text.normalize import fold_punct, normalize_cell
from wufei.importers.text.tables import Row, Table

MARKS = "★※△✦"
# Parts of a split name must be this long, so a stray space inside a word is never a split.
MIN_SPLIT_PART = 6

# Column roles, keyed by the header text without spaces and without a bracketed year.
_ROLE_BY_HEADER: dict[str, str] = {
    "序号": "number",
    "一级指标": "level1",
    "二级指标": "level2",
    "三级指标": "name",
    "指标名称": "name",
    "现状值": "baseline",
    "基准值": "baseline",
    "基期值": "baseline",
    "目标值": "target",
    "单位": "unit",
    "计量单位": "unit",
    "数据来源": "data_source",
    "责任部门": "owners",
    "责任分工": "owners",
    "责任单位": "owners",
    "任务名称": "task_name",
    "项目名称": "task_name",
    "任务类别": "category",
    "类别": "category",
    "主要内容": "content",
    "建设内容": "content",
    "责任主体": "entity",
    "完成期限": "deadline",
    "完成时限": "deadline",
    "指标说明": "definition",
    "指标解释": "definition",
    "指标解释说明": "definition",
    "指标属性": "attribute",
    "属性": "attribute",
    "数量": "count",
    "推进情况": "status",
    "牵头部门": "lead",
    "牵头单位": "lead",
}

_YEAR = re.compile(r"(\d{4})\s*年")
_BRACKETED = re.compile(r"（[^）]*）")
_DEFINITION_START = re.compile(r"^指标(解释|说明)")
_METHOD_START = re.compile(r"^计算(方法|方式|公式)")
# A space between two names in a list column is a separator when the name before
# it ends like a unit (…局 …委 …政府 …中心); otherwise it is a stray break (工作 领导小组).
_UNIT_END = "局委会部府行社组院处室队办所厅心司"
_UNIT_START = "市省区县各镇乡"

_LIST_KINDS: list[tuple[str, ListKind]] = [
    ("制度体系", ListKind.INSTITUTION),
    ("技术体系", ListKind.TECHNOLOGY),
    ("市场体系", ListKind.MARKET),
    ("监管体系", ListKind.REGULATION),
]


@dataclass
class TableRecords:
    indicators: list[IndicatorRecord] = field(default_factory=list)
    tasks: list[TaskRecord] = field(default_factory=list)
    cells: list[CellRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Columns:
    """Where each role sits in one table, and the years printed in the header."""

    index: dict[str, int]
    baseline_year: int | None = None
    target_year: int | None = None

    def has(self, *roles: str) -> bool:
        return all(role in self.index for role in roles)


def records_from_tables(tables: list[Table], path: str) -> TableRecords:
    result = TableRecords()
    definition_tables: list[Table] = []
    for table in tables:
        columns = _columns(table.header)
        kind = _classify(columns)
        if kind == "indicators":
            result.indicators += _indicators(table, columns, path, result.warnings)
        elif kind == "definitions":
            definition_tables.append(table)
        elif kind == "projects":
            result.tasks += _tasks(table, columns, path, result.warnings, project=True)
        elif kind == "tasks":
            result.tasks += _tasks(table, columns, path, result.warnings, project=False)
        elif kind == "cells":
            result.cells += _cells(table, columns, path, result.warnings)
        else:
            result.warnings.append(
                _where(path, table.start_line) + f"表头未识别，表格未导入：{'、'.join(table.header)}"
            )
    for table in definition_tables:
        _attach_definitions(table, result.indicators, path, result.warnings)
    return result


# ------------------------------------------------------------------ headers


def header_key(text: str) -> str:
    """A header cell reduced to its words: no spaces, no bracketed year, full-width punctuation."""
    text = fold_punct(normalize_cell(text) or "")
    text = _BRACKETED.sub("", text)
    return re.sub(r"\s+", "", text)


def _columns(header: list[str]) -> _Columns:
    columns = _Columns(index={})
    for k, text in enumerate(header):
        role = _ROLE_BY_HEADER.get(header_key(text))
        if role is None or role in columns.index:
            continue
        columns.index[role] = k
        year = _YEAR.search(text)
        if year and role == "baseline":
            columns.baseline_year = int(year.group(1))
        if year and role == "target":
            columns.target_year = int(year.group(1))
    return columns


def _classify(columns: _Columns) -> str | None:
    if columns.has("category", "count") and (columns.has("status") or columns.has("lead")):
        return "cells"
    if columns.has("name") and (columns.has("baseline") or columns.has("target")):
        return "indicators"
    if columns.has("name", "definition"):
        return "definitions"
    if columns.has("task_name", "entity", "owners"):
        return "projects"
    if columns.has("task_name") and (columns.has("entity") or columns.has("owners")):
        return "tasks"
    return None


# --------------------------------------------------------------- helpers


def _where(path: str, line: int) -> str:
    return f"{path} 第{line}行："


def _cell(row: Row, columns: _Columns, role: str) -> str | None:
    k = columns.index.get(role)
    return row.cells[k] if k is not None else None


def _raw(row: Row, columns: _Columns, role: str) -> str | None:
    k = columns.index.get(role)
    if k is None or k >= len(row.raw):
        return None
    return row.raw[k]


def _value(row: Row, columns: _Columns, role: str) -> str | None:
    """A baseline or target as printed, brackets in one form: 0.012 (2021年) -> 0.012（2021年）.

    Only brackets are folded: a comma may be a thousands separator.
    """
    text = _cell(row, columns, role)
    if text is None:
        return None
    return normalize_cell(text.replace("(", "（").replace(")", "）"))


def _list_text(row: Row, columns: _Columns, role: str) -> str | None:
    """A column listing units: spaces that separated two names become 、 before normalizing."""
    raw = _raw(row, columns, role)
    if raw is None:
        return _cell(row, columns, role)
    # A line break inside a cell is the page width, not a separator, unless a space stands before it or
    # a unit's name ends there and another's begins (局 / 市…: PDF drops the space a line breaks at).
    lines = [line for line in raw.split("\n") if line.strip()]
    joined = ""
    for k, line in enumerate(lines):
        joined += line.strip()
        if k + 1 < len(lines) and (line[-1].isspace() or _parts_names(line.strip(), lines[k + 1].strip())):
            joined += " "
    parts = re.split(r"[ \t\u3000\u00a0]+", joined.strip())
    text = parts[0]
    for part in parts[1:]:
        separate = text[-1] in _UNIT_END and part[0] not in "、，,；;）)"
        text += ("、" if separate else "") + part
    return normalize_cell(text)


def _parts_names(before: str, after: str) -> bool:
    return before[-1:] in _UNIT_END and after[:1] in _UNIT_START


def split_marks(name: str) -> tuple[str, str]:
    """(name without marks, marks in printed order): 数量 △ -> (数量, △)."""
    marks = "".join(ch for ch in name if ch in MARKS)
    bare = normalize_cell("".join(ch for ch in name if ch not in MARKS)) or ""
    return bare, marks


def name_key(name: str) -> str:
    """A name for matching across tables: no marks, no spaces, one punctuation form."""
    return re.sub(r"\s+", "", fold_punct(split_marks(name)[0]))


def _is_empty_row(row: Row) -> bool:
    return all(c is None for c in row.cells)


# ------------------------------------------------------------- indicators


def _indicators(table: Table, columns: _Columns, path: str, warnings: list[str]) -> list[IndicatorRecord]:
    names = _indicator_names(table.rows, columns)
    records: list[IndicatorRecord] = []
    level1: str | None = None
    level2: str | None = None
    number: str | None = None
    for row, name in zip(table.rows, names):
        if _is_empty_row(row):
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
            warnings.append(_where(path, row.line) + f"指标 {printed_number or '?'} 没有指标名称，已跳过")
            continue
        if printed_number is None:
            warnings.append(_where(path, row.line) + f"指标「{name}」没有序号")
        bare, marks = split_marks(name)
        records.append(
            IndicatorRecord(
                number=printed_number or "",
                name=bare,
                line=row.line,
                where=row.where,
                level1=level1,
                level2=level2,
                marks=marks,
                baseline_raw=_value(row, columns, "baseline"),
                baseline_year_default=columns.baseline_year,
                target_raw=_value(row, columns, "target"),
                target_year=columns.target_year,
                unit=_cell(row, columns, "unit"),
                data_source=_list_text(row, columns, "data_source"),
                owners_raw=_list_text(row, columns, "owners"),
                attribute_raw=_cell(row, columns, "attribute"),
                definition=_cell(row, columns, "definition"),
            )
        )
    return records


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
                if building:
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


def _tasks(table: Table, columns: _Columns, path: str, warnings: list[str], *, project: bool) -> list[TaskRecord]:
    if project:
        kind = ListKind.PROJECT
        titles = [line for line in table.caption if not re.match(r"^(附件|附表)\s*\d*$", line)]
        list_name = titles[-1] if titles else None
    else:
        kind, list_name = _list_kind(table.caption)
    records: list[TaskRecord] = []
    category: str | None = None
    title: str | None = None
    for row in table.rows:
        if _is_empty_row(row):
            continue
        category = _cell(row, columns, "category") or category
        # A blank 任务名称 is a merged cell: the row continues the task above (001 project 2).
        title = _cell(row, columns, "task_name") or title
        number = _cell(row, columns, "number")
        if title is None:
            warnings.append(_where(path, row.line) + f"任务 {number or '?'} 没有任务名称，已跳过")
            continue
        if number is None:
            warnings.append(_where(path, row.line) + f"任务「{title}」没有序号")
        entity = _cell(row, columns, "entity")
        if project:
            owners = _list_text(row, columns, "owners")
            responsible = None if entity in (None, "/", "无") else entity
        else:
            owners = entity if entity is not None else _list_text(row, columns, "owners")
            responsible = None
        records.append(
            TaskRecord(
                list_kind=kind,
                number=number or "",
                title=title,
                line=row.line,
                where=row.where,
                list_name=list_name,
                category=category,
                content=_cell(row, columns, "content"),
                owners_raw=owners,
                responsible_entity=responsible,
                deadline_raw=_cell(row, columns, "deadline"),
            )
        )
    return records


# ------------------------------------------------------------------ cells


def _cells(table: Table, columns: _Columns, path: str, warnings: list[str]) -> list[CellRecord]:
    records: list[CellRecord] = []
    for row in table.rows:
        if _is_empty_row(row):
            continue
        category = _cell(row, columns, "category")
        count = _cell(row, columns, "count")
        if category is None or count is None:
            warnings.append(_where(path, row.line) + "无废细胞行缺少类别或数量，已跳过")
            continue
        records.append(
            CellRecord(
                number=_cell(row, columns, "number") or "",
                category=category,
                count_raw=count,
                line=row.line,
                where=row.where,
                status=_cell(row, columns, "status"),
                lead_raw=_list_text(row, columns, "lead"),
            )
        )
    return records

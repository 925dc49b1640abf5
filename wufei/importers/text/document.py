"""A Document (any format) to one ParsedPlan.

Every layout extractor runs on every document; what a document holds is
found from its layout (tables, numbered paragraphs, owner brackets, an
evaluation table), never from its name, its format or its line numbers.
"""

from __future__ import annotations

import re
from pathlib import Path

from wufei.importers.document import GRID, Document, Table
from wufei.importers.records import (
    CellRecord,
    Doubt,
    ImportError_,
    IndicatorRecord,
    ParsedPlan,
    PlanKind,
    TaskRecord,
)
from wufei.importers.text.announced_list import announced_items
from wufei.importers.text.candidates import (
    MAX_CANDIDATES,
    NOT_A_PLAN,
    NOTHING_TASK_LIKE,
    candidate_tasks,
    none_known,
    too_many_candidates,
)
from wufei.importers.text.evaluation import evaluation_indicators
from wufei.importers.text.labelled_blocks import labelled_blocks
from wufei.importers.text.metadata import cell_totals, document_metadata
from wufei.importers.text.named_cells import named_cell_counts
from wufei.importers.text.normalize import with_chinese_stops
from wufei.importers.text.notice_deadline import with_notice_deadline
from wufei.importers.text.paragraphs import OWNER_LABEL_ALONE, main_tasks, numbered_items, preamble_headings
from wufei.importers.text.recognised import flag_recognised
from wufei.importers.text.refine import document_convention, document_mark_roles, refine
from wufei.importers.text.section_blocks import section_blocks
from wufei.importers.text.section_forms import section_form
from wufei.importers.text.table_records import records_from_tables
from wufei.importers.text.tables import find_tables
from wufei.importers.text.traditional import as_simplified


def interpret(document: Document) -> ParsedPlan:
    """What a document says: its plan, tasks, indicators and cells; ImportError_ if it says nothing."""
    document = as_simplified(document)  # a mirror's traditional copy: read in the characters rules are written in
    lines, path = with_chinese_stops(document.lines), document.path
    boxes: list[list[list[str | None]]] = [
        [list(table.header), *(list(row.cells) for row in table.rows)] for table in document.tables
    ]
    meta = document_metadata(lines, boxes)
    if not meta.title:
        if not document.tables:
            raise ImportError_(path, "找不到文件标题，文件可能为空")
        # Only tables (a task table saved alone): the file's name stands for the title.
        meta.title = Path(path).stem
        message = f"文件中没有标题，暂以文件名「{meta.title}」为标题，请核对并填写方案名称"
        meta.doubts.append(Doubt("title", message, meta.title))
    convention = document_convention(document)  # 列第一位为牵头单位, stated once for every row
    legend = document_mark_roles(document)  # 注：★为牵头单位，○为配合单位
    # 一、整改问题 / … / 二、整改实施主体 / …: a notice printing a form's labels as its sections is read as that form.
    found = [*document.tables, *([form] if (form := section_form(lines)) is not None else [])]
    # 01 项目名称：… / 项目内容： / … / 责任单位 / …, block after block: each block a record, read as a form's rows.
    found += [blocks] if not document.tables and (blocks := labelled_blocks(lines)) is not None else []
    # 一、关于《X》进展情况 / （一）责任领导：… / （二）年度目标：…, section after section: each section a record.
    found += [sections] if not found and (sections := section_blocks(lines)) is not None else []
    tables = records_from_tables(found, path, convention=convention, legend=legend)
    indicators = tables.indicators
    if meta.kind is PlanKind.EVALUATION or not indicators:
        indicators = indicators + evaluation_indicators(lines)
    cells, name_lines = (tables.cells, set()) if tables.cells else named_cell_counts(lines)
    planned, built = cell_totals(lines) if cells else (None, None)
    plan = ParsedPlan(
        path=path,
        title=meta.title,
        jurisdiction=meta.jurisdiction,
        kind=meta.kind,
        doc_number=meta.doc_number,
        issuer=meta.issuer,
        issued_on=meta.issued_on,
        period_start=meta.period_start,
        period_end=meta.period_end,
        # The names a naming notice lists under each cell category (1. 某区建设局) are the cells it counts, no tasks.
        tasks=[t for t in _paragraph_tasks(lines, found, meta.title) if t.line not in name_lines] + tables.tasks,
        indicators=indicators,
        cells=cells,
        cells_planned_total=planned,
        cells_built_total=built,
        warnings=list(tables.warnings),
        doubts=[*document.doubts, *meta.doubts, *tables.doubts],
        format=document.format,
    )
    requirements: list[str] = []
    if not (plan.tasks or plan.indicators or plan.cells):
        # Nothing names owners or heads a table: the numbered items are the tasks, awaiting owners.
        # …or the projects one sentence names after announcing how many (十大民生实事项目为：A、B、…)
        body = _without_tables(lines, found)
        plan.tasks = numbered_items(body)
        numbered = bool(plan.tasks)
        plan.tasks = plan.tasks or announced_items(body)
        if _notice_requirements(plan.tasks, lines):
            # 现将…分解下发 / 一、强化责任意识… 各地各单位要…: a notice's requirements on the division it publishes
            # (its table an attachment), no tasks of it
            requirements, plan.tasks = [task.title for task in plan.tasks], []
        if plan.tasks:
            # the projects of an announced list were named in one sentence, not numbered
            read = "个编号条目" if numbered else "个在一句中列出的项目"
            message = f"文件中没有写明责任单位的任务，已将{len(plan.tasks)}{read}读作待指定牵头单位的任务，请核对"
            plan.doubts.append(Doubt("record", message))
    if not (plan.tasks or plan.indicators or plan.cells) and document.format != "text":
        # A table its editor or converter flattened into paragraphs (a web page's cells as <p> one by one, rows
        # run together in one paragraph): read as a text copy's table is, since nothing else was read.
        flat_tables = find_tables(lines)
        found += flat_tables
        flattened = records_from_tables(flat_tables, path, convention=convention, legend=legend)
        plan.tasks, plan.indicators, plan.cells = flattened.tasks, flattened.indicators, flattened.cells
        plan.warnings += flattened.warnings
        plan.doubts += flattened.doubts
    if not (plan.tasks or plan.indicators or plan.cells):
        # No structure recognised at all: task-like paragraphs, each awaiting a person's check.
        plan.tasks = candidate_tasks(_without_tables(lines, found), title=meta.title)
        if len(plan.tasks) > MAX_CANDIDATES:
            raise ImportError_(path, too_many_candidates(len(plan.tasks)))
        if plan.tasks:
            count = len(plan.tasks)
            message = f"未识别出任务清单结构，已将{count}个写明责任单位或完成时限的段落读作候选任务，请逐条核对"
            plan.doubts.append(Doubt("record", message))
            if none_known(plan.tasks):
                plan.doubts.append(Doubt("record", NOT_A_PLAN))
    refine(plan, convention=convention)
    if document.format != "text":
        # Paragraph records know only their line; say where that is in this format (第12段, 第3页).
        records: list[TaskRecord | IndicatorRecord | CellRecord] = [*plan.tasks, *plan.indicators, *plan.cells]
        for record in records:
            if record.where is None:
                record.where = document.where(record.line)
    if not (plan.tasks or plan.indicators or plan.cells):
        unread = "；".join(doubt.message for doubt in plan.doubts if doubt.field == "table")
        opening = preamble_headings(lines)
        # A plan's opening (the store or the sender cut it before its tasks): say what was found.
        found_only = f"；只读到方案开头的{'、'.join(opening)}，其中没有任务" if opening else ""
        if requirements:
            said = "、".join(f"「{title}」" for title in requirements[:_REQUIREMENTS_NAMED])
            found_only += f"；只读到印发通知的工作要求（{said}），任务分解表可能是附件，请导入附件"
        raise ImportError_(path, NOTHING_TASK_LIKE + (f"（{unread}）" if unread else "") + found_only)
    if document.ocr is not None:
        flag_recognised(plan, document.ocr)
    return plan


# A notice publishing a division of tasks (现将…分解下发 / 印发给你们), and a requirement it makes of everyone
# (各地各单位要…, 各牵头单位要…) rather than a task of the division.
_PUBLISHING = re.compile(r"印发给你们|印发你们|分解下[达发]|(?:分解|下达)给你们")
# 各 before a kind of unit (各地, 各县区, 各部门, 各有关单位), not 各类/各项 (各类工业园区…要达到80%: a target)
_EVERYONE_ASKED = re.compile(
    r"各(?:地|省|市|县|区|乡|镇|街道|部门|单位|有关|相关|级|成员|牵头|责任)[^，。；,;]{0,20}?要|(?:牵头|责任|汇总)单位要"
)
_REQUIREMENTS_NAMED = 3


def _notice_requirements(items: list[TaskRecord], lines: list[str]) -> bool:
    """Whether a notice's numbered items, none naming an owner, are all requirements made of everyone on the division
    it publishes."""
    if not items or not any(_PUBLISHING.search(line) for line in lines):
        return False
    return all(_EVERYONE_ASKED.search(f"{item.title}。{item.content or ''}") for item in items)


def _paragraph_tasks(lines: list[str], found: list[Table], title: str) -> list[TaskRecord]:
    """The tasks read from the paragraphs around the tables; a notice's one date for all of them given to each."""
    body = _without_tables(lines, found)
    # A page that opens with the owner lines of an item the page before it held (牵头单位：市工信委 / 配合单位：…):
    # the label is no task's name, and the item is not on this page.
    tasks = [task for task in main_tasks(body) if not OWNER_LABEL_ALONE.match(task.title or "")]
    return with_notice_deadline(_not_the_title(tasks, lines, title), body)


def _not_the_title(tasks: list[TaskRecord], lines: list[str], title: str) -> list[TaskRecord]:
    """Paragraph tasks without the document's own title: a title closed by its period in parentheses
    (…推进台账（2024年第三季度）) reads like a task closed by its deadline, but it names the plan."""
    key = _compact(title)
    return [
        task
        for task in tasks
        if (task.owners_raw and not _publisher_after_title(lines, task, key))
        or not (0 < task.line <= len(lines))
        or not (text := _compact(lines[task.line - 1]))
        or not (text in key and 2 * len(text) >= len(key))  # a line of a title broken in two counts too
    ]


def _publisher_after_title(lines: list[str], task: TaskRecord, key: str) -> bool:
    """The title line with its publisher after a dash (…整改措施完成情况公示表——拉萨市人民政府): no task led by it."""
    if not (0 < task.line <= len(lines)) or _compact(lines[task.line - 1]) != key:
        return False
    return key.endswith((_compact(f"——{task.owners_raw}"), _compact(f"—{task.owners_raw}")))


def _compact(text: str) -> str:
    return "".join(text.split())


def _without_tables(lines: list[str], tables: list[Table]) -> list[str]:
    """The lines with every table found in them blanked: paragraphs are read around tables,
    never through them (a table's owner cells are not a paragraph's owner clause)."""
    body = list(lines)
    for table in tables:
        if table.layout == GRID:
            continue  # a real table left an empty line of its own
        for index in range(table.start_line - 1, min(table.end_line, len(body))):
            body[index] = ""
    return body

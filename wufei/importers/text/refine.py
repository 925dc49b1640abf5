"""What the grammar adds once a whole document is read.

Tables and paragraphs are read one at a time; some things are only known for the document as a
whole:
- the owner convention it states once (`列第一位为牵头单位，下同`), applied to every owner text;
- owners parsed into leads, supporting units and implementers on every record (so the preview
  shows them field by field), with a doubt on a name that could not be split;
- for a task nothing else gives owners, the owners its own text names in a sentence (`由X负责…`), or, for a
  duty item, the unit its attribution hands the matter to (`人车分行…现由A委托B负责管理`: the title is the
  matter, B leads), with a doubt saying where they were read;
- a task's deadline written inside its own text when it has no deadline of its own
  (`到2025年底，…`), read against the plan period;
- numbers made unique within each list (two task tables numbered from 1, a table beside the
  numbered paragraphs): a repeated number gets a suffix and a doubt, never a refused file;
- plan-level doubts: a period nobody could find.
"""

from __future__ import annotations

import re
from collections import Counter

from wufei.departments.owners import (
    duty_attribution,
    owner_convention,
    owners_in_sentences,
    parse_owners,
    split_names,
)
from wufei.importers.document import Document
from wufei.importers.headers import column_role
from wufei.importers.records import Doubt, ParsedPlan, TaskRecord
from wufei.importers.text.table_records import mark_roles
from wufei.tasks.deadlines import deadlines_in_text


def document_convention(document: Document) -> str | None:
    """The owner convention stated anywhere in the document's text or tables, if any."""
    for line in document.lines:
        if convention := owner_convention(line):
            return convention
    for table in document.tables:
        for text in [*table.caption, *table.header, *(cell for row in table.rows for cell in row.cells if cell)]:
            if convention := owner_convention(text):
                return convention
    return None


def document_mark_roles(document: Document) -> dict[str, str]:
    """What the document's legend (注：★为牵头单位，○为配合单位) says its matrix marks mean, wherever it is
    printed: a line of the text, a table's caption or a row of the table."""
    roles: dict[str, str] = {}
    for table in document.tables:
        for text in [*table.caption, *(cell for row in table.rows for cell in row.cells if cell)]:
            roles |= mark_roles(text)
    for line in document.lines:
        roles |= mark_roles(line)
    return roles


def refine(plan: ParsedPlan, *, convention: str | None) -> None:
    """Owners, deadlines from text, unique numbers and plan doubts, in place."""
    for task in plan.tasks:
        _owners_from_text(task)
    for record in [*plan.tasks, *plan.indicators]:
        _owners(record, convention)
    for task in plan.tasks:
        if task.deadline_raw is None:
            text = "".join(part for part in (task.title, _without_progress(task.content)) if part)
            task.deadline_raw = deadlines_in_text(text, plan_start=plan.period_start, plan_end=plan.period_end)
        if task.title:
            task.title = _without_opening_time(task.title, task.deadline_raw)
    _unique_numbers(plan.tasks)
    if plan.period_end is None and plan.tasks:
        plan.doubts.append(
            Doubt("period", "未能从标题或正文确定规划期（起止年份），未列完成期限的任务无法确定到期日，请填写规划期")
        )


def _without_progress(content: str | None) -> str | None:
    """A task's content without the work done it reports (完成情况：…工程于2025年6月23日开工建设): a date there is
    when something happened, never when the task is due."""
    if not content:
        return content
    return _PROGRESS.sub(lambda m: "" if column_role(m["label"]) == "status" else m[0], content)


def _without_opening_time(title: str, deadline: str | None) -> str:
    """A title opening with its own deadline clause (2024年9月底前，开展…) without it: the deadline is a field.
    So is a "by" date glued to the step it closes (4月底前完成摸底), and a span of months the step runs
    through before its comma (6月-9月，组织…) is no part of what is done."""
    if (span := _MONTH_SPAN.match(title)) and title[span.end() :].strip().startswith(("，", ",")):
        return title[span.end() :].strip().lstrip("，,").strip()
    if not deadline:
        return title
    head, comma, rest = title.partition("，")
    if comma and rest and head.strip() == deadline.strip():
        return rest.strip()
    first = deadline.split("；")[0].strip()
    if first.endswith("前") and title.startswith(first) and len(title) > len(first) + 1:
        return title[len(first) :].lstrip("，, ")
    return title


_MONTH_SPAN = re.compile(r"\d{1,2}月\s*[-—–－~至到]\s*\d{1,2}月")
# 表头：内容 in a task's content, up to the next such label or the line's end.
_PROGRESS = re.compile(r"(?:^|(?<=[；\n]))(?P<label>[^；\n：]{2,12})：.*?(?=；[^；\n：]{2,12}：|\n|$)", re.MULTILINE)


def _owners_from_text(task: TaskRecord) -> None:
    """整改要求：由县环卫站负责清除…: the owners a task without any names inside its own sentences."""
    if task.owners_raw or task.leads is not None or task.supporting is not None:
        return
    if task.content is None and (duty := duty_attribution(task.title)) is not None:
        # 人车分行…现由县公安局委托县城管办负责管理: the duty's matter is its title, the unit managing it its owner
        sentence = task.title
        task.title, task.owners_raw = duty
        message = f"责任单位是从职责句「{sentence}」中读出的（「{task.owners_raw}」），请核对"
        task.doubts.append(Doubt("leads", message, task.owners_raw))
        return
    found = owners_in_sentences("。".join(part for part in (task.title, task.content) if part))
    if found:
        task.owners_raw = found
        message = f"责任单位是从任务内容的句子中读出的（「{found}」），请核对"
        task.doubts.append(Doubt("leads", message, found))


def _owners(record, convention: str | None) -> None:
    if record.leads is not None or record.supporting is not None or not record.owners_raw:
        return
    spec = parse_owners(record.owners_raw, convention=convention)
    record.leads, record.supporting = spec.leads, spec.supporting
    if isinstance(record, TaskRecord) and spec.implementers and record.implementers is None:
        announced = split_names(record.implementers_raw) if record.implementers_raw else ()
        record.implementers = tuple(dict.fromkeys(spec.implementers + announced))
    record.doubts.extend(doubt for doubt in spec.doubts if doubt not in record.doubts)


def _unique_numbers(tasks: list[TaskRecord]) -> None:
    taken = Counter((task.list_kind, task.number) for task in tasks if task.number)
    seen: set[tuple[str, str]] = set()
    counters: Counter = Counter()
    for task in tasks:
        kind = task.list_kind
        if not task.number:
            counters[kind] += 1
            while (kind, str(counters[kind])) in taken or (kind, str(counters[kind])) in seen:
                counters[kind] += 1
            task.number = str(counters[kind])
        elif (kind, task.number) in seen:
            printed, suffix = task.number, 2
            while (kind, f"{printed}-{suffix}") in seen or (kind, f"{printed}-{suffix}") in taken:
                suffix += 1
            task.number = f"{printed}-{suffix}"
            message = f"序号「{printed}」与同一清单中前面的任务重复，已暂编为「{task.number}」，请核对"
            task.doubts.append(Doubt("record", message, printed))
        seen.add((kind, task.number))

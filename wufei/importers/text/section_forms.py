"""A notice that prints a form's labels as its sections: one record, read as a form is.

Offices publish a rectification's 公示 or 验收意见 as numbered sections whose headings are a form's labels, each
over its value (一、整改问题 / （一）… / 二、整改实施主体 / 宿马园区党工委、管委会 / 三、重点措施 / … / 五、完成时限 /
2024年12月底), or with the value run straight on after the label (一、整改任务秸秆禁烧…。 / 二、整改目标全县…). Such
a notice is one record: `section_form` turns its sections into the one-row table a form of label/value rows
becomes (table_forms.as_form), so the table reader reads its task, owners and deadline by their labels.

A plan's own outline (一、工作目标 / 二、主要任务 / 三、保障措施) is no form: every heading must be a label the
vocabulary knows, every value short (a paragraph, not a chapter), and the labels must name a task and who does it
or by when, as a form's must (table_forms.form_labels_name_a_task). A section's single value numbered （一） as the
first of its items carries no number of its own.

A 公示 may print the form's labels unnumbered, each opening its line with a colon (整改任务：… / 整改目标：… /
整改完成情况： over 1、… 2、… 3、…, the work done). Such lines are a form too when they name the task and who does it,
by when, or how it went (the notice reports on one task), and when no label comes back after them: labelled
lines repeating under every task (项目名称：… / 责任单位：… then 项目名称：… again) are a list, read elsewhere.
"""

from __future__ import annotations

import re
from itertools import pairwise

from wufei.departments.owners import looks_like_unit
from wufei.importers.document import CELLS, Row, Table
from wufei.importers.headers import column_roles, header_key
from wufei.importers.text.normalize import normalize_cell
from wufei.importers.text.table_forms import LABEL_MAX, form_labels_name_a_task

_SECTION = re.compile(r"^\s*([一二三四五六七八九十]+)\s*、\s*(.*)$")
_NUMERALS = "一二三四五六七八九十"
MIN_SECTIONS = 3
VALUE_MAX_LINES = 3  # non-blank lines under one label: a form's value, not a chapter
RUN_ON_LABEL_MIN = 4  # 整改任务秸秆禁烧…: a shorter word (目标明确…) opens a sentence, it labels nothing
# 交办单编号： / 公示时间：: a short label the vocabulary does not know, closing the value above it.
_OTHER_LABEL = re.compile(rf"^[\u4e00-\u9fff（）()]{{2,{LABEL_MAX}}}\s*[：:]")
_BRACKETED = re.compile(r"[（(][^（）()]*[）)]")
_NOT_A_LABEL = re.compile(r"[\d，。、；,.;（）()\s]")
_OWNER_ROLES = {"lead", "owners", "entity", "supporting"}
# 我单位所承担的…整改任务: the notice's own office answers for the task it reports on.
_OWN_TASK = re.compile(r"(?:我|本)(?:单位|部门|局|委|办|厅|中心|街道|镇|乡|处|所|站|队)所?(?:承担|负责|牵头)的")
_DATE_LINE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
# 整改任务 | / … | / |: a cell of a table a search store keeps a cell a line, closed by a bar (a lone bar ends a row).
_CELL_LINE = re.compile(r"^(.*?)\s*\|$")
_FIRST_ITEM = re.compile(r"^\s*(?:[（(]\s*[一1]\s*[）)]|1\s*[.．、])\s*")


def section_form(lines: list[str]) -> Table | None:
    """The notice's sections as a one-row table (its labels the header), or None when no run of three or more
    sections 一、二、三… (or of lines opening with a label and its colon) is a form naming a task (index 0 of
    `lines` is line 1)."""
    start = next((k for k, line in enumerate(lines) if _numbered(line) == 1), None)
    if start is None:
        return _labelled_lines_form(lines)
    labels: list[str] = []
    values: list[list[tuple[int, str]]] = []  # (line index, text) of each section's value
    for k in range(start, len(lines)):
        text = lines[k].strip()
        number = _numbered(text)
        if number == len(labels) + 1:
            split = label_and_value(_SECTION.match(text).group(2))  # type: ignore[union-attr]
            if split is None:
                break
            labels.append(split[0])
            values.append([(k, split[1])] if split[1] else [])
        elif number is not None:
            break  # another list, or numbers out of order: the form, if any, ended
        elif text:
            if len(values[-1]) == VALUE_MAX_LINES:
                break  # a chapter, or the notice's closing lines after its last section
            values[-1].append((k, text))
    if len(labels) < MIN_SECTIONS or not all(values) or not form_labels_name_a_task(labels):
        return None
    return _one_row_form(labels, values, start)


def _labelled_lines_form(lines: list[str]) -> Table | None:
    """Lines opening with a form's label and its colon (整改任务：… / 整改目标：… / 整改完成情况：), each followed by at
    most three lines of its value, as a one-row table; None when they are no form reporting on one task. A run of
    such lines that is no form (a contact line before the notice's text) is passed over for the next run."""
    lines = _label_cells_as_lines(lines)
    start = 0
    while (start := next((k for k in range(start, len(lines)) if _known_label(lines[k]) is not None), -1)) >= 0:
        labels, values, end, repeated = _labelled_run(lines, start)
        if repeated:
            return None  # a label again: labelled blocks one a task, a list rather than one form
        roles = set(column_roles(labels))
        names_a_task = "task_name" in roles and (form_labels_name_a_task(labels) or "status" in roles)
        if len(labels) >= MIN_SECTIONS and names_a_task:
            seen = {header_key(label) for label in labels}
            if any((split := _known_label(line)) and header_key(split[0]) in seen for line in lines[end:]):
                return None  # its labels come back further down: a list of labelled blocks
            # 整改完成情况： over 1、… 2、… 3、…: the work done reported on the task, none of it a task of its own
            last = values[-1][-1][0]
            if not roles & _OWNER_ROLES and (owner := _signing_owner(lines, start)) is not None:
                # the last section's paragraph only (what follows closes the notice), then the signing office
                labels, values = [*labels, "责任单位"], [*values[:-1], values[-1][:1], [owner]]
            return _one_row_form(labels, values, start, end=last)
        start = end
    return None


def _label_cells_as_lines(lines: list[str]) -> list[str]:
    """A form as a search store keeps a page's table, a cell a line closed by ` |` and a lone `|` between rows
    (整改任务 | / its value | / | / 责任单位 | / …): its label cells as labelled lines (整改任务：) over their values,
    the bars dropped, the lines keeping their numbers. A table's header typed a cell a line (序号 | / 重点工作 | /
    责任单位 |) is no such form: its label cells follow one another, where a form's each stand over a value."""
    cells = [
        (match.group(1).strip(), True) if (match := _CELL_LINE.match(line.strip())) else (line, False) for line in lines
    ]
    filled = [k for k, (text, _) in enumerate(cells) if text.strip()]
    labels = {k for k in filled if cells[k][1] and _known_label(f"{cells[k][0]}：") is not None}
    following = dict(pairwise(filled))
    if len(labels) < MIN_SECTIONS or any(k not in following or following[k] in labels for k in labels):
        return lines
    return [f"{text}：" if k in labels else text for k, (text, _) in enumerate(cells)]


def _labelled_run(lines: list[str], start: int) -> tuple[list[str], list[list[tuple[int, str]]], int, bool]:
    """(labels, values, index of the first line after the run, whether a label came back) of the labelled lines
    from `start` on, each with at most three lines of value under it. A label the vocabulary does not know
    (交办单编号：, 公示时间：) ends the value before it and is no part of the form, nor is a label left empty."""
    labels: list[str] = []
    values: list[list[tuple[int, str]]] = []
    known = True
    for k in range(start, len(lines)):
        text = lines[k].strip()
        split = _known_label(text)
        if split is not None and any(header_key(split[0]) == header_key(seen) for seen in labels):
            return _filled(labels, values) + (k, True)
        if split is not None:
            labels.append(split[0])
            values.append([(k, split[1])] if split[1] else [])
            known = True
        elif _OTHER_LABEL.match(text):
            known = False
        elif text and known:
            if len(values[-1]) == VALUE_MAX_LINES:
                return _filled(labels, values) + (k, False)  # the notice's closing lines (特此公示, the signature)
            values[-1].append((k, text))
    return _filled(labels, values) + (len(lines), False)


def _filled(labels: list[str], values: list[list[tuple[int, str]]]) -> tuple[list[str], list[list[tuple[int, str]]]]:
    kept = [(label, value) for label, value in zip(labels, values, strict=True) if value]
    return [label for label, _ in kept], [value for _, value in kept]


def _known_label(line: str) -> tuple[str, str] | None:
    """(label, value) of a line opening with a form's label the vocabulary knows, closed by its colon (整改任务：…,
    整改效果（或整改完成情况）：…), else None."""
    label, colon, after = (re.split(r"([：:])", line.strip(), maxsplit=1) + ["", ""])[:3]
    label = label.strip()
    bare = _BRACKETED.sub("", label)  # 整改效果（或整改完成情况）: the word before its gloss
    if not colon or not bare or len(bare) > LABEL_MAX or _NOT_A_LABEL.search(bare) or not _known(label):
        return None  # 1.河道沿岸存在…（责任单位：…: a sentence with a label inside, no label
    return label, after.strip()


def _signing_owner(lines: list[str], start: int) -> tuple[int, str] | None:
    """(line index, name) of the unit signing a notice whose opening says the task is its own (我单位所承担的…): the
    last lines are that unit's name and the date."""
    if not _OWN_TASK.search("".join(lines[:start])):
        return None
    filled = [k for k, line in enumerate(lines) if line.strip()]
    if len(filled) < 2 or not _DATE_LINE.match(lines[filled[-1]].strip()):
        return None
    name = lines[filled[-2]].strip()
    return (filled[-2], name) if looks_like_unit(name) else None


def _one_row_form(labels: list[str], values: list[list[tuple[int, str]]], start: int, *, end: int = 0) -> Table:
    """The form's one row; `end` (index of its last line) keeps lines after the last section's first one in the
    form's span, so that no other reader takes them."""
    end = max(end, values[-1][0][0])
    values[-1] = values[-1][:1]  # the last section's paragraph; what follows closes the notice (公示期, 联系电话)
    for value in values:
        if len(value) == 1:  # （一）对唐河开展打捞清理工作。: a section's only item, numbered as its first
            k, text = value[0]
            value[0] = (k, _FIRST_ITEM.sub("", text, count=1))
    cells: list[str | None] = [normalize_cell("\n".join(text for _, text in value)) for value in values]
    return Table(
        header=labels,
        rows=[Row(cells=cells, line=start + 1, raw=["\n".join(text for _, text in value) for value in values])],
        caption=[],
        start_line=start + 1,
        end_line=end + 1,
        layout=CELLS,
    )


def _numbered(line: str) -> int | None:
    """The number of a 一、 section heading (1 for 一、), or None."""
    match = _SECTION.match(line)
    if match is None or len(match.group(1)) > 1:
        return None  # 十一、 and beyond: no form has so many labels
    return _NUMERALS.index(match.group(1)) + 1


def label_and_value(text: str) -> tuple[str, str] | None:
    """(label, the value printed on the heading's own line) of a section heading that is a form's label: the whole
    heading (二、整改实施主体), a label closed by its colon (三、完成情况：全县…), or a whole word of the vocabulary
    the value runs on from without one (一、整改任务秸秆禁烧…); None when the heading is no label."""
    text = text.strip()
    label, colon, after = (re.split(r"([：:])", text, maxsplit=1) + ["", ""])[:3]
    label = label.strip()
    if len(label) <= LABEL_MAX and _known(label):
        return label, after.strip()
    if colon:
        return None
    for end in range(min(len(text) - 1, LABEL_MAX), RUN_ON_LABEL_MIN - 1, -1):
        if column_roles([text[:end]], strict=True)[0] is not None:
            return text[:end], text[end:].strip()
    return None


def _known(label: str) -> bool:
    """Whether a label reads as a form's: a word of the header vocabulary, or a longer one ending with such a word
    (整改实施主体, 整改责任单位)."""
    return column_roles([label], strict=True)[0] is not None or (
        len(label) >= 4 and column_roles([label])[0] is not None
    )

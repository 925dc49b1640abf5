"""Main tasks written as paragraphs in a plan's body (二、主要任务).

Three layouts are recognised, by their shape and never by file or line:

1. Numbered tasks without owners: ``1.完善固体废物管理制度。…``. The loader
   flags them as awaiting an owner.
2. Unnumbered tasks closed by a bracket naming the owners:
   ``标题。内容…〔牵头部门：…；责任部门：…〕``. A paragraph may be broken over
   several lines, with blank lines between the pieces, and the bracket itself
   may be broken.
3. Numbered tasks closed by a parenthesis naming the owners:
   ``1.标题。内容…（省生态环境厅、…按职责分工负责）``, hard-wrapped anywhere.

A paragraph ends at the next task number, at a section heading, at the end
of the 主要任务 part, or (for unnumbered tasks) right after its owner bracket.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from wufei.importers.records import ListKind, TaskRecord
from wufei.importers.text.normalize import fold_punct, join_lines

_CN_DIGIT = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

# 二、主要任务 / 三、重点任务: the part that holds the tasks.
_SPAN_START = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]\s*(?:主要|重点)任务\s*[。：:]?\s*$")
# Any top-level heading (三、保障措施) closes the part. Headings are short; the
# length check keeps a wrapped body line that happens to start with 三、 out.
_TOP_HEADING = re.compile(r"^\s*[一二三四五六七八九十]+\s*、\s*\S")
_TOP_HEADING_MAX = 30
# （一）强化顶层设计引领，构建无废制度体系 / (一) 加快工业绿色发展
_SECTION = re.compile(r"^\s*[（(]\s*([一二三四五六七八九十]+)\s*[）)]\s*(.*)$")
# 1.标题 / 1．标题 / 1、标题; "2.5万吨" at the start of a wrapped line is not a number.
_NUMBERED = re.compile(r"^\s*(\d{1,2})\s*[.．、](?!\d)\s*(.*)$")

_OPENERS = "（〔"  # after fold_punct, ( [ 【 are folded to these
_CLOSERS = "）〕"
_TRAILING_PUNCT = "。；，. \t"
# A bracket or parenthesis names owners when it says who leads or is responsible.
_OWNER_WORDS = ("牵头", "负责", "责任部门", "责任单位", "配合")
# Words that make the whole bracket the owners text (structured, as in 002).
_STRUCTURED_OWNER_WORDS = ("牵头", "责任部门", "责任单位", "配合")
# 以下均需各市政府、雄安新区管委会落实，不再列出: applies to every following task.
_FOLLOWING_IMPLEMENTERS = re.compile(r"以下均需(.+?)落实")


@dataclass
class _Paragraph:
    line: int  # 1-based line where the paragraph starts
    section: int  # 0 before the first section heading
    list_name: str | None
    printed_number: int | None
    parts: list[str] = field(default_factory=list)


@dataclass
class _Owner:
    start: int  # index of the opening bracket in the paragraph text
    content: str  # folded text between the brackets


def chinese_numeral(text: str) -> int | None:
    """一 → 1, 十四 → 14, 二十 → 20, 二〇二二 → 2022 (digit by digit when there is no 十)."""
    text = text.strip()
    if not text or any(ch not in _CN_DIGIT and ch != "十" for ch in text):
        return None
    if "十" not in text:
        value = 0
        for ch in text:
            value = value * 10 + _CN_DIGIT[ch]
        return value
    tens, _, units = text.partition("十")
    return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[units] if units else 0)


def main_tasks(lines: list[str]) -> list[TaskRecord]:
    """Tasks of the 主要任务 part, with 1-based line numbers; [] when there is none."""
    span = _task_span(lines)
    if span is None:
        return []
    paragraphs = [p for p in _paragraphs(lines, *span) if _is_task(p)]
    restarts = sum(1 for p in paragraphs if p.printed_number == 1) > 1
    records: list[TaskRecord] = []
    following_implementers: str | None = None
    unnumbered_in_section: dict[int, int] = {}
    for paragraph in paragraphs:
        number = _task_number(paragraph, restarts, unnumbered_in_section)
        record, announced = _task_record(paragraph, number)
        if record.implementers_raw is None:
            record.implementers_raw = following_implementers
        following_implementers = announced or following_implementers
        records.append(record)
    return records


def _task_span(lines: list[str]) -> tuple[int, int] | None:
    """0-based [start, end) of the lines after the 主要任务 heading, up to the next top heading."""
    start = next((i for i, line in enumerate(lines) if _SPAN_START.match(line)), None)
    if start is None:
        return None
    for end in range(start + 1, len(lines)):
        line = lines[end].strip()
        if len(line) <= _TOP_HEADING_MAX and _TOP_HEADING.match(line):
            return start + 1, end
    return start + 1, len(lines)


def _paragraphs(lines: list[str], start: int, end: int) -> list[_Paragraph]:
    """Cut the part into paragraphs at task numbers, section headings and owner brackets."""
    paragraphs: list[_Paragraph] = []
    current: _Paragraph | None = None
    section, list_name = 0, None
    last_number, section_has_number = 0, False

    def close() -> None:
        nonlocal current
        if current is not None:
            paragraphs.append(current)
        current = None

    for index in range(start, end):
        text = lines[index].strip()
        if not text:
            continue  # blank lines separate pieces of one paragraph too (002): never a boundary
        heading = _SECTION.match(text)
        if heading:
            close()
            section = chinese_numeral(heading.group(1)) or section + 1
            list_name = _heading_name(heading.group(2))
            section_has_number = False
            continue
        numbered = _NUMBERED.match(text)
        if numbered and _starts_task(int(numbered.group(1)), last_number, section_has_number):
            close()
            last_number, section_has_number = int(numbered.group(1)), True
            current = _Paragraph(index + 1, section, list_name, last_number, [numbered.group(2)])
            continue
        if current is None:
            current = _Paragraph(index + 1, section, list_name, None, [text])
        else:
            current.parts.append(text)
        # Unnumbered tasks have nothing else to end them: the owner bracket does.
        # Numbered tasks wait for the next number, so a bracket inside one is harmless.
        if current.printed_number is None and _trailing_owner(join_lines(current.parts)):
            close()
    close()
    return paragraphs


def _starts_task(number: int, last_number: int, section_has_number: bool) -> bool:
    """A line starting with a number opens a task only when it is the number expected next.

    Numbering runs on across sections (1–31) or restarts at 1 in each section;
    anything else at the start of a line is a wrapped sentence.
    """
    return number == last_number + 1 or (number == 1 and not section_has_number)


def _heading_name(text: str) -> str | None:
    """(一) 加快工业绿色发展，持续降低固废产量。 → the text before its first 。"""
    name = join_lines([text]).split("。")[0].strip()
    return name or None


def _is_task(paragraph: _Paragraph) -> bool:
    """A numbered paragraph is a task; an unnumbered one only if it names owners (else: prose)."""
    return paragraph.printed_number is not None or _trailing_owner(join_lines(paragraph.parts)) is not None


def _task_number(paragraph: _Paragraph, restarts: bool, unnumbered_in_section: dict[int, int]) -> str:
    """Printed number when it runs on; section.n when it restarts or is missing."""
    if paragraph.printed_number is not None:
        if restarts and paragraph.section:
            return f"{paragraph.section}.{paragraph.printed_number}"
        return str(paragraph.printed_number)
    count = unnumbered_in_section.get(paragraph.section, 0) + 1
    unnumbered_in_section[paragraph.section] = count
    return f"{paragraph.section}.{count}" if paragraph.section else str(count)


def _task_record(paragraph: _Paragraph, number: str) -> tuple[TaskRecord, str | None]:
    """The record, and the implementers it announces for the tasks that follow."""
    text = join_lines(paragraph.parts)
    owner = _trailing_owner(text)
    body = text[: owner.start] if owner else text
    title, _, content = body.strip().partition("。")
    record = TaskRecord(
        list_kind=ListKind.MAIN,
        number=number,
        title=title.strip(),
        line=paragraph.line,
        list_name=paragraph.list_name,
        content=content.strip() or None,
    )
    announced = None
    if owner:
        record.owners_raw, record.implementers_raw = _split_owner(owner.content)
        following = _FOLLOWING_IMPLEMENTERS.search(owner.content)
        announced = following.group(1).strip() if following else None
    return record, announced


def _trailing_owner(text: str) -> _Owner | None:
    """The bracket or parenthesis closing the paragraph, if it names owners.

    Only the last bracket counts: a task also cites documents in brackets,
    like （中发〔2021〕40号）, in its body. Nested brackets are matched, and
    （ 〔 are treated alike because closings are printed inconsistently (〔…]).
    """
    folded = fold_punct(text).rstrip(_TRAILING_PUNCT)
    if not folded or folded[-1] not in _CLOSERS:
        return None
    depth = 0
    for index in range(len(folded) - 1, -1, -1):
        char = folded[index]
        if char in _CLOSERS:
            depth += 1
        elif char in _OPENERS:
            depth -= 1
            if depth == 0:
                content = folded[index + 1 : -1].strip()
                if any(word in content for word in _OWNER_WORDS):
                    return _Owner(index, content)
                return None
    return None


def _split_owner(content: str) -> tuple[str, str | None]:
    """(owners_raw, implementers_raw) from the owner bracket.

    A structured bracket (牵头部门：…；责任部门：…) is kept whole. A sentence
    like 省A、省B按职责分工负责，各市政府负责落实。以下均需…不再列出 is split:
    the clauses saying who is responsible are the owners, the one saying who
    implements (负责落实) gives the implementers, the rest is dropped.
    """
    if any(word in content for word in _STRUCTURED_OWNER_WORDS):
        return content, None
    clauses = [clause.strip() for clause in re.split(r"[，。；]", content) if clause.strip()]
    owners = [clause for clause in clauses if "负责" in clause and "落实" not in clause]
    implementers = [clause.replace("负责落实", "").strip() for clause in clauses if "负责落实" in clause]
    owners_raw = "，".join(owners) if owners else content
    return owners_raw, ("，".join(implementers) or None)

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

Owners may also stand on their own lines under a task (``牵头单位：…`` / ``责任单位：…`` /
``配合单位：…``, and ``完成时限：…``), or follow the text after a label on the same line; they
are attached to the task above and kept out of its title and content, and so is a deadline
inside the owner bracket (``（市发展改革委牵头，2023年底前完成）``).

A paragraph ends at the next task number, at a section heading, at the end
of the 主要任务 part, or (for unnumbered tasks) right after its owner bracket or owner lines.
A document without a 主要任务 heading (a 重点任务分工方案 whose whole body is the tasks) is read
whole, top-level headings acting as sections, and only paragraphs that name owners are tasks,
or items of a numbered list the text announces as tasks (已完成任务包括：).

Within a paragraph, each owner clause that closes a group of sentences closes one task
(``A。（省甲牵头）B。（省乙牵头）``: two tasks, the second numbered 1-2 after item 1). A section
heading over a single paragraph that starts straight with its body is that task's title; a
heading followed by its owner clause alone on the next line is a task with those owners, while a short
heading closed by an owner clause over numbered items (``一、南山风景区（责任单位：市旅文局）`` / ``1.…``) names
the owners of those items (an item naming its own keeps them) and is no task itself. An
owner clause opened at a paragraph's end and never closed is still read once the paragraph is
complete, and a deadline alone in the closing parenthesis (``（2020年底需完成）``) is the deadline.

Shapes that name no owner: a paragraph closed by its deadline alone (``…。（年内持续推进）``) is a
task like one closed by its owners; a topic line (``01 教育``) heads the paragraphs under it; numbered
items run on in one line (``（一）…。（二）…。``) are cut one a line first; a number printed with a
full stop (``1。``) is a number. A document that names no owner anywhere and holds no table of
records has its numbered items read as tasks awaiting their owners (`numbered_items`), rather than
being refused; there a form's label run into an item's text (``一、整改任务秸秆禁烧…``) is no part of its
title, and an item labelled with what a form prints beside its task (``三、完成情况：…``) is no task.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from itertools import pairwise

from wufei.departments.owners import (
    DEADLINE_LABEL,
    PERSON_LABEL,
    is_person,
    looks_like_unit,
    owner_convention,
    parse_owners,
    split_names,
    unbracket_labels,
    units_at_start,
)
from wufei.importers.headers import column_role
from wufei.importers.records import Doubt, ListKind, TaskRecord
from wufei.importers.text.column_content import is_bare_deadline
from wufei.importers.text.group_leads import with_group_leads
from wufei.importers.text.normalize import fold_punct, join_lines, without_page_furniture
from wufei.importers.text.section_forms import label_and_value

_CN_DIGIT = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

# 二、主要任务 / 三、重点任务 / 三、重点工作任务及分工: the part that holds the tasks.
_SPAN_START = re.compile(
    r"^\s*[一二三四五六七八九十]+\s*[、.．]\s*"
    r"(?:(?:主要|重点)(?:工作)?(?:任务|工作|举措)|工作任务|具体任务|任务分工)"
    r"(?:及|和|与)?(?:责任)?(?:分工|安排)?\s*[。：:]?\s*$"
)
# Any top-level heading (三、保障措施) closes the part. Headings are short; the
# length check keeps a wrapped body line that happens to start with 三、 out.
_TOP_HEADING = re.compile(r"^\s*[一二三四五六七八九十]+\s*、\s*\S")
_TOP_HEADING_MAX = 30
_HEADING_STOPS = frozenset("。.；;，,")  # a heading's words end at these; a label's value never starts with one
# （一）强化顶层设计引领，构建无废制度体系 / (一) 加快工业绿色发展
_SECTION = re.compile(r"^\s*[（(]\s*([一二三四五六七八九十]+)\s*[）)]\s*(.*)$")
# 一、加快工业绿色发展: a section when a whole document is read as the task part.
_TOP_SECTION = re.compile(r"^\s*([一二三四五六七八九十]+)\s*、\s*(.*)$")
# 1.标题 / 1．标题 / 1、标题 / 1。标题 (a full stop some sites print for the dot); "2.5万吨" at the start
# of a wrapped line is not a number.
# A four-digit year right after the dot (3.2024年9月底前，开展…) is the item's text, not a decimal's digits.
_NOT_DECIMAL = r"(?!(?!\d{4}\s*年)\d)"
_NUMBERED = re.compile(rf"^\s*(\d{{1,3}})\s*[.．、。]{_NOT_DECIMAL}\s*(.*)$")
# 2.50个小区新增…: the number expected next, run into the figure its item opens with (see _number_into_figure).
_NUMBER_INTO_FIGURE = re.compile(r"^\s*(\d{1,3})\s*[.．](\d.*)$")
# 01 教育 / 第二部分 民生: a topic heading standing on its own line, a number and a few words, no sentence.
_TOPIC_HEADING = re.compile(
    r"^\s*(?:\d{1,2}|第[一二三四五六七八九十]+(?:部分|章|节|篇))\s+([^\s，。；：,.;:]{1,15})\s*$"
)

_OPENERS = "（〔"  # after fold_punct, ( [ 【 are folded to these
_CLOSERS = "）〕"
_TRAILING_PUNCT = "。；，. \t"
# A bracket or parenthesis names owners when it says who leads or is responsible.
_OWNER_WORDS = ("牵头", "负责", "责任部门", "责任单位", "配合", "参与", "参加", "协助", "协办", "主办")
# Words that make the whole bracket the owners text (structured, as in 002).
_STRUCTURED_OWNER_WORDS = ("牵头", "责任部门", "责任单位", "配合")
# 以下均需各市政府、雄安新区管委会落实，不再列出: applies to every following task.
_FOLLOWING_IMPLEMENTERS = re.compile(r"以下(?:各项工作|各项任务|工作|任务)?均需(.+?)(?:负责)?落实")
# A deadline standing alone in parentheses: 2020年底需完成 / 2023年6月底前 / 长期坚持
_DEADLINE_ONLY = re.compile(
    r"^(?=.*(?:底|末|前|完成|年内|持续|长期|常态|季度|半年|年中|每年|逐年|立行立改))"
    r"(?:\d{4}\s*年|\d{1,2}\s*月|第?[一二三四1-4]季度|[上下]半年|年中|年内|年底|每年|逐年|长期|持续|常态|立行立改)"
    r"[^，。；（）《》]{0,12}$"
)
# A line (or the rest of a line) naming owners or the deadline under a label.
_OWNER_LABEL = (
    r"(?:(?:(?:牵头|主要|配合|其他|协同)?责任|牵头|主办|主责|承办|配合|协办|参与|参加|协助|协同|落实)(?:单位|部门|处室)"
    r"|责任主体|实施主体|(?:部门|责任)分工)"
)
_DEADLINE_LABEL = DEADLINE_LABEL
_PROGRESS_LABEL = r"(?:实际)?(?:完成|进展|推进)情况"
# A line that is an owner label and nothing more (牵头单位 over 市工信委 at the top of a page cut mid-item).
OWNER_LABEL_ALONE = re.compile(rf"^\s*(?:{_OWNER_LABEL})\s*$")
# 牵头领导：… / 责任领导：… lines name a person: kept with the owner lines, read by nobody as an owner.
_LABEL_LINE = re.compile(rf"^[（(]?\s*(?:{_OWNER_LABEL}|{_DEADLINE_LABEL}|{PERSON_LABEL})\s*[：:]")
_SUPPORT_LABEL_LINE = re.compile(r"^[（(]?\s*(?:配合|协同|协办|参与|参加|协助)(?:单位|部门)?\s*[：:]")
# A run of spaces is tried from its first space only, and never given back (\s*+): from each of its spaces the
# search read the rest of the run again, quadratic on a space-padded line. The same leftmost match.
_LABELLED_TAIL = re.compile(rf"(?:[。；;，,]|(?<!\s)\s)\s*+[（(〔]?(?=(?:{_OWNER_LABEL}|{PERSON_LABEL})\s*[：:])")
_DEADLINE_LINE = re.compile(rf"^[（(]?\s*{_DEADLINE_LABEL}\s*[：:]")
_CONTACT_LINE = re.compile(r"^[（(]?\s*联系(?:人|电话|方式)\s*[：:]")
# 时间: 2018-06-07 12:40 来源: / 发布时间：2023-05-08 09:12: a portal's posting time (its clock time, its source)
_PAGE_TIME_LINE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\s*\d{1,2}\s*[:：]\s*\d{2}|来源\s*[：:]")
# ：市市容局 under a task: an owner line whose label a copy lost, the colon kept. It names units only, and
# they lead, as under a 责任单位 line standing alone.
_LOST_LABEL_LINE = re.compile(r"^[：:]\s*(?P<names>[^：:。；]+?)[。；]?$")
_DEADLINE_PART = re.compile(rf"{_DEADLINE_LABEL}\s*：\s*(?P<deadline>[^；。]+)[；。]?")
# A clause of an owner bracket that is a deadline, not a unit: 2023年底前完成 / 长期坚持 / “十四五”期间 / 即日起
_DEADLINE_CLAUSE = re.compile(
    r"\d{4}\s*年|\d{1,2}\s*月|年底|年内|全年|季度|月底|长期坚持|持续推进|常态|每年|逐年|十[一二三四五六七八九]五[”\"’']?\s*(?:期间|时期)|即日起"
)
_UNIT_NAME_END = re.compile(r"(?:局|委|厅|办|府|会|社|部|行|院|处|室|站|所|队|组|司|团|中心|单位|部门|企业)(?:等)?$")
_CONTINUATION_MAX = 40  # a wrapped owner line is short and has no full stop
# (1) / （2）: a sub-item's number at the start of its own line
_SUB_ITEM_LINE = re.compile(r"^\s*[（(]\s*\d{1,2}\s*[）)]\s*")
_CIRCLED_ITEM_LINE = re.compile(r"^\s*[①-⑳]\s*")
_SECTION_NUMBER_START = re.compile(
    r"^(?:[一二三四五六七八九十]+\s*[、.]|[（(][一二三四五六七八九十]+[）)]|\d+\s*[、.])\s*"
)
_LISTED_NAME_MAX = 15  # a name in an unlabelled owner list inside an item's text
_PARTNER_MAX = 20  # characters of one unit's name after 会同
_NAME_BREAK = re.compile(r"[、，。；：,（）]")
_BARE_HEADING_MAX = 24  # a title or heading line; a paragraph's first line runs longer or has a comma
# A short 标签：内容 line (联系人：张三, 责任科室：环卫股) among a task's owner lines.
_KEY_VALUE = re.compile(r"^[\u4e00-\u9fff]{2,6}\s*[：:]\s*\S[^。]{0,40}$")
# A line announcing a numbered list of tasks: 已完成任务包括： / 重点工作任务如下：
# (A notice's 现将有关事项通知如下： announces its requirements, not tasks.)
_TASK_LEAD_IN = re.compile(r"(?:任务|举措|重点工作|工作事项)[^，。；：通知要求]{0,6}(?:包括|如下|有|为)\s*：\s*$")
# A task's sub-items (（1）加强…, ①…): its heading ends before the first.
_SUB_ITEM = re.compile(r"[（(]\s*\d{1,2}\s*[）)]|[①-⑳]")
# A mark opening an unnumbered item: a symbol (★推进…), or a doubled dash some copies print for the
# bullet (--做好…, ——建立…; not a page footer's spaced dashes, — — — 2 —).
_BULLET = re.compile(r"^(?:[★☆●○■□◆◇▲△▶►•※]|--|——|－－)(?![-—－\s])\s*")
_DATE_LINE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
_CLOCK = re.compile(r"\d:\d")  # 9:30 is a time, not a colon ending a heading
# A page taken from the middle of a numbered list starts at an item no later than this.
_FRAGMENT_NUMBER_MAX = 20
# A clause naming owners and nothing else, outside brackets: 由市安监局负责 / 市发改委、市财政局等单位配合
_OWNER_VERB = (
    r"(?:按照?职责(?:分工)?负责|分别牵头|分别负责|总牵头|牵头负责|负责实施|负责落实"
    r"|牵头|负责|配合|参与|参加|协助|协办|主办)"
)
_OWNER_CLAUSE = re.compile(
    rf"^(?:由|请)?(?P<names>(?:[^，；。：（）]|（[^，；。：（）]{{1,8}}）){{2,80}}?)(?:等(?:有关|相关)?(?:部门|单位))?{_OWNER_VERB}$"
)
_OWNER_SENTENCE_MAX = 90
_OWNER_VERB_INSIDE = re.compile(_OWNER_VERB)
# 一、县示范区管委会牵头工作（8项）: a section whose heading names the lead of its tasks.
_HEADING_OWNER = re.compile(
    r"^(?P<clause>[^，；。：（）]{2,40}?(?:牵头|负责))(?:的)?(?:工作|任务|事项)\s*(?:（[^）]*）)?$"
)
# 重点工作：推进… over 牵头单位：…: a label naming what follows as the task, no part of its title.
_TASK_LABEL = re.compile(r"^(?:重点工作|工作任务|重点任务|主要任务|任务内容|工作内容|工作事项)\s*[：:]\s*(?=\S)")
# Text after an owner clause shorter than this is a remark, not a task of its own.
_SEGMENT_MIN = 6
# 整改措施：… / 整改目标：… / 整改时限：… under a problem closed by its owners: the problem's measure and deadline.
_RECTIFICATION_LINE = re.compile(r"^整改(?:措施|目标|要求|内容|方案|时限|期限)\s*[：:]")
_RECTIFICATION_DEADLINE = re.compile(r"整改(?:时限|期限)\s*[：:]")
# 【打印本页】【关闭窗口】: a web page's buttons copied with its text, never part of a task.
_PAGE_BUTTONS = re.compile(
    r"^(?:[〔【\[]\s*(?:打印本页|打印|关闭窗口|关闭|返回顶部|收藏|分享|保存本页)\s*[〕】\]]\s*)+$"
)
# 整改措施： alone on its line, the last of a finding's labelled lines: the numbered measures under it follow.
_MEASURES_LABEL = re.compile(r"^(?:整改|具体|主要|工作)?措施\s*[：:]$")
# 一是… / 二是…: an item of a list of problems or measures, its ordinal no part of its title.
_ORDINAL_IS = re.compile(r"^[一二三四五六七八九十]{1,3}是(?=[\u4e00-\u9fff“])")
# A news report's lead-in before the document's own text: …印发…的通知。通知指出：
_NEWS_LEAD_IN = re.compile(
    r"^[^。]*(?:印发|发布|出台|公布)[^。]*。\s*(?:通知|方案|意见|文件|计划|规划)中?(?:指出|提出|明确|要求|强调)[：，]"
)


@dataclass
class _Paragraph:
    line: int  # 1-based line where the paragraph starts
    section: int  # 0 before the first section heading
    list_name: str | None
    printed_number: int | None
    parts: list[str] = field(default_factory=list)
    labelled: list[str] = field(default_factory=list)  # 牵头单位：… / 完成时限：… lines under it
    notes: list[str] = field(default_factory=list)  # other 标签：内容 lines among them (责任科室：环卫股)
    heading: bool = False  # a （一） heading that is a task of its own
    section_heading: str | None = None  # the whole heading line of its section (一、推进重大项目建设)
    listed: bool = False  # an item of a list the text announces as tasks (已完成任务包括：)
    part: int = 0  # the n-th task of a paragraph holding several owner clauses (0: the first)
    top: int = 0  # the 一、 heading it stands under, reading a whole document's numbered items
    sub: int = 0  # the （一） heading it stands under, below `top`
    candidate: bool = False  # a （二） heading carrying text but no owners: a task only beside sibling tasks
    marked: bool = False  # opened by an item mark (★, --): an item with its own title, never a heading
    section_owners: str | None = None  # 一、南山风景区（责任单位：市旅文局）: owners its heading names for its items
    # 整改措施：… / 整改时限：… lines after an item among its parts closed by owners: (that part's index, measure,
    # deadline)
    sub_item_notes: list[tuple[int, str | None, str | None]] = field(default_factory=list)
    under: str | None = None  # the （二） heading a numbered item stands under (基本原则 over 1. 2. 3.)


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


def main_tasks(lines: list[str], *, items: bool = False, paren_numbers: bool = False) -> list[TaskRecord]:
    """Tasks of the 主要任务 part, with 1-based line numbers; [] when there is none.

    Without a 主要任务 heading the whole text is read, and only paragraphs naming owners (or closing
    with their deadline) count. With `items`, for a document that names no owner anywhere, every
    numbered item of the whole text is a task (see `numbered_items`).
    """
    lines, origin = split_run_on_items(with_group_leads(without_page_markers(without_page_furniture(lines))))
    if paren_numbers:
        lines = [_PAREN_NUMBER.sub(r"\1.", line) for line in lines]  # (1)加快… read as 1.加快…
    span = None if items else _task_span(lines)
    whole = span is None
    start, end = span if span is not None else (0, len(lines))
    cut = _paragraphs(lines, start, end, whole=whole, items=items)
    pieces = _measures_under_findings([piece for p in cut for piece in _at_owner_clauses(p)])
    targets: list[_Paragraph] = []
    if items:
        numbered = [p for p in pieces if _is_item(p) and not _is_form_field(p)]
        paragraphs = [p for p in numbered if not _in_outline_preamble(p)]
        if not paragraphs:
            # 一、工作目标 over 1.建成示范小区3个 and nothing else: the plan's only items are its targets, read as
            # tasks awaiting a lead (each with a doubt) rather than losing them all
            paragraphs = targets = [p for p in numbered if _reads_as_target(p)]
    else:
        tasks = _with_siblings(pieces, [_is_task(p, owners_required=whole) for p in pieces])
        paragraphs = [p for p, task in zip(pieces, tasks) if task]
    _section_headings_as_titles(paragraphs)
    _share_closing_owners(paragraphs)
    _share_closing_support(paragraphs)
    # Numbers restarting in each section, or sitting beside heading tasks, take the section: 3.1
    restarts = sum(1 for p in paragraphs if p.printed_number == 1) > 1 or any(p.heading for p in paragraphs)
    records: list[TaskRecord] = []
    following_implementers: str | None = None
    unnumbered_in_section: dict[int, int] = {}
    number = ""
    for paragraph in paragraphs:
        if paragraph.part and (paragraph.printed_number is not None or paragraph.heading):
            number = f"{number.split('-')[0]}-{paragraph.part + 1}"  # 3-2: the second task of item 3
        else:
            number = _task_number(paragraph, restarts, unnumbered_in_section, items=items)
        record, announced = _task_record(paragraph, number)
        if not (record.title or record.content or record.owners_raw or record.deadline_raw):
            continue  # 2、 alone on its line: a number a copy kept without its item, nothing to read
        record.line = origin[record.line - 1]
        if any(paragraph is target for target in targets):
            message = f"该条目列在“{paragraph.under}”之下，可能是工作目标而非任务，请核对"
            record.doubts.append(Doubt("record", message, record.title))
        if record.implementers_raw is None:
            record.implementers_raw = following_implementers
        following_implementers = announced or following_implementers
        records.append(record)
    return records


def numbered_items(lines: list[str]) -> list[TaskRecord]:
    """Every numbered item of a document that names no owner anywhere, each a task awaiting its owners.

    The last resort before a readable document would be refused: the items at the bottom of the
    outline are the tasks (（一） headings without numbered items under them, 1. items), and long
    一、 items that carry their own text. Section headings with items under them stay sections.
    """
    # A list numbered (1) (2) (3) with no 1. items for them to stand under (…民生实事。分别是: (1)…。 (2)…。): the
    # bracketed numbers are the list's own, read as 1. 2. 3. are.
    # A meeting's words (会议提出三点要求：（1）…；（2）…) are news of what it asked, no list of the document's own.
    if _said_by_a_meeting(lines):
        return main_tasks(lines, items=True)
    return main_tasks(lines, items=True) or main_tasks(lines, items=True, paren_numbers=True)


_PAREN_NUMBER = re.compile(r"^\s*[（(]\s*(\d{1,2})\s*[）)]\s*")
_FIRST_PAREN_ITEM = re.compile(r"[（(]\s*1\s*[）)]")
# 会议指出， / 会议提出三点要求：: a meeting's words reported by the news, no plan of the page's own.
REPORTED_SPEECH = re.compile(r"会议[^。；，]{0,8}(?:提出|指出|强调|要求|认为|明确|部署)")


def _said_by_a_meeting(lines: list[str]) -> bool:
    """Whether the sentence introducing the first (1) item (on its line before it, else the line before) is what
    a meeting said."""
    for k, line in enumerate(lines):
        if (first := _FIRST_PAREN_ITEM.search(line)) is None:
            continue
        before = line[: first.start()].strip() or next((lines[j] for j in range(k - 1, -1, -1) if lines[j].strip()), "")
        sentence = re.split(r"[。；]", before.strip().rstrip("。；"))[-1]
        return bool(REPORTED_SPEECH.search(sentence))
    return False


# Markers of a numbered item, by kind: （一） / （1） / 1. / 一、
_ITEM_MARKERS = {
    "paren_cn": r"[（(]\s*(?P<n>[一二三四五六七八九十]+)\s*[）)]",
    "paren_num": r"[（(]\s*(?P<n>\d{1,2})\s*[）)]",
    "num": rf"(?P<n>\d{{1,3}})\s*[.．、。]{_NOT_DECIMAL}",
    "cn": r"(?P<n>[一二三四五六七八九十]+)\s*、",
}
_ITEM_START = {kind: re.compile(rf"^\s*{marker}") for kind, marker in _ITEM_MARKERS.items()}
# Where a run-on item may begin inside a line: after a sentence, a clause or a closing bracket (full-width or
# ASCII: …。(省发改委负责)(二)…).
_ITEM_INSIDE = {kind: re.compile(rf"(?<=[。；;！？）〕\])])\s*{marker}") for kind, marker in _ITEM_MARKERS.items()}


# 1.新建公共厕所20座　牵头单位：区城管局　完成时限：…: labels on the item's own line after a space; so are a
# person's and the progress's (…投入试运营。 牵头领导:林静国 责任单位:… 项目责任人:… 实际完成情况:…).
_SPACED_LABEL = re.compile(
    rf"(?<=\S)[ \t\u3000]+(?=(?:{_OWNER_LABEL}|{_DEADLINE_LABEL}|(?:项目)?{PERSON_LABEL}|{_PROGRESS_LABEL})\s*[：:])"
)


# 整改目标：… 责任单位：A，B责任人：… 整改时限：立行立改整改措施：…: a form's labels run on with the values before them.
_FORM_LABEL = re.compile(
    rf"(?:{_OWNER_LABEL}|{PERSON_LABEL}|{_DEADLINE_LABEL}|整改(?:目标|措施|要求|内容|方案))\s*[：:]"
)
_RUN_ON_LABELS_MIN = 3  # distinct labels in one line: a form run together, not a sentence naming one
_LABEL_BREAKS = frozenset("。.，,；;、：:！!？?")  # a label after these follows its own break, not glued on


# 某州…整改措施清单一、认识不深（一）部分…: a copy running a list's title, its first section and that section's
# first item together on one line.
_RUN_ON_OUTLINE = re.compile(
    r"^(?P<title>[^。；，,]{6,80}?(?:清单|方案|计划|措施|台账|分工))(?P<section>一\s*、[^。；，,（(]{1,15})"
    r"(?P<item>[（(]\s*一\s*[）)].+)$"
)

# 某省整改进展清单一、关于…的问题。整改进展情况：…: a document site's copy running the list's title into its first
# section. Never a numbered item's line (1.推进…按照建设方案一、二期工程…), nor a word followed by an enumeration
# (方案一、二期, 清单一、二类): a first section's words never start with 二.
_RUN_ON_TITLE = re.compile(
    r"^(?!\s*(?:\d{1,3}|[一二三四五六七八九十]+)\s*[.．、。])"
    r"(?P<title>[^。；，,（(]{6,80}?(?:清单|方案|台账))(?P<rest>一\s*、(?!\s*[二两]).{6,})$"
)


def _glued_labels(line: str) -> list[str]:
    """A line holding a form's labels run on after the values before them, cut before each label outside
    brackets, each value's trailing comma or semicolon dropped; the line itself for any other. A form run on
    glues at least three distinct labels to the values before them with no punctuation between
    (…各乡镇责任人：…负责人整改时限：…底前整改措施：…); a sentence naming labels after its commas
    (明确责任单位：A，责任人：B，整改时限：C) is no form."""
    found = list(_FORM_LABEL.finditer(line))
    glued = {match.group().rstrip("：: ") for match in found if _follows_value(line, match.start())}
    if len(glued) < _RUN_ON_LABELS_MIN:  # checked before any bracket counting: most lines stop here
        return [line]
    folded = fold_punct(line)
    outside: list[re.Match[str]] = []
    depth, counted = 0, 0
    for match in found:  # one pass left to right: the depth before each label
        depth += _depth(folded[counted : match.start()])
        counted = match.start()
        if depth == 0:
            outside.append(match)
    glued = {match.group().rstrip("：: ") for match in outside if _follows_value(line, match.start())}
    if len(glued) < _RUN_ON_LABELS_MIN:
        return [line]
    cuts = [0, *(match.start() for match in outside if match.start() > 0), len(line)]
    return [piece for start, end in pairwise(cuts) if (piece := line[start:end].strip().rstrip("，,；;").strip())]


def _follows_value(line: str, start: int) -> bool:
    """A label at start glued to the value before it: no punctuation or space between."""
    return start > 0 and not line[start - 1].isspace() and line[start - 1] not in _LABEL_BREAKS


# A document-sharing site's page number opening the text of each page of its copy (1、…, then 2、 on the line going on
# with the sentence the page broke: …随后 / 2、安排…), under the site's line naming the copy (《….docx》由会员分享,…).
_PAGE_MARKER = re.compile(r"^\s*(?P<n>\d{1,3})、(?=\S)")
_SHARED_COPY = re.compile(r"^\s*《[^》]+》\s*由会员分享")
_BROKEN_OFF = re.compile(r"[\u4e00-\u9fff]$")  # a line ending inside a sentence, with no mark closing it
# …责任单位：县城管局，完成时限：2025年7月底: a line closed by an owner or deadline clause is a whole item
_CLOSING_CLAUSE = re.compile(r"[：:][^，。；,;：:]*$|(?:年|月|日|月底|年底|季度|前|负责|牵头|配合|落实|完成)$")
_PAGE_TEXT_MIN = 60  # a page's text before a break, not a short heading line


def without_page_markers(lines: list[str]) -> list[str]:
    """The lines without a sharing site's page markers: under the site's line naming the copy, the first page's
    text opens with 1、 and each later page's with its number (2、, 3、…) on a line going on with the sentence the
    line before broke off (a long line ending inside a sentence, not after an owner or deadline clause); those
    markers dropped and each broken sentence joined (line numbers kept). Anything less (no site line, numbers not
    running on from 1, a line before closing an item) leaves the lines as they are: numbered items kept apart."""
    texts = [index for index, line in enumerate(lines) if line.strip()]
    header = next((at for at, index in enumerate(texts) if _SHARED_COPY.match(lines[index])), None)
    if header is None or header + 1 >= len(texts):
        return lines
    first = texts[header + 1]
    if (opening := _PAGE_MARKER.match(lines[first])) is None or opening["n"] != "1":
        return lines
    breaks: list[tuple[int, int]] = []  # (marker line, line it goes on from)
    for before, index in zip(texts[header + 1 :], texts[header + 2 :]):
        marker = _PAGE_MARKER.match(lines[index])
        if marker is None:
            continue
        previous = lines[before].strip()
        if (
            int(marker["n"]) != len(breaks) + 2
            or len(previous) < _PAGE_TEXT_MIN
            or not _BROKEN_OFF.search(previous)
            or _CLOSING_CLAUSE.search(previous)
        ):
            return lines
        breaks.append((index, before))
    if not breaks:
        return lines
    kept = list(lines)
    kept[first] = _PAGE_MARKER.sub("", kept[first], count=1)
    for index, onto in reversed(breaks):
        kept[onto] = kept[onto].rstrip() + _PAGE_MARKER.sub("", kept[index], count=1).strip()
        kept[index] = ""
    return kept


def split_run_on_items(lines: list[str]) -> tuple[list[str], list[int]]:
    """Lines with numbered items run on in one line (（一）…。（二）…。) cut one item a line, and the
    1-based original line of each. A line is cut only where the next number of the kind it starts
    with follows a sentence: （1） sub-items inside a 1. item stay where they are. Labels standing on an
    item's line after a space (…20座　牵头单位：A　完成时限：…) are cut onto lines of their own."""
    out: list[str] = []
    origin: list[int] = []
    for number, line in enumerate(lines, start=1):
        outline = _RUN_ON_OUTLINE.match(line.strip())
        titled = None if outline else _RUN_ON_TITLE.match(line.strip())
        if outline:
            parts = [outline["title"], outline["section"], outline["item"]]
        else:
            parts = [titled["title"], titled["rest"]] if titled else [line]
        pieces = [
            piece
            for part in parts
            for glued in _glued_labels(part)
            for run_on in _run_on_pieces(glued)
            for spaced in _SPACED_LABEL.split(run_on)
            for piece in _without_run_in_table(spaced)
        ]
        out += pieces
        origin += [number] * len(pieces)
    return out, origin


def _without_run_in_table(piece: str) -> list[str]:
    """An owner line with a table run in after its names as words (配合单位:市城管局,各区政府 鄞州 海曙 镇海 北仑
    合计 新辟线路年度目标 2 5 1 2 10 …) cut before the places heading the table's columns: they and the figures
    after 合计 are no owners. Other lines are returned as they are."""
    if not _OWNER_LINE_START.match(piece):
        return [piece]
    words = piece.split(" ")
    total = next((k for k, word in enumerate(words) if word.startswith("合计")), None)
    if total is None:
        return [piece]
    start = total
    while start > 1 and len(words[start - 1]) <= _TABLE_WORD_MAX and not _UNIT_BODY_END.search(words[start - 1]):
        start -= 1
    if total - start < _TABLE_WORDS_MIN:
        return [piece]
    return [" ".join(words[:start]), " ".join(words[start:])]


_OWNER_LINE_START = re.compile(rf"^(?:{_OWNER_LABEL})\s*[：:]")
_TABLE_WORD_MAX = 12
_TABLE_WORDS_MIN = 2
# 局 / 委 / 政府 / 中心 …: a word ending like a unit's body is a name, never a table's column.
_UNIT_BODY_END = re.compile(r"(?:局|委|办|厅|政府|中心|公司|集团|部|处|站|所|院|队|会|街道)$")


# …现将整改情况汇报如下:(一)…。(二)…: items run on after the colon closing an opening sentence; so do (1) (2)
# (…重点抓好15件大事和民生实事。分别是: (1)…。 (2)…。).
_RUN_ON_ITEMS_MIN = 3
_ITEMS_AFTER_COLON = re.compile(r"(?<=[：:])\s*(?=[（(]\s*[一1]\s*[）)])")


def _run_on_pieces(line: str) -> list[str]:
    announced = _ITEMS_AFTER_COLON.search(line)
    if announced is not None and not any(start.match(line) for start in _ITEM_START.values()):
        # only a line opening with no number of its own: (一) (二) inside a 1. item are its sub-items
        rest = _run_on_pieces(line[announced.end() :])
        # (一) and at least (二) after it, none closed by owners: the opening, then each item. Items closed by an
        # owner clause (…（二）…。（市工信局牵头）) are the opening's work under those owners: kept in one line
        if len(rest) > 1 and not any(_trailing_owner(piece) for piece in rest):
            return [line[: announced.start()].strip(), *rest]
    opened = _ITEM_INSIDE["num"].search(line)
    if opened is not None and opened["n"] == "1" and not any(start.match(line) for start in _ITEM_START.values()):
        # …予以公示。 1.…。 牵头领导:… 2.…。 3.…: items 1. 2. 3. run on after an opening in the same line, the
        # opening kept apart when two items at least follow the first in order
        rest = _run_on_pieces(line[opened.start() :].strip())
        owned = [_trailing_owner(piece) is not None for piece in rest]
        # …3.建设处理设施。（责任单位：市城管局，2025年底前）: one owner clause closing the last item only is the
        # whole line's: kept one task with it, as its items were before
        shared = owned[-1] and not any(owned[:-1])
        if len(rest) >= _RUN_ON_ITEMS_MIN and not shared:
            return [line[: opened.start()].strip(), *rest]
    for kind, start in _ITEM_START.items():
        first = start.match(line)
        if first is None:
            continue
        value = _item_value(first["n"])
        pieces, begin = [], 0
        for found in _inside_items(kind, line, first.end()):
            if value is not None and _item_value(found["n"]) == value + 1:
                pieces.append(line[begin : found.start()].strip())
                begin, value = found.start(), value + 1
        pieces.append(line[begin:].strip())
        return [piece for piece in pieces if piece]
    return [line]


def _inside_items(kind: str, line: str, start: int) -> list[re.Match[str]]:
    """Where items of a kind may begin inside a line after `start`: after a sentence or a closing bracket, and a
    number item after a space too (…实际完成 12 12 0 0 24 4.新投放…: a table's figures run in before the next item;
    only the number following the item before is taken)."""
    found = [*_ITEM_INSIDE[kind].finditer(line, start)]
    if kind == "num":
        found += [*_NUMBER_AFTER_SPACE.finditer(line, start)]
    return sorted(found, key=lambda match: match.start())


_NUMBER_AFTER_SPACE = re.compile(r"(?<=\s)(?P<n>\d{1,3})[.．](?=[\u4e00-\u9fff])")


def _item_value(text: str) -> int | None:
    return int(text) if text.isdigit() else chinese_numeral(text)


def split_heading(text: str) -> tuple[str, str | None]:
    """A task's text as (title, content): the title is its heading, up to the first 。, ； or ：
    (either width) outside brackets and quotes, or up to its first sub-item (（1）, ①); the whole
    text when there is none."""
    depth = 0
    for index, char in enumerate(text):
        if index > 0 and depth == 0 and _SUB_ITEM.match(text, index):
            return text[:index].strip(" ，,"), (text[index:].strip() or None)
        if char in "（〔《“(":
            depth += 1
        elif char in "）〕》”)":
            depth = max(depth - 1, 0)
        elif depth == 0 and index > 0 and (char in "。；：;" or (char == ":" and not _CLOCK.match(text, index - 1))):
            return text[:index].strip(), (text[index + 1 :].strip() or None)
    return text.strip(), None


def split_trailing_owner(text: str) -> tuple[str, str | None, str | None]:
    """(text without its owners, owners, deadline) of a task written in one cell or paragraph.

    Owners close the text in a bracket (``…。（市发展改革委牵头，市财政局配合）``) or follow a label
    (``…。牵头单位：市发展改革委；配合单位：…``); a deadline among them is returned apart.
    """
    owner = _trailing_owner(text)
    if owner is not None:
        owners, deadline = owner_and_deadline(owner.content)
        return text[: owner.start].strip(), owners, deadline
    tail = _LABELLED_TAIL.search(fold_punct(text))
    if tail is not None and tail.end() > 0:
        owners, deadline = owner_and_deadline(fold_punct(text)[tail.end() :].strip().strip("（）〔〕"))
        return text[: tail.start() + 1].strip(), owners, deadline
    return text, None, None


def owner_and_deadline(content: str) -> tuple[str | None, str | None]:
    """An owner text split into its owners and the deadline it names (完成时限：… or a dated clause)."""
    content = fold_punct(content)
    deadlines = [m["deadline"].strip() for m in _DEADLINE_PART.finditer(content)]
    content = _DEADLINE_PART.sub("", content)
    clauses = [clause.strip() for clause in re.split(r"[，；。]", content) if clause.strip()]
    clauses = [part for clause in clauses for part in _urged_by_date(clause)]
    dated = [c for c in clauses if _DEADLINE_CLAUSE.search(c) and not _UNIT_NAME_END.search(c)]
    if dated:
        deadlines += dated
        content = "，".join(c for c in clauses if c not in dated)
    return (content.strip(" ，；。") or None), ("；".join(deadlines) or None)


def _urged_by_date(clause: str) -> list[str]:
    """督促各县（市、区）于2025年底前完成: the units urged (an owner clause) and the deadline, as two clauses."""
    date = _DEADLINE_CLAUSE.search(clause) if "督促" in clause else None
    if date is None or "督促" not in clause[: date.start()]:
        return [clause]
    urged = re.sub(r"[于在]\s*$", "", clause[: date.start()]).strip()
    return [urged, clause[date.start() :].strip()]


def _at_owner_clauses(paragraph: _Paragraph) -> list[_Paragraph]:
    """A paragraph whose owner clauses each close a group of sentences, cut into one task per clause.

    ``A。B。（省甲牵头）C。（省乙牵头）``: the owners close A–B, then C. Text after the last clause
    that names nobody stays with the task before it. A heading line over sub-items on lines of their own,
    each closed by its owners (``1.提升…水平`` / ``(1)推进…。（牵头单位：…）`` / ``(2)…（…）``), is their group:
    each sub-item is a task, the heading kept in its content.
    """
    if items := _owned_sub_items(paragraph.parts):
        return [
            replace(
                paragraph,
                parts=[item],
                labelled=[deadline for index, _, deadline in paragraph.sub_item_notes if index == at and deadline],
                notes=[
                    *headings,
                    *paragraph.notes,
                    *(note for index, note, _ in paragraph.sub_item_notes if index == at and note),
                ],
                sub_item_notes=[],
                part=k,
            )
            for k, (at, item, headings) in enumerate(items)
        ]
    text = join_lines(paragraph.parts)
    segments = _owner_segments(text)
    if len(segments) < 2:
        # Sub-items not read apart: their measures and deadlines are the paragraph's.
        paragraph.notes += [note for _, note, _ in paragraph.sub_item_notes if note]
        paragraph.labelled += [deadline for _, _, deadline in paragraph.sub_item_notes if deadline]
        paragraph.sub_item_notes = []
        return [paragraph]
    headings = list(paragraph.notes)
    if (heading := _heading_line_over_groups(paragraph.parts, segments[0])) is not None:
        # 1.主要指标的责任部门。 alone on its line over targets run on, each closed by its owners: the line is their
        # heading (kept in each one's content), each target is titled by its own sentence
        segments[0] = segments[0][len(heading) :].strip()
        headings = [heading, *headings]
    last = len(segments) - 1
    ends = _owner_clause_ends(fold_punct(text))

    def segment_of(index: int) -> int:  # the task whose text the part at `index` ends in
        end = len(join_lines(paragraph.parts[: index + 1]))
        return min(sum(1 for cut in ends if cut < end), last)

    placed = [(segment_of(index), note, deadline) for index, note, deadline in paragraph.sub_item_notes]
    return [
        replace(
            paragraph,
            parts=[segment],
            labelled=[
                *(paragraph.labelled if k == last else []),
                *(deadline for at, _, deadline in placed if at == k and deadline),
            ],
            notes=[*headings, *(note for at, note, _ in placed if at == k and note)],
            sub_item_notes=[],
            part=k,
            heading=paragraph.heading and k == 0,
        )
        for k, segment in enumerate(segments)
    ]


def _heading_line_over_groups(parts: list[str], first: str) -> str | None:
    """The item's first line when it stands alone as one sentence naming nobody and the first owner group goes on
    after it on the next lines (``1.主要指标的责任部门。`` / ``A。（甲牵头）B。（乙牵头）``), else None."""
    if len(parts) < 2:
        return None
    line = join_lines(parts[:1])
    folded = fold_punct(line)
    if not folded.endswith("。") or "。" in folded[:-1] or _trailing_owner(line) is not None:
        return None
    if not first.startswith(line) or len(first) <= len(line):
        return None
    # 1.加快建设焚烧厂。 / （市城管局牵头）推进…: the next line opening with the owners closes the line's own sentence,
    # which is a task, not a heading
    if not split_trailing_owner(first[len(line) :])[0].strip(" 。；，.;,"):
        return None
    return line


def _owned_sub_items(parts: list[str]) -> list[tuple[int, str, list[str]]]:
    """The sub-items under a heading line when each stands on its own line, numbered (1) / （2）, and closes
    with its own owner clause: each item's part index, its text without its number, and the headings over it.
    A sub-item may itself be a short heading over items ① ② each closing with its owners (``(2)住房安全方面。`` /
    ``①有的…。（牵头单位：…）``). Empty for any other paragraph."""
    heading, items = parts[0], parts[1:]
    if not items or _holds_sentence(heading) or _trailing_owner(heading) is not None:
        return []
    found: list[tuple[int, str, list[str]]] = []
    group: str | None = None  # the (2) heading over ① items
    for index, item in enumerate(items, start=1):
        numbered = _SUB_ITEM_LINE.match(item)
        circled = _CIRCLED_ITEM_LINE.match(item) if group is not None else None
        mark = numbered or circled
        if mark is None:
            return []
        text = item[mark.end() :].strip()
        if _trailing_owner(item) is not None:
            found.append((index, text, [heading, *([group] if circled and group else [])]))
            group = group if circled else None
        elif numbered and _is_group_heading(text) and index < len(items) and _CIRCLED_ITEM_LINE.match(items[index]):
            group = text
        else:
            return []
    return found


def _is_group_heading(text: str) -> bool:
    """A sub-item that only names a group of items under it: 住房安全方面。 (a few words, one full stop at most)."""
    words = text.rstrip("。")
    return 0 < len(words) <= _BARE_HEADING_MAX and not any(mark in words for mark in "。；;，,：:")


def _holds_sentence(text: str) -> bool:
    """Whether a line holds a sentence (a full stop or a semicolon), not just a heading's words."""
    return any(mark in text for mark in "。；;")


def _owner_segments(text: str) -> list[str]:
    """The text cut after every owner clause that closes a sentence group and has more text after it."""
    segments, start = [], 0
    for end in _owner_clause_ends(fold_punct(text)):
        segments.append(text[start:end].strip())
        start = end
    segments.append(text[start:].strip())
    segments = [segment for segment in segments if segment]
    while len(segments) > 1 and _trailing_owner(segments[-1]) is None:
        tail = segments.pop()  # names nobody: it belongs to the task before
        segments[-1] += tail
    return segments


def _owner_clause_ends(folded: str) -> list[int]:
    """Where each owner bracket inside the text ends (after its 。), when a sentence ends before it or
    right after it; the bracket closing the text is not a cut."""
    ends: list[int] = []
    depth, opened = 0, 0
    for index, char in enumerate(folded):
        if char in _OPENERS:
            opened = index if depth == 0 else opened
            depth += 1
            continue
        if char not in _CLOSERS or depth == 0:
            continue
        depth -= 1
        if depth:
            continue
        end = index + 1
        while end < len(folded) and folded[end] in "。；. ":
            end += 1
        if len(folded[end:].strip()) < _SEGMENT_MIN:
            continue
        closes_sentence = folded[:opened].rstrip().endswith(("。", "；", "！")) or folded[index + 1 : end].strip()
        content = folded[opened + 1 : index]
        names_owners = any(word in content for word in _OWNER_WORDS) or _lists_owners(content)
        if closes_sentence and names_owners and not parse_owners(content).unassigned:
            ends.append(end)
    return ends


def _measures_under_findings(pieces: list[_Paragraph]) -> list[_Paragraph]:
    """A finding over labelled lines closed by a bare 整改措施： (一、督察意见：… / 责任单位：… / 整改时限：… /
    整改措施： / 1.… / 2.…): its numbered measures are the tasks, each carrying the finding's owners and time limit
    and the finding as its context; the finding, what was wrong, is no task of its own."""
    out: list[_Paragraph] = []
    k = 0
    while k < len(pieces):
        finding = pieces[k]
        measures: list[_Paragraph] = []
        if finding.labelled and finding.notes and _MEASURES_LABEL.match(finding.notes[-1].strip()):
            for paragraph in pieces[k + 1 :]:
                if paragraph.printed_number != len(measures) + 1 or paragraph.labelled or paragraph.heading:
                    break
                measures.append(paragraph)
        if not measures:
            out.append(finding)
            k += 1
            continue
        context = [join_lines(finding.parts), *finding.notes[:-1]]  # the finding and its target (整改目标：…)
        for measure in measures:
            measure.labelled = list(finding.labelled)
            measure.notes[:0] = context
        out += measures
        k += 1 + len(measures)
    return out


def _numbered_sections(paragraphs: list[_Paragraph]) -> list[list[_Paragraph]]:
    sections: dict[tuple[int, int, str | None], list[_Paragraph]] = {}
    for paragraph in paragraphs:
        if paragraph.printed_number is not None and not paragraph.part:
            sections.setdefault((paragraph.top, paragraph.section, paragraph.list_name), []).append(paragraph)
    return list(sections.values())


def _share_closing_owners(paragraphs: list[_Paragraph]) -> None:
    """Owner lines closing each （一） section (1.… / 2.… / 责任单位：…), the document's habit in every section
    that has them: the lines are the section's, so they own every numbered item of it. The habit shows when
    at least two sections close so, no item but a section's last has owner lines, and no earlier item names
    owners of its own."""
    sections = _numbered_sections(paragraphs)
    closed = [items for items in sections if items[-1].labelled]
    if len(closed) < 2 or not any(len(items) > 1 for items in closed):
        return
    for items in sections:
        if any(item.labelled or _trailing_owner(join_lines(item.parts)) is not None for item in items[:-1]):
            return
    for *earlier, last in closed:
        if all(_SUPPORT_LABEL_LINE.match(line) for line in last.labelled):
            continue  # a supporting line alone: _share_closing_support decides
        for item in earlier:
            item.labelled = list(last.labelled)


def _share_closing_support(paragraphs: list[_Paragraph]) -> None:
    """A supporting-units line closing a section (（三）省编办牵头的工作 / 1.… / 2.… / 协同单位：…) supports every
    numbered item of the section, when no other item names owners of its own: it stands after the
    last item because it is the section's, not the last item's."""
    for items in _numbered_sections(paragraphs):
        *earlier, last = items
        if not earlier or not last.labelled or not all(_SUPPORT_LABEL_LINE.match(line) for line in last.labelled):
            continue
        if any(item.labelled or _trailing_owner(join_lines(item.parts)) is not None for item in earlier):
            continue
        for item in earlier:
            item.labelled = list(last.labelled)


def _section_headings_as_titles(paragraphs: list[_Paragraph]) -> None:
    """A section heading over a single unnumbered task whose paragraph starts straight with its body
    (a first sentence longer than any heading) is that task's heading: 一、推进重大项目建设, then one
    paragraph closed by its owners. A paragraph opening with a short sentence (强化执法。) has its own."""
    tasks_in_section = Counter(p.section for p in paragraphs)
    for paragraph in paragraphs:
        heading = (paragraph.section_heading or "").strip().rstrip("。")
        if (
            heading
            and tasks_in_section[paragraph.section] == 1
            and paragraph.printed_number is None
            and not paragraph.heading
            and not paragraph.marked
            and not paragraph.part
            and not any(char in heading for char in "。；：")
            and len(split_heading(join_lines(paragraph.parts))[0]) > _TOP_HEADING_MAX
        ):
            paragraph.parts = [heading + "。", *paragraph.parts]


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


def _paragraphs(
    lines: list[str], start: int, end: int, *, whole: bool = False, items: bool = False
) -> list[_Paragraph]:
    """Cut the part into paragraphs at task numbers, section headings, owner brackets and owner lines.

    Reading a whole document, its top-level headings (一、…) are sections too. With `items`, a
    （一） heading without numbered items under it starts a paragraph of its own, and so does a long
    一、 item carrying its text.
    """
    paragraphs: list[_Paragraph] = []
    current: _Paragraph | None = None
    section, list_name, section_heading, top, sub = 0, None, None, 0, 0
    top_heading: str | None = None  # the words of the bare 一、 heading the （一） headings after it stand under
    last_number, section_has_number = 0, False
    section_owners: str | None = None  # the owner clause of the heading over the numbered items that follow
    listing = False  # inside a numbered list the text announced as tasks (已完成任务包括：)

    def close() -> None:
        nonlocal current
        if current is not None:
            paragraphs.append(current)
        current = None

    signature = _signature_lines(lines, start, end)
    closed_by_owners: _Paragraph | None = None  # the problem the 整改… lines right after it belong to
    for index in range(start, end):
        text = unbracket_labels(lines[index].strip())
        if not text:
            continue  # blank lines separate pieces of one paragraph too (002): never a boundary
        if index in signature or _PAGE_BUTTONS.match(text):
            close()  # 某某领导小组办公室 / 2024年1月15日 under the list: the signature ends the last item
            continue
        if _RECTIFICATION_LINE.match(text) and (target := current or closed_by_owners) is not None:
            note, deadline = _rectification_parts(text)
            if target is current and len(target.parts) > 1 and _closes_itself(join_lines(target.parts[1:])):
                # 1.专项整改问题 / (1)…（牵头单位：…）/ 整改措施：…: the measure and deadline of the item its owners
                # just closed, not of every item of its group
                target.sub_item_notes.append((len(target.parts) - 1, note, deadline))
                continue
            if note:
                target.notes.append(note)
            if deadline:
                target.labelled.append(deadline)
            continue
        closed_by_owners = None
        marked = False
        if (ordinal := _ORDINAL_IS.match(text)) and (current is None or _closes_itself(text[ordinal.end() :])):
            # 一是…（市甲牵头）: an item of its own, like a bullet's, when its line names its owners; one that does
            # not is a point of the task it follows (（二）加强监管。/ 一是…；/ 二是…。/ 责任单位：…).
            text = text[ordinal.end() :]
            close()
            marked = True
        elif ordinal and current is not None and _closes_itself(join_lines(current.parts)):
            current.notes.append(text)  # 2．推动…（市住建局牵头）。/ 一是…: a point of a task its owners closed
            continue
        if bullet := _BULLET.match(text):
            # ★推进…: a bullet marks an item of its own, unnumbered; inside a numbered item it marks a point
            text = text[bullet.end() :]
            if current is None or current.printed_number is None:
                close()
                marked = True
        item = _TOP_SECTION.match(text) if items else None
        labelled = label_and_value(item.group(2)) if item else None
        if labelled is not None and labelled[1][:1] in _HEADING_STOPS:
            labelled = None  # 二、主要任务。各乡镇要…: a heading closed by its stop, no label run into its value
        run_on = labelled is not None and bool(labelled[1])  # 一、整改任务秸秆禁烧…
        if item and (_carries_text(text) or run_on):
            close()  # 一、提高站位，强化担当。各部门要…: an item carrying its own text
            top = section = chinese_numeral(item.group(1)) or section + 1
            top_heading = None
            # a new 一、 section: the numbered items after it stand under it, no longer under the （二）工作目标
            # of the section before
            sub, section_has_number, listing, section_heading, list_name = 0, False, False, None, None
            body = item.group(2)
            if _SPAN_START.match(f"{item.group(1)}、{split_heading(body)[0]}") and _has_numbered_items(
                lines, index + 1, end
            ):
                # 二、主要任务。各乡镇要结合实际…： the task part's heading and its lead-in over the numbered items,
                # no task of its own
                list_name = split_heading(body)[0]
                continue
            if labelled is not None and run_on:
                # 一、整改任务秸秆禁烧…: a form's label run into its value, no part of the task; 三、完成情况：… says
                # what a form prints beside its task (how it went, its target), no task of its own.
                if column_role(labelled[0]) != "task_name":
                    continue
                body = labelled[1]
            current = _Paragraph(index + 1, section, list_name, None, [body], heading=True, top=0)
            continue
        if whole and not items and (item := _TOP_SECTION.match(text)) and _next_top_item(item, top, text):
            # 二、深入落实…，力争….〔省A牵头，…〕: a numbered item carrying its text, in a document read
            # whole; it ends the paragraph before it and its number is no part of its title.
            close()
            top = section = chinese_numeral(item.group(1)) or section + 1
            top_heading = None
            sub, section_has_number, listing, section_heading, list_name = 0, False, False, None, None
            current = _Paragraph(index + 1, section, list_name, None, [item.group(2)], heading=True, top=0)
            if _may_close(text) and _closed_by_owners_or_deadline(current.parts):
                close()
            continue
        heading = _SECTION.match(text) or (
            _TOP_SECTION.match(text) if whole and len(text) <= _TOP_HEADING_MAX else None
        )
        if heading and not (current is not None and _LABEL_LINE.match(text)):
            close()
            section = chinese_numeral(heading.group(1)) or section + 1
            section_has_number, listing, section_heading, section_owners = False, False, None, None
            if heading.re is _TOP_SECTION:
                top, sub, top_heading = section, 0, heading.group(2)
            else:
                sub = section
            if heading.re is _SECTION and items and not _has_numbered_items(lines, index + 1, end):
                current = _Paragraph(
                    index + 1, section, list_name, None, [heading.group(2)], heading=True, top=top, under=top_heading
                )
                continue
            labels_follow = _label_follows(lines, index + 1, end) or _owner_line_follows(lines, index + 1, end)
            named = None if labels_follow else _named_section(heading.group(2))
            if named is not None and (
                _has_numbered_items(lines, index + 1, end)
                or (heading.re is _TOP_SECTION and _has_items_in_sections(lines, index + 1, end))
            ):
                # 一、南山风景区（责任单位：市旅文局） over 1.… 2.…: a name and the owners of the items under it,
                # no task of its own; an item naming its own owners keeps them. 一、加快调整能源结构（省发改委总牵头）
                # over （一）… / 1.…: the same, its items a level further down.
                list_name = section_heading = named[0]
                section_owners = named[1]
                continue
            if labels_follow or _names_owners_at_end(heading.group(2)):
                # （一）推进垃圾分类。……（市城管局牵头）: a heading that names owners is a task itself.
                current = _Paragraph(index + 1, section, list_name, None, [heading.group(2)], heading=True)
                if not labels_follow:
                    close()
                continue
            if heading.re is _SECTION and not items and _carries_text(text):
                # （二）推进…。具体做法…: a heading carrying its text but no owners, a task if its
                # siblings are (see _with_siblings)
                paragraphs.append(
                    _Paragraph(index + 1, section, list_name, None, [heading.group(2)], heading=True, candidate=True)
                )
            list_name = _heading_name(heading.group(2))
            section_heading = heading.group(2)
            continue
        if topic := _TOPIC_HEADING.match(text):
            # 01 教育: a topic over the paragraphs after it, a category rather than a task's heading
            close()
            section, section_has_number, listing, section_heading = section + 1, False, False, None
            list_name = topic.group(1)
            continue
        if _TASK_LEAD_IN.search(fold_punct(text)) and not _NUMBERED.match(text):
            # 已完成任务包括：— a numbered list of tasks follows, numbered afresh.
            close()
            section, last_number, section_has_number, listing = section + 1, 0, False, True
            section_heading = None
            continue
        if current is not None and _LABEL_LINE.match(text) and not _bracket_open(current.parts):
            if _PAGE_TIME_LINE.search(text):
                close()  # 时间: 2018-06-07 12:40 来源:: when the page was posted, no deadline of the lines above
                continue
            current.labelled.append(text)  # 牵头单位：… under the task
            continue
        if current is not None and (lost := _LOST_LABEL_LINE.match(text)) and _units_only(lost.group("names")):
            current.labelled.append("责任单位：" + lost.group("names"))
            continue
        if current is not None and current.labelled and _KEY_VALUE.match(text) and not _NUMBERED.match(text):
            current.notes.append(text)  # 责任科室：环卫股 among the owner lines: the task's, but no owner
            continue
        if current is not None and current.labelled and _continues_label(current.labelled[-1], text):
            current.labelled[-1] += text
            continue
        if current is not None and current.labelled:
            close()  # text after the owner lines starts the next paragraph
        numbered = _NUMBERED.match(text) or _number_into_figure(text, last_number, lines[start:index])
        if numbered and (
            _starts_task(int(numbered.group(1)), last_number, section_has_number)
            or _starts_fragment(int(numbered.group(1)), text, paragraphs, current)
        ):
            close()
            last_number, section_has_number = int(numbered.group(1)), True
            current = _Paragraph(
                index + 1,
                section,
                list_name,
                last_number,
                [numbered.group(2)],
                listed=listing,
                top=top,
                sub=sub,
                section_owners=section_owners,
                under=section_heading,
            )
            continue
        if current is None:
            if not marked and _is_bare_heading(text) and _next_line(lines, index + 1, end):
                # 推动产业结构调整 over its paragraph, 某县2022年为民办实事项目 over several: a heading, no
                # sentence of theirs; over a single task starting with its body, that task's title.
                section, section_heading = section + 1, text
                continue
            current = _Paragraph(
                index + 1, section, list_name, None, [text], section_heading=section_heading, marked=marked
            )
        else:
            current.parts.append(text)
        # Unnumbered tasks have nothing else to end them: the owner bracket does, or a deadline
        # closing the paragraph alone (…。（年内持续推进）). Numbered tasks wait for the next number,
        # so a bracket inside one is harmless.
        if current.printed_number is None and _may_close(text) and _closed_by_owners_or_deadline(current.parts):
            closed_by_owners = current
            close()
    close()
    return paragraphs


def _rectification_parts(text: str) -> tuple[str | None, str | None]:
    """A 整改… line as (the measure or target it states, its 整改时限 clause): `整改目标：…。整改时限：2024年底`."""
    deadline = _RECTIFICATION_DEADLINE.search(text)
    if deadline is None:
        return text, None
    return (text[: deadline.start()].strip() or None), text[deadline.start() :].strip(" 。；")


def _signature_lines(lines: list[str], start: int, end: int) -> set[int]:
    """The indexes of a signature block: a line naming one unit and nothing else, then a line holding
    only a date (莆田市…领导小组办公室 / 2024年1月15日), with nothing after them."""
    filled = [i for i in range(start, end) if lines[i].strip()]
    if len(filled) < 2:
        return set()
    name, dated = (lines[i].strip() for i in filled[-2:])
    if _DATE_LINE.match(dated) and looks_like_unit(name) and not _NAME_BREAK.search(name) and len(name) <= 40:
        return set(filled[-2:])
    return set()


def _next_top_item(item: re.Match, top: int, text: str) -> bool:
    """Whether a 一、 line is the next top-level item and carries its text (too long for a heading): a
    wrapped line that happens to start with 三、 is neither."""
    return len(text.strip()) > _TOP_HEADING_MAX and chinese_numeral(item.group(1)) == top + 1


def _carries_text(text: str) -> bool:
    """Whether a 一、 line is an item with its text rather than a bare heading: long, or a sentence
    with more after it (一、打好蓝天保卫战。完成锅炉改造。)."""
    return len(text) > _TOP_HEADING_MAX or "。" in fold_punct(text).rstrip("。 ")


def _is_bare_heading(text: str) -> bool:
    """A short line without a sentence's punctuation, a bracket or a label: a title or a heading."""
    folded = fold_punct(text)
    return len(folded) <= _BARE_HEADING_MAX and not any(ch in folded for ch in "，。；：、（）〔〕")


def _next_line(lines: list[str], start: int, end: int) -> str | None:
    return next((lines[i].strip() for i in range(start, end) if lines[i].strip()), None)


def _has_numbered_items(lines: list[str], start: int, end: int) -> bool:
    """Whether numbered items (1. …) stand under a heading, before the next heading."""
    for index in range(start, end):
        text = lines[index].strip()
        if _SECTION.match(text) or (_TOP_SECTION.match(text) and len(text) <= _TOP_HEADING_MAX):
            return False
        if (numbered := _NUMBERED.match(text)) and numbered.group(1) == "1":
            return True
    return False


def _has_items_in_sections(lines: list[str], start: int, end: int) -> bool:
    """Whether a 一、 heading stands over （一） sections holding numbered items, before the next 一、 heading."""
    for index in range(start, end):
        text = lines[index].strip()
        if _TOP_SECTION.match(text) and len(text) <= _TOP_HEADING_MAX:
            return False
        if _SECTION.match(text) and _has_numbered_items(lines, index + 1, end):
            return True
    return False


def _bracket_open(parts: list[str]) -> bool:
    """Whether the paragraph so far leaves a bracket open: a label on the next line (责任部门：…〕) then
    goes on inside that bracket, wrapped there by the page width, and is no owner line of its own."""
    folded = fold_punct(join_lines(parts))
    return sum(folded.count(c) for c in _OPENERS) > sum(folded.count(c) for c in _CLOSERS)


def _label_follows(lines: list[str], start: int, end: int) -> bool:
    """Whether the next non-blank line names owners under a label (牵头单位：…), a problem's 整改目标：… line
    before them aside."""
    texts = (text for i in range(start, end) if (text := lines[i].strip()))
    following = next((text for text in texts if not _RECTIFICATION_LINE.match(text)), "")
    return bool(_LABEL_LINE.match(following))


def _owner_line_follows(lines: list[str], start: int, end: int) -> bool:
    """Whether the next non-blank line is an owner clause and nothing else: （一）推进垃圾分类 then
    （市城管局牵头，各区政府配合） on its own line names the heading's owners."""
    following = next((lines[i].strip() for i in range(start, end) if lines[i].strip()), "")
    owner = _trailing_owner(following) if following[:1] in "（〔(【[" else None
    return owner is not None and owner.start == 0


def _units_only(text: str) -> bool:
    """Whether a text is a list of units' names and nothing else (市市容局、市城管局)."""
    names = split_names(text)
    return bool(names) and all(looks_like_unit(name) for name in names)


def _may_close(line: str) -> bool:
    """Whether a line can end a paragraph's owners: it closes a bracket or carries a label."""
    folded = fold_punct(line).rstrip(_TRAILING_PUNCT)
    return folded[-1:] in _CLOSERS or "：" in folded


def _closes_itself(line: str) -> bool:
    """Whether a line ends with its own owners or deadline."""
    return _may_close(line) and _closed_by_owners_or_deadline([line])


def _closed_by_owners_or_deadline(parts: list[str]) -> bool:
    text = join_lines(parts)
    return _names_owners_at_end(text) or _trailing_deadline(text) is not None


def _names_owners_at_end(text: str) -> bool:
    """Whether an unnumbered paragraph is closed by its owners (a bracket still open is not)."""
    folded = fold_punct(text)
    balanced = sum(folded.count(c) for c in _OPENERS) == sum(folded.count(c) for c in _CLOSERS)
    return _trailing_owner(text) is not None or (balanced and _LABELLED_TAIL.search(folded) is not None)


def _continues_label(previous: str, text: str) -> bool:
    """A line that carries on a wrapped owner line: short, no full stop, the line before unfinished. A unit's
    name under a deadline line (办结时限：…10月底前 / 某某市人民政府督查室) is the notice's signature."""
    if _DEADLINE_LINE.match(previous) and looks_like_unit(text.strip()):
        return False
    return (
        len(text) <= _CONTINUATION_MAX
        and "。" not in text
        and not _NUMBERED.match(text)
        and (previous.rstrip().endswith(("、", "，", ",")) or not _UNIT_NAME_END.search(previous.rstrip(" 。；;")))
    )


def _starts_task(number: int, last_number: int, section_has_number: bool) -> bool:
    """A line starting with a number opens a task only when it is the number expected next.

    Numbering runs on across sections (1–31) or restarts at 1 in each section;
    anything else at the start of a line is a wrapped sentence.
    """
    return number == last_number + 1 or (number == 1 and not section_has_number)


def _number_into_figure(text: str, last_number: int, before: list[str]) -> re.Match | None:
    """The next item of a running list whose number runs into the figure its text opens with (1.…。 / 2.50个小区…
    / 3.… / 4.460个居村…): the number expected next, on a line after a closed sentence, an owner clause or an owner
    line. A wrapped line opening with a decimal (…总量达到 / 2.5万吨) follows a line its sentence runs on from."""
    match = _NUMBER_INTO_FIGURE.match(text)
    if match is None or last_number < 1 or int(match.group(1)) != last_number + 1:
        return None
    previous = next((line.strip() for line in reversed(before) if line.strip()), "")
    closed = fold_punct(previous).rstrip(" \t").endswith(("。", "；", "！", "？", *_CLOSERS))
    return match if closed or _LABEL_LINE.match(previous) else None


def _starts_fragment(number: int, text: str, paragraphs: list[_Paragraph], current: _Paragraph | None) -> bool:
    """A page cut from the middle of a list opens at its item 2 or 7: before any other numbered item, a
    numbered line that reads as a whole item (a sentence closed by 。) opens one."""
    if number > _FRAGMENT_NUMBER_MAX or "。" not in fold_punct(text):
        return False
    return not any(p.printed_number is not None for p in [*paragraphs, *([current] if current else [])])


def _named_section(text: str) -> tuple[str, str] | None:
    """(name, owner clause) of a heading that is a short name closed by the owners of what stands under it
    (南山风景区（责任单位：市旅文局）), else None: a heading with a sentence of its own is a task."""
    owner = _trailing_owner(text)
    if owner is None:
        return None
    name = fold_punct(text)[: owner.start].strip()
    return (name, owner.content) if name and _is_bare_heading(name) else None


def _heading_name(text: str) -> str | None:
    """(一) 加快工业绿色发展，持续降低固废产量。 → the text before its first 。"""
    name = join_lines([text]).split("。")[0].strip()
    return name or None


def _is_task(paragraph: _Paragraph, *, owners_required: bool = False) -> bool:
    """A numbered paragraph is a task; an unnumbered one only if it names owners or closes with its
    deadline (else: prose). Reading a whole document, a numbered one too, unless the text announced
    its list as tasks."""
    text = join_lines(paragraph.parts)
    names_owners = (
        any(not _CONTACT_LINE.match(line) for line in paragraph.labelled)  # 联系人：… names whom to call, no owner
        or _trailing_owner(text) is not None
        or _opening_owners(paragraph.parts) is not None
        or _heading_owner(paragraph.list_name) is not None  # （一）省监察厅牵头的工作, then its paragraph
        or paragraph.section_owners is not None  # 一、南山风景区（责任单位：市旅文局）, then its numbered items
    )
    if paragraph.candidate:
        return False
    if paragraph.printed_number is not None and (paragraph.listed or not owners_required):
        return True
    return (
        names_owners
        or _trailing_deadline(text) is not None
        or (owners_required and _LABELLED_TAIL.search(fold_punct(text)) is not None)
    )


def _with_siblings(pieces: list[_Paragraph], tasks: list[bool]) -> list[bool]:
    """Numbered items in one run (1, 2, 3 … without starting over) are all tasks when any of them is:
    an item whose owners the text left out is a task awaiting them, not prose. A run none of whose
    items names owners (1.各单位要高度重视 …) stays prose. Headings carrying their text (（一）…（二）…)
    run the same way."""
    out = list(tasks)
    for kind in ("number", "heading"):
        run: list[int] = []
        previous: int | None = None
        for k, paragraph in enumerate(pieces):
            heading_number = paragraph.section if paragraph.heading else None
            number = paragraph.printed_number if kind == "number" else heading_number
            if number is None:
                continue
            if paragraph.part == 0 and (previous is None or number != previous + 1):
                _settle(run, tasks, out)
                run = []
            run.append(k)
            previous = number
        _settle(run, tasks, out)
    return out


def _settle(run: list[int], tasks: list[bool], out: list[bool]) -> None:
    if any(tasks[k] for k in run):
        for k in run:
            out[k] = True


# A plan's preamble headings (（一）指导思想 / （二）基本原则 / （三）工作目标, or （一）指导思想 以习近平… with its
# text after a space): what the plan is for, never a task awaiting a lead, and neither are the points under them
# (基本原则 over 1.统筹谋划 2.问题导向).
_OUTLINE_HEADING = re.compile(
    r"^\s*(?:指导思想|(?:基本|工作|建设)原则|总体(?:要求|目标|思路)|(?:工作|主要|建设|具体|发展)目标|工作思路"
    r"|(?:实施|建设|适用)范围(?:(?:及|和|与)(?:目标|时限))?|编制依据|总则|基本要求)(?:\s*[。.：:]|\s*$|[ \t\u3000]+)"
)


def preamble_headings(lines: list[str]) -> list[str]:
    """The preamble headings of a plan's outline in the text (指导思想, 基本原则), in order, each once: what a plan's
    opening holds when its tasks are not in the file."""
    found: list[str] = []
    texts = [line.strip() for line in lines if line.strip()]
    for index, text in enumerate(texts):
        heading = _SECTION.match(text)
        if heading is None and (top := _TOP_SECTION.match(text)) and len(text) <= _TOP_HEADING_MAX:
            # 一、工作目标 over its own points counts too; 一、总体要求 over （一）指导思想 only wraps the headings
            wraps = index + 1 < len(texts) and _SECTION.match(texts[index + 1]) is not None
            heading = None if wraps else top
        words = heading and _OUTLINE_HEADING.match(heading.group(2))
        if words:
            name = words.group().strip().rstrip("。.：:")
            found += [name] if name not in found else []
    return found


def _in_outline_preamble(paragraph: _Paragraph) -> bool:
    """Whether a numbered item is a preamble heading of the plan's outline or a point under one."""
    if paragraph.heading:
        # （一）坚持系统谋划 under 二、基本原则: a point of a preamble heading printed a level up (goals under
        # 二、工作目标 stay what they were: what the plan is to reach)
        under = paragraph.under or ""
        return bool(paragraph.parts) and bool(
            _OUTLINE_HEADING.match(paragraph.parts[0])
            or (_OUTLINE_HEADING.match(under) and not _TARGET_HEADING.search(under))
        )
    return paragraph.under is not None and bool(_OUTLINE_HEADING.match(paragraph.under))


# （二）工作目标 / 一、主要目标: a target heading, the items under it what the plan is to reach.
_TARGET_HEADING = re.compile(r"目标\s*[。.：:]?\s*$")


def _reads_as_target(paragraph: _Paragraph) -> bool:
    """A numbered item under a target heading that names a quantity or a date (建成示范小区3个, 2024年底前完成):
    a task's words, where the points under 基本原则 (统筹谋划、系统推进) name none."""
    return (
        not paragraph.heading
        and paragraph.under is not None
        and bool(_TARGET_HEADING.search(paragraph.under))
        and bool(re.search(r"\d", join_lines(paragraph.parts)))
    )


# 1、项目名称： / 3、项目编号：: a numbered field of a form (a bid notice's), its value on the lines after it. Only
# such a form's own labels: 1.强化源头减量： over its text is a plan's item with its heading.
_FIELD_LABEL = re.compile(
    r"^\s*(?:(?:项目|招标|采购|工程)(?:名称|编号|内容|概况|地点|规模|预算|范围)|招标(?:人|代理机构)|投标人资格要求"
    r"|资金来源|建设(?:地点|规模)|联系(?:人|方式|电话)|(?:报名|开标|投标截止)(?:时间|地点))\s*[：:]\s*$"
)


def _is_form_field(paragraph: _Paragraph) -> bool:
    """Whether a numbered item is a form's field label standing on its own line (no task, whatever its value)."""
    return bool(paragraph.parts) and bool(_FIELD_LABEL.match(paragraph.parts[0]))


def _is_item(paragraph: _Paragraph) -> bool:
    """A numbered item (1. …, or a heading item without items under it); prose between them is not."""
    return paragraph.printed_number is not None or paragraph.heading


def _task_number(
    paragraph: _Paragraph, restarts: bool, unnumbered_in_section: dict[int, int], *, items: bool = False
) -> str:
    """Printed number when it runs on; section.n when it restarts or is missing. Reading numbered items,
    the outline above it: 2.1 for （一） under 二、, 2.3.1 for 1. under its （三）."""
    if paragraph.heading:
        return f"{paragraph.top}.{paragraph.section}" if paragraph.top else str(paragraph.section)
    if items and paragraph.printed_number is not None and paragraph.sub:
        outline = f"{paragraph.top}.{paragraph.sub}" if paragraph.top else str(paragraph.sub)
        return f"{outline}.{paragraph.printed_number}"
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
    owner = _trailing_owner(text) or _unclosed_owner(text)
    body = text[: owner.start] if owner else text
    owners_raw = implementers_raw = deadline_raw = None
    announced = None
    if lead_in := _NEWS_LEAD_IN.match(fold_punct(body)):
        body = body[lead_in.end() :]  # …印发…的通知。通知指出：— the reporter's words, not the task's
    if owner:
        content, deadline_raw = owner_and_deadline(owner.content)
        if content:
            owners_raw, implementers_raw = _split_owner(content)
        following = _FOLLOWING_IMPLEMENTERS.search(owner.content)
        announced = following.group(1).strip() if following else None
    elif (tail := _LABELLED_TAIL.search(fold_punct(body))) is not None:
        owners_raw, deadline_raw = owner_and_deadline(fold_punct(body)[tail.end() :].strip().strip("（）〔〕"))
        body = body[: tail.start() + 1]
    elif (dated := _trailing_deadline(body)) is not None:
        body, deadline_raw = body[: dated.start], dated.content  # …领导小组（2020年底需完成）
    elif (opening := _opening_owners(paragraph.parts)) is not None:
        title_text, owners_raw, rest = opening  # 项目名称 / 由某某副市长负责，A牵头，B配合，做好…。
        body = f"{title_text}。{rest}"
    if paragraph.labelled:
        labelled, labelled_deadline = owner_and_deadline("；".join(join_lines([line]) for line in paragraph.labelled))
        owners_raw = "；".join(part for part in (owners_raw, labelled) if part) or None
        deadline_raw = deadline_raw or labelled_deadline
    if owners_raw is None and paragraph.section_owners is not None:
        owners_raw, section_deadline = owner_and_deadline(paragraph.section_owners)
        deadline_raw = deadline_raw or section_deadline
    if (heading_owner := _heading_owner(paragraph.list_name)) is not None and (
        owners_raw is None or not parse_owners(owners_raw).leads
    ):
        # 一、县示范区管委会牵头工作（8项）: the lead of every task under it, beside units a task adds
        if owners_raw is None and (partners := _partners(body)):
            owners_raw = f"{heading_owner}，{partners}配合"  # 会同市农委、财政局拟定…: the heading's unit leads
        else:
            owners_raw = "，".join(part for part in (heading_owner, owners_raw) if part)
    title, content = split_heading(_TASK_LABEL.sub("", body.strip(), count=1))
    if paragraph.notes:
        content = "\n".join(part for part in (content, *paragraph.notes) if part)
    record = TaskRecord(
        list_kind=ListKind.MAIN,
        number=number,
        title=title,
        line=paragraph.line,
        list_name=paragraph.list_name,
        content=content,
        owners_raw=owners_raw,
        implementers_raw=implementers_raw,
        deadline_raw=deadline_raw,
    )
    return record, announced


def _trailing_owner(text: str) -> _Owner | None:
    """The bracket or parenthesis closing the paragraph, if it names owners.

    Only the last bracket counts: a task also cites documents in brackets,
    like （中发〔2021〕40号）, in its body. Nested brackets are matched, and
    （ 〔 are treated alike because closings are printed inconsistently (〔…]).
    A bracket stating only the document's convention (列第一位为牵头单位，下同) is passed over
    for the one before it.
    """
    folded = fold_punct(text).rstrip(_TRAILING_PUNCT)
    if not folded:
        return None
    if folded[-1] not in _CLOSERS:
        return _dash_owner(folded) or _owner_sentence(folded)
    if folded[-2:-1] in _CLOSERS and _depth(folded) == -1:
        folded = folded[:-2] + folded[-1]  # [A牵头，…不再列出)]: opened once, closed twice
    depth = 0
    for index in range(len(folded) - 1, -1, -1):
        char = folded[index]
        if char in _CLOSERS:
            depth += 1
        elif char in _OPENERS:
            depth -= 1
            if depth == 0:
                content = folded[index + 1 : -1].strip()
                if owner_convention(content) and parse_owners(content).unassigned:
                    return _trailing_owner(folded[:index])
                if any(word in content for word in _OWNER_WORDS) or _urges(content):
                    return _Owner(index, content)
                if _part_of_a_name(folded[:index], content):
                    return None  # 旌德县政府（办公室）: the government's office, one name, no owner clause
                if _DOCUMENT_STATUS.match(content):
                    return None  # …实施方案（试行）: the document's status, no owner (试行 only ends like 银行)
                if _names_units(content) or _lists_owners(content):
                    return _Owner(index, content)
                return None
    return None


def _urges(content: str) -> bool:
    """Whether a bracket names a unit urging others (市生态环境局督促各县（市、区）落实): A answers for the work."""
    if "督促" not in content:
        return False
    leads = parse_owners(content).leads
    return bool(leads) and not any("督促" in name for name in leads)


_DOCUMENT_STATUS = re.compile(r"^(?:试行|暂行|草案|征求意见稿|送审稿|讨论稿|修订稿|修订版|\d{4}年修订)$")


def _part_of_a_name(before: str, content: str) -> bool:
    """Whether a bracket of one unit's name, with no owner word, is glued to the unit named right before it:
    旌德县政府（办公室）, 市委宣传部（市文明办） name one body (its office, its other name), not its owners."""
    names = split_names(content)
    return len(names) == 1 and _UNIT_NAME_END.search(before.rstrip()) is not None


def _dash_owner(folded: str) -> _Owner | None:
    """An em-dash tail naming the owners without a label: ``…提标改造。——市卫健委、市生态环境局``.
    Only a tail that lists nothing but units counts (a dash inside a sentence introduces its text)."""
    dash = folded.rfind("——")
    content = folded[dash + 2 :].strip() if dash > 0 else ""
    if not content or re.search(r"[。；：]", content):
        return None
    names = split_names(content)
    if names and all(looks_like_unit(name) and len(name) <= 30 for name in names):
        return _Owner(dash, content)
    return None


def _depth(text: str) -> int:
    """Brackets opened minus brackets closed."""
    return sum(text.count(c) for c in _OPENERS) - sum(text.count(c) for c in _CLOSERS)


def _heading_owner(heading: str | None) -> str | None:
    """The owners a section heading states for every task under it: 县示范区管委会牵头工作（8项） /
    市发展改革委负责事项, or a heading naming one unit alone (一、市发展和改革委员会: a 目标任务书 listing
    each unit's tasks under its name); else None."""
    if not heading:
        return None
    folded = _SECTION_NUMBER_START.sub("", fold_punct(heading).strip()).strip()
    if looks_like_unit(folded) and _UNIT_NAME_END.search(folded) and len(split_names(folded)) == 1:
        return f"{folded}牵头"
    match = _HEADING_OWNER.match(folded)
    if match is None or _owner_clause(match["clause"]) != "unit":
        return None
    return match["clause"]


def _partners(body: str) -> str | None:
    """The units a task opens by working with (会同市农委、科技局、财政局，拟定… / 会同市太湖办上半年组织…),
    as a list joined by 、, or None (owners.units_at_start)."""
    text = fold_punct(body).strip()
    if not text.startswith("会同"):
        return None
    return "、".join(units_at_start(text[len("会同") :], longest=_PARTNER_MAX)) or None


def _owner_clause(clause: str) -> str | None:
    """'unit' when a clause names units and what they do (由市安监局负责, 相关部门配合), 'person' when it names
    only a person (由张某某副市长负责), else None."""
    match = _OWNER_CLAUSE.match(clause.strip())
    if match is None:
        return None
    names = split_names(match["names"])
    if not names:
        return None
    if all(is_person(name) for name in names):
        return "person"
    units = all(
        is_person(name) or _UNIT_NAME_END.search(name) or name.startswith(("各", "相关", "有关")) or _is_level(name)
        for name in names
    )
    return "unit" if units else None


def _is_level(name: str) -> bool:
    """镇（街道） / 乡镇: every body of a level of government under the plan's, named by the level."""
    return re.fullmatch(r"(?:乡镇|镇|乡|街道|村|社区)(?:（(?:乡镇|镇|乡|街道|村|社区)）)?", name) is not None


def _owner_run(clauses: list[str]) -> int:
    """How many clauses at the start of a list name owners (0 when none names a unit)."""
    count = 0
    while count < len(clauses) and _owner_clause(clauses[count]) is not None:
        count += 1
    return count if any(_owner_clause(clause) == "unit" for clause in clauses[:count]) else 0


def _owner_sentence(text: str) -> _Owner | None:
    """The sentence closing a paragraph when it names owners and nothing else, without brackets:
    ``…确保安全处置。由市环保局、市卫生局牵头，各县区政府负责实施。``"""
    folded = fold_punct(text).rstrip(_TRAILING_PUNCT)
    cut = max(folded.rfind("。"), folded.rfind("；"))
    sentence = folded[cut + 1 :].strip()
    if cut <= 0 or not sentence or len(sentence) > _OWNER_SENTENCE_MAX:
        return None
    period = _glued_period(sentence, folded[:cut])
    owners = sentence[: len(sentence) - len(period)] if period else sentence
    clauses = [clause for clause in re.split(r"[，,]", owners) if clause.strip()]
    if _owner_run(clauses) != len(clauses):
        return None
    return _Owner(cut + 1, f"{owners}，{period}" if period else sentence)


def _glued_period(sentence: str, before: str) -> str | None:
    """The deadline a copy ran on after an owner sentence's verb (a table's last cell: …等按职责分工负责全年,
    区教育局负责年内), when it reads as a deadline and nothing else and the sentence closes the whole record: no
    sentence before it in the paragraph opens with owners (…。市工业和信息化局负责，2024年底前完成。（二）… closes
    an item run on inside the record, not the record)."""
    for verb in _OWNER_VERB_INSIDE.finditer(sentence):
        tail = sentence[verb.end() :]
        if not is_bare_deadline(tail):
            continue
        earlier = (re.split(r"[，,]", part) for part in re.split(r"[。；]", before))
        if any(_owner_run(clauses) for clauses in earlier):
            return None
        return tail
    return None


def _opening_owners(parts: list[str]) -> tuple[str, str, str] | None:
    """(title, owners, the rest) of a task whose text opens with its owners after its heading:
    ``兰州城市轨道交通项目`` / ``由某某副市长负责，市建设局牵头，市发改委配合，按照要求…。``"""
    text = join_lines(parts)
    folded = fold_punct(text)
    if len(parts) > 1 and "。" not in fold_punct(parts[0]).rstrip("。"):
        title = join_lines(parts[:1]).rstrip("。")
        rest = fold_punct(join_lines(parts[1:]))
    elif "。" in folded.rstrip("。"):
        title, rest = folded.split("。", 1)
    else:
        return None
    clauses = rest.split("，")
    count = _owner_run(clauses)
    if not count or count == len(clauses):
        return None
    return title.strip(), "，".join(clauses[:count]), "，".join(clauses[count:]).strip()


def _unclosed_owner(text: str) -> _Owner | None:
    """An owner clause opened at the end of a paragraph and never closed (a copy lost its last
    character): ``…。（各市县人民政府负责落实，省商务厅按职责分工负责``. Only read once the paragraph
    is complete, never to decide where a paragraph ends."""
    folded = fold_punct(text).rstrip(_TRAILING_PUNCT)
    unclosed: list[int] = []
    for index, char in enumerate(folded):
        if char in _OPENERS:
            unclosed.append(index)
        elif char in _CLOSERS and unclosed:
            unclosed.pop()
    if not unclosed:
        return None
    content = folded[unclosed[0] + 1 :].strip()
    if any(word in content for word in _OWNER_WORDS) and not parse_owners(content).unassigned:
        return _Owner(unclosed[0], content)
    return None


def _trailing_deadline(text: str) -> _Owner | None:
    """A parenthesis closing the text that holds only its deadline: …领导小组（2020年底需完成）."""
    folded = fold_punct(text).rstrip(_TRAILING_PUNCT)
    opened = folded.rfind("（")
    if not folded.endswith("）") or opened <= 0:
        return None
    content = folded[opened + 1 : -1].strip()
    return _Owner(opened, content) if _DEADLINE_ONLY.match(content) else None


def split_trailing_deadline(text: str) -> tuple[str, str | None]:
    """(text, deadline) of a text closed by a parenthesis holding only its deadline: …压实责任（立行立改）."""
    dated = _trailing_deadline(text)
    return (text[: dated.start].strip(), dated.content) if dated else (text, None)


def _names_units(content: str) -> bool:
    """（市发展改革委、市财政局）: a bracket listing nothing but units (and a deadline) names owners too."""
    owners, _deadline = owner_and_deadline(content)
    names = split_names(owners or "")
    return bool(names) and all(_UNIT_NAME_END.search(name) and len(name) <= 30 for name in names)


def _lists_owners(content: str) -> bool:
    """（省发改委、交通厅、宜昌市、武汉城市圈9市等）closing a sentence group inside an item: a list led by a
    department's name (…局/委/厅/办) whose other names are short, so the first unit leads the group before it.
    A parenthesis such as （市、区） or （含高新区） does not start with a department."""
    owners, deadline = owner_and_deadline(content)
    names = split_names(owners or "")
    if deadline or len(names) < 2 or not _UNIT_NAME_END.search(names[0]) or len(names[0]) < 3:
        return False
    return all(len(name) <= _LISTED_NAME_MAX and not re.search(r"[，。；：\s]", name) for name in names)


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
    if owners:
        # A督促B落实 beside 负责 (市农业农村局负责，督促各县落实): the units urged are owners too (at most supporting)
        owners = [clause for clause in clauses if clause in owners or "督促" in clause]
    implementers = [clause.replace("负责落实", "").strip() for clause in clauses if "负责落实" in clause]
    owners_raw = "，".join(owners) if owners else content
    return owners_raw, ("，".join(implementers) or None)

"""The last-resort reading of a readable file in which no task list, table or numbered item was recognised.

A file is never refused whole only because its layout is unknown: every paragraph that names
a unit-like owner (…局/委/厅/办/中心/公司/政府/街道/乡/镇, starting with its level or place or a standard agency's
name) or a deadline becomes a candidate task, and each carries a doubt saying it was read paragraph by paragraph,
so the preview shows it and a person decides. When no candidate names a standard agency or a government, the plan
has a doubt that the file may be no plan (news, a speech): kept, not refused, as the reading is there to show a
person what was found. A file with no such paragraph is still refused, naming what was looked for
(`NOTHING_TASK_LIKE`), and so is one with more than `MAX_CANDIDATES` (no person checks thousands one by one).
"""

from __future__ import annotations

import re
from functools import cache

from wufei.departments.agencies import standard_agencies
from wufei.departments.owners import DEADLINE_LABEL, SUPERVISOR
from wufei.importers.records import Doubt, ListKind, TaskRecord
from wufei.importers.text.normalize import fold_punct, without_page_furniture
from wufei.importers.text.paragraphs import split_heading, split_trailing_owner
from wufei.places import divisions
from wufei.tasks.deadlines import deadlines_in_text

CANDIDATE_DOUBT = "未识别出任务清单结构，按段落读取，请逐条核对名称、责任单位和完成期限"
NOTHING_TASK_LIKE = (
    "文件中没有找到任务、指标或无废细胞表格，也没有写明责任单位（…局、委、厅、办、中心、公司、政府、街道、乡、镇）"
    "或完成时限的段落"
)

# A unit-like name standing on its own: after a break (start, punctuation, a space, 由/请/负责/牵头) and before a
# break, a date or what a unit is asked to do (市住建局加强巡查, 桃城区人民政府12月底前完成). A name never starts
# with the word before it (由市城管局牵头: 由 is looked past, not the name rejected); 负责人/负责同志 are people.
_UNIT = re.compile(
    r"(?:^|(?<=[\s，。；：、,;:（(由请])|(?<=负责)|(?<=牵头)|(?<=会同))"
    r"(?!由|请|负责|牵头|配合|会同)"
    r"(?P<name>[\u4e00-\u9fff]{1,16}?(?:人民政府|政府|管委会|委员会|街道办事处|街道|办公室|中心|公司|局|委|厅|办|乡|镇))"
    r"(?P<role>牵头|配合)?"
    r"(?=[\s，。；：、,;:）)等\d]|$|负责(?!人|同志)|牵头|配合|参与|要(?!求)|应|须|加强|完成|开展|落实|做好|推进|组织|于|在)"
)
# 统筹城乡 and 小城镇 are no units (各乡镇 is: a collective).
_NOT_UNIT = re.compile(r"(?<!各)(?:城乡|城镇|村镇|乡镇)$")
# A unit starts with its level or its place (市住建局, 各乡镇, 琅琊区城管局) unless its name is a standard agency's:
# 以人民为中心, 新格局, 政务服务大厅 and 无废小镇 only end like units.
_LEVEL_START = ("市", "区", "县", "省", "州", "旗", "各")
# A year is a deadline only when something says it is one (2025年底前, 2024年完成); 2023年，… dates a fact.
_DEADLINE_WORD = re.compile(r"[前底末]|完成")
MAX_CANDIDATES = 300  # more paragraphs than any plan's tasks: a file of another kind (a yearbook, a whole site)
_LABELLED_DEADLINE = re.compile(rf"{DEADLINE_LABEL}\s*[：:]\s*(?P<deadline>[^；;。，,\s]+)")
_BARE_DATE = re.compile(r"\d{4}\s*年(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*日)?(?:年?底|末)?(?:以前|之前|前)?")
_DATE_ONLY = re.compile(rf"^\s*(?:{_BARE_DATE.pattern})\s*$")
# A web page's or a portal's furniture: source, dates, clicks, print buttons; never a task.
_PAGE_FURNITURE = re.compile(
    r"来源\s*[：:]|发布(?:时间|日期|机构)|浏览次数|点击[数量]|责任编辑|版权所有|主办单位|打印本页|关闭窗口"
)
# A notice's publishing formula (《…》已经市政府同意，现印发给你们): what the notice does, no task of the plan.
_PUBLISHING = re.compile(r"(?:现|特)(?:将[^。]{0,80})?印发(?:给)?你们|印发给你们|现予印发")
# 山西省人民政府 关于印发…三年行动计划的通知: a notice's title line (its office before it), no task.
_NOTICE_TITLE = re.compile(r"关于[^。；，,]{2,80}的(?:通知|通报|决定|意见|函|批复)$")
_LEADING_NUMBER = re.compile(
    r"^\s*(?:[（(]\s*[一二三四五六七八九十\d]+\s*[）)]|[一二三四五六七八九十]+\s*[、是]|\d{1,3}\s*[.．、]|[①-⑳])\s*"
)
_TITLE_MAX = 60
_WORDS_MIN = 6  # characters besides units' names that make a paragraph say something


def candidate_tasks(lines: list[str], *, title: str) -> list[TaskRecord]:
    """Candidate tasks of a file nothing else was read from: its task-like paragraphs, each flagged with
    `CANDIDATE_DOUBT`. Tables are not read again here: the table reader already reads columns nobody names by
    what they hold, and a table it set aside (a contact list, a page's information box) holds no tasks."""
    key = _compact(title)
    records: list[TaskRecord] = []
    for index, line in enumerate(without_page_furniture(lines)):
        text = line.strip()
        if not text or _compact(text) in key or _PAGE_FURNITURE.search(text) or text.endswith(("：", ":")):
            continue  # 各镇人民政府，区政府各部门： / …通知如下：: a salutation or a lead-in introduces what follows
        if (_PUBLISHING.search(fold_punct(text)) and deadlines_in_text(text) is None) or _NOTICE_TITLE.search(text):
            continue  # what the notice does; a request in it by a date (请市城管局…于2019年底前完成) stays
        record = _from_text(text, line=index + 1, number=str(len(records) + 1))
        if record is not None:
            records.append(record)
    return records


def too_many_candidates(count: int) -> str:
    """Why a file with this many candidate paragraphs is refused: a person cannot check them one by one, and a
    file holding that many is no plan (a yearbook, a whole web site saved as one page)."""
    return (
        f"未识别出任务清单结构，按段落读出{count}个候选任务，超过{MAX_CANDIDATES}个，无法逐条核对；"
        "文件可能不是工作方案或任务清单（如整本汇编、整个网站的页面），请只保留任务部分或整理为表格后再导入"
    )


def none_known(records: list[TaskRecord]) -> bool:
    """Whether no candidate names an owner a standard agency's name or a government fits: news or a speech
    names units in passing, a plan names its departments."""
    return not any(_is_known_unit(name) for record in records for name in _names(record.owners_raw))


NOT_A_PLAN = (
    "候选任务中没有一个写明常见部门（如市生态环境局、区住建局）为责任单位，"
    "文件可能不是工作方案或任务清单，请核对后再提交"
)


def _from_text(text: str, *, line: int, number: str) -> TaskRecord | None:
    body = _LEADING_NUMBER.sub("", text)
    body, owners, deadline = split_trailing_owner(body)
    deadline = deadline or _deadline_in(body)
    owners = owners or _units_named(body, commanding=deadline is not None)
    # A signature (a unit's name alone, a date alone) says nothing besides them: no task.
    if not (owners or deadline) or not _says_something(body, owners):
        return None
    title, content = split_heading(_LABELLED_DEADLINE.sub("", body).strip(" ，；。"))
    if not title or _DATE_ONLY.match(title):
        return None
    return _record(title, content, owners, deadline, line=line, number=number, source=text)


def _record(
    title: str, content: str | None, owners: str | None, deadline: str | None, *, line: int, number: str, source: str
) -> TaskRecord:
    if len(title) > _TITLE_MAX:  # a long paragraph with no stop: the person shortens it
        title, content = title[:_TITLE_MAX] + "…", title if content is None else f"{title}。{content}"
    return TaskRecord(
        list_kind=ListKind.MAIN,
        number=number,
        title=title,
        line=line,
        content=content,
        owners_raw=owners,
        deadline_raw=deadline,
        doubts=[Doubt("record", CANDIDATE_DOUBT, source[:120])],
    )


def _units_named(text: str, *, commanding: bool = True) -> str | None:
    """The units a paragraph names, each with its role when it says it (市城管局牵头，市财政局配合). With
    `commanding`, one unit convening or urging another (县城管局召集县住建局) names both; without (a paragraph
    naming no deadline: 近日,某市政府办公室召集…召开推进会 reports a meeting), neither."""
    names: dict[str, str] = {}
    folded = fold_punct(text)
    convened_until = -1  # after 召集 / 带领 up to the end of its sentence: the units named take part, none leads
    for match in _UNIT.finditer(folded):
        name, role = match["name"], match["role"] or ""
        if (verb := _COMMANDING.search(name)) is not None and commanding:
            # 县城管局召集县住建局 / 县政府督促县城管局: one unit acting on another in the same words; the convener
            # leads those it convenes, and the unit urging another answers for the work, the unit urged at most
            # supporting it
            before, after = name[: verb.start()], name[verb.end() :]
            convening = verb.group() != "督促"
            # 区政府督查室督促区住建局…: a supervision office checks the work, the unit urged does it and leads
            supervisor = not convening and SUPERVISOR.search(before) is not None
            if _is_unit(before) and before not in names and not supervisor:
                names[before] = "牵头"
            if _is_unit(after) and after not in names:
                names[after] = "牵头" if supervisor else "配合"
            if convening:
                convened_until = len(folded) if (stop := folded.find("。", match.end())) < 0 else stop
            continue
        if _is_unit(name) and name not in names:
            names[name] = role or ("配合" if match.start() < convened_until else "")
    if any(names.values()):
        return "，".join(name + role for name, role in names.items())
    return "、".join(names) or None


# A piece of a sentence ending like a unit: opened by a preposition or a speaker (在充分征求区政府, 与某市人民政府,
# 我代表市人民政府), holding what one unit does to another (启东市政府办公室召集该市纪委, 各有关部门认真落实自治区党委),
# or a person's seat (县委常委); opened by what is done to the units (推动各级政府, 指导各县区政府) or saying what a
# unit will do (市政府也将加强跟踪督办); opened by an adverb of effort (努力建设服务型政府, 率先建成…政府) or naming a
# kind of government (服务型政府, 法治政府 as an aim).
_SENTENCE_PIECE = re.compile(
    r"^(?:在|对|按照?|根据|依据|与|我|代表|推动|推进|促进|指导|支持|鼓励|引导|组织"
    r"|努力|率先|着力|力争|大力|积极|持续|切实|不断|加快|建设|建成)"
    r"|召集|征求|带领|督促|召开|听取|落实|也?将|常委$|型政府$|(?:法治|廉洁|效能|阳光|数字|整体)政府$"
)


_COMMANDING = re.compile(r"召集|带领|督促")


def _is_unit(name: str) -> bool:
    if _NOT_UNIT.search(name) or _SENTENCE_PIECE.search(name):
        return False
    return name.startswith(_LEVEL_START) or divisions().match_at(name) is not None or _is_known_unit(name)


@cache
def _agency_words() -> tuple[str, ...]:
    words = {"人民政府", "政府"}
    for agency in standard_agencies():
        for name in [*agency.forms.values(), *(alias for aliases in agency.aliases.values() for alias in aliases)]:
            if "{" not in name and len(name) >= 3:
                words.add(name)
    return tuple(words)


def _is_known_unit(name: str) -> bool:
    return name.endswith(_agency_words())


def _names(owners: str | None) -> list[str]:
    return [re.sub(r"(?:牵头|配合|负责)$", "", name) for name in re.split(r"[、，；]", owners or "") if name]


def _deadline_in(text: str) -> str | None:
    labelled = _LABELLED_DEADLINE.search(fold_punct(text))
    if labelled is not None:
        return labelled["deadline"]
    found = deadlines_in_text(text)
    if found is None:
        return None
    after = text[text.find(found) + len(found) :] if found in text else ""
    return found if _DEADLINE_WORD.search(found) or _DEADLINE_WORD.match(after.lstrip()) else None


def _says_something(body: str, owners: str | None) -> bool:
    """Whether the paragraph holds words besides its units' names (出席：A、B、C is a list, no task)."""
    rest = body
    for name in _names(owners):
        rest = rest.replace(name, "")
    return len(re.findall(r"[\u4e00-\u9fff]", rest)) >= _WORDS_MIN


def _compact(text: str) -> str:
    return "".join(text.split())

"""Deadlines (完成期限) as printed in the plans, turned into a kind and a due date.

Three kinds:
- FIXED: one due date (`2025年`, `2023年底前`, `2024年4月底前`, `2023年6月30日`, `2023—2025年`, a bare
  `2020`, `2016年6底前`, `6月中旬` …). A FIXED deadline relative to another event
  (`省出台文件后2个月完成`) has no due date: it is kept as text with a doubt for the office.
- ANNUAL: due every 31 December of the plan period (`完成年度任务`, `每年`, `逐年推进`, `2023年起每年`).
- ONGOING: no final date (`持续推进`, `长期坚持`, `常态工作`, `2023年起`, `常年`, `立行立改`, `即日起`); reported
  every cycle, judged each year end.
- A date someone else sets (`按省统一部署`, `根据上级要求`) is relative: no due date, a doubt for the office.
  A span of months (`2023年3-6月`) ends with its last month; `全年` is the year's end; `每年底前` without a
  year is ANNUAL.

Rules, decided once:
- A five-year plan's span (`“十四五”期间`, `十四五时期`, `十四五末`) is the end of its last year (2025).
- `每年12月底前` without a year recurs every year (ANNUAL): the month is each year's, not one year's.
- A year alone means the end of that year: plans say `2025年` for "by 2025"; 年底/年末 too; 年中 and
  上半年 the 30 June; a quarter its last day; 上旬/中旬/下旬 the 10th/20th/last day of the month.
- `前` straight after a month or a year (`9月前`, `2025年前`) is read strictly, as before that month or
  year begins (31 August, 31 December 2024), and the office is asked to confirm: some writers mean
  "by the end of". `底前`, `末前` and `日前` are the end of that period or that day.
- Several dates in one deadline (`2022年底前完成A，2025年底前完成B`): the latest is the due date, the
  others are checkpoints (阶段节点) with the clause that names them. The loader keeps them as the task's
  milestones, so the earlier commitment is supervised too.
- A date without a year (`年底`, `6月底前`, `一季度`) takes the year of the date before it in the same
  text, else the plan's year for a one-year plan, else the year the plan was issued (with a doubt).
- Dates are only ever read from the deadline text itself: `deadlines_in_text` finds the phrases that
  set a deadline inside a task's text (`到2025年底，…`, `2023年底前完成`) when there is no deadline.

`parse_deadline` raises DeadlineError (Chinese, quoting the text) for text it cannot read at all;
the loader turns that into a doubt on the task, never a refused file.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class DeadlineKind(StrEnum):
    FIXED = "fixed"
    ANNUAL = "annual"
    ONGOING = "ongoing"


class DeadlineError(ValueError):
    """An unparseable deadline; the message is Chinese and quotes the raw text."""


@dataclass(frozen=True)
class Checkpoint:
    """An earlier date named in the same deadline as the due date: 2022年底前完成A."""

    due_date: date
    text: str  # the clause that names it


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    due_date: date | None
    raw: str | None
    note: str | None = None
    # What the office should confirm (a relative deadline, a strict reading of 前, a guessed year).
    doubt: str | None = None
    checkpoints: tuple[Checkpoint, ...] = ()
    start_year: int | None = None  # 2023年起, 2022—2025年


NOTE_ANNUAL = "每年12月31日到期（方案期内逐年考核）"
NOTE_BEFORE_ISSUE = "早于方案印发"
NOTE_NO_DEADLINE = "未列完成期限，按方案期限"
NOTE_RELATIVE = "相对期限，需确定具体日期"

_ONGOING = (
    "持续推进",
    "逐步推进",
    "长期坚持",
    "长期推进",
    "长期",
    "持续开展",
    "持续",
    "常年",
    "立行立改",
    "即知即改",
    "常态化",
    "常态",
    "经常性",
    "每季度",
    "每半年",
    "每月",
    "即日起",
)
_ANNUAL = ("完成年度任务", "年度任务", "每年", "逐年", "年度", "按年")
# 按省统一部署 / 根据上级要求: the date comes from someone else, to be settled by the office.
_AS_ORDERED = re.compile(
    r"^(?:按|按照|根据|依据|视)(?:国家|中央|省|市|区|县|上级|省级|市级|部委|有关|相关)?[^，。；\d]{0,8}"
    r"(?:部署|要求|安排|时限|进度|规定|通知)"
)

# “十四五”期间 / 十三五时期 / 十四五末: the span of a five-year plan (the 3rd began in 1966, unbroken since).
_FIVE_YEAR_SPAN = re.compile(r"十([一二三四五六七八九])五[”’\"']?\s*(?:期间|时期|期末|末)")
_FIVE_YEAR_NUMBER = "一二三四五六七八九"
# 每年 / 逐年 naming a month or a part of the year, not a year: the same date every year.
_EVERY_YEAR = re.compile(r"每年|逐年")

_CN_MONTH = {
    "十二": 12,
    "十一": 11,
    "十": 10,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}

# One date expression. Alternatives are tried in order at each position, so the longer forms
# come first: a range before a year, a day before a month.
_EXPRESSION = re.compile(
    r"(?P<range>(?P<r0>\d{4})年?(?:[-—–~]+|至|到)(?P<r1>\d{4})年?)"
    # 24年底 / 25年6月底前 / 25年6月30日: a year typed with two digits is this century's (19 to 99: the
    # plans began in 2019), only before 年 and a month, a day or a part of the year (用10年时间, 近10年12月份
    # are no years).
    r"|(?P<day>(?:(?P<dy>\d{4})年|(?<!\d)(?P<dshort>19|[2-9]\d)年)?(?P<dm>\d{1,2})月(?P<dd>\d{1,2})[日号]"
    r"|(?P<iy>\d{4})[-./](?P<im>\d{1,2})[-./](?P<id>\d{1,2})日?)"
    r"|(?P<ym>(?P<sy>\d{4})[-./](?P<sm>\d{1,2}))(?![\d月])"
    # 2023年3-6月 / 3月至6月: a span of months ends with its last month.
    r"|(?P<mrange>(?:(?P<ry>\d{4})年)?\d{1,2}月?(?:[-—–~]+|至|到)(?P<rm>\d{1,2})月)"
    # 2016年6底前: a month whose 月 was dropped before 底/末/旬.
    r"|(?P<month>(?:(?P<my>\d{4})年|(?<!\d)(?P<mshort>19|[2-9]\d)年)?(?P<mm>\d{1,2})(?:月份?|(?=底|末|[上中下]旬)))"
    r"|(?P<part>(?:(?P<py>\d{4})年?|(?<!\d)(?P<short>19|[2-9]\d)(?=年)年?)?"
    r"(?P<pp>上半年|下半年|年中|年底|年末|年初|第?[一二三四1-4]季度|Q[1-4](?!\d)))"
    r"|(?P<year>(?P<yy>\d{4})年?)"
)
_TAIL = re.compile(r"(?P<when>底|末|初|上旬|中旬|下旬)?(?P<before>以前|之前|前)?(?P<since>起|开始|以来|以后)?")
# 省出台文件后2个月完成 / 项目批复后3个月内 / 印发之日起30日内
_RELATIVE = re.compile(
    r"(?:出台|印发|发布|批复|下达|颁布|实施|生效|建成|完成|验收|启动|成立|之日)[^，；。]{0,8}?(?:后|起)"
    r"(?:\d+|[一二两三四五六七八九十半]+)个?(?:月|日|天|周|星期|工作日|年)"
    # 3个月内 / 15个工作日内 / 十日内; not 6月30日内, not 2025年内
    r"|(?<![\d月])(?:\d{1,3}|[一二两三四五六七八九十半]+)(?:个月|个?工作日|个?星期|周|天|日)(?:内|以内)"
)
_CLAUSE_END = "，；。、"


def parse_deadline(
    raw: str | None,
    *,
    plan_start: int | None = None,
    plan_end: int | None = None,
    issued_on: date | None = None,
) -> Deadline:
    """Parse a printed deadline. `issued_on` (or else `plan_start`) flags dates before the plan."""
    text = _clean(raw)
    if not text:
        if plan_end is None:
            raise DeadlineError("未列完成期限，且不知道方案期限")
        return Deadline(DeadlineKind.FIXED, date(plan_end, 12, 31), raw, NOTE_NO_DEADLINE)

    if _RELATIVE.search(text) or _AS_ORDERED.match(text):
        return Deadline(
            DeadlineKind.FIXED,
            None,
            raw,
            NOTE_RELATIVE,
            doubt=f"完成期限「{_shown(raw)}」相对于其他事项，请确定具体日期",
        )

    text = _FIVE_YEAR_SPAN.sub(_five_year_end, text)
    ongoing = any(word in text for word in _ONGOING)
    annual = any(word in text for word in _ANNUAL)
    if _EVERY_YEAR.search(text) and not re.search(r"\d{4}", text):
        return Deadline(DeadlineKind.ANNUAL, None, raw, NOTE_ANNUAL)  # 每年12月底前: every year's December
    try:
        found = _dates(text, raw, _context_year(plan_start, plan_end, issued_on))
    except DeadlineError:
        if annual and not re.search(r"\d{4}", text):
            return Deadline(DeadlineKind.ANNUAL, None, raw, NOTE_ANNUAL)  # 每年底前: every year's end
        raise
    doubt = "；".join(dict.fromkeys(d.doubt for d in found if d.doubt)) or None
    start = min((d.start for d in found if d.start is not None), default=None)
    dues = sorted((d.due, d.clause) for d in found if d.due is not None)

    if not dues:
        if found and (ongoing or annual or start is not None):
            kind = DeadlineKind.ANNUAL if annual and not ongoing else DeadlineKind.ONGOING
            return Deadline(kind, None, raw, NOTE_ANNUAL if kind is DeadlineKind.ANNUAL else None, doubt, (), start)
        if ongoing:
            return Deadline(DeadlineKind.ONGOING, None, raw)
        if annual:
            return Deadline(DeadlineKind.ANNUAL, None, raw, NOTE_ANNUAL)
        raise DeadlineError(f"无法识别的完成期限：「{raw}」")

    last = dues[-1][0]
    checkpoints = tuple(dict.fromkeys(Checkpoint(due, clause) for due, clause in dues if due < last))
    return Deadline(DeadlineKind.FIXED, last, raw, _note_for(last, plan_start, issued_on), doubt, checkpoints, start)


def _five_year_end(match: re.Match[str]) -> str:
    """十四五期间 → 2025年底: the last year of the 14th five-year plan (2021–2025)."""
    number = 10 + _FIVE_YEAR_NUMBER.index(match.group(1)) + 1
    return f"{1966 + 5 * (number - 3) + 4}年底"


def deadlines_in_text(text: str | None, *, plan_start: int | None = None, plan_end: int | None = None) -> str | None:
    """The phrases in a task's own text that set its deadline (`到2025年底`, `2023年底前`), joined by ；.

    Only phrases that say "by" count (到/至/于 a date, or a date followed by 前 — a month alone too, `4月底前`,
    in the plan's year —, or 上半年/下半年 before
    what is done by then, or a year opening a sentence — or a numbered sub-item, （1）2020年，开展… — before its
    figure when no other date does: `2018年，…控制在…`); 截至2021年底 reports the past, and so does
    直到2023年7月7日 (until then). Years after the plan period are other plans' business (2030年前碳达峰) and
    skipped, unless the text plans its own completion then (计划于2025年10月完工, in a report on 2024's
    projects); earlier years stay (a rectification list published after its dates: 2022年12月底前，制定…), the
    parser notes them as earlier than the plan.
    """
    if not text:
        return None
    phrases: list[str] = []
    openings: list[str] = []
    cleaned = _clean(text)
    for match in _IN_TEXT.finditer(cleaned):
        phrase = match["a"] or match["b"] or match["done"] or match["half"] or match["month"] or match["opening"]
        if match["span"]:
            phrase = f"{match['sy']}年{match['em'] or match['sm']}月{match['ed']}日"
        # 计划于2025年10月完工: a project's own planned completion, even after the period its report covers (计划到
        # 2030年实现碳达峰 is another plan's business)
        planned = cleaned[max(0, match.start() - 2) : match.start()] == "计划" and bool(
            _COMPLETION.match(cleaned, match.end())
        )
        late = phrase[:4].isdigit() and plan_end is not None and int(re.findall(r"\d{4}", phrase)[-1]) > plan_end
        if late and not planned:
            continue  # a span's last year decides (2010-2014年)
        found = openings if match["opening"] else phrases
        if phrase not in found:
            found.append(phrase)
    # 2022年，完成9万千瓦；到2025年，新增50万千瓦: a year opening a sentence beside a "by" date is a step
    # on the way, not the deadline; alone it is the deadline.
    return "；".join(phrases or openings) or None


_COMPLETION = re.compile(r"\s*(?:全面|全部|基本)?(?:完工|完成|建成)")
_IN_TEXT = re.compile(
    # 于2018年8月6日至17日: a span's first day is no deadline
    r"(?<![截止直])(?:到|至|于|在)(?P<a>\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?(?:年?底|末)?(?:前|以前|之前)?)(?!\d|\s*[至到—–~-]\s*\d)"
    # 于2025年6月30日-7月5日, 于2018年8月6日至17日: a span of days is done by its last day
    r"|(?<![截止直])(?:到|至|于|在)(?P<span>(?P<sy>\d{4})年(?P<sm>\d{1,2})月\d{1,2}日\s*[至到—–~-]\s*"
    r"(?:(?P<em>\d{1,2})月)?(?P<ed>\d{1,2})日)"
    r"|(?P<b>\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?(?:年?底|末)?(?:以前|之前|前))"
    # 2006年底完成, 2009年6月底建成: the end of a period by which the work is done; 截至2021年底完成 reports the
    # past, 2020年末建成区…, 2019年底完成率… are statistics of that date
    r"|(?<!截至)(?<!截止)(?<!直到)(?<!\d)(?P<done>\d{4}年(?:\d{1,2}月)?(?:年?底|末))(?=完成|建成)(?!..[区率量])"
    r"|(?<![年今明去])(?P<half>[上下]半年)(?=前|内|组织|完成|出台|建成|制定)"
    # 4月底前完成摸底: a month without its year, by which the step is done (the plan's year, when parsed)
    r"|(?<![\d年月至到-])(?P<month>\d{1,2}月(?:\d{1,2}日)?(?:底|末|上旬|中旬|下旬)?(?:以前|之前|前))"
    # 2018年，用水总量控制在47.38亿立方米: a year opening a sentence states the year its figure is due;
    # so does a span of years (从2010-2014年，每年建设…: due at the span's end), and a year opening a numbered
    # sub-item ((1)2020年，开展…, the item's number before it as a sentence's start)
    r"|(?:^|(?<=[。；])|(?<=\(\d\))|(?<=\(\d\d\)))从?(?P<opening>\d{4}年|\d{4}[-—–－~至]\d{4}年)(?=，)"
)


def annual_due_dates(plan_start: int, plan_end: int) -> tuple[date, ...]:
    """The 31 December of each year of the plan period, for ANNUAL deadlines."""
    if plan_end < plan_start:
        raise ValueError(f"方案期限有误：{plan_start}—{plan_end}")
    return tuple(date(year, 12, 31) for year in range(plan_start, plan_end + 1))


# --- reading dates ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Found:
    due: date | None
    start: int | None
    clause: str
    doubt: str | None = None


@dataclass(frozen=True)
class _Year:
    """The year a date without one falls in, and why (a doubt when it is a guess)."""

    year: int | None
    doubt: str | None


def _clean(raw: str | None) -> str:
    if raw is None:
        return ""
    # NFKC turns full-width digits and punctuation into ASCII; spaces carry no meaning here.
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw))
    text = text.replace(",", "，").replace(";", "；").replace("全年", "年底")  # 全年完成: by the year's end
    # 六月底 -> 6月底 (longest numerals first: 十二 before 十 and 二)
    return re.sub(r"(十[一二]|[一二三四五六七八九十])(?=月)", lambda m: str(_CN_MONTH[m.group(1)]), text)


def _shown(raw: str | None) -> str:
    return re.sub(r"\s+", " ", raw or "").strip()


def _context_year(plan_start: int | None, plan_end: int | None, issued_on: date | None) -> _Year:
    if plan_start is not None and plan_start == plan_end:
        return _Year(plan_start, None)
    if issued_on is not None:
        return _Year(issued_on.year, f"期限未写年份，按方案印发当年（{issued_on.year}年）理解，请确认")
    return _Year(None, None)


def _dates(text: str, raw: str | None, context: _Year) -> list[_Found]:
    found: list[_Found] = []
    previous: int | None = None  # the year of the last date read: 2023年6月底前…；12月底前…
    for match in _EXPRESSION.finditer(text):
        tail = _TAIL.match(text, match.end())
        assert tail is not None  # every group is optional
        clause = _clause(text, match.start(), tail.end())
        year = _year_of(match)
        doubt = None
        if year is None and match["range"] is None:
            if previous is not None:
                year = previous
            elif context.year is not None:
                year, doubt = context.year, context.doubt
            else:
                raise DeadlineError(f"完成期限没有写明年份：「{raw}」")
        item = _read(match, tail, year, raw)
        previous = int(match["r1"]) if match["range"] else year
        found.append(_Found(item.due, item.start, clause, item.doubt or doubt))
    return found


def _year_of(match: re.Match[str]) -> int | None:
    for group in ("dy", "iy", "sy", "ry", "my", "py", "yy"):
        if match[group]:
            return int(match[group])
    for group in ("dshort", "mshort", "short"):
        if match[group]:
            return 2000 + int(match[group])
    return None


def _clause(text: str, start: int, end: int) -> str:
    """The clause around a date: from the separator before it to the one after it."""
    left = max(text.rfind(sep, 0, start) for sep in _CLAUSE_END) + 1
    rights = [i for sep in _CLAUSE_END if (i := text.find(sep, end)) != -1]
    return text[left : min(rights) if rights else len(text)]


def _read(match: re.Match[str], tail: re.Match[str], year: int | None, raw: str | None) -> _Found:
    """The date one expression stands for, with its tail (底, 前, 起 …) applied."""
    if tail["since"]:
        start = int(match["r0"]) if match["range"] else year
        return _Found(None, start, "")
    if match["range"]:
        first, last = int(match["r0"]), int(match["r1"])
        if first > last:
            raise DeadlineError(f"完成期限的起止年份颠倒：「{raw}」")
        return _Found(date(last, 12, 31), first, "")
    assert year is not None
    strict = tail["before"] is not None and tail["when"] is None
    if match["day"]:
        month, day = (match["dm"], match["dd"]) if match["dm"] else (match["im"], match["id"])
        return _Found(_day(year, int(month), int(day), raw), None, "")
    if match["ym"] or match["month"] or match["mrange"]:
        month = int(match["sm"] or match["mm"] or match["rm"])
        if not 1 <= month <= 12:
            raise DeadlineError(f"完成期限的月份无效：「{raw}」")
        if strict:
            before = date(year, month, 1) - timedelta(days=1)
            doubt = f"「{month}月前」按{month}月1日前理解（{_cn(before)}），如指{month}月底前请修改"
            return _Found(before, None, "", doubt)
        return _Found(_month_part(year, month, tail["when"]), None, "")
    if match["pp"] == "年初" or (match["part"] is None and tail["when"] == "初"):
        return _Found(date(year, 3, 31), None, "", f"「{year}年初」按第一季度末（{year}年3月31日）理解，请确认")
    if match["part"]:
        return _Found(_part(year, match["pp"]), None, "")
    if strict:
        doubt = f"「{year}年前」按{year}年1月1日前理解（{year - 1}年12月31日），如指{year}年底前请修改"
        return _Found(date(year - 1, 12, 31), None, "", doubt)
    return _Found(date(year, 12, 31), None, "")


def _day(year: int, month: int, day: int, raw: str | None) -> date:
    if not 1 <= month <= 12:
        raise DeadlineError(f"完成期限的月份无效：「{raw}」")
    try:
        return date(year, month, day)
    except ValueError:
        raise DeadlineError(f"完成期限的日期无效：「{raw}」") from None


def _month_part(year: int, month: int, when: str | None) -> date:
    last = calendar.monthrange(year, month)[1]
    return date(year, month, {"上旬": 10, "初": 10, "中旬": 20}.get(when or "", last))


def _part(year: int, part: str) -> date:
    if part in ("上半年", "年中"):
        return date(year, 6, 30)
    if "季度" in part or part.startswith("Q"):  # 三季度, 第3季度, Q3
        month = _QUARTER[part.removeprefix("第").removeprefix("Q")[0]] * 3
        return date(year, month, calendar.monthrange(year, month)[1])
    return date(year, 12, 31)  # 下半年, 年底, 年末


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _note_for(due: date, plan_start: int | None, issued_on: date | None) -> str | None:
    # Projects finished before the plan (2021年底 in a 2022 plan) are valid: they are listed as done.
    if issued_on is not None:
        return NOTE_BEFORE_ISSUE if due < issued_on else None
    if plan_start is not None and due.year < plan_start:
        return NOTE_BEFORE_ISSUE
    return None

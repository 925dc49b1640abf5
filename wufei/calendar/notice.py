"""The State Council's yearly holiday notice (国务院办公厅关于2027年部分节假日安排的通知) read into days.

`chinese_calendar` knows the years published before its release; a year after it is the office's
to enter (`wufei calendar set`), a day at a time. The notice says the whole year in seven lines
of one fixed form, so the office can give wufei the notice itself (`wufei calendar import`):

    二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。
    2月14日（周六）、2月28日（周六）上班。

Each numbered item names its festival; in each of its clauses (between 。 and ，) the dates, and
the ranges written 「至」, are days off when the clause says 放假, 休 or 补休, and working days
when it says 上班. Pure: text in, days out. What the notice itself lets one check is checked, and
each disagreement is a doubt naming the item: a weekday in brackets that is not the date's, a
「共N天」 that is not the range's length, a 上班 day that is not a weekend, a date the clause gives
no verb for, a festival named twice. The office writes the days only when there is none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

FESTIVALS = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")
_WEEKDAYS = "一二三四五六日"

_TITLE_YEAR = re.compile(r"关于\s*(\d{4})\s*年\s*部分节假日安排")
_SAID = re.compile(r"现将\s*(\d{4})\s*年(?P<names>[^。]*?)放假")  # 现将2027年元旦、春节……放假调休日期的具体安排
_NUMBER = re.compile(r"国办发明电\s*[〔［\[(（]\s*\d{4}\s*[〕］\])）]\s*\d+\s*号")
_ITEM = re.compile(  # 二、春节： (a repost may drop the number: - 春节：)
    rf"(?:^|[。：:；;\s\-•·])(?:(?:[一二三四五六七八九十]+|\d{{1,2}})\s*[、.．]\s*)?(?P<names>(?:{'|'.join(FESTIVALS)})(?:\s*[、和]\s*(?:{'|'.join(FESTIVALS)}))*)\s*[:：]"
)
_DATE = r"(?:(?P<{p}year>\d{{4}})\s*年\s*)?(?:(?P<{p}month>\d{{1,2}})\s*月\s*)?(?P<{p}day>\d{{1,2}})\s*日"
_NOTE = r"(?:\s*[（(](?P<{p}note>[^（）()]*)[）)])?"
_SPAN = re.compile(
    _DATE.format(p="a") + _NOTE.format(p="a") + r"(?:\s*至\s*" + _DATE.format(p="b") + _NOTE.format(p="b") + ")?"
)
_TOTAL = re.compile(r"共\s*(\d+)\s*天")
_WEEKDAY = re.compile(r"(?:星期|周)([一二三四五六日天])")
_WEEKDAY_INDEX = {name: index for index, name in enumerate(_WEEKDAYS)} | {"天": 6}


class NoticeError(ValueError):
    """A text that is no holiday notice, or one nothing could be read from (Chinese)."""


@dataclass
class Festival:
    names: str  # 春节, or 中秋节、国庆节
    off: list[date] = field(default_factory=list)  # 放假, 调休 and 补休 days
    work: list[date] = field(default_factory=list)  # 上班 days
    stated: int | None = None  # 共N天


@dataclass
class HolidayNotice:
    year: int
    number: str | None  # 国办发明电〔2026〕12号, when the text carries it
    festivals: list[Festival]
    doubts: list[str]

    def days(self) -> dict[date, tuple[bool, str]]:
        """Each day the notice names: (worked, why), e.g. (False, 春节放假)."""
        named: dict[date, tuple[bool, str]] = {}
        for festival in self.festivals:
            for day in festival.off:
                named[day] = (False, f"{festival.names}放假")
            for day in festival.work:
                named[day] = (True, f"{festival.names}调休上班")
        return named


def read_notice(text: str) -> HolidayNotice:
    """The notice in `text` (simplified characters); NoticeError when it is none."""
    flat = re.sub(r"\s+", " ", text)
    said = {int(m[1]): m["names"] for m in _SAID.finditer(flat)}
    years = set(said) or {int(m[1]) for m in _TITLE_YEAR.finditer(flat)}
    if not years:
        raise NoticeError("不是国务院办公厅的节假日安排通知：未找到「关于XXXX年部分节假日安排」或「现将XXXX年元旦……」")
    if len(years) > 1:  # a saved page's 上一篇/下一篇, or two notices in one file
        listed = "、".join(f"{y}年" for y in sorted(years))
        raise NoticeError(f"文中有{listed}的节假日安排，请只留下要录入的一份通知")
    [year] = years
    items = list(_ITEM.finditer(flat))
    if not items:
        raise NoticeError(f"未读到{year}年的节假日安排：没有「一、元旦：……」这样的条目")
    doubts: list[str] = []
    festivals = []
    for item, following in zip(items, [*items[1:], None], strict=True):
        end = following.start() if following is not None else len(flat)
        body = flat[item.end() : end]
        # the closing paragraph (节假日期间，各地区……) is no part of the last item
        body = re.split(r"节假日期间|鼓励单位和个人|国务院办公厅", body)[0]
        names = re.sub(r"\s*[和]\s*", "、", item["names"]).replace(" ", "")
        festivals.append(_festival(names, body, year, doubts))
    seen: dict[str, int] = {}
    for festival in festivals:
        for name in festival.names.split("、"):
            seen[name] = seen.get(name, 0) + 1
    doubts += [f"{name}出现{count}次" for name, count in seen.items() if count > 1]
    # every notice names the festivals it arranges (现将2027年元旦、春节……): one without its item is
    # a line the reader missed, and its days would silently be ordinary working days
    expected = [name for name in FESTIVALS if name in said.get(year, "")] or list(FESTIVALS)
    doubts += [f"通知列出的{name}未读到放假安排" for name in expected if name not in seen]
    numbered = _NUMBER.search(flat)
    return HolidayNotice(year, re.sub(r"\s+", "", numbered[0]) if numbered else None, festivals, doubts)


def _festival(names: str, body: str, year: int, doubts: list[str]) -> Festival:
    festival = Festival(names)
    for sentence in filter(None, (s.strip() for s in re.split(r"[。；;]", body))):
        if sentence.startswith("鼓励"):  # 鼓励各单位……安排职工在除夕（2月9日）休息: advice, not the arrangement
            continue
        for clause in filter(None, (c.strip() for c in re.split(r"[，,]", sentence))):
            if total := _TOTAL.search(clause):
                festival.stated = int(total[1])
            spans = list(_SPAN.finditer(clause))
            if not spans:
                continue
            if "上班" in clause:
                target = festival.work
            elif re.search(r"放假|休", clause):
                target = festival.off
            else:
                doubts.append(f"{names}：「{clause}」中的日期未说明放假还是上班")
                continue
            month = None
            for span in spans:
                days, month = _days_of(span, year, month, names, doubts)
                target.extend(days)
    if festival.stated is not None and festival.stated != len(festival.off):
        doubts.append(f"{names}：通知写共{festival.stated}天，读到的放假日为{len(festival.off)}天")
    for day in festival.work:
        if day.weekday() < 5:
            doubts.append(f"{names}：{_cn(day)}调休上班，但这天是星期{_WEEKDAYS[day.weekday()]}，不是周末")
    if not festival.off:
        doubts.append(f"{names}：未读到放假日期")
    return festival


def _days_of(
    span: re.Match[str], year: int, month: int | None, names: str, doubts: list[str]
) -> tuple[list[date], int]:
    """The days of one date or range, and the month a later date without one is in."""
    first = _date(span, "a", year, month, names, doubts)
    if first is None:
        return [], month or 0
    if span["bday"] is None:
        return [first], first.month
    last = _date(span, "b", int(span["byear"] or first.year), first.month, names, doubts)
    if last is None:
        return [first], first.month
    if last < first and span["byear"] is None:  # 12月31日至1月2日: into the next year
        last = last.replace(year=last.year + 1)
    if not first <= last <= first + timedelta(days=31):
        doubts.append(f"{names}：「{span[0]}」不是一段假期")
        return [first], first.month
    return [first + timedelta(days=n) for n in range((last - first).days + 1)], last.month


def _date(span: re.Match[str], p: str, year: int, month: int | None, names: str, doubts: list[str]) -> date | None:
    month = int(span[f"{p}month"]) if span[f"{p}month"] else month
    if span[f"{p}year"]:
        year = int(span[f"{p}year"])
    elif p == "a" and month == 12 and "元旦" in names:  # 元旦：12月31日至1月2日, the notice's year begins inside it
        year -= 1
    if month is None:
        doubts.append(f"{names}：「{span[0]}」没有月份")
        return None
    try:
        day = date(year, month, int(span[f"{p}day"]))
    except ValueError:
        doubts.append(f"{names}：「{span[0]}」不是有效日期")
        return None
    weekday = _WEEKDAY.search(span[f"{p}note"] or "")
    if weekday and _WEEKDAY_INDEX[weekday[1]] != day.weekday():
        doubts.append(f"{names}：{_cn(day)}是星期{_WEEKDAYS[day.weekday()]}，通知写作「{weekday[0]}」")
    return day


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"

"""What a document is: title, number, issuer, date, place, kind, plan period.

Official documents put these in a few recognisable places: the document
number and the issuing office stand alone on lines at the top, a notice
publishing a plan says 关于印发《…》的通知, the date stands alone below the
signature. Reports without that front matter (an evaluation) are named after
the plan they evaluate.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from wufei.importers.records import Doubt, PlanKind
from wufei.importers.text.normalize import clean_spaces, fold_punct, join_lines
from wufei.importers.text.paragraphs import chinese_numeral
from wufei.importers.text.place import document_place
from wufei.importers.text.table_lines import ATTACHMENT_LABEL
from wufei.importers.text.unnumbered_rows import line_pieces, read_unnumbered, unnumbered_header

_FRONT_LINES = 40  # front matter (number, issuer, title) sits in the first non-blank lines
# What a web page leaves around the document when saved or copied: navigation, page tools,
# and the publisher's metadata table (索引号 / 发文机关 / 标题 / 发文字号 / 成文日期 …).
_WEB_CHROME = re.compile(
    r"^(?:网站首页|网站地图|网站专栏|网站导航|无障碍|登录|注册|English|繁體|首页|当前位置|您当前的位置|您的位置|位置|来源|信息来源|发布时间|发布日期|更新时间|浏览次数|访问量|点击数"
    r"|字号|【|\[|打印|关闭|分享|手机版|移动版|电脑版|关怀版|长者模式|索引号|主题分类|体裁分类|发布机构|有效性|保存|收藏|扫一扫|相关链接|上一篇|下一篇)"
)
_WEB_KEYS = (
    r"标题|名称|文件名称|信息名称|发文字号|发文文号|发文序号|文号|发文机关|发文单位|发布机构|成文日期|发文日期"
    r"|发布日期|索引号|组配分类|主题分类|体裁分类|有效性|信息有效性|效力状态|生效日期|公开类型|公文时效"
)
# 名称: 关于…的通知 文号: 石政办发〔2023〕12号 — several fields may share a line.
_WEB_FIELD = re.compile(rf"^(?:{_WEB_KEYS})\s*[：:]")
_WEB_PAIR = re.compile(rf"(?P<key>{_WEB_KEYS})\s*[：:]\s*(?P<value>.*?)\s*(?=(?:{_WEB_KEYS})\s*[：:]|$)")
_OPENING_LINES = 12  # an untitled report names what it evaluates in its opening lines
_MARKDOWN = re.compile(r"^#+\s*")
# 衡政办字〔2022〕57号; other bracket forms are folded to 〔〕 first.
_DOC_NUMBER = re.compile(r"^([\u4e00-\u9fff]{1,10})\s*〔\s*(\d{4})\s*〕\s*(\d{1,4})\s*号$")
# …实施方案的通知黔府办发〔2017〕76号: a copy ran the notice's number on at the end of its title's line.
_NUMBER_AFTER_NOTICE = re.compile(r"的通知\s*(?P<number>[\u4e00-\u9fff]{1,10}\s*〔\s*\d{4}\s*〕\s*\d{1,4}\s*号)$")
_ISSUER = re.compile(
    r"^([\u4e00-\u9fff]{2,24}?(?:人民政府办公室|人民政府办公厅|人民政府|委员会|办公室|办公厅|局|厅|委))$"
)
_NOTICE = re.compile(r"关于印发《?(.+?)》?的通知")
_ABOUT = re.compile(r"(关于.+?的(?:答复|报告|批复|意见|函|复函|通知|决定|任务分工|分工方案|责任分工|公示))$")
# A title ends in the word naming what it is, then perhaps bracketed parts: （2019-2020年）, （试行）,
# （征求意见稿）, （1-8月）.
_TITLE_END = re.compile(
    r"(?:方案|规划|计划|意见|办法|报告|评估|总结|要点|答复|清单|分工|分解|细则|措施|举措|安排|行动|通知|(?<=的)公示"
    r"|纲要|指标体系|台账|(?:分解|分工|任务|责任|推进)表"
    r"|(?<=.{6})(?:完成|进展|推进|落实)情况)(?:（[^（）]{1,16}）)*$"
)  # …情况 only after a subject: 2022年完成情况 alone is a table's heading
# A news report's sentence naming the document it reports: …印发《X》 / …发布《X》
_REPORTED = re.compile(
    r"(?:印发|发布|出台|公布|制定)(?:了|的)?《(?P<title>[^《》]{4,80})》"
    # 《X》公开征求意见 / 现将《X》印发给你们: the document named before the verb
    r"|《(?P<named>[^《》]{4,80})》(?:已经[^。]{0,30}?)?(?:正式)?(?:公开征求意见|印发给你们|印发实施|予以印发)"
)
_REPORTED_BY = re.compile(
    r"(?:近日|日前|近期)?(?P<issuer>[\u4e00-\u9fff]{2,30}?(?:人民政府办公室|人民政府办公厅|人民政府|办公室|办公厅|局|厅|委员会|委))"
    r"(?:近日|日前)?(?:正式)?(?:印发|发布|出台|公布)(?:了)?《"
)
# A tag a web page puts before the title: 【市政府重点工作及责任分解】
_TAG = re.compile(r"^〔[^〔〕]{1,30}〕")
# A bullet a web page's metadata list puts before each field: • 文号：…
_BULLET = re.compile(r"^[•·●◆■□▪\-*]\s*")
# [ 名 称 ] | 关于…的通知 | [ 文 号 ] | …: a page's information box as bar-parted cells, its labels in brackets.
_BRACKETED_LABEL = re.compile(r"^[\[【]([^\]】|]{1,16})[\]】]$")
# A table's or attachment's label before the title on its line (表1 某市…清单 / 附表2：某市…): no part of the title.
_TABLE_LABEL = re.compile(r"^(?:附件|附表|表)\s*\d{1,2}\s*[:：.．、]?\s*(?=\S{6})")
# 文号：X / 发文字号 X / 文 号 X (a table's label with a space inside, the colon lost)
_NUMBER_FIELD = re.compile(
    r"(?:发文字号|发文文号|文\s*号)\s*：?\s*(?P<number>[\u4e00-\u9fff]{1,10}\s*〔\s*\d{4}\s*〕\s*\d{1,4}\s*号)"
)
_FRAGMENT_MAX = 4  # a title broken into short pieces (xx / 县 / 2022 / 年…方案)
_ATTACHMENT = re.compile(r"^(?:附件|附表)\s*\d{0,2}$")  # a label on its own line above the title, no piece of it
_TITLE_MAX = 60
_ABOUT_LINES = 3  # a 关于…的通知 heading printed over at most three lines
_ADDRESSEE = re.compile(r"^各[^。；]{1,80}[：:]$")  # 各区县(自治县)人民政府，市政府各部门，有关单位：
# Lines that stand for no title when nothing reads as one: a site's date line (2018年06月14日 星期四), a speech's
# delivery line (—2021年11月22日在…会议上) and a site's menu words (资讯中心).
_NO_TITLE = re.compile(
    r"^(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:星期[一二三四五六日天])?"
    r"|[—－-]*\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日在.{2,40}(?:会议|大会)上"
    r"|资讯中心|新闻中心|政府(?:信息|资讯)公[开開]|手机版|投稿|我要投稿|在线投稿|关怀版|无障碍|English)$"
)
_WHOLE_TITLE = 12  # a line this long ending like a title is a title on its own, not a title's end
_NOTICE_MAX = 100  # issuer + 关于印发 + title + 的通知 on one line
_SENTENCE_PUNCT = "，。；：！？"
_NUMBERED = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*、|[（(]\s*[一二三四五六七八九十\d]+\s*[）)]|\d+\s*[.．、])")
_CLOSING = re.compile(r"^特此(?:通知|函告|函复|批复|报告|公告)")
_TOPIC = re.compile(r"^\s*(?:\d{1,2}|第[一二三四五六七八九十]+(?:部分|章|节|篇))\s+\S{1,15}$")
# （长政发〔2012〕6号）: a document number in brackets on its own line.
_BRACKETED = re.compile(r"^〔(.*)〕$")
# 做好2020年政府工作 / 2021年市政府重点工作: the year a yearly work document is for.
_WORK_YEAR = re.compile(
    r"((?:19|20)\d{2})\s*年度?(?:的)?(?:全[市区县省])?(?:[市区县省]政府)?(?:政府|重点|主要|全年)?工作"
)
_YEARLY = ("政府工作报告", "年度")
_CITED_PLAN = re.compile(r"《([^《》]{4,60}?(?:规划|方案|计划))》")
_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")  # 成文日期：2023-05-06 on a web page
_CN_DATE = re.compile(
    r"^([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日$"
)
# 十四五, and written out: 第十二个五年规划
_FIVE_YEAR_PLAN = re.compile(r"十([一二三四五六七八九])(?:个五年|五)")
# （2019-2020年） / 2021—2025年 / 2023年至2025年
_YEAR_RANGE = re.compile(r"((?:19|20)\d{2})\s*年?\s*(?:[-—–~～]+|至|到)\s*((?:19|20)\d{2})\s*年")
_BRACKETED_RANGE = re.compile(r"（((?:19|20)\d{2})\s*年?\s*(?:[-—–~～]+|至|到)\s*((?:19|20)\d{2})\s*年?）")
_ONE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?")
# 到2025年 / 至2025年底: the year a plan's targets are set for, when nothing else names the period. 截至 and 直到
# (until) report, and 至 after a day closes a span of dates (公示期为2025年12月29日至2026年1月12日).
_BY_YEAR = re.compile(r"(?<![截止直日])(?:到|至)\s*((?:19|20)\d{2})\s*年")
# A report on how far a plan's targets have come: 一、主要目标完成情况.
_EVALUATION_HEADING = re.compile(r"^\s*[一二三四五六七八九十]+、.*(?:目标|任务)完成情况")
_PROGRESS_WORDS = ("答复", "进展", "情况报告", "工作总结")
# 计划建设 480 个“无废细胞” / 累计建设 9 类“无废细胞”733 个 / 累计创建 733 个“无废细胞”
_CELLS_PLANNED = re.compile(r"计划(?:建设|创建|建成)\s*(\d+)\s*个\s*“?无废细胞")
_CELLS_BUILT = (
    re.compile(r"累计(?:建设|创建|建成)[^，。；]*?无废细胞”?\s*(\d+)\s*个"),
    re.compile(r"累计(?:建设|创建|建成)\s*(\d+)\s*个\s*“?无废细胞"),
)


@dataclass
class DocumentMeta:
    title: str
    doc_number: str | None
    issuer: str | None
    issued_on: date | None
    jurisdiction: str | None  # 衡水市 / 保定市 / 河北省 / 北京市朝阳区 (as wufei.places names it)
    kind: PlanKind
    period_start: int | None  # 2021 for a 十四五 document
    period_end: int | None
    doubts: list[Doubt] = field(default_factory=list)  # plan-level: a place or period a person must confirm


def document_metadata(lines: list[str], boxes: list[list[list[str | None]]] | None = None) -> DocumentMeta:
    """Title, number, issuer, date, place, kind and plan period of a document's text. `boxes` are the
    rows of tables beside the text, where a web page's metadata box (发文字号 | 兴政办发〔2022〕20号)
    may stand."""
    front = _box_fields(boxes or []) + _front_lines(lines)
    fields = _web_fields(front)
    body = [text for text in front if not _WEB_CHROME.match(text) and not _WEB_FIELD.match(text)]
    issuer = (
        _issuer(body)
        or _issuer([fields[key] for key in ("发文机关", "发布机构") if key in fields])
        or _reporting_issuer(front)
        or _issuer_of_about(front)
    )
    explicit_title = _title([fields[key] for key in ("标题", "文件名称", "名称", "信息名称") if key in fields] + body)
    kind = _kind(explicit_title, lines)
    title = explicit_title
    if title is None and kind is PlanKind.EVALUATION:
        title = _evaluation_title(lines)
    doubts: list[Doubt] = []
    if title is None:
        # Nothing reads as a title: the first line that could be one (not a salutation, not a
        # sentence), else the first line but a notice's addressee line (各区县人民政府，市政府各部门：), for a
        # person to confirm.
        lines_said = [text for text in body if not _ADDRESSEE.match(fold_punct(text))] or body
        opening = lines_said[0].split("。")[0][:_TITLE_MAX] if lines_said else ""
        title = next((text for text in body if _could_be_title(text) and not _NO_TITLE.match(text)), opening)
        if title:
            doubts.append(Doubt("title", f"未能识别文件标题，暂以「{title}」为标题，请核对并填写方案名称", title))
    issued_on = _issued_on(lines) or _issued_on([fields.get(key, "") for key in ("成文日期", "发文日期")])
    period = (
        _title_period(title)
        or _yearly_period(title, front, issued_on)
        or _period(join_lines(lines))
        or _by_year(lines, issued_on)
    )
    doc_number = (
        _doc_number(body)
        or _doc_number([fields[key] for key in ("发文字号", "发文文号", "发文序号", "文号") if key in fields])
        or _number_field(front)
    )
    # A table's cells are the body too: a task table saved alone names its places only there (古浪县人民政府).
    cells = [cell for box in boxes or [] for row in box for cell in row if cell]
    place = document_place(issuer=issuer, title=title, doc_number=doc_number, lines=lines, cells=cells)
    return DocumentMeta(
        title=title,
        doc_number=doc_number,
        issuer=issuer,
        issued_on=issued_on,
        jurisdiction=place.name,
        kind=kind,
        period_start=period[0] if period else None,
        period_end=period[1] if period else None,
        doubts=[*doubts, *place.doubts],
    )


def _box_fields(boxes: list[list[list[str | None]]]) -> list[str]:
    """标签：内容 lines from tables of labels and values (索引号 | … | 发文字号 | …), each label a
    known metadata field followed by its value in the next cell."""
    found: list[str] = []
    for rows in boxes:
        for cells in rows:
            for label, value in pairwise(cells):
                key = re.sub(r"\s+", "", label or "")
                if value and re.fullmatch(rf"(?:{_WEB_KEYS})", key):
                    found.append(f"{key}：{value}")
    return found


def cell_totals(lines: list[str]) -> tuple[int | None, int | None]:
    """(planned, built) totals of 无废细胞 stated in the prose, None where not stated."""
    text = join_lines(lines)
    planned = _CELLS_PLANNED.search(text)
    built = next((m for pattern in _CELLS_BUILT if (m := pattern.search(text))), None)
    return (int(planned.group(1)) if planned else None, int(built.group(1)) if built else None)


def _front_lines(lines: list[str]) -> list[str]:
    """The first non-blank lines, without markdown heading marks and stray spaces."""
    front = []
    for k, line in enumerate(lines):
        line = _labelled_box_row(line)
        if (caption := _caption_before_header(lines, k)) is not None:
            line = caption  # 附件 某县…职责清单 工作任务和内容 责任单位 … : the table's caption, then the table run on
        text = _TABLE_LABEL.sub("", clean_spaces(_BULLET.sub("", _MARKDOWN.sub("", line.strip()))))
        untagged = _TAG.sub("", fold_punct(text))
        if untagged != fold_punct(text) and len(untagged) >= _WHOLE_TITLE and not untagged.startswith("〔"):
            text = text[len(text) - len(untagged) :]  # 【市政府重点工作】滁州市人民政府关于…的通知
        text = text.rstrip(" |")  # 某街道2024年工作思路 |: a cell of the page's box, closed by its bar
        if text:
            front.append(text)
        if len(front) == _FRONT_LINES:
            break
    return front


def _labelled_box_row(line: str) -> str:
    """[ 名 称 ] | 关于…的通知 | [ 文 号 ] | 某政发〔2025〕17号 | as 名称：关于…的通知 文号：某政发〔2025〕17号: the
    fields of a page's information box whose labels stand in brackets, cell by cell."""
    cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
    if len(cells) < 2 or not _BRACKETED_LABEL.match(cells[0]):
        return line
    fields = []
    for label, value in pairwise(cells):
        if (bracketed := _BRACKETED_LABEL.match(label)) and value and not _BRACKETED_LABEL.match(value):
            key = re.sub(r"\s+", "", bracketed.group(1))
            fields.append(f"{key}：{value}")
    return " ".join(fields) or line


def _caption_before_header(lines: list[str], k: int) -> str | None:
    """The words before a table's header run on in line k, without an attachment label (附件), or None: only when
    the table after them is read (会议明确了 工作任务 责任单位 … 等内容。 in a news report is no caption)."""
    found = unnumbered_header(lines, k)
    if found is None or read_unnumbered(lines, k, *found) is None:
        return None
    pieces = line_pieces(lines[k])
    header, stop = found
    caption = [piece for piece in pieces[: stop - len(header)] if not ATTACHMENT_LABEL.match(piece)]
    return " ".join(caption) or None


def _doc_number(front: list[str]) -> str | None:
    """A line that is a document number and nothing else, or one a notice's title line ends with; numbers cited in
    sentences don't count."""
    for text in front:
        folded = fold_punct(text).replace("（", "〔").replace("）", "〕")
        if (bracketed := _BRACKETED.match(folded)) and "〔" in bracketed.group(1):
            folded = bracketed.group(1).strip()
        if after := _NUMBER_AFTER_NOTICE.search(folded):
            folded = after["number"]
        match = _DOC_NUMBER.match(folded)
        if match:
            return f"{match.group(1)}〔{match.group(2)}〕{match.group(3)}号"
    return None


def _number_field(front: list[str]) -> str | None:
    """The number under a page's 文号 label, among other fields on its line: 文 号 蔡政办〔2023〕1 号."""
    for text in front:
        folded = fold_punct(text).replace("[", "〔").replace("]", "〕")
        if match := _NUMBER_FIELD.search(folded):
            return re.sub(r"\s+", "", match["number"])
    return None


def _issuer(front: list[str]) -> str | None:
    """A line that is only the name of a government office (衡水市人民政府办公室, 衡水市生态环境局)."""
    for text in front:
        match = _ISSUER.match(text)
        if match:
            return match.group(1)
    return None


def _title(front: list[str]) -> str | None:
    """The plan a notice publishes, else a 关于…的答复 line, else a standalone title line, else the
    document a news report names in its opening sentence."""
    for index, text in enumerate(front):
        if "关于印发" in text and not _NOTICE.search(text) and index + 1 < len(front):
            text += front[
                index + 1
            ]  # 某省人民政府关于印发《2026年 / 省〈政府工作报告〉…方案》的通知: a heading broken in two
        # Only a heading line: a sentence may cite another notice (…关于印发〈…〉的通知》要求).
        notice = _NOTICE.search(text) if _could_be_title(text, _NOTICE_MAX) else None
        if notice:
            return _own_heading(front, notice.group(1))
    for text in front:  # a whole line first: a menu's 关于我们 joined to the title under it is no title
        about = _ABOUT.search(text) if _could_be_title(text, _NOTICE_MAX) else None
        if about:
            return about.group(1)
    for index in range(len(front)):
        if joined_about := _about_over_lines(front, index):
            return joined_about
    for index, text in enumerate(front):
        if not _could_be_title(text) or _ATTACHMENT.match(fold_punct(text)):
            continue
        if _TITLE_END.search(fold_punct(text)):
            return _with_fragments(front, index)
        # A title broken over two lines: 衡水市“十四五”时期“无废城市” / 建设实施方案
        if index + 1 < len(front):
            following = front[index + 1]
            if _could_be_title(following) and _TITLE_END.search(following) and len(following) >= _WHOLE_TITLE:
                continue  # the next line is a title of its own; this one is something above it
            joined = text + following
            if _could_be_title(following) and _TITLE_END.search(fold_punct(joined)):
                return joined
    return _reported(front)


def _about_over_lines(front: list[str], index: int) -> str | None:
    """A 关于…的通知 title broken over two or three lines (关于认真做好2024年度市人大代表建议 /
    和政协提案办理工作的通知): the line opening with 关于 joined with the lines after it that close it."""
    text = front[index]
    if not text.startswith("关于") or not _could_be_title(text):
        return None
    for end in range(index + 1, min(index + _ABOUT_LINES, len(front))):
        if not _could_be_title(front[end]):
            return None
        if "关于" in front[end]:
            return None  # a title of its own begins there
        joined = "".join(front[index : end + 1])
        if (about := _ABOUT.search(joined)) and _could_be_title(joined, _NOTICE_MAX):
            return about.group(1)
    return None


def _own_heading(front: list[str], title: str) -> str:
    """The plan's own heading when the text repeats the title a notice publishes: inside the notice's
    《》 a nested title is printed 〈政府工作报告〉, the plan's heading prints it 《政府工作报告》."""
    key = _title_key(title)
    return next((text.strip() for text in front if text.strip() != title and _title_key(text) == key), title)


def _title_key(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("〈", "《").replace("〉", "》")


def _with_fragments(front: list[str], index: int) -> str:
    """A title line with the short pieces a page broke off before it (xx / 县 / 2022 / 年…方案)."""
    start = index
    while start > 0 and index - start < _FRAGMENT_MAX and _is_fragment(front[start - 1]):
        start -= 1
    return "".join(front[start : index + 1])


def _is_fragment(text: str) -> bool:
    folded = fold_punct(text)
    return (
        len(text) <= _FRAGMENT_MAX
        and not any(ch in folded for ch in _SENTENCE_PUNCT + "：")
        and not _CLOSING.match(folded)
        and not _ATTACHMENT.match(folded)
    )


def _issuer_of_about(front: list[str]) -> str | None:
    """The office heading its own title: 宜春市人民政府关于…的通知."""
    for text in front:
        about = _ABOUT.search(text) if _could_be_title(text, _NOTICE_MAX) else None
        if about and (issuer := _ISSUER.match(text[: about.start()].strip())):
            return issuer.group(1)
    return None


def _reporting_issuer(front: list[str]) -> str | None:
    """The office a news report says issued the document: 日前，某区人民政府办公室发布《…》."""
    for text in front[:_OPENING_LINES]:
        if match := _REPORTED_BY.search(fold_punct(text).split("。")[0]):
            return match["issuer"]
    return None


def _reported(front: list[str]) -> str | None:
    """…发布《X》 in a news report's opening sentence, when X is named like a plan, or the sentence
    ending in the notice that publishes it (近日，某省人民政府关于印发X的通知。)."""
    for text in front[:_OPENING_LINES]:
        first_sentence = fold_punct(text).split("。")[0]  # folding keeps every character's place
        match = _REPORTED.search(first_sentence)
        group = ("title" if match["title"] else "named") if match else None
        # 《X》已经市政府同意，现印发给你们: the notice publishes X, whatever X's last word (…工作任务)
        published = group == "named" and "印发" in match.group(0) if match else False
        if match and group and (published or _TITLE_END.search(match[group])):
            return text[match.start(group) : match.end(group)]
        notice = _NOTICE.search(first_sentence)
        if notice and first_sentence.endswith("的通知") and "《" not in first_sentence[: notice.start()]:
            return text[notice.start(1) : notice.end(1)]
    return None


def _could_be_title(text: str, max_length: int = _TITLE_MAX) -> bool:
    """Short, not a sentence, not a numbered heading of the body (三、保障措施), a topic line (01 教育)
    or a notice's closing formula (特此通知)."""
    folded = fold_punct(text)
    return (
        len(text) <= max_length
        and "|" not in text.rstrip(" |")  # 组配分类 | 计划总结 | 发布机构 |: a page's information box, cell by cell
        and not any(ch in folded for ch in _SENTENCE_PUNCT)
        and not _NUMBERED.match(text)
        and not _CLOSING.match(folded)
        and not _TOPIC.match(text)
    )


def _kind(title: str | None, lines: list[str]) -> PlanKind:
    if title and ("评估" in title or "自评" in title):
        return PlanKind.EVALUATION
    if title and any(word in title for word in _PROGRESS_WORDS):
        return PlanKind.PROGRESS
    if title is None and any(_EVALUATION_HEADING.match(line) for line in lines):
        return PlanKind.EVALUATION  # untitled, but reports how far a plan's targets have come
    return PlanKind.PLAN


def _evaluation_title(lines: list[str]) -> str | None:
    """《衡水市生态环境保护“十四五”规划》 → 衡水市生态环境保护“十四五”规划中期评估.

    It is a mid-term evaluation when it forecasts to a later year (预计到2025年),
    i.e. the plan period is still running.
    """
    opening = join_lines([line for line in lines if line.strip()][:_OPENING_LINES])
    cited = _CITED_PLAN.search(opening)
    if not cited:
        return None
    midterm = any("预计到" in line for line in lines)
    return cited.group(1) + ("中期评估" if midterm else "评估")


def _issued_on(lines: list[str]) -> date | None:
    """The first line that is only a date (below the signature); dates in sentences don't count."""
    for line in lines:
        text = clean_spaces(line)
        match = _DATE.match(text) or _ISO_DATE.match(text)
        if match:
            return _date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        match = _CN_DATE.match(text)
        if match:
            year, month, day = (chinese_numeral(group) for group in match.groups())
            if year is not None and month is not None and day is not None:
                return _date(year, month, day)
    return None


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _period(text: str) -> tuple[int, int] | None:
    """十四五 → (2021, 2025). From the 3rd plan (1966) on, plans run in unbroken five-year steps.

    The plan named most often wins: a text looking back at 十三五 is still a 十四五 text.
    """
    named = Counter(_FIVE_YEAR_PLAN.findall(text))
    if not named:
        return None
    ordinal = 10 + (chinese_numeral(named.most_common(1)[0][0]) or 0)
    start = 1966 + 5 * (ordinal - 3)
    return start, start + 4


def _web_fields(front: list[str]) -> dict[str, str]:
    """标题：… / 发文字号：… / 成文日期：… lines of a government web page's metadata table."""
    fields: dict[str, str] = {}
    for text in front:
        if _WEB_FIELD.match(text):
            for pair in _WEB_PAIR.finditer(text):
                if pair["value"]:
                    fields.setdefault(pair["key"], pair["value"])
    return fields


def _title_period(title: str) -> tuple[int | None, int] | None:
    """The period a title names: （2019-2020年）, 2021—2025年, 十四五, or one year (2023年工作要点)."""
    folded = fold_punct(title)
    if ranges := _BRACKETED_RANGE.findall(folded):  # …规划（2013—2020年）三期行动计划（2018—2020年）
        return int(ranges[-1][0]), int(ranges[-1][1])
    if match := _YEAR_RANGE.search(folded):
        first, last = int(match.group(1)), int(match.group(2))
        if first <= last:
            return first, last
    if period := _period(folded):
        return period
    years = {int(year) for year in _ONE_YEAR.findall(folded)}
    if len(years) == 1:
        year = years.pop()
        return year, year
    return None


def _yearly_period(title: str, front: list[str], issued_on: date | None) -> tuple[int, int] | None:
    """A document dividing up a year's work (…落实《政府工作报告》…, …年度…) is for the year its opening
    names as the work's (做好2020年政府工作), else the year it was issued."""
    if not any(word in title for word in _YEARLY):
        return None
    named = Counter(int(year) for text in front for year in _WORK_YEAR.findall(clean_spaces(text)))
    if named:
        year = named.most_common(1)[0][0]
        return year, year
    return (issued_on.year, issued_on.year) if issued_on is not None else None


def _by_year(lines: list[str], issued_on: date | None) -> tuple[int | None, int] | None:
    """到2025年 in the body, most often named: the plan runs from its issue year to then."""
    named = Counter(int(year) for year in _BY_YEAR.findall(join_lines(lines)))
    if not named:
        return None
    end = named.most_common(1)[0][0]
    start = issued_on.year if issued_on is not None and issued_on.year <= end else None
    return start, end

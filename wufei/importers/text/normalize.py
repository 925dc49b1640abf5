"""Text clean-up shared by all text parsers.

Published documents come with full-width and ASCII punctuation mixed, stray
spaces inside Chinese words (from PDF extraction), and non-breaking spaces.
"""

from __future__ import annotations

import re
import unicodedata

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_PUNCT = r"\u3000-\u303f\uff00-\uffef“”‘’《》（）"
# A space is noise when a CJK character or CJK punctuation stands on either side.
_STRAY_SPACE = re.compile(rf"(?<=[{_CJK}{_CJK_PUNCT}])[ \t\u00a0\u3000]+|[ \t\u00a0\u3000]+(?=[{_CJK}{_CJK_PUNCT}])")

# Punctuation folded to one form so patterns need only one spelling.
_FOLD = str.maketrans(
    {
        "(": "（",
        ")": "）",
        ":": "：",
        ";": "；",
        ",": "，",
        "[": "〔",
        "]": "〕",
        "【": "〔",
        "】": "〕",
        "～": "~",
        "〜": "~",
    }
)


_FOLDABLE = re.compile("[" + re.escape("".join(chr(code) for code in _FOLD)) + "]")


def clean_spaces(text: str) -> str:
    """Drop spaces next to Chinese text, collapse the rest, trim."""
    if " " not in text and "\t" not in text and "\u00a0" not in text and "\u3000" not in text:
        return text.strip()  # most lines: nothing to drop (an import cleans some 30,000)
    text = text.replace("\u00a0", " ").replace("\u3000", " ")
    text = _STRAY_SPACE.sub("", text)
    return re.sub(r" {2,}", " ", text).strip()


def fold_punct(text: str) -> str:
    """ASCII brackets, colons, semicolons and commas to their full-width forms."""
    # Translating looks every character up in a dict; searching first is several times faster.
    return text.translate(_FOLD) if _FOLDABLE.search(text) else text


def normalize_cell(text: str | None) -> str | None:
    """A table cell or a field: NFC, one line, no stray spaces; empty becomes None."""
    if text is None:
        return None
    text = unicodedata.normalize("NFC", text)
    text = clean_spaces(text.replace("\r", "").replace("\n", ""))
    return text or None


def join_lines(lines: list[str]) -> str:
    """Join lines broken inside a cell or paragraph (Chinese text has no word spaces)."""
    return clean_spaces("".join(line.strip() for line in lines))


def is_blank(line: str) -> bool:
    return not line.strip()


# A document typed with English punctuation throughout (推进回收,建成网点50个. (责任单位: A; …)): its marks next to
# Chinese text are mostly ASCII. Its full stops and its `1)` item numbers are then read as 。 and `1.`.
_ASCII_MARK_BY_CJK = re.compile(rf"(?<=[{_CJK}])[,;:]|[,;:](?=\s*[{_CJK}])")
_FULL_WIDTH_MARK = re.compile("[，；：。]")
_ASCII_STOP = re.compile(rf"(?<=[{_CJK}”\"’)）%])\.(?![\dA-Za-z])")  # not 2.5, not 方案.pdf
_PARENTHESIS_NUMBER = re.compile(r"^(\s*\d{1,3})\)\s*")
_DOT_NUMBER = re.compile(r"^\s*\d{1,3}\s*[.．、。]")
_ASCII_MARKS_MIN = 3


def with_chinese_stops(lines: list[str]) -> list[str]:
    """The lines of a document typed with English punctuation, its sentences closed by 。 where a full stop
    follows Chinese text (not a decimal point, not a file name's 方案.pdf) and its `1)` items numbered `1.`
    (unless items are numbered so already); any other document's lines unchanged. Line numbers are kept."""
    ascii_marks = sum(len(_ASCII_MARK_BY_CJK.findall(line)) for line in lines)
    full_width = sum(len(_FULL_WIDTH_MARK.findall(line)) for line in lines)
    if ascii_marks < _ASCII_MARKS_MIN or ascii_marks <= 2 * full_width:
        return lines
    dotted = any(_DOT_NUMBER.match(line) for line in lines)
    out = [_ASCII_STOP.sub("。", line) for line in lines]
    return out if dotted else [_PARENTHESIS_NUMBER.sub(r"\1.", line) for line in out]


# What a web page prints around a document, never a task, a deadline or an owner: its position and date
# lines (当前位置：…, 时间：… 来源：…, 来源：… 时间：…点击：), its information lines (发布机构：… 成文日期：…,
# 索 引 号：…), its reading tools (浏览次数, 打印本页) and a document site's upload lines (上传人：… 文档编号：…
# 上传时间：…, 资源描述, 第1页 / 共12页): the upload labels only opening a line, or 上传时间：2024-03-05 beside others
# (数据上传时间：每月5日前 inside a task is the task's). 数据来源 (an indicator's source) and 发布 inside a sentence
# are no furniture. So are a page's update, signing and click lines (更新时间：…, 签发时间：… 生效时间：…,
# 点击次数：… 打印此页), a news site's lead line (导读：…, the article's summary) and a box's publicity cells
# (公开形式 | 公开责任部门).
_PAGE_FURNITURE = re.compile(
    r"(?<!数据)(?:信息)?来源\s*[：:]|浏览次数|访问量\s*[：:]|点击(?:次数|[率数量])?\s*[：:]|发布(?:时间|日期|机构)\s*[：:]"
    r"|(?<!数据)更新时间\s*[：:]|签发(?:时间|单位)\s*[：:]|生效(?:时间|日期)\s*[：:]|打印此页|^\s*导读\s*[：:]"
    r"|公开(?:形式|责任部门)\s*[：:|｜]"
    r"|^\s*(?:上传(?:人|者|时间)|文档编号)\s*[：:]|上传时间\s*[：:]\s*\d{4}\s*[-/.]\s*\d{1,2}"
    r"|^\s*(?:资源描述|文档简介|下载本文档|点击查看更多\S*)\s*$|^\s*返回\s+下载"
    r"|^\s*第\s*\d+\s*页\s*/\s*共\s*\d+\s*页\s*$|_第\d+页\s*$|已阅读\d+页|本文档由用户提供并上传"
    r"|成文日期\s*[：:]|索\s*引\s*号\s*[：:]|公开(?:属性|类型|期限|方式)\s*[：:]|主题分类\s*[：:]|责任编辑"
    r"|^\s*(?:当前位置|您(?:当前)?的?位置|现在时间是?)\s*[：:]|打印本页|关闭窗口"
)
# A site's footer: what follows it in its block (主办单位：… 承办：… 电话：…, 负责日常维护) is the site's,
# not the document's.
_SITE_FOOTER = re.compile(r"版权所有|Copyright|All Rights Reserved|ICP备|公网安备|网站标识码", re.IGNORECASE)


def is_page_furniture(line: str) -> bool:
    """Whether a line is the web page's around the document (its date, source and information lines)."""
    return bool(_PAGE_FURNITURE.search(line))


# A table of contents' line: a heading, a leader of dots, its page (一、总则... 1 / （二）…………6); a document typed
# with ASCII stops has its first dot made 。 by then (总则。.. 1).
_CONTENTS_LINE = re.compile(r"(?:[.。…·]{3,}|…{2,})\s*\d{1,3}\s*$")


# 目 录 over contents lines printed without leaders, the page glued to the heading (（三）建设目标7, 附件1 …体系32).
_CONTENTS_HEADING = re.compile(r"^\s*目\s*录\s*$")
# Searched in the line without its trailing spaces: \D\s*\d{1,3}\s*$ searched in the whole line backtracked over
# every run of spaces from each of its spaces (quadratic on a space-padded line).
_PAGE_AT_END = re.compile(r"(?<=\D)\d{1,3}$")


# A page's markup left as text by a copying site: tags (<p style="…">, </span>) and the tail of a style attribute
# cut mid-word (…指导dent: 2em; text-align: justify;">以习近平…): CSS declarations up to the tag's close.
_MARKUP = re.compile(
    r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]{0,2000})?>"
    r"|[a-z-]{1,40} ?: ?[^;:<>\"\s\u4e00-\u9fff][^;:<>\"\u4e00-\u9fff]{0,79};"
    r"(?: ?[a-z-]{1,40} ?: ?[^;:<>\"\s\u4e00-\u9fff][^;:<>\"\u4e00-\u9fff]{0,199};){0,40} ?\" ?>"
)  # every run bounded, and a value starts after the optional space, not with it: `a: b;` repeated after a `>`
# could split each declaration two ways (20 of them: 0.36 s, 40: minutes)


def without_markup(line: str) -> str:
    """The line without the markup a copying site left in it as text."""
    return _MARKUP.sub("", line) if ">" in line else line


def without_page_furniture(lines: list[str]) -> list[str]:
    """The lines with the page's furniture, its footer blocks and a table of contents blanked (line numbers
    kept): the headings the contents list come again in the body, where they are read. Under a 目录 heading, the
    lines ending with their page are contents lines, leaders or none."""
    kept, in_footer, in_contents, body_at = [], False, False, -1
    for index, line in enumerate(map(without_markup, lines)):
        in_footer = bool(line.strip()) and (in_footer or bool(_SITE_FOOTER.search(line)))
        if line.strip():
            at_end = _PAGE_AT_END.search(line.rstrip())
            if _CONTENTS_HEADING.match(line):
                in_contents, body_at = True, _body_after_contents(lines, index)
            else:
                in_contents = in_contents and (at_end is not None or index < body_at)
        blank = in_footer or in_contents or is_page_furniture(line) or bool(_CONTENTS_LINE.search(line))
        kept.append("" if blank else line)
    return kept


def _body_after_contents(lines: list[str], heading: int) -> int:
    """Where the body starts after a 目录 heading: the line that repeats the contents' first entry (contents
    printed without pages list the headings the body then prints, 一、 规划实施总体进展情况 twice); -1 if none does."""
    first = next((i for i in range(heading + 1, len(lines)) if lines[i].strip()), None)
    if first is None:
        return -1
    entry = _entry_key(lines[first])
    return next((i for i in range(first + 1, len(lines)) if entry and _entry_key(lines[i]) == entry), -1)


def _entry_key(line: str) -> str:
    """A contents entry or heading compared without its spaces, leader and page (一、总则... 1 is 一、总则)."""
    return "".join(_CONTENTS_LINE.sub("", re.sub(r"\s\d{1,3}\s*$", "", line)).split())

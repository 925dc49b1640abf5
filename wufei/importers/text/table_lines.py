"""What a line around a flattened text table is, for every layout `tables` reads: blank, a page number, a
running head or footer, a note or attachment label that ends a table, a heading of the body, a row's
number; a header word broken over lines; lines named in a doubt."""

from __future__ import annotations

import re
from itertools import pairwise

from wufei.importers.headers import column_role, header_key, is_known_word

# Text that closes a table even when it touches the last cell: a note, the next attachment.
TERMINATOR = re.compile(r"^\s*(注\s*[:：]|附件\s*\d*\s*$|附表\s*\d*\s*$)")
ATTACHMENT_LABEL = re.compile(r"^\s*(附件|附表)\s*\d*\s*[:：]?\s*$")
_PAGE_NUMBER = re.compile(r"^\s*([-—–－]\s*\d+\s*[-—–－]|第\s*\d+\s*页(\s*[/，,]?\s*共\s*\d+\s*页)?)\s*$")
_CN_NUMBER = "[一二三四五六七八九十]+"
# A heading of the body (三、保障措施 / （二）…), or of a group of rows inside a table (一、制度体系).
_HEADING = re.compile(rf"^\s*({_CN_NUMBER}\s*、|[（(]\s*{_CN_NUMBER}\s*[）)]|第{_CN_NUMBER}[章节])")
HEADING_MAX_CHARS = 30
_ROW_NUMBER = re.compile(r"^\s*(\d{1,4})\s*[.、．]?\s*$")
_DIGITS = re.compile(r"\d+")
# 市政府 / 区级 alone on a header line: whose the column below it is, the column's word on the next line.
_GOVERNMENT = re.compile(r"^[省市区县州旗镇乡](?:人民政府|政府|委|级)$")
# The words a government's body heads in a header broken after it: its owners or its leader.
_UNDER_GOVERNMENT = {"owners", "lead", "supporting", "implementers", "leader"}
# Lines named in a doubt before "等N行".
MAX_LINES_NAMED = 5


def is_blank(line: str) -> bool:
    """A line with nothing on it; unlike normalize.is_blank, a lone TAB is an empty cell, not a blank."""
    return not line.strip(" \u3000\u00a0")


def next_text_line(lines: list[str], i: int) -> int | None:
    """Index of the first non-blank, non-page-number line at or after i."""
    while i < len(lines):
        if not is_blank(lines[i]) and not is_page_number(lines[i]):
            return i
        i += 1
    return None


def is_page_number(line: str) -> bool:
    """- 3 -, 第3页, 第3页 共20页 (a bare number could be a row's)."""
    return bool(_PAGE_NUMBER.match(line))


def is_heading(line: str) -> bool:
    text = line.strip()
    return len(text) <= HEADING_MAX_CHARS and bool(_HEADING.match(text))


def row_number(text: str | None) -> int | None:
    """The number a row starts with, when a line or cell holds only that."""
    match = _ROW_NUMBER.match(text or "")
    return int(match.group(1)) if match else None


def continues_header(previous: str, text: str) -> bool:
    """Whether a header line finishes the header cell above: 现状值 / （2020年）, 完成 / 期限, 牵头 / 单位, and a
    word after the government it belongs to, broken after it (市政府 / 分管领导, 区级 / 牵头单位)."""
    if text.startswith(("（", "(")) or not header_key(text):
        return True
    if _GOVERNMENT.match(previous) and column_role(text, strict=True) in _UNDER_GOVERNMENT:
        return True  # not 省级 / 市级 / 县级, a column each
    # Only a whole vocabulary word joins: 序号 / 一级指标 read together end like a word, yet are two cells.
    return is_known_word(previous + text)


def line_list(lines: list[int]) -> str:
    """第12、15、18行, or 第12、15、18、21、24行等9行."""
    named = "、".join(str(n) for n in lines[:MAX_LINES_NAMED])
    more = f"等{len(lines)}行" if len(lines) > MAX_LINES_NAMED else ""
    return f"第{named}行{more}"


def page_furniture(lines: list[str], page_breaks: set[int]) -> set[int]:
    """Indexes of the lines a PDF printed on its pages around the text (`page_breaks`: indexes of the lines
    a page starts at): page numbers (- 3 -, 第3页, or a number alone at a page's edge), and running heads and
    footers (text first or last on several pages, its digits aside)."""
    if not page_breaks:
        return {k for k, line in enumerate(lines) if is_page_number(line)}
    pages = sorted({0, *page_breaks, len(lines)})
    edges: list[list[int]] = []  # the first and last text line of each page
    for top, bottom in pairwise(pages):
        texts = [k for k in range(top, bottom) if lines[k].strip()]
        edges.append(sorted({*texts[:1], *texts[-1:]}))
    seen: dict[str, int] = {}
    for page in edges:
        for key in {_DIGITS.sub("#", lines[k].strip()) for k in page}:
            seen[key] = seen.get(key, 0) + 1
    furniture = {k for k, line in enumerate(lines) if is_page_number(line)}
    for page in edges:
        for k in page:
            text = lines[k].strip()
            if (text.isdigit() and " " not in text) or seen[_DIGITS.sub("#", text)] >= 2:
                furniture.add(k)
    return furniture

"""A document printed in traditional characters (a mirror site's copy of a mainland plan) read as simplified.

Owner labels (牽頭單位), places (武漢市), deadlines (年底前) and units' names are all matched in simplified
characters, so a traditional copy would name no place, no owner and no label. When most of a document's
characters are traditional, its lines and tables are turned into simplified characters one by one with
OpenCC's table (traditional.txt, see scripts/traditional_from_opencc.py), and a doubt says so: the titles
and names stored are the simplified ones, which a person checks against the file. A simplified document,
whose characters the table never changes, is left as it is.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from pathlib import Path

from wufei.importers.document import Document, Row, Table
from wufei.importers.records import Doubt

_TABLE_FILE = Path(__file__).with_name("traditional.txt")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SAMPLE = 20_000  # characters read to tell: a document is printed in one script throughout
_SHARE = 0.08  # of its Chinese characters traditional-only: 漢/寧/頭/單/責/縣/區 are everywhere in such a text
_MIN = 20
CONVERTED = "文件为繁体字，已按简体字读取（标题、单位名称等均已转为简体），请对照原文核对"


@cache
def _table() -> dict[int, str]:
    pairs = {}
    for line in _TABLE_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            traditional, simplified = line.split("\t")
            pairs[ord(traditional)] = simplified
    return pairs


def is_traditional(lines: list[str]) -> bool:
    """Whether a text is printed in traditional characters (a share of its Chinese characters are ones
    simplified Chinese does not use)."""
    sample = "".join(lines)[:_SAMPLE]
    chinese = len(_CJK.findall(sample))
    table = _table()
    traditional = sum(1 for ch in sample if ord(ch) in table)
    return traditional >= _MIN and traditional >= _SHARE * chinese


# 責(zé)任 / 發(fa)布: a mirror's copy printing a character's pinyin in brackets after it, with or without tones.
_PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])\((?:[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6})\)")
_PINYIN_MIN = 3  # annotations that make a copy an annotated one, not a sentence with a bracketed letter


def simplified(text: str) -> str:
    return text.translate(_table())


def as_simplified(document: Document) -> Document:
    """The document in simplified characters with a doubt saying so, if it is printed in traditional ones;
    else the document itself. A copy annotated with pinyin after its characters loses the annotations."""
    cells = [cell or "" for table in document.tables for row in table.rows for cell in row.cells]
    if not is_traditional(document.lines + [cell for table in document.tables for cell in table.header] + cells):
        return document
    annotated = sum(len(_PINYIN.findall(line)) for line in document.lines) >= _PINYIN_MIN
    lines = [_PINYIN.sub("", line) for line in document.lines] if annotated else document.lines
    return replace(
        document,
        lines=[simplified(line) for line in lines],
        tables=[_simplified_table(table) for table in document.tables],
        doubts=[*document.doubts, Doubt("record", CONVERTED)],
    )


def _simplified_table(table: Table) -> Table:
    return replace(
        table,
        header=[simplified(cell) for cell in table.header],
        caption=[simplified(line) for line in table.caption],
        rows=[_simplified_row(row) for row in table.rows],
    )


def _simplified_row(row: Row) -> Row:
    return replace(
        row,
        cells=[None if cell is None else simplified(cell) for cell in row.cells],
        raw=[None if cell is None else simplified(cell) for cell in row.raw],
    )

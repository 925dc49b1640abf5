"""The small document model every form is rendered from (Markdown, HTML, Word, the .xlsx annex).

A per-kind builder (wufei.bulletins.kinds) turns a snapshot into a `Document`: a title, the
issuing office and date, and numbered sections holding paragraphs, tables and charts. The
renderers only walk this structure, so the four forms always say the same thing. Pure: no
database here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, Union

from wufei.chinese import chinese_date

CHINESE_NUMERALS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 23 → 二十三 (up to 99)."""
    if n < 10:
        return CHINESE_NUMERALS[n]
    tens, ones = divmod(n, 10)
    return (CHINESE_NUMERALS[tens] if tens > 1 else "") + "十" + (CHINESE_NUMERALS[ones] if ones else "")


def iso_chinese_date(day: date | str) -> str:
    """2024年5月10日, of a day or its ISO text (as a snapshot stores it)."""
    return chinese_date(date.fromisoformat(day) if isinstance(day, str) else day)


@dataclass
class Paragraph:
    text: str
    emphasis: str = ""  # a lead-in printed bold before the text (e.g. a unit's name)
    type: str = "paragraph"


@dataclass
class Table:
    title: str  # 表1 … (numbered by the document)
    columns: list[str]
    rows: list[list[str]]
    sheet: str = ""  # the .xlsx sheet name (≤ 31 characters); the title without its number when empty
    numeric: tuple[int, ...] = ()  # column indexes aligned right
    dates: tuple[int, ...] = ()  # column indexes of dates (2024年5月31日): the .xlsx holds them as dates
    empty: str = "无。"  # said instead of an empty table
    merge: bool = False  # in the .xlsx, share `sheet` with the other tables of that name (a column says which)
    number: str = ""
    type: str = "table"

    @property
    def caption(self) -> str:
        return f"{self.number} {self.title}".strip()


@dataclass
class Chart:
    """A chart drawn when a form first asks for its `png` (the Markdown's PNG file, the HTML, the
    Word file), not when the document is built: a document only built, or written as the annex
    alone, draws nothing."""

    key: str  # file-name part: completion / lights / indicators
    title: str
    draw: Callable[[], bytes] = field(default=bytes, repr=False, compare=False)  # wufei.bulletins.charts
    number: str = ""
    type: str = "chart"

    @property
    def caption(self) -> str:
        return f"{self.number} {self.title}".strip()

    @cached_property
    def png(self) -> bytes:
        return self.draw()


Block = Union[Paragraph, Table, Chart, "Section"]


@dataclass
class Section:
    heading: str
    blocks: list[Block] = field(default_factory=list)
    level: int = 1
    number: str = ""  # 一、 / （一）
    type: str = "section"

    def add(self, *blocks: Block | None) -> Section:
        for block in blocks:
            if block is None:  # an optional block left out (a chart with nothing to draw)
                continue
            if isinstance(block, Section):
                block.level = self.level + 1
            self.blocks.append(block)
        return self


@dataclass
class Document:
    kind: str
    kind_cn: str  # 月调度通报
    title: str
    issuer: str  # 衡水市“无废城市”建设工作领导小组办公室
    scope: str
    period: dict[str, str]  # label, chinese, start, end
    date: str  # ISO, the day the figures were computed as of (the document's date)
    snapshot_id: str
    data_as_of: str  # ISO, the day the lights were judged on
    recipients: str = ""  # 主送
    sections: list[Section] = field(default_factory=list)
    annex: list[Table] = field(default_factory=list)  # ledger tables: only in the .xlsx annex
    notes: list[str] = field(default_factory=list)

    @property
    def date_cn(self) -> str:
        return iso_chinese_date(self.date)

    @property
    def data_as_of_cn(self) -> str:
        return iso_chinese_date(self.data_as_of)

    @property
    def footer(self) -> str:
        return f"数据快照：{self.snapshot_id}（数据截至{self.data_as_of_cn}，按快照生成，可复现）"

    @property
    def annex_note(self) -> str:
        """The 附件说明 every form prints under the body, before the signature."""
        return f"附件：{self.kind_cn}数据表（Excel表格，含各表及任务台账、周报送记录）"

    def section(self, heading: str) -> Section:
        section = Section(heading)
        self.sections.append(section)
        return section

    def walk(self) -> Iterator[Block]:
        def inner(blocks):
            for block in blocks:
                yield block
                if isinstance(block, Section):
                    yield from inner(block.blocks)

        yield from inner(self.sections)

    def tables(self) -> list[Table]:
        return [block for block in self.walk() if isinstance(block, Table)]

    def charts(self) -> list[Chart]:
        return [block for block in self.walk() if isinstance(block, Chart)]

    def number(self) -> Document:
        """一、二、 for sections, （一）（二） below them; 表1…, 图1… in reading order."""

        def number_sections(sections: list[Any], level: int) -> None:
            index = 0
            for block in sections:
                if isinstance(block, Section):
                    index += 1
                    block.level = level
                    block.number = f"{chinese_number(index)}、" if level == 1 else f"（{chinese_number(index)}）"
                    number_sections(block.blocks, level + 1)

        number_sections(self.sections, 1)
        for index, table in enumerate(self.tables(), start=1):
            table.number = f"表{index}"
        for index, chart in enumerate(self.charts(), start=1):
            chart.number = f"图{index}"
        return self

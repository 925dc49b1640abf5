"""The indicator table of an evaluation report, flattened to text (004).

The table came out of the PDF one cell after another, each cell broken over
lines at the column width, with blank lines in between::

    指标 / 类型 / 序 / 号 / 指标 / 2025 年 / 目标 / 2022 年 / 完成情况 / 预计到 / 2025 年 / 指标 / 属性
    环境 / 治理                      category, only where it changes
    1                                row number
    市区城市 PM2.5 / 年均浓度 / （μg/m3）   name, ending with its unit (and a footnote letter)
    37 43 存在不确 / 定性            values, space separated, a text value wrapped
    约束性                           attribute: closes the row
    [2.83]                           optional bracketed value after the row

The columns are read from the header (which years, which values), the rows by
their expected number, the name by its unit, and the values by the wrapping
rule: a wrapped cell's lines are as long as its first line except the last,
which is shorter; a numeric token is always a cell of its own.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from wufei.importers.records import IndicatorRecord
from wufei.importers.text.normalize import clean_spaces, fold_punct, join_lines

_ATTRIBUTES = ("约束性", "预期性")
_HEADER_LABEL = re.compile(
    r"指标类型|序号|指标属性|\d{4}年目标值?|\d{4}年(?:完成情况|现状值?|实际值?)|预计到\d{4}年底?|指标名称|指标"
)
_HEADER_MAX_CHARS = 80  # the header text is ~40 characters; stop looking well after that
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CATEGORY_PIECE = re.compile(r"^[\u4e00-\u9fff]{1,8}$")
_NOT_CATEGORY = ("续表", "续上表")  # printed above a table continued after a page break
# （μg/m3） / （%）a / （%） 8.2* 13.4 … : the unit parenthesis ends the name when it is
# followed by the end of the line, a footnote letter, or a space and the values.
_UNIT_END = re.compile(r"（([^（）]{1,12})）\s*([a-z])?(?=\s|$)")
# 累计下降% / 降% (a percent sign after a non-digit, so 62.2% is not a name)
_PERCENT_END = re.compile(r"^(.*?[^\d.\s])\s*%\s*([a-z])?(?:\s+(.*))?$")
# 护红线面积 c : no unit, a footnote letter after a space
_FOOTNOTE_END = re.compile(r"^(.*\S)\s+([a-z])$")
_BRACKET_VALUE = re.compile(r"^\s*[\[〔【]\s*([^\]〕】]+?)\s*[\]〕】]\s*$")
_TABLE_END = re.compile(r"^\s*(?:注\s*[：:*\d]|[一二三四五六七八九十]+、)")
_MAX_NAME_LINES = 8  # a name longer than this means the row is not what we think it is


@dataclass
class _Line:
    number: int  # 1-based
    text: str  # stripped


@dataclass
class _Column:
    role: str  # target / observed / forecast
    year: int | None


@dataclass
class _Piece:
    text: str
    first_on_line: bool
    last_on_line: bool


def evaluation_indicators(lines: list[str]) -> list[IndicatorRecord]:
    """Rows of every flattened evaluation table in the text, in order."""
    items = [_Line(i + 1, line.strip()) for i, line in enumerate(lines) if line.strip()]
    records: list[IndicatorRecord] = []
    k = 0
    while k < len(items):
        header = _header_at(items, k)
        if header is None:
            k += 1
            continue
        k, columns = header
        rows, k = _rows(items, k, columns)
        records.extend(rows)
    return records


def _header_at(items: list[_Line], k: int) -> tuple[int, list[_Column]] | None:
    """(index after the header, value columns) when a table header starts at items[k]."""
    if not items[k].text.startswith(("指标", "序")):
        return None
    text = ""
    for j in range(k, len(items)):
        text += re.sub(r"\s+", "", items[j].text)
        if len(text) > _HEADER_MAX_CHARS:
            return None
        if text.endswith("指标属性"):
            labels = _HEADER_LABEL.findall(text)
            if "".join(labels) != text or "序号" not in labels:
                return None
            return j + 1, _value_columns(labels)
    return None


def _value_columns(labels: list[str]) -> list[_Column]:
    """The value columns between the name (指标) and the attribute (指标属性)."""
    columns = []
    for label in labels:
        year = re.search(r"\d{4}", label)
        year_value = int(year.group()) if year else None
        if label.startswith("预计"):
            columns.append(_Column("forecast", year_value))
        elif "目标" in label:
            columns.append(_Column("target", year_value))
        elif year_value is not None:
            columns.append(_Column("observed", year_value))
    return columns


def _rows(items: list[_Line], k: int, columns: list[_Column]) -> tuple[list[IndicatorRecord], int]:
    """Rows from items[k] to the end of the table; returns them and where the table ended."""
    rows: list[IndicatorRecord] = []
    category: str | None = None
    pending_category: list[str] = []
    while k < len(items):
        text = items[k].text
        if _TABLE_END.match(text):
            break
        repeated = _header_at(items, k)  # a page break repeats the header
        if repeated is not None:
            k = repeated[0]
            continue
        bracket = _BRACKET_VALUE.match(text)
        if bracket and rows:
            _add_definition(rows[-1], f"规划期累计值：{bracket.group(1)}")
            k += 1
            continue
        if text == str(len(rows) + 1):
            if pending_category:
                category, pending_category = "".join(pending_category), []
            row, k = _row(items, k, columns, category)
            rows.append(row)
            continue
        if _CATEGORY_PIECE.match(text) and text not in _NOT_CATEGORY:
            pending_category.append(text)
        k += 1
    return rows, k


def _add_definition(record: IndicatorRecord, text: str) -> None:
    record.definition = f"{record.definition}；{text}" if record.definition else text


def _row(items: list[_Line], k: int, columns: list[_Column], category: str | None) -> tuple[IndicatorRecord, int]:
    """One row starting at its number line items[k]; returns it and the index after it."""
    number_line = items[k]
    name, unit, rest, k = _name(items, k + 1)
    pieces, attribute, k = _value_pieces(items, k, rest)
    cells = _cells(pieces, len(columns))
    record = IndicatorRecord(
        number=number_line.text,
        name=name,
        line=number_line.number,
        unit=unit,
        category=category,
        attribute_raw=attribute,
    )
    for column, cell in zip(columns, cells):
        if column.role == "target":
            record.target_raw, record.target_year = cell, column.year
        elif column.role == "observed" and column.year is not None:
            record.observed[column.year] = cell
        elif column.role == "forecast":
            record.forecast_raw = cell
    return record, k


def _name(items: list[_Line], k: int) -> tuple[str, str | None, str, int]:
    """(name, unit, text after the unit on its line, index after the name)."""
    parts: list[str] = []
    while k < len(items) and len(parts) < _MAX_NAME_LINES:
        text = fold_punct(items[k].text)
        unit = _UNIT_END.search(text)
        if unit:
            parts.append(text[: unit.start()])
            return _clean_name(parts), unit.group(1).strip(), text[unit.end() :], k + 1
        percent = _PERCENT_END.match(text)
        if percent:
            parts.append(percent.group(1))
            return _clean_name(parts), "%", percent.group(3) or "", k + 1
        footnote = _FOOTNOTE_END.match(text)
        if footnote and _CJK.search(footnote.group(1)):
            parts.append(footnote.group(1))
            return _clean_name(parts), None, "", k + 1
        if parts and _starts_values(text):
            break  # a name printed without unit or footnote
        parts.append(text)
        k += 1
    return _clean_name(parts), None, "", k


def _clean_name(parts: list[str]) -> str:
    return join_lines(parts)


def _starts_values(text: str) -> bool:
    first = text.split()[0]
    return not _CJK.search(first) or first in _ATTRIBUTES


def _value_pieces(items: list[_Line], k: int, rest: str) -> tuple[list[_Piece], str | None, int]:
    """Space-separated pieces up to the attribute (约束性/预期性), which closes the row."""
    pieces: list[_Piece] = []
    texts = [rest] if rest.strip() else []
    while True:
        for text in texts:
            tokens = text.split()
            for index, token in enumerate(tokens):
                if token in _ATTRIBUTES:
                    return pieces, token, k
                pieces.append(_Piece(token, index == 0, index == len(tokens) - 1))
        if k >= len(items) or _TABLE_END.match(items[k].text) or _BRACKET_VALUE.match(items[k].text):
            return pieces, None, k
        texts = [items[k].text]
        k += 1


def _cells(pieces: list[_Piece], wanted: int) -> list[str]:
    """Rebuild the cells from pieces: exactly `wanted` cells if the wrapping rule allows it."""
    cells = _segment(pieces, 0, [], wanted)
    if cells is None:
        cells = _segment(pieces, 0, [], None)  # fewer or more values than columns: keep what we have
    return [_clean_value(cell) for cell in cells or []]


def _segment(
    pieces: list[_Piece], index: int, cells: list[list[_Piece]], wanted: int | None
) -> list[list[_Piece]] | None:
    """Depth-first: continue the current cell when the wrapping rule allows, else start a new one.

    Continuing is tried first, so the first complete answer is the one that
    wraps the most eagerly; the count of columns rules out the rest.
    """
    if wanted is not None and len(cells) > wanted:
        return None
    if index == len(pieces):
        return cells if wanted is None or len(cells) == wanted else None
    piece = pieces[index]
    if cells and _continues(cells[-1], piece):
        found = _segment(pieces, index + 1, [*cells[:-1], cells[-1] + [piece]], wanted)
        if found is not None:
            return found
    return _segment(pieces, index + 1, [*cells, [piece]], wanted)


def _continues(cell: list[_Piece], piece: _Piece) -> bool:
    """Whether `piece` can be the next line of the wrapped text cell `cell`."""
    last = cell[-1]
    if not (last.last_on_line and piece.first_on_line):
        return False
    if not (_CJK.search(last.text) and _CJK.search(piece.text)):
        return False  # numbers are never wrapped
    width = _width(cell[0].text)
    if any(_width(p.text) < width - 1 for p in cell[1:]):
        return False  # a shorter line already closed the cell
    return _width(piece.text) <= width + 1


def _width(text: str) -> int:
    """Display width: a Chinese character is two columns, ASCII one."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _clean_value(cell: list[_Piece]) -> str:
    return fold_punct(clean_spaces("".join(piece.text for piece in cell)))

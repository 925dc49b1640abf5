"""Rebuild the corpus's Word, PDF, web-page and spreadsheet files from the published texts in `sources/`.

    .venv/bin/python tests/corpus/build.py          # writes tests/corpus/<id>.docx|.pdf|.html|.xlsx
    .venv/bin/python tests/corpus/build.py --check  # fails if a committed file differs from a fresh build

Where a publisher's original attachment cannot be had, the corpus keeps the text as the page held
it (`sources/<id>.txt`) and rebuilds the file an office would have received: a Word document with
real tables (python-docx; merged cells where the publisher merged them, line breaks inside cells),
a PDF with a text layer (LibreOffice converts that Word document), a web page with a real
`<table>` or an Excel workbook (openpyxl; merged cells where the publisher merged them).
The text is never changed: every builder asserts that the cells and paragraphs it lays
out hold exactly the source's text. What a builder drops is the hosting site's own chrome (a
document-sharing site's banner and page markers), and the README says so per document.

The output is deterministic: fixed document properties, zip members stamped 1980-01-01, the
PDF's creation date and file identifier replaced by fixed values of the same length, and the
workbook's save time replaced by a fixed one.
"""

from __future__ import annotations

import argparse
import io
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from pathlib import Path

import docx
import openpyxl
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl.styles import Alignment

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"
FIXED_TIME = datetime(2000, 1, 1)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass
class Cell:
    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass
class Table:
    rows: list[list[Cell]]
    header_rows: int = 1


@dataclass
class Layout:
    """A document as blocks: paragraphs (str) and tables, in reading order."""

    blocks: list[str | Table] = field(default_factory=list)

    def text(self) -> str:
        parts: list[str] = []
        for block in self.blocks:
            if isinstance(block, Table):
                parts.extend(cell.text for row in block.rows for cell in row)
            else:
                parts.append(block)
        return "".join(parts)


def source(doc_id: str) -> str:
    return (SOURCES / f"{doc_id}.txt").read_text(encoding="utf-8")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def check_faithful(doc_id: str, layout: Layout, published: str) -> None:
    """The layout holds the published text, character for character (whitespace aside)."""
    if _squash(layout.text()) != _squash(published):
        raise SystemExit(f"{doc_id}: the rebuilt layout does not hold exactly the published text")


def paragraphs(lines: list[str]) -> list[str]:
    """Non-empty lines as paragraphs; the web page's indentation is layout, not text."""
    return [line.strip() for line in lines if line.strip()]


def cells_per_line(lines: list[str], columns: int) -> Table:
    """A table flattened as one cell per (non-empty) line, header first."""
    cells = [line.strip() for line in lines if line.strip()]
    if len(cells) % columns:
        raise SystemExit(f"{len(cells)} cells do not fill rows of {columns}")
    rows = [[Cell(text) for text in cells[i : i + columns]] for i in range(0, len(cells), columns)]
    return Table(rows)


# --- one builder per rebuilt document -------------------------------------------------------------


def build_plain(doc_id: str) -> tuple[Layout, str]:
    text = source(doc_id)
    return Layout(paragraphs(text.splitlines())), text


def build_split_at(doc_id: str, marker: str, columns: int) -> tuple[Layout, str]:
    """Paragraphs, then a one-cell-per-line table whose header starts at `marker`."""
    text = source(doc_id)
    lines = text.splitlines()
    start = lines.index(marker)
    return Layout([*paragraphs(lines[:start]), cells_per_line(lines[start:], columns)]), text


def build_henan(doc_id: str) -> tuple[Layout, str]:
    # The page holds the whole document on one line; a space stands where each paragraph broke.
    text = source(doc_id)
    return Layout(text.strip().split(" ")), text


def build_suining(doc_id: str) -> tuple[Layout, str]:
    # Copied from a web page: every cell on its own line between "|" lines.
    text = source(doc_id)
    cells = [line for line in text.splitlines() if line.strip() != "|"]
    rows = [[Cell(c) for c in cells[i : i + 4]] for i in range(0, len(cells), 4)]
    if any(len(row) != 4 for row in rows):
        raise SystemExit(f"{doc_id}: cells do not fill rows of four")
    return Layout([Table(rows)]), text.replace("|", "")


def build_xingping(doc_id: str) -> tuple[Layout, str]:
    # The page's information box (索引号 | … ) is a table of label/value pairs; the rest is the document.
    text = source(doc_id)
    lines = text.splitlines()
    box_rows = []
    for line in lines[:5]:
        cells = [c.strip() for c in line.split("|")]
        while cells and not cells[-1]:
            cells.pop()
        row = [Cell(c) for c in cells]
        if len(row) < 4:
            row[-1].colspan = 4 - len(row) + 1
        box_rows.append(row)
    return Layout([Table(box_rows, header_rows=0), *paragraphs(lines[5:])]), text.replace("|", "")


CHENGDU_TITLE = "贯彻落实生活垃圾分类制度重点任务责任分工表"
CHENGDU_HEADER = ("序号", "工作内容", "目标任务", "责任单位", "备注")
CHENGDU_ROW_END = "各区(市)县政府(管委会)"


def build_chengdu(doc_id: str) -> tuple[Layout, str]:
    # A document-sharing site's text of a Word table: the site's banner (the first two lines) and
    # its page markers (1、 2、 3、 at line starts) are dropped; the cells ran together and are
    # split here: number, work, target (from 2021年 to its 。), owners (each row's list ends with
    # 各区(市)县政府(管委会)), an empty remark.
    text = source(doc_id)
    published = re.sub(r"(^|\n)\d、", "", text.split("\n", 2)[2]).replace("\n", "")
    body = published[len(CHENGDU_TITLE + "".join(CHENGDU_HEADER)) :]
    rows: list[list[Cell]] = [[Cell(h) for h in CHENGDU_HEADER]]
    for chunk in re.split(rf"(?<={re.escape(CHENGDU_ROW_END)})(?=\d)", body):
        number, rest = re.match(r"(\d+)(.*)", chunk).groups()
        work, target_and_owners = rest.split("2021年", 1)
        target, owners = ("2021年" + target_and_owners).split("。", 1)
        rows.append([Cell(number), Cell(work), Cell(target + "。"), Cell(owners), Cell("")])
    if len(rows) != 5:
        raise SystemExit(f"{doc_id}: expected four rows, found {len(rows) - 1}")
    return Layout([CHENGDU_TITLE, Table(rows)]), published


def build_lianggeshuaixian(doc_id: str) -> tuple[Layout, str]:
    # A document-sharing site's text of a Word table with merged cells: the site's banner (up to
    # 文档介绍:) is dropped. Columns: 类别 | 序号 | 指标名称 (two columns: group, indicator) | 单位 |
    # 苏南目标值 | 全省目标值 | 权重 | 数据提供部门. Empty cells are the empty lines of the page.
    text = source(doc_id)
    body = text[text.index("文档介绍:江苏") + len("文档介绍:") :]
    lines = body.split("\n")
    head_end = lines.index("数据提供部门")
    front = [line for line in lines[: lines.index("类别")] if line]
    tokens = lines[head_end + 1 :]
    while tokens and tokens[-1] == "":
        tokens.pop()
    pos = 0

    def take(n: int = 1) -> list[str]:
        nonlocal pos
        out = tokens[pos : pos + n]
        pos += n
        return out

    header = [
        Cell("类别"),
        Cell("序号"),
        Cell("指标名称", colspan=2),
        Cell("单位"),
        Cell("苏南\n目标值"),
        Cell("全省\n目标值"),
        Cell("权重"),
        Cell("数据提供部门"),
    ]
    rows: list[list[Cell]] = [header]
    # Group one: rows 1–10, each indicator in one merged name cell. The 类别 cell's text is lost (four empty lines).
    take(4)
    for number in range(1, 11):
        row = [Cell("", rowspan=10)] if number == 1 else []
        seq, name, unit, south, whole, weight = take(6)
        if seq != str(number):
            raise SystemExit(f"{doc_id}: row {number} out of step at {seq!r}")
        row += [Cell(seq), Cell(name, colspan=2), Cell(unit), Cell(south), Cell(whole), Cell(weight)]
        if number == 1:
            row.append(Cell(take()[0], rowspan=2))  # 统计 for rows 1 and 2
        elif number != 2:
            row.append(Cell(take()[0]))
        rows.append(row)
    # Group two: rows 11–14, a group name (two lines in one cell) over several indicators.
    take(4)
    groups = [(11, 3, [3]), (12, 2, [2]), (13, 5, [3, 1, 1]), (14, 2, [1, 1])]
    first_group_row = True
    for number, count, dept_spans in groups:
        seq, group_top, group_bottom = take(3)
        if seq != str(number):
            raise SystemExit(f"{doc_id}: group {number} out of step at {seq!r}")
        spans = iter(dept_spans)
        dept_left = 0
        for i in range(count):
            row = []
            if first_group_row:
                row.append(Cell("", rowspan=12))
                first_group_row = False
            if i == 0:
                row += [Cell(seq, rowspan=count), Cell(f"{group_top}\n{group_bottom}", rowspan=count)]
            name, unit, south, whole = take(4)
            row += [Cell(name), Cell(unit), Cell(south), Cell(whole)]
            if i == 0:
                row.append(Cell(take()[0], rowspan=count))
            if dept_left == 0:
                span = next(spans)
                row.append(Cell(take()[0], rowspan=span))
                dept_left = span
            dept_left -= 1
            rows.append(row)
    if pos != len(tokens):
        raise SystemExit(f"{doc_id}: {len(tokens) - pos} cells left over")
    return Layout([*front, Table(rows)]), body


def build_pipe_rows(doc_id: str, header_lines: int, task_colspan_at: int | None) -> tuple[Layout, str]:
    """A table copied from a web page as `cell |` lines; a line `|` ends a row, `||` is an empty last cell."""
    text = source(doc_id)
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.endswith(" |"))
    front = paragraphs(lines[:start])
    header = [Cell(line.removesuffix(" |")) for line in lines[start : start + header_lines]]
    rows: list[list[Cell]] = [header]
    current: list[Cell] = []
    for line in lines[start + header_lines :]:
        if line in ("|", "||"):
            if line == "||":
                current.append(Cell(""))
            rows.append(current)
            current = []
        else:
            current.append(Cell(line.removesuffix(" |")))
    if current:
        rows.append(current)
    width = len(header)
    for row in rows[1:]:
        if task_colspan_at is not None:
            row[task_colspan_at].colspan = 2  # the task spans 主要任务 and 全年目标任务
        while sum(c.colspan for c in row) < width:
            row.append(Cell(""))  # the remark the page leaves out at its end
    return Layout([*front, Table(rows)]), text.replace("|", "")


def build_chongchuan_cgj(doc_id: str) -> tuple[Layout, str]:
    # A markdown-like copy of a table whose annual tasks span their sub-task rows.
    text = source(doc_id)
    lines = text.splitlines()
    front = paragraphs(lines[:2])

    def cells(line: str) -> list[str]:
        parts = [c.strip() for c in line.split("|")]
        while parts and not parts[-1]:
            parts.pop()
        return parts

    header = [Cell(c) for c in cells(lines[2])]
    r57, r57b, r57c, r58 = (cells(line) for line in lines[3:7])
    rows = [
        header,
        [
            Cell(r57[0], rowspan=3),
            Cell(r57[1]),
            Cell(r57[2]),
            Cell(r57[3], rowspan=3),
            Cell(r57[4], rowspan=3),
            Cell(r57[5]),
            Cell(r57[6]),
            Cell(""),
        ],
        [Cell(r57b[0]), Cell(r57b[1]), Cell(r57b[2]), Cell(r57b[3]), Cell("")],
        [Cell(c) for c in r57c],
        [
            Cell(r58[0]),
            Cell(r58[1], colspan=2),
            Cell(r58[2]),
            Cell(r58[3]),
            Cell(r58[4]),
            Cell(r58[5]),
            Cell(""),
        ],
    ]
    return Layout([*front, Table(rows)]), text.replace("|", "")


# --- batch 2 --------------------------------------------------------------------------------------

YUZHONG_TITLE = "渝中区“无废城市”建设试点目标任务分解"
# 试点任务 cells span their 细化措施 rows: (group name, rows under it); row 4 has no 配合单位.
YUZHONG_GROUPS = [("推进生活垃圾分类规划", 5), ("推进建筑垃圾治理试点规划", 2)]
YUZHONG_NO_SUPPORT = {4}


def build_yuzhong(doc_id: str) -> tuple[Layout, str]:
    # A mirror of the district's page: its banner, breadcrumb and date lines before the second
    # title are the hosting site's chrome. The table came out one cell per line with blank lines;
    # 工作绩效目标 spans four quarter columns, all empty in every row.
    text = source(doc_id)
    body = text[text.index(YUZHONG_TITLE, text.index(YUZHONG_TITLE) + 1) :]
    tokens = [line.strip() for line in body.splitlines() if line.strip()]
    pos = tokens.index("一季度") + 4
    header = [
        Cell("序号", rowspan=2),
        Cell("试点任务", rowspan=2),
        Cell("细化措施", rowspan=2),
        Cell("工作绩效目标", colspan=4),
        Cell("责任单位", rowspan=2),
        Cell("配合单位", rowspan=2),
        Cell("完成\n时限", rowspan=2),
    ]
    rows: list[list[Cell]] = [header, [Cell(q) for q in ("一季度", "二季度", "三季度", "四季度")]]
    rows.append([Cell(tokens[pos], colspan=10)])  # 一、持续强化规划引领
    pos += 1
    number = 0
    for group, count in YUZHONG_GROUPS:
        for i in range(count):
            number += 1
            if tokens[pos] != str(number):
                raise SystemExit(f"{doc_id}: row {number} out of step at {tokens[pos]!r}")
            row = [Cell(tokens[pos])]
            pos += 1
            if i == 0:
                if tokens[pos] != group:
                    raise SystemExit(f"{doc_id}: expected the group {group!r} at row {number}")
                row.append(Cell(group, rowspan=count))
                pos += 1
            measure, lead = tokens[pos : pos + 2]
            pos += 2
            support = ""
            if number not in YUZHONG_NO_SUPPORT:
                support = tokens[pos]
                pos += 1
            deadline = tokens[pos]
            pos += 1
            row += [Cell(measure), *(Cell("") for _ in range(4)), Cell(lead), Cell(support), Cell(deadline)]
            rows.append(row)
    if pos != len(tokens):
        raise SystemExit(f"{doc_id}: {len(tokens) - pos} cells left over")
    return Layout([YUZHONG_TITLE, Table(rows, header_rows=2)]), body


CHANGSHA_BANNER = "法搜网--中国法律信息搜索网"


def build_changsha(doc_id: str) -> tuple[Layout, str]:
    # The law-database page: the notice, then the table as `cell` / `| cell` lines with `|` ending
    # each row. 牵头单位 cells (broken over lines in a narrow column) span their tasks, and a
    # 责任单位 cell spans the rows after it that have only a task.
    text = source(doc_id)
    published = text.removeprefix(CHANGSHA_BANNER + "\n")
    lines = published.splitlines()
    start = lines.index("牵头单位")
    front = paragraphs(lines[:start])
    raw_rows: list[list[str]] = []
    current: list[str] = []
    first: list[str] = []
    for line in lines[start:]:
        if line == "|":
            raw_rows.append(["\n".join(first), *current] if first else current)
            current, first = [], []
        elif line.startswith("| "):
            current.append(line[2:])
        else:
            first.append(line)
    header, *body = raw_rows
    rows: list[list[Cell]] = [[Cell(c) for c in header]]
    for i, cells in enumerate(body):
        if len(cells) == 3:  # a new lead: it spans every row up to the next lead
            span = next((j for j in range(i + 1, len(body)) if len(body[j]) == 3), len(body)) - i
            lead, task, support = cells
            rows.append([Cell(lead, rowspan=span), Cell(task), _changsha_support(body, i, support)])
        elif len(cells) == 2:
            rows.append([Cell(cells[0]), _changsha_support(body, i, cells[1])])
        elif len(cells) == 1:
            rows.append([Cell(cells[0])])
        else:
            raise SystemExit(f"{doc_id}: a row of {len(cells)} cells")
    return Layout([*front, Table(rows)]), published.replace("|", "")


def _changsha_support(body: list[list[str]], i: int, text: str) -> Cell:
    span = 1
    while i + span < len(body) and len(body[i + span]) == 1:
        span += 1
    return Cell(text, rowspan=span)


def build_lvditan(doc_id: str) -> tuple[Layout, str]:
    # A table copied as `a | b | c |` lines whose header broke after 序号; a 类别 cell spans the
    # rows after it that start with their number (the copy shifted those rows left).
    text = source(doc_id)
    lines = [[c.strip() for c in line.split("|") if c.strip()] for line in text.splitlines() if line.strip()]
    header = [Cell(c) for c in lines[0] + lines[1]]
    data = lines[2:]
    rows: list[list[Cell]] = [header]
    for i, cells in enumerate(data):
        if len(cells) == 4:
            span = next((j for j in range(i + 1, len(data)) if len(data[j]) == 4), len(data)) - i
            rows.append([Cell(cells[0]), Cell(cells[1], rowspan=span), Cell(cells[2]), Cell(cells[3])])
        elif len(cells) == 3:
            rows.append([Cell(c) for c in cells])
        else:
            raise SystemExit(f"{doc_id}: a row of {len(cells)} cells")
    return Layout([Table(rows)]), text.replace("|", "")


def build_nongye(doc_id: str) -> tuple[Layout, str]:
    # An exam page quoting part of the plan's indicator table: the lead-in, then one `cell |` per line.
    text = source(doc_id)
    lines = text.splitlines()
    cells = [line.removesuffix("|").strip() for line in lines[1:]]
    return Layout([lines[0], cells_per_line(cells, 4)]), text.replace("|", "")


# --- batch 3 (held out) ---------------------------------------------------------------------------


def build_pipe_form(doc_id: str, marker: str) -> tuple[Layout, str]:
    """Paragraphs, then a form of `label | value |` rows from the line starting with `marker` (a value may
    run onto the next line, its closing `|` there); the form has no header row."""
    text = source(doc_id)
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(marker))
    cells = [c.strip() for c in "\n".join(lines[start:]).split("|") if c.strip()]
    if len(cells) % 2:
        raise SystemExit(f"{doc_id}: {len(cells)} cells do not fill label/value rows")
    rows = [[Cell(cells[i]), Cell(cells[i + 1])] for i in range(0, len(cells), 2)]
    return Layout([*paragraphs(lines[:start]), Table(rows, header_rows=0)]), text.replace("|", "")


def build_line_form(doc_id: str, marker: str) -> tuple[Layout, str]:
    """Paragraphs, then a form whose label and value cells stand one per line from `marker` on."""
    layout, text = build_split_at(doc_id, marker, 2)
    form = layout.blocks[-1]
    assert isinstance(form, Table)
    form.header_rows = 0
    return layout, text


def build_dropping(doc_id: str, chrome: tuple[str, ...]) -> tuple[Layout, str]:
    """Paragraphs of the published text without the hosting page's chrome lines (dropped whole)."""
    text = source(doc_id)
    lines = text.splitlines()
    for line in chrome:
        if line not in lines:
            raise SystemExit(f"{doc_id}: no chrome line {line!r} to drop")
    kept = [line for line in lines if line not in chrome]
    return Layout(paragraphs(kept)), "\n".join(kept)


def build_jishui(doc_id: str) -> tuple[Layout, str]:
    # A table copied as `cell | cell |` lines under its heading; the 责任单位 cell held its units on
    # two lines (the copy joined them with a space), rebuilt as a line break inside the cell.
    text = source(doc_id)
    heading, *rows = text.splitlines()
    table_rows: list[list[Cell]] = []
    for line in rows:
        cells = [c.strip() for c in line.removesuffix("|").split(" | ")]
        if len(cells) != 5:
            raise SystemExit(f"{doc_id}: a row of {len(cells)} cells")
        if table_rows:
            cells[3] = cells[3].replace(" ", "\n")
        table_rows.append([Cell(c) for c in cells])
    return Layout([heading, Table(table_rows)]), text.replace("|", "")


DAZHU_CHROME = ("来源:信息公开办", "发布日期:2016-03-01", "点击数:人次", "分享到:")
DAZHU_DEADLINE = re.compile(r"\d+月.*(前|使用|动工)$")


def build_dazhu(doc_id: str) -> tuple[Layout, str]:
    # The county's page: the notice, then its annex table copied one cell per line with blank lines;
    # a 责任单位 cell lists one unit per line, so a row runs from its number to its deadline. Row 5
    # holds two tasks (the second line has neither number nor units: 序号 and 责任单位 span both).
    # The page's source, date, hit-count and share lines are its chrome.
    text = source(doc_id)
    lines = [line.strip() for line in text.splitlines() if line.strip() and line.strip() not in DAZHU_CHROME]
    start = lines.index("序号")
    header = [Cell(c) for c in lines[start : start + 4]]
    tokens = lines[start + 4 :]
    rows: list[list[Cell]] = [header]
    pos, number = 0, 0
    while pos < len(tokens):
        number += 1
        if tokens[pos] != str(number):
            raise SystemExit(f"{doc_id}: row {number} out of step at {tokens[pos]!r}")
        task = tokens[pos + 1]
        end = pos + 2
        while not DAZHU_DEADLINE.match(tokens[end]):
            end += 1
        owners, deadline = tokens[pos + 2 : end], tokens[end]
        pos = end + 1
        extra: list[tuple[str, str]] = []  # further tasks of the same row: (task, deadline)
        while pos + 1 < len(tokens) and tokens[pos] != str(number + 1) and DAZHU_DEADLINE.match(tokens[pos + 1]):
            extra.append((tokens[pos], tokens[pos + 1]))
            pos += 2
        span = 1 + len(extra)
        rows.append(
            [Cell(str(number), rowspan=span), Cell(task), Cell("\n".join(owners), rowspan=span), Cell(deadline)]
        )
        rows += [[Cell(more_task), Cell(more_deadline)] for more_task, more_deadline in extra]
    return Layout([*lines[:start], Table(rows)]), "\n".join(lines)


YIYANG_TABLE = "主 要 指 标 |"


def build_yiyang(doc_id: str) -> tuple[Layout, str]:
    # A city page showing the national rural-revitalisation indicators as tables that run sideways
    # (a row of names, a row of 2022年目标值, a row of 属性), copied as `cell |` lines; the row's
    # first cell stands on a line of its own before the others. The page's news list above the
    # tables (its first seven lines) is its chrome.
    text = source(doc_id)
    lines = text.splitlines()
    start = lines.index(YIYANG_TABLE)
    body = lines[start:]
    tables: list[str | Table] = []
    for i in range(0, len(body), 5):
        names_head, names, target_head, targets, kinds = body[i : i + 5]
        rows = [
            [names_head, *names.split(" | ")],
            [target_head, *targets.split(" | ")],
            kinds.split(" | "),
        ]
        rows = [[c.removesuffix("|").strip() for c in row] for row in rows]
        if not (len(rows[0]) == len(rows[1]) == len(rows[2])):
            raise SystemExit(f"{doc_id}: a table's rows differ in width at line {start + i}")
        tables.append(Table([[Cell(c) for c in row] for row in rows], header_rows=0))
    return Layout(tables), "\n".join(body).replace("|", "")


def build_yangling(doc_id: str) -> tuple[Layout, str]:
    # An indicator table copied as `cell |` lines, the copy's empty grid cells left as runs of |:
    # a two-row header (2021年完成 and 2022年计划 over 绝对值 / 增长%), category rows across the
    # table, and a 责任(牵头)部门 cell that spans the rows after it until the next one.
    text = source(doc_id)
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("指 标 名 称 |"))
    front = paragraphs(lines[:start])

    def cells(line: str) -> list[str]:
        return [c.strip() for c in line.split("|") if c.strip()]

    top, sub = cells(lines[start]), cells(lines[start + 1])
    rows: list[list[Cell]] = [
        [
            Cell(top[0], rowspan=2),
            Cell(top[1], rowspan=2),
            Cell(top[2], colspan=2),
            Cell(top[3], colspan=2),
            Cell(top[4], rowspan=2),
        ],
        [Cell(c) for c in sub],
    ]
    data = [cells(line) for line in lines[start + 2 :] if line.strip()]
    for i, row in enumerate(data):
        if len(row) == 1:
            rows.append([Cell(row[0], colspan=7)])
        elif len(row) == 7:
            span = 1
            while i + span < len(data) and len(data[i + span]) == 6:
                span += 1
            rows.append([*(Cell(c) for c in row[:6]), Cell(row[6], rowspan=span)])
        elif len(row) == 6:
            rows.append([Cell(c) for c in row])
        else:
            raise SystemExit(f"{doc_id}: a row of {len(row)} cells")
    return Layout([*front, Table(rows, header_rows=2)]), text.replace("|", "")


# --- batch 4 (held out) ---------------------------------------------------------------------------


def _pipe_cells(line: str) -> list[str]:
    """The cells of a `a | b | c |` line copied from a page's table (the last `|` closes the row)."""
    return [cell.strip() for cell in line.split("|")][:-1]


def build_shishi(doc_id: str) -> tuple[Layout, str]:
    # A WeChat post: the lead-in, the table's caption, then the table as `cell | cell |` lines. A
    # project line without a number belongs to the number above it (序号 spans its lines), and the
    # copy closed such a line with an empty cell.
    text = source(doc_id)
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("序号 |"))
    rows: list[list[Cell]] = [[Cell(c) for c in _pipe_cells(lines[start])]]
    data = [_pipe_cells(line) for line in lines[start + 1 :] if line.strip()]
    for i, cells in enumerate(data):
        if cells[0].isdigit():
            span = 1
            while i + span < len(data) and not data[i + span][0].isdigit():
                span += 1
            rows.append([Cell(cells[0], rowspan=span), *(Cell(c) for c in cells[1:4])])
        elif cells[3:] == [""]:
            rows.append([Cell(c) for c in cells[:3]])
        else:
            raise SystemExit(f"{doc_id}: a row of {len(cells)} cells")
    return Layout([*paragraphs(lines[:start]), Table(rows)]), text.replace("|", "")


def build_miit(doc_id: str) -> tuple[Layout, str]:
    # The page's lead-in, its table copied one `cell |` per line (`|` alone is an empty cell), then
    # the table's note. Row 9 has no 牵头负责司局 cell: row 8's spans both.
    text = source(doc_id)
    lines = text.splitlines()
    end = next(i for i, line in enumerate(lines[1:], 1) if not line.endswith("|"))
    tokens = [line.removesuffix("|").strip() for line in lines[1:end]]
    rows: list[list[Cell]] = [[Cell(c) for c in tokens[:7]]]
    pos, number = 7, 0
    while pos < len(tokens):
        number += 1
        nxt = tokens.index(str(number + 1), pos + 1) if str(number + 1) in tokens[pos + 1 :] else len(tokens)
        cells = tokens[pos:nxt]
        if len(cells) == 7:
            span = 2 if number == 8 else 1
            rows.append([*(Cell(c) for c in cells[:5]), Cell(cells[5], rowspan=span), Cell(cells[6])])
        elif len(cells) == 6 and number == 9:
            rows.append([Cell(c) for c in cells])
        else:
            raise SystemExit(f"{doc_id}: row {number} has {len(cells)} cells")
        pos = nxt
    return Layout([lines[0], Table(rows), *paragraphs(lines[end:])]), text.replace("|", "")


def build_yuanlin(doc_id: str) -> tuple[Layout, str]:
    # A law database's page 6 of a city's task table, copied as `cell | cell |` lines; the 协助单位
    # cell of the first row held its two units on two lines, and 任务内容 spans both rows.
    text = source(doc_id)
    lines = text.splitlines()
    header = [Cell(c) for c in _pipe_cells(lines[0])]
    first = _pipe_cells(lines[1] + "\n" + lines[2])
    second = _pipe_cells(lines[3])
    if len(first) != 6 or len(second) != 5:
        raise SystemExit(f"{doc_id}: rows of {len(first)} and {len(second)} cells")
    rows = [header, [Cell(first[0], rowspan=2), *(Cell(c) for c in first[1:])], [Cell(c) for c in second]]
    return Layout([Table(rows)]), text.replace("|", "")


GZ_CHROME = ("欢迎访问 环保法制网!", "当前位置:首页 > 污染防治", "发布时间:2022-05-26来源: 贵州省生态环境厅作者:佚名")
XIANGTAN_CHROME = "湘潭市城市管理和综合执法局 xtcg.xiangtan.gov.cn 发布时间:2023-10-13 19:49"


def build_xiangtan(doc_id: str) -> tuple[Layout, str]:
    # A project's performance-target form (an Excel sheet as offices fill it), copied from the page
    # one `cell |` per line with runs of `|` for the grid: the page's title and the form's caption,
    # label/value rows, then the indicators with 本年度绩效指标, 一级指标 and 二级指标 spanning rows.
    # The site's line (publisher, address, date) is its chrome.
    text = source(doc_id)
    lines = [line for line in text.splitlines() if line != XIANGTAN_CHROME]
    title, caption = lines[:2]
    tokens = [line.removesuffix("|").strip() for line in lines[2:] if line.strip("| ")]
    pos = 0

    def take(n: int = 1) -> list[str]:
        nonlocal pos
        out = tokens[pos : pos + n]
        pos += n
        return out

    def wide(label: str, value: str) -> list[Cell]:
        return [Cell(label), Cell(value, colspan=5)]

    def indicator() -> list[Cell]:
        return [Cell(c) for c in take(3)]

    rows: list[list[Cell]] = [[Cell(take()[0], colspan=6)]]
    name, value, label, amount = take(4)
    rows.append([Cell(name), Cell(value), Cell(label), Cell(amount, colspan=3)])
    name, value, label, amount = take(4)
    rows.append([Cell(name), Cell(value), Cell(label), Cell(amount, colspan=3)])
    for _ in range(3):
        rows.append(wide(*take(2)))
    rows.append([Cell(take()[0], rowspan=11), *(Cell(c) for c in take(5))])
    output, quantity = take(2)
    rows.append([Cell(output, rowspan=5), Cell(quantity, rowspan=2), *indicator()])
    rows.append(indicator())
    for _ in range(3):
        rows.append([Cell(take()[0]), *indicator()])
    benefit, economic = take(2)
    rows.append([Cell(benefit, rowspan=4), Cell(economic), Cell(""), Cell(""), Cell("")])
    rows.append([Cell(take()[0]), *indicator()])
    for _ in range(2):
        rows.append([Cell(take()[0]), Cell(""), Cell(""), Cell("")])
    rows.append([Cell(take()[0], colspan=2), *indicator()])
    rows.append([Cell(take()[0]), Cell("", colspan=5)])
    if pos != len(tokens):
        raise SystemExit(f"{doc_id}: {len(tokens) - pos} cells left over")
    return Layout([title, caption, Table(rows, header_rows=0)]), "\n".join(lines).replace("|", "")


# --- writers --------------------------------------------------------------------------------------


def write_docx(layout: Layout, path: Path) -> None:
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.size = Pt(11)
    style.font.name = "Noto Serif CJK SC"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Serif CJK SC")
    props = document.core_properties
    props.author = ""
    props.last_modified_by = ""
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.last_printed = FIXED_TIME
    props.revision = 1
    for block in layout.blocks:
        if isinstance(block, Table):
            _docx_table(document, block)
        else:
            document.add_paragraph(block)
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(fixed_zip(buffer.getvalue()))


def _docx_table(document, table: Table) -> None:
    grid = _grid(table)
    width = len(grid[0])
    out = document.add_table(rows=len(grid), cols=width)
    out.style = "Table Grid"
    for r, row in enumerate(table.rows):
        for cell in row:
            c = grid[r].index(id(cell))
            target = out.cell(r, c)
            if cell.colspan > 1 or cell.rowspan > 1:
                target = target.merge(out.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
            lines = cell.text.split("\n")
            paragraph = target.paragraphs[0]
            run = paragraph.add_run(lines[0])
            for line in lines[1:]:
                run.add_break()
                run = paragraph.add_run(line)
    document.add_paragraph("")


def _grid(table: Table) -> list[list[int]]:
    """Cell identity at each (row, column) position, with spans expanded."""
    width = sum(c.colspan for c in table.rows[0])
    grid: list[list[int | None]] = [[None] * width for _ in table.rows]
    for r, row in enumerate(table.rows):
        col = 0
        for cell in row:
            while grid[r][col] is not None:
                col += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    if grid[r + dr][col + dc] is not None:
                        raise SystemExit("overlapping cells")
                    grid[r + dr][col + dc] = id(cell)
            col += cell.colspan
    if any(slot is None for row in grid for slot in row):
        raise SystemExit("a table row does not fill the grid")
    return grid  # type: ignore[return-value]


def fixed_zip(data: bytes) -> bytes:
    """The same zip with every member stamped at one fixed time, so builds compare equal."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def write_pdf(layout: Layout, path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is needed to build the PDF files")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        word = work / f"{path.stem}.docx"
        write_docx(layout, word)
        profile = work / "profile"
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(work),
                str(word),
            ],
            check=True,
            capture_output=True,
        )
        pdf = (work / f"{path.stem}.pdf").read_bytes()
    path.write_bytes(_fixed_pdf(pdf))


_PDF_DATE = re.compile(rb"\(D:\d{14}[^)]*\)")
_PDF_HEX = re.compile(rb"(/ID\s*\[\s*<[0-9A-Fa-f]+>\s*<[0-9A-Fa-f]+>\s*\]|/DocChecksum\s*/[0-9A-Fa-f]+)")


def _fixed_pdf(data: bytes) -> bytes:
    """Creation date, file identifier and checksum replaced by fixed values of the same length.

    Same length, so the cross-reference offsets stay valid.
    """
    data = _PDF_DATE.sub(lambda m: b"(D:20000101000000" + b"Z" * (len(m.group(0)) - 18) + b")", data)
    return _PDF_HEX.sub(lambda m: re.sub(rb"[0-9A-Fa-f]{16,}", lambda h: b"0" * len(h.group(0)), m.group(0)), data)


def write_html(layout: Layout, path: Path) -> None:
    out = ["<!DOCTYPE html>", '<html lang="zh-CN">', '<head><meta charset="utf-8"></head>', "<body>"]
    for block in layout.blocks:
        if isinstance(block, Table):
            out.append('<table border="1" cellspacing="0" cellpadding="3">')
            for r, row in enumerate(block.rows):
                tag = "th" if r < block.header_rows else "td"
                cells = []
                for cell in row:
                    attrs = ""
                    if cell.colspan > 1:
                        attrs += f' colspan="{cell.colspan}"'
                    if cell.rowspan > 1:
                        attrs += f' rowspan="{cell.rowspan}"'
                    body = "<br>".join(escape(line) for line in cell.text.split("\n"))
                    cells.append(f"<{tag}{attrs}>{body}</{tag}>")
                out.append("<tr>" + "".join(cells) + "</tr>")
            out.append("</table>")
        else:
            out.append(f"<p>{escape(block)}</p>")
    out += ["</body>", "</html>", ""]
    path.write_text("\n".join(out), encoding="utf-8")


_XLSX_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def write_xlsx(layout: Layout, path: Path) -> None:
    """One sheet: each paragraph a row of its own (merged across the tables' width), each table its grid."""
    width = max((len(_grid(block)[0]) for block in layout.blocks if isinstance(block, Table)), default=1)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    book.properties.creator = ""
    book.properties.created = FIXED_TIME
    wrap = Alignment(wrap_text=True, vertical="center")
    row = 1
    for block in layout.blocks:
        if not isinstance(block, Table):
            sheet.cell(row, 1, block)
            if width > 1:
                sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
            row += 1
            continue
        grid = _grid(block)
        for r, cells in enumerate(block.rows):
            for cell in cells:
                c = grid[r].index(id(cell))
                target = sheet.cell(row + r, c + 1, cell.text if cell.text else None)
                target.alignment = wrap
                if cell.colspan > 1 or cell.rowspan > 1:
                    sheet.merge_cells(
                        start_row=row + r,
                        start_column=c + 1,
                        end_row=row + r + cell.rowspan - 1,
                        end_column=c + cell.colspan,
                    )
        row += len(block.rows)
    buffer = io.BytesIO()
    book.save(buffer)
    data = fixed_zip(buffer.getvalue())
    # openpyxl stamps the save time into docProps/core.xml; the fixed time keeps builds equal.
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                member = _XLSX_MODIFIED.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", member)
            dst.writestr(info, member)
    path.write_bytes(out.getvalue())


# --- the corpus ------------------------------------------------------------------------------------

Builder = Callable[[str], tuple[Layout, str]]

WUHAN_CHROME = (
    "主办单位:中共武汉市委宣传部",
    "承办单位:长江网",
    "武汉文化产业政策服务平台",
    "2022-10-19 14:39",
    "来源: 武汉市人民政府办公厅",
    "【字体:",
)

# The portal's read-aloud, date, source and share items above the task form.
GUANGZHOU_CHROME_2019 = ("  • 听全文", "  • 2019-08-23", "  • 来源:市府办公厅", "  • 分享到", "  • -")

REBUILT: dict[str, tuple[str, Builder]] = {
    # Word
    "ah_chuzhou_2020": ("docx", build_plain),
    "sc_liutong_2022": ("docx", build_plain),
    "sc_chengdu_ljfl": ("docx", build_chengdu),
    "js_lianggeshuaixian_2013": ("docx", build_lianggeshuaixian),
    "zj_jiaxing_2022": ("docx", lambda d: build_split_at(d, "序号", 3)),
    "cq_shapingba_2022": ("docx", lambda d: build_split_at(d, "序号", 3)),
    "sn_xingping_2022": ("docx", build_xingping),
    # PDF (from a Word document built the same way)
    "sc_suining_2016": ("pdf", build_suining),
    "yn_wenzengzhang_2017": ("pdf", build_plain),
    "ha_henan_2023": ("pdf", build_henan),
    "hb_caidian_2023": ("pdf", build_plain),
    "sn_tongchuan_2020": ("pdf", build_plain),
    # Web pages with a real <table>
    "ah_xiangshan_2024q4": ("html", lambda d: build_split_at(d, "任务项", 6)),
    "js_chongchuan_mssx_2023": ("html", lambda d: build_pipe_rows(d, 10, 1)),
    "js_chongchuan_cgj_2024": ("html", build_chongchuan_cgj),
    "qh_xining_wufei_2020": ("html", build_plain),
    # Batch 2
    "cq_yuzhong_wufei_2021": ("docx", build_yuzhong),
    "cn_nongye_xiandaihua_2021": ("docx", build_nongye),
    "bj_daxing_2023": ("docx", build_plain),
    "cn_wufei_shidian_2018": ("pdf", build_plain),
    "hb_xianan_2023": ("pdf", build_plain),
    "tj_renwufengong_2020": ("pdf", build_plain),
    "hn_changsha_2012": ("html", build_changsha),
    "js_lvditan_yuanqu_2024": ("html", build_lvditan),
    "fj_fuzhou_meili_2024": ("html", build_plain),
    # Batch 3, held out (holdout: true in the expected files)
    "nm_hubaoewu_2023": ("docx", lambda d: build_dropping(d, ("内蒙古自治区人民政府发布通知!",))),
    "jx_poyuwandu_2017": ("docx", lambda d: build_dropping(d, (source(d).splitlines()[0],))),
    "sc_dazhu_minsheng_2016": ("docx", build_dazhu),
    "sn_yangling_jihua_2022": ("docx", build_yangling),
    "hlj_shidagongcheng_2009": ("pdf", lambda d: build_dropping(d, (CHANGSHA_BANNER,))),
    "gs_lanzhou_xianjie": ("pdf", build_plain),
    "hb_jiayu_2021": ("pdf", build_plain),
    "sx_qinxian_2025": ("pdf", build_plain),
    "hlj_jiamusi_shuiwuran_2018": ("html", lambda d: build_dropping(d, ("来源 :信用佳木斯 浏览 : 发布 :2018-08-03",))),
    "jx_jishui_minsheng": ("html", build_jishui),
    "hn_yiyang_xczx_zhibiao": ("html", build_yiyang),
    # Batch 4, held out (holdout: true in the expected files)
    "gz_sthjt_2020": ("docx", lambda d: build_dropping(d, GZ_CHROME)),
    "js_changzhou_2011": ("docx", build_plain),
    "gd_yuefu_2021": (
        "pdf",
        lambda d: build_dropping(
            d,
            (
                "简体版 繁體版 信息无障碍",
                "首页 > 专题中心 > 广东省乡村振兴局专题 > 政务公开 > 通知公告",
                "时间 : 2021-05-14 22:01:43 来源 : 本网原创稿",
                "【打印】 【字体:",
            ),
        ),
    ),
    "fj_shengtaisheng_2012": ("pdf", build_plain),
    "sh_shishi_2024": ("html", build_shishi),
    "cn_miit_kpi_2018": ("html", build_miit),
    "xx_yuanlin_2010": ("xlsx", build_yuanlin),
    "hn_xiangtan_jixiao_2023": ("xlsx", build_xiangtan),
    "jl_changchun_fengong_2012": ("docx", build_plain),
    "xj_hebukesaier_zhenggai_2020": ("html", build_plain),
    "xz_zjt_wushui_2023": ("docx", lambda d: build_pipe_form(d, "反馈问题")),
    "xz_lasa_jtt_2023": ("pdf", lambda d: build_line_form(d, "反馈问题")),
    # Batch 5, held out (holdout: true in the expected files)
    "ln_zhongdian_2026": ("pdf", build_plain),
    "sx_mubiao_2008": ("pdf", build_plain),
    "hb_zerenfengong_2008": ("html", lambda d: build_dropping(d, ("法搜网--中国法律信息搜索网",))),
    "hb_wuhan_fenjie_2018": ("docx", lambda d: build_dropping(d, WUHAN_CHROME)),
    # Batch 7 (sc_tuopin_zhenggai_2018 held out)
    "zj_cangnan_minsheng_2022": ("html", lambda d: build_split_at(d, "序号", 5)),
    "sh_qingpu_huanbao": ("docx", build_plain),
    "sc_tuopin_zhenggai_2018": ("pdf", build_plain),
    "zj_gongshu_daqi_2018": ("pdf", build_plain),
    # Batch 8 (sh_baoshan_fenjie_2008 held out)
    "sc_dazhu_zhize_2008": ("docx", lambda d: build_dropping(d, ("来源:信息公开办", "发布日期:2009-01-04", "点击数:人次"))),
    "gd_guangzhou_zdgz135_2023": ("docx", lambda d: build_pipe_form(d, "重点工作")),
    "gd_guangzhou_renwu97_2019": ("pdf", lambda d: build_dropping(d, GUANGZHOU_CHROME_2019)),
    "sh_baoshan_fenjie_2008": ("html", build_plain),
    # Batch 15
    "zj_songyang_anmin_2024": ("docx", build_plain),
    "hb_baokang_shishi_2026": ("pdf", build_plain),
}

WRITERS = {"docx": write_docx, "pdf": write_pdf, "html": write_html, "xlsx": write_xlsx}


def build(doc_id: str, out_dir: Path) -> Path:
    fmt, builder = REBUILT[doc_id]
    layout, published = builder(doc_id)
    check_faithful(doc_id, layout, published)
    path = out_dir / f"{doc_id}.{fmt}"
    WRITERS[fmt](layout, path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ids", nargs="*", help="document ids (default: every rebuilt document)")
    parser.add_argument("--check", action="store_true", help="compare fresh builds with the committed files")
    args = parser.parse_args(argv)
    ids = args.ids or sorted(REBUILT)
    if not args.check:
        for doc_id in ids:
            print(build(doc_id, HERE).relative_to(HERE.parent.parent))
        return 0
    stale = []
    with tempfile.TemporaryDirectory() as tmp:
        for doc_id in ids:
            fresh = build(doc_id, Path(tmp))
            if fresh.read_bytes() != (HERE / fresh.name).read_bytes():
                stale.append(fresh.name)
    if stale:
        print("differs from a fresh build: " + " ".join(stale))
        return 1
    print(f"{len(ids)} rebuilt files match a fresh build")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Word documents (.docx): paragraphs and tables in document order.

python-docx opens the package; the body is walked on its XML so that paragraphs and tables keep
their order, merged cells (w:gridSpan across, w:vMerge down) are filled from their anchor, and a
table nested in a cell is read too. Word repeats a header row marked w:tblHeader on each page by
itself, so it stands once in the file (the mark helps find a header of unknown words); a header
typed again is recognised by its text. A paragraph numbered by Word's automatic list numbering
gets its number as printed (1. / （一）), because a task's number often exists only there. A text box
(a floating shape anchored in a paragraph) is read after the paragraph holding it, as a block of its own:
a task table is sometimes pasted into one. Pictures (inline or floating, in tables too) are read by OCR after
the paragraph or table holding them (see `readers.pictures`): a task list is often pasted as pictures of its
pages. The pictures of the page headers are read before the body and those of the footers after it (a
document number or a title set in the header as a picture), each header or footer once; their text (page
numbers, the running title) is not.
"""

from __future__ import annotations

import logging
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import docx
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from wufei.importers.document import Document, Table
from wufei.importers.readers.grid import GridRow, grid_table, grid_text, is_layout_grid, square
from wufei.importers.records import ImportError_

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from wufei.importers.readers.pictures import Pictures

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": W}
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_V = "urn:schemas-microsoft-com:vml"
EMU_PER_CM = 360_000
_VML_WIDTH = re.compile(r"(?:^|;)\s*width\s*:\s*([\d.]+)\s*(pt|in|cm|mm|px)", re.I)
_CM_PER = {"pt": 2.54 / 72, "in": 2.54, "cm": 1.0, "mm": 0.1, "px": 2.54 / 96}
_SKIP = {f"{{{W}}}txbxContent", f"{{{W}}}del", f"{{{W}}}moveFrom", f"{{{W}}}instrText", f"{{{W}}}delText"}
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


# What python-docx raises on a file that is no Word package; AttributeError on one whose [Content_Types].xml is
# not OOXML's (<Types/> without its namespace).
UNOPENABLE = (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, AttributeError, etree.XMLSyntaxError)


def read_docx(path: Path, *, format: str = "docx") -> Document:
    try:
        package = docx.Document(str(path))
    except UNOPENABLE as exc:
        log.info("python-docx cannot open %s: %r", path, exc)
        raise ImportError_(str(path), "无法打开 Word 文件，文件可能已损坏或不是 .docx 格式") from exc
    numbering = _Numbering(package)
    builder = _Builder(str(path), format, numbering, package)
    headers, footers = _margins(package)
    for part in headers:
        builder.margin_pictures(part)
    builder.block(package.element.body)
    for part in footers:
        builder.margin_pictures(part)
    document = Document(path=str(path), format=format, lines=builder.lines, tables=builder.tables)
    if builder.pictures is not None:
        builder.pictures.flush(builder.lines, builder.tables)
        builder.pictures.finish(document)
    return document


class _Builder:
    def __init__(self, path: str, format: str, numbering: _Numbering, package: docx.document.Document):
        self.path, self.format, self.numbering, self.package = path, format, numbering, package
        self.lines: list[str] = []
        self.tables: list[Table] = []
        self.pictures: Pictures | None = None  # made at the first picture: Pillow, numpy and OCR only then
        self.rels = package.part.rels  # where a picture's relationship id points: the body's, or a header's

    def block(self, parent: etree._Element) -> None:
        """Paragraphs and tables of a body, cell or content control, in order."""
        for child in parent:
            if child.tag == _w("p"):
                text = self.numbering.label(child) + paragraph_text(child)
                if text.strip():
                    self.flush_pictures()
                self.lines.extend(_split_lines(text))
                self.read_pictures(child)
                for box in text_boxes(child):
                    self.block(box)
            elif child.tag == _w("tbl"):
                self.flush_pictures()
                self.table(child)
            elif child.tag in (_w("sdt"), _w("customXml")):
                content = child.find("w:sdtContent", _NS)
                self.block(content if content is not None else child)

    def table(self, tbl: etree._Element) -> None:
        rows, nested = self.grid(tbl)
        rows = square(rows)
        if not rows:
            return
        if is_layout_grid(rows):
            # A box around text (often the whole document set in a one-cell table): read what is inside.
            for tc in tbl.iterfind("w:tr/w:tc", _NS):
                self.block(tc)
            return
        number = len(self.tables) + 1
        floor = self.tables[-1].start_line if self.tables else 0
        self.lines.append("")
        line = len(self.lines)
        self.tables.append(grid_table(rows, line=line, where=f"表{number}", lines_above=self.lines, floor=floor))
        for p in tbl.iterfind("w:tr/w:tc/w:p", _NS):
            self.read_pictures(p)  # pictures in the table's cells, read after it
        for inner in nested:
            self.flush_pictures()
            self.table(inner)

    def margin_pictures(self, part) -> None:
        """The pictures of a header or footer part, read as the body's are, as a run of their own."""
        self.flush_pictures()
        self.rels = part.rels
        try:
            for p in part.element.iter(_w("p")):
                self.read_pictures(p)
        finally:
            self.rels = self.package.part.rels
        self.flush_pictures()

    def read_pictures(self, p: etree._Element) -> None:
        """The pictures shown in a paragraph, in order, handed to OCR."""
        for blob, source, printed_cm, linked in _paragraph_pictures(self.rels, p):
            if self.pictures is None:
                from wufei.importers.readers.pictures import Pictures

                # A file LibreOffice converted may hold pictures of the server's disk (see readers.pictures).
                self.pictures = Pictures(self.path, read=self.format == "docx")
            self.pictures.add(blob, source, printed_cm, linked=linked)

    def flush_pictures(self) -> None:
        if self.pictures is not None:
            self.pictures.flush(self.lines, self.tables)

    def grid(self, tbl: etree._Element) -> tuple[list[GridRow], list[etree._Element]]:
        number = len(self.tables) + 1
        rows: list[GridRow] = []
        anchors: dict[int, str | None] = {}  # grid column -> text of the cell a vMerge continues
        nested: list[etree._Element] = []
        for r, tr in enumerate(tbl.iterfind("w:tr", _NS), start=1):
            cells: list[str | None] = []
            before = tr.find("w:trPr/w:gridBefore", _NS)
            cells += [None] * (int(before.get(_w("val"), "0")) if before is not None else 0)
            spans: list[int] = []
            for tc in tr.iterfind("w:tc", _NS):
                span_el = tc.find("w:tcPr/w:gridSpan", _NS)
                span = int(span_el.get(_w("val"), "1")) if span_el is not None else 1
                merge = tc.find("w:tcPr/w:vMerge", _NS)
                column = len(cells)
                if merge is not None and merge.get(_w("val"), "continue") == "continue":
                    text = anchors.get(column)
                else:
                    text = self.cell_text(tc, nested)
                    anchors[column] = text
                cells += [text] * span
                spans.append(span)
            if len(spans) == 1 and spans[0] > 1 and cells[0] is not None:
                cells = [cells[0]] + [None] * (len(cells) - 1)  # a heading row across the table
            marked = tr.find("w:trPr/w:tblHeader", _NS)
            is_header = marked is not None and marked.get(_w("val"), "true") not in ("0", "false")
            rows.append(GridRow(cells=cells, where=f"表{number}第{r}行", marked_header=is_header))
        return rows, nested

    def cell_text(self, tc: etree._Element, nested: list[etree._Element]) -> str | None:
        parts: list[str] = []
        for child in tc:
            if child.tag == _w("p"):
                parts.append(self.numbering.label(child) + paragraph_text(child))
            elif child.tag == _w("tbl"):
                nested.append(child)
                inner = square(self.grid(child)[0])
                parts.extend(grid_text(inner))
            elif child.tag == _w("sdt"):
                parts.extend(paragraph_text(p) for p in child.iterfind(".//w:p", _NS))
        return "\n".join(parts).strip("\n") or None


def paragraph_text(p: etree._Element) -> str:
    """The text of a paragraph as printed: runs, tabs and line breaks; deleted text and text boxes left out."""
    out: list[str] = []

    def walk(element: etree._Element) -> None:
        for child in element:
            tag = child.tag
            if tag in _SKIP or tag == _FALLBACK:
                continue
            if tag == _w("t"):
                out.append(child.text or "")
            elif tag == _w("tab"):
                out.append("\t")
            elif tag in (_w("br"), _w("cr")):
                if child.get(_w("type")) not in ("page", "column"):
                    out.append("\n")
            elif tag == _w("noBreakHyphen"):
                out.append("-")
            elif tag == _w("sym"):
                out.append(chr(int(child.get(_w("char"), "20"), 16)))
            else:
                walk(child)

    walk(p)
    return "".join(out)


def text_boxes(p: etree._Element) -> list[etree._Element]:
    """The contents (w:txbxContent) of the text boxes anchored in a paragraph, outermost only, once each:
    a DrawingML box's VML copy under mc:Fallback is the same box."""
    boxes: list[etree._Element] = []
    for content in p.iter(_w("txbxContent")):
        ancestor = content.getparent()
        while ancestor is not None and ancestor is not p:
            if ancestor.tag in (_FALLBACK, _w("txbxContent")):
                break
            ancestor = ancestor.getparent()
        else:
            boxes.append(content)
    return boxes


def _margins(package: docx.document.Document) -> tuple[list, list]:
    """The header parts and the footer parts the sections use (first page, odd, even), each once, in order."""
    found: dict[str, list] = {"headerReference": [], "footerReference": []}
    for section in package.element.body.iter(_w("sectPr")):
        for kind, parts in found.items():
            for reference in section.iterfind(f"w:{kind}", _NS):
                part = package.part.related_parts.get(reference.get(f"{{{_R}}}id") or "")
                if part is not None and part not in parts:
                    parts.append(part)
    return found["headerReference"], found["footerReference"]


def _paragraph_pictures(rels, p: etree._Element) -> list[tuple[bytes | None, str, float | None, bool]]:
    """The pictures a paragraph shows (DrawingML, inline or floating, or VML), outside its text boxes and once
    each (a DrawingML picture's VML copy under mc:Fallback is the same picture): each one's bytes (None when it
    is linked, not stored, or not found), its name (a linked one's address), its printed width in centimetres
    when given, and whether it is linked."""
    found: list[tuple[bytes | None, str, float | None, bool]] = []
    for element in p.iter(f"{{{_A}}}blip", f"{{{_V}}}imagedata"):
        ancestor = element.getparent()
        while ancestor is not None and ancestor is not p:
            if ancestor.tag in (_FALLBACK, _w("txbxContent")):
                break
            ancestor = ancestor.getparent()
        else:
            if element.tag == f"{{{_A}}}blip":
                rid = element.get(f"{{{_R}}}embed") or element.get(f"{{{_R}}}link")
                drawing = next((a for a in element.iterancestors(_w("drawing"))), None)
                extent = drawing.find(f".//{{{_WP}}}extent") if drawing is not None else None
                printed = int(extent.get("cx", "0")) / EMU_PER_CM if extent is not None else None
            else:
                rid = element.get(f"{{{_R}}}id")
                shape = element.getparent()
                width = _VML_WIDTH.search(shape.get("style") or "") if shape is not None else None
                printed = float(width.group(1)) * _CM_PER[width.group(2).lower()] if width else None
            if rid:
                blob, source, linked = _picture_part(rels, rid)
                found.append((blob, source, printed or None, linked))
    return found


def _picture_part(rels, rid: str) -> tuple[bytes | None, str, bool]:
    rel = rels.get(rid)
    if rel is None:
        return None, rid, False
    if rel.is_external:
        return None, rel.target_ref, True  # linked at the author's disk or the network: not in the document
    return rel.target_part.blob, rel.target_part.partname.split("/")[-1], False


def _split_lines(text: str) -> list[str]:
    return text.split("\n")


# ------------------------------------------------------------------ numbering

_CHINESE_DIGITS = "〇一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 21 -> 二十一 (up to 999)."""
    if n < 10:
        return _CHINESE_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CHINESE_DIGITS[tens]) + "十" + (_CHINESE_DIGITS[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    tail = "" if rest == 0 else ("零" + _CHINESE_DIGITS[rest] if rest < 10 else chinese_number(rest))
    if 10 <= rest < 20:
        tail = "一" + tail
    return _CHINESE_DIGITS[hundreds] + "百" + tail


def format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "japaneseCounting"):
        return chinese_number(n)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return _CIRCLED[n - 1] if 1 <= n <= len(_CIRCLED) else str(n)
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (n - 1) % 26)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        roman = _roman(n)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L")):
        while n >= value:
            out, n = out + letters, n - value
    for value, letters in ((40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out


class _Numbering:
    """Word's automatic list numbering, counted in document order: the label each numbered paragraph shows."""

    def __init__(self, package: docx.document.Document):
        self.levels: dict[tuple[str, int], tuple[int, str, str]] = {}  # (numId, ilvl) -> (start, numFmt, lvlText)
        self.style_numbering: dict[str, tuple[str, int]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        root = self._numbering_root(package)
        if root is not None:
            self._read_definitions(root)
        self._read_styles(package)

    @staticmethod
    def _numbering_root(package: docx.document.Document) -> etree._Element | None:
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        for rel in package.part.rels.values():
            if rel.reltype == RT.NUMBERING and not rel.is_external:
                return rel.target_part.element
        return None

    def _read_definitions(self, root: etree._Element) -> None:
        abstract: dict[str, dict[int, tuple[int, str, str]]] = {}
        for an in root.iterfind("w:abstractNum", _NS):
            levels: dict[int, tuple[int, str, str]] = {}
            for lvl in an.iterfind("w:lvl", _NS):
                ilvl = int(lvl.get(_w("ilvl"), "0"))
                start = lvl.find("w:start", _NS)
                fmt = lvl.find("w:numFmt", _NS)
                text = lvl.find("w:lvlText", _NS)
                levels[ilvl] = (
                    int(start.get(_w("val"), "1")) if start is not None else 1,
                    fmt.get(_w("val"), "decimal") if fmt is not None else "decimal",
                    text.get(_w("val"), "") if text is not None else "",
                )
            abstract[an.get(_w("abstractNumId"), "")] = levels
        for num in root.iterfind("w:num", _NS):
            num_id = num.get(_w("numId"), "")
            ref = num.find("w:abstractNumId", _NS)
            levels = dict(abstract.get(ref.get(_w("val"), "") if ref is not None else "", {}))
            for override in num.iterfind("w:lvlOverride", _NS):
                ilvl = int(override.get(_w("ilvl"), "0"))
                start = override.find("w:startOverride", _NS)
                if start is not None and ilvl in levels:
                    levels[ilvl] = (int(start.get(_w("val"), "1")), *levels[ilvl][1:])
            for ilvl, level in levels.items():
                self.levels[(num_id, ilvl)] = level

    def _read_styles(self, package: docx.document.Document) -> None:
        try:
            styles = package.styles.element
        except (KeyError, ValueError):
            return
        for style in styles.iterfind("w:style", _NS):
            num_pr = style.find("w:pPr/w:numPr", _NS)
            if num_pr is not None:
                num_id = num_pr.find("w:numId", _NS)
                ilvl = num_pr.find("w:ilvl", _NS)
                if num_id is not None:
                    self.style_numbering[style.get(_w("styleId"), "")] = (
                        num_id.get(_w("val"), ""),
                        int(ilvl.get(_w("val"), "0")) if ilvl is not None else 0,
                    )

    def label(self, p: etree._Element) -> str:
        numbered = self._num_pr(p)
        if numbered is None:
            return ""
        num_id, ilvl = numbered
        level = self.levels.get((num_id, ilvl))
        if level is None or num_id == "0":
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, self.levels[(num_id, ilvl)][0] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        _, fmt, text = level
        if fmt in ("bullet", "none") or not text:
            return ""
        label = text
        for k in range(ilvl + 1):
            value = counters.get(k, self.levels.get((num_id, k), (1, "decimal", ""))[0])
            k_fmt = self.levels.get((num_id, k), (1, "decimal", ""))[1]
            label = label.replace(f"%{k + 1}", format_number(value, k_fmt))
        return label

    def _num_pr(self, p: etree._Element) -> tuple[str, int] | None:
        num_pr = p.find("w:pPr/w:numPr", _NS)
        if num_pr is not None:
            num_id = num_pr.find("w:numId", _NS)
            ilvl = num_pr.find("w:ilvl", _NS)
            if num_id is None:
                return None
            return num_id.get(_w("val"), ""), int(ilvl.get(_w("val"), "0")) if ilvl is not None else 0
        style = p.find("w:pPr/w:pStyle", _NS)
        if style is not None:
            return self.style_numbering.get(style.get(_w("val"), ""))
        return None

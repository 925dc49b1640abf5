"""PDF with a text layer: text and ruled tables, every line with its page.

pypdfium2 (PDFium) gives each character with its box and the ruling lines drawn on the page; a
table is the grid those lines draw, a cell the region its borders enclose (a missing border
between two grid cells merges them, and the merged cell's text fills each). Text outside tables
becomes lines, top to bottom. Page headers, footers and page numbers (the same text at the top or
bottom of most pages, 第3页 / - 3 -) are dropped. A table that goes on at the top of the next page
is joined to the one before, skipping its header printed again there, and a row broken over the page
(its number cell empty) is joined to the row it continues. A wide sheet printed without borders spreads each
row over pages side by side (序号/任务 on one page, 牵头单位/配合单位 on the next, at the same heights): pages
without rules whose rows stand at the same heights under a header row are read as one table, each page's
columns cut where its header's words start.

PDFium was chosen over pdfplumber (pdfminer) because it reads Chinese text about thirty times faster
(a 41-page plan: 0.4 s against 4.9 s), which is what a 200-page plan in under 10 s needs.
"""

from __future__ import annotations

import ctypes
import itertools
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from wufei.importers.document import Document, Row, Table
from wufei.importers.headers import column_roles, is_header_row
from wufei.importers.readers.grid import GridRow, grid_table, is_layout_grid, square
from wufei.importers.records import ImportError_
from wufei.importers.text.normalize import normalize_cell

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from PIL import Image

SCANNED = "该 PDF 没有文字层（可能是扫描件），请提供 Word 版或文字版"
SNAP = 2.0  # points: ruling lines closer than this are one line
MIN_RULE = 4.0  # points: shorter strokes are not table borders
CUT_TOLERANCE = (
    16.0  # points (about a line and a cell margin): a table part ending this close to the lowest table bottom was cut
)
SHORT_CELL = 8  # characters: a column whose cells are mostly this short holds values, not prose
EDGE_BAND = 0.08  # top and bottom share of a page where running headers and footers stand
# A page with fewer characters in its text layer than this whose images cover this share of it is a scan with
# a page number or a stamp added as text: its text is in the images.
SCAN_TEXT_CHARS = 20
SCAN_COVER = 0.5
# A page with no text whose filled paths, character-sized, hold this many segments or more is text turned into
# outlines ("printed" to PDF so): read by OCR like a scan. A Chinese character's outline has 30-120 segments,
# so this is a dozen characters or more; a blank form's rules and boxes are thin or few.
OUTLINED_SEGMENTS = 1000
GLYPH_MAX_POINTS = 72.0  # a path bigger than this either way is no character (a shaded box, a frame)
_PAGE_NUMBER = re.compile(r"^\s*([-—–－]\s*\d+\s*[-—–－]|第\s*\d+\s*页(\s*[/，,]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)\s*$")
_DIGITS = re.compile(r"\d+")


@dataclass
class Char:
    text: str
    x0: float
    y0: float  # top, measured down from the top of the page
    x1: float
    y1: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass
class _Line:
    text: str
    top: float
    bottom: float
    left: float = 0.0
    right: float = 0.0
    size: float = 10.0  # character height


@dataclass
class _PageTable:
    rows: list[GridRow]
    top: float
    bottom: float
    columns: list[float]  # x of the vertical rules, to know a table going on from the page before


@dataclass
class _Page:
    number: int
    height: float
    blocks: list[_Line | _PageTable] = field(default_factory=list)
    # The characters on the page when it draws no rules, and their printed lines: a wide sheet's columns may go on
    # from the page before.
    unruled: list[Char] = field(default_factory=list)
    unruled_rows: list[list[Char]] = field(default_factory=list)


# PDFium's refusals (FPDF_GetLastError) as the user reads them; its English goes to the log.
_CANNOT_OPEN = "无法打开 PDF 文件，文件可能已损坏"
_PDFIUM_REFUSALS = {
    pdfium_c.FPDF_ERR_FILE: "无法打开 PDF 文件（文件无法读取）",
    pdfium_c.FPDF_ERR_FORMAT: "无法打开 PDF 文件：不是 PDF 格式，或文件已损坏、不完整",
    pdfium_c.FPDF_ERR_PASSWORD: "PDF 文件已加密，无法读取，请提供未加密的文件",
    pdfium_c.FPDF_ERR_SECURITY: "PDF 文件已加密（加密方式不受支持），无法读取，请提供未加密的文件",
    pdfium_c.FPDF_ERR_PAGE: "无法打开 PDF 文件：页面已损坏",
}


def read_pdf(path: Path) -> Document:
    if path.stat().st_size == 0:
        raise ImportError_(str(path), "文件为空")
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        log.info("pdfium cannot open %s: %s (error %s)", path, exc, getattr(exc, "err_code", None))
        raise ImportError_(str(path), _PDFIUM_REFUSALS.get(getattr(exc, "err_code", None), _CANNOT_OPEN)) from exc
    try:
        pages: list[_Page] = []
        scans: list[int] = []  # pages with no text but an image: a scan, read by OCR
        for k in range(len(pdf)):
            try:
                page = pdf[k]
            except pdfium.PdfiumError as exc:
                log.info("pdfium cannot load page %d of %s: %s", k + 1, path, exc)
                raise ImportError_(str(path), f"第{k + 1}页已损坏，无法读取") from exc
            laid = _read_page(page, k + 1)
            if laid is None:
                scans.append(k)
            else:
                pages.append(laid)
        if scans:
            return _read_scans(path, pdf, scans, pages)
    finally:
        pdf.close()
    if not any(page.blocks for page in pages):
        raise ImportError_(str(path), SCANNED)
    return pages_document(str(path), pages)


def _read_scans(path: Path, pdf: pdfium.PdfDocument, scans: list[int], pages: list[_Page]) -> Document:
    """A PDF some of whose pages are scans: those are rendered and read by OCR, the others as text."""
    from wufei.importers.readers import ocr  # Pillow, numpy and the tesseract program: only for scans

    def render(number: int) -> tuple[Image.Image, float]:
        page = pdf[number - 1]
        try:
            width, height = (side * 25.4 / 72 for side in page.get_size())
            dpi = ocr.fitting_dpi(width, height, ocr.DPI, str(path), number)
            return page.render(scale=dpi / 72, grayscale=True).to_pil(), dpi
        finally:
            page.close()

    return ocr.read_scanned_pages(str(path), [k + 1 for k in scans], render, pages)


def pages_document(path: str, pages: list[_Page]) -> Document:
    """The document of laid-out pages (a PDF's, or an OFD's read the same way)."""
    _sheets_side_by_side(pages)
    _drop_running_lines(pages)
    return _assemble(path, pages)


# ------------------------------------------------------------------ one page


def _read_page(page: pdfium.PdfPage, number: int) -> _Page | None:
    """The page laid out; None for a scan, which OCR reads: no text and an image drawn, or images covering most
    of the page and hardly any text (a page number stamped on a scanned page), or no text and its characters
    drawn as outlines."""
    width, height = page.get_size()
    chars = _chars(page, height)
    if _is_scan(page, chars, width, height) or (not chars and _is_outlined(page)):
        page.close()
        return None
    horizontal, vertical = _rules(page, height)
    page.close()
    return layout_page(number, width, height, chars, horizontal, vertical)


def _is_scan(page: pdfium.PdfPage, chars: list[Char], width: float, height: float) -> bool:
    images = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3))
    covered = 0.0
    for image in images:
        left, bottom, right, top = image.get_bounds()
        covered += max(min(right, width) - max(left, 0.0), 0.0) * max(min(top, height) - max(bottom, 0.0), 0.0)
    return bool(images) and is_scan(chars, covered, width * height)


def _is_outlined(page: pdfium.PdfPage) -> bool:
    """Whether a page's filled, character-sized paths hold OUTLINED_SEGMENTS segments or more: its text was
    turned into outlines (glyph shapes), with no text layer to read."""
    segments = 0
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=3):
        left, bottom, right, top = obj.get_bounds()
        if not (SNAP < right - left <= GLYPH_MAX_POINTS and SNAP < top - bottom <= GLYPH_MAX_POINTS):
            continue  # a rule, or bigger than a character
        fill, stroked = ctypes.c_int(), ctypes.c_int()
        pdfium_c.FPDFPath_GetDrawMode(obj.raw, ctypes.byref(fill), ctypes.byref(stroked))
        if fill.value:
            segments += pdfium_c.FPDFPath_CountSegments(obj.raw)
            if segments >= OUTLINED_SEGMENTS:
                return True
    return False


def is_scan(chars: list[Char], image_area: float, page_area: float) -> bool:
    """Whether a page that draws images (`image_area` of its `page_area`, clipped to the page) is a scan to read
    by OCR: no text, or hardly any (a stamped page number) over images covering most of it."""
    if not chars:
        return True
    sparse = sum(1 for char in chars if not char.text.isspace()) < SCAN_TEXT_CHARS
    return sparse and image_area >= SCAN_COVER * page_area


Rule = tuple[float, float, float]  # a horizontal (y, x0, x1) or vertical (x, y0, y1) ruling line, in points


def layout_page(
    number: int, width: float, height: float, chars: list[Char], horizontal: list[Rule], vertical: list[Rule]
) -> _Page:
    """A page's lines and ruled tables, top to bottom, from its characters and ruling lines (points, y
    measured down from the top of the page)."""
    chars = [char for char in chars if char.x1 > 0 and char.x0 < width]  # not clipped off the page
    tables = tables_of(horizontal, vertical)
    result = _Page(number=number, height=height, unruled=chars if not horizontal and not vertical else [])
    placed: list[tuple[float, _Line | _PageTable]] = []
    free: list[Char] = []
    for char in chars:
        # The innermost grid holding it: a frame ruled round a page holds its table too.
        box = min(
            (t for t in tables if t.contains(char)), key=lambda t: (t.right - t.left) * (t.bottom - t.top), default=None
        )
        if box is None:
            free.append(char)
        else:
            box.chars.append(char)
    for grid in tables:
        rows = square(grid.rows(number))
        if is_layout_grid(rows):
            free.extend(grid.chars)
            continue
        placed.append((grid.top, _PageTable(rows=rows, top=grid.top, bottom=grid.bottom, columns=grid.xs)))
    grouped = _group_lines(free)
    if result.unruled:
        result.unruled_rows = [line for line in grouped if "".join(c.text for c in line).strip()]
    for line in _lines(free, grouped):
        placed.append((line.top, line))
    placed.sort(key=lambda item: item[0])
    result.blocks = [block for _, block in placed]
    return result


def _chars(page: pdfium.PdfPage, height: float) -> list[Char]:
    textpage = page.get_textpage()
    count = textpage.count_chars()
    text = textpage.get_text_range(0, count) if count else ""
    chars: list[Char] = []
    if len(text) != count:  # characters outside the BMP: read one at a time
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, k)) for k in range(count))
    for k, ch in enumerate(text):
        if ch == "\ufffe":
            ch = "-"  # PDFium's mark for a hyphen a line broke at
        if ch in "\r\n" or pdfium_c.FPDFText_IsGenerated(textpage.raw, k) == 1:
            continue
        left, bottom, right, top = textpage.get_charbox(k, loose=True)
        chars.append(Char(ch, left, height - top, right, height - bottom))
    textpage.close()
    return chars


def _rules(
    page: pdfium.PdfPage, height: float
) -> tuple[list[tuple[float, float, float]], list[tuple[float, float, float]]]:
    """Ruling lines: horizontal (y, x0, x1) and vertical (x, y0, y1), y measured down from the top."""
    horizontal: list[tuple[float, float, float]] = []
    vertical: list[tuple[float, float, float]] = []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=3):
        left, bottom, right, top = obj.get_bounds()
        w, h = right - left, top - bottom
        y0, y1 = height - top, height - bottom
        if h <= SNAP and w >= MIN_RULE:
            horizontal.append(((y0 + y1) / 2, left, right))
        elif w <= SNAP and h >= MIN_RULE:
            vertical.append(((left + right) / 2, y0, y1))
        elif w >= MIN_RULE and h >= MIN_RULE and _is_rectangle(obj):
            # A cell drawn as a box: its four sides.
            horizontal += [(y0, left, right), (y1, left, right)]
            vertical += [(left, y0, y1), (right, y0, y1)]
    return horizontal, vertical


def _is_rectangle(obj: pdfium.PdfObject) -> bool:
    segments = pdfium_c.FPDFPath_CountSegments(obj.raw)
    fill, stroked = ctypes.c_int(), ctypes.c_int()
    pdfium_c.FPDFPath_GetDrawMode(obj.raw, ctypes.byref(fill), ctypes.byref(stroked))
    return segments in (4, 5) and bool(stroked.value)


def _snap(values: list[float]) -> list[float]:
    out: list[float] = []
    for value in sorted(values):
        if out and value - out[-1] <= SNAP:
            continue
        out.append(value)
    return out


class _Grid:
    """The cells ruled by one connected set of lines."""

    def __init__(self, ys: list[float], xs: list[float], horizontal, vertical):
        self.ys, self.xs = ys, xs
        self.horizontal, self.vertical = horizontal, vertical
        self.top, self.bottom, self.left, self.right = ys[0], ys[-1], xs[0], xs[-1]
        self.chars: list[Char] = []

    def contains(self, char: Char) -> bool:
        return self.left <= char.cx <= self.right and self.top <= char.cy <= self.bottom

    def _has_vertical(self, x: float, y0: float, y1: float) -> bool:
        mid = (y0 + y1) / 2
        return any(abs(vx - x) <= SNAP and a - SNAP <= mid <= b + SNAP for vx, a, b in self.vertical)

    def _has_horizontal(self, y: float, x0: float, x1: float) -> bool:
        mid = (x0 + x1) / 2
        return any(abs(hy - y) <= SNAP and a - SNAP <= mid <= b + SNAP for hy, a, b in self.horizontal)

    def rows(self, page: int) -> list[GridRow]:
        n_rows, n_cols = len(self.ys) - 1, len(self.xs) - 1
        anchor = self.anchors()
        texts: dict[int, list[Char]] = {}
        for char in self.chars:
            r = _index(self.ys, char.cy)
            c = _index(self.xs, char.cx)
            texts.setdefault(anchor[r * n_cols + c], []).append(char)
        rows: list[GridRow] = []
        for r in range(n_rows):
            anchors = anchor[r * n_cols : (r + 1) * n_cols]
            cells = [_cell_text(texts.get(a, [])) for a in anchors]
            if len(set(anchors)) == 1 and n_cols > 1:
                cells = [cells[0]] + [None] * (n_cols - 1)  # a heading row across the table
            rows.append(GridRow(cells=cells, where=f"第{page}页表{{table}}第{r + 1}行"))
        return rows

    def cells(self) -> list[tuple[float, float, float, float]]:
        """The box (x0, y0, x1, y1) of each cell, merged cells as one."""
        n_cols = len(self.xs) - 1
        boxes: dict[int, tuple[float, float, float, float]] = {}
        for k, a in enumerate(self.anchors()):
            r, c = divmod(k, n_cols)
            box = (self.xs[c], self.ys[r], self.xs[c + 1], self.ys[r + 1])
            known = boxes.get(a, box)
            boxes[a] = (min(known[0], box[0]), min(known[1], box[1]), max(known[2], box[2]), max(known[3], box[3]))
        return list(boxes.values())

    def anchors(self) -> list[int]:
        """For each grid cell, row by row, the first grid cell of the merged cell it belongs to: a missing
        border between two grid cells merges them."""
        n_rows, n_cols = len(self.ys) - 1, len(self.xs) - 1
        parent = list(range(n_rows * n_cols))

        def find(k: int) -> int:
            while parent[k] != k:
                parent[k] = parent[parent[k]]
                k = parent[k]
            return k

        def union(a: int, b: int) -> None:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)

        for r in range(n_rows):
            for c in range(n_cols):
                if c + 1 < n_cols and not self._has_vertical(self.xs[c + 1], self.ys[r], self.ys[r + 1]):
                    union(r * n_cols + c, r * n_cols + c + 1)
                if r + 1 < n_rows and not self._has_horizontal(self.ys[r + 1], self.xs[c], self.xs[c + 1]):
                    union(r * n_cols + c, (r + 1) * n_cols + c)
        return [find(k) for k in range(n_rows * n_cols)]


def _index(bounds: list[float], value: float) -> int:
    for k in range(len(bounds) - 1):
        if value <= bounds[k + 1]:
            return k
    return len(bounds) - 2


def tables_of(horizontal: list[Rule], vertical: list[Rule]) -> list[_Grid]:
    """Connected sets of ruling lines that draw at least a 2×2 grid."""
    edges = [("h", e) for e in horizontal] + [("v", e) for e in vertical]
    parent = list(range(len(edges)))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    hs = [k for k, (kind, _) in enumerate(edges) if kind == "h"]
    vs = [k for k, (kind, _) in enumerate(edges) if kind == "v"]
    for i in hs:
        y, x0, x1 = edges[i][1]
        for j in vs:
            x, y0, y1 = edges[j][1]
            if x0 - SNAP <= x <= x1 + SNAP and y0 - SNAP <= y <= y1 + SNAP:
                ri, rj = find(i), find(j)
                if ri != rj:
                    parent[ri] = rj
    groups: dict[int, list[int]] = {}
    for k in range(len(edges)):
        groups.setdefault(find(k), []).append(k)
    grids: list[_Grid] = []
    for members in groups.values():
        h = [edges[k][1] for k in members if edges[k][0] == "h"]
        v = [edges[k][1] for k in members if edges[k][0] == "v"]
        ys = _snap([e[0] for e in h])
        xs = _snap([e[0] for e in v])
        if len(ys) >= 2 and len(xs) >= 2:
            grids.append(_Grid(ys, xs, h, v))
    return grids


def _group_lines(chars: list[Char]) -> list[list[Char]]:
    """Characters in reading order, grouped into printed lines."""
    lines: list[list[Char]] = []
    for char in sorted(chars, key=lambda ch: (ch.cy, ch.x0)):
        if lines:
            last = lines[-1]
            height = max(last[0].y1 - last[0].y0, 1.0)
            if abs(char.cy - last[0].cy) <= height * 0.5:
                last.append(char)
                continue
        lines.append([char])
    for line in lines:
        line.sort(key=lambda ch: ch.x0)
    return lines


def _join(line: list[Char]) -> str:
    out = ""
    previous: Char | None = None
    for char in line:
        gap = previous is not None and char.x0 - previous.x1 > max(previous.y1 - previous.y0, 1.0) * 0.15
        if gap and not out.endswith(" ") and not char.text.isspace():
            out += " "  # words set apart by position, without a space character
        out += char.text
        previous = char
    # A space the line ends on is kept: a cell's line may break at the space between two names.
    return out.lstrip().rstrip() + (" " if out[-1:].isspace() else "")


def _cell_text(chars: list[Char]) -> str | None:
    return "\n".join(_join(line) for line in _group_lines(chars)) or None


def _lines(chars: list[Char], grouped: list[list[Char]] | None = None) -> list[_Line]:
    """Printed lines, a paragraph's lines joined again: a line that runs to the right edge of the text and
    is followed closely by a line that is not indented goes on in it."""
    lines = [
        _Line(
            _join(line).strip(),
            min(c.y0 for c in line),
            max(c.y1 for c in line),
            line[0].x0,
            line[-1].x1,
            max(c.y1 - c.y0 for c in line),
        )
        for line in (grouped if grouped is not None else _group_lines(chars))
    ]
    lines = [line for line in lines if line.text]
    if not lines:
        return lines
    left = min(line.left for line in lines)
    right = max(line.right for line in lines)
    out: list[_Line] = [lines[0]]
    for line in lines[1:]:
        last = out[-1]
        full = last.right >= right - 1.5 * last.size
        close = line.top - last.bottom <= 0.8 * last.size
        indented = line.left > left + 0.8 * line.size
        if full and close and not indented and not _PAGE_NUMBER.match(line.text):
            last.text += line.text if _cjk_joint(last.text, line.text) else " " + line.text
            last.bottom, last.right = line.bottom, line.right
            continue
        out.append(line)
    return out


def _cjk_joint(before: str, after: str) -> bool:
    """Whether two pieces of a wrapped line join without a space (Chinese on either side)."""
    return before.endswith("-") or not (
        before[-1:].isascii() and before[-1:].isalnum() and after[:1].isascii() and after[:1].isalnum()
    )


# ------------------------------------------------------------- whole document

ROW_TOLERANCE = 4.0  # points: rows of one sheet printed on pages side by side stand this close in height
_MIN_SHEET_ROWS = 2  # data rows under the header, on every page of the sheet


def _sheets_side_by_side(pages: list[_Page]) -> None:
    """Unruled pages printing one wide sheet side by side become one table on the first page of the run."""
    rows = [page.unruled_rows for page in pages]
    k = 0
    while k < len(pages):
        end = k + 1
        while end < len(pages) and rows[k] and _same_rows(rows[k], rows[end]):
            end += 1
        if end - k > 1 and (found := _side_by_side_table(pages[k:end], rows[k:end])) is not None:
            table, header_top = found
            for page in pages[k:end]:
                # What stands above the header (the sheet's title on its first page) stays text; the rows are the table.
                page.blocks = list(_lines([char for char in page.unruled if char.y1 <= header_top]))
            pages[k].blocks.append(table)
        k = end


def _same_rows(before: list[list[Char]], after: list[list[Char]]) -> bool:
    """Whether a page's rows stand at the heights of the page before's (its header and at least two data rows):
    the columns of one sheet printed side by side."""
    tops = [min(c.y0 for c in row) for row in before]
    matched = [any(abs(min(c.y0 for c in row) - top) <= ROW_TOLERANCE for top in tops) for row in after]
    return len(after) > _MIN_SHEET_ROWS and all(matched)


def _side_by_side_table(run: list[_Page], pages_rows: list[list[list[Char]]]) -> tuple[_PageTable, float] | None:
    """The sheet's rows (cells of every page, left to right) under the header row they all start with, and the
    header's height; None when the first rows the pages share do not read as a table header."""
    last_rows = pages_rows[-1]
    header_top = min(c.y0 for c in last_rows[0])  # the title, if any, is printed above on the first pages only
    columns_per_page = []
    for rows in pages_rows:
        header = next((row for row in rows if abs(min(c.y0 for c in row) - header_top) <= ROW_TOLERANCE), None)
        if header is None:
            return None
        columns_per_page.append(_word_starts(header))
    tops = [min(c.y0 for c in row) for row in last_rows]
    grid: list[list[str | None]] = []
    for top in tops:
        cells: list[str | None] = []
        for rows, starts in zip(pages_rows, columns_per_page):
            row = next((r for r in rows if abs(min(c.y0 for c in r) - top) <= ROW_TOLERANCE), [])
            parts: list[list[Char]] = [[] for _ in starts]
            for char in row:
                column = max((j for j, x in enumerate(starts) if char.x0 >= x - 2.0), default=0)
                parts[column].append(char)
            cells += [_join(part).strip() or None if part else None for part in parts]
        grid.append(cells)
    if not is_header_row(grid[0]):
        return None
    where = f"第{run[0].number}-{run[-1].number}页表{{table}}"
    grid_rows = [GridRow(cells=cells, where=f"{where}第{r + 1}行") for r, cells in enumerate(grid)]
    bottom = max(c.y1 for c in last_rows[-1])
    return _PageTable(rows=square(grid_rows), top=header_top, bottom=bottom, columns=[]), header_top


def _word_starts(header: list[Char]) -> list[float]:
    """Where each word of a header row starts: a gap wider than a character parts two columns' words."""
    starts = [header[0].x0]
    for before, char in itertools.pairwise(header):
        if char.x0 - before.x1 > max(before.y1 - before.y0, 1.0):
            starts.append(char.x0)
    return starts


def _drop_running_lines(pages: list[_Page]) -> None:
    """Page numbers, and lines printed at the top or bottom of most pages (running headers, footers).

    A bare number at the top or bottom of a page is a page number only when such numbers follow the
    pages (n on page n, or n + k on page n on most pages): a table's 14 standing there is kept."""
    seen: Counter[str] = Counter()
    offsets: Counter[int] = Counter()
    for page in pages:
        for block in page.blocks:
            if isinstance(block, _Line) and _in_edge_band(block, page):
                seen[_DIGITS.sub("#", block.text.strip())] += 1
                if block.text.strip().isdigit():
                    offsets[int(block.text) - page.number] += 1
    # On most of three pages or more; on both pages of a two-page document (the office's name over each).
    running = {text for text, n in seen.items() if n >= (max(3, len(pages) // 2) if len(pages) >= 3 else 2)}
    running.discard("#")
    offset, count = offsets.most_common(1)[0] if offsets else (0, 0)
    numbered = count >= max(2, len(pages) // 2)

    def dropped(block: _Line | _PageTable, page: _Page) -> bool:
        if not isinstance(block, _Line) or not _in_edge_band(block, page):
            return False
        text = block.text.strip()
        if text.isdigit():
            return numbered and int(text) - page.number == offset
        return bool(_PAGE_NUMBER.match(text)) or _DIGITS.sub("#", text) in running

    for page in pages:
        page.blocks = [block for block in page.blocks if not dropped(block, page)]


def _in_edge_band(line: _Line, page: _Page) -> bool:
    return line.bottom <= page.height * EDGE_BAND * 1.5 or line.top >= page.height * (1 - EDGE_BAND)


def _assemble(path: str, pages: list[_Page]) -> Document:
    lines: list[str] = []
    line_pages: list[int] = []
    tables: list[Table] = []
    # The last table, while nothing but it has followed: the table, its last part, and the rows printed above
    # its data (title and header rows), which a page repeats at its top.
    open_table: tuple[Table, _PageTable, list[list[str | None]]] | None = None
    # The lowest a table reaches on any page: a table part that ends there was cut by the page end.
    body_bottom = max((b.bottom for page in pages for b in page.blocks if isinstance(b, _PageTable)), default=0.0)
    for page in pages:
        on_page = 0
        for k, block in enumerate(page.blocks):
            if isinstance(block, _Line):
                lines.append(block.text)
                line_pages.append(page.number)
                open_table = None
                continue
            on_page += 1
            for row in block.rows:
                row.where = row.where.replace("{table}", str(on_page))
            if k == 0 and open_table is not None and _goes_on(open_table[1], block):
                cut = open_table[1].bottom >= max(body_bottom - CUT_TOLERANCE, page.height * 0.8)
                _continue_table(open_table[0], block, open_table[2], cut=cut)
                open_table = (open_table[0], block, open_table[2])
                continue
            floor = tables[-1].start_line if tables else 0
            lines.append("")
            line_pages.append(page.number)
            table = grid_table(
                block.rows,
                line=len(lines),
                where=f"第{page.number}页表{on_page}",
                lines_above=lines,
                floor=floor,
                typed_breaks=False,  # a cell's lines wrap where the column ends
            )
            tables.append(table)
            open_table = (table, block, _head_rows(table, block))
    return Document(path=path, format="pdf", lines=lines, tables=tables, pages=line_pages)


def _goes_on(before: _PageTable, after: _PageTable) -> bool:
    """Whether a table at the top of a page continues the table that ended the page before: same columns."""
    if len(before.columns) != len(after.columns) or len(before.rows[0].cells) != len(after.rows[0].cells):
        return False  # (a column empty on one page is dropped from its rows)
    return all(abs(a - b) <= 3 * SNAP for a, b in zip(before.columns, after.columns))


def _head_rows(table: Table, part: _PageTable) -> list[list[str | None]]:
    """The rows a table's first part prints above its data: its title and header rows (all of them when it
    has no data row yet), and the header as read."""
    first_data = next((k for k, row in enumerate(part.rows) if table.rows and row.where == table.rows[0].where), None)
    heads = [[normalize_cell(c) for c in row.cells] for row in part.rows[:first_data]]
    return [*heads, [h or None for h in table.header]]


def _continue_table(table: Table, part: _PageTable, heads: list[list[str | None]], *, cut: bool) -> None:
    """Rows of a table's part on the next page joined to it, the title and header rows the page prints again
    at its top skipped; `cut` when the part before ran to the page end, so that its last row may go on here."""
    header = table.header
    rows = part.rows
    number_column = next((k for k, role in enumerate(column_roles(header)) if role == "number"), None)
    repeated = 0
    while repeated < min(len(rows), len(heads)) and [normalize_cell(c) for c in rows[repeated].cells] in heads:
        repeated += 1
    for k, grid_row in enumerate(rows[repeated:], start=repeated):
        cells = [normalize_cell(c) for c in grid_row.cells]
        if not any(cells):
            continue
        first = k == repeated
        if first and _broken_row(table, cells, number_column, cut=cut):
            _join_row(table.rows[-1], grid_row.cells)
            continue
        table.rows.append(Row(cells=cells, line=table.start_line, raw=list(grid_row.cells), where=grid_row.where))


def _broken_row(table: Table, cells: list[str | None], number_column: int | None, *, cut: bool) -> bool:
    """Whether the first row on a page is the rest of the row before it, broken over the page: it has no
    number, and either the part before ran to the end of the page, or most short cells the row before
    fills (deadline, unit, values) are empty in it (short cells end on the page before, long ones go on)."""
    if not table.rows:
        return False
    number = cells[number_column] if number_column is not None else None
    if cut and number_column is not None:
        return number is None
    if cut:
        # No number to tell: a row broken over the page leaves empty here a cell it finished on the page
        # before (its short owner cell), a row of its own fills the cells the row before filled.
        before = table.rows[-1].cells
        return any(before[k] is not None and cells[k] is None for k in range(len(cells)))
    if number_column is None or number is not None:
        return False
    before = table.rows[-1].cells
    short = [k for k in range(len(cells)) if k != number_column and before[k] is not None and _short_column(table, k)]
    empty = [k for k in short if cells[k] is None]
    return bool(short) and len(empty) * 3 >= len(short) * 2


def _short_column(table: Table, k: int) -> bool:
    lengths = sorted(len(row.cells[k] or "") for row in table.rows if row.cells[k])
    return bool(lengths) and lengths[len(lengths) // 2] <= SHORT_CELL


def _join_row(row: Row, more: list[str | None]) -> None:
    raw = [a if b is None else (b if a is None else f"{a}\n{b}") for a, b in zip(row.raw, more)]
    row.raw = raw
    row.cells = [normalize_cell(c) for c in raw]

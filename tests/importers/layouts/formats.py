"""A laid-out page written the way publishers make each format.

- .docx: python-docx, A4 portrait, real tables with merges as Word writes them (w:vMerge down, w:gridSpan
  across), the title and header rows marked to repeat on each page (w:tblHeader), lines inside a cell as
  paragraphs;
- .pdf: LibreOffice headless from that .docx (how most published PDFs are made; many files, one run);
- .html: as a government CMS writes an article: the body in div.TRS_Editor among menus and a footer,
  `<p>` per line (in cells too), `&nbsp;` in empty cells and as indentation, rowspan/colspan, no <th>;
- .txt: what a browser copies from that page (the article selected in Chromium, its selection's text);
- .xlsx: openpyxl, the title in a merged first row, the header on row 2 (2–3 when it has two rows);
- .csv: the same sheet as Excel saves CSV on Chinese Windows: GBK, a merged cell's text in its first cell.

Every writer is deterministic: fixed document properties, zip members stamped 1980-01-01, and the PDF's
dates and identifier replaced by fixed values of the same length.
"""

from __future__ import annotations

import csv
import html
import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

import docx
import openpyxl
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl.styles import Alignment

from tests.chromium import CHROMIUM
from tests.corpus.build import fixed_zip
from tests.importers.layouts.layouts import Grid, Page

FORMATS = ("docx", "pdf", "html", "txt", "xlsx", "csv")
SHEET_FORMATS = ("xlsx", "csv")  # formats that hold a table only (no prose layouts)
FIXED_TIME = datetime(2000, 1, 1)


# --------------------------------------------------------------------------- grid helpers


def _covered(grid: Grid) -> dict[tuple[int, int], tuple[int, int, int, int]]:
    """Grid positions under a merge (the anchor excluded) -> the merge."""
    out = {}
    for merge in grid.merges:
        r0, c0, r1, c1 = merge
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    out[(r, c)] = merge
    return out


def _printed_rows(grid: Grid) -> Iterator[int]:
    """Row indexes as a format without pages prints them: the header rows typed again every
    `typed_repeat` data rows (the layouts that repeat it have no merges below the header)."""
    first_data = grid.title_rows + grid.header_rows
    yield from range(first_data)
    for k, r in enumerate(range(first_data, len(grid.cells))):
        if grid.typed_repeat and k and k % grid.typed_repeat == 0:
            yield from range(grid.title_rows, first_data)
        yield r


# --------------------------------------------------------------------------- Word


def write_docx(page: Page, path: Path) -> Path:
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Cm(2.5))
    style = document.styles["Normal"]
    style.font.size = Pt(12)
    style.font.name = "Noto Serif CJK SC"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Serif CJK SC")
    props = document.core_properties
    props.author = props.last_modified_by = ""
    props.created = props.modified = props.last_printed = FIXED_TIME
    props.revision = 1
    for k, block in enumerate(page.blocks):
        if isinstance(block, Grid):
            _docx_table(document, block)
            continue
        paragraph = document.add_paragraph(block)
        if k == 0:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.runs[0].bold = True
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(fixed_zip(buffer.getvalue()))
    return path


def _docx_table(document: docx.document.Document, grid: Grid) -> None:
    table = document.add_table(rows=len(grid.cells), cols=grid.width)
    table.style = "Table Grid"
    for r, values in enumerate(grid.cells):
        cells = table.rows[r].cells
        for c, value in enumerate(values):
            if value is None:
                continue
            lines = value.split("\n")
            cells[c].paragraphs[0].text = lines[0]
            for line in lines[1:]:
                cells[c].add_paragraph(line)
    for r0, c0, r1, c1 in grid.merges:
        table.cell(r0, c0).merge(table.cell(r1, c1))  # w:gridSpan across, w:vMerge down
    for r in range(grid.title_rows + grid.header_rows):
        table.rows[r]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


# --------------------------------------------------------------------------- PDF


_PDF_DATE = re.compile(rb"\(D:\d{14}[^)]*\)")
_PDF_ID = re.compile(rb"(/ID\s*\[\s*<[0-9A-Fa-f]+>\s*<[0-9A-Fa-f]+>\s*\]|/DocChecksum\s*/[0-9A-Fa-f]+)")


def write_pdfs(sources: Iterable[Path], out_dir: Path, *, timeout: int = 1200) -> list[Path]:
    """Each Word file printed to PDF by LibreOffice headless (one run for all, in a profile of its own)."""
    sources = list(sources)
    if not sources:
        return []
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) is needed to make the PDF files")
    with tempfile.TemporaryDirectory(prefix="wufei-lo-") as profile:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out_dir),
                *map(str, sources),
            ],
            check=True,
            capture_output=True,
            timeout=timeout,
        )
    out = []
    for source in sources:
        pdf = out_dir / f"{source.stem}.pdf"
        data = _PDF_DATE.sub(lambda m: b"(D:20000101000000" + b"Z" * (len(m.group(0)) - 18) + b")", pdf.read_bytes())
        data = _PDF_ID.sub(lambda m: re.sub(rb"[0-9A-Fa-f]{16,}", lambda h: b"0" * len(h.group(0)), m.group(0)), data)
        pdf.write_bytes(data)
        out.append(pdf)
    return out


# --------------------------------------------------------------------------- web page


_CELL_STYLE = "border:1px solid #000;padding:0 5px"
_SPAN = '<span style="font-family:仿宋_GB2312;font-size:14px">{}</span>'


def article_html(page: Page) -> str:
    """The article body as a CMS editor writes it."""
    out: list[str] = []
    for k, block in enumerate(page.blocks):
        if isinstance(block, Grid):
            out.append(_html_table(block))
        elif k == 0:
            out.append(f'<p style="text-align:center"><strong>{html.escape(block)}</strong></p>')
        elif block[:1] in "（0123456789" or block.startswith(("牵头单位", "配合单位")):
            out.append(f"<p>&nbsp;&nbsp;&nbsp;&nbsp;{html.escape(block)}</p>")  # indented with spaces
        else:
            out.append(f'<p style="text-indent:2em">{_SPAN.format(html.escape(block))}</p>')
    return "\n".join(out)


def _html_table(grid: Grid) -> str:
    covered = _covered(grid)
    spans = {(m[0], m[1]): m for m in grid.merges}
    rows = ['<table border="1" cellspacing="0" cellpadding="0" width="100%" style="border-collapse:collapse">']
    rows.append("<tbody>")
    for r in _printed_rows(grid):
        cells = []
        for c, value in enumerate(grid.cells[r]):
            if (r, c) in covered:
                continue
            attrs = f' style="{_CELL_STYLE}" valign="center"'
            if (r, c) in spans:
                r0, c0, r1, c1 = spans[(r, c)]
                attrs += f' rowspan="{r1 - r0 + 1}"' if r1 > r0 else ""
                attrs += f' colspan="{c1 - c0 + 1}"' if c1 > c0 else ""
            if value is None:
                body = "<p>&nbsp;</p>"
            else:
                header = r < grid.title_rows + grid.header_rows
                lines = (html.escape(line) for line in value.split("\n"))
                if header:
                    lines = (f"<strong>{line}</strong>" for line in lines)
                body = "".join(f"<p>{_SPAN.format(line)}</p>" for line in lines)
            cells.append(f"<td{attrs}>{body}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    rows += ["</tbody>", "</table>"]
    return "\n".join(rows)


def write_html(page: Page, path: Path) -> Path:
    text = f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{html.escape(page.title)}_某某市人民政府门户网站</title>
<script>var _hmt = _hmt || [];</script></head>
<body>
<div class="header"><div class="logo">某某市人民政府</div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/hdjl/">互动交流</a></li></ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 政府文件</div>
<div class="article"><div class="content" id="zoom"><div class="TRS_Editor">
{article_html(page)}
</div></div></div>
<div class="footer"><p>主办：某某市人民政府办公室</p><p>网站标识码：1234000001</p></div>
</body></html>
"""
    path.write_text(text, encoding="utf-8")
    return path


# The article selected as a person selects it before Ctrl+C; the selection's text is what the copy holds.
_SELECT_ARTICLE = """() => {
    const range = document.createRange();
    range.selectNodeContents(document.querySelector("div.TRS_Editor"));
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    return selection.toString();
}"""


class Browser:
    """Headless Chromium (through Playwright) that copies a page's article text as a person does."""

    def __enter__(self) -> Browser:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        self._page = self._browser.new_page()
        return self

    def __exit__(self, *exc: object) -> None:
        self._browser.close()
        self._playwright.stop()

    def copy_text(self, html_path: Path, out: Path) -> Path:
        self._page.goto(html_path.resolve().as_uri())
        text = self._page.evaluate(_SELECT_ARTICLE)
        out.write_text(text + "\n", encoding="utf-8")
        return out


# --------------------------------------------------------------------------- spreadsheets


def _sheet_rows(page: Page) -> tuple[list[list[str | None]], list[tuple[int, int, int, int]], Grid]:
    """The table as a publisher's sheet: a merged title row first (the table's own, or the plan's title),
    then the header and the data; merges shifted with it."""
    grid = page.grid
    assert grid is not None, "a spreadsheet holds a table"
    order = list(_printed_rows(grid))
    rows = [list(grid.cells[r]) for r in order]
    where = {r: k for k, r in enumerate(order)}  # first printed place of each grid row
    merges = [(where[r0], c0, where[r0] + (r1 - r0), c1) for r0, c0, r1, c1 in grid.merges]
    if not grid.title_rows:
        rows.insert(0, [page.title] + [None] * (grid.width - 1))
        merges = [(0, 0, 0, grid.width - 1)] + [(r0 + 1, c0, r1 + 1, c1) for r0, c0, r1, c1 in merges]
    return rows, merges, grid


def write_xlsx(page: Page, path: Path) -> Path:
    rows, merges, _ = _sheet_rows(page)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    book.properties.creator = ""
    book.properties.created = book.properties.modified = FIXED_TIME
    wrap = Alignment(wrap_text=True, vertical="center")
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            if value is not None:
                sheet.cell(r, c, value).alignment = wrap
    for r0, c0, r1, c1 in merges:
        sheet.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(fixed_zip(_rezip_modified(buffer.getvalue())))
    return path


def _rezip_modified(data: bytes) -> bytes:
    """The workbook with its save time (docProps/core.xml, written by openpyxl at save) fixed."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>2000-01-01T00:00:00Z\g<2>", content
                )
            dst.writestr(info.filename, content)
    return out.getvalue()


def write_csv(page: Page, path: Path) -> Path:
    rows, _, _ = _sheet_rows(page)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for values in rows:
        writer.writerow(["" if v is None else v for v in values])
    path.write_bytes(buffer.getvalue().encode("gbk"))
    return path

"""The four forms of a `Document`: Markdown and HTML from the Jinja templates in
`templates/`, Word .docx laid out like an official document (GB/T 9704 style), and the .xlsx
annex (every table of the document and the ledger rows behind them, one sheet each).

Renderers are pure functions of the document: the same snapshot gives the same Markdown and
HTML bytes and the same .docx/.xlsx text (their zip containers carry the snapshot's date, not
the time of writing).
"""

from __future__ import annotations

import base64
import os
import re
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from wufei.bulletins.document import Chart, Document, Paragraph, Section, Table

TEMPLATES = Path(__file__).resolve().parent / "templates"
FORMS = ("md", "html", "docx", "xlsx")

# Fonts as named in government documents (GB/T 9704): the title in 方正小标宋简体, first-level
# headings in 黑体, second-level in 楷体_GB2312, the body in 仿宋_GB2312. A machine without them
# falls back to the alternates recorded in the document's font table (w:altName) and, for the
# HTML, to the CSS font stacks in the template (Noto CJK on Linux).
TITLE_FONT, HEADING_FONT, SUBHEADING_FONT, BODY_FONT = "方正小标宋简体", "黑体", "楷体_GB2312", "仿宋_GB2312"
FONT_FALLBACKS = {TITLE_FONT: "宋体", HEADING_FONT: "SimHei", SUBHEADING_FONT: "楷体", BODY_FONT: "仿宋"}
RED = "C00000"
PAGE_NUMBER_FONT = "宋体"  # GB/T 9704: 4号半角宋体阿拉伯数字


@lru_cache(maxsize=2)
def environment(*, autoescape: bool = False) -> Environment:
    """The templates' environment, one for Markdown and one for HTML (autoescape): its compiled
    templates are kept for every later bulletin (compiling both again cost some 14 ms a bulletin: a
    dispatch writes one for every scope), and a template edited since is reloaded (Jinja checks each
    file's modification time)."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
    )
    env.filters["md_cell"] = _md_cell
    return env


def _md_cell(text: object) -> str:
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\r", "").replace("\n", "<br>")


def bulletin_dir() -> Path:
    """Where the cadence writes its bulletins: WUFEI_BULLETIN_DIR, else ./bulletins."""
    return Path(os.environ.get("WUFEI_BULLETIN_DIR") or "bulletins")


def write_files(doc: Document, out_dir: Path, forms: tuple[str, ...] = FORMS) -> list[Path]:
    """The document's files in `out_dir` (charts as PNG beside the Markdown that links them)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = file_stem(doc)
    paths = []
    if "md" in forms:
        for chart in doc.charts():
            path = out_dir / chart_file(doc, chart)
            path.write_bytes(chart.png)
            paths.append(path)
        path = out_dir / f"{stem}.md"
        path.write_text(markdown(doc), encoding="utf-8")
        paths.append(path)
    if "html" in forms:
        path = out_dir / f"{stem}.html"
        path.write_text(html(doc), encoding="utf-8")
        paths.append(path)
    if "docx" in forms:
        paths.append(docx(doc, out_dir / f"{stem}.docx"))
    if "xlsx" in forms:
        paths.append(xlsx(doc, out_dir / f"{stem}-annex.xlsx"))
    return paths


def chart_file(doc: Document, chart: Chart) -> str:
    return f"{file_stem(doc)}-{chart.key}.png"


def file_stem(doc: Document) -> str:
    """ASCII (mail clients mangle Chinese attachment names): `monthly-2024-05`."""
    return f"{doc.kind.replace('_', '-')}-{doc.period['label']}"


def markdown(doc: Document) -> str:
    return (
        environment()
        .get_template("bulletin.md.j2")
        .render(doc=doc, chart_files={chart.key: chart_file(doc, chart) for chart in doc.charts()})
    )


def html(doc: Document) -> str:
    data = {chart.key: "data:image/png;base64," + base64.b64encode(chart.png).decode("ascii") for chart in doc.charts()}
    # autoescape for HTML only: the Markdown keeps its text as written
    return environment(autoescape=True).get_template("bulletin.html.j2").render(doc=doc, chart_data=data)


# --- Word ---------------------------------------------------------------------------------------


def docx(doc: Document, path: Path) -> Path:
    from docx import Document as WordDocument
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Emu, Mm, Pt, RGBColor

    word = WordDocument()
    _fixed_properties(word.core_properties, doc)
    page = word.sections[0]
    page.page_height, page.page_width = Mm(297), Mm(210)
    page.top_margin, page.bottom_margin, page.left_margin, page.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
    _register_fallbacks(word)
    _page_numbers(page)
    normal = word.styles["Normal"]
    _set_font(normal.font, normal.element, BODY_FONT, Pt(16))
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_after = Pt(0)
    # ASCII style names (Word derives the style id from them); people see them only in the style list.
    styles = {
        name: _table_style(word, label, font, Pt(size))
        for name, label, font, size in (
            ("header", "Wufei Table Header", HEADING_FONT, 10.5),
            ("header_wide", "Wufei Table Header Small", HEADING_FONT, 9),
            ("cell", "Wufei Table Text", BODY_FONT, 10.5),
            ("cell_wide", "Wufei Table Text Small", BODY_FONT, 9),
        )
    }
    text_width = page.page_width - page.left_margin - page.right_margin

    def paragraph(
        text: str = "",
        *,
        font: str = BODY_FONT,
        size: float = 16,
        bold: bool = False,
        align=None,
        indent: bool = False,
        colour: str | None = None,
        before: float = 0,
        after: float = 0,
        line: float | None = 28,
    ):
        para = word.add_paragraph()
        if align is not None:
            para.alignment = align
        form = para.paragraph_format
        form.space_before, form.space_after = Pt(before), Pt(after)
        # No fixed line: single spacing, not the body's fixed 28 pt, which would clip a picture to one line.
        form.line_spacing = Pt(line) if line else 1.0
        if indent:
            form.first_line_indent = Pt(size * 2)  # two characters, as official documents indent
        if text:
            _run(para, text, font=font, size=size, bold=bold, colour=colour)
        return para

    def _run(para, text: str, *, font: str, size: float, bold: bool = False, colour: str | None = None):
        run = para.add_run(text)
        _set_font(run.font, run._element, font, Pt(size))
        run.font.bold = bold
        if colour:
            run.font.color.rgb = RGBColor.from_string(colour)
        return run

    # 红头: the issuing office in red, a red rule under it; then the title.
    paragraph(
        doc.issuer,
        font=TITLE_FONT,
        size=26 if len(doc.issuer) <= 16 else 22,
        colour=RED,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        before=0,
        after=6,
        line=None,
    )
    head = paragraph(
        f"{doc.kind_cn}　{doc.period['chinese']}", size=14, align=WD_ALIGN_PARAGRAPH.CENTER, line=None, after=4
    )
    _red_rule(head)
    title = paragraph("", align=WD_ALIGN_PARAGRAPH.CENTER, before=20, after=16, line=36)
    for number, line_text in enumerate(title_lines(doc.title)):
        if number:
            title.add_run().add_break()
        _run(title, line_text, font=TITLE_FONT, size=22)
    if doc.recipients:
        paragraph(doc.recipients)

    def block(item) -> None:
        if isinstance(item, Section):
            font = HEADING_FONT if item.level == 1 else SUBHEADING_FONT
            # a heading or a caption never ends a page: it stays with what follows it
            paragraph(f"{item.number}{item.heading}", font=font, indent=True).paragraph_format.keep_with_next = True
            for inner in item.blocks:
                block(inner)
        elif isinstance(item, Paragraph):
            para = paragraph(indent=True)
            if item.emphasis:
                _run(para, item.emphasis, font=BODY_FONT, size=16, bold=True)
            _run(para, item.text, font=BODY_FONT, size=16)
        elif isinstance(item, Table):
            caption = paragraph(
                item.caption, font=HEADING_FONT, size=12, align=WD_ALIGN_PARAGRAPH.CENTER, before=6, after=3, line=None
            )
            caption.paragraph_format.keep_with_next = True
            if not item.rows:
                paragraph(item.empty, indent=True)
                return
            wide = len(item.columns) > 8
            table = word.add_table(rows=0, cols=len(item.columns))
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            if wide:
                _narrow_cell_margins(table)
            widths = [Emu(int(text_width * share)) for share in column_shares(item)]
            for column, width in zip(table.columns, widths):
                column.width = width
            header, text = styles["header_wide" if wide else "header"], styles["cell_wide" if wide else "cell"]
            _append_rows(table, item, [width.twips for width in widths], header.style_id, text.style_id)
            paragraph("", line=None, after=6)
        elif isinstance(item, Chart):
            import io

            para = paragraph(align=WD_ALIGN_PARAGRAPH.CENTER, line=None, before=6)
            para.add_run().add_picture(io.BytesIO(item.png), width=Mm(150))
            paragraph(item.caption, font=HEADING_FONT, size=12, align=WD_ALIGN_PARAGRAPH.CENTER, after=6, line=None)

    for section in doc.sections:
        block(section)

    paragraph("")
    # GB/T 9704: the 附件说明 under the body, before the signature, two characters in
    paragraph(doc.annex_note, indent=True)
    paragraph("")
    paragraph(doc.issuer, align=WD_ALIGN_PARAGRAPH.RIGHT)
    paragraph(doc.date_cn, align=WD_ALIGN_PARAGRAPH.RIGHT)
    paragraph(doc.footer, size=10.5, line=None, before=12)
    for note in doc.notes:
        paragraph(note, size=10.5, line=None)
    word.save(str(path))
    return path


TITLE_CHARACTERS = 20  # of 二号 (22 pt) on an A4 line between GB/T 9704's margins (156 mm)
# Where a title reads well broken: after the place's 建设 or 工作, before the year, before 关于.
_TITLE_BREAKS = re.compile(r"(?<=建设)|(?<=工作)|(?=\d{4}年)|(?=关于)")


def title_lines(title: str) -> list[str]:
    """A title too long for one line broken in two as official documents break it, at a point
    that reads well and leaves neither line over the width (a last line of one character, 报,
    is what Word's own wrapping gave); in the middle when no such point fits."""
    if len(title) <= TITLE_CHARACTERS:
        return [title]
    points = [m.start() for m in _TITLE_BREAKS.finditer(title) if 0 < m.start() < len(title)]
    fitting = [p for p in points if p <= TITLE_CHARACTERS and len(title) - p <= TITLE_CHARACTERS]
    if fitting:
        cut = min(fitting, key=lambda p: abs(len(title) - 2 * p))  # the most even
    elif len(title) <= 2 * TITLE_CHARACTERS:
        cut = (len(title) + 1) // 2
    else:
        return [title]  # three lines or more: Word's wrapping
    return [title[:cut], title[cut:]]


def _append_rows(table, item: Table, widths: list[int], header_style: str, text_style: str) -> None:
    """The table's rows as python-docx would write them cell by cell (header row repeated on each
    page, each cell its width in twips and a paragraph in the table style, figures aligned
    right), built as one piece of XML: python-docx took 0.2 ms a cell, most of a bulletin's Word
    time. Fonts come from the paragraph styles, not from each run."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    def row(values: list[str], style: str, aligns: list[str | None], head: bool = False) -> str:
        cells = "".join(
            f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="{style}"/>'
            + (f'<w:jc w:val="{align}"/>' if align else "")
            + f"</w:pPr>{_run_xml(str(value))}</w:p></w:tc>"
            for value, width, align in zip(values, widths, aligns)
        )
        # a row never split across pages (a cell's second line alone at the top of the next page)
        header = '<w:tblHeader w:val="true"/>' if head else ""
        return f"<w:tr><w:trPr><w:cantSplit/>{header}</w:trPr>{cells}</w:tr>"

    aligns = ["right" if index in item.numeric else None for index in range(len(item.columns))]
    rows = [row(item.columns, header_style, ["center"] * len(item.columns), head=True)]
    rows += [row(values, text_style, aligns) for values in item.rows]
    for element in list(parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(rows)}</w:tbl>")):
        table._tbl.append(element)


def _run_xml(text: str) -> str:
    """A run holding `text` as python-docx writes it: tabs as w:tab, line breaks as w:br, the
    rest in w:t (keeping its spaces when it starts or ends with one)."""
    parts = []
    for piece in re.split(r"(\t|\r|\n)", text):
        if piece == "\t":
            parts.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            parts.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
            parts.append(f"<w:t{space}>{escape(piece)}</w:t>")
    return f"<w:r>{''.join(parts)}</w:r>"


def _page_numbers(page) -> None:
    """The page number in the footer of every page, — 1 —, in 宋体 四号 as official documents
    number their pages (GB/T 9704): a printed bulletin of twenty pages is read and cited by page."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    para = page.footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fonts = " ".join(f'w:{slot}="{PAGE_NUMBER_FONT}"' for slot in ("ascii", "hAnsi", "eastAsia"))
    font = f'<w:rPr><w:rFonts {fonts}/><w:sz w:val="28"/></w:rPr>'
    for piece in (
        f'<w:r {nsdecls("w")}>{font}<w:t xml:space="preserve">— </w:t></w:r>',
        f'<w:r {nsdecls("w")}>{font}<w:fldChar w:fldCharType="begin"/></w:r>',
        f'<w:r {nsdecls("w")}>{font}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>',
        f'<w:r {nsdecls("w")}>{font}<w:fldChar w:fldCharType="separate"/></w:r>',
        f"<w:r {nsdecls('w')}>{font}<w:t>1</w:t></w:r>",
        f'<w:r {nsdecls("w")}>{font}<w:fldChar w:fldCharType="end"/></w:r>',
        f'<w:r {nsdecls("w")}>{font}<w:t xml:space="preserve"> —</w:t></w:r>',
    ):
        para._p.append(parse_xml(piece))


def _narrow_cell_margins(table) -> None:
    """1 mm each side instead of Word's 1.9 mm: in a table of fourteen columns, the margins took
    half of a narrow column, and a three-digit count (108) wrapped onto two lines."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    margins = "".join(f'<w:{side} w:w="57" w:type="dxa"/>' for side in ("left", "right"))
    table._tbl.tblPr.append(parse_xml(f"<w:tblCellMar {nsdecls('w')}>{margins}</w:tblCellMar>"))


# How many half-characters (a Chinese character counts two) a table's row holds across the text
# width, 156 mm: 42 characters of 五号 (10.5 pt), 49 of the wide tables' 小五 (9 pt).
ROW_UNITS, WIDE_ROW_UNITS = 84, 98
SHORT_COLUMN = 18  # a column wanting this much or less (a date, 红灯, a unit's name) is never wrapped
LONG_FLOOR = 14  # and a long column keeps seven characters a line (54.05（2023年第1季度） not 5 / 4.0 / 5…)


def column_shares(table: Table) -> list[float]:
    """Each column's share of the text width, from the longest text it holds (Chinese characters
    count double; a header asks for four characters at most and wraps beyond; long texts wrap,
    so no column asks for more than 24 characters). When the row cannot hold every column's
    longest text, the short columns (2025年12月31日, 红灯) keep theirs, and the long ones share
    what is left: a date wrapped over five lines (2025年 / 12 / 月 / 31 / 日) is what a leader read."""
    wanted: list[float] = []
    for index, column in enumerate(table.columns):
        longest = max([min(_width(column), 8)] + [_width(row[index]) for row in table.rows[:100]])
        wanted.append(min(max(longest, 6), 48) + 2)  # + the cell's margins
    room = WIDE_ROW_UNITS if len(table.columns) > 8 else ROW_UNITS
    short = [w + 1 for w in wanted if w <= SHORT_COLUMN]  # + 1: Word's margins are 1.9 mm, not 1.85
    long_total = sum(w for w in wanted if w > SHORT_COLUMN)
    if sum(wanted) > room and long_total and sum(short) <= room * 0.6:
        left = room - sum(short)
        wanted = [w + 1 if w <= SHORT_COLUMN else max(w * left / long_total, LONG_FLOOR) for w in wanted]
    total = sum(wanted)
    return [w / total for w in wanted]


def _table_style(word, name: str, font: str, size):
    """A paragraph style for table cells: single spacing, no indent, the given font and size."""
    from docx.enum.style import WD_STYLE_TYPE

    style = word.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = word.styles["Normal"]
    style.paragraph_format.line_spacing = 1.0
    style.paragraph_format.first_line_indent = 0
    style.paragraph_format.space_before = style.paragraph_format.space_after = 0
    _set_font(style.font, style.element, font, size)
    return style


def _set_font(font, element, name: str, size) -> None:
    """The font for Latin and East Asian text: python-docx's `font.name` sets w:ascii/w:hAnsi
    only; Chinese text follows w:eastAsia, set here too (with the eastAsia hint)."""
    from docx.oxml.ns import qn

    font.name = name
    font.size = size
    rpr = element.get_or_add_rPr() if hasattr(element, "get_or_add_rPr") else element.rPr
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)
    fonts.set(qn("w:hint"), "eastAsia")


def _register_fallbacks(word) -> None:
    """Entries in the font table naming an alternate for each official font (w:altName), which
    Word and LibreOffice use on machines without the 方正/GB2312 fonts."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml.ns import qn

    part = next((rel.target_part for rel in word.part.rels.values() if rel.reltype == RT.FONT_TABLE), None)
    if part is None:
        return
    from lxml import etree

    root = etree.fromstring(part.blob)
    for name, alternate in FONT_FALLBACKS.items():
        font = etree.SubElement(root, qn("w:font"), {qn("w:name"): name})
        etree.SubElement(font, qn("w:altName"), {qn("w:val"): alternate})
        etree.SubElement(font, qn("w:charset"), {qn("w:val"): "86"})  # GB2312
        etree.SubElement(font, qn("w:family"), {qn("w:val"): "roman" if name != HEADING_FONT else "modern"})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _red_rule(para) -> None:
    """The red line under the 红头: a bottom border on the paragraph."""
    from docx.oxml.ns import qn

    ppr = para._p.get_or_add_pPr()
    borders = ppr.makeelement(qn("w:pBdr"), {})
    bottom = borders.makeelement(
        qn("w:bottom"), {qn("w:val"): "single", qn("w:sz"): "18", qn("w:space"): "4", qn("w:color"): RED}
    )
    borders.append(bottom)
    ppr.append(borders)


def _fixed_properties(properties, doc: Document) -> None:
    stamp = datetime.combine(datetime.fromisoformat(doc.date).date(), time(0))
    properties.title = doc.title
    properties.author = doc.issuer
    properties.subject = doc.kind_cn
    properties.identifier = doc.snapshot_id
    properties.created = properties.modified = stamp
    properties.last_modified_by = doc.issuer
    properties.revision = 1


# --- the .xlsx annex ----------------------------------------------------------------------------

INVALID_SHEET = re.compile(r"[\[\]:*?/\\]")


def xlsx(doc: Document, path: Path) -> Path:
    """Written row by row (openpyxl's write-only workbook, a quarter faster than building every
    cell first): column widths and the frozen header are set before a sheet's first row."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    about = book.create_sheet("说明")
    about.column_dimensions["A"].width, about.column_dimensions["B"].width = 14, 60
    title = WriteOnlyCell(about, doc.title)
    title.font = Font(bold=True, size=14)
    about.append([title])
    for row in (
        ["发布单位", doc.issuer],
        ["期间", doc.period["chinese"]],
        ["日期", doc.date_cn],
        ["数据截至", doc.data_as_of_cn],
        ["数据快照", doc.snapshot_id],
        ["说明", "本附件列出通报各表及其所依据的台账记录（任务台账、周报送记录），每表一页。"],
    ):
        about.append(row)

    header_font, header_fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    header_alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    used = {"说明"}
    merged: dict[str, Any] = {}  # sheet name → the sheet several tables share (one per unit otherwise)
    for table in doc.tables() + doc.annex:
        columns, rows = list(table.columns), [list(row) for row in table.rows]
        numeric, dates = table.numeric, table.dates
        if table.merge:
            columns, rows = ["表", *columns], [[table.title, *row] for row in rows]
            numeric = tuple(index + 1 for index in table.numeric)
            dates = tuple(index + 1 for index in table.dates)
            if table.sheet in merged:
                sheet = merged[table.sheet]
                for values in rows:
                    sheet.append(_cells(sheet, values, numeric, dates))
                continue
        name = _sheet_name(table.sheet or table.title, used)
        sheet = book.create_sheet(name)
        if table.merge:
            merged[table.sheet] = sheet
        sheet.freeze_panes = "A2"
        # printed: the header row on every page, landscape, the columns fitted to the paper's width
        sheet.print_title_rows = "1:1"
        sheet.page_setup.orientation, sheet.page_setup.paperSize = "landscape", "9"  # A4
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        for index, column in enumerate(columns, start=1):
            longest = max([_width(column)] + [_width(row[index - 1]) for row in rows[:200]])
            sheet.column_dimensions[get_column_letter(index)].width = min(max(6, longest + 2), 60)
        header = []
        for column in columns:
            cell = WriteOnlyCell(sheet, column)
            cell.font, cell.fill, cell.alignment = header_font, header_fill, header_alignment
            header.append(cell)
        sheet.append(header)
        for values in rows:
            sheet.append(_cells(sheet, values, numeric, dates))
    book.properties.creator = doc.issuer
    book.properties.title = doc.title
    book.properties.identifier = doc.snapshot_id
    stamp = datetime.combine(datetime.fromisoformat(doc.date).date(), time(0))
    book.properties.created = book.properties.modified = stamp
    book.save(str(path))
    return path


def _sheet_name(wanted: str, used: set[str]) -> str:
    base = INVALID_SHEET.sub("", wanted)[:28] or "表"
    name, n = base, 2
    while name in used:
        name, n = f"{base[:26]}{n}", n + 1
    used.add(name)
    return name


def _cells(sheet: Any, values: list[str], numeric: tuple[int, ...], dates: tuple[int, ...]) -> list[Any]:
    return [
        _number(sheet, v) if index in numeric else _dated(sheet, v) if index in dates else v
        for index, v in enumerate(values)
    ]


_CHINESE_MOMENT = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日(?: (\d{1,2}):(\d{2}))?")
_DAY_FORMAT = 'yyyy"年"m"月"d"日"'


def _dated(sheet: Any, value: str) -> Any:
    """A date (2024年5月31日) or a moment (2024年5月31日 16:30) as the workbook's own date, shown
    the same way: a spreadsheet sorts and filters it as a date; "—" stays text."""
    from openpyxl.cell import WriteOnlyCell

    match = _CHINESE_MOMENT.fullmatch(value)
    if match is None:
        return value
    year, month, day, hour, minute = match.groups()
    if hour is None:
        cell = WriteOnlyCell(sheet, date(int(year), int(month), int(day)))
        cell.number_format = _DAY_FORMAT
    else:
        cell = WriteOnlyCell(sheet, datetime(int(year), int(month), int(day), int(hour), int(minute)))
        cell.number_format = f"{_DAY_FORMAT} hh:mm"
    return cell


def _number(sheet: Any, value: str):
    """Figures stay numbers in the workbook (sums and sorts work), a rate (79.5%) a number shown as a
    percentage with its one decimal; "—" stays text."""
    from openpyxl.cell import WriteOnlyCell

    try:
        return int(value)
    except (TypeError, ValueError):
        pass
    try:
        return float(value)
    except (TypeError, ValueError):
        pass
    if isinstance(value, str) and value.endswith("%"):
        try:
            cell = WriteOnlyCell(sheet, round(float(value[:-1]) / 100, 6))
        except ValueError:
            return value
        cell.number_format = "0.0%"
        return cell
    return value


def _width(value: object) -> int:
    text = str(value or "")
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)

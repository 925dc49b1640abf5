"""Web pages saved from a government site (.html, .htm, .shtml, .xhtml): the article body, its paragraphs and tables.

A page holds menus, breadcrumbs, related links and a footer around the article. The body is the
element gov.cn sites mark for it (TRS_Editor, zoom, article, content …) holding the most text, or
failing a mark the element with the most text outside links. Tables are read with rowspan and
colspan filled from their anchor cell and <br> inside a cell kept as a line break. Items of an
ordered list (<ol>) carry the number a browser shows before them. A grid drawn with <div>s styled as a table
(display: table / table-row / table-cell, in a class rule of the page's <style> or inline) is read as the
table it shows. The encoding is
taken from the bytes (a BOM, the meta charset) and GBK pages are read as GB18030, their superset.

Pictures in the article (a task list published as images of its pages) are read by OCR (see `readers.pictures`):
`data:` URIs, a saved page's files beside it (its `xxx_files` folder, never outside the page's own folder), an
.mht archive's parts. A picture never breaks the text it stands in (an icon inside a sentence); what it reads
goes after the line holding it. A picture not found is named in a doubt; nothing is fetched from the network.
"""

from __future__ import annotations

import base64
import binascii
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml import etree

from wufei.importers.document import Document, Table
from wufei.importers.readers.grid import GridRow, grid_table, is_layout_grid, square
from wufei.importers.records import ImportError_

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from wufei.importers.readers.pictures import Pictures

# A picture's bytes by its address on the page (src), None when the page's file does not hold it.
Resolve = Callable[[str], bytes | None]
_DATA_URI = re.compile(r"^data:[^,]*?(;base64)?,", re.I | re.S)
_PX_WIDTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:px)?\s*$", re.I)
_STYLE_WIDTH = re.compile(r"(?:^|;)\s*width\s*:\s*(\d+(?:\.\d+)?)\s*px", re.I)

# Class or id words gov.cn content systems give the article body.
_BODY_MARKS = re.compile(r"TRS_Editor|trs_editor|zoom|article|content|zw|detail|main-txt|pages_content|con", re.I)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w]+)""", re.I)
_SKIP = {"script", "style", "noscript", "iframe", "head", "title", "button", "select", "form", "nav"}
_BLOCK = {
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "section",
    "article",
    "center",
    "blockquote",
    "dd",
    "dt",
    "pre",
}
# How far above the article's body its heading is looked for: in its parent (div.main > h1 + div.content, or
# > div.title > h1) or grandparent (div.main > h1 + div.box > div.content), never up to the page's banner.
_HEADING_LEVELS = 2
_GBK = {"gbk", "gb2312", "gb_2312-80", "x-gbk", "gb18030", "cp936"}
PICTURE_TEXT = 200  # characters a picture counts for in finding the article (a pictured page holds hundreds)
# An item that prints its own number: 1. / 1、 / （一） / 一、
_PRINTED_NUMBER = re.compile(
    r"^\s*(?:\d{1,3}\s*[.．、。)）]|[（(]\s*[一二三四五六七八九十\d]+\s*[）)]|[一二三四五六七八九十]+\s*、)"
)


def decode(path: Path, data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    declared = _CHARSET.search(data[:4096])
    candidates = []
    if declared:
        name = declared.group(1).decode("ascii", "ignore").lower()
        candidates.append("gb18030" if name in _GBK else name)
    candidates += ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    raise ImportError_(str(path), "网页编码无法识别（应为 UTF-8 或 GBK/GB18030）")


def read_html(path: Path) -> Document:
    data = path.read_bytes()
    if not data.strip():
        raise ImportError_(str(path), "文件为空")
    return page_document(path, decode(path, data), beside_the_page(path))


def data_uri(src: str) -> bytes | None:
    """The bytes a `data:` URI holds (b"" when its base64 is broken), None for another address."""
    match = _DATA_URI.match(src)
    if match is None:
        return None
    payload = src[match.end() :]
    if not match.group(1):
        return unquote(payload).encode("latin-1", errors="replace")
    try:
        return base64.b64decode("".join(payload.split()), validate=False)
    except (binascii.Error, ValueError):
        return b""


def beside_the_page(path: Path) -> Resolve:
    """A saved page's pictures: `data:` URIs, and files addressed relative to the page inside its own folder (a
    browser's 网页，全部 saves them in `xxx_files` beside it). Another site's address, an absolute path or one
    leading out of the page's folder is not read (and never fetched)."""
    folder = path.resolve().parent

    def resolve(src: str) -> bytes | None:
        inline = data_uri(src)
        if inline is not None:
            return inline
        parts = urlsplit(src)
        if parts.scheme not in ("", "file") or parts.netloc or not parts.path or parts.path.startswith("/"):
            return None
        candidate = (folder / unquote(parts.path)).resolve()
        if not candidate.is_relative_to(folder) or not candidate.is_file():
            return None
        return candidate.read_bytes()

    return resolve


def page_document(path: Path, page: str, resolve: Resolve | None = None) -> Document:
    """The article of a page's decoded HTML (a saved page's, or the page inside an .mht archive); its pictures
    found by `resolve` and read by OCR."""
    try:
        root = lxml.html.document_fromstring(page)
    except (etree.ParserError, ValueError) as exc:
        log.info("lxml cannot parse %s: %s", path, exc)
        raise ImportError_(str(path), "无法读取网页：其中没有可读的网页内容") from exc
    _styled_tables(root)
    for element in root.iter(*_SKIP):
        element.drop_tree() if element.getparent() is not None else None
    body = _article(root, resolve)
    builder = _Builder(str(path), resolve)
    builder.block(body)
    builder.flush()
    if builder.pictures is not None:
        builder.pictures.flush(builder.lines, builder.tables)
    lines = builder.lines
    read = len(lines)
    heading = _heading_above(root, body)
    if heading and heading not in lines[:3]:
        lines.insert(0, heading)  # the article's title printed above the element marked as its body
    title = _page_title(root)
    if title and not any(line.strip() for line in lines[:3]):
        lines.insert(0, title)
    document = Document(path=str(path), format="html", lines=lines, tables=builder.tables)
    if builder.pictures is not None:
        shift = len(lines) - read  # a heading or title put above the article's lines
        builder.pictures.line_pictures = {line + shift: n for line, n in builder.pictures.line_pictures.items()}
        builder.pictures.finish(document)
    return document


# CSS table display values and the element a browser lays each out as.
_DISPLAY_TAGS = {
    "table": "table",
    "inline-table": "table",
    "table-header-group": "thead",
    "table-row-group": "tbody",
    "table-footer-group": "tfoot",
    "table-row": "tr",
    "table-cell": "td",
}
_CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_DISPLAY = re.compile(r"(?:^|;)\s*display\s*:\s*([-a-z]+)", re.I)


def _styled_tables(root: lxml.html.HtmlElement) -> None:
    """Elements styled as a table's parts (a class rule's last class in the page's <style>, or an inline
    style) are renamed to them, so a <div> grid is read like the <table> it is drawn as. Only a whole grid is:
    a table holding two rows or more of two cells or more (a clearfix's `display: table` on :after is no grid)."""
    by_class: dict[str, str] = {}
    for style in root.iter("style"):
        for selectors, declarations in _CSS_RULE.findall(style.text_content()):
            display = _DISPLAY.search(declarations)
            if not display or display.group(1).lower() not in _DISPLAY_TAGS:
                continue
            for selector in selectors.split(","):
                last = selector.split()[-1] if selector.split() else ""
                classes = re.findall(r"\.([-\w]+)", last)
                if classes and ":" not in last:  # a pseudo-element (.clearfix:after) styles no element
                    by_class[classes[-1]] = _DISPLAY_TAGS[display.group(1).lower()]
    styled: dict[lxml.html.HtmlElement, str] = {}
    for element in root.iter("div", "span", "section", "ul", "ol", "li", "p", "dl", "dd", "dt"):
        inline = _DISPLAY.search(element.get("style") or "")
        tag = _DISPLAY_TAGS.get(inline.group(1).lower()) if inline else None
        for name in reversed((element.get("class") or "").split()):
            tag = tag or by_class.get(name)
        if tag:
            styled[element] = tag
    for table in [element for element, tag in styled.items() if tag == "table"]:
        groups = [child for child in table if styled.get(child) in ("thead", "tbody", "tfoot")]
        rows = [row for parent in (table, *groups) for row in parent if styled.get(row) == "tr"]
        cells = [[cell for cell in row if styled.get(cell) == "td"] for row in rows]
        if len(rows) < 2 or any(len(row_cells) < 2 for row_cells in cells):
            continue
        for element in (table, *groups, *rows, *(cell for row_cells in cells for cell in row_cells)):
            element.tag = styled[element]


def _heading_above(root: lxml.html.HtmlElement, body: lxml.html.HtmlElement) -> str | None:
    """The last heading (<h1>–<h3>) before the body inside the body's nearest ancestors: a portal prints an
    article's title in a heading beside the element it marks as the text (<h1> over div.article-content)."""
    order = {element: k for k, element in enumerate(root.iter())}
    for ancestor in list(body.iterancestors())[:_HEADING_LEVELS]:
        if ancestor.tag == "body":
            break
        headings = [
            h for h in ancestor.iter("h1", "h2", "h3") if order[h] < order[body] and body not in h.iterancestors()
        ]
        if headings:
            return _clean(" ".join(headings[-1].itertext())) or None
    return None


def _page_title(root: lxml.html.HtmlElement) -> str | None:
    titles = root.xpath("//title/text()")
    return titles[0].split("_")[0].strip() if titles else None


def _text_length(element: lxml.html.HtmlElement, counted: Callable[[lxml.html.HtmlElement], bool] | None = None) -> int:
    """The characters of an element outside links; with `counted`, each picture outside links it counts adds
    PICTURE_TEXT of them: an article published as pictures of its pages is still the article, not the page's
    menus and footer."""
    text = "".join(element.itertext())
    links = sum(len("".join(a.itertext())) for a in element.iter("a"))
    length = len(re.sub(r"\s+", "", text)) - links
    if counted is None:
        return length
    pictures = [img for img in element.iter("img") if not any(a.tag == "a" for a in img.iterancestors())]
    return length + PICTURE_TEXT * sum(1 for img in pictures if counted(img))


def _readable_pictures(resolve: Resolve | None) -> Callable[[lxml.html.HtmlElement], bool]:
    """Whether a picture is one OCR would read (found, and big enough to hold text), each looked at once: a
    banner, an icon or a picture the page's file does not hold makes no article."""
    seen: dict[lxml.html.HtmlElement, bool] = {}

    def readable(img: lxml.html.HtmlElement) -> bool:
        if img not in seen:
            src = (img.get("src") or "").strip()
            data = resolve(src) if src and resolve is not None else None
            if not data:
                seen[img] = False
            else:
                from wufei.importers.readers.pictures import big_enough

                seen[img] = big_enough(data, _printed_cm(img))
        return seen[img]

    return readable


def _printed_cm(img: lxml.html.HtmlElement) -> float | None:
    """A picture's printed width when the page gives one, in cm (a CSS pixel is 1/96 inch)."""
    width = _PX_WIDTH.match(img.get("width") or "") or _STYLE_WIDTH.search(img.get("style") or "")
    return float(width.group(1)) * 2.54 / 96 if width else None


def _article(root: lxml.html.HtmlElement, resolve: Resolve | None = None) -> lxml.html.HtmlElement:
    """The element holding the article: the marked one with most text, else the one with most text outside
    links, descending while one child holds nearly all of it. Pictures OCR would read count in choosing
    between elements, not in the page's total a marked element must hold a share of: a few decorative
    pictures in the header do not make the whole page the article."""
    counted = _readable_pictures(resolve)
    marked = [
        element
        for element in root.iter("div", "td", "article", "section", "span")
        if _BODY_MARKS.search(" ".join([element.get("class") or "", element.get("id") or ""]))
    ]
    body = root.find("body")
    if body is None:
        body = root
    total = max(_text_length(body), 1)
    marked = [m for m in marked if _text_length(m, counted) >= total * 0.3]
    if marked:
        # The innermost marked element that still holds most of the text.
        best = max(_text_length(m, counted) for m in marked)
        candidates = [m for m in marked if _text_length(m, counted) >= best * 0.9]
        return min(candidates, key=lambda m: len(list(m.iter())))
    element = body
    while True:
        children = [c for c in element if isinstance(c.tag, str)]
        whole = _text_length(element, counted)
        heavy = [c for c in children if _text_length(c, counted) >= whole * 0.8]
        if len(heavy) != 1 or heavy[0].tag == "table":
            return element
        element = heavy[0]


class _Builder:
    def __init__(self, path: str, resolve: Resolve | None = None):
        self.path, self.resolve = path, resolve
        self.lines: list[str] = []
        self.tables: list[Table] = []
        self.current = ""
        self.pictures: Pictures | None = None  # made at the first picture: Pillow, numpy and OCR only then
        self.inside_line = False  # a picture met inside the current line: its reading goes after the line

    def flush(self) -> None:
        if self.current.strip():
            if not self.inside_line:
                self.flush_pictures()
            self.lines.append(_clean(self.current))
            if self.inside_line:
                self.flush_pictures()
        self.current = ""
        self.inside_line = False

    def flush_pictures(self) -> None:
        if self.pictures is not None:
            self.pictures.flush(self.lines, self.tables)

    def picture(self, img: lxml.html.HtmlElement) -> None:
        """A picture of the article handed to OCR: its bytes found by `resolve`, its printed width (in px, a
        CSS pixel being 1/96 inch) when the page gives one."""
        src = (img.get("src") or "").strip()
        if not src or self.resolve is None:
            return
        if self.pictures is None:
            from wufei.importers.readers.pictures import Pictures

            self.pictures = Pictures(self.path)
        if self.current.strip() and not self.inside_line:
            self.flush_pictures()  # pictures before the line's text go before it
            self.inside_line = True
        source = "内嵌图片" if src.lower().startswith("data:") else unquote(src)[-80:]
        self.pictures.add(self.resolve(src), source, _printed_cm(img))

    def block(self, element: lxml.html.HtmlElement) -> None:
        if element.text:
            self.current += element.text
        for child in element:
            if not isinstance(child.tag, str):  # comments
                if child.tail:
                    self.current += child.tail
                continue
            tag = child.tag.lower()
            if tag == "table":
                self.flush()
                self.table(child)
            elif tag == "img":
                self.picture(child)  # never a break: an icon stands inside a sentence
            elif tag == "br":
                self.flush()
            elif tag == "ol":
                self.flush()
                self.ordered(child)
            elif tag in _BLOCK:
                self.flush()
                self.block(child)
                self.flush()
            else:
                self.block(child)
            if child.tail:
                self.current += child.tail

    def ordered(self, element: lxml.html.HtmlElement) -> None:
        """An <ol>: each item with the number a browser shows before it (1. 2. …), unless its text
        prints a number of its own."""
        number = _span(element.get("start"))
        for item in element:
            if not isinstance(item.tag, str) or item.tag.lower() != "li":
                continue
            if not _PRINTED_NUMBER.match("".join(item.itertext())):
                self.current += f"{number}."
            self.block(item)
            self.flush()
            number += 1

    def table(self, element: lxml.html.HtmlElement) -> None:
        rows = square(_grid(element, len(self.tables) + 1))
        if not rows:
            return
        if is_layout_grid(rows) or _has_inner_tables(element):
            # A box around text, or a layout table holding the real ones: read what is inside.
            for cell in element.xpath("./tr/td | ./tr/th | ./*/tr/td | ./*/tr/th"):
                self.block(cell)
                self.flush()
            return
        self.flush_pictures()
        floor = self.tables[-1].start_line if self.tables else 0
        number = len(self.tables) + 1
        self.lines.append("")
        self.tables.append(
            grid_table(rows, line=len(self.lines), where=f"表{number}", lines_above=self.lines, floor=floor)
        )
        for img in element.iter("img"):
            self.picture(img)  # pictures in the table's cells, read after it


def _has_inner_tables(table: lxml.html.HtmlElement) -> bool:
    return any(inner is not table for inner in table.iter("table"))


def _grid(table: lxml.html.HtmlElement, number: int) -> list[GridRow]:
    """Rows with rowspan and colspan filled from the anchor cell; a cell spanning the whole row is a heading."""
    pending: dict[tuple[int, int], str | None] = {}  # (row, column) -> text of a rowspan anchor above
    rows: list[GridRow] = []
    trs = table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")
    width = 0
    for r, tr in enumerate(trs):
        cells: list[str | None] = []
        column = 0
        spans = 0
        marked = tr.getparent().tag == "thead"
        for td in tr.xpath("./td | ./th"):
            while (r, column) in pending:
                cells.append(pending.pop((r, column)))
                column += 1
            text = _cell_text(td)
            colspan = _span(td.get("colspan"))
            rowspan = _span(td.get("rowspan"))
            marked = marked or td.tag == "th"
            for c in range(colspan):
                cells.append(text)
                for below in range(1, rowspan):
                    pending[(r + below, column + c)] = text
            column += colspan
            spans += 1
        while (r, column) in pending:
            cells.append(pending.pop((r, column)))
            column += 1
        width = max(width, len(cells))
        if spans == 1 and len(cells) > 1 and len(set(cells)) == 1 and cells[0] is not None:
            cells = [cells[0]] + [None] * (len(cells) - 1)
        rows.append(GridRow(cells=cells, where=f"表{number}第{r + 1}行", marked_header=marked))
    return rows


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or "1"), 1000))
    except ValueError:
        return 1


def _cell_text(td: lxml.html.HtmlElement) -> str | None:
    parts: list[str] = []
    current = [td.text or ""]

    def walk(element: lxml.html.HtmlElement) -> None:
        for child in element:
            if not isinstance(child.tag, str):
                current.append(child.tail or "")
                continue
            tag = child.tag.lower()
            if tag == "br" or tag in _BLOCK:
                parts.append("".join(current))
                current.clear()
            if tag != "br":
                current.append(child.text or "")
                walk(child)
            if tag in _BLOCK:
                parts.append("".join(current))
                current.clear()
            current.append(child.tail or "")

    walk(td)
    parts.append("".join(current))
    lines = [_clean(p) for p in parts]
    return "\n".join(line for line in lines if line) or None


def _clean(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\r", "")
    return re.sub(r"[ \t\n]+", " ", text).strip()

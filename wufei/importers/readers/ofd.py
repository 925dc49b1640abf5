"""OFD (GB/T 33190, the format of China's electronic official documents, 电子公文): read like a PDF.

An .ofd file is a zip: OFD.xml names the document's root (Doc_0/Document.xml), which lists its
pages; each page's Content.xml places text objects (a run of characters: its box, its font size,
the first character's position and the advance to each next one, DeltaX, where `g 5 3.5` stands
for five advances of 3.5) and path objects (ruling lines: `M x y L x y`) in millimetres, y down
from the top, relative to the object's box and its transformation (CTM). The characters and
ruling lines are turned into points and laid out by the PDF reader's rules (lines, ruled tables,
tables going on over pages, running headers), so both formats read a plan the same way.
A page's template (a letterhead) is not read: only the page's own content.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path, PurePosixPath

from lxml import etree

from wufei.importers.document import Document
from wufei.importers.readers.pdf import MIN_RULE, SNAP, Char, Rule, layout_page, pages_document
from wufei.importers.records import ImportError_

POINTS_PER_MM = 72 / 25.4
SCANNED = "该 OFD 文件没有文字（可能是扫描件），请提供 Word 版或文字版"
A4 = (0.0, 0.0, 210.0, 297.0)
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE]-?\d+)?")
_PATH_TOKEN = re.compile(r"[A-Za-z]|-?\d+(?:\.\d+)?(?:[eE]-?\d+)?")
_ASCENT = 0.88  # of the font size above the baseline; the rest below it
_LATIN_EM = 0.55  # a Latin letter's or a digit's width, of the font size

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def read_ofd(path: Path) -> Document:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportError_(str(path), "无法打开 OFD 文件（不是 OFD 压缩包，文件可能已损坏）") from exc
    with archive:
        names = set(archive.namelist())
        if "OFD.xml" not in names:
            raise ImportError_(str(path), "不是 OFD 文件：压缩包中没有 OFD.xml")
        root_name = _text(_xml(archive, "OFD.xml", path), "DocRoot")
        if not root_name:
            raise ImportError_(str(path), "OFD.xml 中没有文档根节点（DocRoot）", text=_head(archive, "OFD.xml"))
        document_name = str(PurePosixPath(root_name.lstrip("/")))
        if document_name not in names:
            raise ImportError_(str(path), f"OFD 文件缺少文档「{document_name}」")
        document = _xml(archive, document_name, path)
        folder = PurePosixPath(document_name).parent
        default_box = _box(_text(document, "PhysicalBox")) or A4
        pages = []
        for number, page in enumerate(document.iter("{*}Page"), start=1):
            location = page.get("BaseLoc")
            if not location:
                continue
            name = str(PurePosixPath(location.lstrip("/")) if location.startswith("/") else folder / location)
            if name not in names:
                raise ImportError_(str(path), f"OFD 文件缺少第{number}页（{name}）")
            content = _xml(archive, name, path)
            box = _box(_text(content, "PhysicalBox")) or default_box
            chars, horizontal, vertical = _objects(content)
            width, height = box[2] * POINTS_PER_MM, box[3] * POINTS_PER_MM
            pages.append(layout_page(number, width, height, chars, horizontal, vertical))
    if not pages:
        raise ImportError_(str(path), "OFD 文件中没有页面")
    if not any(page.blocks for page in pages):
        raise ImportError_(str(path), SCANNED)
    document = pages_document(str(path), pages)
    document.format = "ofd"
    return document


def _xml(archive: zipfile.ZipFile, name: str, path: Path) -> etree._Element:
    try:
        return etree.fromstring(archive.read(name))
    except etree.XMLSyntaxError as exc:
        raise ImportError_(str(path), f"OFD 文件中的「{name}」无法读取（{exc}）", text=_head(archive, name)) from exc


def _head(archive: zipfile.ZipFile, name: str) -> str:
    return archive.read(name)[:80].decode("utf-8", "replace")


def _text(root: etree._Element, tag: str) -> str | None:
    found = next(root.iter(f"{{*}}{tag}"), None)
    return found.text.strip() if found is not None and found.text else None


def _numbers(text: str | None) -> list[float]:
    return [float(n) for n in _NUMBER.findall(text or "")]


def _box(text: str | None) -> tuple[float, float, float, float] | None:
    values = _numbers(text)
    return (values[0], values[1], values[2], values[3]) if len(values) == 4 else None


def _matrix(text: str | None) -> Matrix:
    values = _numbers(text)
    return (values[0], values[1], values[2], values[3], values[4], values[5]) if len(values) == 6 else _IDENTITY


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _advances(text: str | None) -> list[float]:
    """DeltaX/DeltaY: numbers, where `g N v` stands for N advances of v."""
    tokens = (text or "").split()
    out: list[float] = []
    k = 0
    while k < len(tokens):
        if tokens[k] == "g" and k + 2 < len(tokens):
            out += [float(tokens[k + 2])] * int(float(tokens[k + 1]))
            k += 3
        else:
            out.append(float(tokens[k]))
            k += 1
    return out


def _objects(content: etree._Element) -> tuple[list[Char], list[Rule], list[Rule]]:
    chars: list[Char] = []
    horizontal: list[Rule] = []
    vertical: list[Rule] = []
    for element in content.iter("{*}TextObject", "{*}PathObject"):
        box = _box(element.get("Boundary"))
        if box is None:
            continue
        ctm = _matrix(element.get("CTM"))
        if etree.QName(element).localname == "TextObject":
            chars += _text_chars(element, box, ctm)
        else:
            _path_rules(element, box, ctm, horizontal, vertical)
    return chars, horizontal, vertical


def _text_chars(element: etree._Element, box: tuple[float, float, float, float], ctm: Matrix) -> list[Char]:
    size = float(element.get("Size") or 0) or 3.5
    scale = abs(ctm[3]) or 1.0
    height = size * scale
    chars: list[Char] = []
    for code in element.iter("{*}TextCode"):
        text = code.text or ""
        x, y = float(code.get("X") or 0), float(code.get("Y") or 0)
        steps, drops = _advances(code.get("DeltaX")), _advances(code.get("DeltaY"))
        for k, ch in enumerate(text):
            advance = steps[k] if k < len(steps) else 0.0
            # The glyph's own width: the advance to the next character, unless that jumps past an em (one
            # text object may run across a table's cells): then an em (half of one for a Latin letter).
            width = advance if 0 < advance <= size else size * (_LATIN_EM if ch.isascii() else 1.0)
            left, baseline = _apply(ctm, x, y)
            right, _ = _apply(ctm, x + width, y)
            if ch.isprintable():
                x0, x1 = box[0] + min(left, right), box[0] + max(left, right)
                top, bottom = box[1] + baseline - height * _ASCENT, box[1] + baseline + height * (1 - _ASCENT)
                chars.append(
                    Char(ch, x0 * POINTS_PER_MM, top * POINTS_PER_MM, x1 * POINTS_PER_MM, bottom * POINTS_PER_MM)
                )
            x += advance
            y += drops[k] if k < len(drops) else 0.0
    return chars


def _path_rules(
    element: etree._Element,
    box: tuple[float, float, float, float],
    ctm: Matrix,
    horizontal: list[Rule],
    vertical: list[Rule],
) -> None:
    """The straight strokes of a path (M/L segments; a closed box's four sides) as ruling lines."""
    data = next(element.iter("{*}AbbreviatedData"), None)
    tokens = _PATH_TOKEN.findall(data.text or "") if data is not None else []
    points: list[tuple[float, float]] = []
    start: tuple[float, float] | None = None
    k = 0
    while k < len(tokens):
        command = tokens[k]
        k += 1
        if command in ("S", "M", "L"):  # S starts a path, M starts a subpath, L draws to a point
            x, y = _apply(ctm, float(tokens[k]), float(tokens[k + 1]))
            k += 2
            point = ((box[0] + x) * POINTS_PER_MM, (box[1] + y) * POINTS_PER_MM)
            if command == "L" and points:  # a stroke from the last point
                _segment(points[-1], point, horizontal, vertical)
            else:
                start = point
            points.append(point)
        elif command == "C" and points and start is not None:  # close: back to the subpath's start
            _segment(points[-1], start, horizontal, vertical)
            points.append(start)
        elif command in ("B", "Q", "A"):  # curves are no ruling lines: skip their numbers
            k += {"B": 6, "Q": 4, "A": 7}[command]
            points = []


def _segment(a: tuple[float, float], b: tuple[float, float], horizontal: list[Rule], vertical: list[Rule]) -> None:
    (x0, y0), (x1, y1) = a, b
    if abs(y1 - y0) <= SNAP and abs(x1 - x0) >= MIN_RULE:
        horizontal.append(((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
    elif abs(x1 - x0) <= SNAP and abs(y1 - y0) >= MIN_RULE:
        vertical.append(((x0 + x1) / 2, min(y0, y1), max(y0, y1)))

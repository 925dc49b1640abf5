"""OFD (GB/T 33190, the format of China's electronic official documents, 电子公文): read like a PDF.

An .ofd file is a zip: OFD.xml names the document's root (Doc_0/Document.xml), which lists its
pages; each page's Content.xml places text objects (runs of characters: a box, a font size, each
TextCode's baseline origin X/Y, the TextCode before's X or Y when missing, and the advance to each
next character, DeltaX, where `g 5 3.5` stands for five advances of 3.5) and path objects (ruling
lines: `M x y L x y`, boxes closed by `C`; a box filled but not stroked is shading, no rule) in
millimetres, y down from the top, relative to the object's box and its transformation (CTM, which
may scale or rotate). The characters and ruling lines are turned into points and laid out by the
PDF reader's rules (lines, ruled tables, tables going on over pages, running headers), so both
formats read a plan the same way. A page's template (a letterhead, a page number) is not read.
A file that cannot be read is refused naming the file, and the page where it can. A page with no text
that draws images (a scan) is drawn again from its images and read by OCR (readers/ocr.py).
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
import zlib
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from lxml import etree

from wufei.importers.document import Document
from wufei.importers.readers.pdf import MIN_RULE, SNAP, Char, Rule, is_scan, layout_page, pages_document
from wufei.importers.records import ImportError_

log = logging.getLogger(__name__)

POINTS_PER_MM = 72 / 25.4
SCANNED = "该 OFD 文件没有文字（可能是扫描件），请提供 Word 版或文字版"
A4 = (0.0, 0.0, 210.0, 297.0)
MIN_SCAN_DPI, MAX_SCAN_DPI = 200.0, 600.0  # a scanned page is drawn again for OCR at its own resolution, within these
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_PATH_TOKEN = re.compile(r"[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_ASCENT = 0.88  # of the font size above the baseline; the rest below it
_LAST_GLYPH_EMS = 1.0  # a run's last character has no advance: an em at most, up to the next character
_CURVE_NUMBERS = {"B": 6, "Q": 4, "A": 7}  # curves are no ruling lines: their numbers are skipped
# What a malformed page raises while it is read (a number that is none, a path cut short).
_MALFORMED = (ValueError, IndexError, KeyError, ZeroDivisionError, OverflowError)
# What reading a part out of the archive raises: a part encrypted (RuntimeError), compressed by a method zipfile
# does not know (NotImplementedError), or damaged (a CRC or deflate error, the data cut short).
_UNPACKING = (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError)

Matrix = tuple[float, float, float, float, float, float]
Box = tuple[float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def read_ofd(path: Path) -> Document:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportError_(str(path), "无法打开 OFD 文件（不是 OFD 压缩包，文件可能已损坏）") from exc
    with archive:
        pages, scans = _pages(archive, path)
        if scans:
            document = _read_scans(archive, path, scans, pages)
            document.format = "ofd"
            return document
    if not pages:
        raise ImportError_(str(path), "OFD 文件中没有页面")
    if not any(page.blocks for page in pages):
        raise ImportError_(str(path), SCANNED)
    document = pages_document(str(path), pages)
    document.format = "ofd"
    return document


@dataclass
class _Scan:
    """A page with no text whose image objects (a scan) are read by OCR: each image's part file, and the
    box it fills on the page (millimetres)."""

    number: int
    box: Box
    images: list[tuple[str, Box]]


def _read_scans(archive: zipfile.ZipFile, path: Path, scans: list[_Scan], pages: list) -> Document:
    """Scanned pages drawn again at the OCR's resolution (each image stretched over its box) and read by OCR,
    with the pages that have text."""
    from PIL import Image

    from wufei.importers.readers import ocr  # Pillow, numpy and the tesseract program: only for scans

    by_number = {scan.number: scan for scan in scans}

    def render(number: int) -> tuple[Image.Image, float]:
        scan = by_number[number]
        images: list[tuple[Image.Image, Box]] = []
        for name, box in scan.images:
            unreadable = f"OFD 文件第{scan.number}页的图片「{name}」"
            data = _part(archive, name, path)
            try:
                with Image.open(io.BytesIO(data)) as opened:
                    if opened.width * opened.height > ocr.MAX_PIXELS:
                        raise ImportError_(str(path), unreadable + ocr.too_many_pixels(opened.width, opened.height))
                    images.append((opened.convert("L"), box))
            except Image.DecompressionBombError as exc:
                raise ImportError_(str(path), unreadable + "像素过多（可能是异常构造的文件），无法读取") from exc
            except ocr.UNREADABLE_IMAGE as exc:
                raise ImportError_(str(path), unreadable + "无法读取，文件可能已损坏") from exc
        # At the scan's own resolution (its sharpest image's): resampling a black-and-white scan blurs it.
        native = max((image.width / (box[2] / 25.4) for image, box in images if box[2] > 0), default=MIN_SCAN_DPI)
        dpi = ocr.fitting_dpi(scan.box[2], scan.box[3], min(max(native, MIN_SCAN_DPI), MAX_SCAN_DPI), str(path), number)
        pixels_per_mm = dpi / 25.4
        canvas = Image.new("L", (round(scan.box[2] * pixels_per_mm), round(scan.box[3] * pixels_per_mm)), 255)
        for image, (x, y, width, height) in images:
            size = (max(round(width * pixels_per_mm), 1), max(round(height * pixels_per_mm), 1))
            if size[0] * size[1] > ocr.MAX_PIXELS:  # a crafted box far larger than the page
                raise ImportError_(str(path), f"OFD 文件第{scan.number}页的图片{ocr.too_many_pixels(*size)}")
            placed = image if image.size == size else image.resize(size)
            canvas.paste(placed, (round((x - scan.box[0]) * pixels_per_mm), round((y - scan.box[1]) * pixels_per_mm)))
        return canvas, dpi

    return ocr.read_scanned_pages(str(path), list(by_number), render, pages)


def _pages(archive: zipfile.ZipFile, path: Path) -> tuple[list, list[_Scan]]:
    """The pages with text laid out, and the pages that are scans (no text, images drawn)."""
    names = {name.lower(): name for name in archive.namelist()}
    if "ofd.xml" not in names:
        raise ImportError_(str(path), "不是 OFD 文件：压缩包中没有 OFD.xml")
    root = _xml(archive, names["ofd.xml"], path)
    root_name = _text(root, "DocRoot")
    if not root_name:
        head = etree.tostring(root, encoding="unicode")[:80]
        raise ImportError_(str(path), "OFD.xml 中没有文档根节点（DocRoot）", text=head)
    document_name = _find(names, PurePosixPath("."), root_name)
    if document_name is None:
        raise ImportError_(str(path), f"OFD 文件缺少文档「{root_name}」")
    document = _xml(archive, document_name, path)
    folder = PurePosixPath(document_name).parent
    try:
        default_box = _box(_text(document, "PhysicalBox")) or A4
    except _MALFORMED:
        default_box = A4
    media = _media(archive, names, document, folder)
    pages = []
    scans: list[_Scan] = []
    for number, page in enumerate(document.iter("{*}Page"), start=1):
        location = page.get("BaseLoc")
        if not location:
            continue
        name = _find(names, folder, location)
        if name is None:
            raise ImportError_(str(path), f"OFD 文件缺少第{number}页（{location}）")
        content = _xml(archive, name, path)
        try:
            box = _box(_text(content, "PhysicalBox")) or default_box
            chars, horizontal, vertical = _objects(content)
            images = [
                (media[image.get("ResourceID", "")], boxed)
                for image in content.iter("{*}ImageObject")
                if image.get("ResourceID", "") in media and (boxed := _box(image.get("Boundary"))) is not None
            ]
            if images and is_scan(chars, _covered(images, box), box[2] * box[3]):
                scans.append(_Scan(number, box, images))
                continue
            width, height = box[2] * POINTS_PER_MM, box[3] * POINTS_PER_MM
            pages.append(layout_page(number, width, height, chars, horizontal, vertical))
        except _MALFORMED as exc:
            log.warning("OFD %s page %s (%s) is malformed: %r", path, number, name, exc)
            raise ImportError_(
                str(path), f"OFD 文件第{number}页无法读取（{name} 中有无法识别的数值、路径或位置）"
            ) from exc
    return pages, scans


def _covered(images: list[tuple[str, Box]], page: Box) -> float:
    """The area the images' boxes cover on the page (mm², overlaps counted twice)."""
    right, bottom = page[0] + page[2], page[1] + page[3]
    return sum(
        max(min(x + w, right) - max(x, page[0]), 0.0) * max(min(y + h, bottom) - max(y, page[1]), 0.0)
        for _, (x, y, w, h) in images
    )


def _media(
    archive: zipfile.ZipFile, names: dict[str, str], document: etree._Element, folder: PurePosixPath
) -> dict[str, str]:
    """The image files of the document's resources (PublicRes, DocumentRes), by resource ID: each resource
    file names a folder (BaseLoc) its media files are in."""
    found: dict[str, str] = {}
    for tag in ("PublicRes", "DocumentRes"):
        for element in document.iter(f"{{*}}{tag}"):
            res_name = _find(names, folder, (element.text or "").strip()) if element.text else None
            if res_name is None:
                continue
            try:
                res = etree.fromstring(archive.read(res_name))
            except (etree.XMLSyntaxError, *_UNPACKING):
                continue  # a page that draws from it is then read as having no image
            base = PurePosixPath(res_name).parent / res.get("BaseLoc", "")
            for item in res.iter("{*}MultiMedia"):
                file = next(item.iter("{*}MediaFile"), None)
                located = _find(names, base, file.text.strip()) if file is not None and file.text else None
                if located is not None:
                    found[item.get("ID", "")] = located
    return found


def _find(names: dict[str, str], folder: PurePosixPath, location: str) -> str | None:
    """A part named by a BaseLoc or DocRoot: relative to the naming file's folder (the standard's
    layout), else from the package's root; %-escapes decoded and case ignored if need be."""
    for raw in (location, unquote(location)):
        relative = raw.lstrip("/")
        candidates = [relative] if raw.startswith("/") else [str(folder / relative), relative]
        for candidate in candidates:
            found = names.get(str(PurePosixPath(candidate)).lower())
            if found is not None:
                return found
    return None


def _xml(archive: zipfile.ZipFile, name: str, path: Path) -> etree._Element:
    """A part of the archive parsed as XML; refused in Chinese naming the part (what lxml said, in English, goes
    to the log), its first characters shown."""
    data = _part(archive, name, path)
    try:
        return etree.fromstring(data)
    except etree.XMLSyntaxError as exc:
        log.warning("OFD %s part %s is not well-formed XML: %s", path, name, exc)
        where = f"第{exc.lineno}行" if exc.lineno else ""
        message = f"OFD 文件中的「{name}」无法读取（不是完整的 XML，{where}有误，文件可能已损坏）"
        raise ImportError_(str(path), message, text=data[:80].decode("utf-8", "replace")) from exc


def _part(archive: zipfile.ZipFile, name: str, path: Path) -> bytes:
    """A part's bytes; refused in Chinese naming the part and why it cannot be unpacked (zipfile's English
    to the log)."""
    try:
        return archive.read(name)
    except _UNPACKING as exc:
        log.warning("OFD %s part %s cannot be unpacked: %r", path, name, exc)
        # NotImplementedError is a RuntimeError: an unknown method; zipfile raises RuntimeError for a password.
        if isinstance(exc, RuntimeError) and not isinstance(exc, NotImplementedError) and "password" in str(exc):
            why = "已加密，需要密码"
        elif isinstance(exc, RuntimeError):
            why = "使用了不支持的压缩方式"
        else:
            why = "压缩数据已损坏或不完整"
        raise ImportError_(
            str(path), f"OFD 文件中的「{name}」无法解压（{why}），请重新导出或提供 PDF 版、Word 版"
        ) from exc


def _text(root: etree._Element, tag: str) -> str | None:
    found = next(root.iter(f"{{*}}{tag}"), None)
    return found.text.strip() if found is not None and found.text else None


def _numbers(text: str | None) -> list[float]:
    return [float(n) for n in _NUMBER.findall(text or "")]


def _box(text: str | None) -> Box | None:
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
        if tokens[k] == "g":
            out += [float(tokens[k + 2])] * int(float(tokens[k + 1]))
            k += 3
        else:
            out.append(float(tokens[k]))
            k += 1
    return out


def _objects(content: etree._Element) -> tuple[list[Char], list[Rule], list[Rule]]:
    chars: list[Char] = []
    guessed: list[tuple[int, float]] = []  # characters whose width was guessed, and an em
    horizontal: list[Rule] = []
    vertical: list[Rule] = []
    for element in content.iter("{*}TextObject", "{*}PathObject"):
        box = _box(element.get("Boundary"))
        if box is None:  # required by the standard: an object placed nowhere is a broken page
            raise ValueError(f"对象 {element.get('ID', '')} 的位置（Boundary）无法读取：{element.get('Boundary')}")
        ctm = _matrix(element.get("CTM"))
        if etree.QName(element).localname == "TextObject":
            _text_chars(element, box, ctm, chars, guessed)
        else:
            _path_rules(element, box, ctm, horizontal, vertical)
    _fit_guessed(chars, guessed)
    return chars, horizontal, vertical


def _text_chars(
    element: etree._Element, box: Box, ctm: Matrix, chars: list[Char], guessed: list[tuple[int, float]]
) -> None:
    size = float(_numbers(element.get("Size"))[0]) if _numbers(element.get("Size")) else 3.5
    given_x = given_y = 0.0
    for code in element.iter("{*}TextCode"):
        text = code.text or ""
        # A TextCode without X or Y takes the X or Y of the TextCode before it (GB/T 33190, 11.3).
        given_x = float(code.get("X")) if code.get("X") is not None else given_x
        given_y = float(code.get("Y")) if code.get("Y") is not None else given_y
        x, y = given_x, given_y
        steps, drops = _advances(code.get("DeltaX")), _advances(code.get("DeltaY"))
        for k, ch in enumerate(text):
            advance = steps[k] if k < len(steps) else 0.0
            # The glyph's own width: the advance to the next character, unless that jumps past an em (one
            # text object may run across a table's cells) or there is none (the run's last character).
            known = 0 < advance <= size
            width = advance if known else size * _LAST_GLYPH_EMS
            if ch.isprintable():
                corners = [
                    _apply(ctm, x + dx, y + dy) for dx in (0.0, width) for dy in (-size * _ASCENT, size * (1 - _ASCENT))
                ]
                xs, ys = [box[0] + c[0] for c in corners], [box[1] + c[1] for c in corners]
                if not known:
                    guessed.append((len(chars), (max(ys) - min(ys)) * POINTS_PER_MM))
                chars.append(
                    Char(
                        ch,
                        min(xs) * POINTS_PER_MM,
                        min(ys) * POINTS_PER_MM,
                        max(xs) * POINTS_PER_MM,
                        max(ys) * POINTS_PER_MM,
                    )
                )
            x += advance
            y += drops[k] if k < len(drops) else 0.0


def _fit_guessed(chars: list[Char], guessed: list[tuple[int, float]]) -> None:
    """A character whose width was guessed ends where the next character on its line starts, if
    that comes first: 仿宋「达到」 then Times「95%」 then 仿宋「以上」 in three objects read 达到95%以上,
    with no space the guess would open or a cell border it would cross."""
    if not guessed:
        return
    rows: dict[int, list[float]] = defaultdict(list)
    for char in chars:
        rows[round(char.y1)].append(char.x0)
    for row in rows.values():
        row.sort()
    for index, _ in guessed:
        char = chars[index]
        starts = sorted(
            x for key in (round(char.y1) - 1, round(char.y1), round(char.y1) + 1) for x in rows.get(key, [])
        )
        at = bisect_right(starts, char.x0 + 0.01)
        if at < len(starts) and starts[at] < char.x1:
            char.x1 = max(starts[at], char.x0 + 0.1)


def _path_rules(element: etree._Element, box: Box, ctm: Matrix, horizontal: list[Rule], vertical: list[Rule]) -> None:
    """The straight strokes of a path (M/L segments; a closed box's four sides) as ruling lines; a
    box filled and not stroked is shading, unless it is as thin as a rule (a bar drawn filled)."""
    stroked = element.get("Stroke", "true").lower() != "false"
    filled = element.get("Fill", "false").lower() == "true"
    data = next(element.iter("{*}AbbreviatedData"), None)
    tokens = _PATH_TOKEN.findall(data.text or "") if data is not None else []
    found_h: list[Rule] = []
    found_v: list[Rule] = []
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
                _segment(points[-1], point, found_h, found_v)
            else:
                start = point
            points.append(point)
        elif command == "C" and points and start is not None:  # close: back to the subpath's start
            _segment(points[-1], start, found_h, found_v)
            points.append(start)
        elif command in _CURVE_NUMBERS:
            k += _CURVE_NUMBERS[command]
            points = []
    if stroked:
        horizontal += found_h
        vertical += found_v
    elif filled:
        width, height = box[2] * POINTS_PER_MM, box[3] * POINTS_PER_MM
        left, top = box[0] * POINTS_PER_MM, box[1] * POINTS_PER_MM
        if height <= SNAP and width >= MIN_RULE:
            horizontal.append((top + height / 2, left, left + width))
        elif width <= SNAP and height >= MIN_RULE:
            vertical.append((left + width / 2, top, top + height))


def _segment(a: tuple[float, float], b: tuple[float, float], horizontal: list[Rule], vertical: list[Rule]) -> None:
    (x0, y0), (x1, y1) = a, b
    if abs(y1 - y0) <= SNAP and abs(x1 - x0) >= MIN_RULE:
        horizontal.append(((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
    elif abs(x1 - x0) <= SNAP and abs(y1 - y0) >= MIN_RULE:
        vertical.append(((x0 + x1) / 2, min(y0, y1), max(y0, y1)))

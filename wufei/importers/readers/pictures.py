"""Pictures inside a Word file or a web page, read by OCR in their place.

Offices often paste a task list into a document as pictures: its pages scanned or screenshotted, one picture
a page. Each picture big enough to hold text is read by the same OCR path as a scanned page (`ocr.recognise`:
its ruling lines found, each cell read alone) and laid out as a page; the pictures following one another with
no text between them are a run of pages, assembled by the PDF reader's rules (`pages_document`), so a table
pictured over two pages is one table. The run's lines and tables go into the document's own at the picture's
place, named 第N张图片 (N counts every picture of the document, as a person counts them), and every record
read from a picture is flagged for checking like a scan's.

A picture too small to hold a line of text is skipped: under MIN_WIDTH_PX by MIN_HEIGHT_PX pixels (an icon,
a bullet, a rule drawn as an image), or printed under MIN_PRINTED_CM wide where the document gives its size (a
seal is 4-4.5 cm across, a logo smaller; a pictured table or page is the width of the text, 14-16 cm). A
picture that cannot be found (a web page saved without its folder) or opened is named in a doubt; it never
stops the document being read, nor does Tesseract failing on one picture. A picture shown many times is
read once, and a document's reading is capped (MAX_READ pictures, PIXEL_BUDGET pixels): the pictures past it
are named in one doubt. Only a page-sized picture is asked how it is turned (OSD). In a document with text
of its own a picture that reads poorly (under POOR_PICTURE) and holds no table adds no lines, only a doubt: a
seal's or a letterhead's reading is garbage. This reader fetches
nothing: a Word picture linked, not stored (at http://… or file:///…), is named in a doubt of its own (第N张图片
链接到外部地址 …，未读取), and a web page's pictures come only from its own folder, its data: URIs or its archive.

The pictures of a file converted by LibreOffice (.doc, .wps, .rtf, .odt) are not read, only named in one doubt:
LibreOffice embeds the file a link in the original points to (an .rtf's INCLUDEPICTURE "file:///etc/…"), so a
picture there may be a file of the server's disk, not of the upload. (The conversion itself still follows such
links; only what they bring is not shown.)
"""

from __future__ import annotations

import hashlib
import io
import logging
import re

from PIL import Image

from wufei.importers.document import Document, Recognition, Table
from wufei.importers.readers import ocr
from wufei.importers.readers.pdf import _Page, _PageTable, pages_document
from wufei.importers.records import Doubt, ImportError_
from wufei.importers.text.recognised import page_names

log = logging.getLogger(__name__)

MIN_WIDTH_PX = 300  # a line of a dozen 10.5-point characters at 96 dpi (a screenshot) is 170 px wide
MIN_HEIGHT_PX = 40  # two such lines
MIN_PRINTED_CM = 5.0  # printed narrower: a seal (4.2 cm) or a logo
UNIT = "张图片"
SHOWN_MISSING = 10  # pictures not found named in the doubt
MAX_READ = 30  # pictures read by OCR in one document (1.4-1.6 s of CPU each); the rest named in a doubt
PIXEL_BUDGET = 100_000_000  # pixels read by OCR in one document: 25 A4 pages at 200 dpi
POOR_PICTURE = 50.0  # mean confidence under which a picture without a table is taken for a seal, a letterhead, a photo
PAGE_SIDE_PX = 1000  # a picture this big both ways may be a page turned on its side (an A5 at 200 dpi: 1165)
_PAGE_WHERE = re.compile(r"^第(\d+(?:-\d+)?)页")

ONLY_PICTURES = (
    "文件中的内容是图片，需要文字识别（OCR）才能读取，但本机未安装 Tesseract 或其简体中文语言包："
    "请安装（apt-get install tesseract-ocr tesseract-ocr-chi-sim）后重新导入，或提供文字版"
)
MISSING_TESSERACT = (
    "中的内容是图片，需要文字识别（OCR）才能读取，但本机未安装 Tesseract 或其简体中文语言包，未读取，"
    "其中的内容未导入：请安装（apt-get install tesseract-ocr tesseract-ocr-chi-sim）后重新导入，或对照原件补录"
)

CONVERTED = "请另存为 .docx 或 PDF 后导入"


def linked_doubt(number: int, address: str) -> Doubt:
    """A picture the document links to, not stores: nothing outside the upload is read."""
    return Doubt(
        "record",
        f"第{number}{UNIT}链接到外部地址 {address}，未读取（只读取文件中保存的图片）："
        "如其中有任务清单，请将图片保存在文件中后重新导入，或对照原件补录",
    )


class Pictures:
    """The pictures of one document as its reader meets them: `add` each in reading order, `flush` before the
    document's own next text or table (the run read so far goes in there), `finish` at the end."""

    def __init__(self, path: str, *, read: bool = True):
        self.path = path
        self.read = read  # False: a file LibreOffice converted, whose pictures may come from the server's disk
        self.count = 0  # pictures met, read or not
        self.run: list[_Page] = []
        self.recognised: list[Recognition] = []
        self.line_pictures: dict[int, int] = {}  # 1-based line of the document -> the picture it was read from
        self.doubts: list[Doubt] = []
        self.unread: list[int] = []  # pictures not read for want of Tesseract
        self.converted: list[int] = []  # pictures of a converted file, not read
        self.over: list[int] = []  # pictures past MAX_READ or PIXEL_BUDGET, not read
        self.seen: set[bytes] = set()  # digests of the pictures read: one picture shown many times is read once
        self.pixels = 0  # read so far
        self.poor: list[tuple[_Page, Recognition]] = []  # read poorly, no table: kept out unless nothing else is read
        self.missing: list[str] = []  # pictures not found: 第3张图片（通知_files/image002.png）
        self._program: str | bool | None = False  # not looked for yet

    def add(self, data: bytes | None, source: str, printed_cm: float | None = None, *, linked: bool = False) -> None:
        """The next picture: its bytes (None when it cannot be found), where it came from (a file name or
        address, for the doubt), and its printed width when the document gives it. `linked`: the document
        links to it at `source`, not stores it (never fetched)."""
        self.count += 1
        number = self.count
        if linked:
            self.doubts.append(linked_doubt(number, source))
            return
        if data is None:
            self.missing.append(f"第{number}{UNIT}（{source}）")
            return
        if printed_cm is not None and printed_cm < MIN_PRINTED_CM:
            return
        if not self.read:
            self.converted.append(number)  # not opened: its size or format says nothing of where it came from
            return
        try:
            with Image.open(io.BytesIO(data)) as image:
                if image.width < MIN_WIDTH_PX or image.height < MIN_HEIGHT_PX:
                    return
                if image.width * image.height > ocr.MAX_PIXELS:
                    message = f"第{number}{UNIT}{ocr.too_many_pixels(image.width, image.height)}"
                    self.doubts.append(Doubt("record", message))
                    return
                program = self._tesseract()
                if program is None:
                    self.unread.append(number)
                    return
                digest = hashlib.sha1(data).digest()
                if digest in self.seen:
                    return  # shown again: read where it first stood
                if len(self.seen) >= MAX_READ or self.pixels + image.width * image.height > PIXEL_BUDGET:
                    self.over.append(number)
                    return
                self.seen.add(digest)
                frame, dpi = ocr.prepared(image)
                self.pixels += frame.width * frame.height
        except Image.DecompressionBombError:
            self.doubts.append(Doubt("record", f"第{number}{UNIT}像素过多（可能是异常构造的文件），未读取"))
            return
        except ocr.UNREADABLE_IMAGE as exc:
            log.info("picture %d of %s (%s) not opened: %s", number, self.path, source, exc)
            message = f"第{number}{UNIT}（{source}）无法打开（格式不支持或已损坏），其中的内容未导入：请对照原件补录"
            self.doubts.append(Doubt("record", message))
            return
        page_sized = min(frame.width, frame.height) >= PAGE_SIDE_PX
        try:
            page, found = ocr.recognise(program, frame, number, dpi, self.path, UNIT, turned=page_sized)
        except ImportError_ as exc:  # Tesseract timed out or crashed on this picture: the rest is still read
            log.info("picture %d of %s (%s) not read: %s", number, self.path, source, exc.message)
            reason = exc.__cause__.reason if isinstance(exc.__cause__, ocr.OcrFailed) else "文字识别（OCR）失败"
            message = f"第{number}{UNIT}（{source}）{reason}，其中的内容未导入：请重新导入，或对照原件补录"
            self.doubts.append(Doubt("record", message))
            return
        table = any(isinstance(block, _PageTable) for block in page.blocks)
        if found.confidences and found.mean_confidence < POOR_PICTURE and not table:
            self.poor.append((page, found))
            return
        self.run.append(page)
        self.recognised.append(found)

    def flush(self, lines: list[str], tables: list[Table]) -> None:
        """The run of pictures read so far laid into the document's lines and tables at their end."""
        if not self.run:
            return
        read = pages_document(self.path, self.run)
        self.run = []
        offset = len(lines)
        for k, line in enumerate(read.lines):
            lines.append(line)
            self.line_pictures[offset + k + 1] = (read.pages or [])[k]
        for table in read.tables:
            table.start_line += offset
            table.end_line += offset
            table.where = _picture_where(table.where)
            for row in table.rows:
                row.line += offset
                row.where = _picture_where(row.where)
            tables.append(table)

    def finish(self, document: Document) -> None:
        """What was read and what was not, on the document; a document with nothing else to read whose
        pictures could not be read for want of Tesseract is refused saying what to install."""
        own_text = any(line.strip() for k, line in enumerate(document.lines, 1) if k not in self.line_pictures)
        if self.poor and (own_text or document.tables):
            # A seal, a letterhead or a photo beside the document's own text: its reading would be garbage lines.
            numbers = [page.number for page, _ in self.poor]
            mean = sum(found.mean_confidence for _, found in self.poor) / len(self.poor)
            message = (
                f"{_named(numbers)}文字识别（OCR）置信度低（平均 {mean:.0f}），可能是印章、红头或照片，未导入："
                "如其中有任务，请对照原件补录"
            )
            self.doubts.append(Doubt("record", message))
        elif self.poor:  # nothing else to read: what the pictures give is shown, flagged
            self.run = [page for page, _ in self.poor]
            self.recognised += [found for _, found in self.poor]
            self.flush(document.lines, document.tables)
        document.line_pictures = self.line_pictures
        document.doubts.extend(self.doubts)
        if self.missing:
            # One doubt for them all: a page saved without its folder misses its icons too.
            named = "、".join(self.missing[:SHOWN_MISSING]) + ("等" if len(self.missing) > SHOWN_MISSING else "")
            message = f"{len(self.missing)} 张图片未找到，其中的内容未导入：{named}；如其中有任务清单，请对照原件补录"
            document.doubts.append(Doubt("record", message))
        if self.converted:
            message = f"文件中有{len(self.converted)}张图片未识别（{page_names(self.converted, UNIT)}）：{CONVERTED}"
            document.doubts.append(Doubt("record", message))
        if self.over:
            message = (
                f"文件中图片过多（超过 {MAX_READ} 张或共 {PIXEL_BUDGET // 10_000} 万像素），"
                f"{_named(self.over)}未识别，其中的内容未导入：请分成几个文件导入，或对照原件补录"
            )
            document.doubts.append(Doubt("record", message))
        if self.unread:
            if not any(line.strip() for line in document.lines) and not document.tables:
                raise ImportError_(self.path, ONLY_PICTURES)
            document.doubts.append(Doubt("record", page_names(self.unread, UNIT) + MISSING_TESSERACT))
        recognised = [found for found in self.recognised if found.confidences]
        if recognised:
            document.ocr = ocr.combined(recognised, UNIT)

    def _tesseract(self) -> str | None:
        if self._program is False:
            self._program = ocr.find_tesseract()
        return self._program if isinstance(self._program, str) else None


def _named(numbers: list[int]) -> str:
    """第31-40张图片, or the first SHOWN_MISSING of scattered ones and 等."""
    if len(numbers) <= SHOWN_MISSING or numbers == list(range(numbers[0], numbers[-1] + 1)):
        return page_names(numbers, UNIT)
    return page_names(numbers[:SHOWN_MISSING], UNIT) + "等"


def big_enough(data: bytes, printed_cm: float | None = None) -> bool:
    """Whether a picture's bytes open as one big enough to hold text (its header only is read)."""
    if printed_cm is not None and printed_cm < MIN_PRINTED_CM:
        return False
    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.width >= MIN_WIDTH_PX and image.height >= MIN_HEIGHT_PX
    except (Image.DecompressionBombError, *ocr.UNREADABLE_IMAGE):
        return False


def _picture_where(where: str | None) -> str | None:
    """第2页表1第3行, as the PDF reader names a page's row, named for the picture: 第2张图片表1第3行."""
    return _PAGE_WHERE.sub(lambda m: f"第{m.group(1)}{UNIT}", where) if where else where

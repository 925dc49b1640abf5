"""Scanned pages read by OCR: an image-only PDF or OFD page, a photo or scan of a list (.png/.jpg/.tif).

Tesseract (the `tesseract` program with its Simplified Chinese data, chi_sim) reads each page image
and gives its words with their boxes and confidence (`tsv` output). The words become characters with
positions in points, and a table's ruling lines are found in the image itself (long thin runs of dark
pixels); both go to the PDF reader's `layout_page`, so a scan's tables, paragraphs, tables going on
over pages and running headers are read by the same rules as a printed PDF's. The rules are painted
out of the image before Tesseract reads it: left in, they are read as 「|」 and 「“」 beside the text.

What OCR read is never trusted silently: the document carries a `Recognition` (the pages, each word's
confidence, the words it was unsure of), from which every record gets a doubt for a person to check
against the paper.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from wufei.importers.document import Document, LowConfidence, Recognition
from wufei.importers.readers.pdf import Char, Rule, _Page, layout_page, pages_document, tables_of
from wufei.importers.records import Doubt, ImportError_
from wufei.importers.text.recognised import page_names

log = logging.getLogger(__name__)

DPI = 300  # a PDF page is rendered at this resolution: 200 dpi misread 牵头 as 达头 and 固体 as 国体 on a 10.5 pt table
MIN_IMAGE_DPI = 150  # an image saying less is taken as scanned at DPI
ENLARGE_UNDER_DPI = 180  # an image scanned at less is enlarged to DPI (a PNG stores 200 dpi as 199.9994)
# A page image holds at most this many pixels (an A0 sheet at 200 dpi; 50 MB grey): a crafted page or image
# bigger would take gigabytes. A page is drawn at a lower resolution to fit, down to MIN_DRAW_DPI.
MAX_PIXELS = 50_000_000
MIN_DRAW_DPI = 100.0
MAX_FRAMES = 100  # pages of one TIFF
# What Pillow raises on a broken or truncated image (SyntaxError and EOFError from some decoders).
UNREADABLE_IMAGE = (UnidentifiedImageError, OSError, ValueError, EOFError, SyntaxError)
LANGUAGE = "chi_sim"
LOW_CONFIDENCE = 60.0  # Tesseract's confidence (0-100) under which a word is shown to a person
TIMEOUT_SECONDS = 300  # one page
DARK = 128  # grey level under which a pixel is ink
# A ruling line is a run of ink at least this share of the page's width (horizontal) or height (vertical):
# longer than a character's stroke or a dash, shorter than the narrowest table column or one-line row.
RULE_SHARE_WIDE = 1 / 25
RULE_SHARE_TALL = 1 / 35
RULE_MARGIN_PX = 3  # pixels around a ruling line painted out with it
RULE_THICKNESS_PX = 6  # thicker runs are a filled area, not a line
# A ruling line broken by a faint copy or a dotted border: gaps up to this (inches) along it are closed before
# its runs are measured.
RULE_GAP_INCHES = 1 / 30  # 10 pixels at 300 dpi: a dotted border's gaps, narrower than most gaps between words
# A horizontal line with gaps is at least this share of the page's width: a table's rule runs across it, while
# the row along the tops of a few characters (一二三) runs on for two to four of them (100-220 pixels).
BROKEN_RULE_SHARE_WIDE = 1 / 5
RULE_SIDE_PX = 12  # a vertical line's sides: the columns from RULE_MARGIN_PX to this beyond its edge
RULE_CLEAR_SIDE = 0.1  # share of its length inked under which a side is clear
RULE_BROKEN = 0.5  # share of its length inked under which a closed line is no rule (a dotted rule's dots: half)
# A page scanned or photographed askew (office copiers: 0.5-3 degrees, a phone held by hand more) is straightened
# before its rules are found: a ruling line 1 degree off rises 40 pixels across an A4 page at 300 dpi, and is no
# row's run.
MAX_SKEW = 15.0  # degrees either way searched (±5 before: 0.011 s a page; ±15: 0.019 s)
SKEW_STEP, SKEW_FINE_STEP = 0.25, 0.05  # degrees: a coarse search, then a fine one round its best
SKEW_WIDTH = 1000  # pixels: the page is shrunk to about this width to estimate its skew (0.01-0.04 s a page)
STRAIGHT = 0.15  # degrees: a page estimated under this is read as it is (a straight bilevel page: 0.1 at most)
POOR_CONFIDENCE = 50.0  # a page read with a mean confidence under this may be turned: its orientation is asked
# Words around a page's tables enough to judge it reads poorly before its cells are read: a paragraph (the
# table scan's page 1 upside down: 736 words, mean 20); not the marks left of a skewed page's rules (page 2
# turned by 1 degree: 14 words, mean 37, its whole read 81).
PROBE_WORDS = 50
MISSING = (
    "是扫描件（图片），需要文字识别（OCR）才能读取，但本机未安装 Tesseract 或其简体中文语言包："
    "请安装（apt-get install tesseract-ocr tesseract-ocr-chi-sim）后重新导入，或提供 Word 版或文字版"
)
NOT_READ = (
    "是扫描件（图片），需要文字识别（OCR）才能读取，但本机未安装 Tesseract 或其简体中文语言包，这些页未读取，"
    "其中的内容未导入：请安装（apt-get install tesseract-ocr tesseract-ocr-chi-sim）后重新导入，或对照原件补录"
)
NOTHING_READ = "是扫描件（图片），文字识别（OCR）未能识别出文字，请提供更清晰的扫描件、Word 版或文字版"


def find_tesseract() -> str | None:
    """The tesseract program, when it and its Chinese data are installed."""
    program = shutil.which("tesseract")
    if program is None:
        return None
    try:
        listed = subprocess.run([program, "--list-langs"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return program if LANGUAGE in listed.split() else None


def require_tesseract(path: str) -> str:
    """The tesseract program; without it (or its Chinese data) the file is refused saying what to install."""
    program = find_tesseract()
    if program is None:
        raise ImportError_(path, MISSING)
    return program


def read_scanned_pages(
    path: str, numbers: list[int], render: Callable[[int], tuple[Image.Image, float]], others: list[_Page]
) -> Document:
    """A PDF's or OFD's pages that are scans (`render` draws page `number` as an image at a resolution)
    read by OCR, with the pages read from their text (`others`). Without Tesseract the text pages are
    still imported, a doubt naming the pages not read; a file of scans only is refused saying what to install."""
    program = find_tesseract()
    if program is None:
        if not any(page.blocks for page in others):
            raise ImportError_(path, MISSING)
        document = pages_document(path, others)
        document.doubts.append(Doubt("record", page_names(numbers) + NOT_READ))
        return document
    recognised = []
    for number in numbers:
        image, dpi = render(number)
        recognised.append(recognise(program, image, number, dpi, path))
    return scanned_document(path, recognised, others)


def read_image(path: Path) -> Document:
    """A photo or scan of a plan or list: each frame (a TIFF may hold several pages) is a page, read one at a
    time. A crafted file (too many pixels or frames, broken data) is refused naming the file."""
    try:
        with Image.open(path) as image:
            frames = getattr(image, "n_frames", 1)
            if frames > MAX_FRAMES:
                raise ImportError_(str(path), f"图片文件有 {frames} 页，超过 {MAX_FRAMES} 页，请分成几个文件导入")
            program = require_tesseract(str(path))
            pages = []
            for number in range(1, frames + 1):
                image.seek(number - 1)
                if image.width * image.height > MAX_PIXELS:
                    where = f"第{number}页" if frames > 1 else ""
                    raise ImportError_(str(path), f"图片{where}{too_many_pixels(image.width, image.height)}")
                frame, dpi = prepared(image)
                pages.append(recognise(program, frame, number, dpi, str(path)))
    except Image.DecompressionBombError as exc:
        raise ImportError_(str(path), "图片像素过多（可能是异常构造的文件），无法读取") from exc
    except UNREADABLE_IMAGE as exc:
        raise ImportError_(str(path), "无法打开图片文件，文件可能已损坏或不完整") from exc
    document = scanned_document(str(path), pages)
    document.format = "image"
    return document


def prepared(image: Image.Image) -> tuple[Image.Image, float]:
    """An image (a photo, a scan, a picture in a document) as OCR reads it: grey, turned as its EXIF says, at
    the resolution it states (under MIN_IMAGE_DPI taken as DPI), enlarged when scanned coarsely."""
    dpi = float(image.info.get("dpi", (DPI, DPI))[0] or DPI)
    if dpi < MIN_IMAGE_DPI:
        dpi = DPI  # a phone writes 72 dpi whatever it photographed: taken as scanned at 300 dpi
    frame = ImageOps.exif_transpose(image.convert("L"))
    return _at_reading_resolution(frame, dpi)


def _at_reading_resolution(image: Image.Image, dpi: float) -> tuple[Image.Image, float]:
    """An image scanned under ENLARGE_UNDER_DPI (150 dpi, not 200) enlarged to DPI (LANCZOS), within MAX_PIXELS:
    Tesseract reads a 10.5 pt table scanned at 150 dpi far worse as it is (owners right in 0 of 6 cells) than
    enlarged (6 of 6). At 200 dpi it does not: a black-and-white page of paragraphs enlarged to 300 ran two
    tasks into one."""
    if dpi >= ENLARGE_UNDER_DPI:
        return image, dpi
    factor = min(DPI / dpi, (MAX_PIXELS / (image.width * image.height)) ** 0.5)
    if factor <= 1:
        return image, dpi
    size = (round(image.width * factor), round(image.height * factor))
    return image.resize(size, Image.Resampling.LANCZOS), dpi * factor


def too_many_pixels(width: int, height: int) -> str:
    return (
        f"过大（{width}×{height} 像素，超过 {MAX_PIXELS // 10_000} 万像素），无法进行文字识别（OCR），"
        "请缩小后重新导入，或提供 Word 版或文字版"
    )


def fitting_dpi(width_mm: float, height_mm: float, dpi: float, path: str, number: int) -> float:
    """The resolution a page is drawn at for OCR: `dpi`, lowered so the image holds at most MAX_PIXELS (a
    page of a crafted size would take gigabytes); such a page is refused when even MIN_DRAW_DPI is too much."""
    square_inches = (width_mm / 25.4) * (height_mm / 25.4)
    if square_inches * dpi * dpi <= MAX_PIXELS:
        return dpi
    fitted = (MAX_PIXELS / square_inches) ** 0.5
    if fitted < MIN_DRAW_DPI:
        size = f"{width_mm:.0f}×{height_mm:.0f} 毫米"
        raise ImportError_(path, f"第{number}页页面过大（{size}），无法进行文字识别（OCR），请提供 Word 版或文字版")
    return fitted


def scanned_document(path: str, pages: Iterable[tuple[_Page, Recognition]], others: Iterable[_Page] = ()) -> Document:
    """The document of recognised pages (and of pages read from a text layer, for a PDF that has both),
    with what OCR was unsure of on the pages where it read words (a seal page where it read none carries no
    doubt); refused when nothing at all was read."""
    recognised = [(page, found) for page, found in pages]
    laid = sorted([*others, *(page for page, _ in recognised)], key=lambda page: page.number)
    if not any(page.blocks for page in laid):
        raise ImportError_(path, NOTHING_READ)
    document = pages_document(path, laid)
    recognised = [(page, found) for page, found in recognised if found.confidences]
    if not recognised:
        return document
    document.ocr = combined([found for _, found in recognised])
    return document


def combined(recognised: list[Recognition], unit: str = "页") -> Recognition:
    """What OCR read on several pages (or pictures) as one."""
    return Recognition(
        pages=[number for found in recognised for number in found.pages],
        confidences=[c for found in recognised for c in found.confidences],
        low=[word for found in recognised for word in found.low],
        turned={number: turn for found in recognised for number, turn in found.turned.items()},
        unit=unit,
    )


def recognise(
    program: str, image: Image.Image, number: int, dpi: float, path: str, unit: str = "页", *, turned: bool = True
) -> tuple[_Page, Recognition]:
    """One page image laid out as a page (points, y down from the top) with what OCR found on it, turned
    upright first when it was scanned askew (up to MAX_SKEW), sideways or upside down.

    A page is read as it is; only when it reads poorly (mean confidence under POOR_CONFIDENCE: 89-91 upright
    on the test scans, 19-27 turned by 90 or 180 degrees) does Tesseract's orientation detection (OSD, 0.5-0.9
    s of CPU a page) say how it is turned, and the page turned back is read again, kept when it reads better. A
    page whose ink lines up in columns more sharply than in rows (a page on its side) is asked about first,
    saving the read of it on its side; so is a table page whose text around its tables reads poorly (its cells
    are not read then). Without `turned` (a picture smaller than a page: a strip of a letterhead, a seal) the
    page is read as it stands, never asked about. A failure names the page, or the picture (`unit` 张图片)."""
    grey = _straightened(image.convert("L"))
    first: tuple[_Page, Recognition] | None = None
    if not turned:
        try:
            return _read(program, grey, number, dpi, path, unit, probe=True)
        except _ReadsPoorly:
            return _read(program, grey, number, dpi, path, unit)
    if not _sideways(grey):
        try:
            first = _read(program, grey, number, dpi, path, unit, probe=True)
        except _ReadsPoorly:
            first = None
        if first is not None and (first[1].mean_confidence >= POOR_CONFIDENCE or not first[1].confidences):
            return first
    turn = _orientation(program, grey, dpi)
    if turn == 0:
        return first if first is not None else _read(program, grey, number, dpi, path, unit)
    log.info("page %d turned by %d degrees: read turned back", number, turn)
    page, found = _read(program, grey.rotate(-turn, expand=True), number, dpi, path, unit)
    if first is None and found.mean_confidence < POOR_CONFIDENCE:
        first = _read(program, grey, number, dpi, path, unit)  # the page turned reads no better: as it stands?
    if first is not None and first[1].mean_confidence >= found.mean_confidence:
        return first
    found.turned = {number: turn}
    return page, found


def _sideways(image: Image.Image) -> bool:
    """Whether a page's ink stacks into columns more sharply than into rows (the sum of squared counts, as
    `skew_of` measures rows): lines of text and a table's rules run across an upright page (rows 1.5-7 times
    as sharp on the test scans), down one on its side."""
    factor = max(1, round(image.width / SKEW_WIDTH))
    ink = np.asarray(image.convert("L").reduce(factor)) < DARK
    rows, columns = ink.sum(axis=1, dtype=np.float64), ink.sum(axis=0, dtype=np.float64)
    if not rows.any():
        return False
    return float((columns * columns).sum()) / len(rows) > float((rows * rows).sum()) / len(columns)


def _orientation(program: str, image: Image.Image, dpi: float) -> int:
    """How far (degrees, clockwise: 0, 90, 180, 270) a page is to be turned to stand upright, as Tesseract's
    orientation and script detection says; 0 when it cannot say (too little text, no osd data)."""
    log.info("tesseract asked how the page is turned (osd)")  # counted by a test: not on a page read well
    with tempfile.TemporaryDirectory(prefix="wufei-osd-") as folder:
        name = Path(folder) / "page.pgm"
        image.convert("L").save(name)
        command = [program, str(name), "stdout", "--dpi", str(round(dpi)), "--psm", "0", "-l", "osd"]
        try:
            result = subprocess.run(
                command, capture_output=True, timeout=TIMEOUT_SECONDS, env={**os.environ, "OMP_THREAD_LIMIT": "1"}
            )
        except (subprocess.TimeoutExpired, OSError) as exc:
            log.warning("tesseract's orientation detection failed: %s", exc)
            return 0
    found = re.search(rb"Rotate:\s*(\d+)", result.stdout)
    if result.returncode != 0 or found is None:
        log.info("no orientation found (exit %s): %s", result.returncode, result.stderr[-200:])
        return 0
    return int(found.group(1)) % 360


class _ReadsPoorly(Exception):
    """The page around a page's tables read poorly: it may be turned, its cells are not worth reading yet."""


def _read(
    program: str, image: Image.Image, number: int, dpi: float, path: str, unit: str, *, probe: bool = False
) -> tuple[_Page, Recognition]:
    """The page read as it stands (grey, straightened). With `probe`, _ReadsPoorly is raised when the page
    around its tables (PROBE_WORDS words or more) reads poorly, before its cells are read.

    Each cell of a ruled table is read as an image of its own, and the page around the tables as another:
    read whole, Tesseract runs a line on across the cells and reads the gap between two cells' text as a
    quote mark (「市卫生健康 ” 委」)."""
    grey = np.asarray(image)
    scale = 72.0 / dpi
    horizontal_px, vertical_px, rules = _ruling_lines(grey < DARK, round(RULE_GAP_INCHES * dpi))
    horizontal = [(y * scale, x0 * scale, x1 * scale) for y, x0, x1 in horizontal_px]
    vertical = [(x * scale, y0 * scale, y1 * scale) for x, y0, y1 in vertical_px]
    around = grey.copy()
    around[rules] = 255
    pieces: list[tuple[Image.Image, int, int]] = []  # an image for Tesseract, and where it stands on the page
    # Smaller grids first, each blanked once read: a frame drawn round a page and its table reads the table once.
    grids = sorted(tables_of(horizontal, vertical), key=lambda g: (g.right - g.left) * (g.bottom - g.top))
    for grid in grids:
        for x0, y0, x1, y1 in grid.cells():
            box = (round(x0 / scale), round(y0 / scale), round(x1 / scale), round(y1 / scale))
            if (around[box[1] : box[3], box[0] : box[2]] < DARK).any():
                pieces.append((Image.fromarray(around[box[1] : box[3], box[0] : box[2]].copy()), box[0], box[1]))
        top, bottom = round(grid.top / scale), round(grid.bottom / scale)
        left, right = round(grid.left / scale), round(grid.right / scale)
        around[top:bottom, left:right] = 255
    try:
        # The page around the tables, its layout found by Tesseract; the cells, each a block of lines.
        words = _tesseract(program, [(Image.fromarray(around), 0, 0)], dpi, PAGE_LAYOUT)
        poor = len(words) >= PROBE_WORDS and sum(word.confidence for word in words) / len(words) < POOR_CONFIDENCE
        if probe and pieces and poor:
            raise _ReadsPoorly()
        if pieces:
            words += _tesseract(program, pieces, dpi, BLOCK_LAYOUT)
    except OcrFailed as exc:
        raise ImportError_(path, f"第{number}{unit}{exc.reason}，请重新导入，或提供 Word 版或文字版") from exc
    height, width = grey.shape
    page = layout_page(number, width * scale, height * scale, _chars(words, scale), horizontal, vertical)
    found = Recognition(
        pages=[number],
        confidences=[word.confidence for word in words],
        low=[LowConfidence(number, w.text, round(w.confidence)) for w in words if w.confidence < LOW_CONFIDENCE],
    )
    return page, found


# ------------------------------------------------------------------ skew


def _straightened(image: Image.Image) -> Image.Image:
    """The page turned back by its skew (about its centre, the corners it turns in filled white); a page
    estimated straight is given back as it is."""
    angle = skew_of(np.asarray(image))
    if abs(angle) < STRAIGHT:
        return image
    log.debug("page skewed by %.2f degrees: straightened", angle)
    return image.rotate(-angle, resample=Image.Resampling.BICUBIC, fillcolor=255)


def skew_of(grey: np.ndarray) -> float:
    """The angle in degrees (counter-clockwise, as Pillow turns an image) that a page's lines of text and ruling
    lines are turned by, within MAX_SKEW: the angle at which the page's ink, projected onto its height, stacks
    into the sharpest rows (the largest sum of squared row counts). The ink of a page shrunk to about
    SKEW_WIDTH is sheared rather than rotated for each angle tried (the same for a few degrees, and cheap)."""
    factor = max(1, round(grey.shape[1] / SKEW_WIDTH))
    small = np.asarray(Image.fromarray(grey).reduce(factor)) < DARK
    ys, xs = np.nonzero(small)
    if len(ys) == 0:
        return 0.0
    xs = xs - small.shape[1] / 2

    def sharpness(angle: float) -> float:
        rows = np.round(ys + xs * np.tan(np.radians(angle))).astype(np.int64)
        counts = np.bincount(rows - rows.min()).astype(np.float64)
        return float((counts * counts).sum())

    def best(angles: np.ndarray) -> float:
        # The angle nearest 0 among equally sharp ones: a straight page is not turned by a tie.
        return float(max(sorted(angles.tolist(), key=abs), key=sharpness))

    coarse = best(np.arange(-MAX_SKEW, MAX_SKEW + SKEW_STEP / 2, SKEW_STEP))
    return best(np.arange(coarse - SKEW_STEP, coarse + SKEW_STEP + SKEW_FINE_STEP / 2, SKEW_FINE_STEP))


# ------------------------------------------------------------------ ruling lines


def _ruling_lines(ink: np.ndarray, gap: int) -> tuple[list[Rule], list[Rule], np.ndarray]:
    """Horizontal (y, x0, x1) and vertical (x, y0, y1) ruling lines in pixels, and the mask of their pixels;
    gaps of up to `gap` pixels along a line are closed (a faint or dotted rule)."""
    height, width = ink.shape
    horizontal, wide = _runs(ink, max(int(width * RULE_SHARE_WIDE), 8), gap, long=int(width * BROKEN_RULE_SHARE_WIDE))
    vertical_t, tall = _runs(ink.T, max(int(height * RULE_SHARE_TALL), 8), gap, clear_side=True)
    mask = wide | tall.T
    # A few pixels around each line too: its blurred edge is ink enough for OCR to read as 「|」 or 「“」.
    grown = mask.copy()
    for shift in range(1, RULE_MARGIN_PX + 1):
        grown[shift:, :] |= mask[:-shift, :]
        grown[:-shift, :] |= mask[shift:, :]
        grown[:, shift:] |= mask[:, :-shift]
        grown[:, :-shift] |= mask[:, shift:]
    return horizontal, vertical_t, grown


def _closed(ink: np.ndarray, gap: int) -> np.ndarray:
    """The ink with each row's gaps of up to `gap` pixels filled: a closing along the rows (spread each inked
    pixel `gap` pixels on, then keep a pixel where all of the `gap` pixels after it are covered). Ink is taken
    to go on beyond the page's edges, so that no ink is lost there."""
    spread = _along(ink, gap, np.logical_or, backward=True)
    return _along(spread, gap, np.logical_and, backward=False)


def _along(ink: np.ndarray, span: int, combine: np.ufunc, *, backward: bool) -> np.ndarray:
    """Each pixel combined with the `span` pixels before it (backward) or after it in its row, the rows
    beyond the edges taken as ink: by doubling shifts, a few whole-image operations whatever the span."""
    out = np.ones((ink.shape[0], ink.shape[1] + span), dtype=bool)
    if backward:
        out[:, span:] = ink
    else:
        out[:, : ink.shape[1]] = ink
    covered = 1
    while covered < span + 1:
        step = min(covered, span + 1 - covered)
        if backward:
            combine(out[:, step:], out[:, :-step].copy(), out=out[:, step:])
        else:
            combine(out[:, :-step], out[:, step:].copy(), out=out[:, :-step])
        covered += step
    return out[:, span:] if backward else out[:, : ink.shape[1]]


def _runs(
    ink: np.ndarray, minimum: int, gap: int = 0, *, long: int = 0, clear_side: bool = False
) -> tuple[list[Rule], np.ndarray]:
    """Runs of ink along each row at least `minimum` long, as lines (row, start, end) with the rows of one
    line's thickness merged, and the mask of the runs' pixels. Runs stacked thicker than a line (a filled
    area, a black seal) are no lines.

    Gaps of up to `gap` pixels along a row are closed first (a faint or dotted rule). Closed so, text runs on
    too, and a line with gaps is kept only when half inked and, across the page, at least `long` (the row along
    the tops of a few characters, 一二三, runs on for two to four of them), or, down the page, with one side
    clear of ink (`clear_side`: a column through the strokes of lines of text has strokes on both sides; a
    rule has the cells' margin on one side at least)."""
    closed = _closed(ink, gap) if gap > 0 else ink
    padded = np.zeros((ink.shape[0], ink.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = closed
    steps = np.diff(padded, axis=1)
    rows, starts = np.nonzero(steps == 1)
    _, ends = np.nonzero(steps == -1)
    keep = ends - starts >= minimum
    rows, starts, ends = rows[keep], starts[keep], ends[keep]
    lines: list[list[int]] = []  # [first row, last row, start, end]
    for row, start, end in sorted(zip(rows.tolist(), starts.tolist(), ends.tolist())):
        merged = next((line for line in lines if line[1] >= row - 1 and start < line[3] and end > line[2]), None)
        if merged is not None:
            merged[1] = row
            merged[2], merged[3] = min(merged[2], start), max(merged[3], end)
        else:
            lines.append([row, row, start, end])
    mask = np.zeros(ink.shape, dtype=bool)
    found: list[Rule] = []
    for first, last, start, end in lines:
        if last - first + 1 > RULE_THICKNESS_PX:
            continue
        if gap > 0 and not _rule_like(ink, (first, last, start, end), minimum, long, clear_side):
            continue
        mask[first : last + 1, start:end] = closed[first : last + 1, start:end]
        found.append(((first + last + 1) / 2, float(start), float(end)))
    return found, mask


def _rule_like(ink: np.ndarray, line: tuple[int, int, int, int], minimum: int, long: int, clear_side: bool) -> bool:
    """Whether a line (first row, last row, start, end) found with its gaps closed is a rule: one found without
    closing them (a row of it holds a run of ink `minimum` long), or one inked over at least RULE_BROKEN of its
    length, at least `long`, and with a side clear if asked (_runs)."""
    first, last, start, end = line
    rows = ink[first : last + 1, start:end]
    padded = np.zeros((rows.shape[0], rows.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = rows
    steps = np.diff(padded, axis=1)
    if (np.nonzero(steps == -1)[1] - np.nonzero(steps == 1)[1] >= minimum).any():
        return True
    if rows.any(axis=0).mean() < RULE_BROKEN or end - start < long:
        return False
    if not clear_side:
        return True
    above = ink[max(first - RULE_SIDE_PX, 0) : max(first - RULE_MARGIN_PX, 0), start:end]
    below = ink[last + 1 + RULE_MARGIN_PX : last + 1 + RULE_SIDE_PX, start:end]
    return any(band.shape[0] > 0 and band.any(axis=0).mean() <= RULE_CLEAR_SIDE for band in (above, below))


# ------------------------------------------------------------------ Tesseract


class OcrFailed(Exception):
    """Tesseract did not read a page: `reason` says why in Chinese for the user; the details go to the log."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class _Word:
    def __init__(self, text: str, left: int, right: int, top: int, bottom: int, line: tuple[int, ...], conf: float):
        self.text, self.left, self.right, self.top, self.bottom = text, left, right, top, bottom
        self.line, self.confidence = line, conf


PAGE_LAYOUT = "3"  # Tesseract's page segmentation: find the blocks of text
BLOCK_LAYOUT = "6"  # one block of lines (a cell: as a page, a cell holding a lone 1 reads as nothing)
PADDING_PX = 12  # white around a cell's image: Tesseract reads text touching the image's edge poorly


def _tesseract(program: str, pieces: list[tuple[Image.Image, int, int]], dpi: float, layout: str) -> list[_Word]:
    """The words Tesseract reads in each image (placed at its left and top on the page), in reading order,
    each with its line's height. One run reads them all: loading the Chinese model is a good part of a run."""
    with tempfile.TemporaryDirectory(prefix="wufei-ocr-") as folder:
        names = []
        for k, (image, _, _) in enumerate(pieces):
            name = Path(folder) / f"{k}.pgm"  # uncompressed: nothing to spend on encoding
            ImageOps.expand(image, PADDING_PX, fill=255).save(name)
            names.append(str(name))
        listing = Path(folder) / "images.txt"
        listing.write_text("\n".join(names) + "\n")
        command = [program, str(listing), "stdout", "-l", LANGUAGE, "--dpi", str(round(dpi)), "--psm", layout, "tsv"]
        # One thread: OpenMP's threads spin on a machine whose cores are shared.
        environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        try:
            result = subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, env=environment)
        except subprocess.TimeoutExpired as exc:
            log.warning("tesseract timed out after %s s: %s", TIMEOUT_SECONDS, command)
            raise OcrFailed(f"文字识别（OCR）超过 {TIMEOUT_SECONDS} 秒未完成") from exc
        except OSError as exc:
            log.warning("tesseract could not be run: %s", exc)
            raise OcrFailed("文字识别（OCR）程序无法运行") from exc
    # Each run is logged: how many times a file was read by OCR shows here (the web page's test counts them).
    log.info("tesseract ran on %d image(s) at %d dpi, layout %s", len(pieces), round(dpi), layout)
    if result.returncode != 0:
        details = result.stderr.decode(errors="replace")[-300:].strip()
        log.warning("tesseract exited with %s: %s", result.returncode, details)
        if result.returncode < 0:  # killed by a signal: most often for want of memory
            raise OcrFailed("文字识别（OCR）程序被系统终止（可能是内存不足）")
        raise OcrFailed("文字识别（OCR）程序出错退出")
    lines: dict[tuple[int, ...], tuple[int, int]] = {}
    words: list[_Word] = []
    for row in csv.DictReader(io.StringIO(result.stdout.decode("utf-8")), delimiter="\t", quoting=csv.QUOTE_NONE):
        piece = int(row["page_num"]) - 1
        key = (piece, int(row["block_num"]), int(row["par_num"]), int(row["line_num"]))
        dx, dy = pieces[piece][1] - PADDING_PX, pieces[piece][2] - PADDING_PX
        left, top = int(row["left"]) + dx, int(row["top"]) + dy
        width, height = int(row["width"]), int(row["height"])
        if row["level"] == "4":
            lines[key] = (top, top + height)
        elif row["level"] == "5" and (row["text"] or "").strip():
            line_top, line_bottom = lines.get(key, (top, top + height))
            conf = float(row["conf"])
            words.append(_Word(row["text"].strip(), left, left + width, line_top, line_bottom, key, conf))
    return words


def _chars(words: list[_Word], scale: float) -> list[Char]:
    """Each word's characters, its box shared among them, in Tesseract's reading order. Its word boxes are
    rough (a quote mark's box may reach over the next three words), so a word ends no later than the next
    word of its line starts, and starts no earlier than the one before ends. A Chinese character is boxed
    by its ink (废 narrower than 城), so a gap opens between words of one line: it is closed when it is
    narrower than the line is high (a table's cells are read apart), so that the PDF reader sees no space
    there."""
    chars: list[Char] = []
    end = 0.0  # where the word before on the same line ends
    for k, word in enumerate(words):
        same_line = k > 0 and words[k - 1].line == word.line
        left = max(float(word.left), end) if same_line else float(word.left)
        right = float(word.right)
        after = words[k + 1] if k + 1 < len(words) and words[k + 1].line == word.line else None
        if after is not None and after.left > left and after.left - right <= word.bottom - word.top:
            right = after.left
        right = max(right, left + len(word.text))
        step = (right - left) / len(word.text)
        for n, ch in enumerate(word.text):
            x0 = left + n * step
            chars.append(Char(ch, x0 * scale, word.top * scale, (x0 + step) * scale, word.bottom * scale))
        end = right
    return chars

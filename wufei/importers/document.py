"""A published document as the importers see it, whatever format it arrived in.

Every reader (plain text, Word, PDF, a saved web page, a publisher's own spreadsheet) turns a
file into a `Document`: the body text as lines, and the tables it holds. What a document says
(its title, place, tasks, indicators, owners, deadlines) is then found by one interpreter that
never asks which format it came from.

- `lines` is the body text, index 0 is line 1. Plain text keeps its lines as they are, tables
  included (the text reader finds its tables in them). Formats with real tables (Word, web
  pages, PDF, spreadsheets) give one line per paragraph, and an empty line where each table
  stood, so captions above a table and paragraphs between tables keep their places.
- `tables` are the tables with their header and data rows; `Table.start_line` is the line where
  the table stands in `lines` (its placeholder for formats with real tables).
- `where(line)` names a place the way a person finds it in that format: 第12行 in text, 第12段
  in Word and web pages, 第3页 in a PDF. Table rows carry their own `where` (表2第5行).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from wufei.importers.records import Doubt

CELLS = "cells"  # a flattened text table: one cell per line (each after a tab, or bare)
ROWS = "rows"  # a flattened text table: one tab-separated row per line
SPACED = "spaced"  # a table as `pdftotext -layout` prints it: columns parted by runs of spaces
GRID = "grid"  # a real table from a structured format (Word, web page, PDF, spreadsheet)


@dataclass
class Row:
    cells: list[str | None]  # one per header column; None for an empty cell
    line: int  # 1-based line of the row (text), or of the table's place in the body (other formats)
    # The cell text as printed (broken lines joined by "\n", not normalized), for
    # the rare rule that needs the spaces or line breaks normalize_cell removes.
    raw: list[str | None] = field(default_factory=list)
    where: str | None = None  # how a person finds the row, when `line` alone does not say it: 表2第5行
    # Whether a line break in `raw` was typed (a spreadsheet's Alt+Enter, Word's or a web page's break) and so
    # parts two statements, rather than a PDF's line wrapping inside a word or a sentence.
    typed_breaks: bool = False


@dataclass
class Table:
    header: list[str]
    rows: list[Row]
    caption: list[str]  # non-empty lines just before the header, top to bottom
    start_line: int  # 1-based line of the header's first cell (text), or of the table's place in the body
    end_line: int = 0  # 1-based line of the table's last text line
    layout: str = CELLS
    where: str | None = None  # 表2（第3页）, for formats without text lines
    # What the reader could not be sure of when it cut this table's rows (text tables): the reader
    # passes them on as the document's doubts.
    doubts: list[Doubt] = field(default_factory=list)


@dataclass(frozen=True)
class LowConfidence:
    page: int
    text: str
    confidence: float  # Tesseract's, 0-100


@dataclass
class Recognition:
    """What OCR read: the pages it recognised, the confidence of each word, the words it was unsure of."""

    pages: list[int]
    confidences: list[float] = field(default_factory=list)  # one per word, 0-100
    low: list[LowConfidence] = field(default_factory=list)
    turned: dict[int, int] = field(default_factory=dict)  # page -> degrees turned clockwise to stand upright
    unit: str = "页"  # what `pages` number: a file's pages, or the pictures in a Word file or web page (张图片)

    @property
    def mean_confidence(self) -> float:
        return sum(self.confidences) / len(self.confidences) if self.confidences else 0.0


@dataclass
class Document:
    path: str
    format: str  # text | docx | doc | wps | rtf | odt | pdf | ofd | html | xlsx | xls | csv | image
    lines: list[str]
    tables: list[Table] = field(default_factory=list)
    # Page of each line (1-based), for formats with pages; None otherwise.
    pages: list[int] | None = None
    # What the reader could not be sure of (rows of a text table it could not cut cleanly):
    # they become plan-level doubts.
    doubts: list[Doubt] = field(default_factory=list)
    # Pages read from images by OCR (a scan): every record read from it is flagged for a person.
    ocr: Recognition | None = None
    # Lines read by OCR from a picture inside a Word file or web page: 1-based line -> the picture's number.
    line_pictures: dict[int, int] = field(default_factory=dict)

    def where(self, line: int) -> str:
        """A 1-based line named the way a person finds it in this format."""
        if line in self.line_pictures:
            return f"第{self.line_pictures[line]}张图片"
        if self.pages is not None and 1 <= line <= len(self.pages):
            return f"第{self.pages[line - 1]}页"
        if self.format in ("docx", "doc", "wps", "rtf", "odt", "html"):
            return f"第{line}段"
        return f"第{line}行"

"""Readers: one per file format, each turning a file into a `Document` (see `wufei.importers.document`).

A reader only recognises the format's structure (paragraphs, tables, pages); what the text
means is found later by the interpreter, the same for every format. A file a reader cannot read
at all raises ImportError_ naming the file (and page or line where it can).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from wufei.importers.document import Document
from wufei.importers.readers.docx import read_docx
from wufei.importers.readers.html import read_html
from wufei.importers.readers.office import read_office
from wufei.importers.readers.pdf import read_pdf
from wufei.importers.readers.sheet import read_sheet
from wufei.importers.readers.text import read_text

Reader = Callable[[Path], Document]

# Suffix -> reader. Spreadsheets in the ledger workbook's own shape are read by
# wufei.importers.spreadsheet; other spreadsheets become documents here.
READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".text": read_text,
    ".md": read_text,
    ".docx": read_docx,
    ".pdf": read_pdf,
    ".html": read_html,
    ".htm": read_html,
    ".doc": read_office,  # through LibreOffice
    ".wps": read_office,
    ".rtf": read_office,
    ".odt": read_office,
    # Spreadsheets with the publisher's own headers; wufei's own import workbook goes to
    # wufei.importers.spreadsheet instead (see readers.sheet.is_ledger).
    ".xlsx": read_sheet,
    ".xlsm": read_sheet,
    ".csv": read_sheet,
}

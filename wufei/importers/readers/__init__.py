"""Readers: one per file format, each turning a file into a `Document` (see `wufei.importers.document`).

A reader only recognises the format's structure (paragraphs, tables, pages); what the text
means is found later by the interpreter, the same for every format. A file a reader cannot read
at all raises ImportError_ naming the file (and page or line where it can).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from wufei.importers.document import Document
from wufei.importers.readers.text import read_text

Reader = Callable[[Path], Document]


def _on_first_use(module: str, name: str) -> Reader:
    """A reader whose module (python-docx, lxml, pypdfium2, openpyxl behind it) is imported when a file of
    its format is read: `wufei import` of text files need not load them."""

    def read(path: Path) -> Document:
        return getattr(importlib.import_module(f"wufei.importers.readers.{module}"), name)(path)

    read.__name__ = name
    return read


read_docx = _on_first_use("docx", "read_docx")
read_html = _on_first_use("html", "read_html")
read_image = _on_first_use("ocr", "read_image")
read_mht = _on_first_use("mht", "read_mht")
read_ofd = _on_first_use("ofd", "read_ofd")
read_office = _on_first_use("office", "read_office")
read_pdf = _on_first_use("pdf", "read_pdf")
read_sheet = _on_first_use("sheet", "read_sheet")

# Suffix -> reader. Spreadsheets in the ledger workbook's own shape are read by
# wufei.importers.spreadsheet; other spreadsheets become documents here.
READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".text": read_text,
    ".md": read_text,
    ".docx": read_docx,
    ".pdf": read_pdf,
    ".ofd": read_ofd,  # GB/T 33190, the format of electronic official documents (电子公文)
    ".html": read_html,
    ".htm": read_html,
    ".shtml": read_html,  # the address of many gov.cn articles (…/t20230208_2147809.shtml)
    ".xhtml": read_html,
    ".mht": read_mht,  # a page saved as one file (单个文件网页) by a browser or by Word
    ".mhtml": read_mht,
    ".doc": read_office,  # through LibreOffice
    ".wps": read_office,
    ".rtf": read_office,
    ".odt": read_office,
    # Spreadsheets with the publisher's own headers; wufei's own import workbook goes to
    # wufei.importers.spreadsheet instead (see readers.sheet.is_ledger).
    ".xlsx": read_sheet,
    ".xlsm": read_sheet,
    ".csv": read_sheet,
    # A photo or scan of a plan or list, read by OCR (Tesseract), every record flagged for a person to check.
    ".png": read_image,
    ".jpg": read_image,
    ".jpeg": read_image,
    ".tif": read_image,
    ".tiff": read_image,
}

"""A plan's text in the shapes people get it in: copied from its web page (cells one per line without the
leading tab; merged cells printed as blank lines, or left out), or printed by `pdftotext -layout` from its
PDF (a Word file with real tables printed by LibreOffice, page heads, footers and page numbers if asked).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from tests.importers.render import convert_all, pdftotext_layout, seed_document, write_docx

_LEADING_TAB = re.compile(r"^[ \u3000]*\t")
_EMPTY_CELL = re.compile(r"^[ \u3000]*\t[ \u3000]*$")


def without_tabs(text: str) -> str:
    """Every line's leading tab removed: cells one per line as a browser copies them, an empty cell a blank
    line like the blank lines between rows."""
    return "\n".join(_LEADING_TAB.sub("", line) for line in text.split("\n"))


def without_empty_cells(text: str) -> str:
    """The leading tabs removed and the empty (merged) cells left out altogether."""
    return without_tabs("\n".join(line for line in text.split("\n") if not _EMPTY_CELL.match(line)))


@dataclass(frozen=True)
class Print:
    """A seed printed as a Word file with real tables (header repeated on each page): with `running_head`,
    every page also has that head and its number centred in the footer; `centred` centres every table cell
    vertically (a row's number then stands in its middle line)."""

    seed: Path
    running_head: str | None = None
    centred: bool = False

    @property
    def name(self) -> str:
        return self.seed.stem + ("-headed" if self.running_head else "") + ("-centred" if self.centred else "")


def layout_texts(prints: list[Print], folder: Path) -> list[Path]:
    """Each print's Word file printed to PDF by LibreOffice (one run for all of them) and run through
    `pdftotext -layout`: <seed stem>.layout.txt, in a folder of its own for each print."""
    sources = [_word_file(print_, folder / f"{print_.name}.docx") for print_ in prints]
    texts = []
    for print_, pdf in zip(prints, convert_all(sources, "pdf", folder)):
        (folder / print_.name).mkdir()
        texts.append(pdftotext_layout(pdf, folder / print_.name / f"{print_.seed.stem}.layout.txt"))
    return texts


def _word_file(print_: Print, path: Path) -> Path:
    source = write_docx(seed_document(print_.seed), path)
    if print_.running_head is not None or print_.centred:
        document = docx.Document(str(source))
        if print_.running_head is not None:
            add_running_head(document, print_.running_head)
        if print_.centred:
            for table in document.tables:
                for row in table.rows:
                    for cell in row.cells:
                        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        document.save(str(source))
    return source


def add_running_head(document: docx.document.Document, head: str) -> None:
    """A page head on every page and the page number (a PAGE field) centred in the footer."""
    section = document.sections[0]
    section.header.paragraphs[0].text = head
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    footer._p.append(field)

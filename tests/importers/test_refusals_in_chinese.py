"""A file a library cannot open is refused in Chinese naming the file; the library's English (PDFium's
"Failed to load document (PDFium: Data format error)", python-docx's and openpyxl's exception names, the csv
module's and lxml's messages) goes to the log, not to the user."""

from __future__ import annotations

import io
import logging
import re
import zipfile

import pytest

from wufei.importers.records import ImportError_
from wufei.importers.service import read_source


def _zip(name: str, content: bytes) -> bytes:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr(name, content)
    return data.getvalue()


BROKEN = {
    "方案.pdf": (b"%PDF-1.4\nnot really", "无法打开 PDF 文件：不是 PDF 格式，或文件已损坏、不完整"),
    "不是PDF.pdf": (b"hello", "无法打开 PDF 文件：不是 PDF 格式，或文件已损坏、不完整"),
    "空白.pdf": (b"", "文件为空"),
    "方案.docx": (b"PK\x03\x04 not a zip", "无法打开 Word 文件，文件可能已损坏或不是 .docx 格式"),
    # A zip of only [Content_Types].xml, <Types/> without OOXML's namespace: AttributeError on main.
    "无正文.docx": (_zip("[Content_Types].xml", b"<Types/>"), "无法打开 Word 文件，文件可能已损坏或不是 .docx 格式"),
    "台账.xlsx": (b"PK\x03\x04 not a zip", "无法打开 Excel 文件，文件可能已损坏或不是 .xlsx 格式"),
    "台账.csv": (b'1,"' + b"x" * 140_000 + b'"\n', "CSV 文件格式有误（有单元格过长，或引号不成对）"),
    "通知.html": (b"<!-- -->", "无法读取网页：其中没有可读的网页内容"),
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_a_file_a_library_cannot_open_is_refused_in_chinese_naming_the_file(name, tmp_path, caplog):
    content, message = BROKEN[name]
    path = tmp_path / name
    path.write_bytes(content)
    caplog.set_level(logging.INFO)
    with pytest.raises(ImportError_) as error:
        read_source(path)
    assert error.value.message == message and name in str(error.value)
    # No English word in what the user reads (format names as PDF, .docx, .xlsx, CSV aside).
    words = set(re.findall(r"[A-Za-z]{3,}", error.value.message)) - {"PDF", "Word", "docx", "Excel", "xlsx", "CSV"}
    assert not words, words

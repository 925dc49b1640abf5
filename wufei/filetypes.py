"""Whether an uploaded file's content is what its extension says (magic bytes), so an HTML page
named 报告.pdf or a program named 照片.jpg is refused. Pure: takes bytes, imports nothing heavy.

Office files are zip containers (docx, xlsx, pptx, odt: the zip must hold the part its kind
needs) or the old OLE compound files (doc, xls, ppt, wps, et); text files (txt, csv, md, html)
must decode as UTF-8 or GB18030 and hold no NUL bytes. An extension without a known signature
is judged by its extension alone (the allowed list decides it).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = (b"PK\x03\x04",)
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "gif": (b"GIF87a", b"GIF89a"),
    "rar": (b"Rar!\x1a\x07",),
    "rtf": (b"{\\rtf",),
    "zip": ZIP,
    "doc": (OLE,),
    "xls": (OLE,),
    "ppt": (OLE,),
    "wps": (OLE,),
    "et": (OLE,),
}
# Zip containers and the part each must hold.
OFFICE_PARTS = {"docx": "word/", "xlsx": "xl/", "xlsm": "xl/", "pptx": "ppt/", "odt": "content.xml"}
TEXT = {"txt", "text", "csv", "md", "html", "htm"}
# Systems' 导出Excel often writes a web page's table under the .xls name; Excel and LibreOffice open it.
HTML_SAVED_AS = {"xls"}
KIND_NAMES = {
    "pdf": "PDF",
    "jpg": "JPEG 图片",
    "jpeg": "JPEG 图片",
    "png": "PNG 图片",
    "gif": "GIF 图片",
    "docx": "Word 文档",
    "doc": "Word 文档",
    "xlsx": "Excel 表格",
    "xlsm": "Excel 表格",
    "xls": "Excel 表格",
    "pptx": "PowerPoint 演示文稿",
    "ppt": "PowerPoint 演示文稿",
}


def extension(file_name: str) -> str:
    return Path(file_name).suffix.lower().lstrip(".")


def content_matches(file_name: str, content: bytes) -> bool:
    """Whether `content` is a file of the kind its name's extension says."""
    kind = extension(file_name)
    if kind in OFFICE_PARTS:
        return _zip_holds(content, OFFICE_PARTS[kind])
    if kind in HTML_SAVED_AS and _is_text(content) and content.lstrip()[:1] == b"<":
        return True
    if kind in SIGNATURES:
        return content.startswith(SIGNATURES[kind])
    if kind == "mp4":
        return content[4:8] == b"ftyp"
    if kind in TEXT:
        return _is_text(content)
    return True


def mismatch_message(file_name: str) -> str:
    """The Chinese sentence for a file whose content is not what its name says."""
    kind = extension(file_name)
    what = KIND_NAMES.get(kind, f"{kind} 文件" if kind not in TEXT else "文本文件")
    return f"「{file_name}」的内容不是{what}（文件扩展名与内容不符），请上传原始文件"


def _zip_holds(content: bytes, part: str) -> bool:
    if not content.startswith(ZIP):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError):
        return False
    return any(name == part or name.startswith(part) for name in names)


def _is_text(content: bytes) -> bool:
    if b"\0" in content:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            content.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def size_text(size: int) -> str:
    """2.5 MB, 97.7 KB, 800 字节."""
    if size < 1024:
        return f"{size} 字节"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def size_pair(size: int, limit: int) -> tuple[str, str]:
    """A size and the limit it passes, as texts that differ (20.0 MB against 20.0 MB would read
    oddly): in bytes when the rounded forms are the same."""
    shown = size_text(size), size_text(limit)
    return shown if shown[0] != shown[1] else (f"{size:,} 字节", f"{limit:,} 字节")

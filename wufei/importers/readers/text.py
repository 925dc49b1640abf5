"""Plain text as extracted or copied from a published document (.txt, .md)."""

from __future__ import annotations

from pathlib import Path

from wufei.importers.document import Document
from wufei.importers.records import ImportError_
from wufei.importers.text.tables import find_tables


def read_lines(path: Path) -> list[str]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding).splitlines()
        except UnicodeDecodeError:
            continue
    raise ImportError_(str(path), "文件编码无法识别（应为 UTF-8 或 GB18030）")


def read_text(path: Path) -> Document:
    lines = read_lines(path)
    return Document(path=str(path), format="text", lines=lines, tables=find_tables(lines))

"""Older and other office formats: documents (.doc, .wps, .rtf, .odt) converted to .docx by LibreOffice and
read as Word; spreadsheets (.xls, .et) converted to .xlsx (see `readers.sheet.read_converted_sheet`).

LibreOffice runs headless in a profile of its own for each conversion, so imports running at the same
time do not share (and lock) one profile, and is stopped after a timeout.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from wufei.importers.document import Document
from wufei.importers.records import ImportError_

TIMEOUT_SECONDS = 120


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


class Converted:
    """A file LibreOffice wrote into a temporary folder; `cleanup` removes the folder."""

    def __init__(self, folder: tempfile.TemporaryDirectory, path: Path):
        self._folder, self.path = folder, path

    def cleanup(self) -> None:
        self._folder.cleanup()


def convert_with_libreoffice(path: Path, target: str) -> Converted:
    """`path` converted to `target` (docx, xlsx) by LibreOffice headless; ImportError_ naming the file when
    LibreOffice is missing, times out or cannot read it."""
    suffix = path.suffix.lower()
    program = soffice()
    if program is None:
        raise ImportError_(
            str(path),
            f"读取 {suffix} 文件需要 LibreOffice（未安装），请安装 LibreOffice，或另存为 .{target} 后导入",
        )
    if path.stat().st_size == 0:
        raise ImportError_(str(path), "文件为空")
    folder = tempfile.TemporaryDirectory(prefix="wufei-convert-")
    work = Path(folder.name)
    # A plain ASCII name: LibreOffice and the shell need not agree on the file name's encoding.
    source = work / f"source{suffix}"
    shutil.copyfile(path, source)
    command = [
        program,
        f"-env:UserInstallation={(work / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        target,
        "--outdir",
        str(work / "out"),
        str(source),
    ]
    try:
        subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired as exc:
        folder.cleanup()
        raise ImportError_(str(path), f"LibreOffice 转换超时（{TIMEOUT_SECONDS} 秒），文件可能已损坏") from exc
    converted = work / "out" / f"source.{target}"
    if not converted.exists() or converted.stat().st_size == 0:
        folder.cleanup()
        raise ImportError_(
            str(path), f"LibreOffice 无法转换此 {suffix} 文件，文件可能已损坏；请另存为 .{target} 后导入"
        )
    return Converted(folder, converted)


@contextmanager
def libreoffice_copy(path: Path, target: str) -> Iterator[Path]:
    """`path` converted to `target` by LibreOffice, named like `path` (a sheet without a title row is named
    by its file); removed afterwards."""
    converted = convert_with_libreoffice(path, target)
    try:
        named = converted.path.with_name(f"{path.stem}.{target}")
        converted.path.rename(named)
        yield named
    finally:
        converted.cleanup()


def read_office(path: Path) -> Document:
    converted = convert_with_libreoffice(path, "docx")
    try:
        from wufei.importers.readers.docx import read_docx  # python-docx and lxml: only for Word files

        document = read_docx(converted.path, format=path.suffix.lower().lstrip("."))
    finally:
        converted.cleanup()
    document.path = str(path)
    return document

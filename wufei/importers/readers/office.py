"""Older and other office formats: documents (.doc, .wps, .rtf, .odt) converted to .docx by LibreOffice and
read as Word; spreadsheets (.xls, .et) converted to .xlsx (see `readers.sheet.read_converted_sheet`).

LibreOffice runs headless in a profile of its own for each conversion, so imports running at the same
time do not share (and lock) one profile, and is stopped after a timeout. Its work folders live in one
folder per process (`readers.sandbox.work_folder`), so those of a process killed mid-conversion are found
and removed by the next conversion. It runs in a sandbox with no
network that sees only its work folder (`readers.sandbox`): it follows the links of the document it converts.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from wufei.importers.document import Document
from wufei.importers.readers import sandbox
from wufei.importers.records import ImportError_

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 120
NO_BWRAP = "本机未安装 bubblewrap，请安装（apt-get install bubblewrap）"
NO_NAMESPACES = (
    "本机不允许 bubblewrap 创建用户命名空间，请允许非特权用户命名空间（sysctl user.max_user_namespaces 大于 0，"
    "kernel.unprivileged_userns_clone=1；在容器中还须允许 unshare 系统调用）"
)


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
    bwrap = sandbox.bwrap()
    if bwrap is None and not sandbox.unsandboxed_allowed():
        raise ImportError_(str(path), refusal(suffix, target, NO_BWRAP))
    folder = tempfile.TemporaryDirectory(prefix="convert-", dir=sandbox.work_folder())
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
        inside = run(sandbox.sandboxed(bwrap, command, work)) if bwrap is not None else None
        if inside is None or sandbox.failed_to_start(inside.returncode, inside.stderr):
            if inside is not None:
                log.warning("bwrap could not start to convert %s: %s", path, inside.stderr.decode(errors="replace"))
            if not sandbox.unsandboxed_allowed():
                why = NO_NAMESPACES if inside is not None and sandbox.no_namespaces(inside.stderr) else None
                if inside is not None and why is None:
                    said = inside.stderr.decode(errors="replace").strip().splitlines()[0]
                    why = f"bubblewrap 无法启动（{said}）"
                raise ImportError_(str(path), refusal(suffix, target, why or NO_NAMESPACES))
            log.warning(
                "%s converted by LibreOffice without a sandbox (%s=1): the document's links to files of this "
                "machine and to the network are followed",
                path,
                sandbox.UNSANDBOXED_SETTING,
            )
            run(command)
    except subprocess.TimeoutExpired as exc:
        folder.cleanup()
        raise ImportError_(str(path), f"LibreOffice 转换超时（{TIMEOUT_SECONDS} 秒），文件可能已损坏") from exc
    except ImportError_:
        folder.cleanup()
        raise
    converted = work / "out" / f"source.{target}"
    # a regular file only: a link left there by a hijacked LibreOffice would point at the server's disk,
    # a FIFO would block the import for ever
    if not converted.is_file() or converted.is_symlink() or converted.stat().st_size == 0:
        folder.cleanup()
        raise ImportError_(
            str(path), f"LibreOffice 无法转换此 {suffix} 文件，文件可能已损坏；请另存为 .{target} 后导入"
        )
    return Converted(folder, converted)


def run(command: list[str]) -> subprocess.CompletedProcess[bytes]:
    # stdin from /dev/null: the server's own (a file, a pipe) would be /proc/self/fd/0 inside, and an
    # .rtf's INCLUDEPICTURE "file:///dev/stdin" copied it into the converted copy
    return subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)


def refusal(suffix: str, target: str, reason: str) -> str:
    """Why a conversion is refused when its sandbox cannot run, and what to do."""
    return (
        f"为防止文件中的链接读取服务器上的文件或访问网络，{suffix} 文件须在隔离环境中由 LibreOffice 转换，"
        f"但隔离环境无法运行：{reason}；或将文件另存为 .{target} 后导入"
    )


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
    if path.suffix.lower() == ".rtf":
        # LibreOffice drops a picture an .rtf links to when the sandbox keeps it from the file (an .odt's
        # or a .doc's stays a link in the copy, named by the Word reader): named from the .rtf itself.
        from wufei.importers.readers.pictures import linked_doubt

        document.doubts += [linked_doubt(number, address) for number, address in rtf_linked_pictures(path.read_bytes())]
    return document


# An RTF token: a control word and its number, a hex-escaped byte, an escaped symbol, a brace, or text.
_RTF_TOKEN = re.compile(rb"\\([a-zA-Z]+)(-?\d+)? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|([^\\{}]+)", re.S)
_INCLUDEPICTURE = re.compile(r'INCLUDEPICTURE\s+(?:"([^"]*)"|(\S+))')


def rtf_linked_pictures(data: bytes) -> list[tuple[int, str]]:
    """The pictures an .rtf links to (an INCLUDEPICTURE field with no copy of the picture in its result),
    each with its number among the document's pictures as a person counts them (the stored ones too; a
    picture's \nonshppict copy for older readers is the same picture) and its address."""
    found: list[tuple[int, str]] = []
    count = 0
    frames: list[_Group] = []  # the groups open, innermost last
    position, skip = 0, 0
    while (token := _RTF_TOKEN.match(data, position)) is not None:
        position = token.end()
        word, number, hexed, symbol, brace, text = token.groups()
        field = next((f for f in reversed(frames) if f.kind == "field"), None)
        in_instruction = field is not None and any(f.kind == "fldinst" for f in frames)
        if brace == b"{":
            frames.append(_Group())
        elif brace == b"}" and frames:
            group = frames.pop()
            address = _INCLUDEPICTURE.search(group.text()) if group.kind == "field" else None
            if address and not group.picture:
                count += 1
                found.append((count, address.group(1) or address.group(2)))
        elif word is not None:
            kind = word.decode()
            if kind == "bin" and number:  # raw bytes follow, no tokens
                position += int(number)
            elif kind == "u" and number and in_instruction and field is not None:
                field.add(chr(int(number) % 0x10000))
                skip = 1  # the character written for readers without Unicode
                continue
            if frames and frames[-1].kind is None:
                frames[-1].kind = kind  # {\*\fldinst …}: the star is a symbol, the kind the word after it
            if kind == "pict" and not any(f.kind == "nonshppict" for f in frames):
                if field is None or not field.picture:
                    count += 1
                if field is not None:
                    field.picture = True  # the field's result holds a copy: that is its picture
        elif in_instruction and field is not None:
            if hexed:
                field.raw += bytes([int(hexed, 16)])
            elif skip and text:
                field.add(text[skip:].decode("latin-1"))
            else:
                field.add((text or symbol or b"").decode("latin-1"))
        skip = 0
    return found


class _Group:
    """An RTF group: its kind (its first control word) and, for a field, its instruction and whether
    its result shows a picture."""

    def __init__(self) -> None:
        self.kind: str | None = None
        self.parts: list[str] = []
        self.raw = b""  # hex-escaped bytes of the code page, decoded together
        self.picture = False

    def add(self, text: str) -> None:
        self._decode()
        self.parts.append(text)

    def text(self) -> str:
        self._decode()
        return "".join(self.parts)

    def _decode(self) -> None:
        if self.raw:
            self.parts.append(self.raw.decode("gbk", errors="replace"))
            self.raw = b""

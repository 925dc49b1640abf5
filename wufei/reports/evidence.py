"""Evidence files (佐证材料) of weekly reports, stored once by content hash.

Files live under WUFEI_EVIDENCE_DIR (default ./evidence) as `ab/cdef…` (the sha256 split after
two characters), so the same photo attached to ten reports is stored once. Every file is
checked (type from its extension and its content, size) before any is written; a refused file is named in a
Chinese error. A stored file whose transaction later rolls back stays on disk unreferenced:
harmless, and the next upload of the same content reuses it.

Files chosen on the week's form before 「先预览」 are held for its submit (`hold_files`): checked as
stored files are, kept under `previews/<token>/` for the liaison who chose them, and taken back by
the submit (`held_files`, then `drop_held` once filed). A preview never submitted is removed by the
next preview or submit after `HELD_FOR` (`sweep_held`), and a liaison's new preview replaces the
files it carried, so what is held stays within one form's files per liaison.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from wufei.cadence.config import EvidenceRules
from wufei.filetypes import content_matches, mismatch_message, size_pair

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "zip": "application/zip",
    "rar": "application/vnd.rar",
    "txt": "text/plain",
    "mp4": "video/mp4",
}
FALLBACK_TYPE = "application/octet-stream"

# A file given by path, or by name and content (an upload).
EvidenceSource = str | os.PathLike | tuple[str, bytes]


class EvidenceError(ValueError):
    """A file that cannot be attached; the message is Chinese and names the file."""


@dataclass(frozen=True)
class StoredFile:
    file_name: str
    content_type: str
    size: int
    sha256: str
    stored_path: str  # relative to the evidence directory: "ab/cdef…"


@dataclass(frozen=True)
class _Checked:
    file_name: str
    extension: str
    size: int
    path: Path | None
    content: bytes | None


def evidence_dir() -> Path:
    return Path(os.environ.get("WUFEI_EVIDENCE_DIR") or "evidence")


def content_type_of(file_name: str) -> str:
    return CONTENT_TYPES.get(_extension(file_name), FALLBACK_TYPE)


def _extension(file_name: str) -> str:
    return Path(file_name).suffix.lower().lstrip(".")


def _check(source: EvidenceSource, max_bytes: int, allowed: tuple[str, ...]) -> _Checked:
    if isinstance(source, tuple):
        name, content = source
        name = Path(name.replace("\\", "/")).name  # a browser's upload may carry the client's path
        path, size = None, len(content)
    else:
        path, content = Path(source), None
        name = path.name
        if not path.is_file():
            raise EvidenceError(f"找不到佐证材料文件「{path}」")
        size = path.stat().st_size
    extension = _extension(name)
    if extension not in allowed:
        raise EvidenceError(f"佐证材料「{name}」的文件类型不允许（只接受 {'、'.join(allowed)}）")
    if size == 0:
        raise EvidenceError(f"佐证材料「{name}」是空文件")
    if size > max_bytes:
        raise EvidenceError(_too_large(name, size, max_bytes))
    sample = path.read_bytes() if path is not None else content or b""
    if not content_matches(name, sample):
        raise EvidenceError(f"佐证材料{mismatch_message(name)}")
    return _Checked(name, extension, size, path, content)


def _too_large(name: str, size: int, max_bytes: int) -> str:
    size_text, limit_text = size_pair(size, max_bytes)
    return f"佐证材料「{name}」有 {size_text}，大于单个文件上限 {limit_text}"


def check_files(sources: Iterable[EvidenceSource], *, rules: EvidenceRules) -> None:
    """Raise EvidenceError for the first file that would be refused; writes nothing."""
    for source in sources:
        _check(source, rules.max_bytes, rules.allowed_types)


def store_files(
    sources: Iterable[EvidenceSource], *, rules: EvidenceRules, root: Path | None = None
) -> list[StoredFile]:
    """Check every file, then store each under its hash. Nothing is written if any file is refused."""
    max_bytes = rules.max_bytes
    checked = [_check(source, max_bytes, rules.allowed_types) for source in sources]
    root = root or evidence_dir()
    stored = []
    for item in checked:
        content = item.content if item.content is not None else _read(item)
        if len(content) > max_bytes:  # grew since it was checked
            raise EvidenceError(_too_large(item.file_name, len(content), max_bytes))
        digest = hashlib.sha256(content).hexdigest()
        relative = f"{digest[:2]}/{digest[2:]}"
        _write_once(root / relative, content)
        stored.append(
            StoredFile(
                file_name=item.file_name,
                content_type=content_type_of(item.file_name),
                size=len(content),
                sha256=digest,
                stored_path=relative,
            )
        )
    return stored


def _read(item: _Checked) -> bytes:
    assert item.path is not None  # a file given by path (an upload brings its content)
    return item.path.read_bytes()


def _write_once(target: Path, content: bytes) -> None:
    if target.is_file() and target.stat().st_size == len(content):
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def evidence_path(stored_path: str, *, root: Path | None = None) -> Path:
    """Where a stored file is on disk."""
    return (root or evidence_dir()) / stored_path


# --- files held between a preview and its submit ------------------------------------------------

HELD_FOR = 24 * 3600  # seconds: a preview not submitted by then is abandoned, its files removed
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
_EXPIRED = "预览时保留的佐证材料已失效（已提交或超过24小时未提交），请重新选择文件"


def _held_root(root: Path | None) -> Path:
    return (root or evidence_dir()) / "previews"


def hold_files(
    files: Mapping[int, Sequence[tuple[str, bytes]]], *, owner: str, rules: EvidenceRules, root: Path | None = None
) -> str:
    """Check every file (as `store_files` does: nothing is held if one is refused) and keep them for
    `owner`'s submit; the token that names them. `files`: task id → (file name, content)."""
    for items in files.values():
        check_files(items, rules=rules)
    sweep_held(root=root)
    token = secrets.token_urlsafe(24)
    folder = _held_root(root) / token
    folder.mkdir(parents=True)
    listed = []
    for task_id, items in sorted(files.items()):
        for number, (name, content) in enumerate(items):
            stored = f"{task_id}-{number}"
            (folder / stored).write_bytes(content)
            listed.append({"task_id": task_id, "name": name, "stored": stored})
    (folder / "held.json").write_text(json.dumps({"owner": owner, "files": listed}, ensure_ascii=False), "utf-8")
    return token


def held_names(token: str, *, owner: str, root: Path | None = None) -> dict[int, list[str]]:
    """task id → the names of the files held under `token` (what the preview page lists)."""
    return {
        task_id: [name for name, _ in items] for task_id, items in held_files(token, owner=owner, root=root).items()
    }


def held_files(token: str, *, owner: str, root: Path | None = None) -> dict[int, list[tuple[str, bytes]]]:
    """The files held under `token` for `owner`, by task; EvidenceError when there are none (filed
    already, abandoned and removed, or another user's)."""
    folder = _held_root(root) / token
    manifest = folder / "held.json"
    if not _TOKEN.match(token) or not manifest.is_file():
        raise EvidenceError(_EXPIRED)
    held = json.loads(manifest.read_text("utf-8"))
    if held["owner"] != owner:
        raise EvidenceError(_EXPIRED)
    files: dict[int, list[tuple[str, bytes]]] = {}
    for item in held["files"]:
        files.setdefault(int(item["task_id"]), []).append((item["name"], (folder / item["stored"]).read_bytes()))
    return files


def drop_held(token: str, *, root: Path | None = None) -> None:
    if _TOKEN.match(token):
        shutil.rmtree(_held_root(root) / token, ignore_errors=True)


def sweep_held(*, root: Path | None = None, now: float | None = None) -> list[str]:
    """Remove the held files of previews older than `HELD_FOR`; their tokens."""
    folder = _held_root(root)
    if not folder.is_dir():
        return []
    cutoff = (now if now is not None else time.time()) - HELD_FOR
    removed = []
    for held in folder.iterdir():
        if held.is_dir() and held.stat().st_mtime < cutoff:
            shutil.rmtree(held, ignore_errors=True)
            removed.append(held.name)
    return removed

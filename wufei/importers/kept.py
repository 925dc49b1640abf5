"""A file's read kept beside it, so that reading it again costs nothing: the web page's upload is previewed,
previewed again, downloaded as a workbook and committed, and a scan's OCR takes seconds a page.

The read (the `Workbook` a reader and the interpreter made) is pickled into the upload's own folder, named by
the file's SHA-256 and a stamp of the importers' code (a new version reads the file again). The folder is the
portal's, written by nothing but it; at most KEPT_READS reads are kept there, each at most MAX_KEPT_BYTES (a
bigger read is not kept). A kept read that cannot be loaded is read again."""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

log = logging.getLogger(__name__)

KEPT_READS = 4
MAX_KEPT_BYTES = 20 * 1024 * 1024
PREFIX = "read-"

T = TypeVar("T")


def kept_read(path: Path, folder: Path, read: Callable[[Path], T]) -> T:
    """`read(path)`, or what it gave before for the same file and code, kept in `folder`."""
    digest = hashlib.sha256(path.read_bytes() + _code_stamp().encode()).hexdigest()
    kept = folder / f"{PREFIX}{digest[:32]}.pickle"
    if kept.is_file():
        try:
            with kept.open("rb") as stream:
                result: T = pickle.load(stream)
            log.info("read of %s taken from %s", path.name, kept.name)
            return result
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError) as exc:
            log.warning("kept read %s could not be loaded (%s): reading the file again", kept, exc)
            kept.unlink(missing_ok=True)
    result = read(path)
    data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    if len(data) <= MAX_KEPT_BYTES:
        older = sorted(folder.glob(f"{PREFIX}*.pickle"), key=lambda p: p.stat().st_mtime)
        for stale in older[: max(len(older) - KEPT_READS + 1, 0)]:
            stale.unlink(missing_ok=True)
        partial = kept.with_suffix(".partial")
        partial.write_bytes(data)
        os.replace(partial, kept)  # whole or absent: a view running beside this one never loads half of it
    return result


STAMPED_SUFFIXES = {".py", ".yaml", ".yml", ".json", ".csv", ".txt"}


@functools.cache
def _code_stamp() -> str:
    """The package's stamp, once a process: another version of the code, of the header words (headers.yaml) or
    of the places a plan is matched to reads the file again."""
    return stamp_of(Path(__file__).parents[1])


def stamp_of(root: Path) -> str:
    """The sizes and times of the code and data files under `root`."""
    stamps = sorted(
        f"{p.relative_to(root)}:{p.stat().st_size}:{p.stat().st_mtime_ns}"
        for p in root.rglob("*")
        if p.suffix in STAMPED_SUFFIXES and "__pycache__" not in p.parts
    )
    return hashlib.sha256("\n".join(stamps).encode()).hexdigest()

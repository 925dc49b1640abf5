"""LibreOffice's conversion of an upload with and without its bubblewrap sandbox: wall and CPU seconds of
reading a .doc (seed plan 保定方案 saved as Word 97 by LibreOffice: 39 tasks, 65 indicators) and a .xls (the
three-task publisher table of tests/importers/test_readers_old_sheets.py saved as Excel 97), each through
`read_source` (the conversion, then the .docx or .xlsx read); and bwrap alone, running /usr/bin/true in
the same sandbox, 20 times.

Without the sandbox is the code's own path when bwrap is missing and WUFEI_UNSANDBOXED_CONVERSION=1 allows
converting without it: PATH is a folder of links to /usr/bin's programs but bwrap. The two are measured in
turns, `ROUNDS` times each file. CPU time is this process's and its children's (getrusage): bwrap runs
LibreOffice as its own child (--as-pid-1) and waits for it, so LibreOffice's time is counted.

    .venv/bin/python bench/convert.py [rounds]
"""

from __future__ import annotations

import functools
import logging
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.importers.render import convert, seed_document, write_docx  # noqa: E402
from tests.importers.test_office_sandbox import path_without_bwrap  # noqa: E402
from tests.importers.test_readers_old_sheets import _publisher_xlsx  # noqa: E402
from tests.seed_files import BAODING_PLAN  # noqa: E402
from wufei.importers.readers import sandbox  # noqa: E402
from wufei.importers.service import read_source  # noqa: E402

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 5


def cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measured(read: Callable[[], object]) -> tuple[float, float]:
    wall, used = time.perf_counter(), cpu()
    read()
    return time.perf_counter() - wall, cpu() - used


def spread(values: list[float]) -> str:
    return f"{min(values):.2f}–{max(values):.2f} (median {statistics.median(values):.2f})"


def main(folder: Path) -> None:
    logging.disable(logging.WARNING)  # the unsandboxed path warns on every conversion
    files = {
        "doc": convert(write_docx(seed_document(BAODING_PLAN), folder / "保定方案.docx"), "doc:MS Word 97", folder),
        "xls": convert(_publisher_xlsx(folder / "任务分工表.xlsx"), "xls", folder),
    }
    sandboxed_path, plain_path = os.environ["PATH"], path_without_bwrap(folder / "bin")
    os.environ["WUFEI_UNSANDBOXED_CONVERSION"] = "1"
    modes = {"sandbox": sandboxed_path, "no sandbox": plain_path}
    figures: dict[tuple[str, str], list[tuple[float, float]]] = {(f, m): [] for f in files for m in modes}
    for path in files.values():  # the readers' modules imported before anything is measured
        read_source(path)
    print(f"load average at start: {os.getloadavg()}", flush=True)
    for round_ in range(ROUNDS):
        order = list(modes) if round_ % 2 == 0 else list(reversed(modes))
        for kind, path in files.items():
            for mode in order:
                os.environ["PATH"] = modes[mode]
                figures[(kind, mode)].append(measured(functools.partial(read_source, path)))
    os.environ["PATH"] = sandboxed_path
    print(f"load average at end: {os.getloadavg()}")
    for (kind, mode), runs in figures.items():
        walls, cpus = [w for w, _ in runs], [c for _, c in runs]
        print(f"{kind} {mode:>10}: wall {spread(walls)} s, CPU {spread(cpus)} s over {len(runs)} runs")
    bwrap = sandbox.bwrap()
    assert bwrap is not None, "bwrap is needed to measure the sandbox"
    alone = [
        measured(functools.partial(subprocess.run, sandbox.sandboxed(bwrap, ["/usr/bin/true"], folder), check=True))
        for _ in range(20)
    ]
    walls, cpus = [1000 * w for w, _ in alone], [1000 * c for _, c in alone]
    print(f"the sandbox alone (bwrap running /usr/bin/true, 20 times): wall {spread(walls)} ms, CPU {spread(cpus)} ms")
    for kind in files:
        extra = [s[1] - n[1] for s, n in zip(figures[(kind, "sandbox")], figures[(kind, "no sandbox")], strict=True)]
        print(f"{kind}: the sandbox's CPU, pair by pair: {spread(extra)} s")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="bench-convert-") as folder:
        main(Path(folder))

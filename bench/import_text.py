"""Reading a long plan as text, in each shape a table takes when copied from a browser or printed by pdftotext.

The 1,400-task table of bench/import_pdf.py (some 400 pages) as: tab-separated rows; one cell per line
after a tab; one cell per line without the tab (rows cut by the header's width and the data's shape);
the same without numbers (every row's cut is a choice); and the PDF run through `pdftotext -layout`
(the PDF is built once by bench/import_pdf.py and cached). Prints the reader's time (read_text, wall and
CPU: the machine is shared) and the rows found for each, and the whole `wufei import` time for the text
without tabs.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.import_pdf import CACHE, LEADS, TASKS, build_pdf  # noqa: E402
from wufei import migrate  # noqa: E402
from wufei.db import make_engine  # noqa: E402
from wufei.departments.registry import Registry  # noqa: E402
from wufei.importers.readers.text import read_text  # noqa: E402
from wufei.importers.service import import_paths  # noqa: E402

TITLE = [
    "衡水市人民政府办公室",
    "",
    "衡水市“无废城市”建设重点任务分工方案",
    "",
    "为深入推进“无废城市”建设，现将重点任务分工如下。",
    "",
]
HEADER = ["序号", "任务名称", "主要内容", "责任单位", "完成期限"]


def rows(numbered: bool = True) -> list[list[str]]:
    table = []
    for n in range(1, TASKS + 1):
        content = f"围绕第{n}项任务加强固体废物源头减量和资源化利用，完善收运体系，推进设施建设，" * 2
        row = [str(n), f"推进第{n}项重点任务", content, LEADS[n % len(LEADS)], f"{2023 + n % 3}年底前"]
        table.append(row if numbered else row[1:])
    return table


def shapes(folder: Path) -> dict[str, Path]:
    texts = {
        "tab-separated rows": TITLE + ["\t".join(HEADER)] + ["\t".join(r) for r in rows()],
        "one cell per line after a tab": TITLE
        + [f"\t{h}" for h in HEADER]
        + [line for r in rows() for line in ["", *(f"\t{c}" for c in r)]],
        "one cell per line, no tab": TITLE + HEADER + [line for r in rows() for line in ["", *r]],
        "one cell per line, no tab, no numbers": TITLE
        + HEADER[1:]
        + [line for r in rows(numbered=False) for line in ["", *r]],
    }
    paths = {}
    for k, (name, lines) in enumerate(texts.items()):
        paths[name] = folder / f"shape{k}.txt"
        paths[name].write_text("\n".join(lines) + "\n", encoding="utf-8")
    layout = CACHE / "layout.txt"
    if not layout.exists():
        subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(build_pdf()), str(layout)], check=True)
    paths["pdftotext -layout (400 pages)"] = layout
    return paths


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        paths = shapes(Path(tmp))
        for name, path in paths.items():
            started, cpu = time.perf_counter(), time.process_time()
            document = read_text(path)
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
            found = sum(len(t.rows) for t in document.tables)
            print(
                f"{name}: read_text {elapsed:.2f} s ({cpu:.2f} s CPU), {found} of {TASKS} rows, "
                f"{len(document.doubts)} doubts"
            )
        engine = make_engine(f"sqlite:///{tmp}/bench.db")
        migrate.upgrade(engine)
        started = time.perf_counter()
        [result] = import_paths(engine, [paths["one cell per line, no tab"]], registry=Registry.load())
        whole = time.perf_counter() - started
        engine.dispose()
    tasks = result.plans[0].counts["tasks"] if result.ok else 0
    print(f"wufei import of the text without tabs (read, interpret, load, commit): {whole:.2f} s, {tasks} tasks")


if __name__ == "__main__":
    main()

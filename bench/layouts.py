"""Import fidelity by construction: the same records in every publisher layout and every format.

The corpus (bench/import_fidelity.py) scores the documents collected so far; documents nobody here has
seen come in layouts and through tools the corpus may lack. This benchmark takes the expected records of
corpus documents of different kinds (task tables, prose plans, indicator tables) and two seeds' records,
lays each set out as publishers do (tests/importers/layouts/layouts.py: one or two owner columns, 序号 or
none, 领域 merged down its tasks, a title row across the table, a two-row header, long rows over pages
with the header repeated, line breaks in cells, a 完成时限 column with dates in several forms; prose items
with owner brackets, owner lines or a trailing clause; indicator units in a column, in the name's
brackets or after the value), writes each as .docx, .pdf (LibreOffice from the .docx), .html (a CMS
page), .txt (Chromium's copy of that page), .xlsx and GBK .csv, imports every file through
`read_source` (the path of `wufei import --preview`) and scores it with bench/fidelity.py.

    .venv/bin/python bench/layouts.py                          # the whole matrix (a few minutes)
    .venv/bin/python bench/layouts.py --layouts groups deadlines --formats pdf html
    .venv/bin/python bench/layouts.py --sets sc_suining_2016   # some record sets only
    .venv/bin/python bench/layouts.py --misses                 # and every wrong field
    .venv/bin/python bench/layouts.py --keep /tmp/layouts      # keep the generated files there
    .venv/bin/python bench/layouts.py --json FILE              # the matrix as JSON

It prints a matrix layout × format, each cell `accuracy matched/expected` (field accuracy; records matched
of those expected, over every record set), the total per format and per layout, and the overall figure.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.fidelity import CorpusScore, Tally  # noqa: E402
from tests.importers.layouts.formats import FORMATS  # noqa: E402
from tests.importers.layouts.layouts import LAYOUTS  # noqa: E402
from tests.importers.layouts.matrix import Cell, run  # noqa: E402
from tests.importers.layouts.records import indicator_sets, task_sets  # noqa: E402


def _figure(corpus: CorpusScore) -> str:
    summary = corpus.summary()
    total = corpus.total()
    share = "   -  " if total.share is None else f"{100 * total.share:5.1f}%"
    return f"{share} {summary['records_matched']:>3}/{summary['records_expected']:<3}"


def matrix_report(cells: dict[tuple[str, str], Cell], *, misses: bool = False) -> str:
    layouts = [layout.name for layout in LAYOUTS if any(key[0] == layout.name for key in cells)]
    formats = [f for f in FORMATS if any(key[1] == f for key in cells)]
    width = max(len(name) for name in [*layouts, "all layouts"]) + 1
    lines = [f"{'layout':{width}}" + "".join(f"{f:>15}" for f in formats) + f"{'all formats':>17}"]
    for name in layouts:
        row = f"{name:{width}}"
        for fmt in formats:
            cell = cells.get((name, fmt))
            row += f"{_figure(cell.corpus) if cell else '':>15}"
        every = CorpusScore([s for (n, _), c in cells.items() if n == name for s in c.scores])
        lines.append(row + f"{_figure(every):>17}")
    row = f"{'all layouts':{width}}"
    for fmt in formats:
        row += f"{_figure(CorpusScore([s for (_, f), c in cells.items() if f == fmt for s in c.scores])):>15}"
    overall = CorpusScore([s for c in cells.values() for s in c.scores])
    lines.append(row + f"{_figure(overall):>17}")
    summary = overall.summary()
    total: Tally = overall.total()
    lines += [
        "",
        f"overall: {summary['documents']} files, {len(summary['refused'])} refused; records {summary['records_found']} "
        f"found / {summary['records_expected']} expected ({summary['records_matched']} matched, {summary['extra']} "
        f"extra); fields {total.right}/{total.total} = {100 * (total.share or 0):.1f}%",
        "per field: "
        + ", ".join(
            f"{name} {t.right}/{t.total} ({100 * (t.share or 0):.1f}%)"
            for name, t in overall.fields().items()
            if t.total
        ),
    ]
    for doc in overall.documents:
        if doc.refused:
            lines.append(f"REFUSED {doc.doc_id}: {doc.error}")
    if misses:
        for (name, fmt), cell in sorted(cells.items()):
            for doc in cell.scores:
                label = f"{name}/{fmt}/{doc.doc_id.split('__')[1]}"
                for record, field_name, want, got in doc.misses:
                    lines.append(f"  {label}: {record}: {field_name} {want!r} -> {got!r}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Score the importer on records laid out in every layout and format.")
    parser.add_argument("--layouts", nargs="+", choices=[layout.name for layout in LAYOUTS], metavar="LAYOUT")
    parser.add_argument("--formats", nargs="+", choices=FORMATS, metavar="FORMAT")
    parser.add_argument("--sets", nargs="+", choices=[*task_sets(), *indicator_sets()], metavar="SET")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="write the files there and keep them")
    parser.add_argument("--misses", action="store_true", help="list every expected field the import got wrong")
    parser.add_argument("--json", metavar="FILE", help="write the matrix as JSON")
    args = parser.parse_args(argv)
    layouts = args.layouts or [layout.name for layout in LAYOUTS]
    started = time.perf_counter()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        cells = run(layouts, args.keep, formats=args.formats, sets=args.sets)
    else:
        with tempfile.TemporaryDirectory(prefix="wufei-layouts-") as folder:
            cells = run(layouts, Path(folder), formats=args.formats, sets=args.sets)
    print(matrix_report(cells, misses=args.misses))
    print(f"({time.perf_counter() - started:.0f} s)")
    if args.json:
        data = {
            f"{name}/{fmt}": {
                "accuracy": cell.accuracy,
                "summary": cell.corpus.summary(),
            }
            for (name, fmt), cell in sorted(cells.items())
        }
        data["overall"] = {"summary": CorpusScore([s for c in cells.values() for s in c.scores]).summary()}
        Path(args.json).write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Import fidelity on the corpus of published documents (issue 11 part 7).

Imports every document in tests/corpus/ through the importer's public path
(`read_source(path)` -> `Workbook.plans`) and compares the records with the hand-written
`<id>.expected.yaml`: records found/expected (and extra) and field accuracy for title, leads,
supporting, deadline text, due date, indicator name, unit, baseline and target, per document and
overall. A document the importer refuses scores 0 and is listed with its error. The held-out
batch (`holdout: true`, never tuned to) is marked `*` and summed apart as well, and each
collection batch (`batch: N`) gets a summary line. The scoring rules are in bench/fidelity.py and
tests/corpus/README.md.

    .venv/bin/python bench/import_fidelity.py [ids…]           # the table
    .venv/bin/python bench/import_fidelity.py --misses         # and every wrong field (tuning set)
    .venv/bin/python bench/import_fidelity.py --holdout        # the held-out batch only
    .venv/bin/python bench/import_fidelity.py --tuning         # the tuning set only (never reads the held-out batch)
    .venv/bin/python bench/import_fidelity.py --batch 2        # one collection batch only
    .venv/bin/python bench/import_fidelity.py --json [FILE]    # the scores as JSON (stdout or FILE)
    .venv/bin/python bench/import_fidelity.py --corpus tests/importers/unseen  # another folder of documents
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.fidelity import CorpusScore, DocumentScore, load_expected, report, score_document  # noqa: E402
from wufei.importers.records import ImportError_  # noqa: E402
from wufei.importers.service import read_source  # noqa: E402

CORPUS = ROOT / "tests" / "corpus"


def score_one(expected_path: Path) -> DocumentScore:
    expected = load_expected(expected_path)
    path = expected_path.parent / expected.file
    try:
        plans = read_source(path).plans
    except ImportError_ as exc:
        return score_document(expected, None, error=_short(str(exc)))
    except Exception as exc:  # a reader that crashes refuses the document just the same
        return score_document(expected, None, error=_short(f"crashed: {type(exc).__name__}: {exc}"))
    return score_document(expected, plans)


def _short(error: str) -> str:
    return error.replace(f"{ROOT}/", "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Score the importer on the corpus's expected records.")
    parser.add_argument("ids", nargs="*", help="document ids (default: the whole corpus)")
    parser.add_argument("--json", nargs="?", const="-", metavar="FILE", help="write the scores as JSON")
    parser.add_argument("--misses", action="store_true", help="list every expected field the import got wrong")
    parser.add_argument("--holdout", action="store_true", help="score only the held-out batch (holdout: true)")
    parser.add_argument("--tuning", action="store_true", help="score only the tuning set (the held-out batch unread)")
    parser.add_argument("--batch", type=int, metavar="N", help="score only the documents of collection batch N")
    parser.add_argument(
        "--corpus", type=Path, default=CORPUS, metavar="DIR", help="a folder of documents and expected files"
    )
    args = parser.parse_args(argv)

    paths = sorted(args.corpus.resolve().glob("*.expected.yaml"))
    if args.ids:
        wanted = set(args.ids)
        paths = [p for p in paths if p.name.removesuffix(".expected.yaml") in wanted]
        unknown = wanted - {p.name.removesuffix(".expected.yaml") for p in paths}
        if unknown:
            parser.error("unknown document ids: " + " ".join(sorted(unknown)))
    if args.holdout and args.tuning:
        parser.error("--holdout and --tuning exclude each other")
    if args.holdout:
        paths = [p for p in paths if load_expected(p).holdout]
    if args.tuning:
        paths = [p for p in paths if not load_expected(p).holdout]
    if args.batch is not None:
        paths = [p for p in paths if load_expected(p).batch == args.batch]
    started = time.perf_counter()
    corpus = CorpusScore([score_one(path) for path in paths])
    elapsed = time.perf_counter() - started

    if args.json:
        text = json.dumps(corpus.as_dict(), ensure_ascii=False, indent=2)
        if args.json == "-":
            print(text)
            return 0
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    print(report(corpus))
    print(f"imported and scored {len(paths)} documents in {elapsed:.2f} s")
    if args.misses:
        hidden = [doc.doc_id for doc in corpus.documents if doc.holdout and not args.holdout]
        for doc in corpus.documents:
            if doc.refused or doc.doc_id in hidden:
                continue  # refused: listed above with its error; held out: not for tuning
            for record, name, expected, found in doc.misses:
                print(f"  {doc.doc_id}: {record}: {name}: expected {expected!r}, found {found!r}")
        if hidden:
            print(f"  (misses of the {len(hidden)} held-out documents are not listed; --holdout lists them)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

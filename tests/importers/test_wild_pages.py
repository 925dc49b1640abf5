"""Every real page of tests/wild/ and tests/wild/batch2/ to batch4/ (four sets of published pages nobody
wrote records for: plans, lists, news, explainers, reports) read and loaded as the preview does, in a transaction
rolled back. What must hold on any input: no exception but the importer's own refusal; a refusal in Chinese that
names the file; every record with a lead or a doubt saying it lacks one; no owner that is a piece of a sentence, no
record named by the page around the document (来源, 当前位置, a breadcrumb) and no deadline that is the page's date
line unless a doubt says so.
`bench/wild.py --flags` prints the same checks page by page."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from wufei import migrate
from wufei.departments.registry import Registry

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.wild import SETS, check_pages, page_kinds, wild_pages  # noqa: E402

# Read silently, these are garbage; every page keeps none of them.
NEVER = ("crash", "refusal", "no-lead", "owner", "chrome", "deadline")


@pytest.fixture
def migrated(fresh_engine):
    migrate.upgrade(fresh_engine)
    return fresh_engine


def test_every_wild_page_is_read_or_refused_in_chinese_without_silent_garbage(migrated):
    pages = wild_pages()
    assert all(len(wild_pages(n)) >= 40 for n in SETS)
    assert set(page_kinds()) == {page.stem for page in pages}  # the sources lists name each
    results = check_pages(pages, migrated, Registry.load())
    found = {f"{r.page}: {name}": values for r in results for name, values in r.flags.items() if name in NEVER}
    assert found == {}
    for result in results:
        if result.refused:
            folder = SETS[result.batch].relative_to(ROOT)
            assert f"{folder}/{result.page}." in result.refused
    # The pages are read, not all refused: plans and lists give records.
    assert sum(r.records for r in results if r.kind in ("plan", "list")) >= 50

"""A file's read kept beside it (wufei.importers.kept): given back for the same file without reading it again,
read again when the file changes, at most KEPT_READS kept in a folder, a read that cannot be loaded read again.
That the web page's upload is read by OCR once is proved over HTTP in tests/web/test_import_page.py."""

from __future__ import annotations

from pathlib import Path

from tests.preview_plan import another_plan
from wufei.importers.kept import KEPT_READS, PREFIX, kept_read
from wufei.importers.service import read_source
from wufei.importers.spreadsheet import Workbook


def test_a_read_is_kept_per_file_content_bounded_and_read_again_when_broken(tmp_path):
    reads: list[Path] = []

    def counted(path: Path) -> Workbook:
        reads.append(path)
        return read_source(path)

    path = tmp_path / "plan.txt"
    path.write_text(another_plan(21), encoding="utf-8")
    first = kept_read(path, tmp_path, counted)
    again = kept_read(path, tmp_path, counted)
    assert len(reads) == 1 and again is not first  # a fresh copy: corrections put into one touch no other
    assert [t.title for t in again.plans[0].tasks] == [t.title for t in first.plans[0].tasks]

    for number in range(22, 22 + KEPT_READS + 1):  # the file replaced: read again, older reads dropped
        path.write_text(another_plan(number), encoding="utf-8")
        assert kept_read(path, tmp_path, counted).plans[0].doc_number == f"衡政办字〔2024〕{number}号"
    assert len(reads) == 1 + KEPT_READS + 1
    assert len(list(tmp_path.glob(f"{PREFIX}*.pickle"))) == KEPT_READS

    for kept in tmp_path.glob(f"{PREFIX}*.pickle"):
        kept.write_bytes(b"not a pickle")
    assert kept_read(path, tmp_path, counted).plans[0].doc_number == f"衡政办字〔2024〕{22 + KEPT_READS}号"
    assert len(reads) == 1 + KEPT_READS + 2


def test_the_stamp_changes_with_code_and_data_files_and_not_with_caches(tmp_path):
    """A kept read is read again when the header words or the places data change, not only the code."""
    from wufei.importers.kept import stamp_of

    (tmp_path / "reader.py").write_text("x = 1\n")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "headers.yaml").write_text("a: 1\n")
    (tmp_path / "__pycache__").mkdir()
    first = stamp_of(tmp_path)
    (tmp_path / "__pycache__" / "reader.cpython-311.pyc").write_bytes(b"compiled")
    assert stamp_of(tmp_path) == first
    (tmp_path / "data" / "headers.yaml").write_text("a: 1\nb: 2\n")
    assert stamp_of(tmp_path) != first

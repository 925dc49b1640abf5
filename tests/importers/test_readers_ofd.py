"""OFD files (GB/T 33190, electronic official documents): plans printed to PDF by LibreOffice from
Word files with real tables, then written as OFD the way a converter does (text runs with their
advances, ruling lines as paths; tests/importers/render.write_ofd), read by read_source."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.importers.render import convert_all, seed_document, write_docx, write_ofd
from tests.importers.same_records import assert_same_records
from tests.seed_files import CELLS_REPLY, HEBEI_PLAN, HENGSHUI_PLAN
from wufei.importers.readers.ofd import SCANNED
from wufei.importers.records import ImportError_
from wufei.importers.service import read_source

pytestmark = pytest.mark.backend_independent  # reading files: no database

SEEDS = (CELLS_REPLY, HEBEI_PLAN, HENGSHUI_PLAN)


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """Each seed's PDF (one LibreOffice run) and the OFD written from it."""
    folder = tmp_path_factory.mktemp("ofd")
    pdfs = convert_all([write_docx(seed_document(s), folder / f"{s.stem}.docx") for s in SEEDS], "pdf", folder)
    return {s.name: (pdf, write_ofd(pdf, folder / f"{s.stem}.ofd")) for s, pdf in zip(SEEDS, pdfs)}


@pytest.mark.parametrize("seed", [CELLS_REPLY, HEBEI_PLAN], ids=lambda p: p.stem)
def test_a_seed_as_ofd_gives_the_records_of_its_text(seed, printed):
    _, ofd = printed[seed.name]
    with zipfile.ZipFile(ofd) as archive:
        content = "".join(archive.read(name).decode() for name in archive.namelist() if name.endswith("Content.xml"))
    assert "DeltaX=" in content and "CTM=" in content
    [plan] = read_source(ofd).plans
    assert plan.format == "ofd" and plan.path == str(ofd)
    assert_same_records(read_source(seed).plans[0], plan)


def test_the_hengshui_plan_as_ofd_reads_as_its_pdf_reads(printed):
    """Seven ruled tables over some 40 pages, rows broken over pages: the same records as the PDF the
    OFD was written from (tests/importers/test_readers_pdf.py holds the PDF against the text)."""
    pdf, ofd = printed[HENGSHUI_PLAN.name]
    with zipfile.ZipFile(ofd) as archive:
        paths = sum(archive.read(name).count(b"<ofd:PathObject") for name in archive.namelist())
    assert paths > 100  # its tables' rules
    [from_pdf] = read_source(pdf).plans
    [from_ofd] = read_source(ofd).plans
    assert len(from_ofd.tasks) == len(from_pdf.tasks) > 100
    assert_same_records(from_pdf, from_ofd)
    assert from_ofd.tasks[-1].where.startswith("第") and "页" in from_ofd.tasks[-1].where


def _zip(path: Path, files: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return path


def test_unreadable_ofd_files_are_refused_naming_the_file_and_what_is_wrong(printed, tmp_path):
    not_zip = tmp_path / "损坏.ofd"
    not_zip.write_bytes(b"%PDF-1.7 a pdf renamed")
    no_root = _zip(tmp_path / "缺根.ofd", {"Doc_0/Document.xml": "<Document/>"})
    _, good = printed[CELLS_REPLY.name]
    with zipfile.ZipFile(good) as archive:
        files = {name: archive.read(name).decode() for name in archive.namelist()}
    no_page = _zip(tmp_path / "缺页.ofd", {k: v for k, v in files.items() if k != "Doc_0/Pages/Page_0/Content.xml"})
    bad_xml = _zip(tmp_path / "坏页.ofd", {**files, "Doc_0/Pages/Page_0/Content.xml": "<ofd:Page><unclosed>"})
    cases = [
        (not_zip, "不是 OFD 压缩包"),
        (no_root, "没有 OFD.xml"),
        (no_page, "缺少第1页"),
        (bad_xml, "Page_0/Content.xml」无法读取"),
    ]
    for path, says in cases:
        with pytest.raises(ImportError_) as error:
            read_source(path)
        assert path.name in str(error.value) and says in str(error.value), str(error.value)


def test_an_ofd_of_scanned_pages_is_refused_asking_for_a_text_version(printed, tmp_path):
    _, good = printed[CELLS_REPLY.name]
    with zipfile.ZipFile(good) as archive:
        files = {name: archive.read(name).decode() for name in archive.namelist()}
    pages = [name for name in files if name.endswith("Content.xml")]
    image_only = (
        '<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer ID="2">'
        '<ofd:ImageObject ID="9" Boundary="0 0 210 297" ResourceID="5"/></ofd:Layer></ofd:Content></ofd:Page>'
    )
    scanned = _zip(tmp_path / "扫描件.ofd", {**files, **dict.fromkeys(pages, image_only)})
    with pytest.raises(ImportError_) as error:
        read_source(scanned)
    assert SCANNED in str(error.value) and "扫描件.ofd" in str(error.value)

"""OFD files (GB/T 33190, electronic official documents): plans printed to PDF by LibreOffice from
Word files with real tables, then written as OFD the way a converter does (text runs with their
advances, ruling lines as paths; tests/importers/render.write_ofd), read by read_source."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from tests.importers.render import advances_text, convert_all, seed_document, write_docx, write_ofd
from tests.importers.same_records import assert_same_records
from tests.seed_files import CELLS_REPLY, HEBEI_PLAN, HENGSHUI_PLAN
from wufei.importers.readers.ofd import SCANNED, read_ofd
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


# --- an OFD as office suites' converters write one, by hand -------------------------------------

NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'
PAGE_BOX = "0 0 297 210"  # landscape, in the page's own Area
CJK = 4.2  # the advance in mm of a Chinese character at size 4.2
LATIN = {"%": 3.5, ".": 1.05}  # Times New Roman's % is wider than a digit (2.1), its full stop narrower


def _advance(ch: str) -> float:
    return LATIN.get(ch, 2.1) if ch.isascii() else CJK


LINES = [
    "某县“无废城市”建设重点任务分工",
    "1.推进一般工业固体废物综合利用，综合利用率达到95%以上。（牵头单位：县工信局；配合单位：县生态环境分局）",
    "完成时限：2025年6月底前",
    "2.建成餐厨垃圾处理设施，日处理能力达到100吨。（牵头单位：县城管局）完成时限：2024年12月底前",
]


def _runs(text: str) -> list[str]:
    """The line cut where the font changes: 仿宋 for Chinese, Times New Roman for digits and signs."""
    runs: list[str] = []
    for ch in text:
        if runs and runs[-1][-1].isascii() == ch.isascii():
            runs[-1] += ch
        else:
            runs.append(ch)
    return runs


def _handmade_page() -> str:
    """Text objects over the whole page (Boundary = the page, X/Y absolute), one per font run, the
    run's last character without an advance; the second task's first line and its deadline line in
    one object, the second TextCode without X; a grey shading box (filled, not stroked) behind the
    title; the page number in the template, not here."""
    objects = [
        '<ofd:PathObject ID="5" Boundary="15 14 267 10" Stroke="false" Fill="true"><ofd:FillColor Value="230 230 230"/>'
        "<ofd:AbbreviatedData>M 0 0 L 267 0 L 267 10 L 0 10 C</ofd:AbbreviatedData></ofd:PathObject>"
    ]
    for number, line in enumerate(LINES[:3]):
        x, baseline = 20.0, 20.0 + 9 * number
        for run in _runs(line):
            steps = [_advance(ch) for ch in run]
            delta = advances_text(steps[:-1])  # the run's last character has no advance
            font = "4" if run[0].isascii() else "3"
            objects.append(
                f'<ofd:TextObject ID="{10 + len(objects)}" Boundary="{PAGE_BOX}" Font="{font}" Size="4.2">'
                f'<ofd:TextCode X="{x:.2f}" Y="{baseline:.2f}"'
                + (f' DeltaX="{delta}"' if delta else "")
                + f">{run}</ofd:TextCode></ofd:TextObject>"
            )
            x += sum(steps)
    # The second task in one 仿宋 object of two lines: its digits drawn at the 仿宋 advance.
    first, second = LINES[3][:30], LINES[3][30:]
    objects.append(
        f'<ofd:TextObject ID="90" Boundary="{PAGE_BOX}" Font="3" Size="4.2">'
        f'<ofd:TextCode X="20" Y="47" DeltaX="g {len(first) - 1} {CJK}">{first}</ofd:TextCode>'
        f'<ofd:TextCode Y="56" DeltaX="g {len(second) - 1} {CJK}">{second}</ofd:TextCode></ofd:TextObject>'
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {NS}><ofd:Template TemplateID="7" ZOrder="Background"/>'
        f"<ofd:Area><ofd:PhysicalBox>{PAGE_BOX}</ofd:PhysicalBox></ofd:Area>"
        f'<ofd:Content><ofd:Layer ID="2" Type="Body">{"".join(objects)}</ofd:Layer></ofd:Content></ofd:Page>'
    )


def _handmade(path: Path, page: str) -> Path:
    """The package as 数科/福昕 lay it out, the page named from the package's root."""
    return _zip(
        path,
        {
            "OFD.xml": f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {NS} Version="1.0" DocType="OFD">'
            "<ofd:DocBody><ofd:DocInfo><ofd:DocID>1</ofd:DocID></ofd:DocInfo>"
            "<ofd:DocRoot>/Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
            "Doc_0/Document.xml": f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {NS}><ofd:CommonData>'
            "<ofd:MaxUnitID>99</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox>"
            '</ofd:PageArea><ofd:TemplatePage ID="7" BaseLoc="Tpls/Tpl_0/Content.xml"/></ofd:CommonData>'
            '<ofd:Pages><ofd:Page ID="1" BaseLoc="Doc_0/Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>',
            "Doc_0/Tpls/Tpl_0/Content.xml": f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {NS}><ofd:Content>'
            f'<ofd:Layer ID="3"><ofd:TextObject ID="8" Boundary="140 195 20 6" Size="3.5">'
            f'<ofd:TextCode X="0" Y="4" DeltaX="1.8 1.8 1.8">- 1 -</ofd:TextCode></ofd:TextObject>'
            f"</ofd:Layer></ofd:Content></ofd:Page>",
            "Doc_0/Pages/Page_0/Content.xml": page,
        },
    )


def test_an_ofd_laid_out_as_office_converters_write_it_gives_its_tasks(tmp_path):
    ofd = _handmade(tmp_path / "分工.ofd", _handmade_page())
    # The Times run 95% ends without an advance; the 仿宋 run 以上 starts where it ends: no space between.
    assert any("达到95%以上。" in line for line in read_ofd(ofd).lines)
    [plan] = read_source(ofd).plans
    assert plan.title == "某县“无废城市”建设重点任务分工"
    assert [(t.number, t.title, t.leads, t.supporting, t.deadline_raw) for t in plan.tasks] == [
        (
            "1",
            "推进一般工业固体废物综合利用，综合利用率达到95%以上",
            ("县工信局",),
            ("县生态环境分局",),
            "2025年6月底前",
        ),
        ("2", "建成餐厨垃圾处理设施，日处理能力达到100吨", ("县城管局",), (), "2024年12月底前"),
    ]
    assert not plan.tasks[0].where.startswith("表")  # the shading box is no table


@pytest.mark.parametrize(
    "breaking",
    [
        lambda page: re.sub(r'DeltaX="[^"]*"', 'DeltaX="g 3"', page, count=1),  # a `g` without its value
        lambda page: page.replace("L 267 10 L 0 10 C", "L 267", 1),  # a path cut short
        lambda page: page.replace('Boundary="0 0 297 210"', 'Boundary="0 0 x 210"', 1),  # a box not of numbers
    ],
    ids=["delta", "path", "boundary"],
)
def test_a_malformed_page_is_refused_naming_the_file_and_page(breaking, tmp_path):
    page = breaking(_handmade_page())
    assert page != _handmade_page()
    with pytest.raises(ImportError_) as error:
        read_source(_handmade(tmp_path / "坏页.ofd", page))
    assert "坏页.ofd" in str(error.value) and "第1页" in str(error.value), str(error.value)

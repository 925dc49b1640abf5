"""Scans read by OCR (real Tesseract, no mocks): an image-only PDF and a PNG made from PDFs the unseen sets
already hold, read into the records their text gives, every record flagged for a person; refused, naming
the file and what to install, when Tesseract or its Chinese data is missing; refused when nothing was
recognised. The web page's preview of a scan is in tests/web/test_import_page.py."""

from __future__ import annotations

import ctypes
import io
import logging
import re
import zipfile
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
import yaml
from PIL import Image, ImageDraw

from wufei.importers.readers.ocr import MISSING, NOT_READ, NOTHING_READ, STRAIGHT, skew_of
from wufei.importers.readers.pdf import SCANNED
from wufei.importers.records import ImportError_
from wufei.importers.service import IMPORTABLE_SUFFIXES, preview_paths, read_source
from wufei.importers.text.recognised import RECORD

HERE = Path(__file__).parent
TABLE_PDF = HERE / "unseen4" / "sc_neijiang_fenjie.pdf"  # two pages, a ruled table going on over the page
PARAGRAPHS_PDF = HERE / "unseen7" / "ha_xinxiang_yaodian.pdf"  # one page of 工作要点 paragraphs
SCAN_DPI = 200  # as an office scanner saves a page


def page_images(pdf: Path, *, bilevel: bool = False) -> list[Image.Image]:
    """The pages as a scanner gives them: grey (or black and white) pixels, no text."""
    document = pdfium.PdfDocument(str(pdf))
    images = [page.render(scale=SCAN_DPI / 72, grayscale=True).to_pil() for page in document]
    document.close()
    return [image.convert("1", dither=Image.Dither.NONE) if bilevel else image.convert("L") for image in images]


def scanned_pdf(pdf: Path, out: Path) -> Path:
    """An image-only PDF of `pdf`'s pages (Pillow writes each page as one image)."""
    first, *rest = page_images(pdf)
    first.save(out, save_all=True, append_images=rest, resolution=SCAN_DPI)
    return out


def scanned_png(pdf: Path, out: Path) -> Path:
    """A black-and-white PNG of the first page (21 KB: small enough for the web page's upload limit in its test)."""
    page_images(pdf, bilevel=True)[0].save(out, dpi=(SCAN_DPI, SCAN_DPI), optimize=True)
    return out


@pytest.fixture(scope="module")
def scans(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("scans")
    return {
        "table": scanned_pdf(TABLE_PDF, folder / "内江分解表扫描件.pdf"),
        "paragraphs": scanned_png(PARAGRAPHS_PDF, folder / "新乡工作要点.png"),
    }


@pytest.fixture(scope="module")
def table_plan(scans):
    """The table scan read once for the tests that look at it."""
    [plan] = read_source(scans["table"]).plans
    return plan


def expected_tasks(pdf: Path) -> list[dict]:
    return yaml.safe_load(pdf.with_suffix(".expected.yaml").read_text(encoding="utf-8"))["tasks"]


def expected_plan_title(pdf: Path) -> str:
    return yaml.safe_load(pdf.with_suffix(".expected.yaml").read_text(encoding="utf-8"))["plan"]["title"]


FIELDS = ("title", "leads", "supporting", "deadline")


def matched_fields(tasks, expected: list[dict]) -> int:
    """How many of the tasks' fields (title, leads, supporting, deadline) are as the text layer gives them;
    each field that differs must carry a doubt (the OCR doubt on its record, or one on the field): what OCR
    misread is never taken silently. Not which misreads Tesseract makes: they change with its version."""
    matched = 0
    for task, wanted in zip(tasks, expected, strict=True):
        read = {
            "title": task.title,
            "leads": list(task.leads or ()),
            "supporting": list(task.supporting or ()),
            "deadline": task.deadline_raw,
        }
        flagged = {doubt.field for doubt in task.doubts}
        for name in FIELDS:
            if read[name] == wanted[name]:
                matched += 1
            else:
                assert {"record", name} & flagged, (name, read[name], wanted[name], task.doubts)
    return matched


def same_but_quotes(text: str | None) -> str:
    return re.sub('[“”"]', '"', text or "")


def test_an_image_only_pdf_is_read_by_ocr_into_its_table_tasks_each_flagged(table_plan):
    """The two-page ruled table (its header printed again on page 2) read from the scan: its five tasks in
    their rows, at least 18 of their 20 fields as the text layer gives them, every record flagged."""
    plan = table_plan
    assert same_but_quotes(plan.title) == same_but_quotes(expected_plan_title(TABLE_PDF))  # OCR mixes “ and ”
    assert plan.jurisdiction == "内江市" and plan.format == "pdf"
    expected = expected_tasks(TABLE_PDF)
    assert len(plan.tasks) == len(expected) == 5
    assert all(task.doubts[0].message == RECORD for task in plan.tasks)
    assert matched_fields(plan.tasks, expected) >= 18
    [scan_doubt] = [d for d in plan.doubts if "扫描件" in d.message]
    assert scan_doubt.message.startswith("第1-2页是扫描件，由文字识别（OCR）读取，平均置信度 ")
    assert [task.where for task in plan.tasks] == [
        "第1页表1第2行",
        "第1页表1第3行",
        "第1页表1第4行",
        "第2页表1第2行",
        "第2页表1第3行",
    ]


def test_a_frame_drawn_round_the_page_does_not_read_its_table_twice(table_plan, tmp_path):
    """A scan whose pages have a frame round them (a ruled box holding the whole page, the table inside):
    the table is read once, as without the frame (its characters go to the innermost grid, in the PDF
    reader too)."""
    plain = table_plan
    framed = []
    for image in page_images(TABLE_PDF):
        ImageDraw.Draw(image).rectangle((30, 30, image.width - 30, image.height - 30), outline=0, width=3)
        framed.append(image)
    path = tmp_path / "加框扫描件.pdf"
    framed[0].save(path, save_all=True, append_images=framed[1:], resolution=SCAN_DPI)
    [plan] = read_source(path).plans
    assert len(plan.tasks) == 5
    assert [(t.title, t.leads, t.supporting, t.deadline_raw) for t in plan.tasks] == [
        (t.title, t.leads, t.supporting, t.deadline_raw) for t in plain.tasks
    ]


def test_a_photo_of_a_list_is_read_by_ocr_and_a_misread_unit_shows_as_a_doubt(scans, engine):
    """A PNG of one page of paragraphs (牵头单位：…配合单位：…完成时限：…): its four tasks, at least 14 of their
    16 fields as the text layer gives them, every record flagged; each word OCR was unsure of is named on the
    field it stands in, and in the preview a supporting unit misread carries a doubt (the registry's, as it
    does not know the misread name, or OCR's)."""
    [plan] = read_source(scans["paragraphs"]).plans
    assert same_but_quotes(plan.title) == same_but_quotes(expected_plan_title(PARAGRAPHS_PDF))
    assert plan.format == "image"
    expected = expected_tasks(PARAGRAPHS_PDF)
    assert len(plan.tasks) == len(expected) == 4
    assert all(task.doubts[0].message == RECORD for task in plan.tasks)
    assert matched_fields(plan.tasks, expected) >= 14
    [scan_doubt] = [d for d in plan.doubts if "扫描件" in d.message]
    assert scan_doubt.message.startswith("第1页是扫描件") and "识别把握较低" in scan_doubt.message
    unsure = re.findall("「([^」]{2,})」", scan_doubt.message.split("识别把握较低")[1])
    for task in plan.tasks:
        for word in unsure:
            if word in (task.title or "") + "".join(task.supporting or ()) + "".join(task.leads or ()):
                assert any(d.text == word for d in task.doubts), (word, task.doubts)

    [preview] = preview_paths(engine, [scans["paragraphs"]])
    [view] = preview.plans
    for task, shown, wanted in zip(plan.tasks, view.tasks, expected, strict=True):
        supporting = next(f for f in shown.fields if f.key == "supporting")
        assert any(d.message == RECORD for d in shown.doubts)
        for name in set(task.supporting or ()) - set(wanted["supporting"]):
            assert any(name in d.message for d in supporting.doubts + shown.doubts), (name, supporting.doubts)


def scanned_ofd(pdf: Path, out: Path) -> Path:
    """An OFD whose page is a scan: an image object filling the page, its PNG a resource of the document
    (PublicRes.xml, its folder named by BaseLoc), as a scanner's OFD export writes one."""
    png = io.BytesIO()
    page_images(pdf, bilevel=True)[0].save(png, format="PNG", dpi=(SCAN_DPI, SCAN_DPI))
    document = pdfium.PdfDocument(str(pdf))
    width, height = (side * 25.4 / 72 for side in document[0].get_size())
    document.close()
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "OFD.xml",
            f'<ofd:OFD {ns} Version="1.1"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>'
            "</ofd:DocBody></ofd:OFD>",
        )
        archive.writestr(
            "Doc_0/Document.xml",
            f"<ofd:Document {ns}><ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>0 0 {width:.2f} {height:.2f}"
            "</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>"
            '<ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>',
        )
        archive.writestr(
            "Doc_0/PublicRes.xml",
            f'<ofd:Res {ns} BaseLoc="Res"><ofd:MultiMedias><ofd:MultiMedia ID="5" Type="Image" Format="PNG">'
            "<ofd:MediaFile>scan_0.png</ofd:MediaFile></ofd:MultiMedia></ofd:MultiMedias></ofd:Res>",
        )
        archive.writestr("Doc_0/Res/scan_0.png", png.getvalue())
        archive.writestr(
            "Doc_0/Pages/Page_0/Content.xml",
            f'<ofd:Page {ns}><ofd:Content><ofd:Layer ID="2"><ofd:ImageObject ID="9" Boundary="0 0 {width:.2f} '
            f'{height:.2f}" CTM="{width:.2f} 0 0 {height:.2f} 0 0" ResourceID="5"/></ofd:Layer></ofd:Content>'
            "</ofd:Page>",
        )
    return out


def test_a_scanned_ofd_is_read_by_ocr_like_the_photo(scans, tmp_path):
    """The page of the photo above as an OFD's image object: the same four tasks, owners and deadlines, each
    flagged. (An OFD page drawing an image that its resources do not name stays refused as having no text:
    tests/importers/test_readers_ofd.py.)"""
    [photo] = read_source(scans["paragraphs"]).plans
    [plan] = read_source(scanned_ofd(PARAGRAPHS_PDF, tmp_path / "新乡工作要点.ofd")).plans
    assert plan.format == "ofd" and plan.title == photo.title
    fields = [(t.title, t.leads, t.supporting, t.deadline_raw) for t in plan.tasks]
    assert fields == [(t.title, t.leads, t.supporting, t.deadline_raw) for t in photo.tasks]
    assert len(plan.tasks) == 4 and all(task.doubts[0].message == RECORD for task in plan.tasks)
    assert any(d.message.startswith("第1页是扫描件") for d in plan.doubts)


def test_without_tesseract_a_scan_is_refused_naming_the_file_and_what_to_install(scans, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # the real lookup, on a PATH without the program
    for scan in scans.values():
        with pytest.raises(ImportError_) as error:
            read_source(scan)
        assert scan.name in str(error.value) and MISSING in str(error.value)
        assert "apt-get install tesseract-ocr tesseract-ocr-chi-sim" in str(error.value)


def test_without_the_chinese_data_a_scan_is_refused_the_same_way(scans, tmp_path, monkeypatch):
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))  # Tesseract finds no language there
    with pytest.raises(ImportError_) as error:
        read_source(scans["paragraphs"])
    assert scans["paragraphs"].name in str(error.value) and MISSING in str(error.value)


def test_a_blank_scan_is_refused_saying_nothing_was_recognised(tmp_path):
    for path in (tmp_path / "空白扫描件.pdf", tmp_path / "空白照片.jpg"):
        Image.new("RGB", (600, 800), "white").save(path)
        with pytest.raises(ImportError_) as error:
            read_source(path)
        assert path.name in str(error.value) and NOTHING_READ in str(error.value)


def test_images_are_importable_suffixes():
    assert {".png", ".jpg", ".jpeg", ".tif", ".tiff"} <= IMPORTABLE_SUFFIXES


def with_seal_page(pdf: Path, out: Path) -> Path:
    """`pdf` (text pages) with a last page that is only an image: a red seal ring, no words in it."""
    seal = Image.new("RGB", (1240, 1754), "white")
    ImageDraw.Draw(seal).ellipse((420, 600, 820, 1000), outline=(200, 0, 0), width=14)
    image_pdf = io.BytesIO()
    seal.save(image_pdf, format="PDF", resolution=150)
    document = pdfium.PdfDocument(str(pdf))
    document.import_pages(pdfium.PdfDocument(image_pdf.getvalue()))
    document.save(str(out))
    document.close()
    return out


def test_a_text_pdf_with_a_seal_page_flags_only_recognised_pages(tmp_path):
    """The seal page is recognised and gives no words: the text pages' records carry no OCR doubt, and the
    plan no doubt saying pages were recognised."""
    [plan] = read_source(with_seal_page(TABLE_PDF, tmp_path / "带印章页.pdf")).plans
    expected = expected_tasks(TABLE_PDF)
    assert [t.title for t in plan.tasks] == [t["title"] for t in expected]
    assert not any(d.message == RECORD for task in plan.tasks for d in task.doubts)
    assert not any("扫描件" in d.message for d in plan.doubts), plan.doubts


def test_without_tesseract_a_text_pdf_with_a_seal_page_imports_its_text_pages(tmp_path, monkeypatch):
    """Tesseract missing: the text pages are read as before OCR came, a doubt names the page not read."""
    path = with_seal_page(TABLE_PDF, tmp_path / "带印章页.pdf")
    monkeypatch.setenv("PATH", str(tmp_path))  # the real lookup, on a PATH without the program
    [plan] = read_source(path).plans
    assert [t.title for t in plan.tasks] == [t["title"] for t in expected_tasks(TABLE_PDF)]
    [unread] = [d for d in plan.doubts if "扫描件" in d.message]
    assert unread.message == "第3页" + NOT_READ


def test_a_crafted_image_is_refused_naming_the_file_and_the_batch_goes_on(tmp_path, engine):
    """A PNG of 15000×15000 pixels (56 KB: Pillow refuses it as a decompression bomb), one of 8000×7000
    (over the 50-megapixel cap: refused before it is decoded), a truncated JPEG, and a TIFF of 101 pages:
    each refused in Chinese naming the file; a good file imported in the same batch."""
    bomb, large = tmp_path / "炸弹.png", tmp_path / "超大.png"
    Image.new("1", (15000, 15000), 1).save(bomb)
    Image.new("1", (8000, 7000), 1).save(large)
    truncated = tmp_path / "不完整.jpg"
    whole = io.BytesIO()
    Image.new("L", (400, 400), 200).save(whole, format="JPEG")
    truncated.write_bytes(whole.getvalue()[: len(whole.getvalue()) // 2])
    frames = tmp_path / "多页.tif"
    page = Image.new("L", (20, 20), 255)
    page.save(frames, save_all=True, append_images=[page] * 100)
    refusals = {
        bomb: "图片像素过多（可能是异常构造的文件），无法读取",
        large: "图片过大（8000×7000 像素，超过 5000 万像素）",
        truncated: "无法打开图片文件，文件可能已损坏或不完整",
        frames: "图片文件有 101 页，超过 100 页",
    }
    results = preview_paths(engine, [*refusals, TABLE_PDF])  # nothing written: the database is shared
    for result, (path, message) in zip(results, refusals.items()):
        assert not result.ok and result.error is not None
        assert str(path) in result.error and message in result.error, result.error
    [good] = results[-1].plans
    assert results[-1].ok and len(good.tasks) == len(expected_tasks(TABLE_PDF))


def test_a_page_of_a_crafted_size_is_refused_naming_the_page(tmp_path):
    """An image-only PDF page of 200×200 inches (3.6 gigapixels at 300 dpi) and an OFD page box of
    5000×5000 mm: refused naming the page, not drawn."""
    pdf = tmp_path / "超大页面.pdf"
    Image.new("L", (200, 200), 255).save(pdf, resolution=1)  # 200 pixels at 1 dpi: a 200-inch page
    ofd = scanned_ofd(PARAGRAPHS_PDF, tmp_path / "正常.ofd")
    huge = tmp_path / "超大页面.ofd"
    with zipfile.ZipFile(ofd) as source, zipfile.ZipFile(huge, "w") as out:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "Doc_0/Document.xml":
                data = re.sub(rb"<ofd:PhysicalBox>[^<]*<", b"<ofd:PhysicalBox>0 0 5000 5000<", data)
            out.writestr(item, data)
    for path, size in ((pdf, "5080×5080 毫米"), (huge, "5000×5000 毫米")):
        with pytest.raises(ImportError_) as error:
            read_source(path)
        assert str(path) in str(error.value), error.value
        assert f"第1页页面过大（{size}），无法进行文字识别（OCR）" in str(error.value), error.value


def stamped_scan_after_text(pdf: Path, out: Path) -> Path:
    """`pdf`'s first page as text, its second a scan whose page number 「- 2 -」 is stamped on as text (as a
    scanner's software or a PDF editor adds it): a text layer of five characters over an image."""
    scan = io.BytesIO()
    page_images(pdf)[1].save(scan, format="PDF", resolution=SCAN_DPI)
    document = pdfium.PdfDocument(str(pdf))
    document.del_page(1)
    document.import_pages(pdfium.PdfDocument(scan.getvalue()))
    page = document[1]
    number = pdfium_c.FPDFPageObj_NewTextObj(document.raw, b"Helvetica", 9.0)
    text = ctypes.create_string_buffer("- 2 -".encode("utf-16-le") + b"\0\0")
    pdfium_c.FPDFText_SetText(number, ctypes.cast(text, pdfium_c.FPDF_WIDESTRING))
    pdfium_c.FPDFPageObj_Transform(number, 1, 0, 0, 1, page.get_width() / 2, 20)
    pdfium_c.FPDFPage_InsertObject(page.raw, number)
    page.gen_content()
    document.save(str(out))
    document.close()
    return out


def test_a_scanned_page_with_a_stamped_page_number_is_read_by_ocr(tmp_path):
    """Page 2's images cover it and its text layer is a page number: it is a scan, read by OCR (its two tasks),
    only its records flagged; page 1's three tasks come from the text layer, unflagged."""
    [plan] = read_source(stamped_scan_after_text(TABLE_PDF, tmp_path / "末页扫描.pdf")).plans
    expected = expected_tasks(TABLE_PDF)
    assert [t.where for t in plan.tasks][3:] == ["第2页表1第2行", "第2页表1第3行"]
    assert [list(t.leads or ()) for t in plan.tasks] == [t["leads"] for t in expected]
    assert [any(d.message == RECORD for d in t.doubts) for t in plan.tasks] == [False] * 3 + [True] * 2
    assert any(d.message.startswith("第2页是扫描件") for d in plan.doubts)


def test_an_image_scanned_at_150_dpi_is_enlarged_before_it_is_read(tmp_path):
    """Page 1 of the table scanned at 150 dpi (a TIFF): enlarged to 300 dpi, its owners are read (as it is,
    Tesseract read none of the six owner cells)."""
    path = tmp_path / "150dpi.tif"
    document = pdfium.PdfDocument(str(TABLE_PDF))
    document[0].render(scale=150 / 72, grayscale=True).to_pil().convert("L").save(path, dpi=(150, 150))
    document.close()
    [plan] = read_source(path).plans
    expected = expected_tasks(TABLE_PDF)[:3]
    assert [t.deadline_raw for t in plan.tasks] == [t["deadline"] for t in expected]
    right = [list(getattr(t, f) or ()) == w[f] for t, w in zip(plan.tasks, expected) for f in ("leads", "supporting")]
    assert sum(right) >= 5, [(t.leads, t.supporting) for t in plan.tasks]


@pytest.mark.parametrize(
    ("ending", "reason"),
    [
        ("kill -9 $$", "第1页文字识别（OCR）程序被系统终止（可能是内存不足）"),
        ('echo "Error in pixReadStream: Unknown format" >&2; exit 1', "第1页文字识别（OCR）程序出错退出"),
    ],
)
def test_a_failed_recognition_is_refused_in_chinese_with_the_details_in_the_log(
    tmp_path, monkeypatch, caplog, ending, reason
):
    """A tesseract that lists its Chinese data then dies (killed, as the kernel does when memory runs out) or
    exits with an error: the refusal names the file, the page and the cause in Chinese; what the program said
    goes to the log, not to the user."""
    program = tmp_path / "tesseract"
    program.write_text(f'#!/bin/bash\nif [ "$1" = "--list-langs" ]; then echo chi_sim; exit 0; fi\n{ending}\n')
    program.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    image = tmp_path / "照片.png"
    Image.new("L", (200, 200), 255).save(image)
    with pytest.raises(ImportError_) as error:
        read_source(image)
    assert f"{image}：{reason}，请重新导入，或提供 Word 版或文字版" in str(error.value)
    assert not re.search(
        r"[A-Za-z]{3}", str(error.value).replace(str(image), "").replace("Word", "").replace("OCR", "")
    )
    assert any("tesseract exited with" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize("angle", [1.0, -3.0, 8.0, -12.0])
def test_a_skewed_page_is_straightened_and_read_as_the_straight_one(tmp_path, angle):
    """Page 1 of the table scanned askew (turned by 1 degree one way, 3 the other, as a copier's feeder leaves
    it; by 8 and -12, as a phone held by hand): straightened, its three tasks are read in their rows with at
    least 11 of their 12 fields as the text layer gives them, each differing field doubted, as the straight page
    is (test above). Read as it is, the turned rules are no table: 1 of the 20 fields of both pages turned by 1
    degree was read; up to ocr19 pages were straightened within 5 degrees only (8 and -12: no task)."""
    path = tmp_path / f"歪斜{angle}.png"
    page_images(TABLE_PDF)[0].rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255).save(
        path, dpi=(SCAN_DPI, SCAN_DPI)
    )
    [plan] = read_source(path).plans
    assert [task.where for task in plan.tasks] == ["第1页表1第2行", "第1页表1第3行", "第1页表1第4行"]
    assert all(task.doubts[0].message == RECORD for task in plan.tasks)
    assert matched_fields(plan.tasks, expected_tasks(TABLE_PDF)[:3]) >= 11


def test_the_skew_of_a_page_is_estimated_and_a_straight_page_is_left_as_it_is():
    """The estimate of each page of both scans (grey and black-and-white), straight and turned by 0.5 to 14.5
    degrees either way, is within 0.1 degree of the turn; a straight page is estimated under STRAIGHT, so it is
    read without being turned."""
    scans = [page_images(pdf, bilevel=bilevel) for pdf in (TABLE_PDF, PARAGRAPHS_PDF) for bilevel in (False, True)]
    for image in (page.convert("L") for pages in scans for page in pages):
        assert abs(skew_of(np.asarray(image))) < STRAIGHT
        for angle in (0.5, -1.0, 2.0, -3.0, 7.0, -10.0, 14.5):
            turned = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
            assert abs(skew_of(np.asarray(turned)) - angle) <= 0.1, angle


@pytest.mark.parametrize("turn", [90, 180])
def test_a_page_scanned_sideways_or_upside_down_is_turned_upright_and_read(tmp_path, turn, caplog):
    """Page 1 of the table scanned on its side (turned 90 degrees) or upside down: Tesseract's orientation
    detection, asked because the page reads poorly (or lies on its side), says how to turn it, and it is read as
    the straight page is (11 of 12 fields at least), a doubt saying it was turned. On main such a page read as
    garbage (mean confidence 19-23 against 91 upright) into no table."""
    path = tmp_path / f"转了{turn}度.png"
    page_images(TABLE_PDF)[0].rotate(turn, expand=True).save(path, dpi=(SCAN_DPI, SCAN_DPI))
    [plan] = read_source(path).plans
    assert [task.where for task in plan.tasks] == ["第1页表1第2行", "第1页表1第3行", "第1页表1第4行"]
    assert matched_fields(plan.tasks, expected_tasks(TABLE_PDF)[:3]) >= 11
    how = "倒置" if turn == 180 else "横置"
    # Turned counter-clockwise by `turn` degrees (Pillow's way), it is turned back clockwise as far.
    assert f"第1页方向{how}，已顺时针旋转{turn}度转正后识别，请对照原件核对" in [d.message for d in plan.doubts]


def test_a_page_read_well_upright_is_not_asked_how_it_is_turned(scans, caplog):
    """Orientation detection (0.5-0.9 s of CPU a page) is not paid on a straight page that reads well."""
    caplog.set_level(logging.INFO, logger="wufei.importers.readers.ocr")
    [plan] = read_source(scans["paragraphs"]).plans
    assert plan.tasks and not any("方向" in d.message for d in plan.doubts)
    assert any(record.getMessage().startswith("tesseract ran") for record in caplog.records)
    assert not any("osd" in record.getMessage() for record in caplog.records)


def with_broken_rules(image: Image.Image, seed: int = 19) -> Image.Image:
    """The page as a faint copy gives it: each ruling line broken by gaps of 2 to 6 pixels every 6 to 16 (a
    third of it gone), where it crosses another left whole. The rules are where the ink runs across half the
    page (rows) or down the whole table (columns)."""
    grey = np.asarray(image).copy()
    ink = grey < 128
    rows = np.nonzero(ink.mean(axis=1) > 0.5)[0]
    top, bottom = rows.min(), rows.max() + 1
    columns = np.nonzero(ink[top:bottom].mean(axis=0) > 0.9)[0]
    random = np.random.default_rng(seed)

    def gaps(length: int) -> list[tuple[int, int]]:
        found, at = [], int(random.integers(0, 8))
        while at < length:
            size = int(random.integers(2, 7))
            found.append((at, at + size))
            at += size + int(random.integers(4, 11))
        return found

    near_rows, near_columns = np.zeros(grey.shape[0], dtype=bool), np.zeros(grey.shape[1], dtype=bool)
    for row in rows:
        near_rows[max(row - 4, 0) : row + 5] = True
    for column in columns:
        near_columns[max(column - 4, 0) : column + 5] = True
    for row in rows:
        for start, end in gaps(grey.shape[1]):
            grey[row, start:end][~near_columns[start:end]] = 255
    for column in columns:
        for start, end in gaps(bottom - top):
            grey[top + start : top + end, column][~near_rows[top + start : top + end]] = 255
    return Image.fromarray(grey)


def test_ruling_lines_broken_by_a_faint_copy_are_joined_and_the_table_is_found(tmp_path):
    """Page 1 of the table with every rule broken by short gaps (a faint or dotted copy): the gaps are closed
    along each line, so its table is found and its three tasks read in their rows, at least 11 of 12 fields
    as the text layer gives them, each differing field doubted. Read without closing the gaps, the page gave
    no table (eight paragraphs, no task in a row)."""
    path = tmp_path / "虚线表格.png"
    with_broken_rules(page_images(TABLE_PDF)[0]).save(path, dpi=(SCAN_DPI, SCAN_DPI))
    [plan] = read_source(path).plans
    assert [task.where for task in plan.tasks] == ["第1页表1第2行", "第1页表1第3行", "第1页表1第4行"]
    assert all(task.doubts[0].message == RECORD for task in plan.tasks)
    assert matched_fields(plan.tasks, expected_tasks(TABLE_PDF)[:3]) >= 11


def outlined_pdf(pdf: Path, out: Path, *, glyphs: bool = True) -> Path:
    """`pdf` "printed" with its text turned into outlines: each character drawn as its glyph's filled path (the
    font's own outline from pdfium, in em units, scaled by the font size), the text objects removed: no text
    layer, no image. Without `glyphs`, the text is only removed: a blank form of the table's rules."""
    document = pdfium.PdfDocument(str(pdf))
    for page in document:
        text = page.get_textpage()
        paths = []  # drawn after the text is removed
        for k in range(text.count_chars()):
            obj = pdfium_c.FPDFText_GetTextObject(text.raw, k)
            code = pdfium_c.FPDFText_GetUnicode(text.raw, k)
            if not obj or chr(code).isspace() or not glyphs:
                continue
            size, matrix = ctypes.c_float(), pdfium_c.FS_MATRIX()
            pdfium_c.FPDFTextObj_GetFontSize(obj, size)
            pdfium_c.FPDFPageObj_GetMatrix(obj, matrix)
            x, y = ctypes.c_double(), ctypes.c_double()
            pdfium_c.FPDFText_GetCharOrigin(text.raw, k, x, y)
            glyph = pdfium_c.FPDFFont_GetGlyphPath(pdfium_c.FPDFTextObj_GetFont(obj), code, size.value)
            path = None
            bezier: list[tuple[float, float]] = []
            for s in range(pdfium_c.FPDFGlyphPath_CountGlyphSegments(glyph) if glyph else 0):
                segment = pdfium_c.FPDFGlyphPath_GetGlyphPathSegment(glyph, s)
                gx, gy = ctypes.c_float(), ctypes.c_float()
                pdfium_c.FPDFPathSegment_GetPoint(segment, gx, gy)
                ex, ey = gx.value * size.value, gy.value * size.value
                point = (x.value + matrix.a * ex + matrix.c * ey, y.value + matrix.b * ex + matrix.d * ey)
                kind = pdfium_c.FPDFPathSegment_GetType(segment)
                if path is None:
                    path = pdfium_c.FPDFPageObj_CreateNewPath(*point)
                elif kind == pdfium_c.FPDF_SEGMENT_MOVETO:
                    pdfium_c.FPDFPath_MoveTo(path, *point)
                elif kind == pdfium_c.FPDF_SEGMENT_LINETO:
                    pdfium_c.FPDFPath_LineTo(path, *point)
                else:
                    bezier.append(point)
                    if len(bezier) == 3:
                        pdfium_c.FPDFPath_BezierTo(path, *bezier[0], *bezier[1], *bezier[2])
                        bezier = []
                if pdfium_c.FPDFPathSegment_GetClose(segment):
                    pdfium_c.FPDFPath_Close(path)
            if path is not None:
                pdfium_c.FPDFPath_SetDrawMode(path, pdfium_c.FPDF_FILLMODE_WINDING, False)
                pdfium_c.FPDFPageObj_SetFillColor(path, 0, 0, 0, 255)
                paths.append(path)
        text.close()
        for obj in list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT], max_depth=1)):
            pdfium_c.FPDFPage_RemoveObject(page.raw, obj.raw)
            pdfium_c.FPDFPageObj_Destroy(obj.raw)
        for path in paths:
            pdfium_c.FPDFPage_InsertObject(page.raw, path)
        page.gen_content()
    document.save(str(out))
    document.close()
    return out


def test_a_pdf_of_outlined_text_is_read_by_ocr_and_a_blank_form_stays_without_text(tmp_path):
    """The table PDF with its text turned into outlines (filled glyph paths; no text layer, no image): its pages
    are rendered and read by OCR, its five tasks in their rows, at least 18 of 20 fields as the text layer gives
    them, each record and the plan flagged as for a scan. The same PDF with its text removed (only the table's
    rules: a blank form) is still refused as having no text layer."""
    outlined = outlined_pdf(TABLE_PDF, tmp_path / "转曲.pdf")
    with pdfium.PdfDocument(str(outlined)) as document:
        assert all(page.get_textpage().count_chars() == 0 for page in document)
    [plan] = read_source(outlined).plans
    assert [task.where for task in plan.tasks] == [
        "第1页表1第2行",
        "第1页表1第3行",
        "第1页表1第4行",
        "第2页表1第2行",
        "第2页表1第3行",
    ]
    assert all(task.doubts[0].message == RECORD for task in plan.tasks)
    assert matched_fields(plan.tasks, expected_tasks(TABLE_PDF)) >= 18
    assert any(d.message.startswith("第1-2页是扫描件，由文字识别（OCR）读取") for d in plan.doubts)

    blank = outlined_pdf(TABLE_PDF, tmp_path / "空白表格.pdf", glyphs=False)
    with pytest.raises(ImportError_) as error:
        read_source(blank)
    assert str(blank) in str(error.value) and SCANNED in str(error.value)


def patched_zip(path: Path, part: str, *, flags: int = 0, method: int | None = None, crc: int | None = None) -> Path:
    """`path` with one part's zip headers changed in place: general-purpose flags or'ed in (bit 0: encrypted),
    its compression method, its CRC in the central directory; the data left as it is."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(part)
    local = info.header_offset
    central = data.index(b"PK\x01\x02" + bytes(data[data.index(b"PK\x01\x02") + 4 : data.index(b"PK\x01\x02") + 4]))
    while (
        data[central + 46 : central + 46 + int.from_bytes(data[central + 28 : central + 30], "little")] != part.encode()
    ):
        central = data.index(b"PK\x01\x02", central + 4)
    for header, flag_at, method_at in ((local, 6, 8), (central, 8, 10)):
        flag = int.from_bytes(data[header + flag_at : header + flag_at + 2], "little") | flags
        data[header + flag_at : header + flag_at + 2] = flag.to_bytes(2, "little")
        if method is not None:
            data[header + method_at : header + method_at + 2] = method.to_bytes(2, "little")
    if crc is not None:
        data[central + 16 : central + 20] = crc.to_bytes(4, "little")
    path.write_bytes(bytes(data))
    return path


def test_a_broken_ofd_archive_is_refused_in_chinese_naming_the_file_and_the_part(tmp_path, caplog):
    """A scanned OFD whose page image cannot be unpacked (encrypted, an unknown compression method, its data
    damaged: a wrong CRC), whose page is not XML, or whose page has a text whose advances are no numbers: each
    refused before OCR, in Chinese, naming the file and the part; what zipfile or lxml said (English) goes to the
    log only (before, it was put into the message, and an encrypted image was no refusal at all)."""
    image, content = "Doc_0/Res/scan_0.png", "Doc_0/Pages/Page_0/Content.xml"
    base = scanned_ofd(PARAGRAPHS_PDF, tmp_path / "原件.ofd")

    def copy(name: str, **replaced: bytes) -> Path:
        out = tmp_path / name
        with zipfile.ZipFile(base) as source, zipfile.ZipFile(out, "w") as archive:
            for item in source.infolist():
                archive.writestr(item.filename, replaced.get(item.filename.replace("/", "_"), source.read(item)))
        return out

    page = zipfile.ZipFile(base).read(content)
    odd_advances = (  # DeltaX's 「g N v」 with no number for N
        b'<ofd:TextObject ID="10" Boundary="0 0 20 10" Font="1" Size="3">'
        b'<ofd:TextCode X="0" Y="3" DeltaX="g x 3">ab</ofd:TextCode></ofd:TextObject>'
    )
    cases = {
        patched_zip(copy("加密.ofd"), image, flags=0x1): f"「{image}」无法解压（已加密，需要密码）",
        patched_zip(copy("压缩方式.ofd"), image, method=99): f"「{image}」无法解压（使用了不支持的压缩方式）",
        patched_zip(copy("损坏.ofd"), image, crc=12345): f"「{image}」无法解压（压缩数据已损坏或不完整）",
        copy(
            "坏页.ofd", **{content.replace("/", "_"): page[: len(page) // 2]}
        ): f"「{content}」无法读取（不是完整的 XML",
        copy(
            "坏数值.ofd", **{content.replace("/", "_"): page.replace(b"</ofd:Layer>", odd_advances + b"</ofd:Layer>")}
        ): (f"第1页无法读取（{content} 中有无法识别的数值、路径或位置）"),
    }
    for path, message in cases.items():
        with pytest.raises(ImportError_) as error:
            read_source(path)
        assert str(path) in str(error.value) and message in error.value.message, error.value
        words = error.value.message.replace(image, "").replace(content, "")
        assert not re.search("[A-Za-z]{3}", re.sub("OFD|XML|PDF|Word", "", words)), words
    assert any("cannot be unpacked" in record.getMessage() for record in caplog.records)

"""Task lists pasted as pictures into a Word file or a web page, read by OCR in their place (real Tesseract, no
mocks): the two pages of the table scan (tests/importers/test_ocr.py) pasted as two pictures after the notice's
own paragraphs, in a .docx, a .doc LibreOffice wrote from it, a page saved with its `_files` folder and `data:`
URIs, and an .mht archive. A seal-sized picture is skipped; a picture missing or broken is named in a doubt."""

from __future__ import annotations

import base64
import io
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm
from PIL import Image, ImageDraw

from tests.importers.render import convert
from tests.importers.test_ocr import SCAN_DPI, TABLE_PDF, expected_tasks, matched_fields, page_images
from wufei.importers.readers import ocr as ocr_module
from wufei.importers.readers import pictures as pictures_module
from wufei.importers.readers.docx import read_docx
from wufei.importers.readers.html import read_html
from wufei.importers.readers.mht import read_mht
from wufei.importers.readers.office import read_office
from wufei.importers.readers.pictures import ONLY_PICTURES
from wufei.importers.records import ImportError_
from wufei.importers.service import read_source
from wufei.importers.text.recognised import RECORD_PICTURE

NOTICE = ["关于印发分解表的通知", "各县（市、区）人民政府，市级有关部门：", "现将任务分解表印发给你们，请抓好落实。"]
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WHERE = ["表1第2行", "表1第3行", "表1第4行", "表1第2行", "表1第3行"]


@pytest.fixture(scope="module")
def pictures() -> list[bytes]:
    """The table's two pages as PNG pictures (grey, 200 dpi, as a scanner or a screenshot tool saves them)."""
    out = []
    for image in page_images(TABLE_PDF):
        data = io.BytesIO()
        image.save(data, "PNG", dpi=(SCAN_DPI, SCAN_DPI))
        out.append(data.getvalue())
    return out


def seal() -> bytes:
    """A red seal's shape in black, 300 px across (printed 4.2 cm: a 公章)."""
    image = Image.new("L", (300, 300), 255)
    ImageDraw.Draw(image).ellipse((10, 10, 290, 290), outline=0, width=8)
    ImageDraw.Draw(image).text((120, 140), "SEAL", fill=0)
    data = io.BytesIO()
    image.save(data, "PNG")
    return data.getvalue()


def pictured_docx(pictures: list[bytes], out: Path, *, with_text: bool = True) -> Path:
    document = docx.Document()
    for line in NOTICE if with_text else []:
        document.add_paragraph(line)
    document.add_picture(io.BytesIO(seal()), width=Cm(4.2))  # picture 1: a seal, skipped
    for data in pictures:  # pictures 2 and 3: the table's pages, printed the width of the text
        document.add_picture(io.BytesIO(data), width=Cm(15))
    document.save(out)
    return out


def assert_table_read(path: Path, first: int) -> None:
    """The five tasks in their rows, named by their picture (the first page `first`), at least 18 of their 20
    fields as the text layer gives them (each other one doubted), every record flagged as read from a picture."""
    [plan] = read_source(path).plans
    assert [task.where for task in plan.tasks] == [f"第{first + (k > 2)}张图片{where}" for k, where in enumerate(WHERE)]
    assert all(task.doubts[0].message == RECORD_PICTURE for task in plan.tasks)
    assert matched_fields(plan.tasks, expected_tasks(TABLE_PDF)) >= 18
    [ocr_doubt] = [d for d in plan.doubts if "文字识别（OCR）读取" in d.message]
    assert ocr_doubt.message.startswith(f"第{first}-{first + 1}张图片由文字识别（OCR）读取，平均置信度 ")


def test_a_word_file_whose_table_is_pictures_reads_its_paragraphs_and_the_pictured_table_in_order(pictures, tmp_path):
    """The notice's paragraphs, then a seal (skipped: printed under 5 cm) and the table pictured over two
    pages: the paragraphs first, then the pictures' lines, and one table of five tasks going on over both
    pictures. On main the pictures were not read: the file gave its three paragraphs and no task."""
    path = pictured_docx(pictures, tmp_path / "分解表图片.docx")
    document = read_docx(path)
    assert document.lines[:3] == NOTICE
    # Picture 2's title lines after the paragraphs (picture 3 holds only the table going on).
    assert set(document.line_pictures.values()) == {2} and min(document.line_pictures) > 3
    assert any("任务分解表" in document.lines[line - 1] for line in document.line_pictures)
    assert document.ocr is not None and document.ocr.pages == [2, 3]  # the seal (picture 1) not read
    assert_table_read(path, 2)


@pytest.mark.libreoffice
def test_a_doc_with_the_pictured_table_names_its_pictures_unread(pictures, tmp_path):
    """The same document saved as .doc (by LibreOffice, as Word 97-2003 writes it), read through the
    LibreOffice conversion the .doc reader uses: its paragraphs are read, its pictures not (a converted file's
    picture may be a file of the server's disk, see the .rtf test below), named in one doubt asking for a
    .docx or PDF; the seal (picture 1, under 5 cm) is not named. (The pictured table read from a .docx is
    proved by the first test above.)"""
    document = read_office(convert(pictured_docx(pictures, tmp_path / "分解表图片.docx"), "doc", tmp_path / "doc"))
    assert document.lines[:3] == NOTICE and document.ocr is None and document.line_pictures == {}
    assert [d.message for d in document.doubts] == [
        "文件中有2张图片未识别（第2-3张图片）：请另存为 .docx 或 PDF 后导入"
    ]


def test_without_tesseract_a_word_file_of_pictures_is_refused_and_one_with_text_names_them(
    pictures, tmp_path, monkeypatch
):
    with_text = pictured_docx(pictures, tmp_path / "有文字.docx")
    only_pictures = pictured_docx(pictures, tmp_path / "只有图片.docx", with_text=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # the real lookup, on a PATH without the program
    document = read_docx(with_text)
    assert document.lines[:3] == NOTICE and document.ocr is None
    [doubt] = document.doubts
    assert doubt.message.startswith("第2-3张图片中的内容是图片，需要文字识别（OCR）才能读取，但本机未安装 Tesseract")
    with pytest.raises(ImportError_) as error:
        read_source(only_pictures)
    assert only_pictures.name in str(error.value) and "apt-get install tesseract-ocr" in str(error.value)
    assert ONLY_PICTURES in str(error.value)


def test_pictures_floating_and_in_table_cells_are_found_in_reading_order(pictures, tmp_path, monkeypatch):
    """A picture in a table's cell (read after the table) and a floating one (wp:anchor) are found, in the
    order they stand, a seal in a cell skipped: without Tesseract the doubt names the two pictures read, 2 and
    3, not the seal (1), and the document's text and table are read (no OCR run: found, not read)."""
    document = docx.Document()
    document.add_paragraph(NOTICE[0])
    table = document.add_table(rows=2, cols=2)
    for row, cells in zip(table.rows, [("序号", "任务"), ("1", "推进垃圾分类")], strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    table.rows[0].cells[0].paragraphs[0].add_run().add_picture(io.BytesIO(seal()), width=Cm(4.2))
    table.rows[1].cells[1].paragraphs[0].add_run().add_picture(io.BytesIO(pictures[0]), width=Cm(8))
    floating = document.add_paragraph("附件").add_run()
    floating.add_picture(io.BytesIO(pictures[1]), width=Cm(15))
    inline = floating._r.find(".//" + qn("wp:inline"))
    inline.tag = qn("wp:anchor")  # the same picture floating: anchored in the paragraph
    path = tmp_path / "表中图片.docx"
    document.save(path)
    monkeypatch.setenv("PATH", str(tmp_path))
    read = read_docx(path)
    assert read.lines[0] == NOTICE[0] and read.tables[0].rows[0].cells == ["1", "推进垃圾分类"]
    assert [doubt.message[:8] for doubt in read.doubts] == ["第2-3张图片中"]


def vml_picture(document: docx.document.Document, data: bytes, width: str) -> None:
    """A paragraph showing a picture the VML way (w:pict/v:shape/v:imagedata), as WPS and old Word write it."""
    rid, _ = document.part.get_or_add_image(io.BytesIO(data))
    paragraph = document.add_paragraph()
    paragraph._p.append(
        parse_xml(
            f'<w:r xmlns:w="{W}" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:r="{R}"><w:pict>'
            f'<v:shape style="width:{width};height:100pt"><v:imagedata r:id="{rid}"/></v:shape></w:pict></w:r>'
        )
    )


def test_vml_pictures_are_found_and_a_seal_sized_one_skipped(pictures, tmp_path, monkeypatch):
    """Pictures written the VML way: a seal printed 119 pt wide (4.2 cm) skipped, a page printed 425 pt wide
    found (picture 2: without Tesseract, named as not read)."""
    document = docx.Document()
    document.add_paragraph(NOTICE[0])
    vml_picture(document, seal(), "119pt")
    vml_picture(document, pictures[0], "425pt")
    path = tmp_path / "VML图片.docx"
    document.save(path)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert [doubt.message[:12] for doubt in read_docx(path).doubts] == ["第2张图片中的内容是图片"]


def web_page(first: str, second: str, *more: str, text: bool = True) -> str:
    """A gov.cn article: a banner picture and menus above, a footer below, the article holding the notice's
    paragraphs (unless not `text`) and the pictures."""
    images = "".join(f'<p><img src="{src}"></p>' for src in (first, second, *more))
    return (
        '<html><head><meta charset="utf-8"><title>关于印发分解表的通知_内江市人民政府</title></head><body>'
        '<div class="nav"><img src="banner.png"><a href="/">首页</a><a href="/zwgk">政务公开</a></div>'
        '<div class="main"><h1>关于印发分解表的通知</h1><div class="info">发布时间：2024-03-01 来源：市政府办公室</div>'
        '<div class="TRS_Editor">'
        + "".join(f"<p>{line}</p>" for line in (NOTICE[1:] if text else []))
        + images
        + "</div></div><div class='footer'>主办：内江市人民政府办公室 地址：内江市东兴区 电话：0832-1234567"
        " 网站标识码5110000001 蜀ICP备05003004号</div></body></html>"
    )


def test_a_saved_web_page_reads_its_pictures_from_its_files_folder_and_data_uris(pictures, tmp_path):
    """A page saved as 网页，全部: page 1 of the table in 通知_files, page 2 as a data: URI. A picture named but
    missing, one leading out of the page's folder and one on another site are named in doubts (not fetched,
    not read) in one doubt, and a broken data: URI in another; the table is read all the same."""
    folder = tmp_path / "site"
    (folder / "通知_files").mkdir(parents=True)
    (folder / "通知_files" / "image001.png").write_bytes(pictures[0])
    (tmp_path / "outside.png").write_bytes(pictures[0])
    inline = "data:image/png;base64," + base64.b64encode(pictures[1]).decode()
    broken = "data:image/png;base64," + base64.b64encode(b"not a picture").decode()
    page = folder / "通知.html"
    away = ("通知_files/image002.png", "../outside.png", "http://www.neijiang.gov.cn/a/3.png")
    page.write_text(web_page("通知_files/image001.png", inline, *away, broken), encoding="utf-8")
    assert_table_read(page, 1)
    [plan] = read_source(page).plans
    messages = [doubt.message for doubt in plan.doubts]
    named = "、".join(f"第{number}张图片（{src}）" for number, src in enumerate(away, start=3))
    assert f"3 张图片未找到，其中的内容未导入：{named}；如其中有任务清单，请对照原件补录" in messages
    assert "第6张图片（内嵌图片）无法打开（格式不支持或已损坏），其中的内容未导入：请对照原件补录" in messages


def test_an_mht_page_reads_its_pictures_from_its_parts(pictures, tmp_path):
    """A page saved as one file (单个文件网页): its pictures are the archive's parts, one addressed in full
    and one relative to the page's address. Its article holds only the pictures: it is still the article
    (a picture counts as 200 characters in finding it), not the whole page, whose banner is no picture of
    the article (the pictures are numbered 1 and 2) and whose footer is no line of it."""
    archive = MIMEMultipart("related")
    page = web_page("http://www.neijiang.gov.cn/a/1.png", "2.png", text=False)
    html = MIMEText(page, "html", "utf-8")
    html["Content-Location"] = "http://www.neijiang.gov.cn/a/page.html"
    archive.attach(html)
    for number, data in enumerate(pictures, start=1):
        part = MIMEImage(data, "png")
        part["Content-Location"] = f"http://www.neijiang.gov.cn/a/{number}.png"
        archive.attach(part)
    banner = io.BytesIO()
    Image.new("L", (1000, 150), 200).save(banner, "PNG")
    part = MIMEImage(banner.getvalue(), "png")
    part["Content-Location"] = "http://www.neijiang.gov.cn/a/banner.png"
    archive.attach(part)
    path = tmp_path / "通知.mht"
    path.write_bytes(archive.as_bytes())
    assert_table_read(path, 1)
    assert not any("蜀ICP备" in line for line in read_mht(path).lines)


@pytest.mark.libreoffice
def test_an_rtf_linking_a_picture_of_the_servers_disk_does_not_show_what_it_reads(pictures, tmp_path):
    """An uploaded .rtf whose INCLUDEPICTURE field links a file of the server's disk: LibreOffice, in its
    sandbox (tests/importers/test_office_sandbox.py), does not see the file, so the converted copy holds no
    picture to read (before the sandbox it embedded the file, named in one doubt; before that, read by OCR,
    its table's title and tasks shown); the link is named, as linked and not read. A converted file's
    pictures named, not read: the .doc test above."""
    secret = tmp_path / "secret" / "secret.png"
    secret.parent.mkdir()
    secret.write_bytes(pictures[0])
    path = tmp_path / "upload" / "通知.rtf"
    path.parent.mkdir()
    field = r'{\field{\*\fldinst INCLUDEPICTURE "' + secret.as_uri() + r'" \\* MERGEFORMAT \\d}{\fldrslt }}'
    path.write_text(r"{\rtf1\ansi\deff0{\fonttbl{\f0 SimSun;}}\f0 \u36890?\u30693?\par " + field + r"\par end\par}")
    document = read_office(path)
    assert document.ocr is None and document.line_pictures == {}
    assert not any("分解表" in line for line in document.lines)
    assert [doubt.message.split("，")[0] for doubt in document.doubts] == [f"第1张图片链接到外部地址 {secret.as_uri()}"]


DOT = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"  # 1×1 pixels
TASKS = [
    "一、推进生活垃圾分类，2025年底前建成分类投放点200个。（责任单位：市城管局）",
    "二、开展工业固体废物综合利用示范，2025年6月底前完成。（责任单位：市工业和信息化局）",
]


def test_a_picture_inside_a_sentence_never_breaks_it_and_is_read_after_its_line(pictures, tmp_path):
    """An icon inside a sentence (a 1×1 data: picture 12 px wide), a missing one inside another, and a page
    of the table inside a third line: each line whole, the table's lines after the line holding its
    picture. On main each <img> broke the line: the task was named `，2025年底前…`."""
    page = tmp_path / "方案.html"
    inline = "data:image/png;base64," + base64.b64encode(pictures[0]).decode()
    page.write_text(
        '<html><head><meta charset="utf-8"><title>方案</title></head><body><div class="content">'
        "<p>某某市无废城市建设工作方案（2024-2026年）</p>"
        f'<p>一、推进生活垃圾分类<img src="{DOT}" width="12">{TASKS[0][10:]}</p>'
        f'<p>二、开展<img src="img/zi.gif">{TASKS[1][4:]}</p>'
        f'<p>附表<img src="{inline}">如下</p></div></body></html>',
        encoding="utf-8",
    )
    document = read_html(page)
    assert document.lines[1:4] == [*TASKS, "附表如下"]
    assert min(document.line_pictures) == 5  # the picture's lines after the line holding it
    assert any("任务分解表" in document.lines[line - 1] for line in document.line_pictures)


def test_decorative_pictures_missing_from_the_page_do_not_make_the_whole_page_its_article(tmp_path):
    """Six banner pictures in the header (not saved with the page), a menu, the article (div.content) and a
    footer: the article alone is read. On main each <img> counted 200 characters in the page's total, the
    article held under 30% of it and the whole page was read (the plan titled 栏目6栏目7…)."""
    banners = "".join(f'<img src="images/banner{k}.jpg">' for k in range(6))
    menu = "".join(f'<li><a href="/n{k}">栏目{k}</a></li>' for k in range(10))
    page = tmp_path / "方案.html"
    page.write_text(
        '<html><head><meta charset="utf-8"><title>某某市人民政府门户网站</title></head><body>'
        f'<div class="header">{banners}<div class="slogan">某某市人民政府 欢迎您</div></div><ul class="nav">{menu}</ul>'
        '<div class="content"><p>某某市无废城市建设工作方案（2024-2026年）</p>'
        + "".join(f"<p>{task}</p>" for task in TASKS)
        + '</div><div class="footer">主办：某某市人民政府办公室 网站标识码 1234567890 备案号 某ICP备12345678号</div>'
        "</body></html>",
        encoding="utf-8",
    )
    assert read_html(page).lines == ["某某市无废城市建设工作方案（2024-2026年）", *TASKS]


def blank(shade: int) -> bytes:
    """A picture just big enough to be read (300×40), its own by its shade: Tesseract reads it fast, to nothing."""
    data = io.BytesIO()
    Image.new("L", (300, 40), shade).save(data, "PNG")
    return data.getvalue()


def test_a_picture_shown_many_times_is_read_once_and_pictures_past_the_cap_are_named(pictures, tmp_path, monkeypatch):
    """One page of the table shown 40 times (python-docx stores it once, as Word does: one part, 40 references)
    is read once, at its first place. Past MAX_READ pictures read (set to 3 here: 30 is 45 s of Tesseract) and
    past PIXEL_BUDGET the rest are named in one doubt, not read. On main each reference was read again (the
    reviewer's 1000 references: 188 s) and there was no cap."""
    document = docx.Document()
    document.add_paragraph(NOTICE[0])
    for _ in range(40):
        document.add_picture(io.BytesIO(pictures[0]), width=Cm(15))
    path = tmp_path / "同一图片.docx"
    document.save(path)
    read = read_docx(path)
    assert read.ocr is not None and read.ocr.pages == [1]
    assert set(read.line_pictures.values()) == {1} and read.doubts == []

    monkeypatch.setattr(pictures_module, "MAX_READ", 3)
    document = docx.Document()
    document.add_paragraph(NOTICE[0])
    for shade in range(250, 244, -1):  # pictures 1-6, each its own
        document.add_picture(io.BytesIO(blank(shade)), width=Cm(8))
    document.save(path)
    [doubt] = read_docx(path).doubts
    assert doubt.message.startswith("文件中图片过多（超过 3 张或共 10000 万像素），第4-6张图片未识别，其中的内容未导入")

    monkeypatch.setattr(pictures_module, "PIXEL_BUDGET", 2 * 300 * 40)
    [doubt] = read_docx(path).doubts
    assert "第3-6张图片未识别" in doubt.message


def test_a_picture_ocr_fails_on_is_named_in_a_doubt_and_the_document_still_read(pictures, tmp_path, monkeypatch):
    """Tesseract timing out on a picture (its time limit cut to a millisecond: the real program, really
    stopped) names the picture in a doubt; the document's text is read. On main the whole file was refused."""
    path = pictured_docx(pictures[:1], tmp_path / "超时.docx")
    monkeypatch.setattr(ocr_module, "TIMEOUT_SECONDS", 0.001)
    document = read_docx(path)
    assert document.lines[:3] == NOTICE and document.ocr is None
    [doubt] = document.doubts
    assert doubt.message.startswith("第2张图片（image2.png）文字识别（OCR）超过 0.001 秒未完成，其中的内容未导入")


def test_a_strip_smaller_than_a_page_is_never_asked_how_it_is_turned(tmp_path, caplog):
    """A letterhead strip (1600×200) of text printed upside down reads poorly; being no page, it is read as it
    stands and Tesseract's orientation detection (0.5-0.9 s a page) is not run. On main it was."""
    strip = Image.new("L", (1600, 200), 255)
    ImageDraw.Draw(strip).text((40, 40), "WUFEI CITY GOVERNMENT OFFICE 2024", fill=0, font_size=90)
    data = io.BytesIO()
    strip.rotate(180).save(data, "PNG")
    document = docx.Document()
    document.add_paragraph(NOTICE[0])
    document.add_picture(io.BytesIO(data.getvalue()), width=Cm(15))
    path = tmp_path / "红头.docx"
    document.save(path)
    with caplog.at_level("INFO", logger="wufei.importers.readers.ocr"):
        read_docx(path)
    assert any("tesseract ran" in record.message for record in caplog.records)
    assert not any("(osd)" in record.message for record in caplog.records)


def test_a_picture_that_reads_poorly_beside_the_documents_own_text_adds_no_lines(tmp_path):
    """The upside-down strip (no table, mean confidence under 50) after a notice's paragraph: no line of it is
    added, one doubt names it. Alone in a document it is still read (nothing else to show). On main its
    garbage was added as lines of the plan."""
    strip = Image.new("L", (1600, 200), 255)
    ImageDraw.Draw(strip).text((40, 40), "WUFEI CITY GOVERNMENT OFFICE 2024", fill=0, font_size=90)
    data = io.BytesIO()
    strip.rotate(180).save(data, "PNG")
    paths = []
    for with_text in (True, False):
        document = docx.Document()
        if with_text:
            document.add_paragraph(NOTICE[0])
        document.add_picture(io.BytesIO(data.getvalue()), width=Cm(15))
        paths.append(tmp_path / f"红头{with_text}.docx")
        document.save(paths[-1])
    beside = read_docx(paths[0])
    assert [line for line in beside.lines if line.strip()] == [NOTICE[0]] and beside.line_pictures == {}
    [doubt] = beside.doubts
    assert doubt.message.startswith("第1张图片文字识别（OCR）置信度低（平均 ")
    assert read_docx(paths[1]).line_pictures


def test_a_picture_with_its_vml_copy_under_mc_fallback_is_one_picture(pictures, tmp_path, monkeypatch):
    """Word writes a DrawingML picture inside mc:AlternateContent with a VML copy under mc:Fallback (for older
    readers): it is one picture, counted and read once. Without the mc:Fallback rule the copy would be
    picture 2 and the doubt would name 第1-2张图片."""
    document = docx.Document()
    document.add_paragraph(NOTICE[0])
    run = document.add_paragraph().add_run()
    run.add_picture(io.BytesIO(pictures[0]), width=Cm(15))
    drawing = run._r.find(qn("w:drawing"))
    rid = drawing.find(".//" + qn("a:blip")).get(qn("r:embed"))
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    alternate = parse_xml(
        f'<mc:AlternateContent xmlns:mc="{mc}" xmlns:w="{W}" xmlns:v="urn:schemas-microsoft-com:vml" '
        f'xmlns:r="{R}"><mc:Choice Requires="wps"/><mc:Fallback><w:pict><v:shape style="width:425pt;height:600pt">'
        f'<v:imagedata r:id="{rid}"/></v:shape></w:pict></mc:Fallback></mc:AlternateContent>'
    )
    run._r.remove(drawing)
    alternate[0].append(drawing)
    run._r.append(alternate)
    path = tmp_path / "兼容.docx"
    document.save(path)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert [doubt.message[:12] for doubt in read_docx(path).doubts] == ["第1张图片中的内容是图片"]


def test_the_documents_own_task_is_not_flagged_as_read_from_a_picture(pictures, tmp_path):
    """A task typed in the document's own text, then the pictured table: the five pictured tasks carry the
    OCR flag, the typed one does not (a flag on every record would pass the other tests)."""
    document = docx.Document()
    document.add_paragraph("某某市无废城市建设工作方案")
    document.add_paragraph(TASKS[0])
    for data in pictures:
        document.add_picture(io.BytesIO(data), width=Cm(15))
    path = tmp_path / "文字和图片.docx"
    document.save(path)
    [plan] = read_source(path).plans
    own = [task for task in plan.tasks if task.title.startswith("推进生活垃圾分类")]
    assert len(own) == 1 and not any(d.message == RECORD_PICTURE for d in own[0].doubts)
    pictured = [task for task in plan.tasks if task.where and "张图片" in task.where]
    assert len(pictured) == 5 and all(any(d.message == RECORD_PICTURE for d in task.doubts) for task in pictured)


@pytest.mark.parametrize("margin", ["header", "footer"])
def test_pictures_in_a_header_or_footer_are_read_as_the_bodys_are_and_flagged(margin, pictures, tmp_path):
    """The table pictured over two pages, pasted into the page header (where offices put a document number
    or a title as a picture) or the footer, the notice's paragraphs in the body: its five tasks are read,
    named by their picture and flagged as read from one, the header's before the body's lines, the footer's
    after them. On main a header's or footer's pictures were not looked at: no task."""
    document = docx.Document()
    for line in NOTICE:
        document.add_paragraph(line)
    section = document.sections[0]
    paragraph = (section.header if margin == "header" else section.footer).paragraphs[0]
    for data in pictures:
        paragraph.add_run().add_picture(io.BytesIO(data), width=Cm(15))
    path = tmp_path / f"页眉图片-{margin}.docx"
    document.save(path)
    read = read_docx(path)
    notice_at = read.lines.index(NOTICE[0]) + 1
    pictured = sorted(read.line_pictures)
    assert pictured and (pictured[-1] < notice_at if margin == "header" else pictured[0] > notice_at)
    assert_table_read(path, 1)

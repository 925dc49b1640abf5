"""The documents as people see them: the HTML in headless Chromium, the .docx's layout and fonts,
the charts' fonts and determinism, and the snapshots table against its migration."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from lxml import etree
from playwright.sync_api import sync_playwright

from tests.bulletins.helpers import by_suffix
from tests.chromium import CHROMIUM, CHROMIUM_ARGS
from wufei.bulletins import charts
from wufei.bulletins.models import Snapshot

W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def may(issue):
    return issue("monthly", "2024-05", date(2024, 6, 5))


@pytest.mark.backend_independent
def test_the_html_bulletin_renders_in_chromium_without_overflowing_tables_and_with_its_chinese_text(may, tmp_path):
    """Backend-independent (run once, in the SQLite pass): what Chromium adds is how the written file
    lays out and draws; the HTML's text and tables are proven on both databases by
    tests/bulletins/test_monthly.py (test_the_may_bulletin_says_the_overall_figures_and_reporting_in_every_form
    and test_the_may_bulletin_tables_list_each_department_the_red_and_yellow_tasks_and_the_extension)."""
    html = by_suffix(may.paths, ".html")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 1400})
            requests = []
            page.on("request", lambda request: requests.append(request.url))
            page.goto(html.as_uri())
            page.wait_for_load_state("load")
            checks = page.evaluate("""() => ({
                text: document.body.innerText,
                pageWidth: document.documentElement.scrollWidth,
                viewport: window.innerWidth,
                tables: [...document.querySelectorAll('table')].map(t => ({
                    width: t.getBoundingClientRect().width,
                    room: t.closest('.page').clientWidth,
                    wrap: t.parentElement.scrollWidth - t.parentElement.clientWidth})),
                images: [...document.images].map(i => [i.complete, i.naturalWidth, i.getBoundingClientRect().width,
                                                       i.closest('.page').clientWidth]),
            })""")
            shot = tmp_path / "bulletin.png"
            page.screenshot(path=str(shot), full_page=False)
        finally:
            browser.close()
    assert "衡水市“无废城市”建设2024年5月调度通报" in checks["text"]
    assert "一、总体情况" in checks["text"] and "市城市管理综合行政执法局" in checks["text"]
    assert checks["pageWidth"] <= checks["viewport"]  # no horizontal scrolling of the page
    assert checks["tables"] and all(t["wrap"] <= 0 and t["width"] <= t["room"] for t in checks["tables"])
    assert checks["images"] and all(
        done and natural > 0 and shown <= room for done, natural, shown, room in checks["images"]
    )
    assert [url for url in requests if not url.startswith(("file:", "data:"))] == []  # self-contained
    _assert_not_blank(shot)


@pytest.mark.backend_independent
def test_the_html_bulletin_prints_on_a4_with_each_caption_and_heading_kept_with_what_follows(may, tmp_path):
    """A leader prints the HTML from the browser: A4 (not the browser's Letter), and a table's
    caption or a heading is never the last line of a page with its table on the next."""
    html = by_suffix(may.paths, ".html")
    pdf = tmp_path / "printed.pdf"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(html.as_uri())
            page.emulate_media(media="print")
            kept = page.evaluate("""() => [...document.querySelectorAll('p.caption, h2, h3')]
                .map(e => getComputedStyle(e).breakAfter)""")
            page.set_viewport_size({"width": 643, "height": 900})  # A4 less 20 mm each side, at 96 dpi
            overflow = page.evaluate("""() => [...document.querySelectorAll('table')]
                .map(t => t.getBoundingClientRect().width - t.closest('.page').clientWidth)""")
            page.pdf(path=str(pdf), prefer_css_page_size=True)
        finally:
            browser.close()
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+59[45]\.\d+ x 841\.\d+ pts", info), info
    assert kept and set(kept) == {"avoid"}
    assert overflow and max(overflow) <= 0  # no table runs off the paper


def _assert_not_blank(png: Path) -> None:
    from matplotlib import image

    pixels = image.imread(str(png))
    assert pixels.shape[0] > 500 and pixels.shape[1] > 500
    red = ((pixels[..., 0] > 0.6) & (pixels[..., 1] < 0.2) & (pixels[..., 2] < 0.2)).sum()
    dark = (pixels[..., :3].mean(axis=2) < 0.35).sum()
    assert red > 500, "the red issuer line and 红头 are drawn"
    assert dark > 2000, "text is drawn"


def test_the_docx_is_laid_out_like_an_official_document_with_east_asian_fonts(may):
    from docx import Document

    word = Document(str(by_suffix(may.paths, ".docx")))
    paragraphs = [p for p in word.paragraphs if p.text]

    def east_asia(paragraph) -> str:
        return paragraph.runs[0]._element.rPr.find(f"{W_NS}rFonts").get(f"{W_NS}eastAsia")

    header, kind, title = paragraphs[:3]
    assert header.text == "衡水市“无废城市”建设工作领导小组办公室"
    assert east_asia(header) == "方正小标宋简体" and str(header.runs[0].font.color.rgb) == "C00000"
    assert header.alignment == 1 and title.alignment == 1  # centred
    assert kind._p.pPr.find(f"{W_NS}pBdr").find(f"{W_NS}bottom").get(f"{W_NS}color") == "C00000"  # the red rule
    # two lines broken where the title reads well, not Word's wrap leaving 报 alone on the second
    assert title.text == "衡水市“无废城市”建设\n2024年5月调度通报" and east_asia(title) == "方正小标宋简体"
    assert title.runs[0].font.size.pt == 22
    heading = next(p for p in paragraphs if p.text == "一、总体情况")
    sub = next(p for p in paragraphs if p.text == "（一）新增逾期任务")
    body = next(p for p in paragraphs if p.text.startswith("截至2024年5月31日"))
    assert (east_asia(heading), east_asia(sub), east_asia(body)) == ("黑体", "楷体_GB2312", "仿宋_GB2312")
    assert body.runs[0].font.size.pt == 16 and body.paragraph_format.first_line_indent.pt == 32
    closing = [p.text for p in paragraphs[-3:]]
    assert closing[:2] == ["衡水市“无废城市”建设工作领导小组办公室", "2024年6月5日"]
    assert closing[2].startswith(f"数据快照：{may.snapshot_id}")
    page = word.sections[0]
    assert (round(page.page_width.mm), round(page.page_height.mm), round(page.left_margin.mm)) == (210, 297, 28)
    font_table = next(rel.target_part for rel in word.part.rels.values() if rel.reltype.endswith("/fontTable"))
    fallbacks = {
        font.get(f"{W_NS}name"): font.find(f"{W_NS}altName").get(f"{W_NS}val")
        for font in etree.fromstring(font_table.blob)
        if font.find(f"{W_NS}altName") is not None
    }
    assert fallbacks == {"方正小标宋简体": "宋体", "黑体": "SimHei", "楷体_GB2312": "楷体", "仿宋_GB2312": "仿宋"}
    first_table = word.tables[0]

    def style_font(cell) -> str:  # table cells take their fonts from a paragraph style
        return cell.paragraphs[0].style.element.rPr.find(f"{W_NS}rFonts").get(f"{W_NS}eastAsia")

    assert (
        style_font(first_table.rows[0].cells[0]) == "黑体" and style_font(first_table.rows[1].cells[1]) == "仿宋_GB2312"
    )
    assert first_table.rows[0]._tr.trPr.find(f"{W_NS}tblHeader") is not None  # repeated on each page
    # fourteen columns: 1 mm margins (Word's 1.9 mm took half a count column, and 108 wrapped)
    margins = first_table._tbl.tblPr.find(f"{W_NS}tblCellMar")
    assert len(first_table.columns) > 8 and margins.find(f"{W_NS}left").get(f"{W_NS}w") == "57"


def test_charts_have_a_cjk_font_and_are_byte_for_byte_repeatable():
    rows = [{"name": "市生态环境局", "done": 1, "green": 2, "yellow": 0, "red": 1}]
    draw = charts.lights_by_unit.__wrapped__  # past the memo: drawn twice
    assert draw("各单位", rows) == draw("各单位", rows)
    assert charts.cjk_font() in charts.CJK_FAMILIES


def test_a_missing_cjk_font_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(charts, "CJK_FAMILIES", ("No Such Font CJK",))
    charts.cjk_font.cache_clear()
    try:
        with pytest.raises(charts.ChartFontError, match="fonts-noto-cjk"):
            charts.cjk_font()
    finally:
        monkeypatch.undo()
        charts.cjk_font.cache_clear()


def test_the_snapshots_table_matches_its_migration(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        drift = compare_metadata(context, Snapshot.metadata)
    assert [d for d in drift if "snapshots" in repr(d)] == []


@pytest.mark.backend_independent
def test_the_docx_opens_in_libreoffice_as_a_paged_document_with_its_chinese_text(may, tmp_path):
    """As a user would open it: LibreOffice lays the .docx out as PDF pages (A4), whose text
    layer has the title and the first section in Chinese; the first page as PNG for a look.
    Backend-independent (run once, in the SQLite pass): LibreOffice reads the written file; the
    .docx's text, tables and layout are proven on both databases by test_monthly.py (as for the
    HTML above) and by test_the_docx_is_laid_out_like_an_official_document_with_east_asian_fonts."""
    docx = by_suffix(may.paths, ".docx")
    subprocess.run(
        [
            "libreoffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / docx.with_suffix(".pdf").name
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) >= 2
    assert re.search(r"Page size:\s+595\.\d* x 841\.\d* pts \(A4\)", info)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert "2024年5月调度通报" in text.replace(" ", "")
    assert "一、" in text
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True)
    assert (tmp_path / "page-1.png").stat().st_size > 10_000


def test_a_long_title_is_broken_where_it_reads_well_and_never_over_the_width():
    from wufei.bulletins.render import TITLE_CHARACTERS, title_lines

    assert title_lines("衡水市“无废城市”建设2023年11月调度通报") == ["衡水市“无废城市”建设", "2023年11月调度通报"]
    assert title_lines("保定市“无废城市”建设2023年度考核结果") == ["保定市“无废城市”建设", "2023年度考核结果"]
    assert title_lines("衡水市2023年度考核结果") == ["衡水市2023年度考核结果"]  # fits: one line
    odd = "甲" * 33  # no point that reads well: the middle
    assert title_lines(odd) == ["甲" * 17, "甲" * 16]
    for title in ("内蒙古自治区锡林郭勒盟二连浩特市“无废城市”建设2023年第3季度通报", odd):
        lines = title_lines(title)
        assert all(len(line) <= TITLE_CHARACTERS for line in lines) and "".join(lines) == title

"""Real files built from a document's text, the way publishers make them: a Word file with real tables
(python-docx), a PDF printed from it (LibreOffice), a government web page around its text, a .doc saved
by LibreOffice. Tests and bench/import_pdf.py use them to check that every format gives the records the
text gives.
"""

from __future__ import annotations

import functools
import html
import itertools
import shutil
import subprocess
import tempfile
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from wufei.importers.document import Document, Table
from wufei.importers.readers.text import read_text


def seed_document(path: Path) -> Document:
    return read_text(path)


def _blocks(document: Document) -> list[str | Table]:
    """The body as paragraphs and tables in order: a text table's lines are replaced by the table."""
    starts = {t.start_line: t for t in document.tables}
    blocks: list[str | Table] = []
    line = 1
    while line <= len(document.lines):
        table = starts.get(line)
        if table is not None:
            blocks.append(table)
            line = max(table.end_line, table.start_line) + 1
            continue
        text = document.lines[line - 1]
        blocks.append(text.replace("\t", " ").strip())
        line += 1
    return blocks


def write_docx(document: Document, path: Path, *, repeat_header: bool = True) -> Path:
    """A Word file of the document: its lines as paragraphs, its tables as real tables with borders."""
    out = docx.Document()
    section = out.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Cm(1.5))
    style = out.styles["Normal"]
    style.font.size = Pt(9)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Noto Sans CJK SC")
    for block in _blocks(document):
        if isinstance(block, Table):
            add_table(out, [block.header] + [row.raw or row.cells for row in block.rows], repeat_header=repeat_header)
        elif block:
            out.add_paragraph(block)
    out.save(str(path))
    return path


def add_table(out: docx.document.Document, rows: list[list[str | None]], *, repeat_header: bool = True) -> None:
    width = max(len(r) for r in rows)
    table = out.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for r, values in enumerate(rows):
        cells = table.rows[r].cells  # table.cell(r, c) walks the whole table each time
        for c in range(width):
            value = values[c] if c < len(values) else None
            cell = cells[c]
            lines = (value or "").split("\n")
            cell.paragraphs[0].text = lines[0]
            for extra in lines[1:]:
                cell.add_paragraph(extra)
    if repeat_header:
        tr_pr = table.rows[0]._tr.get_or_add_trPr()
        marker = OxmlElement("w:tblHeader")
        tr_pr.append(marker)


def convert(source: Path, target_format: str, out_dir: Path, *, timeout: int = 180) -> Path:
    """LibreOffice headless conversion (pdf, doc, docx, odt, rtf)."""
    [result] = convert_all([source], target_format, out_dir, timeout=timeout)
    return result


def convert_all(sources: list[Path], target_format: str, out_dir: Path, *, timeout: int = 180) -> list[Path]:
    """The files converted by one LibreOffice run: starting LibreOffice (some 1.2 s of CPU) is most of
    what converting a plan costs, so a module needing several files makes them together. Their stems
    must differ (each is written to `out_dir` under its stem)."""
    assert len({source.stem for source in sources}) == len(sources), "one output file per stem"
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed to build this test file"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(Path(_profile_folder().name) / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            target_format,
            "--outdir",
            str(out_dir),
            *(str(source) for source in sources),
        ],
        check=True,
        capture_output=True,
        timeout=timeout,
    )
    results = [out_dir / (source.stem + "." + target_format.split(":")[0]) for source in sources]
    missing = [result for result in results if not result.exists()]
    assert not missing, f"LibreOffice did not write {missing}"
    return results


@functools.cache
def _profile_folder() -> tempfile.TemporaryDirectory:
    """The folder of this process's LibreOffice profile, made by its first conversion and reused by
    the next (a fresh profile costs each start some 0.2 s more); removed when the process ends. One
    process converts one file at a time; a profile is never shared between processes (pytest-xdist
    workers), which would lock it."""
    return tempfile.TemporaryDirectory(prefix="wufei-lo-")


def pdftotext_layout(pdf: Path, out: Path) -> Path:
    subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), str(out)], check=True, timeout=120)
    return out


def write_html(document: Document, path: Path, *, encoding: str = "utf-8", title: str | None = None) -> Path:
    """A page as government sites publish one: menus, breadcrumbs and a footer around the article body
    (div.TRS_Editor), tables as <table> with <br> inside cells."""
    body: list[str] = []
    for block in _blocks(document):
        if isinstance(block, Table):
            body.append('<table border="1" cellspacing="0" cellpadding="0">')
            body.append("<tr>" + "".join(f"<td><p>{html.escape(h)}</p></td>" for h in block.header) + "</tr>")
            for row in block.rows:
                cells = row.raw or row.cells
                body.append(
                    "<tr>"
                    + "".join(
                        f"<td>{'<br/>'.join(html.escape(x) for x in (c or '').split(chr(10)))}</td>" for c in cells
                    )
                    + "</tr>"
                )
            body.append("</table>")
        elif block:
            body.append(f'<p style="text-indent:2em">{html.escape(block)}</p>')
    charset = {"utf-8": "utf-8", "gbk": "gbk", "gb18030": "gb18030", "gb2312": "gb2312"}[encoding]
    page = f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{html.escape(title or "政府信息公开")}_某某市人民政府门户网站</title>
<script>var _hmt = _hmt || []; document.write("统计代码");</script>
<style>.nav li {{ float: left }}</style></head>
<body>
<div class="header"><div class="logo">某某市人民政府</div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/hdjl/">互动交流</a></li><li><a href="/bsfw/">办事服务</a></li>
<li><a href="/zjxx/">走进本市</a></li></ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 政府文件</div>
<div class="xxgk-table"><table><tr><td>索引号：</td><td>000014349/2022-00123</td>
<td>发布机构：</td><td>市政府办公室</td></tr>
<tr><td>发文日期：</td><td>2022年10月07日</td><td>主题分类：</td><td>环境保护</td></tr></table></div>
<div class="article"><div class="content" id="zoom"><div class="TRS_Editor">
{chr(10).join(body)}
</div></div></div>
<div class="related"><h3>相关文件</h3><ul><li><a href="/a.html">关于做好生态环境保护工作的通知</a></li>
<li><a href="/b.html">市政府办公室关于印发某某方案的通知</a></li></ul></div>
<div class="footer"><p>主办：某某市人民政府办公室 承办：某某市大数据中心</p>
<p>网站标识码：1234000001 备案号：冀ICP备00000000号</p>
<p>联系电话：0318-0000000 <a href="/sitemap">网站地图</a> <a href="/contact">联系我们</a></p></div>
</body></html>
"""
    path.write_bytes(page.encode(encoding, errors="xmlcharrefreplace"))  # &#10022; as pages write what GBK lacks
    return path


def write_ofd(pdf: Path, path: Path) -> Path:
    """An OFD file (GB/T 33190) of a PDF, the way converters and virtual printers make one from a
    printed document: each line's characters as a text object (its box, font size, baseline, the
    advance to each next character, repeated advances written `g N v`), every third one drawn at
    size 1 and scaled by its transformation (CTM) as some writers do, and the ruling lines and cell
    boxes as path objects; millimetres, y down from the top of the page."""
    import zipfile

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    mm = 25.4 / 72
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    document = pdfium.PdfDocument(str(pdf))
    pages: list[str] = []
    size_of_page = (0.0, 0.0)
    for page in document:
        width, height = page.get_size()
        size_of_page = (width * mm, height * mm)
        objects: list[str] = []
        textpage = page.get_textpage()
        runs: list[list[tuple[str, float, float, float, float, float]]] = []
        for k in range(textpage.count_chars()):
            ch = chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, k))
            if ch in "\r\n\ufffe" or pdfium_c.FPDFText_IsGenerated(textpage.raw, k) == 1:
                continue
            left, bottom, right, top = textpage.get_charbox(k, loose=True)
            size = pdfium_c.FPDFText_GetFontSize(textpage.raw, k) or (top - bottom)
            glyph = (ch, left, height - top, right, height - bottom, size)
            last = runs[-1][-1] if runs else None
            if last is not None and abs(last[2] - glyph[2]) < 1 and glyph[1] >= last[1] and abs(last[5] - size) < 0.1:
                runs[-1].append(glyph)
            else:
                runs.append([glyph])
        textpage.close()
        for n, run in enumerate(runs):
            x0, top = run[0][1], min(g[2] for g in run)
            x1, bottom = max(g[3] for g in run), max(g[4] for g in run)
            size = run[0][5] * mm
            advances = [(b[1] - a[1]) * mm for a, b in itertools.pairwise(run)]
            scale = size if n % 3 == 2 else 1.0
            baseline = (bottom - top) * mm * 0.88  # the line's box: 88 % above the baseline
            text = html.escape("".join(g[0] for g in run))
            delta = advances_text([a / scale for a in advances])
            ctm = f' CTM="{scale:.4f} 0 0 {scale:.4f} 0 0"' if scale != 1.0 else ""
            objects.append(
                f'<ofd:TextObject ID="{len(objects) + 10}" Boundary="{x0 * mm:.3f} {top * mm:.3f} '
                f'{(x1 - x0) * mm:.3f} {(bottom - top) * mm:.3f}" Font="3" Size="{size / scale:.4f}"{ctm}>'
                f'<ofd:FillColor Value="0 0 0"/><ofd:TextCode X="0" Y="{baseline / scale:.3f}"'
                f"{f' DeltaX={chr(34)}{delta}{chr(34)}' if delta else ''}>{text}</ofd:TextCode></ofd:TextObject>"
            )
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=3):
            left, bottom, right, top = obj.get_bounds()
            w, h = (right - left) * mm, (top - bottom) * mm
            if w < 0.2 and h < 0.2:
                continue
            if h <= 0.7:
                data = f"M 0 {h / 2:.3f} L {w:.3f} {h / 2:.3f}"
            elif w <= 0.7:
                data = f"M {w / 2:.3f} 0 L {w / 2:.3f} {h:.3f}"
            else:
                data = f"M 0 0 L {w:.3f} 0 L {w:.3f} {h:.3f} L 0 {h:.3f} C"
            objects.append(
                f'<ofd:PathObject ID="{len(objects) + 10}" Boundary="{left * mm:.3f} {(height - top) * mm:.3f} '
                f'{w:.3f} {h:.3f}" LineWidth="0.25"><ofd:AbbreviatedData>{data}</ofd:AbbreviatedData></ofd:PathObject>'
            )
        page.close()
        pages.append(
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {ns}><ofd:Content><ofd:Layer ID="2" Type="Body">'
            + "".join(objects)
            + "</ofd:Layer></ofd:Content></ofd:Page>"
        )
    document.close()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "OFD.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {ns} Version="1.1" DocType="OFD"><ofd:DocBody>'
            "<ofd:DocInfo><ofd:DocID>wufei-test</ofd:DocID></ofd:DocInfo>"
            "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        )
        listed = "".join(f'<ofd:Page ID="{k + 1}" BaseLoc="Pages/Page_{k}/Content.xml"/>' for k in range(len(pages)))
        archive.writestr(
            "Doc_0/Document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {ns}><ofd:CommonData>'
            "<ofd:MaxUnitID>9999</ofd:MaxUnitID>"
            f"<ofd:PageArea><ofd:PhysicalBox>0 0 {size_of_page[0]:.3f} {size_of_page[1]:.3f}</ofd:PhysicalBox>"
            "</ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>"
            f"<ofd:Pages>{listed}</ofd:Pages></ofd:Document>",
        )
        archive.writestr(
            "Doc_0/PublicRes.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res {ns} BaseLoc="Res"><ofd:Fonts>'
            '<ofd:Font ID="3" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>',
        )
        for k, content in enumerate(pages):
            archive.writestr(f"Doc_0/Pages/Page_{k}/Content.xml", content)
    return path


def advances_text(advances: list[float]) -> str:
    """DeltaX as OFD writes it: runs of three or more equal advances as `g N v`."""
    parts: list[str] = []
    k = 0
    while k < len(advances):
        value = round(advances[k], 3)
        n = 1
        while k + n < len(advances) and round(advances[k + n], 3) == value:
            n += 1
        parts.append(f"g {n} {value:g}" if n >= 3 else " ".join([f"{value:g}"] * n))
        k += n
    return " ".join(parts)

"""Real files built from a document's text, the way publishers make them: a Word file with real tables
(python-docx), a PDF printed from it (LibreOffice), a government web page around its text, a .doc saved
by LibreOffice. Tests and bench/import_pdf.py use them to check that every format gives the records the
text gives.
"""

from __future__ import annotations

import functools
import html
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

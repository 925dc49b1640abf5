"""Web pages saved from a government site: the article body read, menus and footers left out."""

from __future__ import annotations

import json

import pytest

from tests.importers.render import seed_document, write_html
from tests.importers.same_records import assert_same_records
from tests.seed_files import ALL_SEEDS, BAODING_PLAN, HENGSHUI_PLAN
from tests.test_cli import wufei  # noqa: F401  (the CLI fixture)
from wufei.importers.readers.html import read_html
from wufei.importers.records import ImportError_
from wufei.importers.service import read_source


@pytest.mark.parametrize("encoding", ["utf-8", "gbk", "gb2312"])
@pytest.mark.parametrize("seed", ALL_SEEDS, ids=lambda p: p.stem)
def test_a_seed_published_as_a_web_page_gives_the_records_of_its_text(seed, encoding, tmp_path):
    page = write_html(seed_document(seed), tmp_path / f"{seed.stem}.html", encoding=encoding)
    [plan] = read_source(page).plans
    assert plan.format == "html"
    assert_same_records(read_source(seed).plans[0], plan)


def test_menus_breadcrumbs_and_footer_are_left_out(tmp_path):
    document = read_html(write_html(seed_document(BAODING_PLAN), tmp_path / "page.htm"))
    text = "\n".join(document.lines)
    for noise in ("首页", "当前位置", "网站标识码", "相关文件", "统计代码", "索引号"):
        assert noise not in text
    assert document.lines[0].startswith("保定市人民政府办公室")


def _page(body: str, charset: str = "utf-8") -> str:
    head = f'<head><meta charset="{charset}"><title>方案</title></head>'
    return f'<html>{head}<body><div class="TRS_Editor">{body}</div></body></html>'


def test_rowspan_and_colspan_are_filled_and_br_is_a_line_break(tmp_path):
    body = """<p>衡水市“无废城市”建设重点任务分工方案</p>
    <table><thead><tr><th>序号</th><th>重点任务</th><th>牵头单位</th><th>配合单位</th><th>完成时限</th></tr></thead>
    <tbody><tr><td colspan="5">一、制度体系</td></tr>
    <tr><td>1</td><td>建立工作机制<br>明确职责分工</td>
    <td rowspan="2">市生态环境局</td><td>市发展改革委</td><td>2023年底前</td></tr>
    <tr><td>2</td><td>完善考核办法</td><td colspan="2">市财政局</td></tr></tbody></table>"""
    path = tmp_path / "分工.html"
    path.write_text(_page(body), encoding="utf-8")
    [table] = read_html(path).tables
    assert table.header == ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"]
    heading, first, second = table.rows
    assert heading.cells == ["一、制度体系", None, None, None, None]
    assert first.raw[1] == "建立工作机制\n明确职责分工" and first.cells[1] == "建立工作机制明确职责分工"
    assert second.cells == ["2", "完善考核办法", "市生态环境局", "市财政局", "市财政局"]
    assert [r.where for r in table.rows] == ["表1第2行", "表1第3行", "表1第4行"]


def test_a_gbk_page_is_read_by_its_meta_charset(tmp_path):
    path = tmp_path / "gbk.html"
    path.write_bytes(_page("<p>衡水市“无废城市”建设实施方案</p><p>一、总体要求</p>", charset="gb2312").encode("gbk"))
    assert read_html(path).lines == ["衡水市“无废城市”建设实施方案", "一、总体要求"]


def test_an_empty_page_is_refused(tmp_path):
    path = tmp_path / "空.html"
    path.write_bytes(b"  ")
    with pytest.raises(ImportError_, match="空.html.*文件为空"):
        read_source(path)


def test_wufei_import_takes_a_saved_web_page(wufei, tmp_path):
    page = write_html(
        seed_document(HENGSHUI_PLAN), tmp_path / "衡水市人民政府办公室关于印发方案的通知.htm", encoding="gbk"
    )
    result = json.loads(wufei("import", str(page), "--json").output)
    assert result[0]["ok"], result
    tasks = json.loads(wufei("tasks", "--json").output)
    assert len(tasks) == 112
    first = next(t for t in tasks if t["list_kind"] == "institution" and t["number"] == "1")
    assert first["leads"] == ["市城市管理综合行政执法局", "市工业和信息化局"]
    assert first["due_date"] == "2025-12-31"

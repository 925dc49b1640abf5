"""Items of an ordered list on a web page carry the numbers a browser shows (made-up page in the style of a
government site)."""

from __future__ import annotations

from wufei.importers.readers.html import read_html
from wufei.importers.service import read_source

PAGE = """<html><head><meta charset="utf-8"></head><body>
<h1>某区2024年民生实事项目</h1>
<p>一、教育</p>
<ol><li>新建幼儿园3所，新增学位1000个。</li><li>改造薄弱学校5所。</li></ol>
<p>二、养老</p>
<ol start="3"><li>新建社区养老服务站10个。</li><li>4、建设长者食堂2个。</li></ol>
</body></html>"""


def test_ordered_list_items_are_numbered_as_a_browser_shows_them(tmp_path):
    path = tmp_path / "实事.html"
    path.write_text(PAGE, encoding="utf-8")
    assert read_html(path).lines == [
        "某区2024年民生实事项目",
        "一、教育",
        "1.新建幼儿园3所，新增学位1000个。",
        "2.改造薄弱学校5所。",
        "二、养老",
        "3.新建社区养老服务站10个。",
        "4、建设长者食堂2个。",  # its own number printed: none added
    ]
    [plan] = read_source(path).plans
    assert [task.title for task in plan.tasks] == [
        "新建幼儿园3所，新增学位1000个",
        "改造薄弱学校5所",
        "新建社区养老服务站10个",
        "建设长者食堂2个",
    ]

"""Whether an uploaded file's content is what its name says (wufei/filetypes.py)."""

from __future__ import annotations

import pytest

from wufei.filetypes import content_matches

pytestmark = pytest.mark.nodb

EXPORTED = "<html><body><table><tr><td>序号</td><td>任务名称</td></tr></table></body></html>".encode("gb18030")


def test_a_web_page_a_system_exported_as_xls_is_taken_for_an_excel_file():
    assert content_matches("任务导出.xls", EXPORTED)
    assert content_matches("任务导出.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 an OLE file")


@pytest.mark.parametrize(
    ("name", "content"),
    [("任务导出.xls", b"MZ\x90\x00 a program"), ("整改报告.pdf", EXPORTED), ("方案.docx", EXPORTED)],
)
def test_other_content_under_an_office_name_is_refused(name, content):
    assert not content_matches(name, content)

"""Pages saved as one file (.mht, .mhtml: 单个文件网页), by a browser or by Word's 另存为: a MIME
archive whose first HTML part is the page, its images and styles in the other parts. The page is
decoded by its part's own charset (GB2312 read as GB18030, its superset) and read as a web page."""

from __future__ import annotations

import email
from email import policy
from email.message import EmailMessage
from pathlib import Path

from wufei.importers.document import Document
from wufei.importers.readers.html import decode, page_document, read_html
from wufei.importers.records import ImportError_

_GBK = {"gbk", "gb2312", "gb_2312-80", "x-gbk", "cp936"}


def read_mht(path: Path) -> Document:
    data = path.read_bytes()
    if not data.strip():
        raise ImportError_(str(path), "文件为空")
    archive = email.message_from_bytes(data, policy=policy.default)
    page = next((part for part in archive.walk() if part.get_content_type() == "text/html"), None)
    if not archive.is_multipart() and data.lstrip()[:1] == b"<":
        return read_html(path)  # a plain page saved under the .mht name
    if not isinstance(page, EmailMessage):
        first = next((line.strip() for line in data.decode("latin-1").splitlines() if line.strip()), "")
        raise ImportError_(str(path), "不是单个文件网页（.mht）：其中没有网页（text/html）部分", text=first[:80])
    return page_document(path, _page_text(path, page))  # a web page, found and named as one


def _page_text(path: Path, page: EmailMessage) -> str:
    body = page.get_payload(decode=True)
    if not isinstance(body, bytes):
        raise ImportError_(str(path), "单个文件网页（.mht）中的网页部分无法解码")
    charset = (page.get_content_charset() or "").lower()
    if charset in _GBK:
        charset = "gb18030"
    if charset:
        try:
            return body.decode(charset)
        except (UnicodeDecodeError, LookupError):
            pass
    return decode(path, body)  # by the page's own meta charset, else UTF-8, else GB18030

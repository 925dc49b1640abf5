"""Pages saved as one file (.mht, .mhtml: 单个文件网页), by a browser or by Word's 另存为: a MIME
archive whose first HTML part is the page, its images and styles in the other parts. The page is
decoded by its part's own charset (GB2312 read as GB18030, its superset) and read as a web page; its pictures
are the archive's parts, found by their Content-Location (as written, or relative to the page's) or Content-ID
(cid:), and read by OCR in their place."""

from __future__ import annotations

import email
from email import policy
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import unquote, urljoin

from wufei.importers.document import Document
from wufei.importers.readers.html import Resolve, data_uri, decode, page_document, read_html
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
    return page_document(path, _page_text(path, page), _parts(archive, page))  # a web page, found and named as one


def _parts(archive: EmailMessage, page: EmailMessage) -> Resolve:
    """The archive's parts by the addresses the page may give them: a `data:` URI, the part's Content-Location
    as written or relative to the page's, or cid: and its Content-ID."""
    base = page.get("Content-Location") or ""
    by_address: dict[str, EmailMessage] = {}
    for part in archive.walk():
        if part is page or part.is_multipart() or not isinstance(part, EmailMessage):
            continue
        location = (part.get("Content-Location") or "").strip()
        if location:
            by_address[unquote(location)] = part
        content_id = (part.get("Content-ID") or "").strip().strip("<>")
        if content_id:
            by_address[f"cid:{content_id}"] = part

    def resolve(src: str) -> bytes | None:
        inline = data_uri(src)
        if inline is not None:
            return inline
        part = by_address.get(unquote(src)) or by_address.get(unquote(urljoin(base, src)))
        if part is None:
            return None
        body = part.get_payload(decode=True)
        return body if isinstance(body, bytes) else None

    return resolve


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

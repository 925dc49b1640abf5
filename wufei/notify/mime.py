"""An email's text written directly, byte for byte what Apprise's email plugin writes for it.

`NotifyEmail.prepare_emails` builds each email as `email.mime` objects and writes them out with
`as_string()`: a third of the CPU a delivery run's parent spends on a message went into that
machinery (header objects, parameter parsing, a generator per part, and the stdlib's
character-by-character fitting of an encoded subject, `Charset.header_encode_lines`). For the
emails a run sends (plain text or HTML, no attachment, no PGP, no Reply-To) this writes the same
text from the same parts: the body's quoted-printable by `email.quoprimime.body_encode` (Apprise
registers utf-8 as quoted-printable for headers and bodies), a UTF-8 header value as one encoded
word (`as_string()` does not fold: its header length is 0), an ASCII one as it is, the
addresses by `email.utils.formataddr`, the Message-ID and Date by the same stdlib calls, the
headers in the plugin's order. Anything outside that (a header value the stdlib would change:
several lines, ASCII with whitespace at either end, an empty one) gives None and the caller
builds it with Apprise. tests/notify/test_email_bytes.py compares the two, byte for byte, in an
interpreter where nothing is patched.
"""

from __future__ import annotations

import email.quoprimime
import functools
from datetime import datetime, tzinfo
from email.generator import Generator
from email.utils import format_datetime, formataddr, make_msgid
from typing import Any

from apprise import NotifyFormat
from apprise.conversion import convert_between
from apprise.plugins.email.base import PGP_MODE_DEFAULT
from apprise.plugins.email.common import EmailMessage

_ENCODED_WORD_ROOM = 1_000_000 - len("=?utf-8?q??=")  # Header.encode's line length when not folding, less the chrome
_OURS = {"content-type", "mime-version", "content-transfer-encoding"}  # a custom header by these names: Apprise's way
_PART_HEADERS = (
    'Content-Type: text/{}; charset="utf-8"\nMIME-Version: 1.0\nContent-Transfer-Encoding: quoted-printable\n'
)


def header_value(value: str) -> str | None:
    """`Header(value, charset)` written out by `as_string()` (charset utf-8 for a value with a
    non-ASCII character, as Apprise's `_get_charset` picks it), or None when the stdlib would
    change the value's text (several lines, whitespace at either end of an ASCII value, empty) or
    split it."""
    if value.splitlines() != [value]:
        return None
    if value.isascii():
        return value if value.strip(" \t") == value else None
    encoded = email.quoprimime.header_encode(value.encode("utf-8"), "utf-8")
    return encoded if len(encoded) <= _ENCODED_WORD_ROOM else None


@functools.lru_cache(maxsize=4096)
def _address(name: str | bool | None, address: str) -> str | None:
    """`formataddr((name, address), charset="utf-8")` as a header value; Apprise names nobody by False."""
    return header_value(formataddr((name, address), charset="utf-8"))  # type: ignore[arg-type]  # False: no name


def _quoted_printable(text: str) -> str:
    """`MIMEText(text, subtype, "utf-8")`'s payload with utf-8 as quoted-printable (Apprise's setting)."""
    return email.quoprimime.body_encode(text.encode("utf-8").decode("latin1"))


def plain_emails(
    *,
    subject: str,
    body: str,
    notify_format: Any,
    from_addr: tuple[str | bool | None, str],
    to: list[tuple[str | bool | None, str]],
    cc: set[str],
    bcc: set[str],
    reply_to: set[str],
    smtp_host: str | None,
    attach: Any,
    headers: dict[str, str],
    names: dict[str, str] | None,
    pgp: Any,
    pgp_mode: str,
    inline: bool,
    tzinfo: tzinfo | None,
) -> list[EmailMessage] | None:
    """`NotifyEmail.prepare_emails` with the same arguments, or None when the email is not one
    this writes (the caller asks Apprise)."""
    if (
        (pgp and pgp_mode != PGP_MODE_DEFAULT)
        or not to
        or not body
        or attach
        or reply_to
        or inline
        or not smtp_host
        or not tzinfo
    ):
        return None
    if notify_format not in (NotifyFormat.TEXT, NotifyFormat.HTML):
        return None
    top = [header_value(value) for value in [*headers.values(), subject]]
    sender = _address(*from_addr)
    if sender is None or None in top or any(name != header_value(name) or name.lower() in _OURS for name in headers):
        return None
    content = _content(body, notify_format)
    names = names or {}
    emails = []
    for to_name, to_addr in to:
        recipient = _address(to_name, to_addr)
        copies = [_address(names.get(addr, False), addr) for addr in cc - bcc - {to_addr}]
        blind = [_address(names.get(addr, False), addr) for addr in bcc - {to_addr}]
        date = format_datetime(datetime.now(tz=tzinfo))
        if recipient is None or None in copies or None in blind:
            return None
        lines = [content[0], *(f"{name}: {value}" for name, value in zip(headers, top, strict=False))]
        lines += [f"Subject: {top[-1]}", f"From: {sender}", f"To: {recipient}"]
        lines += [f"Message-ID: {make_msgid(domain=smtp_host)}", f"Date: {date}"]
        if cc:
            cc_header = header_value(",".join(copies))  # type: ignore[arg-type]  # no None in copies
            if cc_header is None:
                return None
            lines.append(f"Cc: {cc_header}")
        text = "\n".join(lines) + "\n\n" + content[1]
        emails.append(EmailMessage(recipient=to_addr, to_addrs=[to_addr, *copies, *blind], body=text))  # type: ignore[list-item]
    return emails


def _content(body: str, notify_format: Any) -> tuple[str, str]:
    """The body's MIME headers (those the plugin writes before its own) and its text: one
    quoted-printable text part, or for HTML the text converted back and the HTML as alternatives."""
    if notify_format == NotifyFormat.TEXT:
        return _PART_HEADERS.format("plain").rstrip("\n"), _quoted_printable(body)
    parts = [
        _PART_HEADERS.format("plain")
        + "\n"
        + _quoted_printable(convert_between(NotifyFormat.HTML, NotifyFormat.TEXT, body)),
        _PART_HEADERS.format("html") + "\n" + _quoted_printable(body),
    ]
    boundary = Generator._make_boundary("\n".join(parts))  # type: ignore[attr-defined]  # the generator's own choice
    head = f'Content-Type: multipart/alternative; boundary="{boundary}"\nMIME-Version: 1.0'
    return head, f"--{boundary}\n" + f"\n--{boundary}\n".join(parts) + f"\n--{boundary}--\n"

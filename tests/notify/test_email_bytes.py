"""What the SMTP server receives from a run's courier (wufei.notify.courier, over the kept connection)
is, byte for byte but the Message-ID and the Date, what Apprise's email plugin builds for the same
service (`NotifyEmail.prepare_emails` with the service's settings, as its `send` builds it) in a
process without wufei.notify.mail's faster header writing (`_qp_header_length`, `Compat32._fold`
remembered): the Chinese subject's and sender name's encoding, the headers and their order, the
quoted-printable body, one email per recipient; the envelope carries the cc and bcc."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.parse
from email.utils import parsedate_to_datetime

from wufei.notify.channels import Channels

SUBJECT = "【逾期提醒】市生态环境局：建设危险废物集中处置中心（第12项）"
BODY = (
    "市生态环境局专班联系人：\n\n"
    "逾期提醒：「建设危险废物集中处置中心」（期限2024年5月31日）已逾期20个工作日。\n"
    "请于3个工作日内报送进展 = 100% 完成；a line long enough to be wrapped by quoted-printable "
    "encoding, with trailing spaces   \n.\n"
)


_PLAIN_APPRISE = """
import json, sys
import apprise
from apprise.plugins.email import NotifyEmail

url, subject, body = json.loads(sys.stdin.read())
service = apprise.Apprise.instantiate(url)
emails = NotifyEmail.prepare_emails(
    subject=subject, body=body, notify_format=service.notify_format, from_addr=service.from_addr,
    to=service.targets, cc=service.cc, bcc=service.bcc, reply_to=service.reply_to, smtp_host=service.smtp_host,
    attach=None, headers={"X-Application": service.app_id, **service.headers}, names=service.names,
    pgp=service.pgp, pgp_mode=service.pgp_mode, inline=service.inline, tzinfo=service.tzinfo,
)
print(json.dumps([[email.to_addrs, email.body] for email in emails]))
"""


def _apprise_built(url: str) -> list[tuple[list[str], bytes]]:
    """The emails Apprise's plugin builds for the service at `url` (envelope recipients, text), as
    its `send` does, in a fresh interpreter that never imported wufei."""
    done = subprocess.run(
        [sys.executable, "-c", _PLAIN_APPRISE],
        input=json.dumps([url, SUBJECT, BODY]),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return [(to_addrs, body.encode()) for to_addrs, body in json.loads(done.stdout)]


_VARYING = re.compile(rb"^(Message-ID|Date): (.*)$", re.MULTILINE)


def _steady(raw: bytes) -> tuple[bytes, dict[bytes, bytes]]:
    """The text with LF line ends and the two headers that differ per build cut out; and those two."""
    text = raw.replace(b"\r\n", b"\n")
    return _VARYING.sub(rb"\1: -", text), dict(_VARYING.findall(text))


def test_what_the_server_receives_is_what_apprise_builds(smtp):
    envelopes: list[list[str]] = []
    keep = smtp.inbox.handle_DATA

    async def recording(server, session, envelope):
        envelopes.append(list(envelope.rcpt_tos))
        return await keep(server, session, envelope)

    smtp.inbox.handle_DATA = recording
    smtp.start()
    sender = urllib.parse.quote("督查督办办公室<office@wufei.test>")
    url = (
        f"mailto://127.0.0.1:{smtp.port}?from={sender}&to=liaison@wufei.test,leader@wufei.test"
        "&cc=chief@wufei.test&bcc=audit@wufei.test&format=text"
    )
    channels = Channels(f"version: 1\nurls:\n  - {url}:\n      - tag: fallback\n")
    [(service, name)] = channels.targets("fallback")
    try:
        result = channels.send_to(service, name, SUBJECT, BODY, draft=channels.draft(service, SUBJECT, BODY))
    finally:
        channels.close()
    assert result.ok, result.error

    expected = _apprise_built(url)
    assert len(smtp.inbox.raw) == len(expected) == 2  # one email per recipient, in order
    for raw, envelope, (to_addrs, built) in zip(smtp.inbox.raw, envelopes, expected, strict=True):
        received, varying = _steady(raw)
        assert received == _steady(built)[0]
        assert envelope == to_addrs == [to_addrs[0], "chief@wufei.test", "audit@wufei.test"]
        assert re.fullmatch(rb"<\d+\.\d+\.\d+@127\.0\.0\.1>", varying[b"Message-ID"])
        assert parsedate_to_datetime(varying[b"Date"].decode()).tzinfo is not None
    first = smtp.inbox.messages[0]
    assert first["subject"] == SUBJECT and first["from"] == "督查督办办公室 <office@wufei.test>"
    assert first["cc"] == "chief@wufei.test" and first["bcc"] is None
    assert first.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n") == BODY

"""What the SMTP server receives from a run's courier (wufei.notify.courier, over the kept connection)
is, byte for byte but the Message-ID and the Date, what Apprise's email plugin builds for the same
service (`NotifyEmail.prepare_emails` with the service's settings, as its `send` builds it) in a
process without wufei.notify.mail's faster header writing (`_qp_header_length`, `Compat32._fold`
remembered): the Chinese subject's and sender name's encoding, the headers and their order, the
quoted-printable body, one email per recipient; the envelope carries the cc and bcc."""

from __future__ import annotations

import json
import os
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


_BOTH_WAYS = """
import json, sys
import apprise
from apprise.plugins.email import NotifyEmail

cases = json.loads(sys.stdin.read())


def settings(service, subject, body, attachment):
    return dict(
        subject=subject, body=body, notify_format=service.notify_format, from_addr=service.from_addr,
        to=service.targets, cc=service.cc, bcc=service.bcc, reply_to=service.reply_to, smtp_host=service.smtp_host,
        attach=apprise.AppriseAttachment(attachment) if attachment else None,
        headers={"X-Application": service.app_id, **service.headers}, names=service.names, pgp=service.pgp,
        pgp_mode=service.pgp_mode, inline=service.inline, tzinfo=service.tzinfo,
    )


services = [apprise.Apprise.instantiate(url) for url, *_ in cases]
apprise_built = [
    [[e.to_addrs, e.body] for e in NotifyEmail.prepare_emails(**settings(service, *case[1:]))]
    for service, case in zip(services, cases)
]
from wufei.notify.mail import MailSessions  # patches the email package: only after Apprise's own emails
from wufei.notify.mime import plain_emails

ours = [
    [[e.to_addrs, e.body] for e in MailSessions().build(
        service, title=s, body=b, attach=settings(service, s, b, a)["attach"]
    )]
    for service, (_, s, b, a) in zip(services, cases)
]
direct = [plain_emails(**settings(service, *case[1:])) is not None for service, case in zip(services, cases)]
print(json.dumps([apprise_built, ours, direct]))
"""

_PER_BUILD = re.compile(r'^(Message-ID|Date): .*$|(boundary=")?=+\d+==(\.\d+)?', re.MULTILINE)

LONG_SUBJECT = "【督办通知】" + "关于推进“无废城市”建设工作方案中固体废物减量化、资源化、无害化任务落实情况的督办" * 4
LONG_BODY = (
    "各责任单位：\n\n"
    + "请按照《“无废城市”建设实施方案》要求，于本月底前报送工作进展。" * 6
    + "\n"
    + "x" * 75
    + " \n"
    + "y" * 74
    + "  \n"
    + "z" * 73
    + "\t\n"
    + "=" * 30
    + "\n"
    + "a tab\there and a line that is plainly longer than seventy-six columns of ASCII text, to be wrapped\r\n"
    + ".\n\n最后一行没有换行符"
)


def test_emails_written_directly_are_apprise_s_byte_for_byte(tmp_path):
    """The emails wufei.notify.mime writes (long Chinese subjects that the stdlib would fold if it
    folded, bodies with lines over 76 columns, trailing spaces and tabs, CRLF, '=' and a last line
    without a line end; many recipients with cc and bcc; Chinese names; custom headers; HTML) are
    what Apprise's plugin builds, byte for byte but the Message-ID, the Date and the MIME boundary:
    both computed in one interpreter (the same PYTHONHASHSEED, so the cc sets are walked in the same
    order), Apprise's before wufei's faster header writing is imported. What the fast path does not
    write (an ASCII subject with a space at its end, an attachment) is still Apprise's build."""
    attachment = tmp_path / "通报.txt"
    attachment.write_text("附件内容\n", encoding="utf-8")
    base = "mailto://127.0.0.1:2525?from=" + urllib.parse.quote("督查督办办公室<office@wufei.test>")
    many = (
        "&to="
        + urllib.parse.quote("张三<zhang@wufei.test>,li@wufei.test,wang@wufei.test,zhao@wufei.test")
        + "&cc="
        + urllib.parse.quote("主任<chief@wufei.test>,deputy@wufei.test,zhao@wufei.test,clerk@wufei.test")
        + "&bcc=audit@wufei.test,clerk@wufei.test"
    )
    cases = [
        [f"{base}&to=liaison@wufei.test&format=text", SUBJECT, BODY, None],
        [f"{base}&to=liaison@wufei.test&format=text", LONG_SUBJECT, LONG_BODY, None],
        [f"{base}{many}&format=text", LONG_SUBJECT, LONG_BODY, None],
        [f"{base}{many}&format=html", SUBJECT, "<p>" + LONG_BODY.replace("\n", "<br/>") + "</p>", None],
        [f"{base}&to=liaison@wufei.test", "Reminder: task 12 (overdue)", "plain ASCII body\n", None],
        [
            f"mailto://127.0.0.1:2525?from=office@wufei.test&to=a@wufei.test&format=text&+X-Office={urllib.parse.quote('督查室')}&+X-Ref=A-1",
            SUBJECT,
            BODY,
            None,
        ],
        [f"{base}&to=liaison@wufei.test&format=text", "ends with a space ", BODY, None],
        [f"{base}&to=liaison@wufei.test&format=text", SUBJECT, BODY, str(attachment)],
    ]
    done = subprocess.run(
        [sys.executable, "-c", _BOTH_WAYS],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env={**os.environ, "PYTHONHASHSEED": "17"},
    )
    apprise_built, ours, direct = json.loads(done.stdout)
    assert direct == [True] * 6 + [False, False]  # the fast path wrote the first six
    assert [len(emails) for emails in ours] == [1, 1, 4, 4, 1, 1, 1, 1]
    for theirs, mine in zip(apprise_built, ours, strict=True):
        assert len(mine) == len(theirs)
        for (their_to, their_text), (my_to, my_text) in zip(theirs, mine, strict=True):
            assert my_to == their_to
            assert _PER_BUILD.sub("-", my_text) == _PER_BUILD.sub("-", their_text)
            assert len(_PER_BUILD.findall(my_text)) == len(_PER_BUILD.findall(their_text))
    many_first = ours[2][0][1]
    assert "Cc: " in many_first and "Bcc" not in many_first and "\nSubject: =?utf-8?q?" in many_first
    assert len(max(many_first.splitlines(), key=len)) > 1000  # the subject is one line: as_string() does not fold

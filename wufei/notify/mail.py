"""Email over one SMTP connection per server for a whole run, reused across messages.

Apprise's email plugin opens a connection, says EHLO (STARTTLS, login) and quits for every
message: 30% of the wall time of 10,000 digests. Here the message is what the plugin builds
(`NotifyEmail.prepare_emails` with the service's own settings, as its `send` builds it: written
directly by wufei.notify.mime for a plain email, the same bytes, else by the plugin), and sent
over a connection kept per server (host, port, security, login): the services of the contacts
are one per recipient but share the office's server (WUFEI_SMTP_URL), so a run holds one
connection, and quits it at the end (`close`).

The connection is held by a courier, a child process per server (wufei.notify.courier), which
carries the conversation while this process builds and records: the sending threads hand it
their messages in order and each waits for its answer. The outcome rules are wufei.notify.wire's,
unchanged: the courier's connections are its watched `SMTP` and `SMTP_SSL` and its watch's
report is added to the sending thread's, so a connection lost after DATA's 354 is `unknown`, a
refusal is a known failure. A kept connection the server has closed meanwhile (an idle timeout, a
421 before the message) fails before the content leaves; then, and only then, the message is sent
once more over a new connection. Any failure drops the connection: the next message opens a fresh
one. A courier that dies holding a message leaves it `unknown`; the next message starts a new one.

Apprise's politeness pause (`request_rate_per_sec`, 5.5 s for every plugin) spaces its requests
to one service; Apprise itself sends an email to several recipients back to back over one
connection. So over a kept connection messages follow each other, and the pause (the opening
service's `request_rate_per_sec`) is kept between two connections opened to one server.
"""

from __future__ import annotations

import email.quoprimime
import functools
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from email import _policybase
from typing import Any

from apprise.plugins.email import NotifyEmail

from wufei.notify import wire
from wufei.notify.courier import Courier, CourierGone
from wufei.notify.mime import plain_emails

_QP_HEADER_SAFE = bytes(octet for octet in range(256) if email.quoprimime.header_length(bytes([octet])) == 1)


def _qp_header_length(octets: Iterable[int]) -> int:
    """`email.quoprimime.header_length`, the same figure counted in C: every octet is one character
    when encoded, or three (=XX). Apprise encodes UTF-8 headers as quoted-printable, and the email
    package measures a subject once per character while fitting it into lines (the stdlib's own
    comment: "brute force it"), a generator step per octet: a fifth of building a digest's email."""
    data = bytes(octets)
    return len(data) + 2 * len(data.translate(None, _QP_HEADER_SAFE))


email.quoprimime.header_length = _qp_header_length  # type: ignore[assignment]  # the same function, faster

_fold_header = _policybase.Compat32._fold  # type: ignore[attr-defined]  # private in the stubs


@functools.lru_cache(maxsize=512)
def _folded(max_line_length: int | None, linesep: str, name: str, value: str, sanitize: bool) -> str:
    policy = _policybase.Compat32(max_line_length=max_line_length, linesep=linesep)
    return _fold_header(policy, name, value, sanitize)


def _fold_remembered(self: _policybase.Compat32, name: str, value: Any, sanitize: bool) -> str:
    """`Compat32._fold`, a header written out, remembered for the plain-text values: of an email's
    nine headers six are the same from one digest to the next (sender, recipient, the MIME ones) or
    within a second (the date), and writing each out (`Header.encode`) was a quarter of building an
    email. The result depends only on the arguments and the policy's line length and separator; a
    `Header` value (Apprise's subject) is written out each time."""
    if type(value) is str:
        return _folded(self.max_line_length, self.linesep, name, value, sanitize)
    return _fold_header(self, name, value, sanitize)


_policybase.Compat32._fold = _fold_remembered  # type: ignore[attr-defined]  # the same function, remembered

ServerKey = tuple[str, int, str, str, str, bool]  # host, port, secure mode, user, password, verify

_COURIER_LOST = "投递子进程在发送中退出，服务器可能已接收"


@dataclass
class _Server:
    """One server's courier (its kept connection); `lock` guards replacing it."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    courier: Courier | None = None
    opened_at: float = -float("inf")  # time.monotonic() when the courier last opened a connection


def server_key(service: NotifyEmail) -> ServerKey:
    return (
        service.smtp_host,
        int(service.port),
        str(service.secure_mode),
        service.user or "",
        service.password or "",
        bool(service.verify_certificate),
    )


class MailSessions:
    """The SMTP connections of one run, one courier per server, kept until `close`."""

    def __init__(self) -> None:
        self._servers: dict[ServerKey, _Server] = {}
        self._lock = threading.Lock()

    def build(self, service: NotifyEmail, *, title: str, body: str, attach: Any = None) -> list[Any] | str:
        """The emails of one of the calls `service.notify` would make to its `send`
        (`_build_send_calls`: title and body as the plugin takes them, attachments wrapped), built as
        its `send` builds them; or why they cannot be (Chinese). A run builds them ahead of `send`."""
        if not service.targets:
            return "没有收件人（邮件地址中缺少 to=）"
        settings = {
            "subject": title,
            "body": body,
            "notify_format": service.notify_format,
            "from_addr": service.from_addr,
            "to": service.targets,
            "cc": service.cc,
            "bcc": service.bcc,
            "reply_to": service.reply_to,
            "smtp_host": service.smtp_host,
            "attach": attach,
            "headers": {"X-Application": service.app_id, **service.headers},
            "names": service.names,
            "pgp": service.pgp,
            "pgp_mode": service.pgp_mode,
            "inline": service.inline,
            "tzinfo": service.tzinfo,
        }
        try:
            return plain_emails(**settings) or list(NotifyEmail.prepare_emails(**settings))
        except Exception as exc:  # an attachment that cannot be read, a PGP failure: nothing was sent
            return f"无法生成邮件（{type(exc).__name__}: {exc}）"

    def send(self, service: NotifyEmail, built: list[Any] | str) -> str | None:
        """Send the emails `build` made over the server's kept connection; returns None when every
        email was accepted, else the error (Chinese)."""
        if isinstance(built, str):
            return built
        errors = [error for email in built if (error := self._send_email(service, email)) is not None]
        return "；".join(errors) or None

    def _send_email(self, service: NotifyEmail, email: Any) -> str | None:
        server = self._server(service)
        request = (
            (*server_key(service), float(service.socket_connect_timeout)),  # how the courier opens a connection
            float(service.request_rate_per_sec),
            server.opened_at,
            service.from_addr[1],
            list(email.to_addrs),
            email.body,
        )
        try:
            answer = self._courier(server).send(request)
        except CourierGone:  # it had exited before: the request never left this process, once more anew
            try:
                answer = self._courier(server).send(request)
            except CourierGone:
                return _describe(service, email, "投递子进程无法启动")
        traffic = wire.current()
        if answer is None:  # it died holding the message: it may have sent it
            if traffic is not None:
                traffic.doubts.append(_COURIER_LOST)
            return _describe(service, email, _COURIER_LOST)
        failure, report, opened_at = answer
        server.opened_at = max(server.opened_at, opened_at)
        if traffic is not None:
            traffic.absorb(report)
        return None if failure is None else _describe(service, email, ": ".join(failure))

    def _courier(self, server: _Server) -> Courier:
        """The server's courier, started anew when there is none or the last one died."""
        with server.lock:
            if server.courier is None or server.courier.dead:
                if server.courier is not None:
                    server.courier.close()
                server.courier = Courier()
            return server.courier

    def _server(self, service: NotifyEmail) -> _Server:
        key = server_key(service)
        with self._lock:
            return self._servers.setdefault(key, _Server())

    def close(self) -> None:
        """Quit every kept connection (the end of a run): each courier quits and exits."""
        with self._lock:
            servers, self._servers = list(self._servers.values()), {}
        for server in servers:
            with server.lock:
                courier, server.courier = server.courier, None
            if courier is not None:
                courier.close()

    def couriers(self) -> list[int]:
        """The process ids of the couriers running now (tests kill one)."""
        with self._lock:
            servers = list(self._servers.values())
        return [s.courier.pid for s in servers if s.courier is not None and not s.courier.dead]


def _describe(service: NotifyEmail, email: Any, error: str) -> str:
    return f"发往 {email.recipient} 的邮件经 {service.smtp_host}:{service.port} 发送失败：{error}"

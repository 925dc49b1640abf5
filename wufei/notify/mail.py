"""Email over one SMTP connection per server for a whole run, reused across messages.

Apprise's email plugin opens a connection, says EHLO (STARTTLS, login) and quits for every
message: 30% of the wall time of 10,000 digests. Here the message is still built by the plugin
(`NotifyEmail.prepare_emails` with the service's own settings, exactly as its `send` builds it),
and sent over a connection kept per server (host, port, security, login): the services of the
contacts are one per recipient but share the office's server (WUFEI_SMTP_URL), so a run holds one
connection, shared by its sending threads one message at a time (a connection is one
conversation), and quits it at the end (`close`).

The outcome rules are wufei.notify.wire's, unchanged: the connections are its watched `SMTP` and
`SMTP_SSL`, so a connection lost after DATA's 354 is `unknown`, a refusal is a known failure. A
kept connection the server has closed meanwhile (an idle timeout, a 421 before the message) fails
before the content leaves; then, and only then, the message is sent once more over a new
connection. Any failure drops the connection: the next message opens a fresh one.

Apprise's politeness pause (`request_rate_per_sec`, 5.5 s for every plugin) spaces its requests
to one service; Apprise itself sends an email to several recipients back to back over one
connection. So over a kept connection messages follow each other, and the pause (the opening
service's `request_rate_per_sec`) is kept between two connections opened to one server.
"""

from __future__ import annotations

import contextlib
import email.quoprimime
import smtplib
import ssl
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from apprise.plugins.email import NotifyEmail
from apprise.plugins.email.common import SecureMailMode

from wufei.notify import wire

_QP_HEADER_SAFE = bytes(octet for octet in range(256) if email.quoprimime.header_length(bytes([octet])) == 1)


def _qp_header_length(octets: Iterable[int]) -> int:
    """`email.quoprimime.header_length`, the same figure counted in C: every octet is one character
    when encoded, or three (=XX). Apprise encodes UTF-8 headers as quoted-printable, and the email
    package measures a subject once per character while fitting it into lines (the stdlib's own
    comment: "brute force it"), a generator step per octet: a fifth of building a digest's email."""
    data = bytes(octets)
    return len(data) + 2 * len(data.translate(None, _QP_HEADER_SAFE))


email.quoprimime.header_length = _qp_header_length  # type: ignore[assignment]  # the same function, faster

ServerKey = tuple[str, int, str, str, str, bool]  # host, port, secure mode, user, password, verify


@dataclass
class _Server:
    """One server's kept connection; `lock` makes its use one message at a time."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    connection: smtplib.SMTP | None = None
    opened_at: float = -float("inf")  # time.monotonic() when the last connection was opened


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
    """The SMTP connections of one run, one per server, kept until `close`."""

    def __init__(self) -> None:
        self._servers: dict[ServerKey, _Server] = {}
        self._lock = threading.Lock()

    def build(self, service: NotifyEmail, *, title: str, body: str, attach: Any = None) -> list[Any] | str:
        """The emails of one of the calls `service.notify` would make to its `send`
        (`_build_send_calls`: title and body as the plugin takes them, attachments wrapped), built as
        its `send` builds them; or why they cannot be (Chinese). A run builds them ahead of `send`."""
        if not service.targets:
            return "没有收件人（邮件地址中缺少 to=）"
        headers = {"X-Application": service.app_id, **service.headers}
        try:
            return list(
                NotifyEmail.prepare_emails(
                    subject=title,
                    body=body,
                    notify_format=service.notify_format,
                    from_addr=service.from_addr,
                    to=service.targets,
                    cc=service.cc,
                    bcc=service.bcc,
                    reply_to=service.reply_to,
                    smtp_host=service.smtp_host,
                    attach=attach,
                    headers=headers,
                    names=service.names,
                    pgp=service.pgp,
                    pgp_mode=service.pgp_mode,
                    inline=service.inline,
                    tzinfo=service.tzinfo,
                )
            )
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
        traffic = wire.current()
        with server.lock:
            reused = server.connection is not None
            answered = traffic.answered if traffic is not None else 0
            try:
                with self._connection(service, server) as connection:
                    connection.sendmail(service.from_addr[1], email.to_addrs, email.body)
                return None
            except (OSError, smtplib.SMTPException, RuntimeError) as first:
                content_left = traffic is None or traffic.in_flight or traffic.answered != answered
                if not reused or content_left or not _stale(first):
                    return _describe(service, email, first)
            try:  # the kept connection had been closed by the server before this message: once more, anew
                with self._connection(service, server) as connection:
                    connection.sendmail(service.from_addr[1], email.to_addrs, email.body)
                return None
            except (OSError, smtplib.SMTPException, RuntimeError) as again:
                return _describe(service, email, again)

    @contextlib.contextmanager
    def _connection(self, service: NotifyEmail, server: _Server) -> Iterator[smtplib.SMTP]:
        """The server's kept connection, opened if needed; dropped (closed) when a use fails."""
        if server.connection is None:
            pause = service.request_rate_per_sec - (time.monotonic() - server.opened_at)
            if pause > 0:  # the politeness pause between two connections to a server
                time.sleep(pause)
            server.opened_at = time.monotonic()
            server.connection = _open(service)
        try:
            yield server.connection
        except BaseException:
            connection, server.connection = server.connection, None
            with contextlib.suppress(OSError, smtplib.SMTPException):
                connection.close()
            raise

    def _server(self, service: NotifyEmail) -> _Server:
        key = server_key(service)
        with self._lock:
            return self._servers.setdefault(key, _Server())

    def close(self) -> None:
        """Quit every kept connection (the end of a run)."""
        with self._lock:
            servers, self._servers = list(self._servers.values()), {}
        for server in servers:
            with server.lock:
                connection, server.connection = server.connection, None
                if connection is not None:
                    with contextlib.suppress(OSError, smtplib.SMTPException):
                        connection.quit()


def _open(service: NotifyEmail) -> smtplib.SMTP:
    """A connection as the plugin's `send` opens one: SSL or STARTTLS per the URL, the login."""
    context = ssl.create_default_context()
    if not service.verify_certificate:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    timeout = service.socket_connect_timeout
    connection: smtplib.SMTP
    if service.secure_mode == SecureMailMode.SSL:
        connection = wire.WatchedSmtplib.SMTP_SSL(
            service.smtp_host, service.port, None, timeout=timeout, context=context
        )
    else:
        connection = wire.WatchedSmtplib.SMTP(service.smtp_host, service.port, None, timeout=timeout)
    try:
        if service.secure_mode == SecureMailMode.STARTTLS:
            connection.starttls(context=context)
        if service.user and service.password:
            connection.login(service.user, service.password)
    except BaseException:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            connection.close()
        raise
    return connection


def _stale(error: BaseException) -> bool:
    """A kept connection the server closed while it was idle: gone, reset, or a 421 (closing)."""
    if isinstance(error, smtplib.SMTPServerDisconnected | ConnectionError):
        return True
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code == 421


def _describe(service: NotifyEmail, email: Any, error: BaseException) -> str:
    return (
        f"发往 {email.recipient} 的邮件经 {service.smtp_host}:{service.port} 发送失败：{type(error).__name__}: {error}"
    )

"""What reached the other side during one send: known to have failed before acceptance, or unknown.

Apprise gives one bool per service and logs the reason. A failed send is safe to repeat only when
the message cannot have been taken: the connection was refused, the name did not resolve, the
connection or TLS handshake timed out, or the server answered with an error (an HTTP status, an
SMTP reply). A webhook that timed out waiting for the answer, or an SMTP connection lost after the
message was sent (after DATA's 354), may have delivered it: repeating it sends it twice. So while
`watch()` is active in a thread, the two ways Apprise's plugins reach the network report here:

- HTTP: every plugin goes through `requests`, whose `HTTPAdapter.send` is wrapped
  (`watch_http`, which wufei.notify.channels calls; only a thread being watched is observed, the
  others pass straight through; the SMTP courier, which sends no HTTP, never imports `requests`);
- SMTP: the email plugin's `smtplib` is a module standing in for the real one whose `SMTP` and
  `SMTP_SSL` note when the message's content starts to leave and what the server answered.

A send that failed after an email of it was accepted (one to two recipients, the second refused)
is unknown too: repeating it would duplicate the first.
"""

from __future__ import annotations

import smtplib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Watch:
    """One send's traffic: messages the far side accepted, and why an outcome may be unknown."""

    accepted: int = 0  # emails the SMTP server took with 250
    answered: int = 0
    doubts: list[str] = field(default_factory=list)
    # A group robot's platform (企业微信, 钉钉, 飞书) answers HTTP 200 with an error code in the
    # body when it refuses a message (too long, a keyword missing, a bad signature, too many a
    # minute); Apprise's plugins look at the status only. With `platform_codes`, those answers
    # are noted in `refusals`: a message refused, known not delivered, safe to send again.
    platform_codes: bool = False
    refusals: list[str] = field(default_factory=list)
    refusal_codes: list[str] = field(default_factory=list)  # the platform's codes, as it wrote them
    _in_flight: str | None = None  # set while content is out and no answer came yet

    @property
    def in_flight(self) -> bool:
        """An email's content is out and its answer has not come (yet, or ever)."""
        return self._in_flight is not None

    @property
    def uncertain(self) -> bool:
        return bool(self.doubts) or self._in_flight is not None or self.accepted > 0

    def report(self) -> tuple[int, int, list[str], str | None]:
        """What this watch saw, for another process's watch (wufei.notify.courier): `absorb` it there."""
        return self.accepted, self.answered, list(self.doubts), self._in_flight

    def absorb(self, report: tuple[int, int, list[str], str | None]) -> None:
        """Add what a watch in another process saw (`report`) to this one, as if seen here."""
        accepted, answered, doubts, in_flight = report
        self.accepted += accepted
        self.answered += answered
        self.doubts.extend(doubts)
        if in_flight is not None:
            self._in_flight = in_flight

    def reason(self) -> str:
        if self.doubts or self._in_flight:
            return "；".join([*self.doubts, *([self._in_flight] if self._in_flight else [])])
        return f"已有 {self.accepted} 封被对方接收后发送失败，重发会重复"


_local = threading.local()


@contextmanager
def watch(*, platform_codes: bool = False) -> Iterator[Watch]:
    current = Watch(platform_codes=platform_codes)
    _local.watch = current
    try:
        yield current
    finally:
        _local.watch = None


def current() -> Watch | None:
    """The calling thread's watch, while `watch()` is active in it."""
    return getattr(_local, "watch", None)


_watching = current


# --- HTTP ---------------------------------------------------------------------------------------


def _before_sending(error: BaseException) -> bool:
    """A `requests` error raised before the request could leave: refused, DNS, connect timeout, TLS."""
    import requests
    from urllib3.exceptions import ConnectTimeoutError, MaxRetryError

    if isinstance(error, (requests.exceptions.ConnectTimeout, requests.exceptions.SSLError)):
        return True
    if isinstance(error, requests.exceptions.ConnectionError):
        cause = error.args[0] if error.args else None
        reason = cause.reason if isinstance(cause, MaxRetryError) else cause
        return isinstance(reason, ConnectTimeoutError)  # NewConnectionError and NameResolutionError too
    return False


def _platform_refusal(response: Any) -> tuple[str, str] | None:
    """A robot platform's refusal in a 200 answer: 企业微信's and 钉钉's `errcode`, 飞书's `code`
    (its older webhooks' `StatusCode`), anything but 0, as (the code, the reason in Chinese); None
    for an acceptance or a body that is no JSON object."""
    if response.status_code != 200:
        return None  # the plugin sees an HTTP error itself
    try:
        answer = response.json()
    except ValueError:
        return None
    if not isinstance(answer, dict):
        return None
    for code, message in (("errcode", "errmsg"), ("code", "msg"), ("StatusCode", "StatusMessage")):
        value = answer.get(code)
        if value not in (None, 0, "0"):  # any of them: {"code": 0, "StatusCode": 9499} is a refusal
            return str(value), f"对方拒收（{code}={value}：{answer.get(message) or '未说明'}）"
    return None


def watch_http() -> None:
    """Wrap `requests`' `HTTPAdapter.send` (once) so that a watched thread's requests report here."""
    from requests.adapters import HTTPAdapter

    original = HTTPAdapter.send
    if getattr(original, "wufei_watched", False):
        return

    def watched_send(self: HTTPAdapter, request: Any, *args: Any, **kwargs: Any) -> Any:
        current = _watching()
        if current is None:
            return original(self, request, *args, **kwargs)
        try:
            response = original(self, request, *args, **kwargs)
        except Exception as error:
            if not _before_sending(error):
                current.doubts.append(f"HTTP 请求已发出但未得到答复（{type(error).__name__}），对方可能已收到")
            raise
        current.answered += 1  # an answer, even 200 with an error code in its body, is a known outcome
        if current.platform_codes and (refusal := _platform_refusal(response)):
            current.refusal_codes.append(refusal[0])
            current.refusals.append(refusal[1])
        return response

    watched_send.wufei_watched = True  # type: ignore[attr-defined]
    HTTPAdapter.send = watched_send  # type: ignore[method-assign]  # observes, then does exactly what it did


# --- SMTP ---------------------------------------------------------------------------------------

_CONTENT_GONE = "SMTP 连接在邮件内容发出（DATA）后中断，服务器可能已接收"


class _WatchedSMTPMixin:
    """`data()` sends the DATA command, waits for 354, sends the content and reads the final reply:
    from the 354 on, a lost connection leaves the outcome unknown."""

    _in_data = False

    def getreply(self) -> tuple[int, bytes]:
        code, reply = super().getreply()  # type: ignore[misc]
        current = _watching()
        if current is not None and self._in_data and code == 354:
            current._in_flight = _CONTENT_GONE
        return code, reply

    def data(self, msg: Any) -> tuple[int, bytes]:
        current = _watching()
        self._in_data = True
        try:
            code, reply = super().data(msg)  # type: ignore[misc]
        finally:
            self._in_data = False
        if current is not None and current._in_flight:
            current._in_flight = None  # the server answered the content: accepted or refused, known
            current.answered += 1
            if code == 250:
                current.accepted += 1
        return code, reply


class _WatchedSMTP(_WatchedSMTPMixin, smtplib.SMTP):
    pass


class _WatchedSMTPSSL(_WatchedSMTPMixin, smtplib.SMTP_SSL):
    pass


class WatchedSmtplib:
    """Stands in for the `smtplib` module inside Apprise's email plugin: the same module, with
    `SMTP` and `SMTP_SSL` that report to the thread's `watch()`."""

    SMTP = _WatchedSMTP
    SMTP_SSL = _WatchedSMTPSSL

    def __getattr__(self, name: str) -> Any:
        return getattr(smtplib, name)

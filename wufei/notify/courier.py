"""The SMTP conversation of a run, held by a child process: a courier per kept connection.

Inside the process that builds and records the messages, `smtplib`'s conversation waited four
times per message (MAIL, RCPT, DATA, the end of data) for the interpreter's lock, which the
threads building emails (Apprise, the email package), the writer and the database driver hold in
turn: `sendmail` took 1.18 ms there against 0.68 ms in a plain loop, and the one connection was
busy 89% of the run. A courier is a child process (`python -m wufei.notify.courier`, started over
pipes, not forked: the parent has threads) that keeps the connection and talks to the server
without waiting for anyone; the parent hands it (envelope, message) and reads one answer.

The parent writes each request as soon as a sending thread has it, without waiting for the
answers to the earlier ones: the courier reads the next request while the parent is still busy
with the last answer, so the connection goes from one message to the next. The requests of a run
are at most its window (`concurrency`, wufei.notify.runs), all of them already `sending`.

What a send did is decided by wufei.notify.wire's rules, as in the parent before: the courier runs
each message under `wire.watch()` over wire's watched `SMTP`, and answers with what it saw
(`Watch.report`), which the parent adds to the sending thread's watch (`Watch.absorb`). So a
refusal is a known failure with the server's reply, a connection lost after DATA's 354 is
unknown, and a kept connection the server closed meanwhile (before the content left) is opened
again and the message sent once more, as wufei.notify.mail did itself. A courier that dies while
it holds messages (the pipe closes before their answers) leaves each of them unknown: it may have
sent them. A request that could not even be written (the courier was already gone) never left:
the parent starts a new courier and writes it there once.

A frame on the pipes is a 4-byte length and a `marshal`led tuple (strings, numbers, lists).
"""

from __future__ import annotations

import contextlib
import marshal
import os
import smtplib
import ssl
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from wufei.notify import wire

_HEADER = struct.Struct("!I")
_SOURCE = str(Path(__file__).resolve().parents[2])  # the checkout whose wufei the parent runs

# An answer: the error or None (an error: the exception type, its text), the watch's report, and
# when the courier last opened a connection (time.monotonic()).
Answer = tuple[tuple[str, str] | None, tuple[int, int, list[str], str | None], float]


class CourierGone(Exception):
    """The courier had exited before the request was written: nothing of it left the parent."""


class Courier:
    """The parent's side of one courier: requests written in order, answers read in order by
    whichever waiting thread gets to the pipe first (each takes its own)."""

    def __init__(self) -> None:
        path = os.environ.get("PYTHONPATH")
        self._process = subprocess.Popen(
            [sys.executable, "-m", "wufei.notify.courier"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": os.pathsep.join([_SOURCE, path] if path else [_SOURCE])},
        )
        assert self._process.stdin is not None and self._process.stdout is not None
        self._requests, self._answers = self._process.stdin.fileno(), self._process.stdout.fileno()
        self._writing = threading.Lock()
        self._reading = threading.Condition()
        self._written = 0  # requests written
        self._read = 0  # answers read
        self._unclaimed: dict[int, Answer] = {}  # answers read, not yet taken by their thread
        self._reader = False  # a thread is reading the pipe (outside the condition's lock)
        self.dead = False  # the pipe closed: the answers not read yet will never come

    @property
    def pid(self) -> int:
        return self._process.pid

    def send(self, request: tuple[Any, ...]) -> Answer | None:
        """Hand over one request and wait for its answer; None when the courier died holding it
        (the message may have been sent). Raises CourierGone when it could not be handed over."""
        frame = marshal.dumps(request)
        with self._writing:
            if self.dead:
                raise CourierGone
            try:
                _write(self._requests, _HEADER.pack(len(frame)) + frame)
            except OSError as error:  # a broken pipe: the courier is gone and read none of it
                self.dead = True
                raise CourierGone from error
            self._written += 1
            number = self._written
        with self._reading:
            while number not in self._unclaimed:
                if self.dead:
                    return None
                if self._reader:
                    self._reading.wait()
                    continue
                self._reader = True
                self._reading.release()
                try:
                    answer = _read_frame(self._answers)
                finally:
                    self._reading.acquire()
                    self._reader = False
                if answer is None:
                    self.dead = True
                else:
                    self._read += 1
                    self._unclaimed[self._read] = answer
                self._reading.notify_all()
            return self._unclaimed.pop(number)

    def close(self) -> None:
        """End of input: the courier quits its connection and exits (killed if it does not)."""
        with self._writing:
            self.dead = True
            with contextlib.suppress(OSError):
                assert self._process.stdin is not None
                self._process.stdin.close()
        try:
            self._process.wait(30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        assert self._process.stdout is not None
        self._process.stdout.close()


def _write(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _read_exactly(fd: int, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, left)
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _read_frame(fd: int) -> Any:
    """The next frame's value, or None at the end of the pipe (also when it ends inside a frame)."""
    header = _read_exactly(fd, _HEADER.size)
    if header is None:
        return None
    body = _read_exactly(fd, _HEADER.unpack(header)[0])
    return None if body is None else marshal.loads(body)


# --- the courier process ------------------------------------------------------------------------

# A request: how to open a connection to the server, if one must be opened (the opening service's
# settings, as wufei.notify.mail took them), the politeness pause between two connections and when
# the parent last knew one opened, and the envelope and message.
Opening = tuple[str, int, str, str, str, bool, float]  # host, port, secure mode, user, password, verify, timeout


class _Conversation:
    """The courier's kept connection and the rules of one message over it."""

    def __init__(self) -> None:
        self.connection: smtplib.SMTP | None = None
        self.opened_at = -float("inf")  # time.monotonic(), shared by every process on the machine

    def deliver(
        self, opening: Opening, pause: float, opened_at: float, sender: str, to: list[str], body: str
    ) -> Answer:
        self.opened_at = max(self.opened_at, opened_at)
        with wire.watch() as traffic:
            error: BaseException | None = None
            reused = self.connection is not None
            try:
                self._sendmail(opening, pause, sender, to, body)
            except (OSError, smtplib.SMTPException, RuntimeError) as first:
                content_left = traffic.in_flight or traffic.answered
                error = first
                if reused and not content_left and _stale(first):  # closed by the server while idle: anew, once
                    try:
                        self._sendmail(opening, pause, sender, to, body)
                        error = None
                    except (OSError, smtplib.SMTPException, RuntimeError) as again:
                        error = again
            except Exception as unexpected:  # as the plugin raising: a failed attempt, the watch decides
                error = unexpected
            failure = None if error is None else (type(error).__name__, str(error))
            return failure, traffic.report(), self.opened_at

    def _sendmail(self, opening: Opening, pause: float, sender: str, to: list[str], body: str) -> None:
        if self.connection is None:
            wait = pause - (time.monotonic() - self.opened_at)
            if wait > 0:  # the politeness pause between two connections to a server
                time.sleep(wait)
            self.opened_at = time.monotonic()
            self.connection = _open(opening)
        try:
            self.connection.sendmail(sender, to, body)
        except BaseException:  # any failure drops the connection: the next message opens a new one
            connection, self.connection = self.connection, None
            with contextlib.suppress(OSError, smtplib.SMTPException):
                connection.close()
            raise

    def quit(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self.connection.quit()
            self.connection = None


def _open(opening: Opening) -> smtplib.SMTP:
    """A connection as Apprise's email plugin opens one: SSL or STARTTLS per the URL, the login."""
    host, port, secure_mode, user, password, verify, timeout = opening
    context = ssl.create_default_context()
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    connection: smtplib.SMTP
    if secure_mode == "ssl":
        connection = wire.WatchedSmtplib.SMTP_SSL(host, port, None, timeout=timeout, context=context)
    else:
        connection = wire.WatchedSmtplib.SMTP(host, port, None, timeout=timeout)
    try:
        if secure_mode == "starttls":
            connection.starttls(context=context)
        if user and password:
            connection.login(user, password)
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


def main() -> None:
    """Serve requests from stdin until it closes, answering each on stdout; then quit."""
    requests, answers = sys.stdin.fileno(), os.dup(sys.stdout.fileno())
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # anything printed goes to stderr, not into the answers
    conversation = _Conversation()
    try:
        while (request := _read_frame(requests)) is not None:
            answer = marshal.dumps(conversation.deliver(*request))
            _write(answers, _HEADER.pack(len(answer)) + answer)
    except BrokenPipeError:  # the parent is gone
        pass
    finally:
        conversation.quit()


if __name__ == "__main__":
    main()

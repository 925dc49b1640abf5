"""The single writer of a delivery run: the sending threads hand it their steps, it applies them
on its own session and commits them together, one transaction per batch.

With every sending thread writing its own rows, threads queued for SQLite's one write lock (half
the wall time of 10,000 digests) and each step paid a commit of its own. Here a thread never
touches the database: it asks the recorder for what must be durable before a message leaves (the
lease renewed and its `sending` row: `call`, which returns once that batch is committed) and hands
over what is only recorded after it (the answer, the dispatch's outcome: `post`, committed with
a later batch, at the latest when the run ends). A batch is whatever the threads handed over
while the previous one was being written, up to BATCH steps; one that holds only outcomes waits
up to LINGER for more. The guarantees are the service's (wufei.notify.service): a `sending` row is
committed before its message leaves, so a run that dies between a send and its record leaves it
`sending`, which the next run marks `unknown` and never sends again; the outcome is written only
under the attempt's lease (the fence).

A step that fails rolls its whole batch back: the threads waiting on it get the error, and the
recorder refuses every later step (`RecorderFailed`), so nothing more is sent; outcomes of that
batch are lost, which leaves their messages `sending`, hence `unknown`, never sent twice.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from wufei.db import make_sessionmaker

BATCH = 500  # steps in one transaction at most
LINGER = 0.02  # seconds a batch of outcomes only waits for more before it is written

Step = Callable[[Session], Any]
_STOP = object()


class RecorderFailed(RuntimeError):
    """A batch could not be written; the run stops sending."""


class Recorder:
    """`with Recorder(engine) as recorder:` starts the writer thread; leaving writes what is
    left and stops it (and raises the first failure, if the body did not raise)."""

    def __init__(self, engine: Engine):
        self._engine = engine
        self._queue: queue.Queue[Any] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="wufei-notify-recorder", daemon=True)
        self._failure: BaseException | None = None

    def __enter__(self) -> Recorder:
        self._thread.start()
        return self

    def __exit__(self, kind, error, traceback) -> None:
        self._queue.put(_STOP)
        self._thread.join()
        if error is None and self._failure is not None:
            raise RecorderFailed(f"发送记录写入数据库失败，已停止发送：{self._failure}") from self._failure

    def call(self, step: Step) -> Any:
        """Apply `step` and return its result once it is committed (before a message leaves)."""
        return self._submit(step, urgent=True).result()

    def post(self, step: Step) -> Future:
        """Apply `step` with a later batch; the future holds its result once committed."""
        return self._submit(step, urgent=False)

    def _submit(self, step: Step, *, urgent: bool) -> Future:
        future: Future = Future()
        if self._failure is not None:
            future.set_exception(RecorderFailed(f"发送记录写入数据库失败，已停止发送：{self._failure}"))
        else:
            self._queue.put((step, future, urgent))
        return future

    def _run(self) -> None:
        with make_sessionmaker(self._engine)() as session:
            stopping = False
            while not stopping:
                batch, stopping = self._next_batch()
                if batch:
                    self._write(session, batch)

    def _next_batch(self) -> tuple[list[tuple[Step, Future, bool]], bool]:
        first = self._queue.get()
        if first is _STOP:
            return [], True
        batch, urgent = [first], first[2]
        deadline = time.monotonic() + LINGER
        while len(batch) < BATCH:
            try:
                item = self._queue.get_nowait() if urgent else self._queue.get(timeout=deadline - time.monotonic())
            except (queue.Empty, ValueError):  # ValueError: the deadline passed (a negative timeout)
                break
            if item is _STOP:
                return batch, True
            batch.append(item)
            urgent = urgent or item[2]
        return batch, False

    def _write(self, session: Session, batch: list[tuple[Step, Future, bool]]) -> None:
        if self._failure is not None:
            for _, future, _ in batch:
                future.set_exception(RecorderFailed(f"发送记录写入数据库失败，已停止发送：{self._failure}"))
            return
        try:
            results = [step(session) for step, _, _ in batch]
            session.commit()
        except BaseException as error:
            session.rollback()
            self._failure = error
            for _, future, _ in batch:
                future.set_exception(error)
            return
        for (_, future, _), result in zip(batch, results, strict=True):
            future.set_result(result)

"""The single writer of a delivery run: the sending threads hand it their steps, it applies them
on its own session, batch by batch.

With every sending thread writing its own rows, threads queued for SQLite's one write lock (half
the wall time of 10,000 digests) and each step paid a commit of its own. Here a thread never
touches the database: it asks the recorder for what must be durable before a message leaves (the
lease renewed and its `sending` row: `call`, which returns once that is committed) and hands
over what is only recorded after it (the answers and the dispatch's outcome: `post`, committed
with a later batch, at the latest when the run ends). A batch is whatever the threads handed over
while the previous one was being written, up to BATCH items; one that holds only outcomes waits
up to LINGER for more. Outcomes are held back while threads are waiting: the writer writes the
waiting threads' steps first and the outcomes once nobody waits (LINGER without a step), once
BATCH of them are held, or after HOLD, so that on PostgreSQL a thread's `sending` row does not
queue behind a round trip for outcomes (that halved the SMTP connection's idle time between
messages). A run that dies meanwhile leaves those messages `sending`, hence `unknown`: never sent
twice, at most HOLD's worth of them for the office to check.

A step is a function applied to all of a batch's items of its kind at once (`apply(session,
items) -> results`, set-based: a few statements for the batch, not a few per item), the kinds in
the order the recorder was given them (a run's: open, start, close), so that one writer keeps up
with many sending threads on PostgreSQL too, where each statement is a round trip.

The writer holds one connection while steps keep coming and runs its batches' transactions on the
driver's connection, not through a Session (whose transaction begun and committed, its connection
taken from the pool and given back, cost as much CPU as a batch's statements on SQLite): the steps'
usual statements go to the driver (`wufei.db.HELD_DRIVER`; sqlite3 and psycopg keep their prepared
statements per connection), their rarer ones through the session bound to the same connection.
SQLite: a batch is one transaction, BEGIN IMMEDIATE … COMMIT. PostgreSQL: the session is in
autocommit, so a statement is its own transaction and costs one round trip instead of three (BEGIN,
the statement, COMMIT; psycopg waits for each); the service writes a run's usual steps as one
statement each (wufei.notify.service: `_hold_and_start`, `_finish_and_close`) and wraps the others'
statements in a transaction of their own (`atomic`). A step's threads go on as soon as its
statement returns, while the batch's later steps are written. The writer gives its connection back
to the pool after IDLE without a step: the pool checks a connection when it is taken (a round
trip), so a writer that waited out a database restart reconnects, and a busy one does not pay that
check per batch.

The guarantees are the service's (wufei.notify.service): a `sending` row is committed before its
message leaves, so a run that dies between a send and its record leaves it `sending`, which the
next run marks `unknown` and never sends again; the outcome is written only under the attempt's
lease (the fence).

A step that fails is rolled back (with the rest of its batch on SQLite): the threads waiting on
it get the error, and the recorder refuses every later step (`RecorderFailed`), so nothing more
is sent; outcomes not written are lost, which leaves their messages `sending`, hence `unknown`,
never sent twice.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Any

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from wufei.db import HELD_DRIVER, make_sessionmaker

BATCH = 500  # items in one transaction at most
LINGER = 0.02  # seconds a batch of outcomes only waits for more before it is written
HOLD = 0.1  # seconds outcomes wait at most while threads' steps keep the writer busy
IDLE = 0.1  # seconds without a step after which the writer gives its connection back (PostgreSQL)

Step = Callable[[Session, list[Any]], Sequence[Any]]  # applied to a batch's items of its kind: a result each
_STOP = object()


class RecorderFailed(RuntimeError):
    """A batch could not be written; the run stops sending."""


class Recorder:
    """`with Recorder(engine, steps) as recorder:` starts the writer thread; leaving writes what is
    left and stops it (and raises the first failure, if the body did not raise). `steps`: the kinds
    of step, in the order a batch applies them."""

    def __init__(self, engine: Engine, steps: Sequence[Step]):
        self._engine = engine
        self._steps = list(steps)
        self._queue: queue.Queue[Any] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="wufei-notify-recorder", daemon=True)
        self._failure: BaseException | None = None
        self._link: tuple[Connection, Session] | None = None  # the writer's connection and session (`_connect`)
        # PostgreSQL: each statement its own transaction (one round trip, not BEGIN, statement,
        # COMMIT); a step writing several statements together makes them one (service.atomic).
        self._autocommit = engine.dialect.name == "postgresql"

    def __enter__(self) -> Recorder:
        self._thread.start()
        return self

    def __exit__(self, kind, error, traceback) -> None:
        self._queue.put(_STOP)
        self._thread.join()
        if error is None and self._failure is not None:
            raise RecorderFailed(f"发送记录写入数据库失败，已停止发送：{self._failure}") from self._failure

    def call(self, step: Step, item: Any) -> Any:
        """Apply `step` to `item` and return its result once it is committed (before a message leaves)."""
        return self._submit(step, item, urgent=True).result()

    def call_all(self, step: Step, items: Sequence[Any]) -> list[Any]:
        """`call` for several items at once: handed over together, they are written in one batch."""
        futures = [self._submit(step, item, urgent=True) for item in items]
        return [future.result() for future in futures]

    def post(self, step: Step, item: Any) -> Future:
        """Apply `step` to `item` with a later batch; the future holds its result once committed."""
        return self._submit(step, item, urgent=False)

    def _submit(self, step: Step, item: Any, *, urgent: bool) -> Future:
        if step not in self._steps:
            raise ValueError(f"unknown recorder step {step!r}")
        future: Future = Future()
        if self._failure is not None:
            future.set_exception(RecorderFailed(f"发送记录写入数据库失败，已停止发送：{self._failure}"))
        else:
            self._queue.put((step, item, future, urgent))
        return future

    def _run(self) -> None:
        held: list[tuple[Step, Any, Future, bool]] = []  # outcomes, written after the waiting threads' steps
        since = 0.0  # when the oldest of them was handed over
        stopping = False
        try:
            while not stopping:
                batch, stopping = self._next_batch(holding=bool(held))
                urgent = [item for item in batch if item[3]]
                if not held:
                    since = time.monotonic()
                held += [item for item in batch if not item[3]]
                if urgent:
                    self._write(urgent)
                if held and (stopping or not urgent or len(held) >= BATCH or time.monotonic() - since >= HOLD):
                    self._write(held)
                    held = []
        finally:
            self._disconnect()

    def _next_batch(self, *, holding: bool) -> tuple[list[tuple[Step, Any, Future, bool]], bool]:
        try:  # with outcomes held, a quiet LINGER is the time to write them
            first = self._queue.get(timeout=LINGER if holding else IDLE)
        except queue.Empty:
            if holding:
                return [], False
            self._disconnect()  # idle: the connection goes back to the pool, checked (pinged) when taken again
            first = self._queue.get()
        if first is _STOP:
            return [], True
        batch, urgent = [first], first[3]
        deadline = time.monotonic() + LINGER
        while len(batch) < BATCH:
            try:
                item = self._queue.get_nowait() if urgent else self._queue.get(timeout=deadline - time.monotonic())
            except (queue.Empty, ValueError):  # ValueError: the deadline passed (a negative timeout)
                break
            if item is _STOP:
                return batch, True
            batch.append(item)
            urgent = urgent or item[3]
        return batch, False

    def _connect(self) -> Session:
        """The writer's session on a connection it holds until it idles: the steps' usual statements
        go to the driver's connection (`HELD_DRIVER`), their rarer ones through the session."""
        if self._link is None:
            engine = self._engine.execution_options(isolation_level="AUTOCOMMIT") if self._autocommit else self._engine
            connection = engine.connect()
            session = make_sessionmaker(self._engine)(bind=connection)
            session.info[HELD_DRIVER] = (connection.connection.driver_connection, self._autocommit)
            self._link = (connection, session)
        return self._link[1]

    def _disconnect(self) -> None:
        if self._link is not None:
            connection, session = self._link
            session.close()
            connection.close()
            self._link = None

    def _write(self, batch: list[tuple[Step, Any, Future, bool]]) -> None:
        if self._failure is not None:
            for _, _, future, _ in batch:
                future.set_exception(RecorderFailed(f"发送记录写入数据库失败，已停止发送：{self._failure}"))
            return
        done: list[tuple[Future, Any]] = []
        session = self._connect()
        driver, _ = session.info[HELD_DRIVER]
        try:
            if not self._autocommit:  # SQLite: the batch's write lock taken at once, not at its first write
                driver.execute("BEGIN IMMEDIATE")
            for step in self._steps:
                mine = [(item, future) for kind, item, future, _ in batch if kind is step]
                if mine:
                    results = step(session, [item for item, _ in mine])
                    done.extend((future, result) for (_, future), result in zip(mine, results, strict=True))
                    if self._autocommit:  # written: the threads waiting for it may go on
                        for future, result in done:
                            future.set_result(result)
                        done.clear()
            if session.in_transaction():  # a step's statements through the session (and the driver's with them)
                session.commit()
            elif not self._autocommit:
                driver.commit()
        except BaseException as error:
            session.rollback()
            if not self._autocommit and driver.in_transaction:
                driver.rollback()
            self._failure = error
            for _, _, future, _ in batch:
                if not future.done():
                    future.set_exception(error)
            return
        for future, result in done:
            future.set_result(result)

"""Delivery runs over an engine: what the `deliver-notices` flow, `wufei notices deliver|retry`,
the demo and the benchmark call. They own the transactions (wufei.notify.service never commits):
every claim, and every `sending` row written before a network call, is committed before the
message leaves, so a run that dies leaves a record of exactly how far it got (see
wufei/notify/service.py).

Claims are made first, in one transaction, by the calling thread. Then the calling thread opens
the attempts ahead of the senders: it asks the one writer (wufei.notify.recorder) for the leases
and the `sending` rows of the next attempts, a few in one batch, and once they are committed builds
each one's first email (wufei.notify.mime, or Apprise) and queues it; `concurrency` threads take them from the
queue and send (sending is network-bound), handing the answers and outcomes to the writer, which
commits them with a later batch. At most `concurrency` attempts are open and unanswered at any
time (the window): that is how many messages a run that dies can leave `sending`, hence
`unknown`, besides the answers the writer holds back (at most HOLD's worth, wufei.notify.recorder).
Email to one server goes over one connection for the run, held by a courier process
(wufei.notify.mail, wufei.notify.courier) and closed at the end: while it carries one message, the
next ones are committed, built and handed to it, so it goes from one to the next without waiting
for the database or for this interpreter's work of building them.
"""

from __future__ import annotations

import dataclasses
import heapq
import itertools
import queue
import threading
import time
from concurrent.futures import Future
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from wufei.cadence.config import CadenceConfig
from wufei.calendar.service import load_calendar
from wufei.db import make_sessionmaker
from wufei.notify import service
from wufei.notify.channels import ROBOT_RATES, Channels, Draft, ServiceResult
from wufei.notify.recorder import Recorder

READ_AHEAD = 200  # claims read at once for the sending threads
PACE_SLACK = 60.0  # seconds of its lease a robot's send put aside leaves unused (the lease renewed before it)
PACED_OUT = "机器人每分钟限发条数已排满本次发送时限，本条未发送，留待下次发送"


def load_channels(engine: Engine) -> Channels:
    """The Apprise configuration plus the services of the imported contacts."""
    from wufei.contacts.service import contact_aliases, contact_services

    with make_sessionmaker(engine)() as session:
        extra, aliases = contact_services(session), contact_aliases(session)
    return Channels.load(extra=extra, aliases=aliases)


def deliver_day(
    engine: Engine,
    day: date,
    *,
    cadence: CadenceConfig,
    channels: Channels | None = None,
    now: datetime | None = None,
    concurrency: int = 1,
    holder: str | None = None,
    jurisdiction: str | None = None,
) -> dict[str, Any]:
    """Claim the digests of `day` (unresolved intents created on or before it; those in
    `jurisdiction`'s scope only, when given: service.intent_scope) and send them. `holder`: the
    flow run claiming them (see release_claims).

    `now` fixes the clock (tests, replays); by default every step reads the clock when it runs,
    so a lease taken late in a slow run is a fresh one (see service.attempt)."""
    channels = channels or load_channels(engine)
    with make_sessionmaker(engine)() as session:
        claims = service.claim_digests(session, day=day, now=now, holder=holder, jurisdiction=jurisdiction)
        session.commit()
    summary = service.new_summary(
        day=day.isoformat(), digests=claims["digests"], claimed=len(claims["claimed"]), skipped=claims["skipped"]
    )
    outcomes = _send_all(
        engine,
        claims["claimed"],
        channels=channels,
        zone=cadence.timezone,
        now=now,
        concurrency=concurrency,
        lease=claims["lease"],
    )
    for outcome in outcomes:
        if outcome is not None:  # always: the run's own claims are never "taken by another retrier"
            service.tally(summary, outcome)
    return summary


def retry_due(
    engine: Engine,
    *,
    cadence: CadenceConfig,
    channels: Channels | None = None,
    now: datetime | None = None,
    ignore_backoff: bool = False,
    dispatch_ids: list[int] | None = None,
    concurrency: int = 1,
    holder: str | None = None,
    jurisdiction: str | None = None,
) -> dict[str, Any]:
    """Send the failed dispatches that are due again, and the claims whose run died (those
    carrying an intent in `jurisdiction`'s scope only, when given)."""
    channels = channels or load_channels(engine)
    with make_sessionmaker(engine)() as session:
        due = service.due_dispatches(
            session, now=now, ignore_backoff=ignore_backoff, dispatch_ids=dispatch_ids, jurisdiction=jurisdiction
        )
    summary = service.new_summary(due=0)
    outcomes = _send_all(
        engine,
        due,
        channels=channels,
        zone=cadence.timezone,
        now=now,
        concurrency=concurrency,
        ignore_backoff=ignore_backoff,
        holder=holder,
    )
    for outcome in outcomes:
        if outcome is not None:  # None: another retrier has it
            summary["due"] += 1
            service.tally(summary, outcome)
    return summary


def _send_all(
    engine: Engine,
    dispatch_ids: list[int],
    *,
    channels: Channels,
    zone: tzinfo,
    now: datetime | None,
    concurrency: int,
    lease: datetime | None = None,
    ignore_backoff: bool = False,
    holder: str | None = None,
) -> list[tuple[str, int] | None]:
    """Send each dispatch (held under `lease`, or taken now as a retry) on `concurrency` threads,
    the recorder writing for them; each one's (status, messages), or None when it was not taken.

    The calling thread opens the attempts (their `sending` rows committed) in groups of half the
    window as soon as that many of the open ones are answered (a batch of one per message cost
    the writer a third more CPU; groups of three of four cut it by a fifth, but the one message
    left in flight did not cover the group's commit and the runs were slower, as they were when
    a group also took the places already free), builds their first emails and queues them for
    the senders."""

    _count_robot_sends(engine, channels, now=now)
    known: dict[int, service.HeldReads] = {}  # the claims' reads, read ahead (lease given)
    position = {dispatch_id: index for index, dispatch_id in enumerate(dispatch_ids)} if lease is not None else {}

    def opening(session: Session, openings: list[service.Opening]) -> list[service.Attempt | None]:
        unread = [o.dispatch_id for o in openings if o.dispatch_id in position and o.dispatch_id not in known]
        if unread:  # this claim and the next ones, in the order the threads take them
            start = min(position[dispatch_id] for dispatch_id in unread)
            known.update(service.read_held(session, sorted({*dispatch_ids[start : start + READ_AHEAD], *unread})))
        ours = {o.dispatch_id: known.pop(o.dispatch_id) for o in openings if o.dispatch_id in known}
        return service.open_attempts(session, openings, channels=channels, zone=zone, now=now, known=ours)

    def starting(session: Session, starts: list[tuple[service.Attempt, str]]) -> list[bool]:
        return service.start_sends(session, starts, now=now)

    def closing(session: Session, attempts: list[service.Attempt]) -> list[tuple[str, int]]:
        return service.close_attempts(session, attempts, zone=zone, now=now)

    outcomes: list[Future | None] = [None] * len(dispatch_ids)
    ready: queue.Queue[tuple[int, service.Attempt, Draft | None] | None] = queue.Queue()  # and the email built
    unanswered = threading.Semaphore(concurrency)  # opened attempts whose service has not answered yet
    failures: list[BaseException] = []
    # Robot sends waiting for their moment (time.monotonic): (moment, order, attempt's index, attempt,
    # its target's number, when it was put aside), for the robot thread; `sending` ends it.
    paced: list[tuple[float, int, int, service.Attempt, int, float]] = []
    pacing = threading.Condition()
    order = itertools.count()
    sending = [True]

    def open_ahead() -> None:
        """Open the attempts in groups of half the window (one batch for the writer) as soon as that
        many of the opened ones have been answered, so the senders find the next ones committed."""
        group = max(1, concurrency // 2)
        for start in range(0, len(dispatch_ids), group):
            chunk = range(start, min(start + group, len(dispatch_ids)))
            for _ in chunk:
                unanswered.acquire()
            if failures:
                return
            openings = [
                service.Opening(dispatch_ids[index], lease, ignore_backoff=ignore_backoff, holder=holder)
                for index in chunk
            ]
            for index, started in zip(chunk, recorder.call_all(opening, openings), strict=True):
                if started is None:  # a retry another retrier took, or a claim whose lease ran out
                    unanswered.release()
                    outcomes[index] = _done(None if lease is None else (service.LOST, 0))
                else:  # its first email built now, while the senders send the ones opened before
                    ready.put((index, started, _draft(channels, started)))

    def send(
        index: int, started: service.Attempt, draft: Draft | None, first: int = 0, aside: float | None = None
    ) -> bool:
        """Send the attempt's services from number `first` on, then hand its outcome to the writer
        (`outcomes[index]`); False when a group robot's send must wait for its moment: the attempt is
        put aside for the robot thread (`paced`), which goes on from there (`aside`: since when, the
        moment of `first` reserved and come)."""
        for number in range(first, len(started.targets)):
            target, name = started.targets[number]
            result = None
            if number != first or aside is None:
                moment = channels.reserve(target, within=_budget(started, now))
                if moment is None:  # the robot's turn would come after the lease: the next run sends it
                    result = ServiceResult(name, False, PACED_OUT, 0)
                elif moment > time.monotonic():
                    with pacing:
                        heapq.heappush(paced, (moment, next(order), index, started, number, time.monotonic()))
                        pacing.notify()
                    return False
            if number and not recorder.call(starting, (started, name)):
                outcomes[index] = _done((service.LOST, started.messages))  # another run has it: it sends the rest
                return True
            if result is None:
                result = channels.send_to(
                    target,
                    name,
                    started.subject,
                    started.body,
                    attachments=started.attachments,
                    draft=None if number else draft,
                    reserved=True,
                )
                if number == 0 and aside is not None:  # its `sending` row was written when it was opened
                    result = dataclasses.replace(
                        result, duration_ms=result.duration_ms + int((time.monotonic() - aside) * 1000)
                    )
            started.answered(result)
        outcomes[index] = recorder.post(closing, started)  # with the answers
        return True

    def sender() -> None:
        while (item := ready.get()) is not None:
            index, started, draft = item
            try:
                send(index, started, draft)
            except BaseException as error:  # the recorder failed: it refuses every later step
                failures.append(error)
                outcomes[index] = _done(None)
            finally:
                unanswered.release()  # answered, or put aside for its robot: the window moves on

    def pace_robots() -> None:
        """Send the robots' messages put aside, each at its moment, one after another (a robot takes
        one every few seconds at most), while the senders go on with the others."""
        while True:
            with pacing:
                while not paced and sending[0]:
                    pacing.wait()
                if not paced:
                    return
                delay = paced[0][0] - time.monotonic()
                if delay > 0:
                    pacing.wait(delay)  # or until an earlier one is put aside
                    continue
                _, _, index, started, number, aside = heapq.heappop(paced)
            try:
                send(index, started, None, number, aside)
            except BaseException as error:
                failures.append(error)
                outcomes[index] = _done(None)

    try:
        with Recorder(engine, (opening, starting, closing)) as recorder:
            senders = [
                threading.Thread(target=sender, name=f"wufei-notify-{number}", daemon=True)
                for number in range(max(1, concurrency))
            ]
            robots = threading.Thread(target=pace_robots, name="wufei-notify-robots", daemon=True)
            for thread in [*senders, robots]:
                thread.start()
            try:
                open_ahead()
            except BaseException as error:
                failures.append(error)
            finally:
                for _ in senders:
                    ready.put(None)
                for thread in senders:
                    thread.join()
                with pacing:
                    sending[0] = False
                    pacing.notify()
                robots.join()
            if failures:
                raise failures[0]
    finally:
        channels.close()  # the run's SMTP connections
    return [future.result() if future is not None else None for future in outcomes]


def _count_robot_sends(engine: Engine, channels: Channels, *, now: datetime | None) -> None:
    """What earlier runs sent the run's group robots within their longest window, for its pacer:
    once for the channels (a retry and the day's delivery on the same channels: the retry's sends
    are in the pacer already)."""
    robots = channels.robots()
    if not robots or channels.pacer.counted:
        return
    channels.pacer.counted = True
    within = timedelta(seconds=max(rate.seconds for rates in ROBOT_RATES.values() for rate in rates))
    with make_sessionmaker(engine)() as session:
        recent = service.recent_sends(session, list(robots), within=within, now=now)
    for name, ages in recent.items():
        for key in set(robots[name]):
            channels.pacer.seen(key, ages)


def _budget(started: service.Attempt, now: datetime | None) -> float:
    """How long a robot's send of the attempt may wait for its moment: until a minute before the
    attempt's lease runs out (renewed before each service is called; a later send would find the
    dispatch taken by the next run)."""
    return (started.lease - service.clock(now)).total_seconds() - PACE_SLACK


def _draft(channels: Channels, started: service.Attempt) -> Draft | None:
    """The attempt's first message, built by the thread opening attempts while the senders send."""
    if not started.targets:
        return None
    target, _ = started.targets[0]
    return channels.draft(target, started.subject, started.body, attachments=started.attachments)


def _done(outcome: tuple[str, int] | None) -> Future:
    future: Future = Future()
    future.set_result(outcome)
    return future


def resend(
    engine: Engine,
    dispatch_id: int,
    *,
    cadence: CadenceConfig,
    channels: Channels | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    channels = channels or load_channels(engine)
    _count_robot_sends(engine, channels, now=now)
    with make_sessionmaker(engine)() as session:
        try:
            summary = service.resend(
                session, dispatch_id, channels=channels, zone=cadence.timezone, now=now, checkpoint=session.commit
            )
        finally:
            channels.close()
        session.commit()
    return summary


def confirm(engine: Engine, dispatch_id: int, *, note: str | None = None) -> list[str]:
    """The office confirms that a dispatch whose outcome was unknown arrived (see service.confirm)."""
    with make_sessionmaker(engine)() as session:
        confirmed = service.confirm(session, dispatch_id, note=note)
        session.commit()
    return confirmed


def release_claims(engine: Engine, holder: str, *, now: datetime | None = None) -> int:
    """The claims a dead attempt of run `holder` left, due now (service.release); committed."""
    with make_sessionmaker(engine)() as session:
        released = service.release(session, holder, now=now)
        session.commit()
    return released


def scheduled_delivery(
    engine: Engine,
    day: date,
    *,
    cadence: CadenceConfig,
    now: datetime | None = None,
    concurrency: int = 4,
    holder: str | None = None,
    jurisdiction: str | None = None,
) -> dict[str, Any]:
    """The flow's run: retries first (they are older), then, on a working day, the day's digests.

    Digests go out on working days only, like the scan that makes them; an intent created on a
    weekend (an extension decided, a bulletin) waits for Monday's digest. Retries run every day.

    `holder` (the flow run's id): first, the claims an earlier attempt of the same run left when
    it died are released, so that the retries below send them now (a retried run after a crash).
    `jurisdiction` (a city, its counties folded in) scopes both to its intents (service.intent_scope),
    so a nation's delivery fans out per city; the office's and the group's own notices, tied to no
    task and no department, go out only with an unscoped run."""
    released = release_claims(engine, holder, now=now) if holder else 0
    channels = load_channels(engine)
    result: dict[str, Any] = {
        "day": day.isoformat(),
        **({"jurisdiction": jurisdiction} if jurisdiction else {}),
        "released": released,
        "retry": retry_due(
            engine,
            cadence=cadence,
            channels=channels,
            now=now,
            concurrency=concurrency,
            holder=holder,
            jurisdiction=jurisdiction,
        ),
    }
    with make_sessionmaker(engine)() as session:
        workday = load_calendar(session).is_workday(day)
    if workday:
        result["deliver"] = deliver_day(
            engine,
            day,
            cadence=cadence,
            channels=channels,
            now=now,
            concurrency=concurrency,
            holder=holder,
            jurisdiction=jurisdiction,
        )
    else:
        result["skipped"] = "非工作日"
    return result

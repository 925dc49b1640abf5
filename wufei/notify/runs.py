"""Delivery runs over an engine: what the `deliver-notices` flow, `wufei notices deliver|retry`,
the demo and the benchmark call. They own the transactions (wufei.notify.service never commits):
every claim, and every `sending` row written before a network call, is committed at once, so a
run that dies leaves a record of exactly how far it got (see wufei/notify/service.py).

`concurrency` > 1 sends that many dispatches at a time, each on a session of its own (threads:
sending is network-bound). Claims are made first, in one transaction, by the calling thread.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from typing import Any

from sqlalchemy.engine import Engine

from wufei.cadence.config import CadenceConfig
from wufei.calendar.service import load_calendar
from wufei.db import make_sessionmaker
from wufei.notify import service
from wufei.notify.channels import Channels


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
) -> dict[str, Any]:
    """Claim the digests of `day` (unresolved intents created on or before it) and send them.

    `now` fixes the clock (tests, replays); by default every step reads the clock when it runs,
    so a lease taken late in a slow run is a fresh one (see service.attempt)."""
    channels = channels or load_channels(engine)
    with make_sessionmaker(engine)() as session:
        claims = service.claim_digests(session, day=day, now=now)
        session.commit()
    summary = service.new_summary(
        day=day.isoformat(), digests=claims["digests"], claimed=len(claims["claimed"]), skipped=claims["skipped"]
    )

    def send(dispatch_id: int) -> tuple[str, int]:
        with make_sessionmaker(engine)() as session:
            outcome = service.attempt(
                session,
                dispatch_id,
                channels=channels,
                zone=cadence.timezone,
                now=now,
                lease=claims["lease"],
                checkpoint=session.commit,
            )
            session.commit()
            return outcome

    try:
        for outcome in _map(send, claims["claimed"], concurrency):
            service.tally(summary, outcome)
    finally:
        channels.close()  # the run's SMTP connections
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
) -> dict[str, Any]:
    """Send the failed dispatches that are due again, and the claims whose run died."""
    channels = channels or load_channels(engine)
    with make_sessionmaker(engine)() as session:
        due = service.due_dispatches(session, now=now, ignore_backoff=ignore_backoff, dispatch_ids=dispatch_ids)
    summary = service.new_summary(due=0)

    def send(dispatch_id: int) -> tuple[str, int] | None:
        with make_sessionmaker(engine)() as session:
            lease = service.take(session, dispatch_id, now=now, ignore_backoff=ignore_backoff)
            if lease is None:
                session.rollback()
                return None  # another retrier has it
            session.commit()
            outcome = service.attempt(
                session,
                dispatch_id,
                channels=channels,
                zone=cadence.timezone,
                now=now,
                lease=lease,
                checkpoint=session.commit,
            )
            session.commit()
            return outcome

    try:
        for outcome in _map(send, due, concurrency):
            if outcome is not None:
                summary["due"] += 1
                service.tally(summary, outcome)
    finally:
        channels.close()
    return summary


def resend(
    engine: Engine,
    dispatch_id: int,
    *,
    cadence: CadenceConfig,
    channels: Channels | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    channels = channels or load_channels(engine)
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


def scheduled_delivery(
    engine: Engine, day: date, *, cadence: CadenceConfig, now: datetime | None = None, concurrency: int = 4
) -> dict[str, Any]:
    """The flow's run: retries first (they are older), then, on a working day, the day's digests.

    Digests go out on working days only, like the scan that makes them; an intent created on a
    weekend (an extension decided, a bulletin) waits for Monday's digest. Retries run every day."""
    channels = load_channels(engine)
    result: dict[str, Any] = {
        "day": day.isoformat(),
        "retry": retry_due(engine, cadence=cadence, channels=channels, now=now, concurrency=concurrency),
    }
    with make_sessionmaker(engine)() as session:
        workday = load_calendar(session).is_workday(day)
    if workday:
        result["deliver"] = deliver_day(
            engine, day, cadence=cadence, channels=channels, now=now, concurrency=concurrency
        )
    else:
        result["skipped"] = "非工作日"
    return result


def _map(function, items: list[int], concurrency: int) -> list[Any]:
    if concurrency <= 1 or len(items) <= 1:
        return [function(item) for item in items]
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="wufei-notify") as pool:
        return list(pool.map(function, items))

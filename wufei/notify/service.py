"""Deliver the day's digests: claim, send, record; retry failures with backoff.

Exactly-once per digest: a dispatch is claimed with `INSERT … ON CONFLICT (key) DO NOTHING
RETURNING id` on its key `digest|{day}|{audience}|dept:{id}|{tag}`; only the caller that got an id
back sends it, so running `deliver` twice (or twice at once) sends each digest once. A retry takes
a dispatch by a conditional UPDATE (a lease on next_attempt_at), so two retriers do not both send.

Each service's answer is a `Delivery` row. A dispatch is `sent` only when every matching service
accepted it; otherwise it is `failed`, attempts + 1, next_attempt_at pushed back (BACKOFF), and a
retry sends only to the services that have not accepted it yet (no duplicates to the others).
After MAX_ATTEMPTS it is `permanent` and a `delivery_failed` intent is raised for the office.

Services take a Session and never commit. Messages leave the machine before the caller commits:
the caller should commit after each call (a crash between sending and committing re-sends once).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from wufei.db import utcnow
from wufei.departments.models import Department
from wufei.notices.models import NoticeIntent
from wufei.notices.service import create_intents
from wufei.notify.channels import Channels
from wufei.notify.digest import Digest, build_digests
from wufei.notify.models import Delivery, Dispatch, DispatchStatus

MAX_ATTEMPTS = 5
BACKOFF = (timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1), timedelta(hours=4))
LEASE = timedelta(minutes=10)  # a claimed dispatch nobody finished is retried after this
LOOKBACK = timedelta(days=31)  # intents older than this are no longer delivered
NO_SERVICE = "（无匹配渠道）"


def backoff(attempts: int) -> timedelta:
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


def pending_digests(session: Session, *, day: date) -> list[Digest]:
    """The digests `deliver` would claim for `day` (unresolved intents not in any dispatch)."""
    since = day - LOOKBACK
    intents = list(session.scalars(
        select(NoticeIntent).where(NoticeIntent.resolved_on.is_(None), NoticeIntent.created_on <= day,
                                   NoticeIntent.created_on >= since)
        .order_by(NoticeIntent.id)))
    if not intents:
        return []
    delivered: set[int] = set()
    for ids in session.scalars(select(Dispatch.intent_ids).where(Dispatch.day >= since)):
        delivered.update(ids)
    department_ids = sorted({i.department_id for i in intents if i.department_id is not None})
    names = dict(session.execute(select(Department.id, Department.name)
                                 .where(Department.id.in_(department_ids))).tuples().all()) if department_ids else {}
    return build_digests(intents, day=day, department_names=names, delivered=delivered)


def deliver(session: Session, *, day: date, channels: Channels, now: datetime | None = None) -> dict[str, Any]:
    """Claim and send the day's digests; returns counts (claimed, skipped, sent, failed, permanent)."""
    now = now or utcnow()
    summary = {"day": day.isoformat(), "digests": 0, "claimed": 0, "skipped": 0,
               "sent": 0, "failed": 0, "permanent": 0, "messages": 0}
    for digest in pending_digests(session, day=day):
        summary["digests"] += 1
        dispatch_id = _claim(session, digest, now)
        if dispatch_id is None:
            summary["skipped"] += 1
            continue
        summary["claimed"] += 1
        _tally(summary, _attempt(session, session.get(Dispatch, dispatch_id), channels, now))
    return summary


def retry(session: Session, *, now: datetime | None = None, channels: Channels) -> dict[str, Any]:
    """Send again the dispatches whose next attempt is due (failed, or claimed and abandoned)."""
    now = now or utcnow()
    summary = {"due": 0, "sent": 0, "failed": 0, "permanent": 0, "messages": 0}
    due = session.scalars(select(Dispatch.id).where(
        Dispatch.status.in_([DispatchStatus.FAILED, DispatchStatus.CLAIMED]), Dispatch.next_attempt_at <= now)
        .order_by(Dispatch.next_attempt_at, Dispatch.id)).all()
    for dispatch_id in due:
        taken = session.execute(
            update(Dispatch).where(Dispatch.id == dispatch_id,
                                   Dispatch.status.in_([DispatchStatus.FAILED, DispatchStatus.CLAIMED]),
                                   Dispatch.next_attempt_at <= now)
            .values(next_attempt_at=now + LEASE).returning(Dispatch.id),
            execution_options={"synchronize_session": "fetch"}).scalar()
        if taken is None:  # another retrier has it
            continue
        summary["due"] += 1
        _tally(summary, _attempt(session, session.get(Dispatch, dispatch_id), channels, now))
    return summary


def deliveries(session: Session, dispatch_id: int) -> list[Delivery]:
    return list(session.scalars(select(Delivery).where(Delivery.dispatch_id == dispatch_id).order_by(Delivery.id)))


# --- helpers ----------------------------------------------------------------------------------

def _claim(session: Session, digest: Digest, now: datetime) -> int | None:
    values = {"key": digest.key, "day": digest.day, "audience": digest.audience,
              "department_id": digest.department_id, "tag": digest.tag, "subject": digest.subject,
              "body": digest.body, "intent_ids": list(digest.intent_ids), "status": str(DispatchStatus.CLAIMED),
              "attempts": 0, "next_attempt_at": now + LEASE, "created_at": now, "sent_at": None}
    name = session.get_bind().dialect.name
    dialect = {"postgresql": postgresql, "sqlite": sqlite}.get(name)
    if dialect is None:
        raise NotImplementedError(f"不支持的数据库：{name}（应为 SQLite 或 PostgreSQL）")
    statement = (dialect.insert(Dispatch).values(values).on_conflict_do_nothing(index_elements=["key"])
                 .returning(Dispatch.id))
    return session.execute(statement).scalar()


def _attempt(session: Session, dispatch: Dispatch, channels: Channels, now: datetime) -> tuple[str, int]:
    """One attempt at every service that has not yet accepted the dispatch; returns (status, messages sent)."""
    accepted = {d.service_url for d in deliveries(session, dispatch.id) if d.status == "sent"}
    results = channels.send(dispatch.tag, dispatch.subject, dispatch.body, skip=accepted)
    for result in results:
        session.add(Delivery(dispatch_id=dispatch.id, service_url=result.service_url,
                             status="sent" if result.ok else "failed", error=result.error,
                             duration_ms=result.duration_ms, attempted_at=now))
    ok = all(r.ok for r in results) and bool(results or accepted)
    if not results and not accepted:
        session.add(Delivery(dispatch_id=dispatch.id, service_url=NO_SERVICE, status="failed",
                             error=f"没有带标签 {dispatch.tag} 或 fallback 的通知渠道", duration_ms=0,
                             attempted_at=now))
    dispatch.attempts += 1
    if ok:
        dispatch.status, dispatch.sent_at, dispatch.next_attempt_at = DispatchStatus.SENT, now, None
    elif dispatch.attempts >= MAX_ATTEMPTS:
        dispatch.status, dispatch.next_attempt_at = DispatchStatus.PERMANENT, None
        _flag_office(session, dispatch, [r for r in results if not r.ok])
    else:
        dispatch.status, dispatch.next_attempt_at = DispatchStatus.FAILED, now + backoff(dispatch.attempts)
    session.flush()
    return str(dispatch.status), sum(1 for r in results if r.ok)


def _flag_office(session: Session, dispatch: Dispatch, failures: list) -> None:
    kinds = set(session.scalars(select(NoticeIntent.kind).where(NoticeIntent.id.in_(dispatch.intent_ids))))
    if kinds <= {"delivery_failed"}:  # a failed failure notice is not reported again (no loop)
        return
    error = "；".join(f"{f.service_url}：{f.error}" for f in failures) or "没有匹配的通知渠道"
    create_intents(session, [{
        "key": f"delivery_failed|dispatch:{dispatch.id}", "kind": "delivery_failed", "step": "delivery_failed",
        "audience": "office", "department_id": dispatch.department_id, "task_id": None,
        "period": dispatch.day.isoformat(), "created_on": dispatch.day,
        "payload": {"dispatch_id": dispatch.id, "dispatch_key": dispatch.key, "tag": dispatch.tag,
                    "day": dispatch.day.isoformat(), "attempts": dispatch.attempts, "subject": dispatch.subject,
                    "error": error[:1000]},
    }])


def _tally(summary: dict[str, Any], outcome: tuple[str, int]) -> None:
    status, messages = outcome
    summary[status] = summary.get(status, 0) + 1
    summary["messages"] += messages

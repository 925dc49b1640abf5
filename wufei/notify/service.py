"""Deliver the day's digests: claim, send, record; retry failures with backoff.

Exactly-once per digest: a dispatch is claimed with `INSERT … ON CONFLICT (key) DO NOTHING
RETURNING id` on its key `digest|{day}|{audience}|dept:{id}|{tag}`; only the caller that got an id
back sends it, so running `deliver` twice (or twice at once) sends each digest once. A retry takes
a dispatch by a conditional UPDATE (a lease on next_attempt_at), so two retriers do not both send.

Each service's answer is a `Delivery` row. A dispatch is `sent` only when every matching service
accepted it; otherwise it is `failed`, attempts + 1, next_attempt_at pushed back (BACKOFF), and a
retry sends only to the services that have not accepted it yet (no duplicates to the others).
After MAX_ATTEMPTS it is `permanent` and a `delivery_failed` intent is raised for the office.

A run that dies. Services take a Session and never commit; the caller passes `checkpoint` (for
example `session.commit`, as `wufei.notify.runs` does) and the service calls it at the points
that must be durable before a message leaves the machine: after the claim, and after writing a
`sending` Delivery row just before each service is called. Then, once the lease has run out:

- a claimed dispatch with no `sending` row never reached the network: it is simply sent (nothing
  can be duplicated, nothing is lost);
- a `sending` row means the run died during that one network call: the message may have left or
  not. It is marked `unknown` and the office is told (a `delivery_failed` intent with outcome
  `unknown`) instead of being re-sent blindly: a second copy of a 督办单 to a leader is the
  failure this system promises not to make, and the office can check with the recipient and
  `wufei notices retry --dispatch N --resend`. The other services of the dispatch carry on.

Without a checkpoint (one transaction for the whole call) a crash rolls the claim back with
everything else, and the next run sends again; the flows always pass one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from wufei.db import utcnow
from wufei.departments.models import Department
from wufei.lights.models import LightRecord
from wufei.notices.models import NoticeIntent, NoticeKind
from wufei.notices.service import create_intents
from wufei.notify.channels import Attachment, Channels
from wufei.notify.digest import Digest, build_digests
from wufei.notify.models import Delivery, DeliveryStatus, Dispatch, DispatchStatus

MAX_ATTEMPTS = 5
BACKOFF = (timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1), timedelta(hours=4))
LEASE = timedelta(minutes=10)  # a claimed dispatch nobody finished is looked at again after this
LOOKBACK = timedelta(days=31)  # intents older than this are no longer delivered
NO_SERVICE = "（无匹配渠道）"
RETRIABLE = (DispatchStatus.FAILED, DispatchStatus.CLAIMED)

Checkpoint = Callable[[], None]


def _no_checkpoint() -> None:
    """One transaction for the whole call (tests, and callers that accept a re-send after a crash)."""


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
    lights = current_lights(session, {i.task_id for i in intents if i.task_id is not None and i.id not in delivered},
                            day=day)
    rows = [_with_light(i, lights.get(i.task_id)) for i in intents]
    return build_digests(rows, day=day, department_names=names, delivered=delivered)


def current_lights(session: Session, task_ids: set[int], *, day: date) -> dict[int, tuple[str, str]]:
    """task id → (light, reason) of its newest light record on or before `day` (the task's own
    light, not a milestone's), so a message says which light the task shows and why."""
    found: dict[int, tuple[str, str]] = {}
    ids = sorted(task_ids)
    for start in range(0, len(ids), 5000):
        rows = session.execute(
            select(LightRecord.task_id, LightRecord.light, LightRecord.reason)
            .where(LightRecord.task_id.in_(ids[start:start + 5000]), LightRecord.milestone_id.is_(None),
                   LightRecord.as_of <= day)
            .order_by(LightRecord.task_id, LightRecord.as_of, LightRecord.id))
        for task_id, light, reason in rows:
            found[task_id] = (light, reason)  # the newest wins
    return found


def _with_light(intent: NoticeIntent, light: tuple[str, str] | None) -> dict[str, Any]:
    payload = dict(intent.payload or {})
    if light is not None and "light" not in payload:
        payload["light"], payload["light_reason"] = light
    return {"id": intent.id, "kind": intent.kind, "audience": intent.audience, "department_id": intent.department_id,
            "created_on": intent.created_on, "period": intent.period, "resolved_on": intent.resolved_on,
            "payload": payload}


def claim_digests(session: Session, *, day: date, now: datetime | None = None) -> dict[str, Any]:
    """Claim the day's pending digests; returns {"digests", "claimed": [dispatch ids], "skipped"}."""
    now = now or utcnow()
    digests = pending_digests(session, day=day)
    claimed = [dispatch_id for dispatch_id in (_claim(session, d, now) for d in digests) if dispatch_id is not None]
    return {"digests": len(digests), "claimed": claimed, "skipped": len(digests) - len(claimed)}


def deliver(session: Session, *, day: date, channels: Channels, now: datetime | None = None,
            checkpoint: Checkpoint = _no_checkpoint) -> dict[str, Any]:
    """Claim and send the day's digests; returns counts (claimed, skipped, sent, failed, permanent)."""
    now = now or utcnow()
    claims = claim_digests(session, day=day, now=now)
    checkpoint()  # claims are durable before anything is sent
    summary = new_summary(day=day.isoformat(), digests=claims["digests"], claimed=len(claims["claimed"]),
                          skipped=claims["skipped"])
    for dispatch_id in claims["claimed"]:
        tally(summary, attempt(session, dispatch_id, channels=channels, now=now, checkpoint=checkpoint))
        checkpoint()
    return summary


def due_dispatches(session: Session, *, now: datetime, ignore_backoff: bool = False,
                   dispatch_ids: list[int] | None = None) -> list[int]:
    """Ids of the failed dispatches whose next attempt is due, and of abandoned claims (lease run
    out). `ignore_backoff` also takes failures not yet due (never a claim still under its lease)."""
    query = select(Dispatch.id).where(Dispatch.status.in_(RETRIABLE))
    if dispatch_ids is not None:
        query = query.where(Dispatch.id.in_(dispatch_ids))
    if ignore_backoff:
        query = query.where((Dispatch.status == DispatchStatus.FAILED) | (Dispatch.next_attempt_at <= now))
    else:
        query = query.where(Dispatch.next_attempt_at <= now)
    return list(session.scalars(query.order_by(Dispatch.next_attempt_at, Dispatch.id)))


def take(session: Session, dispatch_id: int, *, now: datetime, ignore_backoff: bool = False) -> bool:
    """Take a dispatch for one attempt (a lease): a conditional UPDATE that one caller wins. The
    dispatch is `claimed` again while the attempt runs, so `--all` (which ignores the backoff of
    `failed` ones) cannot take a dispatch another run is sending."""
    condition = Dispatch.next_attempt_at <= now
    if ignore_backoff:
        condition = condition | (Dispatch.status == DispatchStatus.FAILED)
    taken = session.execute(
        update(Dispatch).where(Dispatch.id == dispatch_id, Dispatch.status.in_(RETRIABLE), condition)
        .values(status=str(DispatchStatus.CLAIMED), next_attempt_at=now + LEASE).returning(Dispatch.id),
        execution_options={"synchronize_session": "fetch"}).scalar()
    return taken is not None


def retry(session: Session, *, now: datetime | None = None, channels: Channels, ignore_backoff: bool = False,
          dispatch_ids: list[int] | None = None, checkpoint: Checkpoint = _no_checkpoint) -> dict[str, Any]:
    """Send again the dispatches whose next attempt is due (failed, or claimed and abandoned)."""
    now = now or utcnow()
    summary = new_summary(due=0)
    for dispatch_id in due_dispatches(session, now=now, ignore_backoff=ignore_backoff, dispatch_ids=dispatch_ids):
        if not take(session, dispatch_id, now=now, ignore_backoff=ignore_backoff):
            continue  # another retrier has it
        checkpoint()
        summary["due"] += 1
        tally(summary, attempt(session, dispatch_id, channels=channels, now=now, checkpoint=checkpoint))
        checkpoint()
    return summary


def resend(session: Session, dispatch_id: int, *, channels: Channels, now: datetime | None = None,
           checkpoint: Checkpoint = _no_checkpoint) -> dict[str, Any]:
    """The office's decision after checking with the recipient: send a dispatch whose outcome is
    unknown (or that failed for good) again, to every service that has not confirmed it."""
    now = now or utcnow()
    dispatch = session.get(Dispatch, dispatch_id)
    if dispatch is None:
        raise LookupError(f"找不到发送记录 {dispatch_id}")
    summary = new_summary(due=1)
    if dispatch.status == DispatchStatus.SENT:
        summary["due"] = 0
        return summary
    dispatch.status, dispatch.next_attempt_at = DispatchStatus.CLAIMED, now + LEASE
    dispatch.attempts = min(dispatch.attempts, MAX_ATTEMPTS - 1)  # one more try, not a new series
    session.flush()
    checkpoint()
    tally(summary, attempt(session, dispatch_id, channels=channels, now=now, checkpoint=checkpoint,
                           retry_unknown=True))
    checkpoint()
    return summary


def attempt(session: Session, dispatch_id: int, *, channels: Channels, now: datetime,
            checkpoint: Checkpoint = _no_checkpoint, retry_unknown: bool = False) -> tuple[str, int]:
    """One attempt at every service that has not yet accepted the dispatch; returns (status, messages sent).

    The caller holds the dispatch (a fresh claim, or `take`). `sending` rows found now belong to
    a run that died mid-send: they become `unknown` and are not sent again unless `retry_unknown`.
    """
    dispatch = session.get(Dispatch, dispatch_id)
    records = deliveries(session, dispatch.id)
    abandoned = [r for r in records if r.status == DeliveryStatus.SENDING]
    for record in abandoned:
        record.status = DeliveryStatus.UNKNOWN
        record.error = "发送过程中运行中断，无法确认是否已送达"
    if abandoned:
        _flag_office(session, dispatch, [f"{r.service_url}：{r.error}" for r in abandoned], outcome="unknown")
    done = {DeliveryStatus.SENT} if retry_unknown else {DeliveryStatus.SENT, DeliveryStatus.UNKNOWN}
    skip = {r.service_url for r in records if r.status in done}
    unknown = set() if retry_unknown else {r.service_url for r in records if r.status == DeliveryStatus.UNKNOWN}
    confirmed = {r.service_url for r in records if r.status == DeliveryStatus.SENT}

    attachments = bulletin_attachments(session, dispatch.intent_ids)
    results = []
    for service, name in channels.targets(dispatch.tag, skip=skip):
        record = Delivery(dispatch_id=dispatch.id, service_url=name, status=DeliveryStatus.SENDING, error=None,
                          duration_ms=0, attempted_at=now)
        session.add(record)
        session.flush()
        checkpoint()  # durable before the network call: a crash now leaves a visible `sending` row
        result = channels.send_to(service, name, dispatch.subject, dispatch.body, attachments=attachments)
        record.status = DeliveryStatus.SENT if result.ok else DeliveryStatus.FAILED
        record.error, record.duration_ms = result.error, result.duration_ms
        results.append(result)
    if not results and not confirmed and not unknown:
        session.add(Delivery(dispatch_id=dispatch.id, service_url=NO_SERVICE, status=DeliveryStatus.FAILED,
                             error=f"没有带标签 {dispatch.tag} 或 fallback 的通知渠道", duration_ms=0,
                             attempted_at=now))
        results_failed = True
    else:
        results_failed = any(not r.ok for r in results)

    dispatch.attempts += 1
    if not results_failed and unknown:
        dispatch.status, dispatch.next_attempt_at = DispatchStatus.UNKNOWN, None
    elif not results_failed:
        dispatch.status, dispatch.sent_at, dispatch.next_attempt_at = DispatchStatus.SENT, now, None
    elif dispatch.attempts >= MAX_ATTEMPTS:
        dispatch.status, dispatch.next_attempt_at = DispatchStatus.PERMANENT, None
        _flag_office(session, dispatch, [f"{r.service_url}：{r.error}" for r in results if not r.ok])
    else:
        dispatch.status, dispatch.next_attempt_at = DispatchStatus.FAILED, now + backoff(dispatch.attempts)
    session.flush()
    return str(dispatch.status), sum(1 for r in results if r.ok)


def deliveries(session: Session, dispatch_id: int) -> list[Delivery]:
    return list(session.scalars(select(Delivery).where(Delivery.dispatch_id == dispatch_id).order_by(Delivery.id)))


def bulletin_attachments(session: Session, intent_ids: list[int]) -> list[Attachment]:
    """The bulletin documents named by the dispatch's `bulletin_ready` intents (payload `files`,
    else `path`), each named for the recipient after the bulletin's Chinese title: the files on
    disk have ASCII names, a reader should see 「2024年5月无废城市建设工作通报.docx」."""
    if not intent_ids:
        return []
    payloads = session.scalars(select(NoticeIntent.payload).where(
        NoticeIntent.id.in_(intent_ids), NoticeIntent.kind == NoticeKind.BULLETIN_READY).order_by(NoticeIntent.id))
    found: dict[Path, Attachment] = {}
    for payload in payloads:
        payload = payload or {}
        for file in payload.get("files") or [payload.get("path")]:
            path = Path(file) if file else None
            if path is None or path in found or not path.is_file():
                continue
            title = payload.get("title")
            found[path] = Attachment(path=path, name=f"{title}{path.suffix}" if title else path.name)
    return list(found.values())


def new_summary(**fields: Any) -> dict[str, Any]:
    return {**fields, "sent": 0, "failed": 0, "permanent": 0, "unknown": 0, "messages": 0}


def tally(summary: dict[str, Any], outcome: tuple[str, int]) -> None:
    status, messages = outcome
    summary[status] = summary.get(status, 0) + 1
    summary["messages"] += messages


def dispatch_views(session: Session, intent_ids: list[int], *, now: datetime | None = None
                   ) -> dict[int, list[dict[str, Any]]]:
    """For each intent id, the dispatches that carried it with their deliveries (JSON-safe).

    `stuck` marks a claim whose run died (lease run out while `claimed`, or a `sending` row left
    behind): the next retry handles it as described above."""
    now = now or utcnow()
    wanted = set(intent_ids)
    if not wanted:
        return {}
    first_day = session.scalar(select(NoticeIntent.created_on).where(NoticeIntent.id.in_(sorted(wanted)[:1])))
    query = select(Dispatch).order_by(Dispatch.id)
    if first_day is not None:
        query = query.where(Dispatch.day >= first_day)
    carrying = [(dispatch, carried) for dispatch in session.scalars(query)
                if (carried := wanted.intersection(dispatch.intent_ids))]
    records: dict[int, list[Delivery]] = {}
    ids = [dispatch.id for dispatch, _ in carrying]
    for start in range(0, len(ids), 5000):
        for record in session.scalars(select(Delivery).where(Delivery.dispatch_id.in_(ids[start:start + 5000]))
                                      .order_by(Delivery.id)):
            records.setdefault(record.dispatch_id, []).append(record)
    by_intent: dict[int, list[dict[str, Any]]] = {}
    for dispatch, carried in carrying:
        view = dispatch_as_dict(dispatch, records.get(dispatch.id, []), now=now)
        for intent_id in carried:
            by_intent.setdefault(intent_id, []).append(view)
    return by_intent


def dispatch_as_dict(dispatch: Dispatch, records: list[Delivery], *, now: datetime) -> dict[str, Any]:
    lease_over = dispatch.next_attempt_at is not None and dispatch.next_attempt_at <= now
    stuck = lease_over and (dispatch.status == DispatchStatus.CLAIMED
                            or any(r.status == DeliveryStatus.SENDING for r in records))
    return {
        "id": dispatch.id, "key": dispatch.key, "day": dispatch.day.isoformat(), "tag": dispatch.tag,
        "audience": dispatch.audience, "subject": dispatch.subject, "status": dispatch.status, "stuck": stuck,
        "attempts": dispatch.attempts,
        "next_attempt_at": dispatch.next_attempt_at.isoformat() if dispatch.next_attempt_at else None,
        "sent_at": dispatch.sent_at.isoformat() if dispatch.sent_at else None,
        "deliveries": [{"service": r.service_url, "status": r.status, "error": r.error, "duration_ms": r.duration_ms,
                        "attempted_at": r.attempted_at.isoformat()} for r in records],
    }


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


def _flag_office(session: Session, dispatch: Dispatch, errors: list[str], *, outcome: str = "failed") -> None:
    kinds = set(session.scalars(select(NoticeIntent.kind).where(NoticeIntent.id.in_(dispatch.intent_ids))))
    if kinds <= {NoticeKind.DELIVERY_FAILED}:  # a failed failure notice is not reported again (no loop)
        return
    error = "；".join(errors) or "没有匹配的通知渠道"
    prefix = "delivery_unknown" if outcome == "unknown" else "delivery_failed"
    create_intents(session, [{
        "key": f"{prefix}|dispatch:{dispatch.id}", "kind": str(NoticeKind.DELIVERY_FAILED), "step": prefix,
        "audience": "office", "department_id": dispatch.department_id, "task_id": None,
        "period": dispatch.day.isoformat(), "created_on": dispatch.day,
        "payload": {"dispatch_id": dispatch.id, "dispatch_key": dispatch.key, "tag": dispatch.tag,
                    "day": dispatch.day.isoformat(), "attempts": dispatch.attempts, "subject": dispatch.subject,
                    "error": error[:1000], "outcome": outcome},
    }])

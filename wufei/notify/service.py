"""Deliver the day's digests: claim, send, record; retry failures with backoff.

Exactly-once per intent rests on constraints: a digest is claimed with `INSERT … ON CONFLICT (key)
DO NOTHING RETURNING id` on its key `digest|{day}|{audience}|dept:{id}|{tag}` (`…|2`, `…|3` for
later digests the same day, made of intents created since), then the intents it carries are
inserted into `dispatch_intents`, whose primary key is the intent: an intent another claim
carries already makes the insert come back short, and the new dispatch is deleted unsent. Only
the caller whose dispatch stands sends it, so running `deliver` twice, at once, or for two days
at once sends each intent once. "Pending" (unresolved, in no dispatch) is read from that table.
Claiming is also serialized (`lock_claims`: a PostgreSQL advisory lock, the SQLite write lock):
not for correctness, but so that two runs do not both render every digest and then find one of
them wasted. A retry takes a dispatch by a
conditional UPDATE (a lease on next_attempt_at), so two retriers do not both send.

Leases are fencing tokens: a lease runs from the clock at the moment it is taken, `attempt`
renews it before each service is called and writes the outcome only while the dispatch is still
`claimed` under its own lease; a run too slow to keep it (another run took the dispatch) stops.

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

A service that fails in the call itself is retried only when the failure is known to be before
acceptance (refused, DNS, an error answered); a failure after the message may have been taken (no
answer after sending, connection lost after DATA; `wufei.notify.wire`) is `unknown` the same way,
at once. The office then confirms it (`confirm`) or resends it (`resend`).

Without a checkpoint (one transaction for the whole call) a crash rolls the claim back with
everything else, and the next run sends again; the flows always pass one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from sqlalchemy import and_, bindparam, case, delete, exists, insert, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key
from sqlalchemy.sql.elements import ColumnElement

from wufei.db import table_of, utcnow
from wufei.departments.models import Department
from wufei.lights.models import LightRecord
from wufei.notices.models import NoticeIntent, NoticeKind
from wufei.notices.service import create_intents
from wufei.notify.channels import Attachment, Channels, ServiceResult
from wufei.notify.digest import Digest, build_digests
from wufei.notify.models import Delivery, DeliveryStatus, Dispatch, DispatchIntent, DispatchStatus
from wufei.plans.models import Jurisdiction, JurisdictionLevel
from wufei.plans.queries import jurisdiction_named, scope_plan_ids
from wufei.tasks.models import Task

MAX_ATTEMPTS = 5
BACKOFF = (timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1), timedelta(hours=4))
LEASE = timedelta(minutes=10)  # a claimed dispatch nobody finished is looked at again after this
LOOKBACK = timedelta(days=31)  # intents older than this are no longer delivered
NO_SERVICE = "（无匹配渠道）"
NO_ATTACHMENT = "（附件缺失）"
RETRIABLE = (DispatchStatus.FAILED, DispatchStatus.CLAIMED)
RESENDABLE = (DispatchStatus.UNKNOWN, DispatchStatus.PERMANENT, DispatchStatus.FAILED)
LOST = "lost"  # an attempt's outcome when its lease ran out and another run took the dispatch
CLAIM_LOCK = 0x77756665_69636C6D  # PostgreSQL advisory lock serializing claim_digests ("wufeiclm")


class DispatchBusy(RuntimeError):
    """Another run holds the dispatch (its lease has not run out)."""


class DecisionError(ValueError):
    """The office's decision on a dispatch cannot be made (not found, or not in a state for it)."""


Checkpoint = Callable[[], None]


def _no_checkpoint() -> None:
    """One transaction for the whole call (tests, and callers that accept a re-send after a crash)."""


def backoff(attempts: int) -> timedelta:
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


def intent_scope(session: Session, jurisdiction: str | None) -> ColumnElement[bool] | None:
    """The intents a run scoped to `jurisdiction` delivers: about the tasks of the plans it answers
    for (`scope_plan_ids`: a city's own and its counties') or addressed to the departments of that
    jurisdiction and its counties. None without a jurisdiction (every intent). An intent tied to no
    task and no department (an office or group notice) is in no scope: only an unscoped run sends it.
    An unknown name is an error (as for the scans)."""
    plan_ids = scope_plan_ids(session, jurisdiction)
    if plan_ids is None or jurisdiction is None:
        return None
    place = jurisdiction_named(session, jurisdiction).id
    places = select(Jurisdiction.id).where(
        (Jurisdiction.id == place)
        | ((Jurisdiction.parent_id == place) & (Jurisdiction.level == JurisdictionLevel.COUNTY))
    )
    return or_(
        NoticeIntent.task_id.in_(select(Task.id).where(Task.plan_id.in_(plan_ids))),
        NoticeIntent.department_id.in_(select(Department.id).where(Department.jurisdiction_id.in_(places))),
    )


def pending_digests(session: Session, *, day: date, jurisdiction: str | None = None) -> list[Digest]:
    """The digests `deliver` would claim for `day` (unresolved intents not in any dispatch), of
    the intents in `jurisdiction`'s scope only when one is given (`intent_scope`)."""
    since = day - LOOKBACK
    carried = exists().where(DispatchIntent.intent_id == NoticeIntent.id)
    query = select(NoticeIntent).where(
        NoticeIntent.resolved_on.is_(None),
        NoticeIntent.created_on <= day,
        NoticeIntent.created_on >= since,
        ~carried,
    )
    scope = intent_scope(session, jurisdiction)
    if scope is not None:
        query = query.where(scope)
    intents = list(session.scalars(query.order_by(NoticeIntent.id)))
    if not intents:
        return []
    department_ids = sorted({i.department_id for i in intents if i.department_id is not None})
    names = (
        dict(
            session.execute(select(Department.id, Department.name).where(Department.id.in_(department_ids)))
            .tuples()
            .all()
        )
        if department_ids
        else {}
    )
    lights = current_lights(session, {i.task_id for i in intents if i.task_id is not None}, day=day)
    rows = [_with_light(i, lights.get(i.task_id) if i.task_id is not None else None) for i in intents]
    return build_digests(rows, day=day, department_names=names)


def current_lights(session: Session, task_ids: set[int], *, day: date) -> dict[int, tuple[str, str]]:
    """task id → (light, reason) of its newest light record on or before `day` (the task's own
    light, not a milestone's), so a message says which light the task shows and why."""
    found: dict[int, tuple[str, str]] = {}
    ids = sorted(task_ids)
    for start in range(0, len(ids), 5000):
        rows = session.execute(
            select(LightRecord.task_id, LightRecord.light, LightRecord.reason)
            .where(
                LightRecord.task_id.in_(ids[start : start + 5000]),
                LightRecord.milestone_id.is_(None),
                LightRecord.as_of <= day,
            )
            .order_by(LightRecord.task_id, LightRecord.as_of, LightRecord.id)
        )
        for task_id, light, reason in rows:
            found[task_id] = (light, reason)  # the newest wins
    return found


def _with_light(intent: NoticeIntent, light: tuple[str, str] | None) -> dict[str, Any]:
    payload = dict(intent.payload or {})
    if light is not None and "light" not in payload:
        payload["light"], payload["light_reason"] = light
    return {
        "id": intent.id,
        "kind": intent.kind,
        "audience": intent.audience,
        "department_id": intent.department_id,
        "created_on": intent.created_on,
        "period": intent.period,
        "resolved_on": intent.resolved_on,
        "payload": payload,
    }


def clock(now: datetime | None) -> datetime:
    """The time of this step: `now` when the caller fixes the clock (tests, replays), else the
    clock read now, not at the start of the run (a slow run must not hand out stale leases)."""
    return now if now is not None else utcnow()


def lock_claims(session: Session) -> None:
    """Serialize claiming: what is pending and claiming it are one step, so two runs (for two
    days, or two at once) never both claim an intent. Held until the transaction ends.

    PostgreSQL: a transaction-level advisory lock. SQLite: take the write lock first with a write
    that changes nothing (pysqlite begins the transaction only at the first write, so the reads
    that follow see everything committed before, and a second run waits here, busy_timeout)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CLAIM_LOCK})
    else:
        session.execute(
            update(Dispatch).where(Dispatch.id == -1).values(status=Dispatch.status),
            execution_options={"synchronize_session": False},
        )


def claim_digests(
    session: Session,
    *,
    day: date,
    now: datetime | None = None,
    holder: str | None = None,
    jurisdiction: str | None = None,
) -> dict[str, Any]:
    """Claim the day's pending digests (of `jurisdiction`'s intents only, when given); returns
    {"digests", "claimed": [dispatch ids], "skipped", "lease": the claims' lease (their fencing
    token for `attempt`)}. `holder`: the run claiming (a Prefect flow run id), whose retry after
    a crash may `release` them.

    A digest for an audience/department whose digest of the day was claimed already (intents
    created since, e.g. by a later run the same day) gets the next sequence number in its key."""
    lock_claims(session)
    now = clock(now)
    scoped = {"jurisdiction": jurisdiction} if jurisdiction is not None else {}
    digests = pending_digests(session, day=day, **scoped)
    taken = set(session.scalars(select(Dispatch.key).where(Dispatch.day == day)))
    claimed = [
        dispatch_id
        for dispatch_id in _claim(session, [_next_key(d, taken) for d in digests], now, holder=holder)
        if dispatch_id
    ]
    return {"digests": len(digests), "claimed": claimed, "skipped": len(digests) - len(claimed), "lease": now + LEASE}


def _next_key(digest: Digest, taken: set[str]) -> Digest:
    key, number = digest.key, 1
    while key in taken:
        number += 1
        key = f"{digest.key}|{number}"
    return digest if key == digest.key else dataclasses.replace(digest, key=key)


def deliver(
    session: Session,
    *,
    day: date,
    channels: Channels,
    zone: tzinfo,
    now: datetime | None = None,
    checkpoint: Checkpoint = _no_checkpoint,
) -> dict[str, Any]:
    """Claim and send the day's digests; returns counts (claimed, skipped, sent, failed, permanent).
    `zone`: the cadence time zone (the local day of a flag raised for the office)."""
    claims = claim_digests(session, day=day, now=now)
    checkpoint()  # claims are durable before anything is sent
    summary = new_summary(
        day=day.isoformat(), digests=claims["digests"], claimed=len(claims["claimed"]), skipped=claims["skipped"]
    )
    for dispatch_id in claims["claimed"]:
        tally(
            summary,
            attempt(
                session,
                dispatch_id,
                channels=channels,
                zone=zone,
                now=now,
                lease=claims["lease"],
                checkpoint=checkpoint,
            ),
        )
        checkpoint()
    return summary


def due_dispatches(
    session: Session,
    *,
    now: datetime | None = None,
    ignore_backoff: bool = False,
    dispatch_ids: list[int] | None = None,
    jurisdiction: str | None = None,
) -> list[int]:
    """Ids of the failed dispatches whose next attempt is due, and of abandoned claims (lease run
    out). `ignore_backoff` also takes failures not yet due (never a claim still under its lease).
    `jurisdiction`: only dispatches whose intents are all in its scope (`intent_scope`): what a
    scoped run claimed; one an unscoped run made of several cities' intents is retried unscoped."""
    now = clock(now)
    query = select(Dispatch.id).where(Dispatch.status.in_(RETRIABLE))
    if dispatch_ids is not None:
        query = query.where(Dispatch.id.in_(dispatch_ids))
    scope = intent_scope(session, jurisdiction)
    if scope is not None:
        in_scope = select(NoticeIntent.id).where(scope)
        carries = exists().where(DispatchIntent.dispatch_id == Dispatch.id)
        foreign = exists().where(DispatchIntent.dispatch_id == Dispatch.id, DispatchIntent.intent_id.not_in(in_scope))
        query = query.where(carries, ~foreign)
    if ignore_backoff:
        query = query.where((Dispatch.status == DispatchStatus.FAILED) | (Dispatch.next_attempt_at <= now))
    else:
        query = query.where(Dispatch.next_attempt_at <= now)
    return list(session.scalars(query.order_by(Dispatch.next_attempt_at, Dispatch.id)))


def take(
    session: Session,
    dispatch_id: int,
    *,
    now: datetime | None = None,
    ignore_backoff: bool = False,
    holder: str | None = None,
) -> datetime | None:
    """Take a dispatch for one attempt (a lease): a conditional UPDATE that one caller wins. The
    dispatch is `claimed` again while the attempt runs, so `--all` (which ignores the backoff of
    `failed` ones) cannot take a dispatch another run is sending. Returns the lease (the fencing
    token to pass to `attempt`), or None when another run has the dispatch."""
    lease, taken = take_all(session, [dispatch_id], now=now, ignore_backoff=ignore_backoff, holder=holder)
    return lease if taken else None


def take_all(
    session: Session,
    dispatch_ids: list[int],
    *,
    now: datetime | None = None,
    ignore_backoff: bool = False,
    holder: str | None = None,
) -> tuple[datetime, set[int]]:
    """`take` for many dispatches in one UPDATE: the lease and the ids taken."""
    now = clock(now)
    condition = Dispatch.next_attempt_at <= now
    if ignore_backoff:
        condition = condition | (Dispatch.status == DispatchStatus.FAILED)
    lease = now + LEASE
    taken = session.execute(
        update(Dispatch)
        .where(Dispatch.id.in_(dispatch_ids), Dispatch.status.in_(RETRIABLE), condition)
        .values(status=str(DispatchStatus.CLAIMED), next_attempt_at=lease, holder=holder)
        .returning(Dispatch.id),
        execution_options={"synchronize_session": "fetch"},
    ).scalars()
    return lease, set(taken)


def retry(
    session: Session,
    *,
    now: datetime | None = None,
    channels: Channels,
    zone: tzinfo,
    ignore_backoff: bool = False,
    dispatch_ids: list[int] | None = None,
    checkpoint: Checkpoint = _no_checkpoint,
) -> dict[str, Any]:
    """Send again the dispatches whose next attempt is due (failed, or claimed and abandoned)."""
    summary = new_summary(due=0)
    for dispatch_id in due_dispatches(session, now=now, ignore_backoff=ignore_backoff, dispatch_ids=dispatch_ids):
        lease = take(session, dispatch_id, now=now, ignore_backoff=ignore_backoff)
        if lease is None:
            continue  # another retrier has it
        checkpoint()
        summary["due"] += 1
        tally(
            summary,
            attempt(session, dispatch_id, channels=channels, zone=zone, now=now, lease=lease, checkpoint=checkpoint),
        )
        checkpoint()
    return summary


def resend(
    session: Session,
    dispatch_id: int,
    *,
    channels: Channels,
    zone: tzinfo,
    now: datetime | None = None,
    checkpoint: Checkpoint = _no_checkpoint,
) -> dict[str, Any]:
    """The office's decision after checking with the recipient: send a dispatch whose outcome is
    unknown (or that failed for good) again, to every service that has not confirmed it.

    Taken like a retry, by a conditional UPDATE: only from unknown/permanent/failed, or from a
    claim whose lease ran out; `DispatchBusy` when another run is sending it."""
    dispatch = session.get(Dispatch, dispatch_id)
    if dispatch is None:
        raise LookupError(f"找不到发送记录 {dispatch_id}")
    summary = new_summary(due=1)
    if dispatch.status == DispatchStatus.SENT:
        summary["due"] = 0
        return summary
    now = clock(now)
    lease = now + LEASE
    taken = session.execute(
        update(Dispatch)
        .where(
            Dispatch.id == dispatch_id,
            or_(
                Dispatch.status.in_(RESENDABLE),
                and_(Dispatch.status == DispatchStatus.CLAIMED, Dispatch.next_attempt_at <= now),
            ),
        )
        .values(
            status=str(DispatchStatus.CLAIMED),
            next_attempt_at=lease,  # one more try, not a new series
            holder=None,  # the office's, not a flow run's: no retry of a crashed run releases it
            attempts=case((Dispatch.attempts > MAX_ATTEMPTS - 1, MAX_ATTEMPTS - 1), else_=Dispatch.attempts),
        )
        .returning(Dispatch.id),
        execution_options={"synchronize_session": "fetch"},
    ).scalar()
    if taken is None:
        session.refresh(dispatch)
        if dispatch.status == DispatchStatus.SENT:
            summary["due"] = 0
            return summary
        raise DispatchBusy(
            f"发送记录 {dispatch_id} 正由另一次运行发送（状态：{dispatch.status}，租约未到期），"
            "未补发；请等该次运行结束后再查看"
        )
    checkpoint()
    tally(
        summary,
        attempt(
            session,
            dispatch_id,
            channels=channels,
            zone=zone,
            now=now,
            lease=lease,
            checkpoint=checkpoint,
            retry_unknown=True,
        ),
    )
    checkpoint()
    return summary


def confirm(session: Session, dispatch_id: int, *, now: datetime | None = None, note: str | None = None) -> list[str]:
    """The office's decision after checking with the recipient: a dispatch whose outcome was
    unknown did arrive. Each service left unknown gets a `confirmed` delivery (the unknown row stays,
    as history) and the dispatch is `sent`. Returns the services confirmed.

    Only from `unknown`, by a conditional UPDATE (a resend running at the same time wins or loses
    as a whole); anything else raises DecisionError naming the status."""
    dispatch = session.get(Dispatch, dispatch_id)
    if dispatch is None:
        raise DecisionError(f"找不到发送记录 {dispatch_id}")
    if dispatch.status != DispatchStatus.UNKNOWN:
        raise DecisionError(f"发送记录 {dispatch_id} 的状态是「{dispatch.status}」，不是结果不明（待核实），无需确认")
    records = deliveries(session, dispatch_id)
    arrived = {r.service_url for r in records if r.status in (DeliveryStatus.SENT, DeliveryStatus.CONFIRMED)}
    doubtful = sorted({r.service_url for r in records if r.status == DeliveryStatus.UNKNOWN} - arrived)
    now = clock(now)
    taken = session.execute(
        update(Dispatch)
        .where(Dispatch.id == dispatch_id, Dispatch.status == DispatchStatus.UNKNOWN)
        .values(status=str(DispatchStatus.SENT), sent_at=now, next_attempt_at=None)
        .returning(Dispatch.id),
        execution_options={"synchronize_session": "fetch"},
    ).scalar()
    if taken is None:
        session.refresh(dispatch)
        raise DispatchBusy(f"发送记录 {dispatch_id} 的状态已变为「{dispatch.status}」（另一操作正在处理），未确认")
    for service_url in doubtful:
        session.add(
            Delivery(
                dispatch_id=dispatch_id,
                service_url=service_url,
                status=DeliveryStatus.CONFIRMED,
                error=note or "办公室已向对方核实：已收到",
                duration_ms=0,
                attempted_at=now,
            )
        )
    session.flush()
    return doubtful


def release(session: Session, holder: str, *, now: datetime | None = None) -> int:
    """A run's retry after a crash (its process died: kill -9, the machine lost): the dispatches
    its dead attempt still holds become due now instead of when their lease runs out. The retry
    then takes them as abandoned claims (`retry`): never started, they are sent; a `sending` row
    (the message may have left) makes the service `unknown`, never resent. Safe even if the old
    attempt were alive: its lease no longer matches once taken (fencing), so it stops. Returns
    how many were released."""
    now = clock(now)
    table = table_of(Dispatch)
    released = session.execute(
        update(table)
        .where(table.c.holder == holder, table.c.status == DispatchStatus.CLAIMED, table.c.next_attempt_at > now)
        .values(next_attempt_at=now)
        .returning(table.c.id)
    ).all()
    return len(released)


def renew(session: Session, dispatch_id: int, lease: datetime, *, now: datetime | None = None) -> datetime | None:
    """Fencing: extend the lease only while this run still holds the dispatch (`claimed` with
    next_attempt_at equal to this run's `lease`). Returns the new lease, or None when the lease
    ran out and another run took the dispatch."""
    fresh = clock(now) + LEASE
    return fresh if _fenced_update(session, [dispatch_id], lease, next_attempt_at=fresh) else None


def _fenced_update(session: Session, dispatch_ids: list[int], lease: datetime, **values: Any) -> set[int]:
    """UPDATE … WHERE id IN (…) AND status='claimed' AND next_attempt_at=lease RETURNING id: the
    ids written (one statement for every dispatch held under the same lease)."""
    return set(_fenced_rows(session, dispatch_ids, lease, values))


def _fenced_rows(
    session: Session, dispatch_ids: list[int], lease: datetime, values: dict[str, Any], *, read: bool = False
) -> dict[int, DispatchRow | None]:
    """`_fenced_update`, each written dispatch with its DispatchRow when `read` (the same round trip).

    A Core statement on the table (the ORM's bulk UPDATE with synchronisation cost more than a
    delivery's other work); a loaded Dispatch is given the written values here instead."""
    table = table_of(Dispatch)
    returned = session.execute(
        update(table)
        .where(table.c.id.in_(dispatch_ids), table.c.status == DispatchStatus.CLAIMED, table.c.next_attempt_at == lease)
        .values(**values)
        .returning(*(table.c[name] for name in DISPATCH_ROW) if read else (table.c.id,))
    )
    held = {row.id: DispatchRow(**row._mapping) if read else None for row in returned}
    for dispatch_id in held:
        loaded = session.identity_map.get(identity_key(Dispatch, dispatch_id))
        if loaded is not None:
            for name, value in values.items():
                set_committed_value(loaded, name, DispatchStatus(value) if name == "status" else value)
    return held


def _renew_all(
    session: Session, leases: dict[int, datetime], *, now: datetime | None, read: bool = False
) -> tuple[datetime, dict[int, DispatchRow | None]]:
    """Renew many leases at once (one UPDATE per distinct lease): the new lease and the dispatches
    still held (with their rows when `read`)."""
    fresh, held = clock(now) + LEASE, {}
    by_lease: dict[datetime, list[int]] = {}
    for dispatch_id, lease in leases.items():
        by_lease.setdefault(lease, []).append(dispatch_id)
    for lease, ids in by_lease.items():
        held.update(_fenced_rows(session, ids, lease, {"next_attempt_at": fresh}, read=read))
    return fresh, held


DISPATCH_ROW = ("id", "key", "day", "department_id", "tag", "subject", "body", "attempts")


@dataclasses.dataclass(frozen=True)
class DispatchRow:
    """What an attempt reads of its dispatch once (a plain row: no lazy loads after a commit)."""

    id: int
    key: str
    day: date
    department_id: int | None
    tag: str
    subject: str
    body: str
    attempts: int


@dataclasses.dataclass(frozen=True)
class Opening:
    """A dispatch to open an attempt at: held under `lease` (a claim), or taken now (a retry: `take`)."""

    dispatch_id: int
    lease: datetime | None = None
    ignore_backoff: bool = False  # a take: also failures not yet due
    holder: str | None = None  # a take: the flow run taking it (see `release`)
    retry_unknown: bool = False  # a resend: services left unknown are called again


@dataclasses.dataclass
class Attempt:
    """One attempt at a dispatch, between `open_attempts` and `close_attempts`: what the sender
    needs (plain values: a sending thread never touches the session) and what was recorded."""

    dispatch: DispatchRow
    lease: datetime  # the fencing token, renewed before each service is called
    attachments: list[Attachment]
    missing: list[str]  # bulletin files named but not found: nothing is sent
    targets: list[tuple[Any, str]]  # (service, privacy name) still to be called
    confirmed: set[str]  # services that accepted it in an earlier attempt, or the office confirmed
    unknown: set[str]  # services whose earlier outcome is unknown (skipped unless resending)
    records: list[int] = dataclasses.field(default_factory=list)  # this attempt's delivery ids, in order
    results: list[ServiceResult] = dataclasses.field(default_factory=list)

    @property
    def subject(self) -> str:
        return self.dispatch.subject

    @property
    def body(self) -> str:
        return self.dispatch.body

    @property
    def messages(self) -> int:
        return sum(1 for r in self.results if r.ok)

    def answered(self, result: ServiceResult) -> tuple[int, ServiceResult]:
        """Note the answer of the service last started; its delivery row and the answer, for `finish_sends`."""
        record = self.records[len(self.results)]
        self.results.append(result)
        return record, result


def attempt(
    session: Session,
    dispatch_id: int,
    *,
    channels: Channels,
    zone: tzinfo,
    lease: datetime,
    now: datetime | None = None,
    checkpoint: Checkpoint = _no_checkpoint,
    retry_unknown: bool = False,
) -> tuple[str, int]:
    """One attempt at every service that has not yet accepted the dispatch; returns (status, messages sent).

    The caller holds the dispatch (a fresh claim, or `take`) under `lease`. The lease is renewed
    before each service is called and the final status written only while this run still holds
    it (`renew`); when another run took the dispatch (this one was too slow), the attempt stops
    sending and returns LOST, leaving the dispatch to that run. `sending` rows found now belong
    to a run that died mid-send: they become `unknown` and are not sent again unless `retry_unknown`.

    The steps (`open_attempts`, `start_sends`, `finish_sends`, `close_attempts`) are what a
    delivery run's single writer applies for its sending threads, many attempts at a time
    (wufei.notify.runs); here, for one attempt, one after the other on one session.
    """
    [started] = open_attempts(
        session, [Opening(dispatch_id, lease, retry_unknown=retry_unknown)], channels=channels, zone=zone, now=now
    )
    if started is None:
        return LOST, 0
    for index, (service, name) in enumerate(started.targets):
        if index and not start_sends(session, [(started, name)], now=now)[0]:
            return LOST, started.messages  # another run has the dispatch now: it sends the rest, records the outcome
        checkpoint()  # durable before the network call: a crash now leaves a visible `sending` row
        result = channels.send_to(service, name, started.subject, started.body, attachments=started.attachments)
        finish_sends(session, [started.answered(result)])
    [outcome] = close_attempts(session, [started], zone=zone, now=now)
    return outcome


def open_attempts(
    session: Session,
    openings: list[Opening],
    *,
    channels: Channels,
    zone: tzinfo,
    now: datetime | None = None,
) -> list[Attempt | None]:
    """Hold each dispatch (renew its lease, or `take` it) and read what the attempt sends, to which
    services, and add the `sending` row of its first service (the caller makes it durable before
    the call). None for a dispatch not held (the lease was lost, or another retrier took it).
    `sending` rows of a run that died become `unknown`.

    A few statements for all of them: the leases renewed by one UPDATE per distinct lease (a
    run's claims share one, returning the dispatches' rows) or the retries taken by one (then
    read), one SELECT each for their deliveries and their bulletins, one INSERT for the `sending`
    rows."""
    held: dict[int, datetime] = {}
    rows: dict[int, DispatchRow] = {}
    renewing = {o.dispatch_id: o.lease for o in openings if o.lease is not None}
    if renewing:
        fresh, renewed = _renew_all(session, renewing, now=now, read=True)
        held.update((dispatch_id, fresh) for dispatch_id in renewed)
        rows.update((dispatch_id, row) for dispatch_id, row in renewed.items() if row is not None)
    takes = sorted({(o.ignore_backoff, o.holder or "") for o in openings if o.lease is None})
    for ignore_backoff, holder in takes:
        taking = [
            o.dispatch_id
            for o in openings
            if o.lease is None and o.ignore_backoff == ignore_backoff and (o.holder or "") == holder
        ]
        lease, taken = take_all(session, taking, now=now, ignore_backoff=ignore_backoff, holder=holder or None)
        held.update((dispatch_id, lease) for dispatch_id in taken)
    if not held:
        return [None] * len(openings)
    ids = sorted(held)
    table, deliveries_table = table_of(Dispatch), table_of(Delivery)
    unread = [dispatch_id for dispatch_id in ids if dispatch_id not in rows]  # retries: read after `take_all`
    if unread:
        columns = [table.c[name] for name in DISPATCH_ROW]
        rows.update(
            (row.id, DispatchRow(**row._mapping))
            for row in session.execute(select(*columns).where(table.c.id.in_(unread)))
        )
    records: dict[int, list[tuple[int, str, DeliveryStatus]]] = {}
    for record_id, dispatch_id, service_url, status in session.execute(
        select(
            deliveries_table.c.id,
            deliveries_table.c.dispatch_id,
            deliveries_table.c.service_url,
            deliveries_table.c.status,
        )
        .where(deliveries_table.c.dispatch_id.in_(ids))
        .order_by(deliveries_table.c.id)
    ):
        records.setdefault(dispatch_id, []).append((record_id, service_url, status))
    bulletins = carried_attachments_of(session, ids)

    abandoned = [(dispatch_id, r) for dispatch_id in ids for r in records.get(dispatch_id, ()) if r[2] == "sending"]
    if abandoned:
        error = "发送过程中运行中断，无法确认是否已送达"
        session.execute(
            update(deliveries_table)
            .where(deliveries_table.c.id.in_([r[0] for _, r in abandoned]))
            .values(status=DeliveryStatus.UNKNOWN, error=error)
        )
        for dispatch_id in sorted({dispatch_id for dispatch_id, _ in abandoned}):
            problems = [f"{r[1]}：{error}" for d, r in abandoned if d == dispatch_id]
            _flag_office(session, rows[dispatch_id], problems, outcome="unknown", zone=zone, now=now)
    arrived = {DeliveryStatus.SENT, DeliveryStatus.CONFIRMED}
    opened: dict[int, Attempt] = {}
    for opening in openings:
        row = rows.get(opening.dispatch_id) if opening.dispatch_id in held else None
        if opening.dispatch_id in held and row is None:
            raise LookupError(f"找不到发送记录 {opening.dispatch_id}")
        if row is None or row.id in opened:
            continue
        statuses = [
            (url, DeliveryStatus.UNKNOWN if status == "sending" else status)
            for _, url, status in records.get(row.id, ())
        ]
        done = arrived if opening.retry_unknown else arrived | {DeliveryStatus.UNKNOWN}
        confirmed = {url for url, status in statuses if status in arrived}
        unknown = (
            set() if opening.retry_unknown else {url for url, s in statuses if s == DeliveryStatus.UNKNOWN} - confirmed
        )
        attachments, missing = bulletins.get(row.id, ([], []))
        opened[row.id] = Attempt(
            dispatch=row,
            lease=held[row.id],
            attachments=attachments,
            missing=missing,
            targets=[] if missing else channels.targets(row.tag, skip={url for url, s in statuses if s in done}),
            confirmed=confirmed,
            unknown=unknown,
        )
    first = [(a, a.targets[0][1]) for a in opened.values() if a.targets]
    _add_sending(session, first, now=now)
    return [opened.pop(o.dispatch_id, None) for o in openings]  # a dispatch named twice is opened once


def start_sends(session: Session, starts: list[tuple[Attempt, str]], *, now: datetime | None = None) -> list[bool]:
    """Before each service `name` is called (after an attempt's first, whose lease `open_attempts`
    renewed): renew the attempt's lease and add the service's `sending` row, which the caller
    makes durable before the call. False where another run has the dispatch now (nothing written)."""
    fresh, held = _renew_all(session, {a.dispatch.id: a.lease for a, _ in starts}, now=now)
    going = [(a, name) for a, name in starts if a.dispatch.id in held]
    for started, _ in going:
        started.lease = fresh
    _add_sending(session, going, now=now)
    return [a.dispatch.id in held for a, _ in starts]


def _add_sending(session: Session, starts: list[tuple[Attempt, str]], *, now: datetime | None) -> None:
    if not starts:
        return
    table, at = table_of(Delivery), clock(now)
    ids = session.execute(
        insert(table).returning(table.c.id, sort_by_parameter_order=True),
        [
            {
                "dispatch_id": a.dispatch.id,
                "service_url": name,
                "status": DeliveryStatus.SENDING,
                "error": None,
                "duration_ms": 0,
                "attempted_at": at,
            }
            for a, name in starts
        ],
    ).scalars()
    for (started, _), record_id in zip(starts, ids, strict=True):
        started.records.append(record_id)


def finish_sends(session: Session, answers: list[tuple[int, ServiceResult]]) -> None:
    """Each service's answer on this run's own `sending` row (`Attempt.answered`): a fact, or
    `unknown` when the message may have been taken. Written whoever holds the dispatch by then."""
    if not answers:
        return
    table = table_of(Delivery)
    session.execute(
        update(table)
        .where(table.c.id == bindparam("record"))
        .values(
            status=bindparam("answer", type_=table.c.status.type),
            error=bindparam("reason", type_=table.c.error.type),
            duration_ms=bindparam("took", type_=table.c.duration_ms.type),
        ),
        [
            {
                "record": record_id,
                "answer": DeliveryStatus.SENT
                if result.ok
                else DeliveryStatus.UNKNOWN
                if result.unknown
                else DeliveryStatus.FAILED,
                "reason": result.error,
                "took": result.duration_ms,
            }
            for record_id, result in answers
        ],
    )


def close_attempts(
    session: Session, attempts: list[Attempt], *, zone: tzinfo, now: datetime | None = None
) -> list[tuple[str, int]]:
    """Each dispatch's outcome from every service's answer, written only under the attempt's lease
    (else LOST); the office is flagged for unknown outcomes and for giving up. One UPDATE for all
    the attempts with the same lease and the same outcome (a run's are mostly `sent`)."""
    finished = clock(now)
    rows: list[dict[str, Any]] = []
    planned: list[tuple[Attempt, DispatchStatus, list[str], list[ServiceResult]]] = []
    groups: dict[tuple[Any, ...], list[int]] = {}
    for started in attempts:
        dispatch, results = started.dispatch, started.results
        doubtful = [r for r in results if r.unknown]
        unknown = started.unknown | {r.service_url for r in doubtful}
        problems = [f"{r.service_url}：{r.error}" for r in results if not r.ok and not r.unknown]
        failure = None
        if started.missing:  # sent without its bulletin, the message would be marked sent and the bulletin lost
            failure = (NO_ATTACHMENT, "附件不存在，未发送：" + "、".join(started.missing))
            problems.append(f"{NO_ATTACHMENT}：{failure[1]}")
        elif not results and not started.confirmed and not unknown:
            failure = (NO_SERVICE, f"没有带标签 {dispatch.tag} 或 fallback 的通知渠道")
        if failure is not None:
            rows.append(
                {
                    "dispatch_id": dispatch.id,
                    "service_url": failure[0],
                    "status": DeliveryStatus.FAILED,
                    "error": failure[1],
                    "duration_ms": 0,
                    "attempted_at": finished,
                }
            )
        failed = failure is not None or bool(problems)  # failures known to be before acceptance: the only ones retried
        attempts_made = dispatch.attempts + 1
        moments: tuple[datetime | None, datetime | None]  # next_attempt_at, sent_at
        if not failed and unknown:
            status, moments = DispatchStatus.UNKNOWN, (None, None)
        elif not failed:
            status, moments = DispatchStatus.SENT, (None, finished)
        elif attempts_made >= MAX_ATTEMPTS:
            status, moments = DispatchStatus.PERMANENT, (None, None)
        else:
            status, moments = DispatchStatus.FAILED, (finished + backoff(attempts_made), None)
        groups.setdefault((started.lease, status, attempts_made, *moments), []).append(dispatch.id)
        planned.append((started, status, problems, doubtful))
    if rows:
        session.execute(insert(table_of(Delivery)), rows)
    written: set[int] = set()
    for (lease, status, attempts_made, next_attempt_at, sent_at), ids in groups.items():
        changes: dict[str, Any] = {"status": str(status), "attempts": attempts_made, "next_attempt_at": next_attempt_at}
        if sent_at is not None:
            changes["sent_at"] = sent_at
        written |= _fenced_update(session, ids, lease, **changes)
    outcomes: list[tuple[str, int]] = []
    for started, status, problems, doubtful in planned:
        if started.dispatch.id not in written:
            outcomes.append((LOST, started.messages))
            continue
        dispatch = dataclasses.replace(started.dispatch, attempts=started.dispatch.attempts + 1)
        if doubtful:  # the office checks with the recipient, then confirms or resends
            reasons = [f"{r.service_url}：{r.error}" for r in doubtful]
            _flag_office(session, dispatch, reasons, outcome="unknown", zone=zone, now=now)
        if status == DispatchStatus.PERMANENT:
            _flag_office(session, dispatch, problems, zone=zone, now=now)
        outcomes.append((str(status), started.messages))
    return outcomes


def awaiting_office(session: Session, *, now: datetime | None = None, limit: int = 200) -> list[dict[str, Any]]:
    """Dispatches the office must decide on, newest first: outcome unknown (confirm or resend) and
    given up after the last attempt (resend), each with its deliveries (as `dispatch_as_dict`)."""
    now = clock(now)
    found = list(
        session.scalars(
            select(Dispatch)
            .where(Dispatch.status.in_([DispatchStatus.UNKNOWN, DispatchStatus.PERMANENT]))
            .order_by(Dispatch.day.desc(), Dispatch.id.desc())
            .limit(limit)
        )
    )
    records: dict[int, list[Delivery]] = {}
    if found:
        for record in session.scalars(
            select(Delivery).where(Delivery.dispatch_id.in_([d.id for d in found])).order_by(Delivery.id)
        ):
            records.setdefault(record.dispatch_id, []).append(record)
    return [dispatch_as_dict(d, records.get(d.id, []), now=now) for d in found]


def deliveries(session: Session, dispatch_id: int) -> list[Delivery]:
    return list(session.scalars(select(Delivery).where(Delivery.dispatch_id == dispatch_id).order_by(Delivery.id)))


def carried_attachments(session: Session, dispatch_id: int) -> tuple[list[Attachment], list[str]]:
    """The bulletin documents named by the `bulletin_ready` intents a dispatch carries (payload
    `files`, else `path`), each named for the recipient after the bulletin's Chinese title: the
    files on disk have ASCII names, a reader should see 「2024年5月无废城市建设工作通报.docx」.
    Also the files named but not found (the dispatch must not go without them)."""
    return carried_attachments_of(session, [dispatch_id]).get(dispatch_id, ([], []))


def carried_attachments_of(session: Session, dispatch_ids: list[int]) -> dict[int, tuple[list[Attachment], list[str]]]:
    """`carried_attachments` of many dispatches in one query (only those that carry a bulletin)."""
    rows = session.execute(
        select(DispatchIntent.dispatch_id, NoticeIntent.payload)
        .join(DispatchIntent, DispatchIntent.intent_id == NoticeIntent.id)
        .where(DispatchIntent.dispatch_id.in_(dispatch_ids), NoticeIntent.kind == NoticeKind.BULLETIN_READY)
        .order_by(DispatchIntent.dispatch_id, NoticeIntent.id)
    )
    found: dict[int, dict[Path, Attachment]] = {}
    missing: dict[int, list[str]] = {}
    for dispatch_id, payload in rows:
        payload = payload or {}
        carried, absent = found.setdefault(dispatch_id, {}), missing.setdefault(dispatch_id, [])
        for file in payload.get("files") or [payload.get("path")]:
            path = Path(file) if file else None
            if path is None or path in carried:
                continue
            if not path.is_file():
                absent.append(str(path))
                continue
            title = payload.get("title")
            carried[path] = Attachment(path=path, name=f"{title}{path.suffix}" if title else path.name)
    return {dispatch_id: (list(carried.values()), missing[dispatch_id]) for dispatch_id, carried in found.items()}


def new_summary(**fields: Any) -> dict[str, Any]:
    return {**fields, "sent": 0, "failed": 0, "permanent": 0, "unknown": 0, "messages": 0}


def tally(summary: dict[str, Any], outcome: tuple[str, int]) -> None:
    status, messages = outcome
    summary[status] = summary.get(status, 0) + 1
    summary["messages"] += messages


def dispatch_views(
    session: Session, intent_ids: list[int], *, now: datetime | None = None
) -> dict[int, list[dict[str, Any]]]:
    """For each intent id, the dispatches that carried it with their deliveries (JSON-safe).

    `stuck` marks a claim whose run died (lease run out while `claimed`, or a `sending` row left
    behind): the next retry handles it as described above."""
    now = now or utcnow()
    wanted = set(intent_ids)
    if not wanted:
        return {}
    carried: dict[int, set[int]] = {}
    wanted_ids = sorted(wanted)
    for start in range(0, len(wanted_ids), 5000):
        for intent_id, dispatch_id in session.execute(
            select(DispatchIntent.intent_id, DispatchIntent.dispatch_id).where(
                DispatchIntent.intent_id.in_(wanted_ids[start : start + 5000])
            )
        ):
            carried.setdefault(dispatch_id, set()).add(intent_id)
    carrying: list[tuple[Dispatch, set[int]]] = [
        (dispatch, carried[dispatch.id])
        for dispatch in session.scalars(select(Dispatch).where(Dispatch.id.in_(list(carried))).order_by(Dispatch.id))
    ]
    records: dict[int, list[Delivery]] = {}
    ids = [dispatch.id for dispatch, _ in carrying]
    for start in range(0, len(ids), 5000):
        for record in session.scalars(
            select(Delivery).where(Delivery.dispatch_id.in_(ids[start : start + 5000])).order_by(Delivery.id)
        ):
            records.setdefault(record.dispatch_id, []).append(record)
    by_intent: dict[int, list[dict[str, Any]]] = {}
    for dispatch, carried_ids in carrying:
        view = dispatch_as_dict(dispatch, records.get(dispatch.id, []), now=now)
        for intent_id in carried_ids:
            by_intent.setdefault(intent_id, []).append(view)
    return by_intent


def dispatch_as_dict(dispatch: Dispatch, records: list[Delivery], *, now: datetime) -> dict[str, Any]:
    lease_over = dispatch.next_attempt_at is not None and dispatch.next_attempt_at <= now
    stuck = lease_over and (
        dispatch.status == DispatchStatus.CLAIMED or any(r.status == DeliveryStatus.SENDING for r in records)
    )
    return {
        "id": dispatch.id,
        "key": dispatch.key,
        "day": dispatch.day.isoformat(),
        "tag": dispatch.tag,
        "audience": dispatch.audience,
        "subject": dispatch.subject,
        "status": dispatch.status,
        "stuck": stuck,
        "attempts": dispatch.attempts,
        "next_attempt_at": dispatch.next_attempt_at.isoformat() if dispatch.next_attempt_at else None,
        "sent_at": dispatch.sent_at.isoformat() if dispatch.sent_at else None,
        "deliveries": [
            {
                "service": r.service_url,
                "status": r.status,
                "error": r.error,
                "duration_ms": r.duration_ms,
                "attempted_at": r.attempted_at.isoformat(),
            }
            for r in records
        ],
    }


# --- helpers ----------------------------------------------------------------------------------


def _claim(session: Session, digests: list[Digest], now: datetime, *, holder: str | None = None) -> list[int | None]:
    """Each digest's new dispatch id, or None when its key is taken or another claim carries one
    of its intents (then the dispatch is deleted again: its text names intents it would not carry).

    Two statements for all of them (each an INSERT … ON CONFLICT DO NOTHING RETURNING, sent as
    many rows at once): the constraints decide row by row, exactly as one insert per digest would."""
    if not digests:
        return []
    name = session.get_bind().dialect.name
    dialect = {"postgresql": postgresql, "sqlite": sqlite}.get(name)
    if dialect is None:
        raise NotImplementedError(f"不支持的数据库：{name}（应为 SQLite 或 PostgreSQL）")
    dispatches, links = table_of(Dispatch), table_of(DispatchIntent)
    inserted = session.execute(
        dialect.insert(dispatches)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(dispatches.c.id, dispatches.c.key),
        [
            {
                "key": digest.key,
                "day": digest.day,
                "audience": digest.audience,
                "department_id": digest.department_id,
                "tag": digest.tag,
                "subject": digest.subject,
                "body": digest.body,
                "status": str(DispatchStatus.CLAIMED),
                "attempts": 0,
                "next_attempt_at": now + LEASE,
                "holder": holder,
                "created_at": now,
                "sent_at": None,
            }
            for digest in digests
        ],
    ).all()
    ids = {key: dispatch_id for dispatch_id, key in inserted}
    ours = [(ids[digest.key], digest) for digest in digests if digest.key in ids]
    if not ours:
        return [None] * len(digests)
    carried = session.execute(
        dialect.insert(links)
        .on_conflict_do_nothing(index_elements=["intent_id"])
        .returning(links.c.intent_id, links.c.dispatch_id),
        [{"intent_id": intent_id, "dispatch_id": dispatch_id} for dispatch_id, d in ours for intent_id in d.intent_ids],
    ).all()
    counts: dict[int, int] = {}
    for _, dispatch_id in carried:
        counts[dispatch_id] = counts.get(dispatch_id, 0) + 1
    short = {dispatch_id for dispatch_id, digest in ours if counts.get(dispatch_id, 0) != len(digest.intent_ids)}
    if short:  # their links go with them (cascade)
        session.execute(delete(dispatches).where(dispatches.c.id.in_(sorted(short))))
    return [ids[d.key] if d.key in ids and ids[d.key] not in short else None for d in digests]


def _flag_office(
    session: Session,
    dispatch: DispatchRow,
    errors: list[str],
    *,
    zone: tzinfo,
    outcome: str = "failed",
    now: datetime | None = None,
) -> None:
    kinds = set(
        session.scalars(
            select(NoticeIntent.kind)
            .join(DispatchIntent, DispatchIntent.intent_id == NoticeIntent.id)
            .where(DispatchIntent.dispatch_id == dispatch.id)
        )
    )
    if kinds <= {NoticeKind.DELIVERY_FAILED}:  # a failed failure notice is not reported again (no loop)
        return
    error = "；".join(errors) or "没有匹配的通知渠道"
    prefix = "delivery_unknown" if outcome == "unknown" else "delivery_failed"
    create_intents(
        session,
        [
            {
                "key": f"{prefix}|dispatch:{dispatch.id}|attempt:{dispatch.attempts}",
                "kind": str(NoticeKind.DELIVERY_FAILED),
                "step": prefix,
                "audience": "office",
                "department_id": dispatch.department_id,
                "task_id": None,
                "period": dispatch.day.isoformat(),
                "created_on": max(dispatch.day, clock(now).astimezone(zone).date()),
                "payload": {
                    "dispatch_id": dispatch.id,
                    "dispatch_key": dispatch.key,
                    "tag": dispatch.tag,
                    "day": dispatch.day.isoformat(),
                    "attempts": dispatch.attempts,
                    "subject": dispatch.subject,
                    "error": error[:1000],
                    "outcome": outcome,
                },
            }
        ],
    )

"""Password guessing: failed sign-ins are counted per account name and per client address, and
too many in a window lock that name or address out for a while.

Counting uses `limits` (a moving window). Its storage is in memory by default, which is right for
one portal process; several processes (or hosts) behind one address must share a storage, named by
WUFEI_RATE_LIMIT_STORAGE (e.g. `redis://127.0.0.1:6379`, see the `limits` docs), or each counts
alone and a guesser gets that many more tries. A lockout, once reached, is a row of
`sign_in_lockouts`: every process and the CLI see it, and the office can lift it.

An account name is counted whether or not the account exists, so a lockout does not tell which
names are real. Services take a Session and never commit.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import select
from sqlalchemy.orm import Session

from wufei.accounts.models import SignInLockout
from wufei.audit.service import record

ACCOUNT, ADDRESS = "account", "address"
KIND_NAMES = {ACCOUNT: "账号", ADDRESS: "来源地址"}


class LockoutError(ValueError):
    """A lockout that cannot be lifted; the message is Chinese."""


@dataclass(frozen=True)
class ThrottleRules:
    account_failures: str = "5 per 15 minutes"  # failed sign-ins with one account name
    address_failures: str = "20 per 15 minutes"  # failed sign-ins from one address, whatever the names
    lockout: timedelta = timedelta(minutes=15)


class SignInThrottle:
    """Counts failed sign-ins; says when a name or an address has had too many."""

    def __init__(self, rules: ThrottleRules | None = None, storage: str | None = None):
        self.rules = rules or ThrottleRules()
        uri = storage or os.environ.get("WUFEI_RATE_LIMIT_STORAGE") or "memory://"
        self._limiter = MovingWindowRateLimiter(storage_from_string(uri))
        self._limits: dict[str, RateLimitItem] = {
            ACCOUNT: parse(self.rules.account_failures),
            ADDRESS: parse(self.rules.address_failures),
        }

    def failed(self, *, username: str | None, address: str) -> list[tuple[str, str, int]]:
        """Count one failure (against the address only when no name was tried); the (kind, key,
        failures) now over their limit (their count starts again: the lockout row takes over)."""
        tripped = []
        for kind, key in ((ACCOUNT, normalized(username or "")), (ADDRESS, address)):
            if not key:
                continue
            item = self._limits[kind]
            # The limit'th failure locks: `test` says whether one more would still fit.
            if not self._limiter.hit(item, kind, key) or not self._limiter.test(item, kind, key):
                tripped.append((kind, key, item.amount))
                self._limiter.clear(item, kind, key)
        return tripped

    def succeeded(self, *, username: str) -> None:
        """The right password: the name's failures are forgotten (the address's are not)."""
        self._limiter.clear(self._limits[ACCOUNT], ACCOUNT, normalized(username))


def normalized(username: str) -> str:
    return (username or "").strip().lower()[:200]


def active_lockout(session: Session, *, username: str, address: str, at: datetime) -> SignInLockout | None:
    """The lockout in force on this account name or this address, if any (the longest)."""
    return session.scalar(
        select(SignInLockout)
        .where(
            SignInLockout.lifted_at.is_(None),
            SignInLockout.until > at,
            ((SignInLockout.kind == ACCOUNT) & (SignInLockout.key == normalized(username)))
            | ((SignInLockout.kind == ADDRESS) & (SignInLockout.key == address)),
        )
        .order_by(SignInLockout.until.desc())
        .limit(1)
    )


def lock(session: Session, *, kind: str, key: str, failures: int, at: datetime, duration: timedelta) -> SignInLockout:
    row = SignInLockout(kind=kind, key=key[:200], locked_at=at, until=at + duration, failures=failures)
    session.add(row)
    session.flush()
    record(
        session,
        actor="门户登录保护",
        action="lock",
        entity="sign_in_lockouts",
        entity_id=row.id,
        entity_key=f"{kind}:{key}",
        changes={"until": [None, row.until.isoformat()], "failures": [None, failures]},
    )
    return row


def list_lockouts(session: Session, *, at: datetime, include_past: bool = False) -> list[SignInLockout]:
    """Lockouts in force (newest first); with `include_past`, the lifted and expired ones too."""
    query = select(SignInLockout).order_by(SignInLockout.locked_at.desc(), SignInLockout.id.desc())
    if not include_past:
        query = query.where(SignInLockout.lifted_at.is_(None), SignInLockout.until > at)
    return list(session.scalars(query))


def lift_lockout(session: Session, *, lockout_id: int, at: datetime, actor: str) -> SignInLockout:
    row = session.get(SignInLockout, lockout_id)
    if row is None:
        raise LockoutError(f"找不到登录锁定记录 {lockout_id}")
    if row.lifted_at is not None or row.until <= at:
        raise LockoutError(f"{KIND_NAMES.get(row.kind, row.kind)}「{row.key}」的锁定已解除或已到期")
    row.lifted_at, row.lifted_by = at, actor[:200]
    record(
        session,
        actor=actor,
        action="unlock",
        entity="sign_in_lockouts",
        entity_id=row.id,
        entity_key=f"{row.kind}:{row.key}",
        changes={"lifted_at": [None, at.isoformat()]},
    )
    return row


def lockout_as_dict(row: SignInLockout) -> dict[str, object]:
    return {
        "id": row.id,
        "kind": row.kind,
        "kind_cn": KIND_NAMES.get(row.kind, row.kind),
        "key": row.key,
        "locked_at": row.locked_at.isoformat(),
        "until": row.until.isoformat(),
        "failures": row.failures,
        "lifted_at": row.lifted_at.isoformat() if row.lifted_at else None,
        "lifted_by": row.lifted_by,
    }


def record_failure(session: Session, *, username: str, address: str, how: str) -> None:
    """A failed sign-in in the audit trail (the password is never written)."""
    record(
        session,
        actor="匿名",
        action="sign_in_failed",
        entity="users",
        entity_id=None,
        entity_key=f"user:{normalized(username)}" if username else f"address:{address}",
        changes={"address": [None, address], "how": [None, how]},
    )

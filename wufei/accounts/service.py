"""Accounts, passwords, sign-in links and sessions. Services take a Session and never commit.

- Passwords: stdlib scrypt (n=2**14, r=8, p=1) with a 16-byte per-user salt, stored as
  `scrypt$n$r$p$salt$hash` so the cost can be raised later without breaking old hashes.
- Sign-in links (in reminders): a random token shown once; only its SHA-256 is stored. A link
  is redeemed by one conditional UPDATE (unused and unexpired → used), so two clicks at once
  sign in once.
- Sessions: a random cookie value (stored as SHA-256) and a per-session CSRF token.
Every change is written to the audit trail.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, joinedload, selectinload

from wufei.accounts.models import SignInToken, User, UserRole, WebSession
from wufei.audit.service import record
from wufei.departments.models import Department

ROLE_NAMES = {UserRole.OFFICE: "领导小组办公室", UserRole.LIAISON: "专班联系人", UserRole.LEADER: "领导"}
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SIGN_IN_LINK_HOURS = 72
SESSION_HOURS = 12
_USERNAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789._-")


class AccountError(ValueError):
    """An account operation that cannot be done; the message is Chinese."""


# --- passwords --------------------------------------------------------------------------------


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


_TIMING_HASH = hash_password("timing-equaliser")  # checked against when there is no real hash


def verify_password(password: str, stored: str | None) -> bool:
    if not stored:
        return False
    try:
        scheme, n, r, p, salt, expected = stored.split("$")
        if scheme != "scrypt":
            return False
        digest = hashlib.scrypt(
            password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=len(expected) // 2
        )
    except ValueError:
        return False
    return hmac.compare_digest(digest.hex(), expected)


def person(user: User) -> str:
    """How a portal user is named in the audit trail and on records: 王五（eco）, the display
    name people read with the unique account name beside it."""
    return f"{user.display_name}（{user.username}）" if user.display_name != user.username else user.username


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# --- users ------------------------------------------------------------------------------------


def add_user(
    session: Session,
    *,
    username: str,
    role: UserRole | str,
    display_name: str | None = None,
    department_id: int | None = None,
    password: str | None = None,
    actor: str,
) -> User:
    """Create an account. A liaison belongs to exactly one department; the office and leaders to none."""
    username = (username or "").strip().lower()
    if not username or not set(username) <= _USERNAME_CHARS or len(username) > 64:
        raise AccountError(f"用户名只能由小写字母、数字和 . _ - 组成（最多64个字符）：「{username}」")
    try:
        role = UserRole(role)
    except ValueError:
        raise AccountError(f"角色应为 office、liaison 或 leader：「{role}」") from None
    if role == UserRole.LIAISON and department_id is None:
        raise AccountError("专班联系人账号须指定所属部门")
    if role != UserRole.LIAISON and department_id is not None:
        raise AccountError("只有专班联系人账号属于某个部门")
    if department_id is not None and session.get(Department, department_id) is None:
        raise AccountError(f"找不到部门 {department_id}")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise AccountError(f"用户名「{username}」已存在")
    if password is not None and len(password) < 8:
        raise AccountError("密码至少8个字符")
    user = User(
        username=username,
        display_name=(display_name or username).strip()[:200],
        role=str(role),
        department_id=department_id,
        password_hash=hash_password(password) if password else None,
    )
    session.add(user)
    session.flush()
    record(
        session,
        actor=actor,
        action="create",
        entity="users",
        entity_id=user.id,
        entity_key=f"user:{username}",
        changes={
            "role": [None, str(role)],
            "department_id": [None, department_id],
            "password": [None, "set" if password else None],
        },
    )
    return user


def find_user(session: Session, username: str) -> User | None:
    return session.scalar(
        select(User).options(selectinload(User.department)).where(User.username == (username or "").strip().lower())
    )


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).options(selectinload(User.department)).order_by(User.id)))


def authenticate(session: Session, *, username: str, password: str) -> User | None:
    """The active user with this name and password, else None (the same answer for both mistakes)."""
    user = find_user(session, username)
    stored = user.password_hash if user is not None and user.active else None
    # One scrypt run whatever the mistake (unknown name, inactive, link-only account), so the
    # time taken does not tell which names exist.
    if not verify_password(password, stored or _TIMING_HASH) or stored is None:
        return None
    return user


# --- sign-in links ----------------------------------------------------------------------------


def issue_sign_in_token(
    session: Session, *, user_id: int, at: datetime, hours: float = SIGN_IN_LINK_HOURS, actor: str
) -> str:
    """A new single-use token for the user, valid `hours` from `at`; returned once, stored hashed."""
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise AccountError(f"找不到可用的账号 {user_id}")
    token = secrets.token_urlsafe(32)
    row = SignInToken(
        user_id=user.id, token_hash=token_hash(token), created_at=at, expires_at=at + timedelta(hours=hours)
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor=actor,
        action="create",
        entity="sign_in_tokens",
        entity_id=row.id,
        entity_key=f"user:{user.username}",
        changes={"expires_at": [None, row.expires_at.isoformat()]},
    )
    return token


def redeem_sign_in_token(session: Session, *, token: str, at: datetime) -> User:
    """The user the link is for, marking it used; an unknown, used or expired link is an AccountError."""
    hashed = token_hash(token or "")
    claimed = session.execute(
        update(SignInToken)
        .where(SignInToken.token_hash == hashed, SignInToken.used_at.is_(None), SignInToken.expires_at > at)
        .values(used_at=at)
        .returning(SignInToken.id, SignInToken.user_id)
        .execution_options(synchronize_session=False)
    ).first()
    if claimed is None:
        known = session.scalar(select(SignInToken).where(SignInToken.token_hash == hashed))
        if known is None:
            raise AccountError("登录链接无效")
        if known.used_at is not None:
            raise AccountError("登录链接已使用过，请重新获取")
        raise AccountError("登录链接已过期，请重新获取")
    user = session.get(User, claimed.user_id)
    if user is None or not user.active:
        raise AccountError("账号已停用")
    record(
        session,
        actor=person(user),
        action="sign_in",
        entity="sign_in_tokens",
        entity_id=claimed.id,
        entity_key=f"user:{user.username}",
        changes={"used_at": [None, at.isoformat()]},
    )
    return user


# --- sessions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignedIn:
    user: User
    web_session: WebSession

    @property
    def csrf_token(self) -> str:
        return self.web_session.csrf_token


def start_session(
    session: Session, *, user: User, at: datetime, hours: float = SESSION_HOURS, how: str = "password"
) -> str:
    """Sign the user in; returns the cookie value (stored only as its hash)."""
    cookie = secrets.token_urlsafe(32)
    row = WebSession(
        user_id=user.id,
        token_hash=token_hash(cookie),
        csrf_token=secrets.token_urlsafe(32),
        created_at=at,
        expires_at=at + timedelta(hours=hours),
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor=person(user),
        action="sign_in",
        entity="web_sessions",
        entity_id=row.id,
        entity_key=f"user:{user.username}",
        changes={"how": [None, how]},
    )
    return cookie


def session_user(session: Session, *, cookie: str | None, at: datetime) -> SignedIn | None:
    if not cookie:
        return None
    # Every page asks: one SELECT joining the user and their department (each is many-to-one),
    # not one per relationship.
    row = session.scalar(
        select(WebSession)
        .options(joinedload(WebSession.user).joinedload(User.department))
        .where(WebSession.token_hash == token_hash(cookie), WebSession.expires_at > at)
    )
    if row is None or not row.user.active:
        return None
    return SignedIn(row.user, row)


def end_session(session: Session, *, cookie: str | None) -> None:
    """Sign out: the session row goes, and the audit trail says who left."""
    if not cookie:
        return
    row = session.scalar(
        select(WebSession).options(selectinload(WebSession.user)).where(WebSession.token_hash == token_hash(cookie))
    )
    if row is None:
        return
    record(
        session,
        actor=person(row.user),
        action="sign_out",
        entity="web_sessions",
        entity_id=row.id,
        entity_key=f"user:{row.user.username}",
        changes={},
    )
    session.delete(row)


# --- disabling and passwords -------------------------------------------------------------------


def _ends_access(session: Session, user: User, *, at: datetime, links: bool) -> dict[str, int]:
    """The user's sessions end (their cookies are refused from the next request) and, with `links`,
    their unused sign-in links expire; the counts, for the audit trail."""
    ended = session.execute(
        delete(WebSession)
        .where(WebSession.user_id == user.id)
        .returning(WebSession.id)
        .execution_options(synchronize_session=False)
    ).all()
    expired = 0
    if links:
        expired = len(
            session.execute(
                update(SignInToken)
                .where(SignInToken.user_id == user.id, SignInToken.used_at.is_(None), SignInToken.expires_at > at)
                .values(expires_at=at)
                .returning(SignInToken.id)
                .execution_options(synchronize_session=False)
            ).all()
        )
    return {"sessions_ended": len(ended), "links_expired": expired}


def set_active(session: Session, *, username: str, active: bool, at: datetime, actor: str) -> User:
    """Disable an account (its sessions end and its unused sign-in links expire at once) or enable
    it again. Disabling a disabled account, or enabling an enabled one, is an AccountError."""
    user = find_user(session, username)
    if user is None:
        raise AccountError(f"找不到账号「{username}」")
    if user.active == active:
        raise AccountError(f"账号「{user.username}」{'已是启用状态' if active else '已停用'}")
    user.active = active
    ended = {} if active else _ends_access(session, user, at=at, links=True)
    session.flush()
    record(
        session,
        actor=actor,
        action="enable" if active else "disable",
        entity="users",
        entity_id=user.id,
        entity_key=f"user:{user.username}",
        changes={"active": [not active, active], **{k: [None, v] for k, v in ended.items()}},
    )
    return user


def set_password(session: Session, *, username: str, password: str, at: datetime, actor: str) -> User:
    """A new password; every session the account had ends (a forgotten or leaked password is why)."""
    user = find_user(session, username)
    if user is None:
        raise AccountError(f"找不到账号「{username}」")
    if len(password or "") < 8:
        raise AccountError("密码至少8个字符")
    user.password_hash = hash_password(password)
    ended = _ends_access(session, user, at=at, links=False)
    session.flush()
    record(
        session,
        actor=actor,
        action="set_password",
        entity="users",
        entity_id=user.id,
        entity_key=f"user:{user.username}",
        changes={"password": [None, "set"], "sessions_ended": [None, ended["sessions_ended"]]},
    )
    return user


def user_as_dict(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role,
        "role_cn": ROLE_NAMES[UserRole(user.role)],
        "department_id": user.department_id,
        "department": user.department.name if user.department else None,
        "active": user.active,
        "password": bool(user.password_hash),
    }


def portal_url() -> str:
    """The portal's address as people reach it (WUFEI_PORTAL_URL), for links in messages."""
    return (os.environ.get("WUFEI_PORTAL_URL") or "http://127.0.0.1:8000").rstrip("/")


def sign_in_link(
    session: Session,
    *,
    user_id: int,
    at: datetime,
    hours: float = SIGN_IN_LINK_HOURS,
    actor: str,
    base_url: str | None = None,
) -> str:
    """A single-use sign-in link for the user (for a reminder), valid `hours`."""
    token = issue_sign_in_token(session, user_id=user_id, at=at, hours=hours, actor=actor)
    return f"{(base_url or portal_url()).rstrip('/')}/signin/{token}"

"""Accounts of the web portal.

A user has one role: the office (领导小组办公室), a department's liaison (专班联系人, bound to
its department) or a leader (read-only). Secrets are never stored: passwords as scrypt hashes
with a per-user salt, sign-in links and session cookies as their SHA-256.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wufei.db import Base, EnumText, Name, ShortText, utcnow
from wufei.departments.models import Department


class UserRole(StrEnum):
    OFFICE = "office"
    LIAISON = "liaison"
    LEADER = "leader"


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[Name]
    role: Mapped[UserRole] = mapped_column(EnumText(UserRole))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    password_hash: Mapped[str | None] = mapped_column(String(300))  # None: signs in by link only
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    department: Mapped[Department | None] = relationship()


class SignInToken(Base):
    """A single-use sign-in link (in a reminder); only the token's SHA-256 is kept."""

    __tablename__ = "sign_in_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class WebSession(Base):
    """A signed-in browser: the cookie's SHA-256 and the session's CSRF token."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]

    user: Mapped[User] = relationship()


class SignInLockout(Base):
    """Password sign-in refused for an account name or an address until `until` (or until the
    office lifts it), after too many failed sign-ins. Kept in the database, not in the counting
    process, so every portal process and the CLI see and lift the same lockouts."""

    __tablename__ = "sign_in_lockouts"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ShortText]  # "account" (the name typed, known or not) or "address"
    key: Mapped[Name]  # the account name (lower case) or the client address
    locked_at: Mapped[datetime] = mapped_column(default=utcnow)
    until: Mapped[datetime] = mapped_column(index=True)
    failures: Mapped[int]
    lifted_at: Mapped[datetime | None]
    lifted_by: Mapped[Name | None]

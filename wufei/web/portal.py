"""What every page needs: settings and the clock, a unit of work, the signed-in user, CSRF, rendering.

Routes stay thin: they call `portal.work()` for a transaction, `portal.user(...)` for the
signed-in user and `portal.render(...)` for a template; the domain services do the rest.

Times: security (session and sign-in link expiry) uses the real clock; the business day (which
week's report a page shows, the day lights are judged on) comes from `Settings.today`, fixed by
WUFEI_TODAY for tests and the demo (which replays 2023).
"""

from __future__ import annotations

import hmac
import os
import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from wufei.accounts.models import UserRole
from wufei.accounts.service import ROLE_NAMES, SignedIn, session_user
from wufei.bulletins.render import bulletin_dir
from wufei.chinese import chinese_date, chinese_week, week_label
from wufei.db import transaction, utcnow
from wufei.departments.naming import qualified_name
from wufei.lights.models import LIGHT_NAMES, UNSUPERVISED
from wufei.ruleset import Ruleset
from wufei.tasks.models import LIST_NAMES, ListKind

TEMPLATES = Path(__file__).resolve().parent / "templates"
SESSION_COOKIE = "wufei_session"
ANONYMOUS_CSRF_COOKIE = "wufei_csrf"  # double-submit token for the sign-in forms (no session yet)
# Short notices shown after a redirect, by code (never text from the address bar).
NOTICES = {
    "filed": "已报送。",
    "reviewed_accept": "已采纳报告。",
    "reviewed_return": "已退回报告，已通知牵头单位重新报送。",
    "extension_requested": "已提交延期申请，等待办公室审批。",
    "extension_decided": "已审批延期申请。",
    "assigned": "已指定牵头单位。",
    "milestone_set": "已保存节点。",
    "milestone_removed": "已删除节点。",
    "signed_out": "已退出登录。",
    "doubt_decided": "已处理待确认项。",
}
IMPORT_MAX_BYTES = 20 * 1024 * 1024


class Forbidden(HTTPException):
    def __init__(self, detail: str = "无权访问此页面或执行此操作"):
        super().__init__(status_code=403, detail=detail)


class SignInRequired(Exception):
    """A page for signed-in users opened without a session: go to the sign-in page."""


def parse_today(value: str | None) -> date | None:
    return date.fromisoformat(value.strip()) if value and value.strip() else None


@dataclass
class Settings:
    engine: Engine
    today: date | None = None  # fixed business day (WUFEI_TODAY); None: the real date in Beijing
    bulletins_dir: Path = field(default_factory=bulletin_dir)  # where the cadence writes them
    public_plans: tuple[str, ...] = ()  # doc numbers published on /public ("*": every plan); empty: no public page
    secure_cookies: bool = False  # set behind HTTPS
    rules: Ruleset | None = None  # the rule files (tests pass their own); None: loaded when the portal starts
    imports_dir: Path = field(default_factory=lambda: Path(os.environ.get("WUFEI_IMPORT_DIR") or "imports"))
    import_max_bytes: int = IMPORT_MAX_BYTES  # largest plan file the office may upload

    @classmethod
    def from_environment(cls, engine: Engine, **overrides: Any) -> Settings:
        public = tuple(p.strip() for p in (os.environ.get("WUFEI_PUBLIC_PLANS") or "").split(",") if p.strip())
        values: dict[str, Any] = {
            "today": parse_today(os.environ.get("WUFEI_TODAY")),
            "public_plans": public,
            "secure_cookies": os.environ.get("WUFEI_SECURE_COOKIES") == "1",
        }
        values.update(overrides)
        return cls(engine=engine, **values)


class Portal:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.rules = settings.rules if settings.rules is not None else Ruleset.load()
        self.cadence = self.rules.cadence
        self.light_rules = self.rules.lights
        self.templates = Environment(
            loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, trim_blocks=True, lstrip_blocks=True
        )
        self.templates.filters.update(
            cn_date=_cn_date,
            cn_week=chinese_week,
            week_label=week_label,
            light_cn=lambda light: LIGHT_NAMES.get(light, UNSUPERVISED),
            local_time=self._local_time,
            file_size=_file_size,
            list_cn=_list_cn,
            qualified_name=qualified_name,
        )

    def _local_time(self, moment: datetime | None) -> str:
        if moment is None:
            return "—"
        local = moment.astimezone(self.cadence.timezone)
        return f"{chinese_date(local)} {local:%H:%M}"

    # --- the clock ---------------------------------------------------------------------------

    def today(self) -> date:
        return self.settings.today or self.cadence.today()

    def now(self) -> datetime:
        """The business moment: today's date (maybe fixed) at the real time of day in Beijing."""
        real = datetime.now(self.cadence.timezone)
        return datetime.combine(self.today(), real.time().replace(microsecond=0), tzinfo=self.cadence.timezone)

    # --- units of work -----------------------------------------------------------------------

    @contextmanager
    def work(self) -> Iterator[Session]:
        with transaction(self.settings.engine) as session:
            yield session

    # --- who is asking -----------------------------------------------------------------------

    def signed_in(self, request: Request, session: Session) -> SignedIn | None:
        return session_user(session, cookie=request.cookies.get(SESSION_COOKIE), at=utcnow())

    def user(self, request: Request, session: Session, *roles: UserRole) -> SignedIn:
        """The signed-in user, who must have one of `roles` (any role when none given)."""
        signed = self.signed_in(request, session)
        if signed is None:
            if request.method == "GET":
                raise SignInRequired()
            raise Forbidden("请先登录")
        if roles and UserRole(signed.user.role) not in roles:
            raise Forbidden()
        return signed

    @staticmethod
    def check_csrf(form: Any, signed: SignedIn) -> None:
        sent = str(form.get("csrf_token") or "")
        if not sent or not hmac.compare_digest(sent, signed.csrf_token):
            raise Forbidden("表单已失效（缺少或错误的校验码），请刷新页面后重试")

    @staticmethod
    def check_anonymous_csrf(request: Request, form: Any) -> None:
        sent, cookie = str(form.get("csrf_token") or ""), request.cookies.get(ANONYMOUS_CSRF_COOKIE) or ""
        if not sent or not cookie or not hmac.compare_digest(sent, cookie):
            raise Forbidden("表单已失效（缺少或错误的校验码），请刷新页面后重试")

    # --- rendering ---------------------------------------------------------------------------

    def render(
        self, request: Request, name: str, *, signed: SignedIn | None = None, status_code: int = 200, **context: Any
    ) -> HTMLResponse:
        user = signed.user if signed else None
        notice = NOTICES.get(request.query_params.get("notice", ""))
        html = self.templates.get_template(name).render(
            request=request,
            user=user,
            csrf_token=signed.csrf_token if signed else context.pop("csrf_token", ""),
            role=user.role if user else None,
            role_cn=ROLE_NAMES.get(UserRole(user.role)) if user else None,
            today=self.today(),
            notice=notice,
            nav=_nav(user.role if user else None, request.url.path),
            **context,
        )
        return HTMLResponse(html, status_code=status_code)

    def render_error(
        self,
        request: Request,
        message: str,
        *,
        signed: SignedIn | None = None,
        status_code: int = 400,
        back: str | None = None,
    ) -> HTMLResponse:
        if back:  # only a path of this site (a Referer may name any address)
            back = urlsplit(back).path if urlsplit(back).netloc == request.url.netloc else back
            back = back if back.startswith("/") and not back.startswith("//") else None
        heading = {403: "无权操作", 404: "找不到", 413: "文件过大"}.get(status_code, "未能完成")
        return self.render(
            request,
            "error.html.j2",
            signed=signed,
            status_code=status_code,
            message=message,
            back=back,
            heading=heading,
        )


def redirect(path: str, notice: str | None = None) -> RedirectResponse:
    return RedirectResponse(f"{path}{'&' if '?' in path else '?'}notice={notice}" if notice else path, status_code=303)


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def _nav(role: str | None, path: str) -> list[dict[str, Any]]:
    items: Iterable[tuple[str, str]] = ()
    if role == UserRole.OFFICE:
        items = (
            ("/dashboard", "总览"),
            ("/review", "审核报告"),
            ("/extensions", "延期审批"),
            ("/assign", "指定牵头单位"),
            ("/import", "导入方案"),
            ("/doubts", "待确认"),
            ("/departments", "部门"),
            ("/cells", "无废细胞"),
            ("/bulletins", "通报"),
        )
    elif role == UserRole.LEADER:
        items = (("/dashboard", "总览"), ("/departments", "部门"), ("/cells", "无废细胞"), ("/bulletins", "通报"))
    elif role == UserRole.LIAISON:
        items = (
            ("/my/tasks", "我的任务"),
            ("/my/report", "本周报送"),
            ("/my/extensions", "延期申请"),
            ("/my/reminders", "提醒"),
            ("/cells", "无废细胞"),
        )
    return [
        {"href": href, "label": label, "current": path == href or path.startswith(href + "/")} for href, label in items
    ]


def _cn_date(day: date | datetime | str | None) -> str:
    if day is None or day == "":
        return "—"
    if isinstance(day, str):
        day = date.fromisoformat(day[:10])
    if isinstance(day, datetime):
        day = day.date()
    return chinese_date(day)


def _list_cn(kind: str) -> str:
    try:
        return LIST_NAMES[ListKind(kind)]
    except ValueError:
        return kind


def _file_size(size: int) -> str:
    if size < 1024:
        return f"{size} 字节"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"

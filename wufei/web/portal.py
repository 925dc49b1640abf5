"""What every page needs: settings and the clock, a unit of work, the signed-in user, CSRF, rendering.

Routes stay thin: they call `portal.work()` for a transaction, `portal.user(...)` for the
signed-in user and `portal.render(...)` for a template; the domain services do the rest.

Times: security (session and sign-in link expiry) uses the real clock; the business day (which
week's report a page shows, the day lights are judged on) comes from `Settings.today`, fixed by
WUFEI_TODAY for tests and the demo (which replays 2023).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
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
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from wufei.accounts.models import UserRole
from wufei.accounts.service import ROLE_NAMES, SignedIn, session_user
from wufei.accounts.throttle import SignInThrottle, ThrottleRules
from wufei.bulletins.render import bulletin_dir
from wufei.calendar.service import load_calendar
from wufei.chinese import chinese_date, chinese_week, week_label
from wufei.db import transaction, utcnow
from wufei.departments.naming import qualified_name
from wufei.filetypes import size_text
from wufei.lights.models import LIGHT_NAMES, UNSUPERVISED
from wufei.lights.service import refresh_lights
from wufei.ruleset import Ruleset
from wufei.tasks.models import LIST_NAMES, ListKind

TEMPLATES = Path(__file__).resolve().parent / "templates"
SESSION_COOKIE = "wufei_session"
ANONYMOUS_CSRF_COOKIE = "wufei_csrf"  # double-submit token for the sign-in forms (no session yet)
ANONYMOUS_CSRF_SECONDS = 12 * 3600  # how long a sign-in form may stay open
# Short notices shown after a redirect, by code (never text from the address bar).
NOTICES = {
    "filed": "已报送。",
    "reviewed_accept": "已采纳报告。",
    "reviewed_return": "已退回报告，已通知牵头单位重新报送。",
    "reviewed_several": "已采纳所选报告。",
    "extension_requested": "已提交延期申请，等待办公室审批。",
    "extension_decided": "已审批延期申请。",
    "assigned": "已指定牵头单位。",
    "milestone_set": "已保存节点。",
    "milestone_removed": "已删除节点。",
    "signed_out": "已退出登录。",
    "doubt_decided": "已处理待确认项。",
    "unlocked": "已解除登录锁定。",
    "delivery_confirmed": "已确认送达，不再补发。",
    "delivery_resent": "已补发。",
    "delivery_resend_failed": "补发未成功，详见下方发送记录。",
}
IMPORT_MAX_BYTES = 20 * 1024 * 1024
ERROR_HEADINGS = {
    403: "无权操作",
    404: "找不到",
    405: "无法操作",
    413: "内容过大",
    422: "参数有误",
    429: "请稍后再试",
    500: "系统出错",
}


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
    # Signs the sign-in forms' CSRF tokens (WUFEI_SECRET_KEY). Random per process when unset: then
    # a sign-in form outlives neither a restart nor a trip to another process behind the same address.
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    throttle: ThrottleRules = field(default_factory=ThrottleRules)

    @classmethod
    def from_environment(cls, engine: Engine, **overrides: Any) -> Settings:
        public = tuple(p.strip() for p in (os.environ.get("WUFEI_PUBLIC_PLANS") or "").split(",") if p.strip())
        values: dict[str, Any] = {
            "today": parse_today(os.environ.get("WUFEI_TODAY")),
            "public_plans": public,
            "secure_cookies": os.environ.get("WUFEI_SECURE_COOKIES") == "1",
        }
        if os.environ.get("WUFEI_SECRET_KEY"):
            values["secret_key"] = os.environ["WUFEI_SECRET_KEY"]
        values.update(overrides)
        return cls(engine=engine, **values)


class Portal:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.rules = settings.rules if settings.rules is not None else Ruleset.load()
        self.cadence = self.rules.cadence
        self.light_rules = self.rules.lights
        self.throttle = SignInThrottle(settings.throttle)
        self.templates = Environment(
            loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, trim_blocks=True, lstrip_blocks=True
        )
        self.templates.filters.update(
            cn_date=_cn_date,
            cn_week=chinese_week,
            week_label=week_label,
            light_cn=lambda light: LIGHT_NAMES.get(light, UNSUPERVISED),
            local_time=self.local_time,
            file_size=size_text,
            list_cn=_list_cn,
            qualified_name=qualified_name,
        )

    def local_time(self, moment: datetime | None) -> str:
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

    def refresh_lights(self, session: Session, task_ids: Iterable[int]) -> None:
        """The tasks' lights judged again and recorded after a change is saved (wufei.lights)."""
        refresh_lights(
            session,
            task_ids=task_ids,
            as_of=self.today(),
            calendar=load_calendar(session),
            cadence=self.cadence,
            rules=self.light_rules,
        )

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

    def check_anonymous_csrf(self, request: Request, form: Any) -> None:
        """The sign-in forms: the token sent must be the cookie's and one this portal signed."""
        sent, cookie = str(form.get("csrf_token") or ""), request.cookies.get(ANONYMOUS_CSRF_COOKIE) or ""
        if not sent or not cookie or not hmac.compare_digest(sent, cookie) or not self.issued_csrf(sent):
            raise Forbidden("表单已失效（缺少或错误的校验码），请刷新页面后重试")

    def new_csrf_token(self) -> str:
        """A sign-in form's token: a random nonce and the time, signed with the portal's secret."""
        body = f"{secrets.token_urlsafe(24)}.{int(time.time())}"
        return f"{body}.{self._sign(body)}"

    def issued_csrf(self, token: str) -> bool:
        """Whether this portal signed the token, less than ANONYMOUS_CSRF_SECONDS ago."""
        body, _, signature = token.rpartition(".")
        issued = body.rpartition(".")[2]
        if not body or not issued.isdigit() or not hmac.compare_digest(signature, self._sign(body)):
            return False
        return 0 <= time.time() - int(issued) < ANONYMOUS_CSRF_SECONDS

    def _sign(self, body: str) -> str:
        key = self.settings.secret_key.encode("utf-8")
        return hmac.new(key, b"csrf:" + body.encode("utf-8"), hashlib.sha256).hexdigest()

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
            system_name=self.system_name(),
            **context,
        )
        return HTMLResponse(html, status_code=status_code)

    def system_name(self) -> str:
        """无废城市建设督查督办系统 for an office supervising a 无废城市 plan, else 督查督办系统 (a county's
        民生实事 office saw a 无废城市 banner on every page)."""
        from wufei.db import make_sessionmaker
        from wufei.plans.queries import supervises_zero_waste

        try:
            with make_sessionmaker(self.settings.engine)() as session:
                zero_waste = supervises_zero_waste(session)
        except SQLAlchemyError:  # an error page while the database is away still renders
            zero_waste = False
        return "无废城市建设督查督办系统" if zero_waste else "督查督办系统"

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
        heading = ERROR_HEADINGS.get(status_code, "未能完成")
        return self.render(
            request,
            "error.html.j2",
            signed=signed,
            status_code=status_code,
            message=message,
            back=back,
            heading=heading,
        )


NUL_MESSAGE = "提交的内容含有不可见的控制字符（NUL），请删除后重新提交"


async def read_form(request: Request, **limits: Any) -> FormData:
    """The request's form (`limits` as Starlette's `request.form` takes them), refused (400) when
    a text field holds a NUL, which no person types and PostgreSQL cannot store in text."""
    form = await request.form(**limits)
    if any(isinstance(value, str) and "\x00" in key + value for key, value in form.multi_items()):
        raise HTTPException(status_code=400, detail=NUL_MESSAGE)
    return form


def redirect(path: str, notice: str | None = None) -> RedirectResponse:
    return RedirectResponse(f"{path}{'&' if '?' in path else '?'}notice={notice}" if notice else path, status_code=303)


def _nav(role: str | None, path: str) -> list[dict[str, Any]]:
    items: Iterable[tuple[str, str]] = ()
    if role == UserRole.OFFICE:
        items = (
            ("/dashboard", "总览"),
            ("/review", "审核报告"),
            ("/indicators/review", "审核指标"),
            ("/extensions", "延期审批"),
            ("/assign", "指定牵头单位"),
            ("/import", "导入方案"),
            ("/doubts", "待确认"),
            ("/departments", "部门"),
            ("/cells", "无废细胞"),
            ("/bulletins", "通报"),
            ("/lockouts", "登录锁定"),
            ("/deliveries", "发送核实"),
        )
    elif role == UserRole.LEADER:
        items = (("/dashboard", "总览"), ("/departments", "部门"), ("/cells", "无废细胞"), ("/bulletins", "通报"))
    elif role == UserRole.LIAISON:
        items = (
            ("/my/tasks", "我的任务"),
            ("/my/report", "本周报送"),
            ("/my/indicators", "指标填报"),
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

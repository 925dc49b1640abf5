"""The portal application: `create_app(settings)` for uvicorn and the tests.

Security, in one place: every page answers with a strict Content-Security-Policy (no script at
all; the portal needs none), nosniff and no framing; session cookies are HttpOnly and SameSite;
every POST carries the form's CSRF token (checked in each handler before anything is written;
the sign-in forms' tokens are signed by the portal); Jinja escapes all text. Failed sign-ins are
counted per account name and per address and lock out after too many (wufei.accounts.throttle);
they and every refused (403) request go into the audit trail. Every error a person can meet is a
Chinese page with the menu kept: 403, 404, 405, 411, 413, 422, 429 and 500 alike.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from wufei.accounts.models import UserRole
from wufei.accounts.service import (
    AccountError,
    authenticate,
    end_session,
    person,
    redeem_sign_in_token,
    start_session,
)
from wufei.accounts.throttle import active_lockout, lock, record_failure
from wufei.audit.service import record
from wufei.db import utcnow
from wufei.web import cells, imports, indicators, liaison, office, public, shared
from wufei.web.ids import register_row_ids
from wufei.web.portal import (
    ANONYMOUS_CSRF_COOKIE,
    NUL_MESSAGE,
    SESSION_COOKIE,
    TEMPLATES,
    Portal,
    Settings,
    SignInRequired,
    read_form,
    redirect,
)

log = logging.getLogger(__name__)

FORM_BYTES = 256 * 1024  # any form of text fields: the largest is the weekly form of a busy department
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",  # sign-in links carry a token in the path
}
CHINESE = re.compile(r"[\u4e00-\u9fff]")
# What a person reads for an error that carries no Chinese message of its own.
STATUS_MESSAGES = {
    400: "请求无法处理（表单内容不完整或格式有误），请回到页面重新提交",
    403: "无权访问此页面或执行此操作",
    404: "找不到此页面",
    405: "不支持此操作，请从页面上的链接或按钮进入",
    411: "请求须注明长度，请从页面上的表单提交",
    413: "提交的内容过大",
    422: "请求中的参数有误（缺少或格式不对），请从页面上的链接进入",
    429: "尝试次数过多，请稍后再试",
    500: "系统出错，未能完成此操作；请稍后重试，如仍出错请联系系统管理员",
}


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _on_this_site(target: str) -> bool:
    """A path of this site: not `//host`, `/\\host` or a scheme, and no whitespace or control
    characters (browsers drop tabs and line breaks from a URL, which can turn `/<tab>/host` into `//host`)."""
    return (
        target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and not any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in target)
    )


def create_app(settings: Settings) -> FastAPI:
    register_row_ids()  # the routes' {name:id} paths
    portal = Portal(settings)
    app = FastAPI(title="wufei 督查督办", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.portal = portal

    uploads = {  # the only forms that carry files, and the largest body each takes
        "/my/report": liaison.request_limit(portal.cadence),
        "/import": settings.import_max_bytes + imports.FORM_OVERHEAD_BYTES,
        **indicators.upload_limits(portal),
        **cells.upload_limits(portal),
    }

    def signed_in(request: Request) -> bool:
        with portal.work() as session:
            return portal.signed_in(request, session) is not None

    @app.middleware("http")
    async def no_nul(request: Request, call_next):
        # A NUL in the address (%00) reaches no page: PostgreSQL cannot even compare text with it.
        if (
            b"%00" in request.scope.get("raw_path", b"")
            or "\x00" in request.url.path
            or b"%00" in request.url.query.encode()
        ):
            return await error_page(request, NUL_MESSAGE, 400)
        return await call_next(request)

    @app.middleware("http")
    async def body_limit(request: Request, call_next):
        # Bodies are refused by their declared length before anything reads them; a body
        # without one (chunked) is refused outright: browsers always declare it for a form.
        # Only a signed-in user may send more than a form of text (sign-in forms included).
        if request.method in ("POST", "PUT", "PATCH"):
            length = request.headers.get("content-length")
            if length is None or not length.isdigit():
                return await error_page(request, STATUS_MESSAGES[411], 411)
            declared = int(length)
            if declared > uploads.get(request.url.path, FORM_BYTES):
                return await error_page(request, STATUS_MESSAGES[413], 413)
            if declared > FORM_BYTES and not await run_in_threadpool(signed_in, request):
                return await error_page(request, "请先登录", 403)
        return await call_next(request)

    @app.middleware("http")
    async def server_faults(request: Request, call_next):
        # Any fault is a Chinese page, answered here rather than by an exception handler (Starlette's
        # re-raises after answering, and uvicorn then resets the connection).
        try:
            return await call_next(request)
        except Exception:
            log.exception("unhandled error on %s %s", request.method, request.url.path)
            return await error_page(request, STATUS_MESSAGES[500], 500)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if response.headers.get("content-type", "").startswith("text/html"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.exception_handler(SignInRequired)
    async def to_sign_in(request: Request, _exc: SignInRequired):
        # The query too: a reminder's `/my/report?week=…` must lead to that week after sign-in.
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?{urlencode({'next': target})}", status_code=303)

    async def error_page(request: Request, message: str, status_code: int) -> HTMLResponse:
        """The error as a Chinese page with the signed-in user's menu; a 403 goes into the audit trail."""

        def work():
            signed = None
            try:
                with portal.work() as session:
                    signed = portal.signed_in(request, session)
                    if status_code == 403:
                        record(
                            session,
                            actor=person(signed.user) if signed else "匿名",
                            action="refused",
                            entity="requests",
                            entity_id=None,
                            entity_key=f"{request.method} {request.url.path}",
                            changes={"address": [None, client_address(request)], "reason": [None, message]},
                        )
            except Exception:  # the database itself may be what failed: the page is shown all the same
                log.exception("could not look up the user for an error page")
            return portal.render_error(request, message, signed=signed, status_code=status_code)

        return await run_in_threadpool(work)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else ""
        # Starlette's and python-multipart's own messages are English: a Chinese one instead.
        message = detail if CHINESE.search(detail) else STATUS_MESSAGES.get(exc.status_code, STATUS_MESSAGES[400])
        response = await error_page(request, message, exc.status_code)
        if exc.headers:
            response.headers.update(exc.headers)  # e.g. Allow on a 405
        return response

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, _exc: RequestValidationError):
        return await error_page(request, STATUS_MESSAGES[422], 422)

    @app.get("/static/style.css")
    def stylesheet() -> Response:
        return Response(
            (TEMPLATES / "style.css.j2").read_text(encoding="utf-8"),
            media_type="text/css",
            headers={"Cache-Control": "max-age=300"},
        )

    @app.get("/healthz")
    def healthz() -> PlainTextResponse:
        return PlainTextResponse("ok")

    @app.get("/")
    def home(request: Request):
        with portal.work() as session:
            signed = portal.signed_in(request, session)
            if signed is None:
                return RedirectResponse("/login", status_code=303)
            return RedirectResponse(
                "/my/tasks" if signed.user.role == UserRole.LIAISON else "/dashboard", status_code=303
            )

    # --- signing in and out ------------------------------------------------------------------

    def _anonymous_form(request: Request, template: str, status_code: int = 200, **context) -> HTMLResponse:
        token = request.cookies.get(ANONYMOUS_CSRF_COOKIE) or ""
        if not portal.issued_csrf(token):
            token = portal.new_csrf_token()
        response = portal.render(request, template, status_code=status_code, csrf_token=token, **context)
        response.set_cookie(
            ANONYMOUS_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=settings.secure_cookies
        )
        return response

    def _signed_in_response(session, user, target: str, how: str) -> RedirectResponse:
        cookie = start_session(session, user=user, at=utcnow(), how=how)
        if not _on_this_site(target):  # no open redirect
            target = "/"
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(
            SESSION_COOKIE, cookie, httponly=True, samesite="lax", secure=settings.secure_cookies, max_age=12 * 3600
        )
        response.delete_cookie(ANONYMOUS_CSRF_COOKIE)
        return response

    @app.get("/login")
    def login_page(request: Request, next: str = "/"):
        return _anonymous_form(request, "login.html.j2", next=next)

    def _locked_out(request: Request, template: str, until, **context) -> HTMLResponse:
        return _anonymous_form(
            request,
            template,
            status_code=429,
            error=f"登录失败次数过多，已暂停登录至{portal.local_time(until)}；如需提前解除，请联系领导小组办公室。",
            **context,
        )

    def _count_failure(session, *, username: str | None, address: str, how: str) -> None:
        """Audit a failed sign-in and count it; lock the name or address out when over its limit."""
        at = utcnow()
        record_failure(session, username=username or "", address=address, how=how)
        for kind, key, failures in portal.throttle.failed(username=username, address=address):
            lock(session, kind=kind, key=key, failures=failures, at=at, duration=settings.throttle.lockout)

    @app.post("/login")
    async def login(request: Request):
        form = await read_form(request)
        portal.check_anonymous_csrf(request, form)
        username, password = str(form.get("username") or "").strip().lower(), str(form.get("password") or "")
        address, target = client_address(request), str(form.get("next") or "/")

        def work():
            with portal.work() as session:
                locked = active_lockout(session, username=username, address=address, at=utcnow())
                if locked is not None:  # the right password too: a guesser must not learn it worked
                    record_failure(session, username=username, address=address, how="locked")
                    return _locked_out(request, "login.html.j2", locked.until, next=target)
                user = authenticate(session, username=username, password=password)
                if user is not None:
                    portal.throttle.succeeded(username=username)
                    return _signed_in_response(session, user, target, "password")
                _count_failure(session, username=username, address=address, how="password")
                locked = active_lockout(session, username=username, address=address, at=utcnow())
                if locked is not None:
                    return _locked_out(request, "login.html.j2", locked.until, next=target)
            return _anonymous_form(request, "login.html.j2", status_code=401, next=target, error="用户名或密码不正确")

        return await run_in_threadpool(work)

    @app.get("/signin/{token}")
    def sign_in_link_page(request: Request, token: str):
        # A button, not an immediate sign-in: mail scanners that open links must not use them up.
        return _anonymous_form(request, "signin.html.j2", token=token)

    @app.post("/signin/{token}")
    async def sign_in_with_link(request: Request, token: str):
        form = await read_form(request)
        portal.check_anonymous_csrf(request, form)

        address = client_address(request)

        def work():
            with portal.work() as session:
                locked = active_lockout(session, username="", address=address, at=utcnow())
                if locked is not None:
                    return _locked_out(request, "signin.html.j2", locked.until, token=None)
            try:
                with portal.work() as session:
                    user = redeem_sign_in_token(session, token=token, at=utcnow())
                    return _signed_in_response(session, user, "/", "link")
            except AccountError as error:
                with portal.work() as session:  # a guessed link counts against the address
                    _count_failure(session, username=None, address=address, how="link")
                return _anonymous_form(request, "signin.html.j2", status_code=403, token=None, error=str(error))

        return await run_in_threadpool(work)

    @app.post("/logout")
    async def logout(request: Request):
        form = await read_form(request)

        def work():
            with portal.work() as session:
                signed = portal.user(request, session)
                portal.check_csrf(form, signed)
                end_session(session, cookie=request.cookies.get(SESSION_COOKIE))
            response = redirect("/login", "signed_out")
            response.delete_cookie(SESSION_COOKIE)
            return response

        return await run_in_threadpool(work)

    for module in (shared, office, imports, liaison, indicators, public, cells):
        app.include_router(module.router(portal))
    return app

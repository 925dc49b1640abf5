"""The portal application: `create_app(settings)` for uvicorn and the tests.

Security, in one place: every page answers with a strict Content-Security-Policy (no script at
all; the portal needs none), nosniff and no framing; session cookies are HttpOnly and SameSite;
every POST carries the form's CSRF token (checked in each handler before anything is written);
Jinja escapes all text.
"""

from __future__ import annotations

from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from wufei.accounts.models import UserRole
from wufei.accounts.service import AccountError, authenticate, end_session, redeem_sign_in_token, start_session
from wufei.db import utcnow
from wufei.web import cells, imports, liaison, office, public, shared
from wufei.web.ids import register_row_ids
from wufei.web.portal import (
    ANONYMOUS_CSRF_COOKIE,
    SESSION_COOKIE,
    TEMPLATES,
    Portal,
    Settings,
    SignInRequired,
    new_csrf_token,
    redirect,
)

FORM_BYTES = 256 * 1024  # any form of text fields: the largest is the weekly form of a busy department
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",  # sign-in links carry a token in the path
}


def create_app(settings: Settings) -> FastAPI:
    register_row_ids()  # the routes' {name:id} paths
    portal = Portal(settings)
    app = FastAPI(title="wufei 督查督办", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.portal = portal

    uploads = {  # the only forms that carry files, and the largest body each takes
        "/my/report": liaison.request_limit(portal.cadence),
        "/import": settings.import_max_bytes + imports.FORM_OVERHEAD_BYTES,
    }

    def signed_in(request: Request) -> bool:
        with portal.work() as session:
            return portal.signed_in(request, session) is not None

    @app.middleware("http")
    async def body_limit(request: Request, call_next):
        # Bodies are refused by their declared length before anything reads them; a body
        # without one (chunked) is refused outright: browsers always declare it for a form.
        # Only a signed-in user may send more than a form of text (sign-in forms included).
        if request.method in ("POST", "PUT", "PATCH"):
            length = request.headers.get("content-length")
            if length is None or not length.isdigit():
                return PlainTextResponse("请求须注明长度", status_code=411)
            declared = int(length)
            if declared > uploads.get(request.url.path, FORM_BYTES):
                return PlainTextResponse("请求过大", status_code=413)
            if declared > FORM_BYTES and not await run_in_threadpool(signed_in, request):
                return PlainTextResponse("请先登录", status_code=403)
        return await call_next(request)

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
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        message = exc.detail if isinstance(exc.detail, str) else "请求有误"
        if message == HTTPStatus(exc.status_code).phrase:  # Starlette's English default
            message = {404: "找不到此页面", 405: "不支持此操作"}.get(exc.status_code, "请求有误")
        return portal.render_error(request, message, status_code=exc.status_code)

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
        token = request.cookies.get(ANONYMOUS_CSRF_COOKIE) or new_csrf_token()
        response = portal.render(request, template, status_code=status_code, csrf_token=token, **context)
        response.set_cookie(
            ANONYMOUS_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=settings.secure_cookies
        )
        return response

    def _signed_in_response(session, user, target: str, how: str) -> RedirectResponse:
        cookie = start_session(session, user=user, at=utcnow(), how=how)
        if not target.startswith("/") or target.startswith("//") or "\\" in target:  # no open redirect
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

    @app.post("/login")
    async def login(request: Request):
        form = await request.form()
        portal.check_anonymous_csrf(request, form)

        def work():
            with portal.work() as session:
                user = authenticate(
                    session, username=str(form.get("username") or ""), password=str(form.get("password") or "")
                )
                if user is None:
                    return _anonymous_form(
                        request,
                        "login.html.j2",
                        status_code=401,
                        next=form.get("next") or "/",
                        error="用户名或密码不正确",
                    )
                return _signed_in_response(session, user, str(form.get("next") or "/"), "password")

        return await run_in_threadpool(work)

    @app.get("/signin/{token}")
    def sign_in_link_page(request: Request, token: str):
        # A button, not an immediate sign-in: mail scanners that open links must not use them up.
        return _anonymous_form(request, "signin.html.j2", token=token)

    @app.post("/signin/{token}")
    async def sign_in_with_link(request: Request, token: str):
        form = await request.form()
        portal.check_anonymous_csrf(request, form)

        def work():
            try:
                with portal.work() as session:
                    user = redeem_sign_in_token(session, token=token, at=utcnow())
                    return _signed_in_response(session, user, "/", "link")
            except AccountError as error:
                return _anonymous_form(request, "signin.html.j2", status_code=403, token=None, error=str(error))

        return await run_in_threadpool(work)

    @app.post("/logout")
    async def logout(request: Request):
        form = await request.form()

        def work():
            with portal.work() as session:
                signed = portal.user(request, session)
                portal.check_csrf(form, signed)
                end_session(session, cookie=request.cookies.get(SESSION_COOKIE))
            response = redirect("/login", "signed_out")
            response.delete_cookie(SESSION_COOKIE)
            return response

        return await run_in_threadpool(work)

    for module in (shared, office, imports, liaison, public, cells):
        app.include_router(module.router(portal))
    return app

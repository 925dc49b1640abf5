"""Every route of the app (read from `app.routes`, so a new one is covered without editing this
file), asked with bad ids, bad forms, the wrong method and no session, by each role: never a 500,
and every error a Chinese HTML page, with the menu when someone is signed in."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from starlette.routing import Route

from tests.web.conftest import PASSWORD, csrf_of

CHINESE = re.compile(r"[\u4e00-\u9fff]")
PARAMETER = re.compile(r"\{(\w+)(?::(\w+))?\}")
ENGLISH_DEFAULTS = ("Not Found", "Method Not Allowed", "Internal Server Error", '"detail"', "Bad Request", "Forbidden")
# Not pages: what they answer is data, checked by their own tests (their errors are still pages).
NOT_PAGES = {"/healthz", "/static/style.css"}
ADDRESS = "127.0.0.20"  # its own address: the bad sign-ins here must not lock other tests out
BAD_IDS = ("2147483647", "2147483648", "0", "1")  # the last INTEGER id, one past it, none, a real one
BAD_TEXT = ("..%2F..%2Fetc%2Fpasswd", "x" * 300, "%00")
BAD_FIELDS = {
    "decision": "neither",
    "task_id": "abc",
    "until": "明年",
    "due_date": "2024-13-45",
    "expected_progress": "多",
    "week": "9999-W99",
    "progress_1": "一百",
    "lead": "2147483647",
    "lead_names": "不存在的单位",
    "status": "??",
    "username": "x",
    "password": "y",
    "file": "not a file",
}


def _client(server) -> httpx.Client:
    transport = httpx.HTTPTransport(local_address=ADDRESS)
    return httpx.Client(base_url=server.url, follow_redirects=False, timeout=60, transport=transport)


def _signed(server, username: str) -> httpx.Client:
    client = _client(server)
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 303, response.text
    return client


def _paths(template: str) -> Iterator[str]:
    """The route's path with bad values in each parameter (ids past any row, unknown tokens)."""
    names = PARAMETER.findall(template)
    if not names:
        yield template
        return
    values = [BAD_IDS if kind == "id" else BAD_TEXT for _, kind in names]
    for index in range(max(len(v) for v in values)):
        path = template
        for (name, kind), choices in zip(names, values, strict=True):
            path = path.replace(f"{{{name}:{kind}}}" if kind else f"{{{name}}}", choices[index % len(choices)], 1)
        yield path
    yield PARAMETER.sub("abc", template)  # not an id at all: no such route


def _requests(route: Route, token: str | None) -> Iterator[tuple[str, str, dict]]:
    for path in _paths(route.path):
        for method in sorted(route.methods or ()):
            if method == "HEAD":
                continue
            if method == "GET":
                yield method, path, {}
                yield (
                    method,
                    path,
                    {"params": {"week": "garbage", "jurisdiction": "火星", "path": "../../x", "all": "x"}},
                )
                continue
            yield method, path, {"data": {}}
            yield method, path, {"data": {**BAD_FIELDS, **({"csrf_token": token} if token else {})}}
            yield method, path, {"files": {"evidence_1": ("a.exe", b"MZ")}, "data": {"csrf_token": token or ""}}
            yield (
                method,
                path,
                {
                    "content": b"--broken\r\nnot multipart",
                    "headers": {"content-type": "multipart/form-data; boundary=x"},
                },
            )
            yield method, path, {"content": iter([b"a=1"])}  # chunked: no declared length
        yield "DELETE", path, {}


def _check(response: httpx.Response, signed: bool, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code} {response.text[:300]}"
    if response.status_code < 400:
        return
    kind = response.headers.get("content-type", "")
    assert kind.startswith("text/html"), f"{what}: {response.status_code} as {kind}: {response.text[:200]}"
    heading = re.search(r"<h1>(.*?)</h1>", response.text, re.S)
    assert heading and CHINESE.search(heading[1]), f"{what}: no Chinese heading"
    assert not any(phrase in response.text for phrase in ENGLISH_DEFAULTS), f"{what}: {response.text[:300]}"
    if signed:
        assert "<nav>" in response.text and 'action="/logout"' in response.text, f"{what}: the menu is gone"


def _flattened(routes) -> Iterator[Route]:
    """The app's routes, those of included routers too (FastAPI keeps them apart, unprefixed here)."""
    for route in routes:
        if hasattr(route, "original_router"):
            yield from _flattened(route.original_router.routes)
        elif isinstance(route, Route):
            yield route


@pytest.fixture(scope="module")
def routes(server) -> list[Route]:
    found = [r for r in _flattened(server.app.routes) if r.path not in NOT_PAGES]
    assert {"/review", "/my/report", "/import/{token}/commit", "/lockouts/{lockout_id:id}/lift"} <= {
        r.path for r in found
    }
    return found


@pytest.mark.parametrize("who", [None, "eco", "office", "leader"])
def test_no_route_answers_a_500_or_an_error_that_is_not_a_chinese_page(server, routes, who):
    client = _signed(server, who) if who else _client(server)
    token = None
    if who:
        token = csrf_of(client.get("/my/tasks" if who == "eco" else "/dashboard").text)
    asked = 0
    try:
        for route in routes:
            for method, path, options in _requests(route, token):
                if path == "/logout" and method == "POST":
                    continue  # would end the session this test walks with
                response = client.request(method, path, **options)
                _check(response, who is not None, f"{who or '匿名'} {method} {path} {sorted(options)}")
                asked += 1
        assert client.get("/no/such/page").status_code == 404
    finally:
        client.close()
    assert asked > 300


def test_a_server_fault_is_a_chinese_page_too(tmp_path):
    """A database the portal cannot use (here: never migrated) makes every page fail: the person
    reads a Chinese page, not Starlette's plain 「Internal Server Error」."""
    from tests.web.conftest import serve
    from wufei.db import make_engine
    from wufei.web.app import create_app
    from wufei.web.portal import Settings

    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    app = create_app(Settings(engine=engine, imports_dir=tmp_path / "imports", bulletins_dir=tmp_path))
    try:
        with serve(app) as url, httpx.Client(base_url=url, follow_redirects=False) as browser:
            token = csrf_of(browser.get("/login").text)
            failed_sign_in = browser.post("/login", data={"username": "office", "password": "x", "csrf_token": token})
            browser.cookies.set("wufei_session", "anything")
            for response in (failed_sign_in, browser.get("/dashboard")):
                assert response.status_code == 500 and response.headers["content-type"].startswith("text/html")
                assert "系统出错" in response.text and "Internal Server Error" not in response.text
    finally:
        engine.dispose()

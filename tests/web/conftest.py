"""The portal under test: a real uvicorn server on 127.0.0.1 (random port) over a migrated database
with the Hengshui plan imported, and accounts for the office, two liaisons and a leader.

One server for the whole run (starting one costs seconds); it commits, so each test uses tasks
no other test touches (`Tasks` names them) or restores what it changed. The Chromium tests share one
headless Chromium while a worker runs this folder's tests (`chromium`), each in pages of its own
(`new_page`).
Business day: Wednesday 5 June 2024 (2024年第23周, due Friday 7 June 17:00).
"""

from __future__ import annotations

import dataclasses
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import select

from tests.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import fresh_database_url
from tests.rules import RULESET
from tests.seed_files import HENGSHUI_PLAN
from wufei import migrate
from wufei.accounts.service import add_user
from wufei.cadence.config import CadenceConfig
from wufei.cells.rules import CellRules
from wufei.db import make_engine, transaction
from wufei.importers.service import import_paths
from wufei.plans.models import Plan
from wufei.tasks.models import Role, Task
from wufei.web.app import create_app
from wufei.web.portal import Settings

TODAY = date(2024, 6, 5)
PASSWORD = "correct-horse-42"
SHOTS = Path("/tmp")  # screenshots of the main pages: /tmp/wufei-*.png
MAX_EVIDENCE_BYTES = 100_000  # small, so an oversized upload is quick to send
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Tasks:
    first: int  # 监管体系 3 严把环境准入关, led by 市生态环境局
    second: int  # 监管体系 4, led by 市生态环境局
    spare: list[int]  # more tasks 市生态环境局 leads, for tests that file reports
    foreign: int  # led by another department, 市生态环境局 not on it
    foreign_lead: int  # that department's id
    ecology: int  # 市生态环境局's id
    awaiting: list[int]  # tasks waiting for a lead department


@dataclass
class Server:
    url: str
    engine: object
    tasks: Tasks
    bulletins: Path
    evidence: Path
    app: object = None  # the FastAPI app it serves (its routes, for tests that walk them all)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _tasks(session) -> Tasks:
    plan = session.scalar(select(Plan).where(Plan.doc_number == "衡政办字〔2022〕57号"))
    tasks = list(session.scalars(select(Task).where(Task.plan_id == plan.id).order_by(Task.id)))

    def leads(task):
        return [a.department for a in task.assignments if a.role == Role.LEAD]

    first = next(t for t in tasks if t.list_kind == "regulation" and t.number == "3")
    second = next(t for t in tasks if t.list_kind == "regulation" and t.number == "4")
    ecology = leads(first)[0]
    assert ecology.name == "市生态环境局"
    spare = [
        t
        for t in tasks
        if t.id not in (first.id, second.id)
        and not t.awaiting_assignment
        and any(d.id == ecology.id for d in leads(t))
        and t.completed_on is None
    ]
    foreign = next(
        t
        for t in tasks
        if leads(t)
        and all(a.department_id != ecology.id for a in t.assignments)
        and len(leads(t)) == 1
        and leads(t)[0].kind == "bureau"
    )
    awaiting = [t.id for t in tasks if t.awaiting_assignment]
    return Tasks(first.id, second.id, [t.id for t in spare], foreign.id, leads(foreign)[0].id, ecology.id, awaiting)


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[Server]:
    """The portal most web tests share in a worker (imports and sign-ups done once)."""
    # It reaches a database (its engine): tests using it are never marked nodb (tests/conftest.py).
    with started_server(tmp_path_factory) as started:
        yield started


@contextmanager
def started_server(tmp_path_factory) -> Iterator[Server]:
    """A portal on a fresh database holding the Hengshui plan and four users, under a real server."""
    root = tmp_path_factory.mktemp("portal")
    evidence, bulletins = root / "evidence", root / "bulletins"
    bulletins.mkdir()
    (bulletins / "衡水市").mkdir()  # as wufei.bulletins writes them: one folder per place
    (bulletins / "衡水市" / "monthly-2024-05.md").write_text(
        "<!-- 快照 0123456789ab -->\n# 衡水市“无废城市”建设2024年5月调度通报\n", encoding="utf-8"
    )
    (bulletins / "衡水市" / "monthly-2024-05.docx").write_bytes(b"PK fake docx")
    (bulletins / "衡水市" / "monthly-2024-05-annex.xlsx").write_bytes(b"PK fake xlsx")
    patch = pytest.MonkeyPatch()
    patch.setenv("WUFEI_EVIDENCE_DIR", str(evidence))
    engine = make_engine(fresh_database_url(root))
    migrate.upgrade(engine)
    assert all(result.ok for result in import_paths(engine, [HENGSHUI_PLAN]))
    with transaction(engine) as session:
        tasks = _tasks(session)
        add_user(session, username="office", role="office", display_name="办公室张三", password=PASSWORD, actor="test")
        add_user(session, username="leader", role="leader", display_name="李市长", password=PASSWORD, actor="test")
        add_user(
            session,
            username="eco",
            role="liaison",
            display_name="生态环境局王五",
            department_id=tasks.ecology,
            password=PASSWORD,
            actor="test",
        )
        add_user(
            session,
            username="other",
            role="liaison",
            display_name="赵六",
            department_id=tasks.foreign_lead,
            password=PASSWORD,
            actor="test",
        )

    rules = dataclasses.replace(
        RULESET,
        cadence=CadenceConfig.from_dict({"evidence": {"max_bytes": MAX_EVIDENCE_BYTES}}),
        cells=CellRules.load(),  # the shipped categories and checklists (the cell forms offer them)
    )
    app = create_app(
        Settings(
            engine=engine,
            today=TODAY,
            bulletins_dir=bulletins,
            rules=rules,
            public_plans=("衡政办字〔2022〕57号",),
            imports_dir=root / "imports",
        )
    )
    try:
        with serve(app) as url:
            yield Server(url, engine, tasks, bulletins, evidence, app)
    finally:
        engine.dispose()
        patch.undo()


@contextmanager
def serve(app) -> Iterator[str]:
    """The app under a real uvicorn server on a free loopback port; yields its address."""
    port = _free_port()
    uvicorn_server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False, lifespan="off")
    )
    thread = threading.Thread(target=uvicorn_server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uvicorn_server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the portal did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        uvicorn_server.should_exit = True
        thread.join(timeout=10)


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, "no CSRF token in the page"
    return match[1]


def sign_in(server: Server, username: str) -> httpx.Client:
    """An HTTP client signed in with a password (redirects not followed, so statuses are visible)."""
    client = httpx.Client(base_url=server.url, follow_redirects=False, timeout=30)
    page = client.get("/login")
    response = client.post(
        "/login", data={"username": username, "password": PASSWORD, "next": "/", "csrf_token": csrf_of(page.text)}
    )
    assert response.status_code == 303, response.text
    return client


def sign_in_page(page: Any, username: str, *, lands_on: str) -> None:
    """Sign `page` in through the login form, as a person does, and wait for the page it lands on."""
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('登录')")
    page.wait_for_url(f"**{lands_on}")


@pytest.fixture(scope="module")
def office(server) -> Iterator[httpx.Client]:
    client = sign_in(server, "office")
    yield client
    client.close()


@pytest.fixture(scope="module")
def eco(server) -> Iterator[httpx.Client]:
    client = sign_in(server, "eco")
    yield client
    client.close()


@pytest.fixture(scope="module")
def other(server) -> Iterator[httpx.Client]:
    client = sign_in(server, "other")
    yield client
    client.close()


@pytest.fixture(scope="module")
def leader(server) -> Iterator[httpx.Client]:
    client = sign_in(server, "leader")
    yield client
    client.close()


@pytest.fixture(scope="package")
def chromium() -> Iterator[object]:
    """One headless Chromium (driven by Playwright) for the tests of this folder a worker runs in a
    row: launching one costs about a second of CPU. Package scope, not session: between its calls
    Playwright's sync API leaves its event loop marked running, which `asyncio.run` elsewhere refuses."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(chromium) -> Iterator[Callable[[str], object]]:
    """`new_page(base_url)`: a page in a browser context of its own (its own cookies: one person
    signed in), closed after the test."""
    contexts = []

    def open_page(base_url: str):
        context = chromium.new_context(base_url=base_url, viewport={"width": 1366, "height": 900}, locale="zh-CN")
        context.set_default_timeout(15000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()

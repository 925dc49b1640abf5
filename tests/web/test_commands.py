"""`wufei users add|list|link`, run in-process against a database of their own."""

from __future__ import annotations

import json

from click.testing import CliRunner
from sqlalchemy import select

from tests.conftest import fresh_database_url
from tests.seed_files import HENGSHUI_PLAN
from wufei.accounts.models import SignInToken
from wufei.accounts.service import find_user, token_hash, verify_password
from wufei.audit.models import AuditEntry
from wufei.cli import main
from wufei.db import make_engine, transaction


def test_users_are_added_listed_and_given_a_single_use_sign_in_link(tmp_path):
    url = fresh_database_url(tmp_path)
    runner = CliRunner()
    env = {"WUFEI_DATABASE_URL": url, "WUFEI_PORTAL_URL": "https://wufei.example.cn"}

    def run(*args, ok=True, input=None):
        result = runner.invoke(main, list(args), env=env, input=input, catch_exceptions=False)
        assert (result.exit_code == 0) == ok, result.output
        return result.output

    run("import", str(HENGSHUI_PLAN))
    # Asked twice in Chinese; a mistyped repeat asks again (click's own prompt was English).
    added = run(
        "users",
        "add",
        "office",
        "--role",
        "office",
        "--password",
        input="a-long-password\na-long-passwrd\na-long-password\na-long-password\n",
    )
    assert "已新建账号 office" in added and "再次输入密码" in added and "两次输入的密码不一致" in added
    assert "Repeat" not in added and "Error" not in added
    assert "市生态环境局" in run("users", "add", "eco", "--role", "liaison", "--dept", "市生态环境局", "--name", "王五")
    assert "须指定所属部门" in run("users", "add", "nobody", "--role", "liaison", ok=False)
    assert "已存在" in run("users", "add", "eco", "--role", "leader", ok=False)

    rows = json.loads(run("users", "list", "--json"))
    assert [(r["username"], r["role"], r["department"], r["password"]) for r in rows] == [
        ("office", "office", None, True),
        ("eco", "liaison", "市生态环境局", False),
    ]

    link = run("users", "link", "eco", "--hours", "24").strip()
    assert link.startswith("https://wufei.example.cn/signin/")
    engine = make_engine(url)
    with transaction(engine) as session:
        stored = session.scalar(select(SignInToken))
        assert stored.token_hash == token_hash(link.rsplit("/", 1)[1]) and stored.used_at is None
        assert round((stored.expires_at - stored.created_at).total_seconds()) == 24 * 3600
        assert session.scalar(select(AuditEntry).where(AuditEntry.entity == "users")) is not None
    engine.dispose()


def test_the_business_day_comes_from_wufei_today_and_sessions_use_the_real_clock(monkeypatch, tmp_path):
    from datetime import date

    from wufei.web.portal import Portal, Settings

    monkeypatch.setenv("WUFEI_TODAY", "2023-06-07")
    monkeypatch.setenv("WUFEI_PUBLIC_PLANS", "衡政办字〔2022〕57号, 保政办函〔2022〕50号")
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    settings = Settings.from_environment(engine)
    portal = Portal(settings)
    assert portal.today() == date(2023, 6, 7) and portal.now().date() == date(2023, 6, 7)
    assert settings.public_plans == ("衡政办字〔2022〕57号", "保政办函〔2022〕50号")
    monkeypatch.delenv("WUFEI_TODAY")
    assert Settings.from_environment(engine).today is None
    assert "--port" in CliRunner().invoke(main, ["web", "--help"]).output
    engine.dispose()


def test_an_account_disabled_from_the_command_line_is_signed_out_at_once_and_its_links_die(server):
    """Review23a: accounts could not be disabled, passwords not reset, sessions not ended (only by SQL)."""
    import httpx

    from tests.web.conftest import PASSWORD, csrf_of, sign_in
    from wufei.accounts.service import add_user, issue_sign_in_token
    from wufei.db import utcnow

    with transaction(server.engine) as session:
        add_user(
            session,
            username="leaving",
            role="liaison",
            display_name="离岗的联系人",
            department_id=server.tasks.ecology,
            password=PASSWORD,
            actor="test",
        )
        link = issue_sign_in_token(session, user_id=find_user(session, "leaving").id, at=utcnow(), actor="test")
    env = {"WUFEI_DATABASE_URL": server.engine.url.render_as_string(hide_password=False)}

    def run(*args, ok=True, input=None):
        result = CliRunner().invoke(main, list(args), env=env, input=input, catch_exceptions=False)
        assert (result.exit_code == 0) == ok, result.output
        return result.output

    browser, other_browser = sign_in(server, "leaving"), sign_in(server, "leaving")
    assert browser.get("/my/tasks").status_code == 200

    assert "已停用账号 leaving" in run("users", "disable", "leaving")
    assert browser.get("/my/tasks").status_code == 303  # the same cookie, refused: sign in again
    assert "/login" in browser.get("/my/tasks").headers["location"]
    with httpx.Client(base_url=server.url) as stranger:
        page = stranger.get(f"/signin/{link}")
        refused = stranger.post(f"/signin/{link}", data={"csrf_token": csrf_of(page.text)})
        assert refused.status_code == 403 and "登录链接已过期" in refused.text
    assert "（已停用）" in next(line for line in run("users", "list").splitlines() if "leaving" in line)
    assert "已停用" in run("users", "disable", "leaving", ok=False)

    assert "已启用账号 leaving" in run("users", "enable", "leaving")
    assert browser.get("/my/tasks").status_code == 303  # enabling signs nobody back in
    browser.close()
    browser = sign_in(server, "leaving")

    new = "a-new-password-9"
    assert "已重设账号 leaving 的密码" in run("users", "password", "leaving", input=f"{new}\n{new}\n")
    assert browser.get("/my/tasks").status_code == 303
    assert other_browser.get("/my/tasks").status_code == 303
    assert "找不到账号" in run("users", "password", "nobody", ok=False)
    with transaction(server.engine) as session:
        assert verify_password(new, find_user(session, "leaving").password_hash)
        actions = session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.entity == "users", AuditEntry.entity_key == "user:leaving")
            .order_by(AuditEntry.id)
        ).all()
    assert actions == ["create", "disable", "enable", "set_password"]
    browser.close()
    other_browser.close()

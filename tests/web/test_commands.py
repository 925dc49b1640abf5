"""`wufei users add|list|link`, run in-process against a database of their own."""

from __future__ import annotations

import json

from click.testing import CliRunner
from sqlalchemy import select

from tests.conftest import fresh_database_url
from tests.seed_files import HENGSHUI_PLAN
from wufei.accounts.models import SignInToken
from wufei.accounts.service import token_hash
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

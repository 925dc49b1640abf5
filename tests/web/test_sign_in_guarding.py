"""Password guessing, refused requests and forged sign-in forms, over HTTP against the running
portal. Each guesser comes from its own loopback address (127.0.0.x: Linux routes the whole
127/8 to loopback), so an address lockout here never locks the other tests out."""

from __future__ import annotations

import json

import httpx
from click.testing import CliRunner
from sqlalchemy import select

from tests.web.conftest import PASSWORD, csrf_of
from wufei.accounts.models import SignInLockout
from wufei.accounts.service import add_user
from wufei.audit.models import AuditEntry
from wufei.cli import main
from wufei.db import transaction


def _browser(server, address: str) -> httpx.Client:
    transport = httpx.HTTPTransport(local_address=address)
    return httpx.Client(base_url=server.url, follow_redirects=False, timeout=30, transport=transport)


def _try(browser: httpx.Client, username: str, password: str) -> httpx.Response:
    page = browser.get("/login")
    return browser.post(
        "/login", data={"username": username, "password": password, "next": "/", "csrf_token": csrf_of(page.text)}
    )


def _add(server, username: str, display_name: str) -> None:
    with transaction(server.engine) as session:
        add_user(session, username=username, role="leader", display_name=display_name, password=PASSWORD, actor="test")


def test_an_account_is_locked_after_five_wrong_passwords_even_for_the_right_one_until_the_office_lifts_it(
    server, office
):
    _add(server, "guessed", "被猜的人")
    with _browser(server, "127.0.0.11") as guesser:
        for attempt in range(5):
            assert _try(guesser, "guessed", f"wrong-{attempt}").status_code in (401, 429)
        locked = _try(guesser, "Guessed", PASSWORD)  # the right password, the name in other case
        assert locked.status_code == 429 and "登录失败次数过多" in locked.text and "wufei_session" not in locked.cookies
    with _browser(server, "127.0.0.12") as elsewhere:  # the account is locked, whatever the address
        assert _try(elsewhere, "guessed", PASSWORD).status_code == 429

    with transaction(server.engine) as session:
        [row] = session.scalars(select(SignInLockout).where(SignInLockout.key == "guessed")).all()
        assert (row.kind, row.failures, row.lifted_at) == ("account", 5, None)
        failed = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "sign_in_failed", AuditEntry.entity_key == "user:guessed")
        ).all()
        assert len(failed) == 7 and {e.changes["address"][1] for e in failed} == {"127.0.0.11", "127.0.0.12"}
        assert all(set(e.changes) == {"address", "how"} for e in failed)  # never what was typed as the password

    page = office.get("/lockouts")
    assert page.status_code == 200 and "账号「guessed」" in page.text and "被猜的人" in page.text
    lifted = office.post(f"/lockouts/{row.id}/lift", data={"csrf_token": csrf_of(page.text)})
    assert lifted.status_code == 303
    with _browser(server, "127.0.0.11") as owner:
        assert _try(owner, "guessed", PASSWORD).status_code == 303
    with transaction(server.engine) as session:
        unlock = session.scalar(select(AuditEntry).where(AuditEntry.action == "unlock", AuditEntry.entity_id == row.id))
        assert unlock.actor == "办公室张三（office）"


def test_an_unknown_name_is_locked_like_a_real_one(server):
    with _browser(server, "127.0.0.13") as guesser:
        answers = [_try(guesser, "no-such-person", "x").status_code for _ in range(6)]
    assert answers[:4] == [401] * 4 and answers[-1] == 429  # no telling which names exist


def test_an_address_trying_many_names_is_locked_and_the_cli_lists_and_lifts_it(server, monkeypatch):
    _add(server, "bystander", "路人")
    with _browser(server, "127.0.0.14") as sprayer:
        for number in range(20):
            _try(sprayer, f"name-{number}", "123456")
        refused = _try(sprayer, "bystander", PASSWORD)
        assert refused.status_code == 429
    with _browser(server, "127.0.0.15") as other_address:
        assert _try(other_address, "bystander", PASSWORD).status_code == 303

    monkeypatch.setenv("WUFEI_DATABASE_URL", server.engine.url.render_as_string(hide_password=False))
    runner = CliRunner()
    listed = json.loads(runner.invoke(main, ["users", "lockouts", "--json"], catch_exceptions=False).output)
    [row] = [r for r in listed if r["key"] == "127.0.0.14"]
    assert row["kind_cn"] == "来源地址" and row["failures"] == 20
    result = runner.invoke(main, ["users", "unlock", str(row["id"])], catch_exceptions=False)
    assert result.exit_code == 0 and "已解除来源地址「127.0.0.14」的登录锁定" in result.output
    again = runner.invoke(main, ["users", "unlock", str(row["id"])])
    assert again.exit_code != 0 and "已解除或已到期" in again.output
    with _browser(server, "127.0.0.14") as sprayer:
        assert _try(sprayer, "bystander", PASSWORD).status_code == 303


def test_a_refused_request_is_in_the_audit_trail_with_the_persons_name(eco, server):
    assert eco.get("/review").status_code == 403
    with httpx.Client(base_url=server.url) as anonymous:
        assert anonymous.post("/reports/1/review", data={"decision": "accept"}).status_code == 403
    with transaction(server.engine) as session:
        refused = session.scalars(select(AuditEntry).where(AuditEntry.action == "refused")).all()
    by_what = {(e.actor, e.entity_key) for e in refused}
    assert ("生态环境局王五（eco）", "GET /review") in by_what
    assert ("匿名", "POST /reports/1/review") in by_what


def test_the_sign_in_form_takes_only_a_token_the_portal_signed(server):
    with _browser(server, "127.0.0.16") as forger:
        forger.cookies.set("wufei_csrf", "chosen-by-the-attacker")
        forged = forger.post(
            "/login", data={"username": "leader", "password": PASSWORD, "csrf_token": "chosen-by-the-attacker"}
        )
        assert forged.status_code == 403 and "表单已失效" in forged.text
        issued = csrf_of(forger.get("/login").text)
        assert issued != "chosen-by-the-attacker"  # an unsigned cookie is replaced, not reused
        nonce, moment, signature = issued.split(".")
        tampered = f"{nonce}.{int(moment) + 1}.{signature}"
        forger.cookies.set("wufei_csrf", tampered)
        assert (
            forger.post("/login", data={"username": "leader", "password": PASSWORD, "csrf_token": tampered}).status_code
            == 403
        )
        forger.cookies.set("wufei_csrf", issued)
        assert (
            forger.post("/login", data={"username": "leader", "password": PASSWORD, "csrf_token": issued}).status_code
            == 303
        )


def test_an_upload_whose_content_is_not_its_type_is_refused(eco, office, server):
    task_id = server.tasks.spare[5]
    page = eco.get("/my/report").text
    response = eco.post(
        "/my/report",
        data={"week": "2024-W23", "csrf_token": csrf_of(page), f"progress_{task_id}": "10"},
        files={f"evidence_{task_id}": ("整改报告.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")},
    )
    assert response.status_code == 400 and "「整改报告.pdf」的内容不是PDF" in response.text
    upload = office.post(
        "/import",
        data={"csrf_token": csrf_of(office.get("/import").text)},
        files={"file": ("方案.docx", b"<html><body>not a Word file</body></html>", "application/octet-stream")},
    )
    assert upload.status_code == 400 and "「方案.docx」的内容不是Word 文档" in upload.text

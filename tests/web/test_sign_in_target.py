"""Where signing in leads: back to the page asked for, its query included (review23a: a reminder's
`/my/report?week=…` opened signed out led to the current week), never off the site."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.web.conftest import PASSWORD, csrf_of


@pytest.mark.backend_independent
def test_a_reminders_week_link_opened_signed_out_leads_to_that_week_after_sign_in(new_page, server):
    """Chromium: the link, the sign-in form as a person fills it, the week's own form."""
    page = new_page(server.url)
    page.goto("/my/report?week=2024-W20")
    assert "/login" in page.url
    page.fill("input[name=username]", "eco")
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('登录')")
    page.wait_for_url(re.compile(r"/my/report"))
    assert page.url == f"{server.url}/my/report?week=2024-W20"
    assert "2024年第20周" in page.inner_text("h1")


@pytest.mark.parametrize(
    "target",
    ["//evil.example/x", "/\\evil.example", "/\t/evil.example", "https://evil.example/"],
)
def test_sign_in_never_leads_off_the_site(server, target):
    with httpx.Client(base_url=server.url, follow_redirects=False) as browser:
        page = browser.get("/login")
        response = browser.post(
            "/login",
            data={"username": "leader", "password": PASSWORD, "next": target, "csrf_token": csrf_of(page.text)},
        )
    assert response.status_code == 303
    assert response.headers["location"] == "/"


def test_the_sign_in_page_carries_the_query_of_the_page_asked_for(server):
    with httpx.Client(base_url=server.url, follow_redirects=False) as browser:
        response = browser.get("/my/report?week=2024-W20&x=1")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fmy%2Freport%3Fweek%3D2024-W20%26x%3D1"

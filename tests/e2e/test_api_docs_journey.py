"""In a real browser: a prosecutor makes a token on My account and sees it once; Swagger UI and Redoc render
from the tracker's own files under its Content-Security-Policy — nothing blocked, nothing fetched elsewhere."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect
from rest_framework.test import APIClient

from api.models import ApiToken
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e

PASSWORD = "a-long-test-password"
# Redoc's bundle renders a "API docs by Redocly" badge whose image it always asks of Redocly's CDN (hard-coded,
# no option turns it off): the Content-Security-Policy refuses it, which is the policy doing its work. That one
# refusal is expected; any other means the docs need something from elsewhere.
REDOC_BADGE = "https://cdn.redoc.ly/redoc/logo-mini.svg"


def _watch_console(page: Any) -> list[str]:
    blocked: list[str] = []
    page.on(
        "console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None
    )
    return blocked


def test_a_token_is_made_on_my_account_and_the_api_docs_render(
    page: Any, live_server: Any, prosecutor: Any, browser_log: Any
) -> None:
    blocked = _watch_console(page)
    base = live_server.url
    login(page, live_server, prosecutor.username, PASSWORD)
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("my-account").click()
    page.wait_for_url(re.compile(r"/accounts/profile/$"))
    expect(page.get_by_test_id("roles")).to_contain_text("Prosecutor")
    page.fill("#id_name", "Judiciary CTS")
    page.get_by_test_id("make-token").click()
    expect(page.get_by_test_id("new-token")).to_contain_text("shown only this once")
    secret = page.get_by_test_id("new-token-value").input_value()
    assert secret.startswith("ctip_")
    expect(page.get_by_test_id("tokens")).to_contain_text("Judiciary CTS")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/cases/").status_code == 200
    assert ApiToken.objects.get().last_used_at is not None

    page.goto(f"{base}/api/docs/")
    expect(page.locator("#swagger-ui")).to_contain_text("/api/v1/cases/")
    page.goto(f"{base}/api/redoc/")
    expect(page.locator("redoc")).to_contain_text("Schedule a hearing")
    unexpected = [message for message in blocked if REDOC_BADGE not in message]
    assert not unexpected, unexpected
    assert all("has been blocked" in message for message in blocked), blocked
    assert not browser_log.off_site, browser_log.off_site
    assert not browser_log.page_errors, browser_log.page_errors
    assert not browser_log.failed, browser_log.failed

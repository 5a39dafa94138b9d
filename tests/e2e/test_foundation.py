"""The first journeys in a real browser: every demo login reaches its own home page and sections;
repeated wrong passwords lock the account; signing out works, also on a phone."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from core.demo import DEMO_PASSWORD, DEMO_USERS, DemoUser
from core.models import User
from core.registry import nav_for, panels_for
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, BrowserLog, login

pytestmark = pytest.mark.e2e


def _attribute_values(page: Page, selector: str, attribute: str) -> list[str]:
    return [
        value or ""
        for value in page.locator(selector).evaluate_all(f"els => els.map(e => e.getAttribute('{attribute}'))")
    ]


def _sign_out(page: Page) -> None:
    page.get_by_test_id("user-menu").click()
    expect(page.get_by_test_id("logout")).to_be_visible()
    with page.expect_navigation():
        page.get_by_test_id("logout").click()


@pytest.mark.parametrize("demo", DEMO_USERS, ids=[demo.username for demo in DEMO_USERS])
def test_each_demo_user_reaches_their_home_page_with_exactly_their_sections(
    page: Page, live_server: Any, demo_users: dict[str, User], browser_log: BrowserLog, demo: DemoUser
) -> None:
    user = demo_users[demo.username]
    login(page, live_server, demo.username, DEMO_PASSWORD)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("h1")).to_have_text(f"Welcome, {demo.first_name} {demo.last_name}")
    assert _attribute_values(page, "[data-section]", "data-section") == [item.key for item in nav_for(user)]
    assert _attribute_values(page, "[data-panel]", "data-panel") == [panel.key for panel in panels_for(user)]
    expect(page.get_by_test_id("no-role")).to_have_count(0)
    for role in demo.roles:
        expect(page.locator('[data-panel="welcome"]')).to_contain_text(role)

    # Every section the bar offers opens for this user.
    for item in nav_for(user):
        response = page.goto(item.url)
        assert response is not None and response.status == 200, f"{item.label} answered {response and response.status}"
        expect(page.locator(f'[data-section="{item.key}"]')).to_be_visible()

    # Bootstrap, htmx and our CSS came from the tracker itself, and nothing failed to load.
    assert browser_log.off_site == []
    assert browser_log.failed == []
    assert browser_log.page_errors == []


def test_five_wrong_passwords_lock_the_account_with_a_clear_message(
    page: Page, live_server: Any, demo_users: dict[str, User], settings: Any
) -> None:
    for attempt in range(1, settings.AXES_FAILURE_LIMIT):
        login(page, live_server, "prosecutor", f"wrong-password-{attempt}")
        expect(page.get_by_text("That username and password do not match")).to_be_visible()

    login(page, live_server, "prosecutor", "wrong-password-last")
    expect(page.get_by_test_id("locked-out")).to_be_visible()
    expect(page.get_by_test_id("locked-out")).to_contain_text("This account is locked")
    expect(page.get_by_test_id("locked-out")).to_contain_text("Too many sign-in attempts failed")

    # The right password no longer opens it.
    login(page, live_server, "prosecutor", DEMO_PASSWORD)
    expect(page.get_by_test_id("locked-out")).to_be_visible()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))

    # A colleague is not affected.
    login(page, live_server, "auditor", DEMO_PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/")


def test_signing_out_ends_the_session(page: Page, live_server: Any, demo_users: dict[str, User]) -> None:
    login(page, live_server, "unithead", DEMO_PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/")

    _sign_out(page)
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()

    page.goto("/counties/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/counties/$"))


def test_on_a_phone_the_menu_folds_away_and_still_signs_out(
    browser: Any, live_server: Any, demo_users: dict[str, User]
) -> None:
    phone = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True)
    phone.set_default_timeout(DEFAULT_TIMEOUT_MS)
    try:
        tab = phone.new_page()
        login(tab, live_server, "multirole", DEMO_PASSWORD)
        counties = tab.locator('[data-section="counties"]')
        expect(counties).to_be_hidden()  # folded into the menu button
        tab.get_by_role("button", name="Toggle navigation").click()
        expect(tab.locator("#mainnav")).to_have_class(re.compile(r"\bshow\b"))  # opened, animation over
        expect(counties).to_be_visible()
        _sign_out(tab)
        expect(tab).to_have_url(re.compile(r"/accounts/login/$"))
    finally:
        phone.close()


def test_on_a_phone_list_filters_fold_behind_a_button_and_still_filter(
    browser: Any, live_server: Any, demo_users: dict[str, User]
) -> None:
    phone = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True)
    phone.set_default_timeout(DEFAULT_TIMEOUT_MS)
    try:
        tab = phone.new_page()
        login(tab, live_server, "auditor", DEMO_PASSWORD)
        tab.goto("/counties/")
        filters = tab.get_by_test_id("filters")
        expect(filters).to_be_hidden()  # the rows come first on a small screen
        expect(tab.get_by_test_id("list-table")).to_be_visible()
        tab.get_by_role("button", name="Filters").click()
        expect(filters).to_be_visible()
        expect(filters).to_have_class(re.compile(r"\bshow\b"))  # the fold-out animation has finished
        tab.fill("#id_q", "Kisumu")
        expect(tab.locator("#id_q")).to_have_value("Kisumu")
        with tab.expect_navigation():
            filters.get_by_role("button", name="Filter").click()
        expect(tab).to_have_url(re.compile(r"q=Kisumu"))
        expect(tab.get_by_test_id("result-count")).to_have_text("1 result")
        expect(tab.get_by_role("button", name="Filters (in use)")).to_be_visible()
    finally:
        phone.close()

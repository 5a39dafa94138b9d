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

    # Every section the bar offers opens for this user (one in a drop-down menu, such as Counties under
    # Reference, once the menu is opened).
    for item in nav_for(user):
        response = page.goto(item.url)
        assert response is not None and response.status == 200, f"{item.label} answered {response and response.status}"
        if item.menu:
            page.locator(f'[data-menu="{item.menu}"]').click()
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
        tab.get_by_role("button", name="Reference").click()  # Counties sits in the Reference menu
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


# --- Content-Security-Policy, two-factor sign-in, the unlock link ---------------------------------------

# Reports every CSP violation of every page the tab opens to ``window.reportCsp`` (exposed below). Added
# by the browser driver, so the policy does not block this script itself.
CSP_WATCH = """
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.reportCsp(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ${where}`);
});
"""


def watch_csp(page: Page) -> list[str]:
    """Every CSP violation from now on, also those the browser only logs to the console."""
    violations: list[str] = []

    def report(text: str) -> None:
        violations.append(text)

    page.expose_function("reportCsp", report)
    page.add_init_script(CSP_WATCH)
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    return violations


def test_the_csp_watch_sees_a_violation(page: Page, live_server: Any, demo_users: dict[str, User]) -> None:
    """The check below can fail: an inline script slipped into a page is refused and reported."""
    violations = watch_csp(page)
    login(page, live_server, "auditor", DEMO_PASSWORD)
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.x = 1'; document.body.append(s); }"
    )
    page.wait_for_timeout(200)
    assert any("script-src" in violation for violation in violations), violations
    assert page.evaluate("() => window.x") is None


def test_charts_and_pages_draw_under_the_content_security_policy(
    page: Page, live_server: Any, unit_head: User, browser_log: BrowserLog
) -> None:
    from tests.prosecutions.test_reports import build_worked_example

    build_worked_example(unit_head)
    violations = watch_csp(page)
    login(page, live_server, unit_head.username, "a-long-test-password")

    # The home page draws its charts with Vega (no 'unsafe-eval': the expression interpreter) ...
    expect(page.locator('[data-chart="stage-pipeline"]')).to_have_attribute("data-rendered", "true")
    page.locator('[data-chart="stage-pipeline"] svg path, [data-chart="stage-pipeline"] svg rect').first.hover()
    # ... a report's period menu sends its form without inline script ...
    page.goto("/reports/")
    page.get_by_test_id("report-index").get_by_role("link").first.click()
    with page.expect_navigation():
        page.get_by_test_id("period-select").select_option(index=1)
    page.wait_for_function("() => [...document.querySelectorAll('.report-chart')].every(el => el.dataset.rendered)")
    assert page.locator(".report-chart[data-rendered='true'] svg").count() >= 1
    # ... and the Bootstrap menus, forms and icons (data: images) work.
    page.goto("/counties/")
    page.get_by_test_id("user-menu").click()
    expect(page.get_by_role("link", name="Two-factor sign-in")).to_be_visible()

    assert violations == []
    assert browser_log.page_errors == [] and browser_log.failed == [] and browser_log.off_site == []


def _totp_code(key_text: str) -> str:
    import base64
    import time

    from django_otp.oath import TOTP

    totp = TOTP(base64.b32decode(key_text.replace(" ", "")), step=30, digits=6)
    totp.time = time.time()
    return f"{totp.token():06d}"


def _next_totp_code(key_text: str, user: User) -> str:
    """A code the user's device takes now: of a later step than the last it took (no code is taken twice),
    within its tolerance of the step it now reads — which counts the drift it learnt when a code was typed
    as the step turned (waiting for the next step when the last taken is still current)."""
    import base64
    import time

    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=user, confirmed=True)
    while True:
        now = int((time.time() - device.t0) // device.step) + device.drift
        wanted = max(device.last_t + 1, now)
        if wanted <= now + device.tolerance:
            break
        time.sleep(1)
    totp = TOTP(base64.b32decode(key_text.replace(" ", "")), step=device.step, digits=device.digits)
    totp.time = device.t0 + wanted * device.step
    return f"{totp.token():06d}"


def test_a_liaison_sets_up_two_factor_sign_in_then_signs_in_with_a_code(
    page: Page, live_server: Any, demo_users: dict[str, User], browser_log: BrowserLog, settings: Any
) -> None:
    settings.TWO_FACTOR_REQUIRED = True  # the live server runs in this process: it sees the setting
    violations = watch_csp(page)

    # First sign-in: the password, then straight to setting up an authenticator; nothing else opens.
    login(page, live_server, "liaison", DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/enrol/\?next=%2F$"))
    expect(page.get_by_test_id("two-factor-required")).to_be_visible()
    qr = page.get_by_test_id("two-factor-qr")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.naturalWidth") > 0  # the data: image loaded under the CSP
    page.goto("/witnesses/")
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/enrol/"))

    key_text = page.get_by_test_id("two-factor-key").inner_text()
    page.fill("#id_code", _totp_code(key_text))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    page.get_by_test_id("codes-done").click()
    expect(page).to_have_url(f"{live_server.url}/witnesses/")  # the page last asked for
    expect(page.locator('[data-section="witnesses"]')).to_be_visible()

    # Every later sign-in: the password, then a code from the app (computed here as the app would).
    _sign_out(page)
    login(page, live_server, "liaison", DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/code/\?next=%2F$"))
    page.goto("/witnesses/")
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/code/\?next=%2Fwitnesses%2F$"))
    page.fill("#id_code", _next_totp_code(key_text, demo_users["liaison"]))
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{live_server.url}/witnesses/")
    page.goto("/")
    expect(page.locator("h1")).to_have_text("Welcome, Hassan Abdi")

    assert violations == []
    assert browser_log.page_errors == [] and browser_log.failed == []


def test_a_locked_out_user_unlocks_their_account_with_the_emailed_link(
    page: Page, live_server: Any, demo_users: dict[str, User]
) -> None:
    from django.core import mail

    for attempt in range(5):
        login(page, live_server, "prosecutor", f"wrong-password-{attempt}")
    expect(page.get_by_test_id("locked-out")).to_be_visible()
    mail.outbox.clear()

    page.get_by_role("button", name="E-mail me a link to unlock it").click()
    expect(page.get_by_test_id("unlock-sent")).to_be_visible()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["prosecutor@demo.ctip.local"]
    link = re.search(r"http://\S+/accounts/unlock/\?token=\S+", str(mail.outbox[0].body))
    assert link is not None

    page.goto(link.group(0))
    page.get_by_role("button", name="Unlock my account").click()
    expect(page.get_by_test_id("unlocked")).to_be_visible()
    login(page, live_server, "prosecutor", DEMO_PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/")

    page.goto(link.group(0))  # once only
    expect(page.get_by_test_id("unlock-invalid")).to_be_visible()

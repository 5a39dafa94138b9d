"""Browser tests: Playwright's sync API driving Debian's Chromium against pytest-django's live server.

Fixtures for every app's journeys:

- ``browser``: one headless Chromium for the session (``/usr/bin/chromium``; ``make browser`` installs it).
  Missing, it skips the browser tests — or fails them when ``E2E_REQUIRED=1`` (CI).
- ``page``: a fresh browser context (no cookies) per test, its base URL the live server, desktop-sized.
- ``demo_users``: the demo logins of ``core/demo.py`` with ``DEMO_PASSWORD``, by username.
- ``browser_log``: what the page loaded that failed, and anything it tried to fetch from another site.
- ``login(page, live_server, username, password)``: fill and send the sign-in form (import it from here).

Tests using ``page`` run against a live server, so their database is transactional; the harness asks
for serialized rollback, so the roles, counties and reference rows the migrations create are put back
for each test. Mark browser modules ``pytestmark = pytest.mark.e2e``. Never run ``playwright install``.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Playwright's sync API runs an event loop in this thread; Django refuses database work from a thread
# with a running loop unless told it is safe (it is: each test drives the browser step by step).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest

from core.models import User

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEFAULT_TIMEOUT_MS = 15_000
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-results"


def e2e_required() -> bool:
    return os.environ.get("E2E_REQUIRED", "").strip().lower() in {"1", "true", "yes", "on"}


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.access(CHROMIUM, os.X_OK):
        message = f"Chromium is not installed at {CHROMIUM}: run `make browser` (Debian's chromium package)."
        if e2e_required():
            pytest.fail(f"E2E_REQUIRED=1 but the browser tests cannot run. {message}", pytrace=False)
        pytest.skip(message)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Starting Playwright's sync API leaves this thread in another contextvars context, where Django
    # would open new database connections: ones without the serialized test data that transactional
    # tests restore from. Carry the connections already open over into the new context.
    opened = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        for alias, connection in opened.items():
            connections[alias] = connection
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class BrowserLog:
    """What went wrong in the page as the user saw it."""

    failed: list[str] = field(default_factory=list)  # static files that did not load: "404 http://…/static/x.css"
    off_site: list[str] = field(default_factory=list)  # requests to any other host (a CDN, say)
    page_errors: list[str] = field(default_factory=list)  # uncaught JavaScript errors


@pytest.fixture
def browser_log() -> BrowserLog:
    return BrowserLog()


_CALL_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Remember whether the test itself failed, so ``page`` can keep a screenshot in test-results/."""
    report = yield
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed
    return report


def _icon_left_behind(request: Any) -> bool:
    """The favicon's request, cut short because the page was left before the browser fetched it."""
    return "/static/favicon" in request.url and "ERR_ABORTED" in (request.failure or "")


@pytest.fixture
def page(
    browser: Any,
    live_server: Any,
    browser_log: BrowserLog,
    request: pytest.FixtureRequest,
    django_db_serialized_rollback: None,
) -> Iterator[Any]:
    from axes.utils import reset as reset_lockouts

    reset_lockouts()
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    tab = context.new_page()
    # Static files only: leaving a page may abort its own in-flight requests (htmx), which is no fault; so
    # may the browser's own late fetch of the page's icon.
    tab.on(
        "requestfailed",
        lambda req: (
            browser_log.failed.append(f"failed {req.url}")
            if "/static/" in req.url and not _icon_left_behind(req)
            else None
        ),
    )
    tab.on(
        "response",
        lambda response: (
            browser_log.failed.append(f"{response.status} {response.url}")
            if response.status >= 400 and "/static/" in response.url
            else None
        ),
    )
    tab.on(
        "request",
        lambda req: (
            None
            if req.url.startswith((live_server.url, "data:", "about:", "blob:"))
            else browser_log.off_site.append(req.url)
        ),
    )
    tab.on("pageerror", lambda error: browser_log.page_errors.append(str(error)))
    try:
        yield tab
    finally:
        if request.node.stash.get(_CALL_FAILED, False):
            ARTIFACTS.mkdir(exist_ok=True)
            safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in request.node.name)
            tab.screenshot(path=str(ARTIFACTS / f"{safe}.png"), full_page=True)
        context.close()


@pytest.fixture
def demo_users(transactional_db: None, django_db_serialized_rollback: None) -> dict[str, User]:
    """The demo logins, each with exactly the roles ``core/demo.py`` gives them and ``DEMO_PASSWORD``."""
    from core.services import ensure_demo_users

    return ensure_demo_users()


def login(page: Any, live_server: Any, username: str, password: str) -> None:
    """Open the sign-in page, fill it in and send it; the caller checks where it led.

    Returns once the answer (home page, the page asked for, the form with an error, the lockout page)
    has loaded, so the next step never runs against the sign-in page still on screen.
    """
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()

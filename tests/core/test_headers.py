"""Response headers: a Content-Security-Policy with no inline script on every page, and nothing a signed-in
user sees left in a cache (``Cache-Control: no-store``). Plus the rule that keeps the CSP workable: no
template carries inline script, event-handler attributes or style attributes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from core.models import User

BASE = Path(settings.BASE_DIR)


def _policy(response: object) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]  # type: ignore[index]
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.fixture
def signed_in(unit_head: User) -> Client:
    client = Client()
    client.force_login(unit_head)
    return client


SIGNED_IN_PAGES = [
    "/",
    "/counties/",
    "/counties/?export=xlsx",
    "/reports/",
    "/accounts/password/",
    "/accounts/two-factor/",
]


@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
def test_every_signed_in_page_is_never_stored_in_a_cache(signed_in: Client, path: str) -> None:
    response = signed_in.get(path)
    assert response.status_code == 200
    directives = {word.strip() for word in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= directives


def test_a_refusal_and_a_redirect_to_a_signed_in_user_are_not_stored_either(signed_in: Client) -> None:
    refused = signed_in.get("/access/")  # access administrators only
    assert refused.status_code == 403 and "no-store" in refused["Cache-Control"]
    changed = signed_in.post(
        "/accounts/password/",
        {
            "old_password": "a-long-test-password",
            "new_password1": "Kilimanjaro-2026!",
            "new_password2": "Kilimanjaro-2026!",
        },
    )
    assert changed.status_code == 302 and "no-store" in changed["Cache-Control"]


def test_static_files_keep_their_cache_headers(signed_in: Client) -> None:
    # WhiteNoise answers before the no-store middleware runs (in tests Django's finder serves them instead).
    middleware = settings.MIDDLEWARE
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") < middleware.index(
        "core.middleware.NoStoreForSignedInMiddleware"
    )


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/counties/"])
def test_the_content_security_policy_allows_only_the_tracker_itself(signed_in: Client, path: str) -> None:
    client = signed_in if path != "/accounts/login/" else Client()
    policy = _policy(client.get(path))
    assert policy["default-src"] == ["'none'"]
    for directive in ("script-src", "style-src", "font-src", "connect-src", "form-action"):
        assert policy[directive] == ["'self'"], directive
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]


def test_no_inline_script_or_eval_is_ever_allowed(signed_in: Client) -> None:
    header = signed_in.get("/")["Content-Security-Policy"]
    assert "'unsafe-inline'" not in header
    assert "'unsafe-eval'" not in header
    assert "'unsafe-hashes'" not in header


def test_the_old_framing_header_says_the_same(client: Client, db: None) -> None:
    assert client.get("/accounts/login/")["X-Frame-Options"] == "DENY"


# --- the templates keep to it ---------------------------------------------------------------------------

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.I)


def _templates() -> list[Path]:
    """Every template the project wrote: each app keeps its own under ``<app>/templates/``."""
    return sorted(path for path in BASE.glob("*/templates/**/*.html") if ".venv" not in path.parts)


@pytest.mark.parametrize(
    ("rule", "pattern"),
    [
        ("an inline <script> (move it to static/js/)", INLINE_SCRIPT),
        ("an event-handler attribute (use a data- attribute and static/js/tracker.js)", EVENT_HANDLER),
        ("a style attribute (use a class in static/css/tracker.css)", STYLE_ATTRIBUTE),
        ("a <style> element (use static/css/tracker.css)", STYLE_ELEMENT),
    ],
)
def test_no_template_needs_an_unsafe_policy(rule: str, pattern: re.Pattern[str]) -> None:
    offenders = [
        f"{path.relative_to(BASE)}:{number}"
        for path in _templates()
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if pattern.search(line)
    ]
    assert not offenders, f"{rule}: {offenders}"


def test_the_template_scan_finds_what_it_looks_for() -> None:
    assert _templates(), "no templates found"
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/js/charts.js"></script>')
    assert not INLINE_SCRIPT.search('<script id="x" type="application/json">{}</script>')
    assert EVENT_HANDLER.search('<select onchange="this.form.submit()">')
    assert not EVENT_HANDLER.search('<select data-submit-on-change name="period">')
    assert STYLE_ATTRIBUTE.search('<body style="margin: 0">')

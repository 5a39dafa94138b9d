"""Signing in and out: login everywhere, lockout after repeated failures, password rules, idle expiry."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.shortcuts import resolve_url
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.converters import get_converters
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils import timezone
from django.utils.regex_helper import normalize

from core.models import User
from tests.factories import UserFactory

PASSWORD = "a-long-test-password"  # tests/factories.py UserFactory
LOGIN_PATH = "/accounts/login/"

# URLs an anonymous visitor may open. Everything else must send them to the login page. The favicon is a
# redirect to a static file (tests/core/test_accessibility.py).
# The calendar feed is fetched by calendar apps, which cannot sign in: its secret token is the credential
# (tests/prosecutions/test_calendar_feed.py checks that an unknown or revoked token gets nothing).
# The health check is asked by load balancers, which cannot sign in: it answers with no data
# (tests/jobs checks what it says).
# core:set_language: choosing the language is open on the sign-in page (tests/core/test_translations_language.py).
PUBLIC_URL_NAMES = frozenset(
    {"login", "core:unlock", "core:favicon", "calendar_feed_ics", "health", "core:set_language"}
)
# The Django admin has its own login page and is checked by Django itself.
SKIPPED_NAMESPACES = frozenset({"admin"})

# Sample values tried for a path argument, first one its converter accepts wins.
SAMPLE_ARGUMENTS = ("1", "x", str(uuid.UUID(int=1)), "2026", "2026-01-01", "ODPP-CTIP-2026-0001")


def _sample_for(converter_name: str) -> str:
    converter = get_converters()[converter_name]
    for sample in SAMPLE_ARGUMENTS:
        if re.fullmatch(converter.regex, sample):
            return str(converter.to_url(converter.to_python(sample)))
    raise AssertionError(f"add a sample value for the <{converter_name}:…> path converter to SAMPLE_ARGUMENTS")


def _path_piece(pattern: Any) -> str:
    """One level of a URL pattern with its arguments filled in."""
    if isinstance(pattern, RoutePattern):
        return re.sub(
            r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>",
            lambda match: _sample_for(match.group("converter") or "str"),
            str(pattern),
        )
    if isinstance(pattern, RegexPattern):
        template, params = normalize(pattern.regex.pattern)[0]
        return template % dict.fromkeys(params, "1")
    raise AssertionError(f"unknown URL pattern type {type(pattern).__name__}")


def _walk(patterns: Iterable[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    for entry in patterns:
        piece = prefix + _path_piece(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = entry.namespace or namespace
            if inner in SKIPPED_NAMESPACES:
                continue
            yield from _walk(entry.url_patterns, piece, inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
            yield "/" + piece, name


def every_url() -> list[tuple[str, str]]:
    """Every URL in the URLconf (with sample arguments) and its name, except the admin's."""
    return sorted(set(_walk(get_resolver().url_patterns)))


PROTECTED_URLS = [(path, name) for path, name in every_url() if name not in PUBLIC_URL_NAMES]


def test_the_walk_finds_the_pages_it_should() -> None:
    paths = {path for path, _ in PROTECTED_URLS}
    assert {"/", "/counties/", "/accounts/logout/", "/accounts/password/"} <= paths


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "name"), PROTECTED_URLS, ids=[f"{name or '?'} {path}" for path, name in PROTECTED_URLS]
)
def test_an_anonymous_visitor_is_sent_to_the_login_page(client: Client, path: str, name: str) -> None:
    resolve(path)  # the sample path is a real page, so a redirect below is the login check, not a 404
    if path.startswith("/api/") and name not in ("api-docs", "api-redoc"):
        # Other systems have no sign-in page to be sent to: the API answers 401 with a JSON error. (Its
        # documentation pages are for people, and send them to sign in like every page.)
        response = client.get(path, HTTP_ACCEPT="application/json")
        assert response.status_code == 401, f"{path} answered {response.status_code}"
        assert response.json()["error"]["code"], f"{path} answered without an error code"
        return
    for query in ("", "?export=xlsx"):
        response = client.get(path + query)
        assert response.status_code == 302, f"{path}{query} answered {response.status_code}"
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL) + "?next=")


# --- the login page -----------------------------------------------------------------------------------------


@pytest.fixture
def achieng(db: None) -> User:
    return UserFactory.create(username="achieng", first_name="Achieng", last_name="Otieno")


def _sign_in(client: Client, username: str, password: str, **extra: str) -> Any:
    return client.post(LOGIN_PATH, {"username": username, "password": password, **extra})


@pytest.mark.django_db
def test_the_login_page_shows_a_sign_in_form(client: Client) -> None:
    page = client.get(LOGIN_PATH)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Sign in" in html
    assert 'name="username"' in html and 'name="password"' in html and "csrfmiddlewaretoken" in html
    assert "data-section=" not in html  # no navigation before signing in


def test_signing_in_leads_to_the_home_page(client: Client, achieng: User) -> None:
    response = _sign_in(client, "achieng", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert "Welcome, Achieng Otieno" in client.get("/").content.decode()


def test_signing_in_returns_to_the_page_asked_for_but_never_to_another_site(client: Client, achieng: User) -> None:
    assert _sign_in(client, "achieng", PASSWORD, next="/counties/")["Location"] == "/counties/"
    client.logout()
    assert _sign_in(client, "achieng", PASSWORD, next="https://evil.example/")["Location"] == "/"


def test_a_wrong_password_is_refused_with_a_clear_message(client: Client, achieng: User) -> None:
    response = _sign_in(client, "achieng", "not-the-password")
    assert response.status_code == 200
    assert "That username and password do not match" in response.content.decode()
    assert client.get("/").status_code == 302


def test_an_inactive_user_cannot_sign_in(client: Client, achieng: User) -> None:
    achieng.is_active = False
    achieng.save()
    assert _sign_in(client, "achieng", PASSWORD).status_code == 200
    assert client.get("/").status_code == 302


# --- lockout ------------------------------------------------------------------------------------------------


def test_the_lockout_threshold_defaults_to_five_failures() -> None:
    assert settings.AXES_FAILURE_LIMIT == 5


def test_repeated_failures_lock_the_account_with_a_clear_message(client: Client, achieng: User) -> None:
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert _sign_in(client, "achieng", "wrong-password").status_code == 200
    locked = _sign_in(client, "achieng", "wrong-password")
    assert locked.status_code == 429
    assert "This account is locked" in locked.content.decode()
    assert "Too many sign-in attempts failed" in locked.content.decode()

    # Even the right password is refused now, and nobody is signed in.
    again = _sign_in(client, "achieng", PASSWORD)
    assert again.status_code == 429
    assert "This account is locked" in again.content.decode()
    assert client.get("/").status_code == 302


def test_a_lockout_is_per_account_not_per_office(client: Client, achieng: User) -> None:
    UserFactory.create(username="brian")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "achieng", "wrong-password")
    # A colleague behind the same address still signs in.
    assert _sign_in(client, "brian", PASSWORD)["Location"] == "/"


def test_a_successful_sign_in_clears_earlier_failures(client: Client, achieng: User) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, "achieng", "wrong-password")
    assert _sign_in(client, "achieng", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, "achieng", "wrong-password").status_code == 200


# --- signing out --------------------------------------------------------------------------------------------


def test_signing_out_ends_the_session(client: Client, achieng: User) -> None:
    client.force_login(achieng)
    assert client.get("/").status_code == 200
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == LOGIN_PATH
    assert client.get("/").status_code == 302


def test_a_link_cannot_sign_you_out(client: Client, achieng: User) -> None:
    client.force_login(achieng)
    assert client.get("/accounts/logout/").status_code == 405  # only a POST with the CSRF token signs out
    assert client.get("/").status_code == 200


# --- changing the password ----------------------------------------------------------------------------------


def _change_password(client: Client, old: str, new: str) -> Any:
    return client.post(
        "/accounts/password/", {"old_password": old, "new_password1": new, "new_password2": new}, follow=True
    )


def test_a_user_changes_their_password_and_stays_signed_in(client: Client, achieng: User) -> None:
    client.force_login(achieng)
    response = _change_password(client, PASSWORD, "Kilimanjaro-at-dawn-2026")
    assert response.redirect_chain[-1][0] == "/"
    assert "Your password has been changed." in response.content.decode()
    achieng.refresh_from_db()
    assert achieng.check_password("Kilimanjaro-at-dawn-2026")


@pytest.mark.parametrize(
    ("weak", "message"),
    [
        ("Short-1", "This password is too short. It must contain at least 12 characters."),
        ("password1234", "This password is too common."),
        ("204857193846", "This password is entirely numeric."),
        ("achieng12345", "The password is too similar to the username."),
    ],
)
def test_a_weak_new_password_is_refused_with_the_reason(client: Client, achieng: User, weak: str, message: str) -> None:
    client.force_login(achieng)
    response = _change_password(client, PASSWORD, weak)
    assert response.status_code == 200
    assert message in response.content.decode()
    achieng.refresh_from_db()
    assert achieng.check_password(PASSWORD)


def test_the_old_password_must_be_given(client: Client, achieng: User) -> None:
    client.force_login(achieng)
    response = _change_password(client, "not-my-password", "Kilimanjaro-at-dawn-2026")
    assert "Your old password was entered incorrectly" in response.content.decode()


# --- idle expiry --------------------------------------------------------------------------------------------


def _session_row(client: Client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_a_session_lasts_the_configured_idle_minutes(client: Client, achieng: User) -> None:
    client.force_login(achieng)
    client.get("/")
    assert client.session.get_expiry_age() == settings.SESSION_IDLE_MINUTES * 60


def test_each_request_pushes_the_idle_expiry_forward(client: Client, achieng: User) -> None:
    client.force_login(achieng)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + dt.timedelta(minutes=1)
    )
    assert client.get("/").status_code == 200
    remaining = _session_row(client).expire_date - timezone.now()
    assert remaining > dt.timedelta(minutes=settings.SESSION_IDLE_MINUTES - 1)


def test_a_request_within_the_minute_does_not_write_the_session(client: Client, achieng: User, settings: Any) -> None:
    """The row is written when that moves its expiry by more than a minute, not on every request."""
    settings.SESSION_REFRESH_SECONDS = 60
    client.force_login(achieng)
    stored = timezone.now() + dt.timedelta(minutes=settings.SESSION_IDLE_MINUTES) - dt.timedelta(seconds=20)
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=stored)
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    assert _session_row(client).expire_date == stored
    assert not [q for q in captured.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]


def test_a_request_after_the_minute_writes_the_new_expiry(client: Client, achieng: User, settings: Any) -> None:
    settings.SESSION_REFRESH_SECONDS = 60
    client.force_login(achieng)
    stored = timezone.now() + dt.timedelta(minutes=settings.SESSION_IDLE_MINUTES) - dt.timedelta(seconds=90)
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=stored)
    assert client.get("/").status_code == 200
    assert _session_row(client).expire_date - stored > dt.timedelta(seconds=85)


def test_an_idle_session_is_sent_back_to_the_login_page(client: Client, achieng: User) -> None:
    client.force_login(achieng)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.get("/counties/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_PATH}?next=/counties/"

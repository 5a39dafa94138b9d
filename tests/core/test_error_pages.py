"""Friendly 403 / 404 / 500 pages that say what happened in plain words and reveal nothing else."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from config.urls import handler403, handler404, handler500
from config.urls import urlpatterns as project_urlpatterns
from core.models import User

SECRET = "postgres://ctip:s3cr3t@db.internal/ctip"


def _explode(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(f"could not connect to {SECRET}")


def _refuse(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied(f"witness W-2026-0019 is protected; {SECRET}")


# This module doubles as the URLconf: the project's URLs plus two that fail on purpose.
urlpatterns = [path("test-explode/", _explode), path("test-refuse/", _refuse), *project_urlpatterns]
__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]

pytestmark = pytest.mark.urls(__name__)

LEAKS = (SECRET, "s3cr3t", "Traceback", "RuntimeError", "W-2026-0019", "urlpatterns", "settings.py")


def _assert_reveals_nothing(html: str, *also: str) -> None:
    for leak in (*LEAKS, *also):
        assert leak not in html, f"the error page shows {leak!r}"


def test_a_missing_page_is_a_friendly_404_that_does_not_echo_the_address(client: Client, prosecutor: User) -> None:
    client.force_login(prosecutor)
    response = client.get("/cases/<script>alert(1)</script>-nonexistent-7731/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert 'href="/"' in html  # a way back home
    _assert_reveals_nothing(html, "nonexistent-7731", "alert(1)", "Using the URLconf")


def test_a_missing_page_for_an_anonymous_visitor_reveals_nothing_either(client: Client, db: None) -> None:
    response = client.get("/fund/secret-report-2026/")
    assert response.status_code == 404
    _assert_reveals_nothing(response.content.decode(), "secret-report-2026")


def test_a_refusal_is_a_friendly_403_that_keeps_the_reason_to_itself(client: Client, prosecutor: User) -> None:
    client.force_login(prosecutor)
    response = client.get("/test-refuse/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "You do not have access to this page" in html
    _assert_reveals_nothing(html)


def test_a_crash_is_a_friendly_500_with_no_detail(prosecutor: User) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(prosecutor)
    response = client.get("/test-explode/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    assert "Nothing you entered was half-saved" in html
    _assert_reveals_nothing(html)

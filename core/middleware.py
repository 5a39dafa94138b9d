"""Middleware of the tracker's own: the two-factor gate, no caching of what a signed-in user sees, and the
signed-in user's chosen language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from core import twofactor
from core.models import User

# Set in the session at sign-in (or on first need): whether the user has enrolled (saves two queries a page).
ENROLLED_SESSION_KEY = "two_factor_enrolled"


def remember_enrolment(request: HttpRequest, enrolled: bool) -> None:
    request.session[ENROLLED_SESSION_KEY] = enrolled


def is_enrolled(request: HttpRequest) -> bool:
    """Whether the signed-in user has an authenticator or recovery codes, remembered in the session."""
    known = request.session.get(ENROLLED_SESSION_KEY)
    if isinstance(known, bool):
        return known
    enrolled = twofactor.is_enrolled(request.user)  # type: ignore[arg-type]
    remember_enrolment(request, enrolled)
    return enrolled


@receiver(user_logged_in, dispatch_uid="core.two_factor.remember_enrolment")
def remember_enrolment_at_sign_in(
    sender: Any, request: HttpRequest | None = None, user: User | None = None, **kwargs: Any
) -> None:
    """Look the devices up once, as the session starts, so no page pays for it."""
    if request is not None and user is not None and hasattr(request, "session"):
        remember_enrolment(request, twofactor.is_enrolled(user))


class TwoFactorMiddleware:
    """After the password, a user who must use two-factor sign-in (or who has enrolled) opens nothing but
    the code page until a code has verified the session — or, without an authenticator yet, the
    enrolment page. Views that must stay open (signing in and out, the code and enrolment pages, the
    unlock link) say so with ``two_factor_exempt = True``.

    Goes after ``django_otp.middleware.OTPMiddleware`` (which gives ``request.user.is_verified()``) and
    ``LoginRequiredMiddleware`` (anonymous visitors are sent to sign in first).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponseBase | None:
        user = request.user
        if not user.is_authenticated or _exempt(view_func):
            return None
        if user.is_verified():  # type: ignore[attr-defined]
            return None
        if is_enrolled(request):
            return _to("core:two_factor_verify", request)
        if twofactor.must_use_two_factor(user):
            return _to("core:two_factor_enrol", request)
        return None


def _exempt(view_func: Callable[..., Any]) -> bool:
    view_class = getattr(view_func, "view_class", None)
    return bool(getattr(view_func, "two_factor_exempt", False) or getattr(view_class, "two_factor_exempt", False))


def _to(name: str, request: HttpRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")


class NoStoreForSignedInMiddleware:
    """``Cache-Control: no-store`` (and Django's other never-cache headers) on every response to a signed-in
    user: a page of case files, identities or payments must not stay in a shared or browser cache after
    sign-out. Static files are served before this runs (WhiteNoise) and keep their long cache headers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


class UserLanguageMiddleware:
    """The signed-in user's chosen language (``User.language``) for the whole request, whatever the browser
    asks for; a user who has chosen none (blank) follows ``LocaleMiddleware``: the language cookie, then the
    browser's ``Accept-Language``. Goes after ``AuthenticationMiddleware``; ``LocaleMiddleware`` (earlier)
    still adds ``Content-Language`` and ``Vary`` to the response, in the language activated here."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        chosen = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if chosen and translation.check_for_language(chosen):
            translation.activate(chosen)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)

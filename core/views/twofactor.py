"""Two-factor sign-in pages: the code after the password, enrolling an authenticator, and the user's own
"Two-factor sign-in" page (new recovery codes, turning it off where it is optional).

The rules are in ``core.twofactor``; ``core.middleware.TwoFactorMiddleware`` sends users here. Every POST
parameter of these pages is marked sensitive, and no response is cached.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from core import twofactor
from core.access import SIGNED_IN, PageAccess
from core.forms import TwoFactorCodeForm
from core.middleware import remember_enrolment
from core.models import User

PENDING_KEY_SESSION_KEY = "two_factor_pending_key"
SIGNED_IN_PAGE = PageAccess(opens=frozenset({SIGNED_IN}))  # every signed-in user, about their own account


def _next(request: HttpRequest) -> str:
    """Where to go once done: the page first asked for, if it is on this site; else the home page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, request: HttpRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'next': _next(request)})}")


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # LoginRequiredMiddleware: only signed-in users get here
    return user


def _codes_page(request: HttpRequest, codes: list[str], *, first_time: bool) -> HttpResponse:
    """The recovery codes, on this response only: never stored in the session or a message."""
    context = {"codes": codes, "first_time": first_time, "next": _next(request), "title": _("Your recovery codes")}
    return render(request, "registration/two_factor_codes.html", context)


@method_decorator(never_cache, name="dispatch")
@method_decorator(sensitive_post_parameters(), name="dispatch")
class TwoFactorVerifyView(View):
    """The second step of signing in: a code from the authenticator app, or a recovery code."""

    page_access = SIGNED_IN_PAGE
    two_factor_exempt = True
    template_name = "registration/two_factor_verify.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = _user(request)
        if user.is_verified():  # type: ignore[attr-defined]
            return HttpResponseRedirect(_next(request))
        enrolled = twofactor.is_enrolled(user)
        remember_enrolment(request, enrolled)
        if not enrolled:
            if twofactor.must_use_two_factor(user):
                return _with_next("core:two_factor_enrol", request)
            # Nothing to verify: say so (a stale bookmark, or an administrator removed the devices).
            return render(request, self.template_name, {"enrolled": False, "title": _("Two-factor sign-in")})
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._page(request, TwoFactorCodeForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = TwoFactorCodeForm(request.POST)
        if not form.is_valid():
            return self._page(request, form)
        user = _user(request)
        check = twofactor.check_code(user, form.cleaned_data["code"])
        if check.device is None:
            if check.wait_seconds:
                form.add_error(
                    "code",
                    _("Too many wrong codes. Wait %(seconds)s seconds, then try again.")
                    % {"seconds": check.wait_seconds},
                )
            else:
                form.add_error(
                    "code", _("That code is not right. Codes change every 30 seconds; recovery codes work once.")
                )
            return self._page(request, form)
        request.session.cycle_key()  # a new session key for the fully signed-in session
        django_otp.login(request, check.device)
        if check.used_recovery_code:
            left = twofactor.recovery_codes_left(user)
            messages.warning(
                request,
                _(
                    "You signed in with a recovery code; %(left)s left. "
                    "Make new ones on your Two-factor sign-in page if you are running short."
                )
                % {"left": left},
            )
        return HttpResponseRedirect(_next(request))

    def _page(self, request: HttpRequest, form: TwoFactorCodeForm) -> HttpResponse:
        context = {"form": form, "enrolled": True, "next": _next(request), "title": _("Enter your code")}
        return render(request, self.template_name, context)


@method_decorator(never_cache, name="dispatch")
@method_decorator(sensitive_post_parameters(), name="dispatch")
class TwoFactorEnrolView(View):
    """Set up an authenticator app: the key as text and as a QR code, confirmed with a code the app shows;
    then the recovery codes, once. A user who already has one must have signed in with it to replace it."""

    page_access = SIGNED_IN_PAGE
    two_factor_exempt = True  # reachable before the code step only by users with nothing to verify
    template_name = "registration/two_factor_enrol.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = _user(request)
        if not user.is_verified() and twofactor.is_enrolled(user):  # type: ignore[attr-defined]
            # Whoever knows the password alone must not swap in an authenticator of their own.
            return _with_next("core:two_factor_verify", request)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._page(request, TwoFactorCodeForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = TwoFactorCodeForm(request.POST)
        key = request.session.get(PENDING_KEY_SESSION_KEY)
        if not form.is_valid() or not isinstance(key, str):
            return self._page(request, form)
        user = _user(request)
        enrolment = twofactor.enrol(user, key, form.cleaned_data["code"])
        if enrolment is None:
            form.add_error("code", _("That code is not right. Type the six digits your app shows now."))
            return self._page(request, form)
        del request.session[PENDING_KEY_SESSION_KEY]
        request.session.cycle_key()
        django_otp.login(request, enrolment.device)
        remember_enrolment(request, True)
        return _codes_page(request, enrolment.recovery_codes, first_time=True)

    def _page(self, request: HttpRequest, form: TwoFactorCodeForm) -> HttpResponse:
        user = _user(request)
        key = request.session.get(PENDING_KEY_SESSION_KEY)
        if not isinstance(key, str):
            key = twofactor.new_key()
            request.session[PENDING_KEY_SESSION_KEY] = key
        uri = twofactor.provisioning_uri(user, key)
        context = {
            "form": form,
            "key_text": twofactor.key_as_text(key),
            "qr_code": twofactor.qr_code_data_uri(uri),
            "required": twofactor.must_use_two_factor(user),
            "replacing": twofactor.authenticator(user) is not None,
            "next": _next(request),
            "title": _("Set up two-factor sign-in"),
        }
        return render(request, self.template_name, context)


@method_decorator(never_cache, name="dispatch")
@method_decorator(sensitive_post_parameters(), name="dispatch")
class TwoFactorView(View):
    """The user's "Two-factor sign-in" page: whether it is on, recovery codes left, new codes, turn off."""

    page_access = SIGNED_IN_PAGE
    template_name = "registration/two_factor.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        user = _user(request)
        device = twofactor.authenticator(user)
        context = {
            "device": device,
            "codes_left": twofactor.recovery_codes_left(user),
            "required": twofactor.must_use_two_factor(user),
            "title": _("Two-factor sign-in"),
        }
        return render(request, self.template_name, context)

    def post(self, request: HttpRequest) -> HttpResponse:
        user = _user(request)
        action = request.POST.get("action")
        if twofactor.authenticator(user) is None:
            messages.error(request, _("Set up an authenticator app first."))
        elif action == "codes":
            return _codes_page(request, twofactor.replace_recovery_codes(user), first_time=False)
        elif action == "off" and twofactor.must_use_two_factor(user):
            messages.error(request, _("Your roles require two-factor sign-in, so it cannot be turned off."))
        elif action == "off":
            twofactor.turn_off(user)
            remember_enrolment(request, False)
            messages.success(request, _("Two-factor sign-in is off. You sign in with your password alone."))
        return HttpResponseRedirect(reverse("core:two_factor"))

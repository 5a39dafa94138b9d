"""Sign-in, sign-out and password change pages, on Django's own views, and the unlock link for an account
locked after failed sign-ins (``core.lockout``).

Django's ``LoginView`` and ``PasswordChangeView`` already mark every POST parameter sensitive
(``sensitive_post_parameters()``), so error reports never carry a password; the unlock page does the same
for its token. The second step of signing in (the code) is in ``core/views/twofactor.py``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from core import lockout
from core.access import SIGNED_IN, PageAccess
from core.forms import LoginForm, UnlockRequestForm


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    two_factor_exempt = True


class LogoutView(auth_views.LogoutView):
    two_factor_exempt = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    page_access = PageAccess(opens=frozenset({SIGNED_IN}))  # everyone signed in changes their own
    success_url = reverse_lazy("core:home")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


@method_decorator(login_not_required, name="dispatch")
@method_decorator(never_cache, name="dispatch")
@method_decorator(sensitive_post_parameters("token"), name="dispatch")
class UnlockView(View):
    """Unlock an account locked after failed sign-ins, without an administrator.

    Without a token: a form asking for the username; the answer is the same whether or not the account
    exists, is locked or has an e-mail address, and a link goes only to the address on file. With the
    token from the e-mail: a button (a GET never spends the link — mail scanners open links) that clears
    the account's lockout at the address that asked for the link.
    """

    two_factor_exempt = True
    template_name = "registration/unlock.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        token = request.GET.get("token", "")
        if token:
            valid = lockout.read_unlock_token(token) is not None
            return self._page(request, "confirm" if valid else "invalid", token=token)
        return self._page(request, "ask", form=UnlockRequestForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        token = request.POST.get("token", "")
        if token:
            ticket = lockout.read_unlock_token(token)
            if ticket is None:
                return self._page(request, "invalid")
            lockout.unlock(ticket)
            return self._page(request, "unlocked")
        form = UnlockRequestForm(request.POST)
        if not form.is_valid():
            return self._page(request, "ask", form=form)
        lockout.send_unlock_link(
            form.cleaned_data["username"], lockout.client_address(request), request.build_absolute_uri
        )
        return self._page(request, "sent")

    def _page(self, request: HttpRequest, step: str, **context: Any) -> HttpResponse:
        return render(
            request,
            self.template_name,
            {"step": step, "link_minutes": settings.LOCKOUT_UNLOCK_LINK_MINUTES, **context},
        )

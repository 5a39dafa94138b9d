""" "My account": who the user is, their roles, and their personal API tokens (make one, shown once;
revoke one, after a confirmation). Every signed-in user has this page, about their own account only."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from api.forms import TokenForm
from api.models import ApiToken
from api.tokens import TokenRefused, issue_token, revoke_token
from core.access import SIGNED_IN, PageAccess, roles_of
from core.models import User

TEMPLATE = "core/profile.html"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # LoginRequiredMiddleware: only signed-in users get here
    return user


@method_decorator(never_cache, name="dispatch")
class ProfileView(View):
    """The signed-in user's own account page."""

    page_access = PageAccess(opens=frozenset({SIGNED_IN}))

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._page(request, TokenForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        user = _user(request)
        action = request.POST.get("action")
        if action == "revoke":
            return self._revoke(request, user)
        form = TokenForm(request.POST)
        if not form.is_valid():
            return self._page(request, form)
        try:
            issued = issue_token(user, name=form.cleaned_data["name"], expires_on=form.cleaned_data["expires_on"])
        except TokenRefused as refusal:
            form.add_error(refusal.field, refusal.message)
            return self._page(request, form)
        # The secret is on this response only: never stored, never in a message or the session.
        return self._page(request, TokenForm(), new_token=issued.secret, new_token_record=issued.token)

    def _revoke(self, request: HttpRequest, user: User) -> HttpResponse:
        try:
            token_id = int(request.POST.get("token", ""))
        except ValueError:
            token_id = 0
        token = ApiToken.objects.filter(user=user, pk=token_id).first()
        if token is None:
            messages.error(request, _("You have no such token."))
            return HttpResponseRedirect(reverse("core:profile"))
        if request.POST.get("confirm") != "yes":
            return self._page(request, TokenForm(), confirm_revoke=token)
        revoke_token(user, token.pk)
        messages.success(
            request,
            _("The token “%(name)s” is revoked: systems using it are refused from now on.") % {"name": token.name},
        )
        return HttpResponseRedirect(reverse("core:profile"))

    def _page(self, request: HttpRequest, form: TokenForm, **extra: Any) -> HttpResponse:
        user = _user(request)
        context = {
            "title": _("My account"),
            "account": user,
            "roles": sorted(roles_of(user)),
            "tokens": list(ApiToken.objects.filter(user=user)),
            "form": form,
            **extra,
        }
        return render(request, TEMPLATE, context)

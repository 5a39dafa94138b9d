"""Choosing the tracker's language: the switcher in the top bar and the form on the profile page post here.

A signed-in person's choice is saved on their account (``User.language``), so it follows them to every
browser, their e-mails, notifications and exports; it is also put in the language cookie, which is all an
anonymous visitor on the sign-in page has. Choosing nothing ("") on the profile form goes back to
following the browser's language.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.models import User
from core.translations import language_codes

# What the form posts: the language's code, and the page to go back to.
LANGUAGE_FIELD = "language"
NEXT_FIELD = "next"


def _back_to(request: HttpRequest) -> str:
    """The page the person came from, if it is one of ours; else the home page (or sign-in, anonymously)."""
    for candidate in (request.POST.get(NEXT_FIELD), request.headers.get("referer")):
        if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return candidate
    return reverse("core:home" if request.user.is_authenticated else "login")


@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Save the chosen language (``""`` follows the browser again), switch to it and go back."""
    code = request.POST.get(LANGUAGE_FIELD, "")
    if code and code not in language_codes():
        return HttpResponseBadRequest(_("That language is not offered."), content_type="text/plain; charset=utf-8")
    user = request.user
    if isinstance(user, User) and user.language != code:
        user.language = code
        user._change_reason = "Language chosen"  # type: ignore[attr-defined]  # the history row's reason
        user.save(update_fields=[LANGUAGE_FIELD])
    active = code or translation.get_language_from_request(request, check_path=False)
    translation.activate(active)
    request.LANGUAGE_CODE = translation.get_language()
    response = HttpResponseRedirect(_back_to(request))
    if code:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE or request.is_secure(),
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    else:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME, path=settings.LANGUAGE_COOKIE_PATH)
    if user.is_authenticated:
        messages.success(request, _("Language saved."))
    return response


# Open on the sign-in page and before the sign-in code: it changes nothing but the person's own language.
set_language.two_factor_exempt = True  # type: ignore[attr-defined]

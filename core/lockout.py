"""Brute-force protection that cannot be turned against a colleague (django-axes, failures in the database).

Three rules, all counted over the cool-off window (``AXES_COOLOFF_TIME``):

- **An account is locked at one address only.** Failures count per username *and* address
  (``AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]``): six wrong passwords for ``approver`` from
  one machine lock ``approver`` on that machine, not the real approver at their desk.
- **An address that fails too often is paused**, whatever the usernames it tries
  (``LOCKOUT_ADDRESS_FAILURES``): password spraying from one address stops there. A success never clears
  the address's count (only the signing-in user's own failures), so an attacker cannot reset it by signing
  in to an account of their own.
- **A locked-out user unlocks themselves** with a one-time link e-mailed to the address on file
  (``send_unlock_link`` / ``unlock``): signed, valid for ``LOCKOUT_UNLOCK_LINK_MINUTES``, spent as soon
  as it is used, and the request for it answers the same whatever the username.

The address is ``REMOTE_ADDR``, or, behind ``LOCKOUT_TRUSTED_PROXIES`` proxies, the entry those proxies
appended to ``X-Forwarded-For`` (``client_address``), so a client cannot choose its own address.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.mail import send_mail
from django.db.models import Min, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from core.models import User

log = logging.getLogger(__name__)

UNLOCK_SALT = "core.lockout.unlock"
# How often one account may be sent an unlock e-mail for one address (per app-server process).
UNLOCK_MAIL_INTERVAL_SECONDS = 300


# --- the address ---------------------------------------------------------------------------------------------


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The client's address (``AXES_CLIENT_IP_CALLABLE``).

    Without a proxy: ``REMOTE_ADDR``. Behind ``LOCKOUT_TRUSTED_PROXIES`` proxies, each of which appends the
    address it received the request from to ``X-Forwarded-For``: the entry the outermost trusted proxy
    wrote (counted from the right). Entries further left are the client's own claims and are ignored.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = int(getattr(settings, "LOCKOUT_TRUSTED_PROXIES", 0))
    if proxies > 0:
        forwarded = [entry for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()]
        if len(forwarded) >= proxies:
            address = _valid_ip(forwarded[-proxies])
            if address:
                return address
    return _valid_ip(remote) if remote else None


# --- counting failures ---------------------------------------------------------------------------------------


def _recent(attempts: QuerySet[AccessAttempt], request: HttpRequest | None = None) -> QuerySet[AccessAttempt]:
    if settings.AXES_COOLOFF_TIME is None:
        return attempts
    if request is not None and getattr(request, "axes_attempt_time", None) is not None:
        return attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.filter(attempt_time__gte=timezone.now() - _cool_off())


def _cool_off() -> dt.timedelta:
    return dt.timedelta(hours=float(settings.AXES_COOLOFF_TIME or 0))


def address_failures(address: str | None, request: HttpRequest | None = None) -> int:
    """Failed sign-ins from ``address`` within the cool-off window, whatever the usernames tried."""
    if not address:
        return 0
    attempts = _recent(AccessAttempt.objects.filter(ip_address=address), request)
    total: int | None = attempts.aggregate(total=Sum("failures_since_start"))["total"]
    return total or 0


def account_failures(username: str, address: str | None) -> int:
    """Failed sign-ins for ``username`` from ``address`` within the cool-off window."""
    attempts = _recent(AccessAttempt.objects.filter(username=username, ip_address=address))
    total: int | None = attempts.aggregate(total=Sum("failures_since_start"))["total"]
    return total or 0


def is_account_locked(username: str, address: str | None) -> bool:
    return account_failures(username, address) >= int(settings.AXES_FAILURE_LIMIT)


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler, plus the pause of an address that fails too often (``AXES_HANDLER``).

    Axes compares one number with one limit; this handler answers "as many as the limit" whenever the
    address is over its own, larger, limit, and marks the request so the page says which rule applied.
    """

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        failures: int = super().get_failures(request, credentials)
        address = getattr(request, "axes_ip_address", None)
        if address_failures(address, request) >= int(settings.LOCKOUT_ADDRESS_FAILURES):
            setattr(request, "lockout_address_paused", True)  # noqa: B010  (read by lockout_response)
            return max(failures, get_failure_limit(request, credentials))
        return failures


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """The page a locked-out sign-in gets (``AXES_LOCKOUT_CALLABLE``): which rule applied, for how long,
    and — for a locked account — the offer of an unlock link (for any username, so it reveals nothing)."""
    context = {
        "username": get_client_username(request, credentials) or "",
        "address_paused": bool(getattr(request, "lockout_address_paused", False)),
        "minutes": round(_cool_off().total_seconds() / 60),
        "link_minutes": settings.LOCKOUT_UNLOCK_LINK_MINUTES,
    }
    return render(
        request, "registration/locked_out.html", context, status=getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429)
    )


# --- the unlock link -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnlockTicket:
    """What a valid unlock link names: whose account, locked at which address."""

    user: User
    address: str


def _lock_state(user: User, address: str) -> str:
    """A digest of what the link may undo: the oldest failure on record for the account at the address
    (gone once unlocked, so the link works once), the password hash and the last sign-in (a new password
    or a sign-in spends it too)."""
    first = _recent(AccessAttempt.objects.filter(username=user.get_username(), ip_address=address)).aggregate(
        first=Min("pk")
    )["first"]
    value = f"{user.pk}|{address}|{first}|{user.password}|{user.last_login}"
    return salted_hmac(UNLOCK_SALT, value, algorithm="sha256").hexdigest()


def make_unlock_token(user: User, address: str) -> str:
    return signing.dumps({"u": user.pk, "a": address, "s": _lock_state(user, address)}, salt=UNLOCK_SALT)


def read_unlock_token(token: str) -> UnlockTicket | None:
    """The account and address a token unlocks, or None when it is forged, expired or already used."""
    try:
        payload = signing.loads(token, salt=UNLOCK_SALT, max_age=settings.LOCKOUT_UNLOCK_LINK_MINUTES * 60)
    except signing.BadSignature:  # also SignatureExpired
        return None
    if not isinstance(payload, dict):
        return None
    user = User.objects.filter(pk=payload.get("u"), is_active=True).first()
    address = str(payload.get("a") or "")
    if user is None or not address:
        return None
    if not constant_time_compare(str(payload.get("s", "")), _lock_state(user, address)):
        return None
    if not is_account_locked(user.get_username(), address):
        return None
    return UnlockTicket(user=user, address=address)


def unlock(ticket: UnlockTicket) -> int:
    """Clear the account's failures at the address (only that account, only there). The address's pause,
    if any, stays: it protects every account."""
    deleted, _ = AccessAttempt.objects.filter(username=ticket.user.get_username(), ip_address=ticket.address).delete()
    log.info("Sign-in lockout lifted by e-mailed link for user %s", ticket.user.pk)
    return deleted


def send_unlock_link(username: str, address: str | None, absolute_url: Any) -> bool:
    """E-mail an unlock link to the owner of ``username`` if that account is locked at ``address`` and has
    an e-mail address on file. Returns whether a message went; the caller must not tell the visitor.

    ``absolute_url(path)`` turns a path into a full URL (``request.build_absolute_uri``). At most one
    message per account and address every few minutes, so the link cannot be used to flood a mailbox.
    """
    if not username or not address:
        return False
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None or not user.email or not is_account_locked(username, address):
        return False
    if not cache.add(f"lockout-unlock-mail:{user.pk}:{address}", True, UNLOCK_MAIL_INTERVAL_SECONDS):
        return False
    link = absolute_url(reverse("core:unlock") + "?" + urlencode({"token": make_unlock_token(user, address)}))
    context = {
        "user": user,
        "link": link,
        "address": address,
        "minutes": settings.LOCKOUT_UNLOCK_LINK_MINUTES,
        "asked_at": timezone.localtime(),
    }
    # In the account holder's language when they chose one (``User.language``), else the page's.
    with translation.override(getattr(user, "language", "") or translation.get_language()):
        subject = _("Unlock your CTIP Case Tracker account")
        body = render_to_string("registration/unlock_email.txt", context)
    send_mail(subject, body, None, [user.email])
    return True

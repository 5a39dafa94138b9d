"""Personal API tokens: made by their owner on the account page, shown once, stored as a digest, revoked
by their owner. Services: no HTTP here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import MAX_LIFETIME, ApiToken, digest_of
from core.exceptions import DomainError
from core.models import User

NAME_LENGTH = 100


class TokenRefused(DomainError):
    """A token that cannot be made or revoked as asked."""


@dataclass(frozen=True)
class IssuedToken:
    """A new token and its secret, which exists only here: show it once, then forget it."""

    token: ApiToken
    secret: str


def end_of_day(day: dt.date) -> dt.datetime:
    """The token works through the whole of its last day (the tracker's time zone)."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def issue_token(user: User, *, name: str, expires_on: dt.date) -> IssuedToken:
    """Make a token for ``user``, valid through ``expires_on`` (at most a year away)."""
    name = name.strip()
    if not name:
        raise TokenRefused(_("Name the token after the system that will use it."), "name")
    if len(name) > NAME_LENGTH:
        raise TokenRefused(_("Keep the name to %(max)d characters.") % {"max": NAME_LENGTH}, "name")
    today = timezone.localdate()
    if expires_on <= today:
        raise TokenRefused(_("Choose an expiry date after today."), "expires_on")
    if expires_on > today + MAX_LIFETIME:
        raise TokenRefused(
            _("A token lasts at most a year: choose an expiry on or before %(day)s.")
            % {"day": f"{today + MAX_LIFETIME:%d %b %Y}"},
            "expires_on",
        )
    for _attempt in range(5):  # a prefix collision is near impossible; try again if it happens
        prefix, secret = ApiToken.new_secret()
        try:
            with transaction.atomic():
                token = ApiToken.objects.create(
                    user=user, name=name, prefix=prefix, digest=digest_of(secret), expires_at=end_of_day(expires_on)
                )
        except IntegrityError:
            continue
        return IssuedToken(token=token, secret=ApiToken.compose(prefix, secret))
    raise TokenRefused(_("The token could not be made; try again."))


def revoke_token(user: User, token_id: int) -> ApiToken:
    """Revoke one of ``user``'s own tokens; revoking again changes nothing."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(user=user, pk=token_id).first()
        if token is None:
            raise TokenRefused(_("You have no such token."))
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
    return token

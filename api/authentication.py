"""``Authorization: Bearer <token>``: a personal API token (``api.ApiToken``) signs its owner in."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from api.models import LAST_USED_RESOLUTION, ApiToken

KEYWORD = "Bearer"


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """A request with a Bearer token is the token's owner, with the owner's roles in force (none once
    revoked: ``core.access.roles_of``). An unknown, expired or revoked token is refused with 401 and a
    message saying which — the request never falls back to anonymous."""

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("The Authorization header must read 'Bearer <token>'."))
        try:
            presented = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("The token is not one this tracker issued.")) from None
        return self.authenticate_token(presented)

    def authenticate_token(self, presented: str) -> tuple[Any, ApiToken]:
        parts = ApiToken.split(presented)
        token = ApiToken.objects.select_related("user").filter(prefix=parts[0]).first() if parts else None
        if parts is None or token is None or not token.matches(parts[1]):
            raise exceptions.AuthenticationFailed(_("The token is not one this tracker issued."))
        if token.is_revoked:
            raise exceptions.AuthenticationFailed(_("The token was revoked; make a new one on your account page."))
        if token.is_expired:
            raise exceptions.AuthenticationFailed(_("The token has expired; make a new one on your account page."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The token's account is switched off."))
        self._touch(token)
        return token.user, token

    @staticmethod
    def _touch(token: ApiToken) -> None:
        """Record the use, at most once a minute (one conditional UPDATE, no race between requests)."""
        now = timezone.now()
        if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
            return
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
        token.last_used_at = now

    def authenticate_header(self, request: Request) -> str:
        """Makes an unauthenticated request a 401 (not a 403) with ``WWW-Authenticate: Bearer``."""
        return f'{KEYWORD} realm="api"'

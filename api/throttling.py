"""Requests per token: each token (and each signed-in session) has its own allowance, so one busy system
cannot use up another's. Over it, 429 with ``Retry-After``. Rates in ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import UserRateThrottle

from api.models import ApiToken


class TokenRateThrottle(UserRateThrottle):
    """Keyed by the token for token requests, by the user for session requests, by address for anonymous."""

    scope = "api"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"anon-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}

"""Who may do what, decided in one place. Domain apps build their own ``access.py`` on these."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from core.roles import ALL_ROLES


def roles_of(user: Any) -> frozenset[str]:
    """The role names a user holds (none for anonymous or inactive users)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    names: frozenset[str] = user.role_names
    return names


def has_role(user: Any, roles: Iterable[str]) -> bool:
    """True when the user holds at least one of ``roles``."""
    return bool(roles_of(user) & frozenset(roles))


def require_role(user: Any, roles: Iterable[str]) -> None:
    """Raise ``PermissionDenied`` (a friendly 403) unless the user holds one of ``roles``."""
    if not has_role(user, roles):
        raise PermissionDenied


class RoleRequiredMixin(AccessMixin):
    """View mixin: login required, then one of ``allowed_roles``; otherwise 403."""

    allowed_roles: Iterable[str] = ALL_ROLES

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        require_role(request.user, self.allowed_roles)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

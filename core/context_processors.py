"""Template context shared by every page: the navigation bar's sections and menus the user may open."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from core.access import roles_of
from core.registry import nav_menu_for
from core.roles import Role


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_menu": nav_menu_for(user), "user_roles": role_labels(roles_of(user))}


def role_labels(roles: frozenset[str]) -> list[str]:
    """Roles as people read them, in the reader's language, sorted."""
    return sorted(str(Role(role).label) if role in Role.values else role for role in roles)

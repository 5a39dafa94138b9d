"""Template context shared by every page: the navigation bar's sections and menus the user may open.

The bar depends only on the user's roles and the reader's language (and the registry the apps filled at
start-up), so it is worked out once per process for each such combination — its labels translated and its
addresses reversed once — rather than on every page (a translated label costs a look-up in every catalogue).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

from core import registry
from core.access import roles_of
from core.registry import nav_menu_for
from core.roles import Role

# How many combinations of roles and language are kept (a handful in practice); past it the cache is emptied.
NAVIGATION_ENTRIES = 256


@dataclass(frozen=True)
class ShownItem:
    """A section of the bar as base.html shows it: its key, label (translated) and address (reversed)."""

    key: str
    label: str
    url: str


@dataclass(frozen=True)
class ShownEntry:
    """An entry of the bar: one section, or a drop-down menu (``key`` and ``label`` set) of several."""

    items: tuple[ShownItem, ...]
    key: str = ""
    label: str = ""

    @property
    def is_menu(self) -> bool:
        return bool(self.key)


_lock = threading.Lock()
_shown: dict[tuple[Any, ...], tuple[list[ShownEntry], list[str]]] = {}


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = roles_of(user)
    # The registry as it stands (a test may add a section), the address space and the language are the key.
    key = (
        tuple(map(id, registry._nav.values())),
        id(registry._nav),
        roles,
        get_language(),
        get_urlconf(),
        get_script_prefix(),
    )
    shown = _shown.get(key)
    if shown is None:
        entries = [
            ShownEntry(
                tuple(ShownItem(item.key, str(item.label), item.url) for item in entry.items),
                entry.key,
                str(entry.label),
            )
            for entry in nav_menu_for(user)
        ]
        shown = (entries, role_labels(roles))
        with _lock:
            if len(_shown) >= NAVIGATION_ENTRIES:
                _shown.clear()
            _shown[key] = shown
    return {"nav_menu": shown[0], "user_roles": shown[1]}


def role_labels(roles: frozenset[str]) -> list[str]:
    """Roles as people read them, in the reader's language, sorted."""
    return sorted(str(Role(role).label) if role in Role.values else role for role in roles)

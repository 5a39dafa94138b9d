"""Registries that domain apps fill in their ``AppConfig.ready``: navigation, home-page panels.

core imports no domain app; each app tells core what it adds and for which roles.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.access import AnyUser, roles_of
from core.labels import Label

if TYPE_CHECKING:
    from core.models import User

# Who sees an entry: a set of roles, or a function that tells them once every app has registered
# (e.g. the audit log's readers, which the apps' audit scopes add up to).
Roles = frozenset[str] | Callable[[], frozenset[str]]


def _resolve(roles: Roles) -> frozenset[str]:
    return roles() if callable(roles) else roles


@dataclass(frozen=True)
class NavItem:
    """A section in the navigation bar, shown to users holding one of ``roles``.

    ``menu`` names a drop-down menu of the bar (a key of ``NAV_MENUS``) that the section sits in, rather
    than on the bar itself: reference data (counties, and whatever an app adds) goes under "Reference".
    """

    key: str
    label: Label
    url_name: str
    roles: Roles
    order: int = 100
    menu: str = ""

    @property
    def url(self) -> str:
        return reverse(self.url_name)


# The drop-down menus of the navigation bar, by key: their labels.
# The bar must fit a 1366-pixel laptop screen for the role with the most sections (the unit head), so related
# sections share a menu: the persons index and its network ranking, the asset register and its deadlines, and
# the oversight pages (audit log, access, scheduled jobs).
NAV_MENUS: dict[str, Label] = {
    "persons": _("Persons"),
    "assets": _("Assets"),
    "oversight": _("Oversight"),
    "reference": _("Reference"),
}


@dataclass(frozen=True)
class NavMenu:
    """An entry of the navigation bar: one section, or a drop-down menu (``key`` and ``label`` set) of
    several, placed where its first section would be."""

    items: tuple[NavItem, ...]
    key: str = ""
    label: Label = ""

    @property
    def is_menu(self) -> bool:
        return bool(self.key)


PanelContext = Callable[["AnyUser"], dict[str, Any]]


@dataclass(frozen=True)
class Panel:
    """A home-page panel: a template rendered with the context ``get_context(user)`` returns."""

    key: str
    title: Label
    template: str
    roles: Roles
    get_context: PanelContext = field(default=lambda user: {})
    order: int = 100
    width: int = 6  # Bootstrap columns on a wide screen (12 = full width)
    has_chart: bool = False  # the home page then loads the chart library (see core/templatetags/charts.py)


_nav: dict[str, NavItem] = {}
_panels: dict[str, Panel] = {}


# What pages ask about the signed-in user beyond their roles, read in the one query that loads the user on each
# request (``core.backends.SignedInUserBackend``): attribute name → a function building the expression, over
# the user's row (``OuterRef("pk")``), whose value the user then carries. The bell's unread count is one.
_user_figures: dict[str, Callable[[], Any]] = {}


def register_user_figure(name: str, build: Callable[[], Any]) -> None:
    _user_figures[name] = build


def user_figures() -> dict[str, Any]:
    """The registered figures' expressions, ready for ``QuerySet.annotate``."""
    return {name: build() for name, build in _user_figures.items()}


def register_nav(item: NavItem) -> None:
    _nav[item.key] = item


def register_panel(panel: Panel) -> None:
    _panels[panel.key] = panel


def nav_menu_for(user: AnyUser) -> list[NavMenu]:
    """The navigation bar for ``user``: sections by ``order`` then label, those of a drop-down menu gathered
    under it (at the place of its first section)."""
    roles = roles_of(user)
    items = sorted(
        (item for item in _nav.values() if _resolve(item.roles) & roles), key=lambda item: (item.order, str(item.label))
    )
    entries: list[NavMenu] = []
    menus: dict[str, int] = {}
    for item in items:
        if not item.menu:
            entries.append(NavMenu((item,)))
        elif item.menu in menus:
            at = menus[item.menu]
            entries[at] = NavMenu((*entries[at].items, item), item.menu, entries[at].label)
        else:
            menus[item.menu] = len(entries)
            entries.append(NavMenu((item,), item.menu, NAV_MENUS.get(item.menu, item.menu.capitalize())))
    return entries


def nav_for(user: AnyUser) -> list[NavItem]:
    """The sections ``user`` may open, in the order the navigation bar shows them."""
    return [item for entry in nav_menu_for(user) for item in entry.items]


def panels_for(user: AnyUser) -> list[Panel]:
    roles = roles_of(user)
    return sorted((p for p in _panels.values() if _resolve(p.roles) & roles), key=lambda p: (p.order, str(p.title)))


def registered_panels() -> Iterable[Panel]:
    return list(_panels.values())


@dataclass(frozen=True)
class DemoSeed:
    """A step of ``seed_demo``: ``run(users, out)`` adds an app's demo data through its services.

    ``users`` maps demo usernames to users; ``out`` is a callable that prints a line.
    """

    key: str
    run: Callable[[dict[str, User], Callable[[str], None]], None]
    order: int = 100


_seeds: dict[str, DemoSeed] = {}


def register_demo_seed(seed: DemoSeed) -> None:
    _seeds[seed.key] = seed


def demo_seeds() -> list[DemoSeed]:
    return sorted(_seeds.values(), key=lambda seed: (seed.order, seed.key))

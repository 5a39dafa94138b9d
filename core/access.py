"""Who may do what, decided in one place. Domain apps build their own ``access.py`` on these."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBase

from core.models import County
from core.querysets import scope_rule
from core.roles import ALL_ROLES

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from core.models import User

# Whoever makes a request: a signed-in user, or nobody yet. Access checks take either.
AnyUser: TypeAlias = "User | AnonymousUser"


def roles_of(user: AnyUser) -> frozenset[str]:
    """The role names a user holds (none for anonymous or inactive users)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    names: frozenset[str] = user.role_names
    return names


def has_role(user: AnyUser, roles: Iterable[str]) -> bool:
    """True when the user holds at least one of ``roles``."""
    return bool(roles_of(user) & frozenset(roles))


def require_role(user: AnyUser, roles: Iterable[str]) -> None:
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


@scope_rule(County)
def _visible_counties(counties: QuerySet[County], user: AnyUser) -> QuerySet[County]:
    """Reference data: every county, for anyone holding a role."""
    return counties if roles_of(user) else counties.none()


# Who opens a page: declared beside each view, held to by the generated access test
# (``tests/core/test_access_generated.py``), which walks every URL as every role.
SIGNED_IN = "(any signed-in user)"  # in ``PageAccess.opens``: a user with no role opens the page too


@dataclass(frozen=True)
class PageAccess:
    """What a GET of a page answers, role by role.

    ``opens``: the roles that get the page (200) for a record within their reach. ``everywhere``: those of
    them that get it for a record outside it too (by default all of ``opens``: most roles read every
    record). ``beyond``: what the others of ``opens`` get for a record outside their reach — 403 when they
    may see it but not change it, 404 when they may not even know it exists. Every role not in ``opens``
    gets 403; an anonymous visitor is sent to sign in.
    """

    opens: frozenset[str]
    everywhere: frozenset[str] | None = None
    beyond: int = 403

    def expected(self, role: str | None, *, in_reach: bool) -> int:
        """The status a user holding only ``role`` (None: no role) gets."""
        if SIGNED_IN in self.opens:
            return 200
        if role is None or role not in self.opens:
            return 403
        everywhere = self.opens if self.everywhere is None else self.everywhere
        return 200 if in_reach or role in everywhere else self.beyond

"""Who may do what, decided in one place. Domain apps build their own ``access.py`` on these."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBase

from core.choices import GrantStatus
from core.models import County, RoleGrant, User
from core.querysets import scope_rule
from core.roles import ALL_ROLES, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

# Whoever makes a request: a signed-in user, or nobody yet. Access checks take either.
AnyUser: TypeAlias = "User | AnonymousUser"


def roles_of(user: AnyUser) -> frozenset[str]:
    """The role names a user holds in force (none for anonymous or inactive users).

    A role counts only with an approved, unrevoked grant behind its group membership (``User.role_names``,
    one query, cached on the user for the request): a membership added outside ``core.grants`` — by a
    superuser in the admin, by raw SQL — gives nothing, whoever the user is.
    """
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


# Accounts and role grants: access administrators manage them; auditors may read them.
ACCESS_ADMINS: frozenset[str] = frozenset({Role.ACCESS_ADMINISTRATOR})
ACCOUNT_READERS: frozenset[str] = frozenset({Role.ACCESS_ADMINISTRATOR, Role.AUDITOR})


@scope_rule(User)
def _visible_users(users: QuerySet[User], user: AnyUser) -> QuerySet[User]:
    """Every account, for access administrators and auditors; none for anyone else."""
    return users if roles_of(user) & ACCOUNT_READERS else users.none()


@scope_rule(RoleGrant)
def _visible_grants(grants: QuerySet[RoleGrant], user: AnyUser) -> QuerySet[RoleGrant]:
    """Every grant, for access administrators and auditors; none for anyone else."""
    return grants if roles_of(user) & ACCOUNT_READERS else grants.none()


def may_decide_grant(user: AnyUser, grant: RoleGrant) -> bool:
    """An access administrator other than the one who asked, and other than the grantee, decides a grant
    awaiting approval."""
    return (
        has_role(user, ACCESS_ADMINS)
        and grant.status == GrantStatus.REQUESTED
        and user.pk not in (grant.requested_by_id, grant.user_id)
    )


def may_revoke_grant(user: AnyUser, grant: RoleGrant) -> bool:
    """An access administrator revokes a grant in force."""
    return has_role(user, ACCESS_ADMINS) and grant.status == GrantStatus.APPROVED


def grant_actions(user: AnyUser, grant: RoleGrant) -> dict[str, bool]:
    """The buttons ``user`` gets on ``grant``."""
    decide = may_decide_grant(user, grant)
    return {"approve": decide, "reject": decide, "revoke": may_revoke_grant(user, grant)}


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

"""Read-only questions the access administrators' pages ask, in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from core.choices import GrantStatus
from core.models import RoleGrant, User

LIVE = (GrantStatus.REQUESTED, GrantStatus.APPROVED)


def with_grants(accounts: QuerySet[User]) -> QuerySet[User]:
    """Accounts with their live grants and groups prefetched (two queries, whatever the number of rows),
    for ``roles_in_force`` and ``roles_awaiting``."""
    live = RoleGrant.objects.filter(status__in=LIVE).order_by("role")
    return accounts.prefetch_related(Prefetch("role_grants", queryset=live, to_attr="live_grants"), "groups")


def roles_in_force(account: User) -> list[str]:
    """The roles that count, from the prefetched grants and groups: a grant in force and its group."""
    granted = {grant.role for grant in account.live_grants if grant.status == GrantStatus.APPROVED}  # type: ignore[attr-defined]
    return sorted(granted & {group.name for group in account.groups.all()})


def roles_awaiting(account: User) -> list[str]:
    return sorted(grant.role for grant in account.live_grants if grant.status == GrantStatus.REQUESTED)  # type: ignore[attr-defined]


def grants_awaiting(user: User) -> QuerySet[RoleGrant]:
    """Grants awaiting approval that ``user`` may decide (not asked for by them, not for them)."""
    return (
        RoleGrant.objects.visible_to(user)
        .filter(status=GrantStatus.REQUESTED)
        .exclude(requested_by=user)
        .exclude(user=user)
        .select_related("user", "requested_by")
        .order_by("requested_at", "id")
    )

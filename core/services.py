"""core's services: accounts for the demo seed, and giving an account exactly a set of roles through the
grant services (``core.grants.services``), which are the only way roles are given or taken away."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from core.choices import GrantStatus
from core.grants import services as grants
from core.models import RoleGrant, User
from core.roles import Role


@transaction.atomic
def ensure_user(
    username: str,
    *,
    first_name: str,
    last_name: str,
    email: str,
    password: str | None = None,
) -> User:
    """Create or update an account in use (names, e-mail, password). Idempotent: an account that already
    matches is not saved again, so its history gains no empty change. Roles: ``ensure_roles``."""
    found = User.objects.select_for_update().filter(username=username).first()
    created = found is None
    user = User(username=username) if found is None else found
    wanted = {"first_name": first_name, "last_name": last_name, "email": email, "is_active": True}
    changed = created or any(getattr(user, name) != value for name, value in wanted.items())
    for name, value in wanted.items():
        setattr(user, name, value)
    if password is not None and (created or not user.check_password(password)):
        user.set_password(password)
        changed = True
    elif created:
        user.set_unusable_password()
    if changed:
        user.save()
    return user


@transaction.atomic
def ensure_roles(user: User, roles: Iterable[str], *, asked_by: User, approved_by: User, reason: str) -> User:
    """Make ``user`` hold exactly ``roles``, through the grant services: grants in force that are not
    wanted are revoked, requests not wanted are rejected, missing roles are asked for by ``asked_by`` and,
    when they wait for a second access administrator, approved by ``approved_by``. Memberships changed
    behind the services' back are put back in line with the grants. Idempotent."""
    wanted = set(roles)
    held: set[str] = set()
    for grant in RoleGrant.objects.filter(user=user, status__in=grants.LIVE).order_by("pk"):
        if grant.role in wanted:
            held.add(grant.role)
            if grant.status == GrantStatus.REQUESTED:
                grants.approve_grant(grant, _decider(grant, approved_by, asked_by), note=reason)
        elif grant.status == GrantStatus.APPROVED:
            grants.revoke_grant(grant, asked_by, reason=reason)
        else:
            grants.reject_grant(grant, _decider(grant, approved_by, asked_by), reason=reason)
    for role in sorted(wanted - held):
        grant = grants.request_grant(user, role, asked_by, reason=reason)
        if grant.status == GrantStatus.REQUESTED:
            grants.approve_grant(grant, approved_by, note=reason)
    grants.sync_memberships(user)
    return user


def _decider(grant: RoleGrant, preferred: User, other: User) -> User:
    """Whichever of the two may decide ``grant`` (never its requester or the person it is for)."""
    return preferred if preferred.pk not in (grant.requested_by_id, grant.user_id) else other


def ensure_demo_users() -> dict[str, User]:
    """The demo logins of ``core.demo``, each with exactly its roles and the demo password, by username.

    The roles are granted the way a live system grants them: ``accessadmin`` is the first access
    administrator (named at the console), ``accessadmin2`` is granted the role by them, and every other
    role is asked for by ``accessadmin`` and, when sensitive, approved by ``accessadmin2``.
    """
    from core.demo import DEMO_PASSWORD, DEMO_USERS, FIRST_ACCESS_ADMIN, SECOND_ACCESS_ADMIN

    with transaction.atomic():
        users = {
            demo.username: ensure_user(
                demo.username,
                first_name=demo.first_name,
                last_name=demo.last_name,
                email=f"{demo.username}@demo.ctip.local",
                password=DEMO_PASSWORD,
            )
            for demo in DEMO_USERS
        }
        first, second = users[FIRST_ACCESS_ADMIN], users[SECOND_ACCESS_ADMIN]
        reason = "Demo login (manage.py seed_demo)"
        if Role.ACCESS_ADMINISTRATOR not in first.role_names:
            other = User.objects.holding([Role.ACCESS_ADMINISTRATOR]).exclude(pk=first.pk).order_by("pk").first()
            if other is None:
                grants.grant_first_access_administrator(first, reason=reason)
            else:
                ensure_roles(first, [Role.ACCESS_ADMINISTRATOR], asked_by=other, approved_by=other, reason=reason)
        ensure_roles(second, [Role.ACCESS_ADMINISTRATOR], asked_by=first, approved_by=first, reason=reason)
        for demo in DEMO_USERS:
            if demo.username != FIRST_ACCESS_ADMIN:
                ensure_roles(users[demo.username], demo.roles, asked_by=first, approved_by=second, reason=reason)
        first_roles = next(demo.roles for demo in DEMO_USERS if demo.username == FIRST_ACCESS_ADMIN)
        ensure_roles(first, first_roles, asked_by=second, approved_by=second, reason=reason)
    return users

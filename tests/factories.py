"""Small factories shared by every app's tests."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import factory

from core.choices import GrantStatus
from core.grants import services as grants
from core.models import RoleGrant, User
from core.roles import Role

# The two access administrators who grant the test users' roles, as a live system does: the first asks,
# the second approves what is sensitive. No e-mail address, so no test's mail goes to them.
GRANTING_OFFICERS = ("test-grants-officer-1", "test-grants-officer-2")
TEST_GRANT_REASON = "Test persona"


def granting_officers() -> tuple[User, User]:
    """The two test access administrators, created (through the grant services) the first time."""
    first, second = (
        User.objects.get_or_create(username=name, defaults={"first_name": "Grants", "last_name": f"Officer {n}"})[0]
        for n, name in enumerate(GRANTING_OFFICERS, start=1)
    )
    if Role.ACCESS_ADMINISTRATOR not in first.role_names:
        other = User.objects.holding([Role.ACCESS_ADMINISTRATOR]).exclude(pk=first.pk).order_by("pk").first()
        if other is None:
            grants.grant_first_access_administrator(first, reason=TEST_GRANT_REASON)
        else:
            grants.request_grant(first, Role.ACCESS_ADMINISTRATOR, other, reason=TEST_GRANT_REASON)
    if Role.ACCESS_ADMINISTRATOR not in second.role_names:
        grants.request_grant(second, Role.ACCESS_ADMINISTRATOR, first, reason=TEST_GRANT_REASON)
    return first, second


def give_roles(user: User, roles: Iterable[str]) -> User:
    """Grant ``roles`` to ``user`` through the grant services: asked for by one test access administrator
    and, when sensitive, approved by the other, so the roles count exactly as granted ones do. Roles
    already held are left alone."""
    wanted = [str(role) for role in roles]
    if not wanted:
        return user
    asker, approver = granting_officers()
    live = dict(RoleGrant.objects.filter(user=user, status__in=grants.LIVE).values_list("role", "status"))
    for role in wanted:
        if live.get(role) == GrantStatus.APPROVED:
            continue
        grant = RoleGrant.objects.filter(user=user, role=role, status=GrantStatus.REQUESTED).first()
        if grant is None:
            grant = grants.request_grant(user, role, asker, reason=TEST_GRANT_REASON)
        if grant.status == GrantStatus.REQUESTED:
            grants.approve_grant(grant, approver, note=TEST_GRANT_REASON)
    user.forget_roles()
    return user


class UserFactory(factory.django.DjangoModelFactory[User]):
    """An account; ``roles=[...]`` grants them through the grant services (``give_roles``)."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    password = factory.django.Password("a-long-test-password")

    @factory.post_generation
    def roles(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            give_roles(obj, extracted)

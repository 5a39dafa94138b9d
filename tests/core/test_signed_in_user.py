"""The signed-in user of each request is loaded in one query with their roles in force and the figures apps
register (the bell's unread count): every page saves those queries, and nothing is read from before the
request — a role revoked or a notification read shows on the next page."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.backends import SignedInUserBackend
from core.choices import GrantStatus
from core.grants import services as grants
from core.models import ROLES_LOADED, RoleGrant, User
from core.roles import Role
from notifications.choices import Event
from notifications.queries import UNREAD_ON_USER
from notifications.services import Message, mark_all_read, notify
from tests.factories import UserFactory, granting_officers

pytestmark = pytest.mark.django_db


def _tell(user: User, n: int) -> None:
    for i in range(n):
        notify([user], Message(event=Event.CASE_MOVED, key=f"k{i}", title=f"Case {i} moved", reference="R", url="/"))


def _loaded(user: User) -> User:
    found = SignedInUserBackend().get_user(user.pk)
    assert found is not None
    return found


def test_the_user_comes_with_their_roles_in_force_and_asks_nothing_more() -> None:
    user = UserFactory.create(roles=[Role.PROSECUTOR, Role.AUDITOR])
    _tell(user, 2)
    with CaptureQueriesContext(connection) as queries:
        loaded = _loaded(user)
        roles = loaded.role_names
        unread = getattr(loaded, UNREAD_ON_USER)
    assert len(queries.captured_queries) == 1
    assert roles == {Role.PROSECUTOR, Role.AUDITOR}
    assert unread == 2


def test_roles_loaded_with_the_user_are_those_role_names_reads() -> None:
    """Group membership without an approved grant gives nothing, a revoked grant gives nothing: the loaded roles
    follow the same rule as ``User.role_names`` read on its own, user by user."""
    nobody = UserFactory.create()
    member_only = UserFactory.create()
    member_only.groups.add(Group.objects.get_or_create(name=Role.PROSECUTOR)[0])  # behind the services' back
    revoked = UserFactory.create(roles=[Role.PROSECUTOR, Role.FUND_ADMINISTRATOR])
    asker, _ = granting_officers()
    grant = RoleGrant.objects.get(user=revoked, role=Role.PROSECUTOR, status=GrantStatus.APPROVED)
    grants.revoke_grant(grant, asker, reason="Moved to another unit")
    officer = User.objects.get(pk=asker.pk)
    expected = {
        nobody.pk: frozenset(),
        member_only.pk: frozenset(),
        revoked.pk: frozenset({Role.FUND_ADMINISTRATOR}),
        officer.pk: frozenset({Role.ACCESS_ADMINISTRATOR}),
    }
    for pk, roles in expected.items():
        assert _loaded(User(pk=pk)).role_names == roles
        assert User.objects.get(pk=pk).role_names == roles  # the one-query path agrees
    loaded = User.objects.with_roles().filter(pk__in=expected)
    assert {user.pk: user.role_names for user in loaded} == expected


def test_forgetting_the_roles_reads_them_again() -> None:
    user = UserFactory.create(roles=[Role.PROSECUTOR])
    loaded = _loaded(user)
    assert loaded.role_names == {Role.PROSECUTOR}
    grant = RoleGrant.objects.get(user=user, role=Role.PROSECUTOR, status=GrantStatus.APPROVED)
    grants.revoke_grant(grant, granting_officers()[0], reason="Left the unit")
    loaded.forget_roles()
    assert ROLES_LOADED not in loaded.__dict__
    assert loaded.role_names == frozenset()


def test_an_inactive_or_missing_account_is_nobody() -> None:
    user = UserFactory.create(roles=[Role.PROSECUTOR])
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert SignedInUserBackend().get_user(user.pk) is None
    assert SignedInUserBackend().get_user(user.pk + 1000) is None


def test_a_page_reads_the_user_roles_and_bell_in_one_query_and_fresh_each_time(client: Any) -> None:
    user = UserFactory.create(roles=[Role.PROSECUTOR])
    _tell(user, 3)
    client.force_login(user)
    client.get(reverse("core:home"))
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("core:home")).content.decode()
    assert 'data-testid="notification-count">3<' in page
    about_the_user = [q["sql"] for q in queries.captured_queries if "core_rolegrant" in q["sql"]]
    assert len(about_the_user) == 1
    assert "notifications_notification" in about_the_user[0] and '"core_user"' in about_the_user[0]
    assert not [q for q in queries.captured_queries if "notifications_" in q["sql"] and q["sql"] not in about_the_user]

    mark_all_read(user)
    assert 'data-testid="notification-count"' not in client.get(reverse("core:home")).content.decode()
    grant = RoleGrant.objects.get(user=user, role=Role.PROSECUTOR, status=GrantStatus.APPROVED)
    grants.revoke_grant(grant, granting_officers()[0], reason="Left the unit")
    assert client.get(reverse("prosecutions:case_list")).status_code == 403


def test_no_role_name_holds_the_comma_the_loaded_roles_are_joined_with() -> None:
    assert Role.values and not [name for name in Role.values if "," in name]

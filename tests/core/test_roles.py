"""Role grants (issue 13, item 4): a role is given or taken away only by the grant services, a sensitive
role needs a second access administrator, only grants in force count, the right people are told, and
every account change and grant is in the audit chain."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.access import has_role, roles_of
from core.choices import GrantStatus
from core.exceptions import (
    GrantNotAwaitingDecision,
    GrantNotInForce,
    InactiveAccount,
    LastAccessAdministrator,
    NotAnAccessAdministrator,
    OwnGrantDecision,
    ReasonRequired,
    RoleAlreadyHeld,
    UnknownRole,
)
from core.grants import services
from core.models import AuditLink, RoleGrant, User
from core.roles import SENSITIVE_ROLES, Role
from tests.factories import UserFactory, granting_officers

pytestmark = pytest.mark.django_db


def fresh(user: User) -> User:
    """The account as the next request loads it (nothing cached)."""
    return User.objects.get(pk=user.pk)


def group_names(user: User) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


@pytest.fixture
def newcomer(db: None) -> User:
    return UserFactory.create(username="newcomer", first_name="Nia", last_name="Wekesa")


# --------------------------------------------------------------------------------------------------
# Who grants, and when a grant counts


def test_a_role_that_is_not_sensitive_is_granted_at_once_by_one_access_administrator(
    access_admin: User, newcomer: User
) -> None:
    grant = services.request_grant(newcomer, Role.PROSECUTOR, access_admin, reason="Joined the CTIP unit")
    assert grant.status == GrantStatus.APPROVED
    assert (grant.requested_by, grant.decided_by) == (access_admin, access_admin)
    assert roles_of(fresh(newcomer)) == {Role.PROSECUTOR}
    assert group_names(newcomer) == {Role.PROSECUTOR}


@pytest.mark.parametrize("role", sorted(SENSITIVE_ROLES))
def test_a_sensitive_role_does_not_count_until_a_second_access_administrator_approves(
    role: str, access_admin: User, second_access_admin: User, newcomer: User
) -> None:
    grant = services.request_grant(newcomer, role, access_admin, reason="Posted to the unit")
    assert grant.status == GrantStatus.REQUESTED
    assert roles_of(fresh(newcomer)) == frozenset()
    assert group_names(newcomer) == set()

    services.approve_grant(grant, second_access_admin, note="Checked the posting letter")
    grant.refresh_from_db()
    assert (grant.status, grant.decided_by) == (GrantStatus.APPROVED, second_access_admin)
    assert roles_of(fresh(newcomer)) == {role}


def test_the_access_administrator_who_asked_cannot_approve_or_reject(
    access_admin: User, second_access_admin: User, newcomer: User
) -> None:
    grant = services.request_grant(newcomer, Role.WITNESS_LIAISON, access_admin, reason="New liaison officer")
    with pytest.raises(OwnGrantDecision, match="You asked for this grant: another access administrator"):
        services.approve_grant(grant, access_admin)
    with pytest.raises(OwnGrantDecision, match="You asked for this grant"):
        services.reject_grant(grant, access_admin, reason="Changed my mind")
    assert fresh_grant(grant).status == GrantStatus.REQUESTED
    assert roles_of(fresh(newcomer)) == frozenset()


def test_an_access_administrator_asking_a_role_for_themselves_waits_for_another_even_if_not_sensitive(
    access_admin: User, second_access_admin: User
) -> None:
    grant = services.request_grant(access_admin, Role.AUDITOR, access_admin, reason="Covering internal audit")
    assert grant.status == GrantStatus.REQUESTED
    assert Role.AUDITOR not in roles_of(fresh(access_admin))
    services.approve_grant(grant, second_access_admin)
    assert Role.AUDITOR in roles_of(fresh(access_admin))


def test_nobody_decides_a_grant_to_themselves(access_admin: User, second_access_admin: User) -> None:
    grant = services.request_grant(second_access_admin, Role.FUND_APPROVER, access_admin, reason="Board officer")
    with pytest.raises(OwnGrantDecision, match="This grant is for you"):
        services.approve_grant(grant, second_access_admin)
    assert Role.FUND_APPROVER not in roles_of(fresh(second_access_admin))


@pytest.mark.parametrize("who", ["prosecutor", "liaison", "auditor", "superuser"])
def test_only_an_access_administrator_grants_roles(who: str, request: pytest.FixtureRequest, newcomer: User) -> None:
    actor = (
        UserFactory.create(username="root", is_superuser=True, is_staff=True)
        if who == "superuser"
        else request.getfixturevalue(who)
    )
    with pytest.raises(NotAnAccessAdministrator):
        services.request_grant(newcomer, Role.PROSECUTOR, actor, reason="Please")
    assert not RoleGrant.objects.filter(user=newcomer).exists()


def test_a_decided_grant_cannot_be_decided_again(access_admin: User, second_access_admin: User, newcomer: User) -> None:
    grant = services.request_grant(newcomer, Role.FUND_ADMINISTRATOR, access_admin, reason="Secretariat")
    services.reject_grant(grant, second_access_admin, reason="No post in the secretariat")
    with pytest.raises(GrantNotAwaitingDecision, match="rejected"):
        services.approve_grant(grant, second_access_admin)
    assert roles_of(fresh(newcomer)) == frozenset()


def test_a_role_held_or_awaiting_approval_cannot_be_asked_for_again(access_admin: User, newcomer: User) -> None:
    services.request_grant(newcomer, Role.AUDITOR, access_admin, reason="Internal audit")
    with pytest.raises(RoleAlreadyHeld, match="already holds the role Auditor"):
        services.request_grant(newcomer, Role.AUDITOR, access_admin, reason="Again")
    services.request_grant(newcomer, Role.FUND_APPROVER, access_admin, reason="Treasurer")
    with pytest.raises(RoleAlreadyHeld, match="already awaits approval"):
        services.request_grant(newcomer, Role.FUND_APPROVER, access_admin, reason="Again")
    assert RoleGrant.objects.filter(user=newcomer).count() == 2


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda u, a: services.request_grant(u, Role.PROSECUTOR, a, reason="  "), ReasonRequired, "Say why"),
        (lambda u, a: services.request_grant(u, "Superhero", a, reason="x"), UnknownRole, "not a role"),
    ],
    ids=["blank reason", "unknown role"],
)
def test_a_request_without_a_reason_or_for_an_unknown_role_saves_nothing(
    call: Callable[[User, User], Any], error: type[Exception], words: str, access_admin: User, newcomer: User
) -> None:
    links = AuditLink.objects.count()
    with pytest.raises(error, match=words):
        call(newcomer, access_admin)
    assert not RoleGrant.objects.filter(user=newcomer).exists()
    assert AuditLink.objects.count() == links


def test_roles_are_not_given_to_an_account_switched_off(access_admin: User, newcomer: User) -> None:
    newcomer.is_active = False
    newcomer.save()
    with pytest.raises(InactiveAccount, match="switched off"):
        services.request_grant(newcomer, Role.PROSECUTOR, access_admin, reason="Joined")


# --------------------------------------------------------------------------------------------------
# Taking roles away


def test_revoking_takes_the_role_away_at_once_and_needs_a_reason(access_admin: User, liaison: User) -> None:
    grant = RoleGrant.objects.get(user=liaison, role=Role.WITNESS_LIAISON, status=GrantStatus.APPROVED)
    with pytest.raises(ReasonRequired):
        services.revoke_grant(grant, access_admin, reason="")
    assert has_role(fresh(liaison), [Role.WITNESS_LIAISON])
    services.revoke_grant(grant, access_admin, reason="Transferred to another unit")
    grant.refresh_from_db()
    assert (grant.status, grant.revoked_by, grant.revoke_reason) == (
        GrantStatus.REVOKED,
        access_admin,
        "Transferred to another unit",
    )
    assert roles_of(fresh(liaison)) == frozenset()
    assert group_names(liaison) == set()
    with pytest.raises(GrantNotInForce):
        services.revoke_grant(grant, access_admin, reason="Twice")


def test_a_revoked_role_can_be_granted_again_later(
    access_admin: User, second_access_admin: User, liaison: User
) -> None:
    grant = RoleGrant.objects.get(user=liaison, role=Role.WITNESS_LIAISON, status=GrantStatus.APPROVED)
    services.revoke_grant(grant, access_admin, reason="Leave of absence")
    again = services.request_grant(liaison, Role.WITNESS_LIAISON, access_admin, reason="Back from leave")
    services.approve_grant(again, second_access_admin)
    assert roles_of(fresh(liaison)) == {Role.WITNESS_LIAISON}


def test_the_last_access_administrator_cannot_be_revoked(access_admin: User, second_access_admin: User) -> None:
    others = [*granting_officers(), second_access_admin]
    for other in others:
        services.revoke_grant(
            RoleGrant.objects.get(user=other, role=Role.ACCESS_ADMINISTRATOR, status=GrantStatus.APPROVED),
            access_admin,
            reason="Left the office",
        )
    own = RoleGrant.objects.get(user=access_admin, role=Role.ACCESS_ADMINISTRATOR, status=GrantStatus.APPROVED)
    with pytest.raises(LastAccessAdministrator, match="last access administrator"):
        services.revoke_grant(own, access_admin, reason="Leaving")
    assert has_role(fresh(access_admin), [Role.ACCESS_ADMINISTRATOR])


# --------------------------------------------------------------------------------------------------
# Only grants in force count


def test_a_superuser_who_puts_themselves_in_the_liaison_group_gets_no_role_and_no_vault(liaison: User) -> None:
    from tests.prosecutions.factories import charged_case
    from tests.witnesses.factories import with_identity, witness_on
    from witnesses import services as witness_services

    boss = UserFactory.create(username="root", is_superuser=True, is_staff=True)
    boss.groups.add(Group.objects.get(name=Role.WITNESS_LIAISON))  # what the admin allowed before
    boss = fresh(boss)
    assert roles_of(boss) == frozenset()
    lead = UserFactory.create(username="lead", roles=[Role.PROSECUTOR])
    witness = witness_on(charged_case(lead), lead)
    with_identity(witness, liaison, "SILENT")
    with pytest.raises(witness_services.NotAllowed):
        witness_services.reveal_identity(witness, boss, "Just looking")


@pytest.mark.parametrize("role", sorted(Role.values))
def test_a_membership_without_a_grant_gives_no_role_whoever_holds_it(role: str, newcomer: User) -> None:
    newcomer.groups.add(Group.objects.get(name=role))
    assert roles_of(fresh(newcomer)) == frozenset()


def test_a_grant_whose_membership_was_removed_behind_the_services_back_gives_no_role(liaison: User) -> None:
    liaison.groups.clear()
    assert roles_of(fresh(liaison)) == frozenset()


def test_roles_of_costs_one_query_and_is_cached_on_the_user(multi_role: User) -> None:
    user = fresh(multi_role)
    with CaptureQueriesContext(connection) as queries:
        assert roles_of(user) == {Role.PROSECUTOR, Role.WITNESS_LIAISON}
        assert has_role(user, [Role.WITNESS_LIAISON]) and not has_role(user, [Role.AUDITOR])
    assert len(queries) == 1


def test_a_page_costs_the_same_queries_for_one_role_as_for_several(
    client: Client, prosecutor: User, multi_role: User
) -> None:
    counts = []
    for user in (prosecutor, multi_role):
        client.force_login(user)
        client.get("/counties/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/counties/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --------------------------------------------------------------------------------------------------
# The database holds the rules even if code forgets them


def _raw_grant(**fields: Any) -> None:
    defaults: dict[str, Any] = {"reason": "x", "requested_at": timezone.now()}
    with transaction.atomic():
        RoleGrant.objects.bulk_create([RoleGrant(**{**defaults, **fields})])  # no history: for the constraint only


def test_the_database_refuses_a_sensitive_grant_approved_by_the_one_who_asked(
    access_admin: User, newcomer: User
) -> None:
    now = timezone.now()
    with pytest.raises(IntegrityError):
        _raw_grant(
            user=newcomer,
            role=Role.WITNESS_LIAISON,
            status=GrantStatus.APPROVED,
            requested_by=access_admin,
            decided_by=access_admin,
            decided_at=now,
        )
    with pytest.raises(IntegrityError):  # nor one approved by nobody
        _raw_grant(user=newcomer, role=Role.FUND_APPROVER, status=GrantStatus.APPROVED, decided_at=now)


def test_the_database_refuses_two_live_grants_of_one_role_and_a_grant_decided_by_its_grantee(
    access_admin: User, newcomer: User
) -> None:
    _raw_grant(user=newcomer, role=Role.AUDITOR, requested_by=access_admin)
    with pytest.raises(IntegrityError):
        _raw_grant(user=newcomer, role=Role.AUDITOR, requested_by=access_admin)
    with pytest.raises(IntegrityError):
        _raw_grant(
            user=newcomer,
            role=Role.PROSECUTOR,
            status=GrantStatus.APPROVED,
            requested_by=access_admin,
            decided_by=newcomer,
            decided_at=timezone.now(),
        )
    with pytest.raises(IntegrityError):  # revoked without saying why
        _raw_grant(
            user=newcomer,
            role=Role.UNIT_HEAD,
            status=GrantStatus.REVOKED,
            requested_by=access_admin,
            decided_by=access_admin,
            decided_at=timezone.now(),
            revoked_by=access_admin,
            revoked_at=timezone.now(),
        )


def fresh_grant(grant: RoleGrant) -> RoleGrant:
    return RoleGrant.objects.get(pk=grant.pk)

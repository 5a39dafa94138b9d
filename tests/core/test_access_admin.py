"""The access administrators' pages: people and their roles, asking for a role, deciding and revoking
grants — refused to every other role, bad input shown on the form with nothing saved — and the admin
site, which no longer changes roles."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from core.access import roles_of
from core.choices import GrantStatus
from core.grants import services
from core.models import RoleGrant, User
from core.roles import Role
from tests.factories import UserFactory
from tests.helpers import post_refused

pytestmark = pytest.mark.django_db

PAGES = ("core:user_list", "core:grant_list", "core:grant_request")
GRANT_PAGES = ("core:grant_detail", "core:grant_approve", "core:grant_reject")


@pytest.fixture
def newcomer(db: None) -> User:
    return UserFactory.create(username="newcomer", first_name="Nia", last_name="Wekesa")


@pytest.fixture
def pending(access_admin: User, newcomer: User) -> RoleGrant:
    """A liaison grant asked for by the first access administrator, awaiting a second."""
    return services.request_grant(newcomer, Role.WITNESS_LIAISON, access_admin, reason="New liaison officer")


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


# --------------------------------------------------------------------------------------------------
# Refused to everyone else


@pytest.mark.parametrize(
    "who", ["prosecutor", "unit_head", "liaison", "fund_admin", "fund_approver", "auditor", "stranger", "superuser"]
)
def test_the_access_pages_are_refused_to_every_other_role_and_to_a_superuser(
    client: Client, who: str, request: pytest.FixtureRequest, pending: RoleGrant, liaison: User
) -> None:
    user = (
        UserFactory.create(username="root", is_superuser=True, is_staff=True)
        if who == "superuser"
        else request.getfixturevalue(who)
    )
    client.force_login(user)
    urls = [reverse(name) for name in PAGES] + [reverse(name, args=[pending.pk]) for name in GRANT_PAGES]
    urls.append(reverse("core:user_detail", args=[pending.user_id]))
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("core:grant_approve", args=[pending.pk]), {"note": "ok"}).status_code == 403
    data = {"user": user.pk, "role": Role.WITNESS_LIAISON, "reason": "Let me in"}
    assert client.post(reverse("core:grant_request"), data).status_code == 403
    assert roles_of(fresh(user)) == roles_of(user)
    assert RoleGrant.objects.get(pk=pending.pk).status == GrantStatus.REQUESTED


def test_an_access_administrator_sees_the_access_section_and_the_grants_awaiting_them(
    client: Client, pending: RoleGrant, second_access_admin: User, access_admin: User
) -> None:
    client.force_login(second_access_admin)
    html = client.get("/").content.decode()
    assert 'data-section="access"' in html and 'data-panel="grants"' in html
    assert "Witness protection liaison for Nia Wekesa" in html
    client.force_login(access_admin)  # asked for it: not theirs to decide
    assert "Witness protection liaison for Nia Wekesa" not in client.get("/").content.decode()


# --------------------------------------------------------------------------------------------------
# People and their roles


def test_the_people_list_shows_the_roles_in_force_and_those_awaiting_not_a_raw_membership(
    client: Client, access_admin: User, pending: RoleGrant, liaison: User, newcomer: User
) -> None:
    newcomer.groups.add(Group.objects.get(name=Role.AUDITOR))  # behind the services' back
    client.force_login(access_admin)
    response = client.get(reverse("core:user_list"), {"q": "newcomer"})
    row = response.context["object_list"][0]
    columns = {column.key: column.display(row) for column in response.context["columns"]}
    assert columns["roles"] == "—"
    assert columns["awaiting"] == Role.WITNESS_LIAISON
    hassan = client.get(reverse("core:user_list"), {"role": Role.WITNESS_LIAISON}).context["object_list"]
    assert [user.username for user in hassan] == ["hassan"]


def test_the_people_list_costs_the_same_queries_for_few_and_many_people(client: Client, access_admin: User) -> None:
    client.force_login(access_admin)
    url = reverse("core:user_list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(12):
        UserFactory.create(username=f"extra{n}", roles=[Role.PROSECUTOR, Role.FUND_APPROVER])
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert "extra11" in response.content.decode()
    assert len(few) == len(many)


def test_the_people_list_downloads_as_excel(client: Client, access_admin: User, liaison: User) -> None:
    client.force_login(access_admin)
    response: Any = client.get(reverse("core:user_list"), {"export": "xlsx"})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book["Data"].iter_rows(values_only=True))
    assert "Roles in force" in rows[0]
    assert any(row[0] == "hassan" and Role.WITNESS_LIAISON in str(row) for row in rows[1:])


def test_a_person_page_shows_their_grants_and_the_history_of_account_and_grants(
    client: Client, second_access_admin: User, pending: RoleGrant, newcomer: User
) -> None:
    client.force_login(second_access_admin)
    url = reverse("core:user_detail", args=[newcomer.pk])
    html = client.get(url).content.decode()
    assert "Awaiting approval" in html and f'data-testid="approve-{pending.pk}"' in html
    history = client.get(url, {"tab": "history"}).content.decode()
    assert "Role requested" in history and "User: Nia Wekesa" in history


# --------------------------------------------------------------------------------------------------
# Asking for a role


def test_asking_for_a_role_that_is_not_sensitive_grants_it(client: Client, access_admin: User, newcomer: User) -> None:
    client.force_login(access_admin)
    data = {"user": newcomer.pk, "role": Role.PROSECUTOR, "reason": "Joined the unit"}
    response = client.post(reverse("core:grant_request"), data, follow=True)
    assert "Prosecutor granted to Nia Wekesa." in response.content.decode()
    assert roles_of(fresh(newcomer)) == {Role.PROSECUTOR}


def test_asking_for_a_sensitive_role_leaves_it_awaiting_a_second_administrator(
    client: Client, access_admin: User, newcomer: User
) -> None:
    client.force_login(access_admin)
    data = {"user": newcomer.pk, "role": Role.FUND_APPROVER, "reason": "Board treasurer"}
    html = client.post(reverse("core:grant_request"), data, follow=True).content.decode()
    assert "needs a second access administrator&#x27;s approval" in html
    assert roles_of(fresh(newcomer)) == frozenset()
    grant = RoleGrant.objects.get(user=newcomer)
    assert grant.status == GrantStatus.REQUESTED
    assert 'data-testid="approve-' not in html  # not theirs to approve


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"role": Role.PROSECUTOR, "reason": ""}, "reason", "This field is required."),
        ({"role": "Superhero", "reason": "x"}, "role", "Select a valid choice."),
        ({"role": Role.PROSECUTOR, "reason": "x", "user": "99999999999999999999"}, "user", "Select a valid choice."),
        ({"role": Role.PROSECUTOR, "reason": "x", "user": "abc"}, "user", "Select a valid choice."),
        ({"role": Role.PROSECUTOR, "reason": "x" * 2001}, "reason", "at most 2000 characters"),
        ({"role": Role.WITNESS_LIAISON, "reason": "again"}, "role", "already holds the role"),
    ],
    ids=["no reason", "unknown role", "huge id", "not a number", "reason too long", "already held"],
)
def test_bad_input_is_shown_on_its_field_and_nothing_is_saved(
    client: Client, access_admin: User, liaison: User, data: dict[str, Any], field: str, words: str
) -> None:
    client.force_login(access_admin)
    post_refused(client, reverse("core:grant_request"), {"user": liaison.pk, **data}, field, words, "core")


def test_a_switched_off_account_cannot_be_picked(client: Client, access_admin: User, newcomer: User) -> None:
    newcomer.is_active = False
    newcomer.save()
    client.force_login(access_admin)
    data = {"user": newcomer.pk, "role": Role.PROSECUTOR, "reason": "x"}
    post_refused(client, reverse("core:grant_request"), data, "user", "Select a valid choice.", "core")


# --------------------------------------------------------------------------------------------------
# Deciding and revoking


def test_the_one_who_asked_is_refused_the_decision_pages(
    client: Client, access_admin: User, pending: RoleGrant
) -> None:
    client.force_login(access_admin)
    for name in ("core:grant_approve", "core:grant_reject"):
        url = reverse(name, args=[pending.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, {"note": "mine", "reason": "mine"}).status_code == 403
    assert RoleGrant.objects.get(pk=pending.pk).status == GrantStatus.REQUESTED


def test_a_second_administrator_approves_and_the_role_counts(
    client: Client, second_access_admin: User, pending: RoleGrant, newcomer: User
) -> None:
    client.force_login(second_access_admin)
    url = reverse("core:grant_approve", args=[pending.pk])
    page = client.get(url).content.decode()
    assert "read protected witness identities" in page and "New liaison officer" in page
    response = client.post(url, {"note": "Posting letter seen"})
    assert response.status_code == 302 and response["Location"] == pending.get_absolute_url()
    assert roles_of(fresh(newcomer)) == {Role.WITNESS_LIAISON}
    assert client.get(url).status_code == 403  # decided: nothing left to approve


def test_rejecting_needs_a_reason(client: Client, second_access_admin: User, pending: RoleGrant) -> None:
    client.force_login(second_access_admin)
    url = reverse("core:grant_reject", args=[pending.pk])
    post_refused(client, url, {"reason": ""}, "reason", "This field is required.", "core")
    post_refused(client, url, {"reason": "   "}, "reason", "This field is required.", "core")
    client.post(url, {"reason": "No posting letter"})
    assert RoleGrant.objects.get(pk=pending.pk).status == GrantStatus.REJECTED


def test_revoking_needs_a_reason_and_takes_the_role_away(client: Client, access_admin: User, liaison: User) -> None:
    grant = RoleGrant.objects.get(user=liaison, status=GrantStatus.APPROVED)
    client.force_login(access_admin)
    url = reverse("core:grant_revoke", args=[grant.pk])
    post_refused(client, url, {"reason": ""}, "reason", "This field is required.", "core")
    assert roles_of(fresh(liaison)) == {Role.WITNESS_LIAISON}
    client.post(url, {"reason": "Transferred"})
    assert roles_of(fresh(liaison)) == frozenset()
    assert client.get(url).status_code == 403  # no longer in force


def test_revoking_the_last_access_administrator_is_refused_with_a_message(client: Client, access_admin: User) -> None:
    from tests.factories import granting_officers

    for officer in granting_officers():
        services.revoke_grant(
            RoleGrant.objects.get(user=officer, status=GrantStatus.APPROVED), access_admin, reason="Tests over"
        )
    own = RoleGrant.objects.get(user=access_admin, status=GrantStatus.APPROVED)
    client.force_login(access_admin)
    post_refused(
        client,
        reverse("core:grant_revoke", args=[own.pk]),
        {"reason": "Leaving"},
        None,
        "last access administrator",
        "core",
    )


def test_the_grant_list_offers_only_the_moves_the_viewer_may_make(
    client: Client, access_admin: User, second_access_admin: User, pending: RoleGrant
) -> None:
    client.force_login(access_admin)
    mine = client.get(reverse("core:grant_list"), {"status": GrantStatus.REQUESTED}).content.decode()
    assert f'data-testid="approve-{pending.pk}"' not in mine
    client.force_login(second_access_admin)
    theirs = client.get(reverse("core:grant_list"), {"status": GrantStatus.REQUESTED}).content.decode()
    assert f'data-testid="approve-{pending.pk}"' in theirs and f'data-testid="reject-{pending.pk}"' in theirs


# --------------------------------------------------------------------------------------------------
# The admin site changes no role


def test_a_superuser_cannot_give_roles_or_flags_through_the_admin(client: Client, newcomer: User) -> None:
    boss = UserFactory.create(username="root", is_superuser=True, is_staff=True)
    client.force_login(boss)
    url = reverse("admin:core_user_change", args=[newcomer.pk])
    liaison_group = Group.objects.get(name=Role.WITNESS_LIAISON)
    form = client.get(url).content.decode()
    assert 'name="groups"' not in form and 'name="is_superuser"' not in form
    response = client.post(
        url,
        {
            "username": "newcomer",
            "first_name": "Nia",
            "last_name": "Wekesa",
            "email": "nia@example.test",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": [liaison_group.pk],
        },
    )
    assert response.status_code == 302
    newcomer = fresh(newcomer)
    assert newcomer.email == "nia@example.test"  # the account itself may be edited …
    assert not newcomer.is_staff and not newcomer.is_superuser  # … but not its flags
    assert not newcomer.groups.exists() and roles_of(newcomer) == frozenset()
    assert User.history.filter(id=newcomer.pk).latest("history_id").history_user == boss


def test_the_admin_shows_grants_and_role_groups_read_only(client: Client, liaison: User) -> None:
    boss = UserFactory.create(username="root", is_superuser=True, is_staff=True)
    client.force_login(boss)
    assert client.get(reverse("admin:core_rolegrant_changelist")).status_code == 200
    assert client.get(reverse("admin:core_rolegrant_add")).status_code == 403
    group = Group.objects.get(name=Role.AUDITOR)
    client.post(reverse("admin:auth_group_change", args=[group.pk]), {"name": "Renamed", "permissions": []})
    assert Group.objects.filter(name=Role.AUDITOR).exists()

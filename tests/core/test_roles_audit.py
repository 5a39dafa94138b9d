"""Who is told about sensitive grants, and the audit trail of accounts and grants: history rows in the
chain, never the password hash; a role-group membership written behind the grant services' back is
ignored by ``roles_of`` and named by ``verify_audit``."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from core.access import roles_of
from core.audit.chain_verify import verify_chain
from core.choices import GrantStatus
from core.grants import services
from core.grants.integrity import NAME, check_role_memberships, role_membership_problems
from core.models import AuditLink, RoleGrant, User
from core.roles import Role
from tests.factories import GRANTING_OFFICERS, UserFactory

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]  # pytest-django's django_capture_on_commit_callbacks


def recipients() -> set[str]:
    return {address for message in mail.outbox for address in message.to}


@pytest.fixture
def newcomer(db: None) -> User:
    return UserFactory.create(username="newcomer", first_name="Nia", last_name="Wekesa")


# --------------------------------------------------------------------------------------------------
# E-mail


def test_asking_for_a_liaison_tells_the_liaisons_and_the_access_administrators_only(
    django_capture_on_commit_callbacks: Capture,
    access_admin: User,
    second_access_admin: User,
    liaison: User,
    multi_role: User,
    fund_approver: User,
    auditor: User,
    newcomer: User,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        grant = services.request_grant(newcomer, Role.WITNESS_LIAISON, access_admin, reason="New liaison")
    told = {access_admin.email, second_access_admin.email, liaison.email, multi_role.email}
    assert recipients() == told
    assert all(len(message.to) == 1 for message in mail.outbox)  # nobody sees the others' addresses
    message = mail.outbox[0]
    assert message.subject == "CTIP tracker: Witness protection liaison requested for Nia Wekesa"
    assert "does not count until a second access administrator approves it" in message.body
    assert "New liaison" in message.body and f"/access/grants/{grant.pk}/" in message.body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_grant(grant, second_access_admin)
    assert recipients() == told  # the holders before the grant: not the newcomer
    assert mail.outbox[0].subject == "CTIP tracker: Witness protection liaison granted to Nia Wekesa"


@pytest.mark.parametrize("role", [Role.FUND_ADMINISTRATOR, Role.FUND_APPROVER])
def test_a_fund_role_tells_the_approvers_and_the_access_administrators(
    role: str,
    django_capture_on_commit_callbacks: Capture,
    access_admin: User,
    fund_admin: User,
    fund_approver: User,
    newcomer: User,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.request_grant(newcomer, role, access_admin, reason="Secretariat")
    assert recipients() == {access_admin.email, fund_approver.email}


def test_a_victim_services_grant_tells_the_victim_services_officers(
    django_capture_on_commit_callbacks: Capture,
    access_admin: User,
    victim_services_officer: User,
    liaison: User,
    newcomer: User,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.request_grant(newcomer, Role.VICTIM_SERVICES_OFFICER, access_admin, reason="NRM focal person")
    assert recipients() == {access_admin.email, victim_services_officer.email}


def test_a_role_that_is_not_sensitive_tells_nobody(
    django_capture_on_commit_callbacks: Capture, access_admin: User, auditor: User, newcomer: User
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.request_grant(newcomer, Role.AUDITOR, access_admin, reason="Internal audit")
    assert mail.outbox == []


def test_a_refused_request_tells_nobody(
    django_capture_on_commit_callbacks: Capture, access_admin: User, liaison: User, newcomer: User
) -> None:
    services.request_grant(newcomer, Role.WITNESS_LIAISON, access_admin, reason="First")
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(services.RoleAlreadyHeld):
        services.request_grant(newcomer, Role.WITNESS_LIAISON, access_admin, reason="Second")
    assert callbacks == [] and mail.outbox == []


def test_holders_without_an_email_address_or_with_a_switched_off_account_are_skipped(
    django_capture_on_commit_callbacks: Capture, access_admin: User, liaison: User, newcomer: User
) -> None:
    liaison.is_active = False
    liaison.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.request_grant(newcomer, Role.WITNESS_LIAISON, access_admin, reason="Replacement")
    assert recipients() == {access_admin.email}  # the test granting officers have no address
    assert not User.objects.filter(username__in=GRANTING_OFFICERS).exclude(email="").exists()


# --------------------------------------------------------------------------------------------------
# History in the chain


def test_an_account_change_is_a_chained_history_row_without_the_password_hash(newcomer: User) -> None:
    newcomer.email = "nia.wekesa@odpp.go.ke"
    newcomer._history_user = newcomer  # type: ignore[attr-defined]
    newcomer.set_password("another-long-password")
    newcomer.save()
    rows = list(User.history.filter(id=newcomer.pk).order_by("history_id"))
    assert [row.history_type for row in rows] == ["+", "~"]
    assert rows[-1].email == "nia.wekesa@odpp.go.ke"
    names = {f.attname for f in User.history.model._meta.concrete_fields}
    assert "password" not in names and "last_login" not in names
    stored = User.objects.get(pk=newcomer.pk).password
    for row in rows:
        assert stored not in repr(vars(row))
    links = AuditLink.objects.filter(source="core.historicaluser", row_id__in=[row.pk for row in rows])
    assert links.count() == 2
    assert set(links.values_list("record_type", flat=True)) == {"core.user"}
    assert verify_chain().ok


def test_signing_in_writes_no_account_history(client: Client, newcomer: User) -> None:
    before = User.history.filter(id=newcomer.pk).count()
    response = client.post("/accounts/login/", {"username": "newcomer", "password": "a-long-test-password"})
    assert response.status_code == 302
    assert User.objects.get(pk=newcomer.pk).last_login is not None
    assert User.history.filter(id=newcomer.pk).count() == before


def test_a_superuser_flag_set_by_a_save_is_in_the_history(newcomer: User) -> None:
    newcomer.is_superuser = True
    newcomer.save()
    assert User.history.filter(id=newcomer.pk).latest("history_id").is_superuser is True


def test_every_move_on_a_grant_is_a_chained_history_row_with_who_and_why(
    access_admin: User, second_access_admin: User, newcomer: User
) -> None:
    grant = services.request_grant(newcomer, Role.FUND_APPROVER, access_admin, reason="Board treasurer")
    services.approve_grant(grant, second_access_admin, note="Board minute 12/2026")
    services.revoke_grant(grant, access_admin, reason="Term on the board ended")
    rows = list(RoleGrant.history.filter(id=grant.pk).order_by("history_id"))
    assert [(row.status, row.history_user, row.history_change_reason) for row in rows] == [
        (GrantStatus.REQUESTED, access_admin, "Role requested"),
        (GrantStatus.APPROVED, second_access_admin, "Role granted"),
        (GrantStatus.REVOKED, access_admin, "Role revoked"),
    ]
    links = AuditLink.objects.filter(source="core.historicalrolegrant", row_id__in=[row.pk for row in rows])
    assert list(links.order_by("seq").values_list("user", flat=True)) == [
        access_admin.pk,
        second_access_admin.pk,
        access_admin.pk,
    ]
    assert verify_chain().ok


def test_the_auditor_reads_grants_and_account_changes_in_the_audit_log(
    client: Client, auditor: User, access_admin: User, newcomer: User
) -> None:
    services.request_grant(newcomer, Role.UNIT_HEAD, access_admin, reason="Appointed head of unit")
    client.force_login(auditor)
    html = client.get("/audit/", {"record_type": "core.rolegrant"}).content.decode()
    assert "Unit head for Nia Wekesa" in html


# --------------------------------------------------------------------------------------------------
# A membership written behind the services' back


def _insert_membership(user: User, role: str) -> None:
    membership = User.groups.through
    group = Group.objects.get(name=role)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(membership._meta.db_table)} (user_id, group_id) VALUES (%s, %s)",
            [user.pk, group.pk],
        )


def _verify() -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, err.getvalue()
    return 0, out.getvalue()


def test_a_raw_sql_membership_is_ignored_by_roles_of_and_named_by_verify_audit(
    newcomer: User, liaison: User, settings: Any, tmp_path: Any
) -> None:
    settings.AUDIT_CHECKPOINT_DIR = str(tmp_path)
    assert role_membership_problems() == [] and check_role_memberships() == ""
    assert _verify()[0] == 0
    _insert_membership(newcomer, Role.WITNESS_LIAISON)
    assert roles_of(User.objects.get(pk=newcomer.pk)) == frozenset()
    problem = check_role_memberships()
    assert "user newcomer" in problem and "'Witness protection liaison' without an approved grant" in problem
    code, err = _verify()
    assert code == 1 and NAME in err and "user newcomer" in err


def test_a_membership_removed_behind_the_services_back_is_named_too(liaison: User) -> None:
    membership = User.groups.through
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {connection.ops.quote_name(membership._meta.db_table)} WHERE user_id = %s", [liaison.pk]
        )
    (problem,) = role_membership_problems()
    assert "has an approved grant of 'Witness protection liaison' but is not in its group" in problem


# --------------------------------------------------------------------------------------------------
# The console: the first access administrator, and memberships older than grants


def _console(*args: str) -> str:
    out = io.StringIO()
    call_command("bootstrap_role_grants", *args, stdout=out)
    return out.getvalue()


def test_the_console_names_the_first_access_administrator_once(newcomer: User) -> None:
    assert not User.objects.holding([Role.ACCESS_ADMINISTRATOR]).exists()
    out = _console("--first-access-administrator", "newcomer", "--reason", "Director's letter 4/2026")
    assert "newcomer is now an access administrator" in out
    assert roles_of(User.objects.get(pk=newcomer.pk)) == {Role.ACCESS_ADMINISTRATOR}
    grant = RoleGrant.objects.get(user=newcomer)
    assert (grant.requested_by, grant.decided_by, grant.reason) == (None, None, "Director's letter 4/2026")
    other = UserFactory.create(username="other")
    with pytest.raises(CommandError, match="already an access administrator"):
        _console("--first-access-administrator", "other", "--reason", "Me too")
    assert roles_of(User.objects.get(pk=other.pk)) == frozenset()


def test_the_carry_over_grants_ordinary_memberships_and_holds_sensitive_ones_for_approval(
    access_admin: User, second_access_admin: User, newcomer: User
) -> None:
    newcomer.groups.add(*Group.objects.filter(name__in=[Role.PROSECUTOR, Role.WITNESS_LIAISON]))
    dry = _console("--carry-over", "--reason", "Upgrade", "--dry-run")
    assert "newcomer: Prosecutor would be granted" in dry and not RoleGrant.objects.filter(user=newcomer).exists()

    out = _console("--carry-over", "--reason", "Upgrade to role grants")
    assert "newcomer: Witness protection liaison was asked for" in out
    assert roles_of(User.objects.get(pk=newcomer.pk)) == {Role.PROSECUTOR}
    assert "without an approved grant" in check_role_memberships()  # until an administrator decides

    waiting = RoleGrant.objects.get(user=newcomer, status=GrantStatus.REQUESTED)
    services.approve_grant(waiting, access_admin, note="Confirmed with the Agency")
    assert roles_of(User.objects.get(pk=newcomer.pk)) == {Role.PROSECUTOR, Role.WITNESS_LIAISON}
    assert check_role_memberships() == ""
    assert "Every account has its history" in _console("--carry-over", "--reason", "Again")


def test_a_superuser_flag_set_by_raw_sql_is_named_by_verify_audit(newcomer: User, settings: Any, tmp_path: Any) -> None:
    settings.AUDIT_CHECKPOINT_DIR = str(tmp_path)
    assert _verify()[0] == 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {connection.ops.quote_name(User._meta.db_table)} SET is_superuser = %s WHERE id = %s",
            [True, newcomer.pk],
        )
    code, err = _verify()
    assert code == 1 and "is_superuser" in err and f"row {newcomer.pk}" in err

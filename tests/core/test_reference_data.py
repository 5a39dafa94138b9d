"""Reference data created by the migrations: the eight roles with their permissions, and the 47 counties."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from core.models import County
from core.roles import ALL_ROLES, Role

pytestmark = pytest.mark.django_db


def test_every_role_exists_as_a_group_after_migrating() -> None:
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)
    assert set(Role.values) == ALL_ROLES
    assert len(ALL_ROLES) == 8
    assert {Role.ACCESS_ADMINISTRATOR, Role.VICTIM_SERVICES_OFFICER} <= ALL_ROLES


def _permissions(role: str) -> set[str]:
    group = Group.objects.get(name=role)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


@pytest.mark.parametrize("role", Role.values)
def test_every_role_may_read_the_counties(role: str) -> None:
    assert "core.view_county" in _permissions(role)


@pytest.mark.parametrize("role", Role.values)
def test_no_role_may_edit_reference_data_or_users(role: str) -> None:
    granted = _permissions(role)
    forbidden = {f"core.{action}_{model}" for action in ("add", "change", "delete") for model in ("county", "user")}
    assert not granted & forbidden
    assert "core.change_numbersequence" not in granted


def test_only_the_auditor_and_the_access_administrator_may_read_the_user_list() -> None:
    readers = {role for role in Role.values if "core.view_user" in _permissions(role)}
    assert readers == {Role.AUDITOR, Role.ACCESS_ADMINISTRATOR}


def test_no_role_may_change_role_grants_outside_the_grant_services() -> None:
    for role in Role.values:
        granted = _permissions(role)
        assert not {f"core.{action}_rolegrant" for action in ("add", "change", "delete")} & granted, role


def test_there_are_47_counties_with_codes_001_to_047() -> None:
    codes = list(County.objects.order_by("code").values_list("code", flat=True))
    assert codes == [f"{n:03d}" for n in range(1, 48)]
    assert County.objects.values("name").distinct().count() == 47


@pytest.mark.parametrize(
    ("code", "name"),
    [("001", "Mombasa"), ("022", "Kiambu"), ("030", "Baringo"), ("042", "Kisumu"), ("047", "Nairobi City")],
)
def test_counties_carry_their_constitutional_codes(code: str, name: str) -> None:
    assert County.objects.get(code=code).name == name

"""``manage.py seed_demo``: the demo logins, one per role plus a multi-role user; development only."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import override_settings

from core.demo import DEMO_PASSWORD, DEMO_USERS
from core.models import User
from core.roles import Role
from tests.core.startup import manage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def development(settings: Any) -> None:
    """pytest-django runs with DEBUG off; the seed is for development, where it is on."""
    settings.DEBUG = True


def _seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def _demo_accounts() -> dict[str, tuple[int, set[str]]]:
    users = User.objects.filter(username__in=[demo.username for demo in DEMO_USERS]).prefetch_related("groups")
    return {user.username: (user.pk, {group.name for group in user.groups.all()}) for user in users}


def test_every_demo_user_gets_exactly_their_roles_and_the_demo_password() -> None:
    _seed()
    for demo in DEMO_USERS:
        user = User.objects.get(username=demo.username)
        assert set(user.role_names) == set(demo.roles), demo.username
        assert user.check_password(DEMO_PASSWORD)
        assert user.is_active and not user.is_staff and not user.is_superuser


def test_there_is_a_demo_user_for_every_role_and_one_with_several() -> None:
    covered = {role for demo in DEMO_USERS for role in demo.roles}
    assert covered == set(Role.values)
    assert any(len(demo.roles) > 1 for demo in DEMO_USERS)


def test_seeding_twice_changes_nothing() -> None:
    _seed()
    first = _demo_accounts()
    _seed()
    assert _demo_accounts() == first
    assert User.objects.filter(username__in=[demo.username for demo in DEMO_USERS]).count() == len(DEMO_USERS)


def test_seeding_again_puts_back_roles_and_password_someone_changed() -> None:
    _seed()
    auditor = User.objects.get(username="auditor")
    auditor.groups.add(Group.objects.get(name=Role.FUND_APPROVER))
    auditor.set_password("something-else-entirely")
    auditor.save()
    _seed()
    auditor = User.objects.get(username="auditor")
    assert set(auditor.role_names) == {Role.AUDITOR}
    assert auditor.check_password(DEMO_PASSWORD)


def test_it_prints_the_demo_logins() -> None:
    out = _seed()
    assert DEMO_PASSWORD in out
    for demo in DEMO_USERS:
        assert demo.username in out


@override_settings(DEBUG=False)
def test_it_refuses_to_run_in_production() -> None:
    with pytest.raises(CommandError, match="refuses to run with DJANGO_DEBUG=0"):
        _seed()
    assert not User.objects.filter(username__in=[demo.username for demo in DEMO_USERS]).exists()


def test_a_production_server_refuses_to_seed(production_env: dict[str, str]) -> None:
    result = manage(production_env, "seed_demo")
    assert result.returncode != 0
    assert "refuses to run with DJANGO_DEBUG=0" in result.stderr


@override_settings(DEBUG=False)
def test_it_runs_in_production_only_when_forced() -> None:
    _seed("--force")
    assert User.objects.filter(username="prosecutor").exists()

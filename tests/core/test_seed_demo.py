"""``manage.py seed_demo``: the demo logins, one per role plus a multi-role user; development only."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import override_settings

from core import registry
from core.demo import DEMO_PASSWORD, DEMO_USERS
from core.models import User
from core.registry import DemoSeed
from core.roles import Role
from tests.core.startup import manage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def development(settings: Any) -> None:
    """pytest-django runs with DEBUG off; the seed is for development, where it is on."""
    settings.DEBUG = True


@pytest.fixture(autouse=True)
def steps(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Only the steps a test registers: each app tests its own demo data (and it takes a while)."""
    monkeypatch.setattr(registry, "_seeds", {})
    return []


def test_each_apps_step_runs_in_order_with_the_demo_users(steps: list[str]) -> None:
    def step(name: str) -> DemoSeed:
        def run(users: dict[str, User], out: Callable[[str], None]) -> None:
            assert set(users) == {demo.username for demo in DEMO_USERS}
            assert users["unithead"].pk is not None
            steps.append(name)
            out(f"{name}: 3 demo records")

        return DemoSeed(name, run, order={"cases": 20, "assets": 200, "fund": 300}[name])

    for name in ("fund", "cases", "assets"):
        registry.register_demo_seed(step(name))
    out = _seed()
    assert steps == ["cases", "assets", "fund"]
    assert "assets: 3 demo records" in out


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
    assert set(auditor.groups.values_list("name", flat=True)) == {Role.AUDITOR}  # the stray membership is gone
    assert auditor.check_password(DEMO_PASSWORD)


def test_demo_roles_are_granted_as_a_live_system_grants_them() -> None:
    """``accessadmin`` asks, ``accessadmin2`` approves what is sensitive; every membership has its grant."""
    from core.choices import GrantStatus
    from core.grants.integrity import role_membership_problems
    from core.models import RoleGrant
    from core.roles import SENSITIVE_ROLES

    _seed()
    first, second = User.objects.get(username="accessadmin"), User.objects.get(username="accessadmin2")
    assert Role.ACCESS_ADMINISTRATOR in first.role_names and Role.ACCESS_ADMINISTRATOR in second.role_names
    sensitive = RoleGrant.objects.filter(role__in=SENSITIVE_ROLES, status=GrantStatus.APPROVED)
    assert sensitive.count() == 5  # liaison, multirole's liaison, fund administrator, approver, VSO
    assert set(sensitive.values_list("requested_by", "decided_by")) == {(first.pk, second.pk)}
    assert role_membership_problems() == []


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

"""Access administrators acting at the same moment: one live grant per person and role, and a grant
decided once — the person's row lock makes them queue (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from core.choices import GrantStatus
from core.exceptions import GrantNotAwaitingDecision, RoleAlreadyHeld
from core.grants import services
from core.models import RoleGrant, User
from core.roles import Role
from tests.factories import UserFactory
from tests.helpers import run_at_once

THREADS = 4


def _admins(n: int) -> list[User]:
    return [UserFactory.create(username=f"admin{i}", roles=[Role.ACCESS_ADMINISTRATOR]) for i in range(n)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_requests_for_the_same_role_make_one_grant() -> None:
    assert connection.vendor == "postgresql"
    admins = _admins(THREADS)
    person = UserFactory.create(username="person")
    made: list[int] = []
    refused: list[BaseException] = []
    unexpected: list[BaseException] = []
    lock = threading.Lock()
    queue = list(admins)

    def ask() -> None:
        with lock:
            admin = queue.pop()
        try:
            grant = services.request_grant(person, Role.WITNESS_LIAISON, admin, reason="Needed at once")
            with lock:
                made.append(grant.pk)
        except RoleAlreadyHeld as error:
            with lock:
                refused.append(error)
        except Exception as error:  # noqa: BLE001 - anything else is a failure to report
            with lock:
                unexpected.append(error)

    run_at_once(ask, THREADS, timeout=60)
    assert unexpected == []
    assert len(made) == 1 and len(refused) == THREADS - 1
    assert RoleGrant.objects.filter(user=person, role=Role.WITNESS_LIAISON).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_decisions_on_one_grant_decide_it_once() -> None:
    assert connection.vendor == "postgresql"
    asker, *deciders = _admins(THREADS + 1)
    person = UserFactory.create(username="person")
    grant = services.request_grant(person, Role.FUND_APPROVER, asker, reason="Board treasurer")
    decided: list[str] = []
    refused: list[BaseException] = []
    unexpected: list[BaseException] = []
    lock = threading.Lock()
    queue = [(admin, n % 2 == 0) for n, admin in enumerate(deciders)]

    def decide() -> None:
        with lock:
            admin, approve = queue.pop()
        try:
            mine = RoleGrant.objects.get(pk=grant.pk)
            if approve:
                services.approve_grant(mine, admin)
            else:
                services.reject_grant(mine, admin, reason="Not on the board")
            with lock:
                decided.append("approved" if approve else "rejected")
        except GrantNotAwaitingDecision as error:
            with lock:
                refused.append(error)
        except Exception as error:  # noqa: BLE001 - anything else is a failure to report
            with lock:
                unexpected.append(error)

    run_at_once(decide, THREADS, timeout=60)
    assert unexpected == []
    assert len(decided) == 1 and len(refused) == THREADS - 1
    final = RoleGrant.objects.get(pk=grant.pk)
    assert final.status == (GrantStatus.APPROVED if decided == ["approved"] else GrantStatus.REJECTED)
    assert (Role.FUND_APPROVER in User.objects.get(pk=person.pk).role_names) == (decided == ["approved"])
    assert RoleGrant.history.filter(id=grant.pk).count() == 2

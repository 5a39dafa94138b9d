"""API test helpers: a client signed in with a personal token, and a small world of cases built through the
services (one case led by ``prosecutor`` with counts, a hearing, a victim and a witness whose identities
carry canary markers)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from api.tokens import issue_token
from core.models import User
from prosecutions import services as prosecution_services
from prosecutions.models import Case, Charge, Hearing
from tests.prosecutions.factories import charged_case, court, days_ago
from tests.witnesses.factories import markers, victim_of, with_identity, witness_on
from victims import services as victim_services
from victims.models import Victim
from witnesses.models import Witness

CANARY_TAG = "APIWORLD"


def token_for(user: User, name: str = "test system", days: int = 30) -> str:
    return issue_token(user, name=name, expires_on=timezone.localdate() + dt.timedelta(days=days)).secret


def client_with(token: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return api


@pytest.fixture
def api_as(db: None) -> Callable[[User], APIClient]:
    """``api_as(user)``: an API client signed in with a fresh token of ``user``'s."""
    return lambda user: client_with(token_for(user))


@pytest.fixture(autouse=True)
def _fresh_throttles() -> None:
    """Request allowances live in the cache; each test starts with full ones."""
    cache.clear()


@dataclass
class World:
    case: Case
    charges: list[Charge]
    hearing: Hearing
    victim: Victim
    witness: Witness


@pytest.fixture
def world(prosecutor: User, liaison: User, victim_services_officer: User) -> World:
    case = charged_case(prosecutor, title="Republic v. Kamau and another")
    hearing = prosecution_services.record_hearing(case, prosecutor, date=days_ago(5), purpose="mention", court=court())
    victim = victim_of(case, prosecutor)
    victim_services.save_victim_identity(victim, victim_services_officer, full_name=f"Zawadi CANARY{CANARY_TAG}VICTIM")
    witness = witness_on(case)
    with_identity(witness, liaison, CANARY_TAG)
    charges = list(Charge.objects.filter(accused__case=case).order_by("count_number"))
    return World(case=case, charges=charges, hearing=hearing, victim=victim, witness=witness)


CANARIES = (*markers(CANARY_TAG).values(), f"CANARY{CANARY_TAG}VICTIM")

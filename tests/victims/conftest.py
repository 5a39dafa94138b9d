"""Personas for the victims register: ``prosecutor`` leads ``case``; ``other_prosecutor`` is not on it;
``victim_services_officer`` keeps the register."""

from __future__ import annotations

import pytest

from core.models import User
from prosecutions.models import Case
from tests.assets.factories import CaseFactory
from tests.victims.factories import identified
from victims.models import Victim


@pytest.fixture
def case(prosecutor: User) -> Case:
    return CaseFactory.create(lead_prosecutor=prosecutor, title="Republic v. Amina Hassan")


@pytest.fixture
def lone_victim(victim_services_officer: User) -> Victim:
    """A victim identified by the NRM, on no case."""
    return identified(victim_services_officer)

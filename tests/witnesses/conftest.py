"""Scoped personas for the witness tests: ``prosecutor`` leads ``case``; ``other_prosecutor`` is not on it."""

from __future__ import annotations

import pytest

from core.models import User
from prosecutions.models import Case
from tests.assets.factories import CaseFactory
from tests.witnesses.factories import admitted, court_measures, witness_on
from witnesses.models import Witness


@pytest.fixture
def case(prosecutor: User) -> Case:
    return CaseFactory.create(lead_prosecutor=prosecutor, title="Republic v. Juma Said")


@pytest.fixture
def witness(case: Case) -> Witness:
    return witness_on(case, number="PW1")


@pytest.fixture
def protected(case: Case, liaison: User) -> Witness:
    """An admitted witness with a screen and voice distortion in force."""
    witness = admitted(witness_on(case, number="PW2"), liaison)
    court_measures(witness, liaison)
    return witness

"""Asset personas on top of the shared ones: a case led by ``prosecutor``, with ``other_prosecutor``
on no case at all."""

from __future__ import annotations

import pytest

from prosecutions.models import Accused, Case
from tests.assets.factories import AccusedFactory, CaseFactory


@pytest.fixture
def case(prosecutor) -> Case:
    return CaseFactory.create(lead_prosecutor=prosecutor, title="Republic v. Kamau and another")


@pytest.fixture
def accused(case) -> Accused:
    return AccusedFactory.create(case=case, name="John Kamau")

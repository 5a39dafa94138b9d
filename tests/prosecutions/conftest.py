"""Scoped personas: a case led by ``prosecutor``; ``other_prosecutor`` is not on it."""

from __future__ import annotations

import pytest

from prosecutions.models import Case
from tests.prosecutions.factories import charged_case


@pytest.fixture
def case(prosecutor) -> Case:
    return charged_case(prosecutor)

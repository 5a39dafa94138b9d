from __future__ import annotations

from pathlib import Path

import pytest

from tests.core import startup


@pytest.fixture
def production_env(tmp_path: Path) -> dict[str, str]:
    """Every variable production needs, and nothing inherited from the shell running the tests."""
    return startup.production_env(tmp_path)

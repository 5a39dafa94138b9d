"""The preservation settings come from the environment, and a wrong value stops start-up clearly."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

READ = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.PRESERVATION_ORDER_DAYS, s.PRESERVATION_EXPIRY_FROM)"
)


def settings_with(**env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env}
    return subprocess.run([sys.executable, "-c", READ], capture_output=True, text=True, env=environment, check=False)


def test_the_defaults_are_90_days_from_gazettement() -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ASSET_")}
    result = subprocess.run(
        [sys.executable, "-c", READ],
        capture_output=True,
        text=True,
        env={**environment, "DJANGO_SETTINGS_MODULE": "config.settings"},
        check=False,
    )
    assert result.stdout.split() == ["90", "gazette"]


def test_the_environment_sets_both() -> None:
    result = settings_with(ASSET_PRESERVATION_DAYS="120", ASSET_PRESERVATION_EXPIRY_FROM="grant")
    assert result.stdout.split() == ["120", "grant"]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ASSET_PRESERVATION_EXPIRY_FROM": "order"}, "ASSET_PRESERVATION_EXPIRY_FROM"),
        ({"ASSET_PRESERVATION_DAYS": "0"}, "ASSET_PRESERVATION_DAYS"),
        ({"ASSET_PRESERVATION_DAYS": "ninety"}, "ASSET_PRESERVATION_DAYS"),
    ],
)
def test_a_wrong_value_stops_start_up_naming_the_variable(env: dict[str, str], message: str) -> None:
    result = settings_with(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr

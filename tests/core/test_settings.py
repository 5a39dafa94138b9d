"""Settings from the environment: production refuses to start without its keys, development needs nothing.

Each case starts a fresh Python process with a clean environment, as a server would start.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.utils import timezone

from tests.core.startup import REQUIRED_IN_PRODUCTION, ROOT, fernet_key, manage, run_python


@pytest.fixture
def local_dir(tmp_path: Path) -> Path:
    return tmp_path / "local"


SETTINGS_DUMP = """
import json
import config.settings as s
names = {names!r}
print(json.dumps({{name: getattr(s, name, None) for name in names}}, default=str))
"""


def _settings(env: dict[str, str], *names: str) -> dict[str, Any]:
    """The settings a server started with ``env`` would have."""
    result = run_python(["-c", SETTINGS_DUMP.format(names=names)], env)
    assert result.returncode == 0, result.stderr
    values: dict[str, Any] = json.loads(result.stdout)
    return values


# --- production ---------------------------------------------------------------------------------------------


def test_the_deployment_check_is_clean_with_production_settings(production_env: dict[str, str]) -> None:
    result = manage(production_env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_production_turns_on_https_only_cookies_hsts_and_the_ssl_redirect(production_env: dict[str, str]) -> None:
    values = _settings(
        production_env,
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "ALLOWED_HOSTS",
        "FIELD_ENCRYPTION_KEYS",
    )
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["SESSION_COOKIE_SECURE"] is True and values["CSRF_COOKIE_SECURE"] is True
    assert values["ALLOWED_HOSTS"] == ["ctip.odpp.go.ke", "ctip-internal.odpp.go.ke"]
    assert values["FIELD_ENCRYPTION_KEYS"] == production_env["FIELD_ENCRYPTION_KEYS"].split(",")


@pytest.mark.parametrize("missing", REQUIRED_IN_PRODUCTION)
def test_production_refuses_to_start_without_a_required_variable(production_env: dict[str, str], missing: str) -> None:
    del production_env[missing]
    result = manage(production_env, "check")
    assert result.returncode != 0
    assert f"The environment variable {missing} is required when DJANGO_DEBUG=0" in result.stderr


def test_production_treats_a_blank_variable_as_missing(production_env: dict[str, str]) -> None:
    production_env["AUDIT_HMAC_KEY"] = "   "
    result = manage(production_env, "check")
    assert result.returncode != 0
    assert "AUDIT_HMAC_KEY is required" in result.stderr


def test_a_short_secret_key_stops_start_up(production_env: dict[str, str]) -> None:
    production_env["DJANGO_SECRET_KEY"] = "too-short"
    result = manage(production_env, "check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be at least 50 characters long" in result.stderr


def test_a_malformed_encryption_key_stops_start_up_without_echoing_it(production_env: dict[str, str]) -> None:
    production_env["FIELD_ENCRYPTION_KEYS"] = f"{fernet_key()},not-a-real-key-but-a-secret"
    result = manage(production_env, "check")
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS: key number 2 is not a Fernet key" in result.stderr
    assert "not-a-real-key-but-a-secret" not in result.stderr


@pytest.mark.parametrize(
    ("name", "value"), [("DJANGO_DEBUG", "maybe"), ("DJANGO_LOCKOUT_FAILURES", "five"), ("DJANGO_HSTS_SECONDS", "1y")]
)
def test_a_malformed_value_stops_start_up_naming_the_variable(
    production_env: dict[str, str], name: str, value: str
) -> None:
    production_env[name] = value
    result = manage(production_env, "check")
    assert result.returncode != 0
    assert f"{name} must be" in result.stderr


def test_behind_a_proxy_the_forwarded_protocol_is_trusted(production_env: dict[str, str]) -> None:
    assert _settings(production_env, "SECURE_PROXY_SSL_HEADER")["SECURE_PROXY_SSL_HEADER"] is None
    production_env["DJANGO_BEHIND_PROXY"] = "1"
    header = _settings(production_env, "SECURE_PROXY_SSL_HEADER")["SECURE_PROXY_SSL_HEADER"]
    assert header == ["HTTP_X_FORWARDED_PROTO", "https"]


@override_settings(SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
def test_the_ssl_redirect_accepts_https_forwarded_by_the_proxy(db: None) -> None:
    client = Client()  # a fresh client builds its middleware with these settings
    plain = client.get("/accounts/login/")
    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")
    forwarded = client.get("/accounts/login/", headers={"x-forwarded-proto": "https"})
    assert forwarded.status_code == 200


def test_session_idle_time_and_lockout_threshold_come_from_the_environment(production_env: dict[str, str]) -> None:
    production_env.update(DJANGO_SESSION_IDLE_MINUTES="15", DJANGO_LOCKOUT_FAILURES="3")
    values = _settings(production_env, "SESSION_COOKIE_AGE", "AXES_FAILURE_LIMIT")
    assert values == {"SESSION_COOKIE_AGE": 15 * 60, "AXES_FAILURE_LIMIT": 3}


def test_upload_limits_come_from_the_environment(production_env: dict[str, str]) -> None:
    production_env.update(UPLOAD_MAX_MB="8", UPLOAD_MAX_ROWS="5000", UPLOAD_MAX_UNCOMPRESSED_MB="80")
    values = _settings(production_env, "UPLOAD_MAX_BYTES", "UPLOAD_MAX_ROWS", "UPLOAD_MAX_UNCOMPRESSED_BYTES")
    assert values == {
        "UPLOAD_MAX_BYTES": 8 * 2**20,
        "UPLOAD_MAX_ROWS": 5000,
        "UPLOAD_MAX_UNCOMPRESSED_BYTES": 80 * 2**20,
    }


# --- development --------------------------------------------------------------------------------------------

DEV_NAMES = ("DEBUG", "SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "AUDIT_HMAC_KEY", "DATABASES")


def test_with_nothing_set_it_runs_in_development_on_sqlite(local_dir: Path) -> None:
    values = _settings({"DJANGO_LOCAL_DIR": str(local_dir)}, *DEV_NAMES)
    assert values["DEBUG"] is True
    assert values["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert len(values["SECRET_KEY"]) >= 50
    assert values["AUDIT_HMAC_KEY"]
    assert len(values["FIELD_ENCRYPTION_KEYS"]) == 1


def test_development_keys_are_generated_once_into_the_local_folder_and_reused(local_dir: Path) -> None:
    env = {"DJANGO_LOCAL_DIR": str(local_dir)}
    first = _settings(env, *DEV_NAMES)
    keys_file = local_dir / "dev-keys.json"
    assert keys_file.exists()
    assert stat.S_IMODE(keys_file.stat().st_mode) == 0o600  # readable by the developer only
    stored = json.loads(keys_file.read_text())
    assert stored["DJANGO_SECRET_KEY"] == first["SECRET_KEY"]

    second = _settings(env, *DEV_NAMES)
    assert second == first


def test_a_variable_set_in_development_wins_over_the_generated_key(local_dir: Path) -> None:
    chosen = secrets.token_urlsafe(60)
    values = _settings({"DJANGO_LOCAL_DIR": str(local_dir), "DJANGO_SECRET_KEY": chosen}, "SECRET_KEY")
    assert values["SECRET_KEY"] == chosen


def test_the_local_key_folder_is_ignored_by_git() -> None:
    result = subprocess.run(
        ["git", "check-ignore", "-q", ".local/dev-keys.json"], cwd=ROOT, capture_output=True, timeout=30
    )
    if result.returncode == 128:
        pytest.skip("not a git checkout")
    assert result.returncode == 0


# --- conventions --------------------------------------------------------------------------------------------


def test_the_tracker_keeps_time_in_nairobi() -> None:
    assert settings.TIME_ZONE == "Africa/Nairobi"
    assert settings.USE_TZ is True
    assert timezone.localtime().utcoffset() == dt.timedelta(hours=3)


def test_money_has_one_project_wide_precision() -> None:
    assert (settings.MONEY_MAX_DIGITS, settings.MONEY_DECIMAL_PLACES) == (18, 2)

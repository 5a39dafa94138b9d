"""The production configuration in deploy/: `check --deploy` is clean with it, the environment template names
every variable production refuses to start without, and the unit files run commands that exist."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management import get_commands

ROOT = Path(settings.BASE_DIR)
DEPLOY = ROOT / "deploy"


def _template() -> dict[str, str]:
    values = {}
    for line in (DEPLOY / "ctip.env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = value
    return values


def test_the_environment_template_names_every_required_variable() -> None:
    required = set(re.findall(r'require\("([A-Z0-9_]+)"\)', (ROOT / "config" / "settings.py").read_text()))
    assert required, "settings.py requires nothing?"
    missing = required - set(_template())
    assert not missing, f"deploy/ctip.env.example lacks {sorted(missing)}"


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update({key: value for key, value in _template().items() if value})
    env.update(
        DJANGO_SECRET_KEY="k" * 20 + "production-secret-for-the-deploy-check-only-0123456789",
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        AUDIT_HMAC_KEY="a" * 64,
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        AUDIT_CHECKPOINT_DIR=str(tmp_path / "checkpoints"),
        DOCUMENT_ROOT=str(tmp_path / "documents"),
        EXPORT_ROOT=str(tmp_path / "exports"),
        DJANGO_LOCAL_DIR=str(tmp_path / "local"),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("unit", ["ctip-web.service", "ctip-worker@.service", "ctip-backup.service"])
def test_each_unit_file_runs_something_that_exists(unit: str) -> None:
    text = (DEPLOY / "systemd" / unit).read_text()
    [command] = re.findall(r"^ExecStart=(.+)$", text, flags=re.M)
    if "manage.py" in command:
        assert command.split("manage.py ")[1].split()[0] in get_commands()
    elif "gunicorn" in command:
        assert "-c deploy/gunicorn.conf.py config.wsgi:application" in command
        assert (DEPLOY / "gunicorn.conf.py").exists()
    else:
        script = ROOT / command.split("/app/")[1]
        assert script.exists() and os.access(script, os.X_OK)


def test_the_compose_file_uses_official_images_and_runs_the_worker() -> None:
    compose = (DEPLOY / "compose.yaml").read_text()
    images = set(re.findall(r"^\s+image: ([a-z0-9/_.-]+):", compose, flags=re.M))
    assert images == {"postgres", "python"}  # the official images only
    commands = re.findall(r"^\s+command: (.+)$", compose, flags=re.M)
    assert sum("run_worker" in command for command in commands) == 2
    assert sum("gunicorn" in command for command in commands) == 2
    assert "migrate --noinput" in compose and "createcachetable" in compose and "check --deploy" in compose


def test_the_nginx_site_hands_protected_exports_over_internally() -> None:
    site = (DEPLOY / "nginx" / "ctip.conf").read_text()
    assert re.search(r"location /protected-exports/ \{\s*internal;", site)
    assert _template()["EXPORT_ACCEL_REDIRECT_PREFIX"] == "/protected-exports/"
    assert "ssl_protocols TLSv1.2 TLSv1.3;" in site

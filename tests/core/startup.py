"""Start the tracker the way a server does: a fresh Python process with only the environment given."""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REQUIRED_IN_PRODUCTION = (
    "DJANGO_SECRET_KEY",
    "FIELD_ENCRYPTION_KEYS",
    "AUDIT_HMAC_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DATABASE_URL",
    "AUDIT_CHECKPOINT_DIR",
)


def fernet_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def production_env(folder: Path) -> dict[str, str]:
    """Everything production needs (a throw-away SQLite file in ``folder`` as its database)."""
    return {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "FIELD_ENCRYPTION_KEYS": f"{fernet_key()},{fernet_key()}",
        "AUDIT_HMAC_KEY": secrets.token_hex(32),
        "DJANGO_ALLOWED_HOSTS": "ctip.odpp.go.ke,ctip-internal.odpp.go.ke",
        "DATABASE_URL": f"sqlite:///{folder / 'production.sqlite3'}",
        "DJANGO_LOCAL_DIR": str(folder / "local"),
        "AUDIT_CHECKPOINT_DIR": str(folder / "audit-checkpoints"),
    }


def run_python(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run ``python *args`` in the project folder with ``env`` and nothing inherited but the basics."""
    clean = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    clean["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120
    )


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run_python(["manage.py", *args], env)

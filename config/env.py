"""Reading configuration from the environment, and the development keys kept in ``.local/``.

Production (``DJANGO_DEBUG=0``) must be given every secret; development generates them once
into an ignored folder so that a fresh clone runs with nothing set.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    """The variable's value, or ``default`` when it is unset or blank."""
    value = os.environ.get(name, "").strip()
    return value if value else default


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(f"{name} must be 1/0, true/false, yes/no or on/off, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = env_str(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = env_str(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def require(name: str) -> str:
    """The value of a variable production cannot run without; stops start-up naming it."""
    value = env_str(name)
    if value is None:
        raise ImproperlyConfigured(
            f"The environment variable {name} is required when DJANGO_DEBUG=0. "
            f"Set it before starting the tracker (see README.md, Configuration)."
        )
    return value


def fernet_keys(name: str, keys: list[str]) -> list[str]:
    """``keys`` after checking each is a Fernet key (32 bytes, URL-safe base64), stopping start-up if not.

    The first key encrypts; every key decrypts, so a new key is put first and the old ones kept
    until the data has been re-encrypted. The message never repeats a key.
    """
    if not keys:
        raise ImproperlyConfigured(f"{name} must hold at least one key (comma-separated for rotation).")
    for position, key in enumerate(keys, start=1):
        try:
            raw = base64.urlsafe_b64decode(key.encode("ascii"))
        except (ValueError, binascii.Error):
            raw = b""
        if len(raw) != 32:
            raise ImproperlyConfigured(
                f"{name}: key number {position} is not a Fernet key (32 bytes, URL-safe base64). Generate one "
                'with: python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
            )
    return keys


def _new_fernet_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def development_keys(folder: Path) -> dict[str, str]:
    """Keys for local development, generated on first use and kept in ``folder`` (git-ignored)."""
    path = folder / "dev-keys.json"
    if path.exists():
        keys: dict[str, str] = json.loads(path.read_text())
    else:
        keys = {}
    wanted = {
        "DJANGO_SECRET_KEY": lambda: secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEYS": _new_fernet_key,
        "AUDIT_HMAC_KEY": lambda: secrets.token_hex(32),
    }
    missing = {name: make() for name, make in wanted.items() if name not in keys}
    if missing:
        keys.update(missing)
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(keys, indent=2))
        path.chmod(0o600)
    return keys

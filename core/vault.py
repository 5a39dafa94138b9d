"""The identity vaults' cryptography, shared by every vault (witness identities, victims' names and contact
details): Fernet encryption at rest with rotatable keys.

Keys come from ``settings.FIELD_ENCRYPTION_KEYS`` (a list of Fernet keys): the first encrypts, all
decrypt, so a new key put first starts a rotation and ``manage.py rotate_identity_keys`` finishes it.

A value read from the database is never decrypted on load: it arrives as a ``Sealed`` token that shows
as "(protected)" wherever it is printed — a template, the History tab, the admin, a log line, an error
page. Only a vault's services (``witnesses.services.identities``, ``victims.services``) open a sealed value,
after recording who reads it and why.
"""

from __future__ import annotations

from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

from core.exceptions import DomainError

MASK = "(protected)"


class VaultError(DomainError):
    """A vault cannot do its work with the keys it was given."""


class VaultNotConfigured(VaultError):
    """No encryption key is configured."""

    def __init__(self) -> None:
        super().__init__(
            "No encryption key is configured (FIELD_ENCRYPTION_KEYS is empty), so identities cannot be read "
            "or written. Ask the system administrator to restore the keys."
        )


class CannotDecrypt(VaultError):
    """The stored ciphertext does not open with any configured key (a wrong or missing key)."""

    def __init__(self) -> None:
        super().__init__(
            "This identity cannot be decrypted with the configured keys (FIELD_ENCRYPTION_KEYS). The key it was "
            "encrypted with is missing or wrong; ask the system administrator to restore it."
        )


def _keys() -> list[str]:
    keys: list[str] = list(getattr(settings, "FIELD_ENCRYPTION_KEYS", []) or [])
    return [key for key in keys if key]


def cipher() -> MultiFernet:
    """The configured keys, newest (first) encrypting, all decrypting."""
    keys = _keys()
    if not keys:
        raise VaultNotConfigured
    try:
        return MultiFernet([Fernet(key.encode() if isinstance(key, str) else key) for key in keys])
    except (ValueError, TypeError) as error:
        raise VaultNotConfigured from error


def encrypt(plaintext: str) -> str:
    return cipher().encrypt(plaintext.encode("utf-8")).decode("ascii")


class Sealed:
    """An encrypted value as stored: prints as a mask, compares by ciphertext, opens only through ``open``."""

    __slots__ = ("token",)

    def __init__(self, token: str) -> None:
        self.token = token

    def __str__(self) -> str:
        return MASK

    def __repr__(self) -> str:
        return "<Sealed (protected)>"

    def __format__(self, spec: str) -> str:
        return MASK

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sealed) and other.token == self.token

    def __hash__(self) -> int:
        return hash(("sealed", self.token))

    def open(self) -> str:
        """The plaintext. Call only from the vault services, after the read has been recorded."""
        try:
            return cipher().decrypt(self.token.encode("ascii")).decode("utf-8")
        except (InvalidToken, ValueError, UnicodeError) as error:
            raise CannotDecrypt from error

    def opens(self) -> bool:
        """True when a configured key opens the value (a key check; the plaintext is discarded)."""
        try:
            self.open()
        except VaultError:
            return False
        return True

    def rotated(self) -> Sealed:
        """The same plaintext re-encrypted under the newest key, without the plaintext leaving Fernet."""
        try:
            return Sealed(cipher().rotate(self.token.encode("ascii")).decode("ascii"))
        except (InvalidToken, ValueError) as error:
            raise CannotDecrypt from error

    def encrypted_with(self, key: str) -> bool:
        try:
            Fernet(key.encode()).decrypt(self.token.encode("ascii"))
        except (InvalidToken, ValueError):
            return False
        return True


class EncryptedTextField(models.TextField):
    """Text encrypted at rest with the vault keys. Reads give a ``Sealed`` value, never plaintext.

    Assign plaintext (a ``str``) to change it; the database — and the history table, which copies the
    field — only ever receives ciphertext. History views show "changed", never the values.
    """

    masked_in_history = True

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Sealed | None:
        if value is None or value == "":
            return None
        return Sealed(value)

    def to_python(self, value: Any) -> Any:
        if value is None or isinstance(value, Sealed):
            return value
        return str(value)

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        """Seal plaintext on the instance before it is written, so the row and the history row written
        after it carry the same ciphertext, and the instance no longer holds the plaintext."""
        value = getattr(model_instance, self.attname)
        if isinstance(value, str) and value != "":
            value = Sealed(encrypt(value))
            setattr(model_instance, self.attname, value)
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None or value == "":
            return ""
        if isinstance(value, Sealed):
            return value.token
        return encrypt(str(value))

    def value_to_string(self, obj: Any) -> str:
        return MASK

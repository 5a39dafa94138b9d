"""The vault: ciphertext only at rest (main and history tables), clear errors with wrong or missing keys,
and key rotation."""

from __future__ import annotations

import logging

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests.witnesses.factories import markers, with_identity
from witnesses import services
from witnesses.exceptions import CannotDecrypt, VaultNotConfigured
from witnesses.models import Identity
from witnesses.vault import Sealed

pytestmark = pytest.mark.django_db


def raw_rows(table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")
        return cursor.fetchall()


def raw_text(table: str) -> str:
    return repr(raw_rows(table))


def test_the_database_holds_no_plaintext_in_the_identity_or_its_history(witness, liaison) -> None:
    with_identity(witness, liaison, "RAW1")
    services.save_identity(witness, liaison, phone="+254700CANARYRAW1NEWPHONE", reason="New number")
    for table in ("witnesses_identity", "witnesses_historicalidentity"):
        text = raw_text(table)
        assert "CANARY" not in text, table
        assert "gAAAA" in text  # Fernet tokens
    assert len(raw_rows("witnesses_historicalidentity")) == 2


def test_loaded_values_stay_sealed_and_print_as_a_mask(witness, liaison) -> None:
    with_identity(witness, liaison, "SEAL")
    identity = Identity.objects.get(witness=witness)
    assert isinstance(identity.full_name, Sealed)
    assert str(identity.full_name) == "(protected)" and "CANARY" not in repr(identity.full_name)
    assert f"{identity.full_name}" == "(protected)"
    assert "CANARY" not in str(identity) and witness.code in str(identity)
    assert identity.full_name.open() == markers("SEAL")["full_name"]


def test_a_wrong_key_gives_a_clear_error_not_garbage(witness, liaison, settings) -> None:
    with_identity(witness, liaison, "WRONG")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(CannotDecrypt, match="cannot be decrypted with the configured keys"):
        services.reveal_identity(witness, liaison, "Checking the vault after a restore")


def test_a_missing_key_gives_a_clear_error(witness, liaison, settings) -> None:
    with_identity(witness, liaison, "MISS")
    settings.FIELD_ENCRYPTION_KEYS = []
    with pytest.raises(VaultNotConfigured, match="No encryption key is configured"):
        services.reveal_identity(witness, liaison, "Checking the vault after a restore")
    with pytest.raises(VaultNotConfigured):
        services.save_identity(witness, liaison, phone="123", reason="x")


def test_logs_carry_no_identity_during_saves_reveals_and_failures(witness, liaison, settings, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    with_identity(witness, liaison, "LOG")
    services.reveal_identity(witness, liaison, "Preparing the witness for court")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(CannotDecrypt):
        services.reveal_identity(witness, liaison, "Preparing the witness for court")
    assert caplog.records, "the vault logs what happens (by code)"
    assert "CANARY" not in caplog.text
    assert witness.code in caplog.text


def test_rotation_re_encrypts_everything_under_the_newest_key_through_saves(witness, liaison, settings) -> None:
    old = settings.FIELD_ENCRYPTION_KEYS[0]
    with_identity(witness, liaison, "ROT")
    new = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    history_before = Identity.history.filter(witness_id=witness.pk).count()

    call_command("rotate_identity_keys")

    identity = Identity.objects.get(witness=witness)
    for name in Identity.ENCRYPTED_FIELDS:
        assert getattr(identity, name).encrypted_with(new)
        assert not getattr(identity, name).encrypted_with(old)
    latest = Identity.history.filter(witness_id=witness.pk).latest("history_date")
    assert Identity.history.filter(witness_id=witness.pk).count() == history_before + 1
    assert latest.history_change_reason == "Re-encrypted under the newest key"
    assert latest.full_name.encrypted_with(new)

    settings.FIELD_ENCRYPTION_KEYS = [new]  # the old key retired: everything still opens
    assert (
        services.reveal_identity(witness, liaison, "Checking after the rotation").full_name
        == markers("ROT")["full_name"]
    )


def test_rotation_with_a_wrong_key_stops_with_a_clear_message(witness, liaison, settings) -> None:
    with_identity(witness, liaison, "ROTX")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(CommandError, match="cannot be decrypted"):
        call_command("rotate_identity_keys")

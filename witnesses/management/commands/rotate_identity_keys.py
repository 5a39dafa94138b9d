"""Re-encrypt every protected identity under the newest key of FIELD_ENCRYPTION_KEYS.

Rotation: put a new key first in FIELD_ENCRYPTION_KEYS (keep the old ones after it), restart, run this
command, then remove the old keys. Each identity is re-saved, so its history records the re-encryption.
History rows keep the ciphertext they were written with (the audit chain signs them and nothing
decrypts them); once an old key is removed, the values in those rows can no longer be read by anyone.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from witnesses.exceptions import VaultError
from witnesses.services import rotate_identity_keys


class Command(BaseCommand):
    help = "Re-encrypt every witness identity under the newest key in FIELD_ENCRYPTION_KEYS."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            count = rotate_identity_keys()
        except VaultError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            ngettext(
                "Re-encrypted %(count)s identity under the newest key.",
                "Re-encrypted %(count)s identities under the newest key.",
                count,
            )
            % {"count": count}
        )

"""The identity vault: entering and correcting an identity, reading it (recorded first), key rotation.

Only ciphertext reaches the database and the history table; reading an identity records an
``IdentityAccess`` (who, when, purpose) before anything is decrypted.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import User
from witnesses import access
from witnesses.exceptions import InvalidWitnessDetails, NoIdentityOnFile, PurposeRequired, VaultError
from witnesses.models import Identity, IdentityAccess, Witness
from witnesses.services.common import lock, logger, reason_given, require
from witnesses.vault import Sealed, cipher

MIN_PURPOSE_LENGTH = 10


@dataclass(frozen=True)
class RevealedIdentity:
    """The plaintext of an identity, for one response to the liaison who asked. Never stored."""

    full_name: str
    id_number: str
    phone: str
    address: str
    next_of_kin: str


@transaction.atomic
def save_identity(
    witness: Witness,
    user: User,
    *,
    full_name: str = "",
    id_number: str = "",
    phone: str = "",
    address: str = "",
    next_of_kin: str = "",
    reason: str = "",
) -> Identity:
    """Enter a witness's identity, or correct it: on a correction, blank fields keep their value and a
    reason is required. Only ciphertext reaches the database and the history table."""
    require(access.can_write_identity(user), _("Only a witness protection liaison may enter an identity."))
    cipher()  # no key configured: refuse clearly before anything is written
    locked = lock(witness)
    values = {
        "full_name": full_name.strip(),
        "id_number": id_number.strip(),
        "phone": phone.strip(),
        "address": address.strip(),
        "next_of_kin": next_of_kin.strip(),
    }
    identity = Identity.objects.filter(witness=locked).first()
    if identity is None:
        if not values["full_name"]:
            raise InvalidWitnessDetails(_("Enter the witness's real name."), "full_name")
        identity = Identity(witness=locked, witness_code=locked.code, **values)
        identity.save_as(user, (reason or "").strip() or "Identity entered")
    else:
        changed = [name for name, value in values.items() if value]
        if not changed:
            raise InvalidWitnessDetails(_("Enter at least one corrected detail."))
        for name in changed:
            setattr(identity, name, values[name])
        identity.save_as(user, reason_given(reason), update_fields=[*changed, "updated_at"])
    identity.refresh_from_db()  # the instance holds sealed values again, not the plaintext just typed
    logger.info("Identity of witness %s saved by user %s", locked.code, user.pk)
    return identity


def record_identity_access(witness: Witness, user: User, purpose: str) -> IdentityAccess:
    """Record who reads the witness's identity and why: its own transaction, committed before any
    decryption, so even a failed reading stays on the log."""
    require(access.can_read_identity(user), _("Only a witness protection liaison may read an identity."))
    purpose = (purpose or "").strip()
    if len(purpose) < MIN_PURPOSE_LENGTH:
        raise PurposeRequired(
            _("State the purpose of reading this identity (at least %(number)s characters).")
            % {"number": MIN_PURPOSE_LENGTH}
        )
    with transaction.atomic():
        if not Identity.objects.filter(witness=witness).exists():
            raise NoIdentityOnFile(_("No identity is on file for %(code)s.") % {"code": witness.code})
        entry = IdentityAccess(witness=witness, accessed_by=user, accessed_at=timezone.now(), purpose=purpose)
        entry.save_as(user, "Identity read")
    logger.info("Identity of witness %s read by user %s", witness.code, user.pk)
    return entry


def reveal_identity(witness: Witness, user: User, purpose: str) -> RevealedIdentity:
    """The identity in plaintext, for a liaison who states a purpose. The access is recorded first."""
    record_identity_access(witness, user, purpose)
    identity = Identity.objects.get(witness=witness)

    def opened(value: Sealed | None) -> str:
        return value.open() if value is not None else ""

    try:
        return RevealedIdentity(**{name: opened(getattr(identity, name)) for name in Identity.ENCRYPTED_FIELDS})
    except VaultError:
        logger.error("Identity of witness %s could not be decrypted with the configured keys", witness.code)
        raise


def identity_readable(identity: Identity) -> bool:
    """True when every stored value opens with the configured keys (nothing is shown)."""
    return all(
        value.opens() for name in Identity.ENCRYPTED_FIELDS if isinstance(value := getattr(identity, name), Sealed)
    )


def rotate_identity_keys(user: User | None = None) -> int:
    """Re-encrypt every identity under the newest key (through saves, so the history records it).

    History rows keep the ciphertext they were written with: the audit chain signs them, so rewriting
    them would break tamper evidence, and nothing ever decrypts them (history shows "changed"). Once an
    old key is removed, the values in those old history rows are unreadable for good.
    """
    rotated = 0
    for pk in list(Identity.objects.order_by("pk").values_list("pk", flat=True)):
        with transaction.atomic():
            identity = Identity.objects.select_for_update().get(pk=pk)
            fields = []
            for name in Identity.ENCRYPTED_FIELDS:
                value = getattr(identity, name)
                if isinstance(value, Sealed):
                    setattr(identity, name, value.rotated())
                    fields.append(name)
            if fields:
                identity.save_as(user, "Re-encrypted under the newest key", update_fields=[*fields, "updated_at"])
                rotated += 1
    return rotated

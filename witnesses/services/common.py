"""What every witness service shares: the access check, the reason, the row lock, and the log."""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _

from witnesses.exceptions import InvalidWitnessDetails, NotAllowed
from witnesses.models import Witness

# One logger for every witness service (by code and user id, never an identity).
logger = logging.getLogger("witnesses.services")


def require(condition: bool, message: str) -> None:
    """Refuse (``NotAllowed``) unless the user's role and reach allow what they asked."""
    if not condition:
        raise NotAllowed(message)


def reason_given(reason: str, field: str = "reason") -> str:
    """The reason, stripped; refused when blank."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidWitnessDetails(_("Give the reason."), field)
    return reason


def lock(witness: Witness) -> Witness:
    """The witness re-read under a row lock, so concurrent changes queue rather than interleave."""
    return Witness.objects.select_for_update().get(pk=witness.pk)

"""What can go wrong with a witness record. Every error is a ``core.exceptions.DomainError``: the message
is written for the user, ``field`` names the form field it belongs to.

A date in the future is the error every app shares (``core.exceptions.InvalidDate``); it is named here
too.
"""

from __future__ import annotations

from core.exceptions import DomainError, InvalidDate
from core.vault import CannotDecrypt, VaultError, VaultNotConfigured

__all__ = [
    "CannotDecrypt",
    "IllegalProtectionMove",
    "InvalidDate",
    "InvalidWitnessDetails",
    "MeasureNotAllowed",
    "NoIdentityOnFile",
    "NotAllowed",
    "ProtectionGuardFailed",
    "PurposeRequired",
    "VaultError",
    "VaultNotConfigured",
    "WitnessError",
]


class WitnessError(DomainError):
    """Something about a witness record is not acceptable."""


class NotAllowed(WitnessError):
    """The user's role or reach does not allow this."""


class InvalidWitnessDetails(WitnessError):
    """A detail is missing or malformed."""


class IllegalProtectionMove(WitnessError):
    """The protection status may not move from where it is to where it was asked to go."""

    field = "to_status"


class ProtectionGuardFailed(WitnessError):
    """The move is allowed, but what it needs (a risk assessment, a ground, a reason) is missing."""


class MeasureNotAllowed(WitnessError):
    """The measure does not fit the witness's protection status or its own details."""


class PurposeRequired(WitnessError):
    """An identity was asked for without a stated purpose."""

    field = "purpose"


class NoIdentityOnFile(WitnessError):
    """There is no identity to read."""

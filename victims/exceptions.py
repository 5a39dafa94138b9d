"""What can go wrong in the victims register. Every error is a ``core.exceptions.DomainError``: the
message is written for the user, ``field`` names the form field it belongs to."""

from __future__ import annotations

from core.exceptions import DomainError, InvalidDate

__all__ = ["InvalidDate", "InvalidVictimDetails", "NoIdentityOnFile", "NotAllowed", "PurposeRequired", "VictimError"]


class VictimError(DomainError):
    """Something about a victim record is not acceptable."""


class NotAllowed(VictimError):
    """The user's role or reach does not allow this."""


class InvalidVictimDetails(VictimError):
    """A detail is missing, malformed or out of range."""


class PurposeRequired(VictimError):
    """An identity was asked for without a stated purpose."""

    field = "purpose"


class NoIdentityOnFile(VictimError):
    """There is no identity to read."""

"""The base of every domain error, and the errors every app shares. Services raise them; forms show them
as form errors. Each domain app keeps its own errors in its ``exceptions.py``, derived from these."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain was broken; the message is written for the user who broke it.

    ``field`` names the form field the error belongs to, or ``None`` for the whole form.
    """

    field: str | None = None

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if field is not None:
            self.field = field


class InvalidDate(DomainError):
    """A date in the future for something that has already happened, or dates in an impossible order."""


class InvalidAmount(DomainError):
    """An amount that must be more than zero was zero or negative (or not in whole cents)."""

    field = "amount"


class UploadRefused(DomainError):
    """An uploaded file refused before it is read: too large, too many rows, or an archive that would
    expand far beyond its size (a decompression bomb) — ``core.uploads``."""

    field = "file"


class StaleRecord(DomainError):
    """A form was sent for a version of its record other than the current one: someone changed the record
    after the form was opened (``core.versioning``). The message says what changed, by whom and when."""


class GrantError(DomainError):
    """A role grant that cannot be asked for, decided or revoked as asked (``core.grants``)."""


class NotAnAccessAdministrator(GrantError):
    """Only an access administrator asks for, decides or revokes role grants."""


class UnknownRole(GrantError):
    field = "role"


class InactiveAccount(GrantError):
    """Roles are not given to an account that is switched off."""

    field = "user"


class RoleAlreadyHeld(GrantError):
    """The person already holds the role, or a request for it already awaits approval."""

    field = "role"


class OwnGrantDecision(GrantError):
    """The access administrator who asked for a grant, or the person it is for, cannot decide it."""


class GrantNotAwaitingDecision(GrantError):
    """Only a grant awaiting approval can be approved or rejected."""


class GrantNotInForce(GrantError):
    """Only a grant in force can be revoked."""


class LastAccessAdministrator(GrantError):
    """Revoking this grant would leave nobody able to grant roles."""


class AccessAdministratorExists(GrantError):
    """The console may name the first access administrator only; after that, grants go through them."""


class ReasonRequired(GrantError):
    field = "reason"

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

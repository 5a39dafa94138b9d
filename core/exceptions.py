"""The base of every domain error. Services raise them; forms show them as form errors."""

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

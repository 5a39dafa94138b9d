"""The errors of notifications."""

from __future__ import annotations

from core.exceptions import DomainError


class NotificationError(DomainError):
    """A notification or a preference refused (someone else's, an unknown choice)."""

"""What goes wrong with work that runs by itself."""

from __future__ import annotations

from core.exceptions import DomainError


class CheckFailed(DomainError):
    """A scheduled check found something wrong (the audit record, the stored documents): the run fails and
    shows as failed on the Scheduled jobs page."""


class ExportNotReady(DomainError):
    """A background export asked for before a worker has finished preparing it."""

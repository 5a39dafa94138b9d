"""Who sees the work that runs by itself: the Scheduled jobs page is the unit head's and the auditors'; a
background export belongs to the user who asked for it, and nobody else."""

from __future__ import annotations

from django.db.models import QuerySet

from core.access import AnyUser, roles_of
from core.roles import Role
from jobs.models import BackgroundExport

SCHEDULE_READERS: frozenset[str] = frozenset({Role.UNIT_HEAD, Role.AUDITOR})


def exports_of(user: AnyUser) -> QuerySet[BackgroundExport]:
    """The background exports this user asked for (none for anonymous users or users with no role)."""
    if not roles_of(user):
        return BackgroundExport.objects.none()
    return BackgroundExport.objects.filter(requested_by_id=user.pk)

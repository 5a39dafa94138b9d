"""Read-only questions the notifications pages and the bell ask."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from core.access import AnyUser
from core.models import User
from core.roles import ALL_ROLES
from notifications.choices import OutboxStatus
from notifications.models import Notification, OutboxEmail


def unread_count(user: AnyUser) -> int:
    """The number on the bell (one query)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.visible_to(user).filter(read_at__isnull=True).count()


def people_without_email() -> QuerySet[User]:
    """Active people holding a role with no e-mail address: they are told in the tracker only."""
    return User.objects.holding(ALL_ROLES).filter(email="").order_by("last_name", "first_name", "username")


def outbox_summary(viewer: AnyUser) -> dict[str, int]:
    """Queued, delayed (refused at least once) and sent e-mails, in one query."""
    return OutboxEmail.objects.visible_to(viewer).aggregate(
        queued=Count("pk", filter=Q(status=OutboxStatus.QUEUED)),
        delayed=Count("pk", filter=Q(status=OutboxStatus.QUEUED, attempts__gt=0)),
        sent=Count("pk", filter=Q(status=OutboxStatus.SENT)),
    )


def delayed_outbox(viewer: AnyUser, limit: int = 50) -> QuerySet[OutboxEmail]:
    return (
        OutboxEmail.objects.visible_to(viewer)
        .filter(status=OutboxStatus.QUEUED, attempts__gt=0)
        .select_related("recipient")
        .order_by("next_attempt_at", "id")[:limit]
    )

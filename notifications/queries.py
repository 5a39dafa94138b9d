"""Read-only questions the notifications pages and the bell ask."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from core.access import AnyUser
from core.models import User
from core.roles import ALL_ROLES
from notifications.choices import OutboxStatus
from notifications.models import Notification, OutboxEmail

# The attribute the signed-in user carries their unread count in (``unread_count_expression``).
UNREAD_ON_USER = "unread_notifications"


def unread_count(user: AnyUser) -> int:
    """The number on the bell: loaded with the signed-in user (``unread_count_expression``), or one query."""
    if not getattr(user, "is_authenticated", False):
        return 0
    loaded: int | None = getattr(user, UNREAD_ON_USER, None)
    if loaded is not None:
        return loaded
    return Notification.objects.visible_to(user).filter(read_at__isnull=True).count()


def unread_count_expression() -> Coalesce:
    """A user's unread notifications, over the user's row: read with the signed-in user of each request
    (``core.registry.register_user_figure``) — their own notifications, as the scope rule allows them."""
    unread = (
        Notification.objects.filter(recipient_id=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(unread, output_field=IntegerField()), Value(0))


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

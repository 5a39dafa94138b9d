"""Who sees which notifications: each person their own. The unit head also sees who cannot be e-mailed
and what the outbox holds (addresses and subjects, never bodies)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from core.access import SIGNED_IN, AnyUser, PageAccess, has_role
from core.querysets import scope_rule
from core.roles import Role
from notifications.models import Notification, NotificationPreference, OutboxEmail

DELIVERY_OVERSEERS: frozenset[str] = frozenset({Role.UNIT_HEAD})

OWN_PAGE = PageAccess(opens=frozenset({SIGNED_IN}))  # every signed-in user, about their own notifications
DELIVERY_PAGE = PageAccess(opens=DELIVERY_OVERSEERS)


def _own(rows: QuerySet[Any], user: AnyUser) -> QuerySet[Any]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return rows.none()
    return rows.filter(**{"recipient_id" if rows.model is not NotificationPreference else "user_id": user.pk})


@scope_rule(Notification)
def _visible_notifications(rows: QuerySet[Notification], user: AnyUser) -> QuerySet[Notification]:
    """A person's own notifications, and nobody else's — whatever their roles."""
    return _own(rows, user)


@scope_rule(NotificationPreference)
def _visible_preferences(rows: QuerySet[NotificationPreference], user: AnyUser) -> QuerySet[NotificationPreference]:
    return _own(rows, user)


@scope_rule(OutboxEmail)
def _visible_outbox(rows: QuerySet[OutboxEmail], user: AnyUser) -> QuerySet[OutboxEmail]:
    """The unit head oversees delivery; everyone else sees the e-mails addressed to them."""
    if has_role(user, DELIVERY_OVERSEERS):
        return rows
    return _own(rows, user)


def may_oversee_delivery(user: AnyUser) -> bool:
    return has_role(user, DELIVERY_OVERSEERS)

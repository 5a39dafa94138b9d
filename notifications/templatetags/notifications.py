"""``{% notification_bell %}``: the bell in the top bar with the number of my unread notifications, read with
the signed-in user (``notifications.queries.unread_count``), on an index of the recipient and the read time."""

from __future__ import annotations

from typing import Any

from django import template

from notifications.queries import unread_count

register = template.Library()


@register.inclusion_tag("notifications/_bell.html", takes_context=True)
def notification_bell(context: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"unread": unread_count(user) if user is not None else 0}

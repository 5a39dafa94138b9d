"""Preservation deadlines: orders about to expire, and expired ones with no forfeiture application.

An asset is on the list while it is ``preserved`` (no forfeiture application yet) and its current
preservation order — the one expiring last — expires within the window or already has. Recording the
forfeiture application, a forfeiture order, a release or the lapse takes it off.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from assets.choices import AssetStatus, OrderType
from assets.models import Asset, CourtOrder
from core.access import AnyUser, has_role
from core.querysets import ScopedQuerySet
from core.roles import Role


def warning_days() -> int:
    days: int = settings.ASSET_DEADLINE_WARNING_DAYS
    return days


def latest_preservation_expiry() -> Subquery:
    """For an ``Asset`` queryset: the expiry of its current preservation order."""
    return Subquery(
        CourtOrder.objects.filter(asset=OuterRef("pk"), order_type=OrderType.PRESERVATION)
        .order_by("-expires_on", "-id")
        .values("expires_on")[:1]
    )


def expiring_assets(assets: QuerySet[Asset], within: int, today: dt.date | None = None) -> QuerySet[Asset]:
    """Preserved assets whose preservation order expires within ``within`` days (or has expired)."""
    limit = (today or timezone.localdate()) + dt.timedelta(days=within)
    return assets.filter(status=AssetStatus.PRESERVED).filter(
        pk__in=Asset.objects.annotate(expiry=latest_preservation_expiry()).filter(expiry__lte=limit).values("pk")
    )


def deadline_orders(within: int | None = None, today: dt.date | None = None) -> ScopedQuerySet[CourtOrder]:
    """The current preservation orders of preserved assets that expire within ``within`` days or have
    expired (every one when ``within`` is None), soonest first, with the asset and case loaded."""
    current = (
        CourtOrder.objects.filter(asset=OuterRef("asset"), order_type=OrderType.PRESERVATION)
        .order_by("-expires_on", "-id")
        .values("pk")[:1]
    )
    orders = CourtOrder.objects.filter(
        order_type=OrderType.PRESERVATION, asset__status=AssetStatus.PRESERVED, pk=Subquery(current)
    )
    if within is not None:
        orders = orders.filter(expires_on__lte=(today or timezone.localdate()) + dt.timedelta(days=within))
    return orders.select_related(
        "asset", "asset__case", "asset__case__lead_prosecutor", "asset__case__county", "court"
    ).order_by("expires_on", "asset__reference")


def deadline_orders_for(user: AnyUser, within: int | None = None, today: dt.date | None = None) -> QuerySet[CourtOrder]:
    """The deadlines a user's home page shows: all for the unit head, their own cases for a lead prosecutor."""
    orders = deadline_orders(warning_days() if within is None else within, today)
    if has_role(user, [Role.UNIT_HEAD]):
        return orders
    if has_role(user, [Role.PROSECUTOR]):
        return orders.filter(asset__case__lead_prosecutor_id=user.pk)
    return orders.none()


def days_left(order: CourtOrder, today: dt.date | None = None) -> int:
    """Days until the order expires; negative once it has."""
    assert order.expires_on is not None
    return (order.expires_on - (today or timezone.localdate())).days

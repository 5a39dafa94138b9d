"""What the assets app shows on other pages, as plain data: the deadline panel of the home page, the
Assets tab and the asset events of the case page. ``registrations`` registers these; no view runs here."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, Sum
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from assets import reports
from assets.access import can_record_seizure
from assets.choices import FORFEITED_STATUSES, OrderType
from assets.deadlines import deadline_orders_for, latest_preservation_expiry, warning_days
from assets.models import Asset, AssetStatusChange, CourtOrder, Realisation
from core.access import AnyUser
from core.guards import today as local_today
from prosecutions.models import Case
from prosecutions.registry import TimelineEvent

PANEL_LIMIT = 8
ZERO = Decimal("0")


def deadline_panel_context(user: AnyUser) -> dict[str, Any]:
    """The lead prosecutor's own deadlines, or every deadline for the unit head."""
    within = warning_days()
    today = local_today()
    orders = list(deadline_orders_for(user, within, today)[: PANEL_LIMIT + 1])
    rows = [(order, (order.expires_on - today).days) for order in orders[:PANEL_LIMIT] if order.expires_on]
    # One query gives both the chart's weeks and the count behind "and N more" (the deadline query is
    # the expensive part of this panel, so it is not run a third time).
    horizon = max(within, reports.DEADLINE_WEEKS * 7)
    expiries = reports.deadline_expiries(deadline_orders_for(user, horizon, today))
    total = sum(1 for day in expiries if (day - today).days <= within)
    more = total - PANEL_LIMIT if len(orders) > PANEL_LIMIT else 0
    chart = reports.deadlines_by_week_chart(expiries, today)
    return {"orders": rows, "within": within, "more": more, "chart": chart}


def case_assets_context(case: Case, user: AnyUser) -> dict[str, Any]:
    """The Assets tab of a case: its assets and the totals in KES (seized, forfeited, realised)."""
    case_assets = Asset.objects.visible_to(user).filter(case=case)
    assets = list(
        case_assets.select_related("owner")
        .annotate(preservation_expires_on=latest_preservation_expiry())
        .order_by("seized_on", "id")
    )
    sums = case_assets.aggregate(
        seized=Sum("estimated_value_kes"),
        forfeited=Sum("estimated_value_kes", filter=Q(status__in=FORFEITED_STATUSES)),
    )
    realised = (
        Realisation.objects.visible_to(user).filter(asset__case=case).aggregate(total=Sum("net_proceeds_kes"))["total"]
    )
    can_record = can_record_seizure(user, case)
    return {
        "case_assets": {
            "assets": assets,
            "totals": {
                "seized": sums["seized"] or ZERO,
                "forfeited": sums["forfeited"] or ZERO,
                "realised": realised or ZERO,
            },
            "can_record": can_record,
            "create_url": reverse("assets:asset_create", args=[case.pk]) if can_record else "",
        }
    }


def asset_timeline(case: Case) -> list[TimelineEvent]:
    """Asset events on the case timeline: every status move and every court order (two queries)."""
    events: list[TimelineEvent] = []
    for change in AssetStatusChange.objects.filter(asset__case=case).select_related("asset"):
        values = {
            "reference": change.asset.reference,
            "description": change.asset.description,
            "from_status": change.get_from_status_display(),
            "to_status": change.get_to_status_display(),
        }
        text = (
            _("%(reference)s %(description)s: %(from_status)s → %(to_status)s") % values
            if change.from_status
            else _("%(reference)s %(description)s: %(to_status)s") % values
        )
        events.append(
            TimelineEvent(
                date=change.effective_on,
                # Translators: the kind of a line on the case timeline (translated where it is shown).
                kind=gettext_noop("Asset"),
                text=text,
                url=change.asset.get_absolute_url(),
            )
        )
    for order in CourtOrder.objects.filter(asset__case=case).select_related("asset"):
        values = {
            "order_type": order.get_order_type_display(),
            "number": order.order_number,
            "reference": order.asset.reference,
            "date": date_format(order.expires_on, "d M Y") if order.expires_on else "",
        }
        text = (
            _("%(order_type)s %(number)s over %(reference)s, expires %(date)s") % values
            if order.order_type == OrderType.PRESERVATION
            else _("%(order_type)s %(number)s over %(reference)s") % values
        )
        events.append(
            TimelineEvent(
                date=order.granted_on,
                kind=gettext_noop("Asset order"),
                text=text,
                url=order.get_absolute_url(),
            )
        )
    return events


def case_file_assets_context(case: Case, user: AnyUser) -> dict[str, Any]:
    """The assets of a case and the court orders over them, for the printable case file: three queries
    (assets with their owner and sale, their orders, nothing per row)."""
    orders = CourtOrder.objects.visible_to(user).select_related("court").order_by("granted_on", "id")
    assets = list(
        Asset.objects.visible_to(user)
        .filter(case=case)
        .select_related("owner", "realisation")
        .prefetch_related(Prefetch("orders", queryset=orders))
        .order_by("seized_on", "id")
    )
    return {
        "assets": assets,
        "total_seized": sum((a.estimated_value_kes for a in assets), ZERO),
        "total_forfeited": sum((a.estimated_value_kes for a in assets if a.status in FORFEITED_STATUSES), ZERO),
    }

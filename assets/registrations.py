"""What the assets app adds elsewhere: navigation, the deadline panel on the home page, the Assets
tab and timeline events on the case page, and its step of the demo seed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone

from assets import reports  # registers the asset recovery report; draws the deadline chart
from assets.access import ASSET_READERS, DEADLINE_READERS, can_read_assets, can_record_seizure
from assets.choices import FORFEITED_STATUSES, OrderType
from assets.deadlines import deadline_orders_for, latest_preservation_expiry, warning_days
from assets.models import Asset, AssetStatusChange, CourtOrder, Realisation
from core.audit.scopes import AuditScope, register_audit_scope
from core.registry import DemoSeed, NavItem, Panel, register_demo_seed, register_nav, register_panel
from core.roles import Role
from core.views.generic import Tab
from prosecutions.registry import CaseTab, TimelineEvent, register_case_tab, register_timeline_source

PANEL_LIMIT = 8

register_nav(NavItem("assets", "Assets", "assets:asset_list", ASSET_READERS, order=300))
register_nav(NavItem("deadlines", "Deadlines", "assets:deadline_list", DEADLINE_READERS, order=310))


def deadline_panel_context(user: Any) -> dict[str, Any]:
    """The lead prosecutor's own deadlines, or every deadline for the unit head."""
    within = warning_days()
    today = timezone.localdate()
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


register_panel(
    Panel(
        "asset_deadlines",
        "Preservation deadlines",
        "assets/panels/deadlines.html",
        frozenset({Role.PROSECUTOR, Role.UNIT_HEAD}),
        deadline_panel_context,
        order=40,
        has_chart=True,
    )
)


def case_assets_context(case: Any, user: Any) -> dict[str, Any]:
    """The Assets tab of a case: its assets and the totals in KES (seized, forfeited, realised)."""
    assets = list(
        Asset.objects.filter(case=case)
        .select_related("owner")
        .annotate(preservation_expires_on=latest_preservation_expiry())
        .order_by("seized_on", "id")
    )
    sums = Asset.objects.filter(case=case).aggregate(
        seized=Sum("estimated_value_kes"),
        forfeited=Sum("estimated_value_kes", filter=Q(status__in=FORFEITED_STATUSES)),
    )
    realised = Realisation.objects.filter(asset__case=case).aggregate(total=Sum("net_proceeds_kes"))["total"]
    zero = Decimal("0")
    can_record = can_record_seizure(user, case)
    return {
        "case_assets": {
            "assets": assets,
            "totals": {
                "seized": sums["seized"] or zero,
                "forfeited": sums["forfeited"] or zero,
                "realised": realised or zero,
            },
            "can_record": can_record,
            "create_url": reverse("assets:asset_create", args=[case.pk]) if can_record else "",
        }
    }


register_case_tab(
    CaseTab(
        Tab("assets", "Assets", "assets/case_tab.html"),
        get_context=case_assets_context,
        visible=can_read_assets,
        order=300,
    )
)


def asset_timeline(case: Any) -> list[TimelineEvent]:
    """Asset events on the case timeline: every status move and every court order (two queries)."""
    events: list[TimelineEvent] = []
    for change in AssetStatusChange.objects.filter(asset__case=case).select_related("asset"):
        moved = f"{change.get_from_status_display()} → " if change.from_status else ""
        events.append(
            TimelineEvent(
                date=change.effective_on,
                kind="Asset",
                text=f"{change.asset.reference} {change.asset.description}: {moved}{change.get_to_status_display()}",
                url=change.asset.get_absolute_url(),
            )
        )
    for order in CourtOrder.objects.filter(asset__case=case).select_related("asset"):
        expiry = f", expires {order.expires_on:%d %b %Y}" if order.order_type == OrderType.PRESERVATION else ""
        events.append(
            TimelineEvent(
                date=order.granted_on,
                kind="Asset order",
                text=f"{order.get_order_type_display()} {order.order_number} over {order.asset.reference}{expiry}",
                url=order.get_absolute_url(),
            )
        )
    return events


register_timeline_source("assets", asset_timeline)


def _run_demo_seed(users: dict[str, Any], out: Any) -> None:
    from assets.demo import seed_assets

    seed_assets(users, out)


register_demo_seed(DemoSeed("assets", _run_demo_seed, order=200))

# The unit head reads the history of every asset.
register_audit_scope(AuditScope("assets", frozenset({Role.UNIT_HEAD}), frozenset({"assets"})))

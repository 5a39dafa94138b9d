"""What the search box finds in the assets app: seized assets and the court orders over them."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from assets.access import ASSET_READERS
from assets.models import Asset, CourtOrder
from core.access import AnyUser
from core.search import SearchHit, SearchSource, best_matches, register_search_source

ASSET_FIELDS = ("reference", "identifier", "description")
ORDER_FIELDS = ("order_number",)


def _asset_detail(asset: Asset) -> str:
    parts = [asset.get_asset_type_display(), asset.identifier, asset.case.reference, asset.get_status_display()]
    return " · ".join(part for part in parts if part)


def find_assets(user: AnyUser, text: str, limit: int) -> Sequence[SearchHit]:
    """Assets by reference, registration / title / account number or description."""
    assets = best_matches(Asset.objects.visible_to(user).select_related("case"), ASSET_FIELDS, text)
    return [
        SearchHit(f"{asset.reference} — {asset.description}", _asset_detail(asset), asset.get_absolute_url())
        for asset in assets[:limit]
    ]


def find_orders(user: AnyUser, text: str, limit: int) -> Sequence[SearchHit]:
    """Court orders over assets, by the court's order number."""
    orders = best_matches(CourtOrder.objects.visible_to(user).select_related("asset"), ORDER_FIELDS, text)
    return [
        SearchHit(
            str(order),  # "Preservation order HCACEC Misc. Appl. E012 of 2026"
            _("%(reference)s — %(description)s · granted %(date)s")
            % {
                "reference": order.asset.reference,
                "description": order.asset.description,
                "date": date_format(order.granted_on, "d M Y"),
            },
            order.get_absolute_url(),
        )
        for order in orders[:limit]
    ]


register_search_source(SearchSource("assets", _("Assets"), ASSET_READERS, find_assets, "assets:asset_list", order=50))
register_search_source(SearchSource("court_orders", _("Court orders"), ASSET_READERS, find_orders, order=60))

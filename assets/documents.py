"""The asset records that take documents — the asset, a valuation, a court order, the realisation — with the
papers each takes. Whoever reads the asset register reads them; the asset's prosecutors (the unit head on
any) attach; the unit head withdraws one attached by mistake."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from assets.access import ASSET_READERS, ASSET_WRITERS, ASSET_WRITERS_EVERYWHERE, can_change_asset
from assets.models import Asset, CourtOrder, Realisation, Valuation
from core.roles import Role
from documents.choices import DocumentType as T
from documents.registry import RecordKind, register_record_kind


def _asset_page(asset_id: int, tab: str) -> str:
    return reverse("assets:asset_detail", args=[asset_id]) + f"?tab={tab}"


def _asset_parts(asset: Asset) -> list[Any]:
    """From the asset's upload page a paper may go to one of its court orders, valuations or its sale."""
    orders = list(asset.orders.select_related("asset").order_by("-granted_on", "-id"))
    valuations = list(asset.valuations.select_related("asset").order_by("-valued_on", "-id"))
    sale = list(Realisation.objects.filter(asset=asset).select_related("asset"))
    return [*orders, *valuations, *sale]


def _kind(**fields: Any) -> RecordKind:
    """A kind of this app's records, with the access its records share."""
    return RecordKind(
        readers=ASSET_READERS,
        attachers=ASSET_WRITERS,
        attachers_everywhere=ASSET_WRITERS_EVERYWHERE,
        withdrawers=frozenset({Role.UNIT_HEAD}),
        **fields,
    )


register_record_kind(
    _kind(
        slug="asset",
        model=Asset,
        noun=_("asset"),
        types=(T.EXHIBIT_MEMO, T.VALUATION_REPORT, T.COURT_ORDER, T.GAZETTE_NOTICE, T.OTHER),
        can_attach=can_change_asset,
        describe=lambda asset: f"{asset.reference} {asset.description}",
        record_url=lambda asset: _asset_page(asset.pk, "overview"),
        select_related=("case",),
        case_path="case",
        parts=_asset_parts,
    )
)
register_record_kind(
    _kind(
        slug="valuation",
        model=Valuation,
        noun=_("valuation"),
        types=(T.VALUATION_REPORT, T.OTHER),
        can_attach=lambda user, valuation: can_change_asset(user, valuation.asset),
        describe=lambda v: (
            _("Valuation of %(reference)s on %(date)s by %(valuer)s")
            % {"reference": v.asset.reference, "date": date_format(v.valued_on, "d M Y"), "valuer": v.valuer}
        ),
        record_url=lambda valuation: _asset_page(valuation.asset_id, "valuations"),
        select_related=("asset", "asset__case"),
        case_path="asset__case",
    )
)
register_record_kind(
    _kind(
        slug="order",
        model=CourtOrder,
        noun=_("court order"),
        types=(T.COURT_ORDER, T.GAZETTE_NOTICE, T.OTHER),
        can_attach=lambda user, order: can_change_asset(user, order.asset),
        describe=lambda order: f"{order.get_order_type_display()} {order.order_number} ({order.asset.reference})",
        record_url=lambda order: _asset_page(order.asset_id, "orders"),
        select_related=("asset", "asset__case"),
        case_path="asset__case",
    )
)
register_record_kind(
    _kind(
        slug="realisation",
        model=Realisation,
        noun=_("realisation"),
        types=(T.VALUATION_REPORT, T.INVOICE, T.PAYMENT_VOUCHER, T.BANK_SLIP, T.COURT_ORDER, T.OTHER),
        can_attach=lambda user, sale: can_change_asset(user, sale.asset),
        describe=lambda sale: (
            _("Sale of %(reference)s on %(date)s")
            % {"reference": sale.asset.reference, "date": date_format(sale.realised_on, "d M Y")}
        ),
        record_url=lambda sale: _asset_page(sale.asset_id, "realisation"),
        select_related=("asset", "asset__case"),
        case_path="asset__case",
    )
)

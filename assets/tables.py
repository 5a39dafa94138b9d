"""Column specs of the asset lists, shared by the screen and the Excel export."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.tables import Column, ColumnKind
from prosecutions.access import can_read_cases


def _owner(asset: Any) -> str:
    return asset.owner.name if asset.owner_id else ""


def _days_left(order: Any) -> int | None:
    return (order.expires_on - timezone.localdate()).days if order.expires_on else None


ASSET_COLUMNS: tuple[Column, ...] = (
    Column("reference", _("Reference"), link=True),
    Column("case", _("Case"), "case.reference", link_to="case", link_if=can_read_cases),
    Column("county", _("County"), "case.county.name"),
    Column("asset_type", _("Type"), "get_asset_type_display"),
    Column("description", _("Description")),
    Column("identifier", _("Identifier")),
    Column("owner", _("Owner"), _owner),
    Column("seized_on", _("Seized on"), kind=ColumnKind.DATE),
    Column("status", _("Status"), "get_status_display"),
    Column("currency", _("Currency")),
    Column("estimated_value", _("Estimated value"), kind=ColumnKind.DECIMAL),
    Column("estimated_value_kes", _("Estimated value (KES)"), kind=ColumnKind.MONEY),
    Column("preservation_expires_on", _("Preservation expires"), kind=ColumnKind.DATE),
    Column("destination", _("Destination"), "get_destination_display"),
)

DEADLINE_COLUMNS: tuple[Column, ...] = (
    Column("asset", _("Asset"), "asset.reference", link=True),
    Column("description", _("Description"), "asset.description"),
    Column("case", _("Case"), "asset.case.reference", link_to="asset.case", link_if=can_read_cases),
    Column("lead_prosecutor", _("Lead prosecutor"), "asset.case.lead_prosecutor"),
    Column("order_number", _("Preservation order")),
    Column("granted_on", _("Granted on"), kind=ColumnKind.DATE),
    Column("gazetted_on", _("Gazetted on"), kind=ColumnKind.DATE),
    Column("expires_on", _("Expires on"), kind=ColumnKind.DATE),
    Column("days_left", _("Days left"), _days_left, kind=ColumnKind.INTEGER),
    Column("value", _("Estimated value (KES)"), "asset.estimated_value_kes", kind=ColumnKind.MONEY),
)

"""Column specs of the asset lists, shared by the screen and the Excel export."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from core.tables import Column, ColumnKind
from prosecutions.access import can_read_cases


def _owner(asset: Any) -> str:
    return asset.owner.name if asset.owner_id else ""


def _days_left(order: Any) -> int | None:
    return (order.expires_on - timezone.localdate()).days if order.expires_on else None


ASSET_COLUMNS: tuple[Column, ...] = (
    Column("reference", "Reference", link=True),
    Column("case", "Case", "case.reference", link_to="case", link_if=can_read_cases),
    Column("county", "County", "case.county.name"),
    Column("asset_type", "Type", "get_asset_type_display"),
    Column("description", "Description"),
    Column("identifier", "Identifier"),
    Column("owner", "Owner", _owner),
    Column("seized_on", "Seized on", kind=ColumnKind.DATE),
    Column("status", "Status", "get_status_display"),
    Column("currency", "Currency"),
    Column("estimated_value", "Estimated value", kind=ColumnKind.DECIMAL),
    Column("estimated_value_kes", "Estimated value (KES)", kind=ColumnKind.MONEY),
    Column("preservation_expires_on", "Preservation expires", kind=ColumnKind.DATE),
    Column("destination", "Destination", "get_destination_display"),
)

DEADLINE_COLUMNS: tuple[Column, ...] = (
    Column("asset", "Asset", "asset.reference", link=True),
    Column("description", "Description", "asset.description"),
    Column("case", "Case", "asset.case.reference", link_to="asset.case", link_if=can_read_cases),
    Column("lead_prosecutor", "Lead prosecutor", "asset.case.lead_prosecutor"),
    Column("order_number", "Preservation order"),
    Column("granted_on", "Granted on", kind=ColumnKind.DATE),
    Column("gazetted_on", "Gazetted on", kind=ColumnKind.DATE),
    Column("expires_on", "Expires on", kind=ColumnKind.DATE),
    Column("days_left", "Days left", _days_left, kind=ColumnKind.INTEGER),
    Column("value", "Estimated value (KES)", "asset.estimated_value_kes", kind=ColumnKind.MONEY),
)

"""Read-only admin for assets: records change through the services (and the pages), never here,
so every change keeps its status row, its numbering and its history. History shows; nothing reverts."""

from __future__ import annotations

from django.contrib import admin

from assets.models import Asset, AssetStatusChange, CourtOrder, Realisation, Valuation
from core.admin_base import ReadOnlyHistoryAdmin


@admin.register(Asset)
class AssetAdmin(ReadOnlyHistoryAdmin):
    list_display = ("reference", "asset_type", "description", "status", "currency", "estimated_value", "seized_on")
    list_filter = ("status", "asset_type", "destination")
    search_fields = ("reference", "description", "identifier", "case__reference")
    list_select_related = ("case",)


@admin.register(CourtOrder)
class CourtOrderAdmin(ReadOnlyHistoryAdmin):
    list_display = ("order_number", "order_type", "asset", "granted_on", "gazetted_on", "expires_on")
    list_filter = ("order_type", "legal_basis", "destination")
    search_fields = ("order_number", "asset__reference")
    list_select_related = ("asset",)


@admin.register(Valuation)
class ValuationAdmin(ReadOnlyHistoryAdmin):
    list_display = ("asset", "valued_on", "currency", "amount", "amount_kes", "valuer")
    list_select_related = ("asset",)


@admin.register(Realisation)
class RealisationAdmin(ReadOnlyHistoryAdmin):
    list_display = ("asset", "realised_on", "method", "currency", "gross_proceeds", "costs", "net_proceeds_kes")
    list_select_related = ("asset",)


@admin.register(AssetStatusChange)
class AssetStatusChangeAdmin(ReadOnlyHistoryAdmin):
    list_display = ("asset", "from_status", "to_status", "effective_on", "changed_by")
    list_select_related = ("asset", "changed_by")

"""Read-only admin for assets: records change through the services (and the pages), never here,
so every change keeps its status row, its numbering and its history."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from assets.models import Asset, AssetStatusChange, CourtOrder, Realisation, Valuation


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Asset)
class AssetAdmin(ReadOnlyAdmin):
    list_display = ("reference", "asset_type", "description", "status", "currency", "estimated_value", "seized_on")
    list_filter = ("status", "asset_type", "destination")
    search_fields = ("reference", "description", "identifier", "case__reference")
    list_select_related = ("case",)


@admin.register(CourtOrder)
class CourtOrderAdmin(ReadOnlyAdmin):
    list_display = ("order_number", "order_type", "asset", "granted_on", "gazetted_on", "expires_on")
    list_filter = ("order_type", "legal_basis", "destination")
    search_fields = ("order_number", "asset__reference")
    list_select_related = ("asset",)


@admin.register(Valuation)
class ValuationAdmin(ReadOnlyAdmin):
    list_display = ("asset", "valued_on", "currency", "amount", "amount_kes", "valuer")
    list_select_related = ("asset",)


@admin.register(Realisation)
class RealisationAdmin(ReadOnlyAdmin):
    list_display = ("asset", "realised_on", "method", "currency", "gross_proceeds", "costs", "net_proceeds_kes")
    list_select_related = ("asset",)


@admin.register(AssetStatusChange)
class AssetStatusChangeAdmin(ReadOnlyAdmin):
    list_display = ("asset", "from_status", "to_status", "effective_on", "changed_by")
    list_select_related = ("asset", "changed_by")

"""Admin of the witnesses app: witnesses by code only, read-only.

Identities and their access log are deliberately not registered: a superuser is not a witness
protection liaison, and the vault is read only through the witnesses services.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from witnesses.models import Witness


@admin.register(Witness)
class WitnessAdmin(admin.ModelAdmin):
    list_display = ("code", "protection_status", "risk_level", "flagged_on")
    list_filter = ("protection_status", "risk_level")
    search_fields = ("code",)
    fields = ("code", "protection_status", "risk_level", "flagged_on")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

"""Admin: reference data (offences and their penalty versions, courts) is edited here by superusers.
Case records change only through the services, so the admin shows them read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from prosecutions.models import Case, Court, Hearing, Offence


@admin.register(Offence)
class OffenceAdmin(SimpleHistoryAdmin):
    list_display = (
        "statute",
        "section",
        "title",
        "penalty_section",
        "min_custodial_months",
        "life_imprisonment",
        "min_fine",
        "effective_from",
        "effective_to",
    )
    list_filter = ("statute",)
    search_fields = ("section", "title", "notes")


@admin.register(Court)
class CourtAdmin(SimpleHistoryAdmin):
    list_display = ("name", "level", "station", "county", "is_active")
    list_filter = ("level", "is_active", "county")
    search_fields = ("name", "station")


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """Case records are changed through the case pages (services), never edited raw."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("reference", "title", "stage", "county", "lead_prosecutor", "opened_on")
    list_filter = ("stage", "county")
    search_fields = ("reference", "title")
    list_select_related = ("county", "lead_prosecutor")


@admin.register(Hearing)
class HearingAdmin(ReadOnlyAdmin):
    list_display = ("case", "date", "purpose", "outcome", "exceeds_adjournment_limit")
    list_select_related = ("case",)

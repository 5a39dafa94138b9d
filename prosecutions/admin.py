"""Admin: reference data (offences and their penalty versions, courts) is kept here by superusers, with
history and never reverted. Case records change only through the services, so the admin shows them
read-only, to everyone."""

from __future__ import annotations

from django.contrib import admin

from core.admin_base import ReadOnlyHistoryAdmin, ReferenceDataAdmin
from prosecutions.models import Case, Court, Hearing, Offence


@admin.register(Offence)
class OffenceAdmin(ReferenceDataAdmin):
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
class CourtAdmin(ReferenceDataAdmin):
    list_display = ("name", "level", "station", "county", "is_active")
    list_filter = ("level", "is_active", "county")
    search_fields = ("name", "station")


@admin.register(Case)
class CaseAdmin(ReadOnlyHistoryAdmin):
    list_display = ("reference", "title", "stage", "county", "lead_prosecutor", "opened_on")
    list_filter = ("stage", "county")
    search_fields = ("reference", "title")
    list_select_related = ("county", "lead_prosecutor")


@admin.register(Hearing)
class HearingAdmin(ReadOnlyHistoryAdmin):
    list_display = ("case", "date", "purpose", "outcome", "exceeds_adjournment_limit")
    list_select_related = ("case",)

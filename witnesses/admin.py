"""Admin of the witnesses app: witnesses by code only, read-only.

Identities and their access log are deliberately not registered: a superuser is not a witness
protection liaison, and the vault is read only through the witnesses services. The witness's history is
not shown here either (its reasons may say why a person is in danger): it is read on the witness's page,
by those the witnesses app lets read it.
"""

from __future__ import annotations

from django.contrib import admin

from core.admin_base import ReadOnlyAdmin
from witnesses.models import Witness


@admin.register(Witness)
class WitnessAdmin(ReadOnlyAdmin):
    list_display = ("code", "protection_status", "risk_level", "flagged_on")
    list_filter = ("protection_status", "risk_level")
    search_fields = ("code",)
    fields = ("code", "protection_status", "risk_level", "flagged_on")

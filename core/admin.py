from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from core.models import County, NumberSequence, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "email", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "groups")


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(NumberSequence)
class NumberSequenceAdmin(admin.ModelAdmin):
    """Read-only: numbers are issued by ``core.numbering`` and never reused, so nobody edits a sequence."""

    list_display = ("series", "period", "last_value")
    readonly_fields = ("series", "period", "last_value")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: NumberSequence | None = None) -> bool:
        return False

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.admin_base import ReadOnlyAdmin, ReadOnlyHistoryAdmin
from core.models import County, NumberSequence, RoleGrant, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Accounts: names, e-mail, password and whether the account is in use. Roles are not edited here —
    an access administrator grants them (``core.grants``), with a second one approving sensitive roles —
    and neither are the staff and superuser flags or permissions, which only the console sets."""

    list_display = ("username", "first_name", "last_name", "email", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "groups")
    readonly_fields = (
        "roles_in_force",
        "groups",
        "user_permissions",
        "is_staff",
        "is_superuser",
        "last_login",
        "date_joined",
    )
    filter_horizontal = ()
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (
            _("Roles and permissions (granted by access administrators in the tracker)"),
            {"fields": ("is_active", "roles_in_force", "groups", "is_staff", "is_superuser", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )

    @admin.display(description=_("Roles in force"))
    def roles_in_force(self, obj: User) -> str:
        return ", ".join(sorted(obj.role_names)) or "—"


# Role groups and their permissions are created by migrations; renaming or re-permissioning one here would
# change every holder's access without a grant.
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(ReadOnlyAdmin, BaseGroupAdmin):
    pass


@admin.register(RoleGrant)
class RoleGrantAdmin(ReadOnlyHistoryAdmin):
    """Grants are read here; they are made and decided only on the access administrators' pages."""

    list_display = ("role", "user", "status", "requested_by", "requested_at", "decided_by", "revoked_at")
    list_filter = ("status", "role")
    search_fields = ("user__username", "user__first_name", "user__last_name")


@admin.register(County)
class CountyAdmin(ReadOnlyAdmin):
    """The 47 counties of the Constitution's First Schedule, created by a migration: read here."""

    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(NumberSequence)
class NumberSequenceAdmin(ReadOnlyAdmin):
    """Read-only: numbers are issued by ``core.numbering`` and never reused, so nobody edits a sequence."""

    list_display = ("series", "period", "last_value")


class RemoveOnlyDeviceAdmin:
    """Second-factor devices are enrolled by their owner only (``core.views.twofactor``). The admin lists
    them and removes a lost one — the owner then enrols afresh at their next sign-in — but never adds or
    edits one: a device planted on someone else's account, with a key the planter knows, would let the
    planter pass that account's second step."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


@admin.register(TOTPDevice)
class AuthenticatorAppAdmin(RemoveOnlyDeviceAdmin, TOTPDeviceAdmin):
    pass


@admin.register(StaticDevice)
class RecoveryCodesAdmin(RemoveOnlyDeviceAdmin, StaticDeviceAdmin):
    pass

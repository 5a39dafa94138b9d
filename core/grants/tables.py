"""Columns of the access administrators' lists (screen and Excel)."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.grants.queries import roles_awaiting, roles_in_force
from core.roles import Role
from core.tables import Column, ColumnKind


def _role_labels(roles: list[str]) -> str:
    """Roles as their holders read them, in the reader's language."""
    return ", ".join(str(Role(role).label) if role in Role.values else role for role in roles)


ACCOUNT_COLUMNS = (
    Column("username", _("Username"), link=True),
    Column("name", _("Name"), "get_full_name"),
    Column("email", _("E-mail")),
    Column("roles", _("Roles in force"), lambda user: _role_labels(roles_in_force(user))),
    Column("awaiting", _("Awaiting approval"), lambda user: _role_labels(roles_awaiting(user))),
    Column("is_active", _("Account in use"), kind=ColumnKind.BOOLEAN),
    Column("is_staff", _("Staff (admin site)"), kind=ColumnKind.BOOLEAN),
    Column("is_superuser", _("Superuser"), kind=ColumnKind.BOOLEAN),
)

GRANT_COLUMNS = (
    Column("role", _("Role"), "get_role_display", link=True),
    Column("user", _("Person"), lambda grant: f"{grant.user} ({grant.user.username})"),
    Column("status", _("Status"), "get_status_display"),
    Column("reason", _("Reason")),
    Column("requested_by", _("Asked for by"), lambda grant: str(grant.requested_by or gettext("the console"))),
    Column("requested_at", _("Asked for on"), kind=ColumnKind.DATETIME),
    Column("decided_by", _("Decided by"), lambda grant: str(grant.decided_by or "")),
    Column("decided_at", _("Decided on"), kind=ColumnKind.DATETIME),
    Column("revoked_by", _("Revoked by"), lambda grant: str(grant.revoked_by or "")),
    Column("revoked_at", _("Revoked on"), kind=ColumnKind.DATETIME),
)

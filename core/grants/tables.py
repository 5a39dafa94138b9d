"""Columns of the access administrators' lists (screen and Excel)."""

from __future__ import annotations

from core.grants.queries import roles_awaiting, roles_in_force
from core.tables import Column, ColumnKind

ACCOUNT_COLUMNS = (
    Column("username", "Username", link=True),
    Column("name", "Name", "get_full_name"),
    Column("email", "E-mail"),
    Column("roles", "Roles in force", lambda user: ", ".join(roles_in_force(user))),
    Column("awaiting", "Awaiting approval", lambda user: ", ".join(roles_awaiting(user))),
    Column("is_active", "Account in use", kind=ColumnKind.BOOLEAN),
    Column("is_staff", "Staff (admin site)", kind=ColumnKind.BOOLEAN),
    Column("is_superuser", "Superuser", kind=ColumnKind.BOOLEAN),
)

GRANT_COLUMNS = (
    Column("role", "Role", link=True),
    Column("user", "Person", lambda grant: f"{grant.user} ({grant.user.username})"),
    Column("status", "Status", "get_status_display"),
    Column("reason", "Reason"),
    Column("requested_by", "Asked for by", lambda grant: str(grant.requested_by or "the console")),
    Column("requested_at", "Asked for on", kind=ColumnKind.DATETIME),
    Column("decided_by", "Decided by", lambda grant: str(grant.decided_by or "")),
    Column("decided_at", "Decided on", kind=ColumnKind.DATETIME),
    Column("revoked_by", "Revoked by", lambda grant: str(grant.revoked_by or "")),
    Column("revoked_at", "Revoked on", kind=ColumnKind.DATETIME),
)

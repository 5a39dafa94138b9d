"""core's own navigation sections, panels and audit scope. Each domain app registers its own."""

from __future__ import annotations

from typing import Any

from core.access import AnyUser, has_role, roles_of
from core.audit.scopes import AuditScope, audit_roles, register_audit_scope
from core.queries import audit_summary
from core.registry import NavItem, Panel, register_nav, register_panel
from core.roles import ALL_ROLES, Role

register_nav(NavItem("counties", "Counties", "core:county_list", ALL_ROLES, order=900))


def _welcome_context(user: AnyUser) -> dict[str, Any]:
    return {"roles": sorted(roles_of(user))}


register_panel(
    Panel("welcome", "Your roles", "core/panels/welcome.html", ALL_ROLES, _welcome_context, order=1, width=12)
)

# The audit log: auditors read all of it, sign-in events included; each domain app adds the roles that
# read its part (its own ``register_audit_scope``), so the log's readers are known only once all have.
register_audit_scope(AuditScope("auditors", frozenset({Role.AUDITOR}), None))
register_nav(NavItem("audit_log", "Audit log", "core:audit_log", audit_roles, order=800))


def _audit_context(user: AnyUser) -> dict[str, Any]:
    summary = audit_summary(user)
    return {"links": summary.links, "last": summary.last, "can_verify": has_role(user, [Role.AUDITOR])}


register_panel(Panel("audit", "Audit history", "core/panels/audit.html", audit_roles, _audit_context, order=500))

"""core's own navigation sections and panels."""

from __future__ import annotations

from typing import Any

from core.access import has_role, roles_of
from core.audit.scopes import AuditScope, audit_roles, register_audit_scope, scope_filter
from core.registry import NavItem, Panel, register_nav, register_panel
from core.roles import ALL_ROLES, FUND_ROLES, Role

register_nav(NavItem("counties", "Counties", "core:county_list", ALL_ROLES, order=900))


def _welcome_context(user: Any) -> dict[str, Any]:
    return {"roles": sorted(roles_of(user))}


register_panel(
    Panel("welcome", "Your roles", "core/panels/welcome.html", ALL_ROLES, _welcome_context, order=1, width=12)
)
# The audit log: auditors read all of it; the unit head the prosecution side; the fund roles the fund's.
# App labels are named here as text (core imports no domain app).
register_audit_scope(AuditScope("auditors", frozenset({Role.AUDITOR}), None))
register_audit_scope(AuditScope("prosecutions", frozenset({Role.UNIT_HEAD}), frozenset({"prosecutions", "assets"})))
register_audit_scope(AuditScope("fund", FUND_ROLES, frozenset({"trustfund"})))
register_nav(NavItem("audit_log", "Audit log", "core:audit_log", audit_roles(), order=800))


def _audit_context(user: Any) -> dict[str, Any]:
    from core.models import AuditLink

    lines = AuditLink.objects.filter(scope_filter(user))
    return {
        "links": lines.count(),
        "last": lines.order_by("-seq").values_list("at", flat=True).first(),
        "can_verify": has_role(user, [Role.AUDITOR]),
    }


register_panel(Panel("audit", "Audit history", "core/panels/audit.html", audit_roles(), _audit_context, order=500))

"""core's own navigation sections, panels and audit scope. Each domain app registers its own."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.access import ACCESS_ADMINS, AnyUser, has_role, roles_of
from core.audit.checkpoints import last_checkpoint
from core.audit.integrity import LIVE_TABLES, live_tables_match_history, register_integrity_check
from core.audit.scopes import AuditScope, audit_roles, register_audit_scope
from core.context_processors import role_labels
from core.grants.integrity import NAME as ROLE_GRANTS_CHECK
from core.grants.integrity import check_role_memberships
from core.grants.queries import grants_awaiting
from core.queries import audit_summary
from core.registry import DemoSeed, NavItem, Panel, register_demo_seed, register_nav, register_panel
from core.roles import ALL_ROLES, Role
from core.twofactor import seed_demo_devices

register_nav(NavItem("counties", _("Counties"), "core:county_list", ALL_ROLES, order=900, menu="reference"))


def _welcome_context(user: AnyUser) -> dict[str, Any]:
    return {"roles": role_labels(roles_of(user))}


register_panel(
    Panel("welcome", _("Your roles"), "core/panels/welcome.html", ALL_ROLES, _welcome_context, order=1, width=12)
)

# The audit log: auditors read all of it, sign-in events included; each domain app adds the roles that
# read its part (its own ``register_audit_scope``), so the log's readers are known only once all have.
register_audit_scope(AuditScope("auditors", frozenset({Role.AUDITOR}), None))
register_nav(NavItem("audit_log", _("Audit log"), "core:audit_log", audit_roles, order=800, menu="oversight"))


def _audit_context(user: AnyUser) -> dict[str, Any]:
    summary = audit_summary(user)
    return {"links": summary.links, "last": summary.last, "can_verify": has_role(user, [Role.AUDITOR])}


register_panel(Panel("audit", _("Audit history"), "core/panels/audit.html", audit_roles, _audit_context, order=500))

# What verify_audit checks besides the chain (other parts of the system register theirs), and the last
# checkpoint, which the auditors note down outside the tracker.
register_integrity_check(LIVE_TABLES, live_tables_match_history)


def _checkpoint_context(user: AnyUser) -> dict[str, Any]:
    return {"last": last_checkpoint()}


register_panel(
    Panel(
        "audit_checkpoint",
        _("Last audit checkpoint"),
        "core/panels/audit_checkpoint.html",
        frozenset({Role.AUDITOR}),
        _checkpoint_context,
        order=501,
    )
)


# Access administration: people and their roles, and the grants awaiting a second administrator.
register_nav(NavItem("access", _("Access"), "core:user_list", ACCESS_ADMINS, order=850, menu="oversight"))


def _grants_context(user: AnyUser) -> dict[str, Any]:
    awaiting = grants_awaiting(user)  # type: ignore[arg-type]
    return {"awaiting": list(awaiting[:10]), "awaiting_count": awaiting.count()}


register_panel(
    Panel("grants", _("Role grants awaiting you"), "core/panels/grants.html", ACCESS_ADMINS, _grants_context)
)

# verify_audit: every membership of a role group matches an approved, unrevoked grant (and back).
register_integrity_check(ROLE_GRANTS_CHECK, check_role_memberships)

# The demo logins that must sign in with a second factor get a development authenticator (DEBUG only).
register_demo_seed(DemoSeed("two_factor", seed_demo_devices, order=900))

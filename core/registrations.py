"""core's own navigation sections and panels."""

from __future__ import annotations

from typing import Any

from core.access import roles_of
from core.registry import NavItem, Panel, register_nav, register_panel
from core.roles import ALL_ROLES, Role

register_nav(NavItem("counties", "Counties", "core:county_list", ALL_ROLES, order=900))


def _welcome_context(user: Any) -> dict[str, Any]:
    return {"roles": sorted(roles_of(user))}


register_panel(
    Panel("welcome", "Your roles", "core/panels/welcome.html", ALL_ROLES, _welcome_context, order=1, width=12)
)
register_panel(
    Panel(
        "audit_placeholder",
        "Audit history",
        "core/panels/placeholder.html",
        frozenset({Role.AUDITOR}),
        lambda user: {"message": "The global audit log and tamper verification arrive with the audit module."},
        order=500,
    )
)

"""What the assets app adds elsewhere: navigation, the deadline and recovery panels on the home page, the
Assets tab and timeline events on the case page, its step of the demo seed and its audit scope. Only
registrations: the queries behind them are in ``assets.queries`` and ``assets.reports``."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from assets import documents, reports, search  # noqa: F401  (document kinds, recovery report, search sources)
from assets.access import ASSET_READERS, DEADLINE_READERS, can_read_assets
from assets.queries import asset_timeline, case_assets_context, case_file_assets_context, deadline_panel_context
from core.audit.scopes import AuditScope, register_audit_scope
from core.models import User
from core.registry import DemoSeed, NavItem, Panel, register_demo_seed, register_nav, register_panel
from core.roles import Role
from core.views.generic import Tab
from prosecutions.registry import (
    CaseFileSection,
    CaseTab,
    register_case_file_section,
    register_case_tab,
    register_timeline_source,
)

register_nav(NavItem("assets", _("Asset register"), "assets:asset_list", ASSET_READERS, order=300, menu="assets"))
register_nav(NavItem("deadlines", _("Deadlines"), "assets:deadline_list", DEADLINE_READERS, order=310, menu="assets"))

register_panel(
    Panel(
        "asset_deadlines",
        _("Preservation deadlines"),
        "assets/panels/deadlines.html",
        frozenset({Role.PROSECUTOR, Role.UNIT_HEAD}),
        deadline_panel_context,
        order=40,
        has_chart=True,
    )
)

register_panel(
    Panel(
        "asset_recovery",
        _("Asset recovery this financial year"),
        "assets/panels/recovery.html",
        ASSET_READERS,
        reports.recovery_panel_context,
        order=45,
        has_chart=True,
    )
)

register_case_tab(
    CaseTab(
        Tab("assets", _("Assets"), "assets/case_tab.html"),
        get_context=case_assets_context,
        visible=can_read_assets,
        order=300,
    )
)

register_timeline_source("assets", asset_timeline)

# The printable case file: the case's assets and court orders, for those who read assets.
register_case_file_section(
    CaseFileSection(
        "assets",
        _("Assets and court orders"),
        "assets/print/case_file_section.html",
        get_context=case_file_assets_context,
        visible=can_read_assets,
        order=300,
    )
)


def _run_demo_seed(users: dict[str, User], out: Callable[[str], None]) -> None:
    from assets.demo import seed_assets

    seed_assets(users, out)


register_demo_seed(DemoSeed("assets", _run_demo_seed, order=200))

# The unit head reads the history of every asset.
register_audit_scope(AuditScope("assets", frozenset({Role.UNIT_HEAD}), frozenset({"assets"})))

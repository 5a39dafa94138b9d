"""What the trust fund adds elsewhere: its navigation item, its home-page panels (the fund summary,
requests awaiting approval, unreconciled items), its reports and the receipts it offers the asset
recovery report, its step of the demo seed and its audit scope. Registrations only: the panels' queries
live in ``trustfund.queries``, the reports in ``trustfund.reports``."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from core.audit.scopes import AuditScope, register_audit_scope
from core.models import User
from core.registry import DemoSeed, NavItem, Panel, register_demo_seed, register_nav, register_panel
from core.reports import RECOVERY_RECEIPTS, register_report, register_source
from core.roles import FUND_ROLES, Role
from trustfund import documents, queries, reports, search  # noqa: F401  (documents, search: register)
from trustfund.access import FUND_ADMINS, FUND_APPROVERS, SUMMARY_READERS

register_nav(NavItem("fund", _("Trust fund"), "trustfund:home", SUMMARY_READERS, order=400))

register_panel(
    Panel(
        "fund_summary",
        _("National Assistance Trust Fund"),
        "trustfund/panels/summary.html",
        SUMMARY_READERS,
        queries.summary_panel,
        order=300,
        has_chart=True,
    )
)
register_panel(
    Panel(
        "fund_awaiting",
        _("Disbursements awaiting your approval"),
        "trustfund/panels/awaiting.html",
        FUND_APPROVERS,
        queries.awaiting_approval,
        order=310,
    )
)
register_panel(
    Panel(
        "fund_unreconciled",
        _("Unreconciled bank items"),
        "trustfund/panels/unreconciled.html",
        FUND_ADMINS | {Role.AUDITOR},
        queries.unreconciled,
        order=320,
    )
)

register_report(reports.FUND_STATEMENT)
register_report(reports.FUND_RECONCILIATION)
register_source(RECOVERY_RECEIPTS, reports.recovery_receipts)


def _run_demo_seed(users: dict[str, User], out: Callable[[str], None]) -> None:
    from trustfund.demo import seed_fund  # the demo's services load only when the seed runs

    seed_fund(users, out)


register_demo_seed(DemoSeed("trustfund", _run_demo_seed, order=300))


def _run_referral_payments(users: dict[str, User], out: Callable[[str], None]) -> None:
    from trustfund.demo import pay_for_referrals

    pay_for_referrals(users, out)


# After the fund has money (300) and the victims register has referrals (victims, 260).
register_demo_seed(DemoSeed("trustfund_referrals", _run_referral_payments, order=310))

# The fund's officers read the history of the fund's records.
register_audit_scope(AuditScope("trustfund", FUND_ROLES, frozenset({"trustfund"})))

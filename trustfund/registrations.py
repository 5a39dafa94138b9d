"""What the trust fund adds elsewhere: its navigation item, its home-page panels (the fund summary,
requests awaiting approval, unreconciled items) and its step of the demo seed."""

from __future__ import annotations

from typing import Any

from core.audit.scopes import AuditScope, register_audit_scope
from core.registry import DemoSeed, NavItem, Panel, register_demo_seed, register_nav, register_panel
from core.roles import FUND_ROLES, Role
from trustfund import reports  # registers the fund statement and reconciliation reports; draws the balance chart
from trustfund.access import FUND_ADMINS, FUND_APPROVERS, SUMMARY_READERS

PANEL_LIMIT = 8

register_nav(NavItem("fund", "Trust fund", "trustfund:home", SUMMARY_READERS, order=400))


def summary_context(user: Any) -> dict[str, Any]:
    from trustfund.views import fund_summary

    return {"summary": fund_summary(), "chart": reports.fund_balance_chart()}


def awaiting_context(user: Any) -> dict[str, Any]:
    """Requests this approver may decide: raised by someone else, still requested."""
    from trustfund.choices import DisbursementStatus
    from trustfund.models import Disbursement

    waiting = Disbursement.objects.filter(status=DisbursementStatus.REQUESTED).exclude(requested_by=user)
    rows = list(waiting.select_related("victim").order_by("requested_on", "id")[: PANEL_LIMIT + 1])
    more = waiting.count() - PANEL_LIMIT if len(rows) > PANEL_LIMIT else 0
    return {"rows": rows[:PANEL_LIMIT], "more": more}


def unreconciled_context(user: Any) -> dict[str, Any]:
    from trustfund.models import StatementLine
    from trustfund.statements import unmatched_bank_entries

    return {
        "lines": StatementLine.objects.filter(matched_entry__isnull=True).count(),
        "entries": unmatched_bank_entries().count(),
    }


register_panel(
    Panel(
        "fund_summary",
        "National Assistance Trust Fund",
        "trustfund/panels/summary.html",
        SUMMARY_READERS,
        summary_context,
        order=300,
        has_chart=True,
    )
)
register_panel(
    Panel(
        "fund_awaiting",
        "Disbursements awaiting your approval",
        "trustfund/panels/awaiting.html",
        FUND_APPROVERS,
        awaiting_context,
        order=310,
    )
)
register_panel(
    Panel(
        "fund_unreconciled",
        "Unreconciled bank items",
        "trustfund/panels/unreconciled.html",
        FUND_ADMINS | {Role.AUDITOR},
        unreconciled_context,
        order=320,
    )
)


def _run_demo_seed(users: dict[str, Any], out: Any) -> None:
    from trustfund.demo import seed_fund

    seed_fund(users, out)


register_demo_seed(DemoSeed("trustfund", _run_demo_seed, order=300))

# The fund's officers read the history of the fund's records.
register_audit_scope(AuditScope("trustfund", FUND_ROLES, frozenset({"trustfund"})))

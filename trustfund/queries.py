"""What the fund's pages and home-page panels read, as plain data: the fund at a glance, the requests
awaiting an approver, the items not yet reconciled. Imported by the views and the registrations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone

from core.access import AnyUser
from trustfund import ledger, reports, statements
from trustfund.choices import DisbursementStatus
from trustfund.models import Disbursement, JournalEntry, JournalLine, StatementLine

PANEL_LIMIT = 8


def fund_summary(today: dt.date | None = None) -> dict[str, Any]:
    """The fund at a glance: balance, this year in and out, awaiting approval, unreconciled items.

    Totals only, never a record: the unit head, who may open no fund record, sees them too.
    """
    today = today or timezone.localdate()
    year = reports.current_year(today)
    start, _ = reports.year_bounds(year)
    bank = ledger.bank_account()
    moves = JournalLine.objects.filter(
        account=bank, entry__entry_date__gte=start, entry__entry_date__lte=today
    ).aggregate(money_in=Sum("debit"), money_out=Sum("credit"))
    awaiting = Disbursement.objects.filter(status=DisbursementStatus.REQUESTED).aggregate(
        n=Count("id"), total=Sum("amount")
    )
    approved = Disbursement.objects.filter(status=DisbursementStatus.APPROVED).aggregate(
        n=Count("id"), total=Sum("amount")
    )
    return {
        "balance": ledger.bank_balance(),
        "year": year,
        "money_in": moves["money_in"] or ledger.ZERO,
        "money_out": moves["money_out"] or ledger.ZERO,
        "awaiting_count": awaiting["n"],
        "awaiting_total": awaiting["total"] or ledger.ZERO,
        "approved_count": approved["n"],
        "approved_total": approved["total"] or ledger.ZERO,
        "unmatched_lines": StatementLine.objects.filter(matched_entry__isnull=True).count(),
        "unmatched_entries": statements.unmatched_bank_entries().count(),
    }


def summary_panel(user: AnyUser) -> dict[str, Any]:
    """The fund summary and the year's balance chart."""
    return {"summary": fund_summary(), "chart": reports.fund_balance_chart()}


def awaiting_approval(user: AnyUser) -> dict[str, Any]:
    """Requests this approver may decide: raised by someone else, still requested (the first few, and
    how many more)."""
    waiting = (
        Disbursement.objects.visible_to(user)
        .filter(status=DisbursementStatus.REQUESTED)
        .exclude(requested_by_id=user.pk)
    )
    rows = list(waiting.select_related("victim").order_by("requested_on", "id")[: PANEL_LIMIT + 1])
    more = waiting.count() - PANEL_LIMIT if len(rows) > PANEL_LIMIT else 0
    return {"rows": rows[:PANEL_LIMIT], "more": more, "requested": DisbursementStatus.REQUESTED}


def unreconciled(user: AnyUser) -> dict[str, Any]:
    """How many statement lines and bank entries are not yet matched."""
    return {
        "lines": StatementLine.objects.visible_to(user).filter(matched_entry__isnull=True).count(),
        "entries": statements.unmatched_bank_entries(JournalEntry.objects.visible_to(user)).count(),
    }

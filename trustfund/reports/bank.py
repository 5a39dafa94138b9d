"""Bank ↔ ledger: the bank's balance per its statements against the ledger's at a date, and what
explains the difference (lines only on the statement, entries only in the ledger)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import F, OuterRef, Subquery, Sum
from django.utils import timezone

from trustfund import ledger
from trustfund.chart import BANK
from trustfund.models import Account, StatementLine
from trustfund.statements import unmatched_bank_entries

ZERO = ledger.ZERO


@dataclass
class BankReconciliation:
    as_at: dt.date
    ledger_balance: Decimal
    statement_balance: Decimal | None
    matched: list[StatementLine]
    unmatched_lines: list[StatementLine]
    unmatched_entries: list[Any]

    @property
    def difference(self) -> Decimal | None:
        """The bank's balance less the ledger's at the date (None when no statement covers it)."""
        return None if self.statement_balance is None else self.statement_balance - self.ledger_balance

    @property
    def unmatched_lines_total(self) -> Decimal:
        return sum((line.amount for line in self.unmatched_lines), ZERO)

    @property
    def unmatched_entries_total(self) -> Decimal:
        return sum((entry.bank_amount for entry in self.unmatched_entries), ZERO)

    def rows(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for line in self.matched:
            entry = line.matched_entry
            rows.append(
                {
                    "section": "Matched",
                    "date": line.date,
                    "reference": line.reference,
                    "description": line.description,
                    "amount": line.amount,
                    "ledger": f"{entry.reference} {entry.document_reference}" if entry else "",
                }
            )
        for line in self.unmatched_lines:
            rows.append(
                {
                    "section": "On the statement, not in the ledger",
                    "date": line.date,
                    "reference": line.reference,
                    "description": line.description,
                    "amount": line.amount,
                    "ledger": "",
                }
            )
        for entry in self.unmatched_entries:
            rows.append(
                {
                    "section": "In the ledger, not on the statement",
                    "date": entry.entry_date,
                    "reference": entry.document_reference,
                    "description": entry.description,
                    "amount": entry.bank_amount,
                    "ledger": entry.reference,
                }
            )
        summary = [
            ("Ledger bank balance", self.ledger_balance),
            ("Bank statement balance", self.statement_balance),
            ("Difference (bank − ledger)", self.difference),
        ]
        for label, amount in summary:
            rows.append(
                {
                    "section": "Balances",
                    "date": self.as_at,
                    "reference": "",
                    "description": label,
                    "amount": amount,
                    "ledger": "",
                }
            )
        return rows


def statement_balance(as_at: dt.date) -> Decimal | None:
    """The bank's balance at the end of ``as_at``: the balance it printed on its last line up to then,
    or — with no balance column — the sum of every imported line up to then. None with no statement."""
    lines = StatementLine.objects.filter(date__lte=as_at)
    last = lines.order_by("-date", "-statement__period_end", "-line_number").first()
    if last is None:
        return None
    if last.balance is not None:
        return last.balance
    total: Decimal | None = lines.aggregate(total=Sum("amount"))["total"]
    return total or ZERO


def bank_reconciliation(as_at: dt.date | None = None) -> BankReconciliation:
    as_at = as_at or timezone.localdate()
    lines = (
        StatementLine.objects.filter(date__lte=as_at).select_related("matched_entry").order_by("date", "line_number")
    )
    matched = [line for line in lines if line.matched_entry_id]
    unmatched = [line for line in lines if not line.matched_entry_id]
    bank_lines = ledger.lines_between().filter(entry=OuterRef("pk"), account__code=BANK)
    entries = list(
        unmatched_bank_entries()
        .filter(entry_date__lte=as_at)
        .annotate(
            bank_amount=Subquery(
                bank_lines.values("entry").annotate(net=Sum(F("debit") - F("credit"))).values("net")[:1],
                output_field=ledger.MONEY,
            )
        )
        .order_by("entry_date", "id")
    )
    return BankReconciliation(
        as_at=as_at,
        ledger_balance=ledger.bank_balance(as_at),
        statement_balance=statement_balance(as_at),
        matched=matched,
        unmatched_lines=unmatched,
        unmatched_entries=entries,
    )


def bank_account_name() -> str:
    acct = Account.objects.filter(code=BANK).first()
    return acct.name if acct else "Bank"

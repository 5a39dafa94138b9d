"""The Fund's reports: the statement for a financial year (1 July – 30 June) and the three-way
reconciliation — bank ↔ ledger, and asset register ↔ fund. Aggregated in the database."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from assets.choices import Destination
from assets.models import Realisation
from core.numbering import financial_year
from trustfund import ledger
from trustfund.chart import PURPOSE_ACCOUNTS, SOURCE_ACCOUNTS
from trustfund.choices import AccountType, DisbursementPurpose, ReceiptSource
from trustfund.models import Account, JournalEntry, Receipt, StatementLine
from trustfund.statements import unmatched_bank_entries

ZERO = ledger.ZERO
FY_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=18, decimal_places=2)


def year_bounds(year: str) -> tuple[dt.date, dt.date]:
    """``"2026-27"`` → (1 Jul 2026, 30 Jun 2027); ``ValueError`` for anything else."""
    match = FY_PATTERN.match(year.strip())
    if not match:
        raise ValueError(year)
    start = int(match.group(1))
    if (start + 1) % 100 != int(match.group(2)):
        raise ValueError(year)
    return dt.date(start, 7, 1), dt.date(start + 1, 6, 30)


def current_year(today: dt.date | None = None) -> str:
    return financial_year(today or timezone.localdate())


def year_choices(today: dt.date | None = None) -> list[str]:
    """Financial years from the first posting (or this year) to this year, newest first."""
    this = current_year(today)
    first = JournalEntry.objects.order_by("entry_date").values_list("entry_date", flat=True).first()
    start_year = int(financial_year(first)[:4]) if first else int(this[:4])
    return [f"{y}-{(y + 1) % 100:02d}" for y in range(int(this[:4]), start_year - 1, -1)]


@dataclass(frozen=True)
class StatementRow:
    label: str
    amount: Decimal
    code: str = ""


@dataclass
class FundStatement:
    """Opening balance, receipts by source, disbursements by purpose, closing balance, for one year."""

    year: str
    start: dt.date
    end: dt.date
    opening: Decimal
    receipts: list[StatementRow] = field(default_factory=list)
    payments: list[StatementRow] = field(default_factory=list)

    @property
    def total_receipts(self) -> Decimal:
        return sum((row.amount for row in self.receipts), ZERO)

    @property
    def total_payments(self) -> Decimal:
        return sum((row.amount for row in self.payments), ZERO)

    @property
    def closing(self) -> Decimal:
        return self.opening + self.total_receipts - self.total_payments

    def rows(self) -> list[dict[str, Any]]:
        """The statement as rows for the Excel download: section, line, amount."""
        rows: list[dict[str, Any]] = [
            {"section": "Opening balance", "line": f"1 July {self.start.year}", "amount": self.opening}
        ]
        rows += [{"section": "Receipts", "line": r.label, "amount": r.amount} for r in self.receipts]
        rows.append({"section": "Receipts", "line": "Total receipts", "amount": self.total_receipts})
        rows += [{"section": "Disbursements", "line": r.label, "amount": r.amount} for r in self.payments]
        rows.append({"section": "Disbursements", "line": "Total disbursements", "amount": self.total_payments})
        rows.append({"section": "Closing balance", "line": f"30 June {self.end.year}", "amount": self.closing})
        return rows


def fund_statement(year: str) -> FundStatement:
    """The statement of ``year``: its opening is the bank balance at the end of the previous year, so
    it always equals the previous year's closing. Reversals count against what they reverse."""
    start, end = year_bounds(year)
    opening = ledger.bank_balance(start - dt.timedelta(days=1))
    movements = {a.code: a for a in ledger.accounts_with_totals(as_at=end, since=start)}
    statement = FundStatement(year=year, start=start, end=end, opening=opening)
    for source, code in SOURCE_ACCOUNTS.items():
        acct: Any = movements[code]
        statement.receipts.append(StatementRow(ReceiptSource(source).label, acct.total_credit - acct.total_debit, code))
    for purpose, code in PURPOSE_ACCOUNTS.items():
        acct = movements[code]
        statement.payments.append(
            StatementRow(DisbursementPurpose(purpose).label, acct.total_debit - acct.total_credit, code)
        )
    for code, acct in movements.items():
        if acct.account_type == AccountType.EXPENSE and code not in PURPOSE_ACCOUNTS.values():
            statement.payments.append(StatementRow(acct.name, acct.total_debit - acct.total_credit, code))
    return statement


# --------------------------------------------------------------------------------------------------
# Bank ↔ ledger


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
    bank_lines = ledger.lines_between().filter(entry=OuterRef("pk"), account__code="1000")
    entries = list(
        unmatched_bank_entries()
        .filter(entry_date__lte=as_at)
        .annotate(
            bank_amount=Subquery(
                bank_lines.values("entry").annotate(net=Sum(F("debit") - F("credit"))).values("net")[:1],
                output_field=MONEY,
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


# --------------------------------------------------------------------------------------------------
# Asset register ↔ fund


def proceeds_due() -> QuerySet[Realisation]:
    """Every realisation whose proceeds go to the trust fund, with ``received`` (its receipts not
    reversed), ``outstanding`` and ``over_received`` in KES — one query."""
    received = (
        Receipt.objects.filter(realisation=OuterRef("pk"), entry__reversed_by__isnull=True)
        .values("realisation")
        .annotate(total=Sum("amount"))
        .values("total")[:1]
    )
    return (
        Realisation.objects.filter(destination=Destination.TRUST_FUND)
        .select_related("asset", "asset__case")
        .annotate(received=Coalesce(Subquery(received, output_field=MONEY), Value(ZERO), output_field=MONEY))
        .annotate(
            outstanding=Greatest(F("net_proceeds_kes") - F("received"), Value(ZERO), output_field=MONEY),
            over_received=Greatest(F("received") - F("net_proceeds_kes"), Value(ZERO), output_field=MONEY),
        )
        .order_by("-realised_on", "-id")
    )


def proceeds_totals() -> dict[str, Decimal]:
    """Expected, received, outstanding and over-received across every realisation due to the fund:
    one query for the per-realisation figures, summed as they arrive."""
    totals = {"expected": ZERO, "received": ZERO, "outstanding": ZERO, "over": ZERO}
    for expected, received, outstanding, over in proceeds_due().values_list(
        "net_proceeds_kes", "received", "outstanding", "over_received"
    ):
        totals["expected"] += expected
        totals["received"] += received
        totals["outstanding"] += outstanding
        totals["over"] += over
    return totals


def bank_account_name() -> str:
    acct = Account.objects.filter(code="1000").first()
    return acct.name if acct else "Bank"

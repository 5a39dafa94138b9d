"""The fund statement of a financial year: opening balance, receipts by source, disbursements by
purpose, closing balance — aggregated in the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from trustfund import ledger
from trustfund.chart import PURPOSE_ACCOUNTS, SOURCE_ACCOUNTS
from trustfund.choices import AccountType, DisbursementPurpose, ReceiptSource
from trustfund.reports.years import year_bounds

ZERO = ledger.ZERO


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
        return (self.opening + self.total_receipts - self.total_payments).quantize(ledger.CENT)

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
        statement.receipts.append(
            StatementRow(
                ReceiptSource(source).label, (acct.total_credit - acct.total_debit).quantize(ledger.CENT), code
            )
        )
    for purpose, code in PURPOSE_ACCOUNTS.items():
        acct = movements[code]
        statement.payments.append(
            StatementRow(
                DisbursementPurpose(purpose).label, (acct.total_debit - acct.total_credit).quantize(ledger.CENT), code
            )
        )
    for code, acct in movements.items():
        if acct.account_type == AccountType.EXPENSE and code not in PURPOSE_ACCOUNTS.values():
            statement.payments.append(
                StatementRow(acct.name, (acct.total_debit - acct.total_credit).quantize(ledger.CENT), code)
            )
    return statement

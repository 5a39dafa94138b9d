"""The fund statement of a financial year: opening balance, receipts by source, disbursements by
purpose, other movements of the bank (unidentified receipts held in suspense, corrections), closing
balance — aggregated in the database. The closing balance is always the ledger's bank balance at the
year's end, and the opening balance the previous year's closing (plus the books' opening balance when
the books opened in the year)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from trustfund import ledger
from trustfund.chart import BANK, PURPOSE_ACCOUNTS, SOURCE_ACCOUNTS
from trustfund.choices import AccountType, DisbursementPurpose, EntryKind, PeriodKind, ReceiptSource
from trustfund.models import ClosedPeriod, JournalLine
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
    others: list[StatementRow] = field(default_factory=list)
    closed: ClosedPeriod | None = None  # the year's close, once the approver has closed it

    @property
    def status(self) -> str:
        """Whether the figures can still move: final once the year is closed, provisional until then."""
        if self.closed is None:
            return _("Provisional — year not closed")
        closed_on = timezone.localtime(self.closed.closed_at)
        return _("Final — year closed on %(closed_on)s by %(closed_by)s") % {
            "closed_on": date_format(closed_on, "d M Y"),
            "closed_by": self.closed.closed_by,
        }

    @property
    def total_receipts(self) -> Decimal:
        return sum((row.amount for row in self.receipts), ZERO)

    @property
    def total_payments(self) -> Decimal:
        return sum((row.amount for row in self.payments), ZERO)

    @property
    def total_others(self) -> Decimal:
        """Money into the bank (positive) or out of it that is neither income nor expense."""
        return sum((row.amount for row in self.others), ZERO)

    @property
    def closing(self) -> Decimal:
        return (self.opening + self.total_receipts - self.total_payments + self.total_others).quantize(ledger.CENT)

    def rows(self) -> list[dict[str, Any]]:
        """The statement as rows for the Excel download: section, line, amount."""
        rows: list[dict[str, Any]] = [
            {"section": _("Status"), "line": self.status, "amount": None},
            {
                "section": _("Opening balance"),
                "line": (_("1 July %(year)s") % {"year": self.start.year}),
                "amount": self.opening,
            },
        ]
        rows += [{"section": _("Receipts"), "line": r.label, "amount": r.amount} for r in self.receipts]
        rows.append({"section": _("Receipts"), "line": _("Total receipts"), "amount": self.total_receipts})
        rows += [{"section": _("Disbursements"), "line": r.label, "amount": r.amount} for r in self.payments]
        rows.append({"section": _("Disbursements"), "line": _("Total disbursements"), "amount": self.total_payments})
        rows += [{"section": _("Other movements"), "line": r.label, "amount": r.amount} for r in self.others]
        rows.append(
            {
                "section": _("Closing balance"),
                "line": (_("30 June %(year)s") % {"year": self.end.year}),
                "amount": self.closing,
            }
        )
        return rows


def _net(acct: Any, debit_normal: bool) -> Decimal:
    net: Decimal = acct.total_debit - acct.total_credit if debit_normal else acct.total_credit - acct.total_debit
    return net.quantize(ledger.CENT)


def _opening_entry_lines(start: dt.date, end: dt.date) -> dict[str, Decimal]:
    """The books' opening-balance entry, when dated in the year: its net debit by account code."""
    lines = JournalLine.objects.filter(
        entry__kind=EntryKind.OPENING, entry__entry_date__gte=start, entry__entry_date__lte=end
    ).values_list("account__code", "debit", "credit")
    net: dict[str, Decimal] = {}
    for code, debit, credit in lines:
        net[code] = net.get(code, ZERO) + debit - credit
    return net


def _receipt_label(code: str, name: str) -> str:
    labels = {code: str(ReceiptSource(source).label) for source, code in SOURCE_ACCOUNTS.items()}
    return labels.get(code, name.removeprefix("Income — "))


def fund_statement(year: str) -> FundStatement:
    """The statement of ``year``: its opening is the bank balance at the end of the previous year (plus
    the books' opening balance when it is dated in the year), so it always equals the previous year's
    closing; receipts are every income account, disbursements every expense account, and what else moved
    the bank (suspense, corrections between balance-sheet accounts) is shown as other movements, so the
    closing balance is the ledger's bank balance at the year's end. Reversals count against what they
    reverse."""
    start, end = year_bounds(year)
    opening_entry = _opening_entry_lines(start, end)
    opening = ledger.bank_balance(start - dt.timedelta(days=1)) + opening_entry.get(BANK, ZERO)
    movements = {a.code: a for a in ledger.accounts_with_totals(as_at=end, since=start)}
    closed = ClosedPeriod.objects.filter(kind=PeriodKind.YEAR, start=start).select_related("closed_by").first()
    statement = FundStatement(year=year, start=start, end=end, opening=opening, closed=closed)
    purposes = {code: str(DisbursementPurpose(purpose).label) for purpose, code in PURPOSE_ACCOUNTS.items()}
    for code, acct in movements.items():
        if acct.account_type == AccountType.INCOME:
            if code in SOURCE_ACCOUNTS.values() or _net(acct, debit_normal=False):
                statement.receipts.append(StatementRow(_receipt_label(code, acct.name), _net(acct, False), code))
        elif acct.account_type == AccountType.EXPENSE:
            if code in purposes or _net(acct, debit_normal=True):
                statement.payments.append(StatementRow(purposes.get(code, acct.name), _net(acct, True), code))
        elif code != BANK:
            # A balance-sheet account's movement in the year, less the opening entry's: what it put into the
            # bank (a credit to suspense or to the accumulated fund) or took out of it (a debit).
            other = (-_net(acct, debit_normal=True) + opening_entry.get(code, ZERO)).quantize(ledger.CENT)
            if other:
                statement.others.append(StatementRow(acct.name, other, code))
    return statement

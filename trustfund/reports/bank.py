"""Bank ↔ ledger: the bank's balance per its statements against the ledger's at a date, and what
explains the difference (lines only on the statement, entries only in the ledger)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

from django.db.models import F, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.labels import Label
from core.paging import QueryRows
from trustfund import ledger
from trustfund.chart import BANK
from trustfund.choices import EntryKind, MatchMethod
from trustfund.matching import unmatched_bank_entries
from trustfund.models import Account, JournalEntry, JournalLine, StatementLine

ZERO = ledger.ZERO


@dataclass(frozen=True)
class MatchedLine:
    """A statement line matched to a ledger entry, as the reconciliation lists it (read as plain values:
    a year's statements hold thousands of matched lines)."""

    date: dt.date
    reference: str
    description: str
    amount: Decimal
    match_method: str
    entry_reference: str
    entry_document_reference: str

    def get_match_method_display(self) -> Label:
        return MatchMethod(self.match_method).label if self.match_method else ""


@dataclass(frozen=True)
class BankEntry:
    """A ledger entry that moved the bank, as the reconciliation lists it: read as plain values (a year's
    ledger holds thousands) with what it did to the bank — positive in, negative out."""

    pk: int
    reference: str
    entry_date: dt.date
    description: str
    document_reference: str
    bank_reference: str
    kind: str  # the entry's ``EntryKind``
    matched_on: dt.date | None  # the date of the statement line it is matched to, if any
    bank_amount: Decimal

    def get_absolute_url(self) -> str:
        return reverse("trustfund:entry_detail", args=[self.pk])


def bank_entries(entries: QuerySet[JournalEntry]) -> list[BankEntry]:
    """``entries`` that moved the bank, by date, as ``BankEntry`` values: one query over the bank's journal
    lines, grouped by entry (no DISTINCT, no per-entry subquery)."""
    fields = (
        "entry_id",
        "entry__reference",
        "entry__entry_date",
        "entry__description",
        "entry__document_reference",
        "entry__bank_reference",
        "entry__kind",
        "entry__statement_line__date",
    )
    rows = (
        JournalLine.objects.filter(account__code=BANK, entry__in=entries.values("pk"))
        .values(*fields)
        .annotate(bank_amount=Sum(F("debit") - F("credit"), output_field=ledger.MONEY))
        .order_by("entry__entry_date", "entry_id")
        .values_list(*fields, "bank_amount")
    )
    return [BankEntry(*row) for row in rows]


@dataclass
class BankReconciliation:
    as_at: dt.date
    ledger_balance: Decimal
    statement_balance: Decimal | None
    matched: Sequence[MatchedLine]  # read lazily: its count, a page, or every row for the workbook
    unmatched_lines: list[StatementLine]
    unmatched_entries: list[BankEntry]

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

    @property
    def matched_rows(self) -> Sequence[dict[str, Any]]:
        """The matched lines as rows, as lazily as ``matched`` is read."""
        as_row = partial(_matched_row, str(MATCHED))  # the section's name translated once, not once a row
        if isinstance(self.matched, QueryRows):
            return self.matched.mapped(as_row)
        return [as_row(line) for line in self.matched]

    def unmatched_line_rows(self) -> list[dict[str, Any]]:
        section = str(UNMATCHED_LINES)
        return [
            {
                "section": section,
                "date": line.date,
                "reference": line.reference,
                "description": line.description,
                "amount": line.amount,
                "ledger": "",
            }
            for line in self.unmatched_lines
        ]

    def unmatched_entry_rows(self) -> list[dict[str, Any]]:
        section = str(UNMATCHED_ENTRIES)
        return [
            {
                "section": section,
                "date": entry.entry_date,
                "reference": entry.document_reference,
                "description": entry.description,
                "amount": entry.bank_amount,
                "ledger": entry.reference,
            }
            for entry in self.unmatched_entries
        ]

    def rows(self) -> list[dict[str, Any]]:
        """Every row, section by section, then the balances (the working reconciliation's workbook)."""
        summary = [
            (_("Ledger bank balance"), self.ledger_balance),
            (_("Bank statement balance"), self.statement_balance),
            (_("Difference (bank − ledger)"), self.difference),
        ]
        return [
            *self.matched_rows,
            *self.unmatched_line_rows(),
            *self.unmatched_entry_rows(),
            *(
                {"section": _("Balances"), "date": self.as_at, "reference": "", "description": label, "amount": amount}
                | {"ledger": ""}
                for label, amount in summary
            ),
        ]


MATCHED = gettext_lazy("Matched")
UNMATCHED_LINES = gettext_lazy("On the statement, not in the ledger")
UNMATCHED_ENTRIES = gettext_lazy("In the ledger, not on the statement")


def _matched_row(section: str, line: MatchedLine) -> dict[str, Any]:
    return {
        "section": section,
        "date": line.date,
        "reference": line.reference,
        "description": line.description,
        "amount": line.amount,
        "ledger": f"{line.entry_reference} {line.entry_document_reference}",
    }


def statement_balance(as_at: dt.date) -> Decimal | None:
    """The bank's balance at the end of ``as_at``: the balance it printed on its last line up to then,
    or — with no balance column — the books' opening balance (unless a statement line carries it) plus
    every imported line up to then. None with no statement."""
    lines = StatementLine.objects.filter(date__lte=as_at)
    last = lines.order_by("-date", "-statement__period_end", "-line_number").first()
    if last is None:
        return None
    if last.balance is not None:
        return last.balance
    total: Decimal | None = lines.aggregate(total=Sum("amount"))["total"]
    # Quantized: SQLite sums money as floating point (1.82 − 1.73 comes back as 0.0900000000000001).
    return ((total or ZERO) + _opening_not_on_a_statement(as_at)).quantize(ledger.CENT)


def _opening_not_on_a_statement(as_at: dt.date) -> Decimal:
    """What the books' opening-balance entry put in the bank, when it is dated by ``as_at`` and no statement
    line carries it: the balance the bank held before its first imported line."""
    opening: Decimal | None = (
        ledger.lines_between(end=as_at)
        .filter(account__code=BANK, entry__kind=EntryKind.OPENING, entry__statement_line__isnull=True)
        .aggregate(net=Sum(F("debit") - F("credit")))["net"]
    )
    return opening or ZERO


def bank_reconciliation(
    as_at: dt.date | None = None, *, statement: ReconciliationStatement | None = None
) -> BankReconciliation:
    """Bank ↔ ledger at the end of ``as_at``: the statement lines matched and not, the entries only in the
    ledger; the balances are taken from ``statement`` (the reconciliation statement at the same date) when
    given, rather than read again."""
    as_at = as_at or timezone.localdate()
    lines = StatementLine.objects.filter(date__lte=as_at).order_by("date", "line_number")
    matched = QueryRows(
        lines.filter(matched_entry__isnull=False).values_list(
            "date",
            "reference",
            "description",
            "amount",
            "match_method",
            "matched_entry__reference",
            "matched_entry__document_reference",
        ),
        lambda values: MatchedLine(*values),
    )
    unmatched = list(lines.filter(matched_entry__isnull=True))
    if statement is None:
        entries = bank_entries(unmatched_bank_entries().filter(entry_date__lte=as_at))
    else:  # the statement at the same date has read them with the entries it calls outstanding
        entries = statement.unmatched_entries
    return BankReconciliation(
        as_at=as_at,
        ledger_balance=ledger.bank_balance(as_at) if statement is None else statement.ledger_balance,
        statement_balance=statement_balance(as_at) if statement is None else statement.statement_balance,
        matched=matched,
        unmatched_lines=unmatched,
        unmatched_entries=entries,
    )


def bank_account_name() -> str:
    acct = Account.objects.filter(code=BANK).first()
    return acct.name if acct else _("Bank")


# --------------------------------------------------------------------------------------------------
# The bank reconciliation statement, as an accountant lays it out


@dataclass
class ReconciliationStatement:
    """The bank reconciliation statement of the Fund's bank account as at the end of ``as_at``: the
    balance per the bank statement, less the payments the bank has not yet paid out (unpresented), plus
    the receipts it has not yet credited, is the adjusted bank balance — which equals the balance per the
    ledger when everything on the statement is explained. What is left is the unexplained difference:
    the statement's lines not yet in the ledger (bank charges, interest, unidentified receipts …).

    "As at D": a ledger entry dated on or before D not matched to a statement line dated on or before D
    is outstanding; a statement line dated on or before D not matched to an entry dated on or before D is
    unexplained. A match made later never changes an earlier statement's items."""

    as_at: dt.date
    statement_balance: Decimal | None
    ledger_balance: Decimal
    unpresented: list[BankEntry]  # payments out, each with ``bank_amount`` (negative)
    uncredited: list[BankEntry]  # receipts in, each with ``bank_amount`` (positive)
    unmatched_lines: list[StatementLine]
    unmatched_entries: list[BankEntry]  # dated by ``as_at``, matched to no line at all (the working reconciliation's)

    @property
    def unpresented_payments(self) -> Decimal:
        return -sum((entry.bank_amount for entry in self.unpresented), ZERO)

    @property
    def uncredited_receipts(self) -> Decimal:
        return sum((entry.bank_amount for entry in self.uncredited), ZERO)

    @property
    def unmatched_lines_total(self) -> Decimal:
        return sum((line.amount for line in self.unmatched_lines), ZERO)

    @property
    def adjusted_bank_balance(self) -> Decimal | None:
        if self.statement_balance is None:
            return None
        return self.statement_balance - self.unpresented_payments + self.uncredited_receipts

    @property
    def difference(self) -> Decimal | None:
        """The adjusted bank balance less the ledger's: zero when reconciled (None with no statement)."""
        adjusted = self.adjusted_bank_balance
        return None if adjusted is None else adjusted - self.ledger_balance

    @property
    def reconciled(self) -> bool:
        return self.difference == ZERO

    def summary(self) -> list[tuple[str, Decimal | None]]:
        """The statement's lines, top to bottom, as (label, amount)."""
        return [
            (
                (_("Balance per bank statement, %(as_at)s") % {"as_at": date_format(self.as_at, "d M Y")}),
                self.statement_balance,
            ),
            (_("Less: unpresented payments"), self.unpresented_payments),
            (_("Add: receipts not yet credited by the bank"), self.uncredited_receipts),
            (_("Adjusted bank balance"), self.adjusted_bank_balance),
            (
                (_("Balance per ledger (bank account), %(as_at)s") % {"as_at": date_format(self.as_at, "d M Y")}),
                self.ledger_balance,
            ),
            (_("Unexplained difference"), self.difference),
        ]

    def entry_rows(self, entries: list[BankEntry]) -> list[dict[str, Any]]:
        return [
            {
                "date": entry.entry_date,
                "reference": entry.document_reference or entry.bank_reference,
                "description": entry.description,
                "amount": abs(entry.bank_amount),
                "ledger": entry.reference,
            }
            for entry in entries
        ]

    def line_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "date": line.date,
                "reference": line.reference,
                "description": line.description,
                "amount": line.amount,
                "ledger": line.matched_entry.reference if line.matched_entry_id else "",  # type: ignore[union-attr]
            }
            for line in self.unmatched_lines
        ]


def reconciliation_statement(as_at: dt.date) -> ReconciliationStatement:
    """The bank reconciliation statement as at the end of ``as_at`` (a fixed number of queries)."""
    # Entries dated by ``as_at`` not matched by then: to no line, or to a line dated later. One read serves the
    # statement (outstanding) and the working reconciliation (those matched to no line at all).
    not_matched_by_then = bank_entries(
        JournalEntry.objects.filter(entry_date__lte=as_at).filter(
            Q(statement_line__isnull=True) | Q(statement_line__date__gt=as_at)
        )
    )
    # The books' opening balance is what the bank held before its first line: agreed, not outstanding.
    outstanding = [
        entry for entry in not_matched_by_then if entry.kind != EntryKind.OPENING or entry.matched_on is not None
    ]
    unexplained = list(
        StatementLine.objects.filter(date__lte=as_at)
        .filter(Q(matched_entry__isnull=True) | Q(matched_entry__entry_date__gt=as_at))
        .select_related("matched_entry", "statement")
        .order_by("date", "statement__period_end", "line_number")
    )
    return ReconciliationStatement(
        as_at=as_at,
        statement_balance=statement_balance(as_at),
        ledger_balance=ledger.bank_balance(as_at),
        unpresented=[entry for entry in outstanding if entry.bank_amount < 0],
        uncredited=[entry for entry in outstanding if entry.bank_amount > 0],
        unmatched_lines=unexplained,
        unmatched_entries=[entry for entry in not_matched_by_then if entry.matched_on is None],
    )

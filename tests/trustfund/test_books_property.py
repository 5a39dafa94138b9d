"""Property: for any sequence of receipts, payments, adjustments (proposed, some posted) and bank statement
lines (matched, posted from, or left alone), the ledger stays balanced and the bank reconciliation identity
holds at every date:

    statement balance − unpresented payments + uncredited receipts − ledger balance = the difference,

and the difference is exactly the signed sum of the statement lines not yet explained at that date (a line
dated on or before it, not matched to an entry dated on or before it) — computed here independently of the
report, from the lines and entries themselves."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.models import User
from tests.trustfund.conftest import statement_csv
from tests.trustfund.factories import receive, request
from trustfund import ledger, matching, reports, services, statements
from trustfund.chart import BANK, BANK_CHARGES, INTEREST_INCOME
from trustfund.choices import AdjustmentKind, ProposalStatus, ReceiptSource
from trustfund.exceptions import InsufficientFunds
from trustfund.models import AdjustmentProposal, JournalEntry, StatementLine

pytestmark = pytest.mark.django_db

D = Decimal
BASE = dt.date(2026, 9, 1)
TODAY = dt.date(2026, 10, 31)
ZERO = D("0.00")

amounts = st.integers(min_value=1, max_value=500_000).map(lambda cents: D(cents) / 100)
days = st.integers(min_value=0, max_value=20)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("receive"), amounts, days),
        st.tuples(st.just("pay"), amounts, days),
        st.tuples(st.just("adjust"), st.sampled_from(["charge", "interest"]), amounts, days, st.booleans()),
        # a line the bank shows for one of our entries (which, how many days later, matched or not)
        st.tuples(st.just("line_for"), st.integers(0, 30), st.integers(-2, 4), st.booleans()),
        # the bank's own line (money in or out), then perhaps proposed from and posted
        st.tuples(st.just("bank_line"), amounts, st.booleans(), days),
        st.tuples(st.just("propose_from"), st.integers(0, 30), st.booleans()),
    ),
    min_size=1,
    max_size=14,
)


class Rollback(Exception):
    pass


@dataclass
class Books:
    """What the sequence did, as the test keeps it: the entries that moved the bank, the lines imported."""

    admin: User
    approver: User
    entries: list[JournalEntry] = field(default_factory=list)
    lines: list[StatementLine] = field(default_factory=list)
    dates: set[dt.date] = field(default_factory=set)
    files: itertools.count[int] = field(default_factory=itertools.count)

    def import_line(self, day: dt.date, amount: Decimal, description: str) -> StatementLine:
        content = statement_csv([(day.isoformat(), f"{description} {next(self.files)}", "", f"{amount:.2f}")])
        statement = statements.import_statement(self.admin, name="line.csv", content=content, auto_match_lines=False)
        line = statement.lines.get()
        self.lines.append(line)
        self.dates.add(day)
        return line

    def post(self, proposal: AdjustmentProposal) -> None:
        try:
            services.post_proposal(proposal, self.approver, no_documents_reason="Bank advice on file", today=TODAY)
        except InsufficientFunds:
            return  # a charge the bank balance cannot take on that day stays awaiting a decision
        assert proposal.entry is not None
        self.entries.append(proposal.entry)


def adjustment_lines(kind: str, amount: Decimal) -> list[ledger.Line]:
    bank = ledger.account(BANK)
    if kind == "charge":
        return [ledger.Line(ledger.account(BANK_CHARGES), debit=amount), ledger.Line(bank, credit=amount)]
    return [ledger.Line(bank, debit=amount), ledger.Line(ledger.account(INTEREST_INCOME), credit=amount)]


def step(books: Books, op: str, *args: Any) -> None:
    admin, approver = books.admin, books.approver
    if op == "receive":
        amount, offset = args
        receipt = receive(admin, amount, BASE + dt.timedelta(days=offset), source=ReceiptSource.DONATION, today=TODAY)
        books.entries.append(receipt.entry)
    elif op == "pay":
        amount, offset = args
        day = BASE + dt.timedelta(days=offset)
        disbursement = request(admin, amount, day, today=TODAY)
        services.approve_disbursement(disbursement, approver, no_documents_reason="On the Board's paper file")
        try:
            services.pay_disbursement(disbursement, admin, paid_on=day, today=TODAY)
        except InsufficientFunds:
            return
        assert disbursement.payment_entry is not None
        books.entries.append(disbursement.payment_entry)
    elif op == "adjust":
        kind, amount, offset, post = args
        proposal = services.propose_adjustment(
            admin,
            kind=AdjustmentKind.BANK_CHARGES if kind == "charge" else AdjustmentKind.INTEREST,
            entry_date=BASE + dt.timedelta(days=offset),
            description=f"Property {kind}",
            reason="Property test",
            lines=adjustment_lines(kind, amount),
            today=TODAY,
        )
        if post:
            books.post(proposal)
    elif op == "line_for":
        index, lag, match = args
        shown = {line.matched_entry_id for line in StatementLine.objects.exclude(matched_entry=None)}
        waiting = [entry for entry in books.entries if entry.pk not in shown]
        if waiting:
            entry = waiting[index % len(waiting)]
            line = books.import_line(entry.entry_date + dt.timedelta(days=lag), ledger.bank_effect(entry), "ENTRY")
            if match:
                matching.match_line(line, entry, admin)
    elif op == "bank_line":
        amount, money_in, offset = args
        books.import_line(BASE + dt.timedelta(days=offset), amount if money_in else -amount, "BANK")
    elif op == "propose_from":
        index, post = args
        busy = set(
            AdjustmentProposal.objects.filter(status=ProposalStatus.PROPOSED).values_list("statement_line", flat=True)
        )
        free = [line for line in StatementLine.objects.filter(matched_entry=None) if line.pk not in busy]
        if free:
            line = free[index % len(free)]
            kind = "interest" if line.amount > 0 else "charge"
            proposal = services.propose_adjustment(
                admin,
                kind=AdjustmentKind.INTEREST if line.amount > 0 else AdjustmentKind.BANK_CHARGES,
                entry_date=line.date,
                description=line.description,
                reason="On the statement",
                lines=adjustment_lines(kind, abs(line.amount)),
                statement_line=line,
                today=TODAY,
            )
            if post:
                books.post(proposal)


def unexplained_total(as_at: dt.date) -> Decimal:
    """The signed sum of the lines dated on or before ``as_at`` not matched to an entry dated on or before it."""
    lines = StatementLine.objects.filter(date__lte=as_at).select_related("matched_entry")
    return sum(
        (line.amount for line in lines if line.matched_entry is None or line.matched_entry.entry_date > as_at), ZERO
    )


def outstanding(as_at: dt.date) -> tuple[Decimal, Decimal]:
    """(unpresented payments, uncredited receipts) at ``as_at``, from the entries themselves."""
    out, into = ZERO, ZERO
    for entry in JournalEntry.objects.filter(entry_date__lte=as_at):
        effect = ledger.bank_effect(entry)
        line = StatementLine.objects.filter(matched_entry=entry, date__lte=as_at).first()
        if effect and line is None:
            out, into = (out - effect, into) if effect < 0 else (out, into + effect)
    return out, into


def check_identity(as_at: dt.date) -> None:
    rec = reports.reconciliation_statement(as_at)
    assert rec.ledger_balance == ledger.bank_balance(as_at)
    assert (rec.unpresented_payments, rec.uncredited_receipts) == outstanding(as_at)
    assert rec.unpresented_payments >= 0 and rec.uncredited_receipts >= 0
    if rec.statement_balance is None:
        assert not StatementLine.objects.filter(date__lte=as_at).exists()
        return
    assert rec.statement_balance == sum(
        (line.amount for line in StatementLine.objects.filter(date__lte=as_at)), ZERO
    )  # no balance column: the bank's balance is the sum of its lines
    assert rec.adjusted_bank_balance == rec.statement_balance - rec.unpresented_payments + rec.uncredited_receipts
    assert rec.difference == rec.adjusted_bank_balance - rec.ledger_balance
    assert rec.difference == unexplained_total(as_at) == rec.unmatched_lines_total


def check_books(books: Books) -> None:
    rows = ledger.trial_balance()
    assert sum(r.debit for r in rows) == sum(r.credit for r in rows)
    assert sum(r.debit_balance for r in rows) == sum(r.credit_balance for r in rows)
    # Proposals awaiting a decision (or rejected) post nothing: the bank is what the entries moved.
    assert ledger.bank_balance() == sum((ledger.bank_effect(entry) for entry in books.entries), ZERO)
    assert not AdjustmentProposal.objects.filter(status=ProposalStatus.PROPOSED).exclude(entry=None).exists()
    for as_at in sorted(books.dates | {BASE - dt.timedelta(days=1), BASE + dt.timedelta(days=10), TODAY}):
        check_identity(as_at)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_any_sequence_keeps_the_ledger_balanced_and_the_reconciliation_identity(ops, fund_admin, fund_approver) -> None:
    try:
        with transaction.atomic():
            books = Books(fund_admin, fund_approver)
            for op, *args in ops:
                step(books, op, *args)
            check_books(books)
            raise Rollback
    except Rollback:
        pass

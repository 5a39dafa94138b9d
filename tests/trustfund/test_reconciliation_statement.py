"""The bank reconciliation statement, worked by hand (tests/trustfund/books_world.py): balance per bank
statement, less unpresented payments, plus receipts not yet credited, against the balance per ledger —
at a month's end, and at any date when a match crosses the month end."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.trustfund.books_world import post_charge, the_month
from trustfund import reports

pytestmark = pytest.mark.django_db
D = Decimal


def test_the_months_end_by_hand(fund_admin, fund_approver) -> None:
    month = the_month(fund_admin, fund_approver)
    rec = reports.reconciliation_statement(month.last)
    assert rec.as_at == month.last
    assert rec.statement_balance == D("99850.00")  # 100,000 credited less the 150 charge
    assert rec.unpresented_payments == D("30000.00")
    assert rec.uncredited_receipts == D("5000.00")
    assert rec.adjusted_bank_balance == D("74850.00")  # 99,850 − 30,000 + 5,000
    assert rec.ledger_balance == D("75000.00")  # 100,000 − 30,000 + 5,000
    assert rec.difference == D("-150.00")  # the charge the ledger does not hold yet
    assert [e.pk for e in rec.unpresented] == [month.payment.payment_entry_id]
    assert [e.pk for e in rec.uncredited] == [month.late_receipt.entry_id]
    assert [line.pk for line in rec.unmatched_lines] == [month.charge_line.pk]
    assert not rec.reconciled
    labels = [label for label, _ in rec.summary()]
    assert labels[1:4] == [
        "Less: unpresented payments",
        "Add: receipts not yet credited by the bank",
        "Adjusted bank balance",
    ]


def test_posting_the_charge_reconciles_the_month(fund_admin, fund_approver) -> None:
    month = the_month(fund_admin, fund_approver)
    post_charge(month, fund_admin, fund_approver)
    rec = reports.reconciliation_statement(month.last)
    assert (rec.statement_balance, rec.ledger_balance) == (D("99850.00"), D("74850.00"))
    assert (rec.unpresented_payments, rec.uncredited_receipts) == (D("30000.00"), D("5000.00"))
    assert rec.difference == D("0.00") and rec.reconciled
    assert rec.unmatched_lines == []


def test_a_match_across_the_month_end_counts_only_once_both_dates_have_passed(fund_admin, fund_approver) -> None:
    month = the_month(fund_admin, fund_approver)
    post_charge(month, fund_admin, fund_approver)
    # The day the late receipt's credit reaches the bank: the receipt is no longer outstanding, the
    # payment still is (presented a day later).
    on_credit = reports.reconciliation_statement(month.next_first)
    assert on_credit.uncredited_receipts == D("0.00") and on_credit.unpresented_payments == D("30000.00")
    assert on_credit.statement_balance == D("104850.00")
    assert on_credit.difference == D("0.00")
    cleared = reports.reconciliation_statement(month.next_first + dt.timedelta(days=1))
    assert (cleared.unpresented_payments, cleared.uncredited_receipts) == (D("0.00"), D("0.00"))
    assert cleared.statement_balance == cleared.ledger_balance == D("74850.00")
    assert cleared.difference == D("0.00")
    # Before the payment was made, it is not outstanding (dated after the statement).
    early = reports.reconciliation_statement(month.first + dt.timedelta(days=5))
    assert early.unpresented == [] and early.difference == D("0.00")


def test_without_a_statement_there_is_no_difference_to_show(fund_admin) -> None:
    rec = reports.reconciliation_statement(dt.date(2020, 1, 31))
    assert rec.statement_balance is None and rec.adjusted_bank_balance is None and rec.difference is None
    assert not rec.reconciled

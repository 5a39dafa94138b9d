"""The ledger's and the services' rules: balanced, one-sided, positive, immutable, never overdrawn,
four eyes, reversed once — in the services and, underneath, in the database."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from assets.choices import AssetStatus
from tests.helpers import table_counts
from tests.trustfund.factories import approved, days_ago, paid, realisation, receive, request
from trustfund import ledger, services
from trustfund.chart import BANK, SOURCE_ACCOUNTS
from trustfund.choices import DisbursementStatus, EntryKind, ReceiptSource
from trustfund.exceptions import (
    AlreadyReversed,
    IllegalDisbursementMove,
    InsufficientFunds,
    InvalidAmount,
    InvalidDate,
    NotForTheFund,
    OverReceipt,
    PostedEntryImmutable,
    SelfApproval,
    UnbalancedEntry,
)
from trustfund.models import JournalEntry, JournalLine

pytestmark = pytest.mark.django_db
D = Decimal


def lines(debit: str, credit: str) -> list[ledger.Line]:
    return [
        ledger.Line(ledger.account(BANK), debit=D(debit)),
        ledger.Line(ledger.account(SOURCE_ACCOUNTS[ReceiptSource.DONATION]), credit=D(credit)),
    ]


def post(user, entry_lines: list[ledger.Line]) -> JournalEntry:
    return ledger.post_entry(
        user, entry_date=days_ago(1), kind=EntryKind.ADJUSTMENT, description="Test", lines=entry_lines
    )


def test_an_unbalanced_entry_is_refused_and_nothing_is_saved(fund_admin) -> None:
    before = table_counts("trustfund")
    with pytest.raises(UnbalancedEntry, match=re.escape("does not balance: debits KES 100.00, credits KES 90.00")):
        post(fund_admin, lines("100.00", "90.00"))
    assert table_counts("trustfund") == before


@pytest.mark.parametrize(
    ("debit", "credit", "words"),
    [("0", "0", "either a debit or a credit"), ("-5", "-5", "negative"), ("1.005", "1.005", "two decimal")],
)
def test_lines_must_be_one_sided_positive_and_in_cents(fund_admin, debit, credit, words) -> None:
    with pytest.raises(UnbalancedEntry, match=words):
        post(fund_admin, lines(debit, credit))


def test_a_line_with_both_sides_is_refused(fund_admin) -> None:
    both = [ledger.Line(ledger.account(BANK), debit=D("5"), credit=D("5")), *lines("0", "0")[1:]]
    with pytest.raises(UnbalancedEntry, match="never both"):
        post(fund_admin, both)


def test_a_single_line_entry_is_refused(fund_admin) -> None:
    with pytest.raises(UnbalancedEntry, match="at least one debit and one credit"):
        post(fund_admin, lines("5", "5")[:1])


def test_the_database_refuses_two_sided_zero_or_negative_lines(fund_admin) -> None:
    entry = post(fund_admin, lines("10.00", "10.00"))
    bank = ledger.account(BANK)
    for debit, credit in [(D("1"), D("1")), (D("0"), D("0")), (D("-1"), D("0"))]:
        with pytest.raises(IntegrityError), transaction.atomic():
            JournalLine(entry=entry, account=bank, debit=debit, credit=credit).save()


def test_posted_entries_and_lines_cannot_be_changed_or_deleted(fund_admin) -> None:
    entry = post(fund_admin, lines("10.00", "10.00"))
    entry.description = "Changed"
    with pytest.raises(PostedEntryImmutable):
        entry.save()
    with pytest.raises(PostedEntryImmutable):
        entry.delete()
    line = entry.lines.first()
    assert line is not None
    with pytest.raises(PostedEntryImmutable):
        line.save()
    with pytest.raises(PostedEntryImmutable):
        JournalLine.objects.filter(entry=entry).update(memo="x")
    with pytest.raises(PostedEntryImmutable):
        JournalEntry.objects.filter(pk=entry.pk).delete()
    entry.refresh_from_db()
    assert entry.description == "Test"


@pytest.mark.parametrize("amount", ["0", "-100.00"])
def test_a_receipt_of_zero_or_less_is_refused(fund_admin, amount) -> None:
    before = table_counts("trustfund")
    with pytest.raises(InvalidAmount, match="more than zero"):
        receive(fund_admin, amount)
    assert table_counts("trustfund") == before


def test_a_receipt_posts_dr_bank_cr_income(fund_admin) -> None:
    receipt = receive(fund_admin, "1234.56", source=ReceiptSource.DONATION, payer="A donor")
    assert receipt.reference.startswith("RCT/2026-27/")
    posted = {(line.account.code, line.debit, line.credit) for line in receipt.entry.lines.select_related("account")}
    assert posted == {(BANK, D("1234.56"), D("0")), (SOURCE_ACCOUNTS[ReceiptSource.DONATION], D("0"), D("1234.56"))}


def test_forfeited_proceeds_must_cite_a_realisation_bound_for_the_fund(fund_admin) -> None:
    with pytest.raises(NotForTheFund, match="must cite the realisation"):
        receive(fund_admin, "100.00", source=ReceiptSource.FORFEITED_PROCEEDS, payer="ARA")
    elsewhere = realisation(D("5000.00"), destination="carf")
    with pytest.raises(NotForTheFund, match="not to the trust fund"):
        receive(fund_admin, "100.00", source=ReceiptSource.FORFEITED_PROCEEDS, payer="ARA", realisation=elsewhere)
    ours = realisation(D("5000.00"))
    with pytest.raises(NotForTheFund, match="Only forfeited proceeds"):
        receive(fund_admin, "100.00", realisation=ours)


def test_receipts_may_not_exceed_the_net_proceeds_without_a_reason(fund_admin) -> None:
    sold = realisation(D("5000.00"), realised_on=days_ago(20))
    receive(fund_admin, "3000.00", source=ReceiptSource.FORFEITED_PROCEEDS, payer="ARA", realisation=sold)
    with pytest.raises(OverReceipt, match="would exceed it"):
        receive(fund_admin, "2000.01", source=ReceiptSource.FORFEITED_PROCEEDS, payer="ARA", realisation=sold)
    sold.asset.refresh_from_db()
    assert sold.asset.status == AssetStatus.REALISED
    receive(
        fund_admin,
        "2500.00",
        source=ReceiptSource.FORFEITED_PROCEEDS,
        payer="ARA",
        realisation=sold,
        over_receipt_reason="Interest earned in the ARA account while held.",
    )
    sold.asset.refresh_from_db()
    assert sold.asset.status == AssetStatus.TRANSFERRED
    assert services.received_for(sold) == D("5500.00")


def test_proceeds_cannot_be_received_before_the_sale(fund_admin) -> None:
    sold = realisation(D("5000.00"), realised_on=days_ago(5))
    with pytest.raises(InvalidDate, match="cannot be received before"):
        receive(
            fund_admin, "100.00", days_ago(6), source=ReceiptSource.FORFEITED_PROCEEDS, payer="ARA", realisation=sold
        )


def test_nothing_is_dated_in_the_future(fund_admin) -> None:
    with pytest.raises(InvalidDate, match="future"):
        receive(fund_admin, "100.00", dt.date.today() + dt.timedelta(days=2))


def test_the_approver_is_never_the_requester(fund_admin, fund_approver) -> None:
    disbursement = request(fund_admin, "100.00")
    with pytest.raises(SelfApproval, match="another approver must approve it"):
        services.approve_disbursement(disbursement, fund_admin)
    with pytest.raises(SelfApproval, match="another approver must reject it"):
        services.reject_disbursement(disbursement, fund_admin, reason="x")
    disbursement.refresh_from_db()
    assert disbursement.status == DisbursementStatus.REQUESTED
    services.approve_disbursement(disbursement, fund_approver, no_documents_reason="On the Board's paper file")
    assert disbursement.status == DisbursementStatus.APPROVED


def test_the_database_refuses_a_self_approval_too(fund_admin) -> None:
    disbursement = request(fund_admin, "100.00")
    disbursement.decided_by = fund_admin
    with pytest.raises(IntegrityError), transaction.atomic():
        disbursement.save()


def test_paying_needs_approval_and_happens_once(fund_admin, fund_approver) -> None:
    receive(fund_admin, "1000.00")
    waiting = request(fund_admin, "100.00")
    with pytest.raises(IllegalDisbursementMove, match="only an approved disbursement can be paid"):
        services.pay_disbursement(waiting, fund_admin, paid_on=days_ago(1))
    done = paid(fund_admin, fund_approver, "100.00")
    with pytest.raises(IllegalDisbursementMove, match="is already paid"):
        services.pay_disbursement(done, fund_admin, paid_on=days_ago(1))
    assert ledger.bank_balance() == D("900.00")


def test_paying_beyond_the_balance_is_refused(fund_admin, fund_approver) -> None:
    receive(fund_admin, "1000.00")
    big = approved(fund_admin, fund_approver, "1000.01")
    before = table_counts("trustfund")
    with pytest.raises(InsufficientFunds, match=re.escape("would overdraw the Fund: only KES 1,000.00 is available")):
        services.pay_disbursement(big, fund_admin, paid_on=days_ago(1))
    assert table_counts("trustfund") == before
    big.refresh_from_db()
    assert big.status == DisbursementStatus.APPROVED


def test_a_backdated_payment_must_fit_on_every_later_day(fund_admin, fund_approver) -> None:
    receive(fund_admin, "1000.00", days_ago(10))
    paid(fund_admin, fund_approver, "800.00", days_ago(2), requested_on=days_ago(8))
    # On day -5 the bank held 1,000, but paying 500 then would leave −300 after the later payment.
    late = approved(fund_admin, fund_approver, "500.00", requested_on=days_ago(8))
    with pytest.raises(InsufficientFunds):
        services.pay_disbursement(late, fund_admin, paid_on=days_ago(5))
    services.pay_disbursement(
        approved(fund_admin, fund_approver, "200.00", requested_on=days_ago(8)), fund_admin, paid_on=days_ago(5)
    )
    assert ledger.bank_balance() == D("0.00")


def test_reject_and_cancel_say_why_and_end_the_request(fund_admin, fund_approver) -> None:
    disbursement = request(fund_admin, "100.00")
    with pytest.raises(Exception, match="Say why"):
        services.reject_disbursement(disbursement, fund_approver, reason=" ")
    services.reject_disbursement(disbursement, fund_approver, reason="Not eligible")
    with pytest.raises(IllegalDisbursementMove, match="can no longer be approved"):
        services.approve_disbursement(disbursement, fund_approver)
    other = approved(fund_admin, fund_approver, "100.00")
    services.cancel_disbursement(other, fund_admin, reason="Raised twice")
    with pytest.raises(IllegalDisbursementMove, match="only an approved disbursement can be paid"):
        services.pay_disbursement(other, fund_admin, paid_on=days_ago(1))
    moves = [(e.from_status, e.to_status, e.by) for e in other.events.order_by("at", "id")]
    assert moves == [
        ("", "requested", fund_admin),
        ("requested", "approved", fund_approver),
        ("approved", "cancelled", fund_admin),
    ]


def test_an_entry_is_reversed_once_and_a_reversal_is_not_reversed(fund_admin, fund_approver) -> None:
    receive(fund_admin, "1000.00")
    done = paid(fund_admin, fund_approver, "400.00")
    assert done.payment_entry is not None
    reversal = services.reverse_entry(done.payment_entry, fund_admin, reversed_on=days_ago(1), reason="Bounced")
    assert reversal.reverses == done.payment_entry
    assert ledger.bank_balance() == D("1000.00")
    with pytest.raises(AlreadyReversed, match="has already been reversed"):
        services.reverse_entry(done.payment_entry, fund_admin, reversed_on=days_ago(1), reason="Again")
    with pytest.raises(AlreadyReversed, match="is itself a reversal"):
        services.reverse_entry(reversal, fund_admin, reversed_on=days_ago(1), reason="Undo")
    assert ledger.bank_balance() == D("1000.00")


def test_reversing_a_receipt_may_not_overdraw_the_fund(fund_admin, fund_approver) -> None:
    receipt = receive(fund_admin, "1000.00", days_ago(10))
    paid(fund_admin, fund_approver, "600.00", days_ago(2), requested_on=days_ago(5))
    with pytest.raises(InsufficientFunds, match="overdraw"):
        services.reverse_entry(receipt.entry, fund_admin, reversed_on=days_ago(1), reason="Wrong account")
    assert ledger.bank_balance() == D("400.00")


def test_the_trial_balance_agrees_and_balances_as_at_any_date(fund_admin, fund_approver) -> None:
    receive(fund_admin, "1000.00", days_ago(10))
    paid(fund_admin, fund_approver, "250.00", days_ago(3), requested_on=days_ago(5))
    for as_at in (days_ago(11), days_ago(5), None):
        rows = ledger.trial_balance(as_at)
        assert sum(r.debit_balance for r in rows) == sum(r.credit_balance for r in rows)
    assert ledger.bank_balance(days_ago(11)) == 0
    assert ledger.bank_balance(days_ago(5)) == D("1000.00")
    assert ledger.bank_balance() == D("750.00")


@pytest.mark.postgres
def test_postgresql_refuses_to_commit_an_unbalanced_entry(fund_admin) -> None:
    """Even code that bypasses the service cannot leave an unbalanced entry: a deferred trigger checks."""
    from django.db import connection

    entry = JournalEntry(
        reference="JNL/TEST/1", entry_date=days_ago(1), kind=EntryKind.ADJUSTMENT, description="x", posted_by=fund_admin
    )
    entry.save()
    with pytest.raises(IntegrityError, match="does not balance"), transaction.atomic():
        JournalLine(entry=entry, account=ledger.account(BANK), debit=D("10.00")).save()
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

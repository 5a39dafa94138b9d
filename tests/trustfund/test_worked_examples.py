"""A year of the Fund walked step by step, checking every balance as an accountant's worked example would."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from assets.choices import AssetStatus
from tests.trustfund.factories import realisation, receive, request, victim
from trustfund import ledger, reports, services
from trustfund.chart import BANK, PURPOSE_ACCOUNTS, SOURCE_ACCOUNTS
from trustfund.choices import DisbursementPurpose, DisbursementStatus, ReceiptSource

pytestmark = pytest.mark.django_db

D = Decimal
TODAY = dt.date(2027, 8, 15)  # the year walked is 2026-27, now closed


def trial_balance_zero(as_at: dt.date | None = None) -> None:
    rows = ledger.trial_balance(as_at)
    assert sum((r.debit for r in rows), D(0)) == sum((r.credit for r in rows), D(0))


def test_a_year_of_the_fund(fund_admin, fund_approver) -> None:
    admin, approver = fund_admin, fund_approver
    sold = realisation(D("850000.00"), realised_on=dt.date(2026, 8, 25))

    # 1 Jul 2026: the Treasury's appropriation. Dr bank 5,000,000 / Cr appropriation 5,000,000.
    r1 = receive(admin, "5000000.00", dt.date(2026, 7, 1), today=TODAY)
    assert r1.reference == "RCT/2026-27/0001"
    assert ledger.bank_balance() == D("5000000.00")
    assert ledger.account_balance(SOURCE_ACCOUNTS[ReceiptSource.APPROPRIATION]) == D("5000000.00")
    trial_balance_zero()

    # 20 Aug 2026: a donor grant of 1,200,000.
    receive(admin, "1200000.00", dt.date(2026, 8, 20), source=ReceiptSource.DONATION, payer="IOM Kenya", today=TODAY)
    assert ledger.bank_balance() == D("6200000.00")

    # 3 Sep 2026: part of the forfeited vehicle's proceeds, 500,000 of 850,000: still realised.
    receive(
        admin,
        "500000.00",
        dt.date(2026, 9, 3),
        source=ReceiptSource.FORFEITED_PROCEEDS,
        payer="Assets Recovery Agency",
        realisation=sold,
        today=TODAY,
    )
    sold.asset.refresh_from_db()
    assert sold.asset.status == AssetStatus.REALISED
    # 10 Sep 2026: the remaining 350,000: the asset is now transferred, citing the receipt.
    r4 = receive(
        admin,
        "350000.00",
        dt.date(2026, 9, 10),
        source=ReceiptSource.FORFEITED_PROCEEDS,
        payer="Assets Recovery Agency",
        realisation=sold,
        today=TODAY,
    )
    sold.asset.refresh_from_db()
    assert sold.asset.status == AssetStatus.TRANSFERRED
    assert sold.asset.transfer_reference == r4.reference
    assert ledger.bank_balance() == D("7050000.00")
    assert ledger.account_balance(SOURCE_ACCOUNTS[ReceiptSource.FORFEITED_PROCEEDS]) == D("850000.00")

    # Disbursements: shelter for a victim 300,000 and medical 1,000,000, approved and paid.
    v = victim()
    shelter = request(
        admin,
        "300000.00",
        dt.date(2026, 10, 1),
        victim=v,
        service_provider="",
        purpose=DisbursementPurpose.SHELTER_BASIC_NEEDS,
        today=TODAY,
    )
    assert shelter.reference == "DSB/2026-27/0001"
    services.approve_disbursement(shelter, approver, no_documents_reason="On the Board's paper file")
    services.pay_disbursement(shelter, admin, paid_on=dt.date(2026, 10, 5), today=TODAY)
    medical = request(admin, "1000000.00", dt.date(2026, 11, 1), today=TODAY)
    services.approve_disbursement(medical, approver, no_documents_reason="On the Board's paper file")
    services.pay_disbursement(medical, admin, paid_on=dt.date(2026, 11, 2), today=TODAY)
    assert ledger.bank_balance() == D("5750000.00")
    assert ledger.account_balance(PURPOSE_ACCOUNTS[DisbursementPurpose.SHELTER_BASIC_NEEDS]) == D("300000.00")
    assert ledger.account_balance(PURPOSE_ACCOUNTS[DisbursementPurpose.MEDICAL]) == D("1000000.00")

    # A rejected and a cancelled request leave the ledger untouched.
    rejected = request(admin, "90000.00", dt.date(2026, 12, 1), today=TODAY)
    services.reject_disbursement(rejected, approver, reason="No Board resolution covers it.")
    cancelled = request(admin, "40000.00", dt.date(2026, 12, 2), today=TODAY)
    services.cancel_disbursement(cancelled, admin, reason="Raised twice.")
    assert ledger.bank_balance() == D("5750000.00")

    # The medical payment was made in error and is reversed on 15 Jan 2027: the money comes back.
    medical.refresh_from_db()
    assert medical.payment_entry is not None
    services.reverse_entry(
        medical.payment_entry, admin, reversed_on=dt.date(2027, 1, 15), reason="Paid in error", today=TODAY
    )
    assert ledger.bank_balance() == D("6750000.00")
    assert ledger.account_balance(PURPOSE_ACCOUNTS[DisbursementPurpose.MEDICAL]) == D("0.00")
    # The balance as at any date is what was posted up to that day.
    assert ledger.bank_balance(dt.date(2026, 8, 31)) == D("6200000.00")
    assert ledger.bank_balance(dt.date(2026, 12, 31)) == D("5750000.00")
    trial_balance_zero()
    trial_balance_zero(dt.date(2026, 10, 31))

    # 2 Jul 2027, the next year: investment income 75,000.50.
    receive(
        admin, "75000.50", dt.date(2027, 7, 2), source=ReceiptSource.INVESTMENT_INCOME, payer="CBK T-bill", today=TODAY
    )

    # The statement of 2026-27.
    statement = reports.fund_statement("2026-27")
    assert statement.opening == D("0.00")
    by_label = {row.code: row.amount for row in statement.receipts}
    assert by_label[SOURCE_ACCOUNTS[ReceiptSource.APPROPRIATION]] == D("5000000.00")
    assert by_label[SOURCE_ACCOUNTS[ReceiptSource.DONATION]] == D("1200000.00")
    assert by_label[SOURCE_ACCOUNTS[ReceiptSource.FORFEITED_PROCEEDS]] == D("850000.00")
    assert by_label[SOURCE_ACCOUNTS[ReceiptSource.INVESTMENT_INCOME]] == D("0.00")
    assert statement.total_receipts == D("7050000.00")
    payments = {row.code: row.amount for row in statement.payments}
    assert payments[PURPOSE_ACCOUNTS[DisbursementPurpose.SHELTER_BASIC_NEEDS]] == D("300000.00")
    assert payments[PURPOSE_ACCOUNTS[DisbursementPurpose.MEDICAL]] == D("0.00")  # paid and reversed
    assert statement.closing == D("6750000.00") == ledger.bank_balance(dt.date(2027, 6, 30))

    # 2027-28 opens where 2026-27 closed.
    following = reports.fund_statement("2027-28")
    assert following.opening == statement.closing
    assert following.total_receipts == D("75000.50")
    assert following.closing == D("6825000.50") == ledger.bank_balance()
    assert ledger.account_balance(BANK) == D("6825000.50")

    statuses = {d.reference: d.status for d in (shelter, medical, rejected, cancelled)}
    assert statuses[shelter.reference] == DisbursementStatus.PAID
    assert rejected.status == DisbursementStatus.REJECTED and cancelled.status == DisbursementStatus.CANCELLED
    assert [e.to_status for e in shelter.events.order_by("at", "id")] == ["requested", "approved", "paid"]

"""Property: any sequence of receipts, requests, approvals, payments and reversals leaves the trial
balance at zero and the bank balance equal to receipts − payments (each net of its reversals),
never negative — and every refusal to pay is one the arithmetic demands."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.models import User
from tests.trustfund.factories import days_ago
from trustfund import ledger, services
from trustfund.choices import DisbursementPurpose, DisbursementStatus, ReceiptSource
from trustfund.exceptions import AlreadyReversed, IllegalDisbursementMove, InsufficientFunds
from trustfund.models import Disbursement, JournalEntry

pytestmark = pytest.mark.django_db

amounts = st.integers(min_value=1, max_value=300_000).map(lambda cents: Decimal(cents) / 100)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("receive"), amounts),
        st.tuples(st.just("request"), amounts),
        st.tuples(st.just("approve"), st.integers(0, 20)),
        st.tuples(st.just("pay"), st.integers(0, 20)),
        st.tuples(st.just("reverse"), st.integers(0, 40)),
    ),
    min_size=1,
    max_size=25,
)


class Rollback(Exception):
    pass


def run(ops: list[tuple[str, Any]], admin: User, approver: User) -> None:
    day = days_ago(1)
    received = paid = Decimal("0.00")
    requests: list[Disbursement] = []
    entries: list[JournalEntry] = []
    for op, value in ops:
        if op == "receive":
            receipt = services.record_receipt(
                admin, source=ReceiptSource.DONATION, amount=value, payer="Donor", received_on=day
            )
            entries.append(receipt.entry)
            received += value
        elif op == "request":
            requests.append(
                services.request_disbursement(
                    admin,
                    purpose=DisbursementPurpose.MEDICAL,
                    amount=value,
                    service_provider="Clinic",
                    resolution_reference="BOT/1",
                    requested_on=day,
                )
            )
        elif op in ("approve", "pay") and requests:
            target = requests[value % len(requests)]
            target.refresh_from_db()
            try:
                if op == "approve":
                    services.approve_disbursement(target, approver, no_documents_reason="On the Board's paper file")
                else:
                    before = ledger.bank_balance()
                    try:
                        services.pay_disbursement(target, admin, paid_on=day)
                    except InsufficientFunds:
                        assert target.amount > before  # refused only when it truly does not fit
                        continue
                    assert target.payment_entry is not None
                    entries.append(target.payment_entry)
                    paid += target.amount
            except IllegalDisbursementMove:
                assert target.status != (
                    DisbursementStatus.REQUESTED if op == "approve" else DisbursementStatus.APPROVED
                )
        elif op == "reverse" and entries:
            target_entry = entries[value % len(entries)]
            effect = ledger.bank_effect(target_entry)
            before = ledger.bank_balance()
            try:
                services.reverse_entry(target_entry, admin, reversed_on=day, reason="Property")
            except AlreadyReversed:
                assert JournalEntry.objects.filter(reverses=target_entry).exists()
                continue
            except InsufficientFunds:
                assert effect > before  # taking the receipt back would overdraw
                continue
            if effect > 0:
                received -= effect
            else:
                paid += effect  # a payment reversed: effect is negative
        bank = ledger.bank_balance()
        assert bank >= 0
        assert bank == received - paid
        rows = ledger.trial_balance()
        assert sum(r.debit for r in rows) == sum(r.credit for r in rows)
        assert sum(r.debit_balance for r in rows) == sum(r.credit_balance for r in rows)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_any_sequence_keeps_the_books_balanced_and_the_bank_above_zero(ops, fund_admin, fund_approver) -> None:
    try:
        with transaction.atomic():
            run(ops, fund_admin, fund_approver)
            raise Rollback
    except Rollback:
        pass

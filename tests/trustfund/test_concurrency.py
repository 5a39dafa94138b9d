"""Several officers paying approved disbursements at once against a balance that covers only some of
them: the bank row's lock makes them queue, exactly those that fit are paid, and the bank never goes
below zero."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection

from tests.factories import UserFactory
from tests.helpers import run_at_once
from tests.trustfund.factories import days_ago
from trustfund import ledger, services
from trustfund.chart import ensure_chart
from trustfund.choices import DisbursementPurpose, DisbursementStatus, ReceiptSource
from trustfund.exceptions import InsufficientFunds
from trustfund.models import Account, Disbursement

THREADS = 6


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_payments_pay_exactly_those_that_fit() -> None:
    assert connection.vendor == "postgresql"
    ensure_chart(Account)  # the same function the data migration uses
    admin, approver = UserFactory.create(), UserFactory.create()
    services.record_receipt(
        admin, source=ReceiptSource.APPROPRIATION, amount=Decimal("1000.00"), payer="Treasury", received_on=days_ago(5)
    )
    pending = []
    for _ in range(THREADS):
        disbursement = services.request_disbursement(
            admin,
            purpose=DisbursementPurpose.MEDICAL,
            amount=Decimal("300.00"),
            service_provider="Clinic",
            resolution_reference="BOT/RES/1",
            requested_on=days_ago(3),
        )
        services.approve_disbursement(disbursement, approver, no_documents_reason="On the Board's paper file")
        pending.append(disbursement.pk)
    paid: list[int] = []
    refused: list[BaseException] = []
    unexpected: list[BaseException] = []
    lock = threading.Lock()
    queue = list(pending)

    def pay() -> None:
        with lock:
            pk = queue.pop()
        try:
            services.pay_disbursement(Disbursement.objects.get(pk=pk), admin, paid_on=days_ago(1))
            with lock:
                paid.append(pk)
        except InsufficientFunds as error:
            with lock:
                refused.append(error)
        except Exception as error:  # noqa: BLE001 - anything else is a failure to report
            with lock:
                unexpected.append(error)

    run_at_once(pay, THREADS, timeout=60)

    assert unexpected == []
    assert len(paid) == 3
    assert len(refused) == THREADS - 3
    assert ledger.bank_balance() == Decimal("100.00")
    assert Disbursement.objects.filter(status=DisbursementStatus.PAID).count() == 3
    assert set(Disbursement.objects.filter(status=DisbursementStatus.PAID).values_list("pk", flat=True)) == set(paid)

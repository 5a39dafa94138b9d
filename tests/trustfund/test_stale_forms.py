"""Stale forms on the fund's records: Grace (a fund administrator) or Peter (an approver) opens a form on a
disbursement, an entry or a statement line, a colleague acts on the same record first, and the form is
refused with what the colleague did — no money moves, no row is written."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from core.models import User
from core.roles import Role
from tests.factories import UserFactory
from tests.helpers import FormClient, post_refused
from tests.trustfund.factories import days_ago
from trustfund import ledger, matching, services
from trustfund.choices import DisbursementStatus
from trustfund.models import Disbursement, JournalEntry

pytestmark = pytest.mark.django_db


def refused(client: FormClient, url: str, data: dict[str, Any], words: str) -> None:
    post_refused(client, url, data, None, words, "trustfund")


@pytest.fixture
def colleague(db: None) -> User:
    return UserFactory.create(first_name="Esther", last_name="Njoroge", roles=[Role.FUND_ADMINISTRATOR])


@pytest.fixture
def as_admin(client: FormClient, fund_admin: User) -> FormClient:
    client.force_login(fund_admin)
    return client


def test_a_payment_sent_after_a_colleague_cancelled_the_disbursement_is_refused(
    as_admin: FormClient, fund: dict[str, Any], colleague: User
) -> None:
    approved: Disbursement = fund["approved"]
    url = reverse("trustfund:disbursement_pay", args=[approved.pk])
    opened = as_admin.version_shown(url)
    balance = ledger.bank_balance()
    services.cancel_disbursement(approved, colleague, reason="The victim was repatriated by IOM instead.")
    refused(
        as_admin,
        url,
        {"paid_on": days_ago(1).isoformat(), "payment_reference": "EFT-9", "record_version": opened},
        f"Disbursement {approved.reference} changed since you opened the form: status moved from Approved to "
        "Cancelled by Esther Njoroge at ",
    )
    approved.refresh_from_db()
    assert approved.status == DisbursementStatus.CANCELLED
    assert ledger.bank_balance() == balance


def test_an_approval_sent_after_another_approver_rejected_is_refused(
    client: FormClient, fund: dict[str, Any], fund_approver: User
) -> None:
    requested: Disbursement = fund["requested"]
    other = UserFactory.create(first_name="Lucy", last_name="Achieng", roles=[Role.FUND_APPROVER])
    client.force_login(fund_approver)
    url = reverse("trustfund:disbursement_approve", args=[requested.pk])
    opened = client.version_shown(url)
    services.reject_disbursement(requested, other, reason="No board resolution")
    refused(
        client,
        url,
        {"note": "In order", "record_version": opened},
        "status moved from Requested to Rejected, decided by changed from — to Lucy Achieng",
    )
    requested.refresh_from_db()
    assert requested.status == DisbursementStatus.REJECTED


def test_an_approval_sent_on_the_version_it_opened_on_goes_through(
    client: FormClient, fund: dict[str, Any], fund_approver: User
) -> None:
    requested: Disbursement = fund["requested"]
    client.force_login(fund_approver)
    url = reverse("trustfund:disbursement_approve", args=[requested.pk])
    opened = client.version_shown(url)
    data = {"note": "In order", "no_documents_reason": "Invoice on the paper file", "record_version": opened}
    assert client.post(url, data).status_code == 302
    requested.refresh_from_db()
    assert requested.status == DisbursementStatus.APPROVED


def test_a_reversal_sent_after_a_colleague_reversed_the_entry_is_refused(
    as_admin: FormClient, fund: dict[str, Any], colleague: User
) -> None:
    entry = JournalEntry.objects.get(pk=fund["paid"].payment_entry_id)
    url = reverse("trustfund:entry_reverse", args=[entry.pk])
    opened = as_admin.version_shown(url)
    assert opened.endswith(".0")  # not reversed yet
    services.reverse_entry(entry, colleague, reversed_on=days_ago(1), reason="Paid twice")
    refused(
        as_admin,
        url,
        {"reversed_on": days_ago(1).isoformat(), "reason": "Wrong payee", "record_version": opened},
        f"The reversal of {entry.reference} changed since you opened the form: recorded by Esther Njoroge at ",
    )
    assert JournalEntry.objects.filter(reverses=entry).count() == 1


def test_undoing_a_match_a_colleague_already_undid_is_refused(
    as_admin: FormClient, fund: dict[str, Any], colleague: User
) -> None:
    line = fund["matched_line"]
    url = reverse("trustfund:line_unmatch", args=[line.pk])
    opened = as_admin.version_shown(url)
    matching.unmatch_line(line, colleague, reason="Matched to the wrong receipt")
    refused(
        as_admin,
        url,
        {"reason": "Duplicate", "record_version": opened},
        f"The statement line {line} changed since you opened the form: matched entry changed from",
    )

"""A disbursement is approved against a supporting document (invoice, quotation or Board resolution) or a
recorded reason — through the service and through the approval page, which lists the request's documents."""

from __future__ import annotations

import pytest
from django.urls import reverse

from documents import services as document_services
from documents.choices import DocumentType
from tests.documents.factories import attach
from tests.helpers import post_refused
from trustfund import services
from trustfund.choices import DisbursementStatus
from trustfund.exceptions import UnsupportedApproval

pytestmark = pytest.mark.django_db


def test_approval_without_a_supporting_document_or_a_reason_is_refused(disbursement, fund_approver) -> None:
    with pytest.raises(UnsupportedApproval, match="No invoice, quotation or Board resolution is attached") as err:
        services.approve_disbursement(disbursement, fund_approver)
    assert err.value.field == "no_documents_reason"
    disbursement.refresh_from_db()
    assert disbursement.status == DisbursementStatus.REQUESTED


@pytest.mark.parametrize("paper", [DocumentType.INVOICE, DocumentType.QUOTATION, DocumentType.BOARD_RESOLUTION])
def test_a_supporting_document_is_enough(disbursement, fund_admin, fund_approver, paper) -> None:
    attach(disbursement, fund_admin, paper)
    assert services.approve_disbursement(disbursement, fund_approver).status == DisbursementStatus.APPROVED


def test_a_bank_slip_or_a_withdrawn_invoice_does_not_support_it(disbursement, fund_admin, fund_approver) -> None:
    attach(disbursement, fund_admin, DocumentType.BANK_SLIP)
    invoice = attach(disbursement, fund_admin, DocumentType.INVOICE, title="Invoice 17")
    document_services.withdraw_document(invoice, fund_approver, reason="Invoice for another patient")
    with pytest.raises(UnsupportedApproval):
        services.approve_disbursement(disbursement, fund_approver)


def test_a_recorded_reason_lets_it_through_and_is_kept_with_the_approval(disbursement, fund_approver) -> None:
    approved = services.approve_disbursement(
        disbursement, fund_approver, note="Urgent.", no_documents_reason="Invoice held by the hospital; to follow"
    )
    assert approved.status == DisbursementStatus.APPROVED
    event = approved.events.get(to_status=DisbursementStatus.APPROVED)
    assert "Approved without supporting documents: Invoice held by the hospital; to follow" in event.note
    assert event.note.startswith("Urgent.")


def test_the_approval_page_lists_the_requests_documents(client, disbursement, fund_admin, fund_approver) -> None:
    invoice = attach(disbursement, fund_admin, DocumentType.INVOICE, title="Invoice KNH/2026/311")
    client.force_login(fund_approver)
    page = client.get(reverse("trustfund:disbursement_approve", args=[disbursement.pk])).content.decode()
    assert "Invoice KNH/2026/311" in page and invoice.download_url in page
    assert 'data-testid="no-supporting-documents"' not in page


def test_the_approval_page_asks_for_a_reason_when_nothing_supports_it(client, disbursement, fund_approver) -> None:
    client.force_login(fund_approver)
    url = reverse("trustfund:disbursement_approve", args=[disbursement.pk])
    assert 'data-testid="no-supporting-documents"' in client.get(url).content.decode()
    post_refused(client, url, {"note": ""}, "no_documents_reason", "No invoice, quotation or Board", "trustfund")
    response = client.post(url, {"no_documents_reason": "Board minute 4/2026 on file"})
    assert response.status_code == 302
    disbursement.refresh_from_db()
    assert disbursement.status == DisbursementStatus.APPROVED

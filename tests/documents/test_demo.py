"""The demo seed attaches small generated PDFs and images, through the service, and stays the same when run
again; the files it makes are real (they pass the tracker's own checks)."""

from __future__ import annotations

import pytest

from core.models import User
from documents import files
from documents.choices import DocumentType
from documents.demo import sample_pdf, sample_png, seed_documents
from documents.models import Document
from documents.queries import supporting_documents
from trustfund.choices import DisbursementStatus
from trustfund.demo import seed_fund
from trustfund.models import Disbursement

pytestmark = pytest.mark.django_db


def test_the_generated_files_are_a_real_pdf_and_png() -> None:
    pdf, png = sample_pdf("Charge sheet", "Republic v. X (2026)"), sample_png("OB")
    assert files.inspect([pdf], len(pdf), 10**6).media_type == "application/pdf"
    assert files.inspect([png], len(png), 10**6).media_type == "image/png"
    assert pdf.endswith(b"%%EOF\n") and b"xref" in pdf


def test_the_seed_attaches_papers_to_cases_orders_and_disbursements_once(case, order, disbursement) -> None:
    users = {user.username: user for user in User.objects.all()}
    lines: list[str] = []
    attached = seed_documents(users, lines.append)
    assert attached == 2 + 2 + 1 and "Documents: 5 demo papers attached" in lines[0]
    kinds = set(Document.objects.values_list("content_type__model", "document_type"))
    assert kinds == {
        ("case", "charge_sheet"),
        ("case", "ob_extract"),
        ("courtorder", "court_order"),
        ("courtorder", "gazette_notice"),
        ("disbursement", "quotation"),
    }
    assert set(Document.objects.values_list("media_type", flat=True)) == {"application/pdf", "image/png"}
    before = sorted(Document.objects.values_list("sha256", flat=True))
    assert seed_documents(users, lines.append) == 0
    assert sorted(Document.objects.values_list("sha256", flat=True)) == before


def test_the_fund_seed_approves_against_an_invoice(fund_admin, fund_approver) -> None:
    seed_fund({"fundadmin": fund_admin, "approver": fund_approver}, lambda line: None)
    approved = Disbursement.objects.exclude(decided_by=None).exclude(status=DisbursementStatus.REJECTED)
    assert approved.exists()
    for disbursement in approved:
        assert supporting_documents(disbursement, [DocumentType.INVOICE]).exists(), disbursement.reference

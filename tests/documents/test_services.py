"""The rules of documents, through the services: who attaches what to which record, the same file twice,
versions instead of deletes, withdrawal by the unit head (the fund approver, another liaison) with a reason,
every change in the chained history with the SHA-256 — and no file left behind by a refusal or a rollback."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.exceptions import InvalidDate
from core.models import AuditLink
from core.roles import Role
from documents import services, storage
from documents.choices import DocumentType
from documents.exceptions import (
    DocumentNotCurrent,
    DocumentRefused,
    DocumentTypeNotAllowed,
    DuplicateDocument,
    NotAllowedToAttach,
    NotAllowedToWithdraw,
    ReasonRequired,
)
from documents.models import Document
from tests.documents.factories import attach, exe, sample_pdf, stored_files, upload
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_attaching_keeps_the_file_as_sent_with_its_sha256_in_the_chained_history(case, prosecutor, settings) -> None:
    content = sample_pdf("Charge sheet", "Republic v. Juma Bakari")
    document = attach(case, prosecutor, DocumentType.CHARGE_SHEET, title="Charge sheet", content=content)
    sha = hashlib.sha256(content).hexdigest()
    assert (document.sha256, document.size, document.media_type) == (sha, len(content), "application/pdf")
    assert document.record == case and document.uploaded_by == prosecutor
    assert (settings.DOCUMENT_ROOT / document.file.name).read_bytes() == content
    row = document.history.get()
    assert row.sha256 == sha and sha in row.history_change_reason and row.history_user == prosecutor
    link = AuditLink.objects.get(record_type="documents.document", object_id=str(document.pk))
    assert sha in link.reason


def test_the_stored_name_is_random_never_the_users(case, prosecutor, settings) -> None:
    document = attach(case, prosecutor, name="../../etc/passwd.pdf")
    assert "passwd" not in document.file.name and ".." not in document.file.name
    assert document.original_name == "passwd.pdf"
    assert stored_files(settings) == [document.file.name]


def test_the_same_file_twice_on_one_record_is_refused_but_not_on_another(case, other_case, prosecutor, unit_head):
    content = sample_pdf("OB extract")
    attach(case, prosecutor, content=content, title="OB extract")
    with pytest.raises(DuplicateDocument, match="already attached to this case: “OB extract”"):
        attach(case, prosecutor, content=content, title="OB extract again")
    attach(other_case, unit_head, content=content)  # another record may hold the same paper
    assert Document.objects.filter(sha256=hashlib.sha256(content).hexdigest()).count() == 2


def test_a_withdrawn_copy_does_not_block_attaching_the_file_again(case, prosecutor, unit_head) -> None:
    content = sample_pdf("Judgment")
    first = attach(case, prosecutor, content=content)
    services.withdraw_document(first, unit_head, reason="Wrong version scanned")
    assert attach(case, prosecutor, content=content).pk != first.pk


def test_each_kind_of_record_takes_only_its_own_papers(case, order, disbursement, prosecutor, fund_admin) -> None:
    with pytest.raises(DocumentTypeNotAllowed, match="not kept on a case"):
        attach(case, prosecutor, DocumentType.INVOICE)
    with pytest.raises(DocumentTypeNotAllowed, match="not kept on a court order"):
        attach(order, prosecutor, DocumentType.CHARGE_SHEET)
    attach(order, prosecutor, DocumentType.GAZETTE_NOTICE)
    attach(disbursement, fund_admin, DocumentType.INVOICE)


def test_a_document_dated_tomorrow_is_refused(case, prosecutor) -> None:
    with pytest.raises(InvalidDate):
        services.upload_document(
            case,
            prosecutor,
            document_type=DocumentType.OTHER,
            title="Tomorrow's paper",
            document_date=timezone.localdate() + dt.timedelta(days=1),
            upload=upload("x.pdf", sample_pdf("x")),
        )


def test_only_those_who_may_change_the_record_attach(case, other_prosecutor, fund_admin, liaison, unit_head):
    for outsider in (other_prosecutor, fund_admin, liaison):
        with pytest.raises(NotAllowedToAttach):
            attach(case, outsider)
    attach(case, unit_head)  # the unit head on any case


def test_a_title_is_required(case, prosecutor) -> None:
    with pytest.raises(Exception, match="Give the document a title"):
        attach(case, prosecutor, title="   ")


# --- Versions, not deletes -------------------------------------------------------------------------


def test_a_new_version_supersedes_the_old_and_both_are_kept(case, prosecutor, settings) -> None:
    old = attach(case, prosecutor, DocumentType.CHARGE_SHEET, title="Charge sheet", content=sample_pdf("v1"))
    new = services.supersede_document(
        old, prosecutor, upload=upload("charge-sheet-amended.pdf", sample_pdf("v2")), title="Charge sheet (amended)"
    )
    old.refresh_from_db()
    assert old.is_superseded and not new.is_superseded and new.supersedes == old
    assert (new.record, new.document_type) == (case, DocumentType.CHARGE_SHEET)
    assert sorted(stored_files(settings)) == sorted([old.file.name, new.file.name])
    reasons = list(old.history.order_by("history_id").values_list("history_change_reason", flat=True))
    assert reasons == [f"Attached, SHA-256 {old.sha256}", f"Superseded by #{new.pk}, SHA-256 {new.sha256}"]
    assert new.history.get().history_change_reason == f"New version of #{old.pk}, SHA-256 {new.sha256}"


def test_a_superseded_or_withdrawn_document_cannot_be_superseded(case, prosecutor, unit_head) -> None:
    old = attach(case, prosecutor, content=sample_pdf("v1"))
    services.supersede_document(old, prosecutor, upload=upload("v2.pdf", sample_pdf("v2")))
    with pytest.raises(DocumentNotCurrent, match="already has a newer version"):
        services.supersede_document(old, prosecutor, upload=upload("v3.pdf", sample_pdf("v3")))
    gone = attach(case, prosecutor, content=sample_pdf("wrong"))
    services.withdraw_document(gone, unit_head, reason="Belongs to another file")
    with pytest.raises(DocumentNotCurrent, match="was withdrawn"):
        services.supersede_document(gone, prosecutor, upload=upload("v4.pdf", sample_pdf("v4")))


def test_a_new_version_identical_to_the_old_is_refused(case, prosecutor) -> None:
    old = attach(case, prosecutor, content=sample_pdf("same"))
    with pytest.raises(DuplicateDocument):
        services.supersede_document(old, prosecutor, upload=upload("same.pdf", sample_pdf("same")))


# --- Withdrawal ------------------------------------------------------------------------------------


def test_the_unit_head_withdraws_with_a_reason_and_the_file_stays(case, prosecutor, unit_head, settings) -> None:
    document = attach(case, prosecutor)
    with pytest.raises(NotAllowedToWithdraw, match="Only the unit head"):
        services.withdraw_document(document, prosecutor, reason="Mine, wrong case")
    with pytest.raises(ReasonRequired):
        services.withdraw_document(document, unit_head, reason="  ")
    services.withdraw_document(document, unit_head, reason="Attached to the wrong case")
    document.refresh_from_db()
    assert document.is_withdrawn and document.withdrawn_by == unit_head
    assert document.withdrawal_reason == "Attached to the wrong case"
    assert (settings.DOCUMENT_ROOT / document.file.name).exists()
    latest = document.history.order_by("-history_id").first()
    assert latest is not None and latest.history_change_reason.startswith("Withdrawn")
    assert document.sha256 in latest.history_change_reason
    with pytest.raises(DocumentNotCurrent, match="already withdrawn"):
        services.withdraw_document(document, unit_head, reason="Again")


def test_a_fund_approver_withdraws_the_funds_papers(disbursement, fund_admin, fund_approver, unit_head) -> None:
    invoice = attach(disbursement, fund_admin, DocumentType.INVOICE)
    for refused in (fund_admin, unit_head):
        with pytest.raises(NotAllowedToWithdraw, match="a fund approver"):
            services.withdraw_document(invoice, refused, reason="Duplicate invoice")
    services.withdraw_document(invoice, fund_approver, reason="Duplicate invoice")


def test_another_liaison_withdraws_a_witness_paper(witness, liaison, unit_head) -> None:
    second = UserFactory.create(username="zawadi", roles=[Role.WITNESS_LIAISON])
    paper = attach(witness, liaison, DocumentType.WITNESS_STATEMENT)
    with pytest.raises(NotAllowedToWithdraw, match="You attached this document: another witness protection"):
        services.withdraw_document(paper, liaison, reason="Wrong witness")
    with pytest.raises(NotAllowedToWithdraw):
        services.withdraw_document(paper, unit_head, reason="Wrong witness")
    services.withdraw_document(paper, second, reason="Wrong witness")


# --- Nothing stored on refusal or rollback --------------------------------------------------------


def test_a_refused_file_leaves_nothing_behind(case, prosecutor, settings) -> None:
    for name, content in (("scan.pdf", exe()), ("page.html", b"<html><body>x</body></html>"), ("empty.pdf", b"")):
        with pytest.raises(DocumentRefused):
            attach(case, prosecutor, content=content, name=name)
    content = sample_pdf("twice")
    attach(case, prosecutor, content=content)
    with pytest.raises(DuplicateDocument):
        attach(case, prosecutor, content=content)
    assert len(stored_files(settings)) == 1 and Document.objects.count() == 1


def test_a_failure_after_the_file_is_written_deletes_it(case, prosecutor, settings, monkeypatch) -> None:
    def broken_save(self, *args, **kwargs):
        assert stored_files(settings), "the file is written before the row"
        raise IntegrityError("the database refused the row")

    monkeypatch.setattr(Document, "save_as", broken_save)
    with pytest.raises(IntegrityError):
        attach(case, prosecutor)
    assert stored_files(settings) == []


def test_a_rollback_of_the_enclosing_transaction_deletes_the_file(case, prosecutor, settings) -> None:
    with pytest.raises(RuntimeError), storage.kept_only_if_committed(), transaction.atomic():
        attach(case, prosecutor)
        assert len(stored_files(settings)) == 1
        raise RuntimeError("something later in the same transaction failed")
    assert stored_files(settings) == []
    assert not Document.objects.exists()


def test_a_committed_upload_inside_an_outer_block_keeps_its_file(case, prosecutor, settings) -> None:
    with storage.kept_only_if_committed():
        document = attach(case, prosecutor)
    assert stored_files(settings) == [document.file.name]

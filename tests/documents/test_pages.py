"""Documents through the pages: attaching (and every bad input refused with its message, nothing stored),
a tampered or guessed address answering 404, downloads as attachments with their headers, the case's
Documents tab with its type filter, and documents shown where decisions are made."""

from __future__ import annotations

import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from documents import services
from documents.choices import DocumentType
from documents.models import Document
from tests.documents.factories import attach, exe, sample_pdf, sample_png, stored_files, upload
from tests.helpers import post_refused

pytestmark = pytest.mark.django_db


def _form(name: str = "charge-sheet.pdf", content: bytes | None = None, **extra: object) -> dict[str, object]:
    data: dict[str, object] = {
        "document_type": DocumentType.CHARGE_SHEET,
        "title": "Charge sheet",
        "document_date": timezone.localdate().isoformat(),
        "file": upload(name, sample_pdf("Charge sheet") if content is None else content),
    }
    data.update(extra)
    return data


def _case_upload(case) -> str:
    return reverse("documents:case_upload", args=[case.pk])


def test_a_prosecutor_attaches_a_charge_sheet_to_their_case(client, case, prosecutor, settings) -> None:
    client.force_login(prosecutor)
    page = client.get(_case_upload(case)).content.decode()
    assert 'enctype="multipart/form-data"' in page and "js/documents.js" in page and "<script>" not in page
    response = client.post(_case_upload(case), {**_form(), "attach_to": f"case:{case.pk}"}, follow=True)
    document = Document.objects.get()
    assert response.redirect_chain[-1][0] == f"{case.get_absolute_url()}?tab=documents"
    assert "Document attached: Charge sheet “Charge sheet”." in response.content.decode()
    assert document.record == case and stored_files(settings) == [document.file.name]


def test_from_the_case_a_paper_goes_to_one_of_its_counts_or_hearings(client, case, count, hearing, prosecutor):
    client.force_login(prosecutor)
    response = client.post(
        _case_upload(case), {**_form(document_type=DocumentType.SENTENCE_RULING), "attach_to": f"count:{count.pk}"}
    )
    assert response.status_code == 302
    assert Document.objects.get().record == count
    order = _form(content=sample_pdf("order"), document_type=DocumentType.COURT_ORDER)
    assert client.post(_case_upload(case), {**order, "attach_to": f"hearing:{hearing.pk}"}).status_code == 302
    assert [d.record for d in Document.objects.order_by("pk")] == [count, hearing]


def test_a_tampered_form_pointing_at_another_record_answers_404(
    client, case, other_case, witness, disbursement, prosecutor, settings
) -> None:
    other_hearing = other_case.accused.first()
    client.force_login(prosecutor)
    for target in (
        f"case:{other_case.pk}",
        f"accused:{other_hearing.pk}",
        f"witness:{witness.pk}",
        f"disbursement:{disbursement.pk}",
        "case:999999",
    ):
        assert client.post(_case_upload(case), {**_form(), "attach_to": target}).status_code == 404, target
    assert not Document.objects.exists() and stored_files(settings) == []


def test_an_upload_to_a_record_out_of_sight_or_reach_is_refused(
    client, case, other_case, witness, disbursement, prosecutor, fund_admin
) -> None:
    client.force_login(prosecutor)
    assert client.post(reverse("documents:case_upload", args=[999999]), _form()).status_code == 404
    assert client.post(_case_upload(other_case), _form()).status_code == 403  # seen, not theirs
    assert client.post(reverse("documents:witness_upload", args=[witness.pk]), _form()).status_code == 403
    client.force_login(fund_admin)
    assert client.post(_case_upload(case), _form()).status_code == 403
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("statement.pdf", exe(), "a Windows program, whatever its name says"),
        ("statement.html", b"<!doctype html><html><body>Hi</body></html>", "web markup"),
        ("map.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "web markup"),
        ("empty.pdf", b"", "The file is empty."),
        ("x" * 296 + ".pdf", None, "the longest accepted is 150"),
    ],
)
def test_bad_files_are_refused_with_a_message_and_nothing_stored(
    client, case, prosecutor, settings, name, content, words
) -> None:
    client.force_login(prosecutor)
    data = {**_form(name=name, content=content), "attach_to": f"case:{case.pk}"}
    post_refused(client, _case_upload(case), data, "file", words, "documents")
    assert stored_files(settings) == []


def test_a_file_over_the_limit_is_refused(client, case, prosecutor, settings) -> None:
    settings.DOCUMENT_MAX_BYTES = 1024 * 1024
    client.force_login(prosecutor)
    big = sample_pdf("big") + b"%" * (1024 * 1024)
    data = {**_form(content=big), "attach_to": f"case:{case.pk}"}
    post_refused(client, _case_upload(case), data, "file", "the largest document accepted is 1 MB", "documents")
    assert stored_files(settings) == []


def test_the_same_file_twice_is_refused_naming_the_copy(client, case, prosecutor, settings) -> None:
    client.force_login(prosecutor)
    content = sample_pdf("OB")
    client.post(_case_upload(case), {**_form(content=content), "attach_to": f"case:{case.pk}", "title": "OB extract"})
    data = {**_form(content=content), "attach_to": f"case:{case.pk}"}
    post_refused(client, _case_upload(case), data, "file", "already attached to this case: “OB extract”", "documents")
    assert len(stored_files(settings)) == 1


def test_a_paper_of_the_wrong_type_for_the_record_is_refused_on_its_field(client, case, count, prosecutor) -> None:
    client.force_login(prosecutor)
    data = {**_form(document_type=DocumentType.OB_EXTRACT), "attach_to": f"count:{count.pk}"}
    post_refused(client, _case_upload(case), data, "document_type", "not kept on a count", "documents")


def test_a_name_with_folders_is_cut_to_its_last_part_and_said_so(client, case, prosecutor, settings) -> None:
    """Browsers send bare names; a crafted request may not. The name loses its folders, the file is stored
    under a random name inside the documents folder, and the message says what it is called now."""
    client.force_login(prosecutor)
    boundary = "----ctipboundary"
    fields = {"attach_to": f"case:{case.pk}", "document_type": "other", "title": "Passwd"}
    fields["document_date"] = timezone.localdate().isoformat()
    head = 'Content-Disposition: form-data; name="{}"'
    parts = [f"--{boundary}\r\n{head.format(k)}\r\n\r\n{v}\r\n".encode() for k, v in fields.items()]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="../../etc/passwd"\r\n'
        f"Content-Type: application/pdf\r\n\r\n".encode()
        + sample_pdf("not really passwd")
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = client.generic(
        "POST", _case_upload(case), b"".join(parts), content_type=f"multipart/form-data; boundary={boundary}"
    )
    document = Document.objects.get()
    assert document.original_name == "passwd.pdf"
    assert "The file is kept as “passwd.pdf”." in client.get(response["Location"]).content.decode()
    assert (settings.DOCUMENT_ROOT / document.file.name).resolve().is_relative_to(settings.DOCUMENT_ROOT.resolve())


# --- Downloads ------------------------------------------------------------------------------------


def test_a_download_is_an_attachment_with_nosniff_and_no_store(client, case, prosecutor, auditor, liaison) -> None:
    content = sample_png("OB extract photo")
    document = attach(case, prosecutor, DocumentType.OB_EXTRACT, content=content, name="ob extract.png")
    for reader in (prosecutor, auditor, liaison):
        client.force_login(reader)
        response = client.get(document.download_url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == content
        assert response["Content-Disposition"] == 'attachment; filename="ob extract.png"'
        assert response["Content-Type"] == "image/png"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]


def test_documents_are_only_for_those_who_see_the_record(
    client, case, witness, disbursement, prosecutor, liaison, fund_admin, auditor, stranger
) -> None:
    on_case = attach(case, prosecutor)
    on_witness = attach(witness, liaison, DocumentType.WITNESS_STATEMENT)
    on_payment = attach(disbursement, fund_admin, DocumentType.INVOICE)
    expected = {
        prosecutor: {on_case: 200, on_witness: 403, on_payment: 403},
        liaison: {on_case: 200, on_witness: 200, on_payment: 403},
        fund_admin: {on_case: 403, on_witness: 403, on_payment: 200},
        auditor: {on_case: 200, on_witness: 403, on_payment: 200},
        stranger: {on_case: 403, on_witness: 403, on_payment: 403},
    }
    for user, documents in expected.items():
        client.force_login(user)
        for document, status in documents.items():
            assert client.get(document.download_url).status_code == status, (user, document)
            assert client.get(document.get_absolute_url()).status_code == status, (user, document)


def test_a_guessed_address_of_a_document_out_of_sight_answers_404(client, case, witness, prosecutor, liaison) -> None:
    on_witness = attach(witness, liaison, DocumentType.WITNESS_STATEMENT)
    client.force_login(prosecutor)
    # The case's download address with the witness paper's number: a case reader, but not of that paper.
    assert client.get(reverse("documents:case_download", args=[on_witness.pk])).status_code == 404
    assert client.get(reverse("documents:case_detail", args=[on_witness.pk])).status_code == 404
    assert client.get(reverse("documents:case_download", args=[987654])).status_code == 404


def test_a_file_missing_from_the_storage_answers_404_not_500(client, case, prosecutor, settings) -> None:
    document = attach(case, prosecutor)
    (settings.DOCUMENT_ROOT / document.file.name).unlink()
    client.force_login(prosecutor)
    assert client.get(document.download_url).status_code == 404


# --- The case's Documents tab ---------------------------------------------------------------------


def _tab(client, case, query: str = "") -> str:
    return client.get(f"{case.get_absolute_url()}?tab=documents{query}").content.decode()


def test_the_documents_tab_lists_the_cases_papers_and_filters_by_type(
    client, case, count, hearing, order, prosecutor, unit_head
) -> None:
    attach(case, prosecutor, DocumentType.CHARGE_SHEET, title="Charge sheet")
    attach(count, prosecutor, DocumentType.SENTENCE_RULING, title="Sentence ruling, count 1")
    attach(hearing, prosecutor, DocumentType.COURT_ORDER, title="Mention order")
    attach(order, prosecutor, DocumentType.GAZETTE_NOTICE, title="Gazette notice 4411")
    withdrawn = attach(case, prosecutor, DocumentType.OTHER, title="Wrong paper")
    services.withdraw_document(withdrawn, unit_head, reason="Another file's")
    client.force_login(prosecutor)
    page = _tab(client, case)
    for title in ("Charge sheet", "Sentence ruling, count 1", "Mention order", "Gazette notice 4411", "Wrong paper"):
        assert title in page
    assert "Count 1 against John Mwangi" in page and 'data-testid="document-withdrawn"' in page
    filtered = _tab(client, case, f"&type={DocumentType.SENTENCE_RULING}")
    assert "Sentence ruling, count 1" in filtered and "Gazette notice 4411" not in filtered
    assert _tab(client, case, "&type=nonsense").count('data-document="') == 5


def test_the_documents_tab_shows_no_paper_of_another_case(client, case, other_case, prosecutor, other_prosecutor):
    attach(other_case, other_prosecutor, title="Someone else's charge sheet")
    client.force_login(prosecutor)
    assert "Someone else's charge sheet" not in _tab(client, case)


def test_the_documents_tab_runs_a_fixed_number_of_queries(
    client, case, count, hearing, order, prosecutor, django_assert_num_queries
) -> None:
    client.force_login(prosecutor)

    def add(start: int, n: int) -> None:
        for i in range(start, start + n):
            for record in (case, count, hearing, order):
                attach(record, prosecutor, title=f"Paper {i}", content=sample_pdf(f"{record} {i} {record.pk}"))

    add(0, 1)
    _tab(client, case)  # warm the caches (content types, session)
    with django_assert_num_queries(12) as few:  # the user comes with their roles and the bell's count
        _tab(client, case)
    add(1, 8)
    with django_assert_num_queries(len(few.captured_queries)):
        assert _tab(client, case).count('data-document="') == 36


# --- Documents at the decisions --------------------------------------------------------------------


def test_the_order_and_its_gazette_notice_show_on_the_asset_and_the_deadline_list(
    client, order, prosecutor, unit_head
) -> None:
    paper = attach(order, prosecutor, DocumentType.COURT_ORDER, title="Preservation order E001")
    notice = attach(order, prosecutor, DocumentType.GAZETTE_NOTICE, title="Gazette notice 4411")
    client.force_login(unit_head)
    orders_tab = client.get(f"{order.get_absolute_url()}").content.decode()
    assert paper.download_url in orders_tab and notice.download_url in orders_tab
    deadlines = client.get(reverse("assets:deadline_list") + "?within=365").content.decode()
    assert paper.download_url in deadlines and "Gazette notice 4411" in deadlines


def test_fund_pages_and_the_witness_page_show_their_papers_to_their_readers(
    client, disbursement, witness, fund_admin, liaison, prosecutor
) -> None:
    invoice = attach(disbursement, fund_admin, DocumentType.INVOICE, title="Invoice 311")
    attach(witness, liaison, DocumentType.WITNESS_STATEMENT, title="Statement of PW1")
    client.force_login(fund_admin)
    assert invoice.download_url in client.get(disbursement.get_absolute_url()).content.decode()
    client.force_login(liaison)
    assert "Statement of PW1" in client.get(witness.get_absolute_url()).content.decode()
    client.force_login(prosecutor)  # sees the witness by code, never its papers
    page = client.get(witness.get_absolute_url()).content.decode()
    assert "Statement of PW1" not in page and 'data-testid="documents-panel"' not in page


def test_a_new_version_and_a_withdrawal_through_the_pages(client, case, prosecutor, unit_head, settings) -> None:
    document = attach(case, prosecutor, DocumentType.CHARGE_SHEET, title="Charge sheet")
    client.force_login(prosecutor)
    detail = client.get(document.get_absolute_url()).content.decode()
    assert document.sha256 in detail and 'data-testid="document-withdraw"' not in detail
    url = reverse("documents:case_supersede", args=[document.pk])
    response = client.post(
        url,
        {
            "file": upload("amended.pdf", sample_pdf("amended")),
            "title": "Charge sheet (amended)",
            "document_date": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    new = Document.objects.get(supersedes=document)
    assert new.sha256 == hashlib.sha256(sample_pdf("amended")).hexdigest()
    client.force_login(unit_head)
    withdraw = reverse("documents:case_withdraw", args=[new.pk])
    post_refused(client, withdraw, {"reason": ""}, "reason", "This field is required.", "documents")
    assert client.post(withdraw, {"reason": "Amended in error"}).status_code == 302
    new.refresh_from_db()
    assert new.is_withdrawn and len(stored_files(settings)) == 2


def test_the_upload_script_is_told_where_to_go_and_the_confirmation_waits_there(client, case, prosecutor) -> None:
    """The script sends the form itself (for its progress bar): a saved upload answers it 204 with the
    address, so the confirmation is shown on the page the user lands on, not used up by the request."""
    client.force_login(prosecutor)
    response = client.post(
        _case_upload(case), {**_form(), "attach_to": f"case:{case.pk}"}, headers={"X-Document-Upload": "1"}
    )
    assert response.status_code == 204
    assert response["X-Document-Location"] == f"{case.get_absolute_url()}?tab=documents"
    assert "Document attached" in client.get(response["X-Document-Location"]).content.decode()
    refused = client.post(
        _case_upload(case), {**_form(content=exe()), "attach_to": f"case:{case.pk}"}, headers={"X-Document-Upload": "1"}
    )
    assert refused.status_code == 200 and "a Windows program" in refused.content.decode()

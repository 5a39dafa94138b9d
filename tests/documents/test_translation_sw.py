"""The documents app in Kiswahili: a case's Documents tab, a document's page, a refused upload and a refused
withdrawal come out in Kiswahili when it is the reader's language; a witness's papers never bring the
witness's name with them. English stays the default (the rest of the suite reads English)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from core.models import User
from core.translations import compile_catalogues
from documents import services
from documents.choices import DocumentType
from documents.exceptions import NotAllowedToWithdraw
from tests.documents.factories import attach, exe, upload
from tests.witnesses.factories import with_identity

pytestmark = pytest.mark.django_db

SW = {"Accept-Language": "sw"}  # as a Kiswahili browser sends it


@pytest.fixture(autouse=True, scope="module")
def _catalogues() -> None:
    compile_catalogues()


def sw_get(client: Client, user: User, url: str) -> str:
    client.force_login(user)
    with translation.override("sw"):
        response = client.get(url, headers=SW)
    assert response.status_code == 200
    return response.content.decode()


def test_the_case_documents_tab_reads_in_kiswahili(
    client: Client, case: Any, prosecutor: User, unit_head: User
) -> None:
    attach(case, prosecutor, DocumentType.CHARGE_SHEET, title="Charge sheet")
    wrong = attach(case, prosecutor, DocumentType.OTHER, title="Wrong paper")
    services.withdraw_document(wrong, unit_head, reason="Another file's")
    html = sw_get(client, prosecutor, f"{case.get_absolute_url()}?tab=documents")
    for word in ("Hati ya mashtaka", "Ambatisha hati", "Chuja hati kwa aina", "Inatumika", "Imeondolewa", "Pakua"):
        assert word in html, word
    for english in ("Attach a document", "Filter documents by type", ">Current<", ">Withdrawn<"):
        assert english not in html, english
    assert "Charge sheet" in html  # the title is data, kept as typed


def test_a_documents_page_reads_in_kiswahili(client: Client, case: Any, prosecutor: User) -> None:
    document = attach(case, prosecutor, DocumentType.COURT_ORDER, title="Mention order")
    html = sw_get(client, prosecutor, document.get_absolute_url())
    for word in (
        "Amri ya mahakama",
        "Tarehe ya hati",
        "Imeambatishwa na",
        "Matoleo",
        "(toleo hili)",
        "Pakia toleo jipya",
    ):
        assert word in html, word
    for english in ("Date of the document", "Attached by", "Versions", "(this version)", "Upload a new version"):
        assert english not in html, english


def test_a_refused_upload_says_why_in_kiswahili(client: Client, case: Any, prosecutor: User) -> None:
    client.force_login(prosecutor)
    data = {
        "attach_to": f"case:{case.pk}",
        "document_type": DocumentType.CHARGE_SHEET,
        "title": "Charge sheet",
        "document_date": timezone.localdate().isoformat(),
        "file": upload("statement.pdf", exe()),
    }
    with translation.override("sw"):
        response = client.post(reverse("documents:case_upload", args=[case.pk]), data, headers=SW)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Faili hii ni programu ya Windows, bila kujali jina lake linasema nini." in html
    assert "whatever its name says" not in html and "Aina ya hati" in html and "Type of document" not in html
    assert "Upakiaji umekataliwa: faili ni kubwa mno." in html  # what the upload script may say, too


def test_a_refused_withdrawal_names_who_may_in_kiswahili(case: Any, prosecutor: User) -> None:
    document = attach(case, prosecutor, DocumentType.OTHER, title="A paper")
    with translation.override("sw"), pytest.raises(NotAllowedToWithdraw) as refused:
        services.withdraw_document(document, prosecutor, reason="Wrong case")
    assert "Ni mkuu wa kitengo pekee anayeondoa hati" in refused.value.message
    with pytest.raises(NotAllowedToWithdraw) as in_english:  # and in English outside the override
        services.withdraw_document(document, prosecutor, reason="Wrong case")
    assert "Only the unit head withdraws a document" in in_english.value.message


def test_a_witness_statement_in_kiswahili_never_shows_the_witness_name(
    client: Client, witness: Any, liaison: User
) -> None:
    with_identity(witness, liaison, "SW1")
    attach(witness, liaison, DocumentType.WITNESS_STATEMENT, title="Statement of PW1")
    html = sw_get(client, liaison, witness.get_absolute_url())
    assert "Taarifa ya shahidi" in html and "Statement of PW1" in html
    assert "Statement of witness" not in html
    assert "CANARYSW1" not in html

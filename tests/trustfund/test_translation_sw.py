"""The trust fund in Kiswahili: the fund home, the fund statement (page and workbook), a disbursement's page
and a refused payment come out in Kiswahili when it is the reader's language; money keeps its thousands
separators. English stays the default (the rest of the suite reads English)."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.models import User
from core.translations import compile_catalogues
from tests.trustfund.factories import days_ago
from trustfund import services
from trustfund.exceptions import FundError

pytestmark = pytest.mark.django_db

SW = {"Accept-Language": "sw"}  # as a Kiswahili browser sends it


@pytest.fixture(autouse=True)
def _catalogues() -> None:
    compile_catalogues()


def sw_get(client: Client, user: User, url: str, **params: Any) -> Any:
    client.force_login(user)
    with translation.override("sw"):
        response = client.get(url, params, headers=SW)
    assert response.status_code == 200
    return response


def test_the_fund_home_reads_in_kiswahili(client: Client, fund: dict[str, Any], fund_admin: User) -> None:
    html = sw_get(client, fund_admin, reverse("trustfund:home")).content.decode()
    for word in ("Kinachomsubiri nani", "Salio la benki (leja)", "Omba malipo", "Ingiza taarifa ya benki", "Jarida"):
        assert word in html
    for english in ("What waits for whom", "Bank balance (ledger)", "Raise a disbursement", "Awaiting approval"):
        assert english not in html
    assert "KES 970,000.00" in html  # 1,000,000 in, 30,000 paid: the separators stay


def test_a_disbursement_page_reads_in_kiswahili(client: Client, fund: dict[str, Any], fund_approver: User) -> None:
    url = reverse("trustfund:disbursement_detail", args=[fund["requested"].pk])
    html = sw_get(client, fund_approver, url).content.decode()
    for word in ("Malipo", "Madhumuni", "Azimio la Bodi", "Imeombwa", "Msaada wa matibabu (s.15(f))", "Idhinisha"):
        assert word in html
    for english in ("Board resolution", "Medical assistance", "Service provider", ">Approve<"):
        assert english not in html
    assert "KES 50,000.00" in html


def test_the_fund_statement_and_its_workbook_come_out_in_kiswahili(
    client: Client, fund: dict[str, Any], auditor: User
) -> None:
    html = sw_get(client, auditor, reverse("trustfund:statement")).content.decode()
    assert "Taarifa ya mfuko" in html
    assert "Mapokezi kwa chanzo (CTIP s.23(1))" in html  # the statute's section stays as enacted
    assert "Receipts by source" not in html
    assert "1,000,000.00" in html
    client.force_login(auditor)
    with translation.override("sw"):
        response: Any = client.get(reverse("trustfund:statement"), {"export": "xlsx"}, headers=SW)
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert {"Mapokezi", "Malipo", "Masalio"} <= set(book.sheetnames)
    assert "Receipts" not in book.sheetnames
    headers = [cell.value for cell in next(book["Mapokezi"].iter_rows(max_row=1))]
    assert "Kiasi" in headers
    assert "Amount" not in headers


def test_paying_a_request_not_yet_approved_is_refused_in_kiswahili(fund: dict[str, Any], fund_admin: User) -> None:
    requested = fund["requested"]
    with translation.override("sw"), pytest.raises(FundError) as refused:
        services.pay_disbursement(requested, fund_admin, paid_on=days_ago(1), payment_reference="EFT-1")
    assert refused.value.message == (
        f"{requested.reference} iko katika hali ya imeombwa: ni malipo yaliyoidhinishwa tu yanayoweza kulipwa."
    )
    with pytest.raises(FundError) as in_english:
        services.pay_disbursement(requested, fund_admin, paid_on=days_ago(1), payment_reference="EFT-1")
    assert "only an approved disbursement can be paid" in in_english.value.message


def test_the_pay_form_shows_the_refusal_in_kiswahili(client: Client, fund: dict[str, Any], fund_admin: User) -> None:
    client.force_login(fund_admin)
    url = reverse("trustfund:disbursement_pay", args=[fund["requested"].pk])
    with translation.override("sw"):
        response = client.post(url, {"paid_on": days_ago(1).isoformat(), "payment_reference": "EFT-9"}, headers=SW)
    assert response.status_code == 200
    html = response.content.decode()
    assert "ni malipo yaliyoidhinishwa tu yanayoweza kulipwa" in html
    assert "only an approved disbursement" not in html
    fund["requested"].refresh_from_db()
    assert fund["requested"].paid_on is None  # nothing half-saved

"""The assets app in Kiswahili: the asset register, an asset's page, a service refusal and the recovery
report come out in Kiswahili when it is the reader's language, money keeping its thousands separators.
English stays the default (the rest of the suite reads English)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from assets import services
from assets.choices import AssetStatus
from core.models import User
from core.translations import compile_catalogues
from tests.assets.factories import CaseFactory, preserve, seize

pytestmark = pytest.mark.django_db

SW = {"Accept-Language": "sw"}  # as a Kiswahili browser sends it


@pytest.fixture(autouse=True)
def _catalogues() -> None:
    compile_catalogues()


@pytest.fixture
def asset(prosecutor: User) -> Any:
    case = CaseFactory.create(lead_prosecutor=prosecutor)
    seized = seize(case, estimated_value=Decimal("1250000.00"))
    preserve(seized)
    return seized


def sw_get(client: Client, user: User, url: str, **params: Any) -> Any:
    client.force_login(user)
    with translation.override("sw"):
        response = client.get(url, params, headers=SW)
    assert response.status_code == 200
    return response


def test_the_asset_register_reads_in_kiswahili(client: Client, prosecutor: User, asset: Any) -> None:
    html = sw_get(client, prosecutor, reverse("assets:asset_list")).content.decode()
    assert "Rejista ya mali" in html  # the title
    assert "Thamani inayokadiriwa (KES)" in html  # a column header
    assert "Imehifadhiwa" in html  # the status label
    assert "Asset register" not in html
    assert "Estimated value (KES)" not in html
    assert "1,250,000.00" in html  # money keeps its thousands separators


def test_the_asset_page_reads_in_kiswahili(client: Client, prosecutor: User, asset: Any) -> None:
    url = reverse("assets:asset_detail", args=[asset.pk])
    html = sw_get(client, prosecutor, url).content.decode()
    for word in ("Muhtasari", "Tathmini za thamani", "Amri za mahakama", "Rekodi amri ya mahakama", "Gari"):
        assert word in html
    for english in ("Court orders", "Record court order", "Preservation expires", "Motor vehicle"):
        assert english not in html
    assert "KES 1,250,000.00" in html or "1,250,000.00" in html
    orders = sw_get(client, prosecutor, url, tab="orders").content.decode()
    assert "Amri ya kuhifadhi mali" in orders
    assert "Legal basis" not in orders and "Msingi wa kisheria" in orders


def test_a_refused_move_says_why_in_kiswahili(prosecutor: User, asset: Any) -> None:
    with translation.override("sw"), pytest.raises(services.AssetError) as refused:
        services.move_asset(asset, prosecutor, AssetStatus.TRANSFERRED)
    assert "Mapato huwekwa alama ya kuhamishwa na mfuko wa amana" in refused.value.message
    with pytest.raises(services.AssetError) as in_english:  # and in English outside the override
        services.move_asset(asset, prosecutor, AssetStatus.TRANSFERRED)
    assert "marked transferred by the trust fund" in in_english.value.message


def test_a_refused_form_shows_its_error_in_kiswahili(client: Client, prosecutor: User, asset: Any) -> None:
    client.force_login(prosecutor)
    sale = {"realised_on": asset.seized_on.isoformat(), "method": "auction", "gross_proceeds": "100000", "costs": "0"}
    with translation.override("sw"):
        response = client.post(
            reverse("assets:realisation_create", args=[asset.pk]), {**sale, "currency": "KES"}, headers=SW
        )
    errors = " ".join(response.context["form"].non_field_errors())
    assert "Ni mali iliyotaifishwa tu inayoweza kuuzwa" in errors
    assert "imehifadhiwa" in errors  # the asset's status, in Kiswahili too
    assert "Only a forfeited asset" not in response.content.decode()


def test_the_recovery_report_and_its_workbook_come_out_in_kiswahili(
    client: Client, prosecutor: User, asset: Any
) -> None:
    html = sw_get(client, prosecutor, reverse("assets:recovery")).content.decode()
    assert "Urejeshaji wa mali" in html
    assert "Kiwango cha urejeshaji" in html
    assert "Recovery rate" not in html
    client.force_login(prosecutor)
    with translation.override("sw"):
        response: Any = client.get(reverse("assets:recovery"), {"export": "xlsx"}, headers=SW)
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert "Hatua" in book.sheetnames  # "Stages"
    assert "Stages" not in book.sheetnames
    headers = [cell.value for cell in next(book["Hatua"].iter_rows(max_row=1))]
    assert "Thamani (KES)" in headers


def test_the_deadline_email_is_written_in_each_recipients_language(prosecutor: User, other_prosecutor: User) -> None:
    prosecutor.language = "sw"
    prosecutor.save(update_fields=["language"])
    theirs = seize(CaseFactory.create(lead_prosecutor=other_prosecutor), description="Bank balance elsewhere")
    preserve(theirs, granted_days_ago=85)  # expires within the window; the other prosecutor reads English
    mine_asset = seize(CaseFactory.create(lead_prosecutor=prosecutor), description="Probox expiring soon")
    preserve(mine_asset, granted_days_ago=85)
    call_command("asset_deadlines", "--within", "14", stdout=io.StringIO(), stderr=io.StringIO())
    by_recipient = {message.to[0]: message for message in mail.outbox}
    mine, other = by_recipient[prosecutor.email], by_recipient[other_prosecutor.email]
    assert "za mwisho za amri za kuhifadhi mali" in mine.subject
    assert "Mpendwa" in mine.body and "zimebaki siku 5" in mine.body
    assert "Dear" not in mine.body
    assert "1 preservation deadline(s) on your cases" in other.subject
    assert "Dear" in other.body and "5 day(s) left" in other.body

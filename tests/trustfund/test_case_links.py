"""Case numbers link to the case wherever they appear — the asset register and asset pages, the deadlines
(page and home panel), and the fund's receipts, disbursements and proceeds — for those who may open case
pages. The fund roles, who never open a case, see the number as text, not a link that would refuse them."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from core.models import User
from prosecutions.models import Case
from tests.assets.factories import preserve, seize
from tests.prosecutions.factories import charged_case
from tests.trustfund.factories import days_ago, realisation, receive, request, victim
from trustfund.choices import ReceiptSource

pytestmark = pytest.mark.django_db


@dataclass
class Pages:
    case: Case  # the case of the asset under a preservation order (deadlines)
    sold_case: Case  # the case of the asset sold for the fund, and of the victim helped
    asset_url: str
    fund_pages: list[str]

    @property
    def asset_pages(self) -> list[str]:
        return [reverse("assets:asset_list"), self.asset_url]


@pytest.fixture
def pages(prosecutor: User, fund_admin: User) -> Pages:
    case = charged_case(prosecutor, title="Republic v. Deadline Case")
    asset = seize(case, prosecutor)
    preserve(asset, prosecutor, granted_days_ago=85)  # expires in five days
    sale = realisation()
    sold_case = sale.asset.case
    receipt = receive(
        fund_admin, "850000.00", days_ago(1), source=ReceiptSource.FORFEITED_PROCEEDS, payer="ARA", realisation=sale
    )
    disbursement = request(fund_admin, "5000.00", victim=victim(sold_case))
    fund_pages = [
        reverse("trustfund:receipt_list"),
        reverse("trustfund:receipt_detail", args=[receipt.pk]),
        reverse("trustfund:disbursement_list"),
        reverse("trustfund:disbursement_detail", args=[disbursement.pk]),
        reverse("trustfund:proceeds"),
    ]
    return Pages(case, sold_case, reverse("assets:asset_detail", args=[asset.pk]), fund_pages)


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def link_to(case: Case) -> str:
    return f'href="{case.get_absolute_url()}'


@pytest.mark.parametrize("persona", ["fund_admin", "fund_approver"])
def test_fund_roles_see_case_numbers_as_text(
    client: Client, request: pytest.FixtureRequest, pages: Pages, persona: str
) -> None:
    client.force_login(request.getfixturevalue(persona))
    shown = [(url, pages.sold_case) for url in pages.fund_pages] + [(url, pages.case) for url in pages.asset_pages]
    for url, case in shown:
        html = page(client, url)
        assert case.reference in html, url
        assert "/cases/" not in html, url  # no link to any case page


def test_the_auditor_follows_case_numbers_from_the_fund_pages(client: Client, auditor: User, pages: Pages) -> None:
    client.force_login(auditor)
    for url in pages.fund_pages:
        assert link_to(pages.sold_case) in page(client, url), url
    for url in pages.asset_pages:
        assert link_to(pages.case) in page(client, url), url


def test_a_prosecutor_follows_case_numbers_from_assets_and_deadlines(
    client: Client, prosecutor: User, pages: Pages
) -> None:
    client.force_login(prosecutor)
    for url in [*pages.asset_pages, reverse("assets:deadline_list")]:
        assert link_to(pages.case) in page(client, url), url
    panel = page(client, reverse("core:home"))
    assert f'{link_to(pages.case)}?tab=assets"' in panel  # the deadline panel of the home page


def test_the_excel_download_keeps_the_case_number_as_plain_text(client: Client, auditor: User, pages: Pages) -> None:
    client.force_login(auditor)
    response = client.get(reverse("trustfund:receipt_list"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Data"]  # type: ignore[attr-defined]
    header = [cell.value for cell in sheet[1]]
    assert sheet.cell(row=2, column=header.index("Case") + 1).value == pages.sold_case.reference


def test_linked_case_numbers_cost_no_query_per_row(client: Client, auditor: User, fund_admin: User) -> None:
    def add(rows: int) -> None:
        for _ in range(rows):  # each row on a case of its own
            sale = realisation()
            receive(
                fund_admin,
                "850000.00",
                days_ago(1),
                source=ReceiptSource.FORFEITED_PROCEEDS,
                payer="ARA",
                realisation=sale,
            )
            request(fund_admin, "100.00", victim=victim())

    def queries() -> dict[str, int]:
        counts = {}
        for name in (
            "trustfund:receipt_list",
            "trustfund:disbursement_list",
            "trustfund:proceeds",
            "assets:asset_list",
        ):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(reverse(name)).status_code == 200
            counts[name] = len(captured)
        return counts

    client.force_login(auditor)
    add(1)
    few = queries()
    add(5)
    assert queries() == few

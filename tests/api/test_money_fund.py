"""The trust fund API: receipts, disbursements (victims by code only), balances and the fund statement —
fund roles and auditors only, the same figures as the pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import User
from core.reports import Period, PeriodKind
from tests.trustfund.factories import days_ago, paid, realisation, receive, request, victim
from trustfund import ledger
from trustfund.choices import ReceiptSource
from trustfund.reports import fund_statement
from victims import services as victim_services

pytestmark = pytest.mark.django_db

RECEIPTS = "/api/v1/fund/receipts/"
DISBURSEMENTS = "/api/v1/fund/disbursements/"
BALANCES = "/api/v1/fund/balances/"
STATEMENT = "/api/v1/fund/statement/"
FUND_URLS = (RECEIPTS, DISBURSEMENTS, BALANCES, STATEMENT)


def api(user: User) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def money(fund_admin: User, fund_approver: User) -> dict[str, Any]:
    """KES 1,000,000 appropriated, forfeited proceeds received, one payment made and one request waiting."""
    sold = realisation(Decimal("400000.00"), realised_on=days_ago(20))
    appropriation = receive(fund_admin, "1000000.00", days_ago(15), payer_reference="EXCHQ-1")
    proceeds = receive(
        fund_admin,
        "400000.00",
        days_ago(12),
        source=ReceiptSource.FORFEITED_PROCEEDS,
        payer="Auctioneers Ltd",
        realisation=sold,
    )
    payment = paid(fund_admin, fund_approver, "30000.00", on=days_ago(4))
    waiting = request(fund_admin, "50000.00", days_ago(5), victim=victim())
    return {"appropriation": appropriation, "proceeds": proceeds, "payment": payment, "waiting": waiting}


# --------------------------------------------------------------------------------------------------
# Receipts and disbursements


@pytest.mark.parametrize("persona", ["fund_admin", "fund_approver", "auditor"])
def test_fund_readers_list_receipts_with_money_as_strings(request, persona, money) -> None:
    rows = api(request.getfixturevalue(persona)).get(RECEIPTS).json()["results"]
    by_reference = {row["reference"]: row for row in rows}
    appropriation = by_reference[money["appropriation"].reference]
    assert appropriation["amount"] == "1000000.00"
    assert appropriation["source"] == "appropriation" and appropriation["source_label"].startswith("Appropriation")
    proceeds = by_reference[money["proceeds"].reference]
    assert proceeds["asset_reference"] == money["proceeds"].realisation.asset.reference
    assert proceeds["received_on"] == money["proceeds"].received_on.isoformat()


def test_receipts_filter_as_the_page_does(fund_admin, money) -> None:
    client = api(fund_admin)
    rows = client.get(RECEIPTS, {"source": "forfeited_proceeds"}).json()["results"]
    assert [row["id"] for row in rows] == [money["proceeds"].pk]
    rows = client.get(RECEIPTS, {"q": "EXCHQ"}).json()["results"]
    assert [row["id"] for row in rows] == [money["appropriation"].pk]
    assert client.get(RECEIPTS, {"received_from": "not a date"}).status_code == 400


def test_disbursements_show_the_victim_by_code_and_never_the_identity(
    fund_admin, victim_services_officer, money
) -> None:
    waiting = money["waiting"]
    victim_services.save_victim_identity(
        waiting.victim, victim_services_officer, full_name="Zawadi Wanjiku Secretname", phone="0722999111"
    )
    client = api(fund_admin)
    listed = client.get(DISBURSEMENTS, {"status": "requested"})
    (row,) = listed.json()["results"]
    assert row["victim_code"] == waiting.victim.code and row["status_label"] == "Requested"
    assert row["amount"] == "50000.00"
    one = client.get(f"{DISBURSEMENTS}{waiting.pk}/")
    for response in (listed, one):
        text = response.content.decode()
        assert "Secretname" not in text and "0722999111" not in text and "Zawadi" not in text


def test_a_receipt_that_does_not_exist_is_404(auditor, money) -> None:
    response = api(auditor).get(f"{RECEIPTS}{money['proceeds'].pk + 1000}/")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("persona", ["prosecutor", "unit_head", "liaison", "victim_services_officer", "stranger"])
def test_nobody_else_reads_the_fund(request, persona, money) -> None:
    client = api(request.getfixturevalue(persona))
    for url in (*FUND_URLS, f"{RECEIPTS}{money['proceeds'].pk}/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "1000000" not in response.content.decode()


def _count_queries(client: APIClient, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_fund_lists_cost_the_same_queries_however_many_rows(
    fund_admin, fund_approver, money, django_assert_max_num_queries
) -> None:
    client = api(fund_admin)
    few = {url: _count_queries(client, url) for url in (RECEIPTS, DISBURSEMENTS, BALANCES)}
    for n in range(5):
        receive(fund_admin, "1000.00", days_ago(3), payer=f"Donor {n}", source=ReceiptSource.DONATION)
        request(fund_admin, "500.00", days_ago(2), victim=victim())
    for url, count in few.items():
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200
    assert len(client.get(RECEIPTS).json()["results"]) == 7
    assert len(client.get(DISBURSEMENTS).json()["results"]) == 7


# --------------------------------------------------------------------------------------------------
# Balances and the statement


def test_balances_are_the_ledgers_and_the_trial_balance_agrees(auditor, money) -> None:
    body = api(auditor).get(BALANCES).json()
    assert body["bank_balance"] == str(ledger.bank_balance()) == "1370000.00"
    assert body["total_debit"] == body["total_credit"]
    totals: QuerySet[Any] = ledger.accounts_with_totals()
    expected = {a.code: {"total_debit": a.total_debit, "total_credit": a.total_credit} for a in totals}
    assert [row["code"] for row in body["accounts"]] == list(expected)
    for row in body["accounts"]:
        account = expected[row["code"]]
        assert Decimal(row["total_debit"]) == account["total_debit"]
        assert Decimal(row["total_credit"]) == account["total_credit"]


def test_balances_as_at_a_date_leave_out_later_postings(auditor, money) -> None:
    body = api(auditor).get(BALANCES, {"as_at": days_ago(13).isoformat()}).json()
    assert body["as_at"] == days_ago(13).isoformat()
    assert body["bank_balance"] == "1000000.00"
    income = api(auditor).get(BALANCES, {"account_type": "income"}).json()["accounts"]
    assert income and {row["account_type"] for row in income} == {"income"}
    refused = api(auditor).get(BALANCES, {"as_at": "31/12/2026"})
    assert refused.status_code == 400 and refused.json()["error"]["field"] == "as_at"


def test_the_statement_is_the_reports_figures(fund_approver, money) -> None:
    year = Period.containing(PeriodKind.FINANCIAL_YEAR, timezone.localdate()).param
    expected = fund_statement(year)
    body = api(fund_approver).get(STATEMENT, {"year": year}).json()
    assert body["year"] == year and body["final"] is False
    assert body["opening"] == str(expected.opening)
    assert body["closing"] == str(expected.closing) == "1370000.00"
    assert body["total_receipts"] == str(expected.total_receipts) == "1400000.00"
    assert body["total_payments"] == str(expected.total_payments) == "30000.00"
    assert [(r["code"], r["amount"]) for r in body["receipts"]] == [(r.code, str(r.amount)) for r in expected.receipts]
    assert api(fund_approver).get(STATEMENT).json()["year"] == year  # the year in progress by default


def test_a_statement_for_a_malformed_year_is_refused_with_the_pages_message(auditor) -> None:
    response = api(auditor).get(STATEMENT, {"year": "2026-29"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_period"
    assert "is not a financial year" in error["message"]

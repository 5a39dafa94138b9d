"""Every answer of the money side's endpoints — lists with rows, details, writes and refusals, as each role
that reads them (auditors included, whom the property-based run does not play) — matches the OpenAPI schema."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

import pytest
import requests
import schemathesis
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient
from schemathesis.core.transport import Response

from core.models import User
from core.reports import Period, registered_reports
from tests.assets.factories import CaseFactory, forfeit, preserve, seize
from tests.trustfund.factories import days_ago, paid, realisation, receive, request, victim

pytestmark = pytest.mark.django_db


@cache
def _schema() -> Any:
    return schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))


def conforms(template: str, method: str, url: str, response: Any) -> None:
    """The Django test response ``response`` to ``method url`` is what the schema documents for ``template``."""
    prepared = requests.Request(method, f"http://testserver{url}").prepare()
    answer = Response(
        status_code=response.status_code,
        headers={name: [value] for name, value in response.headers.items()},
        content=response.content,
        request=prepared,
        elapsed=0.0,
        verify=True,
    )
    _schema()[template][method].validate_response(answer)


def api(user: User) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def world(prosecutor: User, fund_admin: User, fund_approver: User) -> dict[str, Any]:
    case = CaseFactory.create(lead_prosecutor=prosecutor)
    preserved = seize(case, description="Preserved lorry")
    preserve(preserved, granted_days_ago=89)
    sold = realisation(Decimal("400000.00"), realised_on=days_ago(20))
    receipt = receive(fund_admin, "1000000.00", days_ago(15))
    paid(fund_admin, fund_approver, "30000.00", on=days_ago(4))
    waiting = request(fund_admin, "50000.00", days_ago(5), victim=victim())
    return {"case": case, "preserved": preserved, "sold": sold, "receipt": receipt, "waiting": waiting}


READS = [
    ("/api/v1/assets/", None),
    ("/api/v1/assets/{id}/", "asset"),
    ("/api/v1/assets/deadlines/", None),
    ("/api/v1/fund/receipts/", None),
    ("/api/v1/fund/receipts/{id}/", "receipt"),
    ("/api/v1/fund/disbursements/", None),
    ("/api/v1/fund/disbursements/{id}/", "disbursement"),
    ("/api/v1/fund/balances/", None),
    ("/api/v1/fund/statement/", None),
    ("/api/v1/reports/", None),
    ("/api/v1/audit-log/", None),
]


@pytest.mark.parametrize("persona", ["auditor", "fund_approver", "prosecutor", "unit_head", "liaison"])
def test_every_read_answers_as_documented(request, persona, world) -> None:
    client = api(request.getfixturevalue(persona))
    ids = {"asset": world["sold"].asset_id, "receipt": world["receipt"].pk, "disbursement": world["waiting"].pk}
    statuses = set()
    for template, record in READS:
        for pk in (ids[record], 999999) if record else (None,):
            url = template.replace("{id}", str(pk))
            response = client.get(url)
            statuses.add(response.status_code)
            conforms(template, "GET", url, response)
    assert statuses == {403} if persona == "liaison" else 200 in statuses and 404 in statuses


@pytest.mark.parametrize("persona", ["auditor", "fund_admin", "prosecutor"])
def test_every_report_answers_as_documented(request, persona) -> None:
    user = request.getfixturevalue(persona)
    client = api(user)
    for report in registered_reports():
        period = Period.containing(report.period_kind, timezone.localdate())
        url = f"/api/v1/reports/{report.key}/?period={period.param}"
        response = client.get(url)
        assert response.status_code == (200 if report.may_read(user) else 403)
        conforms("/api/v1/reports/{key}/", "GET", url, response)
    bad = client.get("/api/v1/reports/fund_statement/?period=soon")
    conforms("/api/v1/reports/{key}/", "GET", "/api/v1/reports/fund_statement/?period=soon", bad)


def test_writes_and_their_refusals_answer_as_documented(prosecutor, world) -> None:
    client = api(prosecutor)
    asset = seize(world["case"], description="Cash")
    orders = f"/api/v1/assets/{asset.pk}/court-orders/"
    order = {
        "order_type": "forfeiture",
        "legal_basis": "ctip_s17",
        "order_number": "HCACEC OM E009 of 2026",
        "granted_on": days_ago(3).isoformat(),
        "court_name": "High Court at Nairobi",
    }
    answers = [
        client.post(orders, order, format="json"),  # no destination: 400
        client.post(orders, {**order, "destination": "trust_fund"}, format="json"),  # 201
        client.post(orders, {**order, "destination": "trust_fund", "order_type": "preservation"}, format="json"),
    ]
    assert [a.status_code for a in answers] == [400, 201, 409]
    for answer in answers:
        conforms("/api/v1/assets/{id}/court-orders/", "POST", orders, answer)
    sales = f"/api/v1/assets/{asset.pk}/realisation/"
    sale = {"realised_on": days_ago(1).isoformat(), "method": "cash_as_is", "gross_proceeds": "120000.00"}
    answers = [
        client.post(sales, {**sale, "gross_proceeds": "x"}, format="json"),
        client.post(sales, sale, format="json"),
    ]
    assert [a.status_code for a in answers] == [400, 201]
    for answer in answers:
        conforms("/api/v1/assets/{id}/realisation/", "POST", sales, answer)
    forfeit(seize(world["case"]))  # a second forfeited asset stays unsold
